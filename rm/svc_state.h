/* rm/svc_state.h - one service's record and its transitions (spec 4.1,
 * 4.2, 4.3), sans-I/O: the resource manager changes a record only by
 * applying an ordered message through svc_apply, so every member holds
 * the same record. */
#ifndef SVC_STATE_H
#define SVC_STATE_H

#include <stdint.h>

struct conf_service;

/* The states, with rgmanager's codes (clustat -x, clustat -s exit). */
enum svc_state {
	SVC_STOPPED = 110, SVC_STARTING, SVC_STARTED, SVC_STOPPING,
	SVC_FAILED, SVC_UNINITIALIZED, SVC_CHECKING, SVC_RECOVERABLE,
	SVC_RECOVERING, SVC_DISABLED, SVC_MIGRATING,
};
#define SVC_FIRST	SVC_STOPPED
#define SVC_NSTATES	(SVC_MIGRATING - SVC_STOPPED + 1)

/* What happens to a service; each is an ordered message's meaning. */
enum svc_event {
	SE_START,	/* node begins a start (evaluation, enable, takeover,
			 * recovery or relocation) */
	SE_STARTED,	/* its agents all started */
	SE_START_FAILED,	/* one did not: it stops for recovery */
	SE_STOP,	/* the owner begins a stop (clusvcadm -s, relocate) */
	SE_DISABLE,	/* clusvcadm -d */
	SE_STOPPED,	/* the stop's agents all stopped */
	SE_STOP_FAILED,	/* one did not: resources may still be held */
	SE_STATUS_FAILED,	/* a status check failed on the owner */
	SE_OWNER_GONE,	/* its owner left and is fenced (or stopped it
			 * cleanly): nobody runs it */
	SE_FREEZE, SE_UNFREEZE,
	SE_MIGRATE,	/* clusvcadm -M (vm): the owner moves it live to
			 * next */
	SE_MIGRATED,	/* the owner's agent moved it: next owns it */
	SE_MIGRATE_FAILED,	/* it did not: it runs where it ran */
	SE_NEVENTS
};

/* Why svc_apply refused (spec 4.2's "advise" rules). */
enum svc_refusal {
	SR_OK, SR_FROZEN, SR_FAILED, SR_RUNNING, SR_INVALID, SR_NOT_OWNER,
};

#define SVC_MAX_RESTARTS	16	/* restart times kept per service
					 * (max_restarts above: 16) */

struct svc_rec {
	enum svc_state state;
	uint32_t owner, last_owner;
	int restarts;			/* since the last start that was not
					 * a recovery restart */
	int64_t transition;		/* wall seconds of the last change */
	int frozen;
	enum svc_state stop_to;		/* where a stop under way ends */
	int plan;			/* recovering: its svc_action, decided
					 * once, as it became recovering */
	/* local restarts inside restart_expire_time (wall seconds) */
	int64_t restart_at[SVC_MAX_RESTARTS];
	int nrestart;
	uint32_t version;		/* transitions applied */
	int start_fails;		/* starts that failed in a row */
	/* where it goes once stopped (set with the stop that leads
	 * there, cleared by the next start): 0 where evaluation puts
	 * it, a node id (relocation's target, or its owner for a
	 * restart in place), or one of: */
	uint32_t next;
};
#define SVC_HOLD	0xffffffffu	/* nowhere until the membership
					 * changes (clusvcadm -s) */
#define SVC_ELSEWHERE	0xfffffffeu	/* the best other node (-r) */

/* A new record: stopped, nobody, never. */
void svc_init(struct svc_rec *r);

/* Apply event from node (what "node" means: SE_START the node that
 * starts; the others the node that reports, which must be the owner
 * where the event is the owner's).  recovery: SE_START is a restart for
 * recovery (restarts + 1).  SR_OK when the record changed. */
int svc_apply(struct svc_rec *r, enum svc_event ev, uint32_t node,
	      int recovery, int64_t wall);

/* After a status failure or a failed start: what the service's recovery
 * policy says (spec 4.3), counting this restart against max_restarts
 * inside restart_expire_time.  A failed start is not retried where it
 * failed: the service relocates, and after SVC_START_TRIES failed
 * starts in a row it is disabled (RHCS ended such a service stopped). */
#define SVC_START_TRIES	3
enum svc_action { SA_RESTART, SA_RELOCATE, SA_DISABLE };
enum svc_action svc_recovery(struct svc_rec *r,
			     const struct conf_service *s, int64_t wall);

/* "stopped", "started", ... as clustat prints them; "?" otherwise. */
const char *svc_state_name(enum svc_state st);
/* The text of a refusal, as clusvcadm says it. */
const char *svc_refusal_text(enum svc_refusal why);

#endif
