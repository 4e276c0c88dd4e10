/* xml/xml.c - the XML parser: bytes in, a tree or one located error out.
 *
 * XML 1.0 (fifth edition) well-formedness, without a DTD processor:
 *
 *   - Input is UTF-8 (a byte order mark is skipped); an encoding
 *     declaration naming anything else is refused.  Every byte must form
 *     a Char (production [2]); a first pass finds the first one that does
 *     not, and the parse proper stops there, so whichever problem comes
 *     first in the document is the one reported.
 *   - Line ends are normalised (CR LF and lone CR become LF) in text,
 *     CDATA, comments, PI data and attribute values; attribute values are
 *     then normalised as CDATA attributes are (TAB, LF, CR become spaces,
 *     production [3.3.3]); character references are not.
 *   - Names follow productions [4] and [4a].  Namespaces are not
 *     processed: "a:b" is simply a name.
 *   - The DOCTYPE is checked for its outer shape (name, external id,
 *     internal subset made of declarations, PIs, comments and parameter
 *     entity references) and dropped.  Declarations inside are skipped,
 *     not checked.  No entity is ever expanded: a reference to anything
 *     but the five predefined entities is an "undefined entity" error,
 *     and attribute defaults declared there are not applied.
 *   - Whitespace-only text runs (after decoding) are dropped; other text
 *     is kept, CDATA sections merged into the text around them.
 *
 * Positions are described in scan.c.  The parser is not recursive (the
 * open element is p->cur) and keeps no state outside its struct parser;
 * prolog.c holds the XML declaration and the DOCTYPE. */
#include "scan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- references --------------------------------------------------- */

static const struct {
	const char *name;
	char c;
} predefined[] = {
	{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "apos", '\'' },
	{ "quot", '"' },
};

static int digit(int c, int hex)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (hex && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (hex && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* &#N; or &#xH; at i: decode it into out as UTF-8. */
static int char_ref(struct parser *p, struct buf *out)
{
	size_t from = p->i, k = from + 2, digits = 0;
	int hex = k < p->len && p->s[k] == 'x', d;
	unsigned long v = 0;

	for (k += (size_t)hex; k < p->len; k++, digits++) {
		if ((d = digit(p->s[k], hex)) < 0)
			break;
		if (v <= 0x10FFFF)
			v = v * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (k >= p->len)
		return xp_fail_end(p, from, "unterminated character reference");
	if (!digits || p->s[k] != ';')
		return xp_fail(p, from, "bad character reference");
	if (!xp_is_char(v))
		return xp_fail(p, from, "invalid character reference '%.*s'",
			       (int)(k + 1 - from > 40 ? 40 : k + 1 - from),
			       p->s + from);
	xp_put_utf8(out, v);
	p->i = k + 1;
	return 0;
}

/* &name; at i: only the five predefined entities exist. */
static int entity_ref(struct parser *p, struct buf *out)
{
	size_t from = p->i, n = xp_scan_name(p, from + 1), k = from + 1 + n;
	const char *name = p->s + from + 1;

	if (p->failed)
		return -1;
	if (!n)
		return xp_fail(p, from, "'&' must start a reference "
			       "(use &amp;)");
	if (k >= p->len)
		return xp_fail_end(p, from, "unterminated entity reference");
	if (p->s[k] != ';')
		return xp_fail(p, from, "missing ';' after '&%.*s'", (int)n,
			       name);
	for (size_t e = 0; e < ARRAY_LEN(predefined); e++) {
		if (strlen(predefined[e].name) == n &&
		    !memcmp(predefined[e].name, name, n)) {
			buf_add(out, &predefined[e].c, 1);
			p->i = k + 1;
			return 0;
		}
	}
	return xp_fail(p, from, "undefined entity '&%.*s;'", (int)n, name);
}

static int reference(struct parser *p, struct buf *out)
{
	return xp_at(p, "&#") ? char_ref(p, out) : entity_ref(p, out);
}

/* --- nodes -------------------------------------------------------- */

/* A new node under p->cur, starting at offset off (for text, the run's
 * start, whose position was taken when it began). */
static struct xml_node *add_node(struct parser *p, enum xml_kind kind,
				 size_t off)
{
	struct xml_node *n;

	if (++p->nodes > XML_MAX_NODES) {
		xp_fail(p, off, "more than %d nodes", XML_MAX_NODES);
		return NULL;
	}
	n = xml_new(kind, NULL, NULL);
	if (kind == XML_TEXT) {
		n->line = p->tline;
		n->col = p->tcol;
	} else {
		xp_where(p, off, &n->line, &n->col);
	}
	return xml_append(p->cur, n);
}

static void run_start(struct parser *p, size_t off)
{
	if (!p->in_run) {
		xp_where(p, off, &p->tline, &p->tcol);
		p->text_at = off;
	}
	p->in_run = 1;
}

static int all_ws(const char *s, size_t n)
{
	while (n && xp_is_ws(*s))
		s++, n--;
	return !n;
}

/* End the text run: keep it as a node unless it is only whitespace. */
static void run_end(struct parser *p)
{
	struct xml_node *n;

	if (p->in_run && !all_ws(p->text.p, p->text.len) &&
	    (n = add_node(p, XML_TEXT, p->text_at))) {
		n->text = xstrdup(p->text.p);	/* its size; the buf is reused */
	}
	p->text.len = 0;
	p->in_run = 0;
}

/* --- comments, PIs, CDATA ----------------------------------------- */

static int comment(struct parser *p)
{
	size_t from = p->i, body, n;
	struct xml_node *c;

	if (xp_scan_comment(p, &body, &n) < 0 ||
	    !(c = add_node(p, XML_COMMENT, from)))
		return -1;
	c->text = xp_dup_lines(p->s + body, n);
	return 0;
}

static int pi(struct parser *p)
{
	size_t from = p->i, data, n;
	char *target = NULL;
	struct xml_node *x;

	if (xp_scan_pi(p, &target, &data, &n) < 0 ||
	    !(x = add_node(p, XML_PI, from))) {
		free(target);
		return -1;
	}
	x->name = target;
	x->text = xp_dup_lines(p->s + data, n);
	return 0;
}

static int cdata(struct parser *p)
{
	size_t from = p->i, body = from + 9, end = xp_find(p, body, "]]>");

	if (p->cur == p->doc)
		return xp_fail(p, from, "CDATA section outside the root "
			       "element");
	if (end >= p->len)
		return xp_fail_end(p, from, "unterminated CDATA section");
	run_start(p, from);
	xp_add_lines(&p->text, p->s + body, end - body);
	p->i = end + 3;
	return 0;
}

static int bad_markup(struct parser *p)
{
	return xp_fail(p, p->i, "expected '<!--', '<![CDATA[' or "
		       "'<!DOCTYPE'");
}

/* --- elements ----------------------------------------------------- */

static int attr_value(struct parser *p, struct buf *v)
{
	size_t from = p->i;
	int q = xp_peek(p), c;

	if (q != '"' && q != '\'')
		return xp_fail(p, p->i, "expected a quoted attribute value");
	for (p->i++; (c = xp_peek(p)) >= 0 && c != q;) {
		if (c == '<')
			return xp_fail(p, p->i, "'<' not allowed in an "
				       "attribute value");
		if (c == '&') {
			if (reference(p, v) < 0)
				return -1;
			continue;
		}
		if (c == '\r' && p->i + 1 < p->len && p->s[p->i + 1] == '\n')
			p->i++;
		buf_add(v, xp_is_ws(c) ? " " : p->s + p->i, 1);
		p->i++;
	}
	if (c < 0)
		return xp_fail_end(p, from, "unterminated attribute value");
	p->i++;
	return 0;
}

static void keep_attr(struct parser *p, struct xml_node *e, size_t from,
		      char *name, struct buf *v)
{
	struct xml_attr *a;

	e->attrs = xrealloc(e->attrs, (size_t)(e->nattrs + 1) * sizeof *a);
	a = &e->attrs[e->nattrs++];
	a->name = name;
	a->value = xstrdup(v->p ? v->p : "");	/* its size, not the buf's */
	buf_free(v);
	xp_where(p, from, &a->line, &a->col);
}

/* Eq: S? '=' S? */
static int eq_sign(struct parser *p, const char *name)
{
	xp_skip_ws(p);
	if (xp_peek(p) != '=')
		return xp_fail(p, p->i, "expected '=' after attribute '%s'",
			       name);
	p->i++;
	xp_skip_ws(p);
	return 0;
}

static int attribute(struct parser *p, struct xml_node *e)
{
	size_t from = p->i;
	struct buf v = {0};
	char *name = xp_take_name(p, "an attribute");

	if (!name)
		return -1;
	if (xml_attr(e, name))
		xp_fail(p, from, "duplicate attribute '%s'", name);
	else if (e->nattrs == XML_MAX_ATTRS)
		xp_fail(p, from, "more than %d attributes", XML_MAX_ATTRS);
	else if (eq_sign(p, name) == 0 && attr_value(p, &v) == 0)
		keep_attr(p, e, from, name, &v);
	if (!p->failed)
		return 0;
	free(name);
	buf_free(&v);
	return -1;
}

/* Attributes up to '>' or '/>'. */
static int attributes(struct parser *p, struct xml_node *e, size_t from)
{
	size_t ws;

	while (ws = xp_skip_ws(p), xp_peek(p) != '>' && !xp_at(p, "/>")) {
		if (p->i >= p->len)
			return xp_fail_end(p, from, "unterminated start tag "
					   "<%s>", e->name);
		if (!ws)
			return xp_fail(p, p->i, "expected whitespace, '>' or "
				       "'/>' in <%s>", e->name);
		if (attribute(p, e) < 0)
			return -1;
	}
	return 0;
}

static int start_tag(struct parser *p)
{
	size_t from = p->i;
	struct xml_node *e;
	char *name;

	if (p->cur == p->doc && p->rooted)
		return xp_fail(p, from, "junk after root element");
	if (p->depth == XML_MAX_DEPTH)
		return xp_fail(p, from, "elements nested deeper than %d",
			       XML_MAX_DEPTH);
	p->i++;
	if (!(name = xp_take_name(p, "an element")))
		return -1;
	if (!(e = add_node(p, XML_ELEM, from))) {
		free(name);
		return -1;
	}
	e->name = name;
	p->rooted = 1;
	if (attributes(p, e, from) < 0)
		return -1;
	if (xp_at(p, "/>")) {
		p->i += 2;
		return 0;
	}
	p->i++;
	p->cur = e;
	p->depth++;
	return 0;
}

static int end_tag(struct parser *p)
{
	size_t from = p->i;
	char *name;
	int rc = 0;

	p->i += 2;
	if (!(name = xp_take_name(p, "an element")))
		return -1;
	xp_skip_ws(p);
	if (p->i >= p->len)
		rc = xp_fail_end(p, from, "unterminated end tag </%s>", name);
	else if (xp_peek(p) != '>')
		rc = xp_fail(p, p->i, "expected '>' to end </%s>", name);
	else if (p->cur == p->doc)
		rc = xp_fail(p, from, "unexpected end tag </%s>", name);
	else if (strcmp(p->cur->name, name))
		rc = xp_fail(p, from, "expected </%s>, found </%s>",
			     p->cur->name, name);
	free(name);
	if (rc < 0)
		return -1;
	p->i++;
	p->cur = p->cur->parent;
	p->depth--;
	return 0;
}

/* --- text --------------------------------------------------------- */

static const unsigned char text_stop[256] = {
	['<'] = 1, ['&'] = 1, [']'] = 1, ['\r'] = 1,
};

/* One of text_stop's bytes at i (or '<' / the end: nothing to do). */
static int text_special(struct parser *p)
{
	switch (xp_peek(p)) {
	case '&':
		return reference(p, &p->text);
	case '\r':
		buf_add(&p->text, "\n", 1);
		p->i += 1 + (p->i + 1 < p->len && p->s[p->i + 1] == '\n');
		return 0;
	case ']':
		if (xp_at(p, "]]>"))
			return xp_fail(p, p->i, "']]>' not allowed in text");
		buf_add(&p->text, "]", 1);
		p->i++;
		return 0;
	}
	return 0;
}

static int text(struct parser *p)
{
	size_t k;

	run_start(p, p->i);
	while (p->i < p->len && p->s[p->i] != '<') {
		k = p->i;
		while (k < p->len && !text_stop[(unsigned char)p->s[k]])
			k++;
		buf_add(&p->text, p->s + p->i, k - p->i);
		p->i = k;
		if (text_special(p) < 0)
			return -1;
	}
	return 0;
}

/* Outside the root only whitespace may stand between markup. */
static int outside(struct parser *p)
{
	xp_skip_ws(p);
	if (p->i >= p->len || p->s[p->i] == '<')
		return 0;
	if (p->rooted)
		return xp_fail(p, p->i, "junk after root element");
	return xp_fail(p, p->i, "text outside the root element");
}

/* --- the document ------------------------------------------------- */

static const struct markup {
	const char *open;
	int (*parse)(struct parser *p);
	int in_text;		/* continues a text run instead of ending it */
} markups[] = {
	{ "<!--", comment, 0 },
	{ "<![CDATA[", cdata, 1 },
	{ "<!DOCTYPE", xp_doctype, 0 },
	{ "<!", bad_markup, 0 },
	{ "<?", pi, 0 },
	{ "</", end_tag, 0 },
	{ "<", start_tag, 0 },
};

static int markup(struct parser *p)
{
	const struct markup *m = markups;

	while (!xp_at(p, m->open))
		m++;
	if (!m->in_text)
		run_end(p);
	return m->parse(p);
}

static void finish(struct parser *p)
{
	const struct xml_node *e = p->cur;

	run_end(p);
	if (e != p->doc)
		xp_fail_end(p, p->len, "unclosed tag <%s> opened at %d:%d",
			    e->name, e->line, e->col);
	else if (!p->rooted)
		xp_fail_end(p, p->len, "missing root element");
}

static void parse(struct parser *p)
{
	if (p->len - p->i >= 6 && !memcmp(p->s + p->i, "<?xml", 5) &&
	    xp_is_ws(p->s[p->i + 5]))
		xp_decl(p);
	while (!p->failed && p->i < p->len) {
		if (p->s[p->i] == '<')
			markup(p);
		else if (p->cur == p->doc)
			outside(p);
		else
			text(p);
	}
	if (!p->failed)
		finish(p);
}

struct xml_node *xml_parse(const char *buf, size_t len, struct xml_err *err)
{
	struct xml_err spare;
	struct parser p = { .s = buf, .end = len, .line = 1, .col = 1 };
	unsigned cp = 0;
	int utf8 = 1;

	p.err = err ? err : &spare;
	memset(p.err, 0, sizeof *p.err);
	if (len > XML_MAX_FILE) {
		snprintf(p.err->msg, sizeof p.err->msg,
			 "document larger than %u bytes", XML_MAX_FILE);
		return NULL;
	}
	p.bom = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
	p.i = p.pos = p.bom;
	p.len = xp_first_bad(buf, len, &cp, &utf8);
	p.doc = p.cur = xml_new(XML_DOC, NULL, NULL);
	parse(&p);
	if (p.len < p.end && (!p.failed || p.seen >= p.len)) {
		p.failed = 0;
		if (utf8)
			xp_fail(&p, p.len, "invalid character U+%04X", cp);
		else
			xp_fail(&p, p.len, "invalid UTF-8");
	}
	buf_free(&p.text);
	if (!p.failed)
		return p.doc;
	xml_free(p.doc);
	return NULL;
}

struct xml_node *xml_load(const char *path, struct xml_err *err)
{
	struct xml_err spare;
	struct xml_node *doc;
	size_t len;
	char *s = read_file(path, XML_MAX_FILE, &len);

	if (!err)
		err = &spare;
	if (!s) {
		memset(err, 0, sizeof *err);
		if (errno == EFBIG)
			snprintf(err->msg, sizeof err->msg,
				 "file larger than %u bytes", XML_MAX_FILE);
		else
			snprintf(err->msg, sizeof err->msg, "cannot read: %s",
				 strerror(errno));
		return NULL;
	}
	doc = xml_parse(s, len, err);
	free(s);
	return doc;
}

void xml_perror(const char *path, const struct xml_err *err)
{
	if (err->line)
		warn_msg("%s:%d:%d: %s", path, err->line, err->col, err->msg);
	else
		warn_msg("%s: %s", path, err->msg);
}
