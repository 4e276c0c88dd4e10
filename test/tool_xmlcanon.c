/* test/tool_xmlcanon.c - the canonical dump the XML differential compares.
 *
 * usage: tool_xmlcanon FILE
 * Prints the parsed tree one node per line, or "error" (and the message
 * on stderr) with exit status 1.  Lines: "(name" opens an element, each
 * attribute follows as "=name value", ")" closes it; "-text", "#comment",
 * "?target data".  Bytes below 0x20, 0x7F and '\' are written \xHH.
 * Attributes named xmlns or xmlns:* come first: libxml2, the oracle,
 * keeps namespace declarations apart from other attributes and writes
 * them first, so their order against the others cannot be compared. */
#include "../xml/xml.h"

#include <stdio.h>
#include <string.h>

static void put_escaped(const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7F || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static int is_xmlns(const char *name)
{
	return !strcmp(name, "xmlns") || !strncmp(name, "xmlns:", 6);
}

static void put_attrs(const struct xml_node *n, int want_xmlns)
{
	for (int k = 0; k < n->nattrs; k++) {
		if (is_xmlns(n->attrs[k].name) != want_xmlns)
			continue;
		printf("=%s ", n->attrs[k].name);
		put_escaped(n->attrs[k].value);
		putchar('\n');
	}
}

static void dump(const struct xml_node *n)
{
	static const char mark[] = {
		[XML_TEXT] = '-', [XML_COMMENT] = '#', [XML_PI] = '?',
	};

	if (n->kind == XML_ELEM) {
		printf("(%s\n", n->name);
		put_attrs(n, 1);
		put_attrs(n, 0);
	} else if (n->kind != XML_DOC) {
		putchar(mark[n->kind]);
		if (n->kind == XML_PI)
			printf("%s ", n->name);
		put_escaped(n->text);
		putchar('\n');
	}
	for (const struct xml_node *c = n->child; c; c = c->next)
		dump(c);
	if (n->kind == XML_ELEM)
		puts(")");
}

int main(int argc, char **argv)
{
	struct xml_err err;
	struct xml_node *doc;

	if (argc != 2) {
		fputs("usage: tool_xmlcanon FILE\n", stderr);
		return 2;
	}
	sys_prog = "tool_xmlcanon";
	doc = xml_load(argv[1], &err);
	if (!doc) {
		puts("error");
		xml_perror(argv[1], &err);
		return 1;
	}
	dump(doc);
	xml_free(doc);
	return 0;
}
