/* quorum/cman.h - the quorum service on the ordered stream (sans-I/O).
 *
 * Feeds votes.c from what the ring delivers, so that every member takes
 * each quorum decision at the same point of the stream:
 *
 *   regular configuration -> cman_confchg: the member table follows the
 *       ring; every member must announce itself again (HELLO: its votes,
 *       expected votes, readiness, config version, the ring it answers);
 *   delivered HELLO       -> cman_deliver: when the last member of the
 *       configuration has announced, the table is the same on every
 *       member and votes_update runs ("settled");
 *   admin requests (expected, votes, leave remove, kill) and the
 *       last_man_standing expiry are messages too, applied where they
 *       are delivered, and only while settled (refused with EAGAIN, by
 *       every member alike, while a configuration is still settling).
 *
 * Between a configuration change and its settling, the previous decision
 * stands with one exception made for safety: when the members whose
 * votes this node already knows are too few for quorum, this node blocks
 * at once ("quorum lost") instead of waiting for the announcements.  So
 * a partition that lost its majority never acts on the old decision, and
 * quorum is only ever gained at the agreed point. */
#ifndef CMAN_H
#define CMAN_H

#include <stddef.h>
#include <stdint.h>

#include "votes.h"
#include "../xml/conf.h"

#define CMAN_MAX_MEMBERS	64
#define CMAN_MAX_MSG		32	/* bytes of any message below */
/* What two files of one config_version must agree on: the node names
 * and ids, and the votes (cman_conf_digest). */
enum { CMAN_DIGEST_NODES, CMAN_DIGEST_VOTES, CMAN_DIGESTS };

/* One member as its announcements describe it. */
struct cman_member {
	uint32_t nodeid;
	uint32_t config_version;	/* 0: has none */
	uint8_t was_quorate;	/* acting quorate before this ring */
	uint8_t qdisk;		/* holds the quorum disk's master role */
	uint8_t heard;		/* announced in this configuration */
	uint32_t digest[CMAN_DIGESTS];	/* of its cluster.conf */
};

/* The requests of this node that come back as a done event. */
enum { CMAN_OP_EXPECTED = 2, CMAN_OP_VOTES, CMAN_OP_REMOVE };

/* What a delivery asks the caller to do. */
struct cman_event {
	int change;		/* VOTES_GAINED / VOTES_LOST of cman_quorate */
	uint32_t killed_by;	/* not 0: a kill for this node, from it */
	int done;		/* this node's request with ticket ended: */
	int op;			/* CMAN_OP_* */
	uint32_t ticket;
	int result;		/* 0, or EINVAL, ENOENT, EAGAIN */
	int settled;		/* the configuration settled here */
	/* At settling, a member whose file has the configuration source's
	 * version but other content: the first such member, and what
	 * differs (CMAN_DIGEST_*).  Its votes are not counted; conflict_me:
	 * it is this node, which must leave. */
	uint32_t conflict, source;
	int conflict_what, conflict_me;
};

struct cman {
	struct votes_conf conf;
	struct votes_state st;
	struct votes_member m[CMAN_MAX_MEMBERS];
	struct cman_member info[CMAN_MAX_MEMBERS];
	int n;
	uint32_t me;
	uint8_t votes;		/* this node's votes (cman_tool votes) */
	uint32_t config_version;
	uint64_t ring;		/* the configuration we are in */
	int settled, blocked, qdisk_alive, removed, was_quorate;
	int qdisk_claim;	/* we hold the quorum disk's master role */
	uint32_t digest[CMAN_DIGESTS];	/* of our cluster.conf */
};

/* The votes configuration of a cluster.conf: nodes, <cman>/<quorum>
 * options, <quorumd votes>; expected overrides everything when not 0
 * (cman_tool join -e). */
void cman_conf_from(const struct conf *c, uint32_t expected,
		    struct votes_conf *vc);
/* Fresh state: not a member, inquorate.  conf is copied. */
void cman_init(struct cman *cm, const struct votes_conf *conf, uint32_t me,
	       int votes, uint32_t config_version);

/* A regular configuration.  Writes this node's HELLO into out (at least
 * CMAN_MAX_MSG bytes) and returns its length: send it.  *change is
 * VOTES_LOST when the safety block above engaged here. */
int cman_confchg(struct cman *cm, uint64_t ring, const uint32_t *members,
		 int n, uint8_t *out, int *change);
/* A delivered message of the quorum kind; ev says what to do.  0, or -1
 * when it was malformed (ignored and to be counted). */
int cman_deliver(struct cman *cm, uint32_t from, const uint8_t *msg,
		 size_t len, uint64_t now_ms, struct cman_event *ev);

/* Requests, encoded into out (CMAN_MAX_MSG bytes); return the length.
 * The checks a caller can make before sending are cman_check_*. */
int cman_msg_hello(const struct cman *cm, uint8_t *out);
int cman_msg_expected(uint8_t *out, uint32_t ticket, uint32_t expected);
int cman_msg_votes(uint8_t *out, uint32_t ticket, uint32_t nodeid,
		   int votes);
int cman_msg_remove(uint8_t *out, uint32_t ticket);
int cman_msg_kill(uint8_t *out, uint32_t nodeid);
int cman_msg_lms(const struct cman *cm, uint8_t *out);
/* 0 or the errno the request would be refused with, judged on this
 * node's state (the delivery decides). */
int cman_check_expected(const struct cman *cm, uint32_t expected);
int cman_check_votes(const struct cman *cm, uint32_t nodeid, int votes);

/* Once settled: whose configuration file every member should hold (0:
 * nobody has one), its version in *version, and in *differs whether
 * some member holds another version.  That member then offers its file
 * on the stream. */
uint32_t cman_config_source(const struct cman *cm, uint32_t *version,
			    int *differs);
/* This node now runs configuration version v. */
void cman_set_config_version(struct cman *cm, uint32_t v);
/* Digests of a cluster.conf for the HELLO (FNV-1a): node ids and names
 * in file order; node ids and votes, expected votes, two_node and the
 * quorum disk's votes. */
void cman_conf_digest(const struct conf *c, uint32_t d[CMAN_DIGESTS]);
/* Our file's digests from now on (announced with the next HELLO). */
void cman_set_digest(struct cman *cm, const uint32_t d[CMAN_DIGESTS]);
/* This node holds the quorum disk's master role (qdisk.c) or not; 1 when
 * that changed: send a HELLO again, whose delivery makes every member
 * count the quorum disk's votes, or stop counting them, at one point. */
int cman_set_qdisk(struct cman *cm, int master);

/* The last_man_standing timer is due: send cman_msg_lms. */
int cman_lms_due(const struct cman *cm, uint64_t now_ms);
/* Quorate as this node acts on it. */
int cman_quorate(const struct cman *cm);
int cman_is_member(const struct cman *cm, uint32_t nodeid);

#endif
