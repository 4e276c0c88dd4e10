/* agents/fence_node.c - the applet: fence a node now, from this machine,
 * with the methods cluster.conf gives it (spec 5.4, R6's words).
 *
 * `fence_node [-v] [-O] [-c FILE] NODE` runs the same job as the daemon's
 * decider (agents/fence.c) in its own event loop and says
 * "fence NODE success" (exit 0), "fence NODE failed" (1), or "fence NODE
 * undefined" (2: no method for it).  On success, when a daemon runs
 * here, the cluster is told: a victim it was waiting for counts as
 * fenced, by that agent. */
#include "fence.h"

#include "../net/ctl.h"
#include "../net/loop.h"
#include "../net/sys.h"
#include "../xml/conf.h"

#include <stdio.h>
#include <string.h>

const char fence_node_help[] =
"usage: fence_node [-v] [-O] [-c FILE] NODE\n"
"  -v       say what each device did (and what its agent printed)\n"
"  -O       accepted for compatibility; fencing does not need quorum here\n"
"  -c FILE  cluster.conf (default " CONF_PATH ")\n"
"  -h       this help\n"
"Run NODE's fence methods now, from this machine: methods in order, every\n"
"device of a method.  Exit status: 0 fenced, 1 failed, 2 no method for it\n"
"(or a usage error).\n";

static struct {
	int done, result;
	char by[32];
} R;

static void job_done(void *ctx, int result, const char *by)
{
	R.done = 1;
	R.result = result;
	snprintf(R.by, sizeof R.by, "%s", by ? by : "");
	loop_stop();
}

/* The daemon here, if any, records it (it may be waiting for it). */
static void tell_cluster(const char *node)
{
	struct ctl_reply rep;
	char req[320];

	snprintf(req, sizeof req, "fence_done %.255s %.31s", node, R.by);
	if (ctl_call(CTL_PATH, req, 0, &rep) == 0 && rep.code)
		warn_msg("the cluster was not told: %s", rep.err);
	ctl_reply_free(&rep);
}

static int run(const struct conf *c, const struct conf_node *n)
{
	struct fence_job job;

	if (loop_init() < 0)
		die_sys("cannot start the event loop");
	fence_start(&job, &c, (uint32_t)n->nodeid, job_done, NULL);
	loop_run();
	if (R.result == FENCE_WAIT_ACK) {
		fprintf(stderr, "fence %s waits for fence_ack_manual: "
			"fence_manual only ends that way\n", n->name);
		return EXIT_REFUSED;
	}
	fprintf(stderr, "fence %s %s\n", n->name,
		R.result == FENCE_OK ? "success" : "failed");
	if (R.result == FENCE_OK)
		tell_cluster(n->name);
	return R.result == FENCE_OK ? 0 : EXIT_REFUSED;
}

int fence_node_main(int argc, char **argv)
{
	const char *file = CONF_PATH;
	const struct conf_node *n;
	struct conf_diags d = {0};
	struct conf *c;
	int verbose = 0, opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":vOc:h", help_opt, NULL)) !=
	       -1) {
		switch (opt) {
		case 'v': verbose = 1; break;
		case 'O': break;
		case 'c': file = optarg; break;
		case 'h': fputs(fence_node_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	}
	if (optind != argc - 1)
		die_usage(optind < argc ? "one node at a time" : "no node "
			  "named");
	log_set_level(verbose ? LOG_LVL_NOTICE : LOG_LVL_ERR);
	if (!(c = conf_read(file, &d)))
		die("%s: %s", file, d.n ? d.v[0].text : "cannot read");
	if (!(n = conf_node(c, argv[optind])))
		die("%s is not a node of %s", argv[optind], file);
	if (!n->nmethods) {
		fprintf(stderr, "fence %s undefined\n", n->name);
		return EXIT_USAGE;
	}
	return run(c, n);
}
