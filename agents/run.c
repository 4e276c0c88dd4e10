/* agents/run.c - run an agent as a child of the event loop.
 *
 * Two pipes: the input, written whole at once (agents' input is a few
 * hundred bytes, far below a pipe's buffer, so the write cannot block),
 * and the output, where stdout and stderr meet and are read as the
 * child writes.  The child leads its own process group, so a time-out
 * kills what it started too (a hung agent's ssh or sleep).  The exit is
 * reported by the loop's child watch; what is still in the output pipe
 * is read then. */
#include "run.h"

#include "../net/loop.h"
#include "../net/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void flush_line(struct run *r)
{
	if (!r->nline)
		return;
	r->line[r->nline] = 0;
	log_msg(LOG_LVL_NOTICE, "agent \"%s\" reports: %s", r->tag, r->line);
	r->nline = 0;
}

static void take(struct run *r, const char *p, size_t n)
{
	if (r->capture) {	/* kept whole for the caller, not logged */
		size_t room = r->capmax - 1 - r->ncap;

		n = n < room ? n : room;
		memcpy(r->capture + r->ncap, p, n);
		r->ncap += n;
		r->capture[r->ncap] = 0;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n' || r->nline == sizeof r->line - 1)
			flush_line(r);
		if (p[i] != '\n' && p[i] != '\r')
			r->line[r->nline++] = p[i];
	}
}

/* Read what is there; 0 at end of output. */
static int drain(struct run *r)
{
	char buf[512];
	ssize_t n;

	while ((n = read(r->out, buf, sizeof buf)) > 0)
		take(r, buf, (size_t)n);
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

static void close_out(struct run *r)
{
	if (r->out < 0)
		return;
	flush_line(r);
	loop_fd_del(r->out);
	close(r->out);
	r->out = -1;
}

static void on_output(void *ctx, int fd, int events)
{
	struct run *r = ctx;

	if (!drain(r))
		close_out(r);
}

static void on_timeout(void *ctx)
{
	struct run *r = ctx;

	r->timer = 0;
	r->timed_out = 1;
	log_msg(LOG_LVL_ERR, "agent \"%s\" timed out: killing it", r->tag);
	kill(-r->pid, SIGKILL);
	kill(r->pid, SIGKILL);
}

static void on_exit_(void *ctx, pid_t pid, int status)
{
	struct run *r = ctx;
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : RUN_KILLED;

	if (r->out >= 0)
		drain(r);
	close_out(r);
	loop_timer_cancel(r->timer);
	r->timer = 0;
	r->pid = 0;
	if (!r->keep)
		kill(-pid, SIGKILL);	/* what it left behind in its group */
	if (r->timed_out)
		rc = RUN_TIMEOUT;
	if (r->done)
		r->done(r->ctx, rc);
}

static void child(const char *path, char *const *args, char *const *env,
		  int in, int out)
{
	/* this executable itself runs as "hacluster": argv[1] is its applet */
	char *argv[16] = { (char *)(strcmp(path, RUN_SELF) ? path :
				    "hacluster") };
	int n = 1;

	setpgid(0, 0);
	for (; args && args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(127);
	if (env)
		execve(path, argv, env);
	else
		execv(path, argv);
	fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

static void close2(int p[2])
{
	close(p[0]);
	close(p[1]);
}

int run_start(struct run *r, const char *path, char *const *args,
	      char *const *env, const char *input, int timeout_ms,
	      const char *tag, run_done_fn *done, void *ctx)
{
	int in[2], out[2];

	*r = (struct run){ .out = -1, .done = done, .ctx = ctx };
	snprintf(r->tag, sizeof r->tag, "%s", tag);
	if (pipe2(in, O_CLOEXEC) < 0)
		return log_msg(LOG_LVL_ERR, "cannot run %s: %s", path,
			       strerror(errno)), -1;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close2(in);
		return log_msg(LOG_LVL_ERR, "cannot run %s: %s", path,
			       strerror(errno)), -1;
	}
	if ((r->pid = loop_fork()) < 0) {
		log_msg(LOG_LVL_ERR, "cannot fork for %s: %s", path,
			strerror(errno));
		close2(in);
		close2(out);
		return r->pid = 0, -1;
	}
	if (r->pid == 0)
		child(path, args, env, in[0], out[1]);
	setpgid(r->pid, r->pid);	/* either side may win the race */
	close(in[0]);
	close(out[1]);
	if (input && write(in[1], input, strlen(input)) < 0)
		log_msg(LOG_LVL_WARN, "%s: its input: %s", path,
			strerror(errno));
	close(in[1]);
	r->out = out[0];
	fcntl(r->out, F_SETFL, O_NONBLOCK);
	if (loop_fd_add(r->out, LOOP_READ, on_output, r) < 0 ||
	    loop_child_watch(r->pid, on_exit_, r) < 0 ||
	    (r->timer = loop_timer_add(now_ms() + timeout_ms, on_timeout,
				       r)) < 0) {
		log_msg(LOG_LVL_ERR, "cannot watch %s: too many at once", path);
		run_cancel(r);
		return -1;
	}
	return 0;
}

void run_cancel(struct run *r)
{
	if (!r->pid)
		return;
	kill(-r->pid, SIGKILL);
	kill(r->pid, SIGKILL);
	loop_child_forget(r->pid);	/* reaped, never reported */
	r->pid = 0;
	close_out(r);
	loop_timer_cancel(r->timer);
	r->timer = 0;
}
