/* rm/node.h - which clusternode this host is. */
#ifndef NODE_H
#define NODE_H

#include "../xml/conf.h"

/* The clusternode this host is, as cman found it: name (from -n) when
 * given, else uname -n as it is, else its short form (up to the first
 * dot) against each node's name and short name, else a node whose name
 * resolves to an address of a local interface.  NULL when none: tried
 * then reads like "'x', 'x.example.com', addresses 192.0.2.1 10.0.0.1".
 * addr (64 bytes) receives the node's address as text ("" if unknown). */
const struct conf_node *node_find_local(const struct conf *c,
					const char *name, struct buf *tried,
					char addr[64]);

#endif
