/* agents/fs.c - the fs agent: a block device's file system mounted with
 * mount(2), checked, unmounted, by force if asked.
 *
 * As rgmanager's fs.sh: a missing mount point is created (mkdir -p); a
 * device mounted elsewhere, or another mount on the mount point, fails a
 * start; fsck -p runs before mounting when force_fsck is set or the type
 * has no journal (ext2, vfat, msdos, minix), and an exit above 1 fails;
 * status 10 reads the mount point, 20 writes a hidden file there unless
 * mounted read-only; stop unmounts, and with force_unmount sends TERM,
 * then KILL, to the processes using the file system between tries.
 * Unlike fs.sh, self_fence never reboots: it is logged as unsupported. */
#include "builtin.h"
#include "mnt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static struct {
	char dev[PATH_MAX];	/* the block device the parameters name */
	const char *dir;	/* mountpoint */
} fs;

static const char *const unjournalled[] = { "ext2", "vfat", "msdos", "minix" };

static void probe(const char *dev, struct mnt_sb *sb)
{
	unsigned char b[2048];
	ssize_t n = -1;
	int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = pread(fd, b, sizeof b, 0);
		close(fd);
	}
	mnt_probe(b, n > 0 ? (size_t)n : 0, sb);
}

/* LABEL=x or UUID=x through the links of udev, else by reading the
 * superblock of each block device in /proc/partitions. */
static int find_id(const char *spec)
{
	int label = !strncmp(spec, "LABEL=", 6);
	const char *want = strchr(spec, '=') + 1;
	char path[PATH_MAX], name[64], *tab, *line, *save = NULL;
	struct mnt_sb sb;
	int found = 0;

	snprintf(path, sizeof path, "/dev/disk/by-%s/%s",
		 label ? "label" : "uuid", want);
	if (realpath(path, fs.dev))
		return 0;
	if (!(tab = read_file("/proc/partitions", 1 << 20, NULL)))
		return -1;
	for (line = strtok_r(tab, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%*u %*u %*u %63s", name) != 1)
			continue;
		snprintf(fs.dev, sizeof fs.dev, "/dev/%s", name);
		probe(fs.dev, &sb);
		found = sb.type && (label ? !strcmp(sb.label, want)
					  : !strcasecmp(sb.uuid, want));
	}
	free(tab);
	return found ? 0 : -1;
}

static int resolve(const char *spec)
{
	struct stat st;

	if (!spec) {
		warn_msg("device: not given");
		return -1;
	}
	if (!strncmp(spec, "LABEL=", 6) || !strncmp(spec, "UUID=", 5)) {
		if (find_id(spec) < 0) {
			warn_msg("%s: no block device has it", spec);
			return -1;
		}
	} else if (!realpath(spec, fs.dev)) {
		warn_sys("%s", spec);
		return -1;
	}
	if (stat(fs.dev, &st) < 0 || !S_ISBLK(st.st_mode)) {
		warn_msg("%s: not a block device", fs.dev);
		return -1;
	}
	return 0;
}

/* The common start of every action: 0, or the OCF code to return. */
static int params(int fail)
{
	fs.dir = builtin_param("mountpoint");
	if (!fs.dir || *fs.dir != '/') {
		warn_msg("mountpoint: %s", fs.dir ? "not an absolute path"
						  : "not given");
		return OCF_ERR_ARGS;
	}
	return resolve(builtin_param("device")) < 0 ? fail : 0;
}

static int fsck(const char *type)
{
	char *argv[] = { "fsck", "-p", fs.dev, NULL };
	int need = mnt_bool(builtin_param("force_fsck")), rc;

	for (size_t i = 0; type && i < ARRAY_LEN(unjournalled); i++)
		need |= !strcmp(type, unjournalled[i]);
	if (!need)
		return 0;
	warn_msg("%s: running fsck -p", fs.dev);
	if ((rc = mnt_run(argv, NULL)) < 0)
		warn_sys("fsck: cannot run");
	else if (rc > 1)
		warn_msg("fsck -p %s: exit %d: repair it by hand", fs.dev, rc);
	return rc < 0 || rc > 1 ? -1 : 0;
}

/* No type given nor found in the superblock: each type of
 * /proc/filesystems that needs a device, in the kernel's order. */
static int mount_any(unsigned long flags, const char *data)
{
	char *tab = read_file("/proc/filesystems", 1 << 16, NULL), *save;
	int ok = 0;

	warn_msg("%s: type unknown: trying the kernel's types", fs.dev);
	for (char *t = tab ? strtok_r(tab, "\n", &save) : NULL; t && !ok;
	     t = strtok_r(NULL, "\n", &save)) {
		t += strspn(t, " \t");
		if (strncmp(t, "nodev", 5) &&
		    mount(fs.dev, fs.dir, t, flags, data) == 0) {
			warn_msg("%s: mounted as %s", fs.dev, t);
			ok = 1;
		}
	}
	free(tab);
	if (!ok)
		warn_msg("%s: no type of /proc/filesystems mounts it", fs.dev);
	return ok ? 0 : -1;
}

static int do_mount(void)
{
	const char *type = builtin_param("fstype");
	unsigned long flags;
	char data[1024];
	struct mnt_sb sb;

	if (mnt_options(builtin_param("options"), &flags, data,
			sizeof data) < 0) {
		warn_msg("options: remount, bind and move are not for fs");
		return OCF_ERR_ARGS;
	}
	if (!type) {
		probe(fs.dev, &sb);
		if ((type = sb.type))
			warn_msg("%s: %s by its superblock", fs.dev, type);
	}
	if (fsck(type) < 0)
		return OCF_ERR_GENERIC;
	if (!type)
		return mount_any(flags, data) < 0 ? OCF_ERR_GENERIC : 0;
	if (mount(fs.dev, fs.dir, type, flags, data) < 0) {
		warn_sys("mount %s on %s (%s)", fs.dev, fs.dir, type);
		return OCF_ERR_GENERIC;
	}
	return OCF_SUCCESS;
}

static int start(void)
{
	char other[PATH_MAX];
	struct stat st;
	int rc = params(OCF_ERR_ARGS), ro;

	if (rc)
		return rc;
	if (stat(fs.dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		warn_msg("%s: exists and is not a directory", fs.dir);
		return OCF_ERR_ARGS;
	}
	if (mnt_mkdirs(fs.dir) < 0)
		return OCF_ERR_GENERIC;
	switch (mnt_where(fs.dev, fs.dir, other, sizeof other, &ro)) {
	case MNT_HERE:
		return OCF_SUCCESS;
	case MNT_ELSEWHERE:
		warn_msg("%s: already mounted on %s", fs.dev, other);
		return OCF_ERR_GENERIC;
	case MNT_TAKEN:
		warn_msg("%s: %s is mounted there", fs.dir, other);
		return OCF_ERR_GENERIC;
	case MNT_NONE:
		return do_mount();
	}
	return OCF_ERR_GENERIC;
}

static int try_umount(const char *dir, int attempt)
{
	if (umount2(dir, 0) == 0)
		return 0;
	if (errno == EBUSY)
		return 1;
	warn_sys("umount %s", dir);
	return -1;
}

static int stop(void)
{
	char other[PATH_MAX];
	int rc = params(OCF_ERR_INSTALLED), ro;

	if (rc)
		return rc;
	rc = mnt_where(fs.dev, fs.dir, other, sizeof other, &ro);
	if (rc != MNT_HERE)
		return rc < 0 ? OCF_ERR_GENERIC : OCF_SUCCESS;
	sync();
	if (mnt_unmount(fs.dir, mnt_bool(builtin_param("force_unmount")),
			try_umount) == 0)
		return OCF_SUCCESS;
	if (mnt_bool(builtin_param("self_fence")))
		warn_msg("self_fence: rebooting this node is not supported; "
			 "the stop fails");
	return OCF_ERR_GENERIC;
}

static int status(void)
{
	int rc = params(OCF_NOT_RUNNING);

	return rc ? rc : mnt_status(fs.dev, fs.dir,
				    mnt_bool(builtin_param("quick_status")));
}

int agent_fs(const char *action)
{
	static const struct mnt_agent fs_agent = {
		"fs", "A file system on a block device, mounted by the node "
		"that runs its service.", start, stop, status,
	};

	return mnt_act(&fs_agent, action);
}
