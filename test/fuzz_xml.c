/* test/fuzz_xml.c - libFuzzer target for the XML parser and writer.
 *
 * Any input: the parser must return a tree or an error with a position
 * inside the input, never crash, leak or hang.  A tree must survive the
 * writer: parse(write(t)) equals t, and writing that again gives the
 * same bytes.  A violation aborts, which libFuzzer reports. */
#include "../xml/xml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_xml: %s\n", what);
		abort();
	}
}

static void check_error(const struct xml_err *e, const uint8_t *data,
			size_t size)
{
	size_t lines = 1;

	for (size_t k = 0; k < size; k++)
		lines += data[k] == '\n' || data[k] == '\r';
	check(e->msg[0] != 0, "error without a message");
	check(e->line >= 1 && (size_t)e->line <= lines,
	      "error line outside the input");
	check(e->col >= 1 && (size_t)e->col <= size + 1,
	      "error column outside the input");
}

static void round_trip(const struct xml_node *doc)
{
	struct buf once = {0}, twice = {0};
	struct xml_err err;
	struct xml_node *again;

	xml_write(&once, doc);
	again = xml_parse(once.p, once.len, &err);
	if (!again)
		fprintf(stderr, "reparse: %d:%d: %s\n%s", err.line, err.col,
			err.msg, once.p);
	check(again != NULL, "written document does not parse");
	check(xml_equal(doc, again), "written document reads back different");
	xml_write(&twice, again);
	check(once.len == twice.len && !memcmp(once.p, twice.p, once.len),
	      "writing is not idempotent");
	xml_free(again);
	buf_free(&once);
	buf_free(&twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xml_err err;
	struct xml_node *doc = xml_parse((const char *)data, size, &err);

	if (!doc) {
		check_error(&err, data, size);
		return 0;
	}
	check(xml_root(doc) != NULL, "document without a root");
	round_trip(doc);
	xml_free(doc);
	return 0;
}
