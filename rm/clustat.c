/* rm/clustat.c - the applet: cluster, member and service status in
 * clustat's layouts (spec 5.1), from the daemon's status, nodes,
 * services and fencing (rm/fenced.c) verbs.
 *
 *   clustat [-l] [-m MEMBER] [-s SERVICE] [-Q] [-x] [-I] [-v]
 *           [-i SECONDS] [--json]
 *
 * Every member runs the whole daemon, so an online member is
 * "Online, rgmanager".  A node the fence domain must still fence (it
 * died; no agent nor fence_ack_manual confirmed it yet; its services
 * wait) adds ", Fencing" to its status (RHCS's clustat showed no fencing
 * state, only cman_tool nodes -f did: the wording is ours), and
 * fence_pending="1" to its <node> in -x (absent otherwise, as in RHCS).
 *
 * -i N clears the screen (ESC[H ESC[2J, terminfo's clear for xterm and
 * linux, which RHCS sent through tputs) and prints the same report every
 * N seconds until SIGINT or SIGTERM; as in RHCS N <= 0 means 1, and -x
 * (here --json too) with -i is refused, exit 1; not a number: exit 2.
 *
 * --json: one object; -m and -s keep their exit codes and filter the
 * "members" or the "services" array.  Times are unix seconds; owners
 * null for none; services null when unavailable (no quorum or answer).
 *   {"schema":1,"cluster":{"name":S,"id":N,"generation":N,"quorate":B,
 *    "local_id":N},"members":[{"name":S,"id":N,"status":"online"|
 *    "offline","local":B,"rgmanager":B,"fencing":{"pending":B,
 *    "last_fenced":N|null,"by":S|null}}],"services":[{"name":S,"state":S,
 *    "state_code":N,"owner":S|null,"last_owner":S|null,"restarts":N,
 *    "frozen":B,"last_transition":N}]|null} */
#include "svc_state.h"

#include "../net/ctl.h"
#include "../net/sys.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char clustat_help[] =
"usage: clustat [-l] [-m MEMBER] [-s SERVICE] [-Q] [-x] [-I] [-v]\n"
"               [-i SECONDS] [--json]\n"
"  -l          long service information\n"
"  -m MEMBER   that member only; exit 0 if it is online, else 1\n"
"  -s SERVICE  that service only (service: added when no ':'); exit 0\n"
"              if it runs, else its state code, 255 when unknown\n"
"  -Q          nothing printed; exit 0 if quorate, else 1\n"
"  -x          XML\n"
"  -I          this node's id, as 0x%08x\n"
"  -v          the version\n"
"  -i SECONDS  clear the screen and show it all again every SECONDS\n"
"  -h          this help\n"
"  --json      one JSON object (schema 1)\n";

#define MAXN	64		/* CONF_MAX_NODES */
#define MAXS	1024		/* ST_MAX */

struct member {
	unsigned id;
	char sts, name[128], by[64];
	int pending;
	long long fenced_at;
};
struct service {
	char name[80], state[20];
	unsigned owner, last;
	int restarts, frozen;
	long long when;
};

static struct {
	char cluster[64], quorate[8];
	unsigned me, generation, cluster_id;
	struct member m[MAXN];
	struct service s[MAXS];
	int nm, ns, have_services;
} C;

static void fetch(const char *verb, struct ctl_reply *rep)
{
	int rc = ctl_call(CTL_PATH, verb, 0, rep);

	if (rc == CTL_UNREACHABLE)
		die("Could not connect to CMAN: Connection refused");
	if (rc != 0 || rep->code)
		die("%s: %s", verb, rc ? "no reply from the daemon" : rep->err);
}

/* Each line of the reply starting with key, its rest to fn. */
static void lines(const struct ctl_reply *rep, const char *key,
		  void (*fn)(const char *rest))
{
	size_t n = strlen(key);

	for (const char *l = rep->lines.p; l && *l;) {
		const char *nl = strchr(l, '\n');
		char line[512];

		snprintf(line, sizeof line, "%.*s", nl ? (int)(nl - l) :
			 (int)strlen(l), l);
		if (!strncmp(line, key, n))
			fn(line + n);
		l = nl ? nl + 1 : "";
	}
}

/* A number among the status reply's "key: value" lines; 0 if absent. */
static unsigned number(const struct ctl_reply *rep, const char *key)
{
	char v[32];

	return ctl_value(rep, key, v, sizeof v) ? (unsigned)atoi(v) : 0;
}

static void one_node(const char *v)
{
	struct member *m = &C.m[C.nm];
	unsigned long long inc;
	long long joined;

	if (C.nm < MAXN && sscanf(v, "%u %c %llu %lld %127s", &m->id, &m->sts,
				  &inc, &joined, m->name) == 5)
		C.nm++;
}

static void one_fence(const char *v)
{
	struct member f;

	if (sscanf(v, "%u %d %lld %63s", &f.id, &f.pending, &f.fenced_at,
		   f.by) != 4)
		return;
	for (int i = 0; i < C.nm; i++)
		if (C.m[i].id == f.id) {
			C.m[i].pending = f.pending;
			C.m[i].fenced_at = f.fenced_at;
			memcpy(C.m[i].by, f.by, sizeof f.by);
		}
}

static void one_service(const char *v)
{
	struct service *s = &C.s[C.ns];

	if (C.ns < MAXS && sscanf(v, "%79s %19s %u %u %d %d %lld", s->name,
				  s->state, &s->owner, &s->last, &s->restarts,
				  &s->frozen, &s->when) == 7)
		C.ns++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct service *)a)->name,
		      ((const struct service *)b)->name);
}

static void load(void)
{
	struct ctl_reply rep;

	memset(&C, 0, sizeof C);
	fetch("status", &rep);
	ctl_value(&rep, "cluster_name", C.cluster, sizeof C.cluster);
	ctl_value(&rep, "quorate", C.quorate, sizeof C.quorate);
	C.me = number(&rep, "node_id");
	C.generation = number(&rep, "generation");
	C.cluster_id = number(&rep, "cluster_id");
	ctl_reply_free(&rep);
	fetch("nodes", &rep);
	lines(&rep, "node: ", one_node);
	ctl_reply_free(&rep);
	if (ctl_call(CTL_PATH, "fencing", 0, &rep) == 0 && !rep.code)
		lines(&rep, "fence: ", one_fence);
	ctl_reply_free(&rep);
	if (ctl_call(CTL_PATH, "services", 0, &rep) == 0 && !rep.code) {
		C.have_services = 1;
		lines(&rep, "service: ", one_service);
		qsort(C.s, (size_t)C.ns, sizeof C.s[0], by_name);
	}
	ctl_reply_free(&rep);
}

static int quorate(void)
{
	return !strcmp(C.quorate, "yes");
}

static const char *node_name(unsigned id)
{
	if (!id)
		return "none";
	for (int i = 0; i < C.nm; i++)
		if (C.m[i].id == id)
			return C.m[i].name;
	return "unknown";
}

static enum svc_state code(const char *name)
{
	for (int st = SVC_FIRST; st < SVC_FIRST + SVC_NSTATES; st++)
		if (!strcmp(svc_state_name((enum svc_state)st), name))
			return (enum svc_state)st;
	return SVC_UNINITIALIZED;
}

static int runs(const struct service *s)
{
	enum svc_state st = code(s->state);

	return st == SVC_STARTING || st == SVC_STARTED ||
	       st == SVC_STOPPING;
}

static void ctime_text(long long t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	char *s = ctime(&tt);

	snprintf(out, size, "%.*s", s ? (int)strcspn(s, "\n") : 0,
		 s ? s : "");
}

/* --- plain --------------------------------------------------------------- */
static void member_row(const struct member *m)
{
	char status[80];

	snprintf(status, sizeof status, "%s%s%s%s",
		 m->sts == 'M' ? "Online" : "Offline",
		 m->id == C.me ? ", Local" : "",
		 m->sts == 'M' ? ", rgmanager" : "",
		 m->pending ? ", Fencing" : "");
	printf(" %-40.40s %4u %s\n", m->name, m->id, status);
}

static void members(const char *only)
{
	printf(" %-40.40s %-4s %s\n", "Member Name", "ID", "Status");
	printf(" %-40.40s %-4s %s\n", "------ ----", "----", "------");
	for (int i = 0; i < C.nm; i++)
		if (!only || !strcmp(only, C.m[i].name))
			member_row(&C.m[i]);
}

static void service_row(const struct service *s)
{
	enum svc_state st = code(s->state);
	char owner[80], state[32];

	if (st == SVC_STOPPED || st == SVC_DISABLED ||
	    st == SVC_RECOVERABLE || st == SVC_FAILED)
		snprintf(owner, sizeof owner, "(%s)", node_name(s->last));
	else
		snprintf(owner, sizeof owner, "%s", node_name(s->owner));
	snprintf(state, sizeof state, "%s%s", s->state, s->frozen ? "[Z]" :
		 "");
	printf(" %-30.30s %-30.30s %-14s\n", s->name, owner, state);
}

static void services(const char *only)
{
	printf(" %-30.30s %-30.30s %-14s\n", "Service Name", "Owner (Last)",
	       "State");
	printf(" %-30.30s %-30.30s %-14s\n", "------- ----", "----- ------",
	       "-----");
	for (int i = 0; i < C.ns; i++)
		if (!only || !strcmp(only, C.s[i].name))
			service_row(&C.s[i]);
}

static void long_services(void)
{
	char when[40];

	printf(" Service Information\n ------- -----------\n\n");
	for (int i = 0; i < C.ns; i++) {
		const struct service *s = &C.s[i];

		ctime_text(s->when, when, sizeof when);
		printf(" Service Name      : %s\n", s->name);
		printf("   Current State   : %s (%d)\n", s->state,
		       (int)code(s->state));
		printf("   Flags           : %s (%d)\n", s->frozen ? "frozen" :
		       "none", s->frozen);
		printf("   Owner           : %s\n", node_name(s->owner));
		printf("   Last Owner      : %s\n", node_name(s->last));
		printf("   Last Transition : %s\n\n", when);
	}
}

static void plain(int lng)
{
	char now[40];

	ctime_text((long long)time(NULL), now, sizeof now);
	printf("Cluster Status for %s @ %s\n", C.cluster, now);
	printf("Member Status: %s\n\n", quorate() ? "Quorate" : "Inquorate");
	members(NULL);
	printf("\n");
	if (!quorate()) {
		fprintf(stderr, "Service states unavailable: Operation "
			"requires quorum\n");
		return;
	}
	if (lng)
		long_services();
	else
		services(NULL);
}

/* --- xml ------------------------------------------------------------------ */
static void xml(void)
{
	char when[40];

	printf("<?xml version=\"1.0\"?>\n<clustat version=\"4.1.1\">\n");
	printf("  <cluster name=\"%s\" id=\"%u\" generation=\"%u\"/>\n",
	       C.cluster, C.cluster_id, C.generation);
	printf("  <quorum quorate=\"%d\" groupmember=\"%d\"/>\n", quorate(),
	       quorate());
	printf("  <nodes>\n");
	for (int i = 0; i < C.nm; i++)
		printf("    <node name=\"%s\" state=\"%d\" local=\"%d\" "
		       "estranged=\"0\" rgmanager=\"%d\" rgmanager_master=\"0\" "
		       "qdisk=\"0\" nodeid=\"0x%08x\"%s/>\n", C.m[i].name,
		       C.m[i].sts == 'M', C.m[i].id == C.me,
		       C.m[i].sts == 'M', C.m[i].id,
		       C.m[i].pending ? " fence_pending=\"1\"" : "");
	printf("  </nodes>\n  <groups>\n");
	for (int i = 0; i < C.ns; i++) {
		const struct service *s = &C.s[i];

		ctime_text(s->when, when, sizeof when);
		printf("    <group name=\"%s\" state=\"%d\" state_str=\"%s\" "
		       "flags=\"%d\" flags_str=\"%s\" owner=\"%s\" "
		       "last_owner=\"%s\" restarts=\"%d\" last_transition=\""
		       "%lld\" last_transition_str=\"%s\"/>\n", s->name,
		       (int)code(s->state), s->state, s->frozen,
		       s->frozen ? "frozen" : "", node_name(s->owner),
		       node_name(s->last), s->restarts, s->when, when);
	}
	printf("  </groups>\n</clustat>\n");
}

/* --- json ----------------------------------------------------------------- */
static const char *tf(int b)
{
	return b ? "true" : "false";
}

static void json_node(unsigned id)
{
	if (id)
		json_str(node_name(id));
	else
		printf("null");
}

static void json_member(const struct member *m)
{
	printf("{\"name\":");
	json_str(m->name);
	printf(",\"id\":%u,\"status\":\"%s\",\"local\":%s,\"rgmanager\":%s,"
	       "\"fencing\":{\"pending\":%s,\"last_fenced\":", m->id,
	       m->sts == 'M' ? "online" : "offline", tf(m->id == C.me),
	       tf(m->sts == 'M'), tf(m->pending));
	if (m->fenced_at) {
		printf("%lld,\"by\":", m->fenced_at);
		json_str(m->by);
	} else {
		printf("null,\"by\":null");
	}
	printf("}}");
}

static void json_service(const struct service *s)
{
	printf("{\"name\":");
	json_str(s->name);
	printf(",\"state\":");
	json_str(s->state);
	printf(",\"state_code\":%d,\"owner\":", (int)code(s->state));
	json_node(s->owner);
	printf(",\"last_owner\":");
	json_node(s->last);
	printf(",\"restarts\":%d,\"frozen\":%s,\"last_transition\":%lld}",
	       s->restarts, tf(s->frozen), s->when);
}

static void json(const char *m, const char *s)
{
	int n = 0;

	printf("{\"schema\":1,\"cluster\":{\"name\":");
	json_str(C.cluster);
	printf(",\"id\":%u,\"generation\":%u,\"quorate\":%s,\"local_id\":%u},"
	       "\"members\":[", C.cluster_id, C.generation, tf(quorate()),
	       C.me);
	for (int i = 0; i < C.nm; i++)
		if (!m || !strcmp(m, C.m[i].name))
			printf("%s", n++ ? "," : ""), json_member(&C.m[i]);
	printf("],\"services\":%s", quorate() && C.have_services ? "[" :
	       "null}\n");
	if (!quorate() || !C.have_services)
		return;
	for (int i = n = 0; i < C.ns; i++)
		if (!s || !strcmp(s, C.s[i].name))
			printf("%s", n++ ? "," : ""), json_service(&C.s[i]);
	printf("]}\n");
}

/* --- one look, and again -------------------------------------------------- */
static struct {
	const char *m, *s;
	char svc[96];
	int lng, x, json, every;
} O;

static volatile sig_atomic_t stop;

static const struct member *find_member(const char *name)
{
	for (int i = 0; i < C.nm; i++)
		if (!strcmp(C.m[i].name, name))
			return &C.m[i];
	return NULL;
}

static const struct service *find_service(const char *name)
{
	for (int i = 0; i < C.ns; i++)
		if (!strcmp(C.s[i].name, name))
			return &C.s[i];
	return NULL;
}

/* The output asked for; the exit code of -m or -s (spec 5.1). */
static int report(void)
{
	const struct member *m = O.m ? find_member(O.m) : NULL;
	const struct service *s = O.s ? find_service(O.s) : NULL;

	if (O.x)
		return xml(), 0;
	if (O.json)
		json(O.m, O.s);
	else if (O.m && m)
		members(O.m);
	else if (O.s && !O.m && s)
		services(O.s);
	else if (!O.m && !O.s)
		plain(O.lng);
	if (O.m)
		return m && m->sts == 'M' ? 0 : EXIT_REFUSED;
	if (O.s)
		return !s ? 255 : runs(s) ? 0 : (int)code(s->state);
	return 0;
}

static void on_signal(int sig)
{
	stop = 1;
}

/* -i: until SIGINT or SIGTERM (which cut the sleep short). */
static int every(unsigned secs)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int rc;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	do {
		load();
		printf("\033[H\033[2J");
		rc = report();
		fflush(stdout);
	} while (!stop && (sleep(secs), !stop));
	return rc;
}

static void interval(const char *arg)
{
	long v;

	if (parse_int(arg, -86400, 86400, &v) < 0)
		die_usage("-i: '%s' is not a number of seconds", arg);
	O.every = v > 0 ? (int)v : 1;
}

int clustat_main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, 0, 'h' },
		{ "json", no_argument, 0, 'j' }, { 0, 0, 0, 0 } };
	int q = 0, id = 0, opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":lm:s:QxIvfi:h", longs,
				  NULL)) != -1)
		switch (opt) {
		case 'l': O.lng = 1; break;
		case 'm': O.m = optarg; break;
		case 's': O.s = optarg; break;
		case 'Q': q = 1; break;
		case 'x': O.x = 1; break;
		case 'j': O.json = 1; break;
		case 'I': id = 1; break;
		case 'f': break;
		case 'v': printf("clustat version 4.1.1\n"); return 0;
		case 'i': interval(optarg); break;
		case 'h': fputs(clustat_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (O.every && (O.x || O.json))
		die("Error: Options '-i' and '%s' are mutually exclusive",
		    O.x ? "-x" : "--json");
	if (O.s && !strchr(O.s, ':'))
		snprintf(O.svc, sizeof O.svc, "service:%s", O.s), O.s = O.svc;
	if (O.every && !q && !id)
		return every((unsigned)O.every);
	load();
	if (q)
		return quorate() ? 0 : 1;
	if (id)
		return printf("0x%08x\n", C.me), 0;
	return report();
}
