/* xml/store.h - cluster.conf read-modify-write: lock, load, atomic save. */
#ifndef STORE_H
#define STORE_H

#include "xml.h"

#define STORE_MODE 0640		/* what umask 026 gave the original */
#define STORE_BACKUPS 3		/* PATH.bak.1 (newest) .. PATH.bak.3 */

/* One edit of one file; store_lock() fills it in.  A zeroed store holds
 * no lock, so store_abort() on it does nothing. */
struct store {
	char *path;		/* the file edited */
	int fd;			/* PATH.lock, flock()ed exclusively; -1 */
	int existed;		/* PATH was there when the lock was taken */
	char err[512];		/* why the last call failed: "PATH: why" */
};

/* Take the exclusive lock on PATH.lock, waiting for any other editor, and
 * note whether PATH exists.  0, or -1 with s->err set. */
int store_lock(struct store *s, const char *path);

/* store_lock(), then parse PATH.  The document (the caller frees it), or
 * NULL with s->err set and the lock released. */
struct xml_node *store_begin(struct store *s, const char *path);

/* Write doc as PATH: PATH.tmp first (fsync), then the backups rotate
 * (bak.2 -> bak.3, bak.1 -> bak.2, PATH -> bak.1 and PATH.old), then
 * PATH.tmp is renamed over PATH and the directory fsynced.  0, or -1 with
 * s->err set and PATH untouched (unless only that last fsync failed).
 * The lock is released either way. */
int store_commit(struct store *s, const struct xml_node *doc);

/* Release the lock without writing anything. */
void store_abort(struct store *s);

#endif
