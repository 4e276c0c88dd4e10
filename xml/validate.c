/* xml/validate.c - every check of a cluster.conf, all problems at once.
 *
 * conf_load() reports what it meets while reading (values that do not
 * parse, unknown elements and attributes, limits); the checks here look
 * at the loaded model as a whole: references that lead nowhere, names
 * given twice, cman's refusals (spec 2.1: "two_node set but ...", "No
 * node ID for ...") and rgmanager's (spec 3.1-3.3).  Each check is one
 * function in the table at the end; messages point at the attribute at
 * fault when there is one, else at its element. */
#include "validate.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct vctx {
	const struct conf *c;
	struct conf_diags *d;
};

/* Report at attribute attr of x when x has it, else at x itself. */
static void PRINTF(5, 6) say(struct vctx *v, int sev, const struct xml_node *x,
			     const char *attr, const char *fmt, ...)
{
	const struct xml_attr *a = attr ? xml_attr(x, attr) : NULL;
	char text[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	conf_diag(v->d, sev, a ? a->line : x->line, a ? a->col : x->col,
		  "%s", text);
}

#define ERR(v, x, attr, ...) say(v, CONF_ERROR, x, attr, __VA_ARGS__)
#define WARN(v, x, attr, ...) say(v, CONF_WARNING, x, attr, __VA_ARGS__)

/* Entries of one array that share a name: each later one is an error.
 * name_off and x_off locate the name and the element in an entry. */
static void dups(struct vctx *v, const void *base, int n, size_t size,
		 size_t name_off, size_t x_off, const char *what)
{
	const char *p = base;

#define NAME(i) (*(const char *const *)(p + (size_t)(i) * size + name_off))
#define X(i) (*(const struct xml_node *const *)(p + (size_t)(i) * size + \
						 x_off))
	for (int i = 1; i < n; i++)
		for (int j = 0; NAME(i) && j < i; j++)
			if (NAME(j) && !strcmp(NAME(i), NAME(j))) {
				ERR(v, X(i), "name", "duplicate %s \"%s\" "
				    "(first at line %d)", what, NAME(i),
				    X(j)->line);
				break;
			}
#undef NAME
#undef X
}

#define DUPS(v, arr, n, what) dups(v, arr, n, sizeof *(arr), \
	offsetof(__typeof__(*(arr)), name), offsetof(__typeof__(*(arr)), x), \
	what)

/* --- cluster, cman, totem ------------------------------------------------- */
static void check_cluster(struct vctx *v)
{
	const struct conf *c = v->c;

	if (!c->root)
		return;
	if (!xml_attr(c->root, "config_version"))
		ERR(v, c->root, NULL, "<cluster> is missing required "
		    "attribute \"config_version\"");
	if (c->name && strlen(c->name) > CONF_MAX_NAME)
		ERR(v, c->root, "name", "cluster name \"%s\" is longer than "
		    "%d characters", c->name, CONF_MAX_NAME);
}

static void check_cman(struct vctx *v)
{
	const struct conf_cman *m = &v->c->cman;
	const struct xml_node *mc = xml_child(m->x, "multicast");

	if (mc && m->mcast && !conf_is_mcast(m->mcast))
		ERR(v, mc, "addr", "addr=\"%s\": not a multicast address",
		    m->mcast);
	if (v->c->totem.consensus && v->c->totem.join &&
	    v->c->totem.consensus < v->c->totem.join)
		ERR(v, v->c->totem.x, "consensus", "totem consensus %d is "
		    "less than join %d", v->c->totem.consensus,
		    v->c->totem.join);
}

/* --- nodes and fencing ---------------------------------------------------- */
static void check_node_ids(struct vctx *v)
{
	const struct conf *c = v->c;

	for (int i = 0; i < c->nnodes; i++) {
		const struct conf_node *n = &c->nodes[i], *o;

		if (!n->nodeid && !xml_attr(n->x, "nodeid"))
			ERR(v, n->x, NULL, "No node ID for %s, run "
			    "'ccs_tool addnodeids' to fix",
			    n->name ? n->name : "(unnamed node)");
		o = conf_nodeid(c, n->nodeid);
		if (o && o != n)
			ERR(v, n->x, "nodeid", "nodeid %d of %s is already "
			    "used by %s (line %d)", n->nodeid, n->name,
			    o->name, o->x->line);
	}
}

static void check_nodes(struct vctx *v)
{
	const struct conf *c = v->c;

	if (c->root && !c->nnodes)
		WARN(v, c->root, NULL, "no <clusternode> defined");
	DUPS(v, c->nodes, c->nnodes, "node name");
	check_node_ids(v);
	for (int i = 0; i < c->nnodes; i++)
		if (!c->nodes[i].nmethods && c->nodes[i].name)
			WARN(v, c->nodes[i].x, NULL, "node %s has no fence "
			     "method: it cannot be fenced",
			     c->nodes[i].name);
}

/* cman refuses to start unless two_node means exactly two 1-vote nodes;
 * fewer nodes is a cluster still being written, so only a warning. */
static void check_two_node(struct vctx *v)
{
	const struct conf *c = v->c;
	const struct xml_node *m = c->cman.x;
	long e;

	if (!c->cman.two_node)
		return;
	if (c->nnodes > 2)
		ERR(v, m, "two_node", "two_node set but there are more "
		    "than 2 nodes");
	else if (c->nnodes < 2)
		WARN(v, m, "two_node", "two_node set but there are fewer "
		     "than 2 nodes");
	if (!parse_int(xml_get(m, "expected_votes"), 0, 1L << 30, &e) &&
	    e != 1)
		WARN(v, m, "expected_votes", "two_node set but "
		     "expected_votes is %ld, not 1", e);
	for (int i = 0; i < c->nnodes; i++)
		if (c->nodes[i].votes != 1)
			ERR(v, c->nodes[i].x, "votes", "two_node set but "
			    "votes not set to 1");
}

/* Agents read their arguments as key=value lines (spec 6.4). */
static void check_args(struct vctx *v, const struct xml_node *x)
{
	for (int i = 0; i < x->nattrs; i++)
		if (strchr(x->attrs[i].value, '\n'))
			ERR(v, x, x->attrs[i].name, "%s: a fence argument "
			    "cannot hold a newline", x->attrs[i].name);
}

/* The agent must be on this node to run (fence_manual is built in);
 * a file written elsewhere may name one this node lacks: a warning. */
static void check_agent(struct vctx *v, const struct conf_fencedev *d)
{
	const char *t = xml_get(d->x, "agent_timeout");
	char path[512];
	long s;

	if (strcmp(d->agent, "fence_manual") &&
	    sys_find_exec(d->agent, path, sizeof path) < 0)
		WARN(v, d->x, "agent", "fence agent \"%s\" is not an "
		     "executable in /usr/sbin or $PATH on this node",
		     d->agent);
	if (t && parse_int(t, 1, 86400, &s) < 0)
		ERR(v, d->x, "agent_timeout", "agent_timeout=\"%s\": not a "
		    "number of seconds in 1..86400", t);
}

static void check_fencing(struct vctx *v)
{
	const struct conf *c = v->c;

	DUPS(v, c->fencedevs, c->nfencedevs, "fence device");
	for (int i = 0; i < c->nfencedevs; i++) {
		if (!c->fencedevs[i].agent)
			ERR(v, c->fencedevs[i].x, NULL, "fence device \"%s\" "
			    "has no agent", c->fencedevs[i].name ?
			    c->fencedevs[i].name : "");
		else
			check_agent(v, &c->fencedevs[i]);
		check_args(v, c->fencedevs[i].x);
	}
	for (int i = 0; i < c->nmethods; i++)
		if (!c->method_pool[i].ndevs)
			ERR(v, c->method_pool[i].x, NULL, "fence method \"%s\" "
			    "has no <device>: it cannot fence",
			    c->method_pool[i].name ? c->method_pool[i].name :
			    "");
	for (int i = 0; i < c->ndevices; i++) {
		const struct conf_device *d = &c->device_pool[i];

		if (d->name && !d->dev)
			ERR(v, d->x, "name", "fence device \"%s\" is not "
			    "defined in <fencedevices>", d->name);
		check_args(v, d->x);
	}
}

/* --- quorum disk ---------------------------------------------------------- */
static void check_qdisk(struct vctx *v)
{
	const struct conf_qdisk *q = &v->c->qdisk;
	int total = 0;

	if (!q->x)
		return;
	if (!q->device && !q->label)
		ERR(v, q->x, NULL, "<quorumd> needs a device or a label");
	for (int i = 0; i < q->nheuristics; i++)
		total += q->heuristic[i].score;
	if (q->nheuristics && q->min_score > total)
		ERR(v, q->x, "min_score", "min_score %d is more than the "
		    "heuristics can score (%d)", q->min_score, total);
	for (int i = 0; i < v->c->nnodes; i++)
		if (v->c->nodes[i].nodeid > CONF_QDISK_NODES)
			ERR(v, v->c->nodes[i].x, "nodeid", "nodeid %d of %s: "
			    "the quorum disk has slots for node ids 1 to %d",
			    v->c->nodes[i].nodeid, v->c->nodes[i].name,
			    CONF_QDISK_NODES);
}

/* --- rgmanager ------------------------------------------------------------ */
static void check_domains(struct vctx *v)
{
	const struct conf *c = v->c;

	DUPS(v, c->domains, c->ndomains, "failover domain");
	for (int i = 0; i < c->ndomains; i++) {
		const struct conf_domain *d = &c->domains[i];

		if (!d->nnodes)
			WARN(v, d->x, NULL, "failover domain \"%s\" has no "
			     "nodes", d->name ? d->name : "");
		for (int j = 0; j < d->nnodes; j++)
			if (d->nodes[j].name && !d->nodes[j].node)
				WARN(v, d->nodes[j].x, "name", "failover "
				     "domain \"%s\": \"%s\" is not a cluster "
				     "node; no service runs there",
				     d->name ? d->name : "", d->nodes[j].name);
	}
}

static void check_services(struct vctx *v)
{
	const struct conf *c = v->c;

	DUPS(v, c->services, c->nservices, "service or vm name");
	for (int i = 0; i < c->nservices; i++) {
		const struct conf_service *s = &c->services[i];

		if (s->res->ref && !s->res->target)
			ERR(v, s->x, "ref", "<%s ref=\"%s\">: no <%s name=\"%s\"> "
			    "in <resources>", s->x->name, s->res->ref,
			    s->x->name, s->res->ref);
		if (s->domain && !s->dom)
			WARN(v, s->x, "domain", "failover domain \"%s\" does "
			     "not exist; %s \"%s\" runs as if it had none",
			     s->domain, s->x->name, s->name ? s->name : "");
		if (s->depend && !s->dep)
			ERR(v, s->x, "depend", "depend=\"%s\": no such "
			    "service", s->depend);
		else if (s->dep == s)
			ERR(v, s->x, "depend", "service \"%s\" depends on "
			    "itself", s->name);
	}
}

static void check_required(struct vctx *v, const struct conf_res *r)
{
	for (const struct schema_attr *a = r->type->attrs; a->name; a++)
		if ((a->flags & SA_REQUIRED) && !xml_attr(r->x, a->name))
			ERR(v, r->x, NULL, "<%s> is missing required "
			    "attribute \"%s\"", r->x->name, a->name);
}

/* An earlier definition of type t holding value for attr, or NULL. */
static const struct conf_res *defined(const struct conf *c,
				      const struct conf_res *upto,
				      const char *attr, const char *value)
{
	for (const struct conf_res *r = c->res_pool; r < upto; r++) {
		const char *o = r->ref ? NULL : xml_get(r->x, attr);

		if (r->type == upto->type && o && !strcmp(o, value))
			return r;
	}
	return NULL;
}

static void check_unique(struct vctx *v, const struct conf_res *r)
{
	const struct conf_res *o;
	const char *val;

	for (const struct schema_attr *a = r->type->attrs; a->name; a++) {
		if (!(a->flags & SA_UNIQUE) || !(val = xml_get(r->x, a->name)))
			continue;
		if ((o = defined(v->c, r, a->name, val)))
			ERR(v, r->x, a->name, "%s %s \"%s\" is already used "
			    "(line %d)", r->x->name, a->name, val,
			    o->x->line);
	}
}

static int is_address(const char *s)
{
	unsigned char a[16];
	char host[64];
	size_t n = strcspn(s, "/");
	long bits;

	if (n >= sizeof host)
		return 0;
	memcpy(host, s, n);
	host[n] = 0;
	if (s[n] && parse_int(s + n + 1, 0, strchr(host, ':') ? 128 : 32,
			      &bits) < 0)
		return 0;
	return inet_pton(AF_INET, host, a) == 1 ||
	       inet_pton(AF_INET6, host, a) == 1;
}

static void check_res(struct vctx *v, const struct conf_res *r)
{
	const char *addr = xml_get(r->x, "address");

	if (r->ref && !r->target)
		ERR(v, r->x, "ref", "<%s ref=\"%s\">: no such resource in "
		    "<resources>", r->x->name, r->ref);
	if (r->ref)
		return;
	check_required(v, r);
	check_unique(v, r);
	if (!strcmp(r->type->name, "ip") && addr && !is_address(addr))
		ERR(v, r->x, "address", "address=\"%s\": not an IP address "
		    "(a.b.c.d[/prefix])", addr);
}

static void check_resources(struct vctx *v)
{
	const struct conf *c = v->c;

	for (int i = 0; i < c->nres; i++) {
		const struct conf_res *r = &c->res_pool[i];

		if (r->type && (!(r->type->flags & ST_ROOT) ||
				!strcmp(r->x->parent->name, "resources")))
			check_res(v, r);
	}
}

/* --- entry points --------------------------------------------------------- */
static void (*const checks[])(struct vctx *) = {
	check_cluster, check_cman, check_nodes, check_two_node,
	check_fencing, check_qdisk, check_domains, check_services,
	check_resources,
};

void validate_conf(const struct conf *c, struct conf_diags *d)
{
	struct vctx v = { c, d };

	for (size_t i = 0; i < ARRAY_LEN(checks); i++)
		checks[i](&v);
}

int validate_doc(const struct xml_node *doc, const char *file,
		 struct buf *out, int *warnings)
{
	struct conf_diags d = {0};
	struct conf *c = conf_load(doc, &d);
	int errors;

	validate_conf(c, &d);
	conf_diags_format(&d, file, out);
	errors = d.errors;
	if (warnings)
		*warnings = d.warnings;
	conf_diags_free(&d);
	conf_free(c);
	return errors;
}

int validate_file(const char *file, struct buf *out, int *warnings)
{
	struct xml_err e = {0};
	struct xml_node *doc = xml_load(file, &e);
	struct conf_diags d = {0};
	int errors;

	if (doc) {
		errors = validate_doc(doc, file, out, warnings);
		xml_free(doc);
		return errors;
	}
	conf_diag(&d, CONF_ERROR, e.line, e.col, "%s", e.msg);
	conf_diags_format(&d, file, out);
	conf_diags_free(&d);
	if (warnings)
		*warnings = 0;
	return 1;
}
