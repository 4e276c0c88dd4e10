/* xml/write.c - the stable XML writer.
 *
 * Output is a function of the tree alone: two-space indentation, one
 * node per line, attributes in their order.  An element with any text
 * child is written inline, its whole subtree without added whitespace,
 * because there whitespace is content.  Everywhere else the parser drops
 * whitespace-only text, so the indentation the writer adds reads back as
 * nothing and parse(write(t)) equals t.
 *
 * Escaping keeps values exact through a parse: in attributes TAB, LF and
 * CR become character references (the parser would turn them into
 * spaces), and in text a CR does (it would become LF).  '>' is always
 * escaped, so "]]>" never appears in text.
 *
 * Whatever a built tree holds, the output parses, provided its names are
 * XML names: bytes that are not UTF-8 and characters XML cannot hold
 * (controls, U+FFFE, ...) are written as U+FFFD, and in comment and PI
 * bodies, which have no escapes, "--" and "?>" are broken by a space. */
#include "scan.h"

enum { IN_TEXT = 1, IN_ATTR = 2 };

static const struct {
	char c, where;
	const char *as;
} escapes[] = {
	{ '&', IN_TEXT | IN_ATTR, "&amp;" }, { '<', IN_TEXT | IN_ATTR, "&lt;" },
	{ '>', IN_TEXT | IN_ATTR, "&gt;" }, { '\r', IN_TEXT | IN_ATTR, "&#13;" },
	{ '"', IN_ATTR, "&quot;" }, { '\t', IN_ATTR, "&#9;" },
	{ '\n', IN_ATTR, "&#10;" },
};

/* How c is written where (IN_TEXT or IN_ATTR); NULL: as itself. */
static const char *escape_of(char c, int where)
{
	for (size_t i = 0; i < ARRAY_LEN(escapes); i++)
		if (escapes[i].c == c && escapes[i].where & where)
			return escapes[i].as;
	return NULL;
}

static const char replacement[] = "\xEF\xBF\xBD";

/* Length of the valid Char at s, 0 if there is none. */
static int char_len(const char *s, size_t left)
{
	unsigned cp;
	int n = xp_utf8_get((const unsigned char *)s, left, &cp);

	return n && xp_is_char(cp) ? n : 0;
}

/* U+FFFD for the bad sequence at s[*i], its continuation bytes too. */
static void replace_bad(struct buf *out, const char *s, size_t len,
			size_t *i)
{
	buf_puts(out, replacement);
	do
		(*i)++;
	while (*i < len && ((unsigned char)s[*i] & 0xC0) == 0x80);
}

static void escape(struct buf *out, const char *s, int where)
{
	size_t len = s ? strlen(s) : 0, i = 0, from = 0;
	const char *e;
	int n;

	while (i < len) {
		e = escape_of(s[i], where);
		if (!e && (n = char_len(s + i, len - i))) {
			i += (size_t)n;
			continue;
		}
		buf_add(out, s + from, i - from);
		if (e) {
			buf_puts(out, e);
			i++;
		} else {
			replace_bad(out, s, len, &i);
		}
		from = i;
	}
	buf_add(out, s + from, i - from);
}

/* A comment or PI body; stop is the pair that must not appear in it. */
static void put_body(struct buf *out, const char *s, const char *stop)
{
	size_t len = s ? strlen(s) : 0, i = 0;
	int n;

	while (i < len) {
		if (!(n = char_len(s + i, len - i))) {
			replace_bad(out, s, len, &i);
			continue;
		}
		buf_add(out, s + i, (size_t)n);
		if (s[i] == stop[0] && i + 1 < len && s[i + 1] == stop[1])
			buf_add(out, " ", 1);
		i += (size_t)n;
	}
	if (len && s[len - 1] == stop[0] && stop[0] == '-')
		buf_add(out, " ", 1);
}

static void indent(struct buf *out, int depth)
{
	for (int k = 0; k < depth; k++)
		buf_add(out, "  ", 2);
}

static int has_text(const struct xml_node *n)
{
	for (n = n->child; n; n = n->next)
		if (n->kind == XML_TEXT)
			return 1;
	return 0;
}

static void write_node(struct buf *out, const struct xml_node *n, int depth,
		       int inl);

static void write_children(struct buf *out, const struct xml_node *n,
			   int depth, int inl)
{
	for (n = n->child; n; n = n->next)
		write_node(out, n, depth, inl);
}

static void write_elem(struct buf *out, const struct xml_node *n, int depth,
		       int inl)
{
	buf_printf(out, "<%s", n->name);
	for (int k = 0; k < n->nattrs; k++) {
		buf_printf(out, " %s=\"", n->attrs[k].name);
		escape(out, n->attrs[k].value, IN_ATTR);
		buf_add(out, "\"", 1);
	}
	if (!n->child) {
		buf_add(out, "/>", 2);
		return;
	}
	buf_add(out, ">", 1);
	inl = inl || has_text(n);
	if (!inl)
		buf_add(out, "\n", 1);
	write_children(out, n, depth + 1, inl);
	if (!inl)
		indent(out, depth);
	buf_printf(out, "</%s>", n->name);
}

static void write_text(struct buf *out, const struct xml_node *n, int depth,
		       int inl)
{
	escape(out, n->text, IN_TEXT);
}

static void write_comment(struct buf *out, const struct xml_node *n,
			  int depth, int inl)
{
	buf_puts(out, "<!--");
	put_body(out, n->text, "--");
	buf_puts(out, "-->");
}

static void write_pi(struct buf *out, const struct xml_node *n, int depth,
		     int inl)
{
	buf_printf(out, "<?%s", n->name);
	if (n->text && *n->text) {
		buf_add(out, " ", 1);
		put_body(out, n->text, "?>");
	}
	buf_puts(out, "?>");
}

static void write_doc(struct buf *out, const struct xml_node *n, int depth,
		      int inl)
{
	write_children(out, n, depth, inl);
}

typedef void writer(struct buf *out, const struct xml_node *n, int depth,
		    int inl);

static writer *const writers[] = {
	[XML_DOC] = write_doc,
	[XML_ELEM] = write_elem,
	[XML_TEXT] = write_text,
	[XML_COMMENT] = write_comment,
	[XML_PI] = write_pi,
};

/* A node on its own line unless inside an inline element. */
static void write_node(struct buf *out, const struct xml_node *n, int depth,
		       int inl)
{
	if (!inl && n->kind != XML_DOC)
		indent(out, depth);
	writers[n->kind](out, n, depth, inl);
	if (!inl && n->kind != XML_DOC)
		buf_add(out, "\n", 1);
}

void xml_write(struct buf *out, const struct xml_node *n)
{
	if (n->kind == XML_DOC)
		buf_puts(out, "<?xml version=\"1.0\"?>\n");
	write_node(out, n, 0, 0);
}
