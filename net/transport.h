/* net/transport.h - UDP sockets for the ring: multicast or unicast.
 *
 * The only module that knows socket options.  It moves opaque datagrams
 * (sealed packets, see seal.h) and keeps the address book nodeid ->
 * address; it never looks inside a packet.  Sockets are non-blocking:
 * the daemon polls transport_fds() and calls transport_recv() on the fd
 * that is readable until it returns -1 with errno EAGAIN.
 *
 * Ports as cman (spec 1.10): datagrams are received on port (5405) and
 * sent from port - 1 (5404).
 *  - multicast (default): one socket bound to group:port joined on the
 *    local address's interface, one bound to local:port for unicast (the
 *    token), one bound to local:port-1 that sends both.  TTL 1; loopback
 *    of our own multicasts off, since the ring delivers its own messages
 *    and a copy would only cost a decryption and a drop as SEAL_E_SELF.
 *  - udpu: one socket bound to local:port receives, one bound to
 *    local:port-1 sends; "to every node" is one datagram per node in the
 *    address book, ourselves excepted.
 * IPv4 and IPv6 (the family of the local address).  net/ sits below xml/:
 * the daemon copies what it needs from the cluster.conf model into the
 * plain transport_cfg. */
#ifndef TRANSPORT_H
#define TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define TRANSPORT_MAX_NODES	64	/* configured nodes */
#define TRANSPORT_MAX_BOOK	80	/* configured and learned addresses */
#define TRANSPORT_MAX_FDS	3
#define TRANSPORT_MAX_DGRAM	65507	/* largest UDP payload over IPv4 */
#define TRANSPORT_PORT		5405

struct transport_node {
	uint32_t nodeid;		/* 1..4096 */
	const char *name;		/* host name or numeric address */
};

struct transport_cfg {
	uint32_t nodeid;		/* this node */
	/* Our address or name; NULL: the name of our entry in nodes[]. */
	const char *local;
	const char *mcast;		/* group, "239.192.x.y"; unused: udpu */
	int port;			/* receive port; 0: TRANSPORT_PORT */
	int udpu;			/* 1: unicast to every node */
	int ttl;			/* multicast hops; 0: 1 */
	int loop;			/* 1: hear our own multicasts (tests
					 * with several nodes on one host) */
	int nnodes;
	struct transport_node nodes[TRANSPORT_MAX_NODES];
};

struct transport_stats {
	uint64_t tx_packets, tx_errors, tx_no_addr;
	uint64_t rx_packets, rx_errors, rx_truncated;
	uint64_t learn_refused;		/* another node was heard there */
	int nbook;			/* addresses known */
};

struct transport;

/* Resolve the names (getaddrinfo, once; numeric addresses need no DNS),
 * open and bind the sockets.  NULL with a message in err when the local
 * address cannot be found or bound.  A peer whose name does not resolve
 * is logged and left out until transport_learn() hears of it. */
struct transport *transport_open(const struct transport_cfg *cfg,
				 char *err, size_t errlen);
void transport_close(struct transport *t);

/* The fds to poll for input; returns how many (at most max). */
int transport_fds(const struct transport *t, int fds[], int max);

/* Send one datagram to node to, or to every node when to is 0.  0 when
 * every datagram was handed to the kernel; -1 (counted, errno set) when
 * one failed or to has no address.  UDP may drop it anyway. */
int transport_send(struct transport *t, uint32_t to, const void *pkt,
		   size_t len);

/* Send one datagram to the receive port at the address of to (where a
 * packet came from); 0, or -1 with errno. */
int transport_send_to(struct transport *t,
		      const struct sockaddr_storage *to, const void *pkt,
		      size_t len);

/* Read one datagram from fd: its length, or -1 with errno (EAGAIN: none
 * left; EMSGSIZE: longer than cap, dropped and counted).  from, if not
 * NULL, receives the source address. */
ssize_t transport_recv(struct transport *t, int fd, void *buf, size_t cap,
		       struct sockaddr_storage *from);

/* A packet from from was authenticated as nodeid's current incarnation,
 * and newer than any before it: remember where nodeid is now (the port
 * is replaced by the receive port, since peers send from port - 1).  An
 * address another node was heard from is not taken (counted); one only
 * configured for another node is (a guest fetching its file runs on a
 * configured node's machine). */
void transport_learn(struct transport *t, uint32_t nodeid,
		     const struct sockaddr_storage *from);
/* The node the configuration puts at the address of from (any port),
 * or 0. */
uint32_t transport_configured_at(const struct transport *t,
				 const struct sockaddr_storage *from);

/* nodeid's address: 0 and *out filled, or -1 when unknown. */
int transport_lookup(const struct transport *t, uint32_t nodeid,
		     struct sockaddr_storage *out);

/* The address the sockets are bound to (port: the receive port). */
void transport_local(const struct transport *t,
		     struct sockaddr_storage *out);

/* "192.0.2.1" / "2001:db8::1" (no port) into out, for log lines. */
const char *transport_ntop(const struct sockaddr_storage *a, char *out,
			   size_t outlen);

void transport_stats(const struct transport *t, struct transport_stats *st);

#endif
