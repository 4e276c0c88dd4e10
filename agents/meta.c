/* agents/meta.c - a built-in agent's OCF meta-data (spec 6.1, 6.2),
 * written from the resource-type table that validates cluster.conf, so
 * the two never disagree. */
#include "meta.h"
#include "builtin.h"

#include "../xml/schema.h"

#include <stdio.h>

static const char *content(unsigned flags)
{
	return flags & SA_BOOL ? "boolean" : flags & SA_INT ? "integer"
							    : "string";
}

static void parameter(const struct schema_attr *a)
{
	printf("    <parameter name=\"%s\"%s%s%s", a->name,
	       a->flags & SA_PRIMARY ? " primary=\"1\"" : "",
	       a->flags & SA_UNIQUE ? " unique=\"1\"" : "",
	       a->flags & SA_REQUIRED ? " required=\"1\"" : "");
	if (a->inherit)
		printf(" inherit=\"%s\"", a->inherit);
	printf(">\n      <shortdesc lang=\"en\">%s</shortdesc>\n"
	       "      <content type=\"%s\"", a->name, content(a->flags));
	if (a->def)
		printf(" default=\"%s\"", a->def);
	printf("/>\n    </parameter>\n");
}

int meta_print(const char *type, const char *desc)
{
	const struct schema_type *t = schema_find(type);

	if (!t)
		return OCF_ERR_GENERIC;
	printf("<?xml version=\"1.0\"?>\n"
	       "<resource-agent name=\"%s\" version=\"rgmanager 2.0\">\n"
	       "  <version>1.0</version>\n"
	       "  <longdesc lang=\"en\">%s</longdesc>\n"
	       "  <shortdesc lang=\"en\">%s</shortdesc>\n"
	       "  <parameters>\n", type, desc, desc);
	for (const struct schema_attr *a = t->attrs; a->name; a++)
		parameter(a);
	printf("  </parameters>\n  <actions>\n"
	       "    <action name=\"start\"/>\n    <action name=\"stop\"/>\n");
	for (const struct schema_check *c = t->checks; c->interval; c++)
		printf("    <action name=\"status\" depth=\"%d\" "
		       "interval=\"%d\"/>\n", c->depth, c->interval);
	printf("    <action name=\"meta-data\"/>\n  </actions>\n"
	       "</resource-agent>\n");
	return OCF_SUCCESS;
}
