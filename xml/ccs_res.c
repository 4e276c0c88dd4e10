/* xml/ccs_res.c - ccs_tool's resource commands: global resources in
 * <rm><resources>, inline ones and references inside a service.
 *
 * A global resource is named by its primary attribute (spec 3.2), which
 * is what `ref=` points at, so it must have one.  Unique attributes (an
 * IP address, a mount point) are checked against every resource of the
 * type in <rm>, global or inline, since rgmanager refuses a second one
 * wherever it stands. */
#include "ccs.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct schema_type *resource_type(const char *name)
{
	const struct schema_type *t = schema_find(name), *all;
	struct buf b = {0};
	int n;

	if (t && !(t->flags & ST_ROOT))
		return t;
	if (t)
		die("%s is not a resource type%s", name,
		    strcmp(name, "service") ? "" : "; use addservice");
	all = schema_types(&n);
	for (int i = 0; i < n; i++)
		if (!(all[i].flags & ST_ROOT))
			buf_printf(&b, " %s", all[i].name);
	die("unknown resource type '%s' (known:%s)", name, b.p);
}

/* The first element type below n, depth first, other than skip, whose
 * attribute attr is value. */
static struct xml_node *find_deep(const struct xml_node *n,
				  const char *type, const char *attr,
				  const char *value,
				  const struct xml_node *skip)
{
	struct xml_node *k, *hit;
	const char *v;

	xml_each(k, n, NULL) {
		if (k != skip && !strcmp(k->name, type) &&
		    (v = xml_get(k, attr)) && !strcmp(v, value))
			return k;
		if ((hit = find_deep(k, type, attr, value, skip)))
			return hit;
	}
	return NULL;
}

/* The service n is in, or NULL for a global resource. */
static const char *service_of(const struct xml_node *n)
{
	for (; n; n = n->parent)
		if (n->kind == XML_ELEM && !strcmp(n->name, "service"))
			return ccs_service_name(n);
	return NULL;
}

static void check_unique(struct ccs *c, const struct schema_type *t,
			 const struct xml_node *r)
{
	struct xml_node *rm = ccs_rm(c, NULL), *hit;
	const char *v, *svc;

	for (const struct schema_attr *a = t->attrs; a->name; a++) {
		if (!(a->flags & SA_UNIQUE) || !(v = xml_get(r, a->name)))
			continue;
		if (!(hit = find_deep(rm, t->name, a->name, v, r)))
			continue;
		svc = service_of(hit);
		die("%s %s=%s already exists %s%s", t->name, a->name, v,
		    svc ? "in service " : "in resources", svc ? svc : "");
	}
}

/* A reference: only inside a service, to a global resource that is
 * there, and once per service. */
static void check_ref(struct ccs *c, const struct schema_type *t,
		      const struct xml_node *r, const struct xml_node *svc)
{
	const char *ref = xml_get(r, "ref"), *key = schema_primary(t);

	if (!svc)
		die("ref= refers to a global resource from inside a service: "
		    "give -s SERVICE");
	if (!ccs_find(ccs_rm(c, "resources"), t->name, key, ref))
		die("there is no %s %s=%s in resources", t->name, key, ref);
	if (find_deep(svc, t->name, "ref", ref, r))
		die("service '%s' already uses %s %s",
		    ccs_or(xml_get(svc, "name"), "?"), t->name, ref);
}

void ccs_addresource(struct ccs *c)
{
	const struct schema_type *t = resource_type(c->arg[0]);
	const char *key = schema_primary(t);
	struct xml_node *svc = c->opt['s'] ? ccs_service(c, c->opt['s']) : NULL;
	struct xml_node *r;

	r = xml_add(svc ? svc : ccs_rm(c, "resources"), t->name);
	ccs_set_attrs(t, r, c->arg + 1, c->narg - 1);
	if (xml_get(r, "ref")) {
		check_ref(c, t, r, svc);
		return;
	}
	ccs_need_attrs(t, r);
	if (!svc && !xml_get(r, key))
		die("a global %s needs %s= (what services refer to)", t->name,
		    key);
	check_unique(c, t, r);
}

/* The user of a global resource: any reference to it in a service. */
static struct xml_node *first_ref(struct ccs *c, const char *type,
				  const char *value)
{
	return find_deep(ccs_rm(c, NULL), type, "ref", value, NULL);
}

void ccs_delresource(struct ccs *c)
{
	const struct schema_type *t = resource_type(c->arg[0]);
	const char *key = schema_primary(t), *name = c->arg[1];
	struct xml_node *svc = c->opt['s'] ? ccs_service(c, c->opt['s']) : NULL;
	struct xml_node *r, *user;

	if (svc) {
		r = find_deep(svc, t->name, key, name, NULL);
		if (!r && !(r = find_deep(svc, t->name, "ref", name, NULL)))
			die("service '%s' has no %s %s", c->opt['s'], t->name,
			    name);
	} else {
		r = ccs_find(ccs_rm(c, "resources"), t->name, key, name);
		if (!r)
			die("there is no %s %s=%s in resources", t->name, key,
			    name);
		if ((user = first_ref(c, t->name, name)))
			die("%s %s is used by service %s; remove it there "
			    "first (-s)", t->name, name, service_of(user));
	}
	xml_remove(r);
}

#define RES_ROW "%-10s %-32s %s\n"

static void print_global(struct ccs *c, const struct xml_node *r)
{
	const struct schema_type *t = schema_find(r->name);
	const char *key = t ? schema_primary(t) : "name";
	const char *v = xml_get(r, key);
	struct xml_node *s;
	struct buf users = {0};

	xml_each(s, r->parent->parent, "service")
		if (v && find_deep(s, r->name, "ref", v, NULL))
			buf_printf(&users, "%s%s", users.len ? ", " : "",
				   ccs_service_name(s));
	printf(RES_ROW, r->name, ccs_or(v, "-"), users.len ? users.p : "-");
	buf_free(&users);
	if (c->opt['v'])
		ccs_props(r, "  Properties: ", key);
}

/* Inline resources of a service, at any depth, not the references. */
static void print_inline(struct ccs *c, const struct xml_node *n,
			 const char *svc)
{
	const struct schema_type *t;
	struct xml_node *k;

	xml_each(k, n, NULL) {
		t = schema_find(k->name);
		if (t && !xml_get(k, "ref")) {
			printf("%-10s %-32s %s (inline)\n", k->name,
			       ccs_or(xml_get(k, schema_primary(t)), "-"), svc);
			if (c->opt['v'])
				ccs_props(k, "  Properties: ",
					  schema_primary(t));
		}
		print_inline(c, k, svc);
	}
}

void ccs_lsresource(struct ccs *c)
{
	struct xml_node *rm = xml_child(c->root, "rm"), *r;

	printf(RES_ROW, "Type", "Name", "Used by");
	xml_each(r, xml_child(rm, "resources"), NULL)
		if (strcmp(r->name, "service"))	/* lsservice shows those */
			print_global(c, r);
	xml_each(r, rm, "service")
		print_inline(c, r, ccs_service_name(r));
}
