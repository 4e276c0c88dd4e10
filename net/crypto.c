/* net/crypto.c - SHA-256, HMAC, HKDF and ChaCha20-Poly1305, pure code.
 *
 * Written from FIPS 180-4 (SHA-256), RFC 2104 (HMAC), RFC 5869 (HKDF)
 * and RFC 8439 (ChaCha20, Poly1305, their AEAD).  Built for size first:
 * loops instead of unrolled rounds, one buffering pattern for SHA-256
 * and Poly1305.  Nothing here branches or indexes memory on secret data,
 * and every buffer that held key material is wiped before returning. */
#include "crypto.h"

#include <string.h>

static uint32_t load32_le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t load32_be(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store32_le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void store32_be(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static uint32_t rotr(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

void crypto_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

/* OR of all differences, so the loop always runs to the end; volatile
 * reads keep the compiler from turning it into an early-exit memcmp. */
int crypto_memeq(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint32_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return (int)(1 & ((d - 1) >> 8));
}

/* --- SHA-256 (FIPS 180-4 section 6.2) ------------------------------------ */

/* First 32 bits of the fractional parts of the cube roots of the first
 * 64 primes (section 4.2.2). */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Square roots of the first 8 primes (section 5.3.3). */
static const uint32_t sha256_h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* The Sigma functions of section 4.1.2 mix a and e in each round; the
 * sigma ones, whose last term is a shift, spread the message schedule. */
static uint32_t big_sigma(uint32_t x, int a, int b, int c)
{
	return rotr(x, a) ^ rotr(x, b) ^ rotr(x, c);
}

static uint32_t small_sigma(uint32_t x, int a, int b, int c)
{
	return rotr(x, a) ^ rotr(x, b) ^ x >> c;
}

static void sha256_schedule(uint32_t w[64], const uint8_t *p)
{
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load32_be(p + 4 * i);
	for (; i < 64; i++)
		w[i] = small_sigma(w[i - 2], 17, 19, 10) + w[i - 7] +
		       small_sigma(w[i - 15], 7, 18, 3) + w[i - 16];
}

/* The working variables a..h live in v[0..7]; each round shifts them
 * down one place instead of renaming eight locals. */
static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], v[8], t1, t2;
	int i, j;

	sha256_schedule(w, p);
	memcpy(v, h, sizeof v);
	for (i = 0; i < 64; i++) {
		t1 = v[7] + big_sigma(v[4], 6, 11, 25) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha256_k[i] + w[i];
		t2 = big_sigma(v[0], 2, 13, 22) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		for (j = 7; j > 0; j--)
			v[j] = v[j - 1];
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		h[i] += v[i];
	crypto_wipe(w, sizeof w);
	crypto_wipe(v, sizeof v);
}

void crypto_sha256_init(struct crypto_sha256_ctx *c)
{
	memcpy(c->h, sha256_h0, sizeof c->h);
	c->len = 0;
}

void crypto_sha256_update(struct crypto_sha256_ctx *c, const void *data,
			  size_t len)
{
	const uint8_t *p = data;

	while (len) {
		size_t used = c->len % CRYPTO_BLOCK_LEN;
		size_t n = CRYPTO_BLOCK_LEN - used;

		if (n > len)
			n = len;
		memcpy(c->buf + used, p, n);
		c->len += n;
		p += n;
		len -= n;
		if (used + n == CRYPTO_BLOCK_LEN)
			sha256_block(c->h, c->buf);
	}
}

/* Padding (section 5.1.1): 0x80, zeros up to 56 mod 64, then the message
 * length in bits as a 64-bit big-endian number; one update does it all. */
void crypto_sha256_final(struct crypto_sha256_ctx *c,
			 uint8_t out[CRYPTO_HASH_LEN])
{
	uint8_t pad[CRYPTO_BLOCK_LEN + 8] = { 0x80 };
	size_t n = ((55 - c->len) & 63) + 1;
	uint64_t bits = c->len * 8;

	store32_be(pad + n, (uint32_t)(bits >> 32));
	store32_be(pad + n + 4, (uint32_t)bits);
	crypto_sha256_update(c, pad, n + 8);
	for (int i = 0; i < 8; i++)
		store32_be(out + 4 * i, c->h[i]);
	crypto_wipe(c, sizeof *c);
}

void crypto_sha256(const void *data, size_t len,
		   uint8_t out[CRYPTO_HASH_LEN])
{
	struct crypto_sha256_ctx c;

	crypto_sha256_init(&c);
	crypto_sha256_update(&c, data, len);
	crypto_sha256_final(&c, out);
}

/* --- HMAC (RFC 2104) and HKDF (RFC 5869) --------------------------------- */

/* Both hash contexts absorb their padded key block here, so the key is
 * not needed again and update/final only feed and finish them. */
void crypto_hmac_init(struct crypto_hmac_ctx *c, const void *key,
		      size_t keylen)
{
	uint8_t k[CRYPTO_BLOCK_LEN] = { 0 };
	int i;

	if (keylen > CRYPTO_BLOCK_LEN)
		crypto_sha256(key, keylen, k);
	else if (keylen)
		memcpy(k, key, keylen);
	for (i = 0; i < CRYPTO_BLOCK_LEN; i++)
		k[i] ^= 0x36;
	crypto_sha256_init(&c->inner);
	crypto_sha256_update(&c->inner, k, sizeof k);
	for (i = 0; i < CRYPTO_BLOCK_LEN; i++)
		k[i] ^= 0x36 ^ 0x5c;
	crypto_sha256_init(&c->outer);
	crypto_sha256_update(&c->outer, k, sizeof k);
	crypto_wipe(k, sizeof k);
}

void crypto_hmac_update(struct crypto_hmac_ctx *c, const void *data,
			size_t len)
{
	crypto_sha256_update(&c->inner, data, len);
}

void crypto_hmac_final(struct crypto_hmac_ctx *c,
		       uint8_t out[CRYPTO_HASH_LEN])
{
	crypto_sha256_final(&c->inner, out);
	crypto_sha256_update(&c->outer, out, CRYPTO_HASH_LEN);
	crypto_sha256_final(&c->outer, out);
}

void crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
			size_t len, uint8_t out[CRYPTO_HASH_LEN])
{
	struct crypto_hmac_ctx c;

	crypto_hmac_init(&c, key, keylen);
	crypto_hmac_update(&c, data, len);
	crypto_hmac_final(&c, out);
}

/* A missing salt is HashLen zero bytes (section 2.2); HMAC pads any key
 * with zeros to a block, so an empty salt gives the same PRK. */
void crypto_hkdf_extract(const void *salt, size_t saltlen, const void *ikm,
			 size_t ikmlen, uint8_t prk[CRYPTO_HASH_LEN])
{
	crypto_hmac_sha256(salt, saltlen, ikm, ikmlen, prk);
}

/* T(i) = HMAC(PRK, T(i-1) | info | i).  The PRK is keyed into `base'
 * before any output is written, so out may overlap prk. */
int crypto_hkdf_expand(const uint8_t prk[CRYPTO_HASH_LEN], const void *info,
		       size_t infolen, void *out, size_t len)
{
	struct crypto_hmac_ctx base, c;
	uint8_t t[CRYPTO_HASH_LEN], *o = out;

	if (len > CRYPTO_HKDF_MAX)
		return -1;
	crypto_hmac_init(&base, prk, CRYPTO_HASH_LEN);
	for (uint8_t i = 1; len; i++) {
		size_t n = len < sizeof t ? len : sizeof t;

		c = base;
		if (i > 1)
			crypto_hmac_update(&c, t, sizeof t);
		crypto_hmac_update(&c, info, infolen);
		crypto_hmac_update(&c, &i, 1);
		crypto_hmac_final(&c, t);
		memcpy(o, t, n);
		o += n;
		len -= n;
	}
	crypto_wipe(&base, sizeof base);
	crypto_wipe(t, sizeof t);
	return 0;
}

int crypto_hkdf(const void *salt, size_t saltlen, const void *ikm,
		size_t ikmlen, const void *info, size_t infolen, void *out,
		size_t len)
{
	uint8_t prk[CRYPTO_HASH_LEN];
	int rc;

	crypto_hkdf_extract(salt, saltlen, ikm, ikmlen, prk);
	rc = crypto_hkdf_expand(prk, info, infolen, out, len);
	crypto_wipe(prk, sizeof prk);
	return rc;
}

/* --- ChaCha20 (RFC 8439 sections 2.1-2.4) -------------------------------- */

static void chacha_quarter(uint32_t *x, int a, int b, int c, int d)
{
	x[a] += x[b];
	x[d] = rotr(x[d] ^ x[a], 32 - 16);
	x[c] += x[d];
	x[b] = rotr(x[b] ^ x[c], 32 - 12);
	x[a] += x[b];
	x[d] = rotr(x[d] ^ x[a], 32 - 8);
	x[c] += x[d];
	x[b] = rotr(x[b] ^ x[c], 32 - 7);
}

/* State layout of section 2.3: "expand 32-byte k", key, counter, nonce. */
static void chacha_init(uint32_t s[16], const uint8_t key[CRYPTO_KEY_LEN],
			const uint8_t nonce[CRYPTO_NONCE_LEN],
			uint32_t counter)
{
	int i;

	s[0] = 0x61707865;
	s[1] = 0x3320646e;
	s[2] = 0x79622d32;
	s[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		s[4 + i] = load32_le(key + 4 * i);
	s[12] = counter;
	for (i = 0; i < 3; i++)
		s[13 + i] = load32_le(nonce + 4 * i);
}

/* Twenty rounds as ten column-then-diagonal double rounds. */
static void chacha_block(const uint32_t s[16], uint8_t out[64])
{
	uint32_t x[16];
	int i;

	memcpy(x, s, sizeof x);
	for (i = 0; i < 10; i++) {
		chacha_quarter(x, 0, 4, 8, 12);
		chacha_quarter(x, 1, 5, 9, 13);
		chacha_quarter(x, 2, 6, 10, 14);
		chacha_quarter(x, 3, 7, 11, 15);
		chacha_quarter(x, 0, 5, 10, 15);
		chacha_quarter(x, 1, 6, 11, 12);
		chacha_quarter(x, 2, 7, 8, 13);
		chacha_quarter(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		store32_le(out + 4 * i, x[i] + s[i]);
	crypto_wipe(x, sizeof x);
}

void crypto_chacha20(const uint8_t key[CRYPTO_KEY_LEN],
		     const uint8_t nonce[CRYPTO_NONCE_LEN], uint32_t counter,
		     const void *in, void *out, size_t len)
{
	const uint8_t *p = in;
	uint8_t *q = out, ks[64];
	uint32_t s[16];

	chacha_init(s, key, nonce, counter);
	while (len) {
		size_t n = len < sizeof ks ? len : sizeof ks;

		chacha_block(s, ks);
		s[12]++;
		for (size_t i = 0; i < n; i++)
			q[i] = p[i] ^ ks[i];
		p += n;
		q += n;
		len -= n;
	}
	crypto_wipe(s, sizeof s);
	crypto_wipe(ks, sizeof ks);
}

/* --- Poly1305 (RFC 8439 section 2.5) ----------------------------------------
 *
 * The accumulator h and the key half r are numbers below 2^130, kept as
 * five 26-bit limbs (value = sum of limb[i] * 2^(26 i)) so that a limb
 * product fits 52 bits and a sum of five such products fits a uint64_t.
 * Multiplying h by r gives limb pairs of weight 2^(26 (i + j)); those at
 * or past 2^130 fold back multiplied by 5, because 2^130 = 5 mod p with
 * p = 2^130 - 5.  Limbs may run a little over 26 bits between blocks;
 * only the final step carries them fully and reduces below p. */

#define LIMB_MASK 0x3ffffff

struct poly1305 {
	uint32_t r[5], h[5];		/* clamped r, accumulator: limbs */
	uint32_t s[4];			/* second key half, added last */
	uint8_t buf[16];		/* partial block */
	size_t used;			/* bytes in buf */
};

/* Limb i holds bits 26 i .. 26 i + 25 of the little-endian 16 bytes at
 * b; those start in byte 3 i at bit 2 i. */
static void poly_limbs(uint32_t l[5], const uint8_t *b)
{
	for (int i = 0; i < 5; i++)
		l[i] = (load32_le(b + 3 * i) >> 2 * i) & LIMB_MASK;
}

static void poly_init(struct poly1305 *c, const uint8_t key[32])
{
	uint8_t r[16];
	int i;

	memcpy(r, key, sizeof r);
	for (i = 3; i < 16; i += 4)
		r[i] &= 15;
	for (i = 4; i < 16; i += 4)
		r[i] &= 252;
	poly_limbs(c->r, r);
	memset(c->h, 0, sizeof c->h);
	for (i = 0; i < 4; i++)
		c->s[i] = load32_le(key + 16 + 4 * i);
	c->used = 0;
	crypto_wipe(r, sizeof r);
}

/* h = (h + block + hibit * 2^128) * r, partly reduced. */
static void poly_block(struct poly1305 *c, const uint8_t *b, uint32_t hibit)
{
	uint32_t m[5];
	uint64_t d[5], carry = 0;
	int i, j;

	poly_limbs(m, b);
	m[4] |= hibit << 24;
	for (i = 0; i < 5; i++)
		c->h[i] += m[i];
	for (i = 0; i < 5; i++) {
		d[i] = 0;
		for (j = 0; j < 5; j++)
			d[i] += (uint64_t)c->h[j] *
				(j <= i ? c->r[i - j] : 5 * c->r[i + 5 - j]);
	}
	for (i = 0; i < 5; i++) {
		d[i] += carry;
		c->h[i] = d[i] & LIMB_MASK;
		carry = d[i] >> 26;
	}
	carry = c->h[0] + carry * 5;
	c->h[0] = carry & LIMB_MASK;
	c->h[1] += (uint32_t)(carry >> 26);
}

static void poly_update(struct poly1305 *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		size_t n = sizeof c->buf - c->used;

		if (n > len)
			n = len;
		memcpy(c->buf + c->used, p, n);
		c->used += n;
		p += n;
		len -= n;
		if (c->used == sizeof c->buf) {
			poly_block(c, c->buf, 1);
			c->used = 0;
		}
	}
}

/* Carry every limb into the next; the top carry folds back times 5. */
static void poly_carry(uint32_t h[5])
{
	uint32_t c = 0;

	for (int i = 0; i < 5; i++) {
		h[i] += c;
		c = h[i] >> 26;
		h[i] &= LIMB_MASK;
	}
	h[0] += c * 5;
}

/* One carry pass can fold a carry out of the top back into limb 0 and
 * push it over 26 bits again; a second pass settles every limb below
 * 2^26.  Then h >= p exactly when h + 5 carries out of bit 130, and
 * h + 5 - 2^130 = h - p: pick that with a mask rather than a branch. */
static void poly_reduce(uint32_t h[5])
{
	uint32_t g[5], c = 5, mask;
	int i;

	poly_carry(h);
	poly_carry(h);
	for (i = 0; i < 5; i++) {
		g[i] = h[i] + c;
		c = g[i] >> 26;
		g[i] &= LIMB_MASK;
	}
	mask = 0 - c;
	for (i = 0; i < 5; i++)
		h[i] = (h[i] & ~mask) | (g[i] & mask);
}

/* A last partial block gets a 0x01 byte after the message instead of
 * bit 128; the tag is (h + s) mod 2^128, little-endian. */
static void poly_final(struct poly1305 *c, uint8_t tag[CRYPTO_TAG_LEN])
{
	uint64_t f = 0;

	if (c->used) {
		c->buf[c->used++] = 1;
		memset(c->buf + c->used, 0, sizeof c->buf - c->used);
		poly_block(c, c->buf, 0);
	}
	poly_reduce(c->h);
	for (int i = 0; i < 4; i++) {
		int j = 32 * i / 26, sh = 32 * i % 26;

		f += (uint64_t)(c->h[j] >> sh | c->h[j + 1] << (26 - sh));
		f += c->s[i];
		store32_le(tag + 4 * i, (uint32_t)f);
		f >>= 32;
	}
	crypto_wipe(c, sizeof *c);
}

void crypto_poly1305(const uint8_t key[32], const void *msg, size_t len,
		     uint8_t tag[CRYPTO_TAG_LEN])
{
	struct poly1305 c;

	poly_init(&c, key);
	poly_update(&c, msg, len);
	poly_final(&c, tag);
}

/* --- AEAD_CHACHA20_POLY1305 (RFC 8439 sections 2.6 and 2.8) -------------- */

/* The tag covers aad | pad16 | ciphertext | pad16 | le64 aadlen |
 * le64 ctlen under the one-time key: the first 32 bytes of key-stream
 * block 0 (section 2.6); the text itself is encrypted from block 1. */
static void aead_tag(const uint8_t key[CRYPTO_KEY_LEN],
		     const uint8_t nonce[CRYPTO_NONCE_LEN], const void *aad,
		     size_t aadlen, const void *ct, size_t len,
		     uint8_t tag[CRYPTO_TAG_LEN])
{
	static const uint8_t zero[16];
	uint8_t otk[32] = { 0 }, lens[16];
	struct poly1305 c;

	crypto_chacha20(key, nonce, 0, otk, otk, sizeof otk);
	poly_init(&c, otk);
	crypto_wipe(otk, sizeof otk);
	poly_update(&c, aad, aadlen);
	poly_update(&c, zero, -aadlen & 15);
	poly_update(&c, ct, len);
	poly_update(&c, zero, -len & 15);
	store32_le(lens, (uint32_t)aadlen);
	store32_le(lens + 4, (uint32_t)((uint64_t)aadlen >> 32));
	store32_le(lens + 8, (uint32_t)len);
	store32_le(lens + 12, (uint32_t)((uint64_t)len >> 32));
	poly_update(&c, lens, sizeof lens);
	poly_final(&c, tag);
}

void crypto_aead_seal(const uint8_t key[CRYPTO_KEY_LEN],
		      const uint8_t nonce[CRYPTO_NONCE_LEN], const void *aad,
		      size_t aadlen, const void *in, size_t len, void *out)
{
	uint8_t *q = out;

	crypto_chacha20(key, nonce, 1, in, q, len);
	aead_tag(key, nonce, aad, aadlen, q, len, q + len);
}

/* The tag is checked over the ciphertext before anything is decrypted,
 * so a forged packet never reaches out, even in place. */
int crypto_aead_open(const uint8_t key[CRYPTO_KEY_LEN],
		     const uint8_t nonce[CRYPTO_NONCE_LEN], const void *aad,
		     size_t aadlen, const void *in, size_t len, void *out)
{
	const uint8_t *p = in;
	uint8_t tag[CRYPTO_TAG_LEN];
	int ok;

	if (len < CRYPTO_TAG_LEN)
		return -1;
	len -= CRYPTO_TAG_LEN;
	aead_tag(key, nonce, aad, aadlen, p, len, tag);
	ok = crypto_memeq(tag, p + len, sizeof tag);
	crypto_wipe(tag, sizeof tag);
	if (!ok)
		return -1;
	crypto_chacha20(key, nonce, 1, p, out, len);
	return 0;
}
