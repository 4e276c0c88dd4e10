/* rm/verbs.c - control-socket verbs: answers from local state.
 *
 * Replies are data for the applets, not their layout: "key: value" lines
 * that cman_tool turns into cman's exact text or JSON.
 *
 *   status   version: 6.2.0            cman protocol version we mimic
 *            config_version: N
 *            cluster_name: NAME
 *            cluster_id: N
 *            member: yes|no            in the current regular configuration
 *            generation: N             its ring seq
 *            state: Joining|Cluster-Member|Leaving|Not-in-Cluster
 *            nodes: N                  members
 *            node_name: NAME           this node
 *            node_id: N
 *            multicast: ADDR
 *            node_addresses: ADDR      ("" when unknown)
 *            active_subsystems: N      services of this daemon
 *            ports_bound: 0 ...
 *            expected_votes: N         quorum lines (rm/qsvc.c)
 *            quorum_device_votes: N    only while counted
 *            total_votes: N
 *            node_votes: N
 *            quorum: N
 *            quorate: yes|no           no too while suspended:
 *            suspended: yes|no         behind the cluster's config
 *            flags: [2node]
 *            wait_for_all: yes|no      held back until all votes seen
 *            settled: yes|no           every member announced itself
 *            quorum_disk: PATH         with <quorumd> (rm/qdiskd.c):
 *            quorum_disk_state: none|unfit|running|bidding|master
 *            quorum_disk_master: N     the master the disk shows, 0 none
 *            quorum_disk_score: S/MIN  heuristics' score, min_score
 *
 *   nodes    node: ID STS INC JOINED NAME ADDRS
 *            one line per configured node and per member not configured,
 *            sorted by id; STS M member, X not; INC the ring seq it
 *            joined in (0 never); JOINED unix seconds (0 never); ADDRS
 *            comma-separated, "-" when unknown
 *
 *   version  version: 6.2.0
 *            config_version: N
 *
 *   stats    NAME: N               one counter a line: totem_*, seal_*
 *                                  (dropped packets by reason), net_*,
 *                                  stalls (see local_counters),
 *                                  quorum_malformed (rm/qsvc.c)
 *
 * These are read-only: anyone may ask.  Root only, answered once every
 * member applied them (rm/qsvc.c):
 *
 *   expected N, votes N [NODE], leave [remove] [force], kill NODE
 *   update /PATH, reload VERSION        (rm/csync.c) */
#include "daemon.h"
#include "local.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int v_status(void *ctx, struct ctl_req *r)
{
	const struct daemon *d = ctx;
	const struct conf *c = d->conf;

	ctl_printf(r, "version: %s", DAEMON_VERSION);
	ctl_printf(r, "config_version: %d", c->config_version);
	ctl_printf(r, "cluster_name: %s", c->name ? c->name : "");
	ctl_printf(r, "cluster_id: %d", c->cman.cluster_id);
	ctl_printf(r, "member: %s", local_is_member() ? "yes" : "no");
	ctl_printf(r, "generation: %" PRIu64, local_generation());
	ctl_printf(r, "state: %s", local_state());
	ctl_printf(r, "nodes: %d", local_nmembers());
	ctl_printf(r, "node_name: %s", d->me->name);
	ctl_printf(r, "node_id: %d", d->me->nodeid);
	ctl_printf(r, "multicast: %s", c->cman.mcast ? c->cman.mcast : "");
	ctl_printf(r, "node_addresses: %s", d->addr);
	ctl_printf(r, "active_subsystems: %d", 1);
	ctl_printf(r, "ports_bound: 0");
	qsvc_status(r);
	qdiskd_status(r);
	return 0;
}

static void node_line(const struct daemon *d, struct ctl_req *r,
		      uint32_t id, const char *name)
{
	const struct local_node *n = local_node(id);
	char addr[64];
	int member = n && n->member && local_is_member();

	if (id == (uint32_t)d->me->nodeid && d->addr[0])
		snprintf(addr, sizeof addr, "%s", d->addr);
	else if (local_address(id, addr, sizeof addr) < 0)
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

static int v_nodes(void *ctx, struct ctl_req *r)
{
	const struct daemon *d = ctx;
	const struct conf *c = d->conf;
	uint32_t ids[CONF_MAX_NODES + TOTEM_MAX_NODES];
	struct totem_stats st;
	int n = 0;

	for (int i = 0; i < c->nnodes; i++)
		if (c->nodes[i].nodeid)
			ids[n++] = (uint32_t)c->nodes[i].nodeid;
	local_stats(&st);
	for (int i = 0; i < st.nmembers && i < TOTEM_MAX_NODES; i++)
		if (!conf_nodeid(c, (int)st.members[i]))
			ids[n++] = st.members[i];
	qsort(ids, (size_t)n, sizeof ids[0], by_id);
	for (int i = 0; i < n; i++) {
		const struct conf_node *cn = conf_nodeid(c, (int)ids[i]);
		char unknown[24];

		snprintf(unknown, sizeof unknown, "Node%u", ids[i]);
		node_line(d, r, ids[i], cn && cn->name ? cn->name : unknown);
	}
	return 0;
}

static int v_version(void *ctx, struct ctl_req *r)
{
	const struct daemon *d = ctx;

	ctl_printf(r, "version: %s", DAEMON_VERSION);
	ctl_printf(r, "config_version: %d", d->conf->config_version);
	return 0;
}

static void counter(void *ctx, const char *name, uint64_t v)
{
	ctl_printf(ctx, "%s: %" PRIu64, name, v);
}

static int v_stats(void *ctx, struct ctl_req *r)
{
	local_counters(counter, r);
	counter(r, "quorum_malformed", qsvc_malformed());
	return 0;
}

const struct ctl_verb daemon_verbs[] = {
	{ "status", v_status, 0 },
	{ "nodes", v_nodes, 0 },
	{ "version", v_version, 0 },
	{ "stats", v_stats, 0 },
	{ "expected", qsvc_verb_expected, 1 },
	{ "votes", qsvc_verb_votes, 1 },
	{ "leave", qsvc_verb_leave, 1 },
	{ "kill", qsvc_verb_kill, 1 },
	{ "update", csync_verb_update, 1 },
	{ "reload", csync_verb_reload, 1 },
	{ "bench", bench_verb, 1 },
};
const int daemon_nverbs = (int)ARRAY_LEN(daemon_verbs);
