/* rm/rgmanager.c - the rgmanager part: the replicated service table
 * (rm/svc_table.c) on the ordered stream, and its agents here.
 *
 * It feeds the table what the daemon learns: configurations of the
 * ring, quorum (NEWS_QUORATE), fenced nodes (NEWS_FENCED: their services
 * may run elsewhere), a new cluster.conf; after each input the table
 * evaluates and this node starts or stops what it was chosen for
 * (agents/res.c, children of the loop).  A clean stop of the daemon
 * stops the services that run here and tells the cluster before the
 * node leaves (this part comes after fenced in the table, so it stops
 * first).
 *
 * clusvcadm's enable (here), disable, stop, freeze and unfreeze are the
 * verb "svc OP NAME", answered once the service got where the request
 * leads ("rg: CODE" with rgmanager's result codes, spec 5.2).
 *
 * Not yet here: status checks, relocation and restart on request, locks,
 * the start-up stop of every service (clean slate). */
#include "svc_table.h"

#include "../agents/res.h"
#include "../net/loop.h"
#include "../net/part.h"
#include "../net/sys.h"
#include "../xml/conf.h"

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
	/* the one administrator's request in flight */
	unsigned ticket;
	int req_svc, req_ev;
	uint64_t starts, stops, failures;
} G;

static int quorate(void)
{
	return G.v->quorate && !G.v->behind && !G.v->refused;
}

/* --- the table's requests ----------------------------------------------------- */
static void out_send(void *ctx, const uint8_t *msg, size_t len)
{
	if (G.v->send(&rgmanager_part, msg, len) < 0)
		log_msg(LOG_LVL_WARN, "services: the send queue is full; an "
			"event is lost (the next change repeats it)");
}

static void job_done(void *ctx, int ok)
{
	int i = (int)(intptr_t)ctx;

	if (!ok)
		G.failures++;
	st_done(&G.t, i, ok);
	st_evaluate(&G.t);
}

static void run_job(int i, int stop)
{
	int k = G.t.s[i].conf;

	if (!G.job[i])
		G.job[i] = xcalloc(1, sizeof *G.job[i]);
	res_cancel(G.job[i]);
	if (k < 0) {		/* removed from the configuration */
		log_msg(LOG_LVL_WARN, "%s is no longer configured: its "
			"resources are left as they are", G.t.s[i].name);
		st_done(&G.t, i, 1);
		return;
	}
	stop ? G.stops++ : G.starts++;
	res_start(G.job[i], &G.v->conf->services[k], stop ? RES_STOP :
		  RES_START, NULL, job_done,
		  (void *)(intptr_t)i);
}

static void out_start(void *ctx, int i) { run_job(i, 0); }
static void out_stop(void *ctx, int i) { run_job(i, 1); }

static void out_log(void *ctx, int level, const char *text)
{
	log_msg(level, "%s", text);
}

/* --- clusvcadm ------------------------------------------------------------------------ */
/* rgmanager's result codes (spec 5.2) */
enum { RG_OK = 0, RG_FAIL = -1, RG_EABORT = -2, RG_ENOTOWNER = -3,
       RG_ENOSERVICE = -4, RG_EAGAIN = -6, RG_EINVAL = -8,
       RG_EQUORUM = -9, RG_ERUN = -10, RG_EFROZEN = -11,
       RG_ERUNNABLE = -15 };

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

/* Where the request has led, once it was applied: done or not yet. */
static void check_request(void)
{
	const struct svc_rec *r;

	if (!G.ticket || G.t.s[G.req_svc].asked)
		return;
	r = &G.t.s[G.req_svc].rec;
	if (G.req_ev == SE_FREEZE || G.req_ev == SE_UNFREEZE)
		answer(RG_OK);
	else if (G.req_ev == SE_START && r->state == SVC_STARTED)
		answer(RG_OK);
	else if (G.req_ev == SE_START && r->state != SVC_STARTING)
		answer(RG_FAIL);
	else if (G.req_ev == SE_DISABLE && r->state == SVC_DISABLED)
		answer(RG_OK);
	else if (G.req_ev == SE_STOP && r->state == SVC_STOPPED)
		answer(RG_OK);
	else if (G.req_ev != SE_START && r->state == SVC_FAILED)
		answer(RG_FAIL);
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

/* svc OP NAME: enable (here), disable, stop, freeze, unfreeze. */
static int v_svc(void *ctx, struct ctl_req *r)
{
	static const struct { const char *op; int ev; } ops[] = {
		{ "enable", SE_START }, { "disable", SE_DISABLE },
		{ "stop", SE_STOP }, { "freeze", SE_FREEZE },
		{ "unfreeze", SE_UNFREEZE },
	};
	int ev = -1, i;

	if (r->argc != 3)
		return ctl_fail(r, EXIT_USAGE, "usage: svc OP NAME");
	for (size_t k = 0; k < ARRAY_LEN(ops); k++)
		if (!strcmp(ops[k].op, r->argv[1]))
			ev = ops[k].ev;
	if (ev < 0)
		return ctl_fail(r, EXIT_USAGE, "svc: unknown operation %s",
				r->argv[1]);
	if ((i = st_find(&G.t, r->argv[2])) < 0 || G.t.s[i].conf < 0)
		return request_fails(r, RG_ENOSERVICE);
	if (!quorate() || !G.v->member)
		return request_fails(r, RG_EQUORUM);
	if (G.ticket || G.t.s[i].busy || G.t.s[i].asked)
		return request_fails(r, RG_EAGAIN);
	G.req_svc = i;
	G.req_ev = ev;
	ctl_defer(r, (RES_TIMEOUT_S + 10) * 1000, &G.ticket);
	st_request(&G.t, i, (enum svc_event)ev, 0);
	return CTL_DEFERRED;
}

/* --- hooks ------------------------------------------------------------------------ */
static int start(struct view *v, char *err, size_t errlen)
{
	struct st_out out = { .send = out_send, .start = out_start,
			      .stop = out_stop, .log = out_log,
			      .applied = out_applied };

	G.v = v;
	st_init(&G.t, &out, v->nodeid);
	st_config(&G.t, v->conf);
	return 0;
}

static void conf_changed(void)
{
	st_config(&G.t, G.v->conf);
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

static void deliver(uint32_t from, const uint8_t *body, size_t len)
{
	st_deliver(&G.t, from, body, len, (int64_t)time(NULL));
	st_evaluate(&G.t);
	check_request();
}

static void news(int what, uint32_t arg)
{
	if (what == NEWS_FENCED)
		st_released(&G.t, arg, (int64_t)time(NULL));
	if (what == NEWS_QUORATE || what == NEWS_SETTLED)
		st_quorate(&G.t, quorate());
	st_evaluate(&G.t);
}

static int busy(void)
{
	for (int i = 0; i < G.t.ns; i++)
		if (G.t.s[i].busy || G.t.s[i].asked)
			return 1;
	return 0;
}

/* A clean stop: what runs here stops, and the cluster hears it, before
 * the node leaves (bounded: an agent's time-out, then 2 s). */
static void stop(void)
{
	int64_t end = now_ms() + (RES_TIMEOUT_S + 2) * 1000;

	G.t.quorate = quorate();
	for (int i = 0; i < G.t.ns; i++)
		if (G.t.s[i].mine && !G.t.s[i].busy) {
			G.t.s[i].busy = G.t.s[i].stopping = 1;
			run_job(i, 1);
		}
	while (busy() && now_ms() < end)
		loop_once(end - now_ms());
	if (busy())
		log_msg(LOG_LVL_WARN, "services: not every stop ended in time");
	for (int i = 0; i < G.t.ns; i++)
		if (G.job[i]) {
			res_cancel(G.job[i]);
			free(G.job[i]);
			G.job[i] = NULL;
		}
}

/* --- verbs and status ------------------------------------------------------------- */
/* "service: NAME STATE OWNER LAST_OWNER RESTARTS FROZEN TRANSITION" */
static int v_services(void *ctx, struct ctl_req *r)
{
	for (int i = 0; i < G.t.ns; i++) {
		const struct svc_rec *s = &G.t.s[i].rec;

		ctl_printf(r, "service: %s %s %" PRIu32 " %" PRIu32 " %d %d "
			   "%lld", G.t.s[i].name, svc_state_name(s->state),
			   s->owner, s->last_owner, s->restarts, s->frozen,
			   (long long)s->transition);
	}
	return 0;
}

static void status(struct ctl_req *r)
{
	int here = 0;

	for (int i = 0; i < G.t.ns; i++)
		here += G.t.s[i].rec.owner == G.v->nodeid;
	ctl_printf(r, "services: %d", G.t.ns);
	ctl_printf(r, "services_here: %d", here);
}

static void counters(void (*line)(void *ctx, const char *name, uint64_t v),
		     void *ctx)
{
	line(ctx, "service_starts", G.starts);
	line(ctx, "service_stops", G.stops);
	line(ctx, "service_agent_failures", G.failures);
}

static const struct ctl_verb verbs[] = {
	{ "services", v_services, 0 },
	{ "svc", v_svc, 1 },
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
