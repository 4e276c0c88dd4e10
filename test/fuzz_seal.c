/* test/fuzz_seal.c - libFuzzer target: the envelope under arbitrary bytes.
 *
 * Random bytes never pass the tag, so they alone would only reach the
 * header checks.  The input is therefore also read as a script that
 * drives four genuine senders against one receiver: send, replay, flip a
 * bit, restart with a new epoch, jump the counter, and open raw bytes.
 * Besides never crashing, it traps when a property breaks: a forged or
 * flipped packet accepted, a genuine first delivery refused for a reason
 * other than its age, or a payload that comes out different. */
#include "../net/seal.h"

#include <stdint.h>
#include <string.h>

#define NSEND	4
#define MAXP	300

struct script {
	const uint8_t *p;
	size_t len, pos;
};

static struct seal rx, tx[NSEND];
static uint8_t last[NSEND][MAXP + SEAL_OVERHEAD];
static size_t lastlen[NSEND];
static int clean[NSEND];	/* no counter of the current epoch reused */

static unsigned next(struct script *s)
{
	return s->pos < s->len ? s->p[s->pos++] : 0;
}

static const uint8_t *take(struct script *s, size_t *n)
{
	const uint8_t *at = s->p + s->pos;

	if (*n > s->len - s->pos)
		*n = s->len - s->pos;
	s->pos += *n;
	return at;
}

static int open_copy(const void *pkt, size_t len, const void *want,
		     size_t wantlen)
{
	static uint8_t buf[65536];
	const void *p;
	size_t plen;
	uint32_t from;
	int rc;

	if (len > sizeof buf)
		return SEAL_E_MALFORMED;
	memcpy(buf, pkt, len);
	rc = seal_open(&rx, buf, len, 0, &from, &p, &plen);
	if (rc == SEAL_OK && want &&
	    (plen != wantlen || memcmp(p, want, plen)))
		__builtin_trap();
	return rc;
}

static void op_raw(struct script *s)
{
	size_t n = next(s);
	const uint8_t *at = take(s, &n);

	open_copy(at, n, NULL, 0);
}

static void op_send(struct script *s, int who)
{
	size_t n = next(s) + next(s);
	const uint8_t *at = take(s, &n);
	int len = seal_pack(&tx[who], at, n, last[who], sizeof last[who]);
	int rc;

	if (len < 0)
		return;
	lastlen[who] = (size_t)len;
	rc = open_copy(last[who], (size_t)len, at, n);
	/* A genuine packet is refused only after its counter or its epoch
	 * went back. */
	if (rc != SEAL_OK && ((rc != SEAL_E_REPLAY && rc != SEAL_E_STALE) ||
			      clean[who]))
		__builtin_trap();
}

static void op_flip(struct script *s, int who)
{
	uint8_t bad[sizeof last[0]];
	unsigned bit = next(s) | next(s) << 8;

	if (!lastlen[who])
		return;
	memcpy(bad, last[who], lastlen[who]);
	bad[bit / 8 % lastlen[who]] ^= (uint8_t)(1 << bit % 8);
	if (open_copy(bad, lastlen[who], NULL, 0) == SEAL_OK)
		__builtin_trap();
}

static void op_restart(struct script *s, int who)
{
	uint8_t e[SEAL_EPOCH_LEN], now[SEAL_EPOCH_LEN];

	for (int i = 0; i < SEAL_EPOCH_LEN; i++)
		e[i] = (uint8_t)next(s);
	/* The same epoch again restarts its counters: a misuse the
	 * receiver answers with replays; an earlier one than the receiver
	 * knows is a run before it, stale.  Both are what it should do. */
	clean[who] = seal_peer_epoch(&rx, (uint32_t)who + 1, now) ||
		     seal_epoch_cmp(e, now) > 0;
	seal_init(&tx[who], rx.master, rx.cluster_id, (uint32_t)who + 1, e);
}

static void op_jump(struct script *s, int who)
{
	int64_t d = (int8_t)next(s);

	if (d < 0)
		clean[who] = 0;
	tx[who].counter += (uint64_t)(d * (int64_t)(next(s) + 1));
}

static void setup(void)
{
	uint8_t master[SEAL_KEY_LEN], e[SEAL_EPOCH_LEN] = {0};

	seal_key_from_name("fuzz", master);
	seal_init(&rx, master, 1678, 9, e);
	for (int i = 0; i < NSEND; i++) {
		e[0] = (uint8_t)i;
		seal_init(&tx[i], master, 1678, (uint32_t)i + 1, e);
	}
	memset(lastlen, 0, sizeof lastlen);
	for (int i = 0; i < NSEND; i++)
		clean[i] = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = { data, size, 0 };

	setup();
	open_copy(data, size, NULL, 0);
	while (s.pos < s.len) {
		unsigned op = next(&s);
		int who = (int)(op >> 4) % NSEND;

		switch (op & 7) {
		case 0: op_raw(&s); break;
		case 1: case 2: op_send(&s, who); break;
		case 3: op_flip(&s, who); break;
		case 4: op_restart(&s, who); break;
		case 5: op_jump(&s, who); break;
		default:
			if (lastlen[who])
				open_copy(last[who], lastlen[who], NULL, 0);
		}
	}
	return 0;
}
