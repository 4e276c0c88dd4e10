/* net/totem_ring.c - the operational ring: one token visit at a time.
 *
 * Spec 1.2-1.5.  Only the token holder multicasts; each message takes
 * the next ring-wide seq and is kept in the store (slot = seq % TOTEM_QLEN)
 * until every node has it, so anyone can answer a retransmit request.
 * Delivery is agreed order: contiguous seqs, the sender's own included.
 *
 * A token visit, in order: (1) in RECOVERY, see whether recovery is
 * over; (2) the fail-to-receive check; (3) resend what the token asks
 * for; (4) ask for what I miss; (5) send new messages within the flow
 * control allowance; (6) fold my aru into the token; (7) deliver;
 * (8) forward to the next member, keeping a copy to resend.
 *
 * Idle ring: the representative holds a token whose seq has not moved
 * for seqno_unchanged_const visits for `hold` ms before processing it,
 * so a quiet ring costs a few packets a second; a node with new data
 * sends HOLD_CANCEL.  A singleton ring passes the token to itself the
 * same way, through the pending-token slot.
 *
 * Recovery (spec 1.7): the store of the new ring carries old-ring
 * messages wrapped whole (encap); receivers unwrap those of their own
 * old ring into the old store.  Deviation from totemsrp: instead of
 * counting retrans_flg rotations, the token's `retrans` field sums each
 * node's "still has recovery data" flag (like backlog), and a node that
 * sees two visits in a row with seq unchanged, aru == seq and
 * retrans == 0 knows every member holds every old message; it sets
 * token.oper and every member turns OPERATIONAL on seeing it. */
#include "totem_int.h"

#include <string.h>


/* ---- the store --------------------------------------------------------- */

void totem_msgstore_reset(struct totem_msgstore *s, struct totem_ring_id r)
{
	s->ring = r;
	s->aru = s->high = s->delivered = 0;
	memset(s->have, 0, sizeof s->have);
	memset(s->miss, 0, sizeof s->miss);
}

int totem_msgstore_has(const struct totem_msgstore *s, uint32_t seq)
{
	uint32_t i = seq % TOTEM_QLEN;

	return s->have[i] && s->seq[i] == seq;
}

static const uint8_t *store_pkt(const struct totem *t,
				const struct totem_msgstore *s, uint32_t seq)
{
	return s->buf + (size_t)(seq % TOTEM_QLEN) * t->cfg.mtu;
}

int totem_msgstore_put(struct totem *t, struct totem_msgstore *s,
		       uint32_t seq, const uint8_t *p, size_t len)
{
	uint32_t i = seq % TOTEM_QLEN;

	if (seq <= s->aru || seq - s->aru > TOTEM_QLEN ||
	    totem_msgstore_has(s, seq) || len > (size_t)t->cfg.mtu)
		return 0;
	memcpy(s->buf + (size_t)i * t->cfg.mtu, p, len);
	s->seq[i] = seq;
	s->len[i] = (uint16_t)len;
	s->have[i] = 1;
	s->miss[i] = 0;
	if (seq > s->high)
		s->high = seq;
	while (totem_msgstore_has(s, s->aru + 1))
		s->aru++;
	return 1;
}

/* ---- delivery and reassembly ---------------------------------------- */

void totem_rasm_reset(struct totem *t)
{
	for (int i = 0; i < TOTEM_MAX_NODES; i++)
		t->rasm[i].from = 0;
}

static struct totem_rasm *rasm_find(struct totem *t, uint32_t from)
{
	struct totem_rasm *free_one = NULL;

	for (int i = 0; i < TOTEM_MAX_NODES; i++) {
		if (t->rasm[i].from == from)
			return &t->rasm[i];
		if (!t->rasm[i].from && !free_one)
			free_one = &t->rasm[i];
	}
	return free_one;
}

static void deliver_msg(struct totem *t, uint32_t from, const void *p,
			size_t len)
{
	t->stats.delivered++;
	t->io.deliver(t->io.ctx, from, p, len);
}

/* Fragments of one sender arrive in its order; a gap (a hole skipped in
 * a transitional delivery) drops the partial message.  The message
 * number catches a gap that swallowed whole fragments of two messages. */
static void unpack(struct totem *t, const struct totem_mcast *m)
{
	size_t off = 0, len;

	while (off + 2 <= m->len) {
		len = (size_t)m->data[off] << 8 | m->data[off + 1];
		if (off + 2 + len > m->len)
			return;
		deliver_msg(t, m->sender, m->data + off + 2, len);
		off += 2 + len;
	}
}

static void reassemble(struct totem *t, const struct totem_mcast *m)
{
	struct totem_rasm *r = rasm_find(t, m->sender);

	if (m->frag == 0 && m->last) {
		if (r && r->from == m->sender)
			r->from = 0;
		if (m->last == TOTEM_LAST_PACKED)
			unpack(t, m);
		else
			deliver_msg(t, m->sender, m->data, m->len);
		return;
	}
	if (!r)
		return;
	if (m->frag == 0) {
		r->from = m->sender;
		r->msgno = m->msgno;
		r->len = 0;
		r->next = 0;
	}
	if (r->from != m->sender || m->frag != r->next ||
	    m->msgno != r->msgno ||
	    r->len + m->len > TOTEM_MAX_MSG) {
		r->from = 0;
		return;
	}
	memcpy(r->buf + r->len, m->data, m->len);
	r->len += (uint32_t)m->len;
	r->next++;
	if (m->last) {
		r->from = 0;
		deliver_msg(t, m->sender, r->buf, r->len);
	}
}

void totem_ring_deliver_seq(struct totem *t, struct totem_msgstore *s,
			    uint32_t seq)
{
	struct totem_mcast m;
	uint32_t i = seq % TOTEM_QLEN;

	if (!totem_msgstore_has(s, seq) ||
	    totem_msg_mcast_dec(&m, store_pkt(t, s, seq), s->len[i]) || m.encap)
		return;
	reassemble(t, &m);
}

void totem_ring_deliver(struct totem *t)
{
	struct totem_msgstore *s = t->st;

	while (t->state == TOTEM_OPERATIONAL && s->delivered < s->aru)
		totem_ring_deliver_seq(t, s, ++s->delivered);
}

/* ---- sending --------------------------------------------------------- */

void totem_sendq_rewind(struct totem *t)
{
	t->q.sent = 0;
}

static void mcast_out(struct totem *t, struct totem_token *k,
		      struct totem_mcast *m)
{
	size_t len;

	m->ring = t->ring;
	m->seq = ++k->seq;
	len = totem_msg_mcast_enc(m, t->pkt, sizeof t->pkt);
	totem_msgstore_put(t, t->st, m->seq, t->pkt, len);
	totem_xmit(t, 0, t->pkt, len);
}

static void send_fragment(struct totem *t, struct totem_token *k)
{
	struct totem_sendq *q = &t->q;
	int s = (q->head + q->sent) % q->cap;
	int packed = q->last[s] == TOTEM_LAST_PACKED;
	struct totem_mcast m = { .sender = t->me, .msgno = q->msgno[s],
				 .frag = packed ? 0 : q->frag[s],
				 .last = q->last[s], .len = q->len[s],
				 .data = q->buf + (size_t)s * t->fragmax };

	mcast_out(t, k, &m);
	if (q->last[s] == TOTEM_LAST_NO) {
		q->sent++;
		return;
	}
	q->head = (q->head + q->sent + 1) % q->cap;
	q->count -= q->sent + 1;
	q->sent = 0;
	q->msgs -= packed ? q->frag[s] : 1;
}

static int send_recovered(struct totem *t, struct totem_token *k)
{
	uint32_t seq;
	struct totem_mcast m = { .encap = 1 };

	while (t->rq_pos < t->rq_n) {
		seq = t->rq[t->rq_pos++];
		if (!totem_msgstore_has(t->old, seq))
			continue;
		m.data = store_pkt(t, t->old, seq);
		m.len = t->old->len[seq % TOTEM_QLEN];
		mcast_out(t, k, &m);
		return 1;
	}
	return 0;
}

static int backlog_now(const struct totem *t)
{
	if (t->state == TOTEM_RECOVERY)
		return t->rq_n - t->rq_pos;
	return t->q.count - t->q.sent;
}

/* Spec 1.4: window, per-visit cap, backlog share, store space. */
static int allowance(struct totem *t, const struct totem_token *k, int resent)
{
	int allowed = t->cfg.max_messages;
	long w = (long)t->cfg.window_size - (long)k->fcc;
	int mine = backlog_now(t);
	long total = (long)k->backlog + mine - t->my_backlog;
	uint32_t room = t->released + TOTEM_QLEN - TOTEM_QLEN / 8;

	if (w < allowed)
		allowed = w < 0 ? 0 : (int)w;
	if (total > 0 && mine > 0) {
		long share = (long)t->cfg.window_size * mine / total;
		if (share > 0 && share < allowed)
			allowed = (int)share;
	}
	allowed -= resent;
	if (k->seq >= room)
		return 0;
	if ((uint32_t)allowed > room - k->seq)
		allowed = (int)(room - k->seq);
	return allowed < 0 ? 0 : allowed;
}

static int send_new(struct totem *t, struct totem_token *k, int allowed)
{
	int n = 0;

	if (t->state == TOTEM_RECOVERY) {
		while (n < allowed && send_recovered(t, k))
			n++;
		return n;
	}
	while (n < allowed && t->q.msgs > 0) {
		send_fragment(t, k);
		n++;
	}
	return n;
}

/* ---- the token visit -------------------------------------------------- */

static int resend_requested(struct totem *t, struct totem_token *k)
{
	int n = 0, keep = 0;

	for (int i = 0; i < k->nrtr; i++) {
		uint32_t seq = k->rtr[i];
		if (n < t->cfg.max_messages && totem_msgstore_has(t->st, seq)) {
			totem_xmit(t, 0, store_pkt(t, t->st, seq),
				   t->st->len[seq % TOTEM_QLEN]);
			t->stats.retransmits++;
			n++;
		} else {
			k->rtr[keep++] = seq;
		}
	}
	k->nrtr = keep;
	return n;
}

static int listed(const struct totem_token *k, uint32_t seq)
{
	for (int i = 0; i < k->nrtr; i++)
		if (k->rtr[i] == seq)
			return 1;
	return 0;
}

static void request_missing(struct totem *t, struct totem_token *k)
{
	struct totem_msgstore *s = t->st;
	uint32_t end = k->seq - s->aru > TOTEM_QLEN ? s->aru + TOTEM_QLEN :
		       k->seq;

	if (k->seq <= s->aru)
		return;
	for (uint32_t seq = s->aru + 1; seq <= end; seq++) {
		uint32_t i = seq % TOTEM_QLEN;
		if (totem_msgstore_has(s, seq) || listed(k, seq))
			continue;
		if (++s->miss[i] < t->cfg.miss_count_const ||
		    k->nrtr == TOTEM_MAX_RTR)
			continue;
		s->miss[i] = 0;
		k->rtr[k->nrtr++] = seq;
	}
}

static uint32_t add_clamped(uint32_t v, int plus, int minus)
{
	long r = (long)v + plus - minus;

	return r < 0 ? 0 : (uint32_t)r;
}

static void account(struct totem *t, struct totem_token *k, int sent,
		    int sent_new)
{
	int mine = backlog_now(t);
	int busy = t->state == TOTEM_RECOVERY &&
		   (t->rq_pos < t->rq_n || sent_new > 0);

	k->fcc = add_clamped(k->fcc, sent, t->my_sent);
	t->my_sent = sent;
	k->backlog = add_clamped(k->backlog, mine, t->my_backlog);
	t->my_backlog = mine;
	k->retrans = add_clamped(k->retrans, busy, t->my_retr);
	t->my_retr = busy;
}

static void fold_aru(struct totem *t, struct totem_token *k)
{
	uint32_t mine = t->st->aru < k->seq ? t->st->aru : k->seq;

	if (mine < k->aru || k->aru_addr == t->me || k->aru_addr == 0) {
		k->aru = mine;
		k->aru_addr = k->aru == k->seq ? 0 : t->me;
	}
	t->released = k->aru < t->prev_aru ? k->aru : t->prev_aru;
	t->prev_aru = k->aru;
}

/* Spec 1.6: the token's aru stuck on me means I cannot receive. */
static int failed_to_receive(struct totem *t, const struct totem_token *k)
{
	if (k->aru_addr == t->me && k->aru == t->last_aru && k->aru != k->seq)
		t->fail_recv++;
	else
		t->fail_recv = 0;
	t->last_aru = k->aru;
	return t->fail_recv > t->cfg.fail_recv_const;
}

static int recovery_done(const struct totem *t, const struct totem_token *k)
{
	return t->have_last && t->last_ok && k->seq == t->last_seq &&
	       k->aru == k->seq && k->retrans == 0 && t->st->aru == k->seq;
}

static void forward(struct totem *t, struct totem_token *k, int64_t now)
{
	uint8_t p[TOTEM_MAX_CTL];
	size_t len;
	uint32_t next = totem_next_member(t);
	int busy = t->q.msgs > 0 || t->state != TOTEM_OPERATIONAL ||
		   k->aru != k->seq || t->idle_visits < 2;

	k->token_seq++;
	len = totem_msg_token_enc(k, p, sizeof p);
	t->fwd_seq = k->seq;
	if (next != t->me) {
		totem_ctl_send(t, next, p, len, now);
		return;
	}
	memcpy(t->pend, p, len);
	t->pend_len = len;
	t->t_pend = busy ? now : now + t->cfg.hold;
}

static void visit(struct totem *t, struct totem_token *k, int64_t now)
{
	int resent, sent_new;

	t->stats.rotations++;
	if (t->state == TOTEM_RECOVERY && (k->oper || recovery_done(t, k))) {
		k->oper = 1;
		memb_event(t, MEMB_EV_RECOVERED, 0, NULL, now);
	}
	if (failed_to_receive(t, k)) {
		memb_event(t, MEMB_EV_FAIL_RECV, 0, NULL, now);
		return;
	}
	t->idle_visits = t->have_last && k->seq == t->last_seq ?
			 t->idle_visits + 1 : 0;
	resent = resend_requested(t, k);
	request_missing(t, k);
	sent_new = send_new(t, k, allowance(t, k, resent));
	account(t, k, resent + sent_new, sent_new);
	fold_aru(t, k);
	t->last_seq = k->seq;
	t->last_ok = k->aru == k->seq;
	t->have_last = 1;
	totem_ring_deliver(t);
	forward(t, k, now);
}

static int should_hold(const struct totem *t, const struct totem_token *k)
{
	return t->state == TOTEM_OPERATIONAL && t->ring.rep == t->me &&
	       t->memb.n > 1 && t->q.msgs == 0 && k->nrtr == 0 &&
	       k->aru == k->seq && k->seq == t->last_seq && !k->backlog &&
	       t->idle_visits >= t->cfg.seqno_unchanged_const;
}

void totem_ring_token_rx(struct totem *t, const uint8_t *p, size_t len,
			 int64_t now, int held)
{
	struct totem_token k;

	if (totem_msg_token_dec(&k, p, len)) {
		t->stats.rx_bad++;
		return;
	}
	if ((t->state != TOTEM_RECOVERY && t->state != TOTEM_OPERATIONAL) ||
	    !totem_ring_id_eq(k.ring, t->ring) ||
	    (!held && k.token_seq <= t->tok_seen))
		return;
	t->tok_seen = k.token_seq;
	t->t_loss = now + t->cfg.token;
	t->t_retrans = TOTEM_NEVER;
	if (!held && should_hold(t, &k)) {
		memcpy(t->pend, p, len);
		t->pend_len = len;
		t->t_pend = now + t->cfg.hold;
		return;
	}
	visit(t, &k, now);
}

void totem_ring_start_token(struct totem *t, int64_t now)
{
	struct totem_token k = { .ring = t->ring };

	t->pend_len = totem_msg_token_enc(&k, t->pend, sizeof t->pend);
	t->t_pend = now;
}

/* Release a held token at once; a node with new data on an idle ring
 * asks the representative to do so. */
void totem_ring_hold_cancel(struct totem *t, int64_t now, int local)
{
	uint8_t p[32];
	size_t len;

	if (t->t_pend != TOTEM_NEVER) {
		t->t_pend = now;
		return;
	}
	if (!local || t->state != TOTEM_OPERATIONAL ||
	    t->ring.rep == t->me || t->idle_visits < 1)
		return;
	len = totem_msg_ring_enc(TOTEM_MSG_HOLD_CANCEL, t->ring, p, sizeof p);
	totem_xmit(t, t->ring.rep, p, len);
}

/* ---- multicast in ---------------------------------------------------- */

static void unwrap(struct totem *t, const struct totem_mcast *m)
{
	struct totem_mcast in;

	if (totem_msg_mcast_dec(&in, m->data, m->len) || in.encap ||
	    !totem_ring_id_eq(in.ring, t->oper_ring) || in.seq <= t->low_aru ||
	    in.seq > t->high_limit)
		return;
	totem_msgstore_put(t, t->old, in.seq, m->data, m->len);
}

void totem_ring_mcast_rx(struct totem *t, uint32_t from,
			 const struct totem_mcast *m, const uint8_t *p,
			 size_t len, int64_t now)
{
	int live = t->state == TOTEM_RECOVERY ||
		   t->state == TOTEM_OPERATIONAL;

	if (!m->encap && len > (size_t)(t->cfg.mtu - TOTEM_ENCAP_HDR)) {
		t->stats.rx_bad++;
		return;
	}
	if (live && totem_ring_id_eq(m->ring, t->ring)) {
		if (m->seq > t->fwd_seq)
			t->t_retrans = TOTEM_NEVER;
		if (totem_msgstore_put(t, t->st, m->seq, p, len) && m->encap &&
		    t->state == TOTEM_RECOVERY)
			unwrap(t, m);
		totem_ring_deliver(t);
		return;
	}
	if (!live && !t->frozen && !m->encap &&
	    totem_ring_id_eq(m->ring, t->oper_ring)) {
		totem_msgstore_put(t, t->st, m->seq, p, len);
		return;
	}
	memb_event(t, MEMB_EV_FOREIGN, from, &m->ring, now);
}
