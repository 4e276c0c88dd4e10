/* test/unit_libc.c - calloc (net/libc.c in the musl build, the host's
 * elsewhere): zeroed memory for small blocks that are reused dirty and
 * for large ones, and a large calloc leaves its pages untouched (an idle
 * daemon's resident set once grew tenfold when it did not). */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kib = -1;

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

TEST(libc_calloc_zeroes_reused_small_blocks)
{
	for (size_t n = 1; n <= 70000; n = n * 3 + 1) {
		unsigned char *p = malloc(n), *q;

		memset(p, 0xa5, n);
		free(p);
		q = calloc(1, n);
		CHECK(q && all_zero(q, n));
		free(q);
	}
}

TEST(libc_large_calloc_stays_out_of_the_resident_set)
{
	size_t n = 64u << 20;
	long before = rss_kib();
	unsigned char *p = calloc(n, 1);
	long after = rss_kib();

	CHECK(p != NULL);
	CHECK(before > 0 && after - before < 8192);
	CHECK(p && all_zero(p + n - 4096, 4096) && !p[0]);
	free(p);
}
