/* rm/node.c - which clusternode this host is.
 *
 * cman's order: the name given on the command line; else the host's
 * name (uname -n) whole, then both sides cut at the first dot, so
 * "node1.example.com" finds <clusternode name="node1"> and the other way
 * round; else the first clusternode whose name resolves to an address of
 * one of our interfaces.  Resolving may consult DNS: start-up only. */
#include "node.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#define MAX_LOCAL 32

struct addrs {
	int n;
	struct sockaddr_storage a[MAX_LOCAL];
};

static size_t short_len(const char *s)
{
	return strcspn(s, ".");
}

static int short_eq(const char *a, const char *b)
{
	size_t n = short_len(a);

	return n == short_len(b) && !strncmp(a, b, n);
}

static const struct conf_node *by_name(const struct conf *c,
				       const char *name, int cut)
{
	for (int i = 0; i < c->nnodes; i++) {
		const char *n = c->nodes[i].name;

		if (n && (cut ? short_eq(n, name) : !strcmp(n, name)))
			return &c->nodes[i];
	}
	return NULL;
}

static const void *raw(const struct sockaddr_storage *a, size_t *len)
{
	if (a->ss_family == AF_INET6) {
		*len = 16;
		return &((const struct sockaddr_in6 *)a)->sin6_addr;
	}
	*len = 4;
	return &((const struct sockaddr_in *)a)->sin_addr;
}

static void ntop(const struct sockaddr_storage *a, char *out, size_t len)
{
	size_t n;

	if (!inet_ntop(a->ss_family, raw(a, &n), out, (socklen_t)len))
		snprintf(out, len, "?");
}

static int same(const struct sockaddr_storage *a,
		const struct sockaddr_storage *b)
{
	size_t n, m;
	const void *x = raw(a, &n), *y = raw(b, &m);

	return a->ss_family == b->ss_family && n == m && !memcmp(x, y, n);
}

static void local_addrs(struct addrs *l)
{
	struct ifaddrs *ifa, *i;

	l->n = 0;
	if (getifaddrs(&ifa) < 0)
		return;
	for (i = ifa; i && l->n < MAX_LOCAL; i = i->ifa_next) {
		int f = i->ifa_addr ? i->ifa_addr->sa_family : AF_UNSPEC;

		if (f != AF_INET && f != AF_INET6)
			continue;
		memset(&l->a[l->n], 0, sizeof l->a[0]);
		memcpy(&l->a[l->n++], i->ifa_addr, f == AF_INET ?
		       sizeof(struct sockaddr_in) :
		       sizeof(struct sockaddr_in6));
	}
	freeifaddrs(ifa);
}

/* The first address of name that is in l (l NULL: any), as text into
 * addr; 1 found, 0 not. */
static int resolves_to(const char *name, const struct addrs *l,
		       char addr[64])
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res, *r;
	int found = 0;

	if (!name || getaddrinfo(name, NULL, &hints, &res))
		return 0;
	for (r = res; r && !found; r = r->ai_next) {
		struct sockaddr_storage s = {0};

		if (r->ai_addrlen > sizeof s)
			continue;
		memcpy(&s, r->ai_addr, r->ai_addrlen);
		for (int k = 0; l && k < l->n && !found; k++)
			found = same(&s, &l->a[k]);
		if (found || !l) {
			ntop(&s, addr, 64);
			found = 1;
		}
	}
	freeaddrinfo(res);
	return found;
}

static const struct conf_node *by_addr(const struct conf *c,
				       struct buf *tried, char addr[64])
{
	struct addrs l;
	char text[64];

	local_addrs(&l);
	for (int i = 0; i < c->nnodes; i++)
		if (resolves_to(c->nodes[i].name, &l, addr))
			return &c->nodes[i];
	buf_puts(tried, l.n ? ", addresses" : ", no interface addresses");
	for (int k = 0; k < l.n; k++) {
		ntop(&l.a[k], text, sizeof text);
		buf_printf(tried, " %s", text);
	}
	return NULL;
}

static const struct conf_node *found(const struct conf_node *n,
				     char addr[64])
{
	if (!resolves_to(n->name, NULL, addr))
		addr[0] = 0;
	return n;
}

const struct conf_node *node_find_local(const struct conf *c,
					const char *name, struct buf *tried,
					char addr[64])
{
	const struct conf_node *n;
	struct utsname u;

	addr[0] = 0;
	if (name) {
		buf_printf(tried, "'%s'", name);
		if (!(n = by_name(c, name, 0)))
			n = by_name(c, name, 1);
		return n ? found(n, addr) : NULL;
	}
	if (uname(&u) < 0)
		u.nodename[0] = 0;
	buf_printf(tried, "'%s'", u.nodename);
	if (u.nodename[0] && (n = by_name(c, u.nodename, 0)))
		return found(n, addr);
	if (short_len(u.nodename) < strlen(u.nodename))
		buf_printf(tried, ", '%.*s'", (int)short_len(u.nodename),
			   u.nodename);
	if (u.nodename[0] && (n = by_name(c, u.nodename, 1)))
		return found(n, addr);
	return by_addr(c, tried, addr);
}
