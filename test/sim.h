/* test/sim.h - what the simulator's files share: test/tool_sim.c (the
 * world: network, clock, faults, totem checks), test/sim_quorum.c (the
 * quorum service on every node, and its checks) and test/sim_fence.c
 * (the fence domain on every node, a fence device, and their checks). */
#ifndef SIM_H
#define SIM_H

#include "../net/totem.h"

#include <stddef.h>
#include <stdint.h>

#define MAXN	16

struct node {
	int idx, alive, inc, group, mute;
	uint32_t id;
	struct totem *t;
	uint64_t saved_seq;
	int64_t next_send;
	uint64_t ep_seq;		/* current epoch: last regular conf */
	uint32_t ep_rep;
	int ep_n;
	uint32_t ep_memb[TOTEM_MAX_NODES];
	int ep_count;			/* messages delivered in the epoch */
	uint64_t ep_hash;		/* and a digest of which */
	int *log, nlog, caplog;
};

/* tool_sim.c: the seed's randomness, clock, trace and verdict; a node
 * stops (clean: leaves the ring), or a fence device powers it off. */
int sim_rnd(int n);
int sim_chance(double p);
int64_t sim_now(void);
void sim_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sim_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *sim_grow(void *p, int *cap, int need, size_t size);
void sim_stop(struct node *n, int clean);
void sim_power_off(struct node *n);

/* sim_quorum.c: messages starting with SIMQ_TAG are the quorum's (the
 * simulator's own start with a zero byte). */
#define SIMQ_TAG	0xff
void simq_setup(const struct node *nodes, int n);  /* votes, options */
void simq_start(const struct node *n);		   /* started afresh */
void simq_confchg(const struct node *n, const struct totem_confchg *c);
void simq_deliver(const struct node *n, uint32_t from, const void *p,
		  size_t len);
void simq_step(const struct node *nodes, int n);   /* after every step */
int simq_quorate(const struct node *n);		   /* as agreed */
void simq_free(void);				   /* end of a seed */
void simq_totals(void);				   /* printed at the end */

/* sim_fence.c: the fence domain on every node and a fence device;
 * messages starting with SIMF_TAG are the fence domain's. */
#define SIMF_TAG	0xfe
void simf_setup(struct node *nodes, int n, int on);
void simf_start(struct node *n);		   /* started afresh */
void simf_stop(struct node *n);			   /* crashed or left */
void simf_confchg(struct node *n, const struct totem_confchg *c);
void simf_deliver(struct node *n, uint32_t from, const void *p, size_t len);
void simf_quorum(struct node *n);		   /* it may have changed */
int simf_leave(struct node *n);	/* 1: LEAVING first, sim_stop follows */
void simf_heal(void);				   /* leaves end now */
int64_t simf_next(void);			   /* INT64_MAX: nothing */
int simf_due(void);				   /* 1: ran one event */
void simf_step(void);				   /* after every step */
void simf_free(void);
void simf_totals(void);

/* sim_svc.c: the service table on every node, simulated agents and an
 * administrator; messages starting with SIMV_TAG are the services'. */
#define SIMV_TAG 0xfd
void simv_setup(struct node *nodes, int n, int on);
void simv_start(struct node *n);		   /* started afresh */
void simv_stop(struct node *n, int off);	   /* crashed, left, off */
int simv_leave(struct node *n);	/* 1: services stop, sim_leave follows */
int simv_slate(const struct node *n);		   /* 1: holds nothing */
void simv_fenced(const struct node *n, uint32_t victim);
void simv_quorum(struct node *n);
void simv_confchg(struct node *n, const struct totem_confchg *c);
void simv_deliver(struct node *n, uint32_t from, const void *p, size_t len);
int64_t simv_next(void);
int simv_due(void);
void simv_step(void);
void simv_heal(void);
void simv_final(int64_t since_heal);
int64_t simv_bound(void);			   /* ms more for a seed */
void simv_free(void);
void simv_totals(void);
/* tool_sim.c: a clean leave after the services stopped; sim_fence.c: the
 * node holds nothing now */
void sim_leave(struct node *n);
void simf_slate(struct node *n);
int simf_pending(const struct node *n);	/* victims still to fence */

/* sim_replay.c (REPLAY=1): the envelope on every packet, and an
 * adversary that replays old ones. */
void simr_setup(int on, int token);
int simr_on(void);
void simr_start(const struct node *n);		   /* a new incarnation */
int simr_seal(const struct node *n, const void *p, size_t len,
	      uint8_t *out, size_t cap);
void simr_record(const uint8_t *pkt, size_t len);  /* seen on the wire */
size_t simr_pick(uint8_t *out, size_t cap);	   /* an old one, or 0 */
/* The payload, or NULL when the envelope drops it; fails the seed on a
 * replayed packet of an earlier run accepted.  *fresh: newer than any
 * of its sender before (else totem_recv_late). */
const void *simr_open(const struct node *n, const struct node *nodes,
		      int nn, uint8_t *pkt, size_t len, int replayed,
		      uint32_t *from, size_t *plen, int *fresh);
void simr_free(void);
void simr_totals(void);

#endif
