/* quorum/votes.c - vote arithmetic: expected, total, quorum, quorate.
 *
 * Implements spec 2.1 (cman's rules), 2.2 (admin paths) and the
 * votequorum options of 2.3.  One recalculation serves every path:
 *
 *   total    = members' votes + the quorum disk's while it is alive
 *              (not with last_man_standing or auto_tie_breaker);
 *   expected = max(own, highest advertised), raised to total when total
 *              is higher (not with two_node, which keeps cman's
 *              "Expected votes: 1");
 *   quorum   = max((expected + 2) / 2, (total + 2) / 2), 1 under the
 *              two_node rule (two_node and at most 2 member nodes), and
 *              never below the previous quorum unless decrease is allowed
 *              (admin paths, LMS expiry);
 *   quorate  = total >= quorum, or the tie-breaker holds an exact half,
 *              and in either case not held by wait_for_all.
 *
 * Where the spec leaves room:
 *  - wait_for_all waits for all votes at once: total >= expected, or
 *    with two_node (expected 1) the nodes' configured votes.  A node also
 *    stops waiting when it has the votes and a member advertises it is
 *    ready (a node that boots into a running partition), so members
 *    agree on quorate.  Re-armed when the node goes from quorate to
 *    inquorate; with wait_for_all on, waiting is then exactly !quorate,
 *    so a stale "ready" cannot carry a lost quorum into a new partition.
 *  - last_man_standing arms when the member count drops and the
 *    partition is quorate without all expected votes; a further drop
 *    restarts the window; inquorate or all votes back disarms it.  The
 *    timer is local; the expiry is a separate step for the stream.  On
 *    expiry, and on leave remove, expected becomes the members' votes:
 *    the spec's "member count" for one-vote nodes, and never more than
 *    is present (zero-vote members would otherwise push quorum above the
 *    votes that exist).  Auto-raise then adds a live quorum disk back.
 *  - auto_tie_breaker: an exact half is 2 * total == expected; the other
 *    side then holds at most the same votes and not the tie-breaker, so
 *    it cannot be quorate.  votes_conf_check insists expected covers all
 *    configured votes for that to hold.
 *  - cman_tool expected and votes are checked with the quorum they would
 *    give, decrease allowed and auto-raise applied: refused when it is
 *    below half the present votes or above them.  votes -v leaves the
 *    expected votes as high as they are (lower them with expected -e). */
#include "votes.h"

#include <string.h>

static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t sum_votes(const struct votes_member *m, int n)
{
	uint32_t t = 0;

	for (int i = 0; i < n; i++)
		t += m[i].votes;
	return t;
}

static uint32_t top_expected(const struct votes_member *m, int n)
{
	uint32_t e = 0;

	for (int i = 0; i < n; i++)
		e = max32(e, m[i].expected);
	return e;
}

static int find(const struct votes_member *m, int n, uint32_t nodeid)
{
	for (int i = 0; i < n; i++)
		if (m[i].nodeid == nodeid)
			return i;
	return -1;
}

static int any_ready(const struct votes_member *m, int n)
{
	for (int i = 0; i < n; i++)
		if (m[i].ready)
			return 1;
	return 0;
}

/* ---- configuration ------------------------------------------------------ */

void votes_conf_init(struct votes_conf *c)
{
	memset(c, 0, sizeof *c);
	c->wait_for_all = -1;
	c->lms_window = VOTES_LMS_WINDOW;
}

void votes_conf_node(struct votes_conf *c, uint32_t nodeid, int votes,
		     int fenced)
{
	if (!c->nnodes || nodeid < c->tie_breaker)
		c->tie_breaker = nodeid;
	c->nnodes++;
	c->unfenced += !fenced;
	c->not_one += votes != 1;
	if (votes < 0 || votes > VOTES_MAX)
		c->bad_votes++;
	else
		c->node_votes += (uint32_t)votes;
}

static int qdisk_off(const struct votes_conf *c)
{
	return c->last_man_standing || c->auto_tie_breaker;
}

uint32_t votes_conf_expected(const struct votes_conf *c)
{
	if (c->expected)
		return c->expected;
	if (c->two_node)
		return 1;
	return c->node_votes + (qdisk_off(c) ? 0 : c->qdisk_votes);
}

const char *votes_conf_check(const struct votes_conf *c)
{
	if (c->bad_votes)
		return "node votes must be between 0 and 255";
	if (c->two_node && c->nnodes > 2)
		return "two_node set but there are more than 2 nodes";
	if (c->two_node && c->not_one)
		return "two_node set but votes not set to 1";
	if (c->two_node && c->unfenced && !c->two_node_unsafe)
		return "two_node set but not both nodes have fencing "
		       "configured (two_node_unsafe=\"1\" overrides)";
	if (c->auto_tie_breaker && votes_conf_expected(c) < c->node_votes)
		return "auto_tie_breaker set but expected_votes is below "
		       "the sum of node votes";
	return NULL;
}

uint32_t votes_qdisk_default(uint32_t nnodes)
{
	return nnodes > 1 ? nnodes - 1 : 0;
}

/* ---- the recalculation -------------------------------------------------- */

static int wait_for_all(const struct votes_conf *c)
{
	return c->wait_for_all > 0 || (c->wait_for_all < 0 && c->two_node);
}

static int two_node_rule(const struct votes_conf *c, int n)
{
	return c->two_node && n <= 2;
}

static uint32_t auto_raise(const struct votes_conf *c, uint32_t e,
			   uint32_t total)
{
	return c->two_node ? e : max32(e, total);
}

static uint32_t quorum_of(const struct votes_conf *c, uint32_t e,
			  uint32_t total, int n)
{
	if (two_node_rule(c, n))
		return 1;
	return max32(e / 2 + 1, total / 2 + 1);	/* (v + 2) / 2, no overflow */
}

static uint32_t qdisk_counted(const struct votes_conf *c, int alive)
{
	return alive && !qdisk_off(c) ? c->qdisk_votes : 0;
}

static uint32_t all_votes(const struct votes_state *s)
{
	return s->conf->two_node ? max32(s->expected, s->conf->node_votes)
				 : s->expected;
}

static int tie_break(const struct votes_state *s,
		     const struct votes_member *m, int n)
{
	return s->conf->auto_tie_breaker && s->total &&
	       2 * s->total == s->expected &&
	       find(m, n, s->conf->tie_breaker) >= 0;
}

static void set_quorate(struct votes_state *s, const struct votes_member *m,
			int n)
{
	int was = s->quorate;
	int atb = s->total < s->quorum && tie_break(s, m, n);
	int enough = s->total >= s->quorum || atb;

	if (enough && (s->total >= all_votes(s) || any_ready(m, n)))
		s->flags &= ~VOTES_F_WAITING;
	s->quorate = enough && !(s->flags & VOTES_F_WAITING);
	if (s->quorate && atb)
		s->flags |= VOTES_F_ATB;
	if (was && !s->quorate && wait_for_all(s->conf))
		s->flags |= VOTES_F_WAITING;
	s->change = was == s->quorate ? VOTES_SAME
		  : s->quorate ? VOTES_GAINED : VOTES_LOST;
}

static void recalc(struct votes_state *s, const struct votes_member *m,
		   int n, int qdisk_alive, int decrease)
{
	const struct votes_conf *c = s->conf;
	uint32_t qd = qdisk_counted(c, qdisk_alive), q;

	s->total = sum_votes(m, n) + qd;
	s->expected = auto_raise(c, max32(s->expected, top_expected(m, n)),
				 s->total);
	q = quorum_of(c, s->expected, s->total, n);
	s->quorum = decrease ? q : max32(s->quorum, q);
	s->nmembers = (uint32_t)n;
	s->flags &= VOTES_F_WAITING | VOTES_F_LMS;
	if (two_node_rule(c, n))
		s->flags |= VOTES_F_2NODE;
	if (qd)
		s->flags |= VOTES_F_QDISK;
	set_quorate(s, m, n);
}

/* Expected votes := e here and in what we hold for every member. */
static void lower_to(struct votes_state *s, struct votes_member *m, int n,
		     uint32_t e)
{
	s->expected = e;
	for (int i = 0; i < n; i++)
		if (m[i].expected > e)
			m[i].expected = e;
}

/* cman's validity check of 2.2 for a candidate expected and total. */
static int acceptable(const struct votes_state *s, uint32_t e,
		      uint32_t total, int n)
{
	const struct votes_conf *c = s->conf;
	uint32_t q = quorum_of(c, auto_raise(c, e, total), total, n);

	return q >= total / 2 && q <= total;
}

static void lms_arm(struct votes_state *s, int dropped, uint64_t now)
{
	if (!s->conf->last_man_standing)
		return;
	if (!s->quorate || s->total >= s->expected) {
		s->flags &= ~VOTES_F_LMS;
		return;
	}
	if (dropped) {
		s->flags |= VOTES_F_LMS;
		s->lms_deadline = now + s->conf->lms_window;
	}
}

/* ---- entry points ------------------------------------------------------- */

void votes_init(struct votes_state *s, const struct votes_conf *c)
{
	memset(s, 0, sizeof *s);
	s->conf = c;
	s->expected = votes_conf_expected(c);
	s->quorum = quorum_of(c, s->expected, 0, 0);
	if (wait_for_all(c))
		s->flags = VOTES_F_WAITING;
}

enum votes_change votes_update(struct votes_state *s,
			       const struct votes_member *m, int n,
			       int qdisk_alive, uint64_t now_ms)
{
	int dropped = (uint32_t)n < s->nmembers;

	recalc(s, m, n, qdisk_alive, 0);
	lms_arm(s, dropped, now_ms);
	return s->change;
}

enum votes_change votes_lms_expire(struct votes_state *s,
				   struct votes_member *m, int n,
				   int qdisk_alive)
{
	s->flags &= ~VOTES_F_LMS;
	s->change = VOTES_SAME;
	if (!s->conf->last_man_standing || !s->quorate)
		return VOTES_SAME;
	lower_to(s, m, n, sum_votes(m, n));
	recalc(s, m, n, qdisk_alive, 1);
	return s->change;
}

enum votes_change votes_tick(struct votes_state *s, struct votes_member *m,
			     int n, int qdisk_alive, uint64_t now_ms)
{
	if (!(s->flags & VOTES_F_LMS) || now_ms < s->lms_deadline) {
		s->change = VOTES_SAME;
		return VOTES_SAME;
	}
	return votes_lms_expire(s, m, n, qdisk_alive);
}

int votes_set_expected(struct votes_state *s, struct votes_member *m,
		       int n, int qdisk_alive, uint32_t e)
{
	uint32_t t = sum_votes(m, n) + qdisk_counted(s->conf, qdisk_alive);

	if (!e || !acceptable(s, e, t, n))
		return -1;
	lower_to(s, m, n, e);
	s->flags &= ~VOTES_F_WAITING;
	recalc(s, m, n, qdisk_alive, 1);
	return 0;
}

int votes_set_votes(struct votes_state *s, struct votes_member *m, int n,
		    int qdisk_alive, uint32_t nodeid, int votes)
{
	int i = find(m, n, nodeid);
	uint32_t t, e = max32(s->expected, top_expected(m, n));

	if (votes < 0 || votes > VOTES_MAX)
		return -1;
	if (i < 0)
		return -2;
	t = sum_votes(m, n) - m[i].votes + (uint32_t)votes +
	    qdisk_counted(s->conf, qdisk_alive);
	if (!acceptable(s, e, t, n))
		return -1;
	m[i].votes = (uint8_t)votes;
	recalc(s, m, n, qdisk_alive, 1);
	return 0;
}

void votes_leave_remove(struct votes_state *s, struct votes_member *m,
			int n, int qdisk_alive)
{
	lower_to(s, m, n, sum_votes(m, n));
	recalc(s, m, n, qdisk_alive, 1);
}

const char *votes_change_text(enum votes_change ch)
{
	static const char *const text[] = {
		[VOTES_GAINED] = "quorum regained, resuming activity",
		[VOTES_LOST] = "quorum lost, blocking activity",
	};

	return (unsigned)ch < sizeof text / sizeof *text ? text[ch] : NULL;
}
