/* net/fmt.c - printf formatting: the one engine under the product's printf.
 *
 * musl's vfprintf.lo is 10.5 KB, most of it floating point, positional
 * arguments and wide characters that hacluster never prints.  This file
 * formats what the product's format strings use, by C's rules.  In the
 * musl product (built with -DHAC_OWN_PRINTF) its functions are also libc's
 * vsnprintf, vfprintf and vdprintf, into which musl's printf, fprintf,
 * snprintf, sprintf, asprintf and dprintf all lead, so musl's engine is
 * not linked; everywhere else (glibc, ASan, fuzzers, the printf oracle
 * test/tool_fmt.c) it only defines the fmt_ names.
 *
 * Supported, as C99 defines them:
 *   flags       -  +  space  #  0
 *   width       digits, or * (a negative one means - and its magnitude)
 *   precision   .digits, or .* (a negative one means none)
 *   length      hh h l ll z j t, on d i u x X o only
 *   conversion  d i u x X o c s p %
 * %s of NULL prints "(null)", cut by the precision like any string; %s
 * with a precision reads no byte past it.  %p is %#lx, "(nil)" for NULL
 * (glibc's choice).
 * Not supported: floating point (a A e E f F g G), %n, %m, %lc, %ls,
 * positional arguments (%1$d), the L and q lengths.  From the first
 * unsupported directive on, the rest of the format is copied out verbatim
 * and no further argument is read: the text is visibly wrong, and nothing
 * is read from the wrong argument.  Flags that C leaves undefined for a
 * conversion (%#d, %0s, %+u, %+p) print something, not necessarily what
 * glibc prints.  The product is single-threaded: a vfprintf may reach the
 * FILE in several fwrite calls of at most FMT_CHUNK bytes.
 */
#include "fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define FMT_CHUNK 256

/* In the order of flag_chars: flag f is bit (1 << index). */
enum { F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };
static const char flag_chars[] = "-+ #0";

/* In the order of len_mods, where "hh" precedes "h" and "ll" "l". */
enum len { L_NONE, L_HH, L_H, L_LL, L_L, L_Z, L_J, L_T, L_END };
static const char len_mods[L_END][3] = {
	[L_HH] = "hh", [L_H] = "h", [L_LL] = "ll", [L_L] = "l",
	[L_Z] = "z", [L_J] = "j", [L_T] = "t",
};

struct spec {
	unsigned flags;
	size_t width;
	int prec;		/* -1: none */
	enum len len;
	char conv;
};

/* --- output --------------------------------------------------------------- */

static void put(struct fmt_out *o, const char *p, size_t n)
{
	o->total += n;
	while (n && !o->full) {
		size_t k = o->cap - o->len;

		if (!k) {
			if (!o->flush || o->flush(o) < 0)
				o->full = 1;
			continue;
		}
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, p, k);
		o->len += k;
		p += k;
		n -= k;
	}
}

/* n copies of c; once nothing more is kept, only counted. */
static void fill(struct fmt_out *o, char c, size_t n)
{
	char run[16];
	size_t k;

	memset(run, c, sizeof run);
	for (; n && !o->full; n -= k) {
		k = n < sizeof run ? n : sizeof run;
		put(o, run, k);
	}
	o->total += n;
}

/* One converted field: prefix, zeros and body, padded to the width. */
static void field(struct fmt_out *o, const struct spec *sp, const char *pre,
		  size_t zeros, const char *body, size_t n)
{
	size_t npre = strlen(pre), used = npre + zeros + n;
	size_t pad = sp->width > used ? sp->width - used : 0;

	if (!(sp->flags & F_MINUS))
		fill(o, ' ', pad);
	put(o, pre, npre);
	fill(o, '0', zeros);
	put(o, body, n);
	if (sp->flags & F_MINUS)
		fill(o, ' ', pad);
}

/* --- arguments ------------------------------------------------------------ */

/* A signed integer argument of the given length: magnitude and sign. */
static uintmax_t signed_arg(va_list *ap, enum len len, int *neg)
{
	intmax_t v;

	switch (len) {
	case L_HH: v = (signed char)va_arg(*ap, int); break;
	case L_H: v = (short)va_arg(*ap, int); break;
	case L_L: v = va_arg(*ap, long); break;
	case L_LL: v = va_arg(*ap, long long); break;
	case L_Z: v = va_arg(*ap, ssize_t); break;
	case L_J: v = va_arg(*ap, intmax_t); break;
	case L_T: v = va_arg(*ap, ptrdiff_t); break;
	default: v = va_arg(*ap, int); break;
	}
	*neg = v < 0;
	return *neg ? -(uintmax_t)v : (uintmax_t)v;
}

static uintmax_t unsigned_arg(va_list *ap, enum len len)
{
	switch (len) {
	case L_HH: return (unsigned char)va_arg(*ap, unsigned);
	case L_H: return (unsigned short)va_arg(*ap, unsigned);
	case L_L: return va_arg(*ap, unsigned long);
	case L_LL: return va_arg(*ap, unsigned long long);
	case L_Z: case L_T: return va_arg(*ap, size_t);
	case L_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned);
	}
}

/* --- conversions ---------------------------------------------------------- */

static const char *prefix(const struct spec *sp, uintmax_t v, int neg)
{
	switch (sp->conv) {
	case 'd': case 'i':
		return neg ? "-" : sp->flags & F_PLUS ? "+" :
		       sp->flags & F_SPACE ? " " : "";
	case 'x': return v && sp->flags & F_ALT ? "0x" : "";
	case 'X': return v && sp->flags & F_ALT ? "0X" : "";
	case 'p': return "0x";
	}
	return "";
}

static void integer(struct fmt_out *o, const struct spec *sp, uintmax_t v,
		    int neg)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";
	unsigned base = sp->conv == 'o' ? 8 : strchr("xXp", sp->conv) ? 16 : 10;
	const char *set = digits + (sp->conv == 'X' ? 16 : 0);
	const char *pre = prefix(sp, v, neg);
	char buf[3 * sizeof v], *d = buf + sizeof buf;
	size_t n, zeros, prec = sp->prec < 0 ? 1 : (size_t)sp->prec;

	for (uintmax_t x = v; x; x /= base)
		*--d = set[x % base];
	n = (size_t)(buf + sizeof buf - d);
	if (base == 8 && sp->flags & F_ALT && prec <= n)
		prec = n + 1;
	zeros = prec > n ? prec - n : 0;
	if ((sp->flags & (F_ZERO | F_MINUS)) == F_ZERO && sp->prec < 0 &&
	    sp->width > strlen(pre) + n)
		zeros = sp->width - strlen(pre) - n;
	field(o, sp, pre, zeros, d, n);
}

static void string(struct fmt_out *o, const struct spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	field(o, sp, "", 0, s,
	      sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec));
}

static void convert(struct fmt_out *o, const struct spec *sp, va_list *ap)
{
	uintmax_t v;
	int neg = 0;
	char c;

	switch (sp->conv) {
	case '%':
		put(o, "%", 1);
		return;
	case 'c':
		c = (char)va_arg(*ap, int);
		field(o, sp, "", 0, &c, 1);
		return;
	case 's':
		string(o, sp, va_arg(*ap, const char *));
		return;
	case 'p':
		v = (uintptr_t)va_arg(*ap, void *);
		if (!v)
			field(o, sp, "", 0, "(nil)", 5);
		else
			integer(o, sp, v, 0);
		return;
	case 'd': case 'i':
		v = signed_arg(ap, sp->len, &neg);
		break;
	default:
		v = unsigned_arg(ap, sp->len);
		break;
	}
	integer(o, sp, v, neg);
}

/* --- directives ----------------------------------------------------------- */

/* A decimal number of the format, saturated at INT_MAX. */
static int number(const char **p)
{
	int n = 0, d;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		d = **p - '0';
		n = n > (INT_MAX - d) / 10 ? INT_MAX : n * 10 + d;
	}
	return n;
}

static const char *length(const char *p, enum len *len)
{
	for (int i = L_NONE + 1; i < L_END; i++) {
		size_t k = strlen(len_mods[i]);

		if (!strncmp(p, len_mods[i], k)) {
			*len = (enum len)i;
			return p + k;
		}
	}
	*len = L_NONE;
	return p;
}

static int supported(const struct spec *sp)
{
	if (!sp->conv || !strchr("diuxXocsp%", sp->conv))
		return 0;
	return sp->len == L_NONE || strchr("diuxXo", sp->conv);
}

/* Parse the directive after a '%' (reading the arguments of its stars).
 * Returns the end of the directive, or NULL if it is not supported. */
static const char *parse(const char *p, struct spec *sp, va_list *ap)
{
	const char *f;
	int w;

	*sp = (struct spec){ .prec = -1 };
	for (; *p && (f = strchr(flag_chars, *p)); p++)
		sp->flags |= 1u << (f - flag_chars);
	w = *p == '*' ? (p++, va_arg(*ap, int)) : number(&p);
	if (w < 0)
		sp->flags |= F_MINUS;
	sp->width = w < 0 ? 0u - (unsigned)w : (unsigned)w;
	if (*p == '.') {
		p++;
		sp->prec = *p == '*' ? (p++, va_arg(*ap, int)) : number(&p);
		if (sp->prec < 0)
			sp->prec = -1;
	}
	p = length(p, &sp->len);
	sp->conv = *p;
	return supported(sp) ? p + 1 : NULL;
}

int fmt_core(struct fmt_out *o, const char *fmt, va_list ap)
{
	const char *pct, *next;
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt = next) {
		pct = strchrnul(fmt, '%');
		put(o, fmt, (size_t)(pct - fmt));
		if (!*pct)
			break;
		next = parse(pct + 1, &sp, &args);
		if (!next) {
			put(o, pct, strlen(pct));
			break;
		}
		convert(o, &sp, &args);
	}
	va_end(args);
	if (o->total > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o->total;
}

/* --- the C interface ------------------------------------------------------ */

int fmt_vsnprintf(char *s, size_t n, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = s, .cap = n ? n - 1 : 0 };
	int r = fmt_core(&o, fmt, ap);

	if (n)
		s[o.len] = 0;
	return r;
}

static int to_file(struct fmt_out *o)
{
	size_t n = o->len;

	o->len = 0;
	return fwrite(o->buf, 1, n, o->ctx) == n ? 0 : -1;
}

static int to_fd(struct fmt_out *o)
{
	const char *p = o->buf;
	size_t n = o->len;
	ssize_t k;

	o->len = 0;
	while (n) {
		k = write(o->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* After fmt_core into a flushing sink: write out the rest. */
static int finish(struct fmt_out *o, int r)
{
	if (!o->full && o->len && o->flush(o) < 0)
		o->full = 1;
	return o->full ? -1 : r;
}

int fmt_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char chunk[FMT_CHUNK];
	struct fmt_out o = { .buf = chunk, .cap = sizeof chunk,
			     .flush = to_file, .ctx = f };

	return finish(&o, fmt_core(&o, fmt, ap));
}

int fmt_vdprintf(int fd, const char *fmt, va_list ap)
{
	char chunk[FMT_CHUNK];
	struct fmt_out o = { .buf = chunk, .cap = sizeof chunk,
			     .flush = to_fd, .fd = fd };

	return finish(&o, fmt_core(&o, fmt, ap));
}

#ifdef HAC_OWN_PRINTF
#ifdef __GLIBC__
#error "HAC_OWN_PRINTF replaces libc's printf engine: musl builds only"
#endif
/* libc's names, so that musl's vfprintf.lo is not linked. */
int vsnprintf(char *restrict s, size_t n, const char *restrict fmt,
	      va_list ap) __attribute__((alias("fmt_vsnprintf")));
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
	__attribute__((alias("fmt_vfprintf")));
int vdprintf(int fd, const char *restrict fmt, va_list ap)
	__attribute__((alias("fmt_vdprintf")));
#endif
