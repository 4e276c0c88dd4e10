/* test/unit.c - runs every registered unit test; prints N passed, N failed.
 *
 * Arguments, if any, are substrings: only tests whose name or file
 * contains one of them run. */
#include "unit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_TESTS 2048

static struct {
	const char *name, *file;
	unit_fn *fn;
} tests[MAX_TESTS];
static int ntests, failed_checks;

void unit_register(const char *name, const char *file, unit_fn *fn)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "unit: more than %d tests\n", MAX_TESTS);
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].file = file;
	tests[ntests++].fn = fn;
}

int unit_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return 1;
	failed_checks++;
	fprintf(stderr, "%s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 0;
}

static int selected(int i, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int a = 1; a < argc; a++)
		if (strstr(tests[i].name, argv[a]) ||
		    strstr(tests[i].file, argv[a]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < ntests; i++) {
		int before = failed_checks;
		if (!selected(i, argc, argv))
			continue;
		tests[i].fn();
		if (failed_checks == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s (%s)\n", tests[i].name,
				tests[i].file);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
