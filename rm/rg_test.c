/* rm/rg_test.c - the applet: rgmanager's tool to look at resource trees
 * without a cluster.  It reads only the <rm> section of a file, so a
 * file without nodes will do.
 *
 *   rg_test test FILE                       the trees, with every value
 *                                           an agent would get
 *   rg_test noop FILE start|stop service N  the order, running nothing
 *
 * Running the agents (test FILE start|stop|status) and delta come with
 * the resource agents. */
#include "../xml/restree.h"

#include "../net/sys.h"
#include "../xml/conf.h"

#include <stdio.h>
#include <string.h>

const char rg_test_help[] =
"usage: rg_test test FILE\n"
"       rg_test noop FILE start|stop service|vm NAME\n"
"  test FILE   print every service's resource tree: each resource with\n"
"              the values its agent gets (own, inherited, default)\n"
"  noop ...    print the start or stop order of one service, running\n"
"              nothing: Starting NAME..., [start] TYPE:NAME per\n"
"              resource, Start of NAME complete\n"
"Exit status: 0 done, 1 the file or the service is not there, 2 usage.\n";

/* How a value came: its own (or its ref target's), inherited, default. */
static const char *origin(const struct conf_res *r, const char *attr,
			  const char *v)
{
	const struct schema_attr *a = schema_attr(r->type, attr);

	if (conf_res_get(r, attr))
		return "";
	return a && a->def && v == a->def ? " (default)" : " (inherited)";
}

static void print_attrs(const struct conf_res *r, int depth)
{
	const struct xml_node *x = r->x;

	for (const struct schema_attr *a = r->type->attrs; a->name; a++) {
		const char *v = rt_value(r, a->name);

		if (v)
			printf("%*s%s = \"%s\"%s\n", depth * 2 + 2, "",
			       a->name, v, origin(r, a->name, v));
	}
	for (int i = 0; i < x->nattrs; i++)	/* what the schema lacks */
		if (!schema_attr(r->type, x->attrs[i].name) &&
		    !schema_is_common(x->attrs[i].name))
			printf("%*s%s = \"%s\"\n", depth * 2 + 2, "",
			       x->attrs[i].name, x->attrs[i].value);
}

static void print_tree(const struct conf_res *r, int depth)
{
	char label[160];

	rt_label(r, label, sizeof label);
	printf("%*s%s {\n", depth * 2, "", label);
	if (r->type)
		print_attrs(r, depth);
	for (const struct conf_res *c = r->child; c; c = c->next)
		print_tree(c, depth + 1);
	printf("%*s}\n", depth * 2, "");
}

static int test(const struct conf *c)
{
	for (int i = 0; i < c->nservices; i++)
		if (c->services[i].res)
			print_tree(c->services[i].res, 0);
	return 0;
}

static int noop(const struct conf *c, const char *op, const char *kind,
		const char *name)
{
	const struct conf_service *s = conf_service(c, name);
	const struct conf_res *order[RT_MAX];
	int stop = !strcmp(op, "stop"), n;
	char label[160];

	if (strcmp(op, "start") && !stop)
		die_usage("noop: start or stop, not '%s'", op);
	if (strcmp(kind, "service") && strcmp(kind, "vm"))
		die_usage("noop: service or vm, not '%s'", kind);
	if (!s || strcmp(s->x->name, kind))
		die("no %s '%s' in the file", kind, name);
	printf("%s %s...\n", stop ? "Stopping" : "Starting", name);
	n = rt_order(s, stop, order, RT_MAX);
	for (int i = 0; i < n; i++) {
		rt_label(order[i], label, sizeof label);
		printf("[%s] %s\n", op, label);
	}
	printf("%s of %s complete\n", stop ? "Stop" : "Start", name);
	return 0;
}

int rg_test_main(int argc, char **argv)
{
	struct conf_diags d = {0};
	struct conf *c;
	int rc;

	if (argc < 3)
		die_usage("a mode and a file, at least");
	if (strcmp(argv[1], "test") && strcmp(argv[1], "noop"))
		die_usage("unknown mode '%s' (test, noop)", argv[1]);
	if (!strcmp(argv[1], "test") && argc > 3)
		die("test FILE %s: running agents is not available yet in "
		    "this version (noop shows the order)", argv[3]);
	if (!strcmp(argv[1], "noop") && argc != 6)
		die_usage("noop FILE start|stop service NAME");
	if (!(c = conf_read(argv[2], &d)))
		die("%s: %s", argv[2], d.n ? d.v[0].text : "cannot read");
	rc = !strcmp(argv[1], "test") ? test(c) :
	     noop(c, argv[3], argv[4], argv[5]);
	conf_free(c);
	return rc;
}
