/* rm/clusvcadm.c - the applet: service administration (spec 5.2).
 *
 * Every operation is the local daemon's verb "svc OP NAME [NODE]" (or
 * "rglock" for -l, -u, -S), answered once the service got where the
 * request leads; any member may ask, the ordered stream carries it to
 * the owner.  The progress text comes first, the result string after it
 * on the same line, and the exit status is the result code & 0xff, as
 * rgmanager's.  A member named with -m is checked against the
 * membership first, with rgmanager's closest-match hints. */
#include "../net/ctl.h"
#include "../net/sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char clusvcadm_help[] =
"usage: clusvcadm [-q] -e|-d|-s|-R|-r|-M|-Z|-U SERVICE [-m MEMBER | -F]\n"
"       clusvcadm -l | -u | -S\n"
"  -e SERVICE  enable: start it here (-m MEMBER: there; -F: where its\n"
"              failover domain says)\n"
"  -d SERVICE  disable: stop it, and start it nowhere\n"
"  -s SERVICE  stop it (started again at the next membership change)\n"
"  -R SERVICE  restart it where it runs\n"
"  -r SERVICE  relocate it (-m MEMBER: there first, else the best)\n"
"  -M SERVICE  migrate a virtual machine (-m MEMBER required)\n"
"  -Z SERVICE  freeze: no checks, starts, stops or moves\n"
"  -U SERVICE  unfreeze\n"
"  -c SERVICE  convalesce (not in this version)\n"
"  -m MEMBER   the member for -e, -r, -M (also -n)\n"
"  -F          -e: the best member of its failover domain\n"
"  -l          lock: no service starts or moves anywhere\n"
"  -u          unlock\n"
"  -S          show whether services are locked\n"
"  -q          quiet: print nothing\n"
"  -v          the version\n"
"  -h          this help\n";

static const char *const text[] = {
	"Success", "Failure", "Aborted; service failed",
	"Service not mastered locally", "Service does not exist",
	"Operation would cause a deadlock", "Temporary failure; try again",
	"Operation violates dependency rule",
	"Invalid operation for resource", "Operation requires quorum",
	"Service is already running", "Failure: Service is frozen",
	"Target node dead / nonexistent",
	"Fencing operation pending; try again later", "S/Lang Script Error",
	"Service not runnable", "Service not runnable: cannot run exclusive",
	"Failed; service running on original owner",
};

/* progress: for this node, and with a member named (NULL: as first) */
static const struct op {
	int letter;
	const char *op, *progress, *to_member;
} ops[] = {
	{ 'e', "enable", "Local machine trying to enable %s...",
	  "Member %2$s trying to enable %1$s..." },
	{ 'd', "disable", "Local machine disabling %s...", NULL },
	{ 's', "stop", "Local machine stopping %s...", NULL },
	{ 'R', "restart", "Local machine trying to restart %s...", NULL },
	{ 'r', "relocate", "Trying to relocate %s...",
	  "Trying to relocate %s to %s..." },
	{ 'M', "migrate", "Trying to migrate %s...",
	  "Trying to migrate %s to %s..." },
	{ 'Z', "freeze", "Local machine freezing %s...", NULL },
	{ 'U', "unfreeze", "Local machine unfreezing %s...", NULL },
};

static const struct lockop {
	int letter;
	const char *verb, *ok, *fail;
} lockops[] = {
	{ 'l', "rglock lock", "Resource groups locked",
	  "Lock operation failed" },
	{ 'u', "rglock unlock", "Resource groups unlocked",
	  "Unlock operation failed" },
	{ 'S', "rglock query", NULL, "Query operation failed" },
};

/* after: a progress text is on the line (the error goes below it) */
static void call(const char *req, int ms, struct ctl_reply *rep, int after)
{
	int rc = ctl_call(CTL_PATH, req, ms, rep);

	if (rc != CTL_UNREACHABLE && rc != CTL_BROKEN)
		return;
	if (after)
		printf("\n");
	die("Could not connect to resource group manager");
}

/* --- -m MEMBER ------------------------------------------------------------ */
/* Member names from the daemon's "node: ID STS INC JOINED NAME ADDRS". */
static int members(char names[][64], int max)
{
	struct ctl_reply rep;
	const char *p;
	int n = 0;

	call("nodes", 0, &rep, 0);
	for (p = rep.lines.p; p && *p && n < max; p = strchr(p, '\n'),
	     p = p ? p + 1 : NULL) {
		char sts;

		if (sscanf(p, "node: %*u %c %*s %*s %63s", &sts, names[n]) == 2 &&
		    sts == 'M')
			n++;
	}
	ctl_reply_free(&rep);
	return n;
}

static int close_to(const char *have, const char *want)
{
	size_t h = strlen(have), w = strlen(want);

	return (w < h && !strncmp(have, want, w)) ||
	       (h < w && !strncmp(have, want, h) && want[h] == '.');
}

/* Dies unless name is a member, as rgmanager's clusvcadm says it. */
static void need_member(const char *name)
{
	char names[64][64];
	int n = members(names, 64), close = -1, nclose = 0;

	for (int i = 0; i < n; i++) {
		if (!strcmp(names[i], name))
			return;
		if (close_to(names[i], name))
			close = i, nclose++;
	}
	printf("'%s' not in membership list\n", name);
	if (nclose == 1)
		printf("Closest match: '%s'\n", names[close]);
	else if (nclose)
		printf("More than one possible match for '%s' found\n", name);
	else
		printf("No matches for '%s' found\n", name);
	exit(1);
}

/* --- requests ---------------------------------------------------------------- */
static int request(const struct op *o, const char *svc, const char *member,
		   int best)
{
	struct ctl_reply rep;
	char req[300], rg[16], owner[128];
	int code;

	printf(member && o->to_member ? o->to_member : o->progress, svc,
	       member);
	fflush(stdout);
	snprintf(req, sizeof req, "svc %s %s%s%s", o->op, svc,
		 member || best ? " " : "", best ? "*" : member ? member : "");
	call(req, 200000, &rep, 1);
	if (rep.code) {
		printf("\n");
		die("%s", rep.err);
	}
	code = ctl_value(&rep, "rg", rg, sizeof rg) ? atoi(rg) : -1;
	printf("%s\n", code <= 0 && code > -(int)ARRAY_LEN(text) ?
	       text[-code] : "Failure");
	if ((o->letter == 'e' || o->letter == 'r') && code == 0)
		ctl_value(&rep, "owner", owner, sizeof owner) ?
			printf("%s%s is now running on %s\n", member &&
			       strcmp(member, owner) ? "Warning: " : "", svc,
			       owner) : 0;
	ctl_reply_free(&rep);
	return code == -10 ? 0 : code & 0xff;
}

static int lock_request(const struct lockop *l)
{
	struct ctl_reply rep;
	char locked[8];
	int rc = ctl_call(CTL_PATH, l->verb, 10000, &rep);

	if (rc == CTL_UNREACHABLE || rc == CTL_BROKEN || rep.code ||
	    !ctl_value(&rep, "locked", locked, sizeof locked)) {
		printf("%s\n", l->fail);
		return 1;
	}
	printf("%s\n", l->ok ? l->ok : atoi(locked) ?
	       "Resource groups locked" : "Resource groups unlocked");
	ctl_reply_free(&rep);
	return 0;
}

/* --- options ----------------------------------------------------------------- */
struct args {
	const struct op *op;
	const struct lockop *lock;
	const char *svc, *member;
	int best, quiet;
};

static int parse_one(struct args *a, int opt, const char *arg)
{
	for (size_t i = 0; i < ARRAY_LEN(ops); i++)
		if (ops[i].letter == opt) {
			a->op = &ops[i];
			a->svc = arg;
			return 1;
		}
	for (size_t i = 0; i < ARRAY_LEN(lockops); i++)
		if (lockops[i].letter == opt) {
			a->lock = &lockops[i];
			return 1;
		}
	switch (opt) {
	case 'm': case 'n': a->member = arg; return 1;
	case 'F': a->best = 1; return 1;
	case 'q': a->quiet = 1; return 1;
	case 'c': die("-c (convalesce) is not available in this version: "
		      "it restarts independent subtrees, which it has not");
	}
	return 0;
}

static int run(struct args *a)
{
	char svc[128];

	if (a->best && a->member)
		die("Cannot use '-F' with '-n' or '-m'");
	if (a->op && a->op->letter == 'M' && !a->member)
		die("Migration requires a target cluster member");
	if (geteuid() != 0)
		die("clusvcadm must be run as the root user.");
	if (a->quiet && !freopen("/dev/null", "w", stdout))
		die_sys("/dev/null");
	if (a->lock)
		return lock_request(a->lock);
	if (a->member)
		need_member(a->member);
	snprintf(svc, sizeof svc, "%s%s", strchr(a->svc, ':') ? "" :
		 "service:", a->svc);
	return request(a->op, svc, a->member, a->best);
}

int clusvcadm_main(int argc, char **argv)
{
	struct args a = { 0 };
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv,
				  ":e:d:s:R:r:M:Z:U:c:m:n:FluSqvh", help_opt,
				  NULL)) != -1) {
		if (parse_one(&a, opt, optarg))
			continue;
		switch (opt) {
		case 'v': printf("clusvcadm version 0.1\n"); return 0;
		case 'h': fputs(clusvcadm_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	}
	if (!a.op && !a.lock)
		die_usage("no operation given");
	return run(&a);
}
