/* quorum/qdisk.h - the quorum disk (sans-I/O): slots, liveness, master.
 *
 * A shared device or file holds one QDISK_BLOCK slot per node id 1..16
 * (spec 2.4's limit); a slot is a whole 4 KiB block, so that no node's
 * write touches another's on a disk of 4 KiB sectors.  Every interval each node writes its own slot (a
 * counter that moves, its state) and reads all of them; the daemon does
 * the I/O in a helper process and hands the image to qdisk_cycle():
 *
 *   liveness  a peer whose counter moved on tko_up of our reads, with
 *             never tko reads in a row without a move between them, is
 *             writing (a slow writer that moves every other read still
 *             is); one whose counter stood still for tko reads stopped
 *             (the master evicts it from the ring).  A slot written as
 *             QDISK_NONE is a clean stop, not a failure.  Our counter
 *             moves only on cycles that read the disk, so a node whose
 *             I/O lags looks slow, never livelier than it is.
 *   master    a fit node that sees no live master or bidder, and no live
 *             fit node with a lower id, bids after master_wait cycles and
 *             becomes master after upgrade_wait more cycles without a
 *             lower rival (cycles without a read do not count).  A master
 *             keeps the role while it writes (no pre-emption by a
 *             returning lower id) and yields it when it becomes unfit,
 *             loses the disk for tko cycles, or sees a lower live master.
 *
 * The quorum disk's votes count in the ring partition whose members
 * include the master (its claim travels in its HELLO, quorum/cman.c):
 * every member of a partition agrees on them, and two partitions that
 * both see the disk never both count them. */
#ifndef QDISK_H
#define QDISK_H

#include <stdint.h>

#include "../xml/conf.h"

#define QDISK_BLOCK	4096
#define QDISK_NODES	CONF_QDISK_NODES
#define QDISK_SIZE	(QDISK_BLOCK * QDISK_NODES)	/* node n at (n-1)*4096 */

/* A slot's state as written by its owner. */
enum { QDISK_NONE, QDISK_UNFIT, QDISK_RUN, QDISK_BID, QDISK_MASTER };

struct qdisk_peer {
	uint64_t seq;		/* its counter when last read */
	uint16_t still;		/* cycles it has not moved */
	uint16_t moved;		/* cycles in a row it moved */
	uint8_t state;		/* as last read */
	uint8_t live;		/* writing */
};

struct qdisk {
	uint32_t me, cluster_id;
	int tko, tko_up, upgrade_wait, master_wait;
	struct qdisk_peer p[QDISK_NODES + 1];
	uint64_t seq;		/* our counter */
	uint32_t cycles;	/* cycles run with the disk readable */
	int bid;		/* cycles spent bidding */
	int io_miss;		/* cycles in a row without an image */
	uint8_t state;		/* ours, QDISK_* */
	uint32_t foreign;	/* slots of another cluster, last cycle */
};

/* What one cycle asks of the caller. */
struct qdisk_out {
	uint8_t slot[QDISK_BLOCK];	/* write this at our offset */
	int master_changed;		/* qdisk_is_master() changed */
	uint16_t stopped;		/* bit n: node n stopped writing */
	uint16_t started;		/* bit n: node n is writing */
};

/* me: this node's id (1..QDISK_NODES), cluster_id: <cman cluster_id>
 * (slots of another cluster are ignored). */
void qdisk_init(struct qdisk *q, const struct conf_qdisk *c, uint32_t me,
		uint32_t cluster_id);
/* One cycle.  image: the device's first QDISK_SIZE bytes as read after
 * our last write, or NULL when there is none (I/O failed or is still
 * running); fit: the heuristics' score reaches min_score. */
void qdisk_cycle(struct qdisk *q, const uint8_t *image, int fit,
		 struct qdisk_out *out);
/* Our slot saying we stopped cleanly (written at exit). */
void qdisk_slot_none(const struct qdisk *q, uint8_t *slot);
int qdisk_is_master(const struct qdisk *q);
/* The master the disk shows (us included), 0 when none. */
uint32_t qdisk_master(const struct qdisk *q);
/* "none", "unfit", "running", "bidding" or "master". */
const char *qdisk_state_name(int state);

#endif
