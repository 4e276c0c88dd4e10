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
#include <sys/stat.h>
#include <time.h>

#define RX_BURST	64	/* datagrams read per wake-up and fd */
#define MAX_VIEW	(TRANSPORT_MAX_NODES + 16)
#define WARN_EVERY_MS	60000	/* per kind of dropped packet */
#define WARN_KINDS	16

static struct {
	struct ring_cfg cfg;
	uint32_t me, incarnation;
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
	int64_t warned[WARN_KINDS];
	int64_t twin_at;		/* last packet of a twin, or 0 */
	int refusing, refusal_timer;
	int64_t told_at, wrong_at;
	uint64_t wrong_addr;
	char twin[64];			/* its address */
	uint64_t delivered, tx_failed, stalls, unknown_kind;
	uint8_t rx[TRANSPORT_MAX_DGRAM], tx[TRANSPORT_MAX_DGRAM];
	uint8_t msg[TOTEM_MAX_MSG];
} R;

static const char *name_of(uint32_t id)
{
	const char *n = R.cfg.name ? R.cfg.name(R.cfg.ctx, id) : NULL;

	return n ? n : "?";
}

/* --- numbers on disk: the ring seq, the incarnation order ---------------- */
static uint64_t read_number(const char *path)
{
	char *s = read_file(path, 64, NULL), *end;
	unsigned long long v = 0;

	if (!s)
		return 0;
	v = strtoull(s, &end, 10);
	if (end == s || (*end && *end != '\n')) {
		log_msg(LOG_LVL_WARN, "%s: not a number, starting from 0",
			path);
		v = 0;
	}
	free(s);
	return v;
}

static int save_number(const char *path, uint64_t v)
{
	char line[32];
	int n = snprintf(line, sizeof line, "%" PRIu64 "\n", v);

	return replace_file(path, line, (size_t)n, 0644, NULL);
}

static void io_save_seq(void *ctx, uint64_t seq)
{
	if (save_number(RING_SEQ_FILE, seq) < 0)
		log_msg(LOG_LVL_ERR, "cannot save ring seq %" PRIu64
			" in %s: %s", seq, RING_SEQ_FILE, strerror(errno));
}

/* This start's place among the node's starts (seal.c, Incarnations):
 * above the last one saved (*last) and not below the clock in seconds. */
static uint32_t next_order(uint32_t *prev)
{
	uint64_t last = read_number(RING_ORDER_FILE);
	uint64_t now = (uint64_t)time(NULL), order = last + 1;

	if (order < now)
		order = now;
	if (order > UINT32_MAX)
		order = UINT32_MAX;
	*prev = last < order ? (uint32_t)last : (uint32_t)order - 1;
	if (save_number(RING_ORDER_FILE, order) < 0)
		log_msg(LOG_LVL_WARN, "cannot save the incarnation order in %s:"
			" %s (a restart within the same second would look like"
			" a replay to the others)", RING_ORDER_FILE,
			strerror(errno));
	return (uint32_t)order;
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
	int k = -err < WARN_KINDS ? -err : 0;
	int64_t now = now_ms();
	char a[64];

	transport_ntop(from, a, sizeof a);
	if (err == SEAL_E_AUTH || err == SEAL_E_FOREIGN || err ==
	    SEAL_E_VERSION || err == SEAL_E_STALE ||
	    err == SEAL_E_DUPLICATE) {
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

static void refusal_check(void *ctx);

/* Tell the caller whether this node stays out (addr) or not (NULL). */
static void refusal(const char *addr)
{
	R.refusing = addr != NULL;
	if (R.cfg.refused)
		R.cfg.refused(R.cfg.ctx, addr);
}

static void refusal_check(void *ctx)
{
	const char *addr = ring_refused();

	R.refusal_timer = 0;
	if (!addr) {
		log_msg(LOG_LVL_NOTICE, "node id %u: the other machine with "
			"this id is no longer heard", R.me);
		refusal(NULL);
		return;
	}
	R.refusal_timer = loop_timer_add(R.twin_at + R.seal.hold_ms + 1,
					 refusal_check, NULL);
	if (R.refusal_timer < 0)
		R.refusal_timer = 0;
}

/* Tell the other machine with our id that this one holds it: any packet
 * of ours is one (it hears our id from another epoch), and it reaches
 * that machine even where the ring sends it nothing (a member that is
 * not the representative sends no multicast on a quiet ring). */
static void tell_twin(const struct sockaddr_storage *to, int64_t now)
{
	int n = seal_pack(&R.seal, "", 0, R.tx, sizeof R.tx);

	R.told_at = now;
	if (n > 0)
		transport_send_to(R.tp, to, R.tx, (size_t)n);
}

/* Another machine sends with our node id.  A member of a configuration
 * with other nodes keeps its place (the members refuse the other one);
 * a node alone stays out while it hears the other: ring_refused(). */
static void twin(const struct sockaddr_storage *from)
{
	int64_t now = now_ms();
	int kept = R.member && R.nmembers > 1;

	int logged = R.twin_at && now - R.twin_at < WARN_EVERY_MS;

	if (kept && now - R.told_at >= R.seal.hold_ms / 4)
		tell_twin(from, now);
	R.twin_at = now;
	if (!kept && !R.refusing) {
		transport_ntop(from, R.twin, sizeof R.twin);
		refusal(R.twin);
		if (!R.refusal_timer)
			refusal_check(NULL);
	}
	if (logged)
		return;
	transport_ntop(from, R.twin, sizeof R.twin);
	if (kept)
		log_msg(LOG_LVL_ERR, "node id %u is also used by the machine "
			"at %s: the members refuse it; check cluster.conf "
			"there", R.me, R.twin);
	else
		log_msg(LOG_LVL_ERR, "node id %u is in use by %s; check "
			"cluster.conf on this node (staying out of the "
			"cluster while that node is heard)", R.me, R.twin);
}

/* A node that sends from the address cluster.conf gives another node is
 * that node's machine with a wrong node id (ids swapped in its file, or
 * a copy of another node's file): its packets are dropped and counted.
 * A guest (no file yet) is that node's machine fetching one.  Judged on
 * the header, before the envelope: dropping needs no proof. */
static int not_its_address(uint32_t id, const struct sockaddr_storage *from)
{
	uint32_t owner = transport_configured_at(R.tp, from);
	int64_t now = now_ms();
	char a[64];

	if (!owner || owner == id || id == R.me || id >= SEAL_GUEST_ID)
		return 0;		/* our own id: the envelope tells */
	R.wrong_addr++;
	if (!R.wrong_at || now - R.wrong_at >= WARN_EVERY_MS) {
		R.wrong_at = now;
		log_msg(LOG_LVL_ERR, "packets of node id %u come from %s, which "
			"cluster.conf gives node %u (%s): its packets are "
			"refused; check cluster.conf on that machine", id,
			transport_ntop(from, a, sizeof a), owner,
			name_of(owner));
	}
	return 1;
}

static void take(size_t n, const struct sockaddr_storage *from)
{
	const void *payload;
	uint32_t id;
	size_t plen;
	int rc;

	/* before the envelope: such a packet must not move its slot */
	if (n >= SEAL_HEADER_LEN && not_its_address((uint32_t)R.rx[4] << 24 |
			(uint32_t)R.rx[5] << 16 | (uint32_t)R.rx[6] << 8 |
			R.rx[7], from))
		return;
	rc = seal_open(&R.seal, R.rx, n, now_ms(), &id, &payload, &plen);
	if (rc == SEAL_E_TWIN) {
		twin(from);
		return;
	}
	if (rc != SEAL_OK) {
		dropped(rc, from);
		return;
	}
	if (R.seal.fresh) {
		transport_learn(R.tp, id, from);
		totem_recv(R.totem, id, payload, plen, now_ms());
	} else {
		totem_recv_late(R.totem, id, payload, plen, now_ms());
	}
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
		if (R.member && R.cfg.transitional)
			R.cfg.transitional(R.cfg.ctx);
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
static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : (long long)st.st_size;
}

static int load_key(char *err, size_t errlen)
{
	const char *file = R.cfg.keyfile;
	uint8_t master[SEAL_KEY_LEN], epoch[SEAL_EPOCH_LEN];
	uint32_t prev;
	int src = seal_key_load(file, R.cfg.cluster ? R.cfg.cluster : "",
				master);

	if (src < 0 && errno == EINVAL) {
		snprintf(err, errlen, "the key file %s holds %lld bytes; a key"
			 " is %d to %d bytes (make one with 'hacluster keygen' "
			 "and copy it to every node)", file ? file :
			 SEAL_KEYFILE, (long long)file_size(file ? file :
			 SEAL_KEYFILE), SEAL_KEYFILE_MIN, SEAL_KEYFILE_MAX);
		return -1;
	}
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
	R.incarnation = next_order(&prev);
	if (seal_new_epoch(epoch, R.incarnation) < 0) {
		snprintf(err, errlen, "no random numbers: %s",
			 strerror(errno));
		return -1;
	}
	seal_init(&R.seal, master, R.cfg.cluster_id, R.me, epoch);
	R.seal.own_last = prev;
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
	tc.ring_seq = read_number(RING_SEQ_FILE);
	totem_cfg_defaults(&tc);
	R.seal.hold_ms = tc.token;
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
		loop_timer_cancel(R.refusal_timer);
		R.refusal_timer = 0;
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
uint32_t ring_incarnation(void)
{
	return R.incarnation;
}

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

const char *ring_refused(void)
{
	if (!R.twin_at || now_ms() - R.twin_at > R.seal.hold_ms ||
	    (R.member && R.nmembers > 1))
		return NULL;
	return R.twin;
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
	line(ctx, "totem_rx_late", t.rx_late);
	line(ctx, "seal_rx_ok", s->rx_ok);
	line(ctx, "seal_rx_malformed", s->rx_malformed);
	line(ctx, "seal_rx_bad_version", s->rx_bad_version);
	line(ctx, "seal_rx_foreign_cluster", s->rx_foreign_cluster);
	line(ctx, "seal_rx_self", s->rx_self);
	line(ctx, "seal_rx_replay", s->rx_replay);
	line(ctx, "seal_rx_bad_auth", s->rx_bad_auth);
	line(ctx, "seal_rx_new_epoch", s->rx_new_epoch);
	line(ctx, "seal_rx_stale", s->rx_stale);
	line(ctx, "seal_rx_twin", s->rx_twin);
	line(ctx, "seal_rx_duplicate", s->rx_duplicate);
	line(ctx, "net_tx_packets", n.tx_packets);
	line(ctx, "net_tx_errors", n.tx_errors);
	line(ctx, "net_tx_no_addr", n.tx_no_addr);
	line(ctx, "net_rx_packets", n.rx_packets);
	line(ctx, "net_rx_errors", n.rx_errors);
	line(ctx, "net_rx_truncated", n.rx_truncated);
	line(ctx, "net_learn_refused", n.learn_refused);
	line(ctx, "stalls", R.stalls);
	line(ctx, "rx_wrong_address", R.wrong_addr);
	line(ctx, "msg_delivered", R.delivered);
	line(ctx, "msg_unknown_kind", R.unknown_kind);
}
