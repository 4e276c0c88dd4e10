/* test/unit_fmt.c - the printf engine's edge cases (test/tool_fmt.c
 * compares it with glibc at random; this file pins the corners). */
#include "unit.h"
#include "../net/fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef int snprintf_fn(char *s, size_t n, const char *fmt, ...);

static char buf[1024];

static int ours(char *s, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return r;
}

/* libc's snprintf, out of the compiler's reach: in the musl unit build it
 * is net/fmt.c too, under ASan it is glibc's and must agree. */
static snprintf_fn *volatile libc_snprintf = snprintf;

/* Both fmt_vsnprintf and snprintf give want and return its length. */
#define FMT(want, ...) do { \
	CHECK_INT(ours(buf, sizeof buf, __VA_ARGS__), strlen(want)); \
	CHECK_STR(buf, want); \
	CHECK_INT(libc_snprintf(buf, sizeof buf, __VA_ARGS__), \
		  strlen(want)); \
	CHECK_STR(buf, want); \
} while (0)

TEST(fmt_integers)
{
	FMT("0 -1 42", "%d %i %u", 0, -1, 42u);
	FMT("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	FMT("-9223372036854775808", "%lld", LLONG_MIN);
	FMT("18446744073709551615", "%llu", ULLONG_MAX);
	FMT("ffffffffffffffff FFFFFFFF", "%llx %X", ULLONG_MAX, UINT_MAX);
	FMT("1777777777777777777777", "%llo", ULLONG_MAX);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("18446744073709551615 -1 -5", "%zu %jd %td", SIZE_MAX,
	    (intmax_t)-1, (ptrdiff_t)-5);
	FMT("-1 255 -128", "%hhd %hhu %hhd", 255, 255u, 128);
	FMT("1 -1 ffff", "%hu %hd %hx", 65537u, 65535, 65535u);
}

TEST(fmt_flags_width_precision)
{
	FMT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	FMT("+1  1 +1 -1", "%+d % d %+ d % d", 1, 1, 1, -1);
	FMT("-0042|-42  ", "%05d|%-05d", -42, -42);
	FMT("007|     007|-007", "%.3d|%08.3d|%.3d", 7, 7, -7);
	FMT("||0|", "%.0d|%.0x|%#.0o|%.d", 0, 0u, 0u, 0);
	FMT("010 0 0xff 0XFF 0", "%#o %#o %#x %#X %#x", 8u, 0u, 255u, 255u,
	    0u);
	FMT("0xf   |0x000f|00010", "%-#6x|%#06x|%#05o", 15u, 15u, 8u);
	FMT("   1|2   |3   |", "%*d|%-*d|%*d|", 4, 1, 4, 2, -4, 3);
	FMT("5|00005", "%.*d|%.*d", -1, 5, 5, 5);
	FMT("  +0", "%+4d", 0);
}

TEST(fmt_strings_and_chars)
{
	char abc[3] = { 'a', 'b', 'c' };	/* no NUL: precision only */

	FMT("abc|   ab|ab   |ab|xyz", "%s|%5s|%-5s|%.2s|%.*s", "abc", "ab",
	    "ab", "abc", -1, "xyz");
	/* only ours: ASan's snprintf interceptor reads one byte past */
	CHECK_INT(ours(buf, sizeof buf, "%.3s|%.*s|%.0s", abc, 2, abc, abc), 7);
	CHECK_STR(buf, "abc|ab|");
	FMT("(null)|  (null)", "%s|%8s", (char *)NULL, (char *)NULL);
	FMT("a%  b|c  |", "%c%c%3c|%-3c|", 'a', '%', 'b', 'c');
	FMT("100%", "%d%%", 100);
	FMT("", "%s", "");
	FMT("(nil) 0x1234 |  0x1234|0x1234  ", "%p %p |%8p|%-8p",
	    (void *)NULL, (void *)0x1234, (void *)0x1234, (void *)0x1234);
}

TEST(fmt_nul_character_counts)
{
	memset(buf, '#', 8);
	CHECK_INT(ours(buf, 8, "a%cb", 0), 3);
	CHECK(!memcmp(buf, "a\0b\0#", 5));
}

TEST(fmt_truncates_and_terminates)
{
	for (size_t n = 0; n <= 13; n++) {
		size_t keep = n ? (n - 1 < 11 ? n - 1 : 11) : 0;

		memset(buf, '#', 16);
		CHECK_INT(ours(n ? buf : NULL, n, "hello %s", "world"), 11);
		CHECK(!n || (!memcmp(buf, "hello world", keep) &&
			     buf[keep] == 0));
		CHECK(buf[n] == '#');
		memset(buf, '#', 16);
		CHECK_INT(libc_snprintf(n ? buf : NULL, n, "hello %s",
					"world"), 11);
		CHECK(!n || (!memcmp(buf, "hello world", keep) &&
			     buf[keep] == 0));
	}
}

/* Not format-checked: directives the engine does not take. */
static const char *raw(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	CHECK(fmt_vsnprintf(buf, sizeof buf, fmt, ap) == (int)strlen(buf));
	va_end(ap);
	return buf;
}

TEST(fmt_unsupported_is_copied_raw)
{
	int n = 0;

	CHECK_STR(raw("1=%d x=%f y=%d", 1, 1.5, 2), "1=1 x=%f y=%d");
	CHECK_STR(raw("%s %n%s", "a", &n, "b"), "a %n%s");
	CHECK_INT(n, 0);
	CHECK_STR(raw("%2$s %1$s", "a", "b"), "%2$s %1$s");
	CHECK_STR(raw("%ls|%lc|%Lf|%qd", L"w", 'c', 1.0L, 1LL),
		  "%ls|%lc|%Lf|%qd");
	CHECK_STR(raw("%m"), "%m");
	CHECK_STR(raw("abc%"), "abc%");
	CHECK_STR(raw("abc%-5"), "abc%-5");
	CHECK_STR(raw("%hs", "x"), "%hs");
}

TEST(fmt_past_int_max_is_eoverflow)
{
	errno = 0;
	CHECK_INT(ours(NULL, 0, "%*d", INT_MAX, 1), INT_MAX);
	CHECK_INT(ours(buf, 4, "%*d%*d", INT_MAX, 1, INT_MAX, 1), -1);
	CHECK_INT(errno, EOVERFLOW);
	CHECK_INT(ours(NULL, 0, "%99999999999999999999d", 1), INT_MAX);
}

static int to_file(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int to_file(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

static int to_fd(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int to_fd(int fd, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

/* "a|" 600 spaces "7|z": longer than a stack chunk. */
static void check_long(const char *p, size_t len)
{
	CHECK_INT(len, 605);
	CHECK(len == 605 && !memcmp(p, "a|", 2) && p[2] == ' ' &&
	      p[600] == ' ' && !memcmp(p + 601, "7|z\n", 4));
}

TEST(fmt_vfprintf_in_chunks)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);

	CHECK_INT(to_file(f, "%s|%600d|%s\n", "a", 7, "z"), 605);
	fflush(f);
	check_long(p, len);
	CHECK_INT(fprintf(f, "%s|%600d|%s\n", "a", 7, "z"), 605);
	fclose(f);
	CHECK_INT(len, 1210);
	check_long(p + 605, len - 605);
	free(p);
}

TEST(fmt_vdprintf_to_a_pipe)
{
	char got[2048];
	ssize_t n, len = 0;
	int fd[2];

	CHECK(pipe(fd) == 0);
	CHECK_INT(to_fd(fd[1], "%s|%600d|%s\n", "a", 7, "z"), 605);
	CHECK_INT(dprintf(fd[1], "%s|%600d|%s\n", "a", 7, "z"), 605);
	close(fd[1]);
	while ((n = read(fd[0], got + len, sizeof got - (size_t)len)) > 0)
		len += n;
	close(fd[0]);
	CHECK_INT(len, 1210);
	check_long(got, 605);
	check_long(got + 605, 605);
}

TEST(fmt_write_errors_return_minus_one)
{
	FILE *f = fopen("/dev/null", "r");

	CHECK(f != NULL);
	if (f) {
		CHECK_INT(to_file(f, "%s", "no"), -1);
		fclose(f);
	}
	CHECK_INT(to_fd(-1, "%s", "no"), -1);
	CHECK_INT(to_fd(-1, "%s", ""), 0);
}

#ifdef HAC_OWN_PRINTF
/* In the musl build the libc names are this engine (floats come out raw). */
TEST(fmt_is_libc_printf)
{
	CHECK_INT(libc_snprintf(buf, sizeof buf, "%f|%d", 1.0, 2), 5);
	CHECK_STR(buf, "%f|%d");
}
#endif
