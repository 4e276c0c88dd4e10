/* net/ctl.h - the control socket's line protocol, server and client.
 *
 * A Unix stream socket (CTL_PATH) carries one request per connection
 * (STYLE.md rule 11):
 *
 *   client: VERB [ARG...]\n                 one line, at most CTL_MAX_LINE
 *   server: zero or more data lines\n
 *           ok\n                            or
 *           err CODE text\n                 CODE: the applet's exit code
 *
 * then the server closes.  A data line that would read as the end ("ok",
 * "err ...") or that starts with '.' is sent with one '.' put in front,
 * which the client strips (SMTP's dot-stuffing), so any text is safe.
 * Arguments are separated by blanks; there is no quoting.
 *
 * The server runs on the event loop (loop.h): at most CTL_MAX_CLIENTS
 * connections, each given CTL_TIMEOUT_MS to send its line and take its
 * reply (a deferred reply: the time its handler allows).  The peer's
 * credentials (SO_PEERCRED) say whether it is root: anyone may read,
 * verbs marked root_only answer "err 1 permission denied" to others. */
#ifndef CTL_H
#define CTL_H

#include <stdint.h>
#include <sys/types.h>
#include "sys.h"

#define CTL_PATH		"/run/hacluster/hacluster.sock"
#define CTL_MAX_LINE		4096	/* request bytes, newline too */
#define CTL_MAX_CLIENTS		16
#define CTL_MAX_ARGS		32
#define CTL_TIMEOUT_MS		5000	/* one whole call */

/* Error codes carried by "err CODE" are exit codes (sys.h: EXIT_*). */

struct ctl_req {
	int root;			/* peer is uid 0 */
	uid_t uid;
	pid_t pid;
	int argc;			/* argv[0] is the verb */
	char *argv[CTL_MAX_ARGS + 1];
	struct buf out;			/* reply so far (ctl_printf) */
	char err[256];			/* set by ctl_fail */
	unsigned ticket;		/* set by ctl_defer */
	int64_t wait_ms;
};

/* A handler writes data lines with ctl_printf() and returns 0 ("ok"),
 * the code of ctl_fail() ("err CODE text") or that of ctl_defer(). */
typedef int ctl_fn(void *ctx, struct ctl_req *r);

struct ctl_verb {
	const char *name;
	ctl_fn *fn;
	int root_only;			/* changes state: root only */
};

/* Bind path (mode 0666: permission is checked per verb), listen and
 * serve on the loop with the caller's verb table (kept, not copied).
 * A stale socket file is replaced; a live server makes it fail with
 * EADDRINUSE.  0, or -1 with errno. */
int ctl_listen(const char *path, const struct ctl_verb *verbs, int nverbs,
	       void *ctx);
/* Close every connection and the listening socket; unlink its path. */
void ctl_shutdown(void);

/* One data line (no newline in fmt; embedded newlines start new lines). */
void ctl_printf(struct ctl_req *r, const char *fmt, ...) PRINTF(2, 3);
/* Record the error text; returns code, for `return ctl_fail(...)`. */
int ctl_fail(struct ctl_req *r, int code, const char *fmt, ...)
	PRINTF(3, 4);

/* A handler that cannot answer yet (a change waiting for its ordered
 * message) returns ctl_defer(r, ms, &ticket) and keeps the ticket: the
 * connection stays open with the lines printed so far until
 * ctl_resume(ticket, ...) ends it, or ms (0: CTL_TIMEOUT_MS) pass and the
 * client gets "err 1 timed out".  A client that hangs up meanwhile is
 * forgotten.  Its client must wait longer than ms (ctl_call's timeout). */
#define CTL_DEFERRED	(-1)
int ctl_defer(struct ctl_req *r, int64_t ms, unsigned *ticket);
/* More data lines (newline-separated, may be NULL), then "ok" (code 0)
 * or "err CODE err".  -1 when the ticket is not waiting (timed out,
 * client gone). */
int ctl_resume(unsigned ticket, const char *lines, int code,
	       const char *err);

/* --- client --------------------------------------------------------------- */
struct ctl_reply {
	struct buf lines;		/* data lines, each ending in '\n' */
	int code;			/* 0: ok, else the CODE of err */
	char err[256];			/* text after "err CODE " */
};

enum { CTL_UNREACHABLE = -1, CTL_BROKEN = -2 };

/* Send one request line (without its newline) to the server at path and
 * read the whole reply within timeout_ms (0: CTL_TIMEOUT_MS).  Returns 0
 * when a reply came (see rep->code), CTL_UNREACHABLE when no server
 * answers at path (errno set), CTL_BROKEN on a timeout or a reply cut
 * short.  rep is filled in every case; free it with ctl_reply_free(). */
int ctl_call(const char *path, const char *request, int timeout_ms,
	     struct ctl_reply *rep);
void ctl_reply_free(struct ctl_reply *rep);
/* 1 when a server listens at path, 0 when none does. */
int ctl_running(const char *path);

/* The value of "key: value" among a reply's data lines, copied into out;
 * NULL when absent. */
const char *ctl_value(const struct ctl_reply *rep, const char *key,
		      char *out, size_t outlen);

#endif
