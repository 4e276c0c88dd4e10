/* rm/verbs.c - the daemon's own control verbs, and the table of all.
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
 *            refused: TEXT             only while another machine with our
 *                                      node id keeps this node out
 *            expected_votes: N         quorum lines (quorum/cmand.c)
 *            quorum_device_votes: N    only while counted
 *            total_votes: N
 *            node_votes: N
 *            quorum: N
 *            quorate: yes|no           no too while suspended:
 *            suspended: yes|no         behind the cluster's config
 *            flags: [2node]
 *            wait_for_all: yes|no      held back until all votes seen
 *            settled: yes|no           every member announced itself
 *            quorum_disk: PATH         with <quorumd> (quorum/qdiskd.c):
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
 *                                  quorum_malformed (quorum/cmand.c)
 *
 * These are read-only: anyone may ask.  Root only, answered once every
 * member applied them:
 *
 *   expected N, votes N [NODE], leave [remove] [force], kill NODE
 *                                       (quorum/cmand.c)
 *   update /PATH, reload VERSION        (quorum/ccsd.c)
 *   bench ...                           (rm/bench.c, test only)
 *
 * status, version and stats are the daemon's own: the lines from
 * version to cluster_id here, then each part's status lines (or
 * counters) in table order.  nodes is the ring part's
 * (quorum/ringd.c). */
#include "verbs.h"
#include "../xml/conf.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define VERSION		"6.2.0"		/* cman protocol version */
#define MAX_VERBS	48

static struct {
	const struct part *const *parts;
	int nparts;
	struct ctl_verb all[MAX_VERBS];
} T;

static int v_status(void *ctx, struct ctl_req *r)
{
	const struct view *v = ctx;
	const struct conf *c = v->conf;

	ctl_printf(r, "version: %s", VERSION);
	ctl_printf(r, "config_version: %d", c->config_version);
	ctl_printf(r, "cluster_name: %s", c->name ? c->name : "");
	ctl_printf(r, "cluster_id: %d", c->cman.cluster_id);
	for (int i = 0; i < T.nparts; i++)
		if (T.parts[i]->status)
			T.parts[i]->status(r);
	return 0;
}

static int v_version(void *ctx, struct ctl_req *r)
{
	const struct view *v = ctx;

	ctl_printf(r, "version: %s", VERSION);
	ctl_printf(r, "config_version: %d", v->conf->config_version);
	return 0;
}

static void counter(void *ctx, const char *name, uint64_t v)
{
	ctl_printf(ctx, "%s: %" PRIu64, name, v);
}

static int v_stats(void *ctx, struct ctl_req *r)
{
	for (int i = 0; i < T.nparts; i++)
		if (T.parts[i]->counters)
			T.parts[i]->counters(counter, r);
	return 0;
}

static const struct ctl_verb own[] = {
	{ "status", v_status, 0 },
	{ "version", v_version, 0 },
	{ "stats", v_stats, 0 },
};

/* 0, or -1 when the table is full or a name is taken twice. */
static int add(int *n, const struct ctl_verb *verbs, int count)
{
	for (int i = 0; i < count; i++) {
		for (int k = 0; k < *n; k++)
			if (!strcmp(T.all[k].name, verbs[i].name))
				return -1;
		if (*n == MAX_VERBS)
			return -1;
		T.all[(*n)++] = verbs[i];
	}
	return 0;
}

int verbs_listen(const char *path, const struct part *const *parts, int n,
		 struct view *v)
{
	int nall = 0;

	T.parts = parts;
	T.nparts = n;
	if (add(&nall, own, (int)ARRAY_LEN(own)) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (add(&nall, parts[i]->verbs, parts[i]->nverbs) < 0) {
			errno = EEXIST;
			return -1;
		}
	return ctl_listen(path, T.all, nall, v);
}
