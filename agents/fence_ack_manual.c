/* agents/fence_ack_manual.c - the applet: the operator says a node that
 * waits for a manual fence (fence_manual, or any victim whose agents
 * keep failing) has been reset, so recovery may go on (spec 6.5).
 *
 * `fence_ack_manual [-O] [-n] NODE`: asks first, as the original did,
 * unless -O; then tells the local daemon (verb fence_ack), which answers
 * once the acknowledgement was applied in order on every member.  There
 * is no FIFO: any member's daemon takes it. */
#include "../net/ctl.h"
#include "../net/sys.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char fence_ack_manual_help[] =
"usage: fence_ack_manual [-O] [-n] NODE\n"
"  -n NODE  the node that was reset (RHEL 5 form; NODE alone works too)\n"
"  -O       do not ask for confirmation\n"
"  -h       this help\n"
"Tell the cluster that NODE, which waits to be fenced, has been power\n"
"cycled or cut off from shared storage by hand.  Exit status: 0 done,\n"
"1 refused or canceled, 2 usage.\n";

static int confirmed(const char *node)
{
	char answer[16] = "";

	printf("\nWarning: if node \"%s\" has not really been reset (power "
	       "cycled, or cut off\nfrom its shared storage), its services "
	       "may run twice and shared file\nsystems may be corrupted.  "
	       "Make sure it is down before you go on.\n\n"
	       "Are you certain you want to continue? [yN] ", node);
	fflush(stdout);
	if (!fgets(answer, sizeof answer, stdin))
		return 0;
	return answer[0] == 'y' || answer[0] == 'Y';
}

static int ack(const char *node)
{
	struct ctl_reply rep;
	char req[300];
	int rc;

	snprintf(req, sizeof req, "fence_ack %.255s", node);
	rc = ctl_call(CTL_PATH, req, 0, &rep);
	if (rc == CTL_UNREACHABLE)
		die("cannot reach the cluster daemon (%s): is it running?",
		    CTL_PATH);
	if (rc == CTL_BROKEN)
		die("no answer from the cluster daemon");
	if (rep.code)
		die("%s", rep.err);
	printf("done\n");
	ctl_reply_free(&rep);
	return 0;
}

int fence_ack_manual_main(int argc, char **argv)
{
	const char *node = NULL;
	int force = 0, opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:s:Oqh", help_opt, NULL)) !=
	       -1) {
		switch (opt) {
		case 'n': node = optarg; break;
		case 's': die_usage("-s IP is not supported: name the node");
		case 'O': force = 1; break;
		case 'q': break;
		case 'h': fputs(fence_ack_manual_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	}
	if (!node && optind < argc)
		node = argv[optind++];
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (!node)	/* the original's code for it: 1 */
		die_code(EXIT_REFUSED, "no node named\n%.*s",
			 (int)strcspn(fence_ack_manual_help, "\n"),
			 fence_ack_manual_help);
	if (!force && !confirmed(node)) {
		printf("fence_ack_manual operation canceled.\n");
		return EXIT_REFUSED;
	}
	return ack(node);
}
