/* net/keygen.c - the keygen applet: write a new random cluster key.
 *
 * The key is 32 bytes from getrandom(), written atomically (temp file,
 * fsync, rename) with mode 0400, so a node never reads half a key.
 * Without -f an existing key is never touched: the new file is linked
 * into place, which fails if one appeared meanwhile.  With -f the old key
 * is kept as FILE.old, because a cluster whose nodes disagree on the key
 * cannot talk and the administrator may need the old one back.  The
 * default directory /etc/cluster is created when missing (keygen is
 * often the first step of a new node); for any other FILE the directory
 * must exist, so a typo in a path does not grow new directories. */
#include "crypto.h"
#include "seal.h"
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES	32
#define KEY_MODE	0400
#define KEY_DIR		"/etc/cluster"

const char keygen_help[] =
"usage: hacluster keygen [-f] [FILE]\n"
"  -f       replace an existing key; the old one is kept as FILE.old\n"
"Write a new random 32-byte cluster key to FILE (default " SEAL_KEYFILE
",\n"
"whose directory is created if missing), mode 0400.  Every node needs the\n"
"same key: copy it to each one.  A key elsewhere than the default is used\n"
"when cluster.conf names it: <cman keyfile=\"FILE\"/>.\n"
"Exit status: 0 written, 1 refused or failed, 2 usage.\n";

static void random_key(uint8_t key[KEY_BYTES])
{
	ssize_t n;

	do
		n = getrandom(key, KEY_BYTES, 0);
	while (n < 0 && errno == EINTR);
	if (n != KEY_BYTES)
		die_sys("getrandom");
}

/* Write key to path only if path does not exist: a private temp file,
 * then link(), which refuses to replace anything. */
static int write_new(const char *path, const uint8_t *key)
{
	char *tmp = xasprintf("%s.keygen.%d", path, (int)getpid());
	int rc = replace_file(tmp, key, KEY_BYTES, KEY_MODE, NULL);
	int e;

	if (!rc)
		rc = link(tmp, path);
	e = errno;
	unlink(tmp);
	free(tmp);
	if (!rc)
		rc = sync_dir_of(path);
	errno = e;
	return rc;
}

static int write_key(const char *path, int force, const uint8_t *key)
{
	char *old;
	int rc;

	if (!force)
		return write_new(path, key);
	old = xasprintf("%s.old", path);
	rc = replace_file(path, key, KEY_BYTES, KEY_MODE, old);
	free(old);
	return rc;
}

int keygen_main(int argc, char **argv)
{
	const char *path = SEAL_KEYFILE;
	uint8_t key[KEY_BYTES];
	int force = 0, opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":fh", help_opt, NULL)) != -1) {
		switch (opt) {
		case 'f': force = 1; break;
		case 'h': fputs(keygen_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	}
	if (argc - optind > 1)
		die_usage("unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc)
		path = argv[optind];
	if (!strcmp(path, SEAL_KEYFILE) && mkdir(KEY_DIR, 0755) < 0 &&
	    errno != EEXIST)
		die_sys("%s", KEY_DIR);
	random_key(key);
	rc = write_key(path, force, key);
	crypto_wipe(key, sizeof key);
	if (rc < 0 && errno == EEXIST)
		die("%s: a key is there already; -f replaces it (and every "
		    "node then needs the new one)", path);
	if (rc < 0)
		die_sys("%s", path);
	printf("wrote a new cluster key to %s\n"
	       "copy it to every node (same path, mode 0400)\n", path);
	return 0;
}
