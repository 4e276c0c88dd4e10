/* net/ring.c - this node's ring: transport, seal and totem on the loop.
 *
 * The glue around the sans-I/O totem core:
 *
 *   socket readable -> transport_recv -> seal_open -> transport_learn
 *                                                  -> totem_recv
 *   totem io.send   -> seal_pack -> transport_send
 *   totem timers    -> one loop timer at totem_next_timer(), re-armed
 *                      after every call into totem
 *   loop stall      -> totem_stalled (we were frozen, not our peers)
 *   io.save_ring_seq -> RING_SEQ_FILE, replaced atomically
 *   io.confchg      -> the membership view below and its log lines,
 *                      then cfg.confchg
 *   io.deliver      -> cfg.deliver with the message's kind byte
 *
 * Nothing here exits: a send or a file write that fails is logged and
 * counted, and the ring goes on. */
#include "ring.h"
#include "loop.h"
#include "seal.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RX_BURST	64	/* datagrams read per wake-up and fd */
#define MAX_VIEW	(TRANSPORT_MAX_NODES + 16)
#define WARN_EVERY_MS	60000	/* per kind of dropped packet */

static struct {
	struct ring_cfg cfg;
	uint32_t me;
	struct totem *totem;
	struct transport *tp;
	struct seal seal;
	int fds[TRANSPORT_MAX_FDS], nfds;
	int timer;
	int64_t armed;
	int member, leaving;
	uint64_t gen;
	int nmembers;
	struct ring_node view[MAX_VIEW];
	int nview;
	int64_t warned[8];
	uint64_t delivered, tx_failed, stalls, unknown_kind;
	uint8_t rx[TRANSPORT_MAX_DGRAM], tx[TRANSPORT_MAX_DGRAM];
	uint8_t msg[TOTEM_MAX_MSG];
} R;

static const char *name_of(uint32_t id)
{
	const char *n = R.cfg.name ? R.cfg.name(R.cfg.ctx, id) : NULL;

	return n ? n : "?";
}

/* --- the ring seq on disk ------------------------------------------------- */
static uint64_t read_seq(void)
{
	char *s = read_file(RING_SEQ_FILE, 64, NULL), *end;
	unsigned long long v = 0;

	if (!s)
		return 0;
	v = strtoull(s, &end, 10);
	if (end == s || (*end && *end != '\n')) {
		log_msg(LOG_LVL_WARN, "%s: not a number, starting from 0",
			RING_SEQ_FILE);
		v = 0;
	}
	free(s);
	return v;
}

static void io_save_seq(void *ctx, uint64_t seq)
{
	char line[32];
	int n = snprintf(line, sizeof line, "%" PRIu64 "\n", seq);

	if (replace_file(RING_SEQ_FILE, line, (size_t)n, 0644, NULL) < 0)
		log_msg(LOG_LVL_ERR, "cannot save ring seq %" PRIu64
			" in %s: %s", seq, RING_SEQ_FILE, strerror(errno));
}

/* --- timers --------------------------------------------------------------- */
static void on_timer(void *ctx);

static void rearm(void)
{
	int64_t t = totem_next_timer(R.totem);

	if (R.timer && t == R.armed)
		return;
	loop_timer_cancel(R.timer);
	R.timer = 0;
	R.armed = t;
	if (t != INT64_MAX && (R.timer = loop_timer_add(t, on_timer,
							 NULL)) < 0) {
		log_msg(LOG_LVL_ERR, "no free loop timer for totem");
		R.timer = 0;
	}
}

static void on_timer(void *ctx)
{
	R.timer = 0;
	totem_tick(R.totem, now_ms());
	rearm();
}

static void on_stall(void *ctx, int64_t late)
{
	R.stalls++;
	log_msg(LOG_LVL_WARN, "this node was not scheduled for %" PRId64
		" ms (VM pause or starvation?): restarting failure timers",
		late);
	totem_stalled(R.totem, now_ms());
	rearm();
}

/* --- packets -------------------------------------------------------------- */
static void io_send(void *ctx, uint32_t to, const void *pkt, size_t len)
{
	int n = seal_pack(&R.seal, pkt, len, R.tx, sizeof R.tx);

	if (n < 0 || transport_send(R.tp, to, R.tx, (size_t)n) < 0) {
		if (!R.tx_failed++ || R.tx_failed % 1000 == 0)
			log_msg(LOG_LVL_WARN, "cannot send to %s: %s "
				"(%" PRIu64 " failed sends)",
				to ? name_of(to) : "the ring",
				n < 0 ? "cannot seal" : strerror(errno),
				R.tx_failed);
	}
}

static void dropped(int err, const struct sockaddr_storage *from)
{
	int k = -err < 8 ? -err : 0;
	int64_t now = now_ms();
	char a[64];

	transport_ntop(from, a, sizeof a);
	if (err == SEAL_E_AUTH || err == SEAL_E_FOREIGN || err ==
	    SEAL_E_VERSION) {
		if (!R.warned[k] || now - R.warned[k] >= WARN_EVERY_MS) {
			R.warned[k] = now;
			log_msg(LOG_LVL_WARN, "dropping packets from %s: %s",
				a, seal_strerror(err));
			return;
		}
	}
	log_msg(LOG_LVL_DEBUG, "dropped a packet from %s: %s", a,
		seal_strerror(err));
}

static void take(size_t n, const struct sockaddr_storage *from)
{
	const void *payload;
	uint32_t id;
	size_t plen;
	int rc = seal_open(&R.seal, R.rx, n, &id, &payload, &plen);

	if (rc != SEAL_OK) {
		dropped(rc, from);
		return;
	}
	transport_learn(R.tp, id, from);
	totem_recv(R.totem, id, payload, plen, now_ms());
}

static void on_readable(void *ctx, int fd, int events)
{
	for (int i = 0; i < RX_BURST; i++) {
		struct sockaddr_storage from;
		ssize_t n = transport_recv(R.tp, fd, R.rx, sizeof R.rx, &from);

		if (n >= 0) {
			take((size_t)n, &from);
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			break;
		} else if (errno != EMSGSIZE && errno != EINTR) {
			log_msg(LOG_LVL_DEBUG, "receive: %s", strerror(errno));
			break;
		}
	}
	rearm();
}

/* --- membership ----------------------------------------------------------- */
static struct ring_node *view_of(uint32_t id, int add)
{
	for (int i = 0; i < R.nview; i++)
		if (R.view[i].nodeid == id)
			return &R.view[i];
	if (!add || R.nview == MAX_VIEW)
		return NULL;
	R.view[R.nview] = (struct ring_node){ .nodeid = id };
	return &R.view[R.nview++];
}

static int in_list(uint32_t id, const uint32_t *v, int n)
{
	for (int i = 0; i < n; i++)
		if (v[i] == id)
			return 1;
	return 0;
}

static void note_left(const struct totem_confchg *c)
{
	for (int i = 0; i < R.nview; i++) {
		struct ring_node *n = &R.view[i];

		if (!n->member || in_list(n->nodeid, c->members, c->nmembers))
			continue;
		n->member = 0;
		log_msg(LOG_LVL_NOTICE, "node %u (%s) left the cluster",
			n->nodeid, name_of(n->nodeid));
	}
}

static void note_joined(const struct totem_confchg *c)
{
	for (int i = 0; i < c->nmembers; i++) {
		struct ring_node *n = view_of(c->members[i], 1);

		if (!n || n->member)
			continue;
		*n = (struct ring_node){ c->members[i], 1, c->ring_seq,
					 (int64_t)time(NULL) };
		log_msg(LOG_LVL_NOTICE, "node %u (%s) joined the cluster",
			n->nodeid, name_of(n->nodeid));
	}
}

static void log_members(const struct totem_confchg *c)
{
	struct buf b = {0};

	for (int i = 0; i < c->nmembers; i++)
		buf_printf(&b, " %u", c->members[i]);
	log_msg(LOG_LVL_NOTICE, "membership: ring %" PRIu64 ", "
		"representative %u, %d member%s:%s", c->ring_seq, c->rep,
		c->nmembers, c->nmembers == 1 ? "" : "s", b.p ? b.p : "");
	buf_free(&b);
}

static void io_confchg(void *ctx, const struct totem_confchg *c)
{
	if (c->kind == TOTEM_TRANSITIONAL) {
		log_msg(LOG_LVL_INFO, "transitional configuration on ring %"
			PRIu64 ": %d member%s stay", c->ring_seq,
			c->nmembers, c->nmembers == 1 ? "" : "s");
		return;
	}
	note_left(c);
	note_joined(c);
	log_members(c);
	R.gen = c->ring_seq;
	R.nmembers = c->nmembers;
	R.member = in_list(R.me, c->members, c->nmembers);
	if (R.member && R.cfg.confchg)
		R.cfg.confchg(R.cfg.ctx, c->ring_seq, c->members, c->nmembers);
}

/* Ordered messages: one byte of kind, then the body. */
static void io_deliver(void *ctx, uint32_t from, const void *msg,
		       size_t len)
{
	const uint8_t *m = msg;

	R.delivered++;
	if (!len || !R.cfg.deliver ||
	    R.cfg.deliver(R.cfg.ctx, from, m[0], m + 1, len - 1) < 0)
		R.unknown_kind++;
}

static void io_log(void *ctx, int level, const char *text)
{
	log_msg(level, "totem: %s", text);
}

/* --- start and stop ------------------------------------------------------- */
static int load_key(char *err, size_t errlen)
{
	const char *file = R.cfg.keyfile;
	uint8_t master[SEAL_KEY_LEN], epoch[SEAL_EPOCH_LEN];
	int src = seal_key_load(file, R.cfg.cluster ? R.cfg.cluster : "",
				master);

	if (src < 0) {
		snprintf(err, errlen, "cannot use the key file %s: %s",
			 file ? file : SEAL_KEYFILE, strerror(errno));
		return -1;
	}
	if (src == SEAL_SRC_NAME)
		log_msg(LOG_LVL_WARN, "no key file %s: packets are keyed by "
			"the cluster name only (run 'hacluster keygen' and "
			"copy the key to every node)",
			file ? file : SEAL_KEYFILE);
	if (seal_new_epoch(epoch) < 0) {
		snprintf(err, errlen, "no random numbers: %s",
			 strerror(errno));
		return -1;
	}
	seal_init(&R.seal, master, R.cfg.cluster_id, R.me, epoch);
	memset(master, 0, sizeof master);
	return 0;
}

static int64_t stall_limit(int token)
{
	int64_t l = token / 4;

	return l < 200 ? 200 : l > 2000 ? 2000 : l;
}

static int watch_fds(char *err, size_t errlen)
{
	R.nfds = transport_fds(R.tp, R.fds, TRANSPORT_MAX_FDS);
	for (int i = 0; i < R.nfds; i++)
		if (loop_fd_add(R.fds[i], LOOP_READ, on_readable, NULL) < 0) {
			snprintf(err, errlen, "event loop full");
			return -1;
		}
	return 0;
}

int ring_start(const struct ring_cfg *cfg, char *err, size_t errlen)
{
	static const struct totem_io io = { NULL, io_send, io_deliver,
		io_confchg, io_save_seq, io_log };
	struct totem_cfg tc = cfg->totem;

	R.cfg = *cfg;
	R.me = cfg->tp.nodeid;
	if (load_key(err, errlen) < 0)
		return -1;
	if (!(R.tp = transport_open(&R.cfg.tp, err, errlen)))
		return -1;
	if (watch_fds(err, errlen) < 0)
		return -1;
	tc.nodeid = R.me;
	tc.ring_seq = read_seq();
	totem_cfg_defaults(&tc);
	log_msg(LOG_LVL_INFO, "starting the ring as node %u (%s) from ring "
		"seq %" PRIu64 ": token %d ms, join %d, consensus %d",
		R.me, name_of(R.me), tc.ring_seq, tc.token, tc.join,
		tc.consensus);
	if (!(R.totem = totem_new(&tc, &io, now_ms()))) {
		snprintf(err, errlen, "cannot start totem");
		return -1;
	}
	loop_on_stall(stall_limit(tc.token), on_stall, NULL);
	rearm();
	return 0;
}

int ring_send(int kind, const void *body, size_t len)
{
	int rc;

	if (!R.totem || kind < 0 || kind >= RING_KINDS ||
	    len >= sizeof R.msg)
		return -1;
	R.msg[0] = (uint8_t)kind;
	memcpy(R.msg + 1, body, len);
	rc = totem_send(R.totem, R.msg, len + 1, now_ms());
	rearm();
	return rc;
}

void ring_stop(int64_t flush_ms)
{
	int64_t end = now_ms() + flush_ms;

	if (R.totem) {
		R.leaving = 1;
		totem_leave(R.totem, now_ms());
		rearm();
		while (now_ms() < end)
			loop_once(end - now_ms());
		loop_timer_cancel(R.timer);
		R.timer = 0;
		totem_free(R.totem);
		R.totem = NULL;
	}
	for (int i = 0; i < R.nfds; i++)
		loop_fd_del(R.fds[i]);
	R.nfds = 0;
	if (R.tp)
		transport_close(R.tp);
	R.tp = NULL;
	seal_wipe(&R.seal);
	R.member = 0;
}

/* --- what the verbs read -------------------------------------------------- */
const char *ring_state(void)
{
	if (R.leaving)
		return "Leaving";
	if (!R.totem)
		return "Not-in-Cluster";
	return R.member ? "Cluster-Member" : "Joining";
}

int ring_is_member(void)
{
	return R.member && !R.leaving;
}

uint64_t ring_generation(void)
{
	return R.gen;
}

int ring_nmembers(void)
{
	return R.member ? R.nmembers : 0;
}

const struct ring_node *ring_node(uint32_t nodeid)
{
	return view_of(nodeid, 0);
}

int ring_address(uint32_t nodeid, char *out, size_t len)
{
	struct sockaddr_storage a;

	if (!R.tp || transport_lookup(R.tp, nodeid, &a) < 0)
		return -1;
	transport_ntop(&a, out, len);
	return 0;
}

void ring_stats(struct totem_stats *st)
{
	if (R.totem)
		totem_stats(R.totem, st);
	else
		memset(st, 0, sizeof *st);
}

void ring_counters(void (*line)(void *ctx, const char *name, uint64_t v),
		    void *ctx)
{
	struct totem_stats t;
	struct transport_stats n = {0};
	const struct seal *s = &R.seal;

	ring_stats(&t);
	if (R.tp)
		transport_stats(R.tp, &n);
	line(ctx, "totem_rx_packets", t.rx_packets);
	line(ctx, "totem_rx_bad", t.rx_bad);
	line(ctx, "totem_tx_packets", t.tx_packets);
	line(ctx, "totem_retransmits", t.retransmits);
	line(ctx, "totem_token_losses", t.token_losses);
	line(ctx, "totem_rotations", t.rotations);
	line(ctx, "totem_delivered", t.delivered);
	line(ctx, "totem_queued", t.queued);
	line(ctx, "seal_rx_ok", s->rx_ok);
	line(ctx, "seal_rx_malformed", s->rx_malformed);
	line(ctx, "seal_rx_bad_version", s->rx_bad_version);
	line(ctx, "seal_rx_foreign_cluster", s->rx_foreign_cluster);
	line(ctx, "seal_rx_self", s->rx_self);
	line(ctx, "seal_rx_replay", s->rx_replay);
	line(ctx, "seal_rx_bad_auth", s->rx_bad_auth);
	line(ctx, "seal_rx_new_epoch", s->rx_new_epoch);
	line(ctx, "net_tx_packets", n.tx_packets);
	line(ctx, "net_tx_errors", n.tx_errors);
	line(ctx, "net_tx_no_addr", n.tx_no_addr);
	line(ctx, "net_rx_packets", n.rx_packets);
	line(ctx, "net_rx_errors", n.rx_errors);
	line(ctx, "net_rx_truncated", n.rx_truncated);
	line(ctx, "stalls", R.stalls);
	line(ctx, "msg_delivered", R.delivered);
	line(ctx, "msg_unknown_kind", R.unknown_kind);
}
