/* rm/svc_eval.c - the service table's evaluation (sans-I/O): what this
 * node starts, stops or moves now, decided alike on every member from
 * the records (rm/svc_table.c), the configuration and the members; and
 * the placement questions of administrators' requests. */
#include "svc_table.h"
#include "svc_int.h"
#include "svc_place.h"

#include "../net/sys.h"
#include "../xml/conf.h"

#include <stdio.h>
#include <string.h>

/* --- evaluation ---------------------------------------------------------------- */
static int member_index(const struct svc_table *t, uint32_t id)
{
	for (int m = 0; m < t->nmembers; m++)
		if (t->members[m] == id)
			return m;
	return -1;
}

static void count_at(struct svc_table *t, int *load, uint8_t *excl,
		     uint32_t node, int i)
{
	int m = member_index(t, node);

	if (m >= 0) {
		load[m]++;
		excl[m] |= (uint8_t)st_cs(t, i)->exclusive;
	}
}

/* Each member's load, counted once for a pass (or a request): counting
 * per placement made a pass quadratic (280 ms of CPU a pass with 1000
 * services: the token was lost).  run: the services the records say run
 * on each member; placed: the same, plus what this pass placed so far
 * (every member counts both alike); inflight: this node's own starts
 * sent, not yet applied (known here only). */
static void count_loads(struct svc_table *t)
{
	memset(t->run, 0, sizeof t->run);
	memset(t->run_excl, 0, sizeof t->run_excl);
	t->inflight = t->inflight_excl = 0;
	for (int i = 0; i < t->ns; i++) {
		const struct svc_rec *r = &t->s[i].rec;
		int runs = st_running(r->state);

		if (!st_cs(t, i))
			continue;
		if (runs)
			count_at(t, t->run, t->run_excl, r->owner, i);
		if (t->s[i].starting_here && !(runs && r->owner == t->me))
			st_inflight(t, i);
	}
	memcpy(t->placed, t->run, sizeof t->placed);
	memcpy(t->placed_excl, t->run_excl, sizeof t->placed_excl);
}

void st_inflight(struct svc_table *t, int i)
{
	t->inflight++;
	t->inflight_excl |= st_cs(t, i)->exclusive;
}

/* A member's load in counts, this node's own starts in flight added:
 * what exclusivity is judged by. */
static int load_in(const struct svc_table *t, const int *load,
		   const uint8_t *excl, uint32_t node, int *exclusive)
{
	int m = member_index(t, node), mine = node == t->me;

	*exclusive = (m >= 0 && excl[m]) || (mine && t->inflight_excl);
	return (m >= 0 ? load[m] : 0) + (mine ? t->inflight : 0);
}

static int load_of(void *ctx, uint32_t node, int *exclusive)
{
	const struct svc_table *t = ctx;

	return load_in(t, t->run, t->run_excl, node, exclusive);
}

/* ...and with what this pass placed. */
static int placed_of(void *ctx, uint32_t node, int *exclusive)
{
	const struct svc_table *t = ctx;

	return load_in(t, t->placed, t->placed_excl, node, exclusive);
}

/* For the choice among equals: what every member knows alike. */
static int spread_of(void *ctx, uint32_t node)
{
	const struct svc_table *t = ctx;
	int m = member_index(t, node);

	return m >= 0 ? t->placed[m] : 0;
}

static void view_of(const struct svc_table *t, int i, struct sp_view *v)
{
	*v = (struct sp_view){ t->members, t->nmembers,
		st_running(t->s[i].rec.state), t->s[i].rec.owner, load_of,
		(void *)t, NULL };
}

/* Where a service stopped to move goes (spec 4.6): its target, when it
 * accepts (its owner, for a restart in place: no domain check); else
 * the best other node; else back where it was; else anywhere. */
static uint32_t moved(const struct svc_table *t, int i,
		      const struct sp_view *v)
{
	const struct svc_rec *r = &t->s[i].rec;
	const struct conf_service *c = st_cs(t, i);
	uint32_t to = r->next;

	if (to == SVC_HOLD)
		return 0;
	if (to == r->last_owner && st_is_member(t, to))
		return to;
	if (to != SVC_ELSEWHERE && st_is_member(t, to) && sp_accepts(c, to, v))
		return to;
	if ((to = sp_best(c, r->last_owner, v)))
		return to;
	if (st_is_member(t, r->last_owner) && sp_accepts(c, r->last_owner, v))
		return r->last_owner;
	return sp_best(c, 0, v);
}

/* Where a service that runs nowhere should start; 0: nowhere. */
static uint32_t target(const struct svc_table *t, int i,
		       const struct sp_view *v, int *recovery)
{
	const struct svc_rec *r = &t->s[i].rec;
	const struct conf_service *c = st_cs(t, i);
	uint32_t best;

	*recovery = 0;
	if (r->state == SVC_STOPPED && r->next)
		return moved(t, i, v);
	if (r->state == SVC_STOPPED)
		return t->s[i].spread_to;
	if (r->state != SVC_RECOVERING)
		return 0;
	if (r->plan == SA_RESTART && st_is_member(t, r->last_owner) &&
	    sp_score(c, r->last_owner, v) != SP_ILLEGAL) {
		*recovery = 1;
		return r->last_owner;
	}
	best = sp_best(c, r->last_owner, v);
	return best ? best : sp_best(c, 0, v);	/* else where it was */
}

/* Service i's dependency (depend=, spec 4.4) runs, or it has none. */
int st_dep_ok(const struct svc_table *t, int i)
{
	const struct conf_service *c = st_cs(t, i);
	char name[ST_NAME];
	int d;

	if (!c || !c->depend)
		return 1;
	if (!c->dep)
		return 0;		/* names nothing: never met */
	snprintf(name, sizeof name, "%s:%s", c->dep->is_vm ? "vm" :
		 "service", c->dep->name ? c->dep->name : "");
	d = st_find(t, name);
	return d >= 0 && t->s[d].rec.state == SVC_STARTED;
}

/* A hard dependent running here whose dependency stopped stops too. */
static int lost_dep(struct svc_table *t, int i)
{
	const struct svc_rec *r = &t->s[i].rec;

	if (r->state != SVC_STARTED || r->owner != t->me || st_dep_ok(t, i) ||
	    st_cs(t, i)->depend_mode == 1)
		return 0;
	st_say(t, LOG_LVL_NOTICE, "%s: its dependency %s stopped: stopping it",
	    t->s[i].name, st_cs(t, i)->depend);
	st_send_event(t, i, SE_STOP, 0, 0);
	return 1;
}

/* The owner corrects a record that says otherwise than its agents:
 * started, but nothing of it runs here (stopped when quorum was lost,
 * or by the clean slate): recovered as after a failed check; a start or
 * a stop whose end was lost with a configuration: reported again (or,
 * not begun here, begun now).  1 when it did something. */
static int not_here(struct svc_table *t, int i)
{
	struct st_svc *s = &t->s[i];
	enum svc_state st = s->rec.state;

	if (s->rec.owner != t->me || s->busy || s->asked)
		return 0;
	if (st == SVC_STARTED && !s->mine) {
		st_say(t, LOG_LVL_NOTICE, "%s is recorded as running here, but "
		    "does not: recovering it", s->name);
		st_send_event(t, i, SE_STATUS_FAILED, 0, 0);
	} else if (st == SVC_STARTING && s->mine) {
		st_send_event(t, i, SE_STARTED, 0, 0);
	} else if ((st == SVC_STOPPING || st == SVC_RECOVERABLE) && !s->mine) {
		st_send_event(t, i, s->stop_failed ? SE_STOP_FAILED : SE_STOPPED,
			   0, 0);
	} else if (st == SVC_STARTING || st == SVC_STOPPING ||
		   st == SVC_RECOVERABLE) {
		st_act_on(t, i);
		return s->busy;
	} else {
		return 0;
	}
	return 1;
}

/* Exclusivity with what this node runs and starts now (a stopped
 * service's place was chosen before this pass started others). */
static int room_here(const struct svc_table *t, int i)
{
	int excl, load = load_of((void *)t, t->me, &excl);

	return st_cs(t, i)->exclusive ? !load : !excl;
}

static void evaluate_one(struct svc_table *t, int i)
{
	const struct svc_rec *r = &t->s[i].rec;
	const struct conf_service *c = st_cs(t, i);
	struct sp_view v;
	int recovery;
	uint32_t to;

	if (!c || t->s[i].busy || t->s[i].asked || r->frozen || t->locked)
		return;
	if (lost_dep(t, i) || not_here(t, i))
		return;
	view_of(t, i, &v);
	if (r->state == SVC_RECOVERING && r->plan == SA_DISABLE) {
		if (t->me == t->members[0])
			st_send_event(t, i, SE_DISABLE, 0, 0);
		return;
	}
	if ((to = target(t, i, &v, &recovery)) == t->me && st_dep_ok(t, i) &&
	    room_here(t, i)) {
		st_send_event(t, i, SE_START, recovery, 0);
		return;
	}
	if (t->joined && r->state == SVC_STARTED && r->owner == t->me &&
	    (to = sp_best(c, 0, &v)) && to != t->me &&
	    sp_score(c, to, &v) > sp_score(c, t->me, &v)) {
		st_say(t, LOG_LVL_NOTICE, "Relocating %s to better node %u",
		    t->s[i].name, to);
		st_send_event(t, i, SE_STOP, 0, 0);
	}
}

/* Where each stopped service starts (an automatic start), decided the
 * same on every member from the shared records alone: of the nodes
 * with the top score the least loaded, counting what this pass placed
 * before it (so services spread; RHCS let the nodes race for them). */
static void place_stopped(struct svc_table *t)
{
	for (int i = 0; i < t->ns; i++) {
		const struct svc_rec *r = &t->s[i].rec;
		struct sp_view v;

		t->s[i].spread_to = 0;
		if (!st_cs(t, i) || r->state != SVC_STOPPED || r->next ||
		    r->frozen || !st_dep_ok(t, i))
			continue;
		view_of(t, i, &v);
		v.load = placed_of;
		v.spread_load = spread_of;
		if ((t->s[i].spread_to = sp_best(st_cs(t, i), 0, &v)))
			count_at(t, t->placed, t->placed_excl,
				 t->s[i].spread_to, i);
	}
}

void st_evaluate(struct svc_table *t)
{
	if (!t->settled || !t->quorate || !st_is_member(t, t->me))
		return;
	st_send_releases(t);	/* (whether or not this node may act) */
	if (t->unlock_due && t->locked && t->me == t->members[0])
		st_lock(t, 0);	/* quorum regained: unlocked */
	t->unlock_due = 0;
	if (!t->ready || t->leaving || t->fence_pending)
		return;
	count_loads(t);
	if (!t->locked)
		place_stopped(t);
	for (int i = 0; i < t->ns; i++)
		evaluate_one(t, i);
	t->joined = 0;		/* failback: when a node joins, not after */
}

/* --- placement, for requests ----------------------------------------------- */
int st_accepts(struct svc_table *t, int i, uint32_t node)
{
	struct sp_view v;

	count_loads(t);
	view_of(t, i, &v);
	return st_cs(t, i) && st_is_member(t, node) &&
	       sp_accepts(st_cs(t, i), node, &v);
}

int st_score(const struct svc_table *t, int i, uint32_t node)
{
	struct sp_view v;

	view_of(t, i, &v);
	return st_cs(t, i) ? sp_score(st_cs(t, i), node, &v) : SP_ILLEGAL;
}

uint32_t st_best(struct svc_table *t, int i, uint32_t except)
{
	struct sp_view v;

	count_loads(t);
	view_of(t, i, &v);
	return st_cs(t, i) ? sp_best(st_cs(t, i), except, &v) : 0;
}
