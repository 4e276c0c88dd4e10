/* test/tool_crypto.c - net/crypto.c as a line filter, for the oracle test.
 *
 * Reads one command a line on stdin, writes one answer line on stdout
 * (hex, "fail" when open rejects, "error" for a malformed line), so that
 * test/crypto-oracle.sh can compare it line by line with another
 * implementation.  "-" stands for an empty byte string.
 *
 *   sha256 HEX                          digest
 *   hmac KEY HEX                        HMAC-SHA256
 *   hkdf SALT IKM INFO LEN              HKDF-SHA256 output
 *   chacha20 KEY NONCE COUNTER HEX      HEX xor key stream
 *   poly1305 KEY HEX                    tag
 *   aead KEY NONCE AAD PT               ciphertext and tag
 *   open KEY NONCE AAD CT               plaintext or "fail"
 *   bench LEN COUNT                     seal COUNT messages of LEN bytes,
 *                                       print the rate */
#include "hex.h"
#include "../net/crypto.h"
#include "../net/sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXARG 6

struct arg {
	uint8_t *p;
	size_t len;
};

/* Decode s in place (hex is twice as long as its bytes); -1 if not hex. */
static int unhex(char *s, struct arg *a)
{
	size_t n = strlen(s);

	a->p = (uint8_t *)s;
	a->len = 0;
	if (!strcmp(s, "-"))
		return 0;
	if (n % 2)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_nibble(s[i]), lo = hex_nibble(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		a->p[a->len++] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void put_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

static int number(const struct arg *a, long max, long *v)
{
	return parse_int((const char *)a->p, 0, max, v);
}

static int do_sha256(struct arg *a)
{
	uint8_t d[CRYPTO_HASH_LEN];

	crypto_sha256(a[0].p, a[0].len, d);
	put_hex(d, sizeof d);
	return 0;
}

static int do_hmac(struct arg *a)
{
	uint8_t d[CRYPTO_HASH_LEN];

	crypto_hmac_sha256(a[0].p, a[0].len, a[1].p, a[1].len, d);
	put_hex(d, sizeof d);
	return 0;
}

static int do_hkdf(struct arg *a)
{
	uint8_t out[CRYPTO_HKDF_MAX];
	long len;

	if (number(&a[3], CRYPTO_HKDF_MAX, &len) < 0 ||
	    crypto_hkdf(a[0].p, a[0].len, a[1].p, a[1].len, a[2].p,
			a[2].len, out, (size_t)len) < 0)
		return -1;
	put_hex(out, (size_t)len);
	return 0;
}

static int do_chacha20(struct arg *a)
{
	long ctr;

	if (a[0].len != CRYPTO_KEY_LEN || a[1].len != CRYPTO_NONCE_LEN ||
	    number(&a[2], 0xffffffffL, &ctr) < 0)
		return -1;
	crypto_chacha20(a[0].p, a[1].p, (uint32_t)ctr, a[3].p, a[3].p,
			a[3].len);
	put_hex(a[3].p, a[3].len);
	return 0;
}

static int do_poly1305(struct arg *a)
{
	uint8_t tag[CRYPTO_TAG_LEN];

	if (a[0].len != 32)
		return -1;
	crypto_poly1305(a[0].p, a[1].p, a[1].len, tag);
	put_hex(tag, sizeof tag);
	return 0;
}

/* The sealed text is longer than its hex can hold when it is short, so
 * it goes to a buffer of its own. */
static int do_aead(struct arg *a)
{
	uint8_t *out;

	if (a[0].len != CRYPTO_KEY_LEN || a[1].len != CRYPTO_NONCE_LEN)
		return -1;
	out = xmalloc(a[3].len + CRYPTO_TAG_LEN);
	crypto_aead_seal(a[0].p, a[1].p, a[2].p, a[2].len, a[3].p, a[3].len,
			 out);
	put_hex(out, a[3].len + CRYPTO_TAG_LEN);
	free(out);
	return 0;
}

static int do_open(struct arg *a)
{
	if (a[0].len != CRYPTO_KEY_LEN || a[1].len != CRYPTO_NONCE_LEN)
		return -1;
	if (crypto_aead_open(a[0].p, a[1].p, a[2].p, a[2].len, a[3].p,
			     a[3].len, a[3].p) < 0)
		puts("fail");
	else
		put_hex(a[3].p, a[3].len - CRYPTO_TAG_LEN);
	return 0;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_bench(struct arg *a)
{
	uint8_t key[CRYPTO_KEY_LEN] = { 1 }, nonce[CRYPTO_NONCE_LEN] = { 0 };
	uint8_t *buf;
	long len, count;
	double t;

	if (number(&a[0], 1 << 20, &len) < 0 ||
	    number(&a[1], 1L << 30, &count) < 0 || count == 0)
		return -1;
	buf = xcalloc(1, (size_t)len + CRYPTO_TAG_LEN);
	t = seconds();
	for (long i = 0; i < count; i++) {
		memcpy(nonce, &i, sizeof i);
		crypto_aead_seal(key, nonce, "hdr", 3, buf, (size_t)len, buf);
	}
	t = seconds() - t;
	printf("bench: %ld seals of %ld bytes in %.3f s: %.0f seals/s, "
	       "%.1f MB/s\n", count, len, t, count / t, count * len / t / 1e6);
	free(buf);
	return 0;
}

/* nums: a bit for each argument that is a decimal number, not hex. */
static const struct {
	const char *name;
	int nargs, nums;
	int (*fn)(struct arg *a);
} cmds[] = {
	{ "sha256", 1, 0, do_sha256 },
	{ "hmac", 2, 0, do_hmac },
	{ "hkdf", 4, 1 << 3, do_hkdf },
	{ "chacha20", 4, 1 << 2, do_chacha20 },
	{ "poly1305", 2, 0, do_poly1305 },
	{ "aead", 4, 0, do_aead },
	{ "open", 4, 0, do_open },
	{ "bench", 2, 3, do_bench },
};

static int call(size_t c, char **word)
{
	struct arg a[MAXARG];

	for (int i = 0; i < cmds[c].nargs; i++) {
		if (!(cmds[c].nums >> i & 1)) {
			if (unhex(word[i], &a[i]) < 0)
				return -1;
			continue;
		}
		a[i].p = (uint8_t *)word[i];
		a[i].len = strlen(word[i]);
	}
	return cmds[c].fn(a);
}

static int run(char *line)
{
	char *word[MAXARG + 1], *save = NULL;
	int n = 0;

	for (char *w = strtok_r(line, " \t\n", &save); w && n <= MAXARG;
	     w = strtok_r(NULL, " \t\n", &save))
		word[n++] = w;
	for (size_t c = 0; n && c < ARRAY_LEN(cmds); c++)
		if (!strcmp(word[0], cmds[c].name) && n - 1 == cmds[c].nargs)
			return call(c, word + 1);
	return -1;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;

	sys_prog = "tool_crypto";
	while (getline(&line, &cap, stdin) > 0)
		if (run(line) < 0)
			puts("error");
	free(line);
	return 0;
}
