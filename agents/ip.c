/* agents/ip.c - the built-in ip agent: a floating address on the
 * interface of its subnet (spec 3.2, 6.2), as RHEL 6 rgmanager's ip.sh
 * does it, over rtnetlink instead of the ip program.
 *
 * start   already on an interface: success.  Else the interface: one
 *         that is up (with link, under monitor_link), no bond slave,
 *         prefer_interface if given (then only that one, as ip.sh), one
 *         of whose addresses shares the subnet -- with that address's
 *         prefix length, or the resource's own /prefix when it has one
 *         (ip.sh instead refuses a /prefix that differs).  IPv4: two
 *         RFC 5227 probes first, and an answer means the address is in
 *         use (ip.sh pings it); after the add, gratuitous ARP.  IPv6:
 *         the kernel's duplicate address detection is waited for (3 s at
 *         most; a duplicate is removed again), then an unsolicited
 *         neighbour advertisement with the override flag.  No interface
 *         fits: OCF_ERR_GENERIC, as ip.sh -- another node may well have
 *         the subnet, so it is not the resource's configuration error.
 * stop    removes the address; absent is success.  Then, as ip.sh, sleep
 *         sleeptime seconds (unset: 10, 0 or less: none) so that nfsd and
 *         lockd clear their queues -- only when an address was removed.
 * status  absent: OCF_NOT_RUNNING.  Its interface administratively down:
 *         OCF_ERR_GENERIC whatever monitor_link says (ip.sh's
 *         check_interface_up); no carrier (IFF_RUNNING) under
 *         monitor_link: OCF_ERR_GENERIC (ip.sh: 7 for both).  Depth 10,
 *         where ip.sh pings the address from its interface: a UDP
 *         datagram from the address to itself must arrive within 2 s
 *         (it fails too on an IPv6 address that is tentative or a
 *         duplicate).  ip.sh has no depth 20 in RHEL 6; higher depths
 *         mean 10.
 * nfslock (statd notification) and disable_rdisc (no rdisc is run) are
 * ignored.  Linux headers are not part of musl: the few netlink
 * constants and layouts are written out below. */
#include "ip.h"
#include "builtin.h"

#include "../net/sys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* --- the pure parts ------------------------------------------------------- */
int ip_parse(const char *s, const char *family, struct ip_addr *out)
{
	char text[64], *slash;
	long bits = -1;
	size_t len = strlen(s);

	if (len >= sizeof text)
		return -1;
	memcpy(text, s, len + 1);
	out->family = strchr(text, ':') ? AF_INET6 : AF_INET;
	/* inet or inet6 must agree with the address; anything else is
	 * auto (ccs wrote family="ipv4", and RHEL 6 ran with it) */
	if (family && ((!strcmp(family, "inet") && out->family != AF_INET) ||
		       (!strcmp(family, "inet6") && out->family != AF_INET6)))
		return -1;
	if ((slash = strchr(text, '/'))) {
		*slash = 0;
		if (parse_int(slash + 1, 0, out->family == AF_INET ? 32 : 128,
			      &bits))
			return -1;
	}
	out->prefix = (int)bits;
	memset(out->a, 0, sizeof out->a);
	return inet_pton(out->family, text, out->a) == 1 ? 0 : -1;
}

int ip_same_subnet(const unsigned char *a, const unsigned char *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)whole))
		return 0;
	return !rest || !((a[whole] ^ b[whole]) & (0xff00 >> rest));
}

int ip_bool(const char *s, int dflt)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };

	for (size_t i = 0; s && i < ARRAY_LEN(yes); i++) {
		if (!strcasecmp(s, yes[i]))
			return 1;
		if (!strcasecmp(s, no[i]))
			return 0;
	}
	return dflt;
}

/* --- rtnetlink: list, add and remove addresses ---------------------------- */
enum {	/* linux/netlink.h, rtnetlink.h, if_addr.h */
	NL_ROUTE = 0, NL_ERROR = 2, NL_DONE = 3,
	NL_REQUEST = 1, NL_ACK = 4, NL_EXCL = 0x200, NL_CREATE = 0x400,
	NL_DUMP = 0x300, NL_NEWADDR = 20, NL_DELADDR = 21, NL_GETADDR = 22,
	IFA_ADDR = 1, IFA_LOC = 2, IFA_BCAST = 4,
	IFA_DADFAILED = 0x08, IFA_TENTATIVE = 0x40,
};
struct nl_hdr { uint32_t len; uint16_t type, flags; uint32_t seq, pid; };
struct nl_ifa { uint8_t family, prefix, flags, scope; uint32_t index; };
struct nl_attr { uint16_t len, type; };
struct nl_req {
	struct nl_hdr h;
	struct nl_ifa m;
	unsigned char attr[3 * 20];
};

#define MAX_ADDRS 256
/* an address of the resource's family on an interface of this node */
struct ent {
	int index, prefix, flags;
	unsigned char a[16];
};
struct link {
	char name[IF_NAMESIZE];
	int flags, ether;
	unsigned char mac[6];
};

static struct {
	struct ip_addr want;	/* the resource's address */
	const char *text;	/* as configured, for messages */
	int monitor_link, level;
	struct ent e[MAX_ADDRS];	/* the last dump */
	int n;
	char why[96];		/* why no interface fits */
} ip;

static size_t alen(void)
{
	return ip.want.family == AF_INET ? 4 : 16;
}

/* An RTM_NEWADDR record: keep its local address (IFA_LOCAL over
 * IFA_ADDRESS, which is the peer's on a point-to-point link). */
static void keep(const unsigned char *p, size_t len)
{
	struct ent *e = &ip.e[ip.n];
	struct nl_ifa m;
	struct nl_attr a;
	int got = 0;

	if (len < sizeof m || ip.n == MAX_ADDRS)
		return;
	memcpy(&m, p, sizeof m);
	for (size_t off = sizeof m; off + sizeof a <= len;
	     off += (a.len + 3u) & ~3u) {
		memcpy(&a, p + off, sizeof a);
		if (a.len < sizeof a || off + a.len > len)
			return;
		if ((a.type == IFA_LOC || (a.type == IFA_ADDR && !got)) &&
		    a.len - sizeof a == alen()) {
			memcpy(e->a, p + off + sizeof a, alen());
			got = 1;
		}
	}
	if (!got || m.family != ip.want.family)
		return;
	e->index = (int)m.index;
	e->prefix = m.prefix;
	e->flags = m.flags;
	ip.n++;
}

/* Read answers up to the ack or the end of a dump; 0 or -errno. */
static int nl_read(int fd)
{
	static unsigned char buf[32768];
	struct nl_hdr h;
	int32_t err;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);

		if (n < 0)
			return -errno;
		for (size_t off = 0; off + sizeof h <= (size_t)n;
		     off += (h.len + 3u) & ~3u) {
			memcpy(&h, buf + off, sizeof h);
			if (h.len < sizeof h || off + h.len > (size_t)n)
				return -EIO;
			if (h.type == NL_DONE)
				return 0;
			if (h.type == NL_ERROR && h.len >= sizeof h + 4) {
				memcpy(&err, buf + off + sizeof h, 4);
				return err;
			}
			if (h.type == NL_NEWADDR)
				keep(buf + off + sizeof h, h.len - sizeof h);
		}
	}
}

static int nl_talk(const struct nl_req *r)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NL_ROUTE), ret;

	if (fd < 0)
		return -errno;
	ret = send(fd, r, r->h.len, 0) < 0 ? -errno : nl_read(fd);
	close(fd);
	return ret;
}

static void req_init(struct nl_req *r, int type, int flags, int index,
		     int prefix)
{
	memset(r, 0, sizeof *r);
	r->h.len = sizeof r->h + sizeof r->m;
	r->h.type = (uint16_t)type;
	r->h.flags = (uint16_t)(NL_REQUEST | flags);
	r->h.seq = 1;
	r->m.family = (uint8_t)ip.want.family;
	r->m.prefix = (uint8_t)prefix;
	r->m.index = (uint32_t)index;
}

static void req_attr(struct nl_req *r, int type, const void *data)
{
	struct nl_attr a = { (uint16_t)(sizeof a + alen()), (uint16_t)type };

	memcpy((char *)r + r->h.len, &a, sizeof a);
	memcpy((char *)r + r->h.len + sizeof a, data, alen());
	r->h.len += a.len;
}

/* Every address of the resource's family into ip.e. */
static int dump(void)
{
	struct nl_req r;

	req_init(&r, NL_GETADDR, NL_DUMP, 0, 0);
	ip.n = 0;
	return nl_talk(&r);
}

/* Add (NL_NEWADDR) or remove (NL_DELADDR) the address on index. */
static int change(int type, int index, int prefix)
{
	struct nl_req r;
	uint32_t a, mask = prefix ? ~0u << (32 - prefix) : 0;

	req_init(&r, type, NL_ACK | (type == NL_NEWADDR ?
		 NL_CREATE | NL_EXCL : 0), index, prefix);
	req_attr(&r, IFA_LOC, ip.want.a);
	req_attr(&r, IFA_ADDR, ip.want.a);
	if (ip.want.family == AF_INET && prefix < 31) {
		memcpy(&a, ip.want.a, 4);
		a = htonl(ntohl(a) | ~mask);
		req_attr(&r, IFA_BCAST, &a);
	}
	return nl_talk(&r);
}

static const struct ent *find(void)
{
	for (int i = 0; i < ip.n; i++)
		if (!memcmp(ip.e[i].a, ip.want.a, alen()))
			return &ip.e[i];
	return NULL;
}

/* Name, flags and hardware address of interface index; -1 if gone. */
static int link_get(int index, struct link *l)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	memset(&ifr, 0, sizeof ifr);
	memset(l, 0, sizeof *l);
	if (fd >= 0 && if_indextoname((unsigned)index, ifr.ifr_name) &&
	    !ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		l->flags = (unsigned short)ifr.ifr_flags;
		memcpy(l->name, ifr.ifr_name, IF_NAMESIZE);
		if (!ioctl(fd, SIOCGIFHWADDR, &ifr) &&
		    ifr.ifr_hwaddr.sa_family == 1) {	/* ARPHRD_ETHER */
			l->ether = !(l->flags & IFF_NOARP);
			memcpy(l->mac, ifr.ifr_hwaddr.sa_data, 6);
		}
		ret = 0;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* The address (in ip.e) whose interface takes the new one. */
static const struct ent *pick(const char *prefer, struct link *l)
{
	if (prefer)
		snprintf(ip.why, sizeof ip.why, "%s has no address in its "
			 "subnet", prefer);
	else
		snprintf(ip.why, sizeof ip.why, "no interface has an "
			 "address in its subnet");
	for (int i = 0; i < ip.n; i++) {
		const struct ent *e = &ip.e[i];
		int bits = ip.want.prefix >= 0 ? ip.want.prefix : e->prefix;

		if (link_get(e->index, l) || (l->flags & IFF_SLAVE) ||
		    (prefer && strcmp(prefer, l->name)) ||
		    !ip_same_subnet(e->a, ip.want.a, bits))
			continue;
		if (!(l->flags & IFF_UP))
			snprintf(ip.why, sizeof ip.why, "%s is down", l->name);
		else if (ip.monitor_link && !(l->flags & IFF_RUNNING))
			snprintf(ip.why, sizeof ip.why, "%s has no link",
				 l->name);
		else
			return e;
	}
	return NULL;
}

/* --- neighbours: ARP probes and announcements, IPv6 advertisement --------- */
static void nap(int ms)
{
	poll(NULL, 0, ms);
}

/* The resource's address, port 0. */
static socklen_t sockaddr_of(struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	ss->ss_family = (sa_family_t)ip.want.family;
	if (ip.want.family == AF_INET) {
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, ip.want.a, 4);
		return sizeof(struct sockaddr_in);
	}
	memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, ip.want.a, 16);
	return sizeof(struct sockaddr_in6);
}

static int arp_socket(int index)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP), .sll_ifindex = index };
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sll, sizeof sll)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* An ARP request (RFC 826) from mac and sender for our address, to all. */
static void arp_send(int fd, int index, const struct link *l,
		     const unsigned char *sender)
{
	static const unsigned char head[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP), .sll_ifindex = index,
		.sll_halen = 6, .sll_addr = { 255, 255, 255, 255, 255, 255 } };
	unsigned char p[28] = { 0 };

	memcpy(p, head, 8);
	memcpy(p + 8, l->mac, 6);
	memcpy(p + 14, sender, 4);
	memcpy(p + 24, ip.want.a, 4);
	if (sendto(fd, p, sizeof p, 0, (struct sockaddr *)&to, sizeof to) < 0)
		warn_sys("%s: ARP on %s", ip.text, l->name);
}

/* 1 when, within ms, another host speaks ARP as our address. */
static int arp_heard(int fd, const struct link *l, int ms)
{
	int64_t end = now_ms() + ms, left;
	unsigned char p[64];
	struct pollfd pfd = { fd, POLLIN, 0 };

	while ((left = end - now_ms()) > 0 && poll(&pfd, 1, (int)left) > 0)
		if (recv(fd, p, sizeof p, 0) >= 28 && p[4] == 6 && p[5] == 4 &&
		    !memcmp(p + 14, ip.want.a, 4) && memcmp(p + 8, l->mac, 6))
			return 1;
	return 0;
}

/* Two probes (sender 0.0.0.0, RFC 5227), 100 ms each for an answer: a
 * holder on the link answers in well under that, and every millisecond
 * here is failover time. */
static int arp_taken(int fd, int index, const struct link *l)
{
	static const unsigned char none[4];

	for (int i = 0; i < 2; i++) {
		arp_send(fd, index, l, none);
		if (arp_heard(fd, l, 100))
			return 1;
	}
	return 0;
}

/* Three gratuitous ARPs, 250 ms apart: the first now, the others from a
 * child that outlives the agent, so the start does not wait for them;
 * it stops as soon as the address is gone (a quick move elsewhere must
 * not hear it as a duplicate). */
static void arp_announce(int fd, int index, const struct link *l)
{
	arp_send(fd, index, l, ip.want.a);
	if (fork() != 0)
		return;
	for (int i = 0; i < 2; i++) {
		nap(250);
		if (dump() || !find())
			break;
		arp_send(fd, index, l, ip.want.a);
	}
	_exit(0);
}

/* 1 when the new IPv6 address is usable, 0 still tentative after 3 s,
 * -1 when duplicate address detection failed or it went away. */
static int dad_wait(void)
{
	int64_t end = now_ms() + 3000;
	const struct ent *e;

	do {
		if (dump() || !(e = find()) || (e->flags & IFA_DADFAILED))
			return -1;
		if (!(e->flags & IFA_TENTATIVE))
			return 1;
		nap(100);
	} while (now_ms() < end);
	return 0;
}

/* Unsolicited neighbour advertisement (RFC 4861 7.2.6) to all nodes,
 * override flag set, our link-layer address as option. */
static void advertise(int index, const struct link *l)
{
	unsigned char na[32] = { 136, 0, 0, 0, 0x20 };
	struct sockaddr_storage src;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
		.sin6_scope_id = (uint32_t)index };
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	int hops = 255;

	memcpy(na + 8, ip.want.a, 16);
	na[24] = 2;	/* target link-layer address, 8 bytes */
	na[25] = 1;
	memcpy(na + 26, l->mac, 6);
	to.sin6_addr.s6_addr[0] = 0xff;
	to.sin6_addr.s6_addr[1] = 0x02;
	to.sin6_addr.s6_addr[15] = 1;
	if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
				 sizeof hops) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index,
		       sizeof index) ||
	    bind(fd, (struct sockaddr *)&src, sockaddr_of(&src)))
		goto fail;
	for (int i = 0; i < 3; i++) {
		if (i)
			nap(250);
		if (sendto(fd, na, sizeof na, 0, (struct sockaddr *)&to,
			   sizeof to) < 0)
			goto fail;
	}
	close(fd);
	return;
fail:
	warn_sys("%s: neighbour advertisement on %s", ip.text, l->name);
	if (fd >= 0)
		close(fd);
}

/* Depth 10: a datagram from the address to itself comes back. */
static int answers(void)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss);
	int fd = socket(ip.want.family, SOCK_DGRAM | SOCK_CLOEXEC, 0), ok;
	struct pollfd pfd = { fd, POLLIN, 0 };
	char c = 'x';

	ok = fd >= 0 && !bind(fd, (struct sockaddr *)&ss, len) &&
	     !getsockname(fd, (struct sockaddr *)&ss, &len) &&
	     sendto(fd, &c, 1, 0, (struct sockaddr *)&ss, len) == 1 &&
	     poll(&pfd, 1, 2000) == 1 && recv(fd, &c, 1, 0) == 1;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* --- the actions ---------------------------------------------------------- */
static int failed(const char *what, int err)
{
	warn_msg("%s: %s: %s", ip.text, what, strerror(-err));
	return err == -EPERM ? OCF_ERR_PERM : OCF_ERR_GENERIC;
}

/* After the add: neighbours learn the address, or a duplicate goes. */
static int settle(const struct ent *e, int bits, const struct link *l)
{
	int fd, dad;

	if (ip.want.family == AF_INET) {
		if (l->ether && (fd = arp_socket(e->index)) >= 0) {
			arp_announce(fd, e->index, l);
			close(fd);
		}
		return OCF_SUCCESS;
	}
	if ((dad = dad_wait()) < 0) {
		change(NL_DELADDR, e->index, bits);
		warn_msg("%s: in use on the network (duplicate address "
			 "detection failed on %s)", ip.text, l->name);
		return OCF_ERR_GENERIC;
	}
	if (dad && l->ether)
		advertise(e->index, l);
	return OCF_SUCCESS;
}

static int ip_start(void)
{
	struct link l;
	struct ent e;
	const struct ent *p;
	int err, bits, fd, taken = 0;

	if ((err = dump()))
		return failed("listing addresses", err);
	if (find())
		return OCF_SUCCESS;
	if (!(p = pick(builtin_param("prefer_interface"), &l))) {
		warn_msg("%s: %s", ip.text, ip.why);
		return OCF_ERR_GENERIC;
	}
	e = *p;
	bits = ip.want.prefix >= 0 ? ip.want.prefix : e.prefix;
	if (ip.want.family == AF_INET && l.ether &&
	    (fd = arp_socket(e.index)) >= 0) {
		taken = arp_taken(fd, e.index, &l);
		close(fd);
	}
	if (taken) {
		warn_msg("%s: in use on the network (another host answered "
			 "an ARP probe on %s)", ip.text, l.name);
		return OCF_ERR_GENERIC;
	}
	if ((err = change(NL_NEWADDR, e.index, bits)))
		return failed(l.name, err);
	warn_msg("%s: added to %s with prefix length %d", ip.text, l.name,
		 bits);
	return settle(&e, bits, &l);
}

/* ip.sh: sleeptime seconds after a removal (unset 10; 0 or less none). */
static void linger(void)
{
	const char *s = builtin_param("sleeptime");
	long t = 10;

	if (s && parse_int(s, -1000000, 86400, &t)) {
		warn_msg("sleeptime=%s: not a number of seconds", s);
		t = 0;
	}
	if (t > 0)
		sleep((unsigned)t);
}

static int ip_stop(void)
{
	const struct ent *p;
	struct ent e;
	int err;

	if ((err = dump()))
		return failed("listing addresses", err);
	if (!(p = find()))
		return OCF_SUCCESS;
	e = *p;
	if ((err = change(NL_DELADDR, e.index, e.prefix)) || (err = dump()))
		return failed("removing", err);
	if (find()) {
		warn_msg("%s: still configured after its removal", ip.text);
		return OCF_ERR_GENERIC;
	}
	linger();
	return OCF_SUCCESS;
}

static int ip_status(void)
{
	const struct ent *e;
	struct link l;
	int err;

	if ((err = dump()))
		return failed("listing addresses", err);
	if (!(e = find())) {
		warn_msg("%s: not configured", ip.text);
		return OCF_NOT_RUNNING;
	}
	if (link_get(e->index, &l) || !(l.flags & IFF_UP)) {
		warn_msg("%s: its interface %s is down", ip.text, l.name);
		return OCF_ERR_GENERIC;
	}
	if (ip.monitor_link && !(l.flags & IFF_RUNNING)) {
		warn_msg("%s: no link on %s", ip.text, l.name);
		return OCF_ERR_GENERIC;
	}
	if (ip.level >= 10 && !answers()) {
		warn_msg("%s: a datagram to itself did not arrive", ip.text);
		return OCF_ERR_GENERIC;
	}
	return OCF_SUCCESS;
}

static int ip_validate(void)
{
	return OCF_SUCCESS;
}

static const char meta[] =
"<?xml version=\"1.0\"?>\n"
"<resource-agent version=\"rgmanager 2.0\" name=\"ip\">\n"
"  <version>1.0</version>\n"
"  <longdesc lang=\"en\">A floating IPv4 or IPv6 address, added to the\n"
"  interface whose subnet holds it; optionally its link is watched.\n"
"  </longdesc>\n"
"  <shortdesc lang=\"en\">Floating IP address</shortdesc>\n"
"  <parameters>\n"
#define P(n, a, d, t) "    <parameter name=\"" n "\"" a ">\n" \
	"      <shortdesc lang=\"en\">" d "</shortdesc>\n" \
	"      <content type=\"" t "\"/>\n    </parameter>\n"
P("address", " unique=\"1\" primary=\"1\"",
  "IPv4 or IPv6 address, optionally /prefix length", "string")
P("family", "", "auto, inet or inet6", "string")
P("monitor_link", "", "Status fails without link on its interface",
  "boolean\" default=\"1")
P("nfslock", " inherit=\"service%nfslock\"", "Ignored here", "boolean")
P("disable_rdisc", "", "Ignored here (no rdisc is run)", "boolean")
P("sleeptime", "", "Seconds to wait after removing the address",
  "string\" default=\"10")
P("prefer_interface", "", "The interface to use when several fit",
  "string")
#undef P
"  </parameters>\n"
"  <actions>\n"
"    <action name=\"start\" timeout=\"20\"/>\n"
"    <action name=\"stop\" timeout=\"20\"/>\n"
"    <action name=\"status\" interval=\"20\" timeout=\"10\"/>\n"
"    <action name=\"monitor\" interval=\"20\" timeout=\"10\"/>\n"
"    <action name=\"status\" depth=\"10\" interval=\"60\" timeout=\"20\"/>\n"
"    <action name=\"monitor\" depth=\"10\" interval=\"60\" timeout=\"20\"/>\n"
"    <action name=\"meta-data\" timeout=\"20\"/>\n"
"    <action name=\"validate-all\" timeout=\"20\"/>\n"
"  </actions>\n"
"  <special tag=\"rgmanager\"><attributes maxinstances=\"1\"/></special>\n"
"</resource-agent>\n";

static const struct {
	const char *name;
	int (*fn)(void);
} actions[] = {
	{ "start", ip_start }, { "stop", ip_stop }, { "status", ip_status },
	{ "monitor", ip_status }, { "validate-all", ip_validate },
	{ "verify-all", ip_validate },
};

/* The parameters into ip; OCF_ERR_CONFIGURED when they make no sense. */
static int configure(void)
{
	const char *level = getenv("OCF_CHECK_LEVEL");
	long l = 0;

	ip.text = builtin_param("address");
	if (!ip.text) {
		warn_msg("no address given");
		return OCF_ERR_CONFIGURED;
	}
	if (ip_parse(ip.text, builtin_param("family"), &ip.want)) {
		warn_msg("%s: not an address[/prefix] of family %s", ip.text,
			 builtin_param("family") ? builtin_param("family") :
			 "auto");
		return OCF_ERR_CONFIGURED;
	}
	ip.monitor_link = ip_bool(builtin_param("monitor_link"), 1);
	if (level && !parse_int(level, 0, 1000, &l))
		ip.level = (int)l;
	return 0;
}

int agent_ip(const char *action)
{
	int err;

	sys_prog = "ip";
	if (!strcmp(action, "meta-data")) {
		fputs(meta, stdout);
		return OCF_SUCCESS;
	}
	for (size_t i = 0; i < ARRAY_LEN(actions); i++)
		if (!strcmp(action, actions[i].name))
			return (err = configure()) ? err : actions[i].fn();
	warn_msg("%s: no such action", action);
	return OCF_ERR_UNIMPLEMENTED;
}
