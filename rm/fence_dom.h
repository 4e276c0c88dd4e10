/* rm/fence_dom.h - the fence domain's decisions (sans-I/O).
 *
 * Every member of the ring keeps the same table of who must be fenced,
 * because the table changes only by ordered messages (built and applied
 * here; rm/fenced.c sends and delivers them).  The decider, the lowest
 * node id among the members of a quorate configuration, is the only one
 * that runs agents; it asks the I/O shell to through out->run. */
#ifndef FENCE_DOM_H
#define FENCE_DOM_H

#include <stddef.h>
#include <stdint.h>

#define FD_MAX		64	/* nodes with an entry (members, victims) */
#define FD_NAME		32	/* bytes of an agent's name, with NUL */
#define FD_RETRY_MS	5000	/* first retry after a failed attempt, */
#define FD_RETRY_MAX_MS	60000	/* doubling up to this */
#define FD_MAX_MSG	(16 + FD_MAX * 72)

/* What the table knows of one node.  Incarnations are the daemon's boot
 * order (they grow with every start); a victim is an incarnation, so a
 * node that starts again after it failed is no longer one once it says
 * it holds nothing, while one that merges back unchanged still is. */
struct fd_node {
	uint32_t id;
	uint32_t inc;		/* its incarnation as it last said; 0 unknown */
	uint32_t victim;	/* the incarnation that failed; 1: never came */
	uint32_t cleared;	/* fenced or rejoined up to this incarnation */
	uint32_t leaving;	/* the incarnation that said it leaves cleanly */
	uint32_t slate;		/* the latest incarnation that said it holds
				 * nothing (it started again) */
	uint32_t attempt_by;	/* the member fencing it now, 0 none */
	int64_t fenced_at;	/* wall seconds of its last fencing, 0 never */
	char by[FD_NAME];	/* by what: an agent, or fence_manual */
	/* the decider's own */
	int tries;
	int64_t due_ms;		/* its next attempt, 0: not planned */
};

struct fd_out {
	void *ctx;
	/* queue an ordered message of the fenced kind */
	void (*send)(void *ctx, const uint8_t *msg, size_t len);
	/* this node is the decider: run victim's methods now, or stop */
	void (*run)(void *ctx, uint32_t victim);
	void (*cancel)(void *ctx, uint32_t victim);
	/* victim counts as fenced from now on (every member) */
	void (*fenced)(void *ctx, uint32_t victim);
	void (*log)(void *ctx, int level, const char *text);
	const char *(*name)(void *ctx, uint32_t id);
};

struct fence_dom {
	struct fd_out out;
	uint32_t me, my_inc;
	int post_fail_ms, post_join_ms, clean_start;
	int delay_ms;			/* before this decider's first try */
	uint32_t conf_ids[FD_MAX];	/* the nodes of cluster.conf */
	int nconf;
	int quorate, formed, left, judged;
	uint64_t ring;			/* of the configuration in force */
	int nmembers, nheard, settled;
	uint32_t members[FD_MAX], heard[FD_MAX];
	int64_t startup_due;		/* the decider's start-up fencing */
	struct fd_node n[FD_MAX];
	int nn;
	/* who left this node's configurations without a clean leave, not
	 * yet judged: a quorate configuration makes them victims (VICTIMS);
	 * one that comes back first was never judged */
	struct { uint32_t id, inc; } suspect[FD_MAX];
	int nsuspects;
};

void fd_init(struct fence_dom *f, const struct fd_out *out, uint32_t me,
	     uint32_t my_inc);
/* cluster.conf: the node ids, post_fail_delay and post_join_delay (s),
 * clean_start, and how long this node waits more than post_fail_delay
 * before it fences (two_node: both halves of a split are quorate, so
 * one must lose the race; fenced.c chooses). */
void fd_config(struct fence_dom *f, const uint32_t *ids, int n,
	       int post_fail_s, int post_join_s, int clean_start,
	       int delay_s);
/* A regular configuration: who left without a clean leave is a victim;
 * this node tells the members its table (slate: it holds nothing). */
void fd_confchg(struct fence_dom *f, uint64_t ring, const uint32_t *members,
		int n, int slate, int64_t now);
void fd_quorate(struct fence_dom *f, int quorate, int64_t now);
/* This node holds nothing now (after its configuration's STATE said
 * otherwise): it tells the members again. */
void fd_slate(struct fence_dom *f);
/* An ordered message of the fenced kind; wall: seconds for the log. */
void fd_deliver(struct fence_dom *f, uint32_t from, const uint8_t *msg,
		size_t len, int64_t now, int64_t wall);
/* The decider's clock: starts what is due; returns the next deadline
 * (INT64_MAX: none). */
int64_t fd_tick(struct fence_dom *f, int64_t now);
/* The shell ran victim's methods: ok, by (the agent that did it). */
void fd_result(struct fence_dom *f, uint32_t victim, int ok, const char *by,
	       int64_t wall);
/* Victim is down, by: "fence_manual" when the operator says so
 * (fence_ack_manual), else the agent fence_node ran successfully. */
void fd_ack(struct fence_dom *f, uint32_t victim, const char *by,
	    int64_t wall);
/* A clean stop: the members learn it before this node leaves. */
void fd_leaving(struct fence_dom *f);

/* The entry of id, or NULL. */
const struct fd_node *fd_node(const struct fence_dom *f, uint32_t id);
/* 1 while this node is in a quorate, settled fence domain that formed
 * (start-up fencing decided). */
int fd_joined(const struct fence_dom *f);
/* 1 once this node's own LEAVING came back in order. */
int fd_left(const struct fence_dom *f);
/* 1 while id must still be fenced. */
int fd_pending(const struct fence_dom *f, uint32_t id);
/* How many nodes must still be fenced. */
int fd_npending(const struct fence_dom *f);
/* The decider of this configuration: its lowest member that is not a
 * victim itself (0 when not quorate, settling, or every member is). */
uint32_t fd_decider(const struct fence_dom *f);

#endif
