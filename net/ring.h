/* net/ring.h - this node's ring on the event loop: transport, seal and
 * totem, driven by loop timers and socket events.
 *
 * It takes plain structs, as the totem core does: the daemon's ring part
 * (quorum/ringd.c) fills them from cluster.conf, a test tool can fill
 * them by hand.  One ring per process. */
#ifndef RING_H
#define RING_H

#include <stddef.h>
#include <stdint.h>

#include "totem.h"
#include "transport.h"

#define RING_STATE_DIR	"/var/lib/hacluster"
#define RING_SEQ_FILE	RING_STATE_DIR "/ringseq"
#define RING_ORDER_FILE	RING_STATE_DIR "/incarnation"
#define RING_KINDS	256	/* ordered messages start with a kind byte */

/* What this node saw of a nodeid. */
struct ring_node {
	uint32_t nodeid;
	int member;			/* in the current configuration */
	uint64_t inc;			/* ring seq it joined; 0 never */
	int64_t joined;			/* wall time of it; 0 never */
};

struct ring_cfg {
	struct transport_cfg tp;	/* its strings must outlive the ring */
	struct totem_cfg totem;		/* ring_seq: read from RING_SEQ_FILE */
	const char *keyfile;		/* NULL: SEAL_KEYFILE */
	const char *cluster;		/* name: the key without a key file */
	uint16_t cluster_id;
	void *ctx;
	/* A node's name for log lines ("?" when NULL). */
	const char *(*name)(void *ctx, uint32_t nodeid);
	/* A regular configuration this node is in, after the membership
	 * view below is updated and before any message of it. */
	void (*confchg)(void *ctx, uint64_t ring, const uint32_t *members,
			int n);
	/* An ordered message, delivered to every member (this node too)
	 * in one order; -1 when no one takes its kind (counted). */
	int (*deliver)(void *ctx, uint32_t from, int kind,
		       const uint8_t *body, size_t len);
	/* The configuration this node is in is breaking: what is delivered
	 * until the next regular one reaches only some of its members
	 * (NULL: not told). */
	void (*transitional)(void *ctx);
	/* Another machine runs with our node id and this node is alone:
	 * it must stay out (addr: that machine), or no longer (NULL). */
	void (*refused)(void *ctx, const char *addr);
};

/* Open the sockets, load the key, start totem and register it all with
 * the loop (loop_init() first).  -1 with a reason in err when it cannot
 * start.  cfg is copied. */
int ring_start(const struct ring_cfg *cfg, char *err, size_t errlen);
/* Queue a message of kind (0..RING_KINDS-1); -1 when it is too large or
 * the queue is full (try again after deliveries). */
int ring_send(int kind, const void *body, size_t len);
/* Announce a clean leave and send it out (bounded by flush_ms of loop
 * iterations); then close everything. */
void ring_stop(int64_t flush_ms);

/* "Joining", "Cluster-Member", "Leaving" or "Not-in-Cluster". */
const char *ring_state(void);
int ring_is_member(void);
/* The address of another machine that runs with our node id, while this
 * node is alone and hears it (within the token timeout): this node must
 * stay out.  NULL otherwise. */
const char *ring_refused(void);
uint64_t ring_generation(void);		/* ring seq of the configuration */
uint32_t ring_incarnation(void);	/* this start's order (ring_start) */
int ring_nmembers(void);
/* What we know of nodeid; NULL when it never was a member. */
const struct ring_node *ring_node(uint32_t nodeid);
/* nodeid's current address as text into out; -1 when unknown. */
int ring_address(uint32_t nodeid, char *out, size_t len);
void ring_stats(struct totem_stats *st);
/* The counters of totem, the envelope and the sockets, one
 * "name: value" line each through line(ctx, name, value). */
void ring_counters(void (*line)(void *ctx, const char *name, uint64_t v),
		   void *ctx);

#endif
