/* net/loop.c - the event loop: fds, one-shot timers, signals, children.
 *
 * Shape of redis' ae.c, rewritten small: fixed tables, no allocation per
 * event.  An iteration is
 *
 *   poll(self-pipe + fds, until the earliest deadline)
 *   -> signals (bytes from the self-pipe; SIGCHLD reaps children)
 *   -> stall check (woke far past the earliest deadline?)
 *   -> due timers, earliest first, only those that existed before
 *   -> ready fds, only those still registered as they were polled
 *
 * Timers are a linear table: a node has a handful (token, consensus,
 * agents' timeouts), so a scan of LOOP_MAX_TIMERS beats a heap's code. */
#include "loop.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NSIG_MAX 65

struct fdw {
	int fd, events;
	unsigned serial;
	loop_fd_fn *fn;
	void *ctx;
};

struct timer {
	int id;
	int64_t when;
	loop_timer_fn *fn;
	void *ctx;
};

struct childw {
	pid_t pid;
	loop_child_fn *fn;
	void *ctx;
};

struct sigw {
	loop_signal_fn *fn;
	void *ctx;
	int installed;
	struct sigaction old;
};

static struct {
	int pipe[2];
	int piped, ready, stop, next_id;
	unsigned serial;
	struct fdw fds[LOOP_MAX_FDS];
	struct timer timers[LOOP_MAX_TIMERS];
	struct childw kids[LOOP_MAX_CHILDREN];
	struct sigw sigs[NSIG_MAX];
	loop_child_fn *child_fn;
	void *child_ctx;
	loop_stall_fn *stall_fn;
	void *stall_ctx;
	int64_t stall_ms;
} L;

/* --- signals: the handler only writes the number into the pipe ------------ */
static void on_signal(int sig)
{
	int e = errno;
	unsigned char b = (unsigned char)sig;

	if (write(L.pipe[1], &b, 1) < 0) {
		/* pipe full: the signal is already pending in it */
	}
	errno = e;
}

static int install(int sig, void (*handler)(int))
{
	struct sigaction sa;
	struct sigw *s = &L.sigs[sig];

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | (sig == SIGCHLD ? SA_NOCLDSTOP : 0);
	if (sigaction(sig, &sa, s->installed ? NULL : &s->old) < 0)
		return -1;
	s->installed = 1;
	return 0;
}

static void uninstall(int sig)
{
	struct sigw *s = &L.sigs[sig];

	if (s->installed)
		sigaction(sig, &s->old, NULL);
	*s = (struct sigw){0};
}

pid_t loop_fork(void)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	for (int sig = 1; pid == 0 && sig < NSIG_MAX; sig++)
		if (L.sigs[sig].installed)
			sigaction(sig, &L.sigs[sig].old, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static int set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int loop_init(void)
{
	if (L.ready)
		loop_done();
	if (pipe(L.pipe) < 0)
		return -1;
	L.piped = 1;
	if (set_flags(L.pipe[0]) < 0 || set_flags(L.pipe[1]) < 0 ||
	    install(SIGPIPE, SIG_IGN) < 0 || install(SIGCHLD, on_signal) < 0) {
		int e = errno;
		loop_done();
		errno = e;
		return -1;
	}
	L.ready = 1;
	L.next_id = 1;
	L.stall_ms = LOOP_STALL_MS;
	return 0;
}

void loop_done(void)
{
	for (int s = 1; s < NSIG_MAX; s++)
		uninstall(s);
	for (int i = 0; L.piped && i < 2; i++)
		close(L.pipe[i]);
	memset(&L, 0, sizeof L);
}

int loop_on_signal(int sig, loop_signal_fn *fn, void *ctx)
{
	if (sig <= 0 || sig >= NSIG_MAX || sig == SIGCHLD) {
		errno = EINVAL;
		return -1;
	}
	if (!fn) {
		uninstall(sig);
		return 0;
	}
	L.sigs[sig].fn = fn;
	L.sigs[sig].ctx = ctx;
	return install(sig, on_signal);
}

/* --- children ------------------------------------------------------------- */
int loop_child_watch(pid_t pid, loop_child_fn *fn, void *ctx)
{
	for (int i = 0; i < LOOP_MAX_CHILDREN; i++)
		if (!L.kids[i].pid) {
			L.kids[i] = (struct childw){ pid, fn, ctx };
			return 0;
		}
	return -1;
}

static void forgotten(void *ctx, pid_t pid, int status)
{
}

void loop_child_forget(pid_t pid)
{
	for (int i = 0; i < LOOP_MAX_CHILDREN; i++)
		if (L.kids[i].pid == pid)
			L.kids[i].fn = forgotten;
}

void loop_on_child(loop_child_fn *fn, void *ctx)
{
	L.child_fn = fn;
	L.child_ctx = ctx;
}

static int report_child(pid_t pid, int status)
{
	for (int i = 0; i < LOOP_MAX_CHILDREN; i++)
		if (L.kids[i].pid == pid) {
			struct childw w = L.kids[i];

			L.kids[i].pid = 0;
			w.fn(w.ctx, pid, status);
			return 1;
		}
	if (!L.child_fn)
		return 0;
	L.child_fn(L.child_ctx, pid, status);
	return 1;
}

/* The children that ended, then their callbacks: one that starts a
 * child which ends at once is heard on the next turn, so a line of
 * quick children cannot keep one turn going (timers and packets wait
 * for it).  More than a table's worth: the next turn reaps again. */
static int reap(void)
{
	struct { pid_t pid; int status; } done[LOOP_MAX_CHILDREN];
	int n = 0, k = 0;

	while (k < LOOP_MAX_CHILDREN &&
	       (done[k].pid = waitpid(-1, &done[k].status, WNOHANG)) > 0)
		k++;
	if (k == LOOP_MAX_CHILDREN)
		on_signal(SIGCHLD);
	for (int i = 0; i < k; i++)
		n += report_child(done[i].pid, done[i].status);
	return n;
}

static int dispatch_signals(void)
{
	unsigned char b[64];
	ssize_t got;
	int n = 0, chld = 0;

	while ((got = read(L.pipe[0], b, sizeof b)) > 0)
		for (ssize_t i = 0; i < got; i++) {
			struct sigw *s = &L.sigs[b[i] < NSIG_MAX ? b[i] : 0];

			if (b[i] == SIGCHLD) {
				chld = 1;
			} else if (s->fn) {
				s->fn(s->ctx, b[i]);
				n++;
			}
		}
	return chld ? n + reap() : n;
}

/* --- timers --------------------------------------------------------------- */
int loop_timer_add(int64_t when, loop_timer_fn *fn, void *ctx)
{
	int64_t now = now_ms();

	for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
		struct timer *t = &L.timers[i];

		if (t->id)
			continue;
		*t = (struct timer){ L.next_id, when < now ? now : when, fn,
				     ctx };
		L.next_id = L.next_id == INT32_MAX ? 1 : L.next_id + 1;
		return t->id;
	}
	return -1;
}

void loop_timer_cancel(int id)
{
	for (int i = 0; id > 0 && i < LOOP_MAX_TIMERS; i++)
		if (L.timers[i].id == id)
			L.timers[i].id = 0;
}

int64_t loop_next_deadline(void)
{
	int64_t d = INT64_MAX;

	for (int i = 0; i < LOOP_MAX_TIMERS; i++)
		if (L.timers[i].id && L.timers[i].when < d)
			d = L.timers[i].when;
	return d;
}

/* The earliest timer due at now that is older than limit (created before
 * this dispatch began), or NULL. */
static struct timer *first_due(int64_t now, int limit)
{
	struct timer *best = NULL;

	for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
		struct timer *t = &L.timers[i];

		if (!t->id || t->when > now || t->id >= limit)
			continue;
		if (!best || t->when < best->when ||
		    (t->when == best->when && t->id < best->id))
			best = t;
	}
	return best;
}

static int dispatch_timers(int64_t now)
{
	int limit = L.next_id, n = 0;
	struct timer *t;

	/* ids wrap after 2^31 timers; then every existing timer is older */
	if (limit == 1)
		limit = INT32_MAX;
	while ((t = first_due(now, limit))) {
		struct timer fire = *t;

		t->id = 0;
		fire.fn(fire.ctx);
		n++;
	}
	return n;
}

void loop_on_stall(int64_t late_ms, loop_stall_fn *fn, void *ctx)
{
	L.stall_ms = late_ms > 0 ? late_ms : LOOP_STALL_MS;
	L.stall_fn = fn;
	L.stall_ctx = ctx;
}

/* --- fds ------------------------------------------------------------------ */
static struct fdw *find_fd(int fd)
{
	for (int i = 0; i < LOOP_MAX_FDS; i++)
		if (L.fds[i].fn && L.fds[i].fd == fd)
			return &L.fds[i];
	return NULL;
}

int loop_fd_add(int fd, int events, loop_fd_fn *fn, void *ctx)
{
	struct fdw *w = find_fd(fd);

	for (int i = 0; !w && i < LOOP_MAX_FDS; i++)
		if (!L.fds[i].fn)
			w = &L.fds[i];
	if (!w || fd < 0 || !fn)
		return -1;
	*w = (struct fdw){ fd, events, ++L.serial, fn, ctx };
	return 0;
}

int loop_fd_events(int fd, int events)
{
	struct fdw *w = find_fd(fd);

	if (!w)
		return -1;
	w->events = events;
	return 0;
}

void loop_fd_del(int fd)
{
	struct fdw *w = find_fd(fd);

	if (w)
		*w = (struct fdw){0};
}

static int to_poll(int events)
{
	return (events & LOOP_READ ? POLLIN : 0) |
	       (events & LOOP_WRITE ? POLLOUT : 0);
}

static int from_poll(int revents)
{
	return (revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL) ?
		LOOP_READ : 0) | (revents & POLLOUT ? LOOP_WRITE : 0);
}

/* Fill pfd (self-pipe first) and the serial of each watched fd. */
static int fill(struct pollfd *pfd, unsigned *serial)
{
	int n = 1;

	pfd[0] = (struct pollfd){ .fd = L.pipe[0], .events = POLLIN };
	for (int i = 0; i < LOOP_MAX_FDS; i++) {
		struct fdw *w = &L.fds[i];

		if (!w->fn || !w->events)
			continue;
		pfd[n] = (struct pollfd){ .fd = w->fd,
					  .events = (short)to_poll(w->events) };
		serial[n++] = w->serial;
	}
	return n;
}

static int dispatch_fds(const struct pollfd *pfd, const unsigned *serial,
			int n)
{
	int ran = 0;

	for (int i = 1; i < n; i++) {
		struct fdw *w = find_fd(pfd[i].fd);
		int ev = from_poll(pfd[i].revents);

		if (!ev || !w || w->serial != serial[i])
			continue;
		if (!(w->events & LOOP_WRITE))
			ev &= ~LOOP_WRITE;
		w->fn(w->ctx, w->fd, ev);
		ran++;
	}
	return ran;
}

/* --- the iteration -------------------------------------------------------- */
static int wait_ms(int64_t deadline, int64_t max_ms)
{
	int64_t t = deadline == INT64_MAX ? -1 : deadline - now_ms();

	if (deadline != INT64_MAX && t < 0)
		t = 0;
	if (max_ms >= 0 && (t < 0 || t > max_ms))
		t = max_ms;
	return t > INT32_MAX ? INT32_MAX : (int)t;
}

static int check_stall(int64_t deadline, int64_t now)
{
	if (deadline == INT64_MAX || now - deadline <= L.stall_ms ||
	    !L.stall_fn)
		return 0;
	L.stall_fn(L.stall_ctx, now - deadline);
	return 1;
}

int loop_once(int64_t max_ms)
{
	struct pollfd pfd[LOOP_MAX_FDS + 1];
	unsigned serial[LOOP_MAX_FDS + 1];
	int64_t deadline = loop_next_deadline();
	int n = fill(pfd, serial), rc, ran = 0;

	rc = poll(pfd, (nfds_t)n, wait_ms(deadline, max_ms));
	if (rc < 0) {
		if (errno != EINTR)
			log_msg(LOG_LVL_ERR, "poll: %s", strerror(errno));
		for (int i = 0; i < n; i++)
			pfd[i].revents = 0;
	}
	if (pfd[0].revents & POLLIN)
		ran += dispatch_signals();
	int64_t now = now_ms();
	ran += check_stall(deadline, now);
	ran += dispatch_timers(now);
	ran += dispatch_fds(pfd, serial, n);
	return ran;
}

int loop_run(void)
{
	L.stop = 0;
	while (!L.stop)
		loop_once(-1);
	L.stop = 0;
	return 0;
}

void loop_stop(void)
{
	L.stop = 1;
}
