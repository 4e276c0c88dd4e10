/* test/unit_seal.c - the envelope: keys, nonces, tampering, replay.
 *
 * The known-answer values were computed with Python's hmac/hashlib and
 * the "cryptography" package's ChaCha20Poly1305, following the layout in
 * seal.h, so they check the wire format against a second implementation
 * and catch any silent change of it. */
#include "unit.h"
#include "../net/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CID 3169			/* conf_cluster_id("alpha") */

static struct seal a, a2, b, c;		/* node 1 (twice), 2, 3 */

static void unhex(const char *s, uint8_t *out)
{
	for (; s[0] && s[1]; s += 2)
		*out++ = (uint8_t)strtoul((char[3]){ s[0], s[1], 0 }, NULL, 16);
}

static void epoch_of(int n, uint8_t e[SEAL_EPOCH_LEN])
{
	for (int i = 0; i < SEAL_EPOCH_LEN; i++)
		e[i] = (uint8_t)(n + i);
}

/* Node nodeid of cluster "alpha" (id cid) in its run number run. */
static void node(struct seal *s, uint16_t cid, uint32_t nodeid, int run)
{
	uint8_t master[SEAL_KEY_LEN], e[SEAL_EPOCH_LEN];

	seal_key_from_name("alpha", master);
	epoch_of(run, e);
	seal_init(s, master, cid, nodeid, e);
}

static uint64_t counter_of(const uint8_t *pkt)
{
	uint64_t v = 0;

	for (int i = 16; i < 24; i++)
		v = v << 8 | pkt[i];
	return v;
}

static int pack(struct seal *s, const char *text, uint8_t *out)
{
	return seal_pack(s, text, strlen(text), out, 256);
}

/* Open a copy at time now (ms), so the caller's packet can be opened
 * again. */
static int open_at(struct seal *s, const uint8_t *pkt, size_t len,
		   int64_t now)
{
	uint8_t buf[512];
	const void *p;
	size_t plen;
	uint32_t from;

	memcpy(buf, pkt, len);
	return seal_open(s, buf, len, now, &from, &p, &plen);
}

static int open_copy(struct seal *s, const uint8_t *pkt, size_t len)
{
	return open_at(s, pkt, len, 0);
}

TEST(seal_known_answer)
{
	uint8_t want[64], pkt[64], m[SEAL_KEY_LEN];

	seal_key_from_name("alpha", m);
	unhex("41c1e5fe2f0727f43b5a6633bb9193aca8a8d2a9be726cb2c309848194ee"
	      "7893", want);
	CHECK(!memcmp(m, want, 32));
	node(&a, CID, 1, 1);
	unhex("878d9af4c0927420538f17ec0ecfb22cfc2f5dd21e028828994605156564"
	      "c11d", want);
	CHECK(!memcmp(a.txkey, want, 32));
	CHECK_INT(pack(&a, "hello", pkt), 45);
	unhex("01000c6100000001010203040506070800000000000000005e0592006ccd"
	      "a11d4a6de0f4ba9585f230a656304a", want);
	CHECK(!memcmp(pkt, want, 45));
}

TEST(seal_round_trip)
{
	uint8_t pkt[256];
	const void *p = NULL;
	size_t plen = 99;
	uint32_t from = 0;
	int n;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	n = pack(&a, "the payload", pkt);
	CHECK_INT(n, 11 + SEAL_OVERHEAD);
	CHECK(SEAL_OVERHEAD <= 40);
	CHECK_INT(seal_open(&b, pkt, (size_t)n, 0, &from, &p, &plen), SEAL_OK);
	CHECK_INT(from, 1);
	CHECK_INT(plen, 11);
	CHECK(p && !memcmp(p, "the payload", 11));
	CHECK_INT(b.rx_ok, 1);
	CHECK_INT(b.rx_new_epoch, 1);
	n = pack(&a, "", pkt);
	CHECK_INT(seal_open(&b, pkt, (size_t)n, 0, &from, &p, &plen), SEAL_OK);
	CHECK_INT(plen, 0);
	CHECK_INT(a.tx_packets, 2);
}

TEST(seal_pack_in_place_and_cap)
{
	uint8_t pkt[64];
	const void *p;
	size_t plen;
	uint32_t from;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	memcpy(pkt + SEAL_HEADER_LEN, "inplace", 7);
	CHECK_INT(seal_pack(&a, pkt + SEAL_HEADER_LEN, 7, pkt, sizeof pkt),
		  7 + SEAL_OVERHEAD);
	CHECK_INT(seal_open(&b, pkt, 7 + SEAL_OVERHEAD, 0, &from, &p, &plen), 0);
	CHECK(!memcmp(p, "inplace", 7));
	CHECK_INT(seal_pack(&a, "x", 1, pkt, SEAL_OVERHEAD), -1);
	CHECK_INT(seal_pack(&a, "x", 1, pkt, SEAL_OVERHEAD + 1),
		  1 + SEAL_OVERHEAD);
	CHECK_INT(seal_pack(&a, "", 0, pkt, SEAL_OVERHEAD - 1), -1);
}

/* Every single-bit change anywhere is refused and changes nothing. */
TEST(seal_every_bit_flip_rejected)
{
	uint8_t pkt[256], bad[256];
	int n, accepted = 0;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	n = pack(&a, "flip me, flip me", pkt);
	for (int bit = 0; bit < n * 8; bit++) {
		memcpy(bad, pkt, (size_t)n);
		bad[bit / 8] ^= (uint8_t)(1 << bit % 8);
		if (open_copy(&b, bad, (size_t)n) == SEAL_OK)
			accepted++;
	}
	CHECK_INT(accepted, 0);
	CHECK_INT(b.rx_ok, 0);
	CHECK_INT(b.rx_bad_version, 8);
	CHECK_INT(b.rx_foreign_cluster, 16);
	/* kind: 8; nodeid 1 -> 0 or > 4096 but not a guest id: 1 + 19 */
	CHECK_INT(b.rx_malformed, 8 + 20);
	/* nodeid 1 -> 3, 5, ... 2049 and guest 0x40000001: 12; epoch,
	 * counter, body, tag */
	CHECK_INT(b.rx_bad_auth, 12 + 64 + 64 + (n - SEAL_HEADER_LEN) * 8);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_OK);
}

TEST(seal_foreign_cluster_counted)
{
	uint8_t pkt[256];
	int n;

	node(&a, CID, 1, 1);
	node(&b, CID + 1, 2, 1);
	n = pack(&a, "hi", pkt);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_E_FOREIGN);
	CHECK_INT(b.rx_foreign_cluster, 1);
	CHECK_INT(b.rx_bad_auth, 0);
}

TEST(seal_different_keys_do_not_interoperate)
{
	uint8_t pkt[256], m1[SEAL_KEY_LEN], m2[SEAL_KEY_LEN], e[8] = {0};
	int n;

	seal_key_from_name("alpha", m1);
	seal_key_from_name("alphb", m2);
	CHECK(memcmp(m1, m2, SEAL_KEY_LEN));
	seal_init(&a, m1, CID, 1, e);
	seal_init(&b, m2, CID, 2, e);
	n = pack(&a, "hi", pkt);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_E_AUTH);
	CHECK_INT(b.rx_bad_auth, 1);
	n = pack(&b, "hi", pkt);
	CHECK_INT(open_copy(&a, pkt, (size_t)n), SEAL_E_AUTH);
}

TEST(seal_replay_dropped)
{
	uint8_t pkt[256];
	int n;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	n = pack(&a, "once", pkt);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_OK);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_E_REPLAY);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_E_REPLAY);
	CHECK_INT(b.rx_replay, 2);
	CHECK_INT(b.rx_ok, 1);
}

TEST(seal_out_of_order_accepted_once)
{
	static const int order[] = { 9, 3, 0, 5, 1, 8, 2, 7, 4, 6 };
	uint8_t pkt[10][64];
	int n[10], ok = 0, replay = 0;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	for (int i = 0; i < 10; i++)
		n[i] = seal_pack(&a, "m", 1, pkt[i], sizeof pkt[i]);
	for (int i = 0; i < 10; i++)
		ok += open_copy(&b, pkt[order[i]], (size_t)n[order[i]]) == 0;
	for (int i = 0; i < 10; i++)
		replay += open_copy(&b, pkt[i], (size_t)n[i]) == SEAL_E_REPLAY;
	CHECK_INT(ok, 10);
	CHECK_INT(replay, 10);
}

/* Counters the window has passed are dropped; the last one inside it
 * is still taken. */
TEST(seal_too_old_rejected)
{
	uint8_t first[64], edge[64], last[64], junk[64];
	int nf, ne, nl;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	nf = seal_pack(&a, "0", 1, first, sizeof first);
	ne = seal_pack(&a, "1", 1, edge, sizeof edge);
	for (int i = 2; i < SEAL_WINDOW; i++)
		seal_pack(&a, "x", 1, junk, sizeof junk);
	nl = seal_pack(&a, "W", 1, last, sizeof last);	/* counter W */
	CHECK_INT(open_copy(&b, last, (size_t)nl), SEAL_OK);
	CHECK_INT(open_copy(&b, first, (size_t)nf), SEAL_E_REPLAY);
	CHECK_INT(open_copy(&b, edge, (size_t)ne), SEAL_OK);
	CHECK_INT(open_copy(&b, edge, (size_t)ne), SEAL_E_REPLAY);
	CHECK_INT(b.rx_bad_auth, 0);
}

/* A window slid far ahead forgets everything below it, then refills. */
TEST(seal_window_jump)
{
	uint8_t p0[64], pk[64], pj[64];
	int n0, nk, nj;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	n0 = seal_pack(&a, "0", 1, p0, sizeof p0);
	a.counter = 10 * SEAL_WINDOW;
	nj = seal_pack(&a, "j", 1, pj, sizeof pj);	/* bit of 0 */
	nk = seal_pack(&a, "k", 1, pk, sizeof pk);
	CHECK_INT(open_copy(&b, p0, (size_t)n0), SEAL_OK);
	CHECK_INT(open_copy(&b, pk, (size_t)nk), SEAL_OK);
	CHECK_INT(open_copy(&b, pj, (size_t)nj), SEAL_OK);
	CHECK_INT(open_copy(&b, p0, (size_t)n0), SEAL_E_REPLAY);
	CHECK_INT(open_copy(&b, pk, (size_t)nk), SEAL_E_REPLAY);
	a.counter = UINT64_MAX;
	CHECK_INT(seal_pack(&a, "z", 1, pk, sizeof pk), -1);
}

/* A restarted sender (new epoch, counter from 0) is heard at once. */
TEST(seal_new_epoch_accepted)
{
	uint8_t old[64], new0[64], e[SEAL_EPOCH_LEN];
	int no, nn;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	for (int i = 0; i < 5; i++) {
		no = seal_pack(&a, "old", 3, old, sizeof old);
		CHECK_INT(open_copy(&b, old, (size_t)no), SEAL_OK);
	}
	node(&a2, CID, 1, 2);
	nn = seal_pack(&a2, "new", 3, new0, sizeof new0);
	CHECK_INT(open_copy(&b, new0, (size_t)nn), SEAL_OK);
	CHECK_INT(open_copy(&b, new0, (size_t)nn), SEAL_E_REPLAY);
	CHECK_INT(b.rx_new_epoch, 2);
	CHECK_INT(seal_peer_epoch(&b, 1, e), 0);
	CHECK(!memcmp(e, a2.epoch, SEAL_EPOCH_LEN));
	CHECK_INT(seal_peer_epoch(&b, 7, e), -1);
}

/* A recorded packet of a node's earlier run, replayed after its restart,
 * is dropped before any crypto and changes nothing; so is a forged one
 * naming an earlier epoch. */
TEST(seal_earlier_run_is_stale)
{
	uint8_t old[64], now[64], e[SEAL_EPOCH_LEN];
	int no, nn;

	node(&a, CID, 1, 1);
	node(&a2, CID, 1, 2);
	node(&b, CID, 2, 1);
	no = seal_pack(&a, "leave", 5, old, sizeof old);
	nn = seal_pack(&a2, "hello", 5, now, sizeof now);
	CHECK_INT(open_copy(&b, now, (size_t)nn), SEAL_OK);
	CHECK_INT(open_copy(&b, old, (size_t)no), SEAL_E_STALE);
	CHECK_INT(b.rx_stale, 1);
	CHECK_INT(b.rx_new_epoch, 1);
	CHECK_INT(seal_peer_epoch(&b, 1, e), 0);
	CHECK(!memcmp(e, a2.epoch, SEAL_EPOCH_LEN));
	CHECK_STR(seal_strerror(SEAL_E_STALE),
		  "packet of an earlier run of its sender (replayed)");
}

/* Two machines with one node id: while the one a receiver has is heard
 * within hold_ms, a later epoch is refused (after its tag verified), and
 * a node that hears its own id from another epoch is told so. */
TEST(seal_node_id_used_twice)
{
	uint8_t p1[64], p2[64], bad[64], e[SEAL_EPOCH_LEN];
	int n1, n2;

	node(&a, CID, 1, 1);		/* the member */
	node(&a2, CID, 1, 2);		/* another machine, also id 1 */
	node(&b, CID, 2, 1);
	b.hold_ms = 1000;
	n1 = seal_pack(&a, "token", 5, p1, sizeof p1);
	CHECK_INT(open_at(&b, p1, (size_t)n1, 5000), SEAL_OK);
	n2 = seal_pack(&a2, "join", 4, p2, sizeof p2);
	memcpy(bad, p2, (size_t)n2);
	bad[n2 - 1] ^= 1;
	CHECK_INT(open_at(&b, bad, (size_t)n2, 5500), SEAL_E_AUTH);
	CHECK_INT(open_at(&b, p2, (size_t)n2, 5500), SEAL_E_DUPLICATE);
	CHECK_INT(b.rx_duplicate, 1);
	CHECK_INT(seal_peer_epoch(&b, 1, e), 0);
	CHECK(!memcmp(e, a.epoch, SEAL_EPOCH_LEN));
	/* the member fell silent for hold_ms: a restart, accepted */
	n2 = seal_pack(&a2, "join", 4, p2, sizeof p2);
	CHECK_INT(open_at(&b, p2, (size_t)n2, 6001), SEAL_OK);
	/* each of the two hears the other as a twin, and a looped-back
	 * packet of its own as itself */
	CHECK_INT(open_at(&a, p2, (size_t)n2, 6001), SEAL_E_TWIN);
	CHECK(!memcmp(a.twin, a2.epoch, SEAL_EPOCH_LEN));
	CHECK_INT(open_at(&a2, p1, (size_t)n1, 6001), SEAL_E_TWIN);
	CHECK_INT(open_at(&a2, p2, (size_t)n2, 6001), SEAL_E_SELF);
	CHECK_INT(a.rx_twin, 1);
	/* a2 knows run 1 was its own (the order file): its past, replayed */
	a2.own_last = 0x01020304;
	CHECK_INT(open_at(&a2, p1, (size_t)n1, 6001), SEAL_E_STALE);
	CHECK_INT(open_at(&a, bad, (size_t)n2, 6001), SEAL_E_AUTH);
}

/* The property the nonce design rests on: no two (subkey, nonce) pairs
 * repeat across senders, runs and packets. */
TEST(seal_nonce_never_repeats)
{
	uint8_t p1[64], p2[64], p3[64], e[SEAL_EPOCH_LEN];

	node(&a, CID, 1, 1);
	node(&a2, CID, 1, 2);
	node(&b, CID, 2, 1);
	CHECK(memcmp(a.txkey, a2.txkey, SEAL_KEY_LEN));	/* restart */
	CHECK(memcmp(a.txkey, b.txkey, SEAL_KEY_LEN));	/* senders */
	seal_init(&c, a.master, CID, 3, a.epoch);	/* same epoch */
	CHECK(memcmp(a.txkey, c.txkey, SEAL_KEY_LEN));
	/* same plaintext, same counter: the key streams differ */
	seal_pack(&a, "same", 4, p1, sizeof p1);
	seal_pack(&a2, "same", 4, p2, sizeof p2);
	seal_pack(&c, "same", 4, p3, sizeof p3);
	CHECK(memcmp(p1 + SEAL_HEADER_LEN, p2 + SEAL_HEADER_LEN, 4));
	CHECK(memcmp(p1 + SEAL_HEADER_LEN, p3 + SEAL_HEADER_LEN, 4));
	/* one sender: the counter on the wire strictly grows */
	for (int i = 0; i < 300; i++) {
		uint64_t prev = counter_of(p1);

		seal_pack(&a, "x", 1, p1, sizeof p1);
		CHECK(counter_of(p1) == prev + 1);
	}
	/* the receiver derives exactly the sender's subkey */
	CHECK_INT(open_copy(&b, p1, 1 + SEAL_OVERHEAD), SEAL_OK);
	CHECK(!memcmp(b.peer[0].key, a.txkey, SEAL_KEY_LEN));
	CHECK_INT(seal_new_epoch(e, 1), 0);
	CHECK_INT(seal_new_epoch(a2.epoch, 1), 0);
	CHECK(memcmp(e, a2.epoch, SEAL_EPOCH_LEN));
}

TEST(seal_truncated_rejected)
{
	uint8_t pkt[256];
	int n, ok = 0;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	n = pack(&a, "a payload of some length", pkt);
	for (int len = 0; len < n; len++)
		ok += open_copy(&b, pkt, (size_t)len) == SEAL_OK;
	CHECK_INT(ok, 0);
	CHECK_INT(b.rx_malformed, SEAL_OVERHEAD);
	CHECK_INT(b.rx_bad_auth, n - SEAL_OVERHEAD);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_OK);
}

TEST(seal_own_and_bad_nodeid)
{
	uint8_t pkt[256];
	int n;

	node(&a, CID, 1, 1);
	n = pack(&a, "me", pkt);
	CHECK_INT(open_copy(&a, pkt, (size_t)n), SEAL_E_SELF);
	CHECK_INT(a.rx_self, 1);
	node(&b, CID, 4097, 1);
	n = pack(&b, "big", pkt);
	CHECK_INT(open_copy(&a, pkt, (size_t)n), SEAL_E_MALFORMED);
	CHECK_STR(seal_strerror(SEAL_E_REPLAY), "replayed or too old packet");
	CHECK_STR(seal_strerror(-99), "unknown error");
	CHECK_STR(seal_strerror(SEAL_OK), "ok");
}

/* More senders than slots: the least recently heard is forgotten, and
 * comes back as a new epoch. */
TEST(seal_sender_table_full)
{
	static struct seal s;
	uint8_t pkt[64];
	int ok = 0, n;

	node(&b, CID, 1, 1);
	for (uint32_t id = 2; id < 2 + SEAL_MAX_PEERS + 8; id++) {
		node(&s, CID, id, 1);
		n = seal_pack(&s, "p", 1, pkt, sizeof pkt);
		ok += open_copy(&b, pkt, (size_t)n) == SEAL_OK;
	}
	CHECK_INT(ok, SEAL_MAX_PEERS + 8);
	CHECK_INT(seal_peer_epoch(&b, 2, pkt), -1);
	CHECK_INT(seal_peer_epoch(&b, 9, pkt), -1);
	CHECK_INT(seal_peer_epoch(&b, 10, pkt), 0);
	CHECK_INT(seal_peer_epoch(&b, SEAL_MAX_PEERS + 9, pkt), 0);
	node(&s, CID, 2, 1);
	n = seal_pack(&s, "p", 1, pkt, sizeof pkt);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_OK);
}

static void write_bytes(const char *path, int n)
{
	uint8_t buf[5000];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	for (int i = 0; i < n; i++)
		buf[i] = (uint8_t)i;
	if (fd >= 0) {
		CHECK_INT(write(fd, buf, (size_t)n), n);
		close(fd);
	}
}

TEST(seal_key_files)
{
	char dir[] = "/tmp/unit_seal.XXXXXX", path[64], want[40];
	uint8_t k1[32], k2[32], k3[32];

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/authkey", dir);
	write_bytes(path, 32);
	CHECK_INT(seal_key_from_file(path, "alpha", k1), 0);
	unhex("796dd5047a985c78a4f5e1cc1edde469bde270b4d690b454c8e5768921d7"
	      "a123", (uint8_t *)want);
	CHECK(!memcmp(k1, want, 32));
	CHECK_INT(seal_key_from_file(path, "beta", k2), 0);
	CHECK(memcmp(k1, k2, 32));		/* bound to the name */
	CHECK_INT(seal_key_load(path, "alpha", k3), SEAL_SRC_FILE);
	CHECK(!memcmp(k1, k3, 32));
	write_bytes(path, SEAL_KEYFILE_MIN - 1);
	memcpy(k3, k2, 32);
	CHECK_INT(seal_key_from_file(path, "alpha", k2), -1);
	CHECK_INT(errno, EINVAL);
	CHECK(!memcmp(k2, k3, 32));		/* untouched */
	write_bytes(path, SEAL_KEYFILE_MIN);
	CHECK_INT(seal_key_from_file(path, "alpha", k2), 0);
	write_bytes(path, SEAL_KEYFILE_MAX + 1);
	CHECK_INT(seal_key_from_file(path, "alpha", k2), -1);
	CHECK_INT(errno, EFBIG);
	CHECK_INT(seal_key_load(path, "alpha", k2), -1);
	unlink(path);
	CHECK_INT(seal_key_from_file(path, "alpha", k2), -1);
	CHECK_INT(errno, ENOENT);
	CHECK_INT(seal_key_load(path, "alpha", k2), -1);  /* named: needed */
	rmdir(dir);
	if (access(SEAL_KEYFILE, F_OK) < 0 && errno == ENOENT) {
		CHECK_INT(seal_key_load(NULL, "alpha", k2), SEAL_SRC_NAME);
		seal_key_from_name("alpha", k3);
		CHECK(!memcmp(k2, k3, 32));
	}
}

/* Sliding by less than the window must clear the bits it reuses. */
TEST(seal_window_slide_clears_reused_bits)
{
	uint8_t pkt[SEAL_WINDOW + 8][48];
	int n = 0, ok = 0;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	for (int i = 0; i < SEAL_WINDOW + 8; i++)
		n = seal_pack(&a, "s", 1, pkt[i], sizeof pkt[i]);
	for (int i = 0; i < 10; i++)
		ok += open_copy(&b, pkt[i], (size_t)n) == SEAL_OK;
	ok += open_copy(&b, pkt[SEAL_WINDOW + 5], (size_t)n) == SEAL_OK;
	ok += open_copy(&b, pkt[SEAL_WINDOW + 3], (size_t)n) == SEAL_OK;
	ok += open_copy(&b, pkt[SEAL_WINDOW + 6], (size_t)n) == SEAL_OK;
	CHECK_INT(ok, 13);
	CHECK_INT(open_copy(&b, pkt[5], (size_t)n), SEAL_E_REPLAY);
	CHECK_INT(open_copy(&b, pkt[7], (size_t)n), SEAL_E_REPLAY);
	CHECK_INT(open_copy(&b, pkt[SEAL_WINDOW + 3], (size_t)n),
		  SEAL_E_REPLAY);
}

/* A forged packet, even one naming a new epoch, changes no state: the
 * genuine packets seen before are still replays afterwards. */
TEST(seal_forgery_changes_nothing)
{
	uint8_t pkt[256], bad[256], e[SEAL_EPOCH_LEN];
	int n;

	node(&a, CID, 1, 1);
	node(&b, CID, 2, 1);
	n = pack(&a, "genuine", pkt);
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_OK);
	memcpy(bad, pkt, (size_t)n);
	bad[8] ^= 0x80;				/* another epoch */
	bad[23] ^= 0x01;			/* another counter */
	CHECK_INT(open_copy(&b, bad, (size_t)n), SEAL_E_AUTH);
	CHECK_INT(seal_peer_epoch(&b, 1, e), 0);
	CHECK(!memcmp(e, a.epoch, SEAL_EPOCH_LEN));
	CHECK_INT(open_copy(&b, pkt, (size_t)n), SEAL_E_REPLAY);
	CHECK_INT(b.rx_new_epoch, 1);
}
