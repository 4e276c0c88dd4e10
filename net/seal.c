/* net/seal.c - the packet envelope: authenticated encryption of payloads.
 *
 * Keys.  The master key is HKDF-SHA256 of a secret, salted with the
 * protocol version and bound to the cluster name through the info string,
 * so one key file shared by two clusters still gives them different keys.
 * The secret is the key file (SEAL_KEYFILE or <cman keyfile=>, 16..4096
 * bytes of anything) or, as cman did without one, the cluster name: then
 * the traffic is only as secret as the name, and the daemon says so.
 *
 * Nonces.  ChaCha20-Poly1305 fails open if a (key, nonce) pair repeats,
 * and every node shares the master key, so nodes never encrypt under it.
 * Each sender encrypts under its own subkey
 *     K(node, epoch) = HKDF-Expand(master, "hacluster seal v1 sender" ||
 *                                  cluster id || nodeid || epoch)
 * where epoch is drawn at every start (seal_new_epoch, below),
 * and the nonce is that sender's 64-bit message counter, counted from 0
 * and never reset inside one seal_init.  So:
 *  - one sender, one run: the counter only goes up (and refuses to wrap);
 *  - two senders: different nodeids give unrelated subkeys (HKDF is a
 *    PRF), whatever their counters and even if their epochs collide;
 *  - one sender restarted: a fresh epoch gives a fresh subkey, so
 *    restarting the counter at 0 is safe; two runs collide only with
 *    the same order and the same 32 random bits (a VM snapshot restores
 *    a stale order file, never a stale getrandom(), nor the clock).
 * Receivers derive a sender's subkey when they first see its (nodeid,
 * epoch) and keep it in that sender's slot: one HMAC per new epoch.
 *
 * Replay.  Each slot keeps the highest counter accepted and a bitmap of
 * the SEAL_WINDOW counters below it (indexed by counter % SEAL_WINDOW).
 * A counter at or below the window's floor or already marked is dropped
 * before any crypto, which keeps a flood of replays cheap.  The window is
 * wide because the daemon drains several sockets in turn, so a token may
 * be read after hundreds of multicasts sent later.  Only packets whose
 * tag verifies change a slot.
 *
 * Incarnations.  An epoch is 4 bytes of incarnation order, then 4
 * random bytes.  The order grows with each start of a node (the daemon
 * takes the larger of its saved order + 1 and the clock in seconds, so
 * neither a lost file nor a clock set back alone repeats one), and a
 * receiver compares epochs of one sender as numbers:
 *  - an earlier epoch than the slot's is an earlier run of that node:
 *    a replay, dropped before any crypto (SEAL_E_STALE), so a recorded
 *    leave or token of an earlier run changes nothing;
 *  - a later one is a restart, accepted once its tag verifies, unless
 *    the slot's epoch was heard less than hold_ms ago: then two machines
 *    run with one node id, and the one the receiver already has keeps
 *    it (SEAL_E_DUPLICATE) until it falls silent for hold_ms (the
 *    token timeout: by then the ring has let it go);
 *  - our own id with another epoch is another machine with our id
 *    (SEAL_E_TWIN, after the tag verified: a forger cannot raise it),
 *    unless its order is not above own_last, the last of our own
 *    earlier runs: then it is our past, replayed (SEAL_E_STALE).
 * Nonces stay unique: a repeated order still differs in 32 random bits.
 * A receiver that never heard a node's later run (it restarted itself)
 * accepts a replay of an earlier one as first contact, until the node's
 * genuine packets, later by epoch, move the slot for good. */
#include "seal.h"
#include "crypto.h"
#include "sys.h"
#include "wire.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define MAX_NODEID	4096
#define SALT		"hacluster seal v1"
#define MASTER_INFO	"hacluster seal v1 master key of cluster "
#define SENDER_INFO	"hacluster seal v1 sender"

/* --- keys ----------------------------------------------------------------- */
static void master_key(const void *secret, size_t len, const char *cluster,
		       uint8_t out[SEAL_KEY_LEN])
{
	uint8_t info[sizeof MASTER_INFO + 256];
	size_t n = strnlen(cluster, 256);

	memcpy(info, MASTER_INFO, sizeof MASTER_INFO - 1);
	memcpy(info + sizeof MASTER_INFO - 1, cluster, n);
	crypto_hkdf(SALT, sizeof SALT - 1, secret, len, info,
		    sizeof MASTER_INFO - 1 + n, out, SEAL_KEY_LEN);
}

void seal_key_from_name(const char *cluster, uint8_t out[SEAL_KEY_LEN])
{
	master_key(cluster, strlen(cluster), cluster, out);
}

int seal_key_from_file(const char *path, const char *cluster,
		       uint8_t out[SEAL_KEY_LEN])
{
	size_t len;
	char *key = read_file(path, SEAL_KEYFILE_MAX, &len);

	if (!key)
		return -1;
	if (len >= SEAL_KEYFILE_MIN)
		master_key(key, len, cluster, out);
	crypto_wipe(key, len);
	free(key);
	if (len >= SEAL_KEYFILE_MIN)
		return 0;
	errno = EINVAL;
	return -1;
}

int seal_key_load(const char *keyfile, const char *cluster,
		  uint8_t out[SEAL_KEY_LEN])
{
	const char *path = keyfile ? keyfile : SEAL_KEYFILE;

	if (!seal_key_from_file(path, cluster, out))
		return SEAL_SRC_FILE;
	if (keyfile || errno != ENOENT)
		return -1;
	seal_key_from_name(cluster, out);
	return SEAL_SRC_NAME;
}

int seal_new_epoch(uint8_t epoch[SEAL_EPOCH_LEN], uint32_t order)
{
	ssize_t n = getrandom(epoch + 4, SEAL_EPOCH_LEN - 4, 0);

	epoch[0] = (uint8_t)(order >> 24);
	epoch[1] = (uint8_t)(order >> 16);
	epoch[2] = (uint8_t)(order >> 8);
	epoch[3] = (uint8_t)order;
	if (n == SEAL_EPOCH_LEN - 4)
		return 0;
	if (n >= 0)
		errno = EIO;
	return -1;
}

int seal_epoch_cmp(const uint8_t a[SEAL_EPOCH_LEN],
		   const uint8_t b[SEAL_EPOCH_LEN])
{
	return memcmp(a, b, SEAL_EPOCH_LEN);
}

static void sender_key(const struct seal *s, uint32_t nodeid,
		       const uint8_t epoch[SEAL_EPOCH_LEN],
		       uint8_t out[SEAL_KEY_LEN])
{
	uint8_t info[sizeof SENDER_INFO + 2 + 4 + SEAL_EPOCH_LEN];
	struct wire_w w;

	wire_w_init(&w, info, sizeof info);
	wire_put_bytes(&w, SENDER_INFO, sizeof SENDER_INFO - 1);
	wire_put_u16(&w, s->cluster_id);
	wire_put_u32(&w, nodeid);
	wire_put_bytes(&w, epoch, SEAL_EPOCH_LEN);
	crypto_hkdf_expand(s->master, info, w.len, out, SEAL_KEY_LEN);
}

static void nonce_of(uint64_t counter, uint8_t nonce[CRYPTO_NONCE_LEN])
{
	struct wire_w w;

	wire_w_init(&w, nonce, CRYPTO_NONCE_LEN);
	wire_put_u32(&w, 0);
	wire_put_u64(&w, counter);
}

/* --- context -------------------------------------------------------------- */
void seal_init(struct seal *s, const uint8_t master[SEAL_KEY_LEN],
	       uint16_t cluster_id, uint32_t my_nodeid,
	       const uint8_t epoch[SEAL_EPOCH_LEN])
{
	memset(s, 0, sizeof *s);
	memcpy(s->master, master, SEAL_KEY_LEN);
	memcpy(s->epoch, epoch, SEAL_EPOCH_LEN);
	s->cluster_id = cluster_id;
	s->nodeid = my_nodeid;
	sender_key(s, my_nodeid, epoch, s->txkey);
}

void seal_wipe(struct seal *s)
{
	crypto_wipe(s, sizeof *s);
}

/* --- sending -------------------------------------------------------------- */
int seal_pack(struct seal *s, const void *payload, size_t len, void *out,
	      size_t cap)
{
	uint8_t nonce[CRYPTO_NONCE_LEN], *body;
	struct wire_w w;

	if (cap < SEAL_OVERHEAD || len > cap - SEAL_OVERHEAD ||
	    len > INT_MAX - SEAL_OVERHEAD || s->counter == UINT64_MAX)
		return -1;
	body = (uint8_t *)out + SEAL_HEADER_LEN;
	if (payload != body && len)
		memmove(body, payload, len);
	wire_w_init(&w, out, SEAL_HEADER_LEN);
	wire_put_u8(&w, SEAL_VERSION);
	wire_put_u8(&w, SEAL_KIND_TOTEM);
	wire_put_u16(&w, s->cluster_id);
	wire_put_u32(&w, s->nodeid);
	wire_put_bytes(&w, s->epoch, SEAL_EPOCH_LEN);
	wire_put_u64(&w, s->counter);
	nonce_of(s->counter++, nonce);
	crypto_aead_seal(s->txkey, nonce, out, SEAL_HEADER_LEN, body, len,
			 body);
	s->tx_packets++;
	return (int)(len + SEAL_OVERHEAD);
}

/* --- the replay window ---------------------------------------------------- */
static int seen_bit(const struct seal_peer *p, uint64_t c)
{
	unsigned i = (unsigned)(c % SEAL_WINDOW);

	return (int)(p->seen[i / 64] >> (i % 64) & 1);
}

static void set_bit(struct seal_peer *p, uint64_t c, int on)
{
	unsigned i = (unsigned)(c % SEAL_WINDOW);
	uint64_t bit = (uint64_t)1 << (i % 64);

	p->seen[i / 64] = on ? p->seen[i / 64] | bit : p->seen[i / 64] & ~bit;
}

/* 0 if counter c is new to p, else -1: seen, or below the window. */
static int window_check(const struct seal_peer *p, uint64_t c)
{
	if (c > p->top)
		return 0;
	if (p->top - c >= SEAL_WINDOW || seen_bit(p, c))
		return -1;
	return 0;
}

static void window_mark(struct seal_peer *p, uint64_t c)
{
	if (c > p->top && c - p->top >= SEAL_WINDOW)
		memset(p->seen, 0, sizeof p->seen);
	else
		for (uint64_t i = p->top + 1; i <= c && i > p->top; i++)
			set_bit(p, i, 0);
	if (c > p->top)
		p->top = c;
	set_bit(p, c, 1);
}

/* --- receiving ------------------------------------------------------------ */
struct header {
	uint8_t version, kind;
	uint16_t cluster_id;
	uint32_t nodeid;
	const uint8_t *epoch;
	uint64_t counter;
};

static void parse_header(const void *pkt, size_t len, struct header *h)
{
	struct wire_r r;

	wire_r_init(&r, pkt, len);
	h->version = wire_get_u8(&r);
	h->kind = wire_get_u8(&r);
	h->cluster_id = wire_get_u16(&r);
	h->nodeid = wire_get_u32(&r);
	h->epoch = wire_get_bytes(&r, SEAL_EPOCH_LEN);
	h->counter = wire_get_u64(&r);
}

/* The checks that need no key, cheapest and most telling first. */
static int check_header(const struct seal *s, size_t len,
			const struct header *h)
{
	if (len < 1)
		return SEAL_E_MALFORMED;
	if (h->version != SEAL_VERSION)
		return SEAL_E_VERSION;
	if (len < SEAL_OVERHEAD)
		return SEAL_E_MALFORMED;
	if (h->cluster_id != s->cluster_id)
		return SEAL_E_FOREIGN;
	if (h->kind != SEAL_KIND_TOTEM || !h->nodeid ||
	    (h->nodeid > MAX_NODEID && (h->nodeid < SEAL_GUEST_ID ||
					h->nodeid > SEAL_GUEST_ID + 0xffffff)))
		return SEAL_E_MALFORMED;
	if (h->nodeid == s->nodeid &&
	    !memcmp(h->epoch, s->epoch, SEAL_EPOCH_LEN))
		return SEAL_E_SELF;
	return SEAL_OK;
}

static struct seal_peer *peer_find(struct seal *s, uint32_t nodeid)
{
	for (int i = 0; i < SEAL_MAX_PEERS; i++)
		if (s->peer[i].nodeid == nodeid)
			return &s->peer[i];
	return NULL;
}

/* A free slot, else the one heard from least recently. */
static struct seal_peer *peer_new(struct seal *s)
{
	struct seal_peer *old = &s->peer[0];

	for (int i = 0; i < SEAL_MAX_PEERS; i++) {
		if (!s->peer[i].nodeid)
			return &s->peer[i];
		if (s->peer[i].used < old->used)
			old = &s->peer[i];
	}
	return old;
}

/* Move nodeid's slot to a new epoch whose key just proved itself. */
static struct seal_peer *peer_reset(struct seal *s, struct seal_peer *p,
				    const struct header *h,
				    const uint8_t key[SEAL_KEY_LEN])
{
	if (!p)
		p = peer_new(s);
	memset(p, 0, sizeof *p);
	p->nodeid = h->nodeid;
	memcpy(p->epoch, h->epoch, SEAL_EPOCH_LEN);
	memcpy(p->key, key, SEAL_KEY_LEN);
	s->rx_new_epoch++;
	return p;
}

static int count(struct seal *s, int err)
{
	static const size_t at[] = {
		[-SEAL_E_MALFORMED] = offsetof(struct seal, rx_malformed),
		[-SEAL_E_VERSION] = offsetof(struct seal, rx_bad_version),
		[-SEAL_E_FOREIGN] = offsetof(struct seal, rx_foreign_cluster),
		[-SEAL_E_SELF] = offsetof(struct seal, rx_self),
		[-SEAL_E_REPLAY] = offsetof(struct seal, rx_replay),
		[-SEAL_E_AUTH] = offsetof(struct seal, rx_bad_auth),
		[-SEAL_E_STALE] = offsetof(struct seal, rx_stale),
		[-SEAL_E_TWIN] = offsetof(struct seal, rx_twin),
		[-SEAL_E_DUPLICATE] = offsetof(struct seal, rx_duplicate),
	};

	(*(uint64_t *)((char *)s + at[-err]))++;
	return err;
}

static uint32_t order_of(const uint8_t epoch[SEAL_EPOCH_LEN])
{
	return (uint32_t)epoch[0] << 24 | (uint32_t)epoch[1] << 16 |
	       (uint32_t)epoch[2] << 8 | epoch[3];
}

/* Before any crypto: an earlier run of a known sender, or of this node,
 * is a replay. */
static int check_epoch(const struct seal *s, const struct seal_peer *p,
		       const struct header *h)
{
	if (p && seal_epoch_cmp(h->epoch, p->epoch) < 0)
		return SEAL_E_STALE;
	if (h->nodeid == s->nodeid && order_of(h->epoch) <= s->own_last)
		return SEAL_E_STALE;
	return SEAL_OK;
}

/* After the tag verified, a new epoch of a sender: our own id from
 * another machine, a later run while the current one is alive, or a
 * restart (0). */
static int judge_epoch(struct seal *s, const struct seal_peer *p,
		       const struct header *h, int64_t now)
{
	if (h->nodeid == s->nodeid) {
		memcpy(s->twin, h->epoch, SEAL_EPOCH_LEN);
		return SEAL_E_TWIN;
	}
	if (p && s->hold_ms && now - p->last < s->hold_ms)
		return SEAL_E_DUPLICATE;
	return SEAL_OK;
}

int seal_open(struct seal *s, void *pkt, size_t len, int64_t now,
	      uint32_t *from, const void **payload, size_t *plen)
{
	uint8_t nonce[CRYPTO_NONCE_LEN], fresh[SEAL_KEY_LEN];
	uint8_t *body = (uint8_t *)pkt + SEAL_HEADER_LEN;
	const uint8_t *key = fresh;
	struct seal_peer *p;
	struct header h;
	int err, known;

	parse_header(pkt, len, &h);
	if ((err = check_header(s, len, &h)))
		return count(s, err);
	p = h.nodeid == s->nodeid ? NULL : peer_find(s, h.nodeid);
	known = p && !memcmp(p->epoch, h.epoch, SEAL_EPOCH_LEN);
	if (known && window_check(p, h.counter))
		return count(s, SEAL_E_REPLAY);
	if ((err = check_epoch(s, p, &h)))
		return count(s, err);
	if (known)
		key = p->key;
	else
		sender_key(s, h.nodeid, h.epoch, fresh);
	nonce_of(h.counter, nonce);
	err = crypto_aead_open(key, nonce, pkt, SEAL_HEADER_LEN, body,
			       len - SEAL_HEADER_LEN, body);
	if (err) {
		crypto_wipe(fresh, sizeof fresh);
		return count(s, SEAL_E_AUTH);
	}
	*from = h.nodeid;
	if (!known && (err = judge_epoch(s, p, &h, now))) {
		crypto_wipe(fresh, sizeof fresh);
		return count(s, err);
	}
	if (!known)
		p = peer_reset(s, p, &h, fresh);
	crypto_wipe(fresh, sizeof fresh);
	s->fresh = !known || h.counter > p->top || !p->used;
	window_mark(p, h.counter);
	p->used = ++s->clock;
	p->last = now;
	s->rx_ok++;
	*payload = body;
	*plen = len - SEAL_OVERHEAD;
	return SEAL_OK;
}

const char *seal_strerror(int err)
{
	static const char *const text[] = {
		[-SEAL_OK] = "ok",
		[-SEAL_E_MALFORMED] = "malformed packet",
		[-SEAL_E_VERSION] = "unknown envelope version",
		[-SEAL_E_FOREIGN] = "packet of another cluster id",
		[-SEAL_E_SELF] = "packet claims our own node id",
		[-SEAL_E_REPLAY] = "replayed or too old packet",
		[-SEAL_E_AUTH] = "authentication failed (wrong key?)",
		[-SEAL_E_STALE] = "packet of an earlier run of its sender "
				  "(replayed)",
		[-SEAL_E_TWIN] = "another machine uses our node id",
		[-SEAL_E_DUPLICATE] = "a second machine with the node id of a "
				      "live member",
	};

	if (err > 0 || err <= -(int)ARRAY_LEN(text))
		return "unknown error";
	return text[-err];
}

int seal_peer_epoch(const struct seal *s, uint32_t nodeid,
		    uint8_t epoch[SEAL_EPOCH_LEN])
{
	for (int i = 0; nodeid && i < SEAL_MAX_PEERS; i++)
		if (s->peer[i].nodeid == nodeid) {
			memcpy(epoch, s->peer[i].epoch, SEAL_EPOCH_LEN);
			return 0;
		}
	return -1;
}
