/* net/ctl.c - the control socket's line protocol, server and client.
 *
 * Server: the listening socket and up to CTL_MAX_CLIENTS connections sit
 * on the event loop, all non-blocking.  A connection lives through
 *
 *   reading (until '\n')
 *   -> one call of the verb's handler, reply built in memory
 *   -> writing (as the socket accepts it) -> closed
 *
 * and a timer drops it CTL_TIMEOUT_MS after it was accepted, whatever it
 * was doing, so a slow or silent client costs one slot for a while and
 * never blocks the loop.
 * Client: blocking calls bounded by SO_SNDTIMEO/SO_RCVTIMEO against one
 * deadline; a CLI has nothing else to do while it waits. */
#include "ctl.h"
#include "loop.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct client {
	int used, fd;
	int timer;
	int done;			/* request handled: writing */
	unsigned ticket;		/* deferred: waiting for ctl_resume */
	size_t inlen, sent;
	char in[CTL_MAX_LINE + 1];
	struct buf out;
	struct ucred cred;
};

static struct {
	int on, fd;			/* on: listening on fd */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct ctl_verb *verbs;
	int nverbs;
	void *ctx;
	unsigned tickets;
	struct client c[CTL_MAX_CLIENTS];
} S;

/* --- reply lines ---------------------------------------------------------- */
static int needs_dot(const char *l, size_t n)
{
	return (n && l[0] == '.') || (n == 2 && !memcmp(l, "ok", 2)) ||
	       (n >= 4 && !memcmp(l, "err ", 4)) || (n == 3 &&
						     !memcmp(l, "err", 3));
}

static void add_line(struct buf *b, const char *l, size_t n)
{
	if (needs_dot(l, n))
		buf_add(b, ".", 1);
	buf_add(b, l, n);
	buf_add(b, "\n", 1);
}

void ctl_printf(struct ctl_req *r, const char *fmt, ...)
{
	struct buf t = {0};
	const char *p, *nl;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&t, fmt, ap);
	va_end(ap);
	buf_add(&t, "", 0);
	for (p = t.p; (nl = strchr(p, '\n')); p = nl + 1)
		add_line(&r->out, p, (size_t)(nl - p));
	add_line(&r->out, p, strlen(p));
	buf_free(&t);
}

int ctl_fail(struct ctl_req *r, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	for (char *p = r->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return code;
}

/* --- server: connections -------------------------------------------------- */
static void drop(struct client *c)
{
	loop_fd_del(c->fd);
	loop_timer_cancel(c->timer);
	close(c->fd);
	buf_free(&c->out);
	c->used = 0;
}

static void flush(struct client *c)
{
	while (c->sent < c->out.len) {
		ssize_t n = send(c->fd, c->out.p + c->sent,
				 c->out.len - c->sent, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			loop_fd_events(c->fd, LOOP_WRITE);
			return;
		}
		if (n < 0)
			break;
		c->sent += (size_t)n;
	}
	drop(c);
}

static const struct ctl_verb *find_verb(const char *name)
{
	for (int i = 0; i < S.nverbs; i++)
		if (!strcmp(S.verbs[i].name, name))
			return &S.verbs[i];
	return NULL;
}

static int split(char *line, struct ctl_req *r)
{
	char *save = NULL;

	for (char *w = strtok_r(line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (r->argc == CTL_MAX_ARGS)
			return -1;
		r->argv[r->argc++] = w;
	}
	r->argv[r->argc] = NULL;
	return 0;
}

static int call(struct ctl_req *r, char *line)
{
	const struct ctl_verb *v;

	if (split(line, r) < 0)
		return ctl_fail(r, EXIT_USAGE, "too many arguments");
	if (!r->argc)
		return ctl_fail(r, EXIT_USAGE, "empty request");
	if (!(v = find_verb(r->argv[0])))
		return ctl_fail(r, EXIT_USAGE, "unknown verb '%s'",
				r->argv[0]);
	if (v->root_only && !r->root)
		return ctl_fail(r, EXIT_REFUSED, "permission denied");
	return v->fn(S.ctx, r);
}

static void on_timeout(void *ctx);

/* Keep the connection (reading only for a hang-up) until ctl_resume. */
static void park(struct client *c, const struct ctl_req *r)
{
	int64_t ms = r->wait_ms > 0 ? r->wait_ms : CTL_TIMEOUT_MS;

	c->out = r->out;
	c->ticket = r->ticket;
	loop_timer_cancel(c->timer);
	c->timer = loop_timer_add(now_ms() + ms, on_timeout, c);
}

static void finish(struct client *c, int code, const char *err)
{
	if (code)
		buf_printf(&c->out, "err %d %s\n", code, err[0] ? err :
			   "failed");
	else
		buf_puts(&c->out, "ok\n");
	c->ticket = 0;
	c->done = 1;
	loop_fd_events(c->fd, 0);
	flush(c);
}

/* Run the request and queue its whole reply (or park it). */
static void answer(struct client *c, char *line)
{
	struct ctl_req r = { .root = c->cred.uid == 0, .uid = c->cred.uid,
			     .pid = c->cred.pid };
	int code = call(&r, line);

	if (code == CTL_DEFERRED && r.ticket) {
		park(c, &r);
		return;
	}
	c->out = r.out;
	finish(c, code == CTL_DEFERRED ? EXIT_REFUSED : code, r.err);
}

int ctl_defer(struct ctl_req *r, int64_t ms, unsigned *ticket)
{
	if (++S.tickets == 0)
		S.tickets = 1;
	r->ticket = *ticket = S.tickets;
	r->wait_ms = ms;
	return CTL_DEFERRED;
}

int ctl_resume(unsigned ticket, const char *lines, int code,
	       const char *err)
{
	for (int i = 0; ticket && i < CTL_MAX_CLIENTS; i++) {
		struct client *c = &S.c[i];
		const char *p = lines, *nl;

		if (!c->used || c->ticket != ticket)
			continue;
		for (; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
			nl = strchr(p, '\n');
			add_line(&c->out, p, nl ? (size_t)(nl - p) :
				 strlen(p));
		}
		finish(c, code, err ? err : "");
		return 0;
	}
	return -1;
}

/* A parked client may only hang up; anything it sends is ignored. */
static void parked_input(struct client *c)
{
	char junk[256];
	ssize_t n = recv(c->fd, junk, sizeof junk, 0);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		drop(c);
}

static void reject(struct client *c, const char *text)
{
	buf_printf(&c->out, "err %d %s\n", EXIT_USAGE, text);
	c->done = 1;
	loop_fd_events(c->fd, 0);
	flush(c);
}

static void take_input(struct client *c)
{
	ssize_t n = recv(c->fd, c->in + c->inlen, CTL_MAX_LINE - c->inlen, 0);
	char *nl;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(c);
		return;
	}
	c->inlen += (size_t)n;
	c->in[c->inlen] = 0;
	if ((nl = memchr(c->in, '\n', c->inlen))) {
		*nl = 0;
		answer(c, c->in);
	} else if (memchr(c->in, 0, c->inlen)) {
		reject(c, "NUL byte in request");
	} else if (c->inlen == CTL_MAX_LINE) {
		reject(c, "request too long");
	}
}

static void on_client(void *ctx, int fd, int events)
{
	struct client *c = ctx;

	if (c->done && (events & (LOOP_WRITE | LOOP_READ)))
		flush(c);
	else if (c->ticket && (events & LOOP_READ))
		parked_input(c);
	else if (events & LOOP_READ)
		take_input(c);
}

static void on_timeout(void *ctx)
{
	struct client *c = ctx;

	c->timer = 0;
	if (c->used && c->ticket)
		finish(c, EXIT_REFUSED, "timed out");
	else if (c->used)
		drop(c);
}

static struct client *free_slot(void)
{
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (!S.c[i].used)
			return &S.c[i];
	return NULL;
}

static void busy(int fd)
{
	static const char msg[] = "err 1 too many clients\n";

	if (send(fd, msg, sizeof msg - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		/* the client sees the connection closed */
	}
	close(fd);
}

static void admit(int fd)
{
	struct client *c = free_slot();
	socklen_t len = sizeof c->cred;

	if (!c) {
		busy(fd);
		return;
	}
	*c = (struct client){ .used = 1, .fd = fd };
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c->cred, &len) < 0)
		c->cred.uid = (uid_t)-1;	/* unknown: not root */
	if (loop_fd_add(fd, LOOP_READ, on_client, c) < 0) {
		c->used = 0;
		busy(fd);
		return;
	}
	c->timer = loop_timer_add(now_ms() + CTL_TIMEOUT_MS, on_timeout, c);
}

static void on_listen(void *ctx, int lfd, int events)
{
	for (int i = 0; i < CTL_MAX_CLIENTS; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_msg(LOG_LVL_WARN, "control socket: "
					"accept: %s", strerror(errno));
			return;
		}
		admit(fd);
	}
}

/* --- server: the socket --------------------------------------------------- */
static int fill_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof a->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a->sun_path, path);
	return 0;
}

/* 1 when a server answers at a, 0 when nothing does. */
static int alive(const struct sockaddr_un *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc = fd >= 0 && connect(fd, (const struct sockaddr *)a,
				    sizeof *a) == 0;

	if (fd >= 0)
		close(fd);
	return rc;
}

static int bind_listen(const struct sockaddr_un *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -1;
	if (bind(fd, (const struct sockaddr *)a, sizeof *a) < 0 ||
	    chmod(a->sun_path, 0666) < 0 || listen(fd, 32) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int ctl_listen(const char *path, const struct ctl_verb *verbs, int nverbs,
	       void *ctx)
{
	struct sockaddr_un a;
	int fd;

	if (fill_addr(&a, path) < 0)
		return -1;
	if (alive(&a)) {
		errno = EADDRINUSE;
		return -1;
	}
	unlink(path);
	if ((fd = bind_listen(&a)) < 0)
		return -1;
	if (loop_fd_add(fd, LOOP_READ, on_listen, NULL) < 0) {
		close(fd);
		unlink(path);
		errno = EMFILE;
		return -1;
	}
	S.on = 1;
	S.fd = fd;
	strcpy(S.path, path);
	S.verbs = verbs;
	S.nverbs = nverbs;
	S.ctx = ctx;
	return 0;
}

void ctl_shutdown(void)
{
	if (!S.on)
		return;
	for (int i = 0; i < CTL_MAX_CLIENTS; i++)
		if (S.c[i].used)
			drop(&S.c[i]);
	loop_fd_del(S.fd);
	close(S.fd);
	unlink(S.path);
	S.on = 0;
}

/* --- client --------------------------------------------------------------- */
static void set_timeout(int fd, int64_t ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	if (ms <= 0)
		tv.tv_usec = 1000;	/* 0 would mean "forever" */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int connect_to(const char *path, int64_t ms)
{
	struct sockaddr_un a;
	int fd, e;

	if (fill_addr(&a, path) < 0)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	set_timeout(fd, ms);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
		return fd;
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One reply line: 1 it ended the reply, 0 data. */
static int parse_line(struct ctl_reply *rep, const char *l)
{
	long code;
	char *end;

	if (l[0] == '.') {
		buf_printf(&rep->lines, "%s\n", l + 1);
		return 0;
	}
	if (!strcmp(l, "ok")) {
		rep->code = 0;
		return 1;
	}
	if (strncmp(l, "err ", 4)) {
		buf_printf(&rep->lines, "%s\n", l);
		return 0;
	}
	code = strtol(l + 4, &end, 10);
	rep->code = code > 0 && code < 256 ? (int)code : EXIT_REFUSED;
	snprintf(rep->err, sizeof rep->err, "%s", *end == ' ' ? end + 1 : end);
	return 1;
}

/* Feed the complete lines of in to parse_line; keep the rest. */
static int take_lines(struct ctl_reply *rep, struct buf *in)
{
	char *p = in->p, *nl;
	int end = 0;

	while (!end && (nl = memchr(p, '\n', in->len - (size_t)(p - in->p)))) {
		*nl = 0;
		end = parse_line(rep, p);
		p = nl + 1;
	}
	memmove(in->p, p, in->len - (size_t)(p - in->p));
	in->len -= (size_t)(p - in->p);
	return end;
}

static int read_reply(int fd, int64_t deadline, struct ctl_reply *rep)
{
	struct buf in = {0};
	char chunk[4096];
	int end = 0;

	buf_add(&in, "", 0);
	while (!end) {
		int64_t left = deadline - now_ms();
		ssize_t n;

		if (left <= 0)
			break;
		set_timeout(fd, left);
		n = recv(fd, chunk, sizeof chunk, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(&in, chunk, (size_t)n);
		end = take_lines(rep, &in);
	}
	buf_free(&in);
	return end ? 0 : CTL_BROKEN;
}

int ctl_call(const char *path, const char *request, int timeout_ms,
	     struct ctl_reply *rep)
{
	int64_t ms = timeout_ms > 0 ? timeout_ms : CTL_TIMEOUT_MS;
	int64_t deadline = now_ms() + ms;
	char *line = xasprintf("%s\n", request);
	int fd, rc;

	*rep = (struct ctl_reply){ .code = EXIT_UNREACHABLE };
	buf_add(&rep->lines, "", 0);
	if ((fd = connect_to(path, ms)) < 0) {
		int e = errno;
		free(line);
		errno = e;
		return CTL_UNREACHABLE;
	}
	/* a server that refuses (too many clients) may close before it
	 * reads: its reply is still there to read after a failed send */
	send_all(fd, line, strlen(line));
	rc = read_reply(fd, deadline, rep);
	if (rc == CTL_BROKEN)
		rep->code = EXIT_UNREACHABLE;
	close(fd);
	free(line);
	return rc;
}

int ctl_running(const char *path)
{
	struct sockaddr_un a;

	return fill_addr(&a, path) == 0 && alive(&a);
}

void ctl_reply_free(struct ctl_reply *rep)
{
	buf_free(&rep->lines);
}

const char *ctl_value(const struct ctl_reply *rep, const char *key,
		      char *out, size_t outlen)
{
	size_t k = strlen(key);

	for (const char *l = rep->lines.p; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		if (n > k && !strncmp(l, key, k) && l[k] == ':') {
			size_t skip = k + 1 + (n > k + 1 && l[k + 1] == ' ');

			snprintf(out, outlen, "%.*s", (int)(n - skip),
				 l + skip);
			return out;
		}
		l = nl ? nl + 1 : l + n;
	}
	return NULL;
}
