/* net/transport.c - UDP sockets for the ring: multicast or unicast.
 *
 * The socket layout follows cman/corosync's totemudp (spec 1.10) so that
 * firewall rules written for RHCS keep working: receive on port, send
 * from port - 1.  Every socket is bound to the local node's address, so
 * the cluster stays on the interface the configuration names even on a
 * multi-homed host; the multicast receiver is bound to the group itself,
 * which makes the kernel filter out every other group and unicast.
 *
 * Options and why:
 *  - IP_MULTICAST_TTL 1: the ring is one broadcast domain; a routed copy
 *    would only arrive late and cost a retransmit.
 *  - IP_MULTICAST_LOOP 0 unless cfg->loop: the ring self-delivers.
 *  - IP_MULTICAST_IF / IP_ADD_MEMBERSHIP on the local address: the group
 *    is joined where the peers are, not on the default route.
 *  - SO_RCVBUF / SO_SNDBUF 1 MiB (capped by the kernel): a burst of a
 *    full token window must not overflow the queue while the loop is busy.
 *  - no IP_MTU_DISCOVER change: the ring keeps datagrams below the
 *    path MTU by itself (payload mtu 1200 + SEAL_OVERHEAD), fragments of
 *    UDP being what stalls rings (users.md 21).
 *
 * The address book maps nodeid -> address: configured names resolved
 * once at open, then overwritten by transport_learn() with the source of
 * authenticated packets, which follows a peer whose address changed. */
#include "transport.h"
#include "sys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOCKBUF		(1 << 20)

struct entry {
	uint32_t nodeid;
	struct sockaddr_storage addr;
	int heard;			/* learned: packets came from addr */
	int has_cfg;			/* cfg: its address in the node list */
	struct sockaddr_storage cfg;
};

struct transport {
	int fd[TRANSPORT_MAX_FDS], nfd;
	int tx;				/* the sending socket, also in fd[] */
	int udpu, port;
	uint32_t nodeid;
	struct sockaddr_storage local, group;
	int nbook;
	struct entry book[TRANSPORT_MAX_BOOK];
	struct transport_stats st;
};

/* --- addresses ------------------------------------------------------------ */
static socklen_t addr_len(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	       sizeof(struct sockaddr_in);
}

static void set_port(struct sockaddr_storage *a, int port)
{
	if (a->ss_family == AF_INET6)
		((struct sockaddr_in6 *)a)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)a)->sin_port = htons((uint16_t)port);
}

static int same_addr(const struct sockaddr_storage *a,
		     const struct sockaddr_storage *b)
{
	return a->ss_family == b->ss_family &&
	       !memcmp(a, b, addr_len(a));
}

/* The first address of name in family (AF_UNSPEC: any), port set. */
static int resolve(const char *name, int family, int port,
		   struct sockaddr_storage *out)
{
	struct addrinfo hints = { .ai_family = family,
				  .ai_socktype = SOCK_DGRAM }, *res;
	int rc = getaddrinfo(name, NULL, &hints, &res);

	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	memcpy(out, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	set_port(out, port);
	return 0;
}

const char *transport_ntop(const struct sockaddr_storage *a, char *out,
			   size_t outlen)
{
	const void *ip = &((const struct sockaddr_in *)a)->sin_addr;

	if (a->ss_family == AF_INET6)
		ip = &((const struct sockaddr_in6 *)a)->sin6_addr;
	if (!inet_ntop(a->ss_family, ip, out, (socklen_t)outlen))
		snprintf(out, outlen, "?");
	return out;
}

/* The interface holding local, for IPv6 multicast (IPv4 names it by
 * address instead); 0 when not found. */
static unsigned ifindex_of(const struct sockaddr_storage *local)
{
	const struct sockaddr_in6 *l6 = (const void *)local;
	struct ifaddrs *ifs, *i;
	unsigned idx = 0;

	if (l6->sin6_scope_id)
		return l6->sin6_scope_id;
	if (getifaddrs(&ifs) < 0)
		return 0;
	for (i = ifs; i && !idx; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6 &&
		    !memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
			    &l6->sin6_addr, sizeof l6->sin6_addr))
			idx = if_nametoindex(i->ifa_name);
	freeifaddrs(ifs);
	return idx;
}

/* --- the address book ----------------------------------------------------- */
static int book_index(const struct transport *t, uint32_t nodeid)
{
	for (int i = 0; i < t->nbook; i++)
		if (t->book[i].nodeid == nodeid)
			return i;
	return -1;
}

static struct entry *book_find(struct transport *t, uint32_t nodeid)
{
	int i = book_index(t, nodeid);

	return i < 0 ? NULL : &t->book[i];
}

static int book_set(struct transport *t, uint32_t nodeid,
		    const struct sockaddr_storage *a)
{
	struct entry *e = book_find(t, nodeid);

	if (!e && t->nbook == TRANSPORT_MAX_BOOK)
		return -1;
	if (!e) {
		e = &t->book[t->nbook++];
		e->nodeid = nodeid;
	}
	e->addr = *a;
	return 0;
}

void transport_learn(struct transport *t, uint32_t nodeid,
		     const struct sockaddr_storage *from)
{
	struct sockaddr_storage a = *from;
	struct entry *e;
	char ip[INET6_ADDRSTRLEN];

	if (!nodeid || nodeid == t->nodeid ||
	    a.ss_family != t->local.ss_family)
		return;
	set_port(&a, t->port);
	e = book_find(t, nodeid);
	if (e && same_addr(&e->addr, &a)) {
		e->heard = 1;
		return;
	}
	for (int i = 0; i < t->nbook; i++)
		if (t->book[i].nodeid != nodeid && t->book[i].heard &&
		    same_addr(&t->book[i].addr, &a)) {
			t->st.learn_refused++;
			return;
		}
	if (book_set(t, nodeid, &a) < 0)
		return;
	book_find(t, nodeid)->heard = 1;
	log_msg(LOG_LVL_NOTICE, "transport: node %u is at %s", nodeid,
		transport_ntop(&a, ip, sizeof ip));
}

uint32_t transport_configured_at(const struct transport *t,
				 const struct sockaddr_storage *from)
{
	struct sockaddr_storage a = *from;

	set_port(&a, t->port);
	for (int i = 0; i < t->nbook; i++)
		if (t->book[i].has_cfg && same_addr(&t->book[i].cfg, &a))
			return t->book[i].nodeid;
	return 0;
}

int transport_lookup(const struct transport *t, uint32_t nodeid,
		     struct sockaddr_storage *out)
{
	int i = book_index(t, nodeid);

	if (i < 0)
		return -1;
	*out = t->book[i].addr;
	return 0;
}

/* Configured peers; a name that does not resolve is left out. */
static void book_load(struct transport *t, const struct transport_cfg *cfg)
{
	struct sockaddr_storage a;
	int rc;

	for (int i = 0; i < cfg->nnodes && i < TRANSPORT_MAX_NODES; i++) {
		const struct transport_node *n = &cfg->nodes[i];

		if (!n->nodeid || !n->name || n->nodeid == cfg->nodeid)
			continue;
		rc = resolve(n->name, t->local.ss_family, t->port, &a);
		if (rc)
			log_msg(LOG_LVL_WARN, "transport: node %u: %s: %s",
				n->nodeid, n->name, gai_strerror(rc));
		else if (!book_set(t, n->nodeid, &a)) {
			book_find(t, n->nodeid)->cfg = a;
			book_find(t, n->nodeid)->has_cfg = 1;
		}
	}
}

/* --- sockets -------------------------------------------------------------- */
static int fail(char *err, size_t errlen, const char *what,
		const struct sockaddr_storage *a)
{
	char ip[INET6_ADDRSTRLEN];
	int e = errno;

	snprintf(err, errlen, "%s %s port %d: %s", what,
		 transport_ntop(a, ip, sizeof ip),
		 ntohs(((const struct sockaddr_in *)a)->sin_port),
		 strerror(e));
	return -1;
}

static int opt(int fd, int level, int name, const void *v, socklen_t len)
{
	return setsockopt(fd, level, name, v, len);
}

static int opt_int(int fd, int level, int name, int v)
{
	return opt(fd, level, name, &v, sizeof v);
}

/* A non-blocking UDP socket bound to a, added to t->fd; -1 on error. */
static int bound(struct transport *t, const struct sockaddr_storage *a,
		 int reuse, char *err, size_t errlen)
{
	int fd = socket(a->ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail(err, errlen, "socket for", a);
	t->fd[t->nfd++] = fd;
	opt_int(fd, SOL_SOCKET, SO_RCVBUF, SOCKBUF);
	opt_int(fd, SOL_SOCKET, SO_SNDBUF, SOCKBUF);
	if (reuse)
		opt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (a->ss_family == AF_INET6)
		opt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	if (bind(fd, (const struct sockaddr *)a, addr_len(a)) < 0)
		return fail(err, errlen, "bind", a);
	return fd;
}

static int mcast_send_opts(struct transport *t, int ttl, int loop)
{
	const struct sockaddr_in *l4 = (const void *)&t->local;
	struct ip_mreqn mr = { .imr_address = l4->sin_addr };
	int fd = t->tx;

	if (t->local.ss_family == AF_INET6)
		return opt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
			       (int)ifindex_of(&t->local)) |
		       opt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, ttl) |
		       opt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, loop);
	return opt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr) |
	       opt_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl) |
	       opt_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, loop);
}

static int is_mcast(const struct sockaddr_storage *a)
{
	const struct sockaddr_in *a4 = (const void *)a;
	const struct sockaddr_in6 *a6 = (const void *)a;

	if (a->ss_family == AF_INET6)
		return IN6_IS_ADDR_MULTICAST(&a6->sin6_addr);
	return IN_MULTICAST(ntohl(a4->sin_addr.s_addr));
}

static int mcast_join(struct transport *t, int fd)
{
	const struct sockaddr_in *g4 = (const void *)&t->group;
	const struct sockaddr_in *l4 = (const void *)&t->local;
	const struct sockaddr_in6 *g6 = (const void *)&t->group;
	struct ip_mreqn mr = { .imr_multiaddr = g4->sin_addr,
			       .imr_address = l4->sin_addr };
	struct ipv6_mreq m6 = { .ipv6mr_multiaddr = g6->sin6_addr };

	if (t->group.ss_family == AF_INET)
		return opt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr);
	m6.ipv6mr_interface = ifindex_of(&t->local);
	return opt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m6, sizeof m6);
}

static int open_mcast(struct transport *t, const struct transport_cfg *cfg,
		      char *err, size_t errlen)
{
	int rc, fd;

	if (!cfg->mcast) {
		snprintf(err, errlen, "no multicast address");
		return -1;
	}
	rc = resolve(cfg->mcast, t->local.ss_family, t->port, &t->group);
	if (rc) {
		snprintf(err, errlen, "multicast address %s: %s%s",
			 cfg->mcast, gai_strerror(rc),
			 " (must be of the local address's family)");
		return -1;
	}
	if (!is_mcast(&t->group)) {
		snprintf(err, errlen, "%s is not a multicast address",
			 cfg->mcast);
		return -1;
	}
	if ((fd = bound(t, &t->group, 1, err, errlen)) < 0)
		return -1;
	if (mcast_join(t, fd) < 0)
		return fail(err, errlen, "join multicast group", &t->group);
	if (mcast_send_opts(t, cfg->ttl ? cfg->ttl : 1, !!cfg->loop) < 0)
		return fail(err, errlen, "multicast options for", &t->group);
	return 0;
}

static const char *local_name(const struct transport_cfg *cfg)
{
	if (cfg->local)
		return cfg->local;
	for (int i = 0; i < cfg->nnodes && i < TRANSPORT_MAX_NODES; i++)
		if (cfg->nodes[i].nodeid == cfg->nodeid)
			return cfg->nodes[i].name;
	return NULL;
}

static int open_all(struct transport *t, const struct transport_cfg *cfg,
		    char *err, size_t errlen)
{
	const char *name = local_name(cfg);
	struct sockaddr_storage tx;
	int rc;

	if (!name) {
		snprintf(err, errlen, "node %u: no local address", cfg->nodeid);
		return -1;
	}
	if ((rc = resolve(name, AF_UNSPEC, t->port, &t->local))) {
		snprintf(err, errlen, "%s: %s", name, gai_strerror(rc));
		return -1;
	}
	if (bound(t, &t->local, 0, err, errlen) < 0)
		return -1;
	tx = t->local;
	set_port(&tx, t->port - 1);
	if ((t->tx = bound(t, &tx, 0, err, errlen)) < 0)
		return -1;
	if (!t->udpu && open_mcast(t, cfg, err, errlen) < 0)
		return -1;
	book_load(t, cfg);
	return 0;
}

struct transport *transport_open(const struct transport_cfg *cfg,
				 char *err, size_t errlen)
{
	struct transport *t = xcalloc(1, sizeof *t);

	t->udpu = cfg->udpu;
	t->nodeid = cfg->nodeid;
	t->port = cfg->port ? cfg->port : TRANSPORT_PORT;
	if (t->port < 2 || t->port > 65535) {
		snprintf(err, errlen, "port %d out of range", t->port);
		transport_close(t);
		return NULL;
	}
	if (open_all(t, cfg, err, errlen) < 0) {
		transport_close(t);
		return NULL;
	}
	return t;
}

void transport_close(struct transport *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nfd; i++)
		close(t->fd[i]);
	free(t);
}

int transport_fds(const struct transport *t, int fds[], int max)
{
	int n = 0;

	for (; n < t->nfd && n < max; n++)
		fds[n] = t->fd[n];
	return n;
}

/* --- moving datagrams ----------------------------------------------------- */
static int send_one(struct transport *t, const struct sockaddr_storage *a,
		    const void *pkt, size_t len)
{
	ssize_t n = sendto(t->tx, pkt, len, MSG_NOSIGNAL,
			   (const struct sockaddr *)a, addr_len(a));

	if (n == (ssize_t)len) {
		t->st.tx_packets++;
		return 0;
	}
	t->st.tx_errors++;
	return -1;
}

static int send_all(struct transport *t, const void *pkt, size_t len)
{
	int rc = 0, e = 0;

	if (!t->udpu)
		return send_one(t, &t->group, pkt, len);
	for (int i = 0; i < t->nbook; i++)
		if (send_one(t, &t->book[i].addr, pkt, len) < 0) {
			rc = -1;
			e = errno;
		}
	if (rc)
		errno = e;
	return rc;
}

int transport_send(struct transport *t, uint32_t to, const void *pkt,
		   size_t len)
{
	const struct entry *e;

	if (!to)
		return send_all(t, pkt, len);
	if (!(e = book_find(t, to))) {
		t->st.tx_no_addr++;
		errno = EHOSTUNREACH;
		return -1;
	}
	return send_one(t, &e->addr, pkt, len);
}

int transport_send_to(struct transport *t,
		      const struct sockaddr_storage *to, const void *pkt,
		      size_t len)
{
	struct sockaddr_storage a = *to;

	if (a.ss_family != t->local.ss_family) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	set_port(&a, t->port);
	return send_one(t, &a, pkt, len);
}

ssize_t transport_recv(struct transport *t, int fd, void *buf, size_t cap,
		       struct sockaddr_storage *from)
{
	struct sockaddr_storage junk;
	socklen_t alen = sizeof junk;
	ssize_t n;

	if (!from)
		from = &junk;
	memset(from, 0, sizeof *from);
	n = recvfrom(fd, buf, cap, MSG_TRUNC, (struct sockaddr *)from, &alen);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			t->st.rx_errors++;
		return -1;
	}
	if ((size_t)n > cap) {
		t->st.rx_truncated++;
		errno = EMSGSIZE;
		return -1;
	}
	t->st.rx_packets++;
	return n;
}

void transport_local(const struct transport *t,
		     struct sockaddr_storage *out)
{
	*out = t->local;
}

void transport_stats(const struct transport *t, struct transport_stats *st)
{
	*st = t->st;
	st->nbook = t->nbook;
}
