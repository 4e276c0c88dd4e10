/* test/sim_fence.c - the fence domain (rm/fence_dom.c) on every node of
 * the simulator, a simulated fence device, and their checks (see
 * tool_sim.c for the list).
 *
 * Each node drives its core as rm/fenced.c does: fd_confchg at every
 * regular configuration (slate: its services' clean slate is done,
 * sim_svc.c), fd_quorate whenever
 * the quorum core's agreed decision may have changed, fd_deliver for
 * every message of this kind, fd_tick as its timer (re-armed after every
 * event, as fenced.c's rearm), fd_result when its job ends, fd_leaving
 * before a clean leave (the leave waits until LEAVING came back, at most
 * 2 s, as fenced.c's stop).  Its incarnation is 1 + its start count:
 * the daemon's are at least the clock in seconds, never 1, which the
 * core uses for "never came".  Configuration: every node of the cluster,
 * post_fail_delay 0, post_join_delay 2 s, no two_node delay; clean_start
 * 0 in most seeds (start-up fencing is exercised), 1 in a fifth.
 *
 * A fenced message is SIMF_TAG, its index in F.msgs (u32), the body.
 * What the core sends goes through an outbox that is retried after every
 * step while totem's queue is full (fenced.c would lose it instead).
 *
 * The device: a job started by out->run ends after 0-3 s; with 80 %
 * it powers the victim off (crashes it when it runs; after the heal it
 * reboots: tool_sim.c), then the decider gets fd_result, unless it died
 * meanwhile (a job dies with its host).  Now and then the operator
 * acknowledges a pending victim that is really down (fd_ack on a member
 * in the fence domain).
 *
 * What makes a victim fenced lawfully, per node id, as incarnations:
 * the last one running when the device powered it off (agent), the last
 * one started when the operator acknowledged it (ack), and the latest
 * one of which a fenced message was delivered (its first is its STATE:
 * a fresh start clears what is below it). */
#include "sim.h"
#include "../rm/fence_dom.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTBOX		16
#define LEAVE_MS	2000	/* fenced.c's bound on a clean stop */
#define WALL0		1700000000

struct fnode {
	struct fence_dom fd;
	struct node *n;
	int on, member, in_trans, quorate;
	int64_t tick_at, leave_at;	/* INT64_MAX: none */
	uint32_t seen_cleared[MAXN];	/* (b): what was checked */
	struct { uint8_t *p; size_t len; } box[OUTBOX];
	int nbox;
};

struct job {
	int victim, by, by_inc, ok;
	int64_t end;
};

/* One fenced message; the state of its first deliverer in the regular
 * phase of its ring. */
struct fmsg {
	int sender;
	uint32_t inc;
	int seen, first, settled;
	uint64_t ring;
	uint32_t rep, mask;
	uint64_t hash;
};

static struct {
	int on, n, clean_start, warn;
	struct node *nodes;
	struct fnode f[MAXN];
	struct job job[MAXN * 4];
	int njob;
	struct fmsg *msgs;
	int nmsgs, capmsgs;
	int64_t next_ack;
	/* per node: lawful reasons (incarnations), and what was counted */
	uint32_t agent_inc[MAXN], ack_inc[MAXN], started[MAXN];
	uint32_t victim_counted[MAXN], cleared_counted[MAXN];
} F;

static struct {
	uint64_t victims, attempts, agent, ack, fresh, failed, restarted;
	uint64_t agree, lost, acks, warned, members, self, cross;
} tot;

/* FENCE_WARN=1: a broken fence check is counted and traced, and the
 * seed goes on (to survey a core, or time the simulator with it). */
static void fence_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void fence_fail(const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (!F.warn) {
		sim_fail("%s", why);
		return;
	}
	tot.warned++;
	sim_trace("FENCE CHECK: %s", why);
	if (F.warn > 1)
		printf("sim: fence check: %s\n", why);
}

static uint32_t inc_of(const struct node *n)
{
	return 1 + (uint32_t)n->inc;
}

static int idx_of(uint32_t id)
{
	for (int i = 0; i < F.n; i++)
		if (F.nodes[i].id == id)
			return i;
	return -1;
}

static int64_t wall(void)
{
	return WALL0 + sim_now() / 1000;
}

/* ---- sending: the outbox ------------------------------------------------ */
static int put(struct fnode *x, const uint8_t *body, size_t len)
{
	uint8_t b[5 + FD_MAX_MSG];
	int idx = F.nmsgs;

	F.msgs = sim_grow(F.msgs, &F.capmsgs, idx + 1, sizeof *F.msgs);
	F.msgs[idx] = (struct fmsg){ .sender = x->n->idx,
				     .inc = x->fd.my_inc };
	b[0] = SIMF_TAG;
	b[1] = (uint8_t)(idx >> 24);
	b[2] = (uint8_t)(idx >> 16);
	b[3] = (uint8_t)(idx >> 8);
	b[4] = (uint8_t)idx;
	memcpy(b + 5, body, len);
	if (totem_send(x->n->t, b, 5 + len, sim_now()))
		return -1;
	F.nmsgs++;
	return 0;
}

static void flush(struct fnode *x)
{
	int done = 0;

	while (done < x->nbox && !put(x, x->box[done].p, x->box[done].len))
		free(x->box[done++].p);
	memmove(x->box, x->box + done, (size_t)(x->nbox - done) *
		sizeof x->box[0]);
	x->nbox -= done;
}

static void out_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct fnode *x = ctx;

	if (x->nbox == OUTBOX) {
		tot.lost++;
		sim_trace("node %u: fenced outbox full, a message is lost",
			  x->n->id);
		return;
	}
	x->box[x->nbox].p = malloc(len);
	if (!x->box[x->nbox].p) {
		perror("sim");
		exit(2);
	}
	memcpy(x->box[x->nbox].p, msg, len);
	x->box[x->nbox++].len = len;
	flush(x);
}

static void drop_box(struct fnode *x)
{
	for (int i = 0; i < x->nbox; i++)
		free(x->box[i].p);
	x->nbox = 0;
}

/* ---- (b): a victim recorded fenced only for a lawful reason ------------- */
static void lawful(const struct fnode *x, uint32_t id, uint32_t cleared)
{
	int v = idx_of(id);
	uint64_t *why;

	if (v < 0) {
		fence_fail("node %u recorded node %u fenced: no such node",
			 x->n->id, id);
		return;
	}
	if (F.agent_inc[v] >= cleared)
		why = &tot.agent;
	else if (F.ack_inc[v] >= cleared)
		why = &tot.ack;
	else if (F.started[v] > cleared)
		why = &tot.fresh;
	else {
		fence_fail("node %u recorded node %u fenced up to incarnation "
			 "%u without an agent success (up to %u), an ack (up "
			 "to %u) or a later start (%u)", x->n->id, id, cleared,
			 F.agent_inc[v], F.ack_inc[v], F.started[v]);
		return;
	}
	if (cleared > F.cleared_counted[v]) {
		F.cleared_counted[v] = cleared;
		(*why)++;
	}
}

/* Every rise of cleared (record_fenced, fresh_start, or merged from
 * another member's STATE) is checked; new victims are counted. */
static void scan(struct fnode *x)
{
	for (int i = 0; i < x->fd.nn; i++) {
		const struct fd_node *e = &x->fd.n[i];
		int v = idx_of(e->id);

		if (v < 0)
			continue;
		if (e->cleared > x->seen_cleared[v]) {
			lawful(x, e->id, e->cleared);
			x->seen_cleared[v] = e->cleared;
		}
		if (e->victim > e->cleared &&
		    e->victim > F.victim_counted[v]) {
			F.victim_counted[v] = e->victim;
			tot.victims++;
		}
	}
}

static void out_fenced(void *ctx, uint32_t victim)
{
	struct fnode *x = ctx;
	const struct fd_node *e = fd_node(&x->fd, victim);

	sim_trace("node %u: node %u counts as fenced", x->n->id, victim);
	if (!e)
		fence_fail("node %u: fenced %u, which it has no entry of",
			 x->n->id, victim);
	else
		lawful(x, victim, e->cleared);
	simv_fenced(x->n, victim);
}

int simf_pending(const struct node *n)
{
	return F.on && F.f[n->idx].on ? fd_npending(&F.f[n->idx].fd) : 0;
}

void simf_slate(struct node *n)
{
	struct fnode *x = &F.f[n->idx];

	if (F.on && x->member)
		fd_slate(&x->fd);
}

/* ---- the device ---------------------------------------------------------- */
static struct job *job_of(int by, int victim)
{
	for (int i = 0; i < F.njob; i++)
		if (F.job[i].by == by && F.job[i].victim == victim)
			return &F.job[i];
	return NULL;
}

static void job_drop(struct job *j)
{
	*j = F.job[--F.njob];
}

/* Not checked, counted: a job on a member of the decider's own
 * configuration (one that merged back unchanged, or the decider
 * itself), and on a node that started again and whose messages were
 * delivered (FENCE_STRICT=1: fail the seed on that). */
static void odd_victim(const struct fnode *x, uint32_t victim, int v)
{
	const struct node *vn = &F.nodes[v];
	uint32_t inc = fd_node(&x->fd, victim)->victim;

	for (int i = 0; i < x->fd.nmembers; i++)
		tot.members += x->fd.members[i] == victim;
	tot.self += victim == x->n->id;
	if (!vn->alive || F.started[v] < inc_of(vn) || inc >= inc_of(vn))
		return;
	tot.restarted++;
	sim_trace("node %u fences node %u, which started again (incarnation "
		  "%u, victim %u)", x->n->id, victim, inc_of(vn), inc);
	if (getenv("FENCE_STRICT"))
		fence_fail("node %u fences node %u, which started again and "
			   "said so", x->n->id, victim);
}

/* (a) one job per victim among the members of a configuration; (c)
 * only by the quorate decider.  Two jobs on one victim from two
 * configurations that each hold quorum at that instant (one has not
 * noticed the split yet, or expected votes were lowered) are counted,
 * not failed: that is quorum's to prevent, not fencing's. */
static int in_conf(const struct fence_dom *f, uint32_t id)
{
	for (int i = 0; i < f->nmembers; i++)
		if (f->members[i] == id)
			return 1;
	return 0;
}

static void out_run(void *ctx, uint32_t victim)
{
	struct fnode *x = ctx;
	int v = idx_of(victim);
	uint32_t d = fd_decider(&x->fd);

	tot.attempts++;
	sim_trace("node %u: fence job on node %u", x->n->id, victim);
	if (d != x->n->id || !simq_quorate(x->n))
		fence_fail("node %u started fencing node %u but is %s "
			   "(decider %u, quorum %s)", x->n->id, victim,
			   d != x->n->id ? "not the decider" : "not quorate",
			   d, simq_quorate(x->n) ? "quorate" : "inquorate");
	if (v < 0 || F.njob == (int)(sizeof F.job / sizeof F.job[0])) {
		sim_fail("node %u: fence job on node %u: no such node or too "
			 "many jobs", x->n->id, victim);
		return;
	}
	for (int i = 0; i < F.njob; i++)
		if (F.job[i].victim == v &&
		    !in_conf(&x->fd, F.nodes[F.job[i].by].id))
			tot.cross++;
		else if (F.job[i].victim == v)
			fence_fail("node %u started fencing node %u while node "
				   "%u's job on it is in flight", x->n->id,
				   victim, F.nodes[F.job[i].by].id);
	odd_victim(x, victim, v);
	F.job[F.njob++] = (struct job){ v, x->n->idx, x->n->inc,
					sim_chance(0.8),
					sim_now() + sim_rnd(3001) };
}

static void out_cancel(void *ctx, uint32_t victim)
{
	struct fnode *x = ctx;
	struct job *j = job_of(x->n->idx, idx_of(victim));

	sim_trace("node %u: fence job on node %u cancelled%s", x->n->id,
		  victim, j ? "" : " (none)");
	if (j)
		job_drop(j);
}

static void out_log(void *ctx, int level, const char *text)
{
	struct fnode *x = ctx;

	sim_trace("node %u fenced: %s", x->n->id, text);
}

static const char *out_name(void *ctx, uint32_t id)
{
	static char s[16];

	snprintf(s, sizeof s, "%" PRIu32, id);
	return s;
}

/* A job ends: the victim is powered off, or not; its decider hears. */
static void job_end(int i)
{
	struct job j = F.job[i];
	struct node *v = &F.nodes[j.victim];
	struct fnode *by = &F.f[j.by];

	job_drop(&F.job[i]);
	sim_trace("node %u's fence job on node %u %s", F.nodes[j.by].id,
		  v->id, j.ok ? "powers it off" : "fails");
	if (j.ok) {
		if (inc_of(v) > F.agent_inc[j.victim])
			F.agent_inc[j.victim] = inc_of(v);
		if (v->alive)
			sim_power_off(v);
		else
			simv_stop(v, 1);	/* a crashed daemon's machine */
	} else {
		tot.failed++;
	}
	if (by->n->alive && by->n->inc == j.by_inc) {
		fd_result(&by->fd, v->id, j.ok, j.ok ? "fence_sim" : "",
			  wall());
		by->tick_at = sim_now();
	}
}

/* ---- events of one node ---------------------------------------------------- */
static void told_quorum(struct fnode *x)
{
	int q = simq_quorate(x->n);

	if (!x->member || q == x->quorate)
		return;
	x->quorate = q;
	fd_quorate(&x->fd, q, sim_now());
	x->tick_at = sim_now();
}

void simf_quorum(struct node *n)
{
	if (F.on && n->alive)
		told_quorum(&F.f[n->idx]);
}

void simf_confchg(struct node *n, const struct totem_confchg *c)
{
	struct fnode *x = &F.f[n->idx];

	if (!F.on)
		return;
	if (c->kind == TOTEM_TRANSITIONAL) {
		x->in_trans = 1;
		return;
	}
	x->in_trans = 0;
	x->member = 1;
	fd_confchg(&x->fd, c->ring_seq, c->members, c->nmembers,
		   simv_slate(n), sim_now());
	x->quorate = simq_quorate(n);
	fd_quorate(&x->fd, x->quorate, sim_now());
	x->tick_at = sim_now();
	scan(x);
}

/* (d) the pending victims: a mask of nodes and a digest of their
 * incarnations. */
static void pending_set(const struct fence_dom *fd, uint32_t *mask,
			uint64_t *hash)
{
	*mask = 0;
	*hash = 0;
	for (int i = 0; i < fd->nn; i++) {
		const struct fd_node *e = &fd->n[i];
		int v = idx_of(e->id);

		if (v < 0 || e->victim <= e->cleared)
			continue;
		*mask |= 1u << v;
		*hash += ((uint64_t)e->id << 32 | e->victim) *
			 0x9e3779b97f4a7c15ull;
	}
}

static void agree(const struct fnode *x, int idx)
{
	struct fmsg *m = &F.msgs[idx];
	const struct node *n = x->n;
	uint32_t mask;
	uint64_t hash;

	if (x->in_trans)
		return;		/* old ring, after it broke: no agreement */
	pending_set(&x->fd, &mask, &hash);
	if (!m->seen) {
		m->seen = 1;
		m->first = n->idx;
		m->settled = x->fd.settled;
		m->ring = n->ep_seq;
		m->rep = n->ep_rep;
		m->mask = mask;
		m->hash = hash;
		return;
	}
	if (m->ring != n->ep_seq || m->rep != n->ep_rep)
		return;
	tot.agree++;
	if (m->settled != x->fd.settled)
		fence_fail("node %u after fenced msg %d: %ssettled, node %u "
			 "%ssettled", n->id, idx, x->fd.settled ? "" : "not ",
			 F.nodes[m->first].id, m->settled ? "" : "not ");
	else if (m->settled && (m->mask != mask || m->hash != hash))
		fence_fail("node %u after fenced msg %d: pending victims (mask) "
			 "%#x, node %u %#x%s", n->id, idx, mask,
			 F.nodes[m->first].id, m->mask, m->mask == mask ?
			 " (other incarnations)" : "");
}

void simf_deliver(struct node *n, uint32_t from, const void *msg, size_t len)
{
	struct fnode *x = &F.f[n->idx];
	const uint8_t *p = msg;
	int idx = len < 5 ? -1 : (int)((uint32_t)p[1] << 24 | p[2] << 16 |
					p[3] << 8 | p[4]);
	struct fmsg *m;

	if (idx < 0 || idx >= F.nmsgs ||
	    F.nodes[F.msgs[idx].sender].id != from) {
		fence_fail("node %u: fenced message %d from %u unknown",
			 n->id, idx, from);
		return;
	}
	m = &F.msgs[idx];
	sim_trace("node %u deliver fenced msg %d from %u", n->id, idx, from);
	if (m->inc > F.started[m->sender])
		F.started[m->sender] = m->inc;
	fd_deliver(&x->fd, from, p + 5, len - 5, sim_now(), wall());
	scan(x);
	if (x->leave_at != INT64_MAX && fd_left(&x->fd))
		x->leave_at = sim_now();
	x->tick_at = sim_now();
	agree(x, idx);
}

/* ---- node life ------------------------------------------------------------ */
void simf_start(struct node *n)
{
	struct fnode *x = &F.f[n->idx];
	struct fd_out out = { x, out_send, out_run, out_cancel, out_fenced,
			      out_log, out_name };
	uint32_t ids[MAXN];

	if (!F.on)
		return;
	drop_box(x);
	*x = (struct fnode){ .n = n, .on = 1, .tick_at = INT64_MAX,
			     .leave_at = INT64_MAX };
	for (int i = 0; i < F.n; i++)
		ids[i] = F.nodes[i].id;
	fd_init(&x->fd, &out, n->id, inc_of(n));
	fd_config(&x->fd, ids, F.n, 0, 2, F.clean_start, 0);
}

/* It crashed, left or was powered off: its jobs die with it. */
void simf_stop(struct node *n)
{
	struct fnode *x = &F.f[n->idx];

	if (!F.on)
		return;
	for (int i = F.njob - 1; i >= 0; i--)
		if (F.job[i].by == n->idx)
			job_drop(&F.job[i]);
	drop_box(x);
	x->on = x->member = 0;
	x->tick_at = x->leave_at = INT64_MAX;
}

int simf_leave(struct node *n)
{
	struct fnode *x = &F.f[n->idx];

	if (!F.on || !x->member)
		return 0;
	if (x->leave_at == INT64_MAX) {
		sim_trace("node %u says it leaves", n->id);
		fd_leaving(&x->fd);
		x->leave_at = sim_now() + LEAVE_MS;
	}
	return 1;
}

/* The heal: a leave under way ends now (the heal restarts the node). */
void simf_heal(void)
{
	for (int i = 0; F.on && i < F.n; i++)
		if (F.nodes[i].alive && F.f[i].leave_at != INT64_MAX)
			sim_stop(&F.nodes[i], 1);
}

/* ---- the clock ------------------------------------------------------------ */
int64_t simf_next(void)
{
	int64_t t = F.next_ack;

	if (!F.on)
		return INT64_MAX;
	for (int i = 0; i < F.njob; i++)
		t = F.job[i].end < t ? F.job[i].end : t;
	for (int i = 0; i < F.n; i++) {
		const struct fnode *x = &F.f[i];

		if (!x->on)
			continue;
		t = x->tick_at < t ? x->tick_at : t;
		t = x->leave_at < t ? x->leave_at : t;
	}
	return t;
}

/* The operator acknowledges a victim that is really down, on a member
 * in the fence domain; rare. */
static void operator_ack(void)
{
	struct fnode *x = &F.f[sim_rnd(F.n)];
	int cand[MAXN], nc = 0, v;

	F.next_ack = sim_now() + 2000 + sim_rnd(15000);
	if (!x->on || !fd_joined(&x->fd))
		return;
	for (int i = 0; i < x->fd.nn; i++) {
		v = idx_of(x->fd.n[i].id);
		if (v >= 0 && !F.nodes[v].alive &&
		    fd_pending(&x->fd, x->fd.n[i].id))
			cand[nc++] = v;
	}
	if (!nc)
		return;
	v = cand[sim_rnd(nc)];
	simv_stop(&F.nodes[v], 1);	/* the operator reset the machine */
	if (inc_of(&F.nodes[v]) > F.ack_inc[v])
		F.ack_inc[v] = inc_of(&F.nodes[v]);
	tot.acks++;
	sim_trace("node %u: the operator acknowledges node %u", x->n->id,
		  F.nodes[v].id);
	fd_ack(&x->fd, F.nodes[v].id, "fence_manual", wall());
	x->tick_at = sim_now();
}

static void tick(struct fnode *x)
{
	x->tick_at = fd_tick(&x->fd, sim_now());
	scan(x);
}

int simf_due(void)
{
	int64_t now = sim_now();

	if (!F.on)
		return 0;
	for (int i = 0; i < F.njob; i++)
		if (F.job[i].end <= now) {
			job_end(i);
			return 1;
		}
	for (int i = 0; i < F.n; i++) {
		struct fnode *x = &F.f[i];

		if (!x->on)
			continue;
		if (x->leave_at <= now) {
			sim_stop(x->n, 1);
			return 1;
		}
		if (x->tick_at <= now) {
			tick(x);
			return 1;
		}
	}
	if (F.next_ack <= now) {
		operator_ack();
		return 1;
	}
	return 0;
}

/* After every step: retry what totem refused, follow the quorum. */
void simf_step(void)
{
	for (int i = 0; F.on && i < F.n; i++) {
		struct fnode *x = &F.f[i];

		if (!x->on)
			continue;
		if (x->nbox)
			flush(x);
		told_quorum(x);
	}
}

/* ---- a seed ------------------------------------------------------------- */
void simf_setup(struct node *nodes, int n, int on)
{
	F.on = on;
	F.n = n;
	F.nodes = nodes;
	F.clean_start = on && sim_chance(0.2);
	F.warn = getenv("FENCE_WARN") ? atoi(getenv("FENCE_WARN")) : 0;
	F.next_ack = on ? 1000 + sim_rnd(10000) : INT64_MAX;
	for (int i = 0; i < n; i++)
		F.f[i] = (struct fnode){ .n = &nodes[i], .tick_at = INT64_MAX,
					 .leave_at = INT64_MAX };
	if (on)
		sim_trace("fence: clean_start %d", F.clean_start);
}

void simf_free(void)
{
	for (int i = 0; i < F.n; i++)
		drop_box(&F.f[i]);
	free(F.msgs);
	memset(&F, 0, sizeof F);
}

void simf_totals(void)
{
	printf("sim: fence: %" PRIu64 " victims, %" PRIu64 " attempts (%"
	       PRIu64 " on members, %" PRIu64 " on the decider, %" PRIu64
	       " on restarted nodes, %" PRIu64 " beside one from another "
	       "quorate configuration), %" PRIu64 " fenced by agent, %" PRIu64
	       " by ack (%" PRIu64 " acks), %" PRIu64 " fresh starts, %"
	       PRIu64 " failed attempts, %" PRIu64 " agreement checks\n",
	       tot.victims, tot.attempts, tot.members, tot.self,
	       tot.restarted, tot.cross, tot.agent, tot.ack, tot.acks, tot.fresh,
	       tot.failed, tot.agree);
	if (tot.warned || tot.lost)
		printf("sim: fence: %" PRIu64 " broken checks (FENCE_WARN), %"
		       PRIu64 " messages lost to a full outbox\n",
		       tot.warned, tot.lost);
}
