/* net/sys.c - errors, logging, checked allocation, clocks, whole files. */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

const char *sys_prog = "hacluster";
const char *sys_usage;

static void vmsg(const char *fmt, va_list ap, int err)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", sys_prog);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

#define VMSG(fmt, err) do { va_list ap; va_start(ap, fmt); \
	vmsg(fmt, ap, err); va_end(ap); } while (0)

void warn_msg(const char *fmt, ...) { VMSG(fmt, 0); }
void warn_sys(const char *fmt, ...) { int e = errno; VMSG(fmt, e); }
void die(const char *fmt, ...) { VMSG(fmt, 0); exit(EXIT_REFUSED); }
void die_sys(const char *fmt, ...) { int e = errno; VMSG(fmt, e); exit(1); }

void die_code(int code, const char *fmt, ...)
{
	VMSG(fmt, 0);
	exit(code);
}

void die_usage(const char *fmt, ...)
{
	VMSG(fmt, 0);
	if (sys_usage)
		fprintf(stderr, "%.*s\n", (int)strcspn(sys_usage, "\n"),
			sys_usage);
	exit(EXIT_USAGE);
}

const struct option help_opt[] = {
	{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 }
};

void die_option(int ret, int argc, char **argv)
{
	const char *arg = optind <= argc ? argv[optind - 1] : "";
	char opt[64];

	if (arg[0] == '-' && arg[1] == '-')
		snprintf(opt, sizeof opt, "%.*s", (int)strcspn(arg, "="), arg);
	else
		snprintf(opt, sizeof opt, "-%c", optopt);
	if (ret == ':')
		die_usage("option %s needs an argument", opt);
	die_usage("unknown option %s", opt);
}

/* Syslog is spoken directly: one datagram "<PRI>IDENT[PID]: text" to
 * /dev/log, which every syslog daemon and journald accept and stamp with
 * their own time.  libc's syslog() would pull in strftime and the time
 * zone code only to write a stamp the receiver replaces. */
static struct {
	int fd, max;
	const char *ident;
} lg = { -1, LOG_LVL_INFO, NULL };

enum { FACILITY_DAEMON = 3 << 3 };

void log_to_syslog(const char *ident)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	strcpy(sa.sun_path, "/dev/log");
	lg.ident = ident;
	lg.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (lg.fd >= 0 && connect(lg.fd, (struct sockaddr *)&sa,
				  sizeof sa) < 0) {
		close(lg.fd);
		lg.fd = -1;
	}
}

/* One message to /dev/log; stderr if there is no syslog to take it. */
static void to_syslog(int level, const char *fmt, va_list ap)
{
	struct buf b = {0};

	buf_printf(&b, "<%d>%s[%d]: ", FACILITY_DAEMON | level, lg.ident,
		   (int)getpid());
	buf_vprintf(&b, fmt, ap);
	if (send(lg.fd, b.p, b.len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		fprintf(stderr, "%s\n", b.p);
	buf_free(&b);
}

void log_set_level(int level)
{
	lg.max = level;
}

void log_msg(int level, const char *fmt, ...)
{
	static const char *const tag[] = {
		[LOG_LVL_CRIT] = "critical",
		[LOG_LVL_ERR] = "error", [LOG_LVL_WARN] = "warning",
		[LOG_LVL_NOTICE] = "notice", [LOG_LVL_INFO] = "info",
		[LOG_LVL_DEBUG] = "debug",
	};
	va_list ap;

	if (level < LOG_LVL_CRIT || level > LOG_LVL_DEBUG)
		level = LOG_LVL_ERR;
	if (level > lg.max)
		return;
	va_start(ap, fmt);
	if (lg.fd >= 0) {
		to_syslog(level, fmt, ap);
	} else {
		fprintf(stderr, "%s[%d] %s: ", sys_prog, (int)getpid(),
			tag[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static void *checked(void *p)
{
	if (!p)
		die("out of memory");
	return p;
}

void *xmalloc(size_t n) { return checked(malloc(n ? n : 1)); }
void *xcalloc(size_t n, size_t sz) { return checked(calloc(n ? n : 1, sz)); }
void *xrealloc(void *p, size_t n) { return checked(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return checked(strdup(s)); }
char *xstrndup(const char *s, size_t n) { return checked(strndup(s, n)); }

char *xvasprintf(const char *fmt, va_list ap)
{
	struct buf b = {0};

	buf_vprintf(&b, fmt, ap);
	buf_add(&b, "", 0);
	return b.p;
}

void buf_json(struct buf *b, const char *s, size_t n)
{
	buf_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_add(b, &s[i], 1);
	}
	buf_add(b, "\"", 1);
}

void json_str(const char *s)
{
	struct buf b = { 0 };

	buf_json(&b, s, strlen(s));
	fputs(b.p, stdout);
	buf_free(&b);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

char *read_file(const char *path, size_t max, size_t *len)
{
	struct buf b = {0};
	char chunk[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b.len + (size_t)n > max) {
			int e = n < 0 ? errno : EFBIG;
			close(fd);
			buf_free(&b);
			errno = e;
			return NULL;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	buf_add(&b, "", 0);
	if (len)
		*len = b.len;
	return b.p;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 :
				     (size_t)(slash - path)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : fsync(fd);

	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

int is_dir(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int replace_file(const char *path, const void *data, size_t len,
		 unsigned mode, const char *keep)
{
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	int e;

	if (fd < 0)
		goto fail;
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		e = errno;
		close(fd);
		errno = e;
		goto fail;
	}
	if (close(fd) < 0)
		goto fail;
	if (keep && (unlink(keep) < 0 && errno != ENOENT))
		goto fail;
	if (keep && link(path, keep) < 0 && errno != ENOENT)
		goto fail;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return sync_dir_of(path);
fail:
	e = errno;
	unlink(tmp);
	free(tmp);
	errno = e;
	return -1;
}

static void buf_grow(struct buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;

	if (b->len + n + 1 <= b->cap)
		return;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_free(struct buf *b)
{
	free(b->p);
	*b = (struct buf){0};
}

static int executable(const char *path)
{
	return access(path, X_OK) == 0;
}

int sys_find_exec(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char dirs[1024];

	snprintf(out, size, "%s", name);
	if (strchr(name, '/'))
		return executable(name) ? 0 : -1;
	snprintf(dirs, sizeof dirs, "/usr/sbin:%s", path ? path : "/bin");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/%s", d, name);
		if (executable(out))
			return 0;
	}
	snprintf(out, size, "%s", name);
	return -1;
}
