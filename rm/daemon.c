/* rm/daemon.c - the daemon applet and its composition root: load config,
 * start the table of parts, serve.
 *
 * Start-up may die; everything that can fail is done before the fork,
 * in the order `service cman start` followed, so the administrator sees
 * the step that failed and why:
 *
 *   load and validate cluster.conf (every problem listed)
 *   -> find the local node (what was tried, when it is not found)
 *   -> lock the pid file ("Node is already active")
 *   -> open the control socket, start the parts in table order (the
 *      quorum disk, the ring: key, sockets, totem; quorum, ...)
 *   -> fork: the parent waits until the child has joined the ring or a
 *      start-up timeout passed, then exits; the child logs to syslog.
 *
 * With -f there is no fork and logs go to stderr.  Once the loop runs,
 * nothing exits but SIGTERM/SIGINT: stop the parts in reverse order
 * (the ring part leaves the ring), remove the socket and the pid file,
 * exit 0.
 *
 * The table of parts (net/part.h says what a part is).  A part's place
 * in it is the kind of its ordered messages, and the order is the start
 * order; stop runs backwards.  qdiskd comes before the ring so that it
 * stops after the ring was left: its clean-stop write may wait, and a
 * member that waits would be taken for a failed one.  Parts that act
 * through the ring (fenced, services) come after it, so they stop
 * before this node leaves: fenced says LEAVING in order first.  bench is test-only: last, its kind may move.  Adding a
 * subsystem is one file and one row (PARTS below). */
#include "node.h"
#include "verbs.h"
#include "../net/loop.h"
#include "../net/part.h"
#include "../net/ring.h"
#include "../net/seal.h"
#include "../net/sys.h"
#include "../xml/conf.h"
#include "../xml/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN_DIR		"/run/hacluster"
#define PID_FILE	RUN_DIR "/hacluster.pid"

/* The table of parts, in start order; each X(name) is name_part. */
#define PARTS(X) X(qdiskd) X(ringd) X(cmand) X(ccsd) X(fenced) X(rgmanager) \
	X(bench)

#define DECLARE(p)	extern const struct part p##_part;
#define ROW(p)		&p##_part,
PARTS(DECLARE)
static const struct part *const parts[] = { PARTS(ROW) };
#define NPARTS		((int)ARRAY_LEN(parts))

const char daemon_help[] =
"usage: hacluster daemon [-f] [-d] [-p] [-c FILE] [-n NODENAME]\n"
"                        [-e VOTES] [--cluster NAME]\n"
"  -f           stay in the foreground and log on stderr\n"
"  -d           log debug messages too\n"
"  -p           normal priority, nothing locked in memory (by default\n"
"               the daemon runs round-robin at the highest real-time\n"
"               priority with its text locked, its agents at normal\n"
"               priority)\n"
"  -c FILE      the configuration (default " CONF_PATH ")\n"
"  -n NODENAME  this node's clusternode name (default: uname -n, its\n"
"               short form, else the node whose address is local)\n"
"  -e VOTES     expected votes, over the configuration's\n"
"  --cluster NAME  the cluster this node must join (cman_tool join -c)\n"
"  -h           this help\n"
"Without -f it prints its start-up steps, goes to the background once\n"
"this node has joined the ring (or after a start-up timeout) and logs to\n"
"syslog.  SIGTERM leaves the cluster cleanly.\n"
"Exit status: 0 started (with -f: stopped by a signal), 1 not started,\n"
"2 usage.\n";

static struct {
	int foreground, debug, restart, no_rt;
	int argc;
	char **argv;
	long expected;
	const char *name, *cluster;
	int lockfd, report, started, joined;
	struct conf *first;		/* the ring keeps pointers into it */
} D = { .lockfd = -1, .report = -1 };

static struct view V;

/* --- the start-up steps on stdout (not with -f) --------------------------- */
static void step(const char *what)
{
	if (!D.foreground) {
		printf("   %s... ", what);
		fflush(stdout);
	}
}

static void step_end(const char *how)
{
	if (!D.foreground) {
		printf("%s\n", how);
		fflush(stdout);
	}
}

#define STEP_OK()	step_end("[  OK  ]")
#define STEP_FAILED()	step_end("[FAILED]")

/* --- start-up ------------------------------------------------------------- */
static void make_dir(const char *dir, unsigned mode)
{
	if (mkdir(dir, mode) < 0 && errno != EEXIST) {
		STEP_FAILED();
		die_sys("cman not started: %s", dir);
	}
}

static void lock_pid_file(void)
{
	make_dir(RUN_DIR, 0755);
	D.lockfd = open(PID_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (D.lockfd < 0) {
		STEP_FAILED();
		die_sys("cman not started: %s", PID_FILE);
	}
	if (flock(D.lockfd, LOCK_EX | LOCK_NB) < 0) {
		STEP_FAILED();
		if (errno == EWOULDBLOCK)
			die("Node is already active");
		die_sys("cman not started: lock %s", PID_FILE);
	}
}

static void write_pid(void)
{
	char line[24];
	int n = snprintf(line, sizeof line, "%d\n", (int)getpid());

	if (ftruncate(D.lockfd, 0) < 0 || pwrite(D.lockfd, line, (size_t)n,
						 0) != n)
		log_msg(LOG_LVL_ERR, "cannot write %s: %s", PID_FILE,
			strerror(errno));
}

/* No file, but --cluster NAME: a configuration of this node alone, as a
 * guest with a node id far above any configured one and no votes, only
 * to reach the members and fetch the real file (quorum/ccsd.c). */
static void guest_config(void)
{
	struct conf *c = calloc(1, sizeof *c);
	static char host[65];
	uint8_t r[SEAL_EPOCH_LEN];

	if (!c || getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		STEP_FAILED();
		die_sys("cman not started: no memory or random numbers");
	}
	gethostname(host, sizeof host - 1);
	conf_defaults(c);
	c->name = D.cluster;
	c->nnodes = 1;
	c->nodes[0] = (struct conf_node){ .name = D.name ? D.name : host,
		.nodeid = (int)(SEAL_GUEST_ID | (uint32_t)r[0] << 16 |
				 (uint32_t)r[1] << 8 | r[2]) };
	conf_finish(c);
	V.conf = c;
	V.guest = 1;
	STEP_OK();
	log_msg(LOG_LVL_NOTICE, "no %s: joining cluster %s as guest node %d "
		"to fetch it", V.conf_path, D.cluster, c->nodes[0].nodeid);
}

/* Every problem of the file at once, then refuse on errors; mere
 * warnings (ccs_config_validate shows them) go to the log. */
static void load_config(void)
{
	const char *path = V.conf_path;
	struct buf out = {0};
	int warnings = 0, errors;
	char *save = NULL;

	if (access(path, F_OK) < 0 && errno == ENOENT) {
		if (D.cluster) {
			guest_config();
			return;
		}
		STEP_FAILED();
		die("cman not started: no %s; to fetch it from the members, "
		    "give the cluster's name (hacluster daemon --cluster NAME"
		    ", cman_tool join -c NAME)", path);
	}
	errors = validate_file(path, &out, &warnings);
	if (errors)
		STEP_FAILED();
	for (char *l = out.p ? strtok_r(out.p, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (errors)
			warn_msg("%s", l);
		else
			log_msg(LOG_LVL_INFO, "%s", l);
	}
	buf_free(&out);
	if (errors)
		die("cman not started: %s fails to validate (%d error%s)",
		    path, errors, errors == 1 ? "" : "s");
	if (!(V.conf = conf_read(path, NULL))) {
		STEP_FAILED();
		die_sys("cman not started: %s", path);
	}
	if (!V.conf->name || !*V.conf->name) {
		STEP_FAILED();
		die("cman not started: %s: no cluster name", path);
	}
	if (D.cluster && strcmp(D.cluster, V.conf->name)) {
		STEP_FAILED();
		die("cman not started: cluster name '%s' differs from '%s' in "
		    "%s", D.cluster, V.conf->name, path);
	}
	STEP_OK();
}

static void find_node(void)
{
	struct buf tried = {0};

	if (V.guest) {
		V.me = &V.conf->nodes[0];
		STEP_OK();
		return;
	}
	V.me = node_find_local(V.conf, D.name, &tried, V.addr);
	if (!V.me) {
		STEP_FAILED();
		die("cman not started: Can't find local node name in the "
		    "configuration (tried %s)", tried.p);
	}
	buf_free(&tried);
	if (V.me->nodeid <= 0) {
		STEP_FAILED();
		die("cman not started: node %s has no nodeid in %s",
		    V.me->name, V.conf_path);
	}
	STEP_OK();
}

/* The parts in table order; on a failure, the ones started stop. */
static void start_parts(void)
{
	char err[256] = "";

	make_dir(RING_STATE_DIR, 0755);
	if (verbs_listen(CTL_PATH, parts, NPARTS, &V) < 0) {
		STEP_FAILED();
		if (errno == EADDRINUSE)
			die("Node is already active");
		die_sys("cman not started: control socket %s", CTL_PATH);
	}
	for (; D.started < NPARTS; D.started++) {
		const struct part *p = parts[D.started];

		if (p->start && p->start(&V, err, sizeof err) < 0)
			break;
	}
	if (D.started == NPARTS) {
		STEP_OK();
		return;
	}
	STEP_FAILED();
	while (D.started--)
		if (parts[D.started]->stop)
			parts[D.started]->stop();
	ctl_shutdown();
	die("cman not started: %s", err);
}

/* --- going to the background ---------------------------------------------- */
static int startup_timeout_ms(void)
{
	long ms = 2L * (V.conf->totem.token + V.conf->totem.consensus);

	return ms < 10000 ? 10000 : ms > 120000 ? 120000 : (int)ms;
}

/* One byte from the child within ms: the byte, 0 at EOF (it died), -1
 * at the time-out. */
static int child_says(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	char c = 0;
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? c : n == 0 ? 0 : -1;
}

/* One step of the parent: 0 when the child said what, 'G' when it
 * joined as a guest (it restarts with the file it fetched: no more
 * words), else why not. */
static int child_step(int fd, const char *what, char says, int ms,
		      const char *still)
{
	int c;

	step(what);
	if ((c = child_says(fd, ms)) == says || c == 'G') {
		STEP_OK();
		return c == 'G' ? 'G' : 0;
	}
	if (c == 0) {
		STEP_FAILED();
		warn_msg("the daemon stopped during start-up (see syslog)");
		return EXIT_REFUSED;
	}
	step_end("[WAITING]");
	printf("   %s after %d s; still trying in the background\n", still,
	       ms / 1000);
	return -1;
}

/* The parent: "J" once the child joined the ring, "F" once it is in a
 * quorate fence domain (the first node waits here for its peers, as in
 * RHCS); EOF: it died.  Then exit. */
static int wait_child(int fd)
{
	int ms = startup_timeout_ms(), rc;

	rc = child_step(fd, "Joining the cluster", 'J', ms,
			"not joined (cman_tool status)");
	if (rc == 'G')
		printf("   cluster.conf fetched from the members: the daemon "
		       "restarts with it\n");
	if (rc)
		return rc < 0 || rc == 'G' ? 0 : rc;
	ms += V.conf->fenced.post_join_delay * 1000;
	rc = child_step(fd, "Starting fencing", 'F', ms,
			"not in a quorate fence domain (cman_tool nodes -f)");
	return rc < 0 ? 0 : rc;
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
}

/* The token must not wait for the scheduler or for paging: real-time
 * round-robin (children start at normal priority) and this program's
 * text locked in memory (file pages are what a machine short of memory
 * drops first).  The heap is not locked: a locked heap keeps every page
 * it ever used (5.5 MB with 1000 services, 3.9 MB unlocked).  -p:
 * neither.  (musl's sched_setscheduler is ENOSYS by design; the daemon
 * is one thread, so the system call is its own.) */
extern char __executable_start[], etext[];

static void realtime(void)
{
	struct sched_param sp = {
		.sched_priority = sched_get_priority_max(SCHED_RR) };
	int rt, locked;

	if (D.no_rt) {
		log_msg(LOG_LVL_NOTICE, "normal priority, text not locked "
			"(-p): a busy machine may delay the token");
		return;
	}
	rt = syscall(SYS_sched_setscheduler, 0,
		     SCHED_RR | SCHED_RESET_ON_FORK, &sp) == 0;
	if (!rt)
		log_msg(LOG_LVL_WARN, "cannot run at real-time priority: %s: "
			"a busy machine may delay the token", strerror(errno));
	locked = mlock(__executable_start,
		       (size_t)(etext - __executable_start)) == 0;
	if (!locked)
		log_msg(LOG_LVL_WARN, "cannot lock the program in memory: %s:"
			" paging may delay the token", strerror(errno));
	if (rt && locked)
		log_msg(LOG_LVL_INFO, "real-time round-robin priority %d, "
			"program text locked in memory", sp.sched_priority);
}

static void background(void)
{
	int sv[2];
	pid_t pid;

	fflush(stdout);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    (pid = fork()) < 0)
		die_sys("cman not started: fork");
	if (pid > 0) {
		close(sv[1]);
		exit(wait_child(sv[0]));
	}
	close(sv[0]);
	D.report = sv[1];
	setsid();
	if (chdir("/") < 0) {
		/* stay where we are */
	}
	log_to_syslog("hacluster");
	detach_stdio();
}

/* --- the root's services to the parts (net/part.h) ------------------------- */
/* Tell the waiting parent how far start-up came (wait_child); the last
 * word closes the line. */
static void report(char what, int last)
{
	if (D.report < 0)
		return;
	if (write(D.report, &what, 1) < 0) {
		/* the parent gave up waiting: nothing to tell */
	}
	if (last) {
		close(D.report);
		D.report = -1;
	}
}

static int part_send(const struct part *self, const void *body, size_t len)
{
	for (int i = 0; i < NPARTS; i++)
		if (parts[i] == self)
			return ring_send(i, body, len);
	return -1;
}

static void part_post(int news, uint32_t arg)
{
	for (int i = 0; i < NPARTS; i++)
		if (parts[i]->news)
			parts[i]->news(news, arg);
	if (news == NEWS_FENCE_JOINED)
		report('F', 1);
}

/* The first configuration this node is in. */
static void joined(void)
{
	D.joined = 1;
	log_msg(LOG_LVL_NOTICE, "node %d (%s) is a cluster member",
		V.me->nodeid, V.me->name);
	report(V.guest ? 'G' : 'J', V.guest);
}

static void part_confchg(void)
{
	for (int i = 0; i < NPARTS; i++)
		if (parts[i]->confchg)
			parts[i]->confchg();
	if (!D.joined)
		joined();
}

static int part_deliver(uint32_t from, int kind, const uint8_t *body,
			size_t len)
{
	if (kind >= NPARTS || !parts[kind]->deliver)
		return -1;
	parts[kind]->deliver(from, body, len);
	return 0;
}

/* c is in force; the one before is freed unless the ring still points
 * into it (the first) or our node is gone (we stop). */
static void use_conf(struct conf *c)
{
	struct conf *old = V.conf;
	const struct conf_node *me = conf_nodeid(c, (int)V.nodeid);

	if (!me) {
		log_msg(LOG_LVL_ERR, "node %" PRIu32 " is not in configuration"
			" version %d: leaving the cluster", V.nodeid,
			c->config_version);
		loop_stop();
		me = V.me;		/* kept alive below */
		old = NULL;
	}
	V.conf = c;
	V.me = me;
	for (int i = 0; i < NPARTS; i++)
		if (parts[i]->conf)
			parts[i]->conf();
	if (old && old != D.first)
		conf_retire(old);	/* freed once no job holds it */
}

static void restart(void)
{
	D.restart = 1;
	loop_stop();
}

static void view_init(void)
{
	D.first = V.conf;
	V.nodeid = (uint32_t)V.me->nodeid;
	V.expected = (uint32_t)D.expected;
	V.send = part_send;
	V.post = part_post;
	V.confchg = part_confchg;
	V.deliver = part_deliver;
	V.use_conf = use_conf;
	V.restart = restart;
}

/* --- running -------------------------------------------------------------- */
/* As started, in the foreground (the pid stays) when it was. */
static void exec_again(void)
{
	char **av = calloc((size_t)D.argc + 2, sizeof *av);

	if (av) {
		av[0] = "hacluster";
		av[1] = "daemon";
		memcpy(av + 2, D.argv + 1, sizeof *av * (size_t)(D.argc - 1));
		log_msg(LOG_LVL_NOTICE, "restarting");
		execv("/proc/self/exe", av);
	}
	log_msg(LOG_LVL_ERR, "cannot restart: %s", strerror(errno));
	exit(EXIT_REFUSED);
}

static void on_stop(void *ctx, int sig)
{
	log_msg(LOG_LVL_NOTICE, "%s: leaving the cluster",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	loop_stop();
}

static void on_hup(void *ctx, int sig)
{
	log_msg(LOG_LVL_NOTICE, "SIGHUP: configuration reload is not "
		"available yet; nothing changed");
}

static void on_child(void *ctx, pid_t pid, int status)
{
	log_msg(LOG_LVL_DEBUG, "child %d exited (status 0x%x)", (int)pid,
		status);
}

static void run(void)
{
	loop_on_signal(SIGTERM, on_stop, NULL);
	loop_on_signal(SIGINT, on_stop, NULL);
	loop_on_signal(SIGHUP, on_hup, NULL);
	loop_on_child(on_child, NULL);
	write_pid();
	log_msg(LOG_LVL_NOTICE, "started: cluster %s, node %s (id %d), "
		"config version %d", V.conf->name, V.me->name,
		V.me->nodeid, V.conf->config_version);
	loop_run();
	while (D.started--)
		if (parts[D.started]->stop)
			parts[D.started]->stop();
	ctl_shutdown();
	unlink(PID_FILE);
	close(D.lockfd);
	if (D.restart)
		exec_again();
	log_msg(LOG_LVL_NOTICE, "stopped");
}

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "cluster", required_argument, NULL, 'C' }, { 0, 0, 0, 0 } };
	int opt;

	V.conf_path = CONF_PATH;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":fdpc:n:e:h", longs,
				  NULL)) != -1) {
		switch (opt) {
		case 'e':
			if (parse_int(optarg, 1, 1L << 30, &D.expected) < 0)
				die_usage("-e needs a number of votes");
			break;
		case 'C':
			if (!*optarg || strlen(optarg) > CONF_MAX_NAME)
				die_usage("--cluster needs a name of 1 to %d "
					  "bytes", CONF_MAX_NAME);
			D.cluster = optarg;
			break;
		case 'f': D.foreground = 1; break;
		case 'd': D.debug = 1; break;
		case 'p': D.no_rt = 1; break;
		case 'c': V.conf_path = optarg; break;
		case 'n': D.name = optarg; break;
		case 'h': fputs(daemon_help, stdout); exit(0);
		default: die_option(opt, argc, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
}

int daemon_main(int argc, char **argv)
{
	D.argc = argc;
	D.argv = argv;
	parse(argc, argv);
	log_set_level(D.debug ? LOG_LVL_DEBUG :
		      D.foreground ? LOG_LVL_INFO : LOG_LVL_WARN);
	if (!D.foreground)
		printf("Starting cluster: \n");
	umask(022);
	if (loop_init() < 0)
		die_sys("cman not started: event loop");
	step("Loading config");
	load_config();
	step("Finding the local node");
	find_node();
	step("Checking for a running node");
	lock_pid_file();
	STEP_OK();
	step("Starting the ring");
	view_init();
	start_parts();
	if (!D.foreground) {
		background();
		log_set_level(D.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	}
	realtime();
	run();
	return 0;
}
