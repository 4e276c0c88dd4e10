/* test/unit_mnt.c - the pure parts of agents/mnt.c: booleans, mount
 * options, /proc/mounts lines and matching, superblocks, export lists. */
#include "unit.h"
#include "../agents/mnt.h"

#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

TEST(mnt_bool_words)
{
	static const char *const yes[] = { "1", "yes", "YES", "on", "true",
					   "True" };
	static const char *const no[] = { "0", "no", "off", "false", "",
					   "2", "yess", "y" };

	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		CHECK_INT(mnt_bool(yes[i]), 1);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		CHECK_INT(mnt_bool(no[i]), 0);
	CHECK_INT(mnt_bool(NULL), 0);
}

TEST(mnt_options_split)
{
	static const struct {
		const char *in;
		int rc;
		unsigned long flags;
		const char *data;
	} t[] = {
		{ NULL, 0, 0, "" },
		{ "", 0, 0, "" },
		{ "ro", 0, MS_RDONLY, "" },
		{ "ro,rw", 0, 0, "" },
		{ "rw,ro", 0, MS_RDONLY, "" },
		{ "ro,noatime,data=ordered,errors=remount-ro", 0,
		  MS_RDONLY | MS_NOATIME, "data=ordered,errors=remount-ro" },
		{ "nosuid,nodev,noexec,sync,dirsync", 0,
		  MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS |
		  MS_DIRSYNC, "" },
		{ "nodiratime,relatime,defaults,_netdev", 0,
		  MS_NODIRATIME | MS_RELATIME, "" },
		{ "sync,async,user_xattr,,acl", 0, 0, "user_xattr,acl" },
		{ "remount", -1, 0, "" },
		{ "ro,bind", -1, 0, "" },
		{ "move", -1, 0, "" },
		{ "rwx,noatimes", 0, 0, "rwx,noatimes" },
	};
	unsigned long flags;
	char data[64];

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int rc = mnt_options(t[i].in, &flags, data, sizeof data);

		CHECK_INT(rc, t[i].rc);
		if (rc == 0) {
			CHECK_INT(flags, t[i].flags);
			CHECK_STR(data, t[i].data);
		}
	}
	/* data that does not fit */
	CHECK_INT(mnt_options("aaaa,bbbb", &flags, data, 9), -1);
	CHECK_INT(mnt_options("aaaa,bbb", &flags, data, 9), 0);
	CHECK_STR(data, "aaaa,bbb");
}

TEST(mnt_has_opt_words)
{
	CHECK(mnt_has_opt("rw,relatime", "rw"));
	CHECK(mnt_has_opt("noatime,ro", "ro"));
	CHECK(!mnt_has_opt("rw,errors=remount-ro", "ro"));
	CHECK(!mnt_has_opt("rootcontext=x", "ro"));
	CHECK(!mnt_has_opt(NULL, "ro"));
}

TEST(mnt_next_lines)
{
	char tab[] =
		"/dev/sda1 / ext4 rw,relatime 0 0\n"
		"\n"
		"short line\n"
		"/dev/loop0 /mnt/with\\040space\\011tab ext4 ro 0 0\n"
		"//srv/share/ /mnt/back\\134slash cifs rw 0 0\n"
		"srv:/ /mnt/root nfs rw 0 0\n"
		"tmpfs /odd\\9x tmpfs rw 0 0";
	char *pos = tab;
	struct mnt_ent e;

	CHECK(mnt_next(&pos, &e));
	CHECK_STR(e.dev, "/dev/sda1");
	CHECK_STR(e.dir, "/");
	CHECK_STR(e.type, "ext4");
	CHECK_STR(e.opts, "rw,relatime");
	CHECK(mnt_next(&pos, &e));
	CHECK_STR(e.dir, "/mnt/with space\ttab");
	CHECK_STR(e.opts, "ro");
	CHECK(mnt_next(&pos, &e));
	CHECK_STR(e.dev, "//srv/share");
	CHECK_STR(e.dir, "/mnt/back\\slash");
	CHECK(mnt_next(&pos, &e));
	CHECK_STR(e.dev, "srv:");
	CHECK(mnt_next(&pos, &e));
	CHECK_STR(e.dir, "/odd\\9x");
	CHECK(!mnt_next(&pos, &e));
}

static const char table[] =
	"/dev/sda1 / ext4 rw 0 0\n"
	"/dev/loop0 /srv/a ext4 rw 0 0\n"
	"/dev/loop1 /srv/b ext4 ro 0 0\n"
	"/dev/loop1 /srv/c ext4 ro 0 0\n"
	"srv:/exp /mnt/n nfs rw 0 0\n"
	"tmpfs /srv/b tmpfs rw 0 0\n";

static int classify(const char *src, const char *dir, struct mnt_ent *e)
{
	static char t[sizeof table];

	memcpy(t, table, sizeof table);
	return mnt_classify(t, src, dir, NULL, e);
}

static int same_loop(const char *entry, const char *src)
{
	return !strcmp(entry, src) ||
	       (!strcmp(entry, "/dev/loop0") && !strcmp(src, "/dev/lp0"));
}

TEST(mnt_classify_table)
{
	struct mnt_ent e;
	char t[sizeof table];

	CHECK_INT(classify("/dev/loop0", "/srv/a", &e), MNT_HERE);
	CHECK_STR(e.opts, "rw");
	CHECK_INT(classify("/dev/loop0", "/srv/x", &e), MNT_ELSEWHERE);
	CHECK_STR(e.dir, "/srv/a");
	/* mounted here and elsewhere: here wins */
	CHECK_INT(classify("/dev/loop1", "/srv/c", &e), MNT_HERE);
	CHECK_INT(classify("/dev/loop1", "/srv/x", &e), MNT_ELSEWHERE);
	CHECK_STR(e.dir, "/srv/b");
	CHECK_INT(classify("/dev/loop2", "/srv/b", &e), MNT_TAKEN);
	CHECK_STR(e.dev, "tmpfs");	/* the last mount there */
	CHECK_INT(classify("/dev/loop2", "/srv/x", &e), MNT_NONE);
	CHECK_INT(classify("srv:/exp", "/mnt/n", &e), MNT_HERE);
	CHECK_INT(classify("srv:/exp2", "/mnt/n", &e), MNT_TAKEN);
	CHECK_INT(classify("/srv/a", "/dev/loop0", &e), MNT_NONE);
	memcpy(t, table, sizeof table);
	CHECK_INT(mnt_classify(t, "/dev/lp0", "/srv/a", same_loop, &e),
		  MNT_HERE);
}

static void put32(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

TEST(mnt_probe_superblocks)
{
	static unsigned char b[2048];
	unsigned char *s = b + 1024;
	struct mnt_sb sb;

	mnt_probe(b, sizeof b, &sb);
	CHECK(!sb.type);
	s[56] = 0x53;
	s[57] = 0xef;
	for (int i = 0; i < 16; i++)
		s[104 + i] = (unsigned char)(0xa0 + i);
	memcpy(s + 120, "data", 4);
	mnt_probe(b, sizeof b, &sb);
	CHECK_STR(sb.type, "ext2");
	CHECK_STR(sb.label, "data");
	CHECK_STR(sb.uuid, "a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf");
	put32(s + 92, 0x4);	/* has_journal */
	mnt_probe(b, sizeof b, &sb);
	CHECK_STR(sb.type, "ext3");
	put32(s + 96, 0x40);	/* extents */
	mnt_probe(b, sizeof b, &sb);
	CHECK_STR(sb.type, "ext4");
	put32(s + 96, 0);
	put32(s + 100, 0x400);	/* metadata_csum */
	mnt_probe(b, sizeof b, &sb);
	CHECK_STR(sb.type, "ext4");
	memcpy(s + 120, "sixteen-chars-ab", 16);
	mnt_probe(b, sizeof b, &sb);
	CHECK_STR(sb.label, "sixteen-chars-ab");
	mnt_probe(b, 1500, &sb);	/* too short for ext */
	CHECK(!sb.type);

	memset(b, 0, sizeof b);
	memcpy(b, "XFSB", 4);
	memcpy(b + 108, "xfslabel", 8);
	mnt_probe(b, 512, &sb);
	CHECK_STR(sb.type, "xfs");
	CHECK_STR(sb.label, "xfslabel");
	CHECK_STR(sb.uuid, "00000000-0000-0000-0000-000000000000");
}

TEST(mnt_exported_list)
{
	static const char list[] =
		"/srv/a         10.0.0.0/24(sync,wdelay,rw,root_squash)\n"
		"/srv/a         host1(ro)\n"
		"/a/rather/long/path/name\n"
		"\t\t<world>(ro,sync)\n"
		"/srv/b         *.example.com(rw)\n";
	char t[sizeof list];

#define EXPORTED(p, tg) \
	(memcpy(t, list, sizeof list), mnt_exported(t, p, tg))
	CHECK(EXPORTED("/srv/a", "10.0.0.0/24"));
	CHECK(EXPORTED("/srv/a", "host1"));
	CHECK(EXPORTED("/a/rather/long/path/name", "*"));
	CHECK(EXPORTED("/srv/b", "*.example.com"));
	CHECK(!EXPORTED("/srv/a", "*"));
	CHECK(!EXPORTED("/srv/b", "host1"));
	CHECK(!EXPORTED("/srv", "host1"));
	CHECK(!EXPORTED("/srv/a", "host"));
#undef EXPORTED
}
