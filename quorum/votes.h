/* quorum/votes.h - vote arithmetic: expected, total, quorum, quorate.
 *
 * Spec 2.1-2.3: cman's rules (quorum = max((expected + 2) / 2,
 * (total + 2) / 2), never decreasing except by the admin paths of 2.2,
 * two_node) plus votequorum's wait_for_all, last_man_standing,
 * auto_tie_breaker and auto-raise.  Pure code: no I/O, no clock (time
 * comes in as monotonic ms), no heap.  A member that feeds the same
 * inputs in the same order computes the same state, so the daemon calls
 * these functions only where the ordered stream puts every member at the
 * same point: configuration changes, delivered admin requests, and a
 * delivered "last_man_standing window expired" message.  Members then
 * agree on quorate, expected, total, quorum and every flag but
 * VOTES_F_LMS (a local timer).
 *
 * The caller keeps the member table: one struct votes_member per current
 * member node, this node included, holding what each last advertised (its
 * votes, its expected votes and whether it is ready: not held back by
 * wait_for_all).  This node advertises its votes, s->expected and
 * !(s->flags & VOTES_F_WAITING).  The admin paths and the LMS expiry
 * write the table as cman did: every member lowers the expected votes
 * it holds for the others at the same point in the stream. */
#ifndef VOTES_H
#define VOTES_H

#include <stdint.h>

#define VOTES_MAX	255		/* votes of one node */
#define VOTES_LMS_WINDOW 10000		/* last_man_standing_window, ms */

/* The configuration.  Build it with votes_conf_init, one votes_conf_node
 * per <clusternode>, then set the options; check it with
 * votes_conf_check before starting. */
struct votes_conf {
	uint32_t expected;	/* cman_tool -e, else <cman expected_votes>;
				 * 0: derived, see votes_conf_expected */
	uint32_t node_votes;	/* sum of the nodes' votes */
	uint32_t nnodes;	/* configured nodes */
	uint32_t tie_breaker;	/* lowest configured nodeid (ATB) */
	uint32_t qdisk_votes;	/* 0: no quorum disk; default: see
				 * votes_qdisk_default */
	uint32_t lms_window;	/* ms, VOTES_LMS_WINDOW by default */
	uint32_t unfenced;	/* nodes without any fence method */
	uint32_t not_one;	/* nodes whose votes are not 1 */
	uint32_t bad_votes;	/* nodes whose votes are out of 0..255 */
	int8_t wait_for_all;	/* -1 unset: on exactly when two_node */
	uint8_t two_node;
	uint8_t two_node_unsafe;	/* allow two_node without fencing on
					 * both nodes (split brain is then
					 * settled by nobody) */
	uint8_t last_man_standing, auto_tie_breaker;
};

/* Zero c, wait_for_all unset, lms_window the default. */
void votes_conf_init(struct votes_conf *c);
/* Count one configured node: votes as written (range checked later) and
 * whether it has at least one fence method. */
void votes_conf_node(struct votes_conf *c, uint32_t nodeid, int votes,
		     int fenced);
/* NULL, or why the daemon must not start: cman's "two_node set but there
 * are more than 2 nodes" / "two_node set but votes not set to 1", and
 * ours: node votes out of range, two_node without fencing on both nodes
 * (unless two_node_unsafe), auto_tie_breaker with expected_votes below
 * the nodes' votes (a hidden majority could then win too). */
const char *votes_conf_check(const struct votes_conf *c);
/* Expected votes at start: c->expected when given; else 1 with two_node
 * (as cman_tool join -2); else the nodes' votes plus the quorum disk's
 * (which last_man_standing and auto_tie_breaker switch off). */
uint32_t votes_conf_expected(const struct votes_conf *c);
/* A quorum disk's default votes: one less than the nodes (spec 2.4). */
uint32_t votes_qdisk_default(uint32_t nnodes);

struct votes_member {
	uint32_t nodeid;
	uint32_t expected;	/* its expected votes */
	uint8_t votes;
	uint8_t ready;		/* not held by wait_for_all: with it on,
				 * the same as quorate */
};

/* VOTES_F_*: state flags; cman_tool status prints " 2node" for the first. */
enum {
	VOTES_F_2NODE = 1,	/* two_node rule in force: quorum 1 */
	VOTES_F_QDISK = 2,	/* quorum disk votes counted in total */
	VOTES_F_WAITING = 4,	/* wait_for_all holds quorum back */
	VOTES_F_LMS = 8,	/* last_man_standing timer armed */
	VOTES_F_ATB = 16,	/* quorate only by the tie-breaker */
};

enum votes_change { VOTES_SAME, VOTES_GAINED, VOTES_LOST };

struct votes_state {
	const struct votes_conf *conf;
	uint32_t expected;	/* highest seen; this node advertises it */
	uint32_t total;		/* members' votes + counted qdisk votes */
	uint32_t quorum;
	uint32_t nmembers;	/* member nodes at the last recalculation */
	uint64_t lms_deadline;	/* ms; meaningful with VOTES_F_LMS */
	uint8_t quorate;
	uint8_t flags;		/* VOTES_F_* */
	uint8_t change;		/* enum votes_change of the last
				 * recalculation */
};

/* Fresh state for a node that has just started: no members, inquorate,
 * held by wait_for_all when that is on.  c must outlive s. */
void votes_init(struct votes_state *s, const struct votes_conf *c);

/* Recalculate after a membership or vote change: m[0..n) are the member
 * nodes, qdisk_alive whether the quorum disk is healthy.  Quorum never
 * decreases here.  Arms the last_man_standing timer when nodes left and
 * the partition is still quorate without all expected votes. */
enum votes_change votes_update(struct votes_state *s,
			       const struct votes_member *m, int n,
			       int qdisk_alive, uint64_t now_ms);
/* The last_man_standing expiry, applied where the stream puts it (each
 * member's timer is its own, and a member that joined late never armed
 * one): when LMS is on and the partition quorate, expected := the
 * members' votes (the member count with one vote each, spec 2.3),
 * lowered in m too, and recalculated with decrease allowed.  Disarms. */
enum votes_change votes_lms_expire(struct votes_state *s,
				   struct votes_member *m, int n,
				   int qdisk_alive);
/* The local timer: votes_lms_expire when armed and due at now, else
 * nothing.  The daemon turns a due timer into an ordered message; the
 * simulator and single-node tests may call this directly. */
enum votes_change votes_tick(struct votes_state *s, struct votes_member *m,
			     int n, int qdisk_alive, uint64_t now_ms);

/* cman_tool expected -e e: 0 applied (expected := e everywhere, quorum
 * may decrease, wait_for_all released: the operator vouches for the
 * votes present), -1 refused as EINVAL (e is 0, or the quorum it gives is
 * below half the present votes or above them: the partition would
 * become inquorate). */
int votes_set_expected(struct votes_state *s, struct votes_member *m,
		       int n, int qdisk_alive, uint32_t e);
/* cman_tool votes -v votes -n nodeid: 0 applied (quorum may decrease;
 * expected stays as high as it was), -1 refused as EINVAL (votes out of
 * 0..255, or the same check as above), -2 nodeid not a member. */
int votes_set_votes(struct votes_state *s, struct votes_member *m, int n,
		    int qdisk_alive, uint32_t nodeid, int votes);
/* A member left with cman_tool leave remove; m holds the survivors:
 * expected := their votes (their count with one vote each), lowered in
 * m too, and recalculated with decrease allowed. */
void votes_leave_remove(struct votes_state *s, struct votes_member *m,
			int n, int qdisk_alive);

/* The log line for a change: "quorum lost, blocking activity", "quorum
 * regained, resuming activity", or NULL for VOTES_SAME. */
const char *votes_change_text(enum votes_change ch);

#endif
