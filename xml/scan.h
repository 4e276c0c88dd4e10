/* xml/scan.h - the XML module's private floor: parser state, helpers.
 *
 * xml.c parses elements, text and references and owns the entry points;
 * prolog.c the XML declaration and the DOCTYPE; scan.c characters,
 * positions, errors and the scanning helpers all of them use (write.c
 * borrows the character tests).  Nothing outside xml/{xml,prolog,scan,
 * write}.c includes this header. */
#ifndef XML_SCAN_H
#define XML_SCAN_H

#include <string.h>
#include "xml.h"

struct parser {
	const char *s;
	size_t len;		/* parse s[0..len): a bad byte ends it */
	size_t end;		/* length of the whole input */
	size_t i;		/* next byte */
	size_t bom;		/* 3 after a byte order mark, else 0 */
	struct xml_err *err;
	int failed;
	size_t seen;		/* how far input was read to find the error */
	struct xml_node *doc, *cur;	/* cur: open element, or doc */
	int depth, doctype, in_run;
	int rooted;		/* the root element has begun */
	long nodes;
	struct buf text;	/* the text run being collected */
	size_t text_at;		/* where it started, */
	int tline, tcol;	/* which is line:col */
	size_t pos;		/* position cache: offset pos is line:col */
	int line, col;
};

static inline int xp_is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int xp_peek(const struct parser *p)
{
	return p->i < p->len ? (unsigned char)p->s[p->i] : -1;
}

/* Does the input at i start with lit? */
static inline int xp_at(const struct parser *p, const char *lit)
{
	size_t n = strlen(lit);

	return p->len - p->i >= n && !memcmp(p->s + p->i, lit, n);
}

/* Characters (UTF-8, productions [2], [4], [4a]). */
int xp_utf8_get(const unsigned char *s, size_t left, unsigned *cp);
void xp_put_utf8(struct buf *b, unsigned long cp);
int xp_is_char(unsigned long cp);
int xp_is_alnum(int c);
size_t xp_first_bad(const char *s, size_t len, unsigned *cp, int *utf8);

/* Positions and errors: the first failure sticks; both return -1. */
void xp_where(struct parser *p, size_t off, int *line, int *col);
int xp_fail(struct parser *p, size_t off, const char *fmt, ...) PRINTF(3, 4);
int xp_fail_end(struct parser *p, size_t off, const char *fmt, ...)
	PRINTF(3, 4);

/* Scanning. */
size_t xp_skip_ws(struct parser *p);
size_t xp_find(const struct parser *p, size_t from, const char *lit);
size_t xp_scan_name(struct parser *p, size_t from);
char *xp_take_name(struct parser *p, const char *what);
void xp_add_lines(struct buf *b, const char *s, size_t n);
char *xp_dup_lines(const char *s, size_t n);
int xp_scan_comment(struct parser *p, size_t *body, size_t *n);
int xp_scan_pi(struct parser *p, char **target, size_t *data, size_t *n);

/* prolog.c */
int xp_decl(struct parser *p);
int xp_doctype(struct parser *p);

#endif
