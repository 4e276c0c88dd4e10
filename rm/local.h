/* rm/local.h - this node's ring: transport, seal and totem on the loop. */
#ifndef LOCAL_H
#define LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "../net/totem.h"
#include "../xml/conf.h"

#define LOCAL_STATE_DIR	"/var/lib/hacluster"
#define LOCAL_SEQ_FILE	LOCAL_STATE_DIR "/ringseq"

/* What this node saw of a nodeid. */
struct local_node {
	uint32_t nodeid;
	int member;			/* in the current configuration */
	uint64_t inc;			/* ring seq it joined; 0 never */
	int64_t joined;			/* wall time of it; 0 never */
};

/* Open the sockets, load the key, start totem and register it all with
 * the loop (loop_init() first).  local is our address as text, or NULL
 * for our node's name.  -1 with a reason in err when it cannot start. */
int local_start(const struct conf *c, const struct conf_node *me,
	       const char *local, char *err, size_t errlen);
/* Ordered messages, delivered to every member (this node too) in one
 * order, each starting with its kind. */
enum { LOCAL_BENCH = 1, LOCAL_QUORUM, LOCAL_CONFIG, LOCAL_KINDS };
typedef void local_msg_fn(uint32_t from, const uint8_t *body, size_t len);
void local_on_msg(int kind, local_msg_fn *fn);
/* Queue a message; -1 when it is too large or the queue is full (try
 * again after deliveries). */
int local_send(int kind, const void *body, size_t len);
/* fn runs at every regular configuration this node is in, after the
 * membership view is updated and before any message of it. */
typedef void local_conf_fn(uint64_t ring, const uint32_t *members, int n);
void local_on_confchg(local_conf_fn *fn);
/* fn runs once, when this node first is in a regular configuration. */
void local_on_join(void (*fn)(void *ctx), void *ctx);
/* Announce a clean leave and send it out (bounded by flush_ms of loop
 * iterations); then close everything. */
void local_stop(int64_t flush_ms);

/* Names of nodes from c from now on (a new configuration version). */
void local_set_conf(const struct conf *c);
/* "Joining", "Cluster-Member", "Leaving" or "Not-in-Cluster". */
const char *local_state(void);
int local_is_member(void);
uint32_t local_me(void);			/* this node's id */
uint64_t local_generation(void);	/* ring seq of the configuration */
int local_nmembers(void);
/* What we know of nodeid; NULL when it never was a member. */
const struct local_node *local_node(uint32_t nodeid);
/* nodeid's current address as text into out; -1 when unknown. */
int local_address(uint32_t nodeid, char *out, size_t len);
void local_stats(struct totem_stats *st);
/* The counters of totem, the envelope and the sockets, one
 * "name: value" line each through line(ctx, name, value). */
void local_counters(void (*line)(void *ctx, const char *name, uint64_t v),
		    void *ctx);

#endif
