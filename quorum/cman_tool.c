/* quorum/cman_tool.c - the applet: membership status from the daemon.
 *
 * Asks the daemon's control socket (verbs status, nodes, version; their
 * "key: value" replies are described in rm/verbs.c) and prints them in
 * cman_tool's exact layout (spec 5.3) or, with --json, as one object:
 *
 *   status --json  {"schema":1,"version":"6.2.0","config_version":N,
 *                   "cluster_name":S,"cluster_id":N,"cluster_member":B,
 *                   "cluster_generation":N,"membership_state":S,
 *                   "nodes":N,"expected_votes":N,
 *                   "quorum_device_votes":N|null,"total_votes":N,
 *                   "node_votes":N,"quorum":N,"quorate":B,
 *                   "activity_blocked":B,"wait_for_all":B,
 *                   "active_subsystems":N,"flags":[S],
 *                   "ports_bound":[N],"node_name":S,"node_id":N,
 *                   "multicast_addresses":[S],"node_addresses":[S]}
 *                  wait_for_all: quorum held back until all votes
 *                  were seen once
 *   nodes --json   {"schema":1,"nodes":[{"id":N,"name":S,"status":"M",
 *                   "member":B,"incarnation":N,"joined":N|null,
 *                   "addresses":[S]}]}      joined: unix seconds
 *                  with -f each node also has "fencing":{"pending":B,
 *                  "last_fenced":N|null,"by":S|null}
 *
 * expected, votes, leave and kill are verbs of the daemon that answer
 * once every member applied them; wait polls status; join runs
 * `hacluster daemon` with cman_tool's overrides.  As cman_tool, every
 * error is one line "cman_tool: ..." and exit 1; a wait that times out
 * exits 2. */
#include "../net/ctl.h"
#include "../net/sys.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NAMES 64

const char cman_tool_help[] =
"usage: cman_tool status|nodes|version|expected|votes|leave|kill|wait|join"
" [options]\n"
"  -a         nodes: also list each node's addresses\n"
"  -n NAME    nodes: only this node (repeatable); votes, kill: the node;\n"
"             join: this node's name\n"
"  -F FIELDS  nodes: only these fields, comma-separated: id,name,type,addr\n"
"  -f         nodes: when each node was last fenced, and by what\n"
"  -e VOTES   expected, join: expected votes\n"
"  -v VOTES   votes: the node's votes\n"
"  -q         wait, join: wait for quorum (not only membership)\n"
"  -w         join: wait until this node is a member\n"
"  -t SECS    wait, join, leave: give up after SECS (exit 2)\n"
"  -r VERSION version: spread this node's cluster.conf, which has VERSION\n"
"  -c NAME    join: the cluster's name (a node without cluster.conf\n"
"             fetches it from the members)\n"
"  --json     status, nodes: one JSON object (schema 1)\n"
"  -h         this help\n"
"leave [remove] [force]: remove lowers the others' expected votes.\n"
"Operations services and debug are not available.  Errors exit 1, as\n"
"cman_tool did; a timed-out wait exits 2.\n";

static struct {
	int addrs, fence, json, quorum, wait, timeout, remove, force;
	int starting;		/* join started the daemon */
	long expected, votes, reload;
	const char *fields, *conf;
	const char *names[MAX_NAMES];
	int nnames;
} O;

/* --- talking to the daemon ------------------------------------------------ */
/* Die on what ctl_call answered unless it is a reply without error. */
static void check(int rc, const struct ctl_reply *rep)
{
	if (rc == CTL_UNREACHABLE)
		die("Cannot open connection to cman, is it running ?");
	if (rc == CTL_BROKEN)
		die("no reply from cman within %d seconds",
		    CTL_TIMEOUT_MS / 1000);
	if (rep->code)
		die("%s", rep->err);
}

static void fetch(const char *verb, struct ctl_reply *rep)
{
	check(ctl_call(CTL_PATH, verb, 0, rep), rep);
}

static const char *get(const struct ctl_reply *rep, const char *key,
		       char *out, size_t len)
{
	return ctl_value(rep, key, out, len) ? out : "";
}

/* --- JSON ----------------------------------------------------------------- */
/* Words of s (blank- or comma-separated) as a JSON array of strings,
 * or of numbers as they are written. */
static void json_array(const char *s, int strings)
{
	char w[256];
	int first = 1;

	putchar('[');
	while (*s) {
		size_t n = strcspn(s, " ,");

		if (n && n < sizeof w && strncmp(s, "-", n)) {
			snprintf(w, sizeof w, "%.*s", (int)n, s);
			printf("%s", first ? "" : ",");
			if (strings)
				json_str(w);
			else
				printf("%s", w);
			first = 0;
		}
		s += n;
		s += strspn(s, " ,");
	}
	putchar(']');
}

/* --- status --------------------------------------------------------------- */
/* K_OPT, K_OPTSTR: a number or text shown only when present (JSON null); K_NOT: the
 * opposite of a yes/no; K_QUORUM, K_FLAGS, K_PORTS: a number, words,
 * numbers with cman's own layout; a field without label is JSON only. */
enum kind { K_STR, K_NUM, K_BOOL, K_NOT, K_LIST, K_OPT, K_QUORUM, K_FLAGS,
	    K_PORTS, K_OPTSTR };

static const struct field {
	const char *label, *key, *json;
	enum kind kind;
} status_fields[] = {
	{ "Version", "version", "version", K_STR },
	{ "Config Version", "config_version", "config_version", K_NUM },
	{ "Cluster Name", "cluster_name", "cluster_name", K_STR },
	{ "Cluster Id", "cluster_id", "cluster_id", K_NUM },
	{ "Cluster Member", "member", "cluster_member", K_BOOL },
	{ "Cluster Generation", "generation", "cluster_generation", K_NUM },
	{ "Membership state", "state", "membership_state", K_STR },
	{ "Nodes", "nodes", "nodes", K_NUM },
	{ "Expected votes", "expected_votes", "expected_votes", K_NUM },
	{ "Quorum device votes", "quorum_device_votes",
	  "quorum_device_votes", K_OPT },
	{ "Total votes", "total_votes", "total_votes", K_NUM },
	{ "Node votes", "node_votes", "node_votes", K_NUM },
	{ "Quorum", "quorum", "quorum", K_QUORUM },
	{ NULL, "quorate", "quorate", K_BOOL },
	{ NULL, "quorate", "activity_blocked", K_NOT },
	{ NULL, "wait_for_all", "wait_for_all", K_BOOL },
	{ "Active subsystems", "active_subsystems", "active_subsystems",
	  K_NUM },
	{ "Flags", "flags", "flags", K_FLAGS },
	{ "Ports Bound", "ports_bound", "ports_bound", K_PORTS },
	{ "Node name", "node_name", "node_name", K_STR },
	{ "Node ID", "node_id", "node_id", K_NUM },
	{ "Multicast addresses", "multicast", "multicast_addresses", K_LIST },
	{ "Node addresses", "node_addresses", "node_addresses", K_LIST },
	{ "Refused", "refused", "refused", K_OPTSTR },
};

static void json_value(const struct field *f, const char *s, int have)
{
	if (f->kind == K_NUM || f->kind == K_QUORUM || (f->kind == K_OPT &&
							  have))
		printf("%lld", strtoll(s, NULL, 10));
	else if (f->kind == K_OPT || (f->kind == K_OPTSTR && !have))
		printf("null");
	else if (f->kind == K_BOOL || f->kind == K_NOT)
		printf("%s", !strcmp(s, "yes") == (f->kind == K_BOOL) ?
		       "true" : "false");
	else if (f->kind == K_STR || f->kind == K_OPTSTR)
		json_str(s);
	else
		json_array(s, f->kind != K_PORTS);
}

static void status_json(const struct ctl_reply *rep)
{
	char v[512];

	printf("{\"schema\":1");
	for (size_t i = 0; i < ARRAY_LEN(status_fields); i++) {
		const struct field *f = &status_fields[i];
		int have = ctl_value(rep, f->key, v, sizeof v) != NULL;

		printf(",\"%s\":", f->json);
		json_value(f, have ? v : "", have);
	}
	printf("}\n");
}

/* One line of cman_tool status, in its layout (spec 5.3). */
static void status_line(const struct ctl_reply *rep, const struct field *f)
{
	char v[512], q[8];
	const char *s = get(rep, f->key, v, sizeof v);

	if (!f->label || ((f->kind == K_OPT || f->kind == K_OPTSTR) && !*s))
		return;
	if (f->kind == K_BOOL)
		s = strcmp(s, "yes") ? "No" : "Yes";
	printf("%s: %s", f->label, s);
	if (f->kind == K_QUORUM)
		printf(" %s", strcmp(get(rep, "quorate", q, sizeof q), "yes")
		       ? "Activity blocked" : " ");
	else if (f->kind == K_FLAGS && *s)
		printf(" ");
	else if (f->kind == K_PORTS)
		printf("  ");
	printf("\n");
}

static int op_status(void)
{
	struct ctl_reply rep;

	fetch("status", &rep);
	if (O.json)
		status_json(&rep);
	else
		for (size_t i = 0; i < ARRAY_LEN(status_fields); i++)
			status_line(&rep, &status_fields[i]);
	ctl_reply_free(&rep);
	return 0;
}

/* --- nodes ---------------------------------------------------------------- */
struct row {
	unsigned id;
	char sts;
	unsigned long long inc;
	long long joined;
	char name[256], addrs[512];
};

/* The next blank-separated word of *s into out (len bytes); 0 if none
 * or too long. */
static int word(const char **s, char *out, size_t len)
{
	size_t n;

	*s += strspn(*s, " ");
	n = strcspn(*s, " \n");
	if (!n || n >= len)
		return 0;
	memcpy(out, *s, n);
	out[n] = 0;
	*s += n;
	return 1;
}

/* "node: ID STS INC JOINED NAME ADDRS" (rm/verbs.c). */
static int parse_row(const char *line, struct row *r)
{
	char id[16], sts[4], inc[24], joined[24];
	const char *s = line + 5;

	if (strncmp(line, "node:", 5) || !word(&s, id, sizeof id) ||
	    !word(&s, sts, sizeof sts) || !word(&s, inc, sizeof inc) ||
	    !word(&s, joined, sizeof joined) ||
	    !word(&s, r->name, sizeof r->name) ||
	    !word(&s, r->addrs, sizeof r->addrs))
		return 0;
	r->id = (unsigned)strtoul(id, NULL, 10);
	r->sts = sts[0];
	r->inc = strtoull(inc, NULL, 10);
	r->joined = strtoll(joined, NULL, 10);
	return 1;
}

static int short_eq(const char *a, const char *b)
{
	size_t n = strcspn(a, ".");

	return n == strcspn(b, ".") && !strncmp(a, b, n);
}

static int wanted(const struct row *r)
{
	if (!O.nnames)
		return 1;
	for (int i = 0; i < O.nnames; i++)
		if (!strcmp(O.names[i], r->name) ||
		    short_eq(O.names[i], r->name))
			return 1;
	return 0;
}

/* "YYYY-MM-DD HH:MM:SS" local time, or 19 blanks when not a member. */
/* Local time as cman_tool printed it; 19 blanks for none. */
static void time_text(long long when, char out[32])
{
	time_t t = (time_t)when;
	struct tm tm;

	if (!when || !localtime_r(&t, &tm))
		snprintf(out, 32, "%19s", "");
	else
		snprintf(out, 32, "%04u-%02u-%02u %02u:%02u:%02u",
			 (unsigned)(tm.tm_year + 1900) % 10000u,
			 (unsigned)(tm.tm_mon + 1) % 100u,
			 (unsigned)tm.tm_mday % 100u,
			 (unsigned)tm.tm_hour % 100u,
			 (unsigned)tm.tm_min % 100u,
			 (unsigned)tm.tm_sec % 100u);
}

static void joined_text(const struct row *r, char out[32])
{
	time_text(r->sts == 'M' ? r->joined : 0, out);
}

/* -f: the fence domain's "fence: ID PENDING AT BY" lines. */
static struct ctl_reply fencing;

struct fenced {
	int pending;
	long long at;		/* 0: never fenced */
	char by[64];
};

/* What the domain knows of node id; 0 when nothing. */
static int fencing_of(unsigned id, struct fenced *f)
{
	const char *l = fencing.lines.p;
	char key[24];

	snprintf(key, sizeof key, "fence: %u ", id);
	for (; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
		if (!strncmp(l, key, strlen(key)) &&
		    sscanf(l + strlen(key), "%d %lld %63s", &f->pending,
			   &f->at, f->by) == 3)
			return 1;
	return 0;
}

static void print_fencing(unsigned id)
{
	struct fenced f;
	char when[32];

	if (!fencing_of(id, &f))
		return;
	time_text(f.at, when);
	if (f.at)
		printf("       Last fenced:   %s by %s\n", when, f.by);
	if (f.pending)
		printf("       Node has not been fenced since it went down\n");
}

static void json_fencing(unsigned id)
{
	struct fenced f = { 0, 0, "" };

	fencing_of(id, &f);
	printf(",\"fencing\":{\"pending\":%s,\"last_fenced\":",
	       f.pending ? "true" : "false");
	if (f.at) {
		printf("%lld,\"by\":", f.at);
		json_str(f.by);
	} else {
		printf("null,\"by\":null");
	}
	printf("}");
}

static void addr_list(const struct row *r, const char *sep,
		      const char *after)
{
	const char *s = r->addrs;

	if (!strcmp(s, "-"))
		return;
	while (*s) {
		size_t n = strcspn(s, ",");

		printf("%.*s%s", (int)n, s, s[n] ? sep : after);
		s += n + (s[n] == ',');
	}
}

static void print_row(const struct row *r)
{
	char when[32];

	joined_text(r, when);
	printf("%4u   %c  %5llu   %s  %s\n", r->id, r->sts, r->inc, when,
	       r->name);
	if (O.fence)
		print_fencing(r->id);
	if (O.addrs) {
		printf("       Addresses: ");
		addr_list(r, " ", " ");
		printf("\n");
	}
}

/* -F: the fields asked for, one space apart. */
static void print_fields(const struct row *r)
{
	char f[64];
	const char *s = O.fields;

	for (int first = 1; *s; first = 0) {
		size_t n = strcspn(s, ",");

		snprintf(f, sizeof f, "%.*s", (int)n, s);
		printf("%s", first ? "" : " ");
		if (!strcmp(f, "id"))
			printf("%u", r->id);
		else if (!strcmp(f, "name"))
			printf("%s", r->name);
		else if (!strcmp(f, "type"))
			printf("%c", r->sts);
		else if (!strcmp(f, "addr"))
			addr_list(r, ",", "");
		s += n + (s[n] == ',');
	}
	printf("\n");
}

static void check_fields(void)
{
	static const char *const ok[] = { "id", "name", "type", "addr" };
	const char *s = O.fields;

	while (s && *s) {
		size_t n = strcspn(s, ","), i;

		for (i = 0; i < ARRAY_LEN(ok); i++)
			if (strlen(ok[i]) == n && !strncmp(ok[i], s, n))
				break;
		if (i == ARRAY_LEN(ok))
			die("unknown field '%.*s' (id, name, type, addr)",
			    (int)n, s);
		s += n + (s[n] == ',');
	}
}

static void row_json(const struct row *r, int first)
{
	printf("%s{\"id\":%u,\"name\":", first ? "" : ",", r->id);
	json_str(r->name);
	printf(",\"status\":\"%c\",\"member\":%s,\"incarnation\":%llu,"
	       "\"joined\":", r->sts, r->sts == 'M' ? "true" : "false",
	       r->inc);
	if (r->sts == 'M' && r->joined)
		printf("%lld", r->joined);
	else
		printf("null");
	printf(",\"addresses\":");
	json_array(r->addrs, 1);
	if (O.fence)
		json_fencing(r->id);
	printf("}");
}

static void each_row(const struct ctl_reply *rep)
{
	const char *l = rep->lines.p;
	int n = 0;

	if (!O.json && !O.fields)
		printf("Node  Sts   Inc   Joined               Name\n");
	if (O.json)
		printf("{\"schema\":1,\"nodes\":[");
	for (; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
		struct row r;

		if (!parse_row(l, &r) || !wanted(&r))
			continue;
		if (O.json)
			row_json(&r, !n);
		else if (O.fields)
			print_fields(&r);
		else
			print_row(&r);
		n++;
	}
	if (O.json)
		printf("]}\n");
}

static int op_nodes(void)
{
	struct ctl_reply rep;

	check_fields();
	fetch("nodes", &rep);
	if (O.fence)
		fetch("fencing", &fencing);
	each_row(&rep);
	ctl_reply_free(&rep);
	return 0;
}

/* --- version -------------------------------------------------------------- */
static int change(const char *request);

/* version -r N: every member takes this node's file, which has N. */
static int op_version(void)
{
	struct ctl_reply rep;
	char v[64], cv[32];

	if (O.reload >= 0) {
		snprintf(v, sizeof v, "reload %ld", O.reload);
		return change(v);
	}
	fetch("version", &rep);
	printf("%s config %s\n", get(&rep, "version", v, sizeof v),
	       get(&rep, "config_version", cv, sizeof cv));
	ctl_reply_free(&rep);
	return 0;
}

/* --- changes: answered once every member applied them --------------------- */
static int change(const char *request)
{
	struct ctl_reply rep;

	fetch(request, &rep);
	ctl_reply_free(&rep);
	return 0;
}

static int op_expected(void)
{
	char req[64];

	if (O.expected < 0)
		die("No expected votes value specified");
	snprintf(req, sizeof req, "expected %ld", O.expected);
	return change(req);
}

static int op_votes(void)
{
	char req[320];

	if (O.votes < 0)
		die("No votes value specified");
	snprintf(req, sizeof req, "votes %ld%s%.255s", O.votes,
		 O.nnames ? " " : "", O.nnames ? O.names[0] : "");
	return change(req);
}

/* Each node named; one that cannot be killed is reported as cman_tool
 * did (without the prefix) and the others still are. */
static int op_kill(void)
{
	int failed = 0;

	if (!O.nnames)
		die("No node name specified");
	for (int i = 0; i < O.nnames; i++) {
		struct ctl_reply rep;
		char req[300];
		int rc;

		snprintf(req, sizeof req, "kill %.255s", O.names[i]);
		rc = ctl_call(CTL_PATH, req, 0, &rep);
		if (rc == CTL_UNREACHABLE)
			die("Cannot open connection to cman, is it running ?");
		if (rc == 0 && rep.code) {
			fprintf(stderr, "%s\n", rep.err);
			failed = 1;
		}
		ctl_reply_free(&rep);
	}
	return failed;
}

/* --- waiting -------------------------------------------------------------- */
#define POLL_MS 100

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Poll until done() holds (1) or -t passes (0); no -t: forever, as
 * cman_tool wait did. */
static int wait_until(int (*done)(void))
{
	long polls = (long)O.timeout * (1000 / POLL_MS);

	for (long i = 0; !O.timeout || i <= polls; i++) {
		if (done())
			return 1;
		pause_ms(POLL_MS);
	}
	return 0;
}

/* Member (and quorate, with -q) yet?  A connection the daemon broke off
 * means "not yet": a guest re-executes itself once it has the file; so
 * does an unreachable daemon while join has just started it. */
static int joined(void)
{
	struct ctl_reply rep;
	char m[8], q[8];
	int ok, rc = ctl_call(CTL_PATH, "status", 0, &rep);

	if (rc == CTL_BROKEN || (rc == CTL_UNREACHABLE && O.starting)) {
		ctl_reply_free(&rep);
		return 0;
	}
	check(rc, &rep);
	ok = !strcmp(get(&rep, "member", m, sizeof m), "yes") &&
	     (!O.quorum || !strcmp(get(&rep, "quorate", q, sizeof q),
				   "yes"));
	ctl_reply_free(&rep);
	return ok;
}

static int op_wait(void)
{
	if (!wait_until(joined)) {
		warn_msg("Timed-out waiting for cluster");
		return 2;
	}
	return 0;
}

static int stopped(void)
{
	return !ctl_running(CTL_PATH);
}

/* Returns once the daemon has left and stopped. */
static int op_leave(void)
{
	char req[32];

	snprintf(req, sizeof req, "leave%s%s", O.remove ? " remove" : "",
		 O.force ? " force" : "");
	change(req);
	if (!O.timeout)
		O.timeout = 30;
	if (!wait_until(stopped)) {
		warn_msg("Timed-out waiting for the daemon to stop");
		return 2;
	}
	return 0;
}

/* --- join: the daemon with cman_tool's overrides -------------------------- */
static int run_daemon(void)
{
	char e[24];
	const char *av[12];
	int n = 0, status;
	pid_t pid;

	av[n++] = "hacluster";
	av[n++] = "daemon";
	if (O.conf)
		av[n++] = "--cluster", av[n++] = O.conf;
	if (O.nnames)
		av[n++] = "-n", av[n++] = O.names[0];
	if (O.expected >= 0) {
		snprintf(e, sizeof e, "%ld", O.expected);
		av[n++] = "-e", av[n++] = e;
	}
	av[n] = NULL;
	fflush(stdout);
	if ((pid = fork()) < 0)
		die_sys("fork");
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(1);
		execv("/proc/self/exe", (char **)av);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_sys("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int op_join(void)
{
	int rc = run_daemon();

	if (rc)
		return 1;
	O.starting = 1;
	if ((O.wait || O.quorum) && !wait_until(joined)) {
		warn_msg("Timed-out waiting for cluster");
		return 2;
	}
	return 0;
}

/* --- the operations ------------------------------------------------------- */
static const struct op {
	const char *name;
	int (*fn)(void);
} ops[] = {
	{ "join", op_join }, { "leave", op_leave }, { "kill", op_kill },
	{ "expected", op_expected }, { "votes", op_votes },
	{ "version", op_version }, { "wait", op_wait },
	{ "status", op_status }, { "nodes", op_nodes },
	{ "services", NULL }, { "debug", NULL },
};

static const struct op *find_op(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(ops); i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

/* cman_tool's integer check: "argument to e (x) is not an integer". */
static long int_arg(int opt, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end)
		die("argument to %c (%s) is not an integer", opt, arg);
	if (v < 0)
		die("argument to %c cannot be negative", opt);
	return v;
}

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, 'j' }, { 0, 0, 0, 0 } };
	int opt;

	O.expected = O.votes = O.reload = -1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":an:F:fe:v:qwt:c:r:h", longs,
				  NULL)) != -1)
		switch (opt) {
		case 'a': O.addrs = 1; break;
		case 'n':
			if (O.nnames == MAX_NAMES)
				die("too many -n options");
			O.names[O.nnames++] = optarg;
			break;
		case 'F': O.fields = optarg; break;
		case 'f': O.fence = 1; break;
		case 'e': O.expected = int_arg(opt, optarg); break;
		case 'v': O.votes = int_arg(opt, optarg); break;
		case 'q': O.quorum = 1; break;
		case 'w': O.wait = 1; break;
		case 't': O.timeout = (int)(int_arg(opt, optarg) % 1000000);
			  break;
		case 'c': O.conf = optarg; break;
		case 'r': O.reload = int_arg(opt, optarg); break;
		case 'j': O.json = 1; break;
		case 'h': fputs(cman_tool_help, stdout); exit(0);
		case ':': die("option -%c needs an argument", optopt);
		default:
			if (optopt)
				die("unknown option -%c", optopt);
			die("unknown option %s", argv[optind - 1]);
		}
}

/* leave's words */
static int leave_word(const struct op *op, const char *w)
{
	if (!op || op->fn != op_leave)
		return 0;
	if (!strcmp(w, "remove"))
		return O.remove = 1;
	if (!strcmp(w, "force"))
		return O.force = 1;
	return 0;
}

int cman_tool_main(int argc, char **argv)
{
	const struct op *op = NULL;

	parse(argc, argv);
	for (int i = optind; i < argc; i++) {
		const struct op *o = find_op(argv[i]);

		if (!o && leave_word(op, argv[i]))
			continue;
		if (o && op)
			die("can't specify two operations");
		if (!o && !op)
			die("unknown command %s (cman_tool -h lists them)",
			    argv[i]);
		if (!o && op->fn)
			die("%s: unexpected argument '%s'", op->name, argv[i]);
		op = o ? o : op;
	}
	if (!op)
		die("no operation specified");
	if (!op->fn)
		die("%s is not available", op->name);
	return op->fn();
}
