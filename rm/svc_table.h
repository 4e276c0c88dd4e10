/* rm/svc_table.h - the replicated service table (sans-I/O): every
 * service's record, changed only by ordered messages built and applied
 * here, and the evaluation that decides what this node does.  The I/O
 * shell (the rgmanager part) carries the messages and runs the agents. */
#ifndef SVC_TABLE_H
#define SVC_TABLE_H

#include "svc_state.h"

#include <stddef.h>
#include <stdint.h>

#define ST_MAX		1024	/* services (CONF_MAX_SERVICES) */
#define ST_NAME		64	/* bytes of a name, with NUL ("service:X") */
#define ST_MAX_NODES	64
#define ST_SYNC_PER	64	/* records in one SYNC message */
#define ST_MAX_MSG	(32 + ST_SYNC_PER * \
			 (ST_NAME + 50 + 8 * SVC_MAX_RESTARTS))
#define ST_HELD		ST_MAX	/* messages held until the table settles
				 * (a start's end per service, at most) */

struct st_held {
	uint32_t from;
	int64_t wall;
	size_t len;
	uint8_t m[32 + ST_NAME];
};

struct conf;

struct st_out {
	void *ctx;
	/* queue an ordered message of the resource manager's kind */
	void (*send)(void *ctx, const uint8_t *msg, size_t len);
	/* run the agents of service i here: start or stop it */
	void (*start)(void *ctx, int i);
	void (*stop)(void *ctx, int i);
	/* a vm: move it live from here to node (NULL: none) */
	void (*migrate)(void *ctx, int i, uint32_t node);
	void (*log)(void *ctx, int level, const char *text);
	/* an event this node sent was applied (rc SR_OK) or refused */
	void (*applied)(void *ctx, int i, int ev, int rc);
};

struct st_svc {
	char name[ST_NAME];
	struct svc_rec rec;
	int conf;		/* its index in the configuration, -1 gone */
	int busy;		/* this node runs its start or stop now */
	int stopping;		/* ...and it is a stop */
	int migrating;		/* ...or a live migration */
	int local;		/* ...a stop of this node's own, no event */
	int stop_failed;	/* its last stop here failed */
	int mine;		/* this node's agents hold it (started here) */
	int asked;		/* this node sent an event, not back yet */
	int starting_here;	/* ...to start it here: it counts as load
				 * here (only this node starts things here,
				 * so exclusivity holds within one pass) */
	uint32_t spread_to;	/* stopped: where this pass starts it */
};

struct svc_table {
	struct st_out out;
	const struct conf *conf;
	uint32_t me;
	uint64_t ring;
	int quorate, settled, nmembers, nheard;
	int locked;		/* clusvcadm -l: no evaluation */
	int unlock_due;		/* quorum regained here: the lowest member
				 * unlocks, in order */
	int ready;		/* the clean slate is done: it may act */
	int leaving;		/* the daemon stops: it starts nothing more */
	int fence_pending;	/* nodes still to be fenced: nothing starts
				 * (they may have started what this side
				 * never heard of: spec 4.7) */
	uint32_t lock_seq;	/* -l and -u applied: a SYNC with more
				 * carries the later one */
	int joined;		/* a node joined: failback is due once */
	uint32_t members[ST_MAX_NODES], heard[ST_MAX_NODES];
	/* nodes whose services may be taken over: fenced, or gone clean
	 * (until they are members again) */
	uint32_t released[ST_MAX_NODES];
	int nreleased, release_due;
	int nheld;
	int ns;
	/* counted for an evaluation pass or a request (rm/svc_eval.c), by
	 * index in members: services the records say run there, and
	 * whether one is exclusive; the same plus the stopped services the
	 * pass placed so far; this node's own starts in flight */
	int run[ST_MAX_NODES];
	uint8_t run_excl[ST_MAX_NODES];
	int placed[ST_MAX_NODES];
	uint8_t placed_excl[ST_MAX_NODES];
	int inflight, inflight_excl;
	/* last: st_init leaves them untouched (a slot is cleared when it is
	 * taken), so the pages of unused ones are never touched */
	struct st_held held[ST_HELD];
	struct st_svc s[ST_MAX];
};

void st_init(struct svc_table *t, const struct st_out *out, uint32_t me);
/* A configuration in force: new services get a record (disabled when
 * autostart is off), removed ones are stopped here and forgotten. */
void st_config(struct svc_table *t, const struct conf *c);
void st_confchg(struct svc_table *t, uint64_t ring, const uint32_t *members,
		int n);
/* Quorum lost: every service this node runs is stopped here at once;
 * the shared records are not touched. */
void st_quorate(struct svc_table *t, int quorate);
/* The configuration is breaking (a transitional one): what is delivered
 * until the next reaches only some members: it is held, then dropped. */
void st_transitional(struct svc_table *t);
/* The daemon stops cleanly: it starts nothing more, and what it runs
 * here (its starts done) stops; again after each job that ends, until
 * nothing runs here.  1 while a job of this node is still under way. */
int st_leave(struct svc_table *t);
/* How many nodes the fence domain must still fence: while any, this
 * node starts nothing. */
void st_fencing(struct svc_table *t, int pending);
/* node's services may be recovered: it was fenced (or started again
 * holding nothing, or left clean).  The members apply it in order
 * (RELEASE), while node is not a member. */
void st_released(struct svc_table *t, uint32_t node, int64_t wall);
void st_deliver(struct svc_table *t, uint32_t from, const uint8_t *msg,
		size_t len, int64_t wall);
/* The shell finished the agents of service i: ok or not. */
void st_done(struct svc_table *t, int i, int ok);
/* What this node should do now (after every input): sends the events
 * that start, stop or move services. */
void st_evaluate(struct svc_table *t);

/* The index of service name, or -1. */
int st_find(const struct svc_table *t, const char *name);
/* An administrator's request, from this node: ev on service i.
 * SE_START: start it on target (0: here); SE_STOP: stop it, then start
 * it on target (0: wherever evaluation says; SVC_HOLD: nowhere until
 * the membership changes; SVC_ELSEWHERE: the best other node; its
 * owner: a restart in place); SE_MIGRATE: move a vm live to target;
 * SE_DISABLE, SE_FREEZE, SE_UNFREEZE.  The
 * answer comes through out.applied and the record. */
void st_request(struct svc_table *t, int i, enum svc_event ev,
		uint32_t target);
/* This node holds nothing any more (its start-up stops are done): from
 * now on it starts and stops what it is asked to, and evaluates. */
void st_ready(struct svc_table *t);
/* A status check of service i failed here: it is recovered (spec 4.3). */
void st_status_failed(struct svc_table *t, int i);
/* clusvcadm -l (1) / -u (0), for every member. */
void st_lock(struct svc_table *t, int locked);
/* 1 when service i's depend= service runs (or it has none). */
int st_dep_ok(const struct svc_table *t, int i);
/* Placement, for requests: whether node takes service i when asked;
 * node's score for it; its best node other than except (0 none). */
int st_accepts(struct svc_table *t, int i, uint32_t node);
int st_score(const struct svc_table *t, int i, uint32_t node);
uint32_t st_best(struct svc_table *t, int i, uint32_t except);

#endif
