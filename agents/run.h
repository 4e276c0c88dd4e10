/* agents/run.h - run an agent as a child of the event loop.
 *
 * The program runs with no arguments (or the ones given), its stdin
 * holds the text given, its stdout and stderr go to the log one line at
 * a time ("agent "TAG" reports: LINE"), and it is killed with its whole
 * process group when the time-out passes.  Nothing here blocks: the
 * result comes back through done. */
#ifndef RUN_H
#define RUN_H

#include <stddef.h>
#include <sys/types.h>

enum {
	RUN_TIMEOUT = -2,	/* killed at the time-out */
	RUN_KILLED = -3,	/* died of a signal */
};

/* rc: the exit status (0..255; 127: could not be run), or RUN_*. */
typedef void run_done_fn(void *ctx, int rc);

struct run {
	pid_t pid;		/* 0: not running */
	int out, timer, timed_out;
	char tag[48];
	char line[256];
	size_t nline;
	run_done_fn *done;
	void *ctx;
	/* set after run_start: what the agent leaves running in its
	 * process group lives on when it exits (a resource agent's
	 * daemon); otherwise it is killed then (a fence agent's) */
	int keep;
	/* set after run_start: the output goes here (NUL-ended, cut at
	 * capmax), not to the log */
	char *capture;
	size_t ncap, capmax;
};

/* This executable, for its own agents (argv[0] "hacluster"). */
#define RUN_SELF	"/proc/self/exe"

/* Start path (argv[0] = path, then args, NULL-ended; args may be NULL)
 * with input on stdin and env as its whole environment (NULL: this
 * process's); -1 when it cannot even be forked (logged). */
int run_start(struct run *r, const char *path, char *const *args,
	      char *const *env, const char *input, int timeout_ms,
	      const char *tag, run_done_fn *done, void *ctx);
/* Kill it (and its group) and forget it: done is not called. */
void run_cancel(struct run *r);

#endif
