/* test/unit_svctable.c - the replicated service table (rm/svc_table.c):
 * several nodes on one ordered bus; agents that finish when told. */
#include "unit.h"
#include "../rm/svc_table.h"
#include "../xml/conf.h"

#include <stdio.h>
#include <stdlib.h>

#define N 3

static const char text[] =
"<cluster name=\"s\" config_version=\"1\"><clusternodes>"
"<clusternode name=\"n1\" nodeid=\"1\"/><clusternode name=\"n2\" nodeid=\"2\"/>"
"<clusternode name=\"n3\" nodeid=\"3\"/></clusternodes><rm><failoverdomains>"
"<failoverdomain name=\"d\" ordered=\"1\">"
"<failoverdomainnode name=\"n1\" priority=\"1\"/>"
"<failoverdomainnode name=\"n2\" priority=\"2\"/>"
"<failoverdomainnode name=\"n3\" priority=\"3\"/></failoverdomain>"
"</failoverdomains><service name=\"web\" domain=\"d\"/>"
"<service name=\"db\"/><service name=\"off\" autostart=\"0\"/><vm name=\"g\"/>"
"</rm></cluster>";

static struct conf *conf;

static struct node {
	struct svc_table t;
	uint32_t id;
	int up;
	int starts[8], stops[8], migrates[8];
	int job[8];		/* 1 start, 2 stop in flight */
} nodes[N + 1];

static struct { uint32_t from; uint8_t b[ST_MAX_MSG]; size_t len; } bus[64];
static int fail_starts;		/* every start fails */
static int nbus;
static uint64_t ring;

static void on_send(void *ctx, const uint8_t *m, size_t len)
{
	if (nbus < 64) {
		bus[nbus].from = ((struct node *)ctx)->id;
		memcpy(bus[nbus].b, m, len);
		bus[nbus++].len = len;
	}
}

static void on_start(void *ctx, int i)
{
	struct node *n = ctx;

	n->starts[i]++;
	n->job[i] = 1;
}

static void on_migrate(void *ctx, int i, uint32_t to)
{
	struct node *n = ctx;

	n->migrates[i]++;
	n->job[i] = 3;
}

static void on_stop(void *ctx, int i)
{
	struct node *n = ctx;

	n->stops[i]++;
	n->job[i] = 2;
}

static int flush(void)
{
	int n = nbus;

	for (int k = 0; k < nbus; k++)
		for (int id = 1; id <= N; id++)
			if (nodes[id].up)
				st_deliver(&nodes[id].t, bus[k].from, bus[k].b,
					   bus[k].len, 100 + k);
	nbus = 0;
	return n;
}

/* Evaluate everywhere, deliver, finish every job (ok), until quiet. */
static void settle(void)
{
	for (int round = 0; round < 20; round++) {
		int jobs = 0, sent;

		for (int id = 1; id <= N; id++)
			if (nodes[id].up)
				st_evaluate(&nodes[id].t);
		sent = flush();
		for (int id = 1; id <= N; id++)
			for (int i = 0; i < 8; i++)
				if (nodes[id].up && nodes[id].job[i]) {
					int ok = nodes[id].job[i] != 1 ||
						 !fail_starts;

					nodes[id].job[i] = 0;
					st_done(&nodes[id].t, i, ok);
					jobs++;
				}
		sent += flush();
		if (!jobs && !sent)
			return;
	}
}

static void config(int quorate)
{
	uint32_t m[N];
	int n = 0;

	ring++;
	for (uint32_t id = 1; id <= N; id++)
		if (nodes[id].up)
			m[n++] = id;
	for (int id = 1; id <= N; id++)
		if (nodes[id].up) {
			st_confchg(&nodes[id].t, ring, m, n);
			st_quorate(&nodes[id].t, quorate);
		}
	flush();
	settle();
}

static void boot(uint32_t id)
{
	struct st_out out = { .send = on_send, .start = on_start,
			      .stop = on_stop, .migrate = on_migrate };
	struct node *n = &nodes[id];

	memset(n, 0, sizeof *n);
	n->id = id;
	n->up = 1;
	out.ctx = n;
	st_init(&n->t, &out, id);
	st_config(&n->t, conf);
	st_ready(&n->t);
}

static const struct svc_rec *rec(uint32_t id, const char *name)
{
	int i = st_find(&nodes[id].t, name);

	return i >= 0 ? &nodes[id].t.s[i].rec : NULL;
}

static struct conf *load(const char *xml)
{
	struct xml_node *doc = xml_parse(xml, strlen(xml), NULL);
	struct conf *c = conf_load(doc, NULL);

	c->owned = doc;
	return c;
}

/* up nodes 1..n boot with configuration c and form one ring */
static void some(struct conf *c, int n)
{
	conf = c;
	nbus = 0;
	for (uint32_t id = 1; id <= N; id++) {
		boot(id);
		nodes[id].up = (int)id <= n;
	}
	config(1);
}

static void three(void)
{
	static struct conf *c;

	if (!c)
		c = load(text);
	some(c, N);
}

TEST(svctable_start_where_best_once)
{
	three();
	for (uint32_t id = 1; id <= N; id++) {
		CHECK_INT(rec(id, "service:web")->state, SVC_STARTED);
		CHECK_INT(rec(id, "service:web")->owner, 1);
		CHECK_INT(rec(id, "service:db")->state, SVC_STARTED);
		CHECK_INT(rec(id, "service:off")->state, SVC_DISABLED);
	}
	CHECK_INT(nodes[1].starts[0] + nodes[2].starts[0] + nodes[3].starts[0],
		  1);
}

TEST(svctable_no_takeover_before_release)
{
	three();
	nodes[1].up = 0;			/* n1 dies with web and db */
	config(1);
	CHECK_INT(rec(2, "service:web")->state, SVC_STARTED);
	CHECK_INT(rec(2, "service:web")->owner, 1);	/* still n1's */
	CHECK_INT(nodes[2].starts[0] + nodes[3].starts[0], 0);
	st_released(&nodes[2].t, 1, 500);	/* fenced, at one point */
	st_released(&nodes[3].t, 1, 500);
	settle();
	CHECK_INT(rec(3, "service:web")->state, SVC_STARTED);
	CHECK_INT(rec(3, "service:web")->owner, 2);	/* next in order */
	CHECK_INT(rec(3, "service:web")->last_owner, 1);
	CHECK_INT(nodes[2].starts[0], 1);
	CHECK_INT(nodes[3].starts[0], 0);
}

TEST(svctable_failback_to_the_better_node)
{
	three();
	nodes[1].up = 0;
	config(1);
	st_released(&nodes[2].t, 1, 500);
	st_released(&nodes[3].t, 1, 500);
	settle();
	boot(1);				/* n1 back, fresh */
	config(1);
	CHECK_INT(rec(1, "service:web")->owner, 1);
	CHECK_INT(rec(2, "service:web")->state, SVC_STARTED);
	CHECK_INT(nodes[2].stops[st_find(&nodes[2].t, "service:web")], 1);
	CHECK_INT(rec(2, "service:db")->owner, 2);	/* no domain: stays */
}

TEST(svctable_quorum_loss_stops_here_only)
{
	three();
	nodes[2].up = nodes[3].up = 0;
	config(0);
	CHECK_INT(nodes[1].stops[0], 1);	/* web stopped here at once */
	CHECK_INT(rec(1, "service:web")->state, SVC_STARTED);	/* record */
	CHECK_INT(nodes[1].starts[0], 1);	/* and nothing started */
}

static int web(uint32_t id) { return st_find(&nodes[id].t, "service:web"); }

TEST(svctable_relocate_to_target_then_elsewhere)
{
	three();
	st_request(&nodes[2].t, web(2), SE_STOP, 3);	/* -r web -m n3 */
	settle();
	CHECK_INT(rec(1, "service:web")->state, SVC_STARTED);
	CHECK_INT(rec(1, "service:web")->owner, 3);
	CHECK_INT(rec(1, "service:web")->next, 0);
	st_request(&nodes[1].t, web(1), SE_STOP, SVC_ELSEWHERE);  /* -r */
	settle();
	CHECK_INT(rec(2, "service:web")->owner, 1);	/* best, not n3 */
	CHECK_INT(nodes[3].stops[web(3)], 1);
}

TEST(svctable_restart_in_place_and_enable_elsewhere)
{
	three();
	st_request(&nodes[3].t, web(3), SE_STOP, 1);	/* -R, from n3 */
	settle();
	CHECK_INT(rec(3, "service:web")->owner, 1);
	CHECK_INT(nodes[1].starts[web(1)], 2);
	CHECK_INT(nodes[1].stops[web(1)], 1);
	st_request(&nodes[1].t, web(1), SE_DISABLE, 0);
	settle();
	st_request(&nodes[1].t, web(1), SE_START, 2);	/* -e web -m n2 */
	settle();
	CHECK_INT(rec(1, "service:web")->owner, 2);
	CHECK_INT(rec(1, "service:web")->state, SVC_STARTED);
}

TEST(svctable_stop_holds_until_membership_changes)
{
	three();
	st_request(&nodes[1].t, web(1), SE_STOP, SVC_HOLD);	/* -s */
	settle();
	CHECK_INT(rec(2, "service:web")->state, SVC_STOPPED);
	CHECK_INT(nodes[1].starts[web(1)], 1);
	nodes[3].up = 0;
	config(1);
	CHECK_INT(rec(2, "service:web")->state, SVC_STARTED);
	CHECK_INT(rec(2, "service:web")->owner, 1);
}

TEST(svctable_lock_stops_evaluation_quorum_unlocks)
{
	three();
	st_lock(&nodes[2].t, 1);
	flush();
	CHECK_INT(nodes[3].t.locked, 1);
	st_request(&nodes[1].t, web(1), SE_STOP, 0);
	settle();
	CHECK_INT(rec(1, "service:web")->state, SVC_STOPPED);	/* stays */
	st_lock(&nodes[2].t, 0);
	settle();
	CHECK_INT(rec(1, "service:web")->state, SVC_STARTED);
	st_lock(&nodes[2].t, 1);
	flush();
	config(0);
	config(1);				/* quorum regained */
	CHECK_INT(nodes[1].t.locked, 0);
}

TEST(svctable_status_failure_restarts_in_place)
{
	three();
	st_status_failed(&nodes[1].t, web(1));
	settle();
	CHECK_INT(rec(2, "service:web")->state, SVC_STARTED);
	CHECK_INT(rec(2, "service:web")->owner, 1);
	CHECK_INT(rec(2, "service:web")->restarts, 1);
	CHECK_INT(nodes[1].stops[web(1)], 1);
	CHECK_INT(nodes[1].starts[web(1)], 2);
}

TEST(svctable_vm_migrates_live_and_a_dead_source_restarts_on_target)
{
	int g;

	three();
	g = st_find(&nodes[2].t, "vm:g");
	/* web went to n1 (its domain), db to n2: g spread to n3 */
	CHECK_INT(rec(2, "vm:g")->owner, 3);
	st_request(&nodes[2].t, g, SE_MIGRATE, 1);	/* -M vm:g -m n1 */
	settle();
	CHECK_INT(nodes[3].migrates[g], 1);
	CHECK_INT(nodes[3].stops[g] + nodes[1].starts[g], 0);
	CHECK_INT(rec(2, "vm:g")->state, SVC_STARTED);
	CHECK_INT(rec(2, "vm:g")->owner, 1);
	CHECK_INT(nodes[1].t.s[g].mine, 1);
	CHECK_INT(nodes[3].t.s[g].mine, 0);
	st_request(&nodes[2].t, g, SE_MIGRATE, 3);	/* back, but n1 dies */
	flush();
	nodes[1].up = 0;
	nodes[1].job[g] = 0;
	config(1);
	st_released(&nodes[2].t, 1, 600);
	st_released(&nodes[3].t, 1, 600);
	settle();
	CHECK_INT(rec(3, "vm:g")->state, SVC_STARTED);
	CHECK_INT(rec(3, "vm:g")->owner, 3);		/* its target */
}

static const char excl[] =
"<cluster name=\"s\" config_version=\"1\"><clusternodes>"
"<clusternode name=\"n1\" nodeid=\"1\"/><clusternode name=\"n2\" nodeid=\"2\"/>"
"<clusternode name=\"n3\" nodeid=\"3\"/></clusternodes><rm><failoverdomains>"
"<failoverdomain name=\"r23\" restricted=\"1\">"
"<failoverdomainnode name=\"n2\"/><failoverdomainnode name=\"n3\"/>"
"</failoverdomain></failoverdomains><service name=\"web\"/>"
"<service name=\"r\" domain=\"r23\"/><service name=\"x\" exclusive=\"1\"/>"
"</rm></cluster>";

TEST(svctable_exclusive_never_shares_even_in_one_pass)
{
	static struct conf *c;

	if (!c)
		c = load(excl);
	some(c, 2);			/* n1 starts web, n2 r: x has no room */
	CHECK_INT(rec(1, "service:web")->owner, 1);
	CHECK_INT(rec(1, "service:r")->owner, 2);
	CHECK_INT(rec(1, "service:x")->state, SVC_STOPPED);
	nodes[3].up = 1;
	config(1);
	CHECK_INT(rec(1, "service:x")->owner, 3);
	CHECK_INT(rec(2, "service:x")->state, SVC_STARTED);
}

static const char deps[] =
"<cluster name=\"s\" config_version=\"1\"><clusternodes>"
"<clusternode name=\"n1\" nodeid=\"1\"/><clusternode name=\"n2\" nodeid=\"2\"/>"
"<clusternode name=\"n3\" nodeid=\"3\"/></clusternodes><rm>"
"<service name=\"app\" depend=\"service:db\"/>"
"<service name=\"soft\" depend=\"service:db\" depend_mode=\"soft\"/>"
"<service name=\"db\" autostart=\"0\"/></rm></cluster>";

TEST(svctable_depend_waits_and_a_hard_dependent_stops_with_it)
{
	static struct conf *c;
	int db;

	if (!c)
		c = load(deps);
	some(c, 3);
	CHECK_INT(rec(1, "service:app")->state, SVC_STOPPED);	/* waits */
	CHECK(!st_dep_ok(&nodes[2].t, st_find(&nodes[2].t, "service:app")));
	db = st_find(&nodes[1].t, "service:db");
	st_request(&nodes[1].t, db, SE_START, 0);
	settle();
	CHECK_INT(rec(2, "service:app")->state, SVC_STARTED);
	CHECK_INT(rec(2, "service:soft")->state, SVC_STARTED);
	st_request(&nodes[1].t, db, SE_DISABLE, 0);
	settle();
	CHECK_INT(rec(3, "service:app")->state, SVC_STOPPED);	/* hard */
	CHECK_INT(rec(3, "service:soft")->state, SVC_STARTED);	/* soft */
}

TEST(svctable_failed_starts_move_then_disable)
{
	three();
	st_request(&nodes[1].t, web(1), SE_DISABLE, 0);
	settle();
	fail_starts = 1;
	st_request(&nodes[1].t, web(1), SE_START, 0);
	settle();
	fail_starts = 0;
	CHECK_INT(rec(2, "service:web")->state, SVC_DISABLED);
	CHECK_INT(rec(2, "service:web")->start_fails, SVC_START_TRIES);
	CHECK_INT(nodes[1].starts[web(1)] + nodes[2].starts[web(2)] +
		  nodes[3].starts[web(3)], 1 + SVC_START_TRIES);
	CHECK(nodes[2].starts[web(2)] + nodes[3].starts[web(3)] > 0);
	st_request(&nodes[1].t, web(1), SE_START, 0);	/* -e: anew */
	settle();
	CHECK_INT(rec(3, "service:web")->state, SVC_STARTED);
	CHECK_INT(rec(3, "service:web")->start_fails, 0);
}

/* A table larger than one SYNC goes in parts; a member counts as heard
 * once its last part is in, and every part's records merge. */
static struct { uint8_t b[ST_MAX_MSG]; size_t len; } parts[8];
static int nparts;

static void on_part(void *ctx, const uint8_t *m, size_t len)
{
	if (nparts < 8) {
		memcpy(parts[nparts].b, m, len);
		parts[nparts++].len = len;
	}
}

TEST(svctable_sync_in_parts)
{
	enum { SERVICES = 3 * ST_SYNC_PER + 10 };
	char *xml = malloc(SERVICES * 48 + 512), *p = xml;
	struct st_out out = { .send = on_part };
	static struct svc_table a, b;
	uint32_t both[] = { 1, 2 };
	struct conf *c;
	char name[32];
	int last;

	p += sprintf(p, "<cluster name=\"s\" config_version=\"1\"><clusternodes>"
		     "<clusternode name=\"n1\" nodeid=\"1\"/><clusternode "
		     "name=\"n2\" nodeid=\"2\"/></clusternodes><rm>");
	for (int i = 0; i < SERVICES; i++)
		p += sprintf(p, "<service name=\"s%d\" autostart=\"0\"/>", i);
	sprintf(p, "</rm></cluster>");
	c = load(xml);
	CHECK_INT(c->nservices, SERVICES);
	st_init(&a, &out, 1);
	st_init(&b, &out, 2);
	st_config(&a, c);
	st_config(&b, c);
	sprintf(name, "service:s%d", SERVICES - 1);
	last = st_find(&a, name);
	a.s[last].rec.version = 7;	/* a's is newer: it must win */
	nparts = 0;
	st_confchg(&a, 1, both, 2);
	CHECK_INT(nparts, 4);
	st_confchg(&b, 1, both, 2);
	CHECK_INT(nparts, 8);
	for (int k = 0; k < 8; k++) {
		st_deliver(&b, (uint32_t)(k < 4 ? 1 : 2), parts[k].b,
			   parts[k].len, 0);
		CHECK_INT(b.nheard, k < 3 ? 0 : k < 7 ? 1 : 2);
	}
	CHECK_INT(b.settled, 1);
	CHECK_INT(b.s[st_find(&b, name)].rec.version, 7);
	conf_free(c);
	free(xml);
}

/* Services without a domain spread: every member places them alike
 * (one start each), the least loaded node first. */
TEST(svctable_automatic_starts_spread)
{
	static struct conf *c;
	int per[N + 1] = { 0 }, starts = 0;

	if (!c)
		c = load("<cluster name=\"s\" config_version=\"1\"><clusternodes>"
			 "<clusternode name=\"n1\" nodeid=\"1\"/><clusternode "
			 "name=\"n2\" nodeid=\"2\"/><clusternode name=\"n3\" "
			 "nodeid=\"3\"/></clusternodes><rm><service name=\"a\"/>"
			 "<service name=\"b\"/><service name=\"c\"/><service "
			 "name=\"d\"/><service name=\"e\"/><service name=\"f\"/>"
			 "</rm></cluster>");
	some(c, N);
	for (int i = 0; i < 6; i++) {
		per[nodes[1].t.s[i].rec.owner]++;
		CHECK_INT(nodes[2].t.s[i].rec.state, SVC_STARTED);
		for (int id = 1; id <= N; id++)
			starts += nodes[id].starts[i];
	}
	CHECK_INT(starts, 6);
	CHECK_INT(per[1], 2);
	CHECK_INT(per[2], 2);
	CHECK_INT(per[3], 2);
}
