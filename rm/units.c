/* rm/units.c - starting at boot: a systemd unit, or SysV init scripts
 * under RHCS's two service names, written by `hacluster install --units`.
 *
 * The daemon is one process: ring, quorum, fencing, configuration and
 * services.  systemd: hacluster.service (aliases cman.service and
 * rgmanager.service once enabled) runs `hacluster daemon -f`.  SysV:
 * /etc/init.d/cman starts and stops the daemon; /etc/init.d/rgmanager
 * reports on its service manager and, to stop, moves the services this
 * node runs to other nodes (the node stays a member: stop cman to leave).
 * "@BIN@" in a text is this executable's path. */
#include "units.h"

#include "../net/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char unit_text[] =
"[Unit]\n"
"Description=Cluster node: ring, quorum, fencing, configuration, services\n"
"Documentation=man:hacluster(8) man:cluster.conf(5)\n"
"Wants=network-online.target\n"
"After=network-online.target time-sync.target local-fs.target\n"
"ConditionPathExists=/etc/cluster/cluster.conf\n"
"\n"
"[Service]\n"
"Type=simple\n"
"ExecStart=@BIN@ daemon -f\n"
"# SIGTERM: the daemon stops its services and leaves the cluster;\n"
"# then whatever is left in the unit is killed\n"
"KillMode=mixed\n"
"TimeoutStopSec=120\n"
"\n"
"[Install]\n"
"WantedBy=multi-user.target\n"
"Alias=cman.service rgmanager.service\n";

#define SCRIPT_HEAD \
"HACLUSTER=@BIN@\n" \
"PIDFILE=/run/hacluster/hacluster.pid\n" \
"HACLUSTER_OPTS=\n" \
"[ -r /etc/sysconfig/cman ] && . /etc/sysconfig/cman\n" \
"[ -r /etc/default/cman ] && . /etc/default/cman\n" \
"\n" \
"step() { printf '   %s... ' \"$1\"; }\n" \
"ok() { echo '[  OK  ]'; }\n" \
"failed() { echo '[FAILED]'; }\n" \
"# the daemon's pid, when it runs\n" \
"pid() {\n" \
"\tp=$(cat \"$PIDFILE\" 2>/dev/null) && [ -n \"$p\" ] &&\n" \
"\t\tkill -0 \"$p\" 2>/dev/null && echo \"$p\"\n" \
"}\n"

/* the verbs of both scripts: start, stop and status are theirs */
#define SCRIPT_TAIL \
"case \"$1\" in\n" \
"start) start ;;\n" \
"stop) stop ;;\n" \
"restart|force-reload) stop && start ;;\n" \
"condrestart|try-restart) if pid >/dev/null; then stop && start; fi ;;\n" \
"status) status ;;\n" \
"*) echo \"Usage: $0 {start|stop|restart|condrestart|status}\"; exit 2 ;;\n" \
"esac\n"

static const char cman_text[] =
"#!/bin/sh\n"
"#\n"
"# cman - the cluster node (hacluster daemon): ring, quorum, fencing,\n"
"# configuration and services in one process\n"
"#\n"
"# chkconfig: - 21 79\n"
"# description: Starts and stops the cluster node (hacluster daemon).\n"
"#\n"
"### BEGIN INIT INFO\n"
"# Provides: cman\n"
"# Required-Start: $network $time $local_fs\n"
"# Required-Stop: $network $time $local_fs\n"
"# Default-Start: 2 3 4 5\n"
"# Default-Stop: 0 1 6\n"
"# Short-Description: the cluster node (hacluster daemon)\n"
"### END INIT INFO\n"
"\n"
SCRIPT_HEAD
"\n"
"start() {\n"
"\tif pid >/dev/null; then\n"
"\t\techo \"cluster is already running.\"\n"
"\t\treturn 0\n"
"\tfi\n"
"\t# it says \"Starting cluster:\" and each step\n"
"\t\"$HACLUSTER\" daemon $HACLUSTER_OPTS\n"
"}\n"
"\n"
"stop() {\n"
"\techo \"Stopping cluster: \"\n"
"\tstep \"Stopping services and leaving the cluster\"\n"
"\tif ! p=$(pid); then\n"
"\t\tok\n"
"\t\treturn 0\n"
"\tfi\n"
"\tkill -TERM \"$p\"\n"
"\ti=0\n"
"\twhile kill -0 \"$p\" 2>/dev/null && [ $i -lt 1200 ]; do\n"
"\t\tsleep 0.1\n"
"\t\ti=$((i + 1))\n"
"\tdone\n"
"\tif kill -0 \"$p\" 2>/dev/null; then\n"
"\t\tfailed\n"
"\t\treturn 1\n"
"\tfi\n"
"\tok\n"
"}\n"
"\n"
"status() {\n"
"\tif pid >/dev/null; then\n"
"\t\techo \"cluster is running.\"\n"
"\t\treturn 0\n"
"\tfi\n"
"\techo \"cluster is stopped.\"\n"
"\treturn 3\n"
"}\n"
"\n"
SCRIPT_TAIL;

static const char rgmanager_text[] =
"#!/bin/sh\n"
"#\n"
"# rgmanager - the cluster's service manager, part of the cluster node\n"
"# (hacluster daemon, /etc/init.d/cman): start and status report on it;\n"
"# stop moves the services this node runs to other nodes\n"
"#\n"
"# chkconfig: - 26 74\n"
"# description: The cluster's service manager (in hacluster daemon).\n"
"#\n"
"### BEGIN INIT INFO\n"
"# Provides: rgmanager\n"
"# Required-Start: cman\n"
"# Required-Stop: cman\n"
"# Default-Start: 2 3 4 5\n"
"# Default-Stop: 0 1 6\n"
"# Short-Description: the cluster's service manager (hacluster daemon)\n"
"### END INIT INFO\n"
"\n"
SCRIPT_HEAD
"\n"
"start() {\n"
"\tprintf 'Starting Cluster Service Manager: '\n"
"\tif pid >/dev/null; then\n"
"\t\tok\n"
"\t\treturn 0\n"
"\tfi\n"
"\tfailed\n"
"\techo \"the cluster is not running: service cman start\"\n"
"\treturn 1\n"
"}\n"
"\n"
"# Each service this node runs moves to another node (clusvcadm -r).\n"
"stop() {\n"
"\tprintf 'Stopping Cluster Service Manager: '\n"
"\tif ! pid >/dev/null; then\n"
"\t\tok\n"
"\t\treturn 0\n"
"\tfi\n"
"\tme=$(\"$HACLUSTER\" cman_tool status 2>/dev/null |\n"
"\t     sed -n 's/^Node name: //p')\n"
"\trc=0\n"
"\tfor s in $(\"$HACLUSTER\" clustat 2>/dev/null |\n"
"\t\t   awk -v me=\"$me\" '$1 ~ /^(service|vm):/ && $2 == me &&\n"
"\t\t\t\t   $NF == \"started\" { print $1 }'); do\n"
"\t\t\"$HACLUSTER\" clusvcadm -r \"$s\" >/dev/null 2>&1 || rc=1\n"
"\tdone\n"
"\tif [ $rc = 0 ]; then ok; else failed; fi\n"
"\treturn $rc\n"
"}\n"
"\n"
"status() {\n"
"\tif p=$(pid); then\n"
"\t\techo \"rgmanager (pid $p) is running...\"\n"
"\t\treturn 0\n"
"\tfi\n"
"\techo \"rgmanager is stopped\"\n"
"\treturn 3\n"
"}\n"
"\n"
SCRIPT_TAIL;

struct unit_file {
	const char *name, *text;
	unsigned mode;
};

static const struct unit_file systemd_files[] = {
	{ "hacluster.service", unit_text, 0644 },
};

static const struct unit_file sysv_files[] = {
	{ "cman", cman_text, 0755 },
	{ "rgmanager", rgmanager_text, 0755 },
};

/* text with every @BIN@ replaced by bin */
static char *fill(const char *text, const char *bin)
{
	struct buf b = { 0 };
	const char *p;

	while ((p = strstr(text, "@BIN@"))) {
		buf_add(&b, text, (size_t)(p - text));
		buf_puts(&b, bin);
		text = p + 5;
	}
	buf_puts(&b, text);
	return b.p;
}

/* Whether path holds exactly text (a file written before). */
static int same_file(const char *path, const char *text)
{
	size_t len;
	char *old = read_file(path, strlen(text) + 1, &len);
	int same = old && len == strlen(text) && !memcmp(old, text, len);

	free(old);
	return same;
}

/* Write every file into dir: each checked first (an existing file that
 * differs needs force), then replaced as a whole (replace_file). */
static int write_files(const char *dir, const struct unit_file *f, int n,
		       const char *bin, int force)
{
	char *text[4], *path[4];
	int bad = 0;

	for (int i = 0; i < n; i++) {
		path[i] = xasprintf("%s/%s", dir, f[i].name);
		text[i] = fill(f[i].text, bin);
		if (!force && access(path[i], F_OK) == 0 &&
		    !same_file(path[i], text[i])) {
			warn_msg("%s exists and differs (use -f)", path[i]);
			bad = 1;
		}
	}
	for (int i = 0; i < n && !bad; i++) {
		if (replace_file(path[i], text[i], strlen(text[i]), f[i].mode,
				 NULL) < 0) {
			warn_sys("%s", path[i]);
			bad = 1;
		} else {
			printf("%s\n", path[i]);
		}
	}
	for (int i = 0; i < n; i++) {
		free(path[i]);
		free(text[i]);
	}
	return bad ? EXIT_REFUSED : 0;
}

int units_install(const char *how, const char *dir, int force)
{
	char bin[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 1);
	int systemd = !strcmp(how, "--systemd") ||
		      (!strcmp(how, "--units") && is_dir("/run/systemd/system"));
	int rc;

	if (n < 0)
		die_sys("cannot find own path: /proc/self/exe");
	bin[n] = 0;
	if (!dir)
		dir = systemd ? "/etc/systemd/system" : "/etc/init.d";
	if (!is_dir(dir))
		die("%s: %s", dir, strerror(ENOTDIR));
	rc = systemd ? write_files(dir, systemd_files,
				   (int)ARRAY_LEN(systemd_files), bin, force)
		     : write_files(dir, sysv_files,
				   (int)ARRAY_LEN(sysv_files), bin, force);
	if (rc)
		return rc;
	if (systemd)
		printf("then: systemctl daemon-reload; systemctl enable --now "
		       "hacluster (also known as cman and rgmanager)\n");
	else
		printf("then: chkconfig cman on (or update-rc.d cman "
		       "defaults); service cman start\n");
	return 0;
}
