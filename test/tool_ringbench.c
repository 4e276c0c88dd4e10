/* test/tool_ringbench.c - a membership watcher and a control-socket client
 * for `make bench` (test/bench/bench.sh).
 *
 *   tool_ringbench watch [-i MS] [-w SECS] N PIDFILE...
 *	Poll the daemons whose pids the files hold (a missing file is a
 *	daemon not started yet) every MS (20) ms with the control verb
 *	`status` that `cman_tool status` shows, through
 *	/proc/PID/root/run/hacluster/hacluster.sock (each node has its own
 *	/run), until every one is a member, says nodes: N and all name one
 *	generation.  Prints "met REALTIME_US gen G polls P" (the wall clock,
 *	to compare with bash's EPOCHREALTIME) and exits 0; after SECS (30)
 *	"timeout ..." and exits 1.
 *
 *   tool_ringbench ctl PIDFILE VERB
 *	The reply of that daemon to VERB (e.g. stats, the counters no
 *	applet shows), the same way; exits 1 when it does not answer. */
#include "../net/ctl.h"
#include "../net/sys.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: tool_ringbench watch [-i MS] [-w SECS] N PIDFILE...\n"
	"       tool_ringbench ctl PIDFILE VERB\n";

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long number(const char *s, long lo, long hi)
{
	long v;

	if (parse_int(s, lo, hi, &v) < 0)
		die_usage("%s: not a number in %ld..%ld", s, lo, hi);
	return v;
}

/* --- watch --------------------------------------------------------------- */
struct seen {
	int nodes, member;
	char gen[32];
};

/* The control socket of the daemon whose pid file is pidfile, as seen
 * from here; -1 when there is no pid yet. */
static int sock_of(const char *pidfile, char *sock, size_t len)
{
	char *pid = read_file(pidfile, 32, NULL);

	if (!pid)
		return -1;
	pid[strcspn(pid, "\n")] = 0;
	snprintf(sock, len, "/proc/%s/root%s", pid, CTL_PATH);
	free(pid);
	return 0;
}

/* What that daemon says to status; -1 when it does not answer. */
static int ask(const char *pidfile, struct seen *s)
{
	char sock[128], v[32];
	struct ctl_reply rep;
	int rc;

	*s = (struct seen){ .nodes = -1 };
	if (sock_of(pidfile, sock, sizeof sock) < 0)
		return -1;
	rc = ctl_call(sock, "status", 1000, &rep);
	if (rc == 0 && !rep.code) {
		s->member = ctl_value(&rep, "member", v, sizeof v) &&
			    !strcmp(v, "yes");
		if (ctl_value(&rep, "nodes", v, sizeof v))
			s->nodes = atoi(v);
		ctl_value(&rep, "generation", s->gen, sizeof s->gen);
	}
	ctl_reply_free(&rep);
	return rc == 0 && !rep.code ? 0 : -1;
}

/* One round over every daemon: 1 when all agree on a ring of n. */
static int round_met(int n, char **files, int nfiles, struct seen *s)
{
	int met = 1;

	for (int i = 0; i < nfiles; i++) {
		if (ask(files[i], &s[i]) < 0 || !s[i].member ||
		    s[i].nodes != n || strcmp(s[i].gen, s[0].gen))
			met = 0;
	}
	return met;
}

static void watch_timeout(char **files, int nfiles, const struct seen *s,
			  int polls)
{
	printf("timeout polls %d:", polls);
	for (int i = 0; i < nfiles; i++)
		printf(" [%s nodes %d gen %s member %d]", files[i], s[i].nodes,
		       s[i].gen[0] ? s[i].gen : "-", s[i].member);
	printf("\n");
}

static int watch_main(int argc, char **argv)
{
	long every = 20, secs = 30, n;
	int c, polls = 0, nfiles;
	struct seen *s;
	int64_t end;

	while ((c = getopt(argc, argv, "i:w:")) != -1) {
		if (c == 'i')
			every = number(optarg, 1, 10000);
		else if (c == 'w')
			secs = number(optarg, 1, 3600);
		else
			die_usage("unknown option");
	}
	if (argc - optind < 2)
		die_usage("need N and at least one pid file");
	n = number(argv[optind], 0, 64);
	nfiles = argc - optind - 1;
	s = xcalloc((size_t)nfiles, sizeof *s);
	end = now_ms() + secs * 1000;
	for (;;) {
		polls++;
		if (round_met((int)n, argv + optind + 1, nfiles, s)) {
			printf("met %" PRId64 " gen %s polls %d\n",
			       clock_ns(CLOCK_REALTIME) / 1000, s[0].gen,
			       polls);
			return 0;
		}
		if (now_ms() >= end)
			break;
		usleep((useconds_t)every * 1000);
	}
	watch_timeout(argv + optind + 1, nfiles, s, polls);
	return 1;
}

static int ctl_main(int argc, char **argv)
{
	struct ctl_reply rep;
	char sock[128];
	int rc;

	if (argc != 3)
		die_usage("ctl needs PIDFILE and VERB");
	if (sock_of(argv[1], sock, sizeof sock) < 0)
		die_sys("%s", argv[1]);
	rc = ctl_call(sock, argv[2], 0, &rep);
	if (rc == 0 && rep.lines.p)
		fwrite(rep.lines.p, 1, rep.lines.len, stdout);
	if (rc == 0 && rep.code)
		warn_msg("%s: %s", argv[2], rep.err);
	rc = rc == 0 && !rep.code ? 0 : 1;
	ctl_reply_free(&rep);
	return rc;
}

int main(int argc, char **argv)
{
	sys_prog = "tool_ringbench";
	sys_usage = usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die_usage("watch or ctl?");
	if (!strcmp(argv[1], "watch"))
		return watch_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ctl"))
		return ctl_main(argc - 1, argv + 1);
	die_usage("%s: watch or ctl?", argv[1]);
}
