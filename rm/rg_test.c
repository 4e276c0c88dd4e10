/* rm/rg_test.c - the applet: rgmanager's tool to look at resource trees
 * and try them without a cluster.  It reads only the <rm> section of a
 * file, so a file without nodes will do.
 *
 *   rg_test test FILE                       the trees, with every value
 *                                           an agent would get
 *   rg_test test FILE start|stop|status service|vm NAME
 *                                           run its agents here, now
 *   rg_test noop FILE start|stop|status service|vm NAME
 *                                           the order, running nothing
 *   rg_test delta OLD NEW                   what a reload does, per service
 *
 * test runs the agents as the daemon does (agents/res.c: children of
 * the loop, in tree order, with time-outs) and speaks rgmanager's words
 * (rgmanager/src/daemons/test.c, STABLE3): "Starting NAME...", "Start of
 * NAME complete" / "Failed to start NAME" (exit 255: its -1), "Stopping
 * NAME...", "Stop of NAME complete" (exit 255 on failure, where we also
 * say "Failed to stop NAME"; rgmanager said nothing), "Checking status of
 * NAME...", "Status of NAME is good" / "Status check of NAME failed"
 * (exit 1: its SFL_FAILURE).  Between them, "[ACTION] TYPE:NAME" as each
 * agent begins.  A status checks every resource once at its deepest
 * check level, as rgmanager's rg_test did (no check ran yet, so every
 * interval has passed); a resource with no check is not run.  Root is
 * not required: an agent that needs it fails on its own.
 *
 * delta compares services by kind and name, and their resources by
 * TYPE:PRIMARY, and says what this daemon does on that reload
 * (rm/rgmanager.c conf_changed, rm/svc_table.c st_config): a service
 * whose resources differ in any way is restarted whole, in place. */
#include "../agents/res.h"

#include "../net/loop.h"
#include "../net/sys.h"
#include "../xml/conf.h"
#include "../xml/restree.h"

#include <stdio.h>
#include <string.h>

const char rg_test_help[] =
"usage: rg_test test FILE\n"
"       rg_test test FILE start|stop|status service|vm NAME\n"
"       rg_test noop FILE start|stop|status service|vm NAME\n"
"       rg_test delta OLD NEW\n"
"  test FILE   print every service's resource tree: each resource with\n"
"              the values its agent gets (own, inherited, default)\n"
"  test ...    run the service's agents here, in order: Starting NAME...,\n"
"              [start] TYPE:NAME per agent, Start of NAME complete\n"
"  noop ...    print that order, running nothing\n"
"  delta ...   per service: added, removed, changed (its resources that\n"
"              differ; the daemon restarts it in place) or unchanged\n"
"Exit status: 0 done, 1 the file or the service is not there or a\n"
"status check failed, 2 usage, 255 a start or stop failed.\n";

/* rgmanager's words and exit codes, by action (see the top). */
static const struct verb {
	const char *name, *begin, *ok, *fail;
	int rc;
} verbs[] = {
	[RES_START] = { "start", "Starting %s...\n", "Start of %s complete\n",
			"Failed to start %s\n", 255 },
	[RES_STOP] = { "stop", "Stopping %s...\n", "Stop of %s complete\n",
		       "Failed to stop %s\n", 255 },
	[RES_STATUS] = { "status", "Checking status of %s...\n",
			 "Status of %s is good\n",
			 "Status check of %s failed\n", 1 },
};

static struct {
	struct res_job job;
	int done, ok, shown;
} R;

/* --- printing a tree ----------------------------------------------------- */
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

static int trees(const struct conf *c)
{
	for (int i = 0; i < c->nservices; i++)
		if (c->services[i].res)
			print_tree(c->services[i].res, 0);
	return 0;
}

/* --- running a service --------------------------------------------------- */
static void say(const char *pre, const char *op, const struct conf_res *r)
{
	char label[160];

	rt_label(r, label, sizeof label);
	printf("%s[%s] %s\n", pre, op, label);
	fflush(stdout);
}

/* Say each resource up to k whose agent has begun (status: deepest). */
static void show(int k)
{
	for (; R.shown <= k && R.shown < R.job.n; R.shown++)
		if (R.job.order[R.shown]->parent)
			say("", verbs[R.job.action].name, R.job.order[R.shown]);
}

static int deepest(void *ctx, int k, const struct conf_res *r, int *timeout)
{
	struct rt_check c[RT_CHECKS];
	int n = rt_checks(r, c, RT_CHECKS), depth = -1;

	for (int i = 0; i < n; i++)
		if (c[i].interval > 0 && c[i].depth > depth) {
			depth = c[i].depth;
			*timeout = c[i].timeout;
		}
	if (depth >= 0)
		say("", "status", r);
	return depth;
}

static void job_done(void *ctx, int ok)
{
	R.done = 1;
	R.ok = ok;
}

static int run(const struct conf_service *s, enum res_action a)
{
	if (loop_init() < 0)
		die_sys("cannot start the event loop");
	if (a == RES_STATUS)
		R.shown = RT_MAX;	/* deepest() says them */
	res_start(&R.job, s, a, deepest, job_done, NULL);
	while (!R.done) {
		show(R.job.next);
		loop_once(-1);
	}
	show(R.job.next);
	loop_done();
	return R.ok;
}

static int noop(const struct conf_service *s, enum res_action a)
{
	const struct conf_res *order[RT_MAX];
	int n = rt_order(s, a == RES_STOP, order, RT_MAX);

	for (int i = 0; i < n; i++)
		say("", verbs[a].name, order[i]);
	return 1;
}

static int one(const struct conf *c, const char *mode, char **arg)
{
	const struct conf_service *s = conf_service(c, arg[2]);
	unsigned a = 0;
	int ok;

	while (a < ARRAY_LEN(verbs) && strcmp(arg[0], verbs[a].name))
		a++;
	if (a == ARRAY_LEN(verbs))
		die_usage("%s: start, stop or status, not '%s'", mode, arg[0]);
	if (strcmp(arg[1], "service") && strcmp(arg[1], "vm"))
		die_usage("%s: service or vm, not '%s'", mode, arg[1]);
	if (!s || strcmp(s->x->name, arg[1]))
		die("no %s '%s' in the file", arg[1], arg[2]);
	printf(verbs[a].begin, arg[2]);
	fflush(stdout);
	ok = !strcmp(mode, "noop") ? noop(s, a) : run(s, a);
	printf(ok ? verbs[a].ok : verbs[a].fail, arg[2]);
	return ok ? 0 : verbs[a].rc;
}

/* --- delta --------------------------------------------------------------- */
/* The resource of o[1..n) labelled as r, or NULL. */
static const struct conf_res *match(const struct conf_res *const *o, int n,
				    const struct conf_res *r)
{
	char a[160], b[160];

	rt_label(r, a, sizeof a);
	for (int i = 1; i < n; i++) {
		rt_label(o[i], b, sizeof b);
		if (!strcmp(a, b))
			return o[i];
	}
	return NULL;
}

static int moved(const struct conf_res *a, const struct conf_res *b)
{
	char pa[160], pb[160];

	rt_label(a->parent, pa, sizeof pa);
	rt_label(b->parent, pb, sizeof pb);
	return strcmp(pa, pb) != 0;
}

/* The resources of old and new that differ, one line each. */
static void res_delta(const struct conf_service *old,
		      const struct conf_service *new)
{
	static const struct conf_res *o[RT_MAX], *n[RT_MAX];
	int no = rt_order(old, 0, o, RT_MAX), nn = rt_order(new, 0, n, RT_MAX);
	int lines = 0;

	for (int i = 1; i < no; i++) {
		const struct conf_res *m = match(n, nn, o[i]);
		const char *what = !m ? "removed" : !rt_res_same(o[i], m) ?
			"changed" : moved(o[i], m) ? "moved" : NULL;

		if (what) {
			say("  ", what, o[i]);
			lines++;
		}
	}
	for (int i = 1; i < nn; i++)
		if (!match(o, no, n[i])) {
			say("  ", "added", n[i]);
			lines++;
		}
	if (!lines)
		printf("  [reordered] the same resources, in another order\n");
}

static const struct conf_service *twin(const struct conf *c,
				       const struct conf_service *s)
{
	const struct conf_service *t = conf_service(c, s->name);

	return t && t->is_vm == s->is_vm ? t : NULL;
}

static void delta_one(const struct conf_service *s, const struct conf *other,
		      int in_new)
{
	const struct conf_service *t = twin(other, s);
	const char *kind = s->is_vm ? "vm" : "service";

	if (in_new && !t)
		printf("%s:%s added: %s\n", kind, s->name, s->autostart ?
		       "will be placed by evaluation" :
		       "autostart=\"0\", stays disabled");
	else if (!in_new && !t)
		printf("%s:%s removed: will be stopped where it runs and "
		       "forgotten\n", kind, s->name);
	else if (!in_new && rt_same(s, t))
		printf("%s:%s unchanged\n", kind, s->name);
	else if (!in_new) {
		printf("%s:%s changed: will restart in place where it "
		       "runs\n", kind, s->name);
		res_delta(s, t);
	}
}

static int delta(const struct conf *old, const struct conf *new)
{
	for (int i = 0; i < old->nservices; i++)
		delta_one(&old->services[i], new, 0);
	for (int i = 0; i < new->nservices; i++)
		delta_one(&new->services[i], old, 1);
	return 0;
}

/* --- the applet ---------------------------------------------------------- */
static struct conf *load(const char *file)
{
	struct conf_diags d = {0};
	struct conf *c = conf_read(file, &d);

	if (!c && d.n && d.v[0].line > 0)
		die("%s:%d:%d: %s", file, d.v[0].line, d.v[0].col,
		    d.v[0].text);
	if (!c)
		die("%s: %s", file, d.n ? d.v[0].text : "cannot read");
	conf_diags_free(&d);
	return c;
}

/* The modes, and the argc of their one or two forms. */
static const struct mode {
	const char *name;
	int argc[2];
} modes[] = {
	{ "test", { 3, 6 } }, { "noop", { 6, 6 } }, { "delta", { 4, 4 } },
};

int rg_test_main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const struct mode *m = modes;
	struct conf *c, *c2 = NULL;
	int rc;

	while (m < modes + ARRAY_LEN(modes) && strcmp(mode, m->name))
		m++;
	if (m == modes + ARRAY_LEN(modes))
		die_usage("unknown mode '%s' (test, noop, delta)", mode);
	if (argc != m->argc[0] && argc != m->argc[1])
		die_usage("%s: wrong number of arguments", mode);
	c = load(argv[2]);
	if (!strcmp(mode, "delta"))
		rc = delta(c, c2 = load(argv[3]));
	else
		rc = argc == 3 ? trees(c) : one(c, mode, argv + 3);
	if (c2)
		conf_free(c2);
	conf_free(c);
	return rc;
}
