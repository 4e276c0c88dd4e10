/* rm/fence_dom.c - the fence domain's decisions (sans-I/O), after
 * fenced (spec 4.7, 6.4, 6.5).
 *
 * The table.  One entry per node that was ever a member or a victim.
 * Incarnations order a node's daemon starts, so "victim" and "cleared"
 * are incarnations and merging two tables is taking the larger of each
 * (a union, the same whatever the order): a node is pending while
 * victim > cleared.  The last fencing (time, agent) goes with the newer
 * time.
 *
 * The messages, all ordered:
 *   STATE    after every configuration change each member sends its table
 *            (with the ring it was sent for) and its own incarnation; a
 *            configuration is settled once the STATE of every member,
 *            sent for it, was delivered.  That is how the partitions of
 *            a merge learn each other's victims, and how a victim that
 *            started again (a later incarnation that says it holds
 *            nothing: "slate") clears itself: as fenced did, it is not
 *            fenced.  Clearing by slate is a rule over the merged table,
 *            so every member reaches the same answer in any order.
 *   VICTIMS  the members that saw nodes leave without a clean leave, once
 *            their configuration is settled and quorate.
 *   LEAVING  a clean stop, before the node leaves the ring: no victim.
 *   ATTEMPT  the decider starts fencing a victim; taken only from the
 *            decider of the configuration it is delivered in, and only
 *            when no attempt on that victim is in flight;
 *   RESULT   ...and how it ended.  A success is a fact wherever it lands
 *            (every member raises "cleared" alike); it is the event that
 *            lets recovery of the victim's services go on.
 *   ACK      fence_ack_manual (or fence_node): the victim is down; the
 *            sender's victim incarnation travels with it.
 *   STARTUP  the first quorate configuration: nodes of cluster.conf not
 *            members within post_join_delay become victims (not with
 *            clean_start).
 *
 * Who is a victim: at a configuration change every member suspects the
 * nodes of its previous configuration that are gone, unless they said
 * LEAVING in the incarnation that is gone.  Only a settled, quorate
 * configuration judges: its members send their suspects (VICTIMS).  The
 * cut-off, inquorate part judges nobody, and a suspect that is a member
 * again before any quorate configuration judged it is forgotten.  A
 * victim that merges back without restarting stays one (the decider
 * fences it).  Nothing is fenced without quorum.
 *
 * The decider: the lowest id among the members of a quorate, settled
 * configuration that are not victims themselves (if all are, the lowest;
 * a decider never fences itself).  It waits post_fail_delay (plus the
 * two_node delay), sends ATTEMPT, runs the victim's methods when its own
 * ATTEMPT comes back (so every member knows an attempt is in flight),
 * and sends RESULT.  A failed attempt is tried again after 5 s, then 10,
 * 20, ... up to 60 s, forever.  A configuration change ends every
 * attempt in flight (the decider kills its agents): the decider of the
 * new configuration starts again, so when the decider dies mid-fence
 * the next one runs it, and two deciders never fence one victim at once
 * within a configuration.
 *
 * The simulator (test/sim_fence.c) runs this core on every node beside
 * the ring and quorum, and checks these rules after every step. */
#include "fence_dom.h"

#include "../net/sys.h"
#include "../net/wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum {
	OP_STATE = 1, OP_LEAVING, OP_ATTEMPT, OP_RESULT, OP_ACK, OP_STARTUP,
	OP_VICTIMS,
};

/* --- the table ------------------------------------------------------------ */
static struct fd_node *find(struct fence_dom *f, uint32_t id)
{
	for (int i = 0; i < f->nn; i++)
		if (f->n[i].id == id)
			return &f->n[i];
	return NULL;
}

/* The entry of id, made when missing; NULL when the table is full. */
static struct fd_node *entry(struct fence_dom *f, uint32_t id)
{
	struct fd_node *n = find(f, id);

	if (n || !id || f->nn == FD_MAX)
		return n;
	n = &f->n[f->nn++];
	*n = (struct fd_node){ .id = id };
	return n;
}

static int pending(const struct fd_node *n)
{
	return n && n->victim > n->cleared;
}

static int is_member(const struct fence_dom *f, uint32_t id)
{
	for (int i = 0; i < f->nmembers; i++)
		if (f->members[i] == id)
			return 1;
	return 0;
}

static void say(struct fence_dom *f, int level, const char *fmt, ...)
	PRINTF(3, 4);

static void say(struct fence_dom *f, int level, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (f->out.log)
		f->out.log(f->out.ctx, level, text);
}

static const char *name(struct fence_dom *f, uint32_t id)
{
	const char *s = f->out.name ? f->out.name(f->out.ctx, id) : NULL;

	return s ? s : "?";
}

static void stamp(int64_t wall, char *out, size_t size)
{
	time_t t = (time_t)wall;
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, size, "%lld", (long long)wall);
}

/* --- building messages ---------------------------------------------------- */

static void emit(struct fence_dom *f, struct wire_w *w)
{
	if (!w->over && f->out.send)
		f->out.send(f->out.ctx, w->p, w->len);
}

static void send_state(struct fence_dom *f, int slate)
{
	uint8_t m[FD_MAX_MSG];
	struct wire_w w;

	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_STATE);
	wire_put_u64(&w, f->ring);
	wire_put_u32(&w, f->my_inc);
	wire_put_u8(&w, (uint8_t)f->formed);
	wire_put_u8(&w, (uint8_t)slate);
	wire_put_u8(&w, (uint8_t)f->nn);
	for (int i = 0; i < f->nn; i++) {
		const struct fd_node *n = &f->n[i];

		wire_put_u32(&w, n->id);
		wire_put_u32(&w, n->inc);
		wire_put_u32(&w, n->victim);
		wire_put_u32(&w, n->cleared);
		wire_put_u32(&w, n->leaving);
		wire_put_u32(&w, n->slate);
		wire_put_u64(&w, (uint64_t)n->fenced_at);
		wire_put_str(&w, n->by, FD_NAME);
	}
	emit(f, &w);
}

static void send_pair(struct fence_dom *f, int op, uint32_t id, uint32_t v)
{
	uint8_t m[16];
	struct wire_w w;

	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, (uint8_t)op);
	wire_put_u32(&w, id);
	wire_put_u32(&w, v);
	emit(f, &w);
}

/* --- applying them -------------------------------------------------------- */
static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* The decider's in-flight run ends when its victim no longer needs it. */
static void settle_victim(struct fence_dom *f, struct fd_node *n)
{
	if (n->attempt_by == f->me && f->out.cancel)
		f->out.cancel(f->out.ctx, n->id);
	n->attempt_by = 0;
	n->tries = 0;
	n->due_ms = 0;
}

static void record_fenced(struct fence_dom *f, struct fd_node *n,
			  uint32_t v, const char *by, int64_t at)
{
	char when[32];

	n->cleared = max32(n->cleared, v);
	n->fenced_at = at;
	snprintf(n->by, sizeof n->by, "%s", by);
	settle_victim(f, n);
	stamp(at, when, sizeof when);
	say(f, LOG_LVL_NOTICE, "node %s fenced by %s at %s", name(f, n->id),
	    by, when);
	if (f->out.fenced)
		f->out.fenced(f->out.ctx, n->id);
}

/* A victim that started again and said it holds nothing: not fenced.
 * A rule over the merged table, so every member reaches it alike. */
static void fresh_start(struct fence_dom *f, struct fd_node *n)
{
	if (!pending(n) || n->slate <= n->victim)
		return;
	say(f, LOG_LVL_NOTICE, "node %s started again before it was fenced: "
	    "not fencing it", name(f, n->id));
	n->cleared = n->victim;
	settle_victim(f, n);
	if (f->out.fenced)
		f->out.fenced(f->out.ctx, n->id);
}

static void merge(struct fence_dom *f, const struct fd_node *in)
{
	struct fd_node *n = entry(f, in->id);

	if (!n)
		return;
	n->inc = max32(n->inc, in->inc);
	n->victim = max32(n->victim, in->victim);
	n->cleared = max32(n->cleared, in->cleared);
	n->leaving = max32(n->leaving, in->leaving);
	n->slate = max32(n->slate, in->slate);
	if (in->fenced_at > n->fenced_at) {
		n->fenced_at = in->fenced_at;
		memcpy(n->by, in->by, sizeof n->by);
	}
	if (!pending(n))
		settle_victim(f, n);
}

static void heard(struct fence_dom *f, uint32_t from)
{
	for (int i = 0; i < f->nheard; i++)
		if (f->heard[i] == from)
			return;
	if (!is_member(f, from) || f->nheard == FD_MAX)
		return;
	f->heard[f->nheard++] = from;
	if (f->nheard == f->nmembers)
		f->settled = 1;
}

static void on_state(struct fence_dom *f, uint32_t from, struct wire_r *r,
		     int64_t now)
{
	uint64_t ring = wire_get_u64(r);
	uint32_t inc = wire_get_u32(r);
	int formed = wire_get_u8(r), slate = wire_get_u8(r);
	int count = wire_get_u8(r);
	struct fd_node in, *self;

	for (int i = 0; i < count && !r->short_read; i++) {
		in = (struct fd_node){ .id = wire_get_u32(r) };
		in.inc = wire_get_u32(r);
		in.victim = wire_get_u32(r);
		in.cleared = wire_get_u32(r);
		in.leaving = wire_get_u32(r);
		in.slate = wire_get_u32(r);
		in.fenced_at = (int64_t)wire_get_u64(r);
		wire_get_str(r, in.by, FD_NAME);
		if (!r->short_read)
			merge(f, &in);
	}
	if (r->short_read)
		return;
	f->formed |= formed;
	if ((self = entry(f, from))) {
		self->inc = max32(self->inc, inc);
		if (slate)
			self->slate = max32(self->slate, inc);
	}
	for (int i = 0; i < f->nn; i++)
		fresh_start(f, &f->n[i]);
	if (ring == f->ring)		/* an earlier one's does not settle */
		heard(f, from);
}

static void on_leaving(struct fence_dom *f, uint32_t from, struct wire_r *r)
{
	uint32_t inc = wire_get_u32(r);
	struct fd_node *n = entry(f, from);

	if (n && !r->short_read) {
		n->leaving = max32(n->leaving, inc);
		n->inc = max32(n->inc, inc);
	}
	if (from == f->me)
		f->left = 1;
}

static void on_attempt(struct fence_dom *f, uint32_t from, struct wire_r *r)
{
	struct fd_node *n = find(f, wire_get_u32(r));
	uint32_t victim = wire_get_u32(r);

	if (r->short_read || !pending(n) || victim != n->victim ||
	    n->attempt_by || from != fd_decider(f))
		return;		/* sent before a change it did not see */
	n->attempt_by = from;
	if (from != f->me)
		return;
	say(f, LOG_LVL_NOTICE, "fencing node \"%s\"", name(f, n->id));
	if (f->out.run)
		f->out.run(f->out.ctx, n->id);
}

static int64_t backoff(int tries)
{
	int64_t ms = FD_RETRY_MS;

	while (--tries > 0 && ms < FD_RETRY_MAX_MS)
		ms *= 2;
	return ms < FD_RETRY_MAX_MS ? ms : FD_RETRY_MAX_MS;
}

static void on_result(struct fence_dom *f, uint32_t from, struct wire_r *r,
		      int64_t now)
{
	struct fd_node *n = entry(f, wire_get_u32(r));
	uint32_t victim = wire_get_u32(r);
	int ok = wire_get_u8(r);
	int64_t at = (int64_t)wire_get_u64(r);
	char by[FD_NAME];

	wire_get_str(r, by, FD_NAME);
	if (r->short_read || !n)
		return;
	if (n->attempt_by == from)
		n->attempt_by = 0;
	if (ok && victim > n->cleared) {	/* a fact wherever it lands */
		n->victim = max32(n->victim, victim);
		record_fenced(f, n, victim, by, at);
		return;
	}
	if (!ok && from == f->me && pending(n)) {
		n->due_ms = now + backoff(++n->tries);
		say(f, LOG_LVL_ERR, "fence \"%s\" failed: trying again in "
		    "%lld s", name(f, n->id), (long long)(n->due_ms - now) /
		    1000);
	}
}

/* The sender's victim incarnation travels with it: every member clears
 * the same, whatever it knew of the victim before. */
static void on_ack(struct fence_dom *f, uint32_t from, struct wire_r *r)
{
	struct fd_node *n = entry(f, wire_get_u32(r));
	int64_t at = (int64_t)wire_get_u64(r);
	uint32_t victim;
	char by[FD_NAME];

	wire_get_str(r, by, FD_NAME);
	victim = wire_get_u32(r);
	if (r->short_read || !n || victim <= n->cleared)
		return;
	n->victim = max32(n->victim, victim);
	if (!strcmp(by, "fence_manual"))
		say(f, LOG_LVL_NOTICE, "fence \"%s\" acknowledged by the "
		    "operator (on node %s)", name(f, n->id), name(f, from));
	else
		say(f, LOG_LVL_NOTICE, "fence \"%s\" done by fence_node on "
		    "node %s", name(f, n->id), name(f, from));
	record_fenced(f, n, victim, by[0] ? by : "fence_manual", at);
}

/* Suspects judged by a settled, quorate configuration (its ring). */
static void on_victims(struct fence_dom *f, uint32_t from, struct wire_r *r)
{
	uint64_t ring = wire_get_u64(r);
	int count = wire_get_u8(r);

	for (int i = 0; i < count && !r->short_read; i++) {
		struct fd_node *n = entry(f, wire_get_u32(r));
		uint32_t inc = wire_get_u32(r);

		if (!n || r->short_read || ring != f->ring ||
		    (n->leaving && n->leaving >= inc) || inc <= n->victim)
			continue;
		n->victim = inc;
		if (pending(n))
			say(f, LOG_LVL_NOTICE, "node %s left without a clean "
			    "leave: it must be fenced", name(f, n->id));
	}
	if (from == f->me && ring == f->ring && !r->short_read)
		f->nsuspects = 0;	/* judged */
}

static void on_startup(struct fence_dom *f, struct wire_r *r)
{
	int count = wire_get_u8(r);

	for (int i = 0; i < count && !r->short_read; i++) {
		struct fd_node *n = entry(f, wire_get_u32(r));

		if (n && !r->short_read && !n->inc && !n->victim) {
			n->victim = 1;
			say(f, LOG_LVL_NOTICE, "node %s did not join within "
			    "post_join_delay: it must be fenced",
			    name(f, n->id));
		}
	}
	if (!r->short_read)
		f->formed = 1;
}

void fd_deliver(struct fence_dom *f, uint32_t from, const uint8_t *msg,
		size_t len, int64_t now, int64_t wall)
{
	struct wire_r r;

	wire_r_init(&r, msg, len);
	switch (wire_get_u8(&r)) {
	case OP_STATE: on_state(f, from, &r, now); break;
	case OP_LEAVING: on_leaving(f, from, &r); break;
	case OP_ATTEMPT: on_attempt(f, from, &r); break;
	case OP_RESULT: on_result(f, from, &r, now); break;
	case OP_ACK: on_ack(f, from, &r); break;
	case OP_STARTUP: on_startup(f, &r); break;
	case OP_VICTIMS: on_victims(f, from, &r); break;
	}
}

/* --- configurations ------------------------------------------------------- */
/* --- configurations ------------------------------------------------------- */
static void suspect(struct fence_dom *f, uint32_t id)
{
	const struct fd_node *n = find(f, id);
	uint32_t inc = n && n->inc ? n->inc : 1;

	if (n && n->leaving && n->leaving >= n->inc)
		return;		/* it said it leaves cleanly */
	for (int i = 0; i < f->nsuspects; i++)
		if (f->suspect[i].id == id) {
			f->suspect[i].inc = max32(f->suspect[i].inc, inc);
			return;
		}
	if (f->nsuspects < FD_MAX) {
		f->suspect[f->nsuspects].id = id;
		f->suspect[f->nsuspects++].inc = inc;
	}
}

/* A suspect that is a member again was never judged by a quorate
 * configuration: nothing to fence. */
static void forget_members(struct fence_dom *f)
{
	int k = 0;

	for (int i = 0; i < f->nsuspects; i++)
		if (!is_member(f, f->suspect[i].id))
			f->suspect[k++] = f->suspect[i];
	f->nsuspects = k;
}

/* Only a quorate configuration judges who left: an inquorate one may be
 * the part that is cut off, so suspects wait for quorum.  Attempts end
 * with the configuration
 * they were decided in: the decider of the new one starts anew (at most
 * one attempt of a victim is in flight, and only by a decider). */
void fd_confchg(struct fence_dom *f, uint64_t ring, const uint32_t *members,
		int n, int slate, int64_t now)
{
	for (int i = 0; i < f->nn; i++) {
		if (f->n[i].attempt_by == f->me && f->out.cancel)
			f->out.cancel(f->out.ctx, f->n[i].id);
		f->n[i].attempt_by = 0;
		f->n[i].due_ms = 0;	/* the next decider plans anew */
	}
	for (int i = 0; i < f->nmembers; i++) {
		int still = 0;

		for (int j = 0; j < n; j++)
			still |= members[j] == f->members[i];
		if (!still && f->members[i] != f->me)
			suspect(f, f->members[i]);
	}
	f->nmembers = n < FD_MAX ? n : FD_MAX;
	memcpy(f->members, members, (size_t)f->nmembers * sizeof *members);
	forget_members(f);
	f->ring = ring;
	f->judged = 0;
	f->nheard = 0;
	f->settled = 0;
	if (!f->formed)
		f->startup_due = 0;	/* all there now? no need to wait */
	entry(f, f->me);
	send_state(f, slate);
}

void fd_slate(struct fence_dom *f)
{
	send_state(f, 1);
}

void fd_quorate(struct fence_dom *f, int quorate, int64_t now)
{
	f->quorate = quorate;
}

/* --- the decider ---------------------------------------------------------- */
uint32_t fd_decider(const struct fence_dom *f)
{
	uint32_t low = 0;

	if (!f->quorate || !f->settled)
		return 0;
	for (int i = 0; i < f->nmembers; i++)
		if ((!low || f->members[i] < low) &&
		    !pending(fd_node(f, f->members[i])))
			low = f->members[i];
	for (int i = 0; i < f->nmembers && !low; i++)	/* all are victims */
		if (!low || f->members[i] < low)
			low = f->members[i];
	return low;
}

static int all_here(const struct fence_dom *f)
{
	for (int i = 0; i < f->nconf; i++)
		if (!is_member(f, f->conf_ids[i]))
			return 0;
	return 1;
}

/* Start-up fencing: once post_join_delay has passed in the first
 * quorate configuration, the nodes of cluster.conf never heard of. */
static int64_t startup(struct fence_dom *f, int64_t now)
{
	uint8_t m[8 + FD_MAX * 4];
	struct wire_w w;
	int count = 0;

	if (f->formed)
		return INT64_MAX;
	if (!f->startup_due)
		f->startup_due = now + (all_here(f) ? 0 : f->post_join_ms);
	if (now < f->startup_due)
		return f->startup_due;
	f->startup_due = INT64_MAX;	/* asked once; STARTUP sets formed */
	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_STARTUP);
	wire_put_u8(&w, 0);
	for (int i = 0; i < f->nconf && !f->clean_start; i++) {
		const struct fd_node *n = find(f, f->conf_ids[i]);

		if (!is_member(f, f->conf_ids[i]) && (!n || !n->inc)) {
			wire_put_u32(&w, f->conf_ids[i]);
			count++;
		}
	}
	m[1] = (uint8_t)count;
	emit(f, &w);
	return INT64_MAX;
}

/* One victim: plan its attempt, or start it when due. */
static int64_t plan(struct fence_dom *f, struct fd_node *n, int64_t now)
{
	if (!pending(n) || n->attempt_by || n->id == f->me)
		return INT64_MAX;	/* a decider never fences itself */
	if (!n->due_ms)
		n->due_ms = now + f->post_fail_ms + (n->tries ? 0 : f->delay_ms);
	if (now < n->due_ms)
		return n->due_ms;
	n->due_ms = now + backoff(n->tries + 1);	/* should it be lost */
	send_pair(f, OP_ATTEMPT, n->id, n->victim);
	return n->due_ms;
}

/* This node's suspects, once its configuration is settled and quorate
 * (each member sends its own; the union counts). */
static void judge(struct fence_dom *f)
{
	uint8_t m[16 + FD_MAX * 8];
	struct wire_w w;

	if (!f->nsuspects || !f->quorate || !f->settled || f->judged)
		return;
	f->judged = 1;		/* once per configuration */
	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_VICTIMS);
	wire_put_u64(&w, f->ring);
	wire_put_u8(&w, (uint8_t)f->nsuspects);
	for (int i = 0; i < f->nsuspects; i++) {
		wire_put_u32(&w, f->suspect[i].id);
		wire_put_u32(&w, f->suspect[i].inc);
	}
	emit(f, &w);
}

int64_t fd_tick(struct fence_dom *f, int64_t now)
{
	int64_t next;

	judge(f);
	if (fd_decider(f) != f->me)
		return INT64_MAX;
	next = startup(f, now);
	for (int i = 0; i < f->nn; i++) {
		int64_t t = plan(f, &f->n[i], now);

		next = t < next ? t : next;
	}
	return next;
}

void fd_result(struct fence_dom *f, uint32_t victim, int ok, const char *by,
	       int64_t wall)
{
	const struct fd_node *n = find(f, victim);
	uint8_t m[48];
	struct wire_w w;

	if (!n)
		return;
	say(f, ok ? LOG_LVL_NOTICE : LOG_LVL_ERR, "fence \"%s\" %s",
	    name(f, victim), ok ? "success" : "failed");
	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_RESULT);
	wire_put_u32(&w, victim);
	wire_put_u32(&w, n->victim);
	wire_put_u8(&w, (uint8_t)!!ok);
	wire_put_u64(&w, (uint64_t)wall);
	wire_put_str(&w, by ? by : "", FD_NAME);
	emit(f, &w);
}

void fd_ack(struct fence_dom *f, uint32_t victim, const char *by,
	    int64_t wall)
{
	const struct fd_node *n = find(f, victim);
	uint8_t m[24 + FD_NAME];
	struct wire_w w;

	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_ACK);
	wire_put_u32(&w, victim);
	wire_put_u64(&w, (uint64_t)wall);
	wire_put_str(&w, by, FD_NAME);
	wire_put_u32(&w, n ? n->victim : 0);
	emit(f, &w);
}

void fd_leaving(struct fence_dom *f)
{
	uint8_t m[8];
	struct wire_w w;

	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_LEAVING);
	wire_put_u32(&w, f->my_inc);
	emit(f, &w);
}

/* --- set-up and questions --------------------------------------------------- */
void fd_init(struct fence_dom *f, const struct fd_out *out, uint32_t me,
	     uint32_t my_inc)
{
	*f = (struct fence_dom){ .out = *out, .me = me, .my_inc = my_inc };
}

void fd_config(struct fence_dom *f, const uint32_t *ids, int n,
	       int post_fail_s, int post_join_s, int clean_start,
	       int delay_s)
{
	f->delay_ms = delay_s * 1000;
	f->nconf = n < FD_MAX ? n : FD_MAX;
	memcpy(f->conf_ids, ids, (size_t)f->nconf * sizeof *ids);
	f->post_fail_ms = post_fail_s * 1000;
	f->post_join_ms = post_join_s * 1000;
	f->clean_start = clean_start;
}

const struct fd_node *fd_node(const struct fence_dom *f, uint32_t id)
{
	for (int i = 0; i < f->nn; i++)
		if (f->n[i].id == id)
			return &f->n[i];
	return NULL;
}

int fd_joined(const struct fence_dom *f)
{
	return f->quorate && f->settled && f->formed;
}

int fd_left(const struct fence_dom *f)
{
	return f->left;
}

int fd_pending(const struct fence_dom *f, uint32_t id)
{
	return pending(fd_node(f, id));
}

int fd_npending(const struct fence_dom *f)
{
	int n = 0;

	for (int i = 0; i < f->nn; i++)
		n += fd_pending(f, f->n[i].id);
	return n;
}
