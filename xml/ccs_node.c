/* xml/ccs_node.c - ccs_tool's original commands: create, nodes, fence
 * devices, addnodeids (spec 3.5).
 *
 * Messages, element order and listing columns are the original's.  Where
 * the original crashed or wrote a broken file (a missing section, a node
 * without a fence device, an attribute name with a space), these check
 * and say what is wrong; a missing <clusternodes> or <fencedevices> is
 * created by the add commands and read as empty by the others. */
#include "ccs.h"
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLUSTER_NAME_MAX 16	/* cman's limit */

/* Numbers in the file as the original read them (atoi), missing: def. */
static long num(const char *s, long def)
{
	return s ? strtol(s, NULL, 10) : def;
}

static struct xml_node *nodes_of(const struct ccs *c)
{
	return xml_child(c->root, "clusternodes");
}

static struct xml_node *devices_of(const struct ccs *c)
{
	return xml_child(c->root, "fencedevices");
}

static struct xml_node *node_by_id(const struct ccs *c, long id)
{
	struct xml_node *n;

	xml_each(n, nodes_of(c), "clusternode")
		if (num(xml_get(n, "nodeid"), 0) == id)
			return n;
	return NULL;
}

/* KEY=VALUE operands onto n; the keys in own are n's own attributes. */
static void set_fence_args(struct xml_node *n, char **arg, int narg,
			   const char *own)
{
	for (int i = 0; i < narg; i++) {
		const char *value;
		char *key = ccs_pair(arg[i], &value);

		if (ccs_in(key, own))
			die("Can't use \"%s\" as a fence argument name", key);
		xml_set(n, key, value);
		free(key);
	}
}

void ccs_create(struct ccs *c)
{
	const char *name = c->arg[0];
	struct xml_node *rm, *cman;

	if (!*name || strlen(name) > CLUSTER_NAME_MAX)
		die("cluster name '%s' must be 1 to %d characters", name,
		    CLUSTER_NAME_MAX);
	c->doc = xml_new(XML_DOC, NULL, NULL);
	c->root = xml_add(c->doc, "cluster");
	xml_set(c->root, "name", name);
	xml_set(c->root, "config_version", "1");
	if (c->opt['2']) {
		cman = xml_add(c->root, "cman");
		xml_set(cman, "two_node", "1");
		xml_set(cman, "expected_votes", "1");
	}
	xml_add(c->root, "clusternodes");
	xml_add(c->root, "fencedevices");
	rm = xml_add(c->root, "rm");
	xml_add(rm, "failoverdomains");
	xml_add(rm, "resources");
}

/* The checks in the original's order, all before anything changes. */
static void check_new_node(const struct ccs *c, const char *name,
			   const char *id, const char *dev)
{
	if (ccs_find(nodes_of(c), "clusternode", "name", name))
		die("node %s already exists in %s", name, c->conf);
	if (!id)
		die_code(EXIT_USAGE, "nodeid not specified");
	if (num(id, 0) == 0)
		die("nodeid 0 is not valid: node IDs start at 1");
	if (node_by_id(c, num(id, 0)))
		die("nodeid %s already in use", id);
	if (!ccs_find(devices_of(c), "fencedevice", "name", dev))
		die("fence type '%s' not known", dev);
}

void ccs_addnode(struct ccs *c)
{
	const char *name = c->arg[0], *dev = c->opt['f'];
	struct xml_node *n, *method, *device;

	check_new_node(c, name, c->opt['n'], dev);
	n = xml_add(ccs_need(c->root, "clusternodes", "fencedevices rm"),
		    "clusternode");
	xml_set(n, "name", name);
	xml_set(n, "votes", ccs_or(c->opt['v'], "1"));
	xml_set(n, "nodeid", c->opt['n']);
	if (c->opt['a'])
		xml_set(xml_add(n, "altname"), "name", c->opt['a']);
	method = xml_add(xml_add(n, "fence"), "method");
	xml_set(method, "name", "single");
	device = xml_add(method, "device");
	xml_set(device, "name", dev);
	set_fence_args(device, c->arg + 1, c->narg - 1, "name");
}

void ccs_delnode(struct ccs *c)
{
	struct xml_node *n = ccs_find(nodes_of(c), "clusternode", "name",
				      c->arg[0]);

	if (!n)
		die("node %s does not exist in %s", c->arg[0], c->conf);
	xml_remove(n);
}

void ccs_addfence(struct ccs *c)
{
	struct xml_node *d;

	if (ccs_find(devices_of(c), "fencedevice", "name", c->arg[0]))
		die("fence type %s already exists", c->arg[0]);
	d = xml_add(ccs_need(c->root, "fencedevices", "rm"), "fencedevice");
	xml_set(d, "name", c->arg[0]);
	xml_set(d, "agent", c->arg[1]);
	set_fence_args(d, c->arg + 2, c->narg - 2, "name agent");
}

/* The first method's first device, or NULL. */
static struct xml_node *first_device(const struct xml_node *node)
{
	return xml_child(xml_child(xml_child(node, "fence"), "method"),
			 "device");
}

/* The original removes it even when nodes still use it; say who does. */
/* One a node still uses is refused by the validator, which names the
 * node's <device> (ccs_tool.c check_edit). */
void ccs_delfence(struct ccs *c)
{
	struct xml_node *d = ccs_find(devices_of(c), "fencedevice", "name",
				      c->arg[0]);

	if (!d)
		die("fence type %s does not exist", c->arg[0]);
	xml_remove(d);
}

static void print_node_details(const struct xml_node *n)
{
	struct xml_node *alt = xml_child(n, "altname");

	if (alt) {
		printf(" altname name=%s", ccs_or(xml_get(alt, "name"), ""));
		if (!ccs_props(alt, "", "name"))
			putchar('\n');
	}
	ccs_props(n, "  Node properties: ", "name votes nodeid");
	ccs_props(first_device(n), "  Fence properties: ", "name agent");
}

void ccs_lsnode(struct ccs *c)
{
	struct xml_node *n;
	const char *mcast = xml_get(xml_child(xml_child(c->root, "cman"),
					      "multicast"), "addr");

	printf("\nCluster name: %s, config_version: %s\n\n",
	       ccs_or(xml_get(c->root, "name"), ""),
	       ccs_or(xml_get(c->root, "config_version"), ""));
	if (mcast)
		printf("Multicast address for cluster: %s\n\n", mcast);
	printf("%-32s Votes Nodeid Fencetype\n", "Nodename");
	xml_each(n, nodes_of(c), "clusternode") {
		printf("%-32s %3ld  %3ld    %s\n",
		       ccs_or(xml_get(n, "name"), ""),
		       num(xml_get(n, "votes"), 1),
		       num(xml_get(n, "nodeid"), 0),
		       ccs_or(xml_get(first_device(n), "name"), ""));
		if (c->opt['v'])
			print_node_details(n);
	}
}

void ccs_lsfence(struct ccs *c)
{
	struct xml_node *d;

	printf("%-16s %s\n", "Name", "Agent");
	xml_each(d, devices_of(c), "fencedevice") {
		printf("%-16s %s\n", ccs_or(xml_get(d, "name"), ""),
		       ccs_or(xml_get(d, "agent"), ""));
		if (c->opt['v'])
			ccs_props(d, "  Properties: ", "name agent");
	}
}

static void set_multicast(struct ccs *c)
{
	const char *addr = c->opt['m'];
	struct xml_node *cman = xml_child(c->root, "cman");

	if (!addr && !xml_get(xml_child(cman, "multicast"), "addr")) {
		fputs("\nWARNING: The cluster does not have a multicast "
		      "address.\nA default will be assigned at run time, "
		      "which might not suit your installation.\n\n", stderr);
		return;
	}
	if (!addr)
		return;
	if (!conf_is_mcast(addr))
		die("%s is not a valid multicast address", addr);
	cman = cman ? cman : ccs_need(c->root, "cman",
				      "clusternodes fencedevices rm");
	xml_set(xml_need(cman, "multicast"), "addr", addr);
}

void ccs_addnodeids(struct ccs *c)
{
	long next = num(c->opt['n'], 1);
	struct xml_node *n;

	if (next < 1)
		die("nodeid 0 is not valid: node IDs start at 1");
	set_multicast(c);
	xml_each(n, nodes_of(c), "clusternode") {
		if (num(xml_get(n, "nodeid"), 0) > 0)
			continue;
		while (node_by_id(c, next))
			next++;
		xml_setf(n, "nodeid", "%ld", next);
		if (c->opt['v'])
			fprintf(stderr, "Node %s now has id %ld\n",
				ccs_or(xml_get(n, "name"), ""), next);
	}
}
