/* net/fmt.h - the product's printf engine (subset: see net/fmt.c). */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Where formatted bytes go: buf[0..cap) fills up; when it is full, flush
 * empties it (returns 0, sets len to 0) or, without flush or when flush
 * fails (-1), the rest is counted but dropped and full is set. */
struct fmt_out {
	char *buf;
	size_t cap, len;
	size_t total;			/* bytes produced, kept or not */
	int (*flush)(struct fmt_out *o);
	void *ctx;			/* for flush: a FILE * */
	int fd;				/* for flush: a file descriptor */
	int full;
};

/* Format into o; returns total as an int, or -1 (EOVERFLOW) past
 * INT_MAX.  It does not flush what is left in buf at the end. */
int fmt_core(struct fmt_out *o, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The C functions of the same names without the prefix; in the musl
 * product (HAC_OWN_PRINTF) they are those functions. */
int fmt_vsnprintf(char *s, size_t n, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_vfprintf(FILE *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int fmt_vdprintf(int fd, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
