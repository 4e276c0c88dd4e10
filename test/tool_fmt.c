/* test/tool_fmt.c - net/fmt.c against the host libc's printf as the oracle.
 *
 * Built with the host compiler against glibc (Makefile: $(BUILD)/tool_fmt),
 * so snprintf here is glibc's and fmt_vsnprintf is ours; net/fmt.c is
 * compiled without HAC_OWN_PRINTF and defines no libc name.
 *
 * Random directives within the subset net/fmt.c documents - flags, width
 * and precision (digits or *, negative stars included), length, conversion
 * - between random literal text with %%, and edge values (0, -1, INT_MIN,
 * LLONG_MIN, ULLONG_MAX, NUL characters, NULL strings, a string without a
 * NUL that ends at an unreadable page, cut by its precision), then the
 * product's own multi-directive formats.  Each case is formatted by both
 * at every buffer size 0..len+1 (size 0 with a NULL buffer); the return
 * values and the whole buffers, canary bytes past the size included, must
 * agree.  Each case also goes through fmt_vfprintf (a memory stream) and
 * fmt_vdprintf (a pipe), whose bytes and counts must match glibc's.
 *
 * usage: tool_fmt [SEED [CASES]]    (default: a random seed, 20000 cases)
 * Prints mismatches (the first 10), the seed, and "N passed, N failed";
 * exits 1 on any mismatch. */
#include "../net/fmt.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define BUF 1024
#define CANARY 0x5a
#define SHOW 10

typedef int snprintf_fn(char *s, size_t n, const char *fmt, ...);

enum ty { T_INT, T_UINT, T_LONG, T_ULONG, T_LLONG, T_ULLONG, T_SSIZE,
	  T_SIZE, T_IMAX, T_UMAX, T_PDIFF, T_STR, T_PTR, T_NONE };

/* One random directive: its format, the values of its stars, its value. */
struct kase {
	char fmt[160];
	int nstar, star[2];
	enum ty ty;
	unsigned long long v;
	const char *s;
	int prec;		/* of a %s; -1: none */
};

static struct {
	uint64_t rng;
	int passed, failed;
	long calls;
	const char *guard;	/* "abcdefgh" right before a PROT_NONE page */
} t;

/* --- the two sides -------------------------------------------------------- */

static int ours(char *s, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return r;
}

/* Same shape as snprintf, through fmt_vfprintf into a memory stream. */
static int ours_file(char *s, size_t n, const char *fmt, ...)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);
	va_list ap;
	int r;

	if (!f)
		return -2;
	va_start(ap, fmt);
	r = fmt_vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	if (r >= 0 && (size_t)r != len)
		r = -3;
	if (n) {
		len = len < n - 1 ? len : n - 1;
		memcpy(s, p, len);
		s[len] = 0;
	}
	free(p);
	return r;
}

/* Same shape as snprintf, through fmt_vdprintf into a pipe. */
static int ours_fd(char *s, size_t n, const char *fmt, ...)
{
	char tmp[BUF];
	ssize_t got;
	int fd[2], r;
	va_list ap;

	if (pipe(fd) < 0)
		return -2;
	va_start(ap, fmt);
	r = fmt_vdprintf(fd[1], fmt, ap);
	va_end(ap);
	close(fd[1]);
	got = read(fd[0], tmp, sizeof tmp);
	close(fd[0]);
	if (r >= 0 && got != r)
		r = -3;
	if (n && got >= 0) {
		got = (size_t)got < n - 1 ? got : (ssize_t)n - 1;
		memcpy(s, tmp, (size_t)got);
		s[got] = 0;
	}
	return r;
}

/* --- comparing ------------------------------------------------------------ */

static void show(const char *tag, const char *b, int len)
{
	printf("  %s %d \"", tag, len);
	for (int i = 0; i < len && i < 400; i++)
		if (b[i] >= 32 && b[i] < 127 && b[i] != '"' && b[i] != '\\')
			putchar(b[i]);
		else
			printf("\\x%02x", (unsigned char)b[i]);
	printf("\"\n");
}

static int mismatch(const char *what, size_t n, const char *b1, int r1,
		    const char *b2, int r2)
{
	int len = r2 > r1 ? r2 : r1;

	if (++t.failed > SHOW)
		return 0;
	printf("tool_fmt: MISMATCH %s, size %zu\n", what, n);
	show("fmt.c", b1, len < 0 || len + 8 > BUF ? 64 : len + 8);
	show("glibc", b2, len < 0 || len + 8 > BUF ? 64 : len + 8);
	printf("  returned %d and %d\n", r1, r2);
	return 0;
}

/* Both outputs for one buffer size: same return, same bytes to the end
 * of what either could have touched. */
static int agree(const char *what, size_t n, const char *b1, int r1,
		 const char *b2, int r2)
{
	size_t upto = r2 < 0 ? BUF : (size_t)r2 + 16;

	t.calls++;
	if (r1 != r2 || memcmp(b1, b2, upto < BUF ? upto : BUF))
		return mismatch(what, n, b1, r1, b2, r2);
	return 1;
}

/* Run a call, given as a macro body using F, B, N, with F = each side. */
#define SIDES(what, call) do { \
	static char b1[BUF], b2[BUF]; \
	snprintf_fn *F; char *B; size_t N; \
	int full, ok = 1, r1, r2; \
	F = snprintf; B = NULL; N = 0; full = (call); \
	for (size_t n = 0; ok && full >= 0 && n <= (size_t)full + 1 && \
	     n < BUF - 16; n++) { \
		memset(b1, CANARY, BUF); memset(b2, CANARY, BUF); \
		N = n; B = n ? b1 : NULL; F = ours; r1 = (call); \
		B = n ? b2 : NULL; F = snprintf; r2 = (call); \
		ok = agree(what, n, b1, r1, b2, r2); \
	} \
	for (int side = 0; ok && side < 2; side++) { \
		memset(b1, CANARY, BUF); memset(b2, CANARY, BUF); \
		N = BUF - 16; B = b1; F = side ? ours_fd : ours_file; \
		r1 = (call); B = b2; F = snprintf; r2 = (call); \
		ok = agree(side ? "(fmt_vdprintf)" : "(fmt_vfprintf)", \
			   N, b1, r1, b2, r2) && ok; \
	} \
	if (ok) \
		t.passed++; \
	else \
		printf("  in: %s\n", what); \
} while (0)

/* --- random cases --------------------------------------------------------- */

static uint64_t rnd(void)
{
	uint64_t z = (t.rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int below(int n) { return (int)(rnd() % (unsigned)n); }

static unsigned long long value(void)
{
	static const unsigned long long edge[] = {
		0, 1, 2, 7, 8, 9, 10, 15, 16, 99, 100, 127, 128, 255, 256,
		32767, 32768, 65535, 65536, INT_MAX, (unsigned)INT_MAX + 1,
		UINT_MAX, 1ull << 32, LLONG_MAX,
		(unsigned long long)LLONG_MAX + 1,
		ULLONG_MAX, ULLONG_MAX - 1, (unsigned long long)-1000,
		(unsigned long long)(long long)INT_MIN, 0xdeadbeef,
	};

	switch (below(4)) {
	case 0: case 1: return edge[below((int)(sizeof edge / sizeof *edge))];
	case 2: return rnd() >> below(64);
	default: return below(2) ? (unsigned long long)below(2000) :
		 -(unsigned long long)below(2000);
	}
}

static void add(char **p, const char *s)
{
	size_t n = strlen(s);

	memcpy(*p, s, n);
	*p += n;
}

static void literal(char **p)
{
	static const char chars[] = "abcXYZ 09-+.:#*\n";

	for (int n = below(4) ? below(5) : 0; n--;)
		if (below(6))
			*(*p)++ = chars[below((int)sizeof chars - 1)];
		else
			add(p, "%%");
}

static void flags(char **p, const char *allowed)
{
	while (*allowed && below(3) == 0)
		*(*p)++ = allowed[below((int)strlen(allowed))];
}

/* Width or precision: none, digits, or a star with a random value. */
static int number(char **p, struct kase *k, int lo, int hi, int *val)
{
	char num[16];

	switch (below(3)) {
	case 0:
		return 0;
	case 1:
		*val = 1 + below(below(8) ? 30 : hi);
		snprintf(num, sizeof num, "%d", *val);
		add(p, num);
		return 1;
	default:
		*val = lo + below(below(8) ? 30 - lo : hi - lo);
		k->star[k->nstar++] = *val;
		add(p, "*");
		return 1;
	}
}

static enum ty int_type(int len, int sign)
{
	static const enum ty by_len[][2] = {
		{ T_UINT, T_INT }, { T_UINT, T_INT }, { T_UINT, T_INT },
		{ T_ULONG, T_LONG }, { T_ULLONG, T_LLONG }, { T_SIZE, T_SSIZE },
		{ T_UMAX, T_IMAX }, { T_SIZE, T_PDIFF },
	};
	return by_len[len][sign];
}

static const char *string(int prec)
{
	static const char *const some[] = {
		"", "a", "hello", "with space", "percent % sign", "x\ty",
		"a rather longer string of text, longer than most widths",
		"\xc3\xa9t\xc3\xa9",
	};

	if (prec >= 0 && prec <= 8 && below(3) == 0)
		return t.guard + 8 - prec;
	if ((prec < 0 || prec >= 6) && below(8) == 0)
		return NULL;
	return some[below((int)(sizeof some / sizeof *some))];
}

/* The conversion: its flags, whether it takes a precision, and a length. */
static void conversion(char **p, struct kase *k)
{
	static const char *const mods[] = {
		"", "hh", "h", "l", "ll", "z", "j", "t",
	};
	static const char convs[] = "ddiuuxxXoocsp%";
	char c = convs[below((int)sizeof convs - 1)];
	int isint = strchr("diuxXo", c) != NULL, w, prec = -1, len = 0;

	if (c == '%') {
		add(p, "%%");
		k->ty = T_NONE;
		return;
	}
	*(*p)++ = '%';
	flags(p, c == 'd' || c == 'i' ? "-+ 0" : c == 'u' ? "-0" :
	      isint ? "-0#" : "-");
	number(p, k, -30, 300, &w);
	if ((isint || c == 's') && below(3)) {
		*(*p)++ = '.';
		if (!number(p, k, -5, 40, &prec))
			prec = 0;
	}
	if (isint)
		add(p, mods[len = below(8)]);
	*(*p)++ = c;
	k->ty = c == 's' ? T_STR : c == 'p' ? T_PTR : c == 'c' ? T_INT :
		int_type(len, c == 'd' || c == 'i');
	k->v = c == 'c' ? (unsigned long long)below(256) : value();
	k->prec = prec < 0 ? -1 : prec;
	k->s = c == 's' ? string(k->prec) : NULL;
	if (c == 'p' && below(4) == 0)
		k->v = 0;
}

static void make(struct kase *k)
{
	char *p = k->fmt;

	*k = (struct kase){ .ty = T_NONE };
	literal(&p);
	conversion(&p, k);
	literal(&p);
	*p = 0;
}

/* One call of F with the case's stars and its value as its type. */
#define STARS(x) (k->nstar == 0 ? F(B, N, k->fmt, x) : \
	k->nstar == 1 ? F(B, N, k->fmt, k->star[0], x) : \
	F(B, N, k->fmt, k->star[0], k->star[1], x))

static int call(snprintf_fn *F, char *B, size_t N, const struct kase *k)
{
	unsigned long long v = k->v;

	switch (k->ty) {
	case T_INT: return STARS((int)v);
	case T_UINT: return STARS((unsigned)v);
	case T_LONG: return STARS((long)v);
	case T_ULONG: return STARS((unsigned long)v);
	case T_LLONG: return STARS((long long)v);
	case T_ULLONG: return STARS(v);
	case T_SSIZE: return STARS((ssize_t)v);
	case T_SIZE: return STARS((size_t)v);
	case T_IMAX: return STARS((intmax_t)v);
	case T_UMAX: return STARS((uintmax_t)v);
	case T_PDIFF: return STARS((ptrdiff_t)v);
	case T_STR: return STARS(k->s);
	case T_PTR: return STARS((void *)(uintptr_t)v);
	case T_NONE: return STARS(0);
	}
	return -1;
}

static void random_case(void)
{
	struct kase kc, *k = &kc;
	char what[300];

	make(k);
	snprintf(what, sizeof what, "format \"%s\" stars %d %d value %llu "
		 "(type %d) string %.*s", k->fmt, k->nstar ? k->star[0] : 0,
		 k->nstar > 1 ? k->star[1] : 0, k->v, (int)k->ty,
		 k->prec < 0 ? 60 : k->prec, k->s ? k->s : "(null)");
	SIDES(what, call(F, B, N, k));
}

/* --- the product's own formats -------------------------------------------- */

static void product_cases(void)
{
	SIDES("%-20s", F(B, N, "%-20s %s%s\n", "status", "a", ""));
	SIDES("date", F(B, N, "%04u-%02u-%02u %02u:%02u:%02u", 2024u, 1u,
			12u, 3u, 4u, 59u));
	SIDES("nodes", F(B, N, "%4u   %c  %5llu   %s  %s\n", 3u, 'M',
			 123456ull, "2024-01-01", "node3"));
	SIDES("ipv4", F(B, N, "%d.%d.%d.%d", 192, 168, 0, 255));
	SIDES("ipv6", F(B, N, "%x:%x:%x:%x:%x:%x:%x:%x", 0xfe80, 0, 0, 0,
			0x21a, 0x4bff, 0xfe01, 0xffff));
	SIDES("%.*s", F(B, N, "%.*s|%s", 3, "abcdef", "z"));
	SIDES("%.40s", F(B, N, "%s=\"%.40s\": not %s", "votes",
			 "0123456789012345678901234567890123456789xyz",
			 "a number"));
	SIDES("0x%x", F(B, N, "child %d exited (status 0x%x)", -1, 0x8b00u));
	SIDES("%*s", F(B, N, "%*s%s", 8, "", "ref"));
	SIDES("%3ld", F(B, N, "%-32s %3ld  %3ld    %s\n", "node1", 1L, -12L,
			"fence_manual"));
	SIDES("PRIu64", F(B, N, "node: %u %c %" PRIu64 " %" PRId64 " %s %s",
			  7u, 'X', UINT64_MAX, INT64_MIN, "up", "here"));
	SIDES("%04X", F(B, N, "invalid character U+%04X", 0xfffeu));
	SIDES("\\u", F(B, N, "\\u%04x", 0x1fu));
	SIDES("%19s", F(B, N, "%19s", ""));
	SIDES("%zu", F(B, N, "message of %zu bytes from node %u", SIZE_MAX,
		       0u));
	SIDES("%lld", F(B, N, "%lld %lld", LLONG_MIN, LLONG_MAX));
	SIDES("%%", F(B, N, "100%% %s %%%c%%", "sure", '!'));
}

/* "abcdefgh" ending where a PROT_NONE page begins. */
static const char *guarded(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m + page, (size_t)page, PROT_NONE)) {
		perror("tool_fmt: mmap");
		exit(2);
	}
	memcpy(m + page - 8, "abcdefgh", 8);
	return m + page - 8;
}

int main(int argc, char **argv)
{
	unsigned long long seed = argc > 1 ? strtoull(argv[1], NULL, 0) :
		(unsigned long long)time(NULL) ^ (unsigned long long)getpid();
	long cases = argc > 2 ? strtol(argv[2], NULL, 0) : 20000;

	t.rng = seed;
	t.guard = guarded();
	product_cases();
	for (long i = 0; i < cases; i++)
		random_case();
	printf("tool_fmt: seed %llu, %ld calls compared\n", seed, t.calls);
	printf("tool_fmt: %d passed, %d failed\n", t.passed, t.failed);
	return t.failed ? 1 : 0;
}
