/* net/seal.h - the packet envelope: authenticated encryption of payloads.
 *
 * Every datagram on the wire is one sealed totem payload:
 *
 *   off len  field (network byte order; the 24 header bytes are the AAD)
 *     0   1  version (SEAL_VERSION)
 *     1   1  kind (SEAL_KIND_TOTEM; others reserved and dropped)
 *     2   2  cluster id
 *     4   4  sender nodeid (1..4096)
 *     8   8  sender's boot epoch: 4 bytes that grow with each start of
 *            the node (its incarnation order), 4 random bytes
 *    16   8  sender's message counter (the AEAD nonce)
 *    24   n  ChaCha20-Poly1305 ciphertext of the payload
 *  24+n  16  Poly1305 tag
 *
 * Pure code: no system calls except seal_key_from_file (reads the key)
 * and seal_new_epoch (getrandom).  A struct seal is the whole state of
 * one node's envelope, both directions; it holds no pointers and needs no
 * heap, so the simulator can run many in one process.  There is no
 * plaintext mode.  The design of keys, nonces and the replay window is
 * explained in seal.c. */
#ifndef SEAL_H
#define SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_VERSION	1
#define SEAL_KIND_TOTEM	0
#define SEAL_HEADER_LEN	24
#define SEAL_TAG_LEN	16
#define SEAL_OVERHEAD	(SEAL_HEADER_LEN + SEAL_TAG_LEN)
#define SEAL_KEY_LEN	32
#define SEAL_EPOCH_LEN	8
#define SEAL_MAX_PEERS	72		/* 64 nodes and a few spare */
/* Node ids are 1..4096, or SEAL_GUEST_ID + 0..0xffffff for a node that
 * joins without a configuration to fetch one (quorum/ccsd.c). */
#define SEAL_GUEST_ID	0x40000000u
#define SEAL_WINDOW	256		/* counters remembered per sender */
#define SEAL_KEYFILE	"/etc/cluster/authkey"
#define SEAL_KEYFILE_MIN 16		/* bytes a key file must hold */
#define SEAL_KEYFILE_MAX 4096

/* seal_open's reasons for dropping a packet; each has a counter. */
enum seal_err {
	SEAL_OK = 0,
	SEAL_E_MALFORMED = -1,	/* too short, bad kind or nodeid */
	SEAL_E_VERSION = -2,	/* envelope version not ours */
	SEAL_E_FOREIGN = -3,	/* another cluster's id */
	SEAL_E_SELF = -4,	/* our own packet, looped back */
	SEAL_E_REPLAY = -5,	/* seen already or older than the window */
	SEAL_E_AUTH = -6,	/* tag does not verify: wrong key or forged */
	SEAL_E_STALE = -7,	/* an earlier incarnation of its sender than
				 * the one we know: a replay */
	SEAL_E_TWIN = -8,	/* authentic, our node id, another epoch:
				 * another machine runs with our id */
	SEAL_E_DUPLICATE = -9,	/* authentic, a later incarnation of a
				 * sender whose current one is alive: a node
				 * id used twice (refused until the current
				 * one has been silent for hold_ms) */
};

struct seal_peer {
	uint32_t nodeid;		/* 0: slot free */
	uint8_t epoch[SEAL_EPOCH_LEN];
	uint8_t key[SEAL_KEY_LEN];	/* that sender's subkey for epoch */
	uint64_t top;			/* highest counter accepted */
	uint64_t seen[SEAL_WINDOW / 64];	/* bit c % SEAL_WINDOW */
	uint64_t used;			/* s->clock at last accept (LRU) */
	int64_t last;			/* now at last accept */
};

struct seal {
	uint8_t master[SEAL_KEY_LEN];
	uint8_t txkey[SEAL_KEY_LEN];	/* our subkey for our epoch */
	uint8_t epoch[SEAL_EPOCH_LEN];
	uint16_t cluster_id;
	uint32_t nodeid;
	uint64_t counter;		/* next nonce to send */
	uint64_t clock;			/* accepted packets, for LRU */
	int64_t hold_ms;		/* see SEAL_E_DUPLICATE; 0: none */
	uint32_t own_last;		/* highest incarnation order of this
					 * node's earlier runs: a packet with
					 * our id and no later order is our
					 * own past, replayed (SEAL_E_STALE) */
	uint8_t twin[SEAL_EPOCH_LEN];	/* epoch of the last SEAL_E_TWIN */
	int fresh;			/* the last SEAL_OK packet was newer
					 * than any of its sender before it
					 * (a new incarnation, or a counter
					 * above the highest): where it came
					 * from is where the sender is now */
	uint64_t tx_packets;
	uint64_t rx_ok, rx_malformed, rx_bad_version, rx_foreign_cluster;
	uint64_t rx_self, rx_replay, rx_bad_auth;
	uint64_t rx_stale, rx_twin, rx_duplicate;
	uint64_t rx_new_epoch;		/* a sender seen (again) with a new
					 * epoch: first contact or restart */
	struct seal_peer peer[SEAL_MAX_PEERS];
};

/* Start a context: master key, our cluster id and nodeid, and an epoch
 * that must be fresh for every seal_init (seal_new_epoch).  Reusing an
 * epoch with the same master key and nodeid repeats nonces. */
void seal_init(struct seal *s, const uint8_t master[SEAL_KEY_LEN],
	       uint16_t cluster_id, uint32_t my_nodeid,
	       const uint8_t epoch[SEAL_EPOCH_LEN]);
/* Wipe every key in s. */
void seal_wipe(struct seal *s);

/* An epoch of incarnation order (it must grow with every start of the
 * node: see seal.c) and 4 random bytes from getrandom(); 0 ok, -1 with
 * errno. */
int seal_new_epoch(uint8_t epoch[SEAL_EPOCH_LEN], uint32_t order);
/* Which incarnation is later: <0 a before b, 0 same, >0 a after b. */
int seal_epoch_cmp(const uint8_t a[SEAL_EPOCH_LEN],
		   const uint8_t b[SEAL_EPOCH_LEN]);

/* Seal len payload bytes into out (cap bytes): returns the packet length
 * (len + SEAL_OVERHEAD), or -1 when it does not fit in cap or the counter
 * is exhausted.  payload may already sit at out + SEAL_HEADER_LEN (sealed
 * in place); any other overlap is not allowed. */
int seal_pack(struct seal *s, const void *payload, size_t len, void *out,
	      size_t cap);

/* Check and decrypt one received packet in place, received at now (ms,
 * monotonic).  On SEAL_OK *from is the authenticated sender and *payload
 * (inside pkt) holds *plen plaintext bytes; otherwise a negative enum
 * seal_err, its counter bumped, and pkt may be left as it was (nothing is
 * decrypted before the tag passes).  SEAL_E_TWIN and SEAL_E_DUPLICATE
 * are only returned for packets whose tag verified: *from is set then,
 * and s->twin holds the intruder's epoch after SEAL_E_TWIN. */
int seal_open(struct seal *s, void *pkt, size_t len, int64_t now,
	      uint32_t *from, const void **payload, size_t *plen);

/* A short constant text for an enum seal_err ("replayed packet"). */
const char *seal_strerror(int err);

/* The epoch last accepted from nodeid: 0 and epoch filled, or -1 when
 * that sender is not known. */
int seal_peer_epoch(const struct seal *s, uint32_t nodeid,
		    uint8_t epoch[SEAL_EPOCH_LEN]);

/* Master key from a key file of SEAL_KEYFILE_MIN..SEAL_KEYFILE_MAX bytes,
 * bound to the cluster name: 0 ok, -1 with errno (EINVAL: size out of
 * range) and out untouched. */
int seal_key_from_file(const char *path, const char *cluster,
		       uint8_t out[SEAL_KEY_LEN]);
/* Master key from the cluster name alone, as cman did without a key
 * file: the cluster is then only as secret as its name; callers warn. */
void seal_key_from_name(const char *cluster, uint8_t out[SEAL_KEY_LEN]);

/* Which key a node uses: <cman keyfile=> (or <totem keyfile=>) when
 * given, which must then be readable; else SEAL_KEYFILE when it exists;
 * else the name.  Returns SEAL_SRC_FILE or SEAL_SRC_NAME, or -1 with
 * errno when a key file exists but cannot be used (then the daemon must
 * not start: falling back to the name would split the cluster). */
enum { SEAL_SRC_FILE = 1, SEAL_SRC_NAME = 2 };
int seal_key_load(const char *keyfile, const char *cluster,
		  uint8_t out[SEAL_KEY_LEN]);

#endif
