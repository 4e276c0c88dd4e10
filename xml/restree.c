/* xml/restree.c - a service's resource tree: values with inheritance, and
 * the start and stop order (spec 3.2, 3.3).
 *
 * The tree is the one the loader built (xml/conf.c: a service's conf_res
 * with its children; a ref= child points at its global resource, whose
 * attributes it uses).  Order, after rgmanager's restree.c:
 *   start  a resource, then its children: first those whose type has a
 *          start level under this parent (service: lvm 1, fs 2,
 *          clusterfs 3, netfs 4, nfsexport 5, nfsclient 6, ip 7, smb 8,
 *          script 9; fs and clusterfs: fs and clusterfs 1, nfsexport 3;
 *          nfsserver: nfsclient 1, ip 2), by level, in file order
 *          within one; then the others in file order;
 *   stop   children before their parent: first those without a level,
 *          in reverse file order, then the typed ones by stop level
 *          (service: script 1, ip 2, smb 3, ..., lvm 9), in reverse file
 *          order within one. */
#include "restree.h"

#include "conf.h"

#include <stdio.h>
#include <string.h>

/* Levels of children under parents other than a service (for a service
 * or vm child, the schema's own start and stop levels). */
static const struct {
	const char *parent, *child;
	int start, stop;
} nested[] = {
	{ "fs", "fs", 1, 3 }, { "fs", "clusterfs", 1, 3 },
	{ "fs", "nfsexport", 3, 1 },
	{ "clusterfs", "fs", 1, 3 }, { "clusterfs", "clusterfs", 1, 3 },
	{ "clusterfs", "nfsexport", 3, 1 },
	{ "nfsserver", "nfsclient", 1, 2 }, { "nfsserver", "ip", 2, 1 },
};

/* r's level under its parent; 0: none (it goes with the untyped). */
static int level(const struct conf_res *r, int stop)
{
	const struct conf_res *p = r->parent;

	if (!r->type || !p || !p->type)
		return 0;
	if (p->type->flags & ST_ROOT)
		return stop ? r->type->stop_level : r->type->start_level;
	for (size_t i = 0; i < sizeof nested / sizeof nested[0]; i++)
		if (!strcmp(nested[i].parent, p->type->name) &&
		    !strcmp(nested[i].child, r->type->name))
			return stop ? nested[i].stop : nested[i].start;
	return 0;
}

/* --- values ----------------------------------------------------------------- */
static const struct conf_res *root_of(const struct conf_res *r)
{
	while (r->parent)
		r = r->parent;
	return r;
}

static const char *inherited(const struct conf_res *r, const char *from)
{
	const char *pct = strchr(from, '%');
	const char *v = NULL;

	if (pct)
		return conf_res_get(root_of(r), pct + 1);
	for (const struct conf_res *p = r->parent; p && !v; p = p->parent)
		v = conf_res_get(p, from);
	return v;
}

const char *rt_value(const struct conf_res *r, const char *attr)
{
	const struct schema_attr *a = r->type ? schema_attr(r->type, attr) :
					       NULL;
	const char *v = conf_res_get(r, attr);

	if (!v && a && a->inherit)
		v = inherited(r, a->inherit);
	if (!v && a)
		v = a->def;
	return v;
}

void rt_label(const struct conf_res *r, char *out, unsigned size)
{
	const char *name = conf_res_name(r);

	snprintf(out, size, "%s:%s", r->x->name, name ? name : "");
}

/* --- order -------------------------------------------------------------------- */
struct walk {
	const struct conf_res **out;
	int n, max, stop;
};

static void put(struct walk *w, const struct conf_res *r)
{
	if (w->n < w->max)
		w->out[w->n++] = r;
}

static void visit(struct walk *w, const struct conf_res *r);

/* The i-th child of r with level lv, or NULL. */
static const struct conf_res *nth(const struct conf_res *r, int lv, int i,
				  int stop)
{
	for (const struct conf_res *c = r->child; c; c = c->next)
		if (level(c, stop) == lv && i-- == 0)
			return c;
	return NULL;
}

/* The children of r with level lv (0: untyped), forwards or backwards. */
static void children_at(struct walk *w, const struct conf_res *r, int lv,
			int backwards)
{
	int n = 0;

	while (nth(r, lv, n, w->stop))
		n++;
	for (int i = 0; i < n; i++)
		visit(w, nth(r, lv, backwards ? n - 1 - i : i, w->stop));
}

static void children(struct walk *w, const struct conf_res *r)
{
	if (!w->stop) {
		for (int lv = 1; lv <= 9; lv++)
			children_at(w, r, lv, 0);
		children_at(w, r, 0, 0);
		return;
	}
	children_at(w, r, 0, 1);
	for (int lv = 1; lv <= 9; lv++)
		children_at(w, r, lv, 1);
}

static void visit(struct walk *w, const struct conf_res *r)
{
	if (!w->stop)
		put(w, r);
	children(w, r);
	if (w->stop)
		put(w, r);
}

int rt_order(const struct conf_service *s, int stop,
	     const struct conf_res **out, int max)
{
	struct walk w = { out, 0, max, stop };

	if (s->res)
		visit(&w, s->res);
	return w.n;
}

/* --- actions ------------------------------------------------------------------- */
/* The <action name=...> children of r's element and of its ref target. */
static const struct xml_node *next_action(const struct conf_res *r,
					  const struct xml_node *a)
{
	if (a) {
		const struct xml_node *n = xml_next(a, "action");

		if (n || a->parent != r->x || !r->target)
			return n;
		return xml_child(r->target->x, "action");
	}
	a = xml_child(r->x, "action");
	return a || !r->target ? a : xml_child(r->target->x, "action");
}

static int seconds(const struct xml_node *a, const char *attr, int def)
{
	int v;

	return xml_get(a, attr) && conf_time(xml_get(a, attr), &v) == 0 ?
	       v : def;
}

int rt_timeout(const struct conf_res *r, const char *action)
{
	for (const struct xml_node *a = next_action(r, NULL); a;
	     a = next_action(r, a))
		if (xml_get(a, "name") && !strcmp(xml_get(a, "name"), action))
			return seconds(a, "timeout", 0);
	return 0;
}

static int is_check(const struct xml_node *a)
{
	const char *name = xml_get(a, "name");

	return name && (!strcmp(name, "status") || !strcmp(name, "monitor"));
}

int rt_checks(const struct conf_res *r, struct rt_check *out, int max)
{
	int n = 0;

	for (const struct schema_check *c = r->type ? r->type->checks : NULL;
	     c && c->interval && n < max; c++)
		out[n++] = (struct rt_check){ c->depth, c->interval, 0 };
	if (!r->type && r->parent)	/* an agent's own type: depth 0 */
		out[n++] = (struct rt_check){ 0, RT_CHECK_DEFAULT, 0 };
	for (const struct xml_node *a = next_action(r, NULL); a;
	     a = next_action(r, a)) {
		int depth = seconds(a, "depth", 0), k;

		if (!is_check(a))
			continue;
		for (k = 0; k < n && out[k].depth != depth; k++)
			;
		if (k == n && n == max)
			continue;
		if (k == n)
			out[n++] = (struct rt_check){ depth, 0, 0 };
		out[k].interval = seconds(a, "interval", out[k].interval);
		out[k].timeout = seconds(a, "timeout", 0);
	}
	return n;
}

/* --- comparing two trees ------------------------------------------------------- */
static int same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Every attribute r gives has the same value in other (as its agent
 * would see it). */
static int covered(const struct conf_res *r, const struct conf_res *other)
{
	const struct xml_node *x = r->target ? r->target->x : r->x;

	for (int i = 0; i < r->x->nattrs; i++)
		if (!same_text(rt_value(r, r->x->attrs[i].name),
			       rt_value(other, r->x->attrs[i].name)))
			return 0;
	for (int i = 0; x != r->x && i < x->nattrs; i++)
		if (!same_text(rt_value(r, x->attrs[i].name),
			       rt_value(other, x->attrs[i].name)))
			return 0;
	return 1;
}

static int same_actions(const struct conf_res *a, const struct conf_res *b)
{
	struct rt_check ca[RT_CHECKS], cb[RT_CHECKS];
	int n = rt_checks(a, ca, RT_CHECKS);
	static const char *const acts[] = { "start", "stop", "monitor" };

	if (n != rt_checks(b, cb, RT_CHECKS) ||
	    memcmp(ca, cb, (size_t)n * sizeof ca[0]))
		return 0;
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (rt_timeout(a, acts[i]) != rt_timeout(b, acts[i]))
			return 0;
	return 1;
}

int rt_res_same(const struct conf_res *a, const struct conf_res *b)
{
	if (strcmp(a->x->name, b->x->name))
		return 0;
	if (a->type)
		for (const struct schema_attr *s = a->type->attrs; s->name; s++)
			if (!same_text(rt_value(a, s->name),
				       rt_value(b, s->name)))
				return 0;
	return covered(a, b) && covered(b, a) && same_actions(a, b);
}

int rt_same(const struct conf_service *a, const struct conf_service *b)
{
	static const struct conf_res *oa[RT_MAX], *ob[RT_MAX];
	int n = rt_order(a, 0, oa, RT_MAX);

	if (n != rt_order(b, 0, ob, RT_MAX))
		return 0;
	for (int i = 1; i < n; i++)	/* 0: the service itself */
		if (!rt_res_same(oa[i], ob[i]) ||
		    (oa[i]->parent != oa[0]) != (ob[i]->parent != ob[0]))
			return 0;
	return 1;
}
