/* net/totem_int.h - private state shared by the totem ring's files.
 *
 * totem.c     entry points, timers, packet dispatch, logging
 * totem_ring.c operational ring: token visit, ordering, retransmission,
 *             flow control, hold, delivery and reassembly
 * memb.c      membership: gather, commit, recovery, configuration changes
 * totem_msg.c encode/decode of every packet type */
#ifndef TOTEM_INT_H
#define TOTEM_INT_H

#include "totem.h"

#define TOTEM_VERSION	1
#define TOTEM_MAX_RTR	30	/* retransmit requests carried by a token */
#define TOTEM_QLEN	1024	/* slots of a ring's message store */
#define TOTEM_MAX_CTL	4096	/* control packets (tokens, joins, commit) */
#define TOTEM_MCAST_HDR	30	/* plain MCAST header bytes */
#define TOTEM_ENCAP_HDR	21	/* outer header around a recovered MCAST */
#define TOTEM_MAX_MTU	9000
#define TOTEM_NEVER	INT64_MAX	/* a timer that is not running */

enum totem_msg_type { TOTEM_MSG_TOKEN = 1, TOTEM_MSG_MCAST, TOTEM_MSG_MERGE,
		      TOTEM_MSG_JOIN, TOTEM_MSG_COMMIT, TOTEM_MSG_LEAVE,
		      TOTEM_MSG_HOLD_CANCEL, TOTEM_MSG_NTYPES };

/* Membership events: the columns of memb.c's state table. */
enum memb_event { MEMB_EV_TOKEN_LOST, MEMB_EV_CONSENSUS, MEMB_EV_JOIN,
		  MEMB_EV_FOREIGN, MEMB_EV_LEAVE, MEMB_EV_FAIL_RECV,
		  MEMB_EV_COMMIT, MEMB_EV_COMMIT_FULL, MEMB_EV_RECOVERED,
		  MEMB_EV_NEVENTS };

enum { TOTEM_LOG_ERR = 3, TOTEM_LOG_WARN = 4, TOTEM_LOG_NOTICE = 5,
       TOTEM_LOG_INFO = 6, TOTEM_LOG_DEBUG = 7 };

struct totem_ring_id {
	uint64_t seq;
	uint32_t rep;
};

struct totem_nodeset {
	int n;
	uint32_t id[TOTEM_MAX_NODES];	/* ascending, no zero */
};

struct totem_token {
	struct totem_ring_id ring;
	uint32_t token_seq, seq, aru, aru_addr, backlog, fcc, retrans;
	uint8_t oper;			/* recovery is over: go OPERATIONAL */
	int nrtr;
	uint32_t rtr[TOTEM_MAX_RTR];
};

struct totem_mcast {
	struct totem_ring_id ring;
	uint32_t seq;
	uint8_t encap;			/* data is a whole old-ring MCAST */
	uint32_t sender;		/* plain only: the originator */
	uint16_t msgno;			/* plain only: sender's message no. */
	uint16_t frag;			/* plain only: fragment index */
	uint8_t last;			/* plain only: TOTEM_LAST_* */
	const uint8_t *data;
	size_t len;
};

struct totem_join {
	uint64_t ring_seq;		/* sender's last operational ring */
	uint64_t max_seq;		/* highest ring seq it knows */
	struct totem_nodeset proc, failed;
};

struct totem_commit_ent {
	struct totem_ring_id old;
	uint32_t aru, high;
	uint8_t had_ring;
};

struct totem_commit {
	struct totem_ring_id ring;
	uint8_t pass;			/* 1: collecting, 2: installing */
	int filled;
	struct totem_nodeset memb;
	struct totem_commit_ent ent[TOTEM_MAX_NODES];
};

/* One ring's messages, slot = seq % TOTEM_QLEN, each a whole MCAST packet. */
struct totem_msgstore {
	struct totem_ring_id ring;
	uint32_t aru, high, delivered;
	uint32_t seq[TOTEM_QLEN];
	uint16_t len[TOTEM_QLEN];
	uint8_t have[TOTEM_QLEN], miss[TOTEM_QLEN];
	uint8_t *buf;			/* TOTEM_QLEN x mtu */
};

/* A plain MCAST holds a fragment of one message (TOTEM_LAST_NO,
 * TOTEM_LAST_YES on the last one) or whole small messages packed as
 * len:u16 data... (TOTEM_LAST_PACKED), so a flood of small messages
 * costs one packet per fragmax bytes, not one per message. */
enum { TOTEM_LAST_NO, TOTEM_LAST_YES, TOTEM_LAST_PACKED };

/* Fragments and packed slots waiting for the token; a message leaves
 * when its last one is multicast, so a ring change can restart it from
 * fragment 0.  frag[] of a packed slot is its number of messages. */
struct totem_sendq {
	int cap, head, count, sent, msgs;
	uint16_t next_msgno;
	uint16_t *len, *frag, *msgno;
	uint8_t *last, *buf;		/* cap x fragmax */
};

struct totem_rasm {
	uint32_t from, len;
	uint16_t msgno;			/* the message being rebuilt */
	int next;			/* fragment index expected */
	uint8_t *buf;			/* TOTEM_MAX_MSG */
};

struct totem {
	struct totem_cfg cfg;
	struct totem_io io;
	enum totem_state state;
	uint32_t me;
	int fragmax, left_ring;
	int late;			/* in totem_recv_late: no merge from it */
	uint64_t max_seq;

	/* the ring being formed or run, and the last operational one */
	struct totem_ring_id ring, oper_ring;
	struct totem_nodeset memb, oper_memb;
	int had_ring;
	struct totem_msgstore stores[2], *st, *old;

	/* gather */
	struct totem_nodeset proc, failed, consensus, trans;

	/* recovery */
	struct totem_commit commit;
	uint32_t low_aru, high_limit;
	uint32_t *rq;
	int rq_n, rq_pos, orf_started, frozen;

	/* token visit memory */
	uint32_t tok_seen, last_seq, last_aru, prev_aru, released;
	int have_last, last_ok, idle_visits, fail_recv;
	int my_sent, my_backlog, my_retr;	/* my share in fcc etc. */

	/* a control packet to resend if nothing comes back */
	uint8_t last_pkt[TOTEM_MAX_CTL];
	size_t last_len;
	uint32_t last_to;
	uint32_t fwd_seq;		/* token.seq when I forwarded */

	/* a token held (idle ring) or passed to myself (singleton) */
	uint8_t pend[TOTEM_MAX_CTL];
	size_t pend_len;

	int64_t t_loss, t_retrans, t_pend, t_join, t_consensus, t_merge;

	struct totem_sendq q;
	struct totem_rasm rasm[TOTEM_MAX_NODES];
	uint8_t *rasm_buf;
	struct totem_stats stats;
	uint8_t pkt[TOTEM_MAX_MTU + TOTEM_ENCAP_HDR]; /* scratch for building */
};

/* totem.c */
void totem_log(struct totem *t, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void totem_xmit(struct totem *t, uint32_t to, const void *p, size_t len);
void totem_ctl_send(struct totem *t, uint32_t to, const void *p,
		    size_t len, int64_t now);
int totem_ring_id_eq(struct totem_ring_id a, struct totem_ring_id b);
uint32_t totem_next_member(const struct totem *t);

/* node sets */
int totem_set_has(const struct totem_nodeset *s, uint32_t id);
void totem_set_add(struct totem_nodeset *s, uint32_t id);
void totem_set_union(struct totem_nodeset *s, const struct totem_nodeset *o);
void totem_set_sub(struct totem_nodeset *s, const struct totem_nodeset *o);
int totem_set_eq(const struct totem_nodeset *a, const struct totem_nodeset *b);
int totem_set_subset(const struct totem_nodeset *a,
		     const struct totem_nodeset *b);
int totem_set_index(const struct totem_nodeset *s, uint32_t id);

/* totem_msg.c: encoders return the length, 0 if it does not fit;
 * decoders return 0 or -1 for a malformed packet. */
size_t totem_msg_token_enc(const struct totem_token *k, uint8_t *buf,
			   size_t cap);
int totem_msg_token_dec(struct totem_token *k, const uint8_t *p, size_t len);
size_t totem_msg_mcast_enc(const struct totem_mcast *m, uint8_t *buf,
			   size_t cap);
int totem_msg_mcast_dec(struct totem_mcast *m, const uint8_t *p, size_t len);
size_t totem_msg_join_enc(const struct totem_join *j, uint8_t *buf, size_t cap);
int totem_msg_join_dec(struct totem_join *j, const uint8_t *p, size_t len);
size_t totem_msg_commit_enc(const struct totem_commit *c, uint8_t *buf,
			    size_t cap);
int totem_msg_commit_dec(struct totem_commit *c, const uint8_t *p, size_t len);
/* MERGE, LEAVE and HOLD_CANCEL carry only a ring id */
size_t totem_msg_ring_enc(int type, struct totem_ring_id r, uint8_t *buf,
			  size_t cap);
int totem_msg_ring_dec(struct totem_ring_id *r, const uint8_t *p, size_t len);

/* totem_ring.c */
void totem_ring_token_rx(struct totem *t, const uint8_t *p, size_t len,
			 int64_t now, int held);
void totem_ring_mcast_rx(struct totem *t, uint32_t from,
			 const struct totem_mcast *m, const uint8_t *p,
			 size_t len, int64_t now);
void totem_ring_hold_cancel(struct totem *t, int64_t now, int local);
void totem_ring_start_token(struct totem *t, int64_t now);
void totem_msgstore_reset(struct totem_msgstore *s, struct totem_ring_id r);
int totem_msgstore_put(struct totem *t, struct totem_msgstore *s,
		       uint32_t seq, const uint8_t *p, size_t len);
int totem_msgstore_has(const struct totem_msgstore *s, uint32_t seq);
void totem_ring_deliver_seq(struct totem *t, struct totem_msgstore *s,
			    uint32_t seq);
void totem_ring_deliver(struct totem *t);
void totem_rasm_reset(struct totem *t);
void totem_sendq_rewind(struct totem *t);

/* memb.c */
void memb_event(struct totem *t, enum memb_event ev, uint32_t from,
		const void *arg, int64_t now);
void memb_join_rx(struct totem *t, uint32_t from, const struct totem_join *j,
		  int64_t now);
void memb_commit_rx(struct totem *t, const struct totem_commit *c, int64_t now);
void memb_join_timer(struct totem *t, int64_t now);
void memb_set_state(struct totem *t, enum totem_state s,
		    enum memb_event ev);
void memb_operational(struct totem *t, int64_t now);

#endif
