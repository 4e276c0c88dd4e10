/* xml/xml.h - XML parser, tree and stable writer (libc only). */
#ifndef XML_H
#define XML_H

#include <stddef.h>
#include "../net/sys.h"

/* Limits: inputs past them are errors, never crashes or unbounded use. */
#define XML_MAX_FILE	(4u << 20)	/* bytes of one document */
#define XML_MAX_DEPTH	64		/* element nesting */
#define XML_MAX_ATTRS	64		/* attributes on one element */
#define XML_MAX_NAME	128		/* bytes of a name */
#define XML_MAX_NODES	200000		/* nodes in one document */

enum xml_kind {
	XML_DOC,	/* document: children are prolog, root, epilog */
	XML_ELEM,	/* name, attrs, children */
	XML_TEXT,	/* text (entities decoded; CDATA merged in as text) */
	XML_COMMENT,	/* text = comment body */
	XML_PI,		/* name = target, text = data (never "xml") */
};

struct xml_attr {
	char *name, *value;
	int line, col;
};

struct xml_node {
	enum xml_kind kind;
	char *name;
	char *text;
	struct xml_attr *attrs;
	int nattrs;
	struct xml_node *parent, *child, *last, *prev, *next;
	int line, col;		/* where it starts in the source; 0 if built */
};

/* Positions, in nodes, attributes and errors, are 1-based.  A column
 * counts characters (UTF-8 sequences, not bytes); a TAB is one column,
 * a byte order mark none; CR LF, CR and LF each end a line.  An error is
 * placed at the offending character, except "unterminated ..." (placed
 * where the construct began) and errors found at the end of the input
 * ("unclosed tag <b> opened at 3:5", "missing root element"). */
struct xml_err {
	int line, col;		/* 1-based */
	char msg[200];
};

/* Parse len bytes.  Whitespace-only text between markup is dropped (it is
 * layout, and the writer makes its own), other text is kept verbatim.
 * Returns the XML_DOC node, or NULL with err filled (err may be NULL).
 * XML 1.0 well-formedness, UTF-8 only, no entity but the predefined five,
 * the DOCTYPE skipped: xml/xml.c lists every rule and deviation. */
struct xml_node *xml_parse(const char *buf, size_t len, struct xml_err *err);
/* Read and parse a file; on failure err holds line 0 for I/O problems. */
struct xml_node *xml_load(const char *path, struct xml_err *err);
void xml_free(struct xml_node *n);
/* Report a parse or load error as "prog: PATH:LINE:COL: msg" (or
 * "prog: PATH: msg" when line is 0) on stderr. */
void xml_perror(const char *path, const struct xml_err *err);

/* The document's root element (NULL if none). */
struct xml_node *xml_root(const struct xml_node *doc);

/* Navigation over element children only; name NULL matches any. */
struct xml_node *xml_child(const struct xml_node *n, const char *name);
struct xml_node *xml_next(const struct xml_node *n, const char *name);
#define xml_each(c, parent, nm) \
	for (c = xml_child(parent, nm); c; c = xml_next(c, nm))
/* Number of element children called name (NULL: all). */
int xml_count(const struct xml_node *n, const char *name);
/* Child element name, created (appended) when missing. */
struct xml_node *xml_need(struct xml_node *parent, const char *name);

const char *xml_get(const struct xml_node *n, const char *name);
const struct xml_attr *xml_attr(const struct xml_node *n, const char *name);
/* Set keeps the position of an existing attribute, else appends. */
void xml_set(struct xml_node *n, const char *name, const char *value);
void xml_setf(struct xml_node *n, const char *name, const char *fmt, ...)
	PRINTF(3, 4);
int xml_unset(struct xml_node *n, const char *name);	/* 1 if removed */

struct xml_node *xml_new(enum xml_kind kind, const char *name,
			 const char *text);
struct xml_node *xml_append(struct xml_node *parent, struct xml_node *n);
/* n (unlinked first if linked) as the sibling just before next, which
 * must have a parent. */
struct xml_node *xml_insert_before(struct xml_node *next, struct xml_node *n);
struct xml_node *xml_add(struct xml_node *parent, const char *elem);
void xml_unlink(struct xml_node *n);
void xml_remove(struct xml_node *n);		/* unlink and free */
/* Concatenated text of n's XML_TEXT children (NULL if none); when there
 * are several, the string lives in n until n changes or the next call. */
const char *xml_text(const struct xml_node *n);

/* Write a document or element: `<?xml version="1.0"?>` header for a
 * document, 2-space indent, attribute order kept, comments kept.  An
 * element whose children include text is written inline so its text is
 * not changed.  Output ends with a newline.  For a parsed tree t,
 * parse(write(t)) equals t; any tree whose names are XML names gives
 * output that parses (what XML cannot hold is written as U+FFFD). */
void xml_write(struct buf *out, const struct xml_node *n);

/* Deep equality of two trees (kinds, names, attributes in order, text). */
int xml_equal(const struct xml_node *a, const struct xml_node *b);

#endif
