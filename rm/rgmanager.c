/* rm/rgmanager.c - the rgmanager part: the replicated service table
 * (rm/svc_table.c) on the ordered stream, and its agents here.
 *
 * It feeds the table what the daemon learns: configurations of the
 * ring, quorum (NEWS_QUORATE), fenced nodes (NEWS_FENCED: their services
 * may run elsewhere), a new cluster.conf; after each input the table
 * evaluates and this node starts or stops what it was chosen for
 * (agents/res.c, children of the loop).
 *
 * Clean slate: at start-up, before it offers to run anything, the node
 * stops every configured service's resources here (whatever an earlier
 * run of the daemon left behind), then says so (view->slate,
 * NEWS_SLATE): the fence domain lets such a fresh start stand in for
 * fencing.  A stop that fails leaves the slate unclean: this node must
 * be fenced before its services move, and it starts nothing.
 *
 * Status checks (spec 4.3): every rm status_poll_interval seconds each
 * service started here, not frozen, has its resources checked in start
 * order; a resource's check of depth D is due when its interval passed
 * since the service started, and the deepest due one runs.  A failure
 * is a status failure event: the recovery policy takes over.
 *
 * A clean stop of the daemon stops the services that run here and tells
 * the cluster before the node leaves (this part comes after fenced in
 * the table, so it stops first).
 *
 * clusvcadm is the verbs "svc OP NAME [NODE]" and "rglock", answered
 * once the service got where the request leads ("rg: CODE" with
 * rgmanager's result codes, spec 5.2). */
#include "svc_table.h"
#include "svc_place.h"

#include "../agents/res.h"
#include "../net/loop.h"
#include "../net/part.h"
#include "../net/sys.h"
#include "../xml/conf.h"
#include "../xml/restree.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct part rgmanager_part;

static struct {
	struct view *v;
	struct svc_table t;
	struct res_job *job[ST_MAX];
	/* status checks: the job, when the service started here, the
	 * check before and this one (ms) */
	struct res_job *chk[ST_MAX];
	int64_t since[ST_MAX], prev[ST_MAX], tick[ST_MAX];
	uint8_t checking[ST_MAX];
	/* what runs here: the tree it started with, and its conf (held) */
	const struct conf_service *tree[ST_MAX];
	struct conf *tree_conf[ST_MAX];
	int poll_timer;
	/* the start-up stops still running, and whether one failed */
	int slating, slate_failed;
	struct conf *slate_conf;
	/* the one administrator's request in flight */
	unsigned ticket;
	int req_svc, req_ev, req_want;
	uint32_t req_version, req_target;
	int64_t req_deadline;
	unsigned lock_ticket;
	int lock_want;
	uint64_t starts, stops, failures, checks, check_failures;
	uint64_t failures_at_stop;
	/* messages the ring's queue had no room for, in order */
	struct out_msg *out_head, **out_tail;
	int nout, out_timer;
	int eval_timer;		/* an evaluation is due this turn */
	int slate_timer;	/* the clean slate, on the loop's first turn */
} G;

struct out_msg {
	struct out_msg *next;
	size_t len;
	uint8_t m[];
};

#define OUT_MAX		4096	/* messages waiting for the ring's queue */
#define OUT_RETRY_MS	10

static int quorate(void)
{
	return G.v->quorate && !G.v->behind && !G.v->refused;
}

static struct res_job *job_slot(struct res_job **slot)
{
	if (!*slot)
		*slot = xcalloc(1, sizeof **slot);
	return *slot;
}

/* --- the table's requests ----------------------------------------------------- */
/* Queue the waiting messages while the ring takes them; again soon
 * while some wait. */
static void out_flush(void *ctx)
{
	struct out_msg *m;

	G.out_timer = 0;
	while ((m = G.out_head) &&
	       G.v->send(&rgmanager_part, m->m, m->len) == 0) {
		if (!(G.out_head = m->next))
			G.out_tail = &G.out_head;
		G.nout--;
		free(m);
	}
	if (G.out_head)
		G.out_timer = loop_timer_add(now_ms() + OUT_RETRY_MS,
					     out_flush, NULL);
}

/* The table's messages keep their order: one the ring's queue has no
 * room for waits, and so does every later one. */
static void out_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct out_msg *m;

	if (!G.out_head && G.v->send(&rgmanager_part, msg, len) == 0)
		return;
	if (G.nout == OUT_MAX) {
		log_msg(LOG_LVL_WARN, "services: %d messages wait for the "
			"ring; one more is lost (the next change repeats it)",
			OUT_MAX);
		return;
	}
	m = xmalloc(sizeof *m + len);
	m->next = NULL;
	m->len = len;
	memcpy(m->m, msg, len);
	if (!G.out_head)
		G.out_tail = &G.out_head;
	*G.out_tail = m;
	G.out_tail = &m->next;
	G.nout++;
	if (!G.out_timer)
		G.out_timer = loop_timer_add(now_ms() + OUT_RETRY_MS,
					     out_flush, NULL);
}

/* The tree service i was started with here (held until it stopped),
 * so a stop after a reload stops what runs, not what is configured. */
static void hold_tree(int i, const struct conf_service *s)
{
	if (G.tree[i])
		conf_drop(G.tree_conf[i]);
	G.tree[i] = s;
	G.tree_conf[i] = s ? G.v->conf : NULL;
	if (s)
		conf_hold(G.v->conf);
}

/* What runs (or would run) here as service i: the tree it started
 * with, else the configured one (a vm that migrated here); NULL: gone. */
static const struct conf_service *tree_of(int i)
{
	int k = G.t.s[i].conf;

	return G.tree[i] ? G.tree[i] : k >= 0 ? &G.v->conf->services[k] : NULL;
}

/* A job that ended is freed: a thousand services keep no thousand
 * jobs (0.5 MB) between their starts and stops. */
static void forget_job(int i)
{
	res_free(G.job[i]);
	G.job[i] = NULL;
}

static void job_done(void *ctx, int ok)
{
	int i = (int)(intptr_t)ctx;

	forget_job(i);
	if (!ok)
		G.failures++;
	if (ok && !G.t.s[i].stopping)
		G.since[i] = G.prev[i] = now_ms();
	if (G.t.s[i].stopping || (G.t.s[i].migrating && ok))
		hold_tree(i, NULL);	/* nothing of it runs here now */
	st_done(&G.t, i, ok);
	st_evaluate(&G.t);
}

static void run_job(int i, int stop)
{
	int k = G.t.s[i].conf;
	const struct conf_service *s = NULL;

	if (G.chk[i])
		res_cancel(G.chk[i]);
	G.checking[i] = 0;
	res_cancel(job_slot(&G.job[i]));
	if (!stop && k >= 0)
		hold_tree(i, &G.v->conf->services[k]);
	s = tree_of(i);
	if (!s) {		/* gone, and never started here */
		st_done(&G.t, i, 1);
		return;
	}
	stop ? G.stops++ : G.starts++;
	res_start(G.job[i], s, stop ? RES_STOP : RES_START, NULL, job_done,
		  (void *)(intptr_t)i);
}

static void out_start(void *ctx, int i) { run_job(i, 0); }
static void out_stop(void *ctx, int i) { run_job(i, 1); }

static void out_migrate(void *ctx, int i, uint32_t node)
{
	const struct conf_node *n = conf_nodeid(G.v->conf, (int)node);

	if (G.chk[i])
		res_cancel(G.chk[i]);
	G.checking[i] = 0;
	res_cancel(job_slot(&G.job[i]));
	if (!tree_of(i) || !n || !n->name) {
		st_done(&G.t, i, 0);
		return;
	}
	res_migrate(G.job[i], tree_of(i), n->name, job_done,
		    (void *)(intptr_t)i);
}

static void out_log(void *ctx, int level, const char *text)
{
	log_msg(level, "%s", text);
}

/* --- status checks ------------------------------------------------------------------ */
/* The depth of r's deepest check whose interval ended between the
 * service's check before and this one; -1: none is due. */
static int due(void *ctx, int k, const struct conf_res *r, int *timeout)
{
	int i = (int)(intptr_t)ctx, depth = -1;
	struct rt_check c[RT_CHECKS];
	int n = rt_checks(r, c, RT_CHECKS);
	int64_t was = G.prev[i] - G.since[i], now = G.tick[i] - G.since[i];

	for (int j = 0; j < n; j++) {
		int64_t every = (int64_t)c[j].interval * 1000;

		if (every > 0 && now / every > was / every &&
		    c[j].depth > depth) {
			depth = c[j].depth;
			*timeout = c[j].timeout;
		}
	}
	return depth;
}

static void check_done(void *ctx, int ok)
{
	int i = (int)(intptr_t)ctx;
	char label[160] = "?";

	G.prev[i] = G.tick[i];
	G.checking[i] = 0;
	if (ok)
		return;
	G.check_failures++;
	res_failed_label(G.chk[i], label, sizeof label);
	log_msg(LOG_LVL_ERR, "status of %s failed (%s): recovering it",
		G.t.s[i].name, label);
	st_status_failed(&G.t, i);
	st_evaluate(&G.t);
}

static int checkable(int i)
{
	const struct st_svc *s = &G.t.s[i];

	return s->mine && !s->busy && !s->asked && tree_of(i) &&
	       s->rec.state == SVC_STARTED && s->rec.owner == G.t.me &&
	       !s->rec.frozen && !G.checking[i];
}

static void poll_services(void *ctx)
{
	int every = G.v->conf->rm.status_poll_interval;

	for (int i = 0; i < G.t.ns; i++)
		if (checkable(i) && quorate()) {
			G.tick[i] = now_ms();
			G.checks++;
			G.checking[i] = 1;
			res_start(job_slot(&G.chk[i]), tree_of(i),
				  RES_STATUS, due, check_done,
				  (void *)(intptr_t)i);
		}
	G.poll_timer = loop_timer_add(now_ms() + (every > 0 ? every : 10) *
				      1000LL, poll_services, NULL);
}

/* --- clean slate ---------------------------------------------------------------------- */
/* One stop of the clean slate ended (or the +1: none configured). */
static void slate_end(void)
{
	if (--G.slating)
		return;
	conf_drop(G.slate_conf);
	if (G.slate_failed)
		return;
	log_msg(LOG_LVL_NOTICE, "clean slate: every service is stopped here");
	G.v->slate = 1;
	G.v->post(NEWS_SLATE, 0);
	st_ready(&G.t);
	st_evaluate(&G.t);
}

static void slate_done(void *ctx, int ok)
{
	int k = (int)(intptr_t)ctx;

	forget_job(k);
	if (!ok) {
		G.slate_failed = 1;
		log_msg(LOG_LVL_ERR, "clean slate: %s did not stop here; this "
			"node must be fenced before its services move, and "
			"starts none", G.slate_conf->services[k].name);
	}
	slate_end();
}

/* Stop every configured service's resources here, all at once. */
static void clean_slate(void)
{
	G.slate_timer = 0;
	const struct conf *c = G.v->conf;

	G.slate_conf = G.v->conf;
	conf_hold(G.slate_conf);
	G.slating = c->nservices + 1;
	for (int k = 0; k < c->nservices && k < ST_MAX; k++)
		res_start(job_slot(&G.job[k]), &c->services[k], RES_STOP, NULL,
			  slate_done, (void *)(intptr_t)k);
	slate_end();		/* the +1: none configured */
}

/* --- clusvcadm ------------------------------------------------------------------------ */
/* rgmanager's result codes (spec 5.2) */
enum { RG_OK = 0, RG_FAIL = -1, RG_EABORT = -2, RG_ENOTOWNER = -3,
       RG_ENOSERVICE = -4, RG_EAGAIN = -6, RG_EDEPEND = -7, RG_EINVAL = -8,
       RG_EQUORUM = -9, RG_ERUN = -10, RG_EFROZEN = -11, RG_ENODE = -12,
       RG_EFENCE = -13,
       RG_ERUNNABLE = -15 };

/* What a request waits for once its event is applied. */
enum want { W_STARTED, W_MOVED, W_STOPPED, W_DISABLED, W_APPLIED,
	    W_MIGRATED };

static const struct op {
	const char *name;
	int ev;			/* the event it sends */
	enum want want;
} ops[] = {
	{ "enable", SE_START, W_STARTED },
	{ "disable", SE_DISABLE, W_DISABLED },
	{ "stop", SE_STOP, W_STOPPED },
	{ "freeze", SE_FREEZE, W_APPLIED },
	{ "unfreeze", SE_UNFREEZE, W_APPLIED },
	{ "restart", SE_STOP, W_MOVED },
	{ "relocate", SE_STOP, W_MOVED },
	{ "migrate", SE_MIGRATE, W_MIGRATED },	/* vm only */
};

static void answer(int rg)
{
	char lines[160];
	const struct svc_rec *r = &G.t.s[G.req_svc].rec;
	const struct conf_node *n = conf_nodeid(G.v->conf, (int)r->owner);

	snprintf(lines, sizeof lines, "rg: %d\nowner: %s", rg,
		 n && n->name ? n->name : "none");
	ctl_resume(G.ticket, lines, 0, NULL);
	G.ticket = 0;
}

static int rg_of(int refusal)
{
	static const int map[] = {
		[SR_OK] = RG_OK, [SR_FROZEN] = RG_EFROZEN,
		[SR_FAILED] = RG_EABORT, [SR_RUNNING] = RG_ERUN,
		[SR_INVALID] = RG_EINVAL, [SR_NOT_OWNER] = RG_ENOTOWNER,
	};

	return refusal >= 0 && refusal <= SR_NOT_OWNER ? map[refusal] : RG_FAIL;
}

/* Where the request has led, once applied: 1 done (rg set), 0 not yet. */
static int outcome(const struct svc_rec *r, int *rg)
{
	int ended = r->state == SVC_FAILED || r->state == SVC_DISABLED ||
		    r->state == SVC_RECOVERING;

	*rg = RG_OK;
	switch (G.req_want) {
	case W_APPLIED:
		return 1;
	case W_STARTED:
		*rg = r->state == SVC_STARTED ? RG_OK : RG_FAIL;
		return r->state != SVC_STARTING;
	case W_MOVED:		/* stopped, then started again somewhere */
		if (r->state == SVC_STARTED && r->version >= G.req_version + 3)
			return 1;
		*rg = RG_FAIL;	/* a lock cancels it half-way (spec 4.5) */
		return ended || (G.t.locked && r->state == SVC_STOPPED);
	case W_DISABLED:
		*rg = r->state == SVC_DISABLED ? RG_OK : RG_FAIL;
		return r->state == SVC_DISABLED || r->state == SVC_FAILED;
	case W_MIGRATED:
		*rg = r->owner == G.req_target ? RG_OK : RG_FAIL;
		return r->state != SVC_MIGRATING &&
		       r->version >= G.req_version + 2;
	case W_STOPPED:
		*rg = r->state == SVC_STOPPED ? RG_OK : RG_FAIL;
		return r->state == SVC_STOPPED || r->state == SVC_FAILED;
	}
	return 1;
}

static void check_request(void)
{
	int rg;

	if (G.lock_ticket && G.t.locked == G.lock_want) {
		ctl_resume(G.lock_ticket, G.lock_want ? "locked: 1" :
			   "locked: 0", 0, NULL);
		G.lock_ticket = 0;
	}
	if (G.ticket && !G.t.s[G.req_svc].asked &&
	    outcome(&G.t.s[G.req_svc].rec, &rg))
		answer(rg);
}

static void out_applied(void *ctx, int i, int ev, int rc)
{
	if (G.ticket && i == G.req_svc && ev == G.req_ev && rc != SR_OK)
		answer(rg_of(rc));
}

static int request_fails(struct ctl_req *r, int rg)
{
	ctl_printf(r, "rg: %d", rg);
	return 0;
}

/* A member named name (or "*": the best node for service i); 0: none. */
static uint32_t member_named(const char *name, int i)
{
	const struct conf_node *n;

	if (!strcmp(name, "*"))
		return st_best(&G.t, i, 0);
	n = conf_node(G.v->conf, name);
	if (!n)
		return 0;
	for (int k = 0; k < G.v->nmembers; k++)
		if (G.v->members[k] == (uint32_t)n->nodeid)
			return (uint32_t)n->nodeid;
	return 0;
}

/* The event's target for op on service i, or a refusal (< 0). */
static int64_t target_of(const struct op *o, int i, const char *node)
{
	const struct svc_rec *r = &G.t.s[i].rec;
	uint32_t to = node ? member_named(node, i) : 0;

	if (node && !to)
		return RG_ENODE;
	if (!strcmp(o->name, "stop"))
		return SVC_HOLD;
	if (!strcmp(o->name, "enable") &&
	    st_score(&G.t, i, to ? to : G.t.me) == SP_ILLEGAL)
		return RG_ERUNNABLE;	/* a restricted domain without it */
	if (!strcmp(o->name, "enable"))
		return to;
	if (!strcmp(o->name, "migrate") &&
	    (!to || !G.v->conf->services[G.t.s[i].conf].is_vm ||
	     r->state != SVC_STARTED || to == r->owner ||
	     !st_accepts(&G.t, i, to)))
		return RG_EINVAL;
	if (!strcmp(o->name, "migrate"))
		return to;
	if (strcmp(o->name, "relocate") && strcmp(o->name, "restart"))
		return 0;
	if (r->state != SVC_STARTED && r->state != SVC_STOPPED)
		return RG_EINVAL;
	if (!strcmp(o->name, "restart") && r->state != SVC_STARTED)
		return RG_EINVAL;
	if (!strcmp(o->name, "restart"))
		return r->owner;
	if (to && !st_accepts(&G.t, i, to) &&
	    st_score(&G.t, i, to) != SP_ILLEGAL)
		return RG_EDEPEND;	/* exclusivity */
	return to ? to : SVC_ELSEWHERE;
}

static int busy_request(void)
{
	if (G.ticket && now_ms() > G.req_deadline)
		G.ticket = 0;		/* its client heard "timed out" */
	return G.ticket != 0;
}

/* svc OP NAME [NODE]: enable (here, on NODE, or "*": the best node),
 * disable, stop, freeze, unfreeze, restart, relocate (to NODE, else the
 * best other node), migrate (vm only). */
static int v_svc(void *ctx, struct ctl_req *r)
{
	const struct op *o = NULL;
	int64_t to;
	int i, ev;

	if (r->argc != 3 && r->argc != 4)
		return ctl_fail(r, EXIT_USAGE, "usage: svc OP NAME [NODE]");
	for (size_t k = 0; k < ARRAY_LEN(ops); k++)
		if (!strcmp(ops[k].name, r->argv[1]))
			o = &ops[k];
	if (!o)
		return ctl_fail(r, EXIT_USAGE, "svc: unknown operation %s",
				r->argv[1]);
	if ((i = st_find(&G.t, r->argv[2])) < 0 || G.t.s[i].conf < 0)
		return request_fails(r, RG_ENOSERVICE);
	if (!quorate() || !G.v->member)
		return request_fails(r, RG_EQUORUM);
	if (busy_request() || G.slating || G.t.s[i].busy || G.t.s[i].asked)
		return request_fails(r, RG_EAGAIN);
	if ((to = target_of(o, i, r->argc == 4 ? r->argv[3] : NULL)) < 0)
		return request_fails(r, (int)to);
	ev = o->ev;
	if (o->want == W_MOVED && G.t.s[i].rec.state == SVC_STOPPED) {
		ev = SE_START;		/* a stopped one just starts there */
		to = to == SVC_ELSEWHERE ? st_best(&G.t, i, 0) : to;
	}
	if (ev == SE_START && !st_dep_ok(&G.t, i))
		return request_fails(r, RG_EDEPEND);	/* spec 4.4 */
	if (G.t.locked && o->want == W_MOVED)	/* spec 4.5: cancelled */
		return request_fails(r, RG_FAIL);
	if (ev == SE_START && G.t.locked)
		return request_fails(r, RG_EAGAIN);
	if (ev == SE_START && G.t.fence_pending)
		return request_fails(r, RG_EFENCE);
	G.req_svc = i;
	G.req_ev = ev;
	G.req_want = ev == SE_START ? W_STARTED : o->want;
	G.req_version = G.t.s[i].rec.version;
	G.req_target = (uint32_t)to;
	G.req_deadline = now_ms() + (RES_TIMEOUT_S * 2 + 10) * 1000;
	ctl_defer(r, (RES_TIMEOUT_S * 2 + 10) * 1000, &G.ticket);
	st_request(&G.t, i, (enum svc_event)ev, (uint32_t)to);
	return CTL_DEFERRED;
}

/* rglock lock|unlock|query: clusvcadm -l, -u, -S ("locked: 0|1"). */
static int v_rglock(void *ctx, struct ctl_req *r)
{
	int want;

	if (r->argc != 2 || (strcmp(r->argv[1], "lock") &&
			     strcmp(r->argv[1], "unlock") &&
			     strcmp(r->argv[1], "query")))
		return ctl_fail(r, EXIT_USAGE, "usage: rglock lock|unlock|query");
	if (!strcmp(r->argv[1], "query")) {
		ctl_printf(r, "locked: %d", G.t.locked);
		return 0;
	}
	if (!quorate() || !G.v->member || G.lock_ticket)
		return ctl_fail(r, 1, "the cluster cannot take it now");
	want = !strcmp(r->argv[1], "lock");
	G.lock_want = want;
	ctl_defer(r, PART_ANSWER_MS, &G.lock_ticket);
	st_lock(&G.t, want);
	return CTL_DEFERRED;
}

static void on_slate(void *ctx)
{
	clean_slate();
}

/* --- hooks ------------------------------------------------------------------------ */
static int start(struct view *v, char *err, size_t errlen)
{
	struct st_out out = { .send = out_send, .start = out_start,
			      .stop = out_stop, .migrate = out_migrate,
			      .log = out_log,
			      .applied = out_applied };

	G.v = v;
	st_init(&G.t, &out, v->nodeid);
	st_config(&G.t, v->conf);
	/* on the loop: a daemon that goes to the background forks after
	 * the parts started, and only it hears its agents end */
	G.slating = 1;
	G.slate_timer = loop_timer_add(now_ms(), on_slate, NULL);
	poll_services(NULL);
	return 0;
}

/* A reload (spec 7.4): a service running here whose resources changed
 * restarts in place (the whole service: its stop runs the tree it
 * started with, its start the new one); a removed one stops here (the
 * table's st_config); new ones are placed by evaluation. */
static void conf_changed(void)
{
	st_config(&G.t, G.v->conf);
	for (int i = 0; i < G.t.ns; i++) {
		const struct st_svc *s = &G.t.s[i];

		if (!G.tree[i] || s->conf < 0 || !s->mine || s->busy ||
		    s->asked || rt_same(G.tree[i], &G.v->conf->services[s->conf]))
			continue;
		log_msg(LOG_LVL_NOTICE, "%s: its resources changed: restarting "
			"it here", s->name);
		st_request(&G.t, i, SE_STOP, G.t.me);
	}
	st_evaluate(&G.t);
}

static void confchg(void)
{
	if (!G.v->member)
		return;
	st_confchg(&G.t, G.v->ring, G.v->members, G.v->nmembers);
	st_quorate(&G.t, quorate());
	st_evaluate(&G.t);
}

static void on_evaluate(void *ctx)
{
	G.eval_timer = 0;
	st_evaluate(&G.t);
}

/* The ring delivers a token's worth of messages in one turn: the table
 * is evaluated once after them, not after each (a pass places every
 * service: with 1000 services, a pass per message kept the loop from
 * the token for 100 ms).  Every member evaluates the last state. */
static void deliver(uint32_t from, const uint8_t *body, size_t len)
{
	st_deliver(&G.t, from, body, len, (int64_t)time(NULL));
	if (!G.eval_timer &&
	    (G.eval_timer = loop_timer_add(now_ms(), on_evaluate, NULL)) < 0)
		on_evaluate(NULL);	/* no timer free: now */
	check_request();
}

static void news(int what, uint32_t arg)
{
	if (what == NEWS_TRANSITIONAL)
		st_transitional(&G.t);
	if (what == NEWS_FENCING)
		st_fencing(&G.t, G.v->fence_pending);
	if (what == NEWS_FENCED)
		st_released(&G.t, arg, (int64_t)time(NULL));
	if (what == NEWS_QUORATE || what == NEWS_SETTLED)
		st_quorate(&G.t, quorate());
	st_evaluate(&G.t);
}

static int busy(void)
{
	if (G.slating || G.out_head)
		return 1;
	for (int i = 0; i < G.t.ns; i++)
		if (G.t.s[i].busy || G.t.s[i].asked)
			return 1;
	return 0;
}

static void forget_jobs(struct res_job **jobs)
{
	for (int i = 0; i < ST_MAX; i++) {
		res_free(jobs[i]);
		jobs[i] = NULL;
	}
}

/* A clean stop: what runs here stops, and the cluster hears it, before
 * the node leaves (bounded: an agent's time-out, then 2 s). */
static void stop(void)
{
	int64_t end = now_ms() + (RES_TIMEOUT_S + 2) * 1000;

	loop_timer_cancel(G.poll_timer);
	loop_timer_cancel(G.eval_timer);
	G.eval_timer = 0;
	if (G.slate_timer) {	/* stopped before it began */
		loop_timer_cancel(G.slate_timer);
		G.slate_timer = G.slating = 0;
	}
	forget_jobs(G.chk);
	memset(G.checking, 0, sizeof G.checking);
	G.t.quorate = quorate();
	G.failures_at_stop = G.failures;
	st_leave(&G.t);
	while (busy() && now_ms() < end) {
		loop_once(end - now_ms());
		st_leave(&G.t);	/* a start that ended meanwhile */
	}
	if (busy() || G.failures > G.failures_at_stop) {
		log_msg(LOG_LVL_ERR, "services: %s: resources may still be "
			"held here", busy() ? "not every stop ended in time" :
			"a stop failed");
		G.v->unclean = 1;
	}
	forget_jobs(G.job);
	for (int i = 0; i < ST_MAX; i++)
		hold_tree(i, NULL);
}

/* --- verbs and status ------------------------------------------------------------- */
/* "service: NAME STATE OWNER LAST_OWNER RESTARTS FROZEN TRANSITION" */
static int v_services(void *ctx, struct ctl_req *r)
{
	for (int i = 0; i < G.t.ns; i++) {
		const struct svc_rec *s = &G.t.s[i].rec;

		if (G.t.s[i].conf < 0)
			continue;	/* gone from the configuration */
		ctl_printf(r, "service: %s %s %" PRIu32 " %" PRIu32 " %d %d "
			   "%lld", G.t.s[i].name, svc_state_name(s->state),
			   s->owner, s->last_owner, s->restarts, s->frozen,
			   (long long)s->transition);
	}
	return 0;
}

static void status(struct ctl_req *r)
{
	int here = 0, n = 0;

	for (int i = 0; i < G.t.ns; i++) {
		n += G.t.s[i].conf >= 0;
		here += G.t.s[i].conf >= 0 &&
			G.t.s[i].rec.owner == G.v->nodeid;
	}
	ctl_printf(r, "services: %d", n);
	ctl_printf(r, "services_here: %d", here);
}

static void counters(void (*line)(void *ctx, const char *name, uint64_t v),
		     void *ctx)
{
	line(ctx, "service_starts", G.starts);
	line(ctx, "service_stops", G.stops);
	line(ctx, "service_agent_failures", G.failures);
	line(ctx, "service_checks", G.checks);
	line(ctx, "service_check_failures", G.check_failures);
}

static const struct ctl_verb verbs[] = {
	{ "services", v_services, 0 },
	{ "svc", v_svc, 1 },
	{ "rglock", v_rglock, 1 },
};

const struct part rgmanager_part = {
	.name = "rgmanager",
	.start = start,
	.stop = stop,
	.confchg = confchg,
	.deliver = deliver,
	.conf = conf_changed,
	.news = news,
	.status = status,
	.counters = counters,
	.verbs = verbs,
	.nverbs = (int)ARRAY_LEN(verbs),
};
