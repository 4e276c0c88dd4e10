/* test/unit_totem.c - totem packets, config floors and small rings, and
 * what an idle ring costs in memory. */
#include "unit.h"
#include "../net/totem_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- packets ---------------------------------------------------------- */

TEST(totem_token_round_trip)
{
	struct totem_token k = { { 44, 3 }, 7, 100, 90, 5, 2, 30, 1, 1, 2,
				 { 91, 95 } }, d;
	uint8_t buf[TOTEM_MAX_CTL];
	size_t len = totem_msg_token_enc(&k, buf, sizeof buf);

	CHECK(len > 0);
	CHECK_INT(buf[0], TOTEM_MSG_TOKEN);
	CHECK_INT(buf[1], TOTEM_VERSION);
	CHECK_INT(totem_msg_token_dec(&d, buf, len), 0);
	CHECK(d.ring.seq == 44 && d.ring.rep == 3);
	CHECK_INT(d.token_seq, 7);
	CHECK_INT(d.seq, 100);
	CHECK_INT(d.aru, 90);
	CHECK_INT(d.aru_addr, 5);
	CHECK_INT(d.oper, 1);
	CHECK_INT(d.nrtr, 2);
	CHECK_INT(d.rtr[1], 95);
	for (size_t cut = 0; cut < len; cut++)
		CHECK(totem_msg_token_dec(&d, buf, cut) < 0);
	buf[len - 9] = TOTEM_MAX_RTR + 1;	/* nrtr over the limit */
	CHECK(totem_msg_token_dec(&d, buf, len) < 0);
}

TEST(totem_mcast_round_trip)
{
	struct totem_mcast m = { { 8, 1 }, 12, 0, 5, 77, 3, 1,
				 (const uint8_t *)"hey", 3 }, d, in;
	uint8_t buf[256], outer[300];
	size_t len = totem_msg_mcast_enc(&m, buf, sizeof buf), olen;

	CHECK_INT(len, TOTEM_MCAST_HDR + 3);
	CHECK_INT(totem_msg_mcast_dec(&d, buf, len), 0);
	CHECK(d.seq == 12 && d.sender == 5 && d.frag == 3 && d.last == 1);
	CHECK_INT(d.msgno, 77);
	CHECK(d.len == 3 && !memcmp(d.data, "hey", 3));
	m = (struct totem_mcast){ { 12, 1 }, 2, 1, 0, 0, 0, 0, buf, len };
	olen = totem_msg_mcast_enc(&m, outer, sizeof outer);
	CHECK_INT(olen, TOTEM_ENCAP_HDR + len);
	CHECK_INT(totem_msg_mcast_dec(&d, outer, olen), 0);
	CHECK(d.encap == 1 && d.len == len);
	CHECK_INT(totem_msg_mcast_dec(&in, d.data, d.len), 0);
	CHECK(in.ring.seq == 8 && in.seq == 12);
	for (size_t cut = 0; cut < len; cut++)
		CHECK(totem_msg_mcast_dec(&d, buf, cut) < 0);
}

TEST(totem_join_round_trip_and_order)
{
	struct totem_join j = { 8, 12, { 3, { 1, 2, 7 } }, { 1, { 7 } } }, d;
	uint8_t buf[TOTEM_MAX_CTL];
	size_t len = totem_msg_join_enc(&j, buf, sizeof buf);

	CHECK_INT(totem_msg_join_dec(&d, buf, len), 0);
	CHECK(d.ring_seq == 8 && d.max_seq == 12);
	CHECK(totem_set_eq(&d.proc, &j.proc) &&
	      totem_set_eq(&d.failed, &j.failed));
	for (size_t cut = 0; cut < len; cut++)
		CHECK(totem_msg_join_dec(&d, buf, cut) < 0);
	j.proc.id[1] = 9;			/* 1 9 7: not ascending */
	len = totem_msg_join_enc(&j, buf, sizeof buf);
	CHECK(totem_msg_join_dec(&d, buf, len) < 0);
	buf[18] = TOTEM_MAX_NODES + 1;		/* nproc over the limit */
	CHECK(totem_msg_join_dec(&d, buf, len) < 0);
}

TEST(totem_commit_round_trip)
{
	struct totem_commit c = { .ring = { 16, 2 }, .pass = 2, .filled = 2,
				  .memb = { 2, { 2, 5 } } }, d;
	uint8_t buf[TOTEM_MAX_CTL];
	size_t len;

	c.ent[0] = (struct totem_commit_ent){ { 12, 2 }, 4, 9, 1 };
	c.ent[1] = (struct totem_commit_ent){ { 8, 5 }, 0, 0, 0 };
	len = totem_msg_commit_enc(&c, buf, sizeof buf);
	CHECK_INT(totem_msg_commit_dec(&d, buf, len), 0);
	CHECK(d.ring.seq == 16 && d.pass == 2 && d.filled == 2);
	CHECK(d.ent[0].aru == 4 && d.ent[0].high == 9 && d.ent[0].had_ring);
	CHECK(d.ent[1].old.seq == 8 && d.ent[1].old.rep == 5);
	for (size_t cut = 0; cut < len; cut++)
		CHECK(totem_msg_commit_dec(&d, buf, cut) < 0);
	buf[16] = 3;				/* filled > members */
	CHECK(totem_msg_commit_dec(&d, buf, len) < 0);
}

/* ---- a tiny in-order network for whole-engine tests -------------------- */

#define NET_MAX 2048
#define PKT_MAX 1400

struct tnode {
	struct totem *t;
	uint32_t id;
	int up, mute, confs, ndel, failed_recv, min_memb;
	uint64_t ring;
	int nmemb;
	char del[64][16];
};

static struct {
	struct tnode n[3];
	struct totem_cfg cfg;		/* template for net_start */
	int count;
	int64_t now;
	struct { int to; uint32_t from; size_t len; uint8_t p[PKT_MAX]; }
		q[NET_MAX];
	int head, tail;
} net;

static void t_send(void *ctx, uint32_t to, const void *p, size_t len)
{
	struct tnode *me = ctx;

	for (int i = 0; i < net.count; i++) {
		if (&net.n[i] == me || (to && net.n[i].id != to) ||
		    (net.tail + 1) % NET_MAX == net.head || len > PKT_MAX)
			continue;
		net.q[net.tail].to = i;
		net.q[net.tail].from = me->id;
		net.q[net.tail].len = len;
		memcpy(net.q[net.tail].p, p, len);
		net.tail = (net.tail + 1) % NET_MAX;
	}
}

static void t_deliver(void *ctx, uint32_t from, const void *m, size_t len)
{
	struct tnode *me = ctx;

	if (me->ndel < 64 && len < 16) {
		memcpy(me->del[me->ndel], m, len);
		me->del[me->ndel++][len] = 0;
	}
}

static void t_conf(void *ctx, const struct totem_confchg *c)
{
	struct tnode *me = ctx;

	if (c->kind != TOTEM_REGULAR)
		return;
	me->confs++;
	me->ring = c->ring_seq;
	me->nmemb = c->nmembers;
	if (!me->min_memb || c->nmembers < me->min_memb)
		me->min_memb = c->nmembers;
}

static void t_log(void *ctx, int level, const char *text)
{
	struct tnode *me = ctx;

	me->failed_recv += !!strstr(text, "FAILED TO RECEIVE");
}

static void net_start_cfg(int count, const struct totem_cfg *cfg)
{
	memset(&net, 0, sizeof net);
	net.count = count;
	for (int i = 0; i < count; i++) {
		struct totem_cfg c = *cfg;
		struct totem_io io = { &net.n[i], t_send, t_deliver, t_conf,
				       NULL, t_log };
		c.nodeid = (uint32_t)(i + 1);
		net.n[i].id = c.nodeid;
		net.n[i].up = 1;
		net.n[i].t = totem_new(&c, &io, 0);
	}
}

static void net_start(int count)
{
	struct totem_cfg c = { 0 };

	net_start_cfg(count, &c);
}

/* run until `until` ms: packets first (1 ms each), then timers */
static void net_run(int64_t until)
{
	while (net.now < until) {
		if (net.head != net.tail) {
			int i = net.q[net.head].to;
			int mcast = net.q[net.head].p[0] == TOTEM_MSG_MCAST;
			if (net.n[i].up && !(net.n[i].mute && mcast))
				totem_recv(net.n[i].t, net.q[net.head].from,
					   net.q[net.head].p,
					   net.q[net.head].len, net.now);
			net.head = (net.head + 1) % NET_MAX;
			continue;
		}
		int64_t next = until;
		for (int i = 0; i < net.count; i++)
			if (net.n[i].up &&
			    totem_next_timer(net.n[i].t) < next)
				next = totem_next_timer(net.n[i].t);
		net.now = next > net.now ? next : net.now + 1;
		for (int i = 0; i < net.count; i++)
			if (net.n[i].up)
				totem_tick(net.n[i].t, net.now);
	}
}

static void net_stop(void)
{
	for (int i = 0; i < net.count; i++)
		totem_free(net.n[i].t);
}

static int state_of(int i)
{
	struct totem_stats st;

	totem_stats(net.n[i].t, &st);
	return st.state;
}

TEST(totem_two_nodes_form_a_ring_and_agree)
{
	net_start(2);
	net_run(500);
	CHECK_INT(state_of(0), TOTEM_OPERATIONAL);
	CHECK_INT(state_of(1), TOTEM_OPERATIONAL);
	CHECK_INT(net.n[0].nmemb, 2);
	CHECK(net.n[0].ring == net.n[1].ring && net.n[0].ring > 0);
	CHECK_INT(totem_send(net.n[0].t, "a1", 2, net.now), 0);
	CHECK_INT(totem_send(net.n[1].t, "b1", 2, net.now), 0);
	CHECK_INT(totem_send(net.n[0].t, "a2", 2, net.now), 0);
	net_run(1500);
	CHECK_INT(net.n[0].ndel, 3);
	CHECK_INT(net.n[1].ndel, 3);
	for (int i = 0; i < 3; i++)
		CHECK_STR(net.n[0].del[i], net.n[1].del[i]);
	net_stop();
}

TEST(totem_survivor_reforms_after_a_crash)
{
	struct totem_stats st;

	net_start(3);
	net_run(500);
	CHECK_INT(net.n[2].nmemb, 3);
	net.n[0].up = 0;			/* power off node 1 */
	net_run(6000);
	CHECK_INT(state_of(1), TOTEM_OPERATIONAL);
	CHECK_INT(net.n[1].nmemb, 2);
	CHECK(net.n[1].ring == net.n[2].ring);
	totem_stats(net.n[1].t, &st);
	CHECK(st.token_losses >= 1);
	CHECK_INT(st.rep, 2);
	net_stop();
}

TEST(totem_leave_reforms_at_once)
{
	net_start(3);
	net_run(500);
	totem_leave(net.n[2].t, net.now);
	net.n[2].up = 0;
	net_run(net.now + 300);		/* well below token + consensus */
	CHECK_INT(state_of(0), TOTEM_OPERATIONAL);
	CHECK_INT(net.n[0].nmemb, 2);
	CHECK_INT(net.n[1].nmemb, 2);
	CHECK_INT(totem_send(net.n[2].t, "x", 1, net.now), -1);
	net_stop();
}

/* A member's leave naming an earlier ring, and any packet taken late
 * (older than one its sender sent since), start no membership change. */
TEST(totem_stale_leave_and_late_packets_change_nothing)
{
	struct totem_stats a, b;
	struct totem_ring_id old;
	uint8_t p[64];
	size_t len;

	net_start(3);
	net_run(500);
	totem_stats(net.n[0].t, &a);
	old = (struct totem_ring_id){ a.ring_seq - 4, a.rep };
	len = totem_msg_ring_enc(TOTEM_MSG_LEAVE, old, p, sizeof p);
	totem_recv(net.n[0].t, net.n[2].id, p, len, net.now);
	old.seq = a.ring_seq + 40;		/* a foreign ring, late */
	len = totem_msg_ring_enc(TOTEM_MSG_MERGE, old, p, sizeof p);
	totem_recv_late(net.n[0].t, net.n[2].id, p, len, net.now);
	old = (struct totem_ring_id){ a.ring_seq, a.rep };
	len = totem_msg_ring_enc(TOTEM_MSG_LEAVE, old, p, sizeof p);
	totem_recv_late(net.n[0].t, net.n[2].id, p, len, net.now);
	totem_stats(net.n[0].t, &b);
	CHECK_INT(b.state, TOTEM_OPERATIONAL);
	CHECK(b.ring_seq == a.ring_seq);
	CHECK_INT(b.rx_late, 3);
	totem_recv(net.n[0].t, net.n[2].id, p, len, net.now);
	totem_stats(net.n[0].t, &b);		/* the same leave, in time */
	CHECK(b.state != TOTEM_OPERATIONAL);
	net_stop();
}

TEST(totem_large_message_fragments_and_reassembles)
{
	static uint8_t big[TOTEM_MAX_MSG];
	struct tnode *n;

	net_start(2);
	net_run(500);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 31);
	CHECK_INT(totem_send(net.n[0].t, big, sizeof big, net.now), 0);
	CHECK_INT(totem_send(net.n[0].t, big, sizeof big + 1, net.now), -1);
	n = &net.n[1];
	net_run(3000);
	CHECK_INT(n->ndel, 0);		/* too big for the test's recorder */
	for (int i = 0; i < 2; i++) {
		struct totem_stats st;
		totem_stats(net.n[i].t, &st);
		CHECK_INT(st.delivered, 1);
	}
	net_stop();
}

TEST(totem_malformed_packets_counted)
{
	static const uint8_t bad[][8] = {
		{ 0 }, { TOTEM_MSG_TOKEN, 9 }, { 99, TOTEM_VERSION },
		{ TOTEM_MSG_JOIN, TOTEM_VERSION, 1 },
		{ TOTEM_MSG_MCAST, TOTEM_VERSION },
	};
	struct totem_stats st;

	net_start(1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		totem_recv(net.n[0].t, 7, bad[i], i ? 8 : 1, 0);
	totem_recv(net.n[0].t, 7, bad[0], 0, 0);
	totem_stats(net.n[0].t, &st);
	CHECK_INT(st.rx_bad, 6);
	CHECK_INT(st.rx_packets, 6);
	net_stop();
}

TEST(totem_defaults_and_floors)
{
	struct totem_cfg c = { 0 };

	totem_cfg_defaults(&c);
	CHECK_INT(c.token, 1000);
	CHECK_INT(c.join, 50);
	CHECK_INT(c.consensus, 200);		/* 4 x join */
	CHECK_INT(c.token_retransmit, 238);
	CHECK_INT(c.hold, 190);
	CHECK_INT(c.merge, 200);
	CHECK_INT(c.window_size, 50);
	CHECK_INT(c.max_messages, 17);
	CHECK_INT(c.mtu, 1200);
	CHECK_INT(c.fail_recv_const, 2500);
	c = (struct totem_cfg){ .token = 200 };
	totem_cfg_defaults(&c);
	CHECK_INT(c.consensus, 150);	/* token / 2, raised to the floor */
	c = (struct totem_cfg){ .token = 5, .join = 1, .consensus = 3,
				.mtu = 10, .max_messages = 999 };
	totem_cfg_defaults(&c);
	CHECK_INT(c.token, 200);
	CHECK_INT(c.join, 10);
	CHECK_INT(c.consensus, 70);
	CHECK_INT(c.mtu, TOTEM_MIN_MTU);
	CHECK_INT(c.max_messages, c.window_size);
	CHECK(c.hold < c.token_retransmit);
}

TEST(totem_idle_ring_holds_the_token)
{
	struct totem_stats a, b;
	uint64_t before = 0, after = 0;

	net_start(3);
	net_run(2000);
	for (int i = 0; i < 3; i++) {
		totem_stats(net.n[i].t, &a);
		before += a.tx_packets;
	}
	net_run(12000);			/* 10 idle seconds */
	for (int i = 0; i < 3; i++) {
		totem_stats(net.n[i].t, &b);
		after += b.tx_packets;
	}
	/* a token round per hold period (3 sends) plus merge detects */
	CHECK(after - before < 10 * (1000 / 190 + 1) * 3 + 10 * 5 + 20);
	CHECK(after - before > 10);	/* but the ring still turns */
	CHECK_INT(b.state, TOTEM_OPERATIONAL);
	net_stop();
}

TEST(totem_node_that_cannot_receive_leaves_by_itself)
{
	struct totem_cfg c = { .fail_recv_const = 20 };
	char m[8];

	net_start_cfg(3, &c);
	net_run(500);
	CHECK_INT(net.n[2].nmemb, 3);
	net.n[2].mute = 1;		/* tokens arrive, multicasts do not */
	for (int i = 0; i < 40; i++) {
		snprintf(m, sizeof m, "m%d", i);
		CHECK_INT(totem_send(net.n[0].t, m, strlen(m), net.now), 0);
	}
	net_run(net.now + 3000);
	CHECK(net.n[2].failed_recv >= 1);
	CHECK_INT(net.n[0].ndel, 40);
	CHECK_INT(net.n[1].ndel, 40);
	CHECK_INT(net.n[0].min_memb, 2);	/* the others went on */
	CHECK_INT(net.n[2].min_memb, 1);	/* node 3 alone for a while */
	net_stop();
}

TEST(totem_send_refuses_when_full)
{
	struct totem_cfg c = { .send_queue = 16 };
	int ok = 0;

	net_start_cfg(1, &c);
	for (int i = 0; i < 20; i++)
		ok += totem_send(net.n[0].t, "x", 1, 0) == 0;
	CHECK_INT(ok, 16);
	net_run(2000);			/* a singleton ring drains it */
	CHECK_INT(net.n[0].ndel, 16);
	CHECK_INT(totem_send(net.n[0].t, "y", 1, net.now), 0);
	net_stop();
}

/* VmRSS of this process in KiB, -1 if unknown. */
static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kib = -1;

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* An engine allocates about 8 MiB (two message stores, the send queue,
 * a reassembly buffer per node) that an idle ring barely touches: it
 * must stay out of the resident set.  An idle daemon's once grew from
 * 384 KiB to 4.2 MiB when calloc wrote zeros over fresh mappings. */
TEST(totem_idle_ring_stays_out_of_the_resident_set)
{
	long before = rss_kib(), after;

	net_start(3);
	net_run(500);
	after = rss_kib();
	CHECK_INT(net.n[0].nmemb, 3);
	CHECK(before > 0 && after - before < 4096);
	net_stop();
}
