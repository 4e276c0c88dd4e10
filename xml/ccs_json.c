/* xml/ccs_json.c - ccs_tool ls* --json: the listed elements as they are
 * in cluster.conf, one JSON object (schema 1, doc/json.md):
 *
 *   {"schema":1,LIST:[ELEMENT...]}
 *   ELEMENT = {"element":S,"attributes":{NAME:S...},"children":[ELEMENT...]}
 *
 * Attribute values are strings, as written; nothing is defaulted (the
 * defaults are in cluster.conf(5)).  LIST is nodes (lsnode: clusternode
 * with its fence methods), fencedevices, services (service and vm with
 * their resource trees), resources (the global ones) or failoverdomains. */
#include "ccs.h"

#include "../net/sys.h"

#include <stdio.h>
#include <string.h>

static void element(const struct xml_node *n)
{
	const struct xml_node *k;
	int first = 1;

	printf("{\"element\":");
	json_str(n->name);
	printf(",\"attributes\":{");
	for (int a = 0; a < n->nattrs; a++) {
		printf("%s", a ? "," : "");
		json_str(n->attrs[a].name);
		putchar(':');
		json_str(n->attrs[a].value);
	}
	printf("},\"children\":[");
	for (k = n->child; k; k = k->next)
		if (k->kind == XML_ELEM) {
			printf("%s", first ? "" : ",");
			first = 0;
			element(k);
		}
	printf("]}");
}

static const struct {
	const char *cmd, *list, *section, *sub, *names;
} lists[] = {
	{ "lsnode", "nodes", "clusternodes", NULL, " clusternode " },
	{ "lsfence", "fencedevices", "fencedevices", NULL, " fencedevice " },
	{ "lsservice", "services", "rm", NULL, " service vm " },
	{ "lsresource", "resources", "rm", "resources", NULL },
	{ "lsdomain", "failoverdomains", "rm", "failoverdomains",
	  " failoverdomain " },
};

/* The list of command cmd, or 0 when it has none. */
int ccs_json(const struct ccs *c, const char *cmd)
{
	for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
		const struct xml_node *p, *k;
		char word[64];
		int first = 1;

		if (strcmp(lists[i].cmd, cmd))
			continue;
		p = xml_child(c->root, lists[i].section);
		if (lists[i].sub)
			p = xml_child(p, lists[i].sub);
		printf("{\"schema\":1,");
		json_str(lists[i].list);
		printf(":[");
		for (k = p ? p->child : NULL; k; k = k->next) {
			snprintf(word, sizeof word, " %s ", k->name ? k->name : "");
			if (k->kind != XML_ELEM || (lists[i].names ?
			    !strstr(lists[i].names, word) :
			    !strcmp(k->name, "service")))
				continue;
			printf("%s", first ? "" : ",");
			first = 0;
			element(k);
		}
		printf("]}\n");
		return 1;
	}
	return 0;
}
