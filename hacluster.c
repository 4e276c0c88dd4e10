/* hacluster.c - the applet table, dispatch, --help/--list, install.
 *
 * One executable is every tool of the cluster.  The applet is chosen by
 * the basename of argv[0] (a symlink made by `hacluster install`), else by
 * the first argument: an applet name or one of the short verbs below. */
#include "net/sys.h"
#include "rm/units.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VERSION "0.1"

/* READY(name, summary): the applet's file defines name_main, name_help.
 * LATER(name, summary, usage): declared, arrives with a later feature.
 * Every applet but daemon, keygen, agent and web is installed as a
 * symlink. */
#define APPLETS(READY, LATER) \
	READY(daemon, "run this node: ring, quorum, fencing, services") \
	READY(ccs_tool, "create, edit and list cluster.conf") \
	READY(ccs_config_validate, "check cluster.conf, all problems at once") \
	READY(clustat, "cluster, member and service status") \
	READY(clusvcadm, "service administration") \
	READY(cman_tool, "membership and quorum") \
	READY(rg_test, "show resource trees and their start/stop order") \
	READY(fence_node, "fence a node with its configured methods") \
	READY(fence_ack_manual, "acknowledge a manual fence") \
	READY(fence_manual, "fence agent that waits for an administrator") \
	READY(keygen, "write a new cluster key") \
	READY(agent, "run a built-in resource agent (ip, fs, ...)") \
	READY(web, "a status page in a browser, with actions")

typedef int applet_main(int argc, char **argv);

#define DECLARE(n, s) applet_main n##_main; extern const char n##_help[];
#define NOTHING(n, s, u)
APPLETS(DECLARE, NOTHING)

struct applet {
	const char *name, *summary, *help;
	applet_main *main;
};

static int is_symlinked(const char *name)
{
	return strcmp(name, "daemon") && strcmp(name, "keygen") &&
	       strcmp(name, "agent") && strcmp(name, "web");
}

#define AS_READY(n, s) { #n, s, n##_help, n##_main },
#define AS_LATER(n, s, u) { #n, s, u, NULL },
static const struct applet applets[] = { APPLETS(AS_READY, AS_LATER) };

/* Short verbs of `hacluster VERB ...`: pass keeps the verb as the
 * applet's first argument; otherwise arg replaces it (NULL: dropped). */
struct verb {
	const char *verb, *applet, *arg;
	int pass;
};

static const struct verb verbs[] = {
	{ "status", "clustat", NULL, 0 },
	{ "validate", "ccs_config_validate", NULL, 0 },
	{ "fence", "fence_node", NULL, 0 },
	{ "relocate", "clusvcadm", "-r", 0 },
	{ "enable", "clusvcadm", "-e", 0 },
	{ "disable", "clusvcadm", "-d", 0 },
	{ "stop", "clusvcadm", "-s", 0 },
	{ "restart", "clusvcadm", "-R", 0 },
	{ "migrate", "clusvcadm", "-M", 0 },
	{ "freeze", "clusvcadm", "-Z", 0 },
	{ "unfreeze", "clusvcadm", "-U", 0 },
	{ "lock", "clusvcadm", "-l", 0 },
	{ "unlock", "clusvcadm", "-u", 0 },
	{ "nodes", "cman_tool", NULL, 1 },
	{ "expected", "cman_tool", NULL, 1 },
	{ "votes", "cman_tool", NULL, 1 },
	{ "leave", "cman_tool", NULL, 1 },
	{ "kill", "cman_tool", NULL, 1 },
	{ "join", "cman_tool", NULL, 1 },
#define CCS(v) { #v, "ccs_tool", NULL, 1 },
	CCS(create) CCS(addnode) CCS(delnode) CCS(addfence) CCS(delfence)
	CCS(lsnode) CCS(lsfence) CCS(addnodeids) CCS(update)
	CCS(addservice) CCS(delservice) CCS(lsservice)
	CCS(addresource) CCS(delresource) CCS(lsresource)
	CCS(adddomain) CCS(deldomain) CCS(lsdomain)
};

static const struct applet *find_applet(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(applets); i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(verbs); i++)
		if (!strcmp(verbs[i].verb, name))
			return &verbs[i];
	return NULL;
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static int run_later(const struct applet *a, int argc, char **argv)
{
	if (argc > 1 && is_help(argv[1])) {
		printf("%s\n\n%s.\nNot available yet in hacluster %s.\n",
		       a->help, a->summary, VERSION);
		return 0;
	}
	die("not available yet in hacluster %s", VERSION);
}

static int run(const struct applet *a, int argc, char **argv)
{
	sys_prog = a->name;
	sys_usage = a->help;
	if (!a->main)
		return run_later(a, argc, argv);
	if (argc > 1 && is_help(argv[1])) {
		fputs(a->help, stdout);
		return 0;
	}
	return a->main(argc, argv);
}

/* argv[0] of the verb's applet becomes the applet name, the verb is kept,
 * replaced or dropped. */
static int run_verb(const struct verb *v, int argc, char **argv)
{
	char **av = xcalloc((size_t)argc + 2, sizeof *av);
	int ac = 0;

	av[ac++] = (char *)v->applet;
	if (v->pass)
		av[ac++] = argv[0];
	else if (v->arg)
		av[ac++] = (char *)v->arg;
	for (int i = 1; i < argc; i++)
		av[ac++] = argv[i];
	return run(find_applet(v->applet), ac, av);
}

static void list(void)
{
	for (size_t i = 0; i < ARRAY_LEN(applets); i++)
		printf("%-20s %s%s\n", applets[i].name, applets[i].summary,
		       applets[i].main ? "" : " (not available yet)");
}

static const char main_help[] =
"usage: hacluster APPLET [ARGS...] | hacluster VERB [ARGS...]\n"
"       hacluster --list | --version | help [APPLET|VERB]\n"
"       hacluster install [-f] [DIR]\n"
"       hacluster install --units|--systemd|--sysv [-f] [DIR]\n"
"       hacluster completion bash\n"
"\n"
"A high-availability cluster node and its tools in one executable.\n"
"Run as a symlink named after an applet, or name the applet first.\n"
"\n"
"  --list      list the applets\n"
"  --version   print the version (also: hacluster version)\n"
"  help        this text; help APPLET or help VERB: that tool's\n"
"  install     create a symlink per applet in DIR (default /usr/sbin);\n"
"              -f replaces files that are not symlinks; --units: start\n"
"              at boot (see help install)\n"
"  completion bash  the bash completion script: source it, or put it\n"
"              in /etc/bash_completion.d/hacluster\n"
"\n"
"Short verbs: status validate relocate enable disable stop restart migrate\n"
"freeze unfreeze lock unlock fence nodes expected votes leave kill join,\n"
"and every ccs_tool command (create addnode lsnode ...).\n";

static const char install_help[] =
"usage: hacluster install [-f] [DIR]\n"
"       hacluster install --units|--systemd|--sysv [-f] [DIR]\n"
"\n"
"Make a symlink named after each tool in DIR (default /usr/sbin; made\n"
"when missing) that points at this executable.  Every name is checked\n"
"first: nothing changes unless every link can be made.\n"
"  -f         replace files that are not symlinks (never a directory)\n"
"  --units    start at boot: --systemd where systemd runs, else --sysv\n"
"  --systemd  hacluster.service in DIR (default /etc/systemd/system):\n"
"             hacluster daemon -f; systemctl enable also names it\n"
"             cman.service and rgmanager.service\n"
"  --sysv     init scripts cman and rgmanager in DIR (default\n"
"             /etc/init.d): cman starts and stops the daemon (the one\n"
"             process); rgmanager reports on its service manager and,\n"
"             to stop, moves this node's services elsewhere\n"
"  With --units, -f replaces a file that differs.\n";

enum { I_MAKE, I_DONE, I_REFUSED };

/* What DIR/name needs: a link made (I_MAKE), nothing (I_DONE), or it
 * cannot be had, said on stderr (I_REFUSED). */
static int install_plan(const char *path, const char *self, int force)
{
	char old[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return I_MAKE;
		warn_sys("%s", path);
		return I_REFUSED;
	}
	n = readlink(path, old, sizeof old - 1);
	if (n >= 0 && (old[n] = 0, !strcmp(old, self)))
		return I_DONE;
	if (S_ISDIR(st.st_mode)) {
		warn_msg("%s is a directory", path);
		return I_REFUSED;
	}
	if (!S_ISLNK(st.st_mode) && !force) {
		warn_msg("%s exists and is not a symlink (use -f)", path);
		return I_REFUSED;
	}
	return I_MAKE;
}

/* path -> self, replacing whatever is there in one rename. */
static int install_link(const char *path, const char *self)
{
	char *tmp = xasprintf("%s.new", path);
	int rc = 0;

	unlink(tmp);
	if (symlink(self, tmp) < 0 || rename(tmp, path) < 0) {
		warn_sys("%s", path);
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	return rc;
}

/* DIR and its missing parents, as mkdir -p. */
static void make_dirs(const char *dir)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1; ; s++) {
		int end = !*s;

		if (*s != '/' && !end)
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			die_sys("%s", p);
		if (end && !is_dir(p))
			die("%s: Not a directory", p);
		if (end)
			break;
		*s = '/';
	}
	free(p);
}

#define NLINKS ARRAY_LEN(applets)

static int install(int argc, char **argv)
{
	char self[PATH_MAX], *path[NLINKS] = {0};
	struct stat st;
	const char *dir = "/usr/sbin";
	int force = 0, i = 1, bad = 0, plan[NLINKS], existed[NLINKS];
	size_t k, made = 0;
	ssize_t n;

	sys_prog = "hacluster install";
	sys_usage = install_help;
	if (i < argc && is_help(argv[i]))
		return fputs(install_help, stdout), 0;
	if (i < argc && (!strcmp(argv[i], "--units") ||
			 !strcmp(argv[i], "--systemd") ||
			 !strcmp(argv[i], "--sysv"))) {
		const char *how = argv[i++];

		if (i < argc && !strcmp(argv[i], "-f"))
			force = 1, i++;
		if (i + 1 < argc)
			die_usage("unexpected argument '%s'", argv[i + 1]);
		return units_install(how, i < argc ? argv[i] : NULL, force);
	}
	if (i < argc && !strcmp(argv[i], "-f"))
		force = 1, i++;
	if (i < argc && argv[i][0] == '-')
		die_usage("unknown option %s", argv[i]);
	if (i < argc)
		dir = argv[i++];
	if (i < argc)
		die_usage("unexpected argument '%s'", argv[i]);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		die_sys("cannot find own path: /proc/self/exe");
	self[n] = 0;
	make_dirs(dir);
	for (k = 0; k < NLINKS; k++) {
		plan[k] = I_DONE;
		if (!is_symlinked(applets[k].name))
			continue;
		path[k] = xasprintf("%s/%s", dir, applets[k].name);
		plan[k] = install_plan(path[k], self, force);
		existed[k] = lstat(path[k], &st) == 0;
		bad |= plan[k] == I_REFUSED;
	}
	if (bad)
		die("nothing installed in %s", dir);
	for (k = 0; k < NLINKS && !bad; k++)
		if (plan[k] == I_MAKE && !(bad = install_link(path[k], self)))
			made = k + 1;
	for (k = 0; bad && k < made; k++)	/* undo what this run added */
		if (plan[k] == I_MAKE && !existed[k])
			unlink(path[k]);
	for (k = 0; k < NLINKS; k++)
		free(path[k]);
	return bad ? EXIT_REFUSED : 0;
}

/* hacluster help [NAME]: an applet's help, a verb's applet's, or ours. */
static int help(const char *name)
{
	const struct applet *a = name ? find_applet(name) : NULL;
	const struct verb *v = name && !a ? find_verb(name) : NULL;
	char *av[] = { NULL, (char *)"--help", NULL };

	if (v)
		a = find_applet(v->applet);
	if (name && !strcmp(name, "install"))
		return fputs(install_help, stdout), 0;
	if (name && !a)
		die_code(EXIT_USAGE, "no applet or verb '%s' (try --list)",
			 name);
	if (!a)
		return fputs(main_help, stdout), 0;
	av[0] = (char *)a->name;
	return run(a, 2, av);
}

static int dispatch(int argc, char **argv)
{
	const struct applet *a;
	const struct verb *v;

	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[1]))
		return fputs(main_help, stdout), 0;
	if (!strcmp(argv[1], "--list"))
		return list(), 0;
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return printf("hacluster %s\n", VERSION), 0;
	if (!strcmp(argv[1], "help"))
		return help(argc > 2 ? argv[2] : NULL);
	if (!strcmp(argv[1], "install"))
		return install(argc - 1, argv + 1);
	if (!strcmp(argv[1], "completion")) {
		if (argc != 3 || strcmp(argv[2], "bash"))
			die_code(EXIT_USAGE, "usage: hacluster completion bash");
		return fputs(completion_bash, stdout), 0;
	}
	if ((a = find_applet(argv[1])))
		return run(a, argc - 1, argv + 1);
	if ((v = find_verb(argv[1])))
		return run_verb(v, argc - 1, argv + 1);
	if (argv[1][0] == '-')
		die_code(EXIT_USAGE, "unknown option %s (try --help)",
			 argv[1]);
	die_code(127, "unknown applet or verb '%s' (try --list)", argv[1]);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct applet *a;

	base = base ? base + 1 : argv[0];
	if ((a = find_applet(base)))
		return run(a, argc, argv);
	if (strncmp(base, "hacluster", 9))
		die_code(127, "unknown applet name '%s' (try hacluster --list)",
			 base);
	return dispatch(argc, argv);
}
