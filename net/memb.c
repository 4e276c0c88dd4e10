/* net/memb.c - membership: gather, commit, recovery, configuration changes.
 *
 * Spec 1.6-1.8.  GATHER: every node multicasts JOIN {proc, failed} every
 * `join` ms and merges what it hears; when all of proc - failed have sent
 * the same sets (consensus), the lowest id creates the commit token.
 * Whoever stays silent for `consensus` ms is moved to failed.  COMMIT:
 * the commit token goes round twice, first collecting each member's old
 * ring id, aru and highest seq, then telling everyone the result; the
 * representative then starts the new ring's token.  RECOVERY: members of
 * one old ring (the transitional set) resend the old messages above the
 * lowest aru among them so all hold the same set (totem_ring.c).  Entering
 * OPERATIONAL delivers those messages, the transitional configuration,
 * then the regular one.
 *
 * A JOIN is stale (left over from an earlier gather) when its sender is
 * in my ring and its max_seq is below my ring's seq: the sender took part
 * in forming this ring, so it knew that seq.
 *
 * As corosync's totemsrp.c does, though spec 1.7 does not say so:
 *  - OPERATIONAL ignores stale JOINs, and JOINs that list me as failed (the
 *    sender forms a ring of its own; merge detection joins the two later).
 *  - COMMIT and RECOVERY ignore JOINs from outside the ring being formed: a
 *    node left out keeps sending them and is merged once the ring runs.
 *  - The old ring's store is frozen once this node filled its commit
 *    entry, so every transitional member delivers the set agreed there.
 *  - A gather takes a JOIN's failed set only from a member of my last
 *    ring: taken from anyone, "failed" spread until every node formed a
 *    ring alone, over and over (found by the simulator with quorum).
 *
 * Deviations from corosync's totemsrp, and why:
 *  - GATHER drops stale JOINs too (totemsrp: only OPERATIONAL): their
 *    sets belong to a gather that is over.
 *  - COMMIT gathers again on a new-ring member's JOIN only if its sets grew
 *    past the agreed ones (totemsrp: by ring_seq); late JOINs hold subsets.
 *  - RECOVERY ignores every JOIN (totemsrp gathers again on a new-ring
 *    member's); a member that fell back stops the token: token loss tells.
 *  - A node's first ring gets no transitional configuration (totemsrp
 *    delivers an empty one): there is no earlier configuration to close.
 *  - FAILED TO RECEIVE marks every other node failed, where totemsrp marks
 *    itself: the active set, proc - failed, must keep this node.
 *  - LEAVE is a packet of its own (a ring id), not a JOIN from nodeid 0,
 *    as packets name no sender (see the last point).
 *  - RECOVERY ends on a token flag (oper) set after two quiet visits, so all
 *    end on one token; totemsrp counts retrans_flg rotations (totem_ring.c).
 *  - The representative sends MERGE_DETECT every `merge` ms, busy or idle
 *    (totemsrp: idle only): it is one small multicast (totem.c).
 *  - consensus defaults to 4 x join, at most token / 2 (totemsrp: 1.2 x
 *    token), for fast failover: the first JOIN pulls all in (totem.c).
 *  - Packets have no endian detector (byte order is fixed) and no sender
 *    address (the seal envelope proves it) (totem_msg.c). */
#include "totem_int.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>


static const char *const state_name[TOTEM_NSTATES] = {
	[TOTEM_START] = "START", [TOTEM_GATHER] = "GATHER",
	[TOTEM_COMMIT] = "COMMIT", [TOTEM_RECOVERY] = "RECOVERY",
	[TOTEM_OPERATIONAL] = "OPERATIONAL",
};

static const char *const event_name[MEMB_EV_NEVENTS] = {
	[MEMB_EV_TOKEN_LOST] = "token lost",
	[MEMB_EV_CONSENSUS] = "consensus",
	[MEMB_EV_JOIN] = "join",
	[MEMB_EV_FOREIGN] = "foreign ring",
	[MEMB_EV_LEAVE] = "leave",
	[MEMB_EV_FAIL_RECV] = "failed to receive",
	[MEMB_EV_COMMIT] = "commit token",
	[MEMB_EV_COMMIT_FULL] = "commit complete",
	[MEMB_EV_RECOVERED] = "recovered",
};

void memb_set_state(struct totem *t, enum totem_state s,
		    enum memb_event ev)
{
	totem_log(t, TOTEM_LOG_INFO, "%s -> %s (%s)", state_name[t->state],
		  state_name[s], event_name[ev]);
	t->state = s;
}

static void fmt_set(char *buf, size_t cap, const struct totem_nodeset *s)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; i < s->n && off + 12 < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, " %u", s->id[i]);
}

static void active_set(const struct totem *t, struct totem_nodeset *a)
{
	*a = t->proc;
	totem_set_sub(a, &t->failed);
}

/* ---- gather ------------------------------------------------------------ */

static void send_join(struct totem *t)
{
	struct totem_join j = { t->oper_ring.seq, t->max_seq, t->proc,
				t->failed };
	uint8_t p[TOTEM_MAX_CTL];
	size_t len = totem_msg_join_enc(&j, p, sizeof p);

	if (len)
		totem_xmit(t, 0, p, len);
}

static void commit_create(struct totem *t, const struct totem_nodeset *a,
			  int64_t now);

static void check_consensus(struct totem *t, int64_t now)
{
	struct totem_nodeset a;

	active_set(t, &a);
	for (int i = 0; i < a.n; i++)
		if (a.id[i] != t->me && !totem_set_has(&t->consensus, a.id[i]))
			return;
	if (a.n && a.id[0] == t->me)
		commit_create(t, &a, now);
}

/* (Re)announce my sets: everyone must agree with them afresh. */
static void announce(struct totem *t, int64_t now)
{
	char a[TOTEM_MAX_NODES * 6], b[TOTEM_MAX_NODES * 6];

	fmt_set(a, sizeof a, &t->proc);
	fmt_set(b, sizeof b, &t->failed);
	totem_log(t, TOTEM_LOG_DEBUG, "join: proc%s failed%s", a, b);
	t->consensus.n = 0;
	totem_set_add(&t->consensus, t->me);
	send_join(t);
	t->t_join = now + t->cfg.join;
	t->t_consensus = now + t->cfg.consensus;
}

static void gather_enter(struct totem *t, enum memb_event ev, int64_t now)
{
	if (t->state == TOTEM_RECOVERY) {
		t->st = t->old;
		t->old = NULL;
	}
	if (t->state == TOTEM_OPERATIONAL)
		totem_sendq_rewind(t);
	t->proc.n = t->failed.n = 0;
	totem_set_add(&t->proc, t->me);
	totem_set_union(&t->proc, &t->oper_memb);
	if (t->state == TOTEM_COMMIT || t->state == TOTEM_RECOVERY)
		totem_set_union(&t->proc, &t->memb);
	t->frozen = 0;
	t->t_loss = t->t_retrans = t->t_pend = t->t_merge = TOTEM_NEVER;
	memb_set_state(t, TOTEM_GATHER, ev);
	announce(t, now);
}

static int stale_join(const struct totem *t, uint32_t from,
		      const struct totem_join *j)
{
	return totem_set_has(&t->oper_memb, from) &&
	       j->max_seq < t->oper_ring.seq;
}

static void join_in_gather(struct totem *t, uint32_t from,
			   const struct totem_join *j, int64_t now)
{
	struct totem_nodeset proc, failed;

	if (stale_join(t, from, j) || totem_set_has(&t->failed, from))
		return;
	if (totem_set_has(&j->failed, t->me)) {
		totem_set_add(&t->failed, from);
		announce(t, now);
		return;
	}
	if (totem_set_eq(&t->proc, &j->proc) &&
	    totem_set_eq(&t->failed, &j->failed)) {
		totem_set_add(&t->consensus, from);
		check_consensus(t, now);
		return;
	}
	proc = t->proc;
	failed = t->failed;
	totem_set_union(&proc, &j->proc);
	totem_set_add(&proc, from);
	if (totem_set_has(&t->oper_memb, from))
		totem_set_union(&failed, &j->failed);
	if (totem_set_eq(&proc, &t->proc) && totem_set_eq(&failed, &t->failed))
		return;
	t->proc = proc;
	t->failed = failed;
	announce(t, now);
}

void memb_join_timer(struct totem *t, int64_t now)
{
	if (t->state != TOTEM_GATHER) {
		t->t_join = TOTEM_NEVER;
		return;
	}
	send_join(t);
	t->t_join = now + t->cfg.join;
	check_consensus(t, now);
}

/* ---- commit -------------------------------------------------------- */

static void commit_fill(struct totem *t, struct totem_commit *c)
{
	struct totem_commit_ent *e = &c->ent[c->filled++];

	e->old = t->oper_ring;
	e->aru = t->st->aru;
	e->high = t->st->high;
	e->had_ring = (uint8_t)t->had_ring;
	t->frozen = 1;
}

static void use_ring_seq(struct totem *t, uint64_t seq)
{
	if (t->io.save_ring_seq)
		t->io.save_ring_seq(t->io.ctx, seq);
	t->cfg.ring_seq = seq;
	if (seq > t->max_seq)
		t->max_seq = seq;
}

static void commit_full(struct totem *t, struct totem_commit *c, int64_t now);

static void commit_pass(struct totem *t, struct totem_commit *c, int64_t now)
{
	uint8_t p[TOTEM_MAX_CTL];
	size_t len;

	if (c->memb.n == 1) {
		commit_full(t, c, now);
		return;
	}
	len = totem_msg_commit_enc(c, p, sizeof p);
	if (len)
		totem_ctl_send(t, totem_next_member(t), p, len, now);
}

static void enter_commit(struct totem *t, const struct totem_commit *c,
			 enum memb_event ev, int64_t now)
{
	t->ring = c->ring;
	t->memb = c->memb;
	t->t_join = t->t_consensus = TOTEM_NEVER;
	t->t_loss = now + t->cfg.token;
	memb_set_state(t, TOTEM_COMMIT, ev);
}

static void commit_create(struct totem *t, const struct totem_nodeset *a,
			  int64_t now)
{
	struct totem_commit *c = &t->commit;
	char ids[TOTEM_MAX_NODES * 6];
	uint64_t base = t->max_seq > t->cfg.ring_seq ? t->max_seq :
			t->cfg.ring_seq;

	memset(c, 0, sizeof *c);
	c->ring = (struct totem_ring_id){ base + 4, t->me };
	c->pass = 1;
	c->memb = *a;
	use_ring_seq(t, c->ring.seq);
	fmt_set(ids, sizeof ids, a);
	totem_log(t, TOTEM_LOG_INFO, "consensus: creating ring %llu with "
		  "members:%s", (unsigned long long)c->ring.seq, ids);
	commit_fill(t, c);
	enter_commit(t, c, MEMB_EV_CONSENSUS, now);
	commit_pass(t, c, now);
}

static void commit_accept(struct totem *t, struct totem_commit *c, int64_t now)
{
	struct totem_nodeset a;

	active_set(t, &a);
	if (!totem_set_eq(&c->memb, &a) ||
	    totem_set_index(&c->memb, t->me) != c->filled ||
	    c->ring.rep != c->memb.id[0] || c->ring.seq <= t->cfg.ring_seq)
		return;
	use_ring_seq(t, c->ring.seq);
	commit_fill(t, c);
	enter_commit(t, c, MEMB_EV_COMMIT, now);
	commit_pass(t, c, now);
}

/* ---- recovery ----------------------------------------------------------- */

static void find_transitional(struct totem *t)
{
	const struct totem_commit *c = &t->commit;

	t->trans.n = 0;
	t->low_aru = UINT32_MAX;
	t->high_limit = 0;
	for (int i = 0; i < c->memb.n; i++) {
		if (!totem_ring_id_eq(c->ent[i].old, t->oper_ring))
			continue;
		totem_set_add(&t->trans, c->memb.id[i]);
		if (c->ent[i].aru < t->low_aru)
			t->low_aru = c->ent[i].aru;
		if (c->ent[i].high > t->high_limit)
			t->high_limit = c->ent[i].high;
	}
}

/* Who resends old message seq: the first transitional member whose aru
 * covers it surely holds it, so it alone does; above every aru, each
 * holder does.  All members compute this from the same commit token. */
static int must_resend(const struct totem *t, uint32_t seq)
{
	const struct totem_commit *c = &t->commit;

	for (int i = 0; i < c->memb.n; i++)
		if (totem_ring_id_eq(c->ent[i].old, t->oper_ring) &&
		    c->ent[i].aru >= seq)
			return c->memb.id[i] == t->me;
	return 1;
}

static void load_recovery(struct totem *t)
{
	uint32_t end = t->high_limit - t->low_aru > TOTEM_QLEN - 1 ?
		       t->low_aru + TOTEM_QLEN - 1 : t->high_limit;

	t->rq_n = t->rq_pos = 0;
	for (uint32_t seq = t->low_aru + 1; seq <= end && seq; seq++)
		if (totem_msgstore_has(t->st, seq) && must_resend(t, seq))
			t->rq[t->rq_n++] = seq;
}

/* The old ring's store is done with: its pages go back to the system
 * (1.5 MB at the default mtu; a slot is written before it is read, so
 * the zero pages that come back on the next touch do no harm). */
static void release(struct totem *t, struct totem_msgstore *o)
{
	size_t page = (size_t)getpagesize();
	uintptr_t a, z;

	if (!o || !o->buf)
		return;
	a = (uintptr_t)o->buf;
	z = a + (size_t)TOTEM_QLEN * (size_t)t->cfg.mtu;
	a = (a + page - 1) / page * page;
	z = z / page * page;
	if (z > a)
		madvise((void *)a, z - a, MADV_DONTNEED);
}

static void recovery_enter(struct totem *t, int64_t now)
{
	memb_set_state(t, TOTEM_RECOVERY, MEMB_EV_COMMIT_FULL);
	find_transitional(t);
	load_recovery(t);
	t->old = t->st;
	t->st = t->st == &t->stores[0] ? &t->stores[1] : &t->stores[0];
	totem_msgstore_reset(t->st, t->ring);
	t->tok_seen = t->fwd_seq = t->released = t->prev_aru = 0;
	t->last_aru = t->last_seq = 0;
	t->have_last = t->last_ok = t->idle_visits = t->fail_recv = 0;
	t->my_sent = t->my_backlog = t->my_retr = t->orf_started = 0;
	t->t_loss = now + t->cfg.token;
}

static void commit_full(struct totem *t, struct totem_commit *c, int64_t now)
{
	int rep = c->ring.rep == t->me;

	t->t_retrans = TOTEM_NEVER;
	if (t->state == TOTEM_COMMIT && c->pass == (rep ? 1 : 2)) {
		t->commit = *c;
		recovery_enter(t, now);
		c->pass = 2;
		if (c->memb.n > 1) {
			commit_pass(t, c, now);
			return;
		}
	}
	if (t->state == TOTEM_RECOVERY && rep && c->pass == 2 &&
	    !t->orf_started) {
		t->orf_started = 1;
		totem_ring_start_token(t, now);
	}
}

/* ---- operational ------------------------------------------------------- */

static void emit_conf(struct totem *t, enum totem_confkind kind,
		      const struct totem_nodeset *m,
		      const struct totem_nodeset *left,
		      const struct totem_nodeset *joined)
{
	struct totem_confchg c;

	memset(&c, 0, sizeof c);
	c.kind = kind;
	c.ring_seq = t->ring.seq;
	c.rep = t->ring.rep;
	c.nmembers = m->n;
	c.nleft = left->n;
	c.njoined = joined->n;
	memcpy(c.members, m->id, sizeof c.members[0] * m->n);
	memcpy(c.left, left->id, sizeof c.left[0] * left->n);
	memcpy(c.joined, joined->id, sizeof c.joined[0] * joined->n);
	if (kind == TOTEM_TRANSITIONAL) {
		c.ring_seq = t->oper_ring.seq;
		c.rep = t->oper_ring.rep;
	}
	t->io.confchg(t->io.ctx, &c);
}

/* Old-ring messages: the contiguous ones still belong to the old regular
 * configuration; past the first hole they go to the transitional one. */
static void deliver_old(struct totem *t)
{
	struct totem_msgstore *o = t->old;
	struct totem_nodeset left = t->oper_memb, none = { 0 };

	while (o->delivered < t->high_limit &&
	       totem_msgstore_has(o, o->delivered + 1))
		totem_ring_deliver_seq(t, o, ++o->delivered);
	if (!t->had_ring)
		return;
	totem_set_sub(&left, &t->trans);
	emit_conf(t, TOTEM_TRANSITIONAL, &t->trans, &left, &none);
	while (o->delivered < t->high_limit)
		totem_ring_deliver_seq(t, o, ++o->delivered);
}

void memb_operational(struct totem *t, int64_t now)
{
	struct totem_nodeset joined = t->memb, none = { 0 };
	char ids[TOTEM_MAX_NODES * 6];

	memb_set_state(t, TOTEM_OPERATIONAL, MEMB_EV_RECOVERED);
	deliver_old(t);
	totem_rasm_reset(t);
	if (t->had_ring)
		totem_set_sub(&joined, &t->trans);
	fmt_set(ids, sizeof ids, &t->memb);
	totem_log(t, TOTEM_LOG_NOTICE, "new ring %llu with %d members:%s",
		  (unsigned long long)t->ring.seq, t->memb.n, ids);
	t->oper_ring = t->ring;
	t->oper_memb = t->memb;
	t->had_ring = 1;
	release(t, t->old);
	t->old = NULL;
	t->frozen = 0;
	t->t_merge = now + t->cfg.merge;
	emit_conf(t, TOTEM_REGULAR, &t->memb, &none, &joined);
	totem_ring_deliver(t);
}

/* ---- the state x event table ---------------------------------------- */

typedef void action(struct totem *t, uint32_t from, const void *arg,
		    int64_t now);

static void start(struct totem *t, uint32_t from, const void *arg,
		  int64_t now)
{
	gather_enter(t, MEMB_EV_TOKEN_LOST, now);
}

static void lost(struct totem *t, uint32_t from, const void *arg,
		 int64_t now)
{
	if (t->state == TOTEM_OPERATIONAL)
		totem_log(t, TOTEM_LOG_NOTICE, "A processor failed, forming "
			  "new configuration: token lost after %d ms",
			  t->cfg.token);
	else
		totem_log(t, TOTEM_LOG_NOTICE, "token lost in %s after %d ms",
			  state_name[t->state], t->cfg.token);
	gather_enter(t, MEMB_EV_TOKEN_LOST, now);
}

static void consensus_timeout(struct totem *t, uint32_t from,
			      const void *arg, int64_t now)
{
	struct totem_nodeset missing;

	active_set(t, &missing);
	totem_set_sub(&missing, &t->consensus);
	if (missing.n)
		totem_log(t, TOTEM_LOG_NOTICE, "consensus timeout: %d node(s) "
			  "did not agree, marking them failed", missing.n);
	else
		totem_log(t, TOTEM_LOG_NOTICE, "consensus timeout: agreed but "
			  "no commit token came, gathering again");
	totem_set_union(&t->failed, &missing);
	announce(t, now);
	check_consensus(t, now);
}

static void join_operational(struct totem *t, uint32_t from,
			     const void *arg, int64_t now)
{
	const struct totem_join *j = arg;

	if ((totem_set_has(&t->memb, from) && j->max_seq < t->ring.seq) ||
	    totem_set_has(&j->failed, t->me))
		return;		/* stale, or it gave up on us: merge later */
	totem_log(t, TOTEM_LOG_NOTICE, "JOIN from node %u: forming new "
		  "configuration", from);
	gather_enter(t, MEMB_EV_JOIN, now);
	join_in_gather(t, from, j, now);
}

static void join_gather(struct totem *t, uint32_t from, const void *arg,
			int64_t now)
{
	join_in_gather(t, from, arg, now);
}

/* A member of the ring being committed knows of a node or a failure that
 * the consensus did not: it heard of it before the commit token reached
 * it and dropped the token.  Waiting for the token to be lost would cost
 * a whole token timeout.  A late JOIN from the same gather holds subsets
 * of the agreed sets (they only grow in a gather), so it is ignored. */
static void join_commit(struct totem *t, uint32_t from, const void *arg,
			int64_t now)
{
	const struct totem_join *j = arg;

	if (!totem_set_has(&t->memb, from) ||
	    (totem_set_subset(&j->proc, &t->proc) &&
	     totem_set_subset(&j->failed, &t->failed)))
		return;
	totem_log(t, TOTEM_LOG_NOTICE, "node %u dropped the commit token: "
		  "gathering again", from);
	gather_enter(t, MEMB_EV_JOIN, now);
	join_in_gather(t, from, j, now);
}

static void foreign(struct totem *t, uint32_t from, const void *arg,
		    int64_t now)
{
	const struct totem_ring_id *r = arg;

	if (totem_ring_id_eq(*r, t->ring) ||
	    (totem_set_has(&t->memb, from) && r->seq < t->ring.seq))
		return;
	if (t->late) {
		t->stats.rx_late++;
		return;
	}
	totem_log(t, TOTEM_LOG_NOTICE, "node %u is on ring %llu, not ours: "
		  "merging", from, (unsigned long long)r->seq);
	gather_enter(t, MEMB_EV_FOREIGN, now);
	totem_set_add(&t->proc, from);
	announce(t, now);
}

/* A leave counts for the ring it names: one of an earlier ring (a late
 * or replayed packet) is dropped once this node is operational again. */
static void leave_ring(struct totem *t, uint32_t from, const void *arg,
		       int64_t now)
{
	const struct totem_ring_id *r = arg;

	if (!totem_set_has(&t->memb, from))
		return;
	if (t->state == TOTEM_OPERATIONAL && !totem_ring_id_eq(*r, t->ring)) {
		t->stats.rx_late++;
		return;
	}
	totem_log(t, TOTEM_LOG_NOTICE, "node %u left the ring: forming new "
		  "configuration", from);
	gather_enter(t, MEMB_EV_LEAVE, now);
	totem_set_add(&t->failed, from);
	announce(t, now);
}

static void leave_gather(struct totem *t, uint32_t from, const void *arg,
			 int64_t now)
{
	if (!totem_set_has(&t->proc, from) || totem_set_has(&t->failed, from))
		return;
	totem_set_add(&t->failed, from);
	announce(t, now);
}

static void fail_recv(struct totem *t, uint32_t from, const void *arg,
		      int64_t now)
{
	totem_log(t, TOTEM_LOG_ERR, "FAILED TO RECEIVE: token aru stuck on "
		  "this node for %d rotations, forming a ring alone",
		  t->cfg.fail_recv_const);
	gather_enter(t, MEMB_EV_FAIL_RECV, now);
	t->failed.n = 0;
	for (int i = 0; i < t->proc.n; i++)
		if (t->proc.id[i] != t->me)
			totem_set_add(&t->failed, t->proc.id[i]);
	announce(t, now);
}

static void commit_rx(struct totem *t, uint32_t from, const void *arg,
		      int64_t now)
{
	commit_accept(t, (struct totem_commit *)arg, now);
}

static void commit_full_rx(struct totem *t, uint32_t from, const void *arg,
			   int64_t now)
{
	commit_full(t, (struct totem_commit *)arg, now);
}

static void recovered(struct totem *t, uint32_t from, const void *arg,
		      int64_t now)
{
	memb_operational(t, now);
}

static action *const on[TOTEM_NSTATES][MEMB_EV_NEVENTS] = {
	[TOTEM_START] = { [MEMB_EV_TOKEN_LOST] = start },
	[TOTEM_GATHER] = { [MEMB_EV_CONSENSUS] = consensus_timeout,
		[MEMB_EV_JOIN] = join_gather, [MEMB_EV_LEAVE] = leave_gather,
		[MEMB_EV_COMMIT] = commit_rx },
	[TOTEM_COMMIT] = { [MEMB_EV_TOKEN_LOST] = lost,
		[MEMB_EV_LEAVE] = leave_ring, [MEMB_EV_JOIN] = join_commit,
		[MEMB_EV_COMMIT_FULL] = commit_full_rx },
	[TOTEM_RECOVERY] = { [MEMB_EV_TOKEN_LOST] = lost,
		[MEMB_EV_LEAVE] = leave_ring, [MEMB_EV_FAIL_RECV] = fail_recv,
		[MEMB_EV_COMMIT_FULL] = commit_full_rx,
		[MEMB_EV_RECOVERED] = recovered },
	[TOTEM_OPERATIONAL] = { [MEMB_EV_TOKEN_LOST] = lost,
		[MEMB_EV_JOIN] = join_operational, [MEMB_EV_FOREIGN] = foreign,
		[MEMB_EV_LEAVE] = leave_ring, [MEMB_EV_FAIL_RECV] = fail_recv },
};

void memb_event(struct totem *t, enum memb_event ev, uint32_t from,
		const void *arg, int64_t now)
{
	action *fn = on[t->state][ev];

	if (!fn) {
		totem_log(t, TOTEM_LOG_DEBUG, "%s ignored in %s",
			  event_name[ev], state_name[t->state]);
		return;
	}
	fn(t, from, arg, now);
}

void memb_join_rx(struct totem *t, uint32_t from, const struct totem_join *j,
		  int64_t now)
{
	if (j->max_seq > t->max_seq)
		t->max_seq = j->max_seq;
	memb_event(t, MEMB_EV_JOIN, from, j, now);
}

void memb_commit_rx(struct totem *t, const struct totem_commit *c, int64_t now)
{
	struct totem_commit copy = *c;

	if (t->state == TOTEM_GATHER && c->pass == 1)
		memb_event(t, MEMB_EV_COMMIT, 0, &copy, now);
	else if (totem_ring_id_eq(c->ring, t->ring) && c->filled == c->memb.n)
		memb_event(t, MEMB_EV_COMMIT_FULL, 0, &copy, now);
}
