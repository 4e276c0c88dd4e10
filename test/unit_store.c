/* test/unit_store.c - the config store: lock, backups, failed commits. */
#include "unit.h"
#include "../xml/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *scratch(void)
{
	char tmpl[] = "/tmp/unit-store.XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? xstrdup(d) : NULL;
}

static void rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		fprintf(stderr, "unit_store: could not remove %s\n", dir);
	free(cmd);
}

static struct xml_node *doc_v(int version)
{
	char *text = xasprintf("<cluster name=\"t\" config_version=\"%d\"/>",
			       version);
	struct xml_node *doc = xml_parse(text, strlen(text), NULL);

	free(text);
	return doc;
}

/* config_version of the file path.suffix, -1 if unreadable. */
static int version_of(const char *path, const char *suffix)
{
	char *name = xasprintf("%s%s", path, suffix);
	struct xml_node *doc = xml_load(name, NULL);
	const char *v = xml_get(xml_root(doc), "config_version");
	int n = v ? atoi(v) : -1;

	xml_free(doc);
	free(name);
	return n;
}

static int exists(const char *path, const char *suffix)
{
	char *name = xasprintf("%s%s", path, suffix);
	struct stat st;
	int rc = stat(name, &st) == 0;

	free(name);
	return rc;
}

/* A new file, then edits of it: version n on disk after commit n. */
static void commit_versions(const char *path, int from, int to)
{
	struct store s;
	struct xml_node *doc;

	for (int v = from; v <= to; v++) {
		if (v == 1) {
			CHECK_INT(store_lock(&s, path), 0);
		} else {
			CHECK((doc = store_begin(&s, path)) != NULL);
			xml_free(doc);
		}
		doc = doc_v(v);
		CHECK_INT(store_commit(&s, doc), 0);
		xml_free(doc);
	}
}

TEST(store_new_file_has_no_backups)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	struct stat st;

	commit_versions(f, 1, 1);
	CHECK_INT(version_of(f, ""), 1);
	CHECK(!exists(f, ".old") && !exists(f, ".bak.1"));
	CHECK(!exists(f, ".tmp"));
	CHECK(!exists(f, ".lock"));	/* an edit leaves no lock file */
	CHECK(stat(f, &st) == 0 && (st.st_mode & 0777) == STORE_MODE);
	rm_rf(d);
	free(f);
	free(d);
}

TEST(store_rotates_backups_newest_first)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);

	commit_versions(f, 1, 6);
	CHECK_INT(version_of(f, ""), 6);
	CHECK_INT(version_of(f, ".old"), 5);
	CHECK_INT(version_of(f, ".bak.1"), 5);
	CHECK_INT(version_of(f, ".bak.2"), 4);
	CHECK_INT(version_of(f, ".bak.3"), 3);
	CHECK(!exists(f, ".bak.4"));
	CHECK(!exists(f, ".tmp"));
	rm_rf(d);
	free(f);
	free(d);
}

TEST(store_abort_writes_nothing)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	struct store s;
	struct xml_node *doc;

	commit_versions(f, 1, 2);
	doc = store_begin(&s, f);
	CHECK(doc != NULL);
	xml_set(xml_root(doc), "config_version", "99");
	store_abort(&s);
	xml_free(doc);
	CHECK_INT(version_of(f, ""), 2);
	CHECK_INT(version_of(f, ".bak.1"), 1);
	CHECK(!exists(f, ".bak.2"));
	/* the lock is free again: a second edit does not wait forever */
	commit_versions(f, 3, 3);
	CHECK_INT(version_of(f, ""), 3);
	rm_rf(d);
	free(f);
	free(d);
}

/* PATH.tmp as a directory makes the write fail the way a full disk or a
 * read-only directory would, also for root. */
TEST(store_failed_write_leaves_file_and_backups)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	char *tmp = xasprintf("%s.tmp", f);
	struct store s;
	struct xml_node *doc;

	commit_versions(f, 1, 4);
	CHECK_INT(mkdir(tmp, 0700), 0);
	CHECK((doc = store_begin(&s, f)) != NULL);
	xml_free(doc);
	doc = doc_v(5);
	CHECK_INT(store_commit(&s, doc), -1);
	CHECK(strstr(s.err, "cluster.conf.tmp") != NULL);
	xml_free(doc);
	CHECK_INT(version_of(f, ""), 4);
	CHECK_INT(version_of(f, ".old"), 3);
	CHECK_INT(version_of(f, ".bak.1"), 3);
	CHECK_INT(version_of(f, ".bak.2"), 2);
	CHECK_INT(version_of(f, ".bak.3"), 1);
	rmdir(tmp);
	commit_versions(f, 5, 5);
	CHECK_INT(version_of(f, ""), 5);
	rm_rf(d);
	free(tmp);
	free(f);
	free(d);
}

/* A rotation that cannot start (PATH.bak.3 is a directory) leaves the
 * file and the backups, and removes PATH.tmp. */
TEST(store_failed_rotation_leaves_file)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	char *bak3 = xasprintf("%s.bak.3", f);
	struct store s;
	struct xml_node *doc;

	commit_versions(f, 1, 3);
	CHECK_INT(mkdir(bak3, 0700), 0);
	CHECK((doc = store_begin(&s, f)) != NULL);
	xml_free(doc);
	doc = doc_v(4);
	CHECK_INT(store_commit(&s, doc), -1);
	CHECK(strstr(s.err, "cluster.conf.bak.3") != NULL);
	xml_free(doc);
	CHECK_INT(version_of(f, ""), 3);
	CHECK_INT(version_of(f, ".old"), 2);
	CHECK_INT(version_of(f, ".bak.1"), 2);
	CHECK_INT(version_of(f, ".bak.2"), 1);
	CHECK(!exists(f, ".tmp"));
	rm_rf(d);
	free(bak3);
	free(f);
	free(d);
}

TEST(store_missing_directory_or_file)
{
	struct store s;

	CHECK_INT(store_lock(&s, "/nonexistent-dir/cluster.conf"), -1);
	CHECK_STR(s.err, "/nonexistent-dir: No such file or directory");
	CHECK(strstr(s.err, "No such file") != NULL);
	store_abort(&s);
	CHECK(store_begin(&s, "/tmp") == NULL);	/* a directory, no lock */
	CHECK(strstr(s.err, "Is a directory") != NULL);
	CHECK(store_begin(&s, "/proc/nonexistent/x") == NULL);
}

TEST(store_begin_missing_file_unlocks)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	struct store s;

	CHECK(store_begin(&s, f) == NULL);
	CHECK(strstr(s.err, "cannot read") != NULL);
	CHECK(s.path == NULL && s.fd == -1);
	CHECK_INT(store_lock(&s, f), 0);
	CHECK_INT(s.existed, 0);
	store_abort(&s);
	store_abort(&s);	/* twice is harmless */
	rm_rf(d);
	free(f);
	free(d);
}

TEST(store_bad_xml_is_an_error_and_unlocks)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	FILE *fp = fopen(f, "w");
	struct store s;

	fputs("<cluster name=\"t\"", fp);
	fclose(fp);
	CHECK(store_begin(&s, f) == NULL);
	CHECK(strstr(s.err, "cluster.conf:1:") != NULL);
	CHECK(s.path == NULL);
	CHECK_INT(store_lock(&s, f), 0);	/* not left locked */
	store_abort(&s);
	rm_rf(d);
	free(f);
	free(d);
}

/* A child holds the lock and commits version 2 after a pause; the parent's
 * store_begin must wait for it and then read version 2. */
TEST(store_lock_serializes_editors)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	int ready[2], status = -1;
	struct store s;
	struct xml_node *doc;
	int64_t t0;
	pid_t pid;
	char c;

	commit_versions(f, 1, 1);
	CHECK_INT(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		struct xml_node *mine = store_begin(&s, f);
		if (write(ready[1], "x", 1) != 1 || !mine)
			_exit(2);
		usleep(300 * 1000);
		xml_set(xml_root(mine), "config_version", "2");
		_exit(store_commit(&s, mine) == 0 ? 0 : 3);
	}
	CHECK(read(ready[0], &c, 1) == 1);
	t0 = now_ms();
	doc = store_begin(&s, f);
	CHECK(now_ms() - t0 >= 200);
	CHECK_STR(xml_get(xml_root(doc), "config_version"), "2");
	store_abort(&s);
	xml_free(doc);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	close(ready[0]);
	close(ready[1]);
	rm_rf(d);
	free(f);
	free(d);
}

/* One editor in a child: read the version, hold the lock hold_ms, write
 * the version + 1.  Exit 0 when that worked. */
static pid_t editor(const char *f, int hold_ms, int ready)
{
	pid_t pid = fork();
	struct store s;
	struct xml_node *doc;
	char v[16];

	if (pid != 0)
		return pid;
	doc = store_begin(&s, f);
	if (ready >= 0 && write(ready, "x", 1) != 1)
		_exit(2);
	if (!doc)
		_exit(3);
	usleep((useconds_t)hold_ms * 1000);
	snprintf(v, sizeof v, "%d",
		 atoi(xml_get(xml_root(doc), "config_version")) + 1);
	xml_set(xml_root(doc), "config_version", v);
	_exit(store_commit(&s, doc) == 0 ? 0 : 4);
}

/* The holder removes the lock file as it lets go.  Two editors waiting
 * on the removed file and a third that comes while one of them holds the
 * lock must still take turns: four edits of version 1 end at 5, none
 * lost, and no lock file is left. */
TEST(store_removed_lock_file_loses_no_edit)
{
	char *d = scratch(), *f = xasprintf("%s/cluster.conf", d);
	int ready[2], status, ok = 1;
	pid_t pid[4];
	char c;

	commit_versions(f, 1, 1);
	CHECK_INT(pipe(ready), 0);
	pid[0] = editor(f, 300, ready[1]);
	CHECK(read(ready[0], &c, 1) == 1);
	pid[1] = editor(f, 200, -1);
	pid[2] = editor(f, 200, -1);
	usleep(400 * 1000);		/* the first is done; one waiter holds */
	pid[3] = editor(f, 0, -1);
	for (int i = 0; i < 4; i++)
		ok &= waitpid(pid[i], &status, 0) == pid[i] &&
		      WIFEXITED(status) && WEXITSTATUS(status) == 0;
	CHECK(ok);
	CHECK_INT(version_of(f, ""), 5);
	CHECK(!exists(f, ".lock"));
	close(ready[0]);
	close(ready[1]);
	rm_rf(d);
	free(f);
	free(d);
}

TEST(store_commit_without_lock_fails)
{
	struct store s = {0};
	struct xml_node *doc = doc_v(1);

	s.fd = -1;
	CHECK_INT(store_commit(&s, doc), -1);
	xml_free(doc);
}
