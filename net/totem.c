/* net/totem.c - the totem ring's entry points: config, packets, timers.
 *
 * Implements spec 1 (Totem SRP, single ring) as a sans-I/O engine; the
 * token visit lives in totem_ring.c, membership in memb.c, the packet
 * formats in totem_msg.c.  Packets from this node itself (a transport
 * that loops multicast back) are ignored: the engine stores its own
 * messages as it sends them.  Deviation: the representative sends
 * MERGE_DETECT every `merge` ms while operational, busy or not (one
 * small multicast; a busy foreign ring is noticed by its MCASTs anyway).
 * Control packets (token, JOIN, commit) may exceed mtu with many members:
 * up to TOTEM_MAX_CTL bytes for 64 nodes. */
#include "totem_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- defaults ---------------------------------------------------------
 *
 * consensus = 4 x join, at most token / 2 (corosync: 1.2 x token).  A
 * failed node is noticed after token + consensus, so this is what makes
 * failover fast.  It is safe because a gather does not wait for slow
 * token timers: the first JOIN pulls every operational member into
 * GATHER at once (join_operational), so live nodes answer within a
 * network delay and then resend their JOIN every join ms; consensus only
 * has to outlast a few lost JOINs.  A live node cut off for longer is
 * left out and merged back by merge detection -- churn, never disorder.
 * The simulator runs every seed with these defaults under 0-30 % loss.
 * token_retransmit = token / (retransmits_before_loss + 0.2): the token
 * is resent that many times before it is declared lost.  hold is a bit
 * shorter than token_retransmit so the previous holder's retransmit
 * timer does not fire while the representative sits on an idle token.
 *
 * Floors (a lower configured value is raised): token 200, join 10,
 * token_retransmit 20, hold 10 (and below token_retransmit), consensus
 * 2 x join + 50 (two JOIN rounds and their delivery), merge 50, window
 * 1..TOTEM_QLEN/4, max_messages 1..window, mtu
 * TOTEM_MIN_MTU..TOTEM_MAX_MTU, send_queue 16. */

static int dflt(int v, int d)
{
	return v > 0 ? v : d;
}

static int floor_at(int v, int lo)
{
	return v < lo ? lo : v;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void totem_cfg_defaults(struct totem_cfg *c)
{
	c->mtu = clamp(dflt(c->mtu, 1200), TOTEM_MIN_MTU, TOTEM_MAX_MTU);
	c->token = floor_at(dflt(c->token, 1000), 200);
	c->retransmits_before_loss = clamp(dflt(c->retransmits_before_loss,
						4), 1, 100);
	c->token_retransmit = floor_at(dflt(c->token_retransmit,
		(int)(c->token * 10 / (c->retransmits_before_loss * 10 + 2))),
		20);
	c->hold = floor_at(dflt(c->hold, c->token_retransmit * 8 / 10), 10);
	if (c->hold >= c->token_retransmit)
		c->hold = c->token_retransmit * 8 / 10;
	c->join = floor_at(dflt(c->join, 50), 10);
	c->consensus = dflt(c->consensus, 4 * c->join < c->token / 2 ?
					  4 * c->join : c->token / 2);
	c->consensus = floor_at(c->consensus, 2 * c->join + 50);
	c->merge = floor_at(dflt(c->merge, 200), 50);
	c->downcheck = floor_at(dflt(c->downcheck, 1000), 100);
	c->fail_recv_const = floor_at(dflt(c->fail_recv_const, 2500), 10);
	c->seqno_unchanged_const = floor_at(dflt(c->seqno_unchanged_const,
						 30), 1);
	c->miss_count_const = floor_at(dflt(c->miss_count_const, 5), 1);
	c->window_size = clamp(dflt(c->window_size, 50), 1, TOTEM_QLEN / 4);
	c->max_messages = clamp(dflt(c->max_messages, 17), 1,
				c->window_size);
	c->send_queue = floor_at(dflt(c->send_queue, 1024), 16);
}

/* ---- node sets (sorted arrays) -------------------------------------- */

int totem_set_index(const struct totem_nodeset *s, uint32_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return i;
	return -1;
}

int totem_set_has(const struct totem_nodeset *s, uint32_t id)
{
	return totem_set_index(s, id) >= 0;
}

void totem_set_add(struct totem_nodeset *s, uint32_t id)
{
	int i;

	if (!id || totem_set_has(s, id) || s->n == TOTEM_MAX_NODES)
		return;
	for (i = s->n; i > 0 && s->id[i - 1] > id; i--)
		s->id[i] = s->id[i - 1];
	s->id[i] = id;
	s->n++;
}

void totem_set_union(struct totem_nodeset *s, const struct totem_nodeset *o)
{
	for (int i = 0; i < o->n; i++)
		totem_set_add(s, o->id[i]);
}

void totem_set_sub(struct totem_nodeset *s, const struct totem_nodeset *o)
{
	int k = 0;

	for (int i = 0; i < s->n; i++)
		if (!totem_set_has(o, s->id[i]))
			s->id[k++] = s->id[i];
	s->n = k;
}

int totem_set_eq(const struct totem_nodeset *a, const struct totem_nodeset *b)
{
	return a->n == b->n && !memcmp(a->id, b->id, sizeof a->id[0] * a->n);
}

int totem_set_subset(const struct totem_nodeset *a,
		     const struct totem_nodeset *b)
{
	for (int i = 0; i < a->n; i++)
		if (!totem_set_has(b, a->id[i]))
			return 0;
	return 1;
}

int totem_ring_id_eq(struct totem_ring_id a, struct totem_ring_id b)
{
	return a.seq == b.seq && a.rep == b.rep;
}

uint32_t totem_next_member(const struct totem *t)
{
	int i = totem_set_index(&t->memb, t->me);

	return t->memb.id[(i + 1) % t->memb.n];
}

/* ---- output --------------------------------------------------------- */

void totem_log(struct totem *t, int level, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (!t->io.log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	t->io.log(t->io.ctx, level, buf);
}

void totem_xmit(struct totem *t, uint32_t to, const void *p, size_t len)
{
	t->stats.tx_packets++;
	t->io.send(t->io.ctx, to, p, len);
}

/* A token or commit token: remembered and resent every token_retransmit
 * until something proves the next node has it (spec 1.3). */
void totem_ctl_send(struct totem *t, uint32_t to, const void *p,
		    size_t len, int64_t now)
{
	if (len > sizeof t->last_pkt)
		return;
	memcpy(t->last_pkt, p, len);
	t->last_len = len;
	t->last_to = to;
	t->t_retrans = now + t->cfg.token_retransmit;
	totem_xmit(t, to, p, len);
}

/* ---- life cycle ----------------------------------------------------- */

static int alloc_all(struct totem *t)
{
	struct totem_sendq *q = &t->q;

	t->fragmax = t->cfg.mtu - TOTEM_MCAST_HDR - TOTEM_ENCAP_HDR;
	q->cap = t->cfg.send_queue + 2 * (TOTEM_MAX_MSG / t->fragmax + 1);
	q->len = calloc((size_t)q->cap, sizeof *q->len);
	q->frag = calloc((size_t)q->cap, sizeof *q->frag);
	q->msgno = calloc((size_t)q->cap, sizeof *q->msgno);
	q->last = calloc((size_t)q->cap, 1);
	q->buf = calloc((size_t)q->cap, (size_t)t->fragmax);
	t->rq = calloc(TOTEM_QLEN, sizeof *t->rq);
	for (int i = 0; i < 2; i++)
		t->stores[i].buf = calloc(TOTEM_QLEN, (size_t)t->cfg.mtu);
	/* one block: its pages are only touched by messages that fragment */
	t->rasm_buf = malloc((size_t)TOTEM_MAX_NODES * TOTEM_MAX_MSG);
	for (int i = 0; t->rasm_buf && i < TOTEM_MAX_NODES; i++)
		t->rasm[i].buf = t->rasm_buf + (size_t)i * TOTEM_MAX_MSG;
	return t->rasm_buf && q->len && q->frag && q->msgno && q->last &&
	       q->buf && t->rq &&
	       t->stores[0].buf && t->stores[1].buf ? 0 : -1;
}

void totem_free(struct totem *t)
{
	if (!t)
		return;
	free(t->q.len);
	free(t->q.frag);
	free(t->q.msgno);
	free(t->q.last);
	free(t->q.buf);
	free(t->rq);
	for (int i = 0; i < 2; i++)
		free(t->stores[i].buf);
	free(t->rasm_buf);
	free(t);
}

struct totem *totem_new(const struct totem_cfg *cfg,
			const struct totem_io *io, int64_t now)
{
	struct totem *t = calloc(1, sizeof *t);

	if (!t || !cfg->nodeid || !io->send) {
		free(t);
		return NULL;
	}
	t->cfg = *cfg;
	totem_cfg_defaults(&t->cfg);
	t->io = *io;
	t->me = cfg->nodeid;
	if (alloc_all(t)) {
		totem_free(t);
		return NULL;
	}
	t->max_seq = t->cfg.ring_seq;
	t->oper_ring = (struct totem_ring_id){ 0, t->me };
	t->st = &t->stores[0];
	totem_msgstore_reset(t->st, t->oper_ring);
	t->t_loss = t->t_retrans = t->t_pend = TOTEM_NEVER;
	t->t_join = t->t_consensus = t->t_merge = TOTEM_NEVER;
	memb_event(t, MEMB_EV_TOKEN_LOST, 0, NULL, now);
	return t;
}

/* ---- packets in -------------------------------------------------------- */

typedef void rx_fn(struct totem *t, uint32_t from, const uint8_t *p,
		   size_t len, int64_t now);

static void rx_token(struct totem *t, uint32_t from, const uint8_t *p,
		     size_t len, int64_t now)
{
	totem_ring_token_rx(t, p, len, now, 0);
}

static void rx_mcast(struct totem *t, uint32_t from, const uint8_t *p,
		     size_t len, int64_t now)
{
	struct totem_mcast m;

	if (totem_msg_mcast_dec(&m, p, len) ||
	    (m.encap && m.len > TOTEM_MAX_MTU)) {
		t->stats.rx_bad++;
		return;
	}
	totem_ring_mcast_rx(t, from, &m, p, len, now);
}

static void rx_join(struct totem *t, uint32_t from, const uint8_t *p,
		    size_t len, int64_t now)
{
	struct totem_join j;

	if (totem_msg_join_dec(&j, p, len)) {
		t->stats.rx_bad++;
		return;
	}
	memb_join_rx(t, from, &j, now);
}

static void rx_commit(struct totem *t, uint32_t from, const uint8_t *p,
		      size_t len, int64_t now)
{
	struct totem_commit c;

	if (totem_msg_commit_dec(&c, p, len)) {
		t->stats.rx_bad++;
		return;
	}
	memb_commit_rx(t, &c, now);
}

static void rx_ringmsg(struct totem *t, uint32_t from, const uint8_t *p,
		       size_t len, int64_t now)
{
	struct totem_ring_id r;

	if (totem_msg_ring_dec(&r, p, len)) {
		t->stats.rx_bad++;
		return;
	}
	if (p[0] == TOTEM_MSG_HOLD_CANCEL) {
		if (totem_ring_id_eq(r, t->ring))
			totem_ring_hold_cancel(t, now, 0);
	} else if (p[0] == TOTEM_MSG_LEAVE) {
		memb_event(t, MEMB_EV_LEAVE, from, &r, now);
	} else {
		memb_event(t, MEMB_EV_FOREIGN, from, &r, now);
	}
}

static rx_fn *const rx_by_type[TOTEM_MSG_NTYPES] = {
	[TOTEM_MSG_TOKEN] = rx_token,
	[TOTEM_MSG_MCAST] = rx_mcast,
	[TOTEM_MSG_MERGE] = rx_ringmsg,
	[TOTEM_MSG_JOIN] = rx_join,
	[TOTEM_MSG_COMMIT] = rx_commit,
	[TOTEM_MSG_LEAVE] = rx_ringmsg,
	[TOTEM_MSG_HOLD_CANCEL] = rx_ringmsg,
};

void totem_recv_late(struct totem *t, uint32_t from, const void *pkt,
		     size_t len, int64_t now)
{
	const uint8_t *p = pkt;

	if (len && (p[0] == TOTEM_MSG_MERGE || p[0] == TOTEM_MSG_JOIN ||
		    p[0] == TOTEM_MSG_LEAVE)) {
		t->stats.rx_late++;
		return;
	}
	t->late = 1;
	totem_recv(t, from, pkt, len, now);
	t->late = 0;
}

void totem_recv(struct totem *t, uint32_t from, const void *pkt,
		size_t len, int64_t now)
{
	const uint8_t *p = pkt;

	if (t->left_ring || from == t->me)
		return;
	t->stats.rx_packets++;
	if (len < 2 || !from || p[0] >= TOTEM_MSG_NTYPES || !rx_by_type[p[0]] ||
	    p[1] != TOTEM_VERSION) {
		t->stats.rx_bad++;
		return;
	}
	rx_by_type[p[0]](t, from, p, len, now);
}

/* ---- application messages ------------------------------------------ */

static int sendq_slot(const struct totem_sendq *q, int i)
{
	return (q->head + i) % q->cap;
}

/* A small message joins the packed slot at the tail when it is not on
 * its way yet and has room; else it starts one.  0, or -1: no slot. */
static int pack(struct totem *t, const uint8_t *m, size_t len)
{
	struct totem_sendq *q = &t->q;
	int s = sendq_slot(q, q->count - 1);
	uint8_t *p;

	if (!q->count || q->count - 1 < q->sent ||
	    q->last[s] != TOTEM_LAST_PACKED ||
	    q->len[s] + 2 + len > (size_t)t->fragmax) {
		if (q->count == q->cap)
			return -1;
		s = sendq_slot(q, q->count++);
		q->len[s] = q->frag[s] = 0;
		q->msgno[s] = q->next_msgno;
		q->last[s] = TOTEM_LAST_PACKED;
	}
	p = q->buf + (size_t)s * t->fragmax + q->len[s];
	p[0] = (uint8_t)(len >> 8);
	p[1] = (uint8_t)len;
	memcpy(p + 2, m, len);
	q->len[s] = (uint16_t)(q->len[s] + 2 + len);
	q->frag[s]++;
	return 0;
}

static int fragment(struct totem *t, const uint8_t *m, size_t len)
{
	struct totem_sendq *q = &t->q;
	int n = (int)((len + t->fragmax - 1) / t->fragmax);

	if (q->count + n > q->cap)
		return -1;
	for (int i = 0; i < n; i++) {
		int s = sendq_slot(q, q->count++);
		size_t off = (size_t)i * t->fragmax;
		size_t l = len - off < (size_t)t->fragmax ? len - off :
			   (size_t)t->fragmax;
		memcpy(q->buf + (size_t)s * t->fragmax, m + off, l);
		q->len[s] = (uint16_t)l;
		q->frag[s] = (uint16_t)i;
		q->msgno[s] = q->next_msgno;
		q->last[s] = i == n - 1 ? TOTEM_LAST_YES : TOTEM_LAST_NO;
	}
	return 0;
}

int totem_send(struct totem *t, const void *msg, size_t len, int64_t now)
{
	struct totem_sendq *q = &t->q;

	if (len > TOTEM_MAX_MSG || t->left_ring || q->msgs >= t->cfg.send_queue
	    || (len + 2 <= (size_t)t->fragmax ? pack(t, msg, len) :
		fragment(t, msg, len)))
		return -1;
	q->msgs++;
	q->next_msgno++;
	t->stats.queued++;
	if (q->msgs == 1)
		totem_ring_hold_cancel(t, now, 1);
	return 0;
}

/* ---- timers ---------------------------------------------------------- */

int64_t totem_next_timer(const struct totem *t)
{
	int64_t m = t->t_loss;

	if (t->left_ring)
		return TOTEM_NEVER;
	m = t->t_retrans < m ? t->t_retrans : m;
	m = t->t_pend < m ? t->t_pend : m;
	m = t->t_join < m ? t->t_join : m;
	m = t->t_consensus < m ? t->t_consensus : m;
	return t->t_merge < m ? t->t_merge : m;
}

static void fire_retrans(struct totem *t, int64_t now)
{
	t->t_retrans = now + t->cfg.token_retransmit;
	t->stats.retransmits++;
	totem_xmit(t, t->last_to, t->last_pkt, t->last_len);
}

static void fire_pend(struct totem *t, int64_t now)
{
	uint8_t p[TOTEM_MAX_CTL];
	size_t len = t->pend_len;

	t->t_pend = TOTEM_NEVER;
	memcpy(p, t->pend, len);
	totem_ring_token_rx(t, p, len, now, 1);
}

static void fire_merge(struct totem *t, int64_t now)
{
	uint8_t p[32];
	size_t len;

	t->t_merge = now + t->cfg.merge;
	if (t->state != TOTEM_OPERATIONAL || t->ring.rep != t->me)
		return;
	len = totem_msg_ring_enc(TOTEM_MSG_MERGE, t->ring, p, sizeof p);
	totem_xmit(t, 0, p, len);
}

void totem_tick(struct totem *t, int64_t now)
{
	if (t->left_ring)
		return;
	if (t->t_loss <= now) {
		t->t_loss = TOTEM_NEVER;
		t->stats.token_losses++;
		memb_event(t, MEMB_EV_TOKEN_LOST, 0, NULL, now);
	}
	if (t->t_consensus <= now) {
		t->t_consensus = TOTEM_NEVER;
		memb_event(t, MEMB_EV_CONSENSUS, 0, NULL, now);
	}
	if (t->t_join <= now)
		memb_join_timer(t, now);
	if (t->t_retrans <= now)
		fire_retrans(t, now);
	if (t->t_pend <= now)
		fire_pend(t, now);
	if (t->t_merge <= now)
		fire_merge(t, now);
}

void totem_stalled(struct totem *t, int64_t now)
{
	if (t->t_loss != TOTEM_NEVER)
		t->t_loss = now + t->cfg.token;
	if (t->t_consensus != TOTEM_NEVER)
		t->t_consensus = now + t->cfg.consensus;
	totem_log(t, TOTEM_LOG_WARN, "stalled: failure timers restarted");
}

void totem_leave(struct totem *t, int64_t now)
{
	uint8_t p[32];
	size_t len;

	if (t->left_ring)
		return;
	len = totem_msg_ring_enc(TOTEM_MSG_LEAVE, t->ring, p, sizeof p);
	for (int i = 0; i < 3; i++)
		totem_xmit(t, 0, p, len);
	totem_log(t, TOTEM_LOG_NOTICE, "leaving the ring: announced to peers");
	t->left_ring = 1;
}

void totem_stats(const struct totem *t, struct totem_stats *st)
{
	*st = t->stats;
	st->state = t->state;
	st->ring_seq = t->oper_ring.seq;
	st->rep = t->oper_ring.rep;
	st->nmembers = t->oper_memb.n;
	memcpy(st->members, t->oper_memb.id, sizeof st->members);
}
