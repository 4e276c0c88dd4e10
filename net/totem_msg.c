/* net/totem_msg.c - encode and decode the totem packet payloads.
 *
 * Every payload starts with type:u8 and version:u8 (TOTEM_VERSION), so a
 * later version can be refused politely.  Then, big-endian:
 *
 *   TOKEN   ring(seq u64, rep u32) token_seq seq aru aru_addr backlog fcc
 *           retrans (u32 each) oper:u8 nrtr:u8 rtr[nrtr]:u32
 *   MCAST   ring seq:u32 encap:u8, then either
 *           plain: sender:u32 msgno:u16 frag:u16 last:u8 len:u16 data
 *                  (last 2: data is whole messages, len:u16 data each)
 *           encap: len:u16 and a whole plain MCAST of the old ring
 *   JOIN    ring_seq:u64 max_seq:u64 nproc:u8 nfailed:u8 proc[] failed[]
 *   COMMIT  ring pass:u8 n:u8 filled:u8 memb[n]:u32, then filled entries
 *           of old ring, aru:u32, high:u32, had_ring:u8
 *   MERGE, LEAVE, HOLD_CANCEL   ring
 *
 * Node lists must be strictly ascending and free of 0: that keeps set
 * comparison trivial and refuses garbage early.  Spec 1.1 lists the
 * totemsrp fields these stand for; we drop its endian detector (byte
 * order is fixed) and the sender address (the seal envelope proves it). */
#include "totem_int.h"
#include "wire.h"

static void put_head(struct wire_w *w, int type)
{
	wire_put_u8(w, (uint8_t)type);
	wire_put_u8(w, TOTEM_VERSION);
}

static void put_ring(struct wire_w *w, struct totem_ring_id r)
{
	wire_put_u64(w, r.seq);
	wire_put_u32(w, r.rep);
}

static struct totem_ring_id get_ring(struct wire_r *r)
{
	struct totem_ring_id id;

	id.seq = wire_get_u64(r);
	id.rep = wire_get_u32(r);
	return id;
}

static int get_head(struct wire_r *r, int type)
{
	int t = wire_get_u8(r);
	int v = wire_get_u8(r);

	return t == type && v == TOTEM_VERSION ? 0 : -1;
}

static size_t done_w(const struct wire_w *w)
{
	return w->over ? 0 : w->len;
}

static void put_ids(struct wire_w *w, const uint32_t *id, int n)
{
	for (int i = 0; i < n; i++)
		wire_put_u32(w, id[i]);
}

/* n ids, ascending and non-zero; n already checked against the limit */
static int get_ids(struct wire_r *r, uint32_t *id, int n)
{
	for (int i = 0; i < n; i++) {
		id[i] = wire_get_u32(r);
		if (!id[i] || (i && id[i] <= id[i - 1]))
			return -1;
	}
	return 0;
}

size_t totem_msg_token_enc(const struct totem_token *k, uint8_t *buf,
			   size_t cap)
{
	struct wire_w w;

	wire_w_init(&w, buf, cap);
	put_head(&w, TOTEM_MSG_TOKEN);
	put_ring(&w, k->ring);
	wire_put_u32(&w, k->token_seq);
	wire_put_u32(&w, k->seq);
	wire_put_u32(&w, k->aru);
	wire_put_u32(&w, k->aru_addr);
	wire_put_u32(&w, k->backlog);
	wire_put_u32(&w, k->fcc);
	wire_put_u32(&w, k->retrans);
	wire_put_u8(&w, k->oper);
	wire_put_u8(&w, (uint8_t)k->nrtr);
	put_ids(&w, k->rtr, k->nrtr);
	return done_w(&w);
}

int totem_msg_token_dec(struct totem_token *k, const uint8_t *p, size_t len)
{
	struct wire_r r;

	wire_r_init(&r, p, len);
	if (get_head(&r, TOTEM_MSG_TOKEN))
		return -1;
	k->ring = get_ring(&r);
	k->token_seq = wire_get_u32(&r);
	k->seq = wire_get_u32(&r);
	k->aru = wire_get_u32(&r);
	k->aru_addr = wire_get_u32(&r);
	k->backlog = wire_get_u32(&r);
	k->fcc = wire_get_u32(&r);
	k->retrans = wire_get_u32(&r);
	k->oper = wire_get_u8(&r);
	k->nrtr = wire_get_u8(&r);
	if (k->nrtr > TOTEM_MAX_RTR || k->oper > 1 || k->aru > k->seq)
		return -1;
	for (int i = 0; i < k->nrtr; i++)
		k->rtr[i] = wire_get_u32(&r);
	return wire_r_done(&r) ? -1 : 0;
}

static void put_plain(struct wire_w *w, const struct totem_mcast *m)
{
	wire_put_u32(w, m->sender);
	wire_put_u16(w, m->msgno);
	wire_put_u16(w, m->frag);
	wire_put_u8(w, m->last);
	wire_put_u16(w, (uint16_t)m->len);
	wire_put_bytes(w, m->data, m->len);
}

size_t totem_msg_mcast_enc(const struct totem_mcast *m, uint8_t *buf,
			   size_t cap)
{
	struct wire_w w;

	if (m->len > 0xffff)
		return 0;
	wire_w_init(&w, buf, cap);
	put_head(&w, TOTEM_MSG_MCAST);
	put_ring(&w, m->ring);
	wire_put_u32(&w, m->seq);
	wire_put_u8(&w, m->encap);
	if (m->encap) {
		wire_put_u16(&w, (uint16_t)m->len);
		wire_put_bytes(&w, m->data, m->len);
	} else {
		put_plain(&w, m);
	}
	return done_w(&w);
}

int totem_msg_mcast_dec(struct totem_mcast *m, const uint8_t *p, size_t len)
{
	struct wire_r r;

	wire_r_init(&r, p, len);
	if (get_head(&r, TOTEM_MSG_MCAST))
		return -1;
	m->ring = get_ring(&r);
	m->seq = wire_get_u32(&r);
	m->encap = wire_get_u8(&r);
	m->sender = 0;
	m->msgno = 0;
	m->frag = 0;
	m->last = 0;
	if (m->encap > 1)
		return -1;
	if (!m->encap) {
		m->sender = wire_get_u32(&r);
		m->msgno = wire_get_u16(&r);
		m->frag = wire_get_u16(&r);
		m->last = wire_get_u8(&r);
	}
	m->len = wire_get_u16(&r);
	m->data = wire_get_bytes(&r, m->len);
	if (wire_r_done(&r) || !m->seq || m->last > TOTEM_LAST_PACKED ||
	    (m->last == TOTEM_LAST_PACKED && m->frag))
		return -1;
	return m->encap || m->sender ? 0 : -1;
}

size_t totem_msg_join_enc(const struct totem_join *j, uint8_t *buf, size_t cap)
{
	struct wire_w w;

	wire_w_init(&w, buf, cap);
	put_head(&w, TOTEM_MSG_JOIN);
	wire_put_u64(&w, j->ring_seq);
	wire_put_u64(&w, j->max_seq);
	wire_put_u8(&w, (uint8_t)j->proc.n);
	wire_put_u8(&w, (uint8_t)j->failed.n);
	put_ids(&w, j->proc.id, j->proc.n);
	put_ids(&w, j->failed.id, j->failed.n);
	return done_w(&w);
}

int totem_msg_join_dec(struct totem_join *j, const uint8_t *p, size_t len)
{
	struct wire_r r;

	wire_r_init(&r, p, len);
	if (get_head(&r, TOTEM_MSG_JOIN))
		return -1;
	j->ring_seq = wire_get_u64(&r);
	j->max_seq = wire_get_u64(&r);
	j->proc.n = wire_get_u8(&r);
	j->failed.n = wire_get_u8(&r);
	if (j->proc.n > TOTEM_MAX_NODES || j->failed.n > TOTEM_MAX_NODES)
		return -1;
	if (get_ids(&r, j->proc.id, j->proc.n) ||
	    get_ids(&r, j->failed.id, j->failed.n))
		return -1;
	return wire_r_done(&r) ? -1 : 0;
}

size_t totem_msg_commit_enc(const struct totem_commit *c, uint8_t *buf,
			    size_t cap)
{
	struct wire_w w;

	wire_w_init(&w, buf, cap);
	put_head(&w, TOTEM_MSG_COMMIT);
	put_ring(&w, c->ring);
	wire_put_u8(&w, c->pass);
	wire_put_u8(&w, (uint8_t)c->memb.n);
	wire_put_u8(&w, (uint8_t)c->filled);
	put_ids(&w, c->memb.id, c->memb.n);
	for (int i = 0; i < c->filled; i++) {
		put_ring(&w, c->ent[i].old);
		wire_put_u32(&w, c->ent[i].aru);
		wire_put_u32(&w, c->ent[i].high);
		wire_put_u8(&w, c->ent[i].had_ring);
	}
	return done_w(&w);
}

static int get_ent(struct wire_r *r, struct totem_commit_ent *e)
{
	e->old = get_ring(r);
	e->aru = wire_get_u32(r);
	e->high = wire_get_u32(r);
	e->had_ring = wire_get_u8(r);
	return e->aru > e->high || e->had_ring > 1 ? -1 : 0;
}

int totem_msg_commit_dec(struct totem_commit *c, const uint8_t *p, size_t len)
{
	struct wire_r r;

	wire_r_init(&r, p, len);
	if (get_head(&r, TOTEM_MSG_COMMIT))
		return -1;
	c->ring = get_ring(&r);
	c->pass = wire_get_u8(&r);
	c->memb.n = wire_get_u8(&r);
	c->filled = wire_get_u8(&r);
	if (c->pass < 1 || c->pass > 2 || c->memb.n < 1 ||
	    c->memb.n > TOTEM_MAX_NODES || c->filled > c->memb.n)
		return -1;
	if (get_ids(&r, c->memb.id, c->memb.n))
		return -1;
	for (int i = 0; i < c->filled; i++)
		if (get_ent(&r, &c->ent[i]))
			return -1;
	return wire_r_done(&r) ? -1 : 0;
}

size_t totem_msg_ring_enc(int type, struct totem_ring_id rid, uint8_t *buf,
			  size_t cap)
{
	struct wire_w w;

	wire_w_init(&w, buf, cap);
	put_head(&w, type);
	put_ring(&w, rid);
	return done_w(&w);
}

int totem_msg_ring_dec(struct totem_ring_id *rid, const uint8_t *p, size_t len)
{
	struct wire_r r;

	wire_r_init(&r, p, len);
	wire_get_u8(&r);		/* type: the dispatcher checked it */
	if (wire_get_u8(&r) != TOTEM_VERSION)
		return -1;
	*rid = get_ring(&r);
	return wire_r_done(&r) ? -1 : 0;
}
