/* test/unit_fence.c - the fence domain's decisions (rm/fence_dom.c):
 * several cores on one ordered bus, the way the ring would carry them. */
#include "unit.h"
#include "../rm/fence_dom.h"

#include <stdio.h>
#include <stdlib.h>

#define N 5

/* One node: its core and what it was asked to do. */
static struct node {
	struct fence_dom f;
	uint32_t id, inc;
	int up;
	int runs[N + 1], cancels[N + 1], fenced[N + 1];
} nodes[N + 1];

/* The bus: messages in the one order every member delivers them. */
static struct msg {
	uint32_t from;
	uint8_t body[FD_MAX_MSG];
	size_t len;
} bus[256];
static int nbus;
static int64_t clock_ms;
static uint64_t ring;

static void on_send(void *ctx, const uint8_t *m, size_t len)
{
	struct node *n = ctx;

	if (nbus < 256) {
		bus[nbus].from = n->id;
		memcpy(bus[nbus].body, m, len);
		bus[nbus++].len = len;
	}
}

static void on_run(void *ctx, uint32_t v) { ((struct node *)ctx)->runs[v]++; }
static void on_cancel(void *ctx, uint32_t v)
{
	((struct node *)ctx)->cancels[v]++;
}
static void on_fenced(void *ctx, uint32_t v)
{
	((struct node *)ctx)->fenced[v]++;
}

static const char *on_name(void *ctx, uint32_t id)
{
	static char s[N + 1][8];

	snprintf(s[id % (N + 1)], sizeof s[0], "n%u", id);
	return s[id % (N + 1)];
}

static void boot(uint32_t id, uint32_t inc)
{
	struct fd_out out = { .send = on_send, .run = on_run,
		.cancel = on_cancel, .fenced = on_fenced, .name = on_name };
	static const uint32_t all[] = { 1, 2, 3 };
	struct node *n = &nodes[id];

	memset(n, 0, sizeof *n);
	n->id = id;
	n->inc = inc;
	n->up = 1;
	out.ctx = n;
	fd_init(&n->f, &out, id, inc);
	fd_config(&n->f, all, 3, 0, 6, 1, 0);
}

/* Deliver the bus to the nodes that are up (all are members). */
static void flush(void)
{
	for (int i = 0; i < nbus; i++)
		for (int id = 1; id <= N; id++)
			if (nodes[id].up)
				fd_deliver(&nodes[id].f, bus[i].from,
					   bus[i].body, bus[i].len, clock_ms,
					   1000000 + i);
	nbus = 0;
}

static void tick(int64_t ms);

/* A configuration of the nodes that are up, all quorate (or not). */
static void config(int quorate)
{
	uint32_t m[N];
	int n = 0;

	ring++;
	for (uint32_t id = 1; id <= N; id++)
		if (nodes[id].up)
			m[n++] = id;
	for (int id = 1; id <= N; id++)
		if (nodes[id].up) {
			fd_confchg(&nodes[id].f, ring, m, n, 1, clock_ms);
			fd_quorate(&nodes[id].f, quorate, clock_ms);
		}
	flush();
	tick(0);		/* STATEs settled: suspects judged (VICTIMS) */
	tick(0);		/* victims planned */
}

/* Every up node's clock; then what they sent. */
static void tick(int64_t ms)
{
	clock_ms += ms;
	for (int id = 1; id <= N; id++)
		if (nodes[id].up)
			fd_tick(&nodes[id].f, clock_ms);
	flush();
}

static void three(void)
{
	nbus = 0;
	clock_ms = 1000;
	memset(nodes, 0, sizeof nodes);
	for (uint32_t id = 1; id <= 3; id++)
		boot(id, 100 + id);
	config(1);
	tick(7000);		/* past post_join_delay: the domain formed */
}

static int pending_everywhere(uint32_t v)
{
	int all = 1;

	for (int id = 1; id <= N; id++)
		if (nodes[id].up)
			all &= fd_pending(&nodes[id].f, v);
	return all;
}

static int pending_nowhere(uint32_t v)
{
	for (int id = 1; id <= N; id++)
		if (nodes[id].up && fd_pending(&nodes[id].f, v))
			return 0;
	return 1;
}

TEST(fence_crash_is_fenced_once_by_the_decider)
{
	three();
	nodes[3].up = 0;
	config(1);
	CHECK(pending_everywhere(3));
	CHECK_INT(fd_decider(&nodes[2].f), 1);
	tick(10);
	CHECK_INT(nodes[1].runs[3], 1);
	CHECK_INT(nodes[2].runs[3], 0);
	CHECK_INT(fd_node(&nodes[2].f, 3)->attempt_by, 1);
	tick(10000);			/* still in flight: not again */
	CHECK_INT(nodes[1].runs[3], 1);
	fd_result(&nodes[1].f, 3, 1, "fence_x", 1234);
	flush();
	CHECK(pending_nowhere(3));
	CHECK_INT(nodes[2].fenced[3], 1);
	CHECK_STR(fd_node(&nodes[2].f, 3)->by, "fence_x");
	CHECK_INT(fd_node(&nodes[2].f, 3)->fenced_at, 1234);
}

TEST(fence_clean_leave_is_no_victim)
{
	three();
	fd_leaving(&nodes[3].f);
	flush();
	nodes[3].up = 0;
	config(1);
	tick(10);
	CHECK(pending_nowhere(3));
	CHECK_INT(nodes[1].runs[3], 0);
}

TEST(fence_nothing_without_quorum)
{
	three();
	nodes[2].up = nodes[3].up = 0;
	config(0);
	tick(60000);
	CHECK(!fd_pending(&nodes[1].f, 2) && !fd_pending(&nodes[1].f, 3));
	CHECK_INT(nodes[1].runs[2] + nodes[1].runs[3], 0);
	CHECK_INT(fd_decider(&nodes[1].f), 0);
	nodes[2].up = 1;		/* quorum back: node 3 is judged now */
	config(1);
	CHECK(pending_everywhere(3) && pending_nowhere(2));
	CHECK_INT(nodes[1].runs[3], 1);
}

TEST(fence_decider_dies_mid_fence_the_next_one_runs_it)
{
	three();
	boot(4, 104);
	config(1);
	nodes[3].up = 0;
	config(1);
	tick(10);
	CHECK_INT(nodes[1].runs[3], 1);
	nodes[1].up = 0;		/* the decider dies, no RESULT */
	config(1);
	CHECK_INT(fd_decider(&nodes[2].f), 2);
	tick(10);
	CHECK_INT(nodes[2].runs[3], 1);
	CHECK(fd_pending(&nodes[2].f, 1));	/* and it is a victim too */
	CHECK_INT(nodes[2].runs[1], 1);
	CHECK_INT(nodes[4].runs[1] + nodes[4].runs[3], 0);
	fd_result(&nodes[2].f, 3, 1, "fence_x", 5);
	flush();
	tick(10);
	CHECK_INT(nodes[2].runs[3], 1);		/* once */
	CHECK(pending_nowhere(3) && pending_everywhere(1));
}

TEST(fence_failure_retries_with_backoff)
{
	three();
	nodes[3].up = 0;
	config(1);
	tick(10);
	fd_result(&nodes[1].f, 3, 0, "fence_x", 5);
	flush();
	CHECK(pending_everywhere(3));
	tick(4900);
	CHECK_INT(nodes[1].runs[3], 1);
	tick(200);
	CHECK_INT(nodes[1].runs[3], 2);
	fd_result(&nodes[1].f, 3, 0, "fence_x", 6);
	flush();
	tick(9900);
	CHECK_INT(nodes[1].runs[3], 2);		/* 10 s the second time */
	tick(200);
	CHECK_INT(nodes[1].runs[3], 3);
}

TEST(fence_fresh_start_cancels_a_merge_back_does_not)
{
	three();
	nodes[3].up = 0;
	config(1);
	tick(10);
	CHECK_INT(nodes[1].runs[3], 1);
	nodes[3].up = 1;		/* back unchanged (a partition healed) */
	config(1);
	CHECK(pending_everywhere(3));
	tick(10);
	boot(3, 200);			/* now a new daemon on node 3 */
	config(1);
	CHECK(pending_nowhere(3));
	CHECK(nodes[1].cancels[3] >= 1);	/* its run ended */
	CHECK_INT(fd_node(&nodes[1].f, 3)->fenced_at, 0);
}

TEST(fence_ack_counts_as_fenced)
{
	three();
	nodes[3].up = 0;
	config(1);
	tick(10);
	fd_ack(&nodes[2].f, 3, "fence_manual", 77);
	flush();
	CHECK(pending_nowhere(3));
	CHECK_STR(fd_node(&nodes[1].f, 3)->by, "fence_manual");
	CHECK_INT(nodes[1].cancels[3], 1);
	fd_result(&nodes[1].f, 3, 1, "fence_x", 99);	/* too late: ignored */
	flush();
	CHECK_INT(fd_node(&nodes[2].f, 3)->fenced_at, 77);
}

TEST(fence_startup_fences_who_never_came)
{
	three();			/* clean_start=1 in boot(): nobody */
	nodes[3].up = 0;
	config(1);
	fd_result(&nodes[1].f, 3, 1, "x", 1);
	flush();
	nbus = 0;
	clock_ms = 1000;
	memset(nodes, 0, sizeof nodes);
	for (uint32_t id = 1; id <= 2; id++) {
		static const uint32_t all[] = { 1, 2, 3 };

		boot(id, 100 + id);
		fd_config(&nodes[id].f, all, 3, 0, 6, 0, 0);
	}
	config(1);
	tick(5000);
	CHECK(pending_nowhere(3));
	tick(1100);
	CHECK(pending_everywhere(3));
	tick(10);
	CHECK_INT(nodes[1].runs[3], 1);
}

TEST(fence_merge_learns_the_other_side)
{
	three();
	nodes[2].up = 0;		/* node 2 is cut off: node 1 and 3 go on */
	config(1);
	CHECK(fd_pending(&nodes[1].f, 2) && !fd_pending(&nodes[2].f, 2));
	nodes[2].up = 1;
	config(1);
	CHECK(pending_everywhere(2));		/* node 2 learned it too */
}

/* two_node: each half of a split is quorate; the higher id waits. */
TEST(fence_two_node_the_higher_id_waits)
{
	static const uint32_t pair[] = { 1, 2 };

	nbus = 0;
	clock_ms = 1000;
	memset(nodes, 0, sizeof nodes);
	for (uint32_t id = 1; id <= 2; id++) {
		boot(id, 100 + id);
		fd_config(&nodes[id].f, pair, 2, 0, 6, 1, id == 2 ? 5 : 0);
	}
	config(1);
	nodes[1].up = 0;		/* node 2's half */
	config(1);
	tick(4900);
	CHECK_INT(nodes[2].runs[1], 0);
	tick(200);
	CHECK_INT(nodes[2].runs[1], 1);
	nodes[1].up = 1;		/* node 1's half, on its own */
	nodes[2].up = 0;
	config(1);
	CHECK_INT(nodes[1].runs[2], 1);		/* at once */
}

/* The cut-off side does not judge: after a merge only it is a victim,
 * and a victim that is a member does not decide (it is fenced). */
TEST(fence_only_a_quorate_side_judges)
{
	three();
	nodes[3].up = 0;		/* node 3 cut off, alone: inquorate */
	config(1);
	nodes[3].up = 1;
	nodes[1].up = nodes[2].up = 0;
	config(0);
	CHECK(!fd_pending(&nodes[3].f, 1) && !fd_pending(&nodes[3].f, 2));
	nodes[1].up = nodes[2].up = 1;	/* healed, node 3 not restarted */
	config(1);
	CHECK(pending_everywhere(3));
	CHECK(pending_nowhere(1) && pending_nowhere(2));
	CHECK_INT(fd_decider(&nodes[3].f), 1);
	CHECK(nodes[1].runs[3] >= 1);
	CHECK_INT(nodes[3].runs[1] + nodes[3].runs[2] + nodes[3].runs[3], 0);
}

/* An ATTEMPT sent before a change it did not see runs nowhere; a
 * change ends the run in flight, and the next decider starts anew. */
TEST(fence_stale_attempt_is_ignored)
{
	three();
	nodes[3].up = 0;
	config(1);
	CHECK_INT(nodes[1].runs[3], 1);
	fd_result(&nodes[1].f, 3, 0, "x", 1);	/* failed: retry in 5 s */
	flush();
	clock_ms += 5100;
	fd_tick(&nodes[1].f, clock_ms);		/* ATTEMPT queued, not yet */
	CHECK(nbus == 1);
	boot(4, 104);				/* ...a change comes first */
	{
		struct msg held = bus[0];

		nbus = 0;
		config(1);
		CHECK_INT(nodes[1].runs[3], 2);	/* the new configuration's */
		bus[0] = held;			/* the old one arrives late */
		nbus = 1;
		flush();
	}
	CHECK_INT(nodes[1].runs[3], 2);		/* and is ignored */
	CHECK_INT(nodes[1].cancels[3], 0);
}
