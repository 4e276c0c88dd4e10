/* quorum/cman_tool.c - the applet: membership status from the daemon.
 *
 * Asks the daemon's control socket (verbs status, nodes, version; their
 * "key: value" replies are described in rm/verbs.c) and prints them in
 * cman_tool's exact layout (spec 5.3) or, with --json, as one object:
 *
 *   status --json  {"schema":1,"version":"6.2.0","config_version":N,
 *                   "cluster_name":S,"cluster_id":N,"cluster_member":B,
 *                   "cluster_generation":N,"membership_state":S,
 *                   "nodes":N,"node_name":S,"node_id":N,
 *                   "multicast_addresses":[S],"node_addresses":[S]}
 *   nodes --json   {"schema":1,"nodes":[{"id":N,"name":S,"status":"M",
 *                   "member":B,"incarnation":N,"joined":N|null,
 *                   "addresses":[S]}]}      joined: unix seconds
 *
 * The quorum lines of status (Expected votes, Total votes, Quorum, ...)
 * arrive with the quorum service; they are left out, not made up.  As
 * cman_tool, every error is one line "cman_tool: ..." and exit 1. */
#include "../net/ctl.h"
#include "../net/sys.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_NAMES 64

const char cman_tool_help[] =
"usage: cman_tool status|nodes|version [options]\n"
"  -a         nodes: also list each node's addresses\n"
"  -n NAME    nodes: only this node (repeatable)\n"
"  -F FIELDS  nodes: only these fields, comma-separated: id,name,type,addr\n"
"  -f         nodes: fencing details (not available yet: ignored)\n"
"  --json     status, nodes: one JSON object (schema 1)\n"
"  -h         this help\n"
"Operations join, leave, kill, expected, votes, wait, services and debug\n"
"are not available yet.  Errors exit 1, as cman_tool did.\n";

static struct {
	int addrs, json;
	const char *fields;
	const char *names[MAX_NAMES];
	int nnames;
} O;

/* --- talking to the daemon ------------------------------------------------ */
static void fetch(const char *verb, struct ctl_reply *rep)
{
	int rc = ctl_call(CTL_PATH, verb, 0, rep);

	if (rc == CTL_UNREACHABLE)
		die("Cannot open connection to cman, is it running ?");
	if (rc == CTL_BROKEN)
		die("no reply from cman within %d seconds",
		    CTL_TIMEOUT_MS / 1000);
	if (rep->code)
		die("%s", rep->err);
}

static const char *get(const struct ctl_reply *rep, const char *key,
		       char *out, size_t len)
{
	return ctl_value(rep, key, out, len) ? out : "";
}

/* --- JSON ----------------------------------------------------------------- */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Words of s (blank- or comma-separated) as a JSON array of strings. */
static void json_words(const char *s)
{
	char w[256];
	int first = 1;

	putchar('[');
	while (*s) {
		size_t n = strcspn(s, " ,");

		if (n && n < sizeof w && strncmp(s, "-", n)) {
			snprintf(w, sizeof w, "%.*s", (int)n, s);
			printf("%s", first ? "" : ",");
			json_str(w);
			first = 0;
		}
		s += n;
		s += strspn(s, " ,");
	}
	putchar(']');
}

/* --- status --------------------------------------------------------------- */
enum kind { K_STR, K_NUM, K_BOOL, K_LIST };

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
	{ "Node name", "node_name", "node_name", K_STR },
	{ "Node ID", "node_id", "node_id", K_NUM },
	{ "Multicast addresses", "multicast", "multicast_addresses", K_LIST },
	{ "Node addresses", "node_addresses", "node_addresses", K_LIST },
};

static void status_json(const struct ctl_reply *rep)
{
	char v[512];

	printf("{\"schema\":1");
	for (size_t i = 0; i < ARRAY_LEN(status_fields); i++) {
		const struct field *f = &status_fields[i];
		const char *s = get(rep, f->key, v, sizeof v);

		printf(",\"%s\":", f->json);
		if (f->kind == K_NUM)
			printf("%lld", strtoll(s, NULL, 10));
		else if (f->kind == K_BOOL)
			printf("%s", strcmp(s, "yes") ? "false" : "true");
		else if (f->kind == K_LIST)
			json_words(s);
		else
			json_str(s);
	}
	printf("}\n");
}

static int op_status(void)
{
	struct ctl_reply rep;
	char v[512];

	fetch("status", &rep);
	if (O.json) {
		status_json(&rep);
	} else {
		for (size_t i = 0; i < ARRAY_LEN(status_fields); i++) {
			const struct field *f = &status_fields[i];
			const char *s = get(&rep, f->key, v, sizeof v);

			if (f->kind == K_BOOL)
				s = strcmp(s, "yes") ? "No" : "Yes";
			printf("%s: %s\n", f->label, s);
		}
	}
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
static void joined_text(const struct row *r, char out[32])
{
	time_t t = (time_t)r->joined;
	struct tm tm;

	if (r->sts != 'M' || !r->joined || !localtime_r(&t, &tm))
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
	json_words(r->addrs);
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
	each_row(&rep);
	ctl_reply_free(&rep);
	return 0;
}

/* --- version -------------------------------------------------------------- */
static int op_version(void)
{
	struct ctl_reply rep;
	char v[64], cv[32];

	fetch("version", &rep);
	printf("%s config %s\n", get(&rep, "version", v, sizeof v),
	       get(&rep, "config_version", cv, sizeof cv));
	ctl_reply_free(&rep);
	return 0;
}

/* --- the operations ------------------------------------------------------- */
static const struct op {
	const char *name;
	int (*fn)(void);
} ops[] = {
	{ "join", NULL }, { "leave", NULL }, { "kill", NULL },
	{ "expected", NULL }, { "votes", NULL }, { "version", op_version },
	{ "wait", NULL }, { "status", op_status }, { "nodes", op_nodes },
	{ "services", NULL }, { "debug", NULL },
};

static const struct op *find_op(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(ops); i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, 'j' }, { 0, 0, 0, 0 } };
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":an:F:fh", longs, NULL)) != -1)
		switch (opt) {
		case 'a': O.addrs = 1; break;
		case 'n':
			if (O.nnames == MAX_NAMES)
				die("too many -n options");
			O.names[O.nnames++] = optarg;
			break;
		case 'F': O.fields = optarg; break;
		case 'f': break;
		case 'j': O.json = 1; break;
		case 'h': fputs(cman_tool_help, stdout); exit(0);
		case ':': die("option -%c needs an argument", optopt);
		default:
			if (optopt)
				die("unknown option -%c", optopt);
			die("unknown option %s", argv[optind - 1]);
		}
}

int cman_tool_main(int argc, char **argv)
{
	const struct op *op = NULL;

	parse(argc, argv);
	for (int i = optind; i < argc; i++) {
		const struct op *o = find_op(argv[i]);

		if (o && op)
			die("can't specify two operations");
		if (!o && (!op || op->fn))
			die("unknown option %s", argv[i]);
		op = o ? o : op;
	}
	if (!op)
		die("no operation specified");
	if (!op->fn)
		die("%s is not available yet", op->name);
	return op->fn();
}
