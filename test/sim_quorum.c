/* test/sim_quorum.c - the quorum service (quorum/cman.c) on every node of
 * the simulator, and its checks (see tool_sim.c for the list).
 *
 * A quorum message is SIMQ_TAG, its index in S.msgs (u32), the cman
 * body.  For each message the state of the first member to deliver it in
 * the regular phase of its ring is kept; every later member delivering
 * it there must hold the same. */
#include "sim.h"
#include "../quorum/cman.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NST	6		/* the agreed state, see state() */

struct qnode {
	struct cman cm;
	uint32_t id;
	int votes, in_trans, seen_peer;
	uint8_t out[CMAN_MAX_MSG];	/* a HELLO to (re)send, len > 0 */
	int len;
	uint64_t lms_sent;
};

struct qmsg {
	int seen;
	uint64_t ring;
	uint32_t rep;
	uint32_t st[NST];
};

static struct {
	struct votes_conf vc;
	struct qnode q[MAXN];
	int n;
	struct qmsg *msgs;
	int nmsgs, capmsgs;
} S;

static struct {
	uint64_t agree, settled, quorate, waiting;
} tot;

static int q_send(const struct node *n, const uint8_t *body, int len)
{
	uint8_t b[5 + CMAN_MAX_MSG];
	int idx = S.nmsgs;

	if (len <= 0)
		return -1;
	S.msgs = sim_grow(S.msgs, &S.capmsgs, idx + 1, sizeof *S.msgs);
	memset(&S.msgs[idx], 0, sizeof S.msgs[idx]);
	b[0] = SIMQ_TAG;
	b[1] = (uint8_t)(idx >> 24);
	b[2] = (uint8_t)(idx >> 16);
	b[3] = (uint8_t)(idx >> 8);
	b[4] = (uint8_t)idx;
	memcpy(b + 5, body, (size_t)len);
	if (totem_send(n->t, b, 5 + (size_t)len, sim_now()))
		return -1;		/* queue full: try again later */
	S.nmsgs++;
	return 0;
}

/* The vote state members must agree on; all zero while settling (the
 * state then still carries each member's own history). */
static void state(const struct cman *cm, uint32_t st[NST])
{
	memset(st, 0, sizeof(uint32_t) * NST);
	if (!cm->settled)
		return;
	st[0] = 1;
	st[1] = (uint32_t)cman_quorate(cm);
	st[2] = cm->st.expected;
	st[3] = cm->st.total;
	st[4] = cm->st.quorum;
	st[5] = cm->st.flags & ~(uint32_t)VOTES_F_LMS;
}

void simq_deliver(const struct node *n, uint32_t from, const void *msg,
		  size_t len)
{
	struct qnode *q = &S.q[n->idx];
	const uint8_t *p = msg;
	struct cman_event ev;
	uint32_t st[NST];
	struct qmsg *m;
	int idx = len < 5 ? -1 : (int)((uint32_t)p[1] << 24 | p[2] << 16 |
					p[3] << 8 | p[4]);

	if (idx < 0 || idx >= S.nmsgs ||
	    cman_deliver(&q->cm, from, p + 5, len - 5, (uint64_t)sim_now(),
			 &ev) < 0) {
		sim_fail("node %u: quorum message %d from %u malformed",
			 n->id, idx, from);
		return;
	}
	sim_trace("node %u deliver quorum msg %d from %u%s", n->id, idx, from,
		  ev.settled ? ": settled" : "");
	if (ev.settled && q->cm.n == 2)
		q->seen_peer = 1;	/* both announced: seen, even late */
	tot.settled += ev.settled;
	if (q->in_trans)
		return;		/* old ring, after it broke: no agreement */
	state(&q->cm, st);
	m = &S.msgs[idx];
	if (!m->seen) {
		*m = (struct qmsg){ 1, n->ep_seq, n->ep_rep, { 0 } };
		memcpy(m->st, st, sizeof st);
		return;
	}
	tot.agree++;
	if (m->ring == n->ep_seq && m->rep == n->ep_rep &&
	    memcmp(m->st, st, sizeof st))
		sim_fail("node %u after quorum msg %d: settled %u quorate %u "
			 "expected %u total %u quorum %u flags %u; another "
			 "member: %u %u %u %u %u %u", n->id, idx, st[0], st[1],
			 st[2], st[3], st[4], st[5], m->st[0], m->st[1],
			 m->st[2], m->st[3], m->st[4], m->st[5]);
}

void simq_confchg(const struct node *n, const struct totem_confchg *c)
{
	struct qnode *q = &S.q[n->idx];
	int change;

	if (c->kind == TOTEM_TRANSITIONAL) {
		q->in_trans = 1;
		return;
	}
	q->in_trans = 0;
	q->len = cman_confchg(&q->cm, c->ring_seq, c->members, c->nmembers,
			      q->out, &change);
	if (!q_send(n, q->out, q->len))	/* from the callback, as the daemon */
		q->len = 0;
}

static uint32_t votes_of(uint32_t id)
{
	for (int i = 0; i < S.n; i++)
		if (S.q[i].id == id)
			return (uint32_t)S.q[i].votes;
	return 0;
}

/* A quorate node: its configuration holds a majority of the votes. */
static void check_quorate(const struct node *n)
{
	const struct votes_conf *c = &S.vc;
	uint32_t have = 0;
	int tb = 0;

	tot.quorate++;
	if (c->two_node) {
		if (!S.q[n->idx].seen_peer)
			sim_fail("node %u (two_node, wait_for_all) quorate "
				 "before it saw its peer", n->id);
		return;
	}
	if (c->last_man_standing)
		return;
	for (int i = 0; i < n->ep_n; i++) {
		have += votes_of(n->ep_memb[i]);
		tb |= n->ep_memb[i] == c->tie_breaker;
	}
	if (2 * have > c->node_votes ||
	    (c->auto_tie_breaker && tb && 2 * have == c->node_votes))
		return;
	sim_fail("node %u quorate with %u of %u votes in its configuration",
		 n->id, have, c->node_votes);
}

/* After every step: resend a HELLO the queue refused, send a due LMS
 * expiry, check quorate nodes. */
void simq_step(const struct node *nodes, int n)
{
	for (int i = 0; i < n; i++) {
		struct qnode *q = &S.q[i];
		uint8_t b[CMAN_MAX_MSG];

		if (!nodes[i].alive)
			continue;
		if (q->len && !q_send(&nodes[i], q->out, q->len))
			q->len = 0;
		if (cman_lms_due(&q->cm, (uint64_t)sim_now()) &&
		    q->lms_sent != q->cm.st.lms_deadline &&
		    !q_send(&nodes[i], b, cman_msg_lms(&q->cm, b)))
			q->lms_sent = q->cm.st.lms_deadline;
		tot.waiting += !!(q->cm.st.flags & VOTES_F_WAITING);
		if (cman_quorate(&q->cm))
			check_quorate(&nodes[i]);
	}
}

int simq_quorate(const struct node *n)
{
	return cman_quorate(&S.q[n->idx].cm);
}

/* Votes 0..3 (at least one node with some), options at random. */
void simq_setup(const struct node *nodes, int n)
{
	struct votes_conf *c = &S.vc;
	int two = n == 2 && sim_chance(0.5);

	S.n = n;
	votes_conf_init(c);
	c->two_node = (uint8_t)two;
	for (int i = 0; i < n; i++) {
		S.q[i].id = nodes[i].id;
		S.q[i].votes = two || !sim_chance(0.3) ? 1 : sim_rnd(4);
		if (!i && !S.q[i].votes)
			S.q[i].votes = 1;
		votes_conf_node(c, nodes[i].id, S.q[i].votes, 1);
	}
	c->wait_for_all = sim_chance(0.3) ? 1 : -1;
	c->auto_tie_breaker = (uint8_t)(!two && sim_chance(0.2));
	c->last_man_standing = (uint8_t)(!two && sim_chance(0.15));
	c->lms_window = 300 + (uint32_t)sim_rnd(3000);
	if (votes_conf_check(c)) {
		fprintf(stderr, "sim: %s\n", votes_conf_check(c));
		exit(2);
	}
	sim_trace("quorum: %u votes%s%s%s%s", c->node_votes,
		  two ? ", two_node" : "", c->wait_for_all > 0 ?
		  ", wait_for_all" : "", c->auto_tie_breaker ?
		  ", auto_tie_breaker" : "", c->last_man_standing ?
		  ", last_man_standing" : "");
}

void simq_start(const struct node *n)
{
	struct qnode *q = &S.q[n->idx];

	cman_init(&q->cm, &S.vc, n->id, q->votes, 1);
	q->len = q->in_trans = q->seen_peer = 0;
	q->lms_sent = 0;
}

void simq_free(void)
{
	free(S.msgs);
	memset(&S, 0, sizeof S);
}

void simq_totals(void)
{
	printf("sim: quorum: %llu configurations settled, %llu agreement "
	       "checks, %llu quorate and %llu waiting node-steps\n",
	       (unsigned long long)tot.settled,
	       (unsigned long long)tot.agree,
	       (unsigned long long)tot.quorate,
	       (unsigned long long)tot.waiting);
}
