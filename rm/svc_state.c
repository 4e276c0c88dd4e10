/* rm/svc_state.c - one service's record and its transitions (spec 4.1 to
 * 4.3), as a state x event table of small actions.
 *
 * A missing entry is a refusal: SR_RUNNING for a start on a service that
 * runs, SR_INVALID otherwise.  Rules before any entry: a frozen service
 * is only unfrozen (spec 4.5); a failed one only disabled (or its owner
 * gone).  Events the owner reports (started, stopped, a failure) count
 * only from the owner.  A stop remembers where it ends: stopped,
 * disabled, or recovering (a stop for recovery after a failure). */
#include "svc_state.h"

#include "../xml/conf.h"

#include <string.h>

typedef int act(struct svc_rec *r, uint32_t node, int recovery);

static int begin_start(struct svc_rec *r, uint32_t node, int recovery)
{
	if (r->state == SVC_DISABLED)
		r->start_fails = 0;	/* enabled again: tries anew */
	r->state = SVC_STARTING;
	r->owner = node;
	r->next = 0;
	r->restarts = recovery ? r->restarts + 1 : 0;
	return SR_OK;
}

static int now_started(struct svc_rec *r, uint32_t node, int recovery)
{
	r->start_fails = 0;
	r->state = SVC_STARTED;
	return SR_OK;
}

static int stop_for_recovery(struct svc_rec *r, uint32_t node, int recovery)
{
	if (r->state == SVC_STARTING)
		r->start_fails++;
	r->state = SVC_RECOVERABLE;
	return SR_OK;
}

static int begin_stop(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = SVC_STOPPING;
	r->stop_to = SVC_STOPPED;
	return SR_OK;
}

static int begin_disable(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = SVC_STOPPING;
	r->stop_to = SVC_DISABLED;
	return SR_OK;
}

/* Nothing runs: disabled at once (a failed one too: spec 4.2, "some
 * resources may still be allocated"). */
static int now_disabled(struct svc_rec *r, uint32_t node, int recovery)
{
	if (r->owner)
		r->last_owner = r->owner;
	r->state = SVC_DISABLED;
	r->owner = 0;
	r->next = 0;
	return SR_OK;
}

static int still(struct svc_rec *r, uint32_t node, int recovery)
{
	return SR_OK;		/* stop of a stopped service: success */
}

static int now_stopped(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = r->stop_to ? r->stop_to : SVC_STOPPED;
	r->last_owner = r->owner;
	r->owner = 0;
	return SR_OK;
}

static int now_recovering(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = SVC_RECOVERING;
	r->last_owner = r->owner;
	r->owner = 0;
	return SR_OK;
}

static int now_failed(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = SVC_FAILED;
	return SR_OK;
}

/* Its owner is gone and fenced (or stopped it cleanly): it runs nowhere;
 * a stop that was under way ends where it was going.  One that was
 * migrating may run on its target already: it starts there first (next
 * stays; a start of a running one succeeds). */
static int orphaned(struct svc_rec *r, uint32_t node, int recovery)
{
	int to = r->state == SVC_STOPPING && r->stop_to ? r->stop_to :
		 SVC_STOPPED;

	if (r->state != SVC_MIGRATING)
		r->next = 0;
	r->state = to;
	r->last_owner = r->owner;
	r->owner = 0;
	return SR_OK;
}

static int begin_migrate(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = SVC_MIGRATING;
	return SR_OK;
}

static int migrated(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = SVC_STARTED;
	r->last_owner = r->owner;
	r->owner = r->next;
	r->next = 0;
	return SR_OK;
}

static int not_migrated(struct svc_rec *r, uint32_t node, int recovery)
{
	r->state = SVC_STARTED;
	r->next = 0;
	return SR_OK;
}

static int freeze(struct svc_rec *r, uint32_t node, int recovery)
{
	r->frozen = 1;
	return SR_OK;
}

#define S(st) [(st) - SVC_FIRST]
static act *const on[SVC_NSTATES][SE_NEVENTS] = {
	S(SVC_STOPPED) = { [SE_START] = begin_start, [SE_STOP] = still,
		[SE_DISABLE] = now_disabled, [SE_FREEZE] = freeze },
	S(SVC_UNINITIALIZED) = { [SE_START] = begin_start,
		[SE_DISABLE] = now_disabled },
	S(SVC_DISABLED) = { [SE_START] = begin_start, [SE_STOP] = still,
		[SE_DISABLE] = still, [SE_FREEZE] = freeze },
	S(SVC_RECOVERING) = { [SE_START] = begin_start, [SE_STOP] = still,
		[SE_DISABLE] = now_disabled },
	S(SVC_STARTING) = { [SE_STARTED] = now_started,
		[SE_START_FAILED] = stop_for_recovery, [SE_STOP] = begin_stop,
		[SE_DISABLE] = begin_disable, [SE_OWNER_GONE] = orphaned },
	S(SVC_STARTED) = { [SE_STOP] = begin_stop,
		[SE_DISABLE] = begin_disable,
		[SE_STATUS_FAILED] = stop_for_recovery,
		[SE_OWNER_GONE] = orphaned, [SE_FREEZE] = freeze,
		[SE_MIGRATE] = begin_migrate },
	S(SVC_STOPPING) = { [SE_STOPPED] = now_stopped,
		[SE_STOP_FAILED] = now_failed, [SE_DISABLE] = begin_disable,
		[SE_OWNER_GONE] = orphaned },
	S(SVC_RECOVERABLE) = { [SE_STOPPED] = now_recovering,
		[SE_STOP_FAILED] = now_failed, [SE_OWNER_GONE] = orphaned },
	S(SVC_MIGRATING) = { [SE_MIGRATED] = migrated,
		[SE_MIGRATE_FAILED] = not_migrated,
		[SE_OWNER_GONE] = orphaned },
	S(SVC_FAILED) = { [SE_DISABLE] = now_disabled },
};

/* Events only the owner reports. */
static int owners(enum svc_event ev)
{
	return ev == SE_STARTED || ev == SE_START_FAILED ||
	       ev == SE_STOPPED || ev == SE_STOP_FAILED ||
	       ev == SE_STATUS_FAILED || ev == SE_OWNER_GONE ||
	       ev == SE_MIGRATED || ev == SE_MIGRATE_FAILED;
}

static int running(enum svc_state st)
{
	return st == SVC_STARTING || st == SVC_STARTED ||
	       st == SVC_STOPPING || st == SVC_RECOVERABLE ||
	       st == SVC_MIGRATING;
}

int svc_apply(struct svc_rec *r, enum svc_event ev, uint32_t node,
	      int recovery, int64_t wall)
{
	act *fn;
	int rc;

	if (r->state < SVC_FIRST || r->state >= SVC_FIRST + SVC_NSTATES ||
	    ev < 0 || ev >= SE_NEVENTS)
		return SR_INVALID;
	if (ev == SE_UNFREEZE) {
		r->frozen = 0;
		return SR_OK;
	}
	if (r->frozen && ev != SE_OWNER_GONE)
		return SR_FROZEN;
	if (owners(ev) && node != r->owner)
		return SR_NOT_OWNER;
	fn = on[r->state - SVC_FIRST][ev];
	if (!fn)
		return r->state == SVC_FAILED && ev != SE_FREEZE ? SR_FAILED :
		       ev == SE_START && running(r->state) ? SR_RUNNING :
		       SR_INVALID;
	if ((rc = fn(r, node, recovery)) == SR_OK && fn != still) {
		r->transition = wall;
		r->version++;
	}
	return rc;
}

/* --- recovery policy -------------------------------------------------------- */
/* Forget restarts older than expire seconds (0: never). */
static void expire(struct svc_rec *r, int expire_s, int64_t wall)
{
	int k = 0;

	for (int i = 0; i < r->nrestart; i++)
		if (!expire_s || wall - r->restart_at[i] < expire_s)
			r->restart_at[k++] = r->restart_at[i];
	r->nrestart = k;
}

/* One more local restart fits under max_restarts (counted); 0 when the
 * threshold is passed (the count starts again). */
static int restart_fits(struct svc_rec *r, const struct conf_service *s,
			int64_t wall)
{
	if (s->max_restarts <= 0)
		return 1;
	expire(r, s->restart_expire_time, wall);
	if (r->nrestart >= s->max_restarts ||
	    r->nrestart >= SVC_MAX_RESTARTS) {
		r->nrestart = 0;
		return 0;
	}
	r->restart_at[r->nrestart++] = wall;
	return 1;
}

enum svc_action svc_recovery(struct svc_rec *r,
			     const struct conf_service *s, int64_t wall)
{
	if (r->start_fails >= SVC_START_TRIES)
		return SA_DISABLE;
	if (r->start_fails)
		return SA_RELOCATE;
	switch (s->recovery) {
	case CONF_RELOCATE:
		return SA_RELOCATE;
	case CONF_DISABLE:
		return SA_DISABLE;
	case CONF_RESTART_DISABLE:
		return restart_fits(r, s, wall) ? SA_RESTART : SA_DISABLE;
	default:
		return restart_fits(r, s, wall) ? SA_RESTART : SA_RELOCATE;
	}
}

/* --- names -------------------------------------------------------------------- */
const char *svc_state_name(enum svc_state st)
{
	static const char *const names[SVC_NSTATES] = {
		"stopped", "starting", "started", "stopping", "failed",
		"uninitialized", "checking", "recoverable", "recovering",
		"disabled", "migrating",
	};

	if (st < SVC_FIRST || st >= SVC_FIRST + SVC_NSTATES)
		return "?";
	return names[st - SVC_FIRST];
}

const char *svc_refusal_text(enum svc_refusal why)
{
	static const char *const text[] = {
		[SR_OK] = "Success", [SR_FROZEN] = "Service is frozen",
		[SR_FAILED] = "Service has failed; disable it first",
		[SR_RUNNING] = "Service is already running",
		[SR_INVALID] = "Invalid operation for resource",
		[SR_NOT_OWNER] = "Not the owner of the service",
	};

	return why >= SR_OK && why <= SR_NOT_OWNER ? text[why] : "?";
}

void svc_init(struct svc_rec *r)
{
	memset(r, 0, sizeof *r);
	r->state = SVC_STOPPED;
}
