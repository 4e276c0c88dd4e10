/* xml/restree.h - a service's resource tree: attribute values with
 * inheritance, and the start and stop order (spec 3.2, 3.3). */
#ifndef RESTREE_H
#define RESTREE_H

struct conf_res;
struct conf_service;

#define RT_MAX	1024		/* resources of one service, root included */

/* An attribute of a resource as its agent sees it: its own (or its ref
 * target's), else inherited (schema "attr": the nearest ancestor's;
 * "service%attr": the service's), else the schema's default; NULL. */
const char *rt_value(const struct conf_res *r, const char *attr);

/* "TYPE:PRIMARY" of r into out. */
void rt_label(const struct conf_res *r, char *out, unsigned size);

/* The resources of s in start order (the service first: a parent before
 * its children; children by their type's level under that parent, then
 * those without a level in file order), or in stop order (its mirror:
 * children before their parent, the service last).  Returns the count
 * written to out (at most max). */
int rt_order(const struct conf_service *s, int stop,
	     const struct conf_res **out, int max);

/* 1 when resource a and b would run their agent alike: the same type
 * and the same value (rt_value) of every attribute either gives or its
 * type knows, and the same <action> children. */
int rt_res_same(const struct conf_res *a, const struct conf_res *b);
/* 1 when services a and b hold the same resources, alike, in the same
 * order (the service's own attributes aside: they change no agent). */
int rt_same(const struct conf_service *a, const struct conf_service *b);

/* A status check: OCF_CHECK_LEVEL, how often, how long it may take
 * (seconds; timeout 0: the caller's default). */
struct rt_check {
	int depth, interval, timeout;
};
#define RT_CHECKS	8
#define RT_CHECK_DEFAULT 60	/* s: a type the schema does not know */

/* r's status checks: its type's (a type the schema does not know:
 * depth 0 every RT_CHECK_DEFAULT seconds), each replaced (same depth) or joined
 * by an <action name="status"|"monitor" depth= interval= timeout=/>
 * child of r (or of what it refers to).  Returns the count (<= max). */
int rt_checks(const struct conf_res *r, struct rt_check *out, int max);
/* The timeout= of r's <action name="ACTION"/> in seconds, or 0. */
int rt_timeout(const struct conf_res *r, const char *action);

#endif
