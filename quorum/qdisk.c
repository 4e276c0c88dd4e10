/* quorum/qdisk.c - the quorum disk (sans-I/O); see qdisk.h.
 *
 * A slot, network order, the rest of the block zero:
 *
 *   magic "HAQD":u32 version=1:u8 state:u8 0:u16 nodeid:u32
 *   cluster_id:u32 seq:u64 master:u32 check:u32
 *
 * check is FNV-1a over the bytes before it, so a torn or foreign block
 * reads as empty; seq starts at 1 and moves on every cycle that read the
 * disk. */
#include "qdisk.h"
#include "../net/wire.h"

#include <string.h>

#define MAGIC		0x48415144u
#define VERSION		1
#define SLOT_LEN	32

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static int at_least1(int v)
{
	return v < 1 ? 1 : v;
}

void qdisk_init(struct qdisk *q, const struct conf_qdisk *c, uint32_t me,
		uint32_t cluster_id)
{
	memset(q, 0, sizeof *q);
	q->me = me;
	q->cluster_id = cluster_id;
	q->tko = at_least1(c->tko);
	q->tko_up = at_least1(c->tko_up);
	q->upgrade_wait = at_least1(c->upgrade_wait);
	q->master_wait = c->master_wait;
	q->seq = 1;		/* 0 in a peer's record: never read */
	q->state = QDISK_UNFIT;	/* writing, not yet eligible */
}

/* --- slots ---------------------------------------------------------------- */
static void encode(const struct qdisk *q, int state, uint8_t *slot)
{
	struct wire_w w;

	memset(slot, 0, QDISK_BLOCK);
	wire_w_init(&w, slot, SLOT_LEN);
	wire_put_u32(&w, MAGIC);
	wire_put_u8(&w, VERSION);
	wire_put_u8(&w, (uint8_t)state);
	wire_put_u16(&w, 0);
	wire_put_u32(&w, q->me);
	wire_put_u32(&w, q->cluster_id);
	wire_put_u64(&w, q->seq);
	wire_put_u32(&w, qdisk_master(q));
	wire_put_u32(&w, fnv(slot, w.len));
}

void qdisk_slot_none(const struct qdisk *q, uint8_t *slot)
{
	encode(q, QDISK_NONE, slot);
}

/* Node id's slot in image: 1 with *seq and *state, 0 empty or torn, -1
 * written by another cluster. */
static int decode(const struct qdisk *q, const uint8_t *image, uint32_t id,
		  uint64_t *seq, uint8_t *state)
{
	const uint8_t *b = image + (id - 1) * QDISK_BLOCK;
	struct wire_r r;
	uint32_t magic, nodeid, cid;
	uint8_t version;

	wire_r_init(&r, b, SLOT_LEN);
	magic = wire_get_u32(&r);
	version = wire_get_u8(&r);
	*state = wire_get_u8(&r);
	wire_get_u16(&r);
	nodeid = wire_get_u32(&r);
	cid = wire_get_u32(&r);
	*seq = wire_get_u64(&r);
	wire_get_u32(&r);
	if (magic != MAGIC || version != VERSION || nodeid != id ||
	    *state > QDISK_MASTER ||
	    wire_get_u32(&r) != fnv(b, SLOT_LEN - 4))
		return 0;
	return cid == q->cluster_id ? 1 : -1;
}

/* --- liveness ------------------------------------------------------------- */
static void watch(struct qdisk *q, const uint8_t *image, uint32_t id,
		  struct qdisk_out *out)
{
	struct qdisk_peer *p = &q->p[id];
	uint16_t bit = (uint16_t)(1u << (id - 1));
	uint64_t seq;
	uint8_t state;
	int got = decode(q, image, id, &seq, &state);

	q->foreign += got < 0;
	if (got > 0 && state == QDISK_NONE) {
		p->live = 0;		/* stopped cleanly */
		p->moved = p->still = 0;
	} else if (got > 0 && !p->seq) {
		p->moved = p->still = 0;	/* first sight: may be stale */
	} else if (got > 0 && seq != p->seq) {
		p->still = 0;
		p->moved += p->moved < UINT16_MAX;
		if (!p->live && p->moved >= q->tko_up) {
			p->live = 1;
			out->started |= bit;
		}
	} else {
		p->still += p->still < UINT16_MAX;
		if (p->still >= q->tko) {	/* a slow writer is no stop */
			p->moved = 0;
			out->stopped |= p->live ? bit : 0;
			p->live = 0;
		}
	}
	if (got > 0) {
		p->seq = seq;
		p->state = state;
	}
}

static int live_in(const struct qdisk *q, uint32_t id, int lo, int hi)
{
	return id != q->me && q->p[id].live && q->p[id].state >= lo &&
	       q->p[id].state <= hi;
}

/* Any live peer in lo..hi, or only those below us. */
static int any_live(const struct qdisk *q, int lo, int hi, int below)
{
	uint32_t top = below ? q->me : QDISK_NODES + 1;

	for (uint32_t id = 1; id < top; id++)
		if (live_in(q, id, lo, hi))
			return 1;
	return 0;
}

/* --- our state ------------------------------------------------------------ */
/* Bid when nobody masters or bids and no fit peer is below us, once we
 * have watched the disk long enough to know (master_wait, and the
 * cycles a peer needs to count as writing). */
static int next_state(struct qdisk *q, int fit, int fresh)
{
	int master = any_live(q, QDISK_MASTER, QDISK_MASTER, 0);

	if (!fit || q->io_miss >= q->tko)
		return QDISK_UNFIT;
	if (!fresh)			/* nothing read: nothing learnt */
		return q->state;
	switch (q->state) {
	case QDISK_MASTER:
		return any_live(q, QDISK_MASTER, QDISK_MASTER, 1) ?
		       QDISK_RUN : QDISK_MASTER;
	case QDISK_BID:
		if (master || any_live(q, QDISK_RUN, QDISK_BID, 1))
			return QDISK_RUN;
		return ++q->bid >= q->upgrade_wait ? QDISK_MASTER : QDISK_BID;
	default:
		if (q->cycles <= (uint32_t)q->master_wait ||
		    q->cycles <= (uint32_t)q->tko_up || master ||
		    any_live(q, QDISK_BID, QDISK_BID, 0) ||
		    any_live(q, QDISK_RUN, QDISK_RUN, 1))
			return QDISK_RUN;
		q->bid = 0;
		return QDISK_BID;
	}
}

void qdisk_cycle(struct qdisk *q, const uint8_t *image, int fit,
		 struct qdisk_out *out)
{
	int was = qdisk_is_master(q);

	memset(out, 0, sizeof *out);
	q->foreign = 0;
	if (image) {
		q->io_miss = 0;
		q->cycles++;
		for (uint32_t id = 1; id <= QDISK_NODES; id++)
			if (id != q->me)
				watch(q, image, id, out);
		q->seq++;		/* moves only when we saw the disk */
	} else {
		q->io_miss += q->io_miss < q->tko;
	}
	q->state = (uint8_t)next_state(q, fit, image != NULL);
	encode(q, q->state, out->slot);
	out->master_changed = was != qdisk_is_master(q);
}

int qdisk_is_master(const struct qdisk *q)
{
	return q->state == QDISK_MASTER;
}

uint32_t qdisk_master(const struct qdisk *q)
{
	if (qdisk_is_master(q))
		return q->me;
	for (uint32_t id = 1; id <= QDISK_NODES; id++)
		if (live_in(q, id, QDISK_MASTER, QDISK_MASTER))
			return id;
	return 0;
}

const char *qdisk_state_name(int state)
{
	static const char *const name[] = { "none", "unfit", "running",
					    "bidding", "master" };

	return state >= 0 && state <= QDISK_MASTER ? name[state] : "?";
}
