/* test/unit_crypto.c - the crypto primitives against their specs' vectors.
 *
 * Every expected value is typed from the document named above its test:
 * FIPS 180-2 appendix B, RFC 4231 section 4, RFC 5869 appendix A and
 * RFC 8439 sections 2 and A.  Hex may keep the RFCs' spaces and colons;
 * clean() drops them.  The random cross-check against another
 * implementation is test/crypto-oracle.sh. */
#include "hex.h"
#include "unit.h"
#include "../net/crypto.h"
#include "../net/sys.h"

#include <stdint.h>

#define MAXV 1024

/* Hex of n bytes, in one of four rotating static buffers so that both
 * sides of a CHECK_STR, nested calls included, can use them. */
static const char *tohex(const void *p, size_t n)
{
	static char buf[4][2 * MAXV + 1];
	static unsigned which;
	const uint8_t *b = p;
	char *o = buf[which++ % 4];

	for (size_t i = 0; i < n && i < MAXV; i++) {
		o[2 * i] = "0123456789abcdef"[b[i] >> 4];
		o[2 * i + 1] = "0123456789abcdef"[b[i] & 15];
	}
	o[2 * (n < MAXV ? n : MAXV)] = 0;
	return o;
}

/* Decode hex into out, skipping separators; returns the byte count. */
static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	int hi = -1;

	for (; *s && n < MAXV; s++) {
		int v = hex_nibble(*s);

		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

/* Lower-case hex without separators, for comparing with tohex(). */
static const char *clean(const char *s)
{
	uint8_t b[MAXV];

	return tohex(b, unhex(s, b));
}

#define CHECK_HEX(p, n, want) CHECK_STR(tohex(p, n), clean(want))

static const char *fill(uint8_t *out, int byte, size_t n)
{
	memset(out, byte, n);
	return (const char *)out;
}

/* Bytes start, start + 1, ... as RFC 5869 and RFC 8439 keys are. */
static void count_up(uint8_t *out, int start, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(start + i);
}

/* --- SHA-256: FIPS 180-2 appendix B ------------------------------------- */

TEST(sha256_fips_examples)
{
	uint8_t d[32];

	crypto_sha256("abc", 3, d);
	CHECK_HEX(d, 32, "ba7816bf 8f01cfea 414140de 5dae2223"
			 "b00361a3 96177a9c b410ff61 f20015ad");
	crypto_sha256("abcdbcdecdefdefgefghfghighijhijkijkl"
		      "jklmklmnlmnomnopnopq", 56, d);
	CHECK_HEX(d, 32, "248d6a61 d20638b8 e5c02693 0c3e6039"
			 "a33ce459 64ff2167 f6ecedd4 19db06c1");
	crypto_sha256("", 0, d);
	CHECK_HEX(d, 32, "e3b0c442 98fc1c14 9afbf4c8 996fb924"
			 "27ae41e4 649b934c a495991b 7852b855");
}

TEST(sha256_million_a)
{
	struct crypto_sha256_ctx c;
	uint8_t a[1000], d[32];

	memset(a, 'a', sizeof a);
	crypto_sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		crypto_sha256_update(&c, a, sizeof a);
	crypto_sha256_final(&c, d);
	CHECK_HEX(d, 32, "cdc76e5c 9914fb92 81a1c7e2 84d73e67"
			 "f1809a48 a497200e 046d39cc c7112cd0");
}

TEST(sha256_every_split)
{
	struct crypto_sha256_ctx c;
	uint8_t m[200], whole[32], d[32];
	int bad = 0;

	for (int i = 0; i < 200; i++)
		m[i] = (uint8_t)(i * 7 + 3);
	crypto_sha256(m, sizeof m, whole);
	for (size_t split = 0; split <= sizeof m; split++) {
		crypto_sha256_init(&c);
		crypto_sha256_update(&c, m, split);
		crypto_sha256_update(&c, m + split, sizeof m - split);
		crypto_sha256_final(&c, d);
		bad += memcmp(d, whole, 32) != 0;
	}
	CHECK_INT(bad, 0);
	crypto_sha256_init(&c);
	for (size_t i = 0; i < sizeof m; i++)
		crypto_sha256_update(&c, m + i, 1);
	crypto_sha256_final(&c, d);
	CHECK(!memcmp(d, whole, 32));
}

/* --- HMAC-SHA256: RFC 4231 section 4 ------------------------------------ */

TEST(hmac_rfc4231)
{
	static const char long_data[] = "This is a test using a larger than "
		"block-size key and a larger than block-size data. The key "
		"needs to be hashed before being used by the HMAC algorithm.";
	uint8_t k[131], m[64], d[32];

	crypto_hmac_sha256(fill(k, 0x0b, 20), 20, m, unhex("4869205468657265",
			   m), d);
	CHECK_HEX(d, 32, "b0344c61d8db38535ca8afceaf0bf12b"
			 "881dc200c9833da726e9376c2e32cff7");
	crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
	CHECK_HEX(d, 32, "5bdcc146bf60754e6a042426089575c7"
			 "5a003f089d2739839dec58b964ec3843");
	crypto_hmac_sha256(fill(k, 0xaa, 20), 20, fill(m, 0xdd, 50), 50, d);
	CHECK_HEX(d, 32, "773ea91e36800e46854db8ebd09181a7"
			 "2959098b3ef8c122d9635514ced565fe");
	count_up(k, 1, 25);
	crypto_hmac_sha256(k, 25, fill(m, 0xcd, 50), 50, d);
	CHECK_HEX(d, 32, "82558a389a443c0ea4cc819899f2083a"
			 "85f0faa3e578f8077a2e3ff46729665b");
	crypto_hmac_sha256(fill(k, 0x0c, 20), 20, "Test With Truncation", 20,
			   d);
	CHECK_HEX(d, 16, "a3b6167473100ee06e0c796c2955552b");
	crypto_hmac_sha256(fill(k, 0xaa, 131), 131, "Test Using Larger Than "
			   "Block-Size Key - Hash Key First", 54, d);
	CHECK_HEX(d, 32, "60e431591ee0b67f0d8a26aacbf5b77f"
			 "8e0bc6213728c5140546040f0ee37f54");
	crypto_hmac_sha256(k, 131, long_data, sizeof long_data - 1, d);
	CHECK_HEX(d, 32, "9b09ffa71b942fcb27635fbcd5b0e944"
			 "bfdc63644f0713938a7f51535c3a35e2");
}

TEST(hmac_incremental)
{
	struct crypto_hmac_ctx c;
	uint8_t k[131], d[32];

	crypto_hmac_init(&c, fill(k, 0xaa, 131), 131);
	crypto_hmac_update(&c, "Test Using Larger Than ", 23);
	crypto_hmac_update(&c, "Block-Size Key - Hash Key First", 31);
	crypto_hmac_final(&c, d);
	CHECK_HEX(d, 32, "60e431591ee0b67f0d8a26aacbf5b77f"
			 "8e0bc6213728c5140546040f0ee37f54");
}

/* --- HKDF-SHA256: RFC 5869 appendix A.1-A.3 ----------------------------- */

TEST(hkdf_rfc5869_case1)
{
	uint8_t ikm[22], salt[13], info[10], prk[32], okm[42];

	fill(ikm, 0x0b, sizeof ikm);
	count_up(salt, 0x00, sizeof salt);
	count_up(info, 0xf0, sizeof info);
	crypto_hkdf_extract(salt, 13, ikm, 22, prk);
	CHECK_HEX(prk, 32, "077709362c2e32df0ddc3f0dc47bba63"
			   "90b6c73bb50f9c3122ec844ad7c2b3e5");
	CHECK_INT(crypto_hkdf_expand(prk, info, 10, okm, 42), 0);
	CHECK_HEX(okm, 42, "3cb25f25faacd57a90434f64d0362f2a"
			   "2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			   "34007208d5b887185865");
}

TEST(hkdf_rfc5869_case2)
{
	uint8_t ikm[80], salt[80], info[80], prk[32], okm[82];

	count_up(ikm, 0x00, 80);
	count_up(salt, 0x60, 80);
	count_up(info, 0xb0, 80);
	crypto_hkdf_extract(salt, 80, ikm, 80, prk);
	CHECK_HEX(prk, 32, "06a6b88c5853361a06104c9ceb35b45c"
			   "ef760014904671014a193f40c15fc244");
	CHECK_INT(crypto_hkdf(salt, 80, ikm, 80, info, 80, okm, 82), 0);
	CHECK_HEX(okm, 82, "b11e398dc80327a1c8e7f78c596a4934"
			   "4f012eda2d4efad8a050cc4c19afa97c"
			   "59045a99cac7827271cb41c65e590e09"
			   "da3275600c2f09b8367793a9aca3db71"
			   "cc30c58179ec3e87c14c01d5c1f3434f"
			   "1d87");
}

TEST(hkdf_rfc5869_case3)
{
	uint8_t ikm[22], prk[32], okm[42];

	fill(ikm, 0x0b, sizeof ikm);
	crypto_hkdf_extract("", 0, ikm, 22, prk);
	CHECK_HEX(prk, 32, "19ef24a32c717b167f33a91d6f648bdf"
			   "96596776afdb6377ac434c1c293ccb04");
	CHECK_INT(crypto_hkdf_expand(prk, "", 0, okm, 42), 0);
	CHECK_HEX(okm, 42, "8da4e775a563c18f715f802a063c5a31"
			   "b8a11f5c5ee1879ec3454e5f3c738d2d"
			   "9d201395faa4b61a96c8");
}

TEST(hkdf_length_limit)
{
	static uint8_t okm[CRYPTO_HKDF_MAX + 1];
	uint8_t prk[32] = { 1 };

	okm[CRYPTO_HKDF_MAX] = 0x5a;
	CHECK_INT(crypto_hkdf_expand(prk, "x", 1, okm, CRYPTO_HKDF_MAX), 0);
	CHECK_INT(okm[CRYPTO_HKDF_MAX], 0x5a);
	okm[0] = 0x5a;
	CHECK_INT(crypto_hkdf_expand(prk, "x", 1, okm, 0), 0);
	CHECK_INT(crypto_hkdf_expand(prk, "x", 1, okm, CRYPTO_HKDF_MAX + 1),
		  -1);
	CHECK_INT(okm[0], 0x5a);
}

/* --- ChaCha20: RFC 8439 sections 2.3.2, 2.4.2, 2.6.2 and A.2 ------------ */

static const char sunscreen[] = "Ladies and Gentlemen of the class of "
	"'99: If I could offer you only one tip for the future, sunscreen "
	"would be it.";

TEST(chacha20_block_2_3_2)
{
	uint8_t key[32], nonce[12], ks[64] = { 0 };

	count_up(key, 0, 32);
	unhex("00:00:00:09:00:00:00:4a:00:00:00:00", nonce);
	crypto_chacha20(key, nonce, 1, ks, ks, 64);
	CHECK_HEX(ks, 64,
		  "10 f1 e7 e4 d1 3b 59 15 50 0f dd 1f a3 20 71 c4"
		  "c7 d1 f4 c7 33 c0 68 03 04 22 aa 9a c3 d4 6c 4e"
		  "d2 82 64 46 07 9f aa 09 14 c2 d7 05 d9 8b 02 a2"
		  "b5 12 9c d1 de 16 4e b9 cb d0 83 e8 a2 50 3c 4e");
}

TEST(chacha20_encrypt_2_4_2)
{
	uint8_t key[32], nonce[12], ct[114];

	count_up(key, 0, 32);
	unhex("00:00:00:00:00:00:00:4a:00:00:00:00", nonce);
	CHECK_INT(sizeof sunscreen - 1, 114);
	crypto_chacha20(key, nonce, 1, sunscreen, ct, 114);
	CHECK_HEX(ct, 114,
		  "6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81"
		  "e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b"
		  "f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57"
		  "16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8"
		  "07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e"
		  "52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36"
		  "5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42"
		  "87 4d");
	crypto_chacha20(key, nonce, 1, ct, ct, 114);
	CHECK(!memcmp(ct, sunscreen, 114));
}

/* A.2 test vector #3: a counter other than 0 or 1, a partial last block. */
TEST(chacha20_a2_counter_42)
{
	static const char jabberwock[] = "'Twas brillig, and the slithy "
		"toves\nDid gyre and gimble in the wabe:\nAll mimsy were the "
		"borogoves,\nAnd the mome raths outgrabe.";
	uint8_t key[32], nonce[12], ct[127];

	unhex("1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0"
	      "47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0", key);
	unhex("00 00 00 00 00 00 00 00 00 00 00 02", nonce);
	CHECK_INT(sizeof jabberwock - 1, 127);
	crypto_chacha20(key, nonce, 42, jabberwock, ct, 127);
	CHECK_HEX(ct, 127,
		  "62 e6 34 7f 95 ed 87 a4 5f fa e7 42 6f 27 a1 df"
		  "5f b6 91 10 04 4c 0d 73 11 8e ff a9 5b 01 e5 cf"
		  "16 6d 3d f2 d7 21 ca f9 b2 1e 5f b1 4c 61 68 71"
		  "fd 84 c5 4f 9d 65 b2 83 19 6c 7f e4 f6 05 53 eb"
		  "f3 9c 64 02 c4 22 34 e3 2a 35 6b 3e 76 43 12 a6"
		  "1a 55 32 05 57 16 ea d6 96 25 68 f8 7d 3f 3f 77"
		  "04 c6 a8 d1 bc d1 bf 4d 50 d6 15 4b 6d a7 31 b1"
		  "87 b5 8d fd 72 8a fa 36 75 7a 79 7a c1 88 d1");
}

/* Section 2.6.2: the one-time key is the first half of block 0. */
TEST(poly1305_keygen_2_6_2)
{
	uint8_t key[32], nonce[12], otk[32] = { 0 };

	count_up(key, 0x80, 32);
	unhex("00 00 00 00 00 01 02 03 04 05 06 07", nonce);
	crypto_chacha20(key, nonce, 0, otk, otk, 32);
	CHECK_HEX(otk, 32,
		  "8a d5 a0 8b 90 5f 81 cc 81 50 40 27 4a b2 94 71"
		  "a8 33 b6 37 e3 fd 0d a5 08 db b8 e2 fd d1 a6 46");
}

/* --- Poly1305: RFC 8439 sections 2.5.2 and A.3 -------------------------- */

TEST(poly1305_2_5_2)
{
	uint8_t key[32], tag[16];

	unhex("85:d6:be:78:57:55:6d:33:7f:44:52:fe:42:d5:06:a8:01:0"
	      "3:80:8a:fb:0d:b2:fd:4a:bf:f6:af:41:49:f5:1b", key);
	crypto_poly1305(key, "Cryptographic Forum Research Group", 34, tag);
	CHECK_HEX(tag, 16, "a8:06:1d:c1:30:51:36:c6:c2:2b:8b:af:0c:01:27:a9");
}

static const char ietf_text[] = "Any submission to the IETF intended by "
	"the Contributor for publication as all or part of an IETF "
	"Internet-Draft or RFC and any statement made within the context of "
	"an IETF activity is considered an \"IETF Contribution\". Such "
	"statements include oral statements in IETF sessions, as well as "
	"written and electronic communications made at any time or place, "
	"which are addressed to";

/* A.3 #1-#4: zero key, r = 0, s = 0, and a real key on a text. */
TEST(poly1305_a3_texts)
{
	uint8_t key[32], msg[64] = { 0 }, tag[16];

	CHECK_INT(sizeof ietf_text - 1, 375);
	fill(key, 0, 32);
	crypto_poly1305(key, msg, 64, tag);
	CHECK_HEX(tag, 16, "00000000000000000000000000000000");
	unhex("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	      "36 e5 f6 b5 c5 e0 60 70 f0 ef ca 96 22 7a 86 3e", key);
	crypto_poly1305(key, ietf_text, 375, tag);
	CHECK_HEX(tag, 16, "36 e5 f6 b5 c5 e0 60 70 f0 ef ca 96 22 7a 86 3e");
	unhex("36 e5 f6 b5 c5 e0 60 70 f0 ef ca 96 22 7a 86 3e"
	      "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", key);
	crypto_poly1305(key, ietf_text, 375, tag);
	CHECK_HEX(tag, 16, "f3 47 7e 7c d9 54 17 af 89 a6 b8 79 4c 31 0c f0");
	unhex("1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0"
	      "47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0", key);
	crypto_poly1305(key, "'Twas brillig, and the slithy toves\nDid gyre "
			"and gimble in the wabe:\nAll mimsy were the "
			"borogoves,\nAnd the mome raths outgrabe.", 127, tag);
	CHECK_HEX(tag, 16, "45 41 66 9a 7e aa ee 61 e7 08 dc 7c bc c5 eb 62");
}

/* A.3 #5-#11: the carry and reduction corner cases, key = R | S. */
static const struct {
	const char *r, *s, *data, *tag;
} poly_edges[] = {
	{ "02", "00", "FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF",
	  "03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" },
	{ "02", "FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF",
	  "02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
	  "03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" },
	{ "01", "00", "FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF"
		      "F0 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF"
		      "11 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
	  "05 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" },
	{ "01", "00", "FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF"
		      "FB FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE"
		      "01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01",
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" },
	{ "02", "00", "FD FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF",
	  "FA FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF" },
	{ "01 00 00 00 00 00 00 00 04", "00",
	  "E3 35 94 D7 50 5E 43 B9 00 00 00 00 00 00 00 00"
	  "33 94 D7 50 5E 43 79 CD 01 00 00 00 00 00 00 00"
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	  "01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
	  "14 00 00 00 00 00 00 00 55 00 00 00 00 00 00 00" },
	{ "01 00 00 00 00 00 00 00 04", "00",
	  "E3 35 94 D7 50 5E 43 B9 00 00 00 00 00 00 00 00"
	  "33 94 D7 50 5E 43 79 CD 01 00 00 00 00 00 00 00"
	  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
	  "13 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" },
};

/* R and S are written short: the RFC pads them with zero bytes. */
TEST(poly1305_a3_edges)
{
	for (size_t i = 0; i < ARRAY_LEN(poly_edges); i++) {
		uint8_t key[32] = { 0 }, msg[64], tag[16];
		size_t n;

		unhex(poly_edges[i].r, key);
		unhex(poly_edges[i].s, key + 16);
		n = unhex(poly_edges[i].data, msg);
		crypto_poly1305(key, msg, n, tag);
		CHECK_HEX(tag, 16, poly_edges[i].tag);
	}
}

/* --- AEAD: RFC 8439 sections 2.8.2 and A.5 ------------------------------ */

static const char aead_ct_2_8_2[] =
	"d3 1a 8d 34 64 8e 60 db 7b 86 af bc 53 ef 7e c2"
	"a4 ad ed 51 29 6e 08 fe a9 e2 b5 a7 36 ee 62 d6"
	"3d be a4 5e 8c a9 67 12 82 fa fb 69 da 92 72 8b"
	"1a 71 de 0a 9e 06 0b 29 05 d6 a5 b6 7e cd 3b 36"
	"92 dd bd 7f 2d 77 8b 8c 98 03 ae e3 28 09 1b 58"
	"fa b3 24 e4 fa d6 75 94 55 85 80 8b 48 31 d7 bc"
	"3f f4 de f0 8e 4b 7a 9d e5 76 d2 65 86 ce c6 4b"
	"61 16"
	"1a:e1:0b:59:4f:09:e2:6a:7e:90:2e:cb:d0:60:06:91";

static void aead_2_8_2_inputs(uint8_t key[32], uint8_t nonce[12],
			      uint8_t aad[12])
{
	count_up(key, 0x80, 32);
	unhex("07 00 00 00 40 41 42 43 44 45 46 47", nonce);
	unhex("50 51 52 53 c0 c1 c2 c3 c4 c5 c6 c7", aad);
}

TEST(aead_seal_2_8_2)
{
	uint8_t key[32], nonce[12], aad[12], out[114 + 16];

	aead_2_8_2_inputs(key, nonce, aad);
	crypto_aead_seal(key, nonce, aad, 12, sunscreen, 114, out);
	CHECK_HEX(out, sizeof out, aead_ct_2_8_2);
	memcpy(out, sunscreen, 114);
	crypto_aead_seal(key, nonce, aad, 12, out, 114, out);
	CHECK_HEX(out, sizeof out, aead_ct_2_8_2);
}

TEST(aead_open_2_8_2)
{
	uint8_t key[32], nonce[12], aad[12], ct[MAXV], pt[114];
	size_t n;

	aead_2_8_2_inputs(key, nonce, aad);
	n = unhex(aead_ct_2_8_2, ct);
	CHECK_INT(n, 130);
	CHECK_INT(crypto_aead_open(key, nonce, aad, 12, ct, n, pt), 0);
	CHECK(!memcmp(pt, sunscreen, 114));
	CHECK_INT(crypto_aead_open(key, nonce, aad, 12, ct, n, ct), 0);
	CHECK(!memcmp(ct, sunscreen, 114));
}

TEST(aead_open_a5)
{
	uint8_t key[32], nonce[12], aad[12], ct[MAXV], pt[MAXV], want[MAXV];
	size_t n;

	unhex("1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0"
	      "47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0", key);
	unhex("00 00 00 00 01 02 03 04 05 06 07 08", nonce);
	unhex("f3 33 88 86 00 00 00 00 00 00 4e 91", aad);
	n = unhex("64 a0 86 15 75 86 1a f4 60 f0 62 c7 9b e6 43 bd"
		  "5e 80 5c fd 34 5c f3 89 f1 08 67 0a c7 6c 8c b2"
		  "4c 6c fc 18 75 5d 43 ee a0 9e e9 4e 38 2d 26 b0"
		  "bd b7 b7 3c 32 1b 01 00 d4 f0 3b 7f 35 58 94 cf"
		  "33 2f 83 0e 71 0b 97 ce 98 c8 a8 4a bd 0b 94 81"
		  "14 ad 17 6e 00 8d 33 bd 60 f9 82 b1 ff 37 c8 55"
		  "97 97 a0 6e f4 f0 ef 61 c1 86 32 4e 2b 35 06 38"
		  "36 06 90 7b 6a 7c 02 b0 f9 f6 15 7b 53 c8 67 e4"
		  "b9 16 6c 76 7b 80 4d 46 a5 9b 52 16 cd e7 a4 e9"
		  "90 40 c5 a4 04 33 22 5e e2 82 a1 b0 a0 6c 52 3e"
		  "af 45 34 d7 f8 3f a1 15 5b 00 47 71 8c bc 54 6a"
		  "0d 07 2b 04 b3 56 4e ea 1b 42 22 73 f5 48 27 1a"
		  "0b b2 31 60 53 fa 76 99 19 55 eb d6 31 59 43 4e"
		  "ce bb 4e 46 6d ae 5a 10 73 a6 72 76 27 09 7a 10"
		  "49 e6 17 d9 1d 36 10 94 fa 68 f0 ff 77 98 71 30"
		  "30 5b ea ba 2e da 04 df 99 7b 71 4d 6c 6f 2c 29"
		  "a6 ad 5c b4 02 2b 02 70 9b"
		  "ee ad 9d 67 89 0c bb 22 39 23 36 fe a1 85 1f 38", ct);
	CHECK_INT(n, 265 + 16);
	unhex("49 6e 74 65 72 6e 65 74 2d 44 72 61 66 74 73 20"
	      "61 72 65 20 64 72 61 66 74 20 64 6f 63 75 6d 65"
	      "6e 74 73 20 76 61 6c 69 64 20 66 6f 72 20 61 20"
	      "6d 61 78 69 6d 75 6d 20 6f 66 20 73 69 78 20 6d"
	      "6f 6e 74 68 73 20 61 6e 64 20 6d 61 79 20 62 65"
	      "20 75 70 64 61 74 65 64 2c 20 72 65 70 6c 61 63"
	      "65 64 2c 20 6f 72 20 6f 62 73 6f 6c 65 74 65 64"
	      "20 62 79 20 6f 74 68 65 72 20 64 6f 63 75 6d 65"
	      "6e 74 73 20 61 74 20 61 6e 79 20 74 69 6d 65 2e"
	      "20 49 74 20 69 73 20 69 6e 61 70 70 72 6f 70 72"
	      "69 61 74 65 20 74 6f 20 75 73 65 20 49 6e 74 65"
	      "72 6e 65 74 2d 44 72 61 66 74 73 20 61 73 20 72"
	      "65 66 65 72 65 6e 63 65 20 6d 61 74 65 72 69 61"
	      "6c 20 6f 72 20 74 6f 20 63 69 74 65 20 74 68 65"
	      "6d 20 6f 74 68 65 72 20 74 68 61 6e 20 61 73 20"
	      "2f e2 80 9c 77 6f 72 6b 20 69 6e 20 70 72 6f 67"
	      "72 65 73 73 2e 2f e2 80 9d", want);
	CHECK_INT(crypto_aead_open(key, nonce, aad, 12, ct, n, pt), 0);
	CHECK_HEX(pt, 265, tohex(want, 265));
}

/* --- AEAD forgeries: any change fails and leaves out untouched ---------- */

static int open_untouched(const uint8_t key[32], const uint8_t nonce[12],
			  const uint8_t *aad, size_t aadlen,
			  const uint8_t *ct, size_t n)
{
	uint8_t out[MAXV];
	int rc;

	memset(out, 0x5a, sizeof out);
	rc = crypto_aead_open(key, nonce, aad, aadlen, ct, n, out);
	for (size_t i = 0; i < sizeof out; i++)
		if (out[i] != 0x5a)
			return 1;
	return rc;
}

TEST(aead_every_flipped_bit_fails)
{
	uint8_t key[32], nonce[12], aad[12], ct[MAXV];
	int opened = 0;
	size_t n;

	aead_2_8_2_inputs(key, nonce, aad);
	n = unhex(aead_ct_2_8_2, ct);
	for (size_t bit = 0; bit < 8 * n; bit++) {
		ct[bit / 8] ^= (uint8_t)(1 << bit % 8);
		opened += open_untouched(key, nonce, aad, 12, ct, n) != -1;
		ct[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	for (size_t bit = 0; bit < 8 * sizeof aad; bit++) {
		aad[bit / 8] ^= (uint8_t)(1 << bit % 8);
		opened += open_untouched(key, nonce, aad, 12, ct, n) != -1;
		aad[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	CHECK_INT(opened, 0);
	nonce[11] ^= 1;
	CHECK_INT(open_untouched(key, nonce, aad, 12, ct, n), -1);
	nonce[11] ^= 1;
	CHECK_INT(open_untouched(key, nonce, aad, 11, ct, n), -1);
	CHECK_INT(open_untouched(key, nonce, aad, 12, ct, n - 1), -1);
	CHECK_INT(open_untouched(key, nonce, aad, 12, ct, 15), -1);
	CHECK_INT(open_untouched(key, nonce, aad, 12, ct, 0), -1);
}

TEST(aead_empty_message)
{
	uint8_t key[32] = { 7 }, nonce[12] = { 9 }, box[16], pt[1] = { 0x5a };

	crypto_aead_seal(key, nonce, NULL, 0, NULL, 0, box);
	CHECK_INT(crypto_aead_open(key, nonce, NULL, 0, box, 16, pt), 0);
	CHECK_INT(pt[0], 0x5a);
	box[0] ^= 0x80;
	CHECK_INT(crypto_aead_open(key, nonce, NULL, 0, box, 16, pt), -1);
}

TEST(memeq_and_wipe)
{
	uint8_t a[40], b[40];

	count_up(a, 1, sizeof a);
	memcpy(b, a, sizeof b);
	CHECK_INT(crypto_memeq(a, b, sizeof a), 1);
	CHECK_INT(crypto_memeq(a, b, 0), 1);
	for (size_t i = 0; i < sizeof a; i++) {
		b[i] ^= 0x80;
		CHECK_INT(crypto_memeq(a, b, sizeof a), 0);
		b[i] ^= 0x80;
	}
	crypto_wipe(a, sizeof a);
	CHECK_INT(crypto_memeq(a, fill(b, 0, sizeof b), sizeof a), 1);
}
