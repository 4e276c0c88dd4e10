/* test/unit_cman.c - the quorum service on an ordered stream (quorum/cman.c).
 *
 * A toy ring: nodes 1..5, each a struct cman; a configuration change
 * reaches every member of a partition, then the messages they queued are
 * delivered to each of them in one order, as totem would.  The checks:
 * members agree once settled, a minority blocks at its configuration
 * change (before any announcement), admin requests apply everywhere or
 * nowhere, and two_node with wait_for_all holds a lone cold node back. */
#include "unit.h"
#include "../quorum/cman.h"

#include <errno.h>

#define NN 5
#define QMAX 64

struct msg {
	uint32_t from;
	uint8_t b[CMAN_MAX_MSG];
	int len;
};

struct toy {
	struct votes_conf conf;
	struct cman n[NN + 1];
	uint64_t ring;
	struct msg q[QMAX];
	int nq;
	struct cman_event last[NN + 1];	/* of the last delivery */
	int lost[NN + 1], gained[NN + 1];
};

static void toy_init(struct toy *t, const char *votes, int two_node)
{
	memset(t, 0, sizeof *t);
	votes_conf_init(&t->conf);
	for (int i = 0; votes[i]; i++)
		votes_conf_node(&t->conf, (uint32_t)i + 1, votes[i] - '0', 1);
	t->conf.two_node = (uint8_t)two_node;
	for (int i = 1; votes[i - 1]; i++)
		cman_init(&t->n[i], &t->conf, (uint32_t)i, votes[i - 1] - '0',
			  1);
	t->ring = 100;
}

static void queue(struct toy *t, uint32_t from, const uint8_t *b, int len)
{
	if (t->nq == QMAX || len < 0)
		return;
	t->q[t->nq].from = from;
	memcpy(t->q[t->nq].b, b, (size_t)len);
	t->q[t->nq++].len = len;
}

/* Deliver the queue to the members of mask (bit i: node i), in order. */
static void flush(struct toy *t, unsigned mask)
{
	for (int k = 0; k < t->nq; k++)
		for (int i = 1; i <= NN; i++) {
			struct cman_event *ev = &t->last[i];

			if (!(mask & 1u << i))
				continue;
			CHECK_INT(cman_deliver(&t->n[i], t->q[k].from,
					       t->q[k].b, (size_t)t->q[k].len,
					       1000, ev), 0);
			t->lost[i] += ev->change == VOTES_LOST;
			t->gained[i] += ev->change == VOTES_GAINED;
		}
	t->nq = 0;
}

/* A regular configuration of the nodes in mask; their HELLOs queued. */
static void confchg(struct toy *t, unsigned mask)
{
	uint32_t m[NN];
	int n = 0;

	t->ring += 4;
	for (int i = 1; i <= NN; i++)
		if (mask & 1u << i)
			m[n++] = (uint32_t)i;
	for (int i = 1; i <= NN; i++) {
		uint8_t out[CMAN_MAX_MSG];
		int ch, len;

		if (!(mask & 1u << i))
			continue;
		len = cman_confchg(&t->n[i], t->ring, m, n, out, &ch);
		t->lost[i] += ch == VOTES_LOST;
		queue(t, (uint32_t)i, out, len);
	}
}

static void form(struct toy *t, unsigned mask)
{
	confchg(t, mask);
	flush(t, mask);
}

#define BIT(i) (1u << (i))
#define Q(t, i) cman_quorate(&(t)->n[i])

/* Every member of mask holds the same vote state. */
static int agree(const struct toy *t, unsigned mask)
{
	const struct votes_state *a = NULL;

	for (int i = 1; i <= NN; i++) {
		const struct votes_state *s = &t->n[i].st;

		if (!(mask & 1u << i))
			continue;
		if (!t->n[i].settled)
			return 0;
		if (a && (a->quorate != s->quorate ||
			  a->expected != s->expected || a->total != s->total ||
			  a->quorum != s->quorum))
			return 0;
		a = s;
	}
	return 1;
}

TEST(cman_three_nodes_settle_and_agree)
{
	struct toy t;
	unsigned all = BIT(1) | BIT(2) | BIT(3);

	toy_init(&t, "111", 0);
	confchg(&t, all);
	CHECK(!Q(&t, 1) && !t.n[1].settled);	/* nothing gained early */
	flush(&t, all);
	CHECK(agree(&t, all));
	for (int i = 1; i <= 3; i++) {
		CHECK(Q(&t, i));
		CHECK_INT(t.n[i].st.expected, 3);
		CHECK_INT(t.n[i].st.total, 3);
		CHECK_INT(t.n[i].st.quorum, 2);
		CHECK_INT(t.gained[i], 1);
	}
	CHECK(t.last[3].settled);
}

TEST(cman_minority_blocks_at_the_configuration_change)
{
	struct toy t;
	unsigned all = BIT(1) | BIT(2) | BIT(3), maj = BIT(1) | BIT(2);

	toy_init(&t, "111", 0);
	form(&t, all);
	confchg(&t, BIT(3));		/* node3 cut off ... */
	CHECK(!Q(&t, 3));		/* ... blocks before any HELLO */
	CHECK_INT(t.lost[3], 1);
	flush(&t, BIT(3));
	CHECK(!Q(&t, 3));
	CHECK_INT(t.lost[3], 1);	/* logged once */
	confchg(&t, maj);
	CHECK(Q(&t, 1) && Q(&t, 2));	/* the majority never wavers */
	flush(&t, maj);
	CHECK(agree(&t, maj) && Q(&t, 1));
	CHECK_INT(t.lost[1], 0);
	form(&t, all);			/* merge */
	CHECK(agree(&t, all) && Q(&t, 3));
	CHECK_INT(t.gained[3], 2);
}

TEST(cman_stale_hello_is_ignored_by_everyone)
{
	struct toy t;
	unsigned all = BIT(1) | BIT(2) | BIT(3);
	struct msg old;

	toy_init(&t, "111", 0);
	confchg(&t, all);
	old = t.q[0];			/* node1's HELLO for this ring */
	t.nq = 0;
	confchg(&t, all);		/* the ring changed again first */
	queue(&t, old.from, old.b, old.len);
	flush(&t, all);
	CHECK(agree(&t, all) && Q(&t, 1));
	CHECK(t.n[1].info[0].heard);
}

TEST(cman_expected_applies_everywhere_or_nowhere)
{
	struct toy t;
	unsigned all = BIT(1) | BIT(2) | BIT(3);
	uint8_t m[CMAN_MAX_MSG];

	toy_init(&t, "111", 0);
	form(&t, all);
	confchg(&t, BIT(1));
	flush(&t, BIT(1));
	CHECK(!Q(&t, 1));
	CHECK_INT(cman_check_expected(&t.n[1], 3), EINVAL);
	CHECK_INT(cman_check_expected(&t.n[1], 1), 0);
	queue(&t, 1, m, cman_msg_expected(m, 7, 1));
	flush(&t, BIT(1));
	CHECK(Q(&t, 1));
	CHECK(t.last[1].done && t.last[1].ticket == 7 &&
	      !t.last[1].result);
	CHECK_INT(t.last[1].op, CMAN_OP_EXPECTED);
	/* while a configuration settles: EAGAIN, applied by nobody */
	confchg(&t, BIT(1) | BIT(2));
	CHECK_INT(cman_check_expected(&t.n[1], 2), EAGAIN);
	t.nq = 0;			/* HELLOs still on the way ... */
	queue(&t, 2, m, cman_msg_expected(m, 9, 2));
	flush(&t, BIT(1) | BIT(2));
	CHECK_INT(t.last[2].result, EAGAIN);
	CHECK(!t.last[1].done);		/* not node1's request */
	CHECK_INT(t.n[1].st.expected, 1);	/* both as they were */
	CHECK_INT(t.n[2].st.expected, 3);
}

TEST(cman_votes_remove_kill_and_lms)
{
	struct toy t;
	unsigned all = BIT(1) | BIT(2) | BIT(3);
	uint8_t m[CMAN_MAX_MSG];

	toy_init(&t, "111", 0);
	form(&t, all);
	queue(&t, 2, m, cman_msg_votes(m, 1, 1, 2));
	flush(&t, all);
	CHECK(agree(&t, all));
	CHECK_INT(t.n[3].st.total, 4);
	CHECK_INT(t.n[3].st.quorum, 3);
	CHECK_INT(t.n[1].votes, 2);		/* node1 announces 2 now */
	CHECK_INT(cman_check_votes(&t.n[1], 4, 1), ENOENT);
	CHECK_INT(cman_check_votes(&t.n[1], 1, 256), EINVAL);
	queue(&t, 1, m, cman_msg_votes(m, 2, 1, 1));
	queue(&t, 1, m, cman_msg_expected(m, 3, 3));
	flush(&t, all);
	CHECK_INT(t.n[2].st.quorum, 2);
	/* node3 leaves with remove: the others need only 2 votes */
	queue(&t, 3, m, cman_msg_remove(m, 4));
	flush(&t, all);
	form(&t, BIT(1) | BIT(2));
	CHECK(agree(&t, BIT(1) | BIT(2)) && Q(&t, 1));
	CHECK_INT(t.n[1].st.expected, 2);
	/* kill */
	queue(&t, 1, m, cman_msg_kill(m, 2));
	flush(&t, BIT(1) | BIT(2));
	CHECK_INT(t.last[2].killed_by, 1);
	CHECK_INT(t.last[1].killed_by, 0);
	/* malformed: short, unknown op, trailing bytes */
	CHECK_INT(cman_deliver(&t.n[1], 2, m, 2, 0, &t.last[1]), -1);
	m[0] = 99;
	CHECK_INT(cman_deliver(&t.n[1], 2, m, 5, 0, &t.last[1]), -1);
	CHECK_INT(cman_deliver(&t.n[1], 2, m, 0, 0, &t.last[1]), -1);
}

TEST(cman_last_man_standing_through_the_stream)
{
	struct toy t;
	unsigned four = BIT(1) | BIT(2) | BIT(3) | BIT(4);
	uint8_t m[CMAN_MAX_MSG];

	toy_init(&t, "1111", 0);
	t.conf.last_man_standing = 1;
	for (int i = 1; i <= 4; i++)
		cman_init(&t.n[i], &t.conf, (uint32_t)i, 1, 1);
	form(&t, four);
	form(&t, BIT(1) | BIT(2) | BIT(3));
	CHECK(Q(&t, 1));
	CHECK(!cman_lms_due(&t.n[1], 1000));
	CHECK(cman_lms_due(&t.n[1], 1000 + VOTES_LMS_WINDOW));
	queue(&t, 2, m, cman_msg_lms(&t.n[2], m));
	flush(&t, BIT(1) | BIT(2) | BIT(3));
	CHECK(agree(&t, BIT(1) | BIT(2) | BIT(3)));
	CHECK_INT(t.n[1].st.expected, 3);
	CHECK_INT(t.n[1].st.quorum, 2);
	form(&t, BIT(1) | BIT(2));		/* 2 of 3: still quorate */
	CHECK(Q(&t, 1) && Q(&t, 2));
}

TEST(cman_two_node_cold_start_waits_for_the_peer)
{
	struct toy t;

	toy_init(&t, "11", 1);
	form(&t, BIT(1));			/* node1 boots alone */
	CHECK(t.n[1].settled && !Q(&t, 1));
	CHECK(t.n[1].st.flags & VOTES_F_WAITING);
	form(&t, BIT(1) | BIT(2));
	CHECK(agree(&t, BIT(1) | BIT(2)) && Q(&t, 1) && Q(&t, 2));
	form(&t, BIT(1));			/* node2 dies */
	CHECK(Q(&t, 1));
	CHECK_INT(t.lost[1], 0);
	cman_init(&t.n[2], &t.conf, 2, 1, 1);	/* node2 reboots ... */
	form(&t, BIT(2));			/* ... cut off: waits */
	CHECK(!Q(&t, 2));
	form(&t, BIT(1) | BIT(2));		/* sees node1: ready */
	CHECK(Q(&t, 2));
}

TEST(cman_joiner_adopts_the_highest_expected)
{
	struct toy t;
	unsigned all = BIT(1) | BIT(2) | BIT(3);
	struct votes_conf big;

	toy_init(&t, "111", 0);
	big = t.conf;
	big.expected = 5;
	cman_init(&t.n[3], &big, 3, 1, 1);
	form(&t, BIT(1) | BIT(2));
	CHECK(Q(&t, 1));
	form(&t, all);
	CHECK(agree(&t, all));
	CHECK_INT(t.n[1].st.expected, 5);
	CHECK_INT(t.n[1].st.quorum, 3);
	CHECK(Q(&t, 1));
}

/* Two nodes and a quorum disk of 1 vote (expected 3, quorum 2): the
 * disk's votes count in the partition whose member holds the master
 * role, from the delivery of its HELLO, and in no other. */
static void claim(struct toy *t, int i, int master)
{
	uint8_t out[CMAN_MAX_MSG];

	if (cman_set_qdisk(&t->n[i], master))
		queue(t, (uint32_t)i, out, cman_msg_hello(&t->n[i], out));
}

TEST(cman_qdisk_votes_go_with_the_master)
{
	struct toy t;
	unsigned both = BIT(1) | BIT(2);

	toy_init(&t, "11", 0);
	t.conf.qdisk_votes = 1;
	for (int i = 1; i <= 2; i++)
		cman_init(&t.n[i], &t.conf, (uint32_t)i, 1, 1);
	form(&t, both);
	CHECK(Q(&t, 1) && Q(&t, 2));
	CHECK_INT(t.n[1].st.expected, 3);
	CHECK_INT(t.n[1].st.total, 2);
	claim(&t, 1, 1);
	flush(&t, both);
	CHECK(agree(&t, both));
	CHECK_INT(t.n[2].st.total, 3);
	CHECK(t.n[2].st.flags & VOTES_F_QDISK);
	form(&t, BIT(1));			/* split: the master's side */
	form(&t, BIT(2));
	CHECK(Q(&t, 1));
	CHECK_INT(t.n[1].st.total, 2);
	CHECK(!Q(&t, 2));			/* never both sides */
	CHECK_INT(t.n[2].st.total, 1);
	claim(&t, 1, 0);			/* node 1 dies, 2 takes over */
	flush(&t, BIT(1));
	CHECK(!Q(&t, 1));
	claim(&t, 2, 1);
	flush(&t, BIT(2));
	CHECK(Q(&t, 2));
	CHECK_INT(t.gained[2], 2);
	form(&t, both);				/* node 1 back: one claim */
	CHECK(agree(&t, both) && Q(&t, 1));
	CHECK_INT(t.n[1].st.total, 3);
}

/* A joiner whose file has the members' version but other content is a
 * conflict, seen alike by every member: its votes do not count and it
 * alone is told to leave; other digests, or another version, are not. */
TEST(cman_conflicting_file_of_one_version)
{
	struct toy t;
	unsigned all = BIT(1) | BIT(2) | BIT(3);
	uint32_t same[CMAN_DIGESTS] = { 11, 22 }, names[CMAN_DIGESTS] = { 12, 22 };

	toy_init(&t, "111", 0);
	for (int i = 1; i <= 3; i++)
		cman_set_digest(&t.n[i], same);
	form(&t, BIT(1) | BIT(2));
	CHECK(Q(&t, 1));
	cman_set_digest(&t.n[3], names);
	form(&t, all);
	for (int i = 1; i <= 3; i++) {
		CHECK_INT(t.last[i].conflict, 3);
		CHECK_INT(t.last[i].source, 1);
		CHECK_INT(t.last[i].conflict_what, CMAN_DIGEST_NODES);
		CHECK_INT(t.last[i].conflict_me, i == 3);
		CHECK_INT(t.n[i].st.total, 2);
	}
	names[CMAN_DIGEST_NODES] = 11;
	names[CMAN_DIGEST_VOTES] = 23;
	cman_set_digest(&t.n[3], names);
	form(&t, all);
	CHECK_INT(t.last[2].conflict_what, CMAN_DIGEST_VOTES);
	cman_set_config_version(&t.n[3], 2);	/* a newer file: no conflict */
	form(&t, all);
	CHECK_INT(t.last[1].conflict, 0);
	CHECK_INT(t.n[1].st.total, 3);
}
