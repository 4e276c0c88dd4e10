/* rm/fenced.c - the fenced part: the fence domain on the ordered stream.
 *
 * rm/fence_dom.c decides; this file carries its messages (this part's
 * kind), runs the decider's fencing jobs (agents/fence.c) as children of
 * the loop, keeps the decider's clock, tells the other parts when a
 * victim counts as fenced (NEWS_FENCED: what lets recovery of its
 * services go on), and answers fence_ack_manual and cman_tool nodes -f.
 *
 * A clean stop (SIGTERM, cman_tool leave) sends LEAVING and waits, a
 * bounded time, until it comes back in order, before the ring part
 * stops: the members then know this node is gone cleanly and fence
 * nothing.  This part stops before the ring (it comes after it in the
 * table) and after the services (which come after it). */
#include "fence_dom.h"

#include "../agents/fence.h"
#include "../net/loop.h"
#include "../net/part.h"
#include "../net/sys.h"
#include "../xml/conf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct part fenced_part;

#define JOBS	8		/* victims the decider fences at once */

static struct {
	struct view *v;
	struct fence_dom dom;
	struct fence_job job[JOBS];
	uint32_t job_victim[JOBS];	/* 0: the slot is free */
	int timer;
	unsigned ack_ticket;
	int joined;		/* in a quorate fence domain once */
	uint32_t ack_victim;
	uint64_t attempts, fenced, failed;
} F;

static void rearm(void);

/* --- what the core asks for ------------------------------------------------- */
static void out_send(void *ctx, const uint8_t *msg, size_t len)
{
	if (F.v->send(&fenced_part, msg, len) < 0)
		log_msg(LOG_LVL_WARN, "fencing: the send queue is full; a "
			"message is lost and the next change repeats it");
}

static int slot_of(uint32_t victim)
{
	for (int i = 0; i < JOBS; i++)
		if (F.job_victim[i] == victim)
			return i;
	return -1;
}

static void job_done(void *ctx, int result, const char *by)
{
	int i = (int)(intptr_t)ctx;
	uint32_t victim = F.job_victim[i];

	if (result == FENCE_WAIT_ACK)
		return;		/* in flight until fence_ack_manual */
	F.job_victim[i] = 0;
	if (result == FENCE_FAILED)
		F.failed++;
	fd_result(&F.dom, victim, result == FENCE_OK, by, (int64_t)time(NULL));
	rearm();
}

static void out_run(void *ctx, uint32_t victim)
{
	int i = slot_of(victim) >= 0 ? slot_of(victim) : slot_of(0);

	if (i < 0) {
		log_msg(LOG_LVL_ERR, "fencing: %d victims already being "
			"fenced; node %" PRIu32 " waits", JOBS, victim);
		fd_result(&F.dom, victim, 0, "", (int64_t)time(NULL));
		return;
	}
	fence_stop(&F.job[i]);
	F.job_victim[i] = victim;
	F.attempts++;
	fence_start(&F.job[i], (const struct conf *const *)&F.v->conf,
		    victim, job_done, (void *)(intptr_t)i);
}

static void out_cancel(void *ctx, uint32_t victim)
{
	int i = slot_of(victim);

	if (i >= 0) {
		fence_stop(&F.job[i]);
		F.job_victim[i] = 0;
	}
}

static void out_fenced(void *ctx, uint32_t victim)
{
	F.fenced++;
	if (F.ack_ticket && F.ack_victim == victim) {
		ctl_resume(F.ack_ticket, "done", 0, NULL);
		F.ack_ticket = 0;
	}
	F.v->post(NEWS_FENCED, victim);
}

static void out_log(void *ctx, int level, const char *text)
{
	log_msg(level, "%s", text);
}

static const char *out_name(void *ctx, uint32_t id)
{
	const struct conf_node *n = conf_nodeid(F.v->conf, (int)id);
	static char unknown[24];

	if (n && n->name)
		return n->name;
	snprintf(unknown, sizeof unknown, "Node%" PRIu32, id);
	return unknown;
}

/* --- the clock -------------------------------------------------------------- */
static void on_timer(void *ctx)
{
	F.timer = 0;
	rearm();
}

static void rearm(void)
{
	int64_t next = fd_tick(&F.dom, now_ms());

	if (!F.joined && fd_joined(&F.dom)) {
		F.joined = 1;
		log_msg(LOG_LVL_NOTICE, "fencing: this node is in the fence "
			"domain (decider: node %" PRIu32 ")",
			fd_decider(&F.dom));
		F.v->post(NEWS_FENCE_JOINED, 0);
	}
	loop_timer_cancel(F.timer);
	F.timer = next == INT64_MAX ? 0 : loop_timer_add(next, on_timer, NULL);
	if (fd_npending(&F.dom) != F.v->fence_pending) {
		F.v->fence_pending = fd_npending(&F.dom);
		F.v->post(NEWS_FENCING, (uint32_t)F.v->fence_pending);
	}
}

/* --- hooks ------------------------------------------------------------------ */
/* No fencing without quorum, nor on a node behind the cluster's
 * configuration or refused for its node id. */
static int quorate(void)
{
	return F.v->quorate && !F.v->behind && !F.v->refused;
}

/* two_node: each half of a split is quorate and would fence the other;
 * the node with the higher id waits <fence_daemon delay> (5 s) longer,
 * so the lower one wins.  (With services, the node that runs them will
 * be the one that waits less.) */
static int two_node_delay(const uint32_t *ids, int n)
{
	uint32_t low = F.v->nodeid;

	if (!F.v->conf->cman.two_node)
		return 0;
	for (int i = 0; i < n; i++)
		low = ids[i] < low ? ids[i] : low;
	return F.v->nodeid == low ? 0 : F.v->conf->fenced.delay;
}

static void configure(void)
{
	const struct conf *c = F.v->conf;
	uint32_t ids[FD_MAX];
	int n = 0;

	for (int i = 0; i < c->nnodes && n < FD_MAX; i++)
		if (c->nodes[i].nodeid > 0)
			ids[n++] = (uint32_t)c->nodes[i].nodeid;
	fd_config(&F.dom, ids, n, c->fenced.post_fail_delay,
		  c->fenced.post_join_delay, c->fenced.clean_start,
		  two_node_delay(ids, n));
}

static int start(struct view *v, char *err, size_t errlen)
{
	struct fd_out out = { .send = out_send, .run = out_run,
		.cancel = out_cancel, .fenced = out_fenced, .log = out_log,
		.name = out_name };

	F.v = v;
	fd_init(&F.dom, &out, v->nodeid, v->incarnation);
	configure();
	return 0;
}

static void confchg(void)
{
	if (!F.v->member)
		return;
	/* slate: rgmanager stopped every service here since this start */
	fd_confchg(&F.dom, F.v->ring, F.v->members, F.v->nmembers,
		   F.v->slate, now_ms());
	fd_quorate(&F.dom, quorate(), now_ms());
	rearm();
}

static void deliver(uint32_t from, const uint8_t *body, size_t len)
{
	fd_deliver(&F.dom, from, body, len, now_ms(), (int64_t)time(NULL));
	rearm();
}

static void news(int what, uint32_t arg)
{
	if (what == NEWS_SLATE && F.v->member)
		fd_slate(&F.dom);
	if (what != NEWS_QUORATE && what != NEWS_SETTLED)
		return;
	fd_quorate(&F.dom, quorate(), now_ms());
	rearm();
}

/* A clean stop: LEAVING in order before the ring is left (bounded). */
static void stop(void)
{
	int64_t end = now_ms() + 2000;

	for (int i = 0; i < JOBS; i++)
		out_cancel(NULL, F.job_victim[i]);
	loop_timer_cancel(F.timer);
	F.timer = 0;
	if (!F.v->member)
		return;
	if (F.v->unclean) {
		log_msg(LOG_LVL_ERR, "fencing: a service did not stop here: "
			"leaving without a clean leave, so that the members "
			"fence this node before they take its services over");
		return;
	}
	fd_leaving(&F.dom);
	while (!fd_left(&F.dom) && now_ms() < end)
		loop_once(end - now_ms());
	if (!fd_left(&F.dom))
		log_msg(LOG_LVL_WARN, "fencing: the members did not confirm "
			"the clean leave in time; they may fence this node");
}

/* --- verbs and status --------------------------------------------------------- */
/* "fence: ID PENDING FENCED_AT BY" for every node the domain knows. */
static int v_fencing(void *ctx, struct ctl_req *r)
{
	for (int i = 0; i < F.dom.nn; i++) {
		const struct fd_node *n = &F.dom.n[i];

		ctl_printf(r, "fence: %" PRIu32 " %d %lld %s", n->id,
			   fd_pending(&F.dom, n->id), (long long)n->fenced_at,
			   n->by[0] ? n->by : "-");
	}
	return 0;
}

static uint32_t node_id(const char *name)
{
	const struct conf_node *n = conf_node(F.v->conf, name);
	long id;

	if (n)
		return (uint32_t)n->nodeid;
	return parse_int(name, 1, CONF_MAX_NODEID, &id) < 0 ? 0 : (uint32_t)id;
}

/* fence_ack_manual NODE, fence_done NODE AGENT (fence_node did it):
 * answered once applied in order. */
static int v_fence_ack(void *ctx, struct ctl_req *r)
{
	int done = !strcmp(r->argv[0], "fence_done");
	uint32_t id;

	if (r->argc != 2 + done)
		return ctl_fail(r, EXIT_USAGE, "usage: %s NODE%s", r->argv[0],
				done ? " AGENT" : "");
	if (!(id = node_id(r->argv[1])))
		return ctl_fail(r, EXIT_REFUSED, "node %s is not in the "
				"configuration", r->argv[1]);
	if (!fd_pending(&F.dom, id))
		return ctl_fail(r, EXIT_REFUSED, "node %s is not waiting to "
				"be fenced", r->argv[1]);
	if (F.ack_ticket)
		return ctl_fail(r, EXIT_REFUSED, "another acknowledgement is "
				"on its way; try again");
	F.ack_victim = id;
	ctl_defer(r, PART_ANSWER_MS, &F.ack_ticket);
	fd_ack(&F.dom, id, done ? r->argv[2] : "fence_manual",
	       (int64_t)time(NULL));
	return CTL_DEFERRED;
}

static void status(struct ctl_req *r)
{
	int pending = 0;

	for (int i = 0; i < F.dom.nn; i++)
		pending += fd_pending(&F.dom, F.dom.n[i].id);
	ctl_printf(r, "fence_decider: %" PRIu32, fd_decider(&F.dom));
	ctl_printf(r, "fence_pending: %d", pending);
}

static void counters(void (*line)(void *ctx, const char *name, uint64_t v),
		     void *ctx)
{
	line(ctx, "fence_attempts", F.attempts);
	line(ctx, "fence_fenced", F.fenced);
	line(ctx, "fence_failed", F.failed);
}

static const struct ctl_verb verbs[] = {
	{ "fencing", v_fencing, 0 },
	{ "fence_ack", v_fence_ack, 1 },
	{ "fence_done", v_fence_ack, 1 },
};

const struct part fenced_part = {
	.name = "fenced",
	.start = start,
	.stop = stop,
	.confchg = confchg,
	.deliver = deliver,
	.conf = configure,
	.news = news,
	.status = status,
	.counters = counters,
	.verbs = verbs,
	.nverbs = (int)ARRAY_LEN(verbs),
};
