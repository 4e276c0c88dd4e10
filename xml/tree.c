/* xml/tree.c - the XML tree: build, navigate, edit, compare, free.
 *
 * Nodes are doubly linked siblings under a parent that knows its first
 * and last child, so appending and unlinking are O(1).  Attributes are an
 * array in document order; the count is small (XML_MAX_ATTRS when
 * parsed), so lookups are linear. */
#include "xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xml_node *xml_new(enum xml_kind kind, const char *name,
			 const char *text)
{
	struct xml_node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->name = name ? xstrdup(name) : NULL;
	n->text = text ? xstrdup(text) : NULL;
	return n;
}

void xml_unlink(struct xml_node *n)
{
	struct xml_node *up = n->parent;

	if (!up)
		return;
	if (n->prev)
		n->prev->next = n->next;
	else
		up->child = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		up->last = n->prev;
	n->parent = n->prev = n->next = NULL;
}

struct xml_node *xml_append(struct xml_node *parent, struct xml_node *n)
{
	xml_unlink(n);
	n->parent = parent;
	n->prev = parent->last;
	if (parent->last)
		parent->last->next = n;
	else
		parent->child = n;
	parent->last = n;
	return n;
}

struct xml_node *xml_insert_before(struct xml_node *next, struct xml_node *n)
{
	struct xml_node *parent = next->parent;

	xml_unlink(n);
	n->parent = parent;
	n->next = next;
	n->prev = next->prev;
	if (next->prev)
		next->prev->next = n;
	else
		parent->child = n;
	next->prev = n;
	return n;
}

struct xml_node *xml_add(struct xml_node *parent, const char *elem)
{
	return xml_append(parent, xml_new(XML_ELEM, elem, NULL));
}

static void free_attrs(struct xml_node *n)
{
	for (int k = 0; k < n->nattrs; k++) {
		free(n->attrs[k].name);
		free(n->attrs[k].value);
	}
	free(n->attrs);
}

void xml_free(struct xml_node *n)
{
	if (!n)
		return;
	xml_unlink(n);
	while (n->child)
		xml_free(n->child);
	free_attrs(n);
	free(n->name);
	free(n->text);
	free(n);
}

void xml_remove(struct xml_node *n)
{
	xml_free(n);
}

/* --- navigation --------------------------------------------------- */

static int is_elem(const struct xml_node *n, const char *name)
{
	return n->kind == XML_ELEM && (!name || !strcmp(n->name, name));
}

static struct xml_node *elem_from(struct xml_node *n, const char *name)
{
	while (n && !is_elem(n, name))
		n = n->next;
	return n;
}

struct xml_node *xml_root(const struct xml_node *doc)
{
	return doc ? elem_from(doc->child, NULL) : NULL;
}

struct xml_node *xml_child(const struct xml_node *n, const char *name)
{
	return n ? elem_from(n->child, name) : NULL;
}

struct xml_node *xml_next(const struct xml_node *n, const char *name)
{
	return n ? elem_from(n->next, name) : NULL;
}

int xml_count(const struct xml_node *n, const char *name)
{
	const struct xml_node *c;
	int count = 0;

	xml_each(c, n, name)
		count++;
	return count;
}

struct xml_node *xml_need(struct xml_node *parent, const char *name)
{
	struct xml_node *c = xml_child(parent, name);

	return c ? c : xml_add(parent, name);
}

/* Single text child: its own string.  Several (split by comments or
 * elements): their concatenation, cached in the element's unused text
 * field until the next call. */
const char *xml_text(const struct xml_node *n)
{
	const struct xml_node *c, *one = NULL;
	struct xml_node *self = (struct xml_node *)n;
	struct buf b = {0};
	int count = 0;

	for (c = n ? n->child : NULL; c; c = c->next)
		if (c->kind == XML_TEXT && c->text && count++ == 0)
			one = c;
	if (count <= 1)
		return one ? one->text : NULL;
	for (c = n->child; c; c = c->next)
		if (c->kind == XML_TEXT && c->text)
			buf_puts(&b, c->text);
	free(self->text);
	self->text = b.p;
	return b.p;
}

/* --- attributes --------------------------------------------------- */

const struct xml_attr *xml_attr(const struct xml_node *n, const char *name)
{
	for (int k = 0; n && k < n->nattrs; k++)
		if (!strcmp(n->attrs[k].name, name))
			return &n->attrs[k];
	return NULL;
}

const char *xml_get(const struct xml_node *n, const char *name)
{
	const struct xml_attr *a = xml_attr(n, name);

	return a ? a->value : NULL;
}

void xml_set(struct xml_node *n, const char *name, const char *value)
{
	struct xml_attr *a = (struct xml_attr *)xml_attr(n, name);
	char *v = xstrdup(value);

	if (!a) {
		n->attrs = xrealloc(n->attrs,
				    (size_t)(n->nattrs + 1) * sizeof *a);
		a = &n->attrs[n->nattrs++];
		*a = (struct xml_attr){ .name = xstrdup(name) };
	}
	free(a->value);
	a->value = v;
}

void xml_setf(struct xml_node *n, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	xml_set(n, name, v);
	free(v);
}

int xml_unset(struct xml_node *n, const char *name)
{
	const struct xml_attr *a = xml_attr(n, name);
	int k;

	if (!a)
		return 0;
	k = (int)(a - n->attrs);
	free(n->attrs[k].name);
	free(n->attrs[k].value);
	memmove(&n->attrs[k], &n->attrs[k + 1],
		(size_t)(n->nattrs - k - 1) * sizeof *a);
	n->nattrs--;
	return 1;
}

/* --- equality ----------------------------------------------------- */

static int same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static int same_attrs(const struct xml_node *a, const struct xml_node *b)
{
	if (a->nattrs != b->nattrs)
		return 0;
	for (int k = 0; k < a->nattrs; k++)
		if (strcmp(a->attrs[k].name, b->attrs[k].name) ||
		    strcmp(a->attrs[k].value, b->attrs[k].value))
			return 0;
	return 1;
}

/* Elements and documents keep no text of their own (xml_text's cache). */
static int same_node(const struct xml_node *a, const struct xml_node *b)
{
	int texty = a->kind != XML_ELEM && a->kind != XML_DOC;

	return a->kind == b->kind && same_str(a->name, b->name) &&
	       (!texty || same_str(a->text, b->text)) && same_attrs(a, b);
}

int xml_equal(const struct xml_node *a, const struct xml_node *b)
{
	if (!a || !b)
		return a == b;
	if (!same_node(a, b))
		return 0;
	for (a = a->child, b = b->child; a && b; a = a->next, b = b->next)
		if (!xml_equal(a, b))
			return 0;
	return !a && !b;
}
