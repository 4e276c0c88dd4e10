/* agents/fence_manual.c - the applet: the classic "meatware" agent
 * (spec 6.5) is built into the daemon (agents/fence.c): a device whose
 * agent is fence_manual makes the decider log that the node needs a
 * manual reset and wait for fence_ack_manual.  Run by hand, this says
 * so, as an agent would fail: there is no FIFO to wait on. */
#include "../net/sys.h"

#include <stdio.h>
#include <string.h>

const char fence_manual_help[] =
"usage: fence_manual [-q] [-n NODE]\n"
"  -n NODE  the node\n"
"  -q       quiet\n"
"  -h       this help\n"
"fence_manual is built into hacluster daemon: name it as a fence\n"
"device's agent and the cluster waits, for a node it must fence, until\n"
"an operator resets that node and runs fence_ack_manual NODE.  Run by\n"
"hand it fences nothing and exits 1.\n";

int fence_manual_main(int argc, char **argv)
{
	const char *node = "?";
	int quiet = 0, opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:p:qh", help_opt, NULL)) !=
	       -1) {
		switch (opt) {
		case 'n': node = optarg; break;
		case 'p': break;
		case 'q': quiet = 1; break;
		case 'h': fputs(fence_manual_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	}
	if (!quiet)
		fprintf(stderr, "fence_manual: built into hacluster daemon; "
			"run by hand it cannot wait for an acknowledgement\n");
	printf("failed: fence_manual %s\n", node);
	return EXIT_REFUSED;
}
