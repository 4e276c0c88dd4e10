/* net/crypto.h - SHA-256, HMAC, HKDF and ChaCha20-Poly1305, pure code.
 *
 * No system calls, no allocation, no global state: every function works
 * on the caller's memory only, so the module runs the same in the daemon,
 * the simulator and the fuzzers.  Byte strings are void pointers with a
 * length; fixed-size keys, nonces and digests are uint8_t arrays. */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stddef.h>
#include <stdint.h>

enum {
	CRYPTO_HASH_LEN = 32,		/* SHA-256 digest, HMAC, PRK */
	CRYPTO_BLOCK_LEN = 64,		/* SHA-256 block */
	CRYPTO_KEY_LEN = 32,		/* ChaCha20 and AEAD key */
	CRYPTO_NONCE_LEN = 12,		/* ChaCha20 and AEAD nonce */
	CRYPTO_TAG_LEN = 16,		/* Poly1305 tag */
	CRYPTO_HKDF_MAX = 255 * 32,	/* longest HKDF-Expand output */
};

/* SHA-256 (FIPS 180-4), incremental: init, any number of updates, final.
 * final() leaves the context wiped; init() again to reuse it. */
struct crypto_sha256_ctx {
	uint32_t h[8];			/* chaining value */
	uint64_t len;			/* bytes hashed so far */
	uint8_t buf[CRYPTO_BLOCK_LEN];	/* partial block: len % 64 */
};
void crypto_sha256_init(struct crypto_sha256_ctx *c);
void crypto_sha256_update(struct crypto_sha256_ctx *c, const void *data,
			  size_t len);
void crypto_sha256_final(struct crypto_sha256_ctx *c,
			 uint8_t out[CRYPTO_HASH_LEN]);
void crypto_sha256(const void *data, size_t len,
		   uint8_t out[CRYPTO_HASH_LEN]);

/* HMAC-SHA256 (RFC 2104), incremental and one-shot; any key length. */
struct crypto_hmac_ctx {
	struct crypto_sha256_ctx inner;	/* H(K ^ ipad || text) */
	struct crypto_sha256_ctx outer;	/* H(K ^ opad || ...) */
};
void crypto_hmac_init(struct crypto_hmac_ctx *c, const void *key,
		      size_t keylen);
void crypto_hmac_update(struct crypto_hmac_ctx *c, const void *data,
			size_t len);
void crypto_hmac_final(struct crypto_hmac_ctx *c,
		       uint8_t out[CRYPTO_HASH_LEN]);
void crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
			size_t len, uint8_t out[CRYPTO_HASH_LEN]);

/* HKDF-SHA256 (RFC 5869).  Expand writes len bytes, at most
 * CRYPTO_HKDF_MAX; a longer request returns -1 and writes nothing.
 * crypto_hkdf() is extract then expand. */
void crypto_hkdf_extract(const void *salt, size_t saltlen, const void *ikm,
			 size_t ikmlen, uint8_t prk[CRYPTO_HASH_LEN]);
int crypto_hkdf_expand(const uint8_t prk[CRYPTO_HASH_LEN], const void *info,
		       size_t infolen, void *out, size_t len);
int crypto_hkdf(const void *salt, size_t saltlen, const void *ikm,
		size_t ikmlen, const void *info, size_t infolen, void *out,
		size_t len);

/* ChaCha20 (RFC 8439 section 2.4): out = in XOR the key stream starting
 * at block counter; out may equal in.  Zeros in give the key stream. */
void crypto_chacha20(const uint8_t key[CRYPTO_KEY_LEN],
		     const uint8_t nonce[CRYPTO_NONCE_LEN], uint32_t counter,
		     const void *in, void *out, size_t len);

/* Poly1305 (RFC 8439 section 2.5) under a one-time key. */
void crypto_poly1305(const uint8_t key[32], const void *msg, size_t len,
		     uint8_t tag[CRYPTO_TAG_LEN]);

/* AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8).
 *
 * seal: encrypts len bytes of in and writes len + CRYPTO_TAG_LEN bytes to
 * out, the ciphertext followed by the tag.
 * open: in holds len bytes, ciphertext followed by the tag.  When the tag
 * verifies it writes the len - CRYPTO_TAG_LEN plaintext bytes to out and
 * returns 0; otherwise (also when len < CRYPTO_TAG_LEN) it returns -1
 * and out is left untouched: nothing is decrypted before the tag passes.
 * Both work in place (out == in).  A nonce must never repeat under one
 * key. */
void crypto_aead_seal(const uint8_t key[CRYPTO_KEY_LEN],
		      const uint8_t nonce[CRYPTO_NONCE_LEN], const void *aad,
		      size_t aadlen, const void *in, size_t len, void *out);
int crypto_aead_open(const uint8_t key[CRYPTO_KEY_LEN],
		     const uint8_t nonce[CRYPTO_NONCE_LEN], const void *aad,
		     size_t aadlen, const void *in, size_t len, void *out);

/* 1 when the n bytes at a and b are equal, else 0, in time that depends
 * on n only. */
int crypto_memeq(const void *a, const void *b, size_t n);

/* Zero n bytes in a way the compiler may not drop as a dead store. */
void crypto_wipe(void *p, size_t n);

#endif
