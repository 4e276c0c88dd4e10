/* test/sim.h - what the simulator's files share: test/tool_sim.c (the
 * world: network, clock, faults, totem checks) and test/sim_quorum.c
 * (the quorum service on every node, and its checks). */
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

/* tool_sim.c: the seed's randomness, clock, trace and verdict. */
int sim_rnd(int n);
int sim_chance(double p);
int64_t sim_now(void);
void sim_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sim_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *sim_grow(void *p, int *cap, int need, size_t size);

/* sim_quorum.c: messages starting with SIMQ_TAG are the quorum's (the
 * simulator's own start with a zero byte). */
#define SIMQ_TAG	0xff
void simq_setup(const struct node *nodes, int n);  /* votes, options */
void simq_start(const struct node *n);		   /* started afresh */
void simq_confchg(const struct node *n, const struct totem_confchg *c);
void simq_deliver(const struct node *n, uint32_t from, const void *p,
		  size_t len);
void simq_step(const struct node *nodes, int n);   /* after every step */
void simq_free(void);				   /* end of a seed */
void simq_totals(void);				   /* printed at the end */

#endif
