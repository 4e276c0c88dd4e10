/* test/tool_sim.c - deterministic simulator: many totem nodes, one clock.
 *
 * Each seed builds a cluster of 2..16 real totem instances over a
 * simulated network (loss, duplication, jitter and so reordering,
 * partitions, crashes with restart, clean leaves, nodes that cannot
 * receive multicast) and a simulated clock.  Application senders queue
 * messages of random size (some fragment).  After a chaos phase the
 * network heals and stays quiet.  Checked after every step:
 *   - one ring id (seq, rep) names one member list everywhere (two
 *     partitions may both pick the same seq, with different reps);
 *   - members moving together from one ring to the next delivered the
 *     same set of the old ring's messages (EVS 1);
 *   - a message is delivered at most once per node, intact, from its
 *     real sender, by a member of the configuration delivering it, and
 *     in the same configuration (epoch) at every node;
 * at the end of the seed:
 *   - any two nodes deliver their common messages in the same order;
 *   - from BOUND = 20 x token after the heal on, all live nodes share
 *     one operational ring holding all of them, and keep it;
 *   - every message a node sent and did not lose to its own crash is
 *     delivered to it, and every message delivered in the final ring is
 *     delivered on every live node.
 * Every node also runs the quorum service (quorum/cman.c) on its ring
 * (test/sim_quorum.c),
 * under random votes and options (two_node, wait_for_all,
 * auto_tie_breaker, last_man_standing); checked after every step:
 *   - members of a ring that delivered the same quorum message in its
 *     regular phase hold the same vote state after it (settled or not,
 *     quorate, expected, total, quorum, flags);
 *   - a quorate node's configuration holds a majority of the configured
 *     votes (or exactly half with the tie-breaker node, under
 *     auto_tie_breaker; with two_node, one of the two); not checked with
 *     last_man_standing, which lowers expected votes on purpose;
 *   - with two_node (wait_for_all), a node that started afresh is not
 *     quorate before it has settled in a configuration with its peer.
 * Every node also runs the fence domain (rm/fence_dom.c) on its ring and
 * quorum, with a simulated fence device that powers victims off (they
 * reboot after the heal) and a rare operator acknowledgement
 * (test/sim_fence.c; FENCE=0 leaves it out); checked:
 *   - at most one fencing job in flight per victim in the whole cluster
 *     (a job dies with the node that runs it);
 *   - a job is started only by the decider of its configuration while
 *     its quorum core says quorate;
 *   - a node records a victim fenced (out->fenced, or cleared raised by
 *     a merge) only up to an incarnation the device powered off, the
 *     operator acknowledged, or below one that started again and whose
 *     messages (its STATE first) were delivered;
 *   - after each fenced message delivered in the regular phase of a
 *     ring, its members agree on being settled, and once settled, on
 *     the pending victims and their incarnations.
 *
 * Every node also runs the resource manager (rm/svc_table.c) on its
 * ring, quorum and fence domain, with simulated agents and an
 * administrator; its checks are listed in test/sim_svc.c (SVC=0 leaves
 * it out).
 *
 * Environment: SEED=n replays one seed (VERBOSE=1 prints its trace),
 * SEEDS=n (default 300) seeds starting at FIRST (default 1), NODES=n
 * fixes the cluster size, CHAOS_MS the chaos phase, STEPS the step cap,
 * FENCE=0 leaves the fence domain out (and the services), SVC=0
 * the services, FENCE_WARN=1 counts its broken
 * checks instead of failing (2: prints them), FENCE_STRICT=1 also fails
 * a job on a node that started again;
 * `make soak` style: SEEDS=5000.  Prints `sim: N passed, N failed`,
 * after a line of totals showing what the faults made the rings do. */
#include "sim.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE	64

/* ---- deterministic randomness (splitmix64) --------------------------- */

static uint64_t rng;

static uint64_t rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int sim_rnd(int n)
{
	return n > 0 ? (int)(rnd64() % (uint64_t)n) : 0;
}

int sim_chance(double p)
{
	return (double)(rnd64() >> 11) / 9007199254740992.0 < p;
}

/* ---- the world ----------------------------------------------------- */


struct pkt {
	int64_t at;
	uint64_t order;
	int to;
	uint32_t from;
	size_t len;
	uint8_t *data;
	int replayed;		/* sent by the adversary (REPLAY=1) */
};

struct msg {
	int sender, inc;
	uint32_t len, mask;
	uint64_t ep_seq;
	uint32_t ep_rep;
	int delivered_any;
};

/* across all seeds: what the faults made the engine do */
static struct {
	uint64_t delivered, confs, fail_recv, leaves, merges, big;
} tot;

struct ringrec {
	uint64_t seq;
	uint32_t rep;
	int n;
	uint32_t memb[TOTEM_MAX_NODES];
};

/* what the members moving from ring `from` to ring `to` delivered of it */
struct moverec {
	uint64_t from_seq, to_seq;
	uint32_t from_rep, to_rep;
	int count;
	uint64_t hash;
};

static struct {
	int n, failed, sending, late_fences;
	int64_t now, heal_at, bound, converged_at, end;
	double loss, dup;
	int jitter;
	uint64_t seed, order, steps, max_steps;
	struct node node[MAXN];
	struct pkt *heap;
	int nheap, capheap;
	struct msg *msgs;
	int nmsgs, capmsgs;
	struct ringrec *rings;
	int nrings, caprings;
	struct moverec *moves;
	int nmoves, capmoves;
	char trace[TRACE][160];
	int ntrace;
	char why[256];
	struct totem_cfg cfg;
	uint64_t final_seq;
	uint32_t final_rep;
	int verbose;
} w;

void sim_trace(const char *fmt, ...)
{
	va_list ap;
	char *line = w.trace[w.ntrace++ % TRACE];
	int off = snprintf(line, 160, "%7" PRId64 " ", w.now);

	va_start(ap, fmt);
	vsnprintf(line + off, (size_t)(160 - off), fmt, ap);
	va_end(ap);
	if (w.verbose)
		printf("%s\n", line);
}

void sim_fail(const char *fmt, ...)
{
	va_list ap;

	if (w.failed)
		return;
	w.failed = 1;
	va_start(ap, fmt);
	vsnprintf(w.why, sizeof w.why, fmt, ap);
	va_end(ap);
}

void *sim_grow(void *p, int *cap, int need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	if (*cap < need)
		*cap = need;
	p = realloc(p, (size_t)*cap * size);
	if (!p) {
		perror("sim");
		exit(2);
	}
	return p;
}

int64_t sim_now(void)
{
	return w.now;
}

/* ---- the network: a heap of packets in flight ------------------------- */

static int pkt_before(const struct pkt *a, const struct pkt *b)
{
	return a->at < b->at || (a->at == b->at && a->order < b->order);
}

static void heap_push(struct pkt p)
{
	int i;

	w.heap = sim_grow(w.heap, &w.capheap, w.nheap + 1, sizeof *w.heap);
	i = w.nheap++;
	while (i > 0 && pkt_before(&p, &w.heap[(i - 1) / 2])) {
		w.heap[i] = w.heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	w.heap[i] = p;
}

static struct pkt heap_pop(void)
{
	struct pkt top = w.heap[0], last = w.heap[--w.nheap];
	int i = 0;

	for (;;) {
		int c = 2 * i + 1;
		if (c >= w.nheap)
			break;
		if (c + 1 < w.nheap && pkt_before(&w.heap[c + 1], &w.heap[c]))
			c++;
		if (!pkt_before(&w.heap[c], &last))
			break;
		w.heap[i] = w.heap[c];
		i = c;
	}
	if (w.nheap)
		w.heap[i] = last;
	return top;
}

/* Packets in flight come from a free list of PKT_BUF buffers (larger
 * ones from malloc): the allocator need not map and unmap pages for the
 * millions that pass through a run. */
#define PKT_BUF		2048

static void *pkt_pool;

static uint8_t *pkt_alloc(size_t len)
{
	void *b = pkt_pool;

	if (len > PKT_BUF || !b)
		return malloc(len > PKT_BUF ? len : PKT_BUF);
	pkt_pool = *(void **)b;
	return b;
}

static void pkt_free(struct pkt k)
{
	if (k.len > PKT_BUF) {
		free(k.data);
		return;
	}
	*(void **)k.data = pkt_pool;
	pkt_pool = k.data;
}

static void pkt_pool_free(void)
{
	while (pkt_pool) {
		void *b = pkt_pool;

		pkt_pool = *(void **)b;
		free(b);
	}
}

static void enqueue(int to, uint32_t from, const void *p, size_t len)
{
	int copies = 1 + (sim_chance(w.dup) ? 1 : 0);

	if (sim_chance(w.loss))
		return;
	for (int c = 0; c < copies; c++) {
		struct pkt k = { w.now + 1 + sim_rnd(w.jitter + 1), w.order++, to,
				 from, len, pkt_alloc(len), 0 };
		memcpy(k.data, p, len);
		heap_push(k);
	}
}

static void io_send(void *ctx, uint32_t to, const void *p, size_t len)
{
	struct node *n = ctx;
	static uint8_t sealed[TOTEM_MAX_MSG];

	if (simr_on()) {
		int sl = simr_seal(n, p, len, sealed, sizeof sealed);

		if (sl < 0)
			return;
		simr_record(sealed, (size_t)sl);
		p = sealed;
		len = (size_t)sl;
	}
	for (int i = 0; i < w.n; i++)
		if (i != n->idx && (to == 0 || w.node[i].id == to))
			enqueue(i, n->id, p, len);
}

/* ---- application messages --------------------------------------------- */

/* Byte i of message idx from sender: a header naming both, then a
 * pattern, so a delivery is checked without a copy. */
static uint8_t fill_byte(uint32_t i, uint32_t sender, int idx)
{
	uint8_t h[6] = { (uint8_t)(sender >> 8), (uint8_t)sender,
			 (uint8_t)(idx >> 24), (uint8_t)(idx >> 16),
			 (uint8_t)(idx >> 8), (uint8_t)idx };

	return i < 6 ? h[i] : (uint8_t)(idx * 7 + i);
}

static void fill(uint8_t *p, uint32_t len, uint32_t sender, int idx)
{
	for (uint32_t i = 0; i < len; i++)
		p[i] = fill_byte(i, sender, idx);
}

static int parse(const uint8_t *p, size_t len, uint32_t from)
{
	int idx;

	if (len < 6)
		return -1;
	idx = (int)((uint32_t)p[2] << 24 | p[3] << 16 | p[4] << 8 | p[5]);
	if (idx < 0 || idx >= w.nmsgs || w.msgs[idx].len != len ||
	    w.node[w.msgs[idx].sender].id != from)
		return -1;
	for (uint32_t i = 6; i < len; i++)
		if (p[i] != fill_byte(i, from, idx))
			return -1;
	return idx;
}

static uint32_t msg_size(void)
{
	int r = sim_rnd(100);

	if (r < 80)
		return 6 + (uint32_t)sim_rnd(200);
	if (r < 97)
		return 6 + (uint32_t)sim_rnd(5000);
	return 6 + (uint32_t)sim_rnd(TOTEM_MAX_MSG - 5);
}

static void app_send(struct node *n)
{
	uint32_t len = msg_size();
	uint8_t *p = malloc(len);
	int idx = w.nmsgs;

	w.msgs = sim_grow(w.msgs, &w.capmsgs, idx + 1, sizeof *w.msgs);
	w.msgs[idx] = (struct msg){ n->idx, n->inc, len, 0, 0, 0, 0 };
	w.nmsgs++;
	fill(p, len, n->id, idx);
	if (totem_send(n->t, p, len, w.now))
		w.nmsgs--;		/* refused: queue full */
	else
		sim_trace("node %u send msg %d (%u bytes)", n->id, idx, len);
	free(p);
}

/* ---- callbacks: the per-step invariants live here ------------------------ */

static int in_epoch(const struct node *n, uint32_t id)
{
	for (int i = 0; i < n->ep_n; i++)
		if (n->ep_memb[i] == id)
			return 1;
	return 0;
}

static void io_deliver(void *ctx, uint32_t from, const void *p, size_t len)
{
	struct node *n = ctx;
	int idx;
	struct msg *m;

	if (len && *(const uint8_t *)p == SIMQ_TAG) {
		simq_deliver(n, from, p, len);
		simf_quorum(n);
		simv_quorum(n);
		return;
	}
	if (len && *(const uint8_t *)p == SIMV_TAG) {
		simv_deliver(n, from, p, len);
		return;
	}
	if (len && *(const uint8_t *)p == SIMF_TAG) {
		simf_deliver(n, from, p, len);
		return;
	}
	idx = parse(p, len, from);
	if (idx < 0) {
		sim_fail("node %u delivered a corrupt or unknown message from %u "
		     "(%zu bytes)", n->id, from, len);
		return;
	}
	m = &w.msgs[idx];
	sim_trace("node %u deliver msg %d from %u", n->id, idx, from);
	if (m->mask & 1u << n->idx)
		sim_fail("node %u delivered msg %d twice", n->id, idx);
	if (!in_epoch(n, from))
		sim_fail("node %u delivered msg %d from %u, not a member of its "
		     "configuration %" PRIu64, n->id, idx, from, n->ep_seq);
	if (m->delivered_any && (m->ep_seq != n->ep_seq ||
				 m->ep_rep != n->ep_rep))
		sim_fail("msg %d delivered in ring %" PRIu64 "/%u at node %u but "
		     "in ring %" PRIu64 "/%u elsewhere", idx, n->ep_seq,
		     n->ep_rep, n->id, m->ep_seq, m->ep_rep);
	m->delivered_any = 1;
	tot.delivered++;
	tot.big += len > 1200;
	m->ep_seq = n->ep_seq;
	m->ep_rep = n->ep_rep;
	m->mask |= 1u << n->idx;
	n->ep_count++;
	n->ep_hash += (uint64_t)(idx + 1) * 0x9e3779b97f4a7c15ull;
	n->log = sim_grow(n->log, &n->caplog, n->nlog + 1, sizeof *n->log);
	n->log[n->nlog++] = idx;
}

static void check_ring(const struct totem_confchg *c)
{
	for (int i = 0; i < w.nrings; i++) {
		struct ringrec *r = &w.rings[i];
		if (r->seq != c->ring_seq || r->rep != c->rep)
			continue;
		if (r->n != c->nmembers || memcmp(r->memb, c->members,
				sizeof r->memb[0] * (size_t)r->n))
			sim_fail("ring %" PRIu64 "/%u has two member lists",
			     c->ring_seq, c->rep);
		return;
	}
	w.rings = sim_grow(w.rings, &w.caprings, w.nrings + 1, sizeof *w.rings);
	w.rings[w.nrings].seq = c->ring_seq;
	w.rings[w.nrings].rep = c->rep;
	w.rings[w.nrings].n = c->nmembers;
	memcpy(w.rings[w.nrings].memb, c->members, sizeof c->members);
	w.nrings++;
}

/* EVS 1: nodes moving together from C1 to C2 deliver the same C1 set. */
static void check_move(const struct node *n, const struct totem_confchg *c)
{
	struct moverec *m;

	for (int i = 0; i < w.nmoves; i++) {
		m = &w.moves[i];
		if (m->from_seq != n->ep_seq || m->from_rep != n->ep_rep ||
		    m->to_seq != c->ring_seq || m->to_rep != c->rep)
			continue;
		if (m->count != n->ep_count || m->hash != n->ep_hash)
			sim_fail("node %u moved from ring %" PRIu64 " to %" PRIu64
			     " with %d old messages, another member with %d",
			     n->id, n->ep_seq, c->ring_seq, n->ep_count,
			     m->count);
		return;
	}
	w.moves = sim_grow(w.moves, &w.capmoves, w.nmoves + 1, sizeof *w.moves);
	w.moves[w.nmoves++] = (struct moverec){ n->ep_seq, c->ring_seq,
		n->ep_rep, c->rep, n->ep_count, n->ep_hash };
}

static void io_confchg(void *ctx, const struct totem_confchg *c)
{
	struct node *n = ctx;
	char ids[200];
	int off = 0;

	for (int i = 0; i < c->nmembers && off < 180; i++)
		off += snprintf(ids + off, sizeof ids - (size_t)off, " %u",
				c->members[i]);
	if (!off)
		ids[0] = 0;
	sim_trace("node %u %s conf ring %" PRIu64 "/%u:%s", n->id,
	      c->kind == TOTEM_REGULAR ? "regular" : "transitional",
	      c->ring_seq, c->rep, ids);
	for (int i = 1; i < c->nmembers; i++)
		if (c->members[i] <= c->members[i - 1])
			sim_fail("node %u conf members not ascending", n->id);
	simq_confchg(n, c);
	simf_confchg(n, c);
	simv_confchg(n, c);
	if (c->kind == TOTEM_TRANSITIONAL) {
		if (c->ring_seq != n->ep_seq || c->rep != n->ep_rep)
			sim_fail("node %u transitional conf names ring %" PRIu64
			     " but it was on %" PRIu64, n->id, c->ring_seq,
			     n->ep_seq);
		return;	/* senders of the old ring may have left: keep them */
	}
	check_ring(c);
	tot.confs++;
	if (n->ep_seq || n->ep_rep)
		check_move(n, c);
	n->ep_count = 0;
	n->ep_hash = 0;
	n->ep_seq = c->ring_seq;
	n->ep_rep = c->rep;
	n->ep_n = c->nmembers;
	memcpy(n->ep_memb, c->members, sizeof c->members);
}

static void io_save(void *ctx, uint64_t seq)
{
	struct node *n = ctx;

	if (seq <= n->saved_seq)
		sim_fail("node %u saved ring seq %" PRIu64 " not above %" PRIu64,
		     n->id, seq, n->saved_seq);
	n->saved_seq = seq;
}

static void io_log(void *ctx, int level, const char *text)
{
	struct node *n = ctx;

	tot.fail_recv += !!strstr(text, "FAILED TO RECEIVE");
	tot.leaves += !!strstr(text, "left the ring");
	tot.merges += !!strstr(text, "not ours: merging");
	if (level <= 6 || w.verbose > 1)
		sim_trace("node %u: %s", n->id, text);
}

/* ---- node life ------------------------------------------------------- */

static void node_start(struct node *n)
{
	struct totem_cfg c = w.cfg;
	struct totem_io io = { n, io_send, io_deliver, io_confchg, io_save,
			       io_log };

	c.nodeid = n->id;
	c.ring_seq = n->saved_seq;
	n->inc++;
	if (simr_on())
		simr_start(n);		/* totem_new sends at once */
	n->t = totem_new(&c, &io, w.now);
	if (!n->t) {
		fprintf(stderr, "sim: totem_new failed\n");
		exit(2);
	}
	n->alive = 1;
	simq_start(n);
	n->ep_seq = 0;
	n->ep_rep = 0;
	n->ep_n = 0;
	simf_start(n);
	simv_start(n);
	n->next_send = w.now + sim_rnd(300);
	sim_trace("node %u starts (ring seq %" PRIu64 ")", n->id, n->saved_seq);
}

static void node_stop(struct node *n, int clean)
{
	if (clean)
		totem_leave(n->t, w.now);
	totem_free(n->t);
	n->t = NULL;
	n->alive = 0;
	simf_stop(n);
	simv_stop(n, 0);
	sim_trace("node %u %s", n->id, clean ? "leaves" : "crashes");
}

void sim_stop(struct node *n, int clean)
{
	node_stop(n, clean);
}

/* A clean leave, its services stopped: LEAVING, then the ring. */
void sim_leave(struct node *n)
{
	if (n->alive && !simf_leave(n))
		node_stop(n, 1);	/* else once LEAVING is back */
}

/* A fence device powers n off.  After the heal it reboots at once, and
 * the ring is given its bound again from now: a fault, not the ring's.
 * Fencing must come to rest after the heal: a few power-offs per node
 * at most. */
void sim_power_off(struct node *n)
{
	sim_trace("node %u powered off", n->id);
	node_stop(n, 0);
	simv_stop(n, 1);		/* its resources go with it */
	if (w.heal_at < 0)
		return;
	if (++w.late_fences > 2 * w.n + 4)
		sim_fail("fencing did not come to rest after the heal: %d "
			 "power-offs", w.late_fences);
	node_start(n);
	w.heal_at = w.now;
	if (w.end < w.now + w.bound + 5000 + simv_bound())
		w.end = w.now + w.bound + 5000 + simv_bound();
}

/* ---- faults ---------------------------------------------------------- */

static void partition(void)
{
	int groups = 2 + sim_rnd(2);

	for (int i = 0; i < w.n; i++)
		w.node[i].group = sim_rnd(groups);
	sim_trace("partition into %d groups", groups);
}

static void replay_some(int count);

static void random_fault(void)
{
	struct node *n = &w.node[sim_rnd(w.n)];
	int r = sim_rnd(100);

	if (r < 30) {
		partition();
	} else if (r < 50) {
		for (int i = 0; i < w.n; i++)
			w.node[i].group = 0;
		sim_trace("partition healed");
	} else if (r < 75 && simr_on() && r < 55) {
		replay_some(1 + sim_rnd(16));
	} else if (r < 75) {
		int clean = n->alive && sim_rnd(3) == 0;

		if (!n->alive)
			node_start(n);
		else if (!clean)
			node_stop(n, 0);
		else if (!simv_leave(n))
			sim_leave(n);		/* else once its services stop */
	} else if (r < 85) {
		n->mute = !n->mute;
		sim_trace("node %u %s multicast", n->id,
		      n->mute ? "stops receiving" : "receives again");
	} else {
		w.loss = sim_chance(0.5) ? 0 : (double)sim_rnd(31) / 100;
		sim_trace("loss now %.2f", w.loss);
	}
}

static void heal(void)
{
	w.loss = w.dup = 0;
	simv_heal();
	simf_heal();
	for (int i = 0; i < w.n; i++) {
		w.node[i].group = 0;
		w.node[i].mute = 0;
		if (!w.node[i].alive)
			node_start(&w.node[i]);
	}
	sim_trace("network healed and quiet");
}

/* ---- end-of-seed checks --------------------------------------------- */

static void check_order(void)
{
	int *pos = malloc(sizeof *pos * (size_t)(w.nmsgs + 1));

	for (int a = 0; a < w.n && !w.failed; a++) {
		for (int i = 0; i < w.nmsgs; i++)
			pos[i] = -1;
		for (int i = 0; i < w.node[a].nlog; i++)
			pos[w.node[a].log[i]] = i;
		for (int b = a + 1; b < w.n; b++) {
			int last = -1;
			for (int i = 0; i < w.node[b].nlog; i++) {
				int p = pos[w.node[b].log[i]];
				if (p < 0)
					continue;
				if (p < last)
					sim_fail("nodes %u and %u deliver msg %d "
					     "in different orders",
					     w.node[a].id, w.node[b].id,
					     w.node[b].log[i]);
				last = p;
			}
		}
	}
	free(pos);
}

static int converged(uint64_t *seq, uint32_t *rep)
{
	struct totem_stats st;
	int live = 0, first = 1;

	for (int i = 0; i < w.n; i++)
		live += w.node[i].alive;
	for (int i = 0; i < w.n; i++) {
		if (!w.node[i].alive)
			continue;
		totem_stats(w.node[i].t, &st);
		if (st.state != TOTEM_OPERATIONAL || st.nmembers != live)
			return 0;
		if (!first && (st.ring_seq != *seq || st.rep != *rep))
			return 0;
		*seq = st.ring_seq;
		*rep = st.rep;
		first = 0;
	}
	return 1;
}

static void check_final(void)
{
	uint64_t seq;
	uint32_t rep;

	if (!converged(&seq, &rep) || seq != w.final_seq || rep != w.final_rep)
		sim_fail("ring changed after convergence or did not hold");
	for (int i = 0; i < w.nmsgs && !w.failed; i++) {
		struct msg *m = &w.msgs[i];
		struct node *s = &w.node[m->sender];
		if (s->alive && s->inc == m->inc && !(m->mask & 1u << s->idx))
			sim_fail("node %u never delivered its own msg %d", s->id,
			     i);
		for (int j = 0; j < w.n && !w.failed; j++)
			if (m->delivered_any && m->ep_seq == seq &&
			    m->ep_rep == rep && !(m->mask & 1u << j))
				sim_fail("msg %d of the final ring missing at "
				     "node %u", i, w.node[j].id);
	}
	check_order();
	if (!w.failed)
		simv_final(w.now - w.heal_at);
}

/* ---- the loop ------------------------------------------------------- */

static int64_t next_event(int64_t fault_at, int64_t end)
{
	int64_t m = fault_at < end ? fault_at : end;

	if (w.nheap && w.heap[0].at < m)
		m = w.heap[0].at;
	for (int i = 0; i < w.n; i++) {
		struct node *n = &w.node[i];
		int64_t tt;
		if (!n->alive)
			continue;
		tt = totem_next_timer(n->t);
		if (tt < m)
			m = tt;
		if (w.sending && n->next_send < m)
			m = n->next_send;
	}
	if (simf_next() < m)
		m = simf_next();
	if (simv_next() < m)
		m = simv_next();
	return m < w.now ? w.now : m;
}

/* A replayed packet the envelope took as late (the sender's current
 * run, older than one the receiver heard from it) must not take an
 * operational receiver out of its ring.  One newer than any the
 * receiver heard from its sender is the same as a packet the network
 * delayed, and is only counted (sim_replay.c). */
static void replay_check(const struct node *n, const struct totem_stats *b)
{
	struct totem_stats a;

	totem_stats(n->t, &a);
	if (b->state == TOTEM_OPERATIONAL && (a.state != TOTEM_OPERATIONAL ||
					      a.ring_seq != b->ring_seq))
		sim_fail("a replayed packet took node %u out of ring %" PRIu64,
			 n->id, b->ring_seq);
}

static void deliver_pkt(void)
{
	struct pkt k = heap_pop();
	struct node *n = &w.node[k.to];
	struct node *src = NULL;
	const uint8_t *p = k.data;
	size_t len = k.len;
	uint32_t from = k.from;
	int fresh = 1;
	struct totem_stats before;

	for (int i = 0; i < w.n; i++)
		if (w.node[i].id == k.from)
			src = &w.node[i];
	if (n->alive && src && (k.replayed || src->group == n->group) &&
	    simr_on())
		p = simr_open(n, w.node, w.n, k.data, k.len, k.replayed, &from,
			      &len, &fresh);
	if (n->alive && src && p && (k.replayed || src->group == n->group) &&
	    !(n->mute && len && p[0] == 2)) {
		if (k.replayed)
			totem_stats(n->t, &before);
		if (fresh)
			totem_recv(n->t, from, p, len, w.now);
		else
			totem_recv_late(n->t, from, p, len, w.now);
		if (k.replayed && !fresh)
			replay_check(n, &before);
	}
	pkt_free(k);
}

/* The adversary sends count old packets to random nodes. */
static void replay_some(int count)
{
	static uint8_t buf[TOTEM_MAX_MSG];

	if (getenv("NOINJECT"))
		return;
	for (int c = 0; c < count; c++) {
		size_t len = simr_pick(buf, sizeof buf);
		struct pkt k = { w.now + 1 + sim_rnd(3), w.order++,
				 sim_rnd(w.n), 0, len, NULL, 1 };

		if (!len)
			return;
		k.from = (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 |
			 (uint32_t)buf[6] << 8 | buf[7];
		k.data = pkt_alloc(len);
		memcpy(k.data, buf, len);
		heap_push(k);
	}
}

static void run_due(void)
{
	if (w.nheap && w.heap[0].at <= w.now) {
		deliver_pkt();
		return;
	}
	for (int i = 0; i < w.n; i++) {
		struct node *n = &w.node[i];
		if (!n->alive)
			continue;
		if (totem_next_timer(n->t) <= w.now) {
			totem_tick(n->t, w.now);
			return;
		}
		if (w.sending && n->next_send <= w.now) {
			n->next_send = w.now + 1 + sim_rnd(400);
			app_send(n);
			return;
		}
	}
	if (!simf_due())
		simv_due();
}

static void after_step(void)
{
	uint64_t seq;
	uint32_t rep;
	int ok = w.heal_at >= 0 && converged(&seq, &rep);

	if (ok && (!w.converged_at || seq != w.final_seq ||
		   rep != w.final_rep)) {
		w.converged_at = w.now;
		w.final_seq = seq;
		w.final_rep = rep;
		sim_trace("converged on ring %" PRIu64 "/%u", seq, rep);
	} else if (!ok) {
		w.converged_at = 0;
	}
	if (w.heal_at >= 0 && !w.converged_at &&
	    w.now > w.heal_at + w.bound)
		sim_fail("not one stable operational ring %" PRId64 " ms after "
		     "the heal", w.bound);
	simq_step(w.node, w.n);
	simf_step();
	simv_step();
	if (++w.steps > w.max_steps)
		sim_fail("step limit %" PRIu64 " reached", w.max_steps);
}

static int64_t envnum(const char *name, int64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoll(v, NULL, 0) : dflt;
}

static void setup(uint64_t seed, int fixed_n)
{
	memset(&w.node, 0, sizeof w.node);
	w.n = fixed_n ? fixed_n : 2 + sim_rnd(MAXN - 1);
	w.loss = sim_chance(0.3) ? 0 : (double)sim_rnd(31) / 100;
	w.dup = sim_chance(0.5) ? 0 : (double)sim_rnd(6) / 100;
	w.jitter = sim_rnd(6);
	memset(&w.cfg, 0, sizeof w.cfg);
	if (sim_chance(0.3))
		w.cfg.token = 300 + sim_rnd(700);
	if (sim_chance(0.5))
		w.cfg.fail_recv_const = 30 + sim_rnd(100);
	totem_cfg_defaults(&w.cfg);
	w.bound = 20 * (int64_t)w.cfg.token;
	simr_setup((int)envnum("REPLAY", 0), w.cfg.token);
	sim_trace("seed %" PRIu64 ": %d nodes, loss %.2f, dup %.2f, jitter %d, "
	      "token %d, fail_recv_const %d", seed, w.n, w.loss, w.dup,
	      w.jitter, w.cfg.token, w.cfg.fail_recv_const);
	for (int i = 0; i < w.n; i++) {
		w.node[i].idx = i;
		w.node[i].id = (uint32_t)(1 + i * 3 + sim_rnd(3));
		w.node[i].saved_seq = (uint64_t)sim_rnd(3) * 4;
	}
	simq_setup(w.node, w.n);
	simf_setup(w.node, w.n, (int)envnum("FENCE", 1));
	simv_setup(w.node, w.n, envnum("FENCE", 1) && envnum("SVC", 1));
}

static void run_seed(uint64_t seed, int fixed_n, int64_t chaos)
{
	int64_t next_fault, heal_at, next_replay = INT64_MAX;

	rng = seed * 0x2545f4914f6cdd1dull + 1;
	memset(&w, 0, sizeof w);
	w.verbose = (int)envnum("VERBOSE", 0);
	w.seed = seed;
	w.heal_at = -1;
	w.max_steps = (uint64_t)envnum("STEPS", 20000000);
	setup(seed, fixed_n);
	w.sending = 1;
	for (int i = 0; i < w.n; i++)
		node_start(&w.node[i]);
	heal_at = chaos / 2 + sim_rnd((int)chaos);
	next_fault = sim_rnd(1500);
	w.end = heal_at + w.bound + 5000 + simv_bound();
	while (!w.failed && w.now < w.end) {
		int64_t t = next_event(w.heal_at < 0 ? (next_fault < heal_at ?
				       next_fault : heal_at) : next_replay <
				       w.end ? next_replay : w.end, w.end);
		w.now = t;
		if (w.heal_at < 0 && w.now >= heal_at) {
			heal();
			w.heal_at = w.now;
			if (simr_on())
				next_replay = w.now + 200;
		} else if (w.now >= next_replay) {
			replay_some(1 + sim_rnd(16));
			next_replay = w.now + 200 + sim_rnd(800);
		} else if (w.heal_at < 0 && w.now >= next_fault) {
			random_fault();
			next_fault = w.now + 100 + sim_rnd(1500);
		} else if (w.heal_at >= 0 && w.sending &&
			   w.now >= w.heal_at + w.bound) {
			w.sending = 0;
			sim_trace("senders stop");
		} else {
			run_due();
		}
		after_step();
	}
	if (!w.failed)
		check_final();
}

static void cleanup(void)
{
	while (w.nheap)
		pkt_free(heap_pop());
	pkt_pool_free();
	for (int i = 0; i < w.n; i++) {
		totem_free(w.node[i].t);
		free(w.node[i].log);
		w.node[i].t = NULL;
		w.node[i].log = NULL;
	}
	free(w.heap);
	free(w.msgs);
	free(w.rings);
	free(w.moves);
	simq_free();
	simf_free();
	simv_free();
	simr_free();
}

static void report(void)
{
	int from = w.ntrace > TRACE ? w.ntrace - TRACE : 0;

	printf("sim: seed %" PRIu64 " FAILED (%d nodes): %s\n", w.seed, w.n,
	       w.why);
	if (!w.verbose)
		for (int i = from; i < w.ntrace; i++)
			printf("  %s\n", w.trace[i % TRACE]);
	printf("sim: replay with SEED=%" PRIu64 "%s\n", w.seed,
	       envnum("NODES", 0) ? " and the same NODES" : "");
}

int main(void)
{
	int64_t one = envnum("SEED", 0);
	int64_t seeds = one ? 1 : envnum("SEEDS", 300);
	int64_t first = one ? one : envnum("FIRST", 1);
	int fixed_n = (int)envnum("NODES", 0);
	int64_t chaos = envnum("CHAOS_MS", 6000);
	int passed = 0, failed = 0;

	if (fixed_n < 0 || fixed_n > MAXN || fixed_n == 1) {
		fprintf(stderr, "sim: NODES must be 2..%d\n", MAXN);
		return 2;
	}
	for (int64_t s = first; s < first + seeds; s++) {
		run_seed((uint64_t)s, fixed_n, chaos);
		if (w.failed) {
			failed++;
			report();
		} else {
			passed++;
		}
		cleanup();
	}
	printf("sim: %" PRIu64 " deliveries (%" PRIu64 " fragmented), %" PRIu64
	       " configurations, %" PRIu64 " merges, %" PRIu64 " leaves, %"
	       PRIu64 " FAILED TO RECEIVE\n", tot.delivered, tot.big,
	       tot.confs, tot.merges, tot.leaves, tot.fail_recv);
	simq_totals();
	simf_totals();
	simv_totals();
	simr_totals();
	printf("sim: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
