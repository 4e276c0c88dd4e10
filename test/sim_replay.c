/* test/sim_replay.c - the packet envelope and a replaying adversary in
 * the simulator (REPLAY=1).
 *
 * Every node seals what totem sends (net/seal.c) and opens what it
 * receives, with an epoch whose incarnation order is its start count, as
 * the daemon's is.  The adversary has no key: it records sealed packets
 * off the wire and, from time to time, sends old ones (at least OLD_MS
 * old: earlier incarnations, earlier rings) to random nodes, whatever
 * the partitions.  Checked for every replayed packet:
 *   - the envelope never accepts one of an earlier incarnation of its
 *     sender than the latest the receiver heard;
 *   - one it accepts as late (the sender's current run, older than a
 *     packet the receiver heard from it since) does not take an
 *     operational receiver out of its ring (tool_sim.c).
 * One newer than any the receiver heard from its sender cannot be told
 * from a packet the network delayed: it is counted ("delayed"), not
 * judged; an old merge detect of that kind can make a ring re-form.
 * A replay that changes no configuration changes no quorum decision:
 * the quorum service acts only on configurations and ordered messages. */
#include "sim.h"
#include "../net/seal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REC		1024	/* recorded packets kept, oldest replaced */
#define OLD_MS		1000

struct rec {
	int64_t at;
	size_t len;
	uint8_t *data;
};

static struct {
	int on;
	int64_t hold;
	struct seal seal[MAXN];
	struct rec rec[MAX_REC];
	int nrec, next;
	uint64_t recorded, replayed, refused, current, delayed;
} R;

int simr_on(void)
{
	return R.on;
}

void simr_setup(int on, int token)
{
	R.on = on;
	R.hold = token;
}

void simr_start(const struct node *n)
{
	uint8_t master[SEAL_KEY_LEN] = { 7 }, epoch[SEAL_EPOCH_LEN] = {
		(uint8_t)(n->inc >> 24), (uint8_t)(n->inc >> 16),
		(uint8_t)(n->inc >> 8), (uint8_t)n->inc,
		(uint8_t)(n->id >> 8), (uint8_t)n->id, 0x5a, 0xa5 };
	struct seal *s = &R.seal[n->idx];

	seal_init(s, master, 1, n->id, epoch);
	s->hold_ms = R.hold;
	s->own_last = (uint32_t)n->inc - 1;
}

int simr_seal(const struct node *n, const void *p, size_t len,
	      uint8_t *out, size_t cap)
{
	return seal_pack(&R.seal[n->idx], p, len, out, cap);
}

/* Keep one packet in 8 of what goes on the wire. */
void simr_record(const uint8_t *pkt, size_t len)
{
	struct rec *r;

	if (sim_rnd(8))
		return;
	r = &R.rec[R.next];
	R.next = (R.next + 1) % MAX_REC;
	if (R.nrec < MAX_REC)
		R.nrec++;
	free(r->data);
	r->data = malloc(len);
	memcpy(r->data, pkt, len);
	r->len = len;
	r->at = sim_now();
	R.recorded++;
}

/* An old recorded packet into out (cap bytes): its length, 0 none. */
size_t simr_pick(uint8_t *out, size_t cap)
{
	for (int tries = 0; R.nrec && tries < 8; tries++) {
		const struct rec *r = &R.rec[sim_rnd(R.nrec)];

		if (sim_now() - r->at < OLD_MS || r->len > cap)
			continue;
		memcpy(out, r->data, r->len);
		R.replayed++;
		return r->len;
	}
	return 0;
}

static int inc_of(const uint8_t *pkt)
{
	return (int)((uint32_t)pkt[8] << 24 | (uint32_t)pkt[9] << 16 |
		     (uint32_t)pkt[10] << 8 | pkt[11]);
}

const void *simr_open(const struct node *n, const struct node *nodes,
		      int nn, uint8_t *pkt, size_t len, int replayed,
		      uint32_t *from, size_t *plen, int *fresh)
{
	int inc = len >= SEAL_HEADER_LEN ? inc_of(pkt) : 0, knew = 0;
	uint8_t e[SEAL_EPOCH_LEN];
	const void *payload;
	uint32_t sender = len >= 8 ? (uint32_t)pkt[4] << 24 |
			  (uint32_t)pkt[5] << 16 | (uint32_t)pkt[6] << 8 |
			  pkt[7] : 0;

	if (replayed && !seal_peer_epoch(&R.seal[n->idx], sender, e))
		knew = inc_of(e - 8);
	if (seal_open(&R.seal[n->idx], pkt, len, sim_now(), from, &payload,
		      plen) != SEAL_OK) {
		R.refused += replayed;
		return NULL;
	}
	*fresh = R.seal[n->idx].fresh;
	R.delayed += replayed && *fresh;
	if (!replayed)
		return payload;
	if (inc < knew)
		sim_fail("node %u accepted a replayed packet of run %d of node "
			 "%u, having heard its run %d", n->id, inc, *from, knew);
	for (int i = 0; i < nn; i++)
		R.current += nodes[i].id == *from && nodes[i].alive &&
			     inc == nodes[i].inc;
	return payload;
}

void simr_free(void)
{
	for (int i = 0; i < R.nrec; i++) {
		free(R.rec[i].data);
		R.rec[i].data = NULL;
	}
	R.nrec = R.next = 0;
}

void simr_totals(void)
{
	if (R.on)
		printf("sim: replay: %" PRIu64 " packets recorded, %"
				PRIu64 " replayed, %" PRIu64 " refused by the "
				"envelope, %" PRIu64 " of a current run taken (%" PRIu64
				" newer than any the receiver had: delayed)\n",
				R.recorded, R.replayed, R.refused, R.current,
				R.delayed);

}
