/* agents/mnt.h - what the fs, netfs and nfs agents share: mount tables,
 * mount options, superblocks, export lists (pure), and running programs,
 * unmounting by force, checking a mount point (system). */
#ifndef MNT_H
#define MNT_H

#include <stddef.h>

#include "../net/sys.h"

/* --- pure ----------------------------------------------------------------- */

/* rgmanager's booleans: 1, yes, on, true (any case) are 1; all else 0. */
int mnt_bool(const char *s);

/* Split a comma list of mount options (NULL: none) into MS_* flags and
 * the rest, comma-joined into data (what the file system reads).  0, or
 * -1 when a word asks for another kind of mount (remount, bind, rbind,
 * move) or data does not fit. */
int mnt_options(const char *opts, unsigned long *flags, char *data,
		size_t size);

/* 1 when word is one of the comma list opts. */
int mnt_has_opt(const char *opts, const char *word);

/* One entry of /proc/mounts: source, directory, type, options. */
struct mnt_ent {
	char *dev, *dir, *type, *opts;
};

/* The next entry of a mount table's text from *pos on, split in place,
 * the octal escapes (\040 ...) undone, trailing slashes of the source
 * dropped; 1, or 0 at the end. */
int mnt_next(char **pos, struct mnt_ent *e);

/* Where src stands in the table: MNT_HERE mounted at dir, else
 * MNT_ELSEWHERE mounted at another directory, else MNT_TAKEN dir has
 * another source, else MNT_NONE.  *e: the entry that decided.  same
 * compares a table source with src (NULL: as text). */
enum { MNT_NONE, MNT_HERE, MNT_ELSEWHERE, MNT_TAKEN };
typedef int mnt_same_fn(const char *entry, const char *src);
int mnt_classify(char *table, const char *src, const char *dir,
		 mnt_same_fn *same, struct mnt_ent *e);

/* A file system's identity from its first 2 KiB: type "ext2", "ext3",
 * "ext4" or "xfs" (NULL when neither), label, UUID as text. */
struct mnt_sb {
	const char *type;
	char label[17], uuid[37];
};
void mnt_probe(const unsigned char *b, size_t n, struct mnt_sb *sb);

/* 1 when `exportfs -v` output (modified) lists path to target; "*" is
 * the world (shown as <world>). */
int mnt_exported(char *list, const char *path, const char *target);

/* --- system --------------------------------------------------------------- */

/* An agent: its type (also the "prog: " of its messages), the
 * description its meta-data gives, its actions. */
struct mnt_agent {
	const char *type, *desc;
	int (*start)(void), (*stop)(void), (*status)(void);
};
/* Run action (monitor is status; meta-data from the schema); unknown:
 * OCF_ERR_UNIMPLEMENTED. */
int mnt_act(const struct mnt_agent *a, const char *action);

/* Run argv (searched in $PATH) and wait: its exit code (128 + signal),
 * or -1 with errno when it could not run (ENOENT: no such program).
 * out, if not NULL, receives its standard output. */
int mnt_run(char *const argv[], struct buf *out);

/* Where src stands in /proc/self/mounts (see mnt_classify; block devices
 * compare by device number); *other receives the other directory or
 * source, *ro 1 when the mount is read-only.  -1 when unreadable. */
int mnt_where(const char *src, const char *dir, char *other, size_t n,
	      int *ro);

/* One try at unmounting dir: 0 done, 1 busy (worth another try after
 * killing users), -1 failed for good (the callee says why). */
typedef int mnt_umount_fn(const char *dir, int attempt);
/* Unmount dir by fn; when force, kill what uses it between tries (TERM,
 * then KILL), never this process or its parent.  0 or -1. */
int mnt_unmount(const char *dir, int force, mnt_umount_fn *fn);

/* Depth 10 and more: dir is readable; 20: a file can be written there
 * (not when ro).  0, or -1 with a message. */
int mnt_alive(const char *dir, int depth, int ro);

/* mkdir -p dir (mode 0755); 0, or -1 with a message. */
int mnt_mkdirs(const char *dir);

/* The status of src on dir at OCF_CHECK_LEVEL (quick: the mount only):
 * OCF_SUCCESS, OCF_NOT_RUNNING, or OCF_ERR_GENERIC, with a message. */
int mnt_status(const char *src, const char *dir, int quick);

#endif
