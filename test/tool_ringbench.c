/* test/tool_ringbench.c - a bare ring node and a membership watcher for
 * `make bench` (test/bench/bench.sh).
 *
 *   tool_ringbench node [-c COUNT] [-s SIZE] [-r RATE] [-x SENDER]
 *                       [-t TOKEN] [-k KEYFILE] [-w SECS] [-l LINGER]
 *                       ME ADDR1 ADDR2 ...
 *	One ring node with id ME of the nodes 1..N at ADDR1..ADDRN: the
 *	product's transport, seal and totem on its loop, wired as in
 *	rm/local.c but without the daemon (multicast 239.192.110.162, port
 *	5405, cluster "tcluster" id 28212 as test/netns/lib.sh; the key
 *	from KEYFILE, else from the name).  Once all N are members, node
 *	SENDER (default 1) sends COUNT (10000) messages of SIZE (64, at
 *	least 16) bytes, each holding its sequence number and its
 *	CLOCK_MONOTONIC send time: as fast as totem_send takes them
 *	(retrying after deliveries when the queue is full), or RATE per
 *	second when RATE > 0.  Every node, the sender included, counts the
 *	sender's messages as delivered in agreed order; at the COUNTth it
 *	prints one line
 *	  result node=ME got=COUNT ms=... msgs_s=... mb_s=... p50_us=...
 *	with the one-way latencies (all namespaces share the host's
 *	monotonic clock) and stays LINGER ms (2000) in the ring for the
 *	others.  After SECS (60) it gives up with "result node=ME timeout".
 *
 *   tool_ringbench watch [-i MS] [-w SECS] N PIDFILE...
 *	Poll the daemons whose pids the files hold (a missing file is a
 *	daemon not started yet) every MS (20) ms with the control verb
 *	`status` that `cman_tool status` shows, through
 *	/proc/PID/root/run/hacluster/hacluster.sock (each node has its own
 *	/run), until every one is a member, says nodes: N and all name one
 *	generation.  Prints "met REALTIME_US gen G polls P" (the wall clock,
 *	to compare with bash's EPOCHREALTIME) and exits 0; after SECS (30)
 *	"timeout ..." and exits 1.
 *
 *   tool_ringbench ctl PIDFILE VERB
 *	The reply of that daemon to VERB (e.g. stats, the counters no
 *	applet shows), the same way; exits 1 when it does not answer. */
#include "../net/ctl.h"
#include "../net/loop.h"
#include "../net/seal.h"
#include "../net/sys.h"
#include "../net/totem.h"
#include "../net/transport.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CLUSTER_NAME	"tcluster"
#define CLUSTER_ID	28212
#define GROUP		"239.192.110.162"
#define RX_BURST	64
#define HDR_LEN		16	/* seq (8) and send time (8) */

static const char usage[] =
	"usage: tool_ringbench node [-c COUNT] [-s SIZE] [-r RATE] "
	"[-x SENDER] [-t TOKEN] [-k KEYFILE] [-w SECS] [-l LINGER_MS] "
	"ME ADDR...\n"
	"       tool_ringbench watch [-i MS] [-w SECS] N PIDFILE...\n"
	"       tool_ringbench ctl PIDFILE VERB\n";

static struct {
	/* parameters */
	uint32_t me, sender;
	int nnodes, token, linger, secs;
	long count, size, rate;
	const char *keyfile;
	/* the ring */
	struct totem *totem;
	struct transport *tp;
	struct seal seal;
	int timer, pacer;
	int64_t armed;
	/* the run */
	int ready, reforms;
	long sent, got, order_err, queue_full;
	int64_t *lat;			/* ns, one per delivered message */
	int64_t first_stamp, last_rx;	/* ns */
	int64_t paced_from, done_at;	/* ms */
	uint8_t rx[TRANSPORT_MAX_DGRAM], tx[TRANSPORT_MAX_DGRAM];
	uint8_t msg[TOTEM_MAX_MSG];
} B = { .sender = 1, .token = 0, .linger = 2000, .secs = 60,
	.count = 10000, .size = 64 };

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long number(const char *s, long lo, long hi)
{
	long v;

	if (parse_int(s, lo, hi, &v) < 0)
		die_usage("%s: not a number in %ld..%ld", s, lo, hi);
	return v;
}

/* --- the ring, as rm/local.c wires it ------------------------------------ */
static void on_timer(void *ctx);

static void rearm(void)
{
	int64_t t = totem_next_timer(B.totem);

	if (B.timer && t == B.armed)
		return;
	loop_timer_cancel(B.timer);
	B.timer = 0;
	B.armed = t;
	if (t != INT64_MAX && (B.timer = loop_timer_add(t, on_timer,
							 NULL)) < 0)
		die("no free loop timer");
}

static void on_timer(void *ctx)
{
	B.timer = 0;
	totem_tick(B.totem, now_ms());
	rearm();
}

static void io_send(void *ctx, uint32_t to, const void *pkt, size_t len)
{
	int n = seal_pack(&B.seal, pkt, len, B.tx, sizeof B.tx);

	if (n >= 0)
		transport_send(B.tp, to, B.tx, (size_t)n);
}

static void take(size_t n, const struct sockaddr_storage *from)
{
	const void *payload;
	uint32_t id;
	size_t plen;

	if (seal_open(&B.seal, B.rx, n, &id, &payload, &plen) != SEAL_OK)
		return;
	transport_learn(B.tp, id, from);
	totem_recv(B.totem, id, payload, plen, now_ms());
}

static void on_readable(void *ctx, int fd, int events)
{
	for (int i = 0; i < RX_BURST; i++) {
		struct sockaddr_storage from;
		ssize_t n = transport_recv(B.tp, fd, B.rx, sizeof B.rx, &from);

		if (n >= 0)
			take((size_t)n, &from);
		else if (errno != EMSGSIZE && errno != EINTR)
			break;
	}
	rearm();
}

/* --- results ------------------------------------------------------------- */
static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct_us(int pct)
{
	return (double)B.lat[(B.got - 1) * pct / 100] / 1000.0;
}

static void report(void)
{
	struct totem_stats st;
	double ms = (double)(B.last_rx - B.first_stamp) / 1e6;

	totem_stats(B.totem, &st);
	qsort(B.lat, (size_t)B.got, sizeof *B.lat, by_value);
	printf("result node=%u got=%ld size=%ld rate=%ld ms=%.1f "
	       "msgs_s=%.0f mb_s=%.3f p50_us=%.0f p99_us=%.0f max_us=%.0f "
	       "order_err=%ld reforms=%d queue_full=%ld retransmits=%"
	       PRIu64 " token_losses=%" PRIu64 "\n", B.me, B.got, B.size,
	       B.rate, ms, ms > 0 ? B.got * 1000.0 / ms : 0.0,
	       ms > 0 ? B.got * (double)B.size / ms / 1000.0 : 0.0,
	       pct_us(50), pct_us(99), pct_us(100), B.order_err, B.reforms,
	       B.queue_full, st.retransmits, st.token_losses);
	fflush(stdout);
}

static void report_timeout(void)
{
	printf("result node=%u timeout got=%ld of %ld sent=%ld ready=%d "
	       "reforms=%d\n", B.me, B.got, B.count, B.sent, B.ready,
	       B.reforms);
	fflush(stdout);
}

/* --- messages ------------------------------------------------------------ */
static void io_deliver(void *ctx, uint32_t from, const void *msg,
		       size_t len)
{
	int64_t seq, stamp, now = clock_ns(CLOCK_MONOTONIC);

	if (from != B.sender || len < HDR_LEN || B.got >= B.count)
		return;
	memcpy(&seq, msg, 8);
	memcpy(&stamp, (const uint8_t *)msg + 8, 8);
	if (seq != B.got)
		B.order_err++;
	if (!B.got)
		B.first_stamp = stamp;
	B.lat[B.got++] = now - stamp;
	B.last_rx = now;
	if (B.got == B.count) {
		B.done_at = now_ms();
		report();
	}
}

static int send_one(void)
{
	int64_t seq = B.sent, stamp = clock_ns(CLOCK_MONOTONIC);

	memcpy(B.msg, &seq, 8);
	memcpy(B.msg + 8, &stamp, 8);
	if (totem_send(B.totem, B.msg, (size_t)B.size, now_ms()) < 0) {
		B.queue_full++;
		return -1;
	}
	B.sent++;
	return 0;
}

/* Flood: as many as the queue takes now; the loop calls again after
 * the next wake-up (deliveries free the queue). */
static void pump(void)
{
	while (B.sent < B.count && send_one() == 0)
		;
	rearm();
}

static void on_pace(void *ctx)
{
	int64_t next;

	B.pacer = 0;
	if (B.sent >= B.count)
		return;
	send_one();
	rearm();
	next = B.paced_from + B.sent * 1000 / B.rate;
	if ((B.pacer = loop_timer_add(next, on_pace, NULL)) < 0)
		die("no free loop timer");
}

static void io_confchg(void *ctx, const struct totem_confchg *c)
{
	if (c->kind != TOTEM_REGULAR)
		return;
	if (B.ready) {
		B.reforms++;
		fprintf(stderr, "tool_ringbench: node %u: reform to ring %"
			PRIu64 " of %d members during the run\n", B.me,
			c->ring_seq, c->nmembers);
		return;
	}
	if (c->nmembers != B.nnodes)
		return;
	B.ready = 1;
	fprintf(stderr, "tool_ringbench: node %u: ring %" PRIu64 " of %d "
		"members\n", B.me, c->ring_seq, c->nmembers);
	/* the first send from the loop, not from inside totem's callback */
	if (B.me == B.sender && B.rate > 0) {
		B.paced_from = now_ms();
		if ((B.pacer = loop_timer_add(B.paced_from, on_pace,
					      NULL)) < 0)
			die("no free loop timer");
	}
}

static void io_log(void *ctx, int level, const char *text)
{
	if (level <= LOG_LVL_WARN)
		log_msg(level, "totem: %s", text);
}

/* --- start and run ------------------------------------------------------- */
static void load_key(void)
{
	uint8_t master[SEAL_KEY_LEN], epoch[SEAL_EPOCH_LEN];

	if (!B.keyfile)
		seal_key_from_name(CLUSTER_NAME, master);
	else if (seal_key_from_file(B.keyfile, CLUSTER_NAME, master) < 0)
		die_sys("%s", B.keyfile);
	if (seal_new_epoch(epoch) < 0)
		die_sys("getrandom");
	seal_init(&B.seal, master, CLUSTER_ID, B.me, epoch);
}

static void open_transport(char **addr)
{
	struct transport_cfg tc = { .nodeid = B.me, .mcast = GROUP };
	int fds[TRANSPORT_MAX_FDS], n;
	char err[256];

	for (int i = 0; i < B.nnodes; i++)
		tc.nodes[tc.nnodes++] = (struct transport_node){
			(uint32_t)i + 1, addr[i] };
	if (!(B.tp = transport_open(&tc, err, sizeof err)))
		die("%s", err);
	n = transport_fds(B.tp, fds, TRANSPORT_MAX_FDS);
	for (int i = 0; i < n; i++)
		if (loop_fd_add(fds[i], LOOP_READ, on_readable, NULL) < 0)
			die("event loop full");
}

static void start_ring(char **addr)
{
	static const struct totem_io io = { NULL, io_send, io_deliver,
		io_confchg, NULL, io_log };
	struct totem_cfg tc = { .nodeid = B.me, .token = B.token };

	if (loop_init() < 0)
		die_sys("loop");
	load_key();
	open_transport(addr);
	totem_cfg_defaults(&tc);
	if (!(B.totem = totem_new(&tc, &io, now_ms())))
		die("cannot start totem");
	rearm();
}

static int finished(int64_t deadline)
{
	int64_t now = now_ms();

	if (B.done_at && now >= B.done_at + B.linger)
		return 1;
	return now >= deadline;
}

static int run_node(void)
{
	int64_t deadline = now_ms() + (int64_t)B.secs * 1000;

	while (!finished(deadline)) {
		if (B.ready && B.me == B.sender && !B.rate)
			pump();
		loop_once(100);
	}
	if (!B.done_at)
		report_timeout();
	return B.done_at ? 0 : 1;
}

static int node_main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "c:s:r:x:t:k:w:l:")) != -1) {
		switch (c) {
		case 'c':
			B.count = number(optarg, 1, 10000000);
			break;
		case 's':
			B.size = number(optarg, HDR_LEN, TOTEM_MAX_MSG);
			break;
		case 'r':
			B.rate = number(optarg, 0, 1000000);
			break;
		case 'x':
			B.sender = (uint32_t)number(optarg, 1, 64);
			break;
		case 't':
			B.token = (int)number(optarg, 0, 60000);
			break;
		case 'k':
			B.keyfile = optarg;
			break;
		case 'w':
			B.secs = (int)number(optarg, 1, 3600);
			break;
		case 'l':
			B.linger = (int)number(optarg, 0, 60000);
			break;
		default: die_usage("unknown option");
		}
	}
	if (argc - optind < 3)
		die_usage("need ME and at least two addresses");
	B.me = (uint32_t)number(argv[optind], 1, 64);
	B.nnodes = argc - optind - 1;
	if (B.nnodes > TRANSPORT_MAX_NODES || B.me > (uint32_t)B.nnodes ||
	    B.sender > (uint32_t)B.nnodes)
		die_usage("ME and SENDER must be 1..number of addresses");
	B.lat = xcalloc((size_t)B.count, sizeof *B.lat);
	start_ring(argv + optind + 1);
	return run_node();
}

/* --- watch --------------------------------------------------------------- */
struct seen {
	int nodes, member;
	char gen[32];
};

/* The control socket of the daemon whose pid file is pidfile, as seen
 * from here; -1 when there is no pid yet. */
static int sock_of(const char *pidfile, char *sock, size_t len)
{
	char *pid = read_file(pidfile, 32, NULL);

	if (!pid)
		return -1;
	pid[strcspn(pid, "\n")] = 0;
	snprintf(sock, len, "/proc/%s/root%s", pid, CTL_PATH);
	free(pid);
	return 0;
}

/* What that daemon says to status; -1 when it does not answer. */
static int ask(const char *pidfile, struct seen *s)
{
	char sock[128], v[32];
	struct ctl_reply rep;
	int rc;

	*s = (struct seen){ .nodes = -1 };
	if (sock_of(pidfile, sock, sizeof sock) < 0)
		return -1;
	rc = ctl_call(sock, "status", 1000, &rep);
	if (rc == 0 && !rep.code) {
		s->member = ctl_value(&rep, "member", v, sizeof v) &&
			    !strcmp(v, "yes");
		if (ctl_value(&rep, "nodes", v, sizeof v))
			s->nodes = atoi(v);
		ctl_value(&rep, "generation", s->gen, sizeof s->gen);
	}
	ctl_reply_free(&rep);
	return rc == 0 && !rep.code ? 0 : -1;
}

/* One round over every daemon: 1 when all agree on a ring of n. */
static int round_met(int n, char **files, int nfiles, struct seen *s)
{
	int met = 1;

	for (int i = 0; i < nfiles; i++) {
		if (ask(files[i], &s[i]) < 0 || !s[i].member ||
		    s[i].nodes != n || strcmp(s[i].gen, s[0].gen))
			met = 0;
	}
	return met;
}

static void watch_timeout(char **files, int nfiles, const struct seen *s,
			  int polls)
{
	printf("timeout polls %d:", polls);
	for (int i = 0; i < nfiles; i++)
		printf(" [%s nodes %d gen %s member %d]", files[i], s[i].nodes,
		       s[i].gen[0] ? s[i].gen : "-", s[i].member);
	printf("\n");
}

static int watch_main(int argc, char **argv)
{
	long every = 20, secs = 30, n;
	int c, polls = 0, nfiles;
	struct seen *s;
	int64_t end;

	while ((c = getopt(argc, argv, "i:w:")) != -1) {
		if (c == 'i')
			every = number(optarg, 1, 10000);
		else if (c == 'w')
			secs = number(optarg, 1, 3600);
		else
			die_usage("unknown option");
	}
	if (argc - optind < 2)
		die_usage("need N and at least one pid file");
	n = number(argv[optind], 0, 64);
	nfiles = argc - optind - 1;
	s = xcalloc((size_t)nfiles, sizeof *s);
	end = now_ms() + secs * 1000;
	for (;;) {
		polls++;
		if (round_met((int)n, argv + optind + 1, nfiles, s)) {
			printf("met %" PRId64 " gen %s polls %d\n",
			       clock_ns(CLOCK_REALTIME) / 1000, s[0].gen,
			       polls);
			return 0;
		}
		if (now_ms() >= end)
			break;
		usleep((useconds_t)every * 1000);
	}
	watch_timeout(argv + optind + 1, nfiles, s, polls);
	return 1;
}

static int ctl_main(int argc, char **argv)
{
	struct ctl_reply rep;
	char sock[128];
	int rc;

	if (argc != 3)
		die_usage("ctl needs PIDFILE and VERB");
	if (sock_of(argv[1], sock, sizeof sock) < 0)
		die_sys("%s", argv[1]);
	rc = ctl_call(sock, argv[2], 0, &rep);
	if (rc == 0 && rep.lines.p)
		fwrite(rep.lines.p, 1, rep.lines.len, stdout);
	if (rc == 0 && rep.code)
		warn_msg("%s: %s", argv[2], rep.err);
	rc = rc == 0 && !rep.code ? 0 : 1;
	ctl_reply_free(&rep);
	return rc;
}

int main(int argc, char **argv)
{
	sys_prog = "tool_ringbench";
	sys_usage = usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die_usage("node, watch or ctl?");
	if (!strcmp(argv[1], "node"))
		return node_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "watch"))
		return watch_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ctl"))
		return ctl_main(argc - 1, argv + 1);
	die_usage("%s: node, watch or ctl?", argv[1]);
}
