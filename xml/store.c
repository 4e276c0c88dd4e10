/* xml/store.c - cluster.conf read-modify-write: lock, load, atomic save.
 *
 * Two editors must never lose each other's change, and a crash must never
 * leave a half-written file (DESIGN.md principle 7).  So an edit holds an
 * exclusive flock() on PATH.lock from before it reads PATH until after the
 * new file is in place: a second editor waits, then reads the first one's
 * result.  The holder removes PATH.lock as it lets go, so an edit leaves
 * nothing behind; a waiter that then gets the lock on the removed file
 * sees that the name no longer leads to what it locked, and starts over
 * on a new one.  Readers take no lock: PATH is only ever replaced by
 * rename(), so they see the old or the new file.
 *
 * The new text goes to PATH.tmp (written, fsynced, by replace_file) before
 * anything else changes; a full disk or a read-only directory stops the
 * edit there.  Then the backups of spec 7.3 rotate, PATH.old is the
 * previous file as ccs_tool kept it, and PATH.tmp replaces PATH.  Should a
 * rename of the rotation itself fail, PATH stays as it was, but older
 * backups may have moved up one place already. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(struct store *s, int err, const char *fmt, ...)
	PRINTF(3, 4);

/* s->err = "fmt: strerror(err)" (err 0: no reason appended); -1. */
static int fail(struct store *s, int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	n = strlen(s->err);
	if (err)
		snprintf(s->err + n, sizeof s->err - n, ": %s", strerror(err));
	return -1;
}

/* Safe on a zeroed or already unlocked store: path is set only while
 * the lock is held.  The lock file goes before the lock does. */
static void unlock(struct store *s)
{
	char *lock;

	if (!s->path)
		return;
	lock = xasprintf("%s.lock", s->path);
	unlink(lock);
	free(lock);
	close(s->fd);
	s->fd = -1;
	free(s->path);
	s->path = NULL;
}

/* 1 when fd is still the file the name lock leads to. */
static int still_named(int fd, const char *lock)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(lock, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The lock file, open and flock()ed; -1 with errno set.  One its last
 * holder removed while we waited is given up for a new one. */
static int open_lock(const char *lock)
{
	for (;;) {
		int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, STORE_MODE);
		int e;

		if (fd < 0)
			return -1;
		while (flock(fd, LOCK_EX) < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (still_named(fd, lock))
			return fd;
		close(fd);
	}
}

/* The directory of path, when it is not one: what to name instead of
 * PATH.lock when that cannot be made there. */
static int no_dir(struct store *s, const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int rc = 0;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	if (slash && stat(dir, &st) < 0)
		rc = fail(s, errno, "%s", dir);
	else if (slash && !S_ISDIR(st.st_mode))
		rc = fail(s, ENOTDIR, "%s", dir);
	free(dir);
	return rc;
}

int store_lock(struct store *s, const char *path)
{
	char *lock = xasprintf("%s.lock", path);
	struct stat st;

	*s = (struct store){ .fd = -1 };
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fail(s, EISDIR, "%s", path);
	} else if ((s->fd = open_lock(lock)) < 0) {
		int e = errno;

		if (no_dir(s, path) == 0)
			fail(s, e, "%s", lock);
	} else {
		s->path = xstrdup(path);
		s->existed = stat(path, &st) == 0;
	}
	free(lock);
	return s->path ? 0 : -1;
}

struct xml_node *store_begin(struct store *s, const char *path)
{
	struct xml_err err;
	struct xml_node *doc;

	if (store_lock(s, path) < 0)
		return NULL;
	doc = xml_load(path, &err);
	if (doc)
		return doc;
	if (err.line)
		fail(s, 0, "%s:%d:%d: %s", path, err.line, err.col, err.msg);
	else
		fail(s, 0, "%s: %s", path, err.msg);
	unlock(s);
	return NULL;
}

/* Move PATH.bak.N to PATH.bak.N+1, newest last so nothing is overwritten
 * that has not moved on yet. */
static int rotate(struct store *s)
{
	char *from = NULL, *to = NULL;
	int rc = 0;

	for (int i = STORE_BACKUPS - 1; i >= 1 && rc == 0; i--) {
		from = xasprintf("%s.bak.%d", s->path, i);
		to = xasprintf("%s.bak.%d", s->path, i + 1);
		if (rename(from, to) < 0 && errno != ENOENT)
			rc = fail(s, errno, "%s -> %s", from, to);
		free(from);
		free(to);
	}
	return rc;
}

/* name becomes a second name of the current PATH. */
static int keep(struct store *s, const char *suffix)
{
	char *name = xasprintf("%s%s", s->path, suffix);
	int rc = 0;

	if ((unlink(name) < 0 && errno != ENOENT) || link(s->path, name) < 0)
		rc = fail(s, errno, "%s", name);
	free(name);
	return rc;
}

static int put_in_place(struct store *s, const char *tmp)
{
	if (s->existed && (rotate(s) < 0 || keep(s, ".bak.1") < 0 ||
			   keep(s, ".old") < 0))
		return -1;
	if (rename(tmp, s->path) < 0)
		return fail(s, errno, "%s -> %s", tmp, s->path);
	if (sync_dir_of(s->path) < 0)
		return fail(s, errno, "%s: fsync of its directory", s->path);
	return 0;
}

int store_commit(struct store *s, const struct xml_node *doc)
{
	char *tmp;
	struct buf b = {0};
	int rc;

	if (!s->path)
		return fail(s, 0, "store_commit without a lock");
	tmp = xasprintf("%s.tmp", s->path);
	xml_write(&b, doc);
	rc = replace_file(tmp, b.p, b.len, STORE_MODE, NULL);
	if (rc < 0)
		fail(s, errno, "%s", tmp);
	else if ((rc = put_in_place(s, tmp)) < 0)
		unlink(tmp);
	buf_free(&b);
	free(tmp);
	unlock(s);
	return rc;
}

void store_abort(struct store *s)
{
	unlock(s);
}
