/* test/unit_sys.c - the floor helpers: integers, buffers, whole files. */
#include "unit.h"
#include "../net/sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *scratch(void)
{
	char tmpl[] = "/tmp/unit-sys.XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? xstrdup(d) : NULL;
}

TEST(parse_int_bounds)
{
	long v = -1;

	CHECK(parse_int("42", 0, 100, &v) == 0 && v == 42);
	CHECK(parse_int("-3", -5, 5, &v) == 0 && v == -3);
	CHECK(parse_int("101", 0, 100, &v) < 0);
	CHECK(parse_int("", 0, 100, &v) < 0);
	CHECK(parse_int(" 1", 0, 100, &v) < 0);
	CHECK(parse_int("1x", 0, 100, &v) < 0);
	CHECK(parse_int("+1", 0, 100, &v) < 0);
	CHECK(parse_int("99999999999999999999999", 0, 100, &v) < 0);
	CHECK(parse_int(NULL, 0, 100, &v) < 0);
}

TEST(buf_grows_and_terminates)
{
	struct buf b = {0};

	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	CHECK_INT(b.len, 2000);
	CHECK_INT(b.p[b.len], 0);
	CHECK(!strncmp(b.p, "0,1,2,", 6));
	buf_puts(&b, "end");
	CHECK_STR(b.p + 2000, "end");
	buf_free(&b);
	CHECK(b.p == NULL && b.len == 0);
}

TEST(read_file_limits)
{
	char *d = scratch(), *f = xasprintf("%s/f", d), *p;
	size_t len = 0;
	FILE *fp = fopen(f, "w");

	fputs("hello\n", fp);
	fclose(fp);
	p = read_file(f, 100, &len);
	CHECK_STR(p, "hello\n");
	CHECK_INT(len, 6);
	free(p);
	CHECK(read_file(f, 5, &len) == NULL && errno == EFBIG);
	unlink(f);
	CHECK(read_file(f, 100, &len) == NULL && errno == ENOENT);
	rmdir(d);
	free(f);
	free(d);
}

TEST(replace_file_keeps_old)
{
	char *d = scratch(), *f = xasprintf("%s/c", d);
	char *old = xasprintf("%s/c.old", d), *p;
	struct stat st;

	CHECK(replace_file(f, "one", 3, 0640, NULL) == 0);
	CHECK(replace_file(f, "two", 3, 0640, old) == 0);
	p = read_file(f, 100, NULL);
	CHECK_STR(p, "two");
	free(p);
	p = read_file(old, 100, NULL);
	CHECK_STR(p, "one");
	free(p);
	CHECK(stat(f, &st) == 0 && (st.st_mode & 0777) == 0640);
	unlink(f);
	unlink(old);
	rmdir(d);
	free(f);
	free(old);
	free(d);
}

TEST(replace_file_failure_leaves_nothing)
{
	char *f = xstrdup("/nonexistent-dir/unit/c");

	CHECK(replace_file(f, "x", 1, 0600, NULL) < 0);
	CHECK(errno == ENOENT);
	free(f);
}
