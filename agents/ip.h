/* agents/ip.h - the pure parts of the ip agent, for its unit test. */
#ifndef IP_H
#define IP_H

/* An address of the ip resource: AF_INET or AF_INET6, its bytes (the
 * first 4 or all 16 used) and the prefix length after a '/' (-1: none). */
struct ip_addr {
	int family, prefix;
	unsigned char a[16];
};

/* Parse "ADDR" or "ADDR/PREFIX"; family is NULL or "auto" (a ':' makes
 * it IPv6), "inet" or "inet6".  0, or -1 when s is no address of that
 * family or its prefix is out of range. */
int ip_parse(const char *s, const char *family, struct ip_addr *out);
/* 1 when a and b agree in their first bits bits (a subnet holds both). */
int ip_same_subnet(const unsigned char *a, const unsigned char *b, int bits);
/* An rgmanager boolean: 1, yes, on, true or 0, no, off, false (any
 * case); dflt when s is NULL or none of these. */
int ip_bool(const char *s, int dflt);

#endif
