/* test/unit_transport.c - UDP sockets, on loopback addresses only.
 *
 * Two transports on 127.0.0.1 and 127.0.0.2 share a port chosen from the
 * pid (the next one is tried if it is taken), exchange datagrams and are
 * closed again.  Every wait is a poll() with a timeout; nothing leaves
 * the host: the multicast test sends through lo with TTL 1. */
#include "unit.h"
#include "../net/transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WAIT_MS 2000

static int port_of(const struct sockaddr_storage *a)
{
	return ntohs(((const struct sockaddr_in *)a)->sin_port);
}

static void cfg_of(struct transport_cfg *c, uint32_t me, int port)
{
	memset(c, 0, sizeof *c);
	c->nodeid = me;
	c->port = port;
	c->udpu = 1;
	c->nnodes = 2;
	c->nodes[0] = (struct transport_node){ 1, "127.0.0.1" };
	c->nodes[1] = (struct transport_node){ 2, "127.0.0.2" };
}

/* Open nodes 1 and 2 on a free port pair; 0 when both are up. */
static int open_pair(struct transport **a, struct transport **b, int *port)
{
	struct transport_cfg ca, cb;
	char err[200];

	for (int i = 0; i < 40; i++) {
		*port = 20000 + (int)(getpid() * 7 + i * 2) % 30000;
		cfg_of(&ca, 1, *port);
		cfg_of(&cb, 2, *port);
		*a = transport_open(&ca, err, sizeof err);
		*b = *a ? transport_open(&cb, err, sizeof err) : NULL;
		if (*a && *b)
			return 0;
		transport_close(*a);
		if (!strstr(err, "in use"))
			break;
	}
	fprintf(stderr, "unit_transport: %s\n", err);
	return -1;
}

/* Wait up to WAIT_MS for one datagram on any of t's fds. */
static ssize_t wait_recv(struct transport *t, void *buf, size_t cap,
			 struct sockaddr_storage *from)
{
	struct pollfd p[TRANSPORT_MAX_FDS];
	int fds[TRANSPORT_MAX_FDS], n = transport_fds(t, fds, 3);

	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	if (poll(p, (nfds_t)n, WAIT_MS) <= 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (p[i].revents & POLLIN)
			return transport_recv(t, fds[i], buf, cap, from);
	return -1;
}

/* Nothing queued on any fd right now. */
static int quiet(struct transport *t)
{
	char buf[64];
	int fds[TRANSPORT_MAX_FDS], n = transport_fds(t, fds, 3);

	for (int i = 0; i < n; i++)
		if (transport_recv(t, fds[i], buf, sizeof buf, NULL) >= 0 ||
		    errno != EAGAIN)
			return 0;
	return 1;
}

TEST(transport_udpu_exchange)
{
	struct transport *a, *b;
	struct sockaddr_storage from;
	char buf[2048], ip[64];
	int port;

	if (!CHECK(open_pair(&a, &b, &port) == 0))
		return;
	CHECK_INT(transport_fds(a, (int[3]){0}, 3), 2);
	CHECK_INT(transport_send(a, 2, "ping", 4), 0);
	CHECK_INT(wait_recv(b, buf, sizeof buf, &from), 4);
	CHECK(!memcmp(buf, "ping", 4));
	CHECK_STR(transport_ntop(&from, ip, sizeof ip), "127.0.0.1");
	CHECK_INT(port_of(&from), port - 1);	/* sent from port - 1 */
	/* "everyone" is node 1 only: not ourselves */
	CHECK_INT(transport_send(b, 0, "all", 3), 0);
	CHECK_INT(wait_recv(a, buf, sizeof buf, &from), 3);
	CHECK(!memcmp(buf, "all", 3));
	usleep(20000);
	CHECK(quiet(b));
	CHECK(quiet(a));
	transport_close(a);
	transport_close(b);
}

TEST(transport_errors_and_counters)
{
	struct transport *a, *b;
	struct transport_stats st;
	struct sockaddr_storage from;
	char big[1500] = {0}, small[16];
	int port, fds[1];

	if (!CHECK(open_pair(&a, &b, &port) == 0))
		return;
	errno = 0;
	CHECK_INT(transport_send(a, 9, "x", 1), -1);
	CHECK_INT(errno, EHOSTUNREACH);
	transport_fds(b, fds, 1);
	CHECK_INT(transport_recv(b, fds[0], small, sizeof small, NULL), -1);
	CHECK_INT(errno, EAGAIN);
	CHECK_INT(transport_send(a, 2, big, sizeof big), 0);
	CHECK_INT(wait_recv(b, small, sizeof small, &from), -1);
	CHECK_INT(errno, EMSGSIZE);
	transport_stats(a, &st);
	CHECK_INT(st.tx_no_addr, 1);
	CHECK_INT(st.tx_packets, 1);
	CHECK_INT(st.nbook, 1);
	transport_stats(b, &st);
	CHECK_INT(st.rx_truncated, 1);
	CHECK_INT(st.rx_packets, 0);
	transport_close(a);
	transport_close(b);
}

static uint64_t transport_stats_learn_refused(struct transport *t)
{
	struct transport_stats st;

	transport_stats(t, &st);
	return st.learn_refused;
}

TEST(transport_learn_follows_peer)
{
	struct transport *a, *b;
	struct sockaddr_storage at, got;
	struct sockaddr_in *in = (struct sockaddr_in *)&at;
	char ip[64], buf[64];
	int port;

	if (!CHECK(open_pair(&a, &b, &port) == 0))
		return;
	memset(&at, 0, sizeof at);
	in->sin_family = AF_INET;
	in->sin_port = htons(1234);
	inet_pton(AF_INET, "127.0.0.3", &in->sin_addr);
	CHECK_INT(transport_lookup(a, 3, &got), -1);
	transport_learn(a, 3, &at);
	CHECK_INT(transport_lookup(a, 3, &got), 0);
	CHECK_STR(transport_ntop(&got, ip, sizeof ip), "127.0.0.3");
	CHECK_INT(port_of(&got), port);		/* receive port, not 1234 */
	transport_learn(a, 1, &at);		/* ourselves: ignored */
	CHECK_INT(transport_lookup(a, 1, &got), -1);
	/* node 2 never moves to node 3's address: that one is taken */
	transport_learn(a, 2, &at);
	CHECK_INT(transport_send(a, 2, "stays", 5), 0);
	CHECK_INT(wait_recv(b, buf, sizeof buf, NULL), 5);
	CHECK_INT(transport_stats_learn_refused(a), 1);
	/* node 2 moves to 127.0.0.4 (nobody listens there): the old
	 * address no longer gets its datagrams */
	inet_pton(AF_INET, "127.0.0.4", &in->sin_addr);
	transport_learn(a, 2, &at);
	CHECK_INT(transport_send(a, 2, "moved", 5), 0);
	CHECK_INT(wait_recv(b, buf, sizeof buf, NULL), -1);
	inet_pton(AF_INET, "127.0.0.2", &in->sin_addr);
	transport_learn(a, 2, &at);
	CHECK_INT(transport_send(a, 2, "back", 4), 0);
	CHECK_INT(wait_recv(b, buf, sizeof buf, NULL), 4);
	transport_close(a);
	transport_close(b);
}

TEST(transport_open_failures)
{
	struct transport_cfg c;
	char err[200] = "";

	cfg_of(&c, 1, 20000);
	c.nodes[0].name = "192.0.2.1";		/* TEST-NET: not ours */
	CHECK(transport_open(&c, err, sizeof err) == NULL);
	CHECK(strstr(err, "bind 192.0.2.1 port 20000") != NULL);
	cfg_of(&c, 5, 20000);			/* not in the list */
	CHECK(transport_open(&c, err, sizeof err) == NULL);
	CHECK_STR(err, "node 5: no local address");
	cfg_of(&c, 1, 1);
	CHECK(transport_open(&c, err, sizeof err) == NULL);
	CHECK_STR(err, "port 1 out of range");
	cfg_of(&c, 1, 20000);
	c.udpu = 0;				/* multicast without a group */
	CHECK(transport_open(&c, err, sizeof err) == NULL);
	CHECK_STR(err, "no multicast address");
	c.mcast = "127.0.0.9";
	CHECK(transport_open(&c, err, sizeof err) == NULL);
	CHECK_STR(err, "127.0.0.9 is not a multicast address");
}

/* Multicast through lo, looped back to a second member on 127.0.0.2.
 * Kernels that refuse multicast on lo make this a no-op, said so. */
TEST(transport_multicast_on_loopback)
{
	struct transport_cfg ca, cb;
	struct transport *a, *b;
	char err[200], buf[64];
	int port = 20000 + (int)(getpid() * 7 + 1) % 30000;

	cfg_of(&ca, 1, port);
	cfg_of(&cb, 2, port);
	ca.udpu = cb.udpu = 0;
	ca.mcast = cb.mcast = "239.192.110.162";
	ca.loop = cb.loop = 1;
	a = transport_open(&ca, err, sizeof err);
	b = a ? transport_open(&cb, err, sizeof err) : NULL;
	if (!b || transport_send(a, 0, "group", 5) < 0) {
		fprintf(stderr, "unit_transport: multicast on lo not "
			"tested: %s\n", b ? strerror(errno) : err);
		transport_close(a);
		transport_close(b);
		return;
	}
	CHECK_INT(transport_fds(a, (int[3]){0}, 3), 3);
	CHECK_INT(wait_recv(b, buf, sizeof buf, NULL), 5);
	CHECK(!memcmp(buf, "group", 5));
	CHECK_INT(transport_send(a, 2, "token", 5), 0);
	CHECK_INT(wait_recv(b, buf, sizeof buf, NULL), 5);
	CHECK(!memcmp(buf, "token", 5));
	transport_close(a);
	transport_close(b);
}

/* IPv6 where the host has ::1: node 2 is configured at our own address,
 * so a datagram to it comes back to our receive socket. */
TEST(transport_ipv6_loopback)
{
	struct transport_cfg c;
	struct transport *t;
	struct sockaddr_storage from, me;
	char err[200], buf[64], ip[64];

	cfg_of(&c, 1, 20000 + (int)(getpid() * 7 + 3) % 30000);
	c.nodes[0].name = c.nodes[1].name = "::1";
	if (!(t = transport_open(&c, err, sizeof err))) {
		fprintf(stderr, "unit_transport: IPv6 not tested: %s\n", err);
		return;
	}
	transport_local(t, &me);
	CHECK_INT(me.ss_family, AF_INET6);
	CHECK_INT(port_of(&me), c.port);
	CHECK_INT(transport_send(t, 0, "six", 3), 0);
	CHECK_INT(wait_recv(t, buf, sizeof buf, &from), 3);
	CHECK_STR(transport_ntop(&from, ip, sizeof ip), "::1");
	CHECK_INT(port_of(&from), c.port - 1);
	transport_close(t);
}
