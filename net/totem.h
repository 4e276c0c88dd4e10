/* net/totem.h - the totem single ring: membership and agreed order.
 *
 * A sans-I/O state machine.  The caller feeds it authenticated packet
 * payloads (totem_recv), application messages (totem_send) and the clock
 * (totem_tick at or after totem_next_timer); it answers through the
 * callbacks in struct totem_io: packets to send, messages delivered in
 * agreed order, configuration changes.  It makes no system calls, keeps
 * no global state and never blocks, so the simulator can run many
 * instances in one process over a simulated network and clock.
 *
 * Guarantees (extended virtual synchrony, spec 1.8): members of one
 * configuration agree on it; every member delivers the messages of a
 * configuration in the same total order, its own included; a message is
 * delivered in the configuration it was sent in or in the transitional
 * configuration that follows, never twice. */
#ifndef TOTEM_H
#define TOTEM_H

#include <stddef.h>
#include <stdint.h>

#define TOTEM_MAX_NODES	64		/* members of one ring */
#define TOTEM_MAX_MSG	65536		/* bytes of one application message */
#define TOTEM_MIN_MTU	256		/* smallest payload per packet */

struct totem_cfg {
	uint32_t nodeid;		/* this node, 1..4096 */
	uint64_t ring_seq;		/* highest ring seq this node has used */
	int mtu;			/* payload bytes per packet (1200) */
	/* timers in ms; 0 means the default (see totem_cfg_defaults) */
	int token, token_retransmit, hold, join, consensus, merge;
	int downcheck, fail_recv_const, seqno_unchanged_const;
	int retransmits_before_loss, miss_count_const;
	int window_size, max_messages;
	int send_queue;			/* messages queued before -1 */
};

/* Fill every 0 field with its default and enforce floors; defaults are
 * token 1000, join 50, consensus 1200 (1.2 x token), merge 200, etc. */
void totem_cfg_defaults(struct totem_cfg *cfg);

enum totem_confkind { TOTEM_TRANSITIONAL, TOTEM_REGULAR };

struct totem_confchg {
	enum totem_confkind kind;
	uint64_t ring_seq;		/* of the ring this configuration is on */
	uint32_t rep;			/* its representative (lowest nodeid) */
	int nmembers, nleft, njoined;	/* arrays sorted ascending */
	uint32_t members[TOTEM_MAX_NODES];
	uint32_t left[TOTEM_MAX_NODES];
	uint32_t joined[TOTEM_MAX_NODES];
};

struct totem_io {
	void *ctx;
	/* Send one packet payload: to 0 is every node (multicast), else the
	 * node with that id.  The caller seals and transmits it. */
	void (*send)(void *ctx, uint32_t to, const void *pkt, size_t len);
	/* An application message, in agreed order; from is its sender. */
	void (*deliver)(void *ctx, uint32_t from, const void *msg,
			size_t len);
	void (*confchg)(void *ctx, const struct totem_confchg *c);
	/* Persist seq before the ring that uses it forms (may be NULL). */
	void (*save_ring_seq)(void *ctx, uint64_t seq);
	/* A decision worth a log line, with its reason (may be NULL). */
	void (*log)(void *ctx, int level, const char *text);
};

/* START lasts only inside totem_new, which moves on to GATHER. */
enum totem_state { TOTEM_START, TOTEM_GATHER, TOTEM_COMMIT, TOTEM_RECOVERY,
		   TOTEM_OPERATIONAL, TOTEM_NSTATES };

struct totem_stats {
	enum totem_state state;
	uint64_t ring_seq;
	uint32_t rep;
	int nmembers;
	uint32_t members[TOTEM_MAX_NODES];
	uint64_t rx_packets, rx_bad, tx_packets, retransmits, token_losses;
	uint64_t rotations, delivered, queued;
	uint64_t rx_late;		/* membership packets taken late */
};

struct totem;

/* Start in GATHER at time now (ms, monotonic, any origin). */
struct totem *totem_new(const struct totem_cfg *cfg,
			const struct totem_io *io, int64_t now);
void totem_free(struct totem *t);

/* A packet payload from node from (already authenticated by the caller:
 * from is the sender the envelope proved).  Malformed packets are
 * counted and dropped. */
void totem_recv(struct totem *t, uint32_t from, const void *pkt,
		size_t len, int64_t now);

/* Queue an application message for agreed-order delivery to every
 * member including this node.  -1 if it is too large or the queue is
 * full (try again after deliveries). */
int totem_send(struct totem *t, const void *msg, size_t len, int64_t now);

/* Absolute time of the next timer; INT64_MAX when none. */
int64_t totem_next_timer(const struct totem *t);
/* Run every timer due at now. */
void totem_tick(struct totem *t, int64_t now);

/* The caller noticed it was not scheduled for a while (VM pause, CPU
 * starvation): restart the failure timers from now instead of blaming
 * peers for this node's own stall. */
void totem_stalled(struct totem *t, int64_t now);

/* Announce a clean leave so the others reform at once. */
void totem_leave(struct totem *t, int64_t now);

/* A packet older than one its sender sent since (the envelope's counter
 * says so: reordered between sockets, or replayed by someone who
 * recorded it).  Tokens and multicasts are taken as by totem_recv: they
 * carry their own ring and order.  A merge detect, join or leave, or
 * any packet of a ring not ours, starts no membership change from it:
 * dropped and counted (rx_late); the sender repeats those while they
 * matter. */
void totem_recv_late(struct totem *t, uint32_t from, const void *pkt,
		     size_t len, int64_t now);

void totem_stats(const struct totem *t, struct totem_stats *st);

#endif
