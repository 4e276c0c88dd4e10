/* quorum/cmand.c - the cman part: quorum/cman.c on the ring.
 *
 *   regular configuration -> cman_confchg -> our HELLO out (retried every
 *                            RETRY_MS while the send queue is full)
 *   delivery of our kind  -> cman_deliver -> log the change, answer the
 *                            waiting request, obey a kill; once settled,
 *                            post NEWS_SETTLED with whose file wins
 *   last_man_standing     -> a loop timer at the deadline sends LMS once
 *   NEWS_QDISK            -> our HELLO again, claiming the disk or not
 *   NEWS_EVICT            -> a kill for that member
 *   a new cluster.conf    -> its version goes into our HELLOs
 *
 * It owns the view's quorate: as every member agrees.
 *
 * The verbs that change votes (expected, votes, leave remove) are sent
 * as ordered messages and answered when their own message comes back,
 * so the answer says what every member applied. */
#include "cman.h"
#include "../net/loop.h"
#include "../net/part.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RETRY_MS	50

/* A refused request, by its op, as cman_tool said it. */
static const char *const what[] = {
	[CMAN_OP_EXPECTED] = "can't set expected votes",
	[CMAN_OP_VOTES] = "can't set votes",
	[CMAN_OP_REMOVE] = "Error leaving cluster",
};

extern const struct part cmand_part;

static struct {
	struct view *v;
	struct cman cm;
	int retry, lms_timer;
	uint64_t lms_sent;
	uint64_t malformed;
} Q;

/* --- sending -------------------------------------------------------------- */
static void on_retry(void *ctx);

static void send_hello(void)
{
	uint8_t m[CMAN_MAX_MSG];
	int n = cman_msg_hello(&Q.cm, m);

	if (Q.retry || Q.v->send(&cmand_part, m, (size_t)n) == 0)
		return;
	Q.retry = loop_timer_add(now_ms() + RETRY_MS, on_retry, NULL);
	if (Q.retry < 0)
		Q.retry = 0;
}

static void on_retry(void *ctx)
{
	Q.retry = 0;
	send_hello();
}

static void on_lms(void *ctx)
{
	uint8_t m[CMAN_MAX_MSG];
	int n = cman_msg_lms(&Q.cm, m);

	Q.lms_timer = 0;
	if (!cman_lms_due(&Q.cm, (uint64_t)now_ms()))
		return;
	Q.lms_sent = Q.cm.st.lms_deadline;
	log_msg(LOG_LVL_NOTICE, "last_man_standing window over: lowering "
		"expected votes to the members' votes");
	if (Q.v->send(&cmand_part, m, (size_t)n) < 0)
		Q.lms_sent = 0;
}

static void arm_lms(void)
{
	const struct votes_state *s = &Q.cm.st;

	if (Q.lms_timer || !(s->flags & VOTES_F_LMS) ||
	    Q.lms_sent == s->lms_deadline)
		return;
	Q.lms_timer = loop_timer_add((int64_t)s->lms_deadline, on_lms, NULL);
	if (Q.lms_timer < 0)
		Q.lms_timer = 0;
}

/* --- what the stream tells ------------------------------------------------ */
static void log_change(int change)
{
	const struct votes_state *s = &Q.cm.st;

	if (change == VOTES_SAME)
		return;
	log_msg(LOG_LVL_NOTICE, "%s (expected votes %" PRIu32 ", total "
		"%" PRIu32 ", quorum %" PRIu32 ")", votes_change_text(change),
		s->expected, s->total, s->quorum);
}

/* This node's request came back: its ticket is the waiting reply's (a
 * reply that timed out meanwhile is gone; the change stands). */
static void answered(const struct cman_event *ev)
{
	char err[160];

	snprintf(err, sizeof err, "%s: %s", what[ev->op],
		 strerror(ev->result));
	ctl_resume(ev->ticket, NULL, ev->result ? EXIT_REFUSED : 0, err);
	if (ev->op == CMAN_OP_REMOVE && !ev->result) {
		log_msg(LOG_LVL_NOTICE, "leaving the cluster (remove: the "
			"others lowered their expected votes)");
		loop_stop();
	}
}

/* A member's cluster.conf has the version of the members' but other
 * content (cman's "conflicting cluster.conf"): it leaves; if it is us,
 * now. */
static void conflict(const struct cman_event *ev)
{
	static const char *const differ[] = {
		[CMAN_DIGEST_NODES] = "node names or ids",
		[CMAN_DIGEST_VOTES] = "votes",
	};
	uint32_t v = Q.cm.config_version;

	if (ev->conflict_me) {
		log_msg(LOG_LVL_ERR, "cman killed: this node's cluster.conf "
			"(version %" PRIu32 ") conflicts with the members' "
			"version %" PRIu32 " (node %" PRIu32 "'s): the %s "
			"differ; copy the members' file here or give it a new "
			"version", v, v, ev->source, differ[ev->conflict_what]);
		loop_stop();
	} else if (ev->settled) {
		log_msg(LOG_LVL_ERR, "node %" PRIu32 " has a conflicting "
			"cluster.conf: version %" PRIu32 " as the members' "
			"(node %" PRIu32 "'s), but the %s differ; its votes do "
			"not count and it must leave", ev->conflict, v,
			ev->source, differ[ev->conflict_what]);
	}
}

/* The fact others act on (fenced: no fencing without quorum). */
static void set_quorate(void)
{
	int q = cman_quorate(&Q.cm);

	if (q == Q.v->quorate)
		return;
	Q.v->quorate = q;
	Q.v->post(NEWS_QUORATE, (uint32_t)q);
}

static void deliver(uint32_t from, const uint8_t *body, size_t len)
{
	struct cman_event ev;

	if (cman_deliver(&Q.cm, from, body, len, (uint64_t)now_ms(),
			 &ev) < 0) {
		Q.malformed++;
		return;
	}
	if (ev.settled)
		log_msg(LOG_LVL_INFO, "quorum: %d members, expected votes %"
			PRIu32 ", total %" PRIu32 ", quorum %" PRIu32 "%s",
			Q.cm.n, Q.cm.st.expected, Q.cm.st.total,
			Q.cm.st.quorum, cman_quorate(&Q.cm) ? "" :
			", activity blocked");
	log_change(ev.change);
	set_quorate();
	if (ev.settled) {
		Q.v->config_source = cman_config_source(&Q.cm,
			&Q.v->config_version, &Q.v->config_differs);
		Q.v->post(NEWS_SETTLED, 0);
	}
	if (ev.conflict)
		conflict(&ev);
	if (ev.done)
		answered(&ev);
	if (ev.killed_by) {
		log_msg(LOG_LVL_ERR, "cman killed by node %" PRIu32 " because "
			"we were killed by cman_tool or other application",
			ev.killed_by);
		loop_stop();
	}
	arm_lms();
}

static void confchg(void)
{
	uint8_t m[CMAN_MAX_MSG];
	int change;

	cman_confchg(&Q.cm, Q.v->ring, Q.v->members, Q.v->nmembers, m,
		     &change);
	set_quorate();
	if (change == VOTES_LOST)
		log_msg(LOG_LVL_NOTICE, "%s (the members this node knows of "
			"hold too few votes)", votes_change_text(change));
	if (Q.retry)
		return;		/* the retry sends the current HELLO */
	send_hello();
}

/* --- start and news ------------------------------------------------------ */
static void conf_changed(void)
{
	uint32_t d[CMAN_DIGESTS];

	cman_conf_digest(Q.v->conf, d);
	cman_set_digest(&Q.cm, d);
	cman_set_config_version(&Q.cm, (uint32_t)Q.v->conf->config_version);
}

static int start(struct view *v, char *err, size_t errlen)
{
	const struct conf_node *me = v->me;
	struct votes_conf vc;
	const char *why;

	Q.v = v;
	cman_conf_from(v->conf, v->expected, &vc);
	if ((why = votes_conf_check(&vc))) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	cman_init(&Q.cm, &vc, v->nodeid, me->votes,
		  (uint32_t)v->conf->config_version);
	conf_changed();
	v->quorate = cman_quorate(&Q.cm);
	log_msg(LOG_LVL_INFO, "quorum: expected votes %" PRIu32 ", node votes"
		" %d%s%s%s%s", Q.cm.st.expected, me->votes,
		vc.two_node ? ", two_node" : "",
		Q.cm.st.flags & VOTES_F_WAITING ? ", wait_for_all" : "",
		vc.last_man_standing ? ", last_man_standing" : "",
		vc.auto_tie_breaker ? ", auto_tie_breaker" : "");
	return 0;
}

/* The quorum disk's master evicts a member that stopped writing. */
static void evict(uint32_t nodeid)
{
	uint8_t m[CMAN_MAX_MSG];

	if (nodeid == Q.v->nodeid || !cman_is_member(&Q.cm, nodeid))
		return;
	if (Q.v->send(&cmand_part, m, (size_t)cman_msg_kill(m, nodeid)) < 0)
		log_msg(LOG_LVL_WARN, "cannot evict node %" PRIu32 ": the "
			"send queue is full", nodeid);
}

static void news(int kind, uint32_t arg)
{
	if (kind == NEWS_QDISK && cman_set_qdisk(&Q.cm, Q.v->qdisk_master))
		send_hello();
	else if (kind == NEWS_EVICT)
		evict(arg);
}

static void counters(void (*line)(void *ctx, const char *name, uint64_t v),
		     void *ctx)
{
	line(ctx, "quorum_malformed", Q.malformed);
}

/* --- status --------------------------------------------------------------- */
static void status(struct ctl_req *r)
{
	const struct votes_state *s = &Q.cm.st;

	ctl_printf(r, "expected_votes: %" PRIu32, s->expected);
	if (s->flags & VOTES_F_QDISK)
		ctl_printf(r, "quorum_device_votes: %" PRIu32,
			   Q.cm.conf.qdisk_votes);
	ctl_printf(r, "total_votes: %" PRIu32, s->total);
	ctl_printf(r, "node_votes: %u", Q.cm.votes);
	ctl_printf(r, "quorum: %" PRIu32, s->quorum);
	ctl_printf(r, "quorate: %s", Q.v->quorate && !Q.v->behind && !Q.v->refused ?
		   "yes" : "no");
	ctl_printf(r, "suspended: %s", Q.v->behind ? "yes" : "no");
	ctl_printf(r, "flags:%s", s->flags & VOTES_F_2NODE ? " 2node" : "");
	ctl_printf(r, "wait_for_all: %s", s->flags & VOTES_F_WAITING ?
		   "yes" : "no");
	ctl_printf(r, "settled: %s", Q.cm.settled ? "yes" : "no");
}

/* --- the verbs that change votes ------------------------------------------ */
/* NODE as a name or a node id: the id, or 0 when unknown. */
static uint32_t node_id(const char *s)
{
	const struct conf_node *n = conf_node(Q.v->conf, s);
	long id;

	if (n)
		return (uint32_t)n->nodeid;
	if (!parse_int(s, 1, CONF_MAX_NODEID, &id))
		return (uint32_t)id;
	return 0;
}

static int refused(struct ctl_req *r, int op, int err)
{
	return ctl_fail(r, EXIT_REFUSED, "%s: %s", what[op], strerror(err));
}

/* Send m, which carries the ticket the caller took with ctl_defer; the
 * reply waits for its delivery (answered()). */
static int send_request(struct ctl_req *r, int op, const uint8_t *m, int n)
{
	if (Q.v->send(&cmand_part, m, (size_t)n) < 0)
		return ctl_fail(r, EXIT_REFUSED, "%s: the send queue is full;"
				" try again", what[op]);
	return CTL_DEFERRED;
}

static int v_expected(void *ctx, struct ctl_req *r)
{
	uint8_t m[CMAN_MAX_MSG];
	unsigned t;
	long e;
	int err;

	if (r->argc != 2 || parse_int(r->argv[1], 1, 1L << 30, &e))
		return ctl_fail(r, EXIT_USAGE, "usage: expected VOTES");
	if ((err = cman_check_expected(&Q.cm, (uint32_t)e)))
		return refused(r, CMAN_OP_EXPECTED, err);
	ctl_defer(r, PART_ANSWER_MS, &t);
	return send_request(r, CMAN_OP_EXPECTED, m,
			    cman_msg_expected(m, t, (uint32_t)e));
}

static int v_votes(void *ctx, struct ctl_req *r)
{
	uint8_t m[CMAN_MAX_MSG];
	uint32_t id = Q.v->nodeid;
	unsigned t;
	long v;
	int err;

	if (r->argc < 2 || r->argc > 3 || parse_int(r->argv[1], 0, 255, &v))
		return ctl_fail(r, EXIT_USAGE, "usage: votes VOTES [NODE]");
	if (r->argc == 3 && !(id = node_id(r->argv[2])))
		return refused(r, CMAN_OP_VOTES, ENOENT);
	if ((err = cman_check_votes(&Q.cm, id, (int)v)))
		return refused(r, CMAN_OP_VOTES, err);
	ctl_defer(r, PART_ANSWER_MS, &t);
	return send_request(r, CMAN_OP_VOTES, m,
			    cman_msg_votes(m, t, id, (int)v));
}

static int v_leave(void *ctx, struct ctl_req *r)
{
	uint8_t m[CMAN_MAX_MSG];
	int remove = 0;
	unsigned t;

	for (int i = 1; i < r->argc; i++) {
		if (!strcmp(r->argv[i], "remove"))
			remove = 1;
		else if (strcmp(r->argv[i], "force"))
			return ctl_fail(r, EXIT_USAGE, "usage: leave [remove] "
					"[force]");
	}
	if (remove && !Q.cm.settled)
		return refused(r, CMAN_OP_REMOVE, EAGAIN);
	if (remove) {
		ctl_defer(r, PART_ANSWER_MS, &t);
		return send_request(r, CMAN_OP_REMOVE, m,
				    cman_msg_remove(m, t));
	}
	log_msg(LOG_LVL_NOTICE, "cman_tool leave: leaving the cluster");
	loop_stop();
	return 0;
}

static int v_kill(void *ctx, struct ctl_req *r)
{
	uint8_t m[CMAN_MAX_MSG];
	uint32_t id;

	if (r->argc != 2)
		return ctl_fail(r, EXIT_USAGE, "usage: kill NODE");
	if (!(id = node_id(r->argv[1])))
		return ctl_fail(r, EXIT_REFUSED, "Can't kill node %s : %s",
				r->argv[1], strerror(ENOENT));
	if (Q.v->send(&cmand_part, m, (size_t)cman_msg_kill(m, id)) < 0)
		return ctl_fail(r, EXIT_REFUSED, "the send queue is full; "
				"try again");
	log_msg(LOG_LVL_NOTICE, "cman_tool kill: telling node %" PRIu32
		" to leave", id);
	return 0;
}

static const struct ctl_verb verbs[] = {
	{ "expected", v_expected, 1 },
	{ "votes", v_votes, 1 },
	{ "leave", v_leave, 1 },
	{ "kill", v_kill, 1 },
};

const struct part cmand_part = {
	.name = "cman",
	.start = start,
	.confchg = confchg,
	.deliver = deliver,
	.conf = conf_changed,
	.news = news,
	.status = status,
	.counters = counters,
	.verbs = verbs,
	.nverbs = (int)ARRAY_LEN(verbs),
};
