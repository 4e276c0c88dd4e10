/* quorum/cman.c - the quorum service on the ordered stream (sans-I/O).
 *
 * Spec 2.1-2.3 as events of the stream; see cman.h for the settling
 * rule.  Messages (the body of the daemon's quorum kind), network order:
 *
 *   HELLO     op=1 ring:u64 votes:u8 ready:u8 expected:u32 config:u32
 *             was_quorate:u8        acting quorate before this ring
 *             qdisk:u8              holds the quorum disk's master role
 *             nodes:u32 votes:u32   digests of its cluster.conf
 *
 * At settling, a member whose file has the version of the configuration
 * source (cman_config_source) but other digests conflicts: its votes do
 * not count, and it leaves ("conflicting cluster.conf", as cman said).
 *   EXPECTED  op=2 ticket:u32 expected:u32
 *   VOTES     op=3 ticket:u32 nodeid:u32 votes:u8
 *   REMOVE    op=4 ticket:u32           the sender leaves with "remove"
 *   KILL      op=5 nodeid:u32
 *   LMS       op=6 ring:u64             last_man_standing window over
 *
 * A HELLO for another ring than the current one is stale (sent before
 * the ring changed again) and ignored by every member alike; so is an
 * LMS for another ring.  Where cman let each node count votes from its
 * own view, here nothing changes the vote state but a delivery. */
#include "cman.h"
#include "../net/wire.h"

#include <errno.h>
#include <string.h>

enum { OP_HELLO = 1, OP_EXPECTED = CMAN_OP_EXPECTED,
       OP_VOTES = CMAN_OP_VOTES, OP_REMOVE = CMAN_OP_REMOVE, OP_KILL, OP_LMS,
       OP_N };

/* --- configuration -------------------------------------------------------- */
void cman_conf_from(const struct conf *c, uint32_t expected,
		    struct votes_conf *vc)
{
	const struct conf_cman *m = &c->cman;

	votes_conf_init(vc);
	for (int i = 0; i < c->nnodes; i++)
		votes_conf_node(vc, (uint32_t)c->nodes[i].nodeid,
				c->nodes[i].votes, c->nodes[i].nmethods > 0);
	vc->expected = expected ? expected : (uint32_t)m->expected_given;
	vc->two_node = (uint8_t)m->two_node;
	vc->two_node_unsafe = (uint8_t)m->two_node_unsafe;
	vc->wait_for_all = (int8_t)m->wait_for_all;
	vc->last_man_standing = (uint8_t)m->last_man_standing;
	vc->lms_window = (uint32_t)m->last_man_standing_window;
	vc->auto_tie_breaker = (uint8_t)m->auto_tie_breaker;
	vc->qdisk_votes = (uint32_t)c->qdisk.votes;
}

void cman_init(struct cman *cm, const struct votes_conf *conf, uint32_t me,
	       int votes, uint32_t config_version)
{
	memset(cm, 0, sizeof *cm);
	cm->conf = *conf;
	cm->me = me;
	cm->votes = (uint8_t)(votes < 0 ? 0 : votes > VOTES_MAX ? VOTES_MAX
						: votes);
	cm->config_version = config_version;
	votes_init(&cm->st, &cm->conf);
}

/* Announced with the next HELLO: the table changes only by the stream. */
void cman_set_config_version(struct cman *cm, uint32_t v)
{
	cm->config_version = v;
}

int cman_set_qdisk(struct cman *cm, int master)
{
	int was = cm->qdisk_claim;

	cm->qdisk_claim = !!master;
	return was != cm->qdisk_claim;
}

/* --- the member table ----------------------------------------------------- */
static int slot(const struct cman *cm, uint32_t nodeid)
{
	for (int i = 0; i < cm->n; i++)
		if (cm->m[i].nodeid == nodeid)
			return i;
	return -1;
}

int cman_is_member(const struct cman *cm, uint32_t nodeid)
{
	return slot(cm, nodeid) >= 0;
}

int cman_quorate(const struct cman *cm)
{
	return cm->st.quorate && !cm->blocked;
}

static int ready(const struct cman *cm)
{
	return !(cm->st.flags & VOTES_F_WAITING);
}

static uint8_t my_votes(const struct cman *cm)
{
	return cm->removed ? 0 : cm->votes;
}

/* The quorum disk's votes count where a member holds its master role. */
static void qdisk_alive(struct cman *cm)
{
	cm->qdisk_alive = 0;
	for (int i = 0; i < cm->n; i++)
		cm->qdisk_alive |= cm->info[i].qdisk;
}

/* The table for the new members: what we knew of those who stay, zero
 * votes for the others until they announce; our own values as they are. */
static void follow(struct cman *cm, const uint32_t *members, int n)
{
	struct votes_member m[CMAN_MAX_MEMBERS];
	struct cman_member info[CMAN_MAX_MEMBERS];
	int k = 0;

	for (int i = 0; i < n && k < CMAN_MAX_MEMBERS; i++, k++) {
		int j = slot(cm, members[i]);

		m[k] = j >= 0 ? cm->m[j] : (struct votes_member){ .nodeid = members[i] };
		info[k] = j >= 0 ? cm->info[j]
				 : (struct cman_member){ .nodeid = members[i] };
		info[k].heard = 0;
		if (members[i] == cm->me)
			m[k] = (struct votes_member){ cm->me, cm->st.expected,
						      my_votes(cm),
						      (uint8_t)ready(cm) };
	}
	memcpy(cm->m, m, sizeof m[0] * (size_t)k);
	memcpy(cm->info, info, sizeof info[0] * (size_t)k);
	cm->n = k;
	qdisk_alive(cm);
}

int cman_confchg(struct cman *cm, uint64_t ring, const uint32_t *members,
		 int n, uint8_t *out, int *change)
{
	struct votes_state tmp;
	int was = cman_quorate(cm);

	cm->was_quorate = was;
	follow(cm, members, n);
	cm->ring = ring;
	cm->settled = 0;
	tmp = cm->st;
	votes_update(&tmp, cm->m, cm->n, cm->qdisk_alive, 0);
	if (!tmp.quorate)
		cm->blocked = 1;
	*change = was && !cman_quorate(cm) ? VOTES_LOST : VOTES_SAME;
	return cman_msg_hello(cm, out);
}

/* --- messages out --------------------------------------------------------- */
static void begin(struct wire_w *w, uint8_t *out, uint8_t op)
{
	wire_w_init(w, out, CMAN_MAX_MSG);
	wire_put_u8(w, op);
}

static int finish(struct wire_w *w)
{
	return w->over ? -1 : (int)w->len;
}

int cman_msg_hello(const struct cman *cm, uint8_t *out)
{
	struct wire_w w;

	begin(&w, out, OP_HELLO);
	wire_put_u64(&w, cm->ring);
	wire_put_u8(&w, my_votes(cm));
	wire_put_u8(&w, (uint8_t)ready(cm));
	wire_put_u32(&w, cm->st.expected);
	wire_put_u32(&w, cm->config_version);
	wire_put_u8(&w, (uint8_t)cm->was_quorate);
	wire_put_u8(&w, (uint8_t)cm->qdisk_claim);
	for (int i = 0; i < CMAN_DIGESTS; i++)
		wire_put_u32(&w, cm->digest[i]);
	return finish(&w);
}

int cman_msg_expected(uint8_t *out, uint32_t ticket, uint32_t expected)
{
	struct wire_w w;

	begin(&w, out, OP_EXPECTED);
	wire_put_u32(&w, ticket);
	wire_put_u32(&w, expected);
	return finish(&w);
}

int cman_msg_votes(uint8_t *out, uint32_t ticket, uint32_t nodeid,
		   int votes)
{
	struct wire_w w;

	begin(&w, out, OP_VOTES);
	wire_put_u32(&w, ticket);
	wire_put_u32(&w, nodeid);
	wire_put_u8(&w, (uint8_t)votes);
	return finish(&w);
}

int cman_msg_remove(uint8_t *out, uint32_t ticket)
{
	struct wire_w w;

	begin(&w, out, OP_REMOVE);
	wire_put_u32(&w, ticket);
	return finish(&w);
}

int cman_msg_kill(uint8_t *out, uint32_t nodeid)
{
	struct wire_w w;

	begin(&w, out, OP_KILL);
	wire_put_u32(&w, nodeid);
	return finish(&w);
}

int cman_msg_lms(const struct cman *cm, uint8_t *out)
{
	struct wire_w w;

	begin(&w, out, OP_LMS);
	wire_put_u64(&w, cm->ring);
	return finish(&w);
}

/* --- checks before sending ------------------------------------------------ */
int cman_check_expected(const struct cman *cm, uint32_t expected)
{
	struct cman t = *cm;

	t.st.conf = &t.conf;
	if (!cm->settled)
		return EAGAIN;
	return votes_set_expected(&t.st, t.m, t.n, t.qdisk_alive, expected)
	       ? EINVAL : 0;
}

int cman_check_votes(const struct cman *cm, uint32_t nodeid, int votes)
{
	struct cman t = *cm;
	int rc;

	t.st.conf = &t.conf;
	if (!cm->settled)
		return EAGAIN;
	rc = votes_set_votes(&t.st, t.m, t.n, t.qdisk_alive, nodeid, votes);
	return rc == -2 ? ENOENT : rc ? EINVAL : 0;
}

/* Spec 7.1/7.4: the copy of a member that was quorate before beats any
 * other; among equals the highest version, then the lowest node id. */
static int better(const struct cman_member *a, const struct cman_member *b)
{
	if (a->was_quorate != b->was_quorate)
		return a->was_quorate > b->was_quorate;
	if (a->config_version != b->config_version)
		return a->config_version > b->config_version;
	return a->nodeid < b->nodeid;
}

uint32_t cman_config_source(const struct cman *cm, uint32_t *version,
			    int *differs)
{
	const struct cman_member *best = NULL;

	*differs = 0;
	*version = 0;
	if (!cm->settled || !cm->n)
		return 0;
	for (int i = 0; i < cm->n; i++)
		if (!best || better(&cm->info[i], best))
			best = &cm->info[i];
	for (int i = 0; i < cm->n; i++)
		if (cm->info[i].config_version != best->config_version)
			*differs = 1;
	*version = best->config_version;
	return best->config_version ? best->nodeid : 0;
}

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static uint32_t fnv_u32(uint32_t h, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	return fnv(h, b, sizeof b);
}

void cman_conf_digest(const struct conf *c, uint32_t d[CMAN_DIGESTS])
{
	uint32_t n = 2166136261u, v = 2166136261u;

	for (int i = 0; i < c->nnodes; i++) {
		const char *name = c->nodes[i].name ? c->nodes[i].name : "";

		n = fnv_u32(n, (uint32_t)c->nodes[i].nodeid);
		n = fnv(n, name, strlen(name) + 1);
		v = fnv_u32(v, (uint32_t)c->nodes[i].nodeid);
		v = fnv_u32(v, (uint32_t)c->nodes[i].votes);
	}
	v = fnv_u32(v, (uint32_t)c->cman.expected_given);
	v = fnv_u32(v, (uint32_t)c->cman.two_node);
	v = fnv_u32(v, (uint32_t)c->qdisk.votes);
	d[CMAN_DIGEST_NODES] = n;
	d[CMAN_DIGEST_VOTES] = v;
}

void cman_set_digest(struct cman *cm, const uint32_t d[CMAN_DIGESTS])
{
	memcpy(cm->digest, d, sizeof cm->digest);
}

int cman_lms_due(const struct cman *cm, uint64_t now_ms)
{
	return cm->settled && (cm->st.flags & VOTES_F_LMS) &&
	       now_ms >= cm->st.lms_deadline;
}

/* --- messages in ---------------------------------------------------------- */
struct in {
	struct cman *cm;
	int op;
	uint32_t from;
	struct wire_r r;
	uint64_t now;
	struct cman_event *ev;
};

/* Members whose file has the source's version and other content: their
 * votes do not count; the event names the first. */
static void conflicts(struct cman *cm, struct cman_event *ev)
{
	uint32_t v;
	int differs, src = slot(cm, cman_config_source(cm, &v, &differs));

	for (int i = 0; src >= 0 && i < cm->n; i++) {
		const struct cman_member *a = &cm->info[i], *b = &cm->info[src];
		int what = a->digest[CMAN_DIGEST_NODES] !=
			   b->digest[CMAN_DIGEST_NODES] ? CMAN_DIGEST_NODES :
			   CMAN_DIGEST_VOTES;

		if (!v || a->config_version != v ||
		    !memcmp(a->digest, b->digest, sizeof a->digest))
			continue;
		cm->m[i].votes = 0;
		if (!ev->conflict) {
			ev->conflict = a->nodeid;
			ev->source = b->nodeid;
			ev->conflict_what = what;
		}
		if (a->nodeid == cm->me)
			ev->conflict_me = 1;
	}
}

static void settle(struct in *in)
{
	struct cman *cm = in->cm;

	for (int i = 0; i < cm->n; i++)
		if (!cm->info[i].heard)
			return;
	if (!cm->settled)
		in->ev->settled = 1;
	cm->settled = 1;
	cm->blocked = 0;
	conflicts(cm, in->ev);
	votes_update(&cm->st, cm->m, cm->n, cm->qdisk_alive, in->now);
}

static void on_hello(struct in *in)
{
	struct cman *cm = in->cm;
	uint64_t ring = wire_get_u64(&in->r);
	uint8_t votes = wire_get_u8(&in->r), rdy = wire_get_u8(&in->r);
	uint32_t e = wire_get_u32(&in->r), cv = wire_get_u32(&in->r);
	uint8_t wq = wire_get_u8(&in->r), qd = wire_get_u8(&in->r);
	uint32_t d[CMAN_DIGESTS];
	int i = slot(cm, in->from);

	for (int k = 0; k < CMAN_DIGESTS; k++)
		d[k] = wire_get_u32(&in->r);
	if (wire_r_done(&in->r) || ring != cm->ring || i < 0)
		return;
	memcpy(cm->info[i].digest, d, sizeof d);
	cm->m[i].votes = votes;
	cm->m[i].ready = rdy;
	cm->m[i].expected = e;
	cm->info[i].config_version = cv;
	cm->info[i].was_quorate = wq;
	cm->info[i].qdisk = qd;
	cm->info[i].heard = 1;
	qdisk_alive(cm);
	settle(in);
}

/* The result goes back to the sender's waiting request. */
static void answer(struct in *in, uint32_t ticket, int result)
{
	if (in->from != in->cm->me)
		return;
	in->ev->done = 1;
	in->ev->op = in->op;
	in->ev->ticket = ticket;
	in->ev->result = result;
}

static void on_expected(struct in *in)
{
	struct cman *cm = in->cm;
	uint32_t ticket = wire_get_u32(&in->r), e = wire_get_u32(&in->r);

	if (wire_r_done(&in->r))
		return;
	if (!cm->settled)
		answer(in, ticket, EAGAIN);
	else if (votes_set_expected(&cm->st, cm->m, cm->n, cm->qdisk_alive,
				    e))
		answer(in, ticket, EINVAL);
	else
		answer(in, ticket, 0);
}

static void on_votes(struct in *in)
{
	struct cman *cm = in->cm;
	uint32_t ticket = wire_get_u32(&in->r), id = wire_get_u32(&in->r);
	uint8_t v = wire_get_u8(&in->r);
	int rc;

	if (wire_r_done(&in->r))
		return;
	if (!cm->settled) {
		answer(in, ticket, EAGAIN);
		return;
	}
	rc = votes_set_votes(&cm->st, cm->m, cm->n, cm->qdisk_alive, id, v);
	if (!rc && id == cm->me)
		cm->votes = v;
	answer(in, ticket, rc == -2 ? ENOENT : rc ? EINVAL : 0);
}

static void on_remove(struct in *in)
{
	struct cman *cm = in->cm;
	uint32_t ticket = wire_get_u32(&in->r);
	int i = slot(cm, in->from);

	if (wire_r_done(&in->r) || i < 0)
		return;
	if (!cm->settled) {
		answer(in, ticket, EAGAIN);
		return;
	}
	cm->m[i].votes = 0;
	if (in->from == cm->me)
		cm->removed = 1;
	votes_leave_remove(&cm->st, cm->m, cm->n, cm->qdisk_alive);
	answer(in, ticket, 0);
}

static void on_kill(struct in *in)
{
	uint32_t id = wire_get_u32(&in->r);

	if (!wire_r_done(&in->r) && id == in->cm->me)
		in->ev->killed_by = in->from;
}

static void on_lms(struct in *in)
{
	struct cman *cm = in->cm;
	uint64_t ring = wire_get_u64(&in->r);

	if (!wire_r_done(&in->r) && ring == cm->ring && cm->settled)
		votes_lms_expire(&cm->st, cm->m, cm->n, cm->qdisk_alive);
}

static void (*const handler[OP_N])(struct in *) = {
	[OP_HELLO] = on_hello, [OP_EXPECTED] = on_expected,
	[OP_VOTES] = on_votes, [OP_REMOVE] = on_remove,
	[OP_KILL] = on_kill, [OP_LMS] = on_lms,
};

int cman_deliver(struct cman *cm, uint32_t from, const uint8_t *msg,
		 size_t len, uint64_t now_ms, struct cman_event *ev)
{
	struct in in = { cm, len ? msg[0] : 0, from, { 0 }, now_ms, ev };
	int was = cman_quorate(cm), is;

	memset(ev, 0, sizeof *ev);
	if (!len || msg[0] >= OP_N || !handler[msg[0]])
		return -1;
	wire_r_init(&in.r, msg + 1, len - 1);
	handler[msg[0]](&in);
	if (in.r.short_read || wire_left(&in.r))
		return -1;
	is = cman_quorate(cm);
	ev->change = was == is ? VOTES_SAME : is ? VOTES_GAINED : VOTES_LOST;
	return 0;
}
