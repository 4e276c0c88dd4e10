/* xml/ccs_rm.c - ccs_tool's <rm> commands: services, failover domains,
 * and the attribute checks they share with resources (ccs_res.c).
 *
 * The original left these to a GUI.  Attribute names are checked here
 * against the schema table and names against what already exists; the
 * values' forms are judged by the validator before anything is written
 * (ccs_tool.c). */
#include "ccs.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- attributes ---------------------------------------------------------- */

static void unknown_attr(const struct schema_type *t, const char *key)
{
	struct buf b = {0};

	for (const struct schema_attr *a = t->attrs; a->name; a++)
		buf_printf(&b, " %s", a->name);
	die("unknown attribute '%s' for %s (known:%s)", key, t->name, b.p);
}

void ccs_set_attrs(const struct schema_type *t, struct xml_node *el,
		   char **arg, int narg)
{
	for (int i = 0; i < narg; i++) {
		const char *value;
		char *key = ccs_pair(arg[i], &value);

		if (!schema_attr(t, key) && (!schema_is_common(key) ||
					     (t->flags & ST_ROOT)))
			unknown_attr(t, key);
		if (xml_get(el, key))
			die("attribute '%s' given twice", key);
		xml_set(el, key, value);
		free(key);
	}
}

void ccs_need_attrs(const struct schema_type *t, const struct xml_node *el)
{
	for (const struct schema_attr *a = t->attrs; a->name; a++)
		if ((a->flags & SA_REQUIRED) && !xml_get(el, a->name))
			die("missing required attribute '%s' for %s",
			    a->name, t->name);
}

/* --- where things live ---------------------------------------------------- */

struct xml_node *ccs_rm(struct ccs *c, const char *section)
{
	struct xml_node *rm = ccs_need(c->root, "rm", "");

	if (!section)
		return rm;
	return ccs_need(rm, section, strcmp(section, "resources") ?
			"resources service vm" : "service vm");
}

/* A <service ref="NAME"> takes its name and attributes from <service
 * name="NAME"> in <resources> (rgmanager's own test files do this). */
const char *ccs_service_name(const struct xml_node *s)
{
	return ccs_or(xml_get(s, "name"), ccs_or(xml_get(s, "ref"), "?"));
}

static const struct xml_node *definition(const struct xml_node *s)
{
	const char *ref = xml_get(s, "ref");

	return ref ? ccs_find(xml_child(s->parent, "resources"), s->name,
			      "name", ref) : NULL;
}

struct xml_node *ccs_service(const struct ccs *c, const char *name)
{
	struct xml_node *rm = xml_child(c->root, "rm");
	struct xml_node *s = ccs_find(rm, "service", "name", name);

	if (!s)
		s = ccs_find(rm, "service", "ref", name);
	if (!s)
		s = ccs_find(rm, "vm", "name", name);
	if (!s)
		die("service '%s' does not exist", name);
	return s;
}

static struct xml_node *domain(const struct ccs *c, const char *name)
{
	return ccs_find(xml_child(xml_child(c->root, "rm"), "failoverdomains"),
			"failoverdomain", "name", name);
}

static void check_name(const char *what, const char *name)
{
	if (!*name)
		die("%s name must not be empty", what);
}

/* --- services ------------------------------------------------------------- */

void ccs_addservice(struct ccs *c)
{
	const char *elem = c->opt['V'] ? "vm" : "service";
	const struct schema_type *t = schema_find(elem);
	const char *name = c->arg[0], *dom;
	struct xml_node *s;

	check_name(elem, name);
	if (ccs_find(xml_child(c->root, "rm"), elem, "name", name))
		die("%s '%s' already exists", elem, name);
	s = xml_add(ccs_rm(c, NULL), elem);
	xml_set(s, "name", name);
	ccs_set_attrs(t, s, c->arg + 1, c->narg - 1);
	dom = xml_get(s, "domain");
	if (dom && !domain(c, dom))
		die("failover domain '%s' does not exist", dom);
}

void ccs_delservice(struct ccs *c)
{
	xml_remove(ccs_service(c, c->arg[0]));
}

/* Each resource below n on its own line, indented by depth. */
static void print_tree(const struct xml_node *n, int depth)
{
	struct xml_node *k;

	xml_each(k, n, NULL) {
		printf("%*s%s", depth * 2, "", k->name);
		if (!ccs_props(k, "", ""))
			putchar('\n');
		print_tree(k, depth + 1);
	}
}

/* Its own value, its definition's, the default, or "-". */
static const char *value(const struct xml_node *n,
			 const struct schema_type *t, const char *key)
{
	const struct schema_attr *a = schema_attr(t, key);
	const char *v = xml_get(n, key);

	if (!v && definition(n))
		v = xml_get(definition(n), key);
	return ccs_or(v, a && a->def ? a->def : "-");
}

#define SERVICE_ROW "%-24s %-16s %-9s %-9s %s\n"

void ccs_lsservice(struct ccs *c)
{
	const struct schema_type *t;
	struct xml_node *s;
	char name[160];

	printf(SERVICE_ROW, "Name", "Domain", "Autostart", "Exclusive",
	       "Recovery");
	xml_each(s, xml_child(c->root, "rm"), NULL) {
		if (strcmp(s->name, "service") && strcmp(s->name, "vm"))
			continue;
		t = schema_find(s->name);
		snprintf(name, sizeof name, "%s%s", *s->name == 'v' ? "vm:" :
			 "", ccs_service_name(s));
		printf(SERVICE_ROW, name, value(s, t, "domain"),
		       value(s, t, "autostart"), value(s, t, "exclusive"),
		       value(s, t, "recovery"));
		if (!c->opt['v'])
			continue;
		ccs_props(definition(s) ? definition(s) : s, "  Properties: ",
			  "name domain autostart exclusive recovery");
		print_tree(s, 1);
	}
}

/* --- failover domains ----------------------------------------------------- */

/* NODE or NODE:PRIORITY; a node whose own name has a colon (an IPv6
 * address) is taken whole. */
static char *split_node(const struct ccs *c, const char *arg,
			const char **prio)
{
	const char *colon = strrchr(arg, ':');

	*prio = NULL;
	if (!colon || ccs_find(xml_child(c->root, "clusternodes"),
			       "clusternode", "name", arg))
		return xstrdup(arg);
	*prio = colon + 1;
	return xstrndup(arg, (size_t)(colon - arg));
}

static void add_domain_node(const struct ccs *c, struct xml_node *d,
			    const char *arg)
{
	const char *prio;
	char *name = split_node(c, arg, &prio);
	struct xml_node *n;
	long p;

	if (!ccs_find(xml_child(c->root, "clusternodes"), "clusternode",
		      "name", name))
		die("node %s does not exist in %s", name, c->conf);
	if (ccs_find(d, "failoverdomainnode", "name", name))
		die("node %s is listed twice", name);
	if (prio && parse_int(prio, 1, 100, &p) < 0)
		die("priority '%s' of node %s is not in 1..100", prio, name);
	n = xml_add(d, "failoverdomainnode");
	xml_set(n, "name", name);
	if (prio)
		xml_set(n, "priority", prio);
	free(name);
}

void ccs_adddomain(struct ccs *c)
{
	const char *name = c->arg[0];
	struct xml_node *d;

	check_name("failover domain", name);
	if (domain(c, name))
		die("failover domain '%s' already exists", name);
	d = xml_add(ccs_rm(c, "failoverdomains"), "failoverdomain");
	xml_set(d, "name", name);
	xml_set(d, "ordered", c->opt['o'] ? "1" : "0");
	xml_set(d, "restricted", c->opt['r'] ? "1" : "0");
	xml_set(d, "nofailback", c->opt['n'] ? "1" : "0");
	for (int i = 1; i < c->narg; i++)
		add_domain_node(c, d, c->arg[i]);
}

/* The first service or vm that names domain d, or NULL. */
static struct xml_node *domain_user(const struct ccs *c, const char *d)
{
	struct xml_node *rm = xml_child(c->root, "rm"), *s;

	s = ccs_find(rm, "service", "domain", d);
	return s ? s : ccs_find(rm, "vm", "domain", d);
}

void ccs_deldomain(struct ccs *c)
{
	struct xml_node *d = domain(c, c->arg[0]), *user;

	if (!d)
		die("failover domain '%s' does not exist", c->arg[0]);
	if ((user = domain_user(c, c->arg[0])))
		die("failover domain '%s' is used by %s %s", c->arg[0],
		    user->name, ccs_or(xml_get(user, "name"), "?"));
	xml_remove(d);
}

#define DOMAIN_ROW "%-20s %-7s %-10s %-10s"

void ccs_lsdomain(struct ccs *c)
{
	struct xml_node *d, *n;

	printf(DOMAIN_ROW " %s\n", "Name", "Ordered", "Restricted",
	       "Nofailback", "Nodes");
	xml_each(d, xml_child(xml_child(c->root, "rm"), "failoverdomains"),
		 "failoverdomain") {
		printf(DOMAIN_ROW, ccs_or(xml_get(d, "name"), ""),
		       ccs_or(xml_get(d, "ordered"), "0"),
		       ccs_or(xml_get(d, "restricted"), "0"),
		       ccs_or(xml_get(d, "nofailback"), "0"));
		xml_each(n, d, "failoverdomainnode") {
			printf(" %s", ccs_or(xml_get(n, "name"), ""));
			if (xml_get(n, "priority"))
				printf(":%s", xml_get(n, "priority"));
		}
		putchar('\n');
		if (c->opt['v'])
			ccs_props(d, "  Properties: ",
				  "name ordered restricted nofailback");
	}
}
