/* xml/schema.h - resource types: attributes, levels, status intervals. */
#ifndef SCHEMA_H
#define SCHEMA_H

enum {
	SA_REQUIRED = 1,	/* must be given (unless the element is a ref) */
	SA_UNIQUE = 2,		/* no two resources of the type share a value */
	SA_PRIMARY = 4,		/* names the instance; what ref= points at */
	SA_BOOL = 8,		/* rgmanager boolean: yes/no or a number */
	SA_INT = 16,		/* non-negative integer */
	SA_TIME = 32,		/* seconds, or with s/m/h/d/w suffixes */
};

struct schema_attr {
	const char *name;
	unsigned flags;
	const char *def;	/* default value, or NULL */
	const char *inherit;	/* "attr" or "service%attr", or NULL */
};

struct schema_check {
	int depth;		/* OCF_CHECK_LEVEL */
	int interval;		/* seconds */
};

enum { ST_ROOT = 1 };		/* a top-level service type (service, vm) */

struct schema_type {
	const char *name;
	unsigned flags;
	int start_level, stop_level;	/* as a child of service; 0: none */
	const struct schema_attr *attrs;	/* ends with name NULL */
	const struct schema_check *checks;	/* ends with interval 0 */
};

/* The type called name, or NULL. */
const struct schema_type *schema_find(const char *name);
/* All types, in table order; *n receives the count. */
const struct schema_type *schema_types(int *n);
const struct schema_attr *schema_attr(const struct schema_type *t,
				      const char *name);
/* Name of the primary attribute of t. */
const char *schema_primary(const struct schema_type *t);
/* 1 if name is one of the attributes any resource may carry (ref,
 * __independent_subtree, ...). */
int schema_is_common(const char *name);

/* Where agents of types the table does not know are looked for: an
 * rgmanager agent SCHEMA_AGENT_DIR/TYPE.sh, or an OCF agent
 * $OCF_ROOT/resource.d/PROVIDER/TYPE (OCF_ROOT default /usr/lib/ocf). */
#define SCHEMA_AGENT_DIR "/usr/share/cluster"
#define SCHEMA_OCF_ROOT "/usr/lib/ocf"
/* The agent this node has for type into out: 0, with *ocf set when it
 * is an OCF agent (its status action is "monitor"); -1 when none. */
int schema_agent_path(const char *type, char *out, unsigned size, int *ocf);
/* 1 when this node has an agent for type. */
int schema_agent_exists(const char *type);
/* $OCF_ROOT, else SCHEMA_OCF_ROOT. */
const char *schema_ocf_root(void);

#endif
