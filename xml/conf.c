/* xml/conf.c - load cluster.conf into the model (conf.h).
 *
 * The loader is a walk over two tables.  struct elem says, for each
 * element it knows, where its entry lives (enter), which attributes it
 * reads (a struct field table: attribute -> kind, range, offset in the
 * entry) and which children it knows.  Resource elements below <rm> are
 * described by the schema table instead.  Anything the tables do not name
 * is kept in the tree and reported as a warning; a value that does not
 * parse is an error and leaves the default.  Cross references (device ->
 * fencedevice, ref= -> global resource, ...) are resolved at the end;
 * what they fail to find is for validate.c to report. */
#include "conf.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_STR, K_REQ, K_INT, K_BOOL, K_TIME, K_ENUM, K_SKIP };

/* arg: K_INT a range (R_*), K_ENUM a word list (W_*). */
struct field {
	const char *name;
	unsigned char kind, arg;
	unsigned short off;
};

#define POS INT_MAX
enum { R_NN, R_POS, R_DELAY, R_VOTES, R_NODEID, R_PRIO, R_PORT, R_ID16,
       R_LOG, R_RTPRIO, R_SUBTREE };

static const struct { int lo, hi; } ranges[] = {
	[R_NN] = { 0, POS }, [R_POS] = { 1, POS }, [R_DELAY] = { -1, POS },
	[R_VOTES] = { 0, 255 }, [R_NODEID] = { 1, CONF_MAX_NODEID },
	[R_PRIO] = { 1, 100 }, [R_PORT] = { 2, 65535 },
	[R_ID16] = { 0, 65535 }, [R_LOG] = { 0, 7 }, [R_RTPRIO] = { 0, 99 },
	[R_SUBTREE] = { 0, 2 },
};

/* For K_ENUM the value is the word's index. */
enum { W_RECOVERY, W_DEPEND, W_MIGRATE, W_SCHED, W_ONOFF, W_RRP };

static const char *const *const words[] = {
	[W_RECOVERY] = (const char *const[]){ "restart", "relocate", "disable",
					      "restart-disable", NULL },
	[W_DEPEND] = (const char *const[]){ "hard", "soft", NULL },
	[W_MIGRATE] = (const char *const[]){ "live", "pause", NULL },
	[W_SCHED] = (const char *const[]){ "rr", "fifo", "other", NULL },
	[W_ONOFF] = (const char *const[]){ "off", "on", NULL },
	[W_RRP] = (const char *const[]){ "none", "active", "passive", NULL },
};

/* The array size is negative, so compiling fails, when a member's type
 * does not fit its kind: const char * for K_STR and K_REQ, else int. */
#define FITS(k, st, m) (0 * sizeof(char[1 - 2 * (sizeof(((struct st *)0)->m) \
	!= ((k) <= K_REQ ? sizeof(char *) : sizeof(int)))]))
#define F(n, k, st, m, a) \
	{ n, k, a, offsetof(struct st, m) + FITS(k, st, m) }
#define FS(st, m) F(#m, K_STR, st, m, 0)
#define FR(st, m) F(#m, K_REQ, st, m, 0)
#define FI(st, m, r) F(#m, K_INT, st, m, r)
#define FB(st, m) F(#m, K_BOOL, st, m, 0)
#define FT(st, m) F(#m, K_TIME, st, m, 0)
#define FE(st, m, w) F(#m, K_ENUM, st, m, w)
#define FK(n) { n, K_SKIP, 0, 0 }
#define FEND { 0, 0, 0, 0 }

/* Scratch entry for elements whose values are checked, not kept. */
struct scratch {
	const char *name, *depth;
	int interval, timeout;
};

enum { P_NODES, P_ALT, P_METHODS, P_DEVICES, P_FENCEDEVS, P_DOMAINS,
       P_DOMNODES, P_SERVICES, P_RES, P_DEPTH, P_HEUR };

static const struct { const char *what; int max; } pools[] = {
	[P_NODES] = { "clusternodes", CONF_MAX_NODES },
	[P_ALT] = { "altnames on one node", CONF_MAX_ALTNAMES },
	[P_METHODS] = { "fence methods", CONF_MAX_METHODS },
	[P_DEVICES] = { "fence devices in nodes", CONF_MAX_DEVICES },
	[P_FENCEDEVS] = { "fencedevices", CONF_MAX_FENCEDEVS },
	[P_DOMAINS] = { "failover domains", CONF_MAX_DOMAINS },
	[P_DOMNODES] = { "failoverdomainnodes", CONF_MAX_DOMNODES },
	[P_SERVICES] = { "services and vms", CONF_MAX_SERVICES },
	[P_RES] = { "resources", CONF_MAX_RES },
	[P_DEPTH] = { "levels of nested resources", CONF_MAX_DEPTH },
	[P_HEUR] = { "heuristics", CONF_MAX_HEURISTICS },
};

struct ld {
	struct conf *c;
	struct conf_diags *d;
	unsigned over;			/* pools already reported full */
	struct conf_node *node;		/* the clusternode being loaded */
	struct conf_device **devs;	/* the device list being filled */
	int *ndevs;
	struct conf_domain *dom;
	struct conf_res *res;		/* parent of resources being loaded */
	struct conf_res *gtail;		/* last global resource */
	struct scratch scratch;
};

struct elem;
typedef void *enter_fn(struct ld *ld, const struct xml_node *x,
		       const struct elem *e);

enum { E_ONCE = 1, E_OPEN = 2, E_RES = 4 };

/* kids NULL: children are not looked at.  E_RES: attributes are known
 * by the schema table and children are resources. */
struct elem {
	const char *name;
	enter_fn *enter;
	const struct field *fields;
	const struct elem *kids;
	unsigned short flags, off, xoff;
};

#define E(n, fn, f, k, fl) { n, fn, f, k, fl, 0, 0 }
#define ONE(n, m, f, k, fl) { n, enter_one, f, k, (fl) | E_ONCE, \
	offsetof(struct conf, m), offsetof(struct conf, m.x) }
#define EEND { 0, 0, 0, 0, 0, 0, 0 }

/* --- messages ------------------------------------------------------------- */
static void vnote(struct ld *ld, int sev, const struct xml_node *x,
		  const struct xml_attr *a, const char *fmt, va_list ap)
{
	char text[300];

	if (!ld->d)
		return;
	vsnprintf(text, sizeof text, fmt, ap);
	conf_diag(ld->d, sev, a ? a->line : x->line, a ? a->col : x->col,
		  "%s", text);
}

static void PRINTF(4, 5) err(struct ld *ld, const struct xml_node *x,
			     const struct xml_attr *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(ld, CONF_ERROR, x, a, fmt, ap);
	va_end(ap);
}

static void PRINTF(4, 5) warn(struct ld *ld, const struct xml_node *x,
			      const struct xml_attr *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(ld, CONF_WARNING, x, a, fmt, ap);
	va_end(ap);
}

/* 1 when pool id already holds n >= its limit entries; said once. */
static int full(struct ld *ld, const struct xml_node *x, int id, int n)
{
	if (n < pools[id].max)
		return 0;
	if (!(ld->over & 1u << id))
		err(ld, x, NULL, "more than %d %s; the rest is ignored",
		    pools[id].max, pools[id].what);
	ld->over |= 1u << id;
	return 1;
}

/* --- attribute values ----------------------------------------------------- */
static int word_index(const char *const *w, const char *s, int *out)
{
	for (int i = 0; w[i]; i++)
		if (!strcmp(w[i], s))
			return *out = i, 0;
	return -1;
}

static int parse_value(const struct field *f, const char *s, int *out)
{
	long v;

	switch (f->kind) {
	case K_INT:
		if (parse_int(s, ranges[f->arg].lo, ranges[f->arg].hi, &v))
			return -1;
		return *out = (int)v, 0;
	case K_BOOL:
		return conf_bool(s, out);
	case K_TIME:
		return conf_time(s, out);
	case K_ENUM:
		return word_index(words[f->arg], s, out);
	}
	return 0;
}

/* What a field wants, for the message about a value that is not it. */
static const char *wanted(const struct field *f, char *out, size_t size)
{
	size_t n = 0;
	int lo, hi;

	if (f->kind == K_BOOL)
		return "a boolean (yes, no, on, off, true, false or a number)";
	if (f->kind == K_TIME)
		return "a time (seconds, or like 30s, 5m, 1h30m)";
	if (f->kind == K_ENUM) {
		for (const char *const *w = words[f->arg]; *w && n < size; w++)
			n += (size_t)snprintf(out + n, size - n, "%s%s",
					      n ? ", " : "one of ", *w);
		return out;
	}
	lo = ranges[f->arg].lo;
	hi = ranges[f->arg].hi;
	if (hi == POS && lo >= 0)
		snprintf(out, size, "a %s integer",
			 lo ? "positive" : "non-negative");
	else if (hi == POS)
		snprintf(out, size, "an integer of at least %d", lo);
	else
		snprintf(out, size, "an integer in %d..%d", lo, hi);
	return out;
}

static void bad_value(struct ld *ld, const struct xml_node *x,
		      const struct xml_attr *a, const struct field *f)
{
	char text[80];

	err(ld, x, a, "%s=\"%.40s\": not %s", a->name, a->value,
	    wanted(f, text, sizeof text));
}

/* Parse attribute a by field f; store into dst (unless dst is NULL). */
static void take(struct ld *ld, const struct xml_node *x,
		 const struct xml_attr *a, const struct field *f, void *dst)
{
	char *at = dst ? (char *)dst + f->off : NULL;
	int v;

	if (f->kind == K_SKIP)
		return;
	if (f->kind == K_STR || f->kind == K_REQ) {
		if (at)
			*(const char **)at = a->value;
		return;
	}
	if (parse_value(f, a->value, &v) < 0)
		bad_value(ld, x, a, f);
	else if (at)
		*(int *)at = v;
}

static const struct field *find_field(const struct field *f, const char *n)
{
	for (; f && f->name; f++)
		if (!strcmp(f->name, n))
			return f;
	return NULL;
}

static int schema_knows(const struct xml_node *x, const char *name)
{
	const struct schema_type *t = schema_find(x->name);

	return schema_is_common(name) || (t && schema_attr(t, name));
}

static void missing(struct ld *ld, const struct xml_node *x,
		    const char *attr)
{
	err(ld, x, NULL, "<%s> is missing required attribute \"%s\"",
	    x->name, attr);
}

static void load_attrs(struct ld *ld, const struct xml_node *x,
		       const struct elem *e, void *dst)
{
	const struct field *f;

	for (int i = 0; i < x->nattrs; i++) {
		const struct xml_attr *a = &x->attrs[i];
		int known = e->flags & E_RES ? schema_knows(x, a->name) : 1;

		if ((f = find_field(e->fields, a->name)))
			take(ld, x, a, f, dst);
		if (!known || (!f && !(e->flags & (E_OPEN | E_RES))))
			warn(ld, x, a, "unknown attribute \"%s\" in <%s>",
			     a->name, x->name);
	}
	for (f = e->fields; f && f->name && !xml_attr(x, "ref"); f++)
		if (f->kind == K_REQ && !xml_attr(x, f->name))
			missing(ld, x, f->name);
}

/* --- resources ------------------------------------------------------------ */
static const struct field common_fields[] = {
	{ "__independent_subtree", K_INT, R_SUBTREE, 0 },
	{ "__enforce_timeouts", K_BOOL, 0, 0 },
	{ "__max_failures", K_INT, R_NN, 0 },
	{ "__failure_expire_time", K_TIME, 0, 0 },
	{ "__max_restarts", K_INT, R_NN, 0 },
	{ "__restart_expire_time", K_TIME, 0, 0 },
	FEND
};

/* Resource attributes whose values are words, whatever type has them.
 * (ip's family is free text, as in RHEL 6: inet, inet6, else auto.) */
static const struct field word_fields[] = {
	{ "recovery", K_ENUM, W_RECOVERY, 0 },
	{ "depend_mode", K_ENUM, W_DEPEND, 0 },
	{ "migrate", K_ENUM, W_MIGRATE, 0 },
	FEND
};

static const struct field *schema_field(const struct schema_attr *sa,
					struct field *f)
{
	static const struct { unsigned flag; unsigned char kind; } by[] = {
		{ SA_BOOL, K_BOOL }, { SA_INT, K_INT }, { SA_TIME, K_TIME },
	};

	if (find_field(word_fields, sa->name))
		return find_field(word_fields, sa->name);
	for (size_t i = 0; i < ARRAY_LEN(by); i++)
		if (sa->flags & by[i].flag) {
			*f = (struct field){ sa->name, by[i].kind, R_NN, 0 };
			return f;
		}
	return NULL;
}

static void res_attrs(struct ld *ld, const struct conf_res *r)
{
	const struct xml_node *x = r->x;
	const struct schema_attr *sa;
	const struct field *f;
	struct field tmp;

	for (int i = 0; i < x->nattrs; i++) {
		const struct xml_attr *a = &x->attrs[i];

		if ((f = find_field(common_fields, a->name)))
			take(ld, x, a, f, NULL);
		else if ((sa = schema_attr(r->type, a->name)) &&
			 (f = schema_field(sa, &tmp)))
			take(ld, x, a, f, NULL);
		else if (!sa && !schema_is_common(a->name))
			warn(ld, x, a, "unknown attribute \"%s\" in <%s>",
			     a->name, x->name);
	}
}

static void append_child(struct conf_res *parent, struct conf_res *r)
{
	struct conf_res **p = &parent->child;

	while (*p)
		p = &(*p)->next;
	*p = r;
}

static struct conf_res *new_res(struct ld *ld, const struct xml_node *x,
				struct conf_res *parent)
{
	struct conf *c = ld->c;
	struct conf_res *r;

	if (full(ld, x, P_RES, c->nres))
		return NULL;
	r = &c->res_pool[c->nres++];
	r->x = x;
	r->type = schema_find(x->name);
	r->ref = xml_get(x, "ref");
	r->parent = parent;
	r->depth = parent ? parent->depth + 1 : 0;
	if (parent)
		append_child(parent, r);
	else if (ld->gtail)
		ld->gtail = ld->gtail->next = r;
	else
		ld->gtail = c->globals = r;
	return r;
}

static void load_elem(struct ld *ld, const struct xml_node *x,
		      const struct elem *e);
static const struct elem action_elem;

#define WS " \t\r\n"

/* No element of cluster.conf holds text (RHEL 6's schema refused it):
 * text there is usually what a broken comment left behind. */
static void no_text(struct ld *ld, const struct xml_node *x)
{
	for (const struct xml_node *k = x->child; k; k = k->next) {
		const char *t = k->text;
		size_t n;

		if (k->kind != XML_TEXT)
			continue;
		t += strspn(t, WS);
		n = strcspn(t, "\r\n");
		err(ld, k, NULL, "text \"%.*s%s\" in <%s>, where only elements "
		    "may stand", (int)(n > 24 ? 24 : n), t,
		    n > 24 || t[n + strspn(t + n, WS)] ? "..." : "", x->name);
	}
}

/* A type the table does not know is fine when this node has its agent
 * (the services run it); otherwise a warning, as the schema of RHEL 6
 * accepted any element there. */
static void unknown_type(struct ld *ld, const struct xml_node *x)
{
	if (!schema_agent_exists(x->name))
		warn(ld, x, NULL, "unknown resource type <%s>: no agent "
		     SCHEMA_AGENT_DIR "/%s.sh or OCF agent resource.d/*/%s "
		     "on this node", x->name, x->name, x->name);
}

static void load_res_kids(struct ld *ld, const struct xml_node *x,
			  struct conf_res *parent);

static void load_res(struct ld *ld, const struct xml_node *x,
		     struct conf_res *parent)
{
	struct conf_res *r;

	if (parent && full(ld, x, P_DEPTH, parent->depth))
		return;
	if (!(r = new_res(ld, x, parent)))
		return;
	if (!r->type)
		unknown_type(ld, x);
	else if ((r->type->flags & ST_ROOT) && parent)
		err(ld, x, NULL, "<%s> cannot be used as a resource",
		    x->name);
	else
		res_attrs(ld, r);
	no_text(ld, x);
	load_res_kids(ld, x, r);
}

static void load_res_kids(struct ld *ld, const struct xml_node *x,
			  struct conf_res *parent)
{
	struct xml_node *k;

	xml_each(k, x, NULL) {
		if (!strcmp(k->name, "action"))
			load_elem(ld, k, &action_elem);
		else
			load_res(ld, k, parent);
	}
}

/* --- entering elements ---------------------------------------------------- */
static void *enter_one(struct ld *ld, const struct xml_node *x,
		       const struct elem *e)
{
	*(const struct xml_node **)((char *)ld->c + e->xoff) = x;
	return (char *)ld->c + e->off;
}

static void *enter_root(struct ld *ld, const struct xml_node *x,
			const struct elem *e)
{
	return ld->c;
}

static void *enter_cman(struct ld *ld, const struct xml_node *x,
			const struct elem *e)
{
	return &ld->c->cman;
}

static void *enter_none(struct ld *ld, const struct xml_node *x,
			const struct elem *e)
{
	return &ld->scratch;
}

static void *enter_node(struct ld *ld, const struct xml_node *x,
			const struct elem *e)
{
	struct conf *c = ld->c;
	struct conf_node *n;

	if (full(ld, x, P_NODES, c->nnodes))
		return NULL;
	n = ld->node = &c->nodes[c->nnodes++];
	n->votes = 1;
	n->x = x;
	return n;
}

static void *enter_altname(struct ld *ld, const struct xml_node *x,
			   const struct elem *e)
{
	struct conf_node *n = ld->node;

	if (full(ld, x, P_ALT, n->naltnames))
		return NULL;
	n->altnames[n->naltnames].x = x;
	return &n->altnames[n->naltnames++];
}

static void *enter_method(struct ld *ld, const struct xml_node *x,
			  const struct elem *e)
{
	struct conf *c = ld->c;
	struct conf_method *m;

	if (full(ld, x, P_METHODS, c->nmethods))
		return NULL;
	m = &c->method_pool[c->nmethods++];
	if (!ld->node->nmethods++)
		ld->node->methods = m;
	m->x = x;
	ld->devs = &m->devs;
	ld->ndevs = &m->ndevs;
	return m;
}

static void *enter_unfence(struct ld *ld, const struct xml_node *x,
			   const struct elem *e)
{
	ld->devs = &ld->node->unfence;
	ld->ndevs = &ld->node->nunfence;
	return &ld->scratch;
}

static void *enter_device(struct ld *ld, const struct xml_node *x,
			  const struct elem *e)
{
	struct conf *c = ld->c;
	struct conf_device *d;

	if (full(ld, x, P_DEVICES, c->ndevices))
		return NULL;
	d = &c->device_pool[c->ndevices++];
	if (!(*ld->ndevs)++)
		*ld->devs = d;
	d->x = x;
	return d;
}

static void *enter_fencedev(struct ld *ld, const struct xml_node *x,
			    const struct elem *e)
{
	struct conf *c = ld->c;

	if (full(ld, x, P_FENCEDEVS, c->nfencedevs))
		return NULL;
	c->fencedevs[c->nfencedevs].x = x;
	return &c->fencedevs[c->nfencedevs++];
}

static void *enter_domain(struct ld *ld, const struct xml_node *x,
			  const struct elem *e)
{
	struct conf *c = ld->c;
	struct conf_domain *d;

	if (full(ld, x, P_DOMAINS, c->ndomains))
		return NULL;
	d = ld->dom = &c->domains[c->ndomains++];
	d->nodes = &c->domnode_pool[c->ndomnodes];
	d->x = x;
	return d;
}

static void *enter_domnode(struct ld *ld, const struct xml_node *x,
			   const struct elem *e)
{
	struct conf *c = ld->c;
	struct conf_domnode *n;

	if (full(ld, x, P_DOMNODES, c->ndomnodes))
		return NULL;
	n = &c->domnode_pool[c->ndomnodes++];
	ld->dom->nnodes++;
	n->x = x;
	return n;
}

static void *enter_heuristic(struct ld *ld, const struct xml_node *x,
			     const struct elem *e)
{
	struct conf_qdisk *q = &ld->c->qdisk;
	struct conf_heuristic *h;

	if (full(ld, x, P_HEUR, q->nheuristics))
		return NULL;
	h = &q->heuristic[q->nheuristics++];
	*h = (struct conf_heuristic){ NULL, 1, 2, 1, x };
	return h;
}

static void *enter_resources(struct ld *ld, const struct xml_node *x,
			     const struct elem *e)
{
	ld->res = NULL;
	return &ld->scratch;
}

static void *enter_service(struct ld *ld, const struct xml_node *x,
			   const struct elem *e)
{
	struct conf *c = ld->c;
	struct conf_service *s;

	if (full(ld, x, P_SERVICES, c->nservices) ||
	    full(ld, x, P_RES, c->nres))
		return NULL;
	s = &c->services[c->nservices++];
	*s = (struct conf_service){ .autostart = 1, .x = x };
	s->is_vm = !strcmp(x->name, "vm");
	s->res = ld->res = &c->res_pool[c->nres++];
	s->res->type = schema_find(x->name);
	s->res->ref = xml_get(x, "ref");
	s->res->x = x;
	return s;
}

/* --- the element tables --------------------------------------------------- */
static const struct field none_fields[] = { FEND };

static const struct field cluster_fields[] = {
	FR(conf, name), FI(conf, config_version, R_POS),
	FK("alias"), FEND
};

static const struct field cman_fields[] = {
	FB(conf_cman, two_node), FI(conf_cman, expected_votes, R_POS),
	FI(conf_cman, cluster_id, R_ID16), FI(conf_cman, port, R_PORT),
	FI(conf_cman, quorum_dev_poll, R_POS),
	FI(conf_cman, shutdown_timeout, R_NN),
	FI(conf_cman, ccsd_poll, R_POS), FB(conf_cman, broadcast),
	FB(conf_cman, upgrading), FB(conf_cman, disallowed),
	FB(conf_cman, hash_cluster_id), FS(conf_cman, keyfile),
	FS(conf_cman, transport), FK("nodename"), FK("cluster_name"),
	FB(conf_cman, wait_for_all), FB(conf_cman, last_man_standing),
	FI(conf_cman, last_man_standing_window, R_POS),
	FB(conf_cman, auto_tie_breaker), FB(conf_cman, two_node_unsafe),
	FEND
};

/* <quorum>: votequorum's spelling of the same options. */
static const struct field quorum_fields[] = {
	FB(conf_cman, two_node), FI(conf_cman, expected_votes, R_POS),
	FB(conf_cman, wait_for_all), FB(conf_cman, last_man_standing),
	FI(conf_cman, last_man_standing_window, R_POS),
	FB(conf_cman, auto_tie_breaker), FB(conf_cman, two_node_unsafe),
	FK("provider"), FEND
};

static const struct field mcast_fields[] = {
	F("addr", K_STR, conf_cman, mcast, 0), FK("ttl"), FEND
};

static const struct field totem_fields[] = {
	FI(conf_totem, token, R_POS), FI(conf_totem, join, R_POS),
	FI(conf_totem, consensus, R_POS),
	FI(conf_totem, token_retransmits_before_loss_const, R_POS),
	FI(conf_totem, fail_recv_const, R_POS),
	FB(conf_totem, secauth), FS(conf_totem, transport),
	FE(conf_totem, rrp_mode, W_RRP),
	FS(conf_totem, keyfile), FEND
};

static const struct field fenced_fields[] = {
	FI(conf_fenced, post_join_delay, R_DELAY),
	FI(conf_fenced, post_fail_delay, R_NN), FI(conf_fenced, delay, R_NN),
	FB(conf_fenced, clean_start), FI(conf_fenced, override_time, R_NN),
	FB(conf_fenced, skip_undefined), FS(conf_fenced, override_path),
	FEND
};

static const struct field qdisk_fields[] = {
	FI(conf_qdisk, interval, R_POS), FI(conf_qdisk, tko, R_POS),
	FI(conf_qdisk, tko_up, R_POS), FI(conf_qdisk, upgrade_wait, R_POS),
	FI(conf_qdisk, master_wait, R_POS), FI(conf_qdisk, votes, R_VOTES),
	FI(conf_qdisk, min_score, R_NN), FI(conf_qdisk, priority, R_RTPRIO),
	FI(conf_qdisk, max_error_cycles, R_NN), FB(conf_qdisk, reboot),
	FB(conf_qdisk, allow_kill), FB(conf_qdisk, paranoid),
	FB(conf_qdisk, stop_cman), FB(conf_qdisk, master_wins),
	FB(conf_qdisk, io_timeout), FI(conf_qdisk, log_level, R_LOG),
	FS(conf_qdisk, device), FS(conf_qdisk, label),
	FS(conf_qdisk, cman_label), FS(conf_qdisk, status_file),
	FE(conf_qdisk, scheduler, W_SCHED),
	FS(conf_qdisk, log_facility), FK("use_uptime"), FEND
};

static const struct field heuristic_fields[] = {
	FR(conf_heuristic, program), FI(conf_heuristic, score, R_POS),
	FI(conf_heuristic, interval, R_POS), FI(conf_heuristic, tko, R_POS),
	FEND
};

static const struct field logging_fields[] = {
	FB(conf_logging, to_syslog), FB(conf_logging, to_logfile),
	FE(conf_logging, debug, W_ONOFF), FS(conf_logging, logfile),
	FS(conf_logging, syslog_facility), FS(conf_logging, syslog_priority),
	FK("logfile_priority"), FK("fileline"), FK("timestamp"), FEND
};

static const struct field node_fields[] = {
	FR(conf_node, name), FI(conf_node, nodeid, R_NODEID),
	FI(conf_node, votes, R_VOTES), FI(conf_node, weight, R_NN), FEND
};

static const struct field altname_fields[] = {
	FR(conf_altname, name), FI(conf_altname, port, R_PORT),
	FS(conf_altname, mcast), FEND
};

static const struct field method_fields[] = { FR(conf_method, name), FEND };
static const struct field device_fields[] = { FR(conf_device, name), FEND };

static const struct field fencedev_fields[] = {
	FR(conf_fencedev, name), FS(conf_fencedev, agent), FEND
};

static const struct field rm_fields[] = {
	FI(conf_rm, log_level, R_LOG), FS(conf_rm, log_facility),
	FB(conf_rm, central_processing), FI(conf_rm, status_child_max, R_POS),
	FT(conf_rm, status_poll_interval), FT(conf_rm, transition_throttling),
	FK("statusmax"), FEND
};

static const struct field domain_fields[] = {
	FR(conf_domain, name), FB(conf_domain, ordered),
	FB(conf_domain, restricted), FB(conf_domain, nofailback), FEND
};

static const struct field domnode_fields[] = {
	FR(conf_domnode, name), FI(conf_domnode, priority, R_PRIO), FEND
};

static const struct field service_fields[] = {
	FR(conf_service, name), FS(conf_service, domain),
	FB(conf_service, autostart), FB(conf_service, exclusive),
	FE(conf_service, recovery, W_RECOVERY),
	FI(conf_service, max_restarts, R_NN),
	FT(conf_service, restart_expire_time), FB(conf_service, nfslock),
	FB(conf_service, hardrecovery), FI(conf_service, priority, R_NN),
	FS(conf_service, depend), FE(conf_service, depend_mode, W_DEPEND),
	FE(conf_service, migrate, W_MIGRATE), FEND
};

static const struct field action_fields[] = {
	FS(scratch, name), FS(scratch, depth), FT(scratch, interval),
	FT(scratch, timeout), FEND
};

static const struct elem action_elem = E("action", enter_none,
					 action_fields, NULL, 0);
static const struct elem no_kids[] = { EEND };

static const struct elem cman_kids[] = {
	E("multicast", enter_cman, mcast_fields, no_kids, E_ONCE),
	E("altmulticast", enter_none, NULL, no_kids, E_ONCE | E_OPEN), EEND
};
static const struct elem totem_kids[] = {
	E("interface", enter_none, NULL, no_kids, E_OPEN), EEND
};
static const struct elem quorumd_kids[] = {
	E("heuristic", enter_heuristic, heuristic_fields, no_kids, 0), EEND
};
static const struct elem logging_kids[] = {
	E("logging_daemon", enter_none, NULL, NULL, E_OPEN), EEND
};
static const struct elem method_kids[] = {
	E("device", enter_device, device_fields, no_kids, E_OPEN), EEND
};
static const struct elem fence_kids[] = {
	E("method", enter_method, method_fields, method_kids, 0), EEND
};
static const struct elem node_kids[] = {
	E("altname", enter_altname, altname_fields, no_kids, 0),
	E("fence", enter_none, none_fields, fence_kids, E_ONCE),
	E("unfence", enter_unfence, none_fields, method_kids, E_ONCE), EEND
};
static const struct elem nodes_kids[] = {
	E("clusternode", enter_node, node_fields, node_kids, 0), EEND
};
static const struct elem fencedevs_kids[] = {
	E("fencedevice", enter_fencedev, fencedev_fields, no_kids, E_OPEN),
	EEND
};
static const struct elem domain_kids[] = {
	E("failoverdomainnode", enter_domnode, domnode_fields, no_kids, 0),
	EEND
};
static const struct elem domains_kids[] = {
	E("failoverdomain", enter_domain, domain_fields, domain_kids, 0), EEND
};
static const struct elem rm_kids[] = {
	E("failoverdomains", enter_none, none_fields, domains_kids, E_ONCE),
	E("resources", enter_resources, none_fields, NULL, E_ONCE | E_RES),
	E("service", enter_service, service_fields, NULL, E_RES),
	E("vm", enter_service, service_fields, NULL, E_RES),
	E("events", enter_none, NULL, NULL, E_ONCE | E_OPEN),
	E("resource-defaults", enter_none, NULL, NULL, E_ONCE | E_OPEN),
	EEND
};
static const struct elem cluster_kids[] = {
	ONE("cman", cman, cman_fields, cman_kids, 0),
	ONE("totem", totem, totem_fields, totem_kids, E_OPEN),
	ONE("quorumd", qdisk, qdisk_fields, quorumd_kids, 0),
	E("quorum", enter_cman, quorum_fields, no_kids, E_ONCE),
	ONE("fence_daemon", fenced, fenced_fields, no_kids, 0),
	ONE("logging", logging, logging_fields, logging_kids, 0),
	ONE("rm", rm, rm_fields, rm_kids, 0),
	E("clusternodes", enter_none, none_fields, nodes_kids, E_ONCE),
	E("fencedevices", enter_none, none_fields, fencedevs_kids, E_ONCE),
	E("fence_xvmd", enter_none, NULL, NULL, E_ONCE | E_OPEN),
	E("dlm", enter_none, NULL, NULL, E_ONCE | E_OPEN),
	E("gfs_controld", enter_none, NULL, NULL, E_ONCE | E_OPEN),
	E("group", enter_none, NULL, NULL, E_ONCE | E_OPEN),
	EEND
};
static const struct elem cluster_elem = E("cluster", enter_root,
					  cluster_fields, cluster_kids, 0);

/* --- the walk ------------------------------------------------------------- */
static const struct elem *find_elem(const struct elem *e, const char *n)
{
	for (; e->name; e++)
		if (!strcmp(e->name, n))
			return e;
	return NULL;
}

static void load_kids(struct ld *ld, const struct xml_node *x,
		      const struct elem *kids)
{
	const struct elem *e;
	struct xml_node *k;

	xml_each(k, x, NULL) {
		if ((e = find_elem(kids, k->name)))
			load_elem(ld, k, e);
		else
			warn(ld, k, NULL, "unknown element <%s> in <%s>",
			     k->name, x->name);
	}
}

static void load_elem(struct ld *ld, const struct xml_node *x,
		      const struct elem *e)
{
	const struct xml_node *first = NULL;
	void *dst;

	if (e->flags & E_ONCE)
		first = xml_child(x->parent, x->name);
	if (first && first != x) {
		err(ld, x, NULL, "<%s> given twice (first at line %d)",
		    x->name, first->line);
		return;
	}
	if (!(dst = e->enter(ld, x, e)))
		return;
	load_attrs(ld, x, e, dst);
	if (e->kids || (e->flags & E_RES))
		no_text(ld, x);
	if (e->flags & E_RES)
		load_res_kids(ld, x, ld->res);
	else if (e->kids)
		load_kids(ld, x, e->kids);
}

/* <service ref="NAME"> (rgmanager's own test files): its attributes are
 * those of <service name="NAME"> in <resources>, its own given beside
 * ref win; its resources are its own children.  The definition's values
 * were checked where it stands (res_attrs), so they are taken quietly.
 * One that names nothing is validate.c's error. */
static void resolve_service_refs(struct ld *ld)
{
	struct conf *c = ld->c;
	struct conf_diags *d = ld->d;

	for (int i = 0; i < c->nservices; i++) {
		struct conf_service *s = &c->services[i];
		const struct elem *e = find_elem(rm_kids, s->x->name);
		const struct conf_res *def = s->res->ref ?
			conf_global(c, s->res->type, s->res->ref) : NULL;

		if (!def)
			continue;
		ld->d = NULL;
		load_attrs(ld, def->x, e, s);
		load_attrs(ld, s->x, e, s);
		ld->d = d;
	}
}

/* --- entry points --------------------------------------------------------- */
struct conf *conf_load(const struct xml_node *doc, struct conf_diags *d)
{
	struct conf *c = xcalloc(1, sizeof *c);
	struct ld ld = { .c = c, .d = d };
	const struct xml_node *root;

	root = doc->kind == XML_DOC ? xml_root(doc) : doc;
	c->doc = doc;
	conf_defaults(c);
	if (!root)
		err(&ld, doc, NULL, "no root element");
	else if (strcmp(root->name, "cluster"))
		err(&ld, root, NULL, "root element is <%s>, not <cluster>",
		    root->name);
	else
		load_elem(&ld, c->root = root, &cluster_elem);
	resolve_service_refs(&ld);
	conf_finish(c);
	return c;
}

struct conf *conf_read(const char *path, struct conf_diags *d)
{
	struct xml_err e = {0};
	struct xml_node *doc = xml_load(path, &e);
	struct conf *c;

	if (!doc) {
		if (d)
			conf_diag(d, CONF_ERROR, e.line, e.col, "%s", e.msg);
		return NULL;
	}
	c = conf_load(doc, d);
	c->owned = doc;
	return c;
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	xml_free(c->owned);
	free(c);
}

void conf_hold(struct conf *c)
{
	c->holds++;
}

void conf_drop(struct conf *c)
{
	if (c && --c->holds == 0 && c->retired)
		conf_free(c);
}

void conf_retire(struct conf *c)
{
	if (c && !c->holds)
		conf_free(c);
	else if (c)
		c->retired = 1;
}
