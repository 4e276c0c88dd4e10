/* test/unit.h - the unit test framework: TEST() registers, CHECK*() count.
 *
 * A test file holds TEST(name) { ... } blocks; they register themselves
 * at start-up, so adding a file to test/ is all it takes.  A failed check
 * prints FILE:LINE and the test goes on; a test with any failed check
 * counts as failed. */
#ifndef UNIT_H
#define UNIT_H

#include <string.h>

typedef void unit_fn(void);
void unit_register(const char *name, const char *file, unit_fn *fn);
int unit_check(int ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define TEST(name) \
	static void name(void); \
	__attribute__((constructor)) static void reg_##name(void) \
	{ unit_register(#name, __FILE__, name); } \
	static void name(void)

#define CHECK(c) unit_check(!!(c), __FILE__, __LINE__, "%s", #c)
#define CHECK_INT(a, b) do { long long a_ = (a), b_ = (b); \
	unit_check(a_ == b_, __FILE__, __LINE__, "%s == %s: %lld != %lld", \
		   #a, #b, a_, b_); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	unit_check(a_ && b_ && !strcmp(a_, b_), __FILE__, __LINE__, \
		   "%s == %s: \"%s\" != \"%s\"", #a, #b, \
		   a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)

#endif
