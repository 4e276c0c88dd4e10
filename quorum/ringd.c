/* quorum/ringd.c - the ring part: net/ring.c set up from cluster.conf.
 *
 *   start        the ring's sockets, key and timers from <cman>, <totem>
 *                and the node list (the start-up file's strings stay in
 *                use: the root never frees that file)
 *   confchg      the membership facts of the view, then the root hands
 *                the configuration to every part
 *   deliveries   to the root, which hands them to the part of their kind
 *   stop         a clean leave, last of the parts that need the ring
 *   status       membership lines; the nodes verb (cman_tool nodes)
 *
 * The status lines (rm/verbs.c lists them all):
 *   member, generation, state, nodes, node_name, node_id, multicast,
 *   node_addresses, active_subsystems, ports_bound, refused (only while
 *   another machine with our node id keeps this node out)
 *   nodes verb: node: ID STS INC JOINED NAME ADDRS */
#include "../net/part.h"
#include "../net/ring.h"
#include "../xml/conf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_MS	100	/* loop time given to the leave message */

static struct view *V;

/* --- configuration ----------------------------------------------------------- */
static int is_udpu(const struct conf *c)
{
	const char *t = c->cman.transport ? c->cman.transport :
			c->totem.transport;

	return t && !strcmp(t, "udpu");
}

static void transport_cfg(const struct conf *c, struct transport_cfg *tc)
{
	*tc = (struct transport_cfg){ .nodeid = V->nodeid,
		.local = V->addr[0] ? V->addr : NULL, .mcast = c->cman.mcast,
		.port = c->cman.port, .udpu = is_udpu(c) };
	for (int i = 0; i < c->nnodes && i < TRANSPORT_MAX_NODES; i++) {
		if (!c->nodes[i].nodeid || !c->nodes[i].name)
			continue;
		tc->nodes[tc->nnodes++] = (struct transport_node){
			(uint32_t)c->nodes[i].nodeid, c->nodes[i].name };
	}
}

static void totem_cfg(const struct conf *c, struct totem_cfg *tc)
{
	*tc = (struct totem_cfg){ .token = c->totem.token,
		.join = c->totem.join, .consensus = c->totem.consensus,
		.retransmits_before_loss =
			c->totem.token_retransmits_before_loss_const,
		.fail_recv_const = c->totem.fail_recv_const };
}

/* --- what the ring tells ----------------------------------------------------- */
static const char *name_of(void *ctx, uint32_t id)
{
	const struct conf_node *n = conf_nodeid(V->conf, (int)id);

	return n ? n->name : NULL;
}

static void on_confchg(void *ctx, uint64_t ring, const uint32_t *members,
		       int n)
{
	V->member = 1;
	V->ring = ring;
	V->nmembers = n;
	memcpy(V->members, members, sizeof *members * (size_t)n);
	V->confchg();
}

static void on_transitional(void *ctx)
{
	V->post(NEWS_TRANSITIONAL, 0);
}

static void on_refused(void *ctx, const char *addr)
{
	V->refused = addr;
}

static int on_deliver(void *ctx, uint32_t from, int kind,
		      const uint8_t *body, size_t len)
{
	return V->deliver(from, kind, body, len);
}

/* --- start and stop ---------------------------------------------------------- */
static int start(struct view *v, char *err, size_t errlen)
{
	const struct conf *c = v->conf;
	struct ring_cfg rc = { .keyfile = c->cman.keyfile ? c->cman.keyfile :
			       c->totem.keyfile, .cluster = c->name,
		.cluster_id = (uint16_t)c->cman.cluster_id, .name = name_of,
		.confchg = on_confchg, .deliver = on_deliver,
		.transitional = on_transitional, .refused = on_refused };

	V = v;
	transport_cfg(c, &rc.tp);
	totem_cfg(c, &rc.totem);
	if (ring_start(&rc, err, errlen) < 0)
		return -1;
	v->incarnation = ring_incarnation();
	return 0;
}

static void stop(void)
{
	ring_stop(FLUSH_MS);
	V->member = 0;
}

/* --- status ------------------------------------------------------------------ */
static void status(struct ctl_req *r)
{
	const struct conf *c = V->conf;

	ctl_printf(r, "member: %s", ring_is_member() ? "yes" : "no");
	ctl_printf(r, "generation: %" PRIu64, ring_generation());
	ctl_printf(r, "state: %s", ring_state());
	ctl_printf(r, "nodes: %d", ring_nmembers());
	ctl_printf(r, "node_name: %s", V->me->name);
	ctl_printf(r, "node_id: %d", V->me->nodeid);
	ctl_printf(r, "multicast: %s", c->cman.mcast ? c->cman.mcast : "");
	ctl_printf(r, "node_addresses: %s", V->addr);
	ctl_printf(r, "active_subsystems: %d", 1);
	ctl_printf(r, "ports_bound: 0");
	if (V->refused)
		ctl_printf(r, "refused: node id %" PRIu32 " is in use by %s; "
			   "check cluster.conf on this node", V->nodeid,
			   V->refused);
}

static void node_line(struct ctl_req *r, uint32_t id, const char *name)
{
	const struct ring_node *n = ring_node(id);
	char addr[64];
	int member = n && n->member && ring_is_member();

	if (id == V->nodeid && V->addr[0])
		snprintf(addr, sizeof addr, "%s", V->addr);
	else if (ring_address(id, addr, sizeof addr) < 0)
		snprintf(addr, sizeof addr, "-");
	ctl_printf(r, "node: %u %c %" PRIu64 " %" PRId64 " %s %s", id,
		   member ? 'M' : 'X', n ? n->inc : 0,
		   n && n->joined ? n->joined : 0, name, addr);
}

static int by_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* One line per configured node and per member not configured. */
static int v_nodes(void *ctx, struct ctl_req *r)
{
	const struct conf *c = V->conf;
	uint32_t ids[CONF_MAX_NODES + TOTEM_MAX_NODES];
	struct totem_stats st;
	int n = 0;

	for (int i = 0; i < c->nnodes; i++)
		if (c->nodes[i].nodeid)
			ids[n++] = (uint32_t)c->nodes[i].nodeid;
	ring_stats(&st);
	for (int i = 0; i < st.nmembers && i < TOTEM_MAX_NODES; i++)
		if (!conf_nodeid(c, (int)st.members[i]))
			ids[n++] = st.members[i];
	qsort(ids, (size_t)n, sizeof ids[0], by_id);
	for (int i = 0; i < n; i++) {
		const struct conf_node *cn = conf_nodeid(c, (int)ids[i]);
		char unknown[24];

		snprintf(unknown, sizeof unknown, "Node%u", ids[i]);
		node_line(r, ids[i], cn && cn->name ? cn->name : unknown);
	}
	return 0;
}

static const struct ctl_verb verbs[] = {
	{ "nodes", v_nodes, 0 },
};

const struct part ringd_part = {
	.name = "ring",
	.start = start,
	.stop = stop,
	.status = status,
	.counters = ring_counters,
	.verbs = verbs,
	.nverbs = (int)ARRAY_LEN(verbs),
};
