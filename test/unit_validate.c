/* test/unit_validate.c - every check of validate.c, with its exact
 * message, position and order. */
#include "unit.h"
#include "../xml/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The agents the fixtures name, on PATH: the validator warns about an
 * agent this node lacks (that warning has its own test). */
__attribute__((constructor)) static void stub_agents(void)
{
	static char dir[] = "/tmp/unit-validate.XXXXXX";
	const char *path = getenv("PATH");
	char *p;

	if (!mkdtemp(dir))
		return;
	for (const char *const *a = (const char *const[]){ "fence_x",
	     "fence_y", NULL }; *a; a++) {
		p = xasprintf("%s/%s", dir, *a);
		replace_file(p, "#!/bin/sh\nexit 1\n", 17, 0755, NULL);
		free(p);
	}
	p = xasprintf("%s:%s", dir, path ? path : "/bin");
	setenv("PATH", p, 1);
	free(p);
}

/* The stubs go when the run ends. */
__attribute__((destructor)) static void stub_agents_gone(void)
{
	const char *path = getenv("PATH");
	char *dir = path ? xstrndup(path, strcspn(path, ":")) : NULL;
	char *cmd;

	if (!dir || strncmp(dir, "/tmp/unit-validate.", 19))
		return free(dir);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "unit_validate: could not remove %s\n", dir);
	free(cmd);
	free(dir);
}

/* Validate text as file "c.conf"; returns the messages (to free). */
static char *check(const char *text, int *errors, int *warnings)
{
	struct xml_err e;
	struct xml_node *doc = xml_parse(text, strlen(text), &e);
	struct buf out = {0};

	*errors = *warnings = -1;
	if (!unit_check(doc != NULL, __FILE__, __LINE__, "parse: %d:%d %s",
			e.line, e.col, e.msg))
		return NULL;
	*errors = validate_doc(doc, "c.conf", &out, warnings);
	xml_free(doc);
	return out.p ? out.p : calloc(1, 1);
}

/* The messages for text must be exactly want, with these counts. */
#define EXPECT(text, nerr, nwarn, want) do { int e_, w_; \
	char *got_ = check(text, &e_, &w_); \
	CHECK_STR(got_, want); CHECK_INT(e_, nerr); CHECK_INT(w_, nwarn); \
	free(got_); } while (0)

#define HEAD "<cluster name=\"c\" config_version=\"1\">\n"
#define FENCE "<fence><method name=\"m\"><device name=\"f\"/></method>" \
	"</fence>"
#define NODE(n, id) "<clusternode name=\"" n "\" nodeid=\"" id "\">" \
	FENCE "</clusternode>\n"
#define NODES "<clusternodes>\n" NODE("a", "1") NODE("b", "2") \
	NODE("c", "3") "</clusternodes>\n"
#define FDEVS "<fencedevices><fencedevice name=\"f\" agent=\"fence_x\"/>" \
	"</fencedevices>\n"
#define OK HEAD NODES FDEVS

TEST(validate_clean)
{
	EXPECT(OK "</cluster>", 0, 0, "");
	EXPECT(OK "<rm><service name=\"s\"/></rm></cluster>", 0, 0, "");
}

TEST(validate_cluster)
{
	EXPECT("<cluster>\n" NODES FDEVS "</cluster>", 2, 0,
	       "c.conf:1:1: error: <cluster> is missing required attribute "
	       "\"name\"\n"
	       "c.conf:1:1: error: <cluster> is missing required attribute "
	       "\"config_version\"\n");
	EXPECT("<cluster name=\"abcdefghijklmnopq\" config_version=\"x\">"
	       NODES FDEVS "</cluster>", 2, 0,
	       "c.conf:1:10: error: cluster name \"abcdefghijklmnopq\" is "
	       "longer than 16 characters\n"
	       "c.conf:1:35: error: config_version=\"x\": not a positive "
	       "integer\n");
	EXPECT("<cluster name=\"abcdefghijklmnop\" config_version=\"-4\">"
	       NODES FDEVS "</cluster>", 1, 0,
	       "c.conf:1:34: error: config_version=\"-4\": not a positive "
	       "integer\n");
	EXPECT("<cman/>", 1, 0,
	       "c.conf:1:1: error: root element is <cman>, not <cluster>\n");
	EXPECT(HEAD "</cluster>", 0, 1,
	       "c.conf:1:1: warning: no <clusternode> defined\n");
}

TEST(validate_nodes)
{
	EXPECT(HEAD "<clusternodes>\n" NODE("a", "1") NODE("a", "2")
	       NODE("b", "1") "<clusternode name=\"d\">" FENCE
	       "</clusternode>\n" NODE("e", "0") NODE("f", "4097")
	       "<clusternode name=\"g\" nodeid=\"7\" votes=\"-1\"/>\n"
	       "</clusternodes>\n" FDEVS "</cluster>", 6, 1,
	       "c.conf:4:14: error: duplicate node name \"a\" (first at "
	       "line 3)\n"
	       "c.conf:5:23: error: nodeid 1 of b is already used by a "
	       "(line 3)\n"
	       "c.conf:6:1: error: No node ID for d, run 'ccs_tool "
	       "addnodeids' to fix\n"
	       "c.conf:7:23: error: nodeid=\"0\": not an integer in "
	       "1..4096\n"
	       "c.conf:8:23: error: nodeid=\"4097\": not an integer in "
	       "1..4096\n"
	       "c.conf:9:1: warning: node g has no fence method: it cannot "
	       "be fenced\n"
	       "c.conf:9:34: error: votes=\"-1\": not an integer in 0..255\n");
}

TEST(validate_two_node)
{
	EXPECT(HEAD "<cman two_node=\"1\" expected_votes=\"1\"/>\n" NODES
	       FDEVS "</cluster>", 1, 0,
	       "c.conf:2:7: error: two_node set but there are more than 2 "
	       "nodes\n");
	EXPECT(HEAD "<cman two_node=\"1\" expected_votes=\"2\"/>\n"
	       "<clusternodes>\n" NODE("a", "1")
	       "<clusternode name=\"b\" nodeid=\"2\" votes=\"2\">" FENCE
	       "</clusternode>\n</clusternodes>\n" FDEVS "</cluster>", 1, 1,
	       "c.conf:2:20: warning: two_node set but expected_votes is 2, "
	       "not 1\n"
	       "c.conf:5:34: error: two_node set but votes not set to 1\n");
	EXPECT(HEAD "<cman two_node=\"1\"/>\n<clusternodes>\n"
	       NODE("a", "1") "</clusternodes>\n" FDEVS "</cluster>", 0, 1,
	       "c.conf:2:7: warning: two_node set but there are fewer than "
	       "2 nodes\n");
}

TEST(validate_fencing)
{
	EXPECT(HEAD "<clusternodes>\n<clusternode name=\"a\" nodeid=\"1\">"
	       "<fence><method name=\"m\"><device name=\"g\"/></method>"
	       "</fence></clusternode>\n</clusternodes>\n<fencedevices>\n"
	       "<fencedevice name=\"f\" agent=\"fence_x\"/>\n"
	       "<fencedevice name=\"f\" agent=\"fence_y\"/>\n"
	       "<fencedevice name=\"h\" passwd=\"a&#10;b\"/>\n"
	       "</fencedevices>\n</cluster>", 4, 0,
	       "c.conf:3:66: error: fence device \"g\" is not defined in "
	       "<fencedevices>\n"
	       "c.conf:7:14: error: duplicate fence device \"f\" (first at "
	       "line 6)\n"
	       "c.conf:8:1: error: fence device \"h\" has no agent\n"
	       "c.conf:8:23: error: passwd: a fence argument cannot hold a "
	       "newline\n");
}

TEST(validate_qdisk)
{
	EXPECT(OK "<quorumd votes=\"256\" min_score=\"4\" scheduler=\"x\">\n"
	       "<heuristic program=\"true\" score=\"2\"/>\n"
	       "<heuristic score=\"1\" tko=\"0\"/>\n</quorumd></cluster>",
	       6, 0,
	       "c.conf:8:1: error: <quorumd> needs a device or a label\n"
	       "c.conf:8:10: error: votes=\"256\": not an integer in 0..255\n"
	       "c.conf:8:22: error: min_score 4 is more than the heuristics "
	       "can score (3)\n"
	       "c.conf:8:36: error: scheduler=\"x\": not one of rr, fifo, "
	       "other\n"
	       "c.conf:10:1: error: <heuristic> is missing required "
	       "attribute \"program\"\n"
	       "c.conf:10:22: error: tko=\"0\": not a positive integer\n");
}

TEST(validate_totem_cman)
{
	EXPECT(OK "<totem join=\"900\" consensus=\"800\" frob=\"1\"/>\n"
	       "<cman port=\"1\"><multicast addr=\"10.1.1.1\"/></cman>\n"
	       "</cluster>", 3, 0,
	       "c.conf:8:19: error: totem consensus 800 is less than join "
	       "900\n"
	       "c.conf:9:7: error: port=\"1\": not an integer in 2..65535\n"
	       "c.conf:9:27: error: addr=\"10.1.1.1\": not a multicast "
	       "address\n");
	EXPECT(OK "<cman><multicast addr=\"ff15::1\"/></cman></cluster>",
	       0, 0, "");
}

TEST(validate_domains)
{
	EXPECT(OK "<rm><failoverdomains>\n"
	       "<failoverdomain name=\"d\" ordered=\"maybe\">\n"
	       "<failoverdomainnode name=\"a\" priority=\"101\"/>\n"
	       "<failoverdomainnode name=\"z\" priority=\"1\"/>\n"
	       "</failoverdomain>\n<failoverdomain name=\"d\"/>\n"
	       "</failoverdomains></rm></cluster>", 3, 2,
	       "c.conf:9:26: error: ordered=\"maybe\": not a boolean (yes, "
	       "no, on, off, true, false or a number)\n"
	       "c.conf:10:30: error: priority=\"101\": not an integer in "
	       "1..100\n"
	       "c.conf:11:21: warning: failover domain \"d\": \"z\" is not a "
	       "cluster node; no service runs there\n"
	       "c.conf:13:1: warning: failover domain \"d\" has no nodes\n"
	       "c.conf:13:17: error: duplicate failover domain \"d\" (first "
	       "at line 9)\n");
}

TEST(validate_services)
{
	EXPECT(OK "<rm>\n"
	       "<service name=\"s\" domain=\"nod\" recovery=\"reboot\" "
	       "depend=\"service:t\"/>\n"
	       "<vm name=\"s\" autostart=\"yes\" migrate=\"x\"/>\n"
	       "<service name=\"u\" depend=\"vm:u2\" max_restarts=\"-1\" "
	       "restart_expire_time=\"5q\"/>\n"
	       "<service name=\"u2\" depend=\"service:u2\"/>\n"
	       "<vm name=\"v\" depend=\"service:s\" depend_mode=\"soft\" "
	       "nfslock=\"1\"/>\n"
	       "</rm></cluster>", 8, 2,
	       "c.conf:9:19: warning: failover domain \"nod\" does not exist; "
	       "service \"s\" runs as if it had none\n"
	       "c.conf:9:32: error: recovery=\"reboot\": not one of "
	       "restart, relocate, disable, restart-disable\n"
	       "c.conf:9:50: error: depend=\"service:t\": no such service\n"
	       "c.conf:10:5: error: duplicate service or vm name \"s\" "
	       "(first at line 9)\n"
	       "c.conf:10:30: error: migrate=\"x\": not one of live, pause\n"
	       "c.conf:11:19: error: depend=\"vm:u2\": no such service\n"
	       "c.conf:11:34: error: max_restarts=\"-1\": not a "
	       "non-negative integer\n"
	       "c.conf:11:52: error: restart_expire_time=\"5q\": not a time "
	       "(seconds, or like 30s, 5m, 1h30m)\n"
	       "c.conf:12:20: error: service \"u2\" depends on itself\n"
	       "c.conf:13:52: warning: unknown attribute \"nfslock\" in "
	       "<vm>\n");
}

TEST(validate_resources)
{
	EXPECT(OK "<rm><resources>\n"
	       "<ip address=\"10.0.0.1/24\"/>\n"
	       "<ip address=\"10.0.0.1/24\" monitor_link=\"sometimes\"/>\n"
	       "<ip address=\"10.0.0.1/33\"/>\n"
	       "<fs name=\"x\" device=\"/dev/a\"/>\n"
	       "<fs name=\"x\" device=\"/dev/b\" mountpoint=\"/b\"/>\n"
	       "<script name=\"sc\" file=\"/s\"/><webd name=\"w\"/>\n"
	       "</resources>\n<service name=\"s\">\n"
	       "<ip ref=\"10.0.0.9\"/><script ref=\"sc\" x=\"1\"/>\n"
	       "<fs name=\"y\" device=\"/dev/a\" mountpoint=\"/c\">"
	       "<nfsexport name=\"e\"><nfsclient ref=\"nope\"/></nfsexport>"
	       "</fs>\n<service name=\"in\"/>\n"
	       "<action name=\"status\" interval=\"1x\"/>\n"
	       "</service></rm></cluster>", 10, 2,
	       "c.conf:10:5: error: ip address \"10.0.0.1/24\" is already "
	       "used (line 9)\n"
	       "c.conf:10:27: error: monitor_link=\"sometimes\": not a "
	       "boolean (yes, no, on, off, true, false or a number)\n"
	       "c.conf:11:5: error: address=\"10.0.0.1/33\": not an IP "
	       "address (a.b.c.d[/prefix])\n"
	       "c.conf:12:1: error: <fs> is missing required attribute "
	       "\"mountpoint\"\n"
	       "c.conf:13:5: error: fs name \"x\" is already used (line 12)\n"
	       "c.conf:14:30: warning: unknown resource type <webd>: no agent "
	       "/usr/share/cluster/webd.sh or OCF agent resource.d/*/webd on "
	       "this node\n"
	       "c.conf:17:5: error: <ip ref=\"10.0.0.9\">: no such resource "
	       "in <resources>\n"
	       "c.conf:17:38: warning: unknown attribute \"x\" in <script>\n"
	       "c.conf:18:14: error: fs device \"/dev/a\" is already used "
	       "(line 12)\n"
	       "c.conf:18:77: error: <nfsclient ref=\"nope\">: no such "
	       "resource in <resources>\n"
	       "c.conf:19:1: error: <service> cannot be used as a resource\n"
	       "c.conf:20:23: error: interval=\"1x\": not a time (seconds, "
	       "or like 30s, 5m, 1h30m)\n");
}

TEST(validate_unknown_and_twice)
{
	EXPECT(OK "<cman/>\n<cman two_node=\"1\"/>\n<rm><resources/>"
	       "<resources/><gizmo/></rm>\n<logging debug=\"loud\"/>\n"
	       "<dlm anything=\"goes\"><x/></dlm>\n</cluster>", 3, 1,
	       "c.conf:9:1: error: <cman> given twice (first at line 8)\n"
	       "c.conf:10:17: error: <resources> given twice (first at line "
	       "10)\n"
	       "c.conf:10:29: warning: unknown element <gizmo> in <rm>\n"
	       "c.conf:11:10: error: debug=\"loud\": not one of off, on\n");
}

TEST(validate_file_errors)
{
	char path[] = "/tmp/unit_validate.XXXXXX";
	int fd = mkstemp(path), w = -1;
	struct buf out = {0};
	char *want;
	FILE *f;

	if (!unit_check(fd >= 0, __FILE__, __LINE__, "mkstemp"))
		return;
	f = fdopen(fd, "w");
	fputs("<cluster name=\"x\" config_version=\"1\">\n  <rm>\n"
	      "</cluster>\n", f);
	fclose(f);
	CHECK_INT(validate_file(path, &out, &w), 1);
	CHECK_INT(w, 0);
	want = xasprintf("%s:3:", path);
	CHECK(out.p && !strncmp(out.p, want, strlen(want)) &&
	      strstr(out.p, ": error: "));
	free(want);
	buf_free(&out);
	unlink(path);
	CHECK_INT(validate_file(path, &out, &w), 1);
	want = xasprintf("%s: error: cannot read: No such file or directory\n",
			 path);
	CHECK_STR(out.p, want);
	free(want);
	buf_free(&out);
}

TEST(validate_leaves_tree_alone)
{
	static const char t[] = OK "<rm><resources><ip address=\"1.2.3.4\"/>"
		"</resources><service name=\"s\"><ip ref=\"1.2.3.4\"/>"
		"</service></rm></cluster>";
	struct xml_node *a = xml_parse(t, strlen(t), NULL);
	struct xml_node *b = xml_parse(t, strlen(t), NULL);
	struct buf out = {0};

	if (!unit_check(a && b, __FILE__, __LINE__, "parse"))
		return;
	CHECK_INT(validate_doc(a, "t", &out, NULL), 0);
	CHECK(xml_equal(a, b));
	CHECK(out.p == NULL || !*out.p);
	buf_free(&out);
	xml_free(a);
	xml_free(b);
}

TEST(validate_one_line_per_problem)
{
	EXPECT(OK "<cman port=\"1&#10;2\"/></cluster>", 1, 0,
	       "c.conf:8:7: error: port=\"1 2\": not an integer in "
	       "2..65535\n");
}
