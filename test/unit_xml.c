/* test/unit_xml.c - the XML parser, tree and writer (xml/xml.h). */
#include "unit.h"
#include "../xml/xml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct xml_node *parse(const char *s, struct xml_err *err)
{
	return xml_parse(s, strlen(s), err);
}

/* The written form of a document or node, header line left out. */
static char *written(const struct xml_node *n)
{
	struct buf b = {0};
	const char *body;
	char *s;

	xml_write(&b, n);
	body = strncmp(b.p, "<?xml", 5) ? b.p : strchr(b.p, '\n') + 1;
	s = xstrdup(body);
	buf_free(&b);
	return s;
}

/* --- well-formed documents, as the writer gives them back ------ */

static const struct {
	const char *in, *out;
} good[] = {
	{ "<a/>", "<a/>\n" },
	{ "<a></a>", "<a/>\n" },
	{ "<?xml version=\"1.0\"?><a/>", "<a/>\n" },
	{ "<?xml version='1.0' encoding='utf-8' standalone='no' ?>\n<a/>",
	  "<a/>\n" },
	{ "<?xml version=\"1.1\"?><a/>", "<a/>\n" },
	{ "\xEF\xBB\xBF<a/>", "<a/>\n" },
	{ "<a x='1' y=\"2\"/>", "<a x=\"1\" y=\"2\"/>\n" },
	{ "<a  x = '1'\n\ty\t=\"2\"  ></a >", "<a x=\"1\" y=\"2\"/>\n" },
	{ "<a q='say \"hi\"' s=\"it's\"/>",
	  "<a q=\"say &quot;hi&quot;\" s=\"it's\"/>\n" },
	{ "<a><b/><c>t</c></a>", "<a>\n  <b/>\n  <c>t</c>\n</a>\n" },
	{ "<a>\n  <b/>\n  \t\r\n</a>", "<a>\n  <b/>\n</a>\n" },
	{ "<a>one <b>two</b> three</a>", "<a>one <b>two</b> three</a>\n" },
	{ "<a>x<b><c/></b></a>", "<a>x<b><c/></b></a>\n" },
	{ "<a>&lt;&gt;&amp;&quot;&apos;</a>", "<a>&lt;&gt;&amp;\"'</a>\n" },
	{ "<a>&#65;&#x42;&#x263a;</a>", "<a>AB\xE2\x98\xBA</a>\n" },
	{ "<a><![CDATA[<x> & ]]></a>", "<a>&lt;x&gt; &amp; </a>\n" },
	{ "<a>pre<![CDATA[ mid ]]>post</a>", "<a>pre mid post</a>\n" },
	{ "<a>]] ]> ]</a>", "<a>]] ]&gt; ]</a>\n" },
	{ "<a>a\r\nb\rc</a>", "<a>a\nb\nc</a>\n" },
	{ "<a>&#13;</a>", "<a/>\n" },
	{ "<a>&#13;x</a>", "<a>&#13;x</a>\n" },
	{ "<a> &#32; </a>", "<a/>\n" },
	{ "<a x=\"t\tn\nr\rrn\r\n.\"/>", "<a x=\"t n r rn .\"/>\n" },
	{ "<a x=\"&#9;&#10;&#13;\"/>", "<a x=\"&#9;&#10;&#13;\"/>\n" },
	{ "<a x=\"&lt;&amp;>\"/>", "<a x=\"&lt;&amp;&gt;\"/>\n" },
	{ "<!--pro--><?p d?><a/><!--epi-->",
	  "<!--pro-->\n<?p d?>\n<a/>\n<!--epi-->\n" },
	{ "<a><!----><!-- - --><?t?><?t  x ?></a>",
	  "<a>\n  <!---->\n  <!-- - -->\n  <?t?>\n  <?t x ?>\n</a>\n" },
	{ "<a>t<!--c-->u</a>", "<a>t<!--c-->u</a>\n" },
	{ "<!DOCTYPE a><a/>", "<a/>\n" },
	{ "<!DOCTYPE a SYSTEM \"a.dtd\"><a/>", "<a/>\n" },
	{ "<!DOCTYPE a PUBLIC \"-//A//B\" 'a.dtd'><a/>", "<a/>\n" },
	{ "<!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a x CDATA '>'>"
	  "<!ENTITY e \"]>\">%pe;<!--]--><?p ]?>]><a/>", "<a/>\n" },
	{ "<\xC3\xA9t\xC3\xA9 \xE5\x90\x8D=\"\xF0\x9F\x98\x80\"/>",
	  "<\xC3\xA9t\xC3\xA9 \xE5\x90\x8D=\"\xF0\x9F\x98\x80\"/>\n" },
	{ "<_:a.b-c\xC2\xB7" "1 x:y='1'/>",
	  "<_:a.b-c\xC2\xB7" "1 x:y=\"1\"/>\n" },
	{ "<a>\xEF\xBF\xBD\xF4\x8F\xBF\xBF</a>",
	  "<a>\xEF\xBF\xBD\xF4\x8F\xBF\xBF</a>\n" },
	{ "<a><?xml-stylesheet x?></a>",
	  "<a>\n  <?xml-stylesheet x?>\n</a>\n" },
};

TEST(xml_good_documents)
{
	for (size_t k = 0; k < ARRAY_LEN(good); k++) {
		struct xml_err err;
		struct xml_node *doc = parse(good[k].in, &err);
		char *out = doc ? written(doc) : NULL;

		unit_check(doc != NULL, __FILE__, __LINE__,
			   "good[%zu]: %d:%d: %s", k, err.line, err.col,
			   err.msg);
		if (out)
			unit_check(!strcmp(out, good[k].out), __FILE__,
				   __LINE__, "good[%zu]: wrote \"%s\"", k, out);
		free(out);
		xml_free(doc);
	}
}

/* --- malformed documents: exact position and message ----------- */

static const struct {
	const char *in;
	int line, col;
	const char *msg;
} bad[] = {
	{ "", 1, 1, "missing root element" },
	{ " \n ", 2, 2, "missing root element" },
	{ "<!--c-->", 1, 9, "missing root element" },
	{ "<a>\n  <b>\n", 3, 1, "unclosed tag <b> opened at 2:3" },
	{ "<a><b></a>", 1, 7, "expected </b>, found </a>" },
	{ "</a>", 1, 1, "unexpected end tag </a>" },
	{ "<a></a x>", 1, 8, "expected '>' to end </a>" },
	{ "<a></a", 1, 4, "unterminated end tag </a>" },
	{ "<a x='1' y='2' x='3'/>", 1, 16, "duplicate attribute 'x'" },
	{ "<a>&foo;</a>", 1, 4, "undefined entity '&foo;'" },
	{ "<a>&amp</a>", 1, 4, "missing ';' after '&amp'" },
	{ "<a>a & b</a>", 1, 6, "'&' must start a reference (use &amp;)" },
	{ "<a>&#;</a>", 1, 4, "bad character reference" },
	{ "<a>&#X41;</a>", 1, 4, "bad character reference" },
	{ "<a>&#x4G;</a>", 1, 4, "bad character reference" },
	{ "<a>&#0;</a>", 1, 4, "invalid character reference '&#0;'" },
	{ "<a>&#xD800;</a>", 1, 4, "invalid character reference '&#xD800;'" },
	{ "<a>&#x110000;</a>", 1, 4,
	  "invalid character reference '&#x110000;'" },
	{ "<a>&#xFFFE;</a>", 1, 4, "invalid character reference '&#xFFFE;'" },
	{ "<a>&#99999999999999999999999;</a>", 1, 4,
	  "invalid character reference '&#99999999999999999999999;'" },
	{ "<a>&#18446744073709551681;</a>", 1, 4,
	  "invalid character reference '&#18446744073709551681;'" },
	{ "<a>&#x10000000000000041;</a>", 1, 4,
	  "invalid character reference '&#x10000000000000041;'" },
	{ "<a x='&#1;'/>", 1, 7, "invalid character reference '&#1;'" },
	{ "<a/><b/>", 1, 5, "junk after root element" },
	{ "<a/>\ntext", 2, 1, "junk after root element" },
	{ "x<a/>", 1, 1, "text outside the root element" },
	{ "<a/>&amp;", 1, 5, "junk after root element" },
	{ "<a><!-- x </a>", 1, 4, "unterminated comment" },
	{ "<a><!-- x -- y --></a>", 1, 11, "'--' not allowed in a comment" },
	{ "<a><!-- x ---></a>", 1, 11, "'--' not allowed in a comment" },
	{ "<a><!-- x --", 1, 4, "unterminated comment" },
	{ "<a><![CDATA[ x </a>", 1, 4, "unterminated CDATA section" },
	{ "<![CDATA[x]]><a/>", 1, 1, "CDATA section outside the root element" },
	{ "<a><?p x</a>", 1, 4, "unterminated processing instruction" },
	{ "<a><?p", 1, 4, "unterminated processing instruction" },
	{ "<a><?p?x?></a>", 1, 7, "expected whitespace or '?>' after '<?p'" },
	{ "<a><? p?></a>", 1, 6, "expected a PI target name" },
	{ "<a x='1>", 1, 6, "unterminated attribute value" },
	{ "<a x='1></a>", 1, 9, "'<' not allowed in an attribute value" },
	{ "<a x='<'/>", 1, 7, "'<' not allowed in an attribute value" },
	{ "<a x=1/>", 1, 6, "expected a quoted attribute value" },
	{ "<a x/>", 1, 5, "expected '=' after attribute 'x'" },
	{ "<a x='1'y='2'/>", 1, 9, "expected whitespace, '>' or '/>' in <a>" },
	{ "<a/ >", 1, 3, "expected whitespace, '>' or '/>' in <a>" },
	{ "<a", 1, 1, "unterminated start tag <a>" },
	{ "<a x='1'", 1, 1, "unterminated start tag <a>" },
	{ "< a/>", 1, 2, "expected an element name" },
	{ "<1a/>", 1, 2, "expected an element name" },
	{ "<a =''/>", 1, 4, "expected an attribute name" },
	{ "<a>x ]]> y</a>", 1, 6, "']]>' not allowed in text" },
	{ "<a><!FOO></a>", 1, 4,
	  "expected '<!--', '<![CDATA[' or '<!DOCTYPE'" },
	{ "<a>\x01</a>", 1, 4, "invalid character U+0001" },
	{ "<a>\xEF\xBF\xBF</a>", 1, 4, "invalid character U+FFFF" },
	{ "<a>\xC3\x28</a>", 1, 4, "invalid UTF-8" },
	{ "<a>\xC0\xAF</a>", 1, 4, "invalid UTF-8" },
	{ "<a>\xED\xA0\x80</a>", 1, 4, "invalid UTF-8" },
	{ "<a>\xF4\x90\x80\x80</a>", 1, 4, "invalid UTF-8" },
	{ "<a>\xE2\x82", 1, 4, "invalid UTF-8" },
	{ "<a>\xFF</a>", 1, 4, "invalid UTF-8" },
	{ "<a>\xC3\xA9\xC3\xA9\x01", 1, 6, "invalid character U+0001" },
	{ "<a><!-- \x01 -->", 1, 9, "invalid character U+0001" },
	{ "</b>\x01", 1, 1, "unexpected end tag </b>" },
	{ "<a/>\n<?xml version='1.0'?>", 2, 1,
	  "XML declaration allowed only at the start of the document" },
	{ " <?xml version='1.0'?><a/>", 1, 2,
	  "XML declaration allowed only at the start of the document" },
	{ "<?XML x?><a/>", 1, 1, "reserved PI target 'XML'" },
	{ "<?xml ?><a/>", 1, 1, "XML declaration without version" },
	{ "<?xml encoding='UTF-8'?><a/>", 1, 7,
	  "XML declaration without version" },
	{ "<?xml version='1.0' standalone='no' encoding='UTF-8'?><a/>", 1, 37,
	  "'encoding' repeated or out of order in the XML declaration" },
	{ "<?xml version='1.0' version='1.0'?><a/>", 1, 21,
	  "'version' repeated or out of order in the XML declaration" },
	{ "<?xml version='1.0' foo='1'?><a/>", 1, 21,
	  "malformed XML declaration" },
	{ "<?xml version='1.0'encoding='UTF-8'?><a/>", 1, 20,
	  "malformed XML declaration" },
	{ "<?xml version='2.0'?><a/>", 1, 15, "unsupported XML version '2.0'" },
	{ "<?xml version='1.'?><a/>", 1, 15, "unsupported XML version '1.'" },
	{ "<?xml version='1.0' encoding='latin1'?><a/>", 1, 30,
	  "unsupported encoding 'latin1' (only UTF-8)" },
	{ "<?xml version='1.0' standalone='maybe'?><a/>", 1, 32,
	  "standalone must be 'yes' or 'no'" },
	{ "<?xml version='1.0'", 1, 1, "unterminated XML declaration" },
	{ "<?xml version='1.0", 1, 1, "unterminated XML declaration" },
	{ "<a/><!DOCTYPE a>", 1, 5, "DOCTYPE not allowed here" },
	{ "<!DOCTYPE a><!DOCTYPE a><a/>", 1, 13, "DOCTYPE not allowed here" },
	{ "<!DOCTYPE a [<!ELEMENT a ANY>", 1, 13,
	  "unterminated internal subset" },
	{ "<!DOCTYPE a [<!FOO a>]><a/>", 1, 14,
	  "unknown declaration in the DOCTYPE" },
	{ "<!DOCTYPE a [ x ]><a/>", 1, 15,
	  "unexpected character in the DOCTYPE" },
	{ "<!DOCTYPE a [%pe]><a/>", 1, 14, "bad parameter entity reference" },
	{ "<!DOCTYPE a PUBLIC \"{}\" \"a\"><a/>", 1, 21,
	  "invalid character in public id" },
	{ "<!DOCTYPE a SYSTEM 'a><a/>", 1, 20, "unterminated literal" },
	{ "<!DOCTYPE a SYSTEM><a/>", 1, 19,
	  "expected whitespace after 'SYSTEM'" },
	{ "<!DOCTYPE a x><a/>", 1, 13, "expected '>' to end the DOCTYPE" },
	{ "<!DOCTYPEa><a/>", 1, 10, "expected whitespace after '<!DOCTYPE'" },
	{ "<!DOCTYPE a", 1, 1, "unterminated DOCTYPE" },
	{ "<!DOCTYPE a [<!ELEMENT a 'x>]><a/>", 1, 26, "unterminated literal" },
	{ "\xEF\xBB\xBF<a>", 1, 4, "unclosed tag <a> opened at 1:1" },
	{ "<a>\r\n<b>\r</a>", 3, 1, "expected </b>, found </a>" },
	{ "<a>\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80<b></a>", 1, 11,
	  "expected </b>, found </a>" },
};

TEST(xml_bad_documents)
{
	for (size_t k = 0; k < ARRAY_LEN(bad); k++) {
		struct xml_err err;
		struct xml_node *doc = parse(bad[k].in, &err);

		int ok = !doc && err.line == bad[k].line &&
			 err.col == bad[k].col && !strcmp(err.msg, bad[k].msg);

		unit_check(ok, __FILE__, __LINE__, "bad[%zu]: got %s %d:%d: %s",
			   k, doc ? "a tree" : "error", err.line, err.col,
			   err.msg);
		xml_free(doc);
	}
}

/* Bytes that cannot be in a C string literal of the tables above. */
TEST(xml_nul_byte)
{
	struct xml_err err;

	CHECK(!xml_parse("<a>\0</a>", 8, &err));
	CHECK_INT(err.col, 4);
	CHECK_STR(err.msg, "invalid character U+0000");
	CHECK(!xml_parse("<a/>\0", 5, &err));
	CHECK_STR(err.msg, "invalid character U+0000");
	CHECK(!xml_parse(NULL, 0, &err));
	CHECK_STR(err.msg, "missing root element");
}

/* --- references decode to UTF-8 -------------------------------- */

static const struct {
	const char *ref, *utf8;
} refs[] = {
	{ "&#65;", "A" }, { "&#x41;", "A" }, { "&#0065;", "A" },
	{ "&#x0000041;", "A" }, { "&#9;x", "\tx" }, { "&#xe9;", "\xC3\xA9" },
	{ "&#x7FF;", "\xDF\xBF" }, { "&#x800;", "\xE0\xA0\x80" },
	{ "&#x20AC;", "\xE2\x82\xAC" }, { "&#xD7FF;", "\xED\x9F\xBF" },
	{ "&#xE000;", "\xEE\x80\x80" }, { "&#xFFFD;", "\xEF\xBF\xBD" },
	{ "&#x10000;", "\xF0\x90\x80\x80" },
	{ "&#128512;", "\xF0\x9F\x98\x80" },
	{ "&#x10FFFF;", "\xF4\x8F\xBF\xBF" },
	{ "&lt;&gt;&amp;&apos;&quot;", "<>&'\"" },
};

TEST(xml_references)
{
	for (size_t k = 0; k < ARRAY_LEN(refs); k++) {
		char *in = xasprintf("<a v='%s'>%s</a>", refs[k].ref,
				     refs[k].ref);
		struct xml_err err;
		struct xml_node *doc = parse(in, &err);
		struct xml_node *a = xml_root(doc);

		CHECK_STR(xml_text(a), refs[k].utf8);
		CHECK_STR(xml_get(a, "v"), refs[k].utf8);
		xml_free(doc);
		free(in);
	}
}

/* --- limits ---------------------------------------------------- */

static char *nested(int depth)
{
	struct buf b = {0};

	for (int k = 0; k < depth; k++)
		buf_puts(&b, "<e>");
	for (int k = 0; k < depth; k++)
		buf_puts(&b, "</e>");
	return b.p;
}

TEST(xml_limit_depth)
{
	struct xml_err err;
	char *ok = nested(XML_MAX_DEPTH), *deep = nested(XML_MAX_DEPTH + 1);
	struct xml_node *doc = parse(ok, &err);

	CHECK(doc != NULL);
	xml_free(doc);
	CHECK(!parse(deep, &err));
	CHECK_INT(err.col, 3 * XML_MAX_DEPTH + 1);
	CHECK_STR(err.msg, "elements nested deeper than 64");
	free(ok);
	free(deep);
}

static char *with_attrs(int n)
{
	struct buf b = {0};

	buf_puts(&b, "<a");
	for (int k = 0; k < n; k++)
		buf_printf(&b, " a%d='%d'", k, k);
	buf_puts(&b, "/>");
	return b.p;
}

TEST(xml_limit_attrs)
{
	struct xml_err err;
	char *ok = with_attrs(XML_MAX_ATTRS);
	char *many = with_attrs(XML_MAX_ATTRS + 1);
	struct xml_node *doc = parse(ok, &err);

	CHECK(doc && xml_root(doc)->nattrs == XML_MAX_ATTRS);
	CHECK_STR(xml_get(xml_root(doc), "a63"), "63");
	xml_free(doc);
	CHECK(!parse(many, &err));
	CHECK_STR(err.msg, "more than 64 attributes");
	CHECK_INT(err.col, (int)(strstr(many, "a64=") - many) + 1);
	free(ok);
	free(many);
}

TEST(xml_limit_name)
{
	struct xml_err err;
	char name[XML_MAX_NAME + 2];
	char *doc_ok, *doc_long;
	struct xml_node *doc;

	memset(name, 'n', sizeof name);
	name[XML_MAX_NAME] = 0;
	doc_ok = xasprintf("<%s %s='1'/>", name, name);
	name[XML_MAX_NAME] = 'n';
	name[XML_MAX_NAME + 1] = 0;
	doc_long = xasprintf("<a %s='1'/>", name);
	doc = parse(doc_ok, &err);
	CHECK(doc && strlen(xml_root(doc)->name) == XML_MAX_NAME);
	xml_free(doc);
	CHECK(!parse(doc_long, &err));
	CHECK_INT(err.col, 4);
	CHECK_STR(err.msg, "name longer than 128 bytes");
	free(doc_ok);
	free(doc_long);
}

/* One long line of n nodes: also shows positions cost linear time. */
static char *flat(int children)
{
	struct buf b = {0};

	buf_puts(&b, "<r>");
	for (int k = 0; k < children; k++)
		buf_puts(&b, "<e/>");
	buf_puts(&b, "</r>");
	return b.p;
}

TEST(xml_limit_nodes)
{
	struct xml_err err;
	char *ok = flat(XML_MAX_NODES - 1), *many = flat(XML_MAX_NODES);
	int64_t t0 = now_ms();
	struct xml_node *doc = parse(ok, &err);
	struct xml_node *last;

	CHECK(doc != NULL);
	CHECK_INT(xml_count(xml_root(doc), "e"), XML_MAX_NODES - 1);
	last = xml_root(doc)->last;
	CHECK(last && last->line == 1 && last->col == 4 * XML_MAX_NODES - 4);
	xml_free(doc);
	CHECK(!parse(many, &err));
	CHECK_STR(err.msg, "more than 200000 nodes");
	CHECK_INT(err.col, 4 * XML_MAX_NODES);
	CHECK(now_ms() - t0 < 5000);
	free(ok);
	free(many);
}

TEST(xml_limit_file)
{
	size_t len = XML_MAX_FILE + 1;
	char *big = xmalloc(len);
	struct xml_err err;

	memset(big, ' ', len);
	memcpy(big, "<a/>", 4);
	CHECK(!xml_parse(big, len, &err));
	CHECK_INT(err.line, 0);
	CHECK_STR(err.msg, "document larger than 4194304 bytes");
	free(big);
}

/* --- positions ------------------------------------------------- */

TEST(xml_positions)
{
	const char *s = "\xEF\xBB\xBF<?xml version='1.0'?>\r\n"
			"<r\tx='1'\n   y='2'>\n"
			"\t\xC3\xA9<!--c--><b/>text\r"
			"  <c/></r>";
	struct xml_err err;
	struct xml_node *doc = parse(s, &err), *r = xml_root(doc), *n;

	CHECK(r && r->line == 2 && r->col == 1);
	CHECK(r && r->attrs[0].line == 2 && r->attrs[0].col == 4);
	CHECK(r && r->attrs[1].line == 3 && r->attrs[1].col == 4);
	n = r ? r->child : NULL;
	CHECK(n && n->kind == XML_TEXT && n->line == 3 && n->col == 10);
	CHECK(n && (n = n->next) && n->kind == XML_COMMENT &&
	      n->line == 4 && n->col == 3);
	CHECK(n && (n = n->next) && n->kind == XML_ELEM &&
	      n->line == 4 && n->col == 11);
	CHECK(n && (n = n->next) && n->kind == XML_TEXT &&
	      n->line == 4 && n->col == 15);
	CHECK(n && (n = n->next) && !strcmp(n->name, "c") &&
	      n->line == 5 && n->col == 3);
	xml_free(doc);
}

/* --- round trips ----------------------------------------------- */

static void check_round_trip(const char *in, int line)
{
	struct xml_err err;
	struct xml_node *a = parse(in, &err), *b;
	struct buf w1 = {0}, w2 = {0};

	if (!unit_check(a != NULL, __FILE__, line, "round trip: %s", err.msg))
		return;
	xml_write(&w1, a);
	b = xml_parse(w1.p, w1.len, &err);
	unit_check(b && xml_equal(a, b), __FILE__, line, "reads back different:"
		   " %s", w1.p);
	if (b)
		xml_write(&w2, b);
	unit_check(b && !strcmp(w1.p, w2.p), __FILE__, line,
		   "second write differs:\n%s\n%s", w1.p, w2.p ? w2.p : "");
	xml_free(a);
	xml_free(b);
	buf_free(&w1);
	buf_free(&w2);
}

TEST(xml_round_trip)
{
	for (size_t k = 0; k < ARRAY_LEN(good); k++)
		check_round_trip(good[k].in, __LINE__);
	check_round_trip("<a x='&#9;&#10;&#13; &quot;&apos;&lt;&amp;>'>"
			 "&#13;\r\n]]&gt; \t<b> y </b><!--\n--><?p \n?></a>",
			 __LINE__);
	check_round_trip("<a>\n  text\n  <b>\n    <c/>\n  </b>\n</a>",
			 __LINE__);
}

TEST(xml_equal_compares)
{
	static const char *const differ[][2] = {
		{ "<a x='1' y='2'/>", "<a y='2' x='1'/>" },
		{ "<a x='1'/>", "<a x='2'/>" },
		{ "<a x='1'/>", "<a/>" },
		{ "<a>t</a>", "<a>u</a>" },
		{ "<a>t</a>", "<a/>" },
		{ "<a><!--c--></a>", "<a><!--d--></a>" },
		{ "<a><!--c--></a>", "<a><?c?></a>" },
		{ "<a><?p x?></a>", "<a><?p y?></a>" },
		{ "<a><b/></a>", "<a><c/></a>" },
		{ "<a><b/></a>", "<a><b/><b/></a>" },
		{ "<!--x--><a/>", "<a/>" },
	};
	struct xml_err err;

	for (size_t k = 0; k < ARRAY_LEN(differ); k++) {
		struct xml_node *a = parse(differ[k][0], &err);
		struct xml_node *b = parse(differ[k][1], &err);
		unit_check(a && b && !xml_equal(a, b) && !xml_equal(b, a) &&
			   xml_equal(a, a), __FILE__, __LINE__,
			   "differ[%zu]", k);
		xml_free(a);
		xml_free(b);
	}
	CHECK(xml_equal(NULL, NULL));
}

/* --- the tree API ---------------------------------------------- */

TEST(xml_attributes_edit)
{
	struct xml_err err;
	struct xml_node *doc = parse("<a x='1' y='2' z='3'/>", &err);
	struct xml_node *a = xml_root(doc);
	char *out;

	xml_set(a, "y", "two");
	CHECK_STR(a->attrs[1].name, "y");
	CHECK_STR(a->attrs[1].value, "two");
	xml_set(a, "w", "new");
	CHECK_INT(a->nattrs, 4);
	CHECK_STR(a->attrs[3].name, "w");
	xml_setf(a, "x", "%d-%s", 42, "v");
	CHECK_STR(xml_get(a, "x"), "42-v");
	CHECK_STR(a->attrs[0].name, "x");
	CHECK_INT(xml_unset(a, "y"), 1);
	CHECK_INT(xml_unset(a, "y"), 0);
	CHECK_INT(a->nattrs, 3);
	CHECK_STR(a->attrs[1].name, "z");
	CHECK_STR(a->attrs[2].name, "w");
	CHECK(xml_get(a, "y") == NULL);
	CHECK(xml_attr(a, "z") == &a->attrs[1]);
	xml_set(a, "z", xml_get(a, "z"));
	CHECK_STR(xml_get(a, "z"), "3");
	out = written(a);
	CHECK_STR(out, "<a x=\"42-v\" z=\"3\" w=\"new\"/>\n");
	free(out);
	xml_free(doc);
}

TEST(xml_children_edit)
{
	struct xml_err err;
	struct xml_node *doc = parse("<r><a/>t<!--c--><b/><a n='2'/></r>",
				     &err);
	struct xml_node *r = xml_root(doc), *c, *x;
	int seen = 0;
	char *out;

	CHECK_INT(xml_count(r, NULL), 3);
	CHECK_INT(xml_count(r, "a"), 2);
	CHECK_INT(xml_count(r, "zz"), 0);
	CHECK_STR(xml_child(r, "b")->name, "b");
	CHECK_STR(xml_get(xml_next(xml_child(r, "a"), "a"), "n"), "2");
	xml_each(c, r, "a")
		seen++;
	CHECK_INT(seen, 2);
	CHECK(xml_need(r, "b") == xml_child(r, "b"));
	x = xml_need(r, "new");
	CHECK(x && r->last == x && x->parent == r && x->line == 0);
	x = xml_add(x, "kid");
	xml_set(x, "k", "v");
	xml_remove(xml_child(r, "b"));
	CHECK_INT(xml_count(r, NULL), 3);
	xml_append(r, xml_child(r, "a"));
	CHECK(r->last && !strcmp(r->last->name, "a") && !xml_get(r->last, "n"));
	xml_unlink(x);
	CHECK(x->parent == NULL);
	CHECK(xml_child(xml_child(r, "new"), NULL) == NULL);
	xml_free(x);
	out = written(r);
	CHECK_STR(out, "<r>t<!--c--><a n=\"2\"/><new/><a/></r>\n");
	free(out);
	xml_free(doc);
}

TEST(xml_insert_before_links)
{
	struct xml_err err;
	struct xml_node *doc = parse("<r><a/><b/></r>", &err);
	struct xml_node *r = xml_root(doc), *a = xml_child(r, "a");
	struct xml_node *b = xml_child(r, "b");
	char *out;

	xml_insert_before(a, xml_new(XML_ELEM, "first", NULL));
	xml_insert_before(b, xml_new(XML_ELEM, "mid", NULL));
	xml_insert_before(a, b);		/* moves b, relinks both ends */
	CHECK(r->child && !strcmp(r->child->name, "first"));
	CHECK(r->last && !strcmp(r->last->name, "mid"));
	CHECK(b->prev == r->child && b->next == a && a->prev == b);
	CHECK(r->last->next == NULL && r->child->prev == NULL);
	out = written(r);
	CHECK_STR(out, "<r>\n  <first/>\n  <b/>\n  <a/>\n  <mid/>\n</r>\n");
	free(out);
	xml_free(doc);
}

TEST(xml_text_joined)
{
	struct xml_err err;
	struct xml_node *doc = parse("<r><a>one</a><b>x<!--c-->y<e/>z</b>"
				     "<c><e/></c></r>", &err);
	struct xml_node *r = xml_root(doc);
	struct xml_node *b = xml_child(r, "b");

	CHECK_STR(xml_text(xml_child(r, "a")), "one");
	CHECK_STR(xml_text(b), "xyz");
	CHECK_STR(xml_text(b), "xyz");
	CHECK(xml_text(xml_child(r, "c")) == NULL);
	CHECK(xml_text(NULL) == NULL);
	CHECK(xml_equal(doc, doc));
	xml_free(doc);
}

TEST(xml_build_and_write)
{
	struct xml_node *doc = xml_new(XML_DOC, NULL, NULL), *r, *n;
	struct buf b = {0};

	xml_append(doc, xml_new(XML_COMMENT, NULL, " generated "));
	r = xml_add(doc, "cluster");
	xml_set(r, "name", "a\"b<c>&d\te\nf\rg");
	n = xml_add(r, "node");
	xml_append(n, xml_new(XML_TEXT, NULL, "x < y & ]]> z\r"));
	xml_add(r, "empty");
	xml_append(r, xml_new(XML_PI, "target", NULL));
	xml_write(&b, doc);
	CHECK_STR(b.p, "<?xml version=\"1.0\"?>\n"
		  "<!-- generated -->\n"
		  "<cluster name=\"a&quot;b&lt;c&gt;&amp;d&#9;e&#10;f&#13;"
		  "g\">\n"
		  "  <node>x &lt; y &amp; ]]&gt; z&#13;</node>\n"
		  "  <empty/>\n"
		  "  <?target?>\n"
		  "</cluster>\n");
	check_round_trip(b.p, __LINE__);
	buf_free(&b);
	xml_free(doc);
}

/* --- files ----------------------------------------------------- */

static char *temp_file(const char *data, size_t len)
{
	char tmpl[] = "/tmp/unit-xml.XXXXXX";
	int fd = mkstemp(tmpl);

	if (fd < 0)
		return NULL;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return NULL;
	}
	close(fd);
	return xstrdup(tmpl);
}

/* What xml_perror prints, caught from stderr. */
static char *perror_text(const char *path, const struct xml_err *err)
{
	char *file = temp_file("", 0), *text;
	int saved = dup(2), fd = open(file, O_WRONLY);

	fflush(stderr);
	dup2(fd, 2);
	xml_perror(path, err);
	fflush(stderr);
	dup2(saved, 2);
	close(fd);
	close(saved);
	text = read_file(file, 4096, NULL);
	unlink(file);
	free(file);
	return text;
}

TEST(xml_load_files)
{
	struct xml_err err;
	char *good_file = temp_file("<a>\n<b></a>", 11), *text;
	char *big = xmalloc(XML_MAX_FILE + 1), *big_file;

	CHECK(!xml_load("/nonexistent/x.xml", &err));
	CHECK_INT(err.line, 0);
	CHECK_STR(err.msg, "cannot read: No such file or directory");
	text = perror_text("/nonexistent/x.xml", &err);
	CHECK_STR(text, "hacluster: /nonexistent/x.xml: cannot read: "
		  "No such file or directory\n");
	free(text);
	CHECK(!xml_load(good_file, &err));
	CHECK(err.line == 2 && err.col == 4);
	text = perror_text("f.xml", &err);
	CHECK_STR(text, "hacluster: f.xml:2:4: expected </b>, found </a>\n");
	free(text);
	memset(big, ' ', XML_MAX_FILE + 1);
	big_file = temp_file(big, XML_MAX_FILE + 1);
	CHECK(!xml_load(big_file, &err));
	CHECK_INT(err.line, 0);
	CHECK_STR(err.msg, "file larger than 4194304 bytes");
	unlink(good_file);
	unlink(big_file);
	free(good_file);
	free(big_file);
	free(big);
}

TEST(xml_load_good)
{
	char *file = temp_file("<a x='1'>t</a>\n", 15);
	struct xml_node *doc = xml_load(file, NULL);

	CHECK(doc && !strcmp(xml_get(xml_root(doc), "x"), "1"));
	CHECK(xml_load("/nonexistent", NULL) == NULL);
	xml_free(doc);
	unlink(file);
	free(file);
}

/* Whatever a built tree holds (names aside), the output parses. */
TEST(xml_write_unrepresentable)
{
	struct xml_node *doc = xml_new(XML_DOC, NULL, NULL), *r, *back;
	struct buf b = {0};
	struct xml_err err;

	r = xml_add(doc, "r");
	xml_set(r, "v", "a\x01" "b\xFF" "c\xE2\x82" "d\xEF\xBF\xBE" "e");
	xml_append(r, xml_new(XML_COMMENT, NULL, "x--y---z-"));
	xml_append(r, xml_new(XML_PI, "p", "a?>b\x02"));
	xml_append(r, xml_new(XML_TEXT, NULL, "t\x1F" "u\xC0\xAF" "v"));
	xml_write(&b, doc);
	CHECK_STR(b.p, "<?xml version=\"1.0\"?>\n<r v=\"a\xEF\xBF\xBD"
		  "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e\">"
		  "<!--x- -y- - -z- --><?p a? >b\xEF\xBF\xBD?>"
		  "t\xEF\xBF\xBD" "u\xEF\xBF\xBD" "v</r>\n");
	back = xml_parse(b.p, b.len, &err);
	CHECK(back != NULL);
	xml_free(back);
	buf_free(&b);
	xml_free(doc);
}
