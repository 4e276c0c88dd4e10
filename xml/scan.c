/* xml/scan.c - the parser's floor: characters, positions, errors, scans.
 *
 * Positions are 1-based; a column counts characters (UTF-8 sequences),
 * a TAB is one column, and the byte order mark none.  Line and column are
 * computed from byte offsets through a cache that only moves forward, so
 * the positions of all nodes cost linear time over a whole parse. */
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* --- characters --------------------------------------------------- */

struct range {
	unsigned lo, hi;
};

static const struct range name_start[] = {
	{ ':', ':' }, { 'A', 'Z' }, { '_', '_' }, { 'a', 'z' },
	{ 0xC0, 0xD6 }, { 0xD8, 0xF6 }, { 0xF8, 0x2FF }, { 0x370, 0x37D },
	{ 0x37F, 0x1FFF }, { 0x200C, 0x200D }, { 0x2070, 0x218F },
	{ 0x2C00, 0x2FEF }, { 0x3001, 0xD7FF }, { 0xF900, 0xFDCF },
	{ 0xFDF0, 0xFFFD }, { 0x10000, 0xEFFFF },
};

static const struct range name_more[] = {
	{ '-', '.' }, { '0', '9' }, { 0xB7, 0xB7 }, { 0x300, 0x36F },
	{ 0x203F, 0x2040 },
};

static const struct range chars[] = {
	{ 0x9, 0xA }, { 0xD, 0xD }, { 0x20, 0xD7FF }, { 0xE000, 0xFFFD },
	{ 0x10000, 0x10FFFF },
};

static int in_ranges(const struct range *r, size_t n, unsigned cp)
{
	for (size_t k = 0; k < n; k++)
		if (cp >= r[k].lo && cp <= r[k].hi)
			return 1;
	return 0;
}

#define IN(table, cp) in_ranges(table, ARRAY_LEN(table), cp)

int xp_is_char(unsigned long cp)
{
	return cp <= 0x10FFFF && IN(chars, (unsigned)cp);
}

static int is_name_char(unsigned cp, int first)
{
	return IN(name_start, cp) || (!first && IN(name_more, cp));
}

int xp_is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* Decode one UTF-8 sequence: its length, or 0 if it is malformed
 * (overlong forms, surrogates and values past U+10FFFF included). */
int xp_utf8_get(const unsigned char *s, size_t left, unsigned *cp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	int n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2 || c > 0xF4)
		return 0;
	n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	c &= 0x3F >> (n - 1);
	if (n == 3 && c == 0)
		lo = 0xA0;
	if (n == 3 && c == 0xD)
		hi = 0x9F;
	if (n == 4 && c == 0)
		lo = 0x90;
	if (n == 4 && c == 4)
		hi = 0x8F;
	if ((size_t)n > left)
		return 0;
	for (int k = 1; k < n; k++, lo = 0x80, hi = 0xBF) {
		if (s[k] < lo || s[k] > hi)
			return 0;
		c = c << 6 | (s[k] & 0x3F);
	}
	*cp = c;
	return n;
}

void xp_put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];
	int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };

	for (int k = n - 1; k > 0; k--, cp >>= 6)
		u[k] = (char)(0x80 | (cp & 0x3F));
	u[0] = (char)(lead[n] | cp);
	buf_add(b, u, (size_t)n);
}

/* Offset of the first byte that does not start a valid Char. */
size_t xp_first_bad(const char *s, size_t len, unsigned *cp, int *utf8)
{
	size_t i = 0;
	int n;

	while (i < len) {
		n = xp_utf8_get((const unsigned char *)s + i, len - i, cp);
		*utf8 = n > 0;
		if (!n || !xp_is_char(*cp))
			return i;
		i += (size_t)n;
	}
	return len;
}

/* --- positions and errors ----------------------------------------- */

static int is_newline(const struct parser *p, size_t k)
{
	return p->s[k] == '\n' ||
	       (p->s[k] == '\r' && (k + 1 >= p->end || p->s[k + 1] != '\n'));
}

void xp_where(struct parser *p, size_t off, int *line, int *col)
{
	if (off < p->pos || p->pos < p->bom) {
		p->pos = p->bom;
		p->line = p->col = 1;
	}
	for (; p->pos < off && p->pos < p->end; p->pos++) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (is_newline(p, p->pos)) {
			p->line++;
			p->col = 1;
		} else if ((c & 0xC0) != 0x80 && c != '\r') {
			p->col++;
		}
	}
	*line = p->line;
	*col = p->col;
}

static int vfail(struct parser *p, size_t off, size_t seen, const char *fmt,
		 va_list ap)
{
	if (p->failed)
		return -1;
	p->failed = 1;
	p->seen = seen;
	xp_where(p, off, &p->err->line, &p->err->col);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	return -1;
}

/* Report a problem found at offset off; always returns -1. */
int xp_fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(p, off, off, fmt, ap);
	va_end(ap);
	return -1;
}

/* The same for a construct found unterminated: the problem was seen at
 * the end of input, though it is reported where the construct began. */
int xp_fail_end(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(p, off, p->len, fmt, ap);
	va_end(ap);
	return -1;
}

/* --- scanning ----------------------------------------------------- */

size_t xp_skip_ws(struct parser *p)
{
	size_t from = p->i;

	while (p->i < p->len && xp_is_ws(p->s[p->i]))
		p->i++;
	return p->i - from;
}

/* Offset of lit at or after from, or p->len. */
size_t xp_find(const struct parser *p, size_t from, const char *lit)
{
	const char *hit = memmem(p->s + from, p->len - from, lit,
				 strlen(lit));

	return hit ? (size_t)(hit - p->s) : p->len;
}

/* Length of the Name at offset from (0 if none); fails when too long. */
size_t xp_scan_name(struct parser *p, size_t from)
{
	size_t k = from;
	unsigned cp;
	int n;

	while (k < p->len) {
		n = xp_utf8_get((const unsigned char *)p->s + k, p->len - k,
				&cp);
		if (!n || !is_name_char(cp, k == from))
			break;
		k += (size_t)n;
	}
	if (k - from <= XML_MAX_NAME)
		return k - from;
	xp_fail(p, from, "name longer than %d bytes", XML_MAX_NAME);
	return 0;
}

/* The Name at i, copied, with i moved past it; NULL (failed) if none. */
char *xp_take_name(struct parser *p, const char *what)
{
	size_t n = xp_scan_name(p, p->i);
	char *name;

	if (!n) {
		if (p->i >= p->len)
			xp_fail_end(p, p->i, "expected %s name", what);
		else
			xp_fail(p, p->i, "expected %s name", what);
		return NULL;
	}
	name = xstrndup(p->s + p->i, n);
	p->i += n;
	return name;
}

/* Append s[0..n) to b with CR LF and lone CR turned into LF. */
void xp_add_lines(struct buf *b, const char *s, size_t n)
{
	const char *cr;

	while (n && (cr = memchr(s, '\r', n))) {
		size_t k = (size_t)(cr - s);
		buf_add(b, s, k);
		buf_add(b, "\n", 1);
		k += 1 + (k + 1 < n && s[k + 1] == '\n');
		s += k;
		n -= k;
	}
	buf_add(b, s, n);
}

char *xp_dup_lines(const char *s, size_t n)
{
	struct buf b = {0};

	xp_add_lines(&b, s, n);
	return b.p;
}

/* --- comments and PIs, checked (their nodes are made in xml.c) ---- */

/* Check the comment at i and move past it; *body, *n give its text. */
int xp_scan_comment(struct parser *p, size_t *body, size_t *n)
{
	size_t from = p->i, dd = xp_find(p, from + 4, "--");

	if (dd + 2 >= p->len)
		return xp_fail_end(p, from, "unterminated comment");
	if (p->s[dd + 2] != '>')
		return xp_fail(p, dd, "'--' not allowed in a comment");
	*body = from + 4;
	*n = dd - *body;
	p->i = dd + 3;
	return 0;
}

/* "xml" in any case is reserved for the declaration at the very start. */
static int check_target(struct parser *p, size_t from, const char *name)
{
	if (!strcmp(name, "xml"))
		return xp_fail(p, from, from == p->bom ? "malformed XML "
			       "declaration" : "XML declaration allowed only "
			       "at the start of the document");
	if (!strcasecmp(name, "xml"))
		return xp_fail(p, from, "reserved PI target '%s'", name);
	return 0;
}

/* Check the PI at i and move past it; *target (allocated), *data, *n. */
int xp_scan_pi(struct parser *p, char **target, size_t *data, size_t *n)
{
	size_t from = p->i, end;

	p->i += 2;
	if (!(*target = xp_take_name(p, "a PI target")))
		return -1;
	if (check_target(p, from, *target) < 0)
		return -1;
	if (!xp_skip_ws(p) && !xp_at(p, "?>") && p->i < p->len)
		return xp_fail(p, p->i, "expected whitespace or '?>' after "
			       "'<?%s'", *target);
	end = xp_find(p, p->i, "?>");
	if (end >= p->len)
		return xp_fail_end(p, from, "unterminated processing "
				   "instruction");
	*data = p->i;
	*n = end - p->i;
	p->i = end + 2;
	return 0;
}
