/* rm/bench.c - the bench part: ordered throughput and latency measured
 * through the daemon (test/bench/bench.sh), with its `bench` verb.
 *
 *   bench send COUNT SIZE [RATE]
 *                           this daemon sends COUNT ordered messages of
 *                           SIZE bytes (16..65000) as fast as the ring
 *                           takes them, or RATE a second; the reply
 *                           comes at once
 *   bench                   what this node received of the last run:
 *       run: ID  got: N  bytes: N  order_errors: N
 *       first_sent_ns: T   CLOCK_MONOTONIC send time of message 0
 *       last_rx_ns: T      CLOCK_MONOTONIC of the last delivery here
 *       lat_p50_us / lat_p99_us / lat_max_us: one-way latency (the
 *                          percentiles are the lower edge of a bucket
 *                          at most 1/8 wide)
 *       sent: N  queue_full: N        this node as a sender
 *
 * Each message holds its run, its number and its send time; a message
 * numbered 0 starts a new run at every receiver.  All namespaces of one
 * host share CLOCK_MONOTONIC, so latencies between them are real.
 * Root only: a run loads the whole ring. */
#include "../net/loop.h"
#include "../net/part.h"
#include "../net/wire.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#define HDR		16	/* run, number, send time */
#define BUCKETS		320	/* 8 per power of two of microseconds */

extern const struct part bench_part;

static struct {
	struct view *v;
	uint32_t run, count, sent, size, rate;	/* as a sender */
	uint64_t queue_full;
	int64_t started;
	int pumping;
	struct {				/* as a receiver */
		uint32_t run, next, got, order_err;
		uint64_t bytes, max_us;
		int64_t first_sent, last_rx;
		uint32_t hist[BUCKETS];
	} rx;
	uint8_t buf[65000];
} B;

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int bucket(uint64_t us)
{
	int msb = us ? 63 - __builtin_clzll(us) : 0;
	int i = msb < 3 ? (int)us : (msb - 2) * 8 + (int)(us >> (msb - 3) & 7);

	return i < BUCKETS ? i : BUCKETS - 1;
}

static uint64_t bucket_low(int i)
{
	return i < 8 ? (uint64_t)i : (uint64_t)(8 + i % 8) << (i / 8 - 1);
}

static uint64_t percentile(int pct)
{
	uint64_t want = ((uint64_t)B.rx.got * (uint64_t)pct + 99) / 100;
	uint64_t sum = 0;

	for (int i = 0; i < BUCKETS; i++)
		if ((sum += B.rx.hist[i]) >= want && want)
			return bucket_low(i);
	return 0;
}

static int send_one(void)
{
	struct wire_w w;

	wire_w_init(&w, B.buf, HDR);
	wire_put_u32(&w, B.run);
	wire_put_u32(&w, B.sent);
	wire_put_u64(&w, (uint64_t)mono_ns());
	if (B.v->send(&bench_part, B.buf, B.size) < 0) {
		B.queue_full++;
		return -1;
	}
	B.sent++;
	return 0;
}

static void pump(void *ctx);

static void pump_at(int64_t when)
{
	if (!B.pumping && B.sent < B.count)
		B.pumping = loop_timer_add(when, pump, NULL) > 0;
}

/* Flood: as many as the queue takes, more after deliveries free it;
 * paced: one at each tick of RATE. */
static void pump(void *ctx)
{
	B.pumping = 0;
	if (!B.rate) {
		while (B.sent < B.count && !send_one())
			;
		return;
	}
	send_one();
	pump_at(B.started + (int64_t)B.sent * 1000 / B.rate);
}

static void new_run(uint32_t run, int64_t sent)
{
	memset(&B.rx, 0, sizeof B.rx);
	B.rx.run = run;
	B.rx.first_sent = sent;
}

static void deliver(uint32_t from, const uint8_t *body, size_t len)
{
	struct wire_r r;
	uint32_t run, n;
	int64_t sent, now = mono_ns();
	uint64_t us;

	if (len < HDR)
		return;
	wire_r_init(&r, body, len);
	run = wire_get_u32(&r);
	n = wire_get_u32(&r);
	sent = (int64_t)wire_get_u64(&r);
	if (!n || run != B.rx.run)
		new_run(run, sent);
	B.rx.order_err += n != B.rx.next;
	B.rx.next = n + 1;
	B.rx.got++;
	B.rx.bytes += len;
	B.rx.last_rx = now;
	us = now > sent ? (uint64_t)(now - sent) / 1000 : 0;
	B.rx.hist[bucket(us)]++;
	if (us > B.rx.max_us)
		B.rx.max_us = us;
	if (from == B.v->nodeid && !B.rate)
		pump_at(now_ms());	/* from the loop, not inside delivery */
}

static int begin(struct ctl_req *r)
{
	long count, size, rate = 0;

	if (parse_int(r->argv[2], 1, 100000000, &count) < 0 ||
	    parse_int(r->argv[3], HDR, (long)sizeof B.buf, &size) < 0 ||
	    (r->argc == 5 && parse_int(r->argv[4], 1, 1000, &rate) < 0))
		return ctl_fail(r, EXIT_USAGE, "bench send COUNT(1..100000000)"
				" SIZE(16..65000) [RATE(1..1000)]");
	if (!B.v->member)
		return ctl_fail(r, EXIT_REFUSED, "not a cluster member");
	memset(B.buf, 0xa5, sizeof B.buf);
	B.run = B.v->nodeid << 20 | ((B.run + 1) & 0xfffff);
	B.count = (uint32_t)count;
	B.size = (uint32_t)size;
	B.rate = (uint32_t)rate;
	B.sent = 0;
	B.queue_full = 0;
	B.started = now_ms();
	pump(NULL);
	ctl_printf(r, "run: %" PRIu32, B.run);
	return 0;
}

static int verb(void *ctx, struct ctl_req *r)
{
	if ((r->argc == 4 || r->argc == 5) && !strcmp(r->argv[1], "send"))
		return begin(r);
	if (r->argc != 1)
		return ctl_fail(r, EXIT_USAGE, "usage: bench [send COUNT "
				"SIZE [RATE]]");
	ctl_printf(r, "run: %" PRIu32 "\ngot: %" PRIu32 "\nbytes: %" PRIu64
		   "\norder_errors: %" PRIu32, B.rx.run, B.rx.got, B.rx.bytes,
		   B.rx.order_err);
	ctl_printf(r, "first_sent_ns: %" PRId64 "\nlast_rx_ns: %" PRId64,
		   B.rx.first_sent, B.rx.last_rx);
	ctl_printf(r, "lat_p50_us: %" PRIu64 "\nlat_p99_us: %" PRIu64
		   "\nlat_max_us: %" PRIu64, percentile(50), percentile(99),
		   B.rx.max_us);
	ctl_printf(r, "sent: %" PRIu32 "\nqueue_full: %" PRIu64, B.sent,
		   B.queue_full);
	return 0;
}

static int start(struct view *v, char *err, size_t errlen)
{
	B.v = v;
	return 0;
}

static const struct ctl_verb verbs[] = {
	{ "bench", verb, 1 },
};

const struct part bench_part = {
	.name = "bench",
	.start = start,
	.deliver = deliver,
	.verbs = verbs,
	.nverbs = (int)ARRAY_LEN(verbs),
};
