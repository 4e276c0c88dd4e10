/* test/unit_conf.c - the cluster.conf model: values, derived arithmetic,
 * loading into structs, limits. */
#include "unit.h"
#include "../xml/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* --- value syntax --------------------------------------------------------- */
TEST(conf_bool_values)
{
	static const struct { const char *s; int rc, v; } t[] = {
		{ "yes", 0, 1 }, { "YES", 0, 1 }, { "no", 0, 0 },
		{ "1", 0, 1 }, { "0", 0, 0 }, { "2", 0, 1 }, { "-1", 0, 0 },
		{ "true", 0, 1 }, { "on", 0, 1 }, { "On", 0, 1 },
		{ "off", 0, 0 }, { "FALSE", 0, 0 }, { "", -1, 0 },
		{ "1x", -1, 0 }, { "yess", -1, 0 }, { "onn", -1, 0 },
		{ "maybe", -1, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int v = -7, rc = conf_bool(t[i].s, &v);

		CHECK_INT(rc, t[i].rc);
		if (!rc)
			CHECK_INT(v, t[i].v);
		else
			CHECK_INT(v, -7);
	}
}

TEST(conf_time_values)
{
	static const struct { const char *s; int rc, v; } t[] = {
		{ "90", 0, 90 }, { "30s", 0, 30 }, { "5m", 0, 300 },
		{ "1h30m", 0, 5400 }, { "1h30", 0, 3630 }, { "1d", 0, 86400 },
		{ "2w", 0, 1209600 }, { "1w1d1h1m1s", 0, 694861 },
		{ "0", 0, 0 }, { "2147483647", 0, 2147483647 },
		{ "", -1, 0 }, { "x", -1, 0 }, { "10x", -1, 0 }, { "h", -1, 0 },
		{ "-5", -1, 0 }, { "5 m", -1, 0 }, { "2147483648", -1, 0 },
		{ "99999999999999999999", -1, 0 }, { "4000w", -1, 0 },
		{ "1h1h", 0, 7200 }, { "m5", -1, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int v = -7, rc = conf_time(t[i].s, &v);

		if (!unit_check(rc == t[i].rc, __FILE__, __LINE__,
				"conf_time(\"%s\") = %d", t[i].s, rc))
			continue;
		CHECK_INT(v, rc ? -7 : t[i].v);
	}
}

/* --- cman's arithmetic (spec 1.10, 2.1) ----------------------------------- */
TEST(conf_cluster_id_vectors)
{
	static const struct {
		const char *name;
		int id;
		const char *mc;
	} t[] = {
		{ "tcluster", 28212, "239.192.110.162" },
		{ "mycluster", 56756, "239.192.221.146" },
		{ "alpha", 3169, "239.192.12.109" },
		{ "RHCluster", 41524, "239.192.162.214" },
		{ "test", 1678, "239.192.6.148" },
		{ "", 0, "239.192.0.0" },
	};
	char mc[16];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK_INT(conf_cluster_id(t[i].name), t[i].id);
		conf_mcast_addr(t[i].id, mc);
		CHECK_STR(mc, t[i].mc);
	}
	/* % 255, not & 255: id 255 gives .0, id 65535 gives .255.0 */
	conf_mcast_addr(255, mc);
	CHECK_STR(mc, "239.192.0.0");
	conf_mcast_addr(65535, mc);
	CHECK_STR(mc, "239.192.255.0");
	/* long names: only the low 16 bits of the running sum count */
	CHECK_INT(conf_cluster_id("abcdefghijklmnopqrstuvwxyz0123456789"),
		  conf_cluster_id("abcdefghijklmnopqrstuvwxyz0123456789") &
		  0xFFFF);
}

TEST(conf_quorum_examples)
{
	CHECK_INT(conf_quorum(3, 3, 0, 3), 2);	/* 3 nodes */
	CHECK_INT(conf_quorum(5, 5, 0, 5), 3);	/* 5 nodes */
	CHECK_INT(conf_quorum(4, 4, 0, 4), 3);	/* 4 nodes */
	CHECK_INT(conf_quorum(2, 2, 0, 2), 2);	/* 2, no two_node */
	CHECK_INT(conf_quorum(3, 3, 0, 2), 2);	/* 2 nodes + qdisk 1 */
	CHECK_INT(conf_quorum(1, 2, 1, 2), 1);	/* two_node */
	CHECK_INT(conf_quorum(1, 1, 1, 1), 1);
	CHECK_INT(conf_quorum(1, 3, 1, 3), 2);	/* two_node, 3 members */
	CHECK_INT(conf_quorum(3, 7, 0, 7), 4);	/* total above expected */
	CHECK_INT(conf_qdisk_votes(3), 2);
	CHECK_INT(conf_qdisk_votes(1), 0);
}

/* --- loading -------------------------------------------------------------- */
static struct conf *load(const char *text, struct conf_diags *d,
			 struct xml_node **doc)
{
	struct xml_err e;

	*doc = xml_parse(text, strlen(text), &e);
	if (!unit_check(*doc != NULL, __FILE__, __LINE__, "parse: %d:%d %s",
			e.line, e.col, e.msg))
		return NULL;
	return conf_load(*doc, d);
}

static const char web[] =
"<?xml version=\"1.0\"?>\n"
"<cluster name=\"mycluster\" config_version=\"42\">\n"
" <cman port=\"6809\"/>\n"
" <clusternodes>\n"
"  <clusternode name=\"web1\" nodeid=\"1\" votes=\"2\">\n"
"   <altname name=\"web1-b\" port=\"6811\"/>\n"
"   <fence><method name=\"power\">\n"
"    <device name=\"apc\" port=\"1\" switch=\"1\"/>\n"
"    <device name=\"apc2\" port=\"1\"/></method>\n"
"   <method name=\"human\"><device name=\"human\"/></method></fence>\n"
"  </clusternode>\n"
"  <clusternode name=\"web2\" nodeid=\"2\">\n"
"   <fence><method name=\"power\"><device name=\"apc\" port=\"2\"/>"
"</method></fence>\n"
"   <unfence><device name=\"apc\" action=\"on\"/></unfence>\n"
"  </clusternode>\n"
"  <clusternode name=\"web3\" nodeid=\"3\"/>\n"
" </clusternodes>\n"
" <fencedevices>\n"
"  <fencedevice name=\"apc\" agent=\"fence_apc\" ipaddr=\"10.0.0.5\"/>\n"
"  <fencedevice name=\"human\" agent=\"fence_manual\"/>\n"
" </fencedevices>\n"
" <rm>\n"
"  <failoverdomains>\n"
"   <failoverdomain name=\"pref\" ordered=\"1\" restricted=\"yes\">\n"
"    <failoverdomainnode name=\"web2\" priority=\"1\"/>\n"
"    <failoverdomainnode name=\"web1\" priority=\"2\"/>\n"
"   </failoverdomain>\n"
"  </failoverdomains>\n"
"  <resources>\n"
"   <fs name=\"data\" device=\"/dev/sdb1\" mountpoint=\"/srv\"/>\n"
"   <ip address=\"10.0.0.50\"/>\n"
"  </resources>\n"
"  <service name=\"web\" domain=\"pref\" recovery=\"relocate\" "
"restart_expire_time=\"1h30m\" max_restarts=\"3\">\n"
"   <fs ref=\"data\" force_unmount=\"1\">\n"
"    <ip ref=\"10.0.0.50\"><script name=\"httpd\" "
"file=\"/etc/init.d/httpd\"/></ip>\n"
"   </fs>\n"
"  </service>\n"
"  <vm name=\"guest\" depend=\"service:web\" autostart=\"0\"/>\n"
" </rm>\n"
"</cluster>\n";

TEST(conf_load_cluster)
{
	struct conf_diags d = {0};
	struct xml_node *doc;
	struct conf *c = load(web, &d, &doc);

	if (!c)
		return;
	CHECK_INT(d.n, 0);
	CHECK_STR(c->name, "mycluster");
	CHECK_INT(c->config_version, 42);
	CHECK_INT(c->cman.cluster_id, 56756);
	CHECK_STR(c->cman.mcast, "239.192.221.146");
	CHECK_INT(c->cman.port, 6809);
	CHECK_INT(c->port_send, 6808);
	CHECK_INT(c->total_votes, 4);
	CHECK_INT(c->cman.expected_votes, 4);
	CHECK_INT(c->quorum, 3);
	CHECK_INT(c->totem.token, 0);		/* not given: the ring's */
	CHECK_INT(c->totem.consensus, 0);	/* defaults apply */
	CHECK_INT(c->totem.rrp_mode, 1);	/* altnames exist */
	CHECK(c->root && c->root->line == 2);
	conf_diags_free(&d);
	conf_free(c);
	xml_free(doc);
}

TEST(conf_load_nodes_and_fencing)
{
	struct xml_node *doc;
	struct conf *c = load(web, NULL, &doc);
	const struct conf_node *n;
	struct buf b = {0};

	if (!c)
		return;
	CHECK_INT(c->nnodes, 3);
	n = conf_node(c, "web1");
	CHECK(n && n == conf_nodeid(c, 1));
	CHECK(!conf_node(c, "web9") && !conf_nodeid(c, 9));
	CHECK_INT(n->votes, 2);
	CHECK_INT(n->naltnames, 1);
	CHECK_STR(n->altnames[0].name, "web1-b");
	CHECK_INT(n->altnames[0].port, 6811);
	CHECK_INT(n->nmethods, 2);
	CHECK_STR(n->methods[0].name, "power");
	CHECK_INT(n->methods[0].ndevs, 2);
	CHECK_STR(n->methods[1].devs[0].name, "human");
	CHECK(n->methods[0].devs[0].dev == conf_fencedev(c, "apc"));
	CHECK(n->methods[0].devs[1].dev == NULL);	/* apc2 undefined */
	CHECK_INT(n->x->line, 5);
	CHECK_INT(c->nodes[1].votes, 1);
	CHECK_INT(c->nodes[1].nunfence, 1);
	CHECK_STR(c->nodes[1].unfence[0].name, "apc");
	CHECK_INT(c->nodes[2].nmethods, 0);
	conf_fence_args(&n->methods[0].devs[0], "web1", &b);
	CHECK_STR(b.p, "port=1\nswitch=1\nagent=fence_apc\nipaddr=10.0.0.5\n"
		  "nodename=web1\n");
	buf_free(&b);
	conf_fence_args(&n->methods[0].devs[1], NULL, &b);
	CHECK_STR(b.p, "port=1\n");
	buf_free(&b);
	conf_free(c);
	xml_free(doc);
}

TEST(conf_load_rm)
{
	struct xml_node *doc;
	struct conf *c = load(web, NULL, &doc);
	const struct conf_service *s, *vm;
	const struct conf_res *fs, *ip, *script;

	if (!c)
		return;
	CHECK_INT(c->ndomains, 1);
	CHECK(c->domains[0].ordered && c->domains[0].restricted &&
	      !c->domains[0].nofailback);
	CHECK_INT(c->domains[0].nnodes, 2);
	CHECK_INT(c->domains[0].nodes[1].priority, 2);
	CHECK(c->domains[0].nodes[0].node == conf_node(c, "web2"));
	CHECK_INT(c->nservices, 2);
	s = conf_service(c, "web");
	vm = conf_service(c, "guest");
	CHECK(s && vm && !s->is_vm && vm->is_vm);
	CHECK(s->dom == &c->domains[0]);
	CHECK_INT(s->recovery, CONF_RELOCATE);
	CHECK_INT(s->restart_expire_time, 5400);
	CHECK_INT(s->max_restarts, 3);
	CHECK_INT(s->autostart, 1);
	CHECK_INT(vm->autostart, 0);
	CHECK(vm->dep == s);
	CHECK_STR(s->res->type->name, "service");
	fs = s->res->child;
	CHECK(fs && !fs->next && fs->depth == 1);
	CHECK_STR(fs->ref, "data");
	CHECK(fs->target == c->globals);
	CHECK_STR(conf_res_get(fs, "mountpoint"), "/srv");
	CHECK_STR(conf_res_get(fs, "force_unmount"), "1");
	CHECK_STR(conf_res_name(fs), "data");
	ip = fs->child;
	CHECK(ip && ip->parent == fs && ip->target == c->globals->next);
	CHECK_STR(conf_res_name(ip), "10.0.0.50");
	script = ip->child;
	CHECK(script && !script->ref && script->depth == 3);
	CHECK_STR(conf_res_name(script), "httpd");
	CHECK(conf_global(c, schema_find("ip"), "10.0.0.50") == ip->target);
	CHECK(!conf_global(c, schema_find("fs"), "10.0.0.50"));
	conf_free(c);
	xml_free(doc);
}

static int has(const struct conf_diags *d, const char *text)
{
	for (int i = 0; i < d->n; i++)
		if (strstr(d->v[i].text, text))
			return 1;
	return 0;
}

TEST(conf_load_defaults)
{
	static const char two[] =
		"<cluster name=\"test\" config_version=\"1\">"
		"<cman two_node=\"1\" expected_votes=\"1\"/>"
		"<quorumd label=\"q\" tko=\"9\"/>"
		"<clusternodes><clusternode name=\"a\" nodeid=\"1\"/>"
		"<clusternode name=\"b\" nodeid=\"2\"/></clusternodes>"
		"</cluster>";
	struct xml_node *doc;
	struct conf *c = load(two, NULL, &doc);

	if (!c)
		return;
	CHECK_STR(c->cman.mcast, "239.192.6.148");
	CHECK_INT(c->cman.port, 5405);
	CHECK_INT(c->port_send, 5404);
	CHECK_INT(c->cman.expected_votes, 1);
	CHECK_INT(c->quorum, 1);
	CHECK_INT(c->qdisk.votes, 1);
	CHECK_INT(c->qdisk.tko_up, 3);
	CHECK_INT(c->qdisk.master_wait, 4);
	CHECK_INT(c->totem.consensus, 0);	/* the ring derives it */
	CHECK_INT(c->totem.rrp_mode, 0);
	CHECK_INT(c->fenced.post_join_delay, 6);
	CHECK_INT(c->nodes[0].votes, 1);
	conf_free(c);
	xml_free(doc);
}

TEST(conf_load_overrides)
{
	static const char t[] =
		"<cluster name=\"test\" config_version=\"1\">"
		"<cman cluster_id=\"300\" expected_votes=\"5\">"
		"<multicast addr=\"239.1.2.3\"/></cman>"
		"<totem token=\"5000\" consensus=\"6000\" "
		"rrp_mode=\"passive\"/>"
		"<clusternodes><clusternode name=\"a\" nodeid=\"1\"/>"
		"</clusternodes></cluster>";
	struct xml_node *doc;
	struct conf *c = load(t, NULL, &doc);

	if (!c)
		return;
	CHECK_INT(c->cman.cluster_id, 300);
	CHECK_STR(c->cman.mcast, "239.1.2.3");
	CHECK_INT(c->cman.expected_votes, 5);
	CHECK_INT(c->quorum, 3);
	CHECK_INT(c->totem.consensus, 6000);
	CHECK_INT(c->totem.rrp_mode, 2);
	CHECK_INT(c->qdisk.votes, 0);
	conf_free(c);
	xml_free(doc);
}

TEST(conf_load_not_cluster)
{
	struct conf_diags d = {0};
	struct xml_node *doc;
	struct conf *c = load("<clusterx name=\"a\"/>", &d, &doc);

	if (!c)
		return;
	CHECK(!c->root && !c->name && c->nnodes == 0);
	CHECK_INT(d.errors, 1);
	CHECK(has(&d, "root element is <clusterx>, not <cluster>"));
	conf_diags_free(&d);
	conf_free(c);
	xml_free(doc);
}

static char *repeat(const char *head, const char *unit, int n,
		    const char *tail)
{
	struct buf b = {0};

	buf_puts(&b, head);
	for (int i = 0; i < n; i++)
		buf_printf(&b, unit, i + 1, i + 1);
	buf_puts(&b, tail);
	return b.p;
}

TEST(conf_load_limits)
{
	char *t = repeat("<cluster name=\"big\" config_version=\"1\">"
			 "<clusternodes>",
			 "<clusternode name=\"n%d\" nodeid=\"%d\"/>",
			 CONF_MAX_NODES + 5, "</clusternodes></cluster>");
	struct conf_diags d = {0};
	struct xml_node *doc;
	struct conf *c = load(t, &d, &doc);

	free(t);
	if (!c)
		return;
	CHECK_INT(c->nnodes, CONF_MAX_NODES);
	CHECK_INT(d.errors, 1);
	CHECK(has(&d, "more than 64 clusternodes"));
	conf_diags_free(&d);
	conf_free(c);
	xml_free(doc);
}

TEST(conf_load_depth)
{
	struct buf b = {0};
	struct conf_diags d = {0};
	struct xml_node *doc;
	struct conf *c;
	int deepest = 0;

	buf_puts(&b, "<cluster name=\"d\" config_version=\"1\"><rm>"
		 "<service name=\"s\">");
	for (int i = 0; i < CONF_MAX_DEPTH + 4; i++)
		buf_printf(&b, "<script name=\"s%d\" file=\"/f%d\">", i, i);
	for (int i = 0; i < CONF_MAX_DEPTH + 4; i++)
		buf_puts(&b, "</script>");
	buf_puts(&b, "</service></rm></cluster>");
	c = load(b.p, &d, &doc);
	buf_free(&b);
	if (!c)
		return;
	for (int i = 0; i < c->nres; i++)
		if (c->res_pool[i].depth > deepest)
			deepest = c->res_pool[i].depth;
	CHECK_INT(deepest, CONF_MAX_DEPTH);
	CHECK_INT(d.errors, 1);
	CHECK(has(&d, "more than 16 levels of nested resources"));
	conf_diags_free(&d);
	conf_free(c);
	xml_free(doc);
}

TEST(conf_load_keeps_unknown)
{
	static const char t[] =
		"<cluster name=\"k\" config_version=\"1\" colour=\"red\">"
		"<widget size=\"2\"/><clusternodes><clusternode name=\"a\" "
		"nodeid=\"1\" rack=\"7\"/></clusternodes></cluster>";
	struct conf_diags d = {0};
	struct xml_node *doc;
	struct conf *c = load(t, &d, &doc);

	if (!c)
		return;
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 3);
	CHECK(has(&d, "unknown attribute \"colour\" in <cluster>"));
	CHECK(has(&d, "unknown element <widget> in <cluster>"));
	CHECK_STR(xml_get(c->nodes[0].x, "rack"), "7");
	CHECK(xml_child(c->root, "widget") != NULL);
	conf_diags_free(&d);
	conf_free(c);
	xml_free(doc);
}

TEST(conf_read_file)
{
	char path[] = "/tmp/unit_conf.XXXXXX";
	int fd = mkstemp(path);
	struct conf_diags d = {0};
	struct conf *c;
	FILE *f;

	if (!unit_check(fd >= 0, __FILE__, __LINE__, "mkstemp"))
		return;
	f = fdopen(fd, "w");
	fputs(web, f);
	fclose(f);
	c = conf_read(path, &d);
	CHECK(c && c->nservices == 2 && d.n == 0);
	conf_free(c);
	f = fopen(path, "w");
	fputs("<cluster name=\"x\">\n<oops></cluster>\n", f);
	fclose(f);
	CHECK(conf_read(path, &d) == NULL);
	CHECK(d.errors == 1 && d.v[0].line == 2);
	unlink(path);
	CHECK(conf_read(path, NULL) == NULL);
	conf_diags_free(&d);
}
