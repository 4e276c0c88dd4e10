/* test/fuzz_totem.c - libFuzzer target: hostile packets into two rings.
 *
 * The input is a script of records `op:u8 len:u16le bytes[len]`:
 *   op & 0xc0 == 0x80  advance the clock by (op & 0x3f) x 7 ms, tick both
 *   op & 0xc0 == 0x40  totem_send(bytes) on instance op & 1
 *   otherwise          totem_recv(bytes) on instance op & 1 from node
 *                      1 + (op >> 1) % 5 (1 and 2 are the instances)
 * Packets the two instances send each other are passed on between
 * records, so the fuzzer drives real protocol exchanges interleaved with
 * its own garbage.  Must never crash, hang or leak. */
#include "../net/totem.h"

#include <stdint.h>
#include <string.h>

#define QMAX 64
#define PMAX 4096

static struct {
	struct { int to; uint32_t from; size_t len; uint8_t p[PMAX]; } q[QMAX];
	int n;
} net;

struct inst {
	uint32_t id;
};

static struct inst who[2] = { { 1 }, { 2 } };

static void f_send(void *ctx, uint32_t to, const void *p, size_t len)
{
	struct inst *me = ctx;
	int other = me->id == 1 ? 1 : 0;

	if (net.n == QMAX || len > PMAX || (to && to != who[other].id))
		return;
	net.q[net.n].to = other;
	net.q[net.n].from = me->id;
	net.q[net.n].len = len;
	memcpy(net.q[net.n].p, p, len);
	net.n++;
}

static void f_deliver(void *ctx, uint32_t from, const void *m, size_t len)
{
	(void)ctx; (void)from; (void)m; (void)len;
}

static void f_conf(void *ctx, const struct totem_confchg *c)
{
	(void)ctx; (void)c;
}

static void pass_on(struct totem **t, int64_t now)
{
	static uint8_t p[PMAX];

	for (int rounds = 0; rounds < 4 && net.n; rounds++) {
		int n = net.n;
		net.n = 0;
		for (int i = 0; i < n; i++) {
			size_t len = net.q[i].len;
			int to = net.q[i].to;
			uint32_t from = net.q[i].from;
			memcpy(p, net.q[i].p, len);
			totem_recv(t[to], from, p, len, now);
		}
	}
	net.n = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct totem *t[2];
	int64_t now = 0;

	net.n = 0;
	for (int i = 0; i < 2; i++) {
		struct totem_cfg c = { .nodeid = who[i].id, .mtu = 300,
				       .send_queue = 32 };
		struct totem_io io = { &who[i], f_send, f_deliver, f_conf,
				       NULL, NULL };
		t[i] = totem_new(&c, &io, now);
	}
	while (size >= 3) {
		int op = data[0];
		size_t n = (size_t)(data[1] | data[2] << 8);
		n = n > size - 3 ? size - 3 : n;
		if ((op & 0xc0) == 0x80) {
			now += (op & 0x3f) * 7;
			totem_tick(t[0], now);
			totem_tick(t[1], now);
		} else if ((op & 0xc0) == 0x40) {
			totem_send(t[op & 1], data + 3, n, now);
		} else {
			totem_recv(t[op & 1], 1 + (uint32_t)(op >> 1) % 5,
				   data + 3, n, now);
		}
		pass_on(t, now);
		data += 3 + n;
		size -= 3 + n;
	}
	totem_free(t[0]);
	totem_free(t[1]);
	return 0;
}
