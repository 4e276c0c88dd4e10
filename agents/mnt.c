/* agents/mnt.c - mount tables, options, superblocks and export lists
 * read as text (pure, unit-tested), then the system side the fs and
 * netfs agents share: running a program, unmounting by force, checking
 * that a mount point answers.
 *
 * Users of a mount are found by device number: a process whose working
 * directory, root, executable, open files or mapped files lie on the
 * mounted file system (st_dev) holds it, whatever path it used. */
#include "mnt.h"
#include "builtin.h"
#include "meta.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* --- pure ----------------------------------------------------------------- */

int mnt_bool(const char *s)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };

	for (size_t i = 0; s && i < ARRAY_LEN(yes); i++)
		if (!strcasecmp(s, yes[i]))
			return 1;
	return 0;
}

static const struct {
	const char *word;
	unsigned long set, clear;
} flag_words[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },
	{ "noatime", MS_NOATIME, 0 }, { "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, 0 }, { "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 },
	{ "mand", MS_MANDLOCK, 0 }, { "nomand", 0, MS_MANDLOCK },
	/* mount(8)'s own words: nothing for the kernel */
	{ "defaults", 0, 0 }, { "auto", 0, 0 }, { "noauto", 0, 0 },
	{ "_netdev", 0, 0 }, { "nouser", 0, 0 }, { "nofail", 0, 0 },
};

static const char *const refused_words[] = {
	"remount", "bind", "rbind", "move",
};

/* 1 flag word (applied), 0 data, -1 refused. */
static int flag_word(const char *w, size_t len, unsigned long *flags)
{
	for (size_t i = 0; i < ARRAY_LEN(refused_words); i++)
		if (strlen(refused_words[i]) == len &&
		    !strncmp(refused_words[i], w, len))
			return -1;
	for (size_t i = 0; i < ARRAY_LEN(flag_words); i++)
		if (strlen(flag_words[i].word) == len &&
		    !strncmp(flag_words[i].word, w, len)) {
			*flags = (*flags | flag_words[i].set) &
				 ~flag_words[i].clear;
			return 1;
		}
	return 0;
}

int mnt_options(const char *opts, unsigned long *flags, char *data,
		size_t size)
{
	size_t used = 0;

	*flags = 0;
	if (size)
		data[0] = 0;
	for (const char *w = opts; w && *w;) {
		size_t len = strcspn(w, ",");
		int r = len ? flag_word(w, len, flags) : 1;

		if (r < 0 || (!r && used + !!used + len >= size))
			return -1;
		if (!r)
			used += (size_t)snprintf(data + used, size - used,
						 "%s%.*s", used ? "," : "",
						 (int)len, w);
		w += len + (w[len] == ',');
	}
	return 0;
}

int mnt_has_opt(const char *opts, const char *word)
{
	size_t n = strlen(word);

	for (const char *w = opts; w && *w;) {
		size_t len = strcspn(w, ",");

		if (len == n && !strncmp(w, word, n))
			return 1;
		w += len + (w[len] == ',');
	}
	return 0;
}

/* \ooo (three octal digits) back to its byte, in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

int mnt_next(char **pos, struct mnt_ent *e)
{
	while (**pos) {
		char *line = *pos, *nl = strchr(line, '\n'), *save = NULL;
		char *f[4] = { 0 };

		*pos = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = 0;
		for (int i = 0; i < 4; i++)
			if ((f[i] = strtok_r(i ? NULL : line, " \t", &save)))
				unescape(f[i]);
			else
				break;
		if (!f[3])
			continue;
		for (size_t n = strlen(f[0]); n > 1 && f[0][n - 1] == '/';)
			f[0][--n] = 0;
		*e = (struct mnt_ent){ f[0], f[1], f[2], f[3] };
		return 1;
	}
	return 0;
}

int mnt_classify(char *table, const char *src, const char *dir,
		 mnt_same_fn *same, struct mnt_ent *e)
{
	struct mnt_ent x, hit[4];
	int found[4] = { 0 };

	while (mnt_next(&table, &x)) {
		int s = same ? same(x.dev, src) : !strcmp(x.dev, src);
		int d = !strcmp(x.dir, dir);
		int k = s && d ? MNT_HERE : s ? MNT_ELSEWHERE :
			d ? MNT_TAKEN : MNT_NONE;

		if (k == MNT_ELSEWHERE && found[k])
			continue;	/* the first other place is enough */
		hit[k] = x;
		found[k] = 1;
	}
	for (int k = MNT_HERE; k <= MNT_TAKEN; k++)
		if (found[k]) {
			*e = hit[k];
			return k;
		}
	return MNT_NONE;
}

static unsigned le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24;
}

static void id_text(struct mnt_sb *sb, const unsigned char *uuid,
		    const unsigned char *label, size_t label_len)
{
	char *o = sb->uuid;

	for (int i = 0; i < 16; i++)
		o += sprintf(o, "%s%02x",
			     i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
			     uuid[i]);
	memcpy(sb->label, label, label_len);
	sb->label[label_len] = 0;
}

/* ext2/3/4: the superblock at 1024, magic 0xEF53 at 56; a journal makes
 * ext3, extents, 64-bit or flexible groups (or their ro_compat kin)
 * make ext4. */
static const char *ext_type(const unsigned char *s)
{
	unsigned compat = le32(s + 92), incompat = le32(s + 96);
	unsigned ro = le32(s + 100);

	if ((incompat & 0x2c0) || (ro & 0x478))
		return "ext4";
	return compat & 0x4 ? "ext3" : "ext2";
}

void mnt_probe(const unsigned char *b, size_t n, struct mnt_sb *sb)
{
	*sb = (struct mnt_sb){ 0 };
	if (n >= 2048 && b[1024 + 56] == 0x53 && b[1024 + 57] == 0xef) {
		sb->type = ext_type(b + 1024);
		id_text(sb, b + 1024 + 104, b + 1024 + 120, 16);
	} else if (n >= 120 && !memcmp(b, "XFSB", 4)) {
		sb->type = "xfs";
		id_text(sb, b + 32, b + 108, 12);
	}
}

/* `exportfs -v` gives "PATH<blanks>TARGET(OPTIONS)", a long PATH alone on
 * its line and TARGET on the next. */
int mnt_exported(char *list, const char *path, const char *target)
{
	const char *cur = "";
	int world = !strcmp(target, "*");

	for (char *save = NULL, *t = strtok_r(list, " \t\n", &save); t;
	     t = strtok_r(NULL, " \t\n", &save)) {
		unescape(t);
		if (*t == '/') {
			cur = t;
			continue;
		}
		t[strcspn(t, "(")] = 0;
		if (!strcmp(cur, path) && (!strcmp(t, target) ||
					   (world && !strcmp(t, "<world>"))))
			return 1;
	}
	return 0;
}

/* --- system --------------------------------------------------------------- */

int mnt_act(const struct mnt_agent *a, const char *action)
{
	const struct {
		const char *name;
		int (*fn)(void);
	} acts[] = {
		{ "start", a->start }, { "stop", a->stop },
		{ "status", a->status }, { "monitor", a->status },
	};

	sys_prog = a->type;
	for (size_t i = 0; i < ARRAY_LEN(acts); i++)
		if (!strcmp(acts[i].name, action))
			return acts[i].fn();
	if (!strcmp(action, "meta-data"))
		return meta_print(a->type, a->desc);
	warn_msg("%s: action not implemented", action);
	return OCF_ERR_UNIMPLEMENTED;
}

int mnt_status(const char *src, const char *dir, int quick)
{
	const char *level = getenv("OCF_CHECK_LEVEL");
	char other[PATH_MAX];
	int ro = 0, rc = mnt_where(src, dir, other, sizeof other, &ro);

	if (rc != MNT_HERE) {
		warn_msg("%s is not mounted on %s", src, dir);
		return rc < 0 ? OCF_ERR_GENERIC : OCF_NOT_RUNNING;
	}
	if (quick)
		return OCF_SUCCESS;
	return mnt_alive(dir, level ? atoi(level) : 0, ro) < 0 ?
	       OCF_ERR_GENERIC : OCF_SUCCESS;
}

static void child(char *const argv[], int out, int err)
{
	int e;

	if (out >= 0 && dup2(out, 1) < 0)
		_exit(127);
	execvp(argv[0], argv);
	e = errno;
	if (write(err, &e, sizeof e) != sizeof e)
		e = 0;	/* the parent sees a plain exit 127 */
	_exit(127);
}

static void slurp(int fd, struct buf *out)
{
	char b[4096];
	ssize_t n;

	while ((n = read(fd, b, sizeof b)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			buf_add(out, b, (size_t)n);
}

int mnt_run(char *const argv[], struct buf *out)
{
	int e[2], o[2] = { -1, -1 }, err = 0, status;
	pid_t pid;

	if (pipe2(e, O_CLOEXEC) < 0)
		return -1;
	if (out && pipe2(o, O_CLOEXEC) < 0) {
		close(e[0]);
		close(e[1]);
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == 0)
		child(argv, o[1], e[1]);
	close(e[1]);
	close(o[1]);
	if (pid > 0 && out)
		slurp(o[0], out);
	close(o[0]);
	if (pid > 0 && read(e[0], &err, sizeof err) != sizeof err)
		err = 0;
	close(e[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	if (err)
		return errno = err, -1;
	return WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status);
}

/* Same source: the same text, or the same block device. */
static int same_dev(const char *entry, const char *src)
{
	struct stat a, b;

	if (!strcmp(entry, src))
		return 1;
	return *entry == '/' && *src == '/' && !stat(entry, &a) &&
	       !stat(src, &b) && S_ISBLK(a.st_mode) && S_ISBLK(b.st_mode) &&
	       a.st_rdev == b.st_rdev;
}

int mnt_where(const char *src, const char *dir, char *other, size_t n,
	      int *ro)
{
	char *tab = read_file("/proc/self/mounts", 1 << 22, NULL);
	char real[PATH_MAX];
	struct mnt_ent e;
	int k;

	if (!tab) {
		warn_sys("/proc/self/mounts");
		return -1;
	}
	if (!realpath(dir, real))
		snprintf(real, sizeof real, "%s", dir);
	k = mnt_classify(tab, src, real, same_dev, &e);
	if (k != MNT_NONE) {
		snprintf(other, n, "%s", k == MNT_TAKEN ? e.dev : e.dir);
		*ro = mnt_has_opt(e.opts, "ro");
	}
	free(tab);
	return k;
}

/* 1 when /proc/PID/maps maps a file of dev. */
static int maps_on(const char *pid, dev_t dev)
{
	char path[64], line[512];
	unsigned ma, mi;
	int hit = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%s/maps", pid);
	if (!(f = fopen(path, "re")))
		return 0;
	while (!hit && fgets(line, sizeof line, f))
		hit = sscanf(line, "%*s %*s %*s %x:%x", &ma, &mi) == 2 &&
		      (ma || mi) && makedev(ma, mi) == dev;
	fclose(f);
	return hit;
}

static int on_dev(const char *path, dev_t dev)
{
	struct stat st;

	return !stat(path, &st) && st.st_dev == dev;
}

/* 1 when process pid holds something of dev. */
static int holds(const char *pid, dev_t dev)
{
	static const char *const links[] = { "cwd", "root", "exe" };
	char path[PATH_MAX];
	struct dirent *d;
	DIR *fds;
	int hit = 0;

	for (size_t i = 0; i < ARRAY_LEN(links); i++) {
		snprintf(path, sizeof path, "/proc/%s/%s", pid, links[i]);
		if (on_dev(path, dev))
			return 1;
	}
	snprintf(path, sizeof path, "/proc/%s/fd", pid);
	if ((fds = opendir(path))) {
		while (!hit && (d = readdir(fds))) {
			snprintf(path, sizeof path, "/proc/%s/fd/%s", pid,
				 d->d_name);
			hit = *d->d_name != '.' && on_dev(path, dev);
		}
		closedir(fds);
	}
	return hit || maps_on(pid, dev);
}

/* Signal (sig 0: only count) the processes holding dev. */
static int users(dev_t dev, int sig)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;
	int n = 0;

	while (proc && (d = readdir(proc))) {
		pid_t pid = (pid_t)atoi(d->d_name);

		if (pid <= 1 || pid == getpid() || pid == getppid() ||
		    !holds(d->d_name, dev))
			continue;
		n++;
		if (sig && kill(pid, sig) == 0)
			warn_msg("killed process %d (signal %d)", (int)pid,
				 sig);
	}
	if (proc)
		closedir(proc);
	return n;
}

static void wait_gone(dev_t dev, int ms)
{
	struct timespec tick = { 0, 100 * 1000000 };

	for (; ms > 0 && users(dev, 0); ms -= 100)
		nanosleep(&tick, NULL);
}

int mnt_unmount(const char *dir, int force, mnt_umount_fn *fn)
{
	struct stat st;

	for (int attempt = 0;; attempt++) {
		int r = fn(dir, attempt);

		if (r <= 0)
			return r;
		if (!force || attempt == 2 || stat(dir, &st) < 0)
			break;
		warn_msg("%s: busy: sending %s to its users", dir,
			 attempt ? "SIGKILL" : "SIGTERM");
		users(st.st_dev, attempt ? SIGKILL : SIGTERM);
		wait_gone(st.st_dev, attempt ? 2000 : 5000);
	}
	warn_msg("%s: still in use%s", dir,
		 force ? "" : " (force_unmount would kill its users)");
	return -1;
}

static int write_test(const char *dir)
{
	char host[64] = "localhost", path[PATH_MAX];
	int fd;

	gethostname(host, sizeof host - 1);
	snprintf(path, sizeof path, "%s/.check_writable.%s.XXXXXX", dir,
		 host);
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	return unlink(path);
}

int mnt_alive(const char *dir, int depth, int ro)
{
	DIR *d;

	if (depth < 10)
		return 0;
	errno = 0;
	if (!(d = opendir(dir)) || (!readdir(d) && errno)) {
		warn_sys("%s: read test failed", dir);
		if (d)
			closedir(d);
		return -1;
	}
	closedir(d);
	if (depth >= 20 && !ro && write_test(dir) < 0) {
		warn_sys("%s: write test failed", dir);
		return -1;
	}
	return 0;
}

int mnt_mkdirs(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	int err = 0;

	snprintf(p, sizeof p, "%s", dir);
	for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
		if (s)
			*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			err = errno;
			break;
		}
		if (!s)
			break;
		*s = '/';
	}
	if (!err && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	errno = err ? err : ENOTDIR;
	warn_sys("cannot create mount point %s", dir);
	return -1;
}
