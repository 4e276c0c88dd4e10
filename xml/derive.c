/* xml/derive.c - what cman and rgmanager compute from cluster.conf.
 *
 * Defaults, cross references and derived values of the model (spec 1.10,
 * 2.1, 2.4), the lookups over it, and the syntax of rgmanager's booleans
 * and times.  Where the RHEL5 and RHEL6 eras differ the RHEL6 value is
 * used (totem consensus, retransmits); the FNV hash_cluster_id variant is
 * not implemented: the name hash is always used. */
#include "conf.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- value syntax --------------------------------------------------------- */
int conf_bool(const char *s, int *out)
{
	static const char *const words[] = {
		"no", "yes", "off", "on", "false", "true",
	};
	long v;

	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strcasecmp(s, words[i]))
			return *out = (int)(i & 1), 0;
	if (parse_int(s, LONG_MIN, LONG_MAX, &v) < 0)
		return -1;
	return *out = v > 0, 0;
}

static int time_unit(char c)
{
	static const struct { char c; int secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
		{ 'w', 604800 },
	};

	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		if (units[i].c == c)
			return units[i].secs;
	return 0;
}

int conf_time(const char *s, int *out)
{
	long long total = 0, v;
	int unit;

	if (!*s)
		return -1;
	while (*s) {
		if (*s < '0' || *s > '9')
			return -1;
		for (v = 0; *s >= '0' && *s <= '9' && v <= INT_MAX; s++)
			v = v * 10 + (*s - '0');
		unit = *s ? time_unit(*s++) : 1;
		total += v * unit;
		if (!unit || v > INT_MAX || total > INT_MAX)
			return -1;
	}
	*out = (int)total;
	return 0;
}

int conf_is_mcast(const char *s)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, s, a) == 1)
		return a[0] >= 224 && a[0] <= 239;
	return inet_pton(AF_INET6, s, a) == 1 && a[0] == 0xff;
}

/* --- cman's arithmetic ---------------------------------------------------- */
int conf_cluster_id(const char *name)
{
	unsigned v = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		v = (v << 1) + *p;
	return (int)(v & 0xFFFF);
}

void conf_mcast_addr(int cluster_id, char *out)
{
	unsigned id = (unsigned)cluster_id & 0xFFFF;

	snprintf(out, 16, "239.192.%u.%u", id >> 8, id % 255);
}

int conf_quorum(int expected, int total, int two_node, int members)
{
	int by_expected = (expected + 2) / 2, by_total = (total + 2) / 2;

	if (two_node && members <= 2)
		return 1;
	return by_expected > by_total ? by_expected : by_total;
}

int conf_qdisk_votes(int nnodes)
{
	return nnodes > 1 ? nnodes - 1 : 0;
}

/* --- lookups -------------------------------------------------------------- */
#define FIND(arr, n, key) do { \
	for (int i_ = 0; key && i_ < (n); i_++) \
		if ((arr)[i_].name && !strcmp((arr)[i_].name, key)) \
			return &(arr)[i_]; \
	return NULL; } while (0)

const struct conf_node *conf_node(const struct conf *c, const char *name)
{
	FIND(c->nodes, c->nnodes, name);
}

const struct conf_fencedev *conf_fencedev(const struct conf *c,
					  const char *name)
{
	FIND(c->fencedevs, c->nfencedevs, name);
}

const struct conf_domain *conf_domain(const struct conf *c,
				      const char *name)
{
	FIND(c->domains, c->ndomains, name);
}

const struct conf_service *conf_service(const struct conf *c,
					const char *name)
{
	FIND(c->services, c->nservices, name);
}

const struct conf_node *conf_nodeid(const struct conf *c, int nodeid)
{
	for (int i = 0; nodeid && i < c->nnodes; i++)
		if (c->nodes[i].nodeid == nodeid)
			return &c->nodes[i];
	return NULL;
}

const char *conf_res_get(const struct conf_res *r, const char *attr)
{
	const char *v = xml_get(r->x, attr);

	return v || !r->target ? v : xml_get(r->target->x, attr);
}

const char *conf_res_name(const struct conf_res *r)
{
	const char *v;

	if (!r->type)		/* an agent's own type: its name, if any */
		return conf_res_get(r, "name") ? conf_res_get(r, "name") :
		       r->ref;
	v = conf_res_get(r, schema_primary(r->type));
	return v ? v : r->ref;
}

const struct conf_res *conf_global(const struct conf *c,
				   const struct schema_type *t,
				   const char *value)
{
	for (const struct conf_res *r = c->globals; r && value; r = r->next) {
		const char *v = r->type == t ?
			xml_get(r->x, schema_primary(t)) : NULL;
		if (v && !strcmp(v, value))
			return r;
	}
	return NULL;
}

/* A value with a newline would smuggle in another key=value line;
 * agent_timeout is ours (agents/fence.c), not the agent's. */
static void put_args(const struct xml_node *x, struct buf *out)
{
	for (int i = 0; x && i < x->nattrs; i++)
		if (strcmp(x->attrs[i].name, "name") &&
		    strcmp(x->attrs[i].name, "agent_timeout") &&
		    !strchr(x->attrs[i].value, '\n'))
			buf_printf(out, "%s=%s\n", x->attrs[i].name,
				   x->attrs[i].value);
}

void conf_fence_args(const struct conf_device *d, const char *victim,
		     struct buf *out)
{
	const struct xml_node *fx = d->dev ? d->dev->x : NULL;

	put_args(d->x, out);
	put_args(fx, out);
	if (victim && !xml_get(d->x, "nodename") &&
	    !(fx && xml_get(fx, "nodename")))
		buf_printf(out, "nodename=%s\n", victim);
}

/* --- before loading ------------------------------------------------------- */
void conf_defaults(struct conf *c)
{
	c->cman = (struct conf_cman){ .cluster_id = -1, .port = 5405,
		.quorum_dev_poll = 10000, .ccsd_poll = 1000,
		.wait_for_all = -1, .last_man_standing_window = 10000 };
	/* Timers not given stay 0: the ring's totem_cfg_defaults() is the
	 * one place that knows them (token 1000 ms, not cman's 10 s). */
	c->totem = (struct conf_totem){ .secauth = 1, .rrp_mode = -1 };
	c->fenced = (struct conf_fenced){ .post_join_delay = 6, .delay = 5,
		.override_path = "/var/run/cluster/fenced_override" };
	c->qdisk = (struct conf_qdisk){ .interval = 1, .tko = 10,
		.tko_up = -1, .upgrade_wait = 2, .master_wait = -1,
		.votes = -1, .priority = 1, .reboot = 1, .allow_kill = 1,
		.log_level = 4, .log_facility = "daemon" };
	c->logging = (struct conf_logging){ .to_syslog = 1, .to_logfile = 1,
		.syslog_facility = "local4", .syslog_priority = "info" };
	c->rm = (struct conf_rm){ .log_level = -1,
		.status_poll_interval = 10, .transition_throttling = 5 };
}

/* --- after loading: references, then derived values ----------------------- */
/* depend="service:NAME" or "vm:NAME" (rgmanager's resource names); a
 * bare NAME is taken as either. */
static const struct conf_service *depend_on(const struct conf *c,
					    const char *s)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	const struct conf_service *d = conf_service(c, colon ? colon + 1 : s);
	size_t n = colon ? (size_t)(colon - s) : 0;

	if (!d || !colon)
		return d;
	if (n == 2 && !strncmp(s, "vm", 2) && d->is_vm)
		return d;
	if (n == 7 && !strncmp(s, "service", 7) && !d->is_vm)
		return d;
	return NULL;
}

static void resolve(struct conf *c)
{
	for (int i = 0; i < c->ndevices; i++)
		c->device_pool[i].dev = conf_fencedev(c,
						      c->device_pool[i].name);
	for (int i = 0; i < c->ndomnodes; i++)
		c->domnode_pool[i].node = conf_node(c,
						    c->domnode_pool[i].name);
	for (int i = 0; i < c->nservices; i++) {
		struct conf_service *s = &c->services[i];

		s->dom = conf_domain(c, s->domain);
		s->dep = depend_on(c, s->depend);
	}
	for (int i = 0; i < c->nres; i++) {
		struct conf_res *r = &c->res_pool[i];

		if (r->ref && r->type)
			r->target = conf_global(c, r->type, r->ref);
	}
}

static void derive_totem(struct conf *c)
{
	struct conf_totem *t = &c->totem;
	int alt = 0;

	for (int i = 0; i < c->nnodes; i++)
		alt |= c->nodes[i].naltnames > 0;
	if (t->rrp_mode < 0)
		t->rrp_mode = alt;
}

static void derive_qdisk(struct conf *c)
{
	struct conf_qdisk *q = &c->qdisk;

	if (!q->x)
		q->votes = 0;
	else if (q->votes < 0)
		q->votes = conf_qdisk_votes(c->nnodes);
	if (q->tko_up < 0)
		q->tko_up = q->tko / 3;
	if (q->master_wait < 0)
		q->master_wait = q->tko / 2;
}

static void derive(struct conf *c)
{
	struct conf_cman *m = &c->cman;

	for (int i = 0; i < c->nnodes; i++)
		c->total_votes += c->nodes[i].votes;
	if (m->cluster_id < 0)
		m->cluster_id = conf_cluster_id(c->name ? c->name : "");
	if (!m->mcast) {
		conf_mcast_addr(m->cluster_id, m->mcast_buf);
		m->mcast = m->mcast_buf;
	}
	c->port_send = m->port - 1;
	m->expected_given = m->expected_votes;
	if (!m->expected_votes)
		m->expected_votes = m->two_node ? 1 : c->total_votes;
	derive_qdisk(c);
	derive_totem(c);
	c->quorum = conf_quorum(m->expected_votes,
				c->total_votes + c->qdisk.votes, m->two_node,
				c->nnodes);
}

void conf_finish(struct conf *c)
{
	resolve(c);
	derive(c);
}
