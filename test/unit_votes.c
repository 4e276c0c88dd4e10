/* test/unit_votes.c - quorum arithmetic: spec 2.1-2.3 as scripted runs.
 *
 * A run is one node's view: a configuration, then steps (membership
 * updates, LMS ticks, admin requests), each followed by the state it must
 * leave: quorate, expected, total, quorum, flags.  Node ids are 1..8;
 * a mask holds the members (bit i: node i + 1). */
#include "unit.h"
#include "../quorum/votes.h"

#define NMAX 8
#define N2 VOTES_F_2NODE
#define QD VOTES_F_QDISK
#define W VOTES_F_WAITING
#define L VOTES_F_LMS
#define AT VOTES_F_ATB

struct cfg {
	const char *votes;		/* one digit per node */
	int8_t wfa;			/* 0 unset, 1 on, -1 off */
	uint8_t two_node, lms, atb;
	uint32_t qdisk, expected;
};

struct step {
	int line;
	char op;	/* u update, t tick, x LMS expiry, e expected,
			 * v votes, r leave remove, a advertise, i restart */
	uint32_t mask;	/* u, r, a: members / advertisers */
	int qd;		/* u, r: quorum disk alive */
	long long arg, arg2;	/* u, t: now; e: N; v: node, votes;
				 * a: expected (0 keeps), ready */
	int ret;	/* e, v */
	int want[5];	/* quorate, expected, total, quorum, flags */
};

#define U(mk, q, now, ...) { __LINE__, 'u', mk, q, now, 0, 0, { __VA_ARGS__ } }
#define T(now, ...)	{ __LINE__, 't', 0, 0, now, 0, 0, { __VA_ARGS__ } }
#define X(...)		{ __LINE__, 'x', 0, 0, 0, 0, 0, { __VA_ARGS__ } }
#define E(e, r, ...)	{ __LINE__, 'e', 0, 0, e, 0, r, { __VA_ARGS__ } }
#define V(id, v, r, ...) { __LINE__, 'v', 0, 0, id, v, r, { __VA_ARGS__ } }
#define R(mk, q, ...)	{ __LINE__, 'r', mk, q, 0, 0, 0, { __VA_ARGS__ } }
#define A(mk, e, rdy)	{ __LINE__, 'a', mk, 0, e, rdy, 0, { -1 } }
#define I(...)		{ __LINE__, 'i', 0, 0, 0, 0, 0, { __VA_ARGS__ } }
#define END		{ 0 }

struct run {
	struct votes_conf c;
	struct votes_state s;
	uint32_t mask;			/* current members */
	int qd;
	uint32_t adv[NMAX + 1];		/* advertised expected */
	uint8_t vote[NMAX + 1], ready[NMAX + 1];
};

static void setup(struct run *r, const struct cfg *g)
{
	memset(r, 0, sizeof *r);
	votes_conf_init(&r->c);
	for (int i = 0; g->votes[i]; i++) {
		votes_conf_node(&r->c, (uint32_t)i + 1, g->votes[i] - '0', 1);
		r->vote[i + 1] = (uint8_t)(g->votes[i] - '0');
	}
	r->c.wait_for_all = (int8_t)(g->wfa ? g->wfa > 0 : -1);
	r->c.two_node = g->two_node;
	r->c.last_man_standing = g->lms;
	r->c.auto_tie_breaker = g->atb;
	r->c.qdisk_votes = g->qdisk;
	r->c.expected = g->expected;
	votes_init(&r->s, &r->c);
	for (int id = 1; id <= NMAX; id++)
		r->adv[id] = r->s.expected;
}

static int build(const struct run *r, uint32_t mask, struct votes_member *m)
{
	int n = 0;

	for (uint32_t id = 1; id <= NMAX; id++)
		if (mask >> (id - 1) & 1)
			m[n++] = (struct votes_member){ id, r->adv[id],
				r->vote[id], r->ready[id] };
	return n;
}

static void store(struct run *r, const struct votes_member *m, int n)
{
	for (int i = 0; i < n; i++) {
		r->adv[m[i].nodeid] = m[i].expected;
		r->vote[m[i].nodeid] = m[i].votes;
	}
}

static void advertise(struct run *r, const struct step *st)
{
	for (int id = 1; id <= NMAX; id++) {
		if (!(st->mask >> (id - 1) & 1))
			continue;
		if (st->arg)
			r->adv[id] = (uint32_t)st->arg;
		r->ready[id] = (uint8_t)st->arg2;
	}
}

/* Apply one step; returns its result code (e, v) or 0. */
static int apply(struct run *r, const struct step *st)
{
	struct votes_member m[NMAX];
	int n, ret = 0;

	if (st->op == 'u' || st->op == 'r') {
		r->mask = st->mask;
		r->qd = st->qd;
	}
	n = build(r, r->mask, m);
	if (st->op == 'u')
		votes_update(&r->s, m, n, r->qd, (uint64_t)st->arg);
	else if (st->op == 't')
		votes_tick(&r->s, m, n, r->qd, (uint64_t)st->arg);
	else if (st->op == 'x')
		votes_lms_expire(&r->s, m, n, r->qd);
	else if (st->op == 'e')
		ret = votes_set_expected(&r->s, m, n, r->qd,
					 (uint32_t)st->arg);
	else if (st->op == 'v')
		ret = votes_set_votes(&r->s, m, n, r->qd, (uint32_t)st->arg,
				      (int)st->arg2);
	else if (st->op == 'r')
		votes_leave_remove(&r->s, m, n, r->qd);
	else if (st->op == 'a')
		advertise(r, st);
	else
		votes_init(&r->s, &r->c);
	store(r, m, n);
	return ret;
}

static void expect(const struct run *r, const struct step *st, int was)
{
	const struct votes_state *s = &r->s;
	const int got[5] = { s->quorate, (int)s->expected, (int)s->total,
			     (int)s->quorum, s->flags };
	static const char *const name[5] = { "quorate", "expected", "total",
					     "quorum", "flags" };
	int ch = was == s->quorate ? VOTES_SAME
	       : s->quorate ? VOTES_GAINED : VOTES_LOST;

	for (int i = 0; i < 5; i++)
		unit_check(got[i] == st->want[i], __FILE__, st->line,
			   "step '%c': %s %d, want %d", st->op, name[i],
			   got[i], st->want[i]);
	if (st->op != 'i' && !st->ret)
		unit_check(s->change == ch, __FILE__, st->line,
			   "step '%c': change %d, want %d", st->op,
			   s->change, ch);
}

static void play(const struct cfg *g, const struct step *st)
{
	struct run r;

	setup(&r, g);
	unit_check(votes_conf_check(&r.c) == NULL, __FILE__,
		   st->line, "configuration refused");
	for (; st->line; st++) {
		int was = r.s.quorate, ret = apply(&r, st);

		unit_check(ret == st->ret, __FILE__, st->line,
			   "step '%c': returned %d, want %d", st->op, ret,
			   st->ret);
		if (st->want[0] >= 0)
			expect(&r, st, was);
	}
}

/* ---- spec 2.1 ----------------------------------------------------------- */

TEST(votes_spec_examples)
{
	static const struct { struct cfg g; struct step st[3]; } t[] = {
		{ { .votes = "111" }, { U(0x7, 0, 0, 1, 3, 3, 2, 0), END } },
		{ { .votes = "11111" }, { U(0x1f, 0, 0, 1, 5, 5, 3, 0), END } },
		{ { .votes = "1111" }, { U(0xf, 0, 0, 1, 4, 4, 3, 0), END } },
		{ { .votes = "11" }, { U(0x3, 0, 0, 1, 2, 2, 2, 0),
				       U(0x1, 0, 0, 0, 2, 1, 2, 0), END } },
		{ { .votes = "11", .qdisk = 1, .expected = 3 },
		  { U(0x3, 1, 0, 1, 3, 3, 2, QD), END } },
	};

	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		play(&t[i].g, t[i].st);
}

/* Two nodes and a one-vote quorum disk: one node's death is survived only
 * while the disk is alive. */
TEST(votes_qdisk_two_nodes)
{
	static const struct cfg g = { .votes = "11", .qdisk = 1,
				      .expected = 3 };
	static const struct step st[] = {
		U(0x3, 1, 0, 1, 3, 3, 2, QD),
		U(0x1, 1, 0, 1, 3, 2, 2, QD),
		U(0x1, 0, 0, 0, 3, 1, 2, 0),
		U(0x1, 1, 0, 1, 3, 2, 2, QD),
		U(0x3, 0, 0, 1, 3, 2, 2, 0),
		U(0x1, 0, 0, 0, 3, 1, 2, 0),
		END
	};

	play(&g, st);
}

TEST(votes_quorum_never_decreases)
{
	static const struct cfg g = { .votes = "11111" };
	static const struct step st[] = {
		U(0x1f, 0, 0, 1, 5, 5, 3, 0),
		U(0x0f, 0, 0, 1, 5, 4, 3, 0),
		X(1, 5, 4, 3, 0),		/* LMS is off */
		U(0x07, 0, 0, 1, 5, 3, 3, 0),
		U(0x03, 0, 0, 0, 5, 2, 3, 0),
		U(0x01, 0, 0, 0, 5, 1, 3, 0),
		U(0x1f, 0, 0, 1, 5, 5, 3, 0),
		END
	};

	play(&g, st);
}

/* The highest expected votes among members wins, and stays after that
 * member leaves. */
TEST(votes_highest_advertised_expected)
{
	static const struct cfg g = { .votes = "11111" };
	static const struct step st[] = {
		A(0x2, 7, 0),
		U(0x03, 0, 0, 0, 7, 2, 4, 0),
		U(0x1f, 0, 0, 1, 7, 5, 4, 0),
		U(0x1d, 0, 0, 1, 7, 4, 4, 0),
		U(0x0d, 0, 0, 0, 7, 3, 4, 0),
		END
	};

	play(&g, st);
}

TEST(votes_auto_raise)
{
	static const struct cfg g = { .votes = "311", .expected = 3 };
	static const struct step st[] = {
		I(0, 3, 0, 2, 0),
		U(0x7, 0, 0, 1, 5, 5, 3, 0),
		U(0x6, 0, 0, 0, 5, 2, 3, 0),
		END
	};

	play(&g, st);
}

/* ---- exhaustive partitions ------------------------------------------------
 * Every split of clusters of 1..8 nodes with random votes 0..3 into a
 * side A (the mask) and the rest B, from the state both had together:
 * a side with less than half the expected votes is never quorate, an
 * exact half only by the tie-breaker, and never both sides.  Variants:
 * plain, auto_tie_breaker, a quorum disk (nodes - 1 votes, on side A
 * only: the disk's master evicts the other side), last_man_standing
 * (each side also ticks past its window), wait_for_all.  two_node is the
 * designed exception: see votes_two_node_split. */
enum { PLAIN, ATB, QDISK, LMS, WFA, NVARIANT };

static uint32_t rnd(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 16;
}

static struct votes_state side(const struct votes_state *base,
			       const uint8_t *votes, int nn, uint32_t mask,
			       int qd)
{
	struct votes_member m[NMAX];
	struct votes_state s = *base;
	int n = 0;

	for (int i = 0; i < nn; i++)
		if (mask >> i & 1)
			m[n++] = (struct votes_member){ (uint32_t)i + 1,
				base->expected, votes[i],
				!(base->flags & VOTES_F_WAITING) };
	votes_update(&s, m, n, qd, 0);
	votes_tick(&s, m, n, qd, VOTES_LMS_WINDOW);
	return s;
}

static void setup_split(struct votes_conf *c, int variant, int nn,
			const uint8_t *votes)
{
	votes_conf_init(c);
	for (int i = 0; i < nn; i++)
		votes_conf_node(c, (uint32_t)i + 1, votes[i], 1);
	c->auto_tie_breaker = variant == ATB;
	c->qdisk_votes = variant == QDISK ? votes_qdisk_default((uint32_t)nn)
					  : 0;
	c->last_man_standing = variant == LMS;
	c->wait_for_all = variant == WFA;
}

/* 0 when both sides of the split of (nn, votes) by mask behave. */
static int check_split(int variant, int nn, const uint8_t *votes,
		       uint32_t mask)
{
	struct votes_conf c;
	struct votes_state base, a, b;
	uint32_t all = (1u << nn) - 1, va = 0, vb = 0, e;

	setup_split(&c, variant, nn, votes);
	votes_init(&base, &c);
	base = side(&base, votes, nn, all, variant == QDISK);
	for (int i = 0; i < nn; i++)
		*(mask >> i & 1 ? &va : &vb) += votes[i];
	va += variant == QDISK ? c.qdisk_votes : 0;
	e = base.expected;
	a = side(&base, votes, nn, mask, variant == QDISK);
	b = side(&base, votes, nn, all & ~mask, 0);
	if (a.quorate && b.quorate)
		return 1;
	if ((a.quorate && 2 * va < e) || (b.quorate && 2 * vb < e))
		return 2;
	if (a.quorate && 2 * va == e && !(variant == ATB && (mask & 1)))
		return 3;
	if (b.quorate && 2 * vb == e && !(variant == ATB && !(mask & 1)))
		return 3;
	return 0;
}

TEST(votes_minority_never_quorate)
{
	uint32_t x = 7, splits = 0;
	uint8_t votes[NMAX];

	for (int nn = 1; nn <= NMAX; nn++)
		for (int trial = 0; trial < 8; trial++) {
			for (int i = 0; i < nn; i++)
				votes[i] = trial ? rnd(&x) % 4 : 1;
			for (int v = 0; v < NVARIANT; v++)
				for (uint32_t mk = 0; mk < 1u << nn; mk++) {
					int bad = check_split(v, nn, votes, mk);
					splits++;
					if (!unit_check(!bad, __FILE__,
						__LINE__, "split %d: nodes %d "
						"trial %d variant %d mask %#x",
						bad, nn, trial, v, mk))
						return;
				}
		}
	CHECK_INT(splits, NVARIANT * 8 * 510);
}

/* ---- members agree ---------------------------------------------------------
 * Five nodes (two with two_node) split into two partitions at random,
 * nodes reboot at random; each member of a partition feeds the same
 * member table, built from what every member advertises.  All members
 * of a partition must end in the same state (LMS timer aside), and with
 * the plain variants the two partitions are never both quorate.  LMS
 * expiry and admin requests (applied by every member of a partition)
 * rely on fencing and the operator for safety, so only agreement is
 * checked for them. */
enum { S_PLAIN, S_WFA, S_ATB, S_QDISK, S_2NODE, S_LMS, S_ADMIN, NSIM };

struct sim {
	struct votes_conf c;
	struct votes_state s[NMAX + 1];
	uint8_t vote[NMAX + 1];
	int nn, bad;
};

static void sim_init(struct sim *k, int variant, uint32_t *x)
{
	memset(k, 0, sizeof *k);
	k->nn = variant == S_2NODE ? 2 : 5;
	votes_conf_init(&k->c);
	for (int id = 1; id <= k->nn; id++) {
		k->vote[id] = variant == S_2NODE ? 1 : (uint8_t)(rnd(x) % 3);
		votes_conf_node(&k->c, (uint32_t)id, k->vote[id], 1);
	}
	k->c.two_node = variant == S_2NODE;
	k->c.wait_for_all = (int8_t)(variant == S_WFA ? 1 : -1);
	k->c.auto_tie_breaker = variant == S_ATB;
	k->c.last_man_standing = variant == S_LMS;
	k->c.qdisk_votes = variant == S_QDISK ? 2 : 0;
	for (int id = 1; id <= k->nn; id++)
		votes_init(&k->s[id], &k->c);
}

static int advertised(const struct sim *k, uint32_t mask,
		      struct votes_member *m)
{
	int n = 0;

	for (int id = 1; id <= k->nn; id++)
		if (mask >> (id - 1) & 1)
			m[n++] = (struct votes_member){ (uint32_t)id,
				k->s[id].expected, k->vote[id],
				!(k->s[id].flags & VOTES_F_WAITING) };
	return n;
}

/* One event on every member of a partition: 'u' update, 'x' LMS expiry,
 * 'e' expected a, 'v' votes b for node a.  Returns whether it is
 * quorate; a disagreement sets k->bad. */
static int sim_event(struct sim *k, uint32_t mask, int qd, char op,
		     uint32_t a, int b)
{
	struct votes_member m0[NMAX], m[NMAX];
	int n = advertised(k, mask, m0), ret[NMAX];

	for (int i = 0; i < n; i++) {
		struct votes_state *s = &k->s[m0[i].nodeid];

		memcpy(m, m0, sizeof m);
		ret[i] = 0;
		if (op == 'u')
			votes_update(s, m, n, qd, 0);
		else if (op == 'x')
			votes_lms_expire(s, m, n, qd);
		else if (op == 'e')
			ret[i] = votes_set_expected(s, m, n, qd, a);
		else
			ret[i] = votes_set_votes(s, m, n, qd, a, b);
	}
	for (int i = 0; i < n; i++)
		k->vote[m[i].nodeid] = m[i].votes;
	for (int i = 1; i < n; i++) {
		const struct votes_state *s = &k->s[m0[i].nodeid];
		const struct votes_state *f = &k->s[m0[0].nodeid];

		if (ret[i] != ret[0] || s->quorate != f->quorate ||
		    s->expected != f->expected || s->total != f->total ||
		    s->quorum != f->quorum ||
		    (s->flags ^ f->flags) & ~VOTES_F_LMS)
			k->bad = 1;
	}
	return n && k->s[m0[0].nodeid].quorate;
}

static void sim_step(struct sim *k, int variant, uint32_t *x)
{
	uint32_t all = (1u << k->nn) - 1, mask = rnd(x) & all;
	uint32_t r = rnd(x);
	int qd = r & 1, qa, qb;

	if (r % 5 == 0)
		votes_init(&k->s[1 + rnd(x) % k->nn], &k->c);
	qa = sim_event(k, mask, qd, 'u', 0, 0);
	qb = sim_event(k, all & ~mask, 0, 'u', 0, 0);
	if (variant < S_2NODE && qa && qb)
		k->bad = 2;
	if (variant == S_LMS && r % 3 == 0)
		sim_event(k, mask, qd, 'x', 0, 0);
	if (variant == S_ADMIN && r % 3 == 0)
		sim_event(k, mask, qd, 'e', rnd(x) % 12, 0);
	if (variant == S_ADMIN && r % 3 == 1)
		sim_event(k, mask, qd, 'v', 1 + rnd(x) % 6,
			  (int)(rnd(x) % 4));
}

TEST(votes_members_agree)
{
	uint32_t x = 11;
	struct sim k;

	for (int v = 0; v < NSIM; v++)
		for (int run = 0; run < 20; run++) {
			sim_init(&k, v, &x);
			for (int step = 0; step < 300 && !k.bad; step++)
				sim_step(&k, v, &x);
			if (!unit_check(!k.bad, __FILE__, __LINE__,
					"variant %d run %d: %s", v, run,
					k.bad == 1 ? "members disagree"
						   : "both sides quorate"))
				return;
		}
}

/* ---- two_node ----------------------------------------------------------- */

/* Quorum 1 with at most two members; expected stays 1 (no auto-raise), as
 * cman_tool status shows it. */
TEST(votes_two_node)
{
	static const struct cfg g = { .votes = "11", .wfa = -1, .two_node = 1 };
	static const struct step st[] = {
		I(0, 1, 0, 1, 0),
		U(0x1, 0, 0, 1, 1, 1, 1, N2),
		U(0x3, 0, 0, 1, 1, 2, 1, N2),
		U(0x2, 0, 0, 1, 1, 1, 1, N2),
		U(0x0, 0, 0, 0, 1, 0, 1, N2),
		END
	};

	play(&g, st);
}

/* A third member (which votes_conf_check refuses to configure) ends the
 * two_node rule; quorum, never decreasing, stays where it got. */
TEST(votes_two_node_third_member)
{
	static const struct cfg g = { .votes = "11", .wfa = -1,
				      .two_node = 1 };
	struct run r;
	struct votes_member m[3] = { { 1, 1, 1, 0 }, { 2, 1, 1, 0 },
				     { 3, 1, 1, 0 } };

	setup(&r, &g);
	votes_update(&r.s, m, 3, 0, 0);
	CHECK(r.s.quorate && r.s.expected == 1 && r.s.total == 3);
	CHECK_INT(r.s.quorum, 2);
	CHECK_INT(r.s.flags, 0);
	votes_update(&r.s, m, 1, 0, 0);
	CHECK_INT(r.s.quorum, 2);
	CHECK(!r.s.quorate);
}

/* The designed exception to "never both sides": two one-vote nodes with
 * two_node that were together both stay quorate when the link between
 * them breaks; fencing (required by votes_conf_check) settles it. */
TEST(votes_two_node_split)
{
	static const struct cfg g = { .votes = "11", .two_node = 1 };
	struct run a, b;
	struct votes_member m[2] = { { 1, 1, 1, 0 }, { 2, 1, 1, 0 } };

	setup(&a, &g);
	CHECK_INT(votes_update(&a.s, m, 2, 0, 0), VOTES_GAINED);
	b = a;
	b.s.conf = &b.c;
	CHECK_INT(votes_update(&a.s, m, 1, 0, 0), VOTES_SAME);
	CHECK_INT(votes_update(&b.s, m + 1, 1, 0, 0), VOTES_SAME);
	CHECK(a.s.quorate && b.s.quorate);
}

/* wait_for_all (on by default with two_node): a lone node that boots is
 * not quorate until it has seen its peer once; then losing the peer
 * keeps it quorate.  cman_tool expected -e 1 is the operator's way out. */
TEST(votes_two_node_wait_for_all)
{
	static const struct cfg g = { .votes = "11", .two_node = 1 };
	static const struct step st[] = {
		I(0, 1, 0, 1, W),
		U(0x1, 0, 0, 0, 1, 1, 1, N2 | W),
		U(0x1, 0, 60000, 0, 1, 1, 1, N2 | W),
		U(0x3, 0, 61000, 1, 1, 2, 1, N2),
		U(0x1, 0, 62000, 1, 1, 1, 1, N2),
		I(0, 1, 0, 1, W),			/* reboot */
		U(0x1, 0, 0, 0, 1, 1, 1, N2 | W),
		E(1, 0, 1, 1, 1, 1, N2),
		END
	};

	play(&g, st);
}

/* Re-armed on losing quorum; a node joining members that are ready
 * (they saw everybody) does not wait, so all members agree. */
TEST(votes_wait_for_all)
{
	static const struct cfg g = { .votes = "111", .wfa = 1 };
	static const struct cfg five = { .votes = "11111", .wfa = 1 };
	static const struct step st[] = {
		U(0x1, 0, 0, 0, 3, 1, 2, W),
		U(0x3, 0, 0, 0, 3, 2, 2, W),
		U(0x7, 0, 0, 1, 3, 3, 2, 0),
		U(0x3, 0, 0, 1, 3, 2, 2, 0),
		U(0x1, 0, 0, 0, 3, 1, 2, W),
		U(0x3, 0, 0, 0, 3, 2, 2, W),
		U(0x7, 0, 0, 1, 3, 3, 2, 0),
		END
	}, join[] = {
		U(0xf, 0, 0, 0, 5, 4, 3, W),
		A(0xe, 0, 1),
		U(0xf, 0, 0, 1, 5, 4, 3, 0),
		END
	}, stale[] = {		/* node 2 still says ready from before */
		A(0x2, 0, 1),
		U(0x3, 0, 0, 0, 5, 2, 3, W),
		A(0x2, 0, 0),
		U(0x7, 0, 0, 0, 5, 3, 3, W),
		END
	};

	play(&g, st);
	play(&five, join);
	play(&five, stale);
}

/* ---- last_man_standing -------------------------------------------------- */

/* Spec 2.3: 8 nodes lose 3, after the window expected 5 / quorum 3; lose
 * 2 more, expected 3 / quorum 2.  Then beyond: a node back before expiry
 * disarms; the last loss is not survived. */
TEST(votes_lms_spec_example)
{
	static const struct cfg g = { .votes = "11111111", .lms = 1 };
	static const struct step st[] = {
		U(0xff, 0, 0, 1, 8, 8, 5, 0),
		U(0x1f, 0, 100, 1, 8, 5, 5, L),
		T(10099, 1, 8, 5, 5, L),
		T(10100, 1, 5, 5, 3, 0),
		U(0x07, 0, 20000, 1, 5, 3, 3, L),
		T(30000, 1, 3, 3, 2, 0),
		U(0x03, 0, 40000, 1, 3, 2, 2, L),
		U(0x07, 0, 45000, 1, 3, 3, 2, 0),
		U(0x03, 0, 46000, 1, 3, 2, 2, L),
		U(0x01, 0, 50000, 0, 3, 1, 2, 0),
		T(60000, 0, 3, 1, 2, 0),
		END
	};

	play(&g, st);
}

TEST(votes_lms_window)
{
	static const struct cfg g = { .votes = "11111111", .lms = 1 };
	static const struct step restart[] = {	/* a further loss restarts */
		U(0xff, 0, 0, 1, 8, 8, 5, 0),
		U(0x7f, 0, 0, 1, 8, 7, 5, L),
		U(0x3f, 0, 5000, 1, 8, 6, 5, L),
		T(10000, 1, 8, 6, 5, L),
		T(15000, 1, 6, 6, 4, 0),
		END
	}, start[] = {			/* starting short is not leaving */
		U(0x1f, 0, 0, 1, 8, 5, 5, 0),
		T(20000, 1, 8, 5, 5, 0),
		END
	}, late[] = {	/* expiry from the stream: applies unarmed too */
		U(0x1f, 0, 0, 1, 8, 5, 5, 0),
		X(1, 5, 5, 3, 0),
		U(0x03, 0, 0, 0, 5, 2, 3, 0),
		X(0, 5, 2, 3, 0),		/* not while inquorate */
		END
	}, half[] = {			/* four lost at once: inquorate */
		U(0xff, 0, 0, 1, 8, 8, 5, 0),
		U(0x0f, 0, 0, 0, 8, 4, 5, 0),
		T(20000, 0, 8, 4, 5, 0),
		END
	};

	play(&g, restart);
	play(&g, start);
	play(&g, late);
	play(&g, half);
}

/* ---- auto_tie_breaker --------------------------------------------------- */

TEST(votes_atb)
{
	static const struct cfg g = { .votes = "1111", .atb = 1 };
	static const struct cfg odd = { .votes = "11111", .atb = 1 };
	static const struct step split[] = {
		U(0xf, 0, 0, 1, 4, 4, 3, 0),
		U(0x3, 0, 0, 1, 4, 2, 3, AT),	/* has node 1 */
		U(0xf, 0, 0, 1, 4, 4, 3, 0),
		U(0xc, 0, 0, 0, 4, 2, 3, 0),	/* the other half */
		U(0x5, 0, 0, 1, 4, 2, 3, AT),
		END
	}, minority[] = {
		U(0x1f, 0, 0, 1, 5, 5, 3, 0),
		U(0x03, 0, 0, 0, 5, 2, 3, 0),
		END
	};

	static const struct cfg zero = { .votes = "00", .atb = 1 };
	static const struct step none[] = {	/* no votes: no tie to break */
		U(0x1, 0, 0, 0, 0, 0, 1, 0),
		END
	};

	play(&g, split);
	play(&odd, minority);
	play(&zero, none);
}

/* last_man_standing and auto_tie_breaker switch the quorum disk off. */
TEST(votes_qdisk_off_with_lms_atb)
{
	static const struct cfg atb = { .votes = "11", .atb = 1, .qdisk = 1,
					.expected = 3 };
	static const struct cfg lms = { .votes = "11", .lms = 1, .qdisk = 1,
					.expected = 3 };
	static const struct step st[] = {
		U(0x3, 1, 0, 1, 3, 2, 2, 0),
		U(0x1, 1, 0, 0, 3, 1, 2, 0),
		END
	};

	play(&atb, st);
	play(&lms, st);
}

/* ---- admin paths (spec 2.2) --------------------------------------------- */

TEST(votes_admin_expected)
{
	static const struct cfg g = { .votes = "111" };
	static const struct cfg two = { .votes = "11", .wfa = -1, .two_node = 1,
					.qdisk = 3 };
	static const struct step st[] = {
		U(0x7, 0, 0, 1, 3, 3, 2, 0),
		E(4, 0, 1, 4, 3, 3, 0),
		E(5, 0, 1, 5, 3, 3, 0),
		E(6, -1, 1, 5, 3, 3, 0),	/* quorum 4 > 3 votes */
		E(0, -1, 1, 5, 3, 3, 0),
		E(4294967295, -1, 1, 5, 3, 3, 0),
		E(3, 0, 1, 3, 3, 2, 0),
		U(0x1, 0, 0, 0, 3, 1, 2, 0),
		E(2, -1, 0, 3, 1, 2, 0),	/* quorum 2 > 1 vote */
		E(1, 0, 1, 1, 1, 1, 0),		/* regain as the last one */
		A(0x2, 3, 0),
		U(0x3, 0, 0, 1, 3, 2, 2, 0),	/* node 2 brings 3 back */
		END
	}, low[] = {		/* quorum 1 below half of 5 present votes */
		U(0x3, 1, 0, 1, 1, 5, 1, N2 | QD),
		E(1, -1, 1, 1, 5, 1, N2 | QD),
		END
	};

	play(&g, st);
	play(&two, low);
}

TEST(votes_admin_votes)
{
	static const struct cfg g = { .votes = "111" };
	static const struct step st[] = {
		U(0x7, 0, 0, 1, 3, 3, 2, 0),
		V(1, 3, 0, 1, 5, 5, 3, 0),
		V(1, 1, 0, 1, 5, 3, 3, 0),	/* expected stays raised */
		V(9, 1, -2, 1, 5, 3, 3, 0),
		V(2, 256, -1, 1, 5, 3, 3, 0),
		V(2, -1, -1, 1, 5, 3, 3, 0),
		E(3, 0, 1, 3, 3, 2, 0),
		V(2, 0, 0, 1, 3, 2, 2, 0),
		V(3, 0, -1, 1, 3, 2, 2, 0),	/* would leave 1 vote of 2 */
		V(1, 255, 0, 1, 256, 256, 129, 0),
		END
	};

	play(&g, st);
}

TEST(votes_admin_leave_remove)
{
	static const struct cfg g = { .votes = "1111" };
	static const struct cfg qd = { .votes = "11", .qdisk = 1,
				       .expected = 3 };
	static const struct step rm[] = {
		U(0xf, 0, 0, 1, 4, 4, 3, 0),
		R(0x7, 0, 1, 3, 3, 2, 0),
		U(0x3, 0, 0, 1, 3, 2, 2, 0),
		R(0x1, 0, 1, 1, 1, 1, 0),
		END
	}, plain[] = {		/* the same losses without remove */
		U(0xf, 0, 0, 1, 4, 4, 3, 0),
		U(0x7, 0, 0, 1, 4, 3, 3, 0),
		U(0x3, 0, 0, 0, 4, 2, 3, 0),
		END
	}, disk[] = {		/* a live quorum disk is raised back in */
		U(0x3, 1, 0, 1, 3, 3, 2, QD),
		R(0x1, 1, 1, 2, 2, 2, QD),
		U(0x1, 0, 0, 0, 2, 1, 2, 0),
		END
	};

	play(&g, rm);
	play(&g, plain);
	play(&qd, disk);
}

/* ---- configuration ------------------------------------------------------ */

TEST(votes_conf_check_messages)
{
	static const struct {
		int n, votes[3], fenced;	/* fenced: mask of nodes */
		uint8_t two_node, unsafe, atb;
		uint32_t expected;
		const char *want;
	} t[] = {
		{ 3, { 1, 1, 1 }, 7, 0, 0, 0, 0, NULL },
		{ 3, { 1, 1, 1 }, 0, 0, 0, 0, 0, NULL },
		{ 3, { 1, 1, 1 }, 7, 1, 0, 0, 0,
		  "two_node set but there are more than 2 nodes" },
		{ 2, { 1, 2 }, 3, 1, 0, 0, 0,
		  "two_node set but votes not set to 1" },
		{ 2, { 0, 1 }, 3, 1, 0, 0, 0,
		  "two_node set but votes not set to 1" },
		{ 2, { 1, 1 }, 1, 1, 0, 0, 0, "two_node set but not both "
		  "nodes have fencing configured (two_node_unsafe=\"1\" "
		  "overrides)" },
		{ 2, { 1, 1 }, 1, 1, 1, 0, 0, NULL },
		{ 2, { 1, 1 }, 3, 1, 0, 0, 0, NULL },
		{ 1, { 1 }, 1, 1, 0, 0, 0, NULL },
		{ 2, { 1, 256 }, 3, 0, 0, 0, 0,
		  "node votes must be between 0 and 255" },
		{ 2, { -1, 1 }, 3, 0, 0, 0, 0,
		  "node votes must be between 0 and 255" },
		{ 2, { 255, 0 }, 3, 0, 0, 0, 0, NULL },
		{ 3, { 1, 1, 1 }, 7, 0, 0, 1, 2, "auto_tie_breaker set but "
		  "expected_votes is below the sum of node votes" },
		{ 3, { 1, 1, 1 }, 7, 0, 0, 1, 3, NULL },
		{ 3, { 1, 1, 1 }, 7, 0, 0, 1, 0, NULL },
	};

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct votes_conf c;
		const char *got;

		votes_conf_init(&c);
		for (int k = 0; k < t[i].n; k++)
			votes_conf_node(&c, (uint32_t)k + 1, t[i].votes[k],
					t[i].fenced >> k & 1);
		c.two_node = t[i].two_node;
		c.two_node_unsafe = t[i].unsafe;
		c.auto_tie_breaker = t[i].atb;
		c.expected = t[i].expected;
		got = votes_conf_check(&c);
		if (t[i].want)
			CHECK_STR(got, t[i].want);
		else if (!unit_check(!got, __FILE__, __LINE__, "row %zu: %s",
				     i, got ? got : ""))
			continue;
	}
}

TEST(votes_conf_derived)
{
	struct votes_conf c;

	votes_conf_init(&c);
	CHECK_INT(c.wait_for_all, -1);
	CHECK_INT(c.lms_window, 10000);
	votes_conf_node(&c, 5, 1, 1);
	votes_conf_node(&c, 2, 3, 1);
	votes_conf_node(&c, 9, 1, 0);
	CHECK_INT(c.tie_breaker, 2);
	CHECK_INT(c.nnodes, 3);
	CHECK_INT(c.node_votes, 5);
	CHECK_INT(c.unfenced, 1);
	CHECK_INT(c.not_one, 1);
	CHECK_INT(votes_conf_expected(&c), 5);
	c.qdisk_votes = votes_qdisk_default(c.nnodes);
	CHECK_INT(c.qdisk_votes, 2);
	CHECK_INT(votes_conf_expected(&c), 7);
	c.last_man_standing = 1;
	CHECK_INT(votes_conf_expected(&c), 5);
	c.last_man_standing = 0;
	c.auto_tie_breaker = 1;
	CHECK_INT(votes_conf_expected(&c), 5);
	c.two_node = 1;
	CHECK_INT(votes_conf_expected(&c), 1);
	c.expected = 4;
	CHECK_INT(votes_conf_expected(&c), 4);
	CHECK_INT(votes_qdisk_default(0), 0);
	CHECK_INT(votes_qdisk_default(1), 0);
	CHECK_INT(votes_qdisk_default(2), 1);
	CHECK_INT(votes_qdisk_default(16), 15);
}

TEST(votes_change_messages)
{
	CHECK_STR(votes_change_text(VOTES_LOST),
		  "quorum lost, blocking activity");
	CHECK_STR(votes_change_text(VOTES_GAINED),
		  "quorum regained, resuming activity");
	CHECK(votes_change_text(VOTES_SAME) == NULL);
	CHECK(votes_change_text((enum votes_change)7) == NULL);
}
