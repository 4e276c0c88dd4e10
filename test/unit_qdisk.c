/* test/unit_qdisk.c - the quorum disk state machine (quorum/qdisk.c).
 *
 * A toy disk: one QDISK_SIZE image shared by nodes 1..4; in each round
 * every running node, in turn, runs a cycle on the image as it is then
 * and writes its slot back, as the daemon's helper does.  The checks:
 * one master among nodes that start together, the lowest id; a master
 * that stops writing is replaced after tko cycles and reported stopped;
 * a clean stop hands the role over without waiting for tko; no
 * pre-emption by a returning lower id; an unfit master yields; a torn or
 * foreign slot does not count as writing; a node whose I/O lags behind
 * its interval still counts as writing and no one bids beside it; a
 * random run of crashes, restarts, fitness changes and lagging I/O
 * never shows two masters for long. */
#include "unit.h"
#include "../quorum/qdisk.h"

#define NN 4

struct toy {
	struct conf_qdisk c;
	struct qdisk n[NN + 1];
	uint8_t img[QDISK_SIZE];
	int up[NN + 1], fit[NN + 1];
	uint16_t stopped[NN + 1], started[NN + 1];
	int changes[NN + 1];
};

static void toy_start(struct toy *t, int id)
{
	qdisk_init(&t->n[id], &t->c, (uint32_t)id, 7);
	t->up[id] = 1;
	t->fit[id] = 1;
}

static void toy_init(struct toy *t, int nodes)
{
	memset(t, 0, sizeof *t);
	t->c = (struct conf_qdisk){ .interval = 1, .tko = 3, .tko_up = 1,
				    .upgrade_wait = 1, .master_wait = 1 };
	for (int i = 1; i <= nodes; i++)
		toy_start(t, i);
}

static void toy_cycle(struct toy *t, int id, const uint8_t *img)
{
	struct qdisk_out o;

	qdisk_cycle(&t->n[id], img, t->fit[id], &o);
	memcpy(t->img + (id - 1) * QDISK_BLOCK, o.slot, QDISK_BLOCK);
	t->stopped[id] |= o.stopped;
	t->started[id] |= o.started;
	t->changes[id] += o.master_changed;
}

/* A cycle while the helper is still busy: no image, nothing written. */
static void toy_busy(struct toy *t, int id)
{
	struct qdisk_out o;

	qdisk_cycle(&t->n[id], NULL, t->fit[id], &o);
	t->changes[id] += o.master_changed;
}

static void toy_round(struct toy *t, int rounds)
{
	while (rounds--)
		for (int id = 1; id <= NN; id++)
			if (t->up[id])
				toy_cycle(t, id, t->img);
}

/* A crash: the slot stays as it was last written. */
static void toy_crash(struct toy *t, int id)
{
	t->up[id] = 0;
}

static void toy_stop(struct toy *t, int id)
{
	qdisk_slot_none(&t->n[id], t->img + (id - 1) * QDISK_BLOCK);
	t->up[id] = 0;
}

static int masters(const struct toy *t)
{
	int k = 0;

	for (int id = 1; id <= NN; id++)
		k += t->up[id] && qdisk_is_master(&t->n[id]);
	return k;
}

TEST(qdisk_lowest_id_becomes_the_only_master)
{
	struct toy t;

	toy_init(&t, 3);
	toy_round(&t, 6);
	CHECK_INT(masters(&t), 1);
	CHECK(qdisk_is_master(&t.n[1]));
	for (int id = 1; id <= 3; id++) {
		CHECK_INT(qdisk_master(&t.n[id]), 1);
		CHECK_INT(t.stopped[id], 0);
	}
	CHECK_INT(t.started[2] & 1, 1);		/* node 2 saw node 1 */
	toy_round(&t, 20);
	CHECK_INT(t.changes[1], 1);		/* stable */
	CHECK_INT(masters(&t), 1);
}

TEST(qdisk_master_crash_reported_and_replaced_after_tko)
{
	struct toy t;
	int r = 0;

	toy_init(&t, 2);
	toy_round(&t, 6);
	CHECK(qdisk_is_master(&t.n[1]));
	toy_crash(&t, 1);
	toy_round(&t, 2);
	CHECK(!qdisk_is_master(&t.n[2]));	/* within tko: waits */
	CHECK_INT(t.stopped[2], 0);
	while (!qdisk_is_master(&t.n[2]) && r++ < 10)
		toy_round(&t, 1);
	CHECK(qdisk_is_master(&t.n[2]));
	CHECK_INT(t.stopped[2], 1);		/* bit of node 1 */
	CHECK(r + 2 >= 3 && r + 2 <= 3 + 1 + 2);
}

TEST(qdisk_clean_stop_hands_over_without_tko)
{
	struct toy t;

	toy_init(&t, 2);
	toy_round(&t, 6);
	toy_stop(&t, 1);
	toy_round(&t, 2);
	CHECK(qdisk_is_master(&t.n[2]));
	CHECK_INT(t.stopped[2], 0);		/* not a failure */
}

TEST(qdisk_returning_lower_id_does_not_preempt)
{
	struct toy t;

	toy_init(&t, 2);
	toy_round(&t, 6);
	toy_stop(&t, 1);
	toy_round(&t, 3);
	toy_start(&t, 1);
	toy_round(&t, 10);
	CHECK(qdisk_is_master(&t.n[2]));
	CHECK(!qdisk_is_master(&t.n[1]));
	CHECK_INT(qdisk_master(&t.n[1]), 2);
}

TEST(qdisk_unfit_master_yields)
{
	struct toy t;

	toy_init(&t, 3);
	toy_round(&t, 6);
	t.fit[1] = 0;
	toy_round(&t, 1);
	CHECK(!qdisk_is_master(&t.n[1]));
	CHECK_INT(t.changes[1], 2);
	toy_round(&t, 3);
	CHECK(qdisk_is_master(&t.n[2]));
	CHECK_INT(masters(&t), 1);
	t.fit[1] = 1;				/* fit again: no pre-emption */
	toy_round(&t, 6);
	CHECK(qdisk_is_master(&t.n[2]));
}

TEST(qdisk_unfit_nodes_never_master)
{
	struct toy t;

	toy_init(&t, 2);
	t.fit[1] = t.fit[2] = 0;
	toy_round(&t, 10);
	CHECK_INT(masters(&t), 0);
	CHECK_INT(qdisk_master(&t.n[2]), 0);
}

TEST(qdisk_lost_disk_yields_after_tko)
{
	struct toy t;

	toy_init(&t, 2);
	toy_round(&t, 6);
	for (int i = 0; i < 2; i++)
		toy_cycle(&t, 1, NULL);
	CHECK(qdisk_is_master(&t.n[1]));	/* a slow read is no loss */
	toy_cycle(&t, 1, NULL);
	CHECK(!qdisk_is_master(&t.n[1]));
	CHECK_STR(qdisk_state_name(t.n[1].state), "unfit");
}

TEST(qdisk_torn_and_foreign_slots_do_not_count)
{
	struct toy t;

	toy_init(&t, 2);
	toy_round(&t, 6);
	toy_crash(&t, 1);
	for (int r = 0; r < 8; r++) {		/* node 1's slot torn */
		t.img[5]++;			/* state byte: checksum off */
		toy_round(&t, 1);
	}
	CHECK(qdisk_is_master(&t.n[2]));
	toy_init(&t, 0);
	toy_start(&t, 1);
	qdisk_init(&t.n[2], &t.c, 2, 8);	/* another cluster */
	t.up[2] = t.fit[2] = 1;
	toy_round(&t, 6);
	CHECK(qdisk_is_master(&t.n[1]));
	CHECK(qdisk_is_master(&t.n[2]));	/* each its own cluster */
	CHECK_INT(t.n[1].foreign, 1);
	CHECK_INT(t.started[1], 0);
}

/* Node 1's I/O takes longer than an interval: every other cycle finds
 * the helper busy.  Its counter moves every other read of node 2's, so
 * node 2 must still count it as writing and never bid beside it. */
TEST(qdisk_slow_writer_is_alive_and_alone_master)
{
	struct toy t;
	int doubles = 0;

	toy_init(&t, 0);
	t.c = (struct conf_qdisk){ .interval = 1, .tko = 10, .tko_up = 3,
				   .upgrade_wait = 2, .master_wait = 5 };
	toy_start(&t, 1);			/* the defaults of spec 2.4 */
	for (int r = 0; r < 20; r++)
		r % 2 ? toy_busy(&t, 1) : toy_cycle(&t, 1, t.img);
	CHECK(qdisk_is_master(&t.n[1]));
	toy_start(&t, 2);
	for (int r = 0; r < 60; r++) {
		r % 2 ? toy_busy(&t, 1) : toy_cycle(&t, 1, t.img);
		toy_cycle(&t, 2, t.img);
		doubles += masters(&t) > 1;
	}
	CHECK_INT(doubles, 0);
	CHECK(qdisk_is_master(&t.n[1]));
	CHECK_INT(qdisk_master(&t.n[2]), 1);
	CHECK_INT(t.started[2], 1);
	CHECK_INT(t.stopped[2], 0);
}

/* A bidder whose disk hangs does not become master on cycles that read
 * nothing. */
TEST(qdisk_no_promotion_without_reads)
{
	struct toy t;

	toy_init(&t, 1);
	for (int r = 0; r < 10 && t.n[1].state != QDISK_BID; r++)
		toy_cycle(&t, 1, t.img);
	CHECK_STR(qdisk_state_name(t.n[1].state), "bidding");
	toy_busy(&t, 1);
	toy_busy(&t, 1);
	CHECK_STR(qdisk_state_name(t.n[1].state), "bidding");
	toy_cycle(&t, 1, t.img);
	CHECK(qdisk_is_master(&t.n[1]));
}

/* Random crashes, clean stops, restarts, unfitness and skipped cycles
 * (a node running slow): the toy's sequential disk allows two masters
 * only while one of them has not yet read the other's slot; that must
 * settle within a few rounds. */
TEST(qdisk_random_runs_settle_on_one_master)
{
	struct toy t;
	uint32_t seed = 12345;
	int doubles = 0, worst = 0;

	for (int run = 0; run < 50; run++) {
		toy_init(&t, NN);
		for (int r = 0; r < 300; r++) {
			int id;

			seed = seed * 1103515245u + 12345u;
			id = 1 + (int)(seed >> 16) % NN;
			switch ((seed >> 8) % 16) {
			case 0: if (t.up[id]) toy_crash(&t, id); break;
			case 1: if (t.up[id]) toy_stop(&t, id); break;
			case 2: if (!t.up[id]) toy_start(&t, id); break;
			case 3: t.fit[id] = !t.fit[id]; break;
			default: break;
			}
			for (int k = 1; k <= NN; k++) {
				if (!t.up[k] || !((seed >> (k + 20)) & 7))
					continue;	/* late: no cycle */
				if ((seed >> (k + 12)) & 7)
					toy_cycle(&t, k, t.img);
				else
					toy_busy(&t, k);
			}
			doubles = masters(&t) > 1 ? doubles + 1 : 0;
			worst = doubles > worst ? doubles : worst;
		}
	}
	CHECK(worst <= 2);
}

/* A node restarts and its helper hangs right after the first write (a
 * slot whose counter never moves again): it is reported stopped after
 * tko reads. */
TEST(qdisk_writer_stuck_after_its_first_write_stops)
{
	struct toy t;

	toy_init(&t, 2);
	toy_round(&t, 6);
	toy_stop(&t, 2);
	toy_round(&t, 2);
	toy_start(&t, 2);
	toy_cycle(&t, 2, NULL);		/* the first slot goes out */
	for (int r = 0; r < 6; r++) {
		toy_cycle(&t, 1, t.img);
		toy_busy(&t, 2);
	}
	CHECK_INT(t.stopped[1], 2);		/* bit of node 2 */
}
