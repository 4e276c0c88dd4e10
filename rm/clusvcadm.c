/* rm/clusvcadm.c - the applet: service administration (spec 5.2).
 *
 * -e (on this node), -d, -s, -Z and -U go to the local daemon's verb
 * "svc OP NAME", which answers once the service got where the request
 * leads; the progress text comes first, the result string after it on
 * the same line, and the exit status is the result code & 0xff, as
 * rgmanager's.  Relocation, restart, migration, locks and -e -m come
 * later: they say so. */
#include "../net/ctl.h"
#include "../net/sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char clusvcadm_help[] =
"usage: clusvcadm -e|-d|-s|-Z|-U SERVICE\n"
"  -e SERVICE  enable: start it on this node\n"
"  -d SERVICE  disable: stop it, and start it nowhere\n"
"  -s SERVICE  stop it (started again at the next change)\n"
"  -Z SERVICE  freeze: no checks, starts, stops or moves\n"
"  -U SERVICE  unfreeze\n"
"  -v          the version\n"
"  -h          this help\n"
"Not yet: -r, -R, -M, -l, -u, -S, -c, -m.\n";

static const char *const text[] = {
	"Success", "Failure", "Aborted; service failed",
	"Service not mastered locally", "Service does not exist",
	"Operation would cause a deadlock", "Temporary failure; try again",
	"Operation violates dependency rule",
	"Invalid operation for resource", "Operation requires quorum",
	"Service is already running", "Failure: Service is frozen",
};

static const struct {
	int letter;
	const char *op, *progress;
} ops[] = {
	{ 'e', "enable", "Local machine trying to enable %s..." },
	{ 'd', "disable", "Local machine disabling %s..." },
	{ 's', "stop", "Local machine stopping %s..." },
	{ 'Z', "freeze", "Local machine freezing %s..." },
	{ 'U', "unfreeze", "Local machine unfreezing %s..." },
};

static int request(int k, const char *svc)
{
	struct ctl_reply rep;
	char req[200], rg[16], owner[128];
	int rc, code;

	printf(ops[k].progress, svc);
	fflush(stdout);
	snprintf(req, sizeof req, "svc %s %s", ops[k].op, svc);
	rc = ctl_call(CTL_PATH, req, 90000, &rep);
	if (rc == CTL_UNREACHABLE || rc == CTL_BROKEN) {
		printf("\n");
		die("Could not connect to resource group manager");
	}
	if (rep.code)
		die("%s", rep.err);
	code = ctl_value(&rep, "rg", rg, sizeof rg) ? atoi(rg) : -1;
	printf("%s\n", code <= 0 && code > -(int)ARRAY_LEN(text) ?
	       text[-code] : "Failure");
	if (ops[k].letter == 'e' && code == 0)
		printf("%s is now running on %s\n", svc,
		       ctl_value(&rep, "owner", owner, sizeof owner) ? owner :
		       "unknown");
	ctl_reply_free(&rep);
	return code == -10 ? 0 : code & 0xff;
}

int clusvcadm_main(int argc, char **argv)
{
	char svc[128];
	int k = -1, opt;
	const char *name = NULL;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":e:d:s:Z:U:r:R:M:c:m:n:luSqvh",
				  help_opt, NULL)) != -1) {
		for (size_t i = 0; i < ARRAY_LEN(ops); i++)
			if (ops[i].letter == opt)
				k = (int)i, name = optarg;
		if (k >= 0 && name == optarg)
			continue;
		switch (opt) {
		case 'v': printf("clusvcadm version 0.1\n"); return 0;
		case 'h': fputs(clusvcadm_help, stdout); return 0;
		case 'q': break;
		case ':': case '?': die_option(opt, argc, argv);
		default: die("-%c is not available yet in this version", opt);
		}
	}
	if (k < 0)
		die_usage("no operation given");
	if (geteuid() != 0)
		die("clusvcadm must be run as the root user.");
	snprintf(svc, sizeof svc, "%s%s", strchr(name, ':') ? "" :
		 "service:", name);
	return request(k, svc);
}
