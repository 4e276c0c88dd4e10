/* test/unit_ctl.c - the control socket: requests, replies, limits.
 *
 * The server runs in a forked child on its own loop (bounded by a timer
 * that stops it after a few seconds); the test process is the client.
 * Sockets live in a fresh temp directory. */
#include "unit.h"
#include "../net/ctl.h"
#include "../net/loop.h"
#include "../net/sys.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int v_echo(void *ctx, struct ctl_req *r)
{
	for (int i = 1; i < r->argc; i++)
		ctl_printf(r, "arg: %s", r->argv[i]);
	return 0;
}

static int v_tricky(void *ctx, struct ctl_req *r)
{
	ctl_printf(r, "ok");
	ctl_printf(r, "err 5 not really");
	ctl_printf(r, ".dot");
	ctl_printf(r, "two\nlines");
	ctl_printf(r, "%s", "");
	return 0;
}

static int v_fail(void *ctx, struct ctl_req *r)
{
	ctl_printf(r, "partial");
	return ctl_fail(r, 4, "nope: %s\nsecond", "why");
}

static int v_whoami(void *ctx, struct ctl_req *r)
{
	ctl_printf(r, "root: %d", r->root);
	return 0;
}

static int v_big(void *ctx, struct ctl_req *r)
{
	for (int i = 0; i < 20000; i++)
		ctl_printf(r, "line %05d with some padding to make it long", i);
	return 0;
}

static unsigned later_ticket;

static void resume_later(void *ctx)
{
	ctl_resume(later_ticket, "done\nok", 0, NULL);
}

static int v_later(void *ctx, struct ctl_req *r)
{
	ctl_printf(r, "started");
	loop_timer_add(now_ms() + 100, resume_later, NULL);
	return ctl_defer(r, 2000, &later_ticket);
}

static int v_never(void *ctx, struct ctl_req *r)
{
	unsigned t;

	return ctl_defer(r, 200, &t);
}

static int v_bogus(void *ctx, struct ctl_req *r)
{
	return CTL_DEFERRED;	/* without ctl_defer: a bug, not a hang */
}

static int v_quit(void *ctx, struct ctl_req *r)
{
	loop_stop();
	return 0;
}

static const struct ctl_verb verbs[] = {
	{ "echo", v_echo, 0 }, { "tricky", v_tricky, 0 },
	{ "fail", v_fail, 0 }, { "whoami", v_whoami, 0 },
	{ "change", v_echo, 1 }, { "big", v_big, 0 },
	{ "later", v_later, 0 }, { "never", v_never, 0 },
	{ "bogus", v_bogus, 0 }, { "quit", v_quit, 0 },
};

static void stop(void *ctx)
{
	loop_stop();
}

/* The server child: serves until quit or 8 s pass. */
static void serve(const char *path)
{
	if (loop_init() < 0 ||
	    ctl_listen(path, verbs, (int)ARRAY_LEN(verbs), NULL) < 0)
		_exit(1);
	loop_timer_add(now_ms() + 8000, stop, NULL);
	loop_run();
	ctl_shutdown();
	loop_done();
	_exit(0);
}

struct srv {
	char dir[64], path[100];
	pid_t pid;
};

static int start(struct srv *s)
{
	struct ctl_reply rep;
	int64_t end = now_ms() + 2000;

	snprintf(s->dir, sizeof s->dir, "/tmp/unit-ctl.XXXXXX");
	if (!mkdtemp(s->dir) || chmod(s->dir, 0755) < 0)
		return -1;
	snprintf(s->path, sizeof s->path, "%s/ctl.sock", s->dir);
	if ((s->pid = fork()) == 0)
		serve(s->path);
	while (now_ms() < end) {
		int rc = ctl_call(s->path, "echo", 500, &rep);

		ctl_reply_free(&rep);
		if (rc == 0)
			return 0;
		usleep(10 * 1000);
	}
	return -1;
}

/* Stop the server (quit, else SIGKILL after 2 s); its exit status. */
static int finish(struct srv *s)
{
	struct ctl_reply rep;
	int status = -1;
	int64_t end = now_ms() + 2000;

	ctl_call(s->path, "quit", 500, &rep);
	ctl_reply_free(&rep);
	while (waitpid(s->pid, &status, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &status, 0);
			break;
		}
		usleep(5 * 1000);
	}
	unlink(s->path);
	rmdir(s->dir);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ctl_request_and_reply)
{
	struct srv s;
	struct ctl_reply rep;
	char v[64];

	CHECK(start(&s) == 0);
	CHECK_INT(ctl_call(s.path, "echo a  b\tc", 0, &rep), 0);
	CHECK_INT(rep.code, 0);
	CHECK_STR(rep.lines.p, "arg: a\narg: b\narg: c\n");
	CHECK_STR(ctl_value(&rep, "arg", v, sizeof v), "a");
	CHECK(!ctl_value(&rep, "ar", v, sizeof v));
	ctl_reply_free(&rep);
	CHECK_INT(finish(&s), 0);
}

TEST(ctl_dot_stuffing_keeps_any_text)
{
	struct srv s;
	struct ctl_reply rep;

	CHECK(start(&s) == 0);
	CHECK_INT(ctl_call(s.path, "tricky", 0, &rep), 0);
	CHECK_INT(rep.code, 0);
	CHECK_STR(rep.lines.p, "ok\nerr 5 not really\n.dot\ntwo\nlines\n\n");
	ctl_reply_free(&rep);
	CHECK_INT(finish(&s), 0);
}

TEST(ctl_errors_carry_codes)
{
	struct srv s;
	struct ctl_reply rep;

	CHECK(start(&s) == 0);
	CHECK_INT(ctl_call(s.path, "fail", 0, &rep), 0);
	CHECK_INT(rep.code, 4);
	CHECK_STR(rep.err, "nope: why second");
	CHECK_STR(rep.lines.p, "partial\n");
	ctl_reply_free(&rep);
	CHECK_INT(ctl_call(s.path, "frob x", 0, &rep), 0);
	CHECK_INT(rep.code, EXIT_USAGE);
	CHECK_STR(rep.err, "unknown verb 'frob'");
	ctl_reply_free(&rep);
	CHECK_INT(ctl_call(s.path, "  ", 0, &rep), 0);
	CHECK_INT(rep.code, EXIT_USAGE);
	CHECK_STR(rep.err, "empty request");
	ctl_reply_free(&rep);
	CHECK_INT(finish(&s), 0);
}

TEST(ctl_long_request_refused)
{
	struct srv s;
	struct ctl_reply rep;
	char *big = xmalloc(CTL_MAX_LINE + 100);

	memset(big, 'x', CTL_MAX_LINE + 99);
	big[CTL_MAX_LINE + 99] = 0;
	memcpy(big, "echo ", 5);
	CHECK(start(&s) == 0);
	CHECK_INT(ctl_call(s.path, big, 0, &rep), 0);
	CHECK_INT(rep.code, EXIT_USAGE);
	CHECK_STR(rep.err, "request too long");
	ctl_reply_free(&rep);
	free(big);
	CHECK_INT(finish(&s), 0);
}

TEST(ctl_big_reply_streams)
{
	struct srv s;
	struct ctl_reply rep;

	CHECK(start(&s) == 0);
	CHECK_INT(ctl_call(s.path, "big", 0, &rep), 0);
	CHECK_INT(rep.code, 0);
	CHECK_INT(rep.lines.len, 20000 * 45);
	CHECK(strstr(rep.lines.p, "line 19999 with") != NULL);
	ctl_reply_free(&rep);
	CHECK_INT(finish(&s), 0);
}

/* In a child that dropped to uid 65534: the reply code of request. */
static int as_nobody(const char *path, const char *request)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct ctl_reply rep;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(99);
		if (ctl_call(path, request, 0, &rep) < 0)
			_exit(98);
		_exit(rep.code == 0 && strstr(rep.lines.p, "root: 0") ?
		      50 : rep.code);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(ctl_root_only_verbs)
{
	struct srv s;
	struct ctl_reply rep;

	CHECK(start(&s) == 0);
	CHECK_INT(ctl_call(s.path, "whoami", 0, &rep), 0);
	CHECK_STR(rep.lines.p, geteuid() == 0 ? "root: 1\n" : "root: 0\n");
	ctl_reply_free(&rep);
	if (geteuid() == 0) {
		CHECK_INT(as_nobody(s.path, "whoami"), 50);
		CHECK_INT(as_nobody(s.path, "change x"), EXIT_REFUSED);
		CHECK_INT(ctl_call(s.path, "change x", 0, &rep), 0);
		CHECK_INT(rep.code, 0);
		ctl_reply_free(&rep);
	}
	CHECK_INT(finish(&s), 0);
}

static int raw_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST(ctl_clients_are_bounded)
{
	struct srv s;
	struct ctl_reply rep;
	int fds[CTL_MAX_CLIENTS], n = 0;

	CHECK(start(&s) == 0);
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		n += (fds[i] = raw_connect(s.path)) >= 0;
	CHECK_INT(n, CTL_MAX_CLIENTS);
	/* accepted in order: whatever the timing, the 17th finds no slot */
	CHECK_INT(ctl_call(s.path, "echo", 1000, &rep), 0);
	CHECK_INT(rep.code, 1);
	CHECK_STR(rep.err, "too many clients");
	ctl_reply_free(&rep);
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	/* the server frees the slots when it sees the closes: retry */
	for (int64_t end = now_ms() + 2000;; usleep(20 * 1000)) {
		CHECK_INT(ctl_call(s.path, "echo z", 1000, &rep), 0);
		if (rep.code != 1 || now_ms() > end)
			break;
		ctl_reply_free(&rep);
	}
	CHECK_STR(rep.lines.p, "arg: z\n");
	ctl_reply_free(&rep);
	CHECK_INT(finish(&s), 0);
}

TEST(ctl_unreachable_and_timeout)
{
	char dir[] = "/tmp/unit-ctl.XXXXXX", path[100];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct ctl_reply rep;
	int64_t t;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/none.sock", dir);
	CHECK_INT(ctl_call(path, "echo", 0, &rep), CTL_UNREACHABLE);
	CHECK_INT(errno, ENOENT);
	CHECK_INT(rep.code, EXIT_UNREACHABLE);
	ctl_reply_free(&rep);
	/* a socket that listens and never answers: bounded by the timeout */
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
	CHECK(listen(fd, 4) == 0);
	t = now_ms();
	CHECK_INT(ctl_call(path, "echo", 200, &rep), CTL_BROKEN);
	CHECK(now_ms() - t >= 150 && now_ms() - t < 2000);
	ctl_reply_free(&rep);
	close(fd);
	/* the socket file is now stale: nobody listens */
	CHECK_INT(ctl_call(path, "echo", 200, &rep), CTL_UNREACHABLE);
	CHECK_INT(errno, ECONNREFUSED);
	ctl_reply_free(&rep);
	unlink(path);
	rmdir(dir);
}

TEST(ctl_listen_replaces_stale_refuses_live)
{
	struct srv s;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	CHECK(start(&s) == 0);
	CHECK(loop_init() == 0);
	CHECK(ctl_listen(s.path, verbs, 1, NULL) < 0 && errno == EADDRINUSE);
	loop_done();
	CHECK_INT(finish(&s), 0);
	/* leave a stale socket file behind, then start over it */
	CHECK(mkdir(s.dir, 0700) == 0);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", s.path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
	close(fd);
	CHECK(loop_init() == 0);
	CHECK(ctl_listen(s.path, verbs, 1, NULL) == 0);
	ctl_shutdown();
	CHECK(access(s.path, F_OK) < 0);
	loop_done();
	rmdir(s.dir);
}

TEST(ctl_deferred_replies)
{
	struct srv s;
	struct ctl_reply rep;
	int64_t t;

	CHECK(start(&s) == 0);
	t = now_ms();
	CHECK_INT(ctl_call(s.path, "later", 0, &rep), 0);
	CHECK_INT(rep.code, 0);
	CHECK_STR(rep.lines.p, "started\ndone\nok\n");
	CHECK(now_ms() - t >= 90);
	ctl_reply_free(&rep);
	t = now_ms();
	CHECK_INT(ctl_call(s.path, "never", 0, &rep), 0);
	CHECK_INT(rep.code, 1);
	CHECK_STR(rep.err, "timed out");
	CHECK(now_ms() - t >= 150 && now_ms() - t < 2000);
	ctl_reply_free(&rep);
	CHECK_INT(ctl_call(s.path, "bogus", 0, &rep), 0);
	CHECK_INT(rep.code, 1);
	CHECK_STR(rep.err, "failed");
	ctl_reply_free(&rep);
	/* a client that hangs up while parked frees its slot */
	CHECK_INT(ctl_call(s.path, "later", 20, &rep), CTL_BROKEN);
	ctl_reply_free(&rep);
	CHECK_INT(ctl_call(s.path, "echo y", 0, &rep), 0);
	CHECK_STR(rep.lines.p, "arg: y\n");
	ctl_reply_free(&rep);
	CHECK_INT(finish(&s), 0);
}
