/* net/sys.h - errors, logging, checked allocation, clocks, whole files. */
#ifndef SYS_H
#define SYS_H

#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Name used as the "prog: " prefix of every message; set by dispatch. */
extern const char *sys_prog;
/* Usage text printed by die_usage(); set by each applet before parsing. */
extern const char *sys_usage;

/* Exit codes shared by the new applets (STYLE.md rule 4). */
enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

void warn_msg(const char *fmt, ...) PRINTF(1, 2);
void warn_sys(const char *fmt, ...) PRINTF(1, 2);
void die(const char *fmt, ...) PRINTF(1, 2) NORETURN;
void die_sys(const char *fmt, ...) PRINTF(1, 2) NORETURN;
void die_usage(const char *fmt, ...) PRINTF(1, 2) NORETURN;
void die_code(int code, const char *fmt, ...) PRINTF(2, 3) NORETURN;
/* getopt_long (opterr 0, optstring starting with ':') returned ret, ':'
 * or '?': name the option as the user wrote it, and why; exit 2. */
void die_option(int ret, int argc, char **argv) NORETURN;
/* The program a name means (fence agents): a path as it is, else the
 * first executable NAME in /usr/sbin, then in $PATH.  0, or -1 when
 * there is none (out then holds the name). */
int sys_find_exec(const char *name, char *out, size_t size);
/* Long options of an applet with no long option but --help. */
extern const struct option help_opt[];

/* Daemon logging: syslog levels; stderr until log_to_syslog() is called. */
enum { LOG_LVL_CRIT = 2, LOG_LVL_ERR = 3, LOG_LVL_WARN = 4, LOG_LVL_NOTICE = 5,
       LOG_LVL_INFO = 6, LOG_LVL_DEBUG = 7 };
void log_msg(int level, const char *fmt, ...) PRINTF(2, 3);
/* From now on log_msg() writes to syslog (facility daemon) as ident,
 * and no longer to stderr. */
void log_to_syslog(const char *ident);
/* Drop messages above level (default LOG_LVL_INFO; LOG_LVL_DEBUG: all). */
void log_set_level(int level);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF(1, 2);
/* s as a JSON string on stdout, quoted and escaped */
void json_str(const char *s);
char *xvasprintf(const char *fmt, va_list ap) PRINTF(1, 0);

/* Monotonic milliseconds; never goes backwards, not wall time. */
int64_t now_ms(void);

/* Parse a whole decimal integer in [lo, hi]; 0 ok, -1 not a number or
 * out of range. */
int parse_int(const char *s, long lo, long hi, long *out);

/* Read a whole file of at most max bytes into a NUL-terminated heap
 * buffer.  Returns NULL with errno set (EFBIG when larger than max). */
char *read_file(const char *path, size_t max, size_t *len);

/* Replace path atomically: write a temp file in the same directory,
 * fsync it, rename it over path, fsync the directory.  On failure the
 * old file is untouched, the temp file removed, errno set, -1 returned.
 * keep, if not NULL, receives the previous file by hard link first. */
int replace_file(const char *path, const void *data, size_t len,
		 unsigned mode, const char *keep);

/* 1 when path (not NULL) is a directory, following links. */
int is_dir(const char *path);

/* fsync the directory holding path. */
int sync_dir_of(const char *path);

/* Growable byte buffer, always NUL-terminated. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_add(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF(2, 3);
/* n bytes of s as a JSON string (quoted, escaped) onto b */
void buf_json(struct buf *b, const char *s, size_t n);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) PRINTF(2, 0);
void buf_free(struct buf *b);

#endif
