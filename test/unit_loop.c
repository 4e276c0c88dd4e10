/* test/unit_loop.c - the event loop: timers, fds, signals, children, stalls.
 *
 * Every wait is bounded: each test drives loop_once() with a short
 * maximum and a deadline of a few hundred milliseconds. */
#include "unit.h"
#include "../net/loop.h"
#include "../net/sys.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char order[16];
static int norder;

static void mark(void *ctx)
{
	if (norder < (int)sizeof order - 1)
		order[norder++] = *(const char *)ctx;
	order[norder] = 0;
}

/* Run the loop until *flag is set or limit ms pass; 1 if it was set. */
static int run_until(const int *flag, int64_t limit)
{
	int64_t end = now_ms() + limit;

	while (!*flag && now_ms() < end)
		loop_once(20);
	return *flag;
}

TEST(loop_timers_fire_in_order)
{
	int64_t t = now_ms();

	CHECK(loop_init() == 0);
	norder = 0;
	order[0] = 0;
	loop_timer_add(t + 30, mark, "c");
	loop_timer_add(t + 10, mark, "a");
	loop_timer_add(t + 20, mark, "b");
	loop_timer_add(t + 20, mark, "B");
	CHECK(loop_next_deadline() == t + 10);
	while (norder < 4 && now_ms() < t + 500)
		loop_once(50);
	CHECK_STR(order, "abBc");
	CHECK(now_ms() >= t + 30);
	CHECK(loop_next_deadline() == INT64_MAX);
	loop_done();
}

TEST(loop_timer_cancelled_never_fires)
{
	int64_t t = now_ms();
	int a, b;

	CHECK(loop_init() == 0);
	norder = 0;
	order[0] = 0;
	a = loop_timer_add(t + 10, mark, "x");
	b = loop_timer_add(t + 20, mark, "y");
	CHECK(a > 0 && b > 0 && a != b);
	loop_timer_cancel(a);
	loop_timer_cancel(12345);
	loop_timer_cancel(0);
	while (norder < 1 && now_ms() < t + 500)
		loop_once(50);
	loop_once(30);
	CHECK_STR(order, "y");
	loop_done();
}

TEST(loop_timer_table_is_bounded)
{
	int ok = 0;

	CHECK(loop_init() == 0);
	for (int i = 0; i < LOOP_MAX_TIMERS + 5; i++)
		ok += loop_timer_add(now_ms() + 100000, mark, "z") > 0;
	CHECK_INT(ok, LOOP_MAX_TIMERS);
	loop_done();
}

static int stop_after;

static void readd(void *ctx)
{
	stop_after++;
	loop_timer_add(0, readd, ctx);
}

TEST(loop_timer_added_by_callback_waits)
{
	CHECK(loop_init() == 0);
	stop_after = 0;
	loop_timer_add(0, readd, NULL);
	loop_once(10);
	CHECK_INT(stop_after, 1);
	loop_once(10);
	CHECK_INT(stop_after, 2);
	loop_done();
}

struct rd {
	int got, fd;
	char c;
};

static void on_read(void *ctx, int fd, int events)
{
	struct rd *r = ctx;

	if ((events & LOOP_READ) && read(fd, &r->c, 1) == 1)
		r->got++;
}

TEST(loop_fd_readiness)
{
	struct rd r = {0};
	int p[2];

	CHECK(loop_init() == 0);
	CHECK(pipe(p) == 0);
	CHECK(loop_fd_add(p[0], LOOP_READ, on_read, &r) == 0);
	loop_once(10);
	CHECK_INT(r.got, 0);
	CHECK(write(p[1], "q", 1) == 1);
	CHECK(run_until(&r.got, 500));
	CHECK_INT(r.c, 'q');
	loop_fd_del(p[0]);
	CHECK(write(p[1], "r", 1) == 1);
	loop_once(20);
	CHECK_INT(r.got, 1);
	CHECK(loop_fd_events(p[0], LOOP_READ) < 0);
	close(p[0]);
	close(p[1]);
	loop_done();
}

static void on_write(void *ctx, int fd, int events)
{
	int *n = ctx;

	if (events & LOOP_WRITE) {
		(*n)++;
		loop_fd_events(fd, 0);
	}
}

TEST(loop_fd_write_readiness)
{
	int n = 0, p[2];

	CHECK(loop_init() == 0);
	CHECK(pipe(p) == 0);
	CHECK(loop_fd_add(p[1], LOOP_WRITE, on_write, &n) == 0);
	CHECK(run_until(&n, 500));
	loop_once(10);
	CHECK_INT(n, 1);
	loop_fd_del(p[1]);
	close(p[0]);
	close(p[1]);
	loop_done();
}

static void on_sig(void *ctx, int sig)
{
	*(int *)ctx = sig;
}

TEST(loop_signal_through_self_pipe)
{
	int got = 0;

	CHECK(loop_init() == 0);
	CHECK(loop_on_signal(SIGHUP, on_sig, &got) == 0);
	CHECK(loop_on_signal(SIGUSR1, on_sig, &got) == 0);
	raise(SIGUSR1);
	CHECK(run_until(&got, 500));
	CHECK_INT(got, SIGUSR1);
	got = 0;
	raise(SIGHUP);
	CHECK(run_until(&got, 500));
	CHECK_INT(got, SIGHUP);
	CHECK(loop_on_signal(SIGCHLD, on_sig, &got) < 0);
	loop_done();
}

struct kid {
	int done;
	pid_t pid;
	int status;
};

static void on_child(void *ctx, pid_t pid, int status)
{
	struct kid *k = ctx;

	k->done = 1;
	k->pid = pid;
	k->status = status;
}

TEST(loop_child_exit_reported)
{
	struct kid k = {0};
	pid_t pid;

	CHECK(loop_init() == 0);
	pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK(pid > 0);
	CHECK(loop_child_watch(pid, on_child, &k) == 0);
	CHECK(run_until(&k.done, 2000));
	CHECK_INT(k.pid, pid);
	CHECK(WIFEXITED(k.status) && WEXITSTATUS(k.status) == 7);
	loop_done();
}

/* A child of loop_fork has the dispositions from before the loop: a
 * SIGTERM the loop catches kills it, SIGPIPE is no longer ignored. */
TEST(loop_fork_child_has_default_signals)
{
	struct kid k = {0};
	int got = 0;
	pid_t pid;

	CHECK(loop_init() == 0);
	CHECK(loop_on_signal(SIGTERM, on_sig, &got) == 0);
	pid = loop_fork();
	if (pid == 0) {
		struct sigaction pipe_sa;

		sigaction(SIGPIPE, NULL, &pipe_sa);
		if (pipe_sa.sa_handler != SIG_DFL)
			_exit(3);
		raise(SIGTERM);
		_exit(4);		/* not reached: SIGTERM kills */
	}
	CHECK(pid > 0);
	CHECK(loop_child_watch(pid, on_child, &k) == 0);
	CHECK(run_until(&k.done, 2000));
	CHECK(WIFSIGNALED(k.status) && WTERMSIG(k.status) == SIGTERM);
	CHECK_INT(got, 0);			/* nothing reached our pipe */
	loop_done();
}

TEST(loop_unwatched_child_goes_to_default)
{
	struct kid k = {0};
	pid_t pid;

	CHECK(loop_init() == 0);
	loop_on_child(on_child, &k);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(run_until(&k.done, 2000));
	CHECK_INT(k.pid, pid);
	loop_done();
}

static int64_t stall_late;
static int stalled;

static void on_stall(void *ctx, int64_t late)
{
	stalled = 1;
	stall_late = late;
	mark(ctx);
}

TEST(loop_stall_reported_before_timers)
{
	CHECK(loop_init() == 0);
	norder = 0;
	order[0] = 0;
	stalled = 0;
	loop_on_stall(50, on_stall, "s");
	loop_timer_add(now_ms() + 10, mark, "t");
	usleep(150 * 1000);	/* "not scheduled" for 140 ms past it */
	loop_once(0);
	CHECK(stalled);
	CHECK(stall_late >= 100);
	CHECK_STR(order, "st");
	stalled = 0;
	loop_on_stall(1000, on_stall, "s");	/* no false alarm under load */
	loop_timer_add(now_ms() + 10, mark, "u");
	run_until(&stalled, 100);
	CHECK(!stalled);
	CHECK_STR(order, "stu");
	loop_done();
}

static void stopper(void *ctx)
{
	loop_stop();
}

TEST(loop_run_until_stop)
{
	int64_t t = now_ms();

	CHECK(loop_init() == 0);
	loop_timer_add(t + 20, stopper, NULL);
	loop_timer_add(t + 5000, stopper, NULL);	/* bound */
	CHECK(loop_run() == 0);
	CHECK(now_ms() - t < 1000);
	loop_done();
}
