/* rm/svc_table.c - the replicated service table (sans-I/O), after
 * rgmanager's rg_state.c and groups.c, without its cluster-wide locks:
 * the ordered stream is the lock.
 *
 * Messages, all ordered:
 *   SYNC   after every configuration change each member sends its
 *          records (with the ring), ST_SYNC_PER a message; a record with
 *          a higher version (more transitions) wins, so the partitions
 *          of a merge agree; the configuration is settled once every
 *          member's last SYNC for it came back.  Nothing is decided
 *          before.
 *   EVENT  one transition of one service (rm/svc_state.c), applied where
 *          it is delivered, the same on every member, with a target: the
 *          node that starts (SE_START), or where a stop leads (SE_STOP:
 *          the record's next).  A node acts on events as they are
 *          applied: the new owner runs the start, the owner the stop;
 *          it reports the end with another EVENT.  So any member may
 *          ask; nothing is forwarded.
 *   LOCK   clusvcadm -l / -u: while locked nothing is evaluated (no
 *          start, no failover); regaining quorum unlocks (spec 4.5).
 *   RELEASE a node that is not a member was fenced (or left clean): its
 *          records run nowhere now.  Every member that learns it sends
 *          it (again after each change of configuration while the node
 *          still owns something): a duplicate changes nothing.
 *
 * Agreement: until every member's SYNC of a configuration is in (the
 * table is settled), EVENT, LOCK and RELEASE messages are held, then
 * applied in their order: so every member applies the same sequence to
 * the same merged records (the merge keeps, per service, the record
 * that is larger in a total order).  Held messages of a configuration
 * that never settled are dropped with it; owners report again what
 * runs where (evaluation: a record that says otherwise than this
 * node's agents is corrected by its owner).
 *
 * Safety: a record owned by a node that is gone stays its until that
 * node is released (st_released: fenced, or started again holding
 * nothing), so nobody starts a service its last owner may still run.
 * A node that leaves cleanly stops its services first.  Nothing starts
 * without quorum, and quorum lost stops what this node runs, at once.
 *
 * Evaluation (st_evaluate, rm/svc_eval.c) is a pure function of the
 * table, the configuration and the members, so every member picks the
 * same node; only that node sends the event.  A stopped service goes to
 * the best node (rm/svc_place.c); a recovering one follows the plan its
 * recovery policy chose as it became recovering (restart on its last
 * owner, relocate elsewhere, disable); one that runs moves to a better
 * node when a node joins (failback), unless nofailback: an
 * administrator's enable elsewhere stays where it was put. */
#include "svc_table.h"
#include "svc_int.h"

#include "../net/sys.h"
#include "../net/wire.h"
#include "../xml/conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { OP_SYNC = 1, OP_EVENT, OP_LOCK, OP_RELEASE };

void st_say(struct svc_table *t, int level, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (t->out.log)
		t->out.log(t->out.ctx, level, text);
}

int st_is_member(const struct svc_table *t, uint32_t id)
{
	for (int i = 0; i < t->nmembers; i++)
		if (t->members[i] == id)
			return 1;
	return 0;
}

int st_running(enum svc_state st)
{
	return st == SVC_STARTING || st == SVC_STARTED ||
	       st == SVC_STOPPING || st == SVC_RECOVERABLE ||
	       st == SVC_MIGRATING;
}

int st_find(const struct svc_table *t, const char *name)
{
	if (!*name)
		return -1;		/* a free slot's */
	for (int i = 0; i < t->ns; i++)
		if (!strcmp(t->s[i].name, name))
			return i;
	return -1;
}

const struct conf_service *st_cs(const struct svc_table *t, int i)
{
	return t->s[i].conf >= 0 ? &t->conf->services[t->s[i].conf] : NULL;
}

/* --- messages ------------------------------------------------------------ */
static void emit(struct svc_table *t, struct wire_w *w)
{
	if (!w->over && t->out.send)
		t->out.send(t->out.ctx, w->p, w->len);
}


static void put_rec(struct wire_w *w, const struct svc_rec *r)
{
	wire_put_u16(w, (uint16_t)r->state);
	wire_put_u32(w, r->owner);
	wire_put_u32(w, r->last_owner);
	wire_put_u16(w, (uint16_t)r->restarts);
	wire_put_u64(w, (uint64_t)r->transition);
	wire_put_u8(w, (uint8_t)r->frozen);
	wire_put_u16(w, (uint16_t)r->stop_to);
	wire_put_u8(w, (uint8_t)r->plan);
	wire_put_u32(w, r->version);
	wire_put_u32(w, r->next);
	wire_put_u8(w, (uint8_t)r->start_fails);
	wire_put_u8(w, (uint8_t)r->nrestart);
	for (int k = 0; k < r->nrestart; k++)
		wire_put_u64(w, (uint64_t)r->restart_at[k]);
}

static void get_rec(struct wire_r *rd, struct svc_rec *r)
{
	svc_init(r);
	r->state = (enum svc_state)wire_get_u16(rd);
	r->owner = wire_get_u32(rd);
	r->last_owner = wire_get_u32(rd);
	r->restarts = wire_get_u16(rd);
	r->transition = (int64_t)wire_get_u64(rd);
	r->frozen = wire_get_u8(rd);
	r->stop_to = (enum svc_state)wire_get_u16(rd);
	r->plan = wire_get_u8(rd);
	r->version = wire_get_u32(rd);
	r->next = wire_get_u32(rd);
	r->start_fails = wire_get_u8(rd);
	r->nrestart = wire_get_u8(rd);
	if (r->nrestart > SVC_MAX_RESTARTS)
		rd->short_read = 1;
	for (int k = 0; k < r->nrestart && !rd->short_read; k++)
		r->restart_at[k] = (int64_t)wire_get_u64(rd);
}

/* One SYNC: the records of services from..from+ST_SYNC_PER-1; the last
 * says so (a member's SYNC counts once its last part is in). */
static void send_sync_part(struct svc_table *t, int from)
{
	uint8_t m[ST_MAX_MSG];
	struct wire_w w;
	int to = from + ST_SYNC_PER < t->ns ? from + ST_SYNC_PER : t->ns;

	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_SYNC);
	wire_put_u64(&w, t->ring);
	wire_put_u8(&w, (uint8_t)t->locked);
	wire_put_u32(&w, t->lock_seq);
	wire_put_u8(&w, to == t->ns);
	wire_put_u16(&w, (uint16_t)(to - from));
	for (int i = from; i < to; i++) {
		wire_put_str(&w, t->s[i].name, ST_NAME);
		put_rec(&w, &t->s[i].rec);
	}
	emit(t, &w);
}

static void send_sync(struct svc_table *t)
{
	int i = 0;

	do {
		send_sync_part(t, i);
		i += ST_SYNC_PER;
	} while (i < t->ns);
}

void st_send_event(struct svc_table *t, int i, enum svc_event ev,
		   int recovery, uint32_t target)
{
	uint8_t m[24 + ST_NAME];
	struct wire_w w;
	int was;

	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_EVENT);
	wire_put_str(&w, t->s[i].name, ST_NAME);
	wire_put_u8(&w, (uint8_t)ev);
	wire_put_u8(&w, (uint8_t)recovery);
	wire_put_u32(&w, target);
	t->s[i].asked = 1;
	was = t->s[i].starting_here;
	t->s[i].starting_here = ev == SE_START && (!target || target == t->me);
	emit(t, &w);
	if (t->s[i].starting_here && !was)
		st_inflight(t, i);
}

/* --- applying them --------------------------------------------------------- */
/* Of two records of one service, the one with more transitions; a tie
 * (two quorate halves of a two_node split) goes to the larger state and
 * owner, the same on every member. */
static int newer(const struct svc_rec *a, const struct svc_rec *b)
{
	const int64_t ka[] = { a->version, a->state, a->owner, a->last_owner,
			       a->frozen, a->next, a->restarts, a->transition,
			       a->stop_to, a->plan, a->nrestart, a->start_fails,
			       a->nrestart ? a->restart_at[0] : 0 };
	const int64_t kb[] = { b->version, b->state, b->owner, b->last_owner,
			       b->frozen, b->next, b->restarts, b->transition,
			       b->stop_to, b->plan, b->nrestart, b->start_fails,
			       b->nrestart ? b->restart_at[0] : 0 };

	for (size_t k = 0; k < sizeof ka / sizeof ka[0]; k++)
		if (ka[k] != kb[k])
			return ka[k] > kb[k];
	return 0;
}

static void dispatch(struct svc_table *t, uint32_t from, const uint8_t *msg,
		     size_t len, int64_t wall);

/* Settled now: what was held is applied, in order. */
static void replay(struct svc_table *t)
{
	int n = t->nheld;

	t->nheld = 0;
	for (int k = 0; k < n; k++)
		dispatch(t, t->held[k].from, t->held[k].m, t->held[k].len,
			 t->held[k].wall);
}

static void heard(struct svc_table *t, uint32_t from)
{
	for (int i = 0; i < t->nheard; i++)
		if (t->heard[i] == from)
			return;
	if (!st_is_member(t, from) || t->nheard == ST_MAX_NODES)
		return;
	t->heard[t->nheard++] = from;
	t->settled = t->nheard == t->nmembers;
	if (t->settled)
		replay(t);
}

static void on_sync(struct svc_table *t, uint32_t from, struct wire_r *r)
{
	uint64_t ring = wire_get_u64(r);
	int locked = wire_get_u8(r);
	uint32_t seq = wire_get_u32(r);
	int last = wire_get_u8(r);
	int count = wire_get_u16(r);

	for (int k = 0; k < count && !r->short_read; k++) {
		char name[ST_NAME];
		struct svc_rec in;
		int i;

		wire_get_str(r, name, ST_NAME);
		get_rec(r, &in);
		if (!r->short_read && (i = st_find(t, name)) >= 0 &&
		    newer(&in, &t->s[i].rec))
			t->s[i].rec = in;
	}
	if (!r->short_read && ring == t->ring) {
		if (seq > t->lock_seq || (seq == t->lock_seq &&
					  locked > t->locked)) {
			/* a later -l or -u (of two, the lock) */
			t->locked = locked;
			t->lock_seq = seq;
		}
		if (last)
			heard(t, from);
	}
}

/* What this node does about an event now applied: the new owner starts,
 * the owner stops (whoever asked for it). */
void st_act_on(struct svc_table *t, int i)
{
	struct st_svc *s = &t->s[i];
	enum svc_state st = s->rec.state;

	if (s->rec.owner != t->me || !t->ready)
		return;
	if (st == SVC_STARTING && !s->busy && !t->leaving && t->quorate &&
	    !t->fence_pending) {
		s->busy = 1;
		s->stopping = 0;
		t->out.start(t->out.ctx, i);
	} else if ((st == SVC_STOPPING || st == SVC_RECOVERABLE) &&
		   !(s->busy && s->stopping)) {
		s->busy = 1;
		s->stopping = 1;
		t->out.stop(t->out.ctx, i);
	} else if (st == SVC_MIGRATING && !s->busy && t->out.migrate) {
		s->busy = s->migrating = 1;
		s->stopping = 0;
		t->out.migrate(t->out.ctx, i, s->rec.next);
	}
}

static void on_event(struct svc_table *t, uint32_t from, struct wire_r *r,
		     int64_t wall)
{
	char name[ST_NAME];
	enum svc_event ev;
	int recovery, i, rc;
	uint32_t target;

	wire_get_str(r, name, ST_NAME);
	ev = (enum svc_event)wire_get_u8(r);
	recovery = wire_get_u8(r);
	target = wire_get_u32(r);
	if (r->short_read || (i = st_find(t, name)) < 0)
		return;
	if (from == t->me)
		t->s[i].asked = t->s[i].starting_here = 0;
	rc = svc_apply(&t->s[i].rec, ev, ev == SE_START && target ? target :
		       from, recovery, wall);
	if (rc == SR_OK && (ev == SE_STOP || ev == SE_MIGRATE) &&
	    st_running(t->s[i].rec.state))
		t->s[i].rec.next = target;
	if (rc == SR_OK && ev == SE_MIGRATED)	/* the agents moved it */
		t->s[i].mine = t->s[i].rec.owner == t->me;
	if (from == t->me && t->out.applied)
		t->out.applied(t->out.ctx, i, ev, rc);
	if (rc != SR_OK) {
		if (from == t->me)
			st_say(t, LOG_LVL_NOTICE, "%s: %s", name,
			    svc_refusal_text(rc));
		return;
	}
	if (t->s[i].rec.state == SVC_RECOVERING && st_cs(t, i)) {
		t->s[i].rec.plan = svc_recovery(&t->s[i].rec, st_cs(t, i),
						t->s[i].rec.transition);
		if (t->s[i].rec.start_fails >= SVC_START_TRIES)
			st_say(t, LOG_LVL_ERR, "%s failed to start %d times in a "
			    "row: disabling it", name, t->s[i].rec.start_fails);
	}
	st_act_on(t, i);
}

static void on_lock(struct svc_table *t, uint32_t from, struct wire_r *r)
{
	int locked = wire_get_u8(r);

	if (r->short_read)
		return;
	t->lock_seq++;
	if (locked == t->locked)
		return;
	t->locked = locked;
	st_say(t, LOG_LVL_NOTICE, "Resource groups %s by node %u", locked ?
	    "locked" : "unlocked", from);
}

/* RELEASE: node's records run nowhere (unless it is a member again:
 * then it corrects its own records). */
static void on_release(struct svc_table *t, struct wire_r *r, int64_t wall)
{
	uint32_t node = wire_get_u32(r);

	if (r->short_read || st_is_member(t, node))
		return;
	for (int i = 0; i < t->ns; i++) {
		struct svc_rec *rec = &t->s[i].rec;

		if (rec->owner == node && (st_running(rec->state) ||
					   rec->state == SVC_FAILED) &&
		    svc_apply(rec, SE_OWNER_GONE, node, 0, wall) == SR_OK)
			st_say(t, LOG_LVL_NOTICE, "%s: its owner, node %u, is "
			    "released: it may run elsewhere", t->s[i].name,
			    node);
	}
}

static void dispatch(struct svc_table *t, uint32_t from, const uint8_t *msg,
		     size_t len, int64_t wall)
{
	struct wire_r r;

	wire_r_init(&r, msg, len);
	switch (wire_get_u8(&r)) {
	case OP_SYNC: on_sync(t, from, &r); break;
	case OP_EVENT: on_event(t, from, &r, wall); break;
	case OP_LOCK: on_lock(t, from, &r); break;
	case OP_RELEASE: on_release(t, &r, wall); break;
	}
}

void st_deliver(struct svc_table *t, uint32_t from, const uint8_t *msg,
		size_t len, int64_t wall)
{
	struct st_held *h;

	if (t->settled || !len || msg[0] == OP_SYNC) {
		dispatch(t, from, msg, len, wall);
		return;
	}
	if (t->nheld == ST_HELD || len > sizeof h->m) {
		st_say(t, LOG_LVL_WARN, "services: a message of node %u is "
		    "dropped (too many before the table settled)", from);
		return;
	}
	h = &t->held[t->nheld++];
	h->from = from;
	h->wall = wall;
	h->len = len;
	memcpy(h->m, msg, len);
}

void st_done(struct svc_table *t, int i, int ok)
{
	struct st_svc *s = &t->s[i];
	int stop = s->stopping, migrate = s->migrating, local = s->local;

	s->busy = s->migrating = s->local = 0;
	if (!migrate)
		s->mine = !stop && ok;
	s->stop_failed = stop && !ok;
	if (local || !st_is_member(t, t->me) || !t->quorate)
		return;		/* a stop of this node's own: the record stays */
	if (migrate)
		st_send_event(t, i, ok ? SE_MIGRATED : SE_MIGRATE_FAILED, 0, 0);
	else if (stop)
		st_send_event(t, i, ok ? SE_STOPPED : SE_STOP_FAILED, 0, 0);
	else
		st_send_event(t, i, ok ? SE_STARTED : SE_START_FAILED, 0, 0);
}

void st_status_failed(struct svc_table *t, int i)
{
	if (t->s[i].mine && !t->s[i].busy && !t->s[i].asked)
		st_send_event(t, i, SE_STATUS_FAILED, 0, 0);
}

void st_request(struct svc_table *t, int i, enum svc_event ev,
		uint32_t target)
{
	st_send_event(t, i, ev, 0, ev == SE_START && !target ? t->me : target);
}

void st_lock(struct svc_table *t, int locked)
{
	uint8_t m[4];
	struct wire_w w;

	wire_w_init(&w, m, sizeof m);
	wire_put_u8(&w, OP_LOCK);
	wire_put_u8(&w, (uint8_t)locked);
	emit(t, &w);
}

/* --- membership ---------------------------------------------------------------- */
/* A member that left holding services: they wait for it (spec 4.7). */
static void waits_for(struct svc_table *t, uint32_t node)
{
	for (int i = 0; i < t->ns; i++)
		if (t->s[i].rec.owner == node && st_running(t->s[i].rec.state)) {
			st_say(t, LOG_LVL_NOTICE, "Waiting for node #%u to be "
			    "fenced (it ran %s)", node, t->s[i].name);
			return;
		}
}

void st_confchg(struct svc_table *t, uint64_t ring, const uint32_t *members,
		int n)
{
	for (int i = 0; i < n; i++)
		t->joined |= !st_is_member(t, members[i]);
	for (int k = 0; k < t->nmembers; k++) {
		int stays = 0;

		for (int i = 0; i < n; i++)
			stays |= members[i] == t->members[k];
		if (!stays)
			waits_for(t, t->members[k]);
	}
	t->nmembers = n < ST_MAX_NODES ? n : ST_MAX_NODES;
	memcpy(t->members, members, (size_t)t->nmembers * sizeof *members);
	t->ring = ring;
	t->nheard = 0;
	t->settled = 0;
	t->nheld = 0;		/* of a configuration that never settled */
	t->release_due = 1;
	for (int k = 0; k < t->nreleased; k++)
		if (st_is_member(t, t->released[k]))	/* back: alive */
			t->released[k--] = t->released[--t->nreleased];
	for (int i = 0; i < t->ns; i++) {
		t->s[i].asked = 0;	/* lost with the ring, if not back */
		t->s[i].starting_here = 0;
		if (t->s[i].rec.next == SVC_HOLD)
			t->s[i].rec.next = 0;	/* -s holds until now */
	}
	send_sync(t);
}

int st_leave(struct svc_table *t)
{
	int busy = 0;

	t->leaving = 1;
	for (int i = 0; i < t->ns; i++) {
		if (t->s[i].mine && !t->s[i].busy) {
			t->s[i].busy = t->s[i].stopping = 1;
			t->out.stop(t->out.ctx, i);
		}
		busy |= t->s[i].busy;
	}
	return busy;
}

void st_fencing(struct svc_table *t, int pending)
{
	t->fence_pending = pending;
}

void st_transitional(struct svc_table *t)
{
	t->settled = 0;
}

void st_quorate(struct svc_table *t, int quorate)
{
	if (!t->quorate && quorate && t->locked)
		t->unlock_due = 1;	/* spec 4.5, in order: evaluation */
	if (t->quorate && !quorate)
		for (int i = 0; i < t->ns; i++)
			if (t->s[i].mine || (t->s[i].busy &&
					     !t->s[i].stopping)) {
				st_say(t, LOG_LVL_ERR, "quorum lost: stopping "
				    "%s here", t->s[i].name);
				t->s[i].busy = t->s[i].stopping = 1;
				t->out.stop(t->out.ctx, i);
			}
	t->quorate = quorate;
}

/* node owns a record that runs (or failed) */
static int owns(const struct svc_table *t, uint32_t node)
{
	for (int i = 0; i < t->ns; i++)
		if (t->s[i].rec.owner == node && (st_running(t->s[i].rec.state) ||
						  t->s[i].rec.state == SVC_FAILED))
			return 1;
	return 0;
}

void st_released(struct svc_table *t, uint32_t node, int64_t wall)
{
	for (int k = 0; k < t->nreleased; k++)
		if (t->released[k] == node)
			return;
	if (t->nreleased == ST_MAX_NODES)
		return;
	t->released[t->nreleased++] = node;
	if (!st_is_member(t, node) && owns(t, node))
		st_say(t, LOG_LVL_NOTICE, "Node #%u fenced; continuing", node);
	t->release_due = 1;
}

/* Every released node that is not a member and still owns something:
 * RELEASE, once per configuration and fencing news. */
void st_send_releases(struct svc_table *t)
{
	uint8_t m[8];
	struct wire_w w;

	if (!t->release_due)
		return;
	t->release_due = 0;
	for (int k = 0; k < t->nreleased; k++) {
		if (st_is_member(t, t->released[k]) || !owns(t, t->released[k]))
			continue;
		wire_w_init(&w, m, sizeof m);
		wire_put_u8(&w, OP_RELEASE);
		wire_put_u32(&w, t->released[k]);
		emit(t, &w);
	}
}

void st_ready(struct svc_table *t)
{
	t->ready = 1;
	for (int i = 0; i < t->ns; i++)
		st_act_on(t, i);
}

/* --- set-up ---------------------------------------------------------------------- */
void st_init(struct svc_table *t, const struct st_out *out, uint32_t me)
{
	memset(t, 0, offsetof(struct svc_table, held));
	t->out = *out;
	t->me = me;
}

/* Service k of c into a free slot (or a new one); slots never move, so
 * the shell's jobs keep their index. */
static int add(struct svc_table *t, const struct conf_service *c, int k)
{
	struct st_svc *s;
	int i = 0;

	while (i < t->ns && t->s[i].name[0])
		i++;
	if (i == ST_MAX)
		return -1;
	s = &t->s[i];
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s:%s", c->is_vm ? "vm" :
		 "service", c->name ? c->name : "");
	svc_init(&s->rec);
	if (!c->autostart)
		s->rec.state = SVC_DISABLED;
	s->conf = k;
	if (i == t->ns)
		t->ns++;
	return i;
}

static void name_of(const struct conf_service *c, char *out, size_t size)
{
	snprintf(out, size, "%s:%s", c->is_vm ? "vm" : "service",
		 c->name ? c->name : "");
}

/* Stop service i's resources here, telling nobody (spec 7.4: a new
 * service is stopped on every node before it is placed, as rgmanager's
 * initialization; a removed one that runs here is stopped). */
static void local_stop(struct svc_table *t, int i)
{
	t->s[i].busy = t->s[i].stopping = t->s[i].local = 1;
	t->out.stop(t->out.ctx, i);
}

/* A new configuration: known services keep their record; gone ones
 * that nothing runs here are forgotten (their slot is free), gone ones
 * that run here are stopped; new ones get a record and, once this node
 * is past its clean slate, are stopped here before anything starts
 * them here. */
void st_config(struct svc_table *t, const struct conf *c)
{
	char name[ST_NAME];
	int i;

	t->conf = c;
	for (i = 0; i < t->ns; i++)
		t->s[i].conf = -1;
	for (int k = 0; k < c->nservices; k++) {
		name_of(&c->services[k], name, sizeof name);
		if ((i = st_find(t, name)) >= 0)
			t->s[i].conf = k;
	}
	for (i = 0; i < t->ns; i++)
		if (t->s[i].conf < 0 && !t->s[i].busy && !t->s[i].mine)
			memset(&t->s[i], 0, sizeof t->s[i]);
	for (int k = 0; k < c->nservices; k++) {
		name_of(&c->services[k], name, sizeof name);
		if (st_find(t, name) < 0 && (i = add(t, &c->services[k], k)) >= 0
		    && t->ready)
			local_stop(t, i);	/* new: stopped here first */
	}
	for (i = 0; i < t->ns; i++)
		if (t->s[i].name[0] && t->s[i].conf < 0 && t->s[i].mine &&
		    !t->s[i].busy)
			local_stop(t, i);	/* gone */
}
