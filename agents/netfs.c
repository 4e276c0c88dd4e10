/* agents/netfs.c - the netfs, nfsexport and nfsclient agents, through
 * the system's mount(8), umount(8) and exportfs(8), as rgmanager's
 * netfs.sh, nfsexport.sh and nfsclient.sh did.
 *
 * netfs mounts HOST:EXPORT (cifs: //HOST/EXPORT) with the options given,
 * else sync,soft,noac (cifs: guest); a missing mount point is created;
 * stop runs umount, and with force_unmount `umount -f` (nfs) and TERM,
 * then KILL, to the users between tries; no_unmount leaves it mounted.
 * nfsexport only groups nfsclients under a path.  nfsclient exports the
 * path to one target with `exportfs -i -o [fsid=F,]OPTIONS TARGET:PATH`
 * and finds it again in `exportfs -v`. */
#include "builtin.h"
#include "mnt.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct {
	char src[PATH_MAX + 256];	/* HOST:EXPORT or //HOST/EXPORT */
	const char *dir, *type;
} nf;

/* Run argv: 0, OCF_ERR_INSTALLED when there is no such program, else
 * OCF_ERR_GENERIC with the command line and its exit code. */
static int run(char *const argv[], struct buf *out)
{
	struct buf cmd = { 0 };
	int rc = mnt_run(argv, out);

	if (rc < 0 && errno == ENOENT) {
		warn_msg("%s: not installed", argv[0]);
		return OCF_ERR_INSTALLED;
	}
	if (rc == 0)
		return OCF_SUCCESS;
	for (int i = 0; argv[i]; i++)
		buf_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
	if (rc < 0)
		warn_sys("%s", cmd.p);
	else
		warn_msg("%s: exit %d", cmd.p, rc);
	buf_free(&cmd);
	return OCF_ERR_GENERIC;
}

/* --- netfs ---------------------------------------------------------------- */

static int netfs_params(void)
{
	const char *host = builtin_param("host");
	const char *export = builtin_param("export");
	size_t n;

	nf.dir = builtin_param("mountpoint");
	if (!(nf.type = builtin_param("fstype")))
		nf.type = "nfs";
	if (!nf.dir || *nf.dir != '/' || !host || !export) {
		warn_msg("needs host, export and mountpoint (absolute)");
		return OCF_ERR_ARGS;
	}
	if (strcmp(nf.type, "nfs") && strcmp(nf.type, "nfs4") &&
	    strcmp(nf.type, "cifs")) {
		warn_msg("fstype %s: not nfs, nfs4 or cifs", nf.type);
		return OCF_ERR_ARGS;
	}
	snprintf(nf.src, sizeof nf.src, strcmp(nf.type, "cifs") ? "%s:%s"
		 : "//%s/%s", host, export);
	for (n = strlen(nf.src); n > 1 && nf.src[n - 1] == '/';)
		nf.src[--n] = 0;	/* as the mount table shows it */
	return 0;
}

static int netfs_start(void)
{
	const char *opts = builtin_param("options");
	char other[PATH_MAX];
	int rc = netfs_params(), ro;

	if (rc)
		return rc;
	if (!opts)
		opts = strcmp(nf.type, "cifs") ? "sync,soft,noac" : "guest";
	if (mnt_mkdirs(nf.dir) < 0)
		return OCF_ERR_GENERIC;
	switch (mnt_where(nf.src, nf.dir, other, sizeof other, &ro)) {
	case MNT_HERE:
		return OCF_SUCCESS;
	case MNT_TAKEN:
		warn_msg("%s: %s is mounted there", nf.dir, other);
		return OCF_ERR_GENERIC;
	case -1:
		return OCF_ERR_GENERIC;
	}
	char *argv[] = { "mount", "-t", (char *)nf.type, "-o", (char *)opts,
			 nf.src, (char *)nf.dir, NULL };
	return run(argv, NULL);
}

/* umount(8), then umount -f for NFS; its exit 16 is an unwritable
 * /etc/mtab, the unmount done. */
static int netfs_umount(const char *dir, int attempt)
{
	char *argv[] = { "umount", (char *)dir, NULL, NULL };
	int rc;

	if (attempt && strcmp(nf.type, "cifs")) {
		argv[1] = "-f";
		argv[2] = (char *)dir;
	}
	if ((rc = mnt_run(argv, NULL)) == 0 || rc == 16)
		return 0;
	if (rc < 0)
		warn_sys("umount: cannot run");
	return rc < 0 ? -1 : 1;
}

static int netfs_stop(void)
{
	char other[PATH_MAX];
	int rc = netfs_params(), ro;

	if (rc)
		return rc;
	rc = mnt_where(nf.src, nf.dir, other, sizeof other, &ro);
	if (rc != MNT_HERE)
		return rc < 0 ? OCF_ERR_GENERIC : OCF_SUCCESS;
	if (mnt_bool(builtin_param("no_unmount"))) {
		warn_msg("%s: no_unmount: left mounted", nf.dir);
		return OCF_SUCCESS;
	}
	return mnt_unmount(nf.dir, mnt_bool(builtin_param("force_unmount")),
			   netfs_umount) ? OCF_ERR_GENERIC : OCF_SUCCESS;
}

static int netfs_status(void)
{
	int rc = netfs_params();

	return rc ? rc : mnt_status(nf.src, nf.dir, 0);
}

int agent_netfs(const char *action)
{
	static const struct mnt_agent netfs = {
		"netfs", "An NFS or CIFS export, mounted by the node that "
		"runs its service.", netfs_start, netfs_stop, netfs_status,
	};

	return mnt_act(&netfs, action);
}

/* --- nfsexport ------------------------------------------------------------ */

static int export_path(int missing)
{
	const char *path = builtin_param("path");

	if (is_dir(path))
		return OCF_SUCCESS;
	warn_msg("path %s: not a directory", path ? path : "(not given)");
	return missing;
}

static int export_start(void)
{
	return export_path(OCF_ERR_GENERIC);
}

static int export_stop(void)
{
	return OCF_SUCCESS;
}

static int export_status(void)
{
	return export_path(OCF_NOT_RUNNING);
}

int agent_nfsexport(const char *action)
{
	static const struct mnt_agent nfsexport = {
		"nfsexport", "A path exported over NFS: holds the nfsclients "
		"that name its clients.", export_start, export_stop,
		export_status,
	};

	return mnt_act(&nfsexport, action);
}

/* --- nfsclient ------------------------------------------------------------ */

static char client[PATH_MAX + 256];	/* TARGET:PATH */

static int client_params(void)
{
	const char *target = builtin_param("target");
	const char *path = builtin_param("path");

	if (!target || !is_dir(path)) {
		warn_msg("needs a target and a path that is a directory");
		return OCF_ERR_ARGS;
	}
	snprintf(client, sizeof client, "%s:%s", target, path);
	return 0;
}

static int client_start(void)
{
	const char *fsid = builtin_param("fsid");
	const char *opts = builtin_param("options");
	char o[1024];
	char *argv[] = { "exportfs", "-i", "-o", o, client, NULL };
	int rc = client_params();

	if (rc)
		return rc;
	snprintf(o, sizeof o, "%s%s%s%s", fsid ? "fsid=" : "",
		 fsid ? fsid : "", fsid && opts ? "," : "", opts ? opts : "");
	if (!*o) {
		argv[2] = client;
		argv[3] = NULL;
	}
	return run(argv, NULL);
}

static int client_stop(void)
{
	char *argv[] = { "exportfs", "-u", client, NULL };
	int rc = client_params();

	return rc ? rc : run(argv, NULL);
}

static int client_status(void)
{
	char *argv[] = { "exportfs", "-v", NULL };
	struct buf out = { 0 };
	int rc = client_params();

	if (rc || (rc = run(argv, &out)))
		return buf_free(&out), rc;
	if (!out.p || !mnt_exported(out.p, builtin_param("path"),
				    builtin_param("target"))) {
		warn_msg("%s: not exported", client);
		rc = OCF_NOT_RUNNING;
	}
	buf_free(&out);
	return rc;
}

int agent_nfsclient(const char *action)
{
	static const struct mnt_agent nfsclient = {
		"nfsclient", "One client (host, network, wildcard or "
		"netgroup) of the NFS export above it.", client_start,
		client_stop, client_status,
	};

	return mnt_act(&nfsclient, action);
}
