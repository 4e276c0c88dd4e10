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
 * Not yet here: status checks, clusvcadm's requests, the start-up stop
 * of every service (clean slate) and relocation on request. */
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
	int sent;			/* events sent since the last check */
	uint64_t starts, stops, failures;
} G;

static int quorate(void)
{
	return G.v->quorate && !G.v->behind && !G.v->refused;
}

/* --- the table's requests ----------------------------------------------------- */
static void out_send(void *ctx, const uint8_t *msg, size_t len)
{
	G.sent++;
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
	res_start(G.job[i], &G.v->conf->services[k], stop, job_done,
		  (void *)(intptr_t)i);
}

static void out_start(void *ctx, int i) { run_job(i, 0); }
static void out_stop(void *ctx, int i) { run_job(i, 1); }

static void out_log(void *ctx, int level, const char *text)
{
	log_msg(level, "%s", text);
}

/* --- hooks ------------------------------------------------------------------------ */
static int start(struct view *v, char *err, size_t errlen)
{
	struct st_out out = { .send = out_send, .start = out_start,
			      .stop = out_stop, .log = out_log };

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
