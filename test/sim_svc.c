/* test/sim_svc.c - the resource manager (rm/svc_table.c) on every node of
 * the simulator, simulated agents, an administrator, and the services'
 * checks:
 *   (a) a service's start begins only where no other node holds it (a
 *       node's resources go with a stop that ended or a power-off, not
 *       with a crashed daemon);
 *   (b) a start begins only on a member of a ring its quorum says
 *       quorate;
 *   (c) after each services message delivered in the regular phase of a
 *       settled ring, its members hold the same records;
 *   (d) at the end, 20 s at least after the heal (and after fencing came
 *       to rest), every service runs on exactly one live node, as every
 *       live node records it (an exclusive one may have no room).
 *
 * Each node drives its table as rm/rgmanager.c does: st_confchg at every
 * regular configuration, st_quorate when its quorum core's decision may
 * have changed, st_deliver for every message of this kind, st_released
 * when its fence domain counts a node fenced, st_fencing with how many
 * nodes it must still fence, st_evaluate after each
 * input; at start-up it stops every service here (the clean slate: jobs
 * like any stop) before st_ready, and only then does its fence domain
 * hear "slate".  A clean leave stops what runs here first, then the
 * fence domain's LEAVING, then the ring (sim_leave).
 *
 * The agents (ground truth): hold[s][node] is set when a start begins
 * and cleared when a stop ends or the machine is powered off; a daemon
 * that crashes keeps its holds (its resources go on running).  A start
 * takes 0-1.5 s and fails 5 % of the time (resources stay held until
 * the recovery stop); a stop takes 0-1 s and succeeds.  Now and then a
 * started service's check fails on its owner.
 *
 * The administrator, during the chaos, every 0.5-3.5 s on a random
 * member: relocate (to the best node or to one), restart, stop, disable,
 * enable, freeze, unfreeze, lock, unlock.  After the heal it puts things
 * right every 2 s: unlock, unfreeze, enable what is disabled.
 *
 * Configuration per seed: 1-4 services; a domain on some (ordered or
 * not, restricted or not, over some nodes); one exclusive service when
 * there are more nodes than services; recovery restart, relocate or
 * restart-disable with max_restarts.  A message is SIMV_TAG, its index
 * (u32), the table's message. */
#include "sim.h"
#include "../rm/svc_place.h"
#include "../rm/svc_table.h"
#include "../xml/conf.h"
#include "../xml/xml.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSVC	4
#define WALL0	1700000000
#define OUTBOX	32
#define BOUND	20000	/* ms after the heal: every service runs */

enum { J_NONE, J_START, J_STOP };

struct vnode {
	struct svc_table t;
	struct node *n;
	int on, member, in_trans, quorate, slating, leaving;
	struct { int kind, ok; int64_t end; } job[NSVC];
	struct { uint8_t *p; size_t len; } box[OUTBOX];
	int nbox;
};

/* One message; the digest of the records of its first deliverer in the
 * regular phase of a settled ring. */
struct vmsg {
	int seen, first;
	uint64_t ring, hash;
	uint32_t rep;
};

static struct {
	int on, n, ns;
	struct node *nodes;
	struct vnode v[MAXN];
	struct conf *conf;
	int hold[NSVC][MAXN];
	struct vmsg *msgs;
	int nmsgs, capmsgs;
	int64_t next_admin, next_check;
	int healed;
} V;

static struct {
	uint64_t starts, failed_starts, stops, checks, admin, agree, lost;
	uint64_t shared, slates, released;
	int64_t worst;		/* longest time from the heal to all up */
} tot;

static int64_t wall(void)
{
	return WALL0 + sim_now() / 1000;
}

/* ---- the configuration ---------------------------------------------------- */
static void domain(char *p, size_t size, int k)
{
	size_t len = strlen(p);

	len += (size_t)snprintf(p + len, size - len, "<failoverdomain name=\"d%d\""
				" ordered=\"%d\" restricted=\"%d\">", k,
				sim_rnd(2), sim_chance(0.3));
	for (int i = 0; i < V.n; i++)
		if (sim_chance(0.6) || i == k % V.n)
			len += (size_t)snprintf(p + len, size - len,
				"<failoverdomainnode name=\"n%u\" priority="
				"\"%d\"/>", V.nodes[i].id, 1 + sim_rnd(3));
	snprintf(p + len, size - len, "</failoverdomain>");
}

static struct conf *make_conf(void)
{
	static const char *const rec[] = { "restart", "relocate",
					   "restart-disable" };
	static char x[16384];
	char doms[4096] = "";
	size_t len;
	struct xml_node *doc;
	struct conf *c;
	int excl = V.n > V.ns && sim_chance(0.5) ? sim_rnd(V.ns) : -1;

	len = (size_t)snprintf(x, sizeof x, "<cluster name=\"sim\" "
			       "config_version=\"1\"><clusternodes>");
	for (int i = 0; i < V.n; i++)
		len += (size_t)snprintf(x + len, sizeof x - len,
			"<clusternode name=\"n%u\" nodeid=\"%u\"/>",
			V.nodes[i].id, V.nodes[i].id);
	for (int k = 0; k < V.ns; k++)
		if (k != excl && sim_chance(0.6))
			domain(doms, sizeof doms, k);
	len += (size_t)snprintf(x + len, sizeof x - len, "</clusternodes><rm>"
				"<failoverdomains>%s</failoverdomains>", doms);
	for (int k = 0; k < V.ns; k++) {
		char d[16];

		snprintf(d, sizeof d, "d%d", k);
		len += (size_t)snprintf(x + len, sizeof x - len,
			"<service name=\"s%d\"%s%s%s exclusive=\"%d\" "
			"recovery=\"%s\" max_restarts=\"%d\" "
			"restart_expire_time=\"%d\"/>", k,
			strstr(doms, d) ? " domain=\"" : "",
			strstr(doms, d) ? d : "", strstr(doms, d) ? "\"" : "",
			k == excl, rec[sim_rnd(3)], sim_rnd(3), sim_rnd(30));
	}
	snprintf(x + len, sizeof x - len, "</rm></cluster>");
	doc = xml_parse(x, strlen(x), NULL);
	if (!doc) {
		sim_fail("services: the generated cluster.conf does not parse");
		return NULL;
	}
	c = conf_load(doc, NULL);
	c->owned = doc;
	sim_trace("services: %s", x);
	return c;
}

/* ---- sending: the outbox ------------------------------------------------ */
static int put(struct vnode *v, const uint8_t *body, size_t len)
{
	uint8_t b[5 + ST_MAX_MSG];
	int idx = V.nmsgs;

	V.msgs = sim_grow(V.msgs, &V.capmsgs, idx + 1, sizeof *V.msgs);
	memset(&V.msgs[idx], 0, sizeof V.msgs[idx]);
	b[0] = SIMV_TAG;
	b[1] = (uint8_t)(idx >> 24);
	b[2] = (uint8_t)(idx >> 16);
	b[3] = (uint8_t)(idx >> 8);
	b[4] = (uint8_t)idx;
	memcpy(b + 5, body, len);
	if (totem_send(v->n->t, b, 5 + len, sim_now()))
		return -1;
	V.nmsgs++;
	return 0;
}

static void flush(struct vnode *v)
{
	int done = 0;

	while (done < v->nbox && !put(v, v->box[done].p, v->box[done].len))
		free(v->box[done++].p);
	memmove(v->box, v->box + done, (size_t)(v->nbox - done) *
		sizeof v->box[0]);
	v->nbox -= done;
}

static void drop_box(struct vnode *v)
{
	for (int i = 0; i < v->nbox; i++)
		free(v->box[i].p);
	v->nbox = 0;
}

static void out_send(void *ctx, const uint8_t *msg, size_t len)
{
	struct vnode *v = ctx;

	if (v->nbox == OUTBOX) {
		tot.lost++;
		return;
	}
	v->box[v->nbox].p = malloc(len);
	if (!v->box[v->nbox].p) {
		perror("sim");
		exit(2);
	}
	memcpy(v->box[v->nbox].p, msg, len);
	v->box[v->nbox++].len = len;
	flush(v);
}

/* ---- the agents ------------------------------------------------------------ */
static int holder(int s, int except)
{
	for (int i = 0; i < V.n; i++)
		if (i != except && V.hold[s][i])
			return i;
	return -1;
}

/* (a) a start begins only where nobody else holds the service, (b) on a
 * member of a configuration its quorum core says is quorate. */
static void out_start(void *ctx, int s)
{
	struct vnode *v = ctx;
	int other = holder(s, v->n->idx);

	tot.starts++;
	sim_trace("node %u starts s%d", v->n->id, s);
	if (other >= 0)
		sim_fail("node %u starts service s%d while node %u holds it",
			 v->n->id, s, V.nodes[other].id);
	if (!v->member || !simq_quorate(v->n))
		sim_fail("node %u starts service s%d %s", v->n->id, s,
			 v->member ? "without quorum" : "outside a ring");
	for (int k = 0; k < V.ns; k++)	/* counted: placement's to keep */
		if (k != s && V.hold[k][v->n->idx] &&
		    (V.conf->services[k].exclusive ||
		     V.conf->services[s].exclusive))
			tot.shared++;
	V.hold[s][v->n->idx] = 1;
	v->job[s].kind = J_START;
	v->job[s].ok = !sim_chance(0.05);
	v->job[s].end = sim_now() + sim_rnd(1501);
}

static void out_stop(void *ctx, int s)
{
	struct vnode *v = ctx;

	tot.stops++;
	sim_trace("node %u stops s%d", v->n->id, s);
	v->job[s].kind = J_STOP;
	v->job[s].ok = 1;
	v->job[s].end = sim_now() + sim_rnd(1001);
}

static void out_log(void *ctx, int level, const char *text)
{
	struct vnode *v = ctx;

	sim_trace("node %u rm: %s", v->n->id, text);
}

static int slate_done(struct vnode *v);

static void job_end(struct vnode *v, int s)
{
	int kind = v->job[s].kind, ok = v->job[s].ok;

	v->job[s].kind = J_NONE;
	if (kind == J_STOP)
		V.hold[s][v->n->idx] = 0;
	tot.failed_starts += kind == J_START && !ok;
	sim_trace("node %u: %s of s%d ends %s", v->n->id, kind == J_STOP ?
		  "stop" : "start", s, ok ? "ok" : "failed");
	if (v->slating) {
		if (--v->slating == 0)
			slate_done(v);
		return;
	}
	st_done(&v->t, s, ok);
	st_evaluate(&v->t);
	if (!v->leaving || st_leave(&v->t))
		return;		/* (a start that ended meanwhile stops) */
	{
		sim_trace("node %u: services stopped, it leaves", v->n->id);
		v->leaving = 0;
		sim_leave(v->n);
	}
}

/* ---- node life ------------------------------------------------------------ */
static int slate_done(struct vnode *v)
{
	tot.slates++;
	sim_trace("node %u: clean slate", v->n->id);
	st_ready(&v->t);
	simf_slate(v->n);
	st_evaluate(&v->t);
	return 0;
}

void simv_start(struct node *n)
{
	struct vnode *v = &V.v[n->idx];
	struct st_out out = { v, out_send, out_start, out_stop, NULL,
			      out_log, NULL };

	if (!V.on)
		return;
	drop_box(v);
	memset(v, 0, sizeof *v);
	v->n = n;
	v->on = 1;
	st_init(&v->t, &out, n->id);
	st_config(&v->t, V.conf);
	v->slating = V.ns;
	for (int s = 0; s < V.ns; s++)
		out_stop(v, s);
}

int simv_slate(const struct node *n)
{
	return !V.on || (V.v[n->idx].on && !V.v[n->idx].slating);
}

/* The daemon died (its resources stay) or the machine is off (hold:
 * they go with it). */
void simv_stop(struct node *n, int off)
{
	struct vnode *v = &V.v[n->idx];

	if (!V.on)
		return;
	drop_box(v);
	v->on = v->member = v->leaving = 0;
	for (int s = 0; s < V.ns; s++) {
		v->job[s].kind = J_NONE;
		if (off)
			V.hold[s][n->idx] = 0;
	}
}

/* A clean stop: what runs here stops first; 1 when sim_leave follows. */
int simv_leave(struct node *n)
{
	struct vnode *v = &V.v[n->idx];

	if (!V.on || !v->on || v->leaving)
		return V.on && v->leaving;
	v->leaving = st_leave(&v->t);
	sim_trace("node %u: stopping its services before it leaves",
		  n->id);
	return v->leaving;
}

void simv_fenced(const struct node *n, uint32_t victim)
{
	struct vnode *v = &V.v[n->idx];

	if (V.on && v->on) {
		tot.released++;
		st_released(&v->t, victim, wall());
		st_evaluate(&v->t);
	}
}

/* ---- inputs ------------------------------------------------------------------ */
static void told_quorum(struct vnode *v)
{
	int q = simq_quorate(v->n), p = simf_pending(v->n);

	if (p != v->t.fence_pending) {
		st_fencing(&v->t, p);
		st_evaluate(&v->t);
	}
	if (!v->member || q == v->quorate)
		return;
	v->quorate = q;
	st_quorate(&v->t, q);
	st_evaluate(&v->t);
}

void simv_quorum(struct node *n)
{
	if (V.on && V.v[n->idx].on)
		told_quorum(&V.v[n->idx]);
}

void simv_confchg(struct node *n, const struct totem_confchg *c)
{
	struct vnode *v = &V.v[n->idx];

	if (!V.on || !v->on)
		return;
	if (c->kind == TOTEM_TRANSITIONAL) {
		v->in_trans = 1;
		st_transitional(&v->t);
		return;
	}
	v->in_trans = 0;
	v->member = 1;
	st_confchg(&v->t, c->ring_seq, c->members, c->nmembers);
	v->quorate = simq_quorate(n);
	st_quorate(&v->t, v->quorate);
	st_evaluate(&v->t);
}

static uint64_t digest(const struct svc_table *t)
{
	uint64_t h = 0;

	for (int i = 0; i < t->ns; i++) {
		const struct svc_rec *r = &t->s[i].rec;

		h = h * 0x100000001b3ull ^ ((uint64_t)r->state << 48 ^
					    (uint64_t)r->owner << 24 ^
					    r->version ^ (uint64_t)r->frozen << 62);
	}
	return h ^ (uint64_t)t->locked << 63;
}

/* (c) after each message, the members of a settled ring hold the same
 * records. */
static void agree(struct vnode *v, int idx)
{
	struct vmsg *m = &V.msgs[idx];
	const struct node *n = v->n;
	uint64_t h = digest(&v->t);

	if (v->in_trans || !v->t.settled)
		return;
	if (!m->seen) {
		*m = (struct vmsg){ 1, n->idx, n->ep_seq, h, n->ep_rep };
		return;
	}
	if (m->ring != n->ep_seq || m->rep != n->ep_rep)
		return;
	tot.agree++;
	if (m->hash != h) {
		for (int s = 0; s < V.ns; s++) {
			const struct svc_rec *a = &v->t.s[s].rec;
			const struct svc_rec *b = &V.v[m->first].t.s[s].rec;

			sim_trace("s%d: node %u: %s owner %u v%u, node %u now: "
				  "%s owner %u v%u", s, n->id,
				  svc_state_name(a->state), a->owner,
				  a->version, V.nodes[m->first].id,
				  svc_state_name(b->state), b->owner,
				  b->version);
		}
		sim_fail("node %u after services msg %d: its records differ "
			 "from node %u's", n->id, idx, V.nodes[m->first].id);
	}
}

void simv_deliver(struct node *n, uint32_t from, const void *msg, size_t len)
{
	struct vnode *v = &V.v[n->idx];
	const uint8_t *p = msg;
	int idx = len < 5 ? -1 : (int)((uint32_t)p[1] << 24 | p[2] << 16 |
					p[3] << 8 | p[4]);

	if (!V.on || !v->on)
		return;
	if (idx < 0 || idx >= V.nmsgs) {
		sim_fail("node %u: services message %d from %u unknown",
			 n->id, idx, from);
		return;
	}
	st_deliver(&v->t, from, p + 5, len - 5, wall());
	st_evaluate(&v->t);
	agree(v, idx);
}

/* ---- the administrator --------------------------------------------------------- */
static void admin(void)
{
	struct vnode *v = &V.v[sim_rnd(V.n)];
	int s = sim_rnd(V.ns), r = sim_rnd(9);
	uint32_t to = V.nodes[sim_rnd(V.n)].id;
	static const enum svc_event ev[] = { SE_STOP, SE_STOP, SE_STOP,
		SE_DISABLE, SE_START, SE_FREEZE, SE_UNFREEZE };

	V.next_admin = sim_now() + 500 + sim_rnd(3000);
	if (!v->on || !v->member || !v->t.settled || v->t.s[s].busy ||
	    v->t.s[s].asked)
		return;
	tot.admin++;
	sim_trace("node %u: the administrator: op %d on s%d (node %u)",
		  v->n->id, r, s, to);
	if (r >= 7) {
		st_lock(&v->t, r == 7);
		return;
	}
	if (r == 0)
		to = SVC_ELSEWHERE;
	else if (r == 1 && !st_accepts(&v->t, s, to))
		return;		/* as clusvcadm -r -m refuses */
	else if (r == 2)
		to = sim_chance(0.5) ? SVC_HOLD : v->t.s[s].rec.owner;
	else if (r == 4 && (to = st_best(&v->t, s, 0)) == 0)
		return;
	st_request(&v->t, s, ev[r], r >= 3 && r != 4 ? 0 : to);
}

/* After the heal: what the administrator left undone is undone. */
static void tidy(void)
{
	V.next_admin = sim_now() + 2000;
	for (int i = 0; i < V.n; i++) {
		struct vnode *v = &V.v[i];

		if (!v->on || !v->member || !v->t.settled || !v->t.quorate)
			continue;
		if (v->t.locked)
			st_lock(&v->t, 0);
		for (int s = 0; s < V.ns; s++) {
			const struct svc_rec *r = &v->t.s[s].rec;
			uint32_t to = st_best(&v->t, s, 0);

			if (v->t.s[s].busy || v->t.s[s].asked)
				continue;
			if (r->frozen)
				st_request(&v->t, s, SE_UNFREEZE, 0);
			else if ((r->state == SVC_DISABLED ||
				  r->state == SVC_FAILED ||
				  (r->state == SVC_STOPPED && r->next)) && to)
				st_request(&v->t, s, r->state == SVC_FAILED ?
					   SE_DISABLE : SE_START, to);
		}
		return;		/* one node does it */
	}
}

/* A started service's check fails on its owner, now and then. */
static void check_fails(void)
{
	struct vnode *v = &V.v[sim_rnd(V.n)];
	int s = sim_rnd(V.ns);

	V.next_check = sim_now() + 1000 + sim_rnd(5000);
	if (!v->on || !v->t.s[s].mine || v->t.s[s].busy ||
	    v->t.s[s].rec.state != SVC_STARTED || v->t.s[s].rec.frozen)
		return;
	tot.checks++;
	sim_trace("node %u: check of s%d fails", v->n->id, s);
	st_status_failed(&v->t, s);
}

/* ---- the clock ------------------------------------------------------------ */
int64_t simv_next(void)
{
	int64_t t = V.next_admin < V.next_check ? V.next_admin : V.next_check;

	if (!V.on)
		return INT64_MAX;
	for (int i = 0; i < V.n; i++)
		for (int s = 0; V.v[i].on && s < V.ns; s++)
			if (V.v[i].job[s].kind && V.v[i].job[s].end < t)
				t = V.v[i].job[s].end;
	return t;
}

int simv_due(void)
{
	int64_t now = sim_now();

	if (!V.on)
		return 0;
	for (int i = 0; i < V.n; i++)
		for (int s = 0; V.v[i].on && s < V.ns; s++)
			if (V.v[i].job[s].kind && V.v[i].job[s].end <= now) {
				job_end(&V.v[i], s);
				return 1;
			}
	if (V.next_admin <= now) {
		V.healed ? tidy() : admin();
		return 1;
	}
	if (V.next_check <= now) {
		check_fails();
		return 1;
	}
	return 0;
}

void simv_step(void)
{
	for (int i = 0; V.on && i < V.n; i++) {
		struct vnode *v = &V.v[i];

		if (!v->on)
			continue;
		if (v->nbox)
			flush(v);
		told_quorum(v);
	}
}

/* The heal: a leave under way is called off (the node stays). */
void simv_heal(void)
{
	V.healed = 1;
	V.next_check = INT64_MAX;
	for (int i = 0; V.on && i < V.n; i++)
		V.v[i].leaving = V.v[i].t.leaving = 0;
}

/* (d) at the end, BOUND after the heal at least: every service runs on
 * exactly one live node, a member, where every live node's record says
 * so; unless exclusivity leaves it no node. */
void simv_final(int64_t since)
{
	for (int s = 0; V.on && s < V.ns; s++) {
		int h = holder(s, -1), owner_ok = 1;

		if (h < 0 && V.conf->services[s].exclusive)
			continue;
		for (int i = 0; i < V.n && h >= 0; i++) {
			const struct svc_rec *r = &V.v[i].t.s[s].rec;

			if (V.v[i].on && (r->state != SVC_STARTED ||
					  r->owner != V.nodes[h].id))
				owner_ok = 0;
		}
		if (h < 0 || holder(s, h) >= 0 || !V.nodes[h].alive ||
		    !owner_ok)
			sim_fail("services: s%d does not run on exactly one "
				 "live node %" PRId64 " ms after the heal "
				 "(holder %d, recorded %s)", s, since,
				 h < 0 ? 0 : (int)V.nodes[h].id,
				 owner_ok ? "alike" : "otherwise");
	}
	if (since > tot.worst)
		tot.worst = since;
}

int64_t simv_bound(void)
{
	return V.on ? BOUND : 0;
}

/* ---- a seed ------------------------------------------------------------- */
void simv_setup(struct node *nodes, int n, int on)
{
	memset(&V, 0, sizeof V);
	V.on = on;
	V.n = n;
	V.nodes = nodes;
	if (!on)
		return;
	V.ns = 1 + sim_rnd(NSVC);
	V.conf = make_conf();
	V.next_admin = 1000 + sim_rnd(3000);
	V.next_check = 2000 + sim_rnd(5000);
	if (!V.conf)
		V.on = 0;
}

void simv_free(void)
{
	for (int i = 0; i < V.n; i++)
		drop_box(&V.v[i]);
	free(V.msgs);
	conf_free(V.conf);
	memset(&V, 0, sizeof V);
}

void simv_totals(void)
{
	printf("sim: services: %" PRIu64 " starts (%" PRIu64 " failed), %"
	       PRIu64 " stops, %" PRIu64 " failed checks, %" PRIu64
	       " administrator requests, %" PRIu64 " clean slates, %" PRIu64
	       " releases heard, %" PRIu64 " agreement checks, %" PRIu64
	       " starts beside an exclusive service, %" PRIu64 " messages "
	       "lost to a full outbox\n", tot.starts, tot.failed_starts,
	       tot.stops, tot.checks, tot.admin, tot.slates, tot.released,
	       tot.agree, tot.shared, tot.lost);
}
