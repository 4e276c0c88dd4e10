/* test/unit_ip.c - the ip agent's pure parts (agents/ip.c): address and
 * prefix parsing, subnet matching, rgmanager booleans. */
#include "unit.h"
#include "../agents/ip.h"

#include <arpa/inet.h>
#include <sys/socket.h>

/* "ADDR" -> bytes, for the expectations */
static const unsigned char *bytes(int family, const char *s)
{
	static unsigned char b[16];

	memset(b, 0, sizeof b);
	inet_pton(family, s, b);
	return b;
}

TEST(ip_parse_ipv4)
{
	struct ip_addr a;

	CHECK_INT(ip_parse("10.213.77.100", NULL, &a), 0);
	CHECK_INT(a.family, AF_INET);
	CHECK_INT(a.prefix, -1);
	CHECK(!memcmp(a.a, bytes(AF_INET, "10.213.77.100"), 4));
	CHECK_INT(ip_parse("10.1.2.3/24", "auto", &a), 0);
	CHECK_INT(a.prefix, 24);
	CHECK(!memcmp(a.a, bytes(AF_INET, "10.1.2.3"), 4));
	CHECK_INT(ip_parse("10.1.2.3/0", "inet", &a), 0);
	CHECK_INT(a.prefix, 0);
	CHECK_INT(ip_parse("10.1.2.3/32", NULL, &a), 0);
	CHECK_INT(a.prefix, 32);
}

TEST(ip_parse_ipv6)
{
	struct ip_addr a;

	CHECK_INT(ip_parse("fd00:77::100", NULL, &a), 0);
	CHECK_INT(a.family, AF_INET6);
	CHECK_INT(a.prefix, -1);
	CHECK(!memcmp(a.a, bytes(AF_INET6, "fd00:77::100"), 16));
	CHECK_INT(ip_parse("FD00:77:0:0::100/64", "inet6", &a), 0);
	CHECK_INT(a.prefix, 64);
	CHECK(!memcmp(a.a, bytes(AF_INET6, "fd00:77::100"), 16));
	CHECK_INT(ip_parse("::ffff:10.1.2.3/128", NULL, &a), 0);
	CHECK_INT(a.prefix, 128);
}

#define LONG_TEXT "1111:2222:3333:4444:5555:6666:7777:8888/128/" \
	"000000000000000000000000000000000000000"

TEST(ip_parse_refuses)
{
	static const char *const bad[] = {
		"", "10.1.2", "10.1.2.3/", "10.1.2.3/33", "10.1.2.3/-1",
		"10.1.2.3/2x", "10.1.2.3/24/1", "10.1.2.300", "host.example",
		"fd00::1/129", "fd00:::1", "fd00::1/", " 10.1.2.3",
		"10.1.2.3 ", LONG_TEXT,
	};
	struct ip_addr a;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		unit_check(ip_parse(bad[i], NULL, &a) == -1, __FILE__,
			   __LINE__, "\"%s\" accepted", bad[i]);
	/* inet and inet6 must agree with the address; any other family
	 * is auto (ccs wrote family="ipv4") */
	CHECK_INT(ip_parse("10.1.2.3", "inet6", &a), -1);
	CHECK_INT(ip_parse("fd00::1", "inet", &a), -1);
	CHECK_INT(ip_parse("10.1.2.3", "ipv4", &a), 0);
	CHECK_INT(ip_parse("fd00::1", "ipv6", &a), 0);
}

TEST(ip_subnet_ipv4)
{
	static const struct {
		const char *a, *b;
		int bits, same;
	} t[] = {
		{ "10.213.77.1", "10.213.77.100", 24, 1 },
		{ "10.213.77.1", "10.213.78.100", 24, 0 },
		{ "10.213.77.1", "10.213.78.100", 22, 1 },
		{ "10.213.77.1", "10.213.77.129", 25, 0 },
		{ "10.213.77.1", "10.213.77.127", 25, 1 },
		{ "10.213.77.1", "10.213.77.3", 31, 0 },
		{ "10.213.77.2", "10.213.77.3", 31, 1 },
		{ "10.213.77.2", "10.213.77.2", 32, 1 },
		{ "10.213.77.2", "10.213.77.3", 32, 0 },
		{ "10.0.0.1", "192.168.0.1", 0, 1 },
		{ "10.0.0.1", "138.0.0.1", 1, 0 },
		{ "10.0.0.1", "11.0.0.1", 7, 1 },
		{ "10.0.0.1", "11.0.0.1", 8, 0 },
	};
	unsigned char a[4];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		memcpy(a, bytes(AF_INET, t[i].a), 4);
		unit_check(ip_same_subnet(a, bytes(AF_INET, t[i].b),
					  t[i].bits) == t[i].same, __FILE__,
			   __LINE__, "%s %s /%d: not %d", t[i].a, t[i].b,
			   t[i].bits, t[i].same);
	}
}

TEST(ip_subnet_ipv6)
{
	unsigned char a[16];

	memcpy(a, bytes(AF_INET6, "fd00:77::1"), 16);
	CHECK(ip_same_subnet(a, bytes(AF_INET6, "fd00:77::100"), 64));
	CHECK(!ip_same_subnet(a, bytes(AF_INET6, "fd00:78::100"), 64));
	CHECK(ip_same_subnet(a, bytes(AF_INET6, "fd00:78::100"), 28));
	CHECK(!ip_same_subnet(a, bytes(AF_INET6, "fd00:78::100"), 29));
	CHECK(!ip_same_subnet(a, bytes(AF_INET6, "fd00:77:0:0:8000::1"), 65));
	CHECK(ip_same_subnet(a, bytes(AF_INET6, "fd00:77:0:0:7fff::1"), 65));
	CHECK(ip_same_subnet(a, bytes(AF_INET6, "fd00:77::1"), 128));
	CHECK(!ip_same_subnet(a, bytes(AF_INET6, "fd00:77::2"), 128));
}

TEST(ip_bool_words)
{
	static const char *const yes[] = { "1", "yes", "on", "true", "YES",
					   "True" };
	static const char *const no[] = { "0", "no", "off", "false", "No",
					  "OFF" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		unit_check(ip_bool(yes[i], 0) == 1, __FILE__, __LINE__,
			   "\"%s\" is not true", yes[i]);
		unit_check(ip_bool(no[i], 1) == 0, __FILE__, __LINE__,
			   "\"%s\" is not false", no[i]);
	}
	CHECK_INT(ip_bool(NULL, 1), 1);
	CHECK_INT(ip_bool(NULL, 0), 0);
	CHECK_INT(ip_bool("maybe", 1), 1);
	CHECK_INT(ip_bool("2", 0), 0);
	CHECK_INT(ip_bool("", 1), 1);
}
