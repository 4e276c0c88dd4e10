/* net/loop.h - the event loop: fds, one-shot timers, signals, children.
 *
 * The only poll() of the product.  One process-wide loop (private state
 * in loop.c): file descriptors with a callback on readiness, one-shot
 * timers at absolute monotonic milliseconds (now_ms()), signals turned
 * into callbacks through a self-pipe, exited children reaped and reported,
 * and stall detection: when an iteration wakes far past its earliest
 * deadline the process was not scheduled (VM pause, starvation) and the
 * stall callback runs before any timer, so failure timers can restart
 * instead of blaming peers.  Callbacks must not block. */
#ifndef LOOP_H
#define LOOP_H

#include <stdint.h>
#include <sys/types.h>

#define LOOP_MAX_FDS		64
#define LOOP_MAX_TIMERS		128
#define LOOP_MAX_CHILDREN	64
#define LOOP_STALL_MS		2000	/* lateness that is a stall */

enum { LOOP_READ = 1, LOOP_WRITE = 2 };

/* events: LOOP_READ and/or LOOP_WRITE that are ready; hang-up and errors
 * are reported as LOOP_READ so the reader meets EOF or the error. */
typedef void loop_fd_fn(void *ctx, int fd, int events);
typedef void loop_timer_fn(void *ctx);
typedef void loop_signal_fn(void *ctx, int sig);
/* status as from waitpid(). */
typedef void loop_child_fn(void *ctx, pid_t pid, int status);
/* late: ms the loop woke past its earliest deadline. */
typedef void loop_stall_fn(void *ctx, int64_t late);

/* Set up the self-pipe and ignore SIGPIPE; 0 or -1 (errno).  Calling it
 * again after loop_done() starts afresh. */
int loop_init(void);
/* Close every loop fd, restore signal dispositions, forget everything
 * (registered fds are not closed: they belong to their owners). */
void loop_done(void);

/* Watch fd for events (LOOP_READ|LOOP_WRITE); adding a watched fd again
 * replaces its events and callback.  -1 when the table is full. */
int loop_fd_add(int fd, int events, loop_fd_fn *fn, void *ctx);
/* Change the events of a watched fd; -1 if not watched. */
int loop_fd_events(int fd, int events);
void loop_fd_del(int fd);

/* A one-shot timer at absolute monotonic time when; returns its id (> 0)
 * or -1 when the table is full.  Due timers fire in order of time, then
 * of creation.  A timer added by a callback for a time already past
 * fires in the next iteration, never in the same one. */
int loop_timer_add(int64_t when, loop_timer_fn *fn, void *ctx);
/* Cancel a pending timer; unknown or fired ids (and 0) are ignored. */
void loop_timer_cancel(int id);
/* Earliest pending deadline, INT64_MAX when none. */
int64_t loop_next_deadline(void);

/* Call fn in the loop when sig arrives (SIGTERM, SIGINT, SIGHUP, ...);
 * fn NULL restores the default disposition. */
int loop_on_signal(int sig, loop_signal_fn *fn, void *ctx);
/* Report pid's exit to fn once it is reaped; -1 when the table is full.
 * Children nobody watches are reaped and reported to the default
 * callback (loop_on_child), if any. */
int loop_child_watch(pid_t pid, loop_child_fn *fn, void *ctx);
void loop_on_child(loop_child_fn *fn, void *ctx);
/* pid's exit is no longer reported (it is still reaped). */
void loop_child_forget(pid_t pid);
/* fork() for a child that will not use the loop: every signal is
 * blocked around the fork, and in the child each signal the loop catches
 * gets back the disposition it had before (the loop's handler would
 * write into the parent's pipe), then the signal mask as it was. */
pid_t loop_fork(void);
/* Report wake-ups later than late_ms past the earliest deadline
 * (0: LOOP_STALL_MS). */
void loop_on_stall(int64_t late_ms, loop_stall_fn *fn, void *ctx);

/* One iteration: wait at most max_ms (or until the earliest deadline),
 * then dispatch signals, the stall check, timers and fds.  Returns the
 * number of callbacks run. */
int loop_once(int64_t max_ms);
/* Iterate until loop_stop(); returns 0. */
int loop_run(void);
void loop_stop(void);

#endif
