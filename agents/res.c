/* agents/res.c - start, stop or check one service here: each resource's
 * agent, in the tree's order, one at a time, as a child of the loop.
 *
 * Which program: a type with a built-in agent (agents/builtin.c: ip,
 * fs, ...) runs this executable as `hacluster agent TYPE ACTION`; a
 * script resource runs its file (an LSB init script: `FILE
 * start|stop|status`); any other type runs /usr/share/cluster/TYPE.sh
 * (rgmanager's agents) or $OCF_ROOT/resource.d/PROVIDER/TYPE (an OCF
 * agent: its status action is "monitor").  A service's own root has
 * nothing to run; a vm's is the virtual machine (its agent, vm.sh or an
 * OCF one, also migrates it: `migrate TARGET`).  Each runs with a clean environment as spec 6.2 gives
 * it: OCF_RESKEY_NAME for every attribute with a value (its own, its
 * ref's, inherited, or the default), OCF_ROOT, OCF_RA_VERSION_MAJOR/
 * MINOR, OCF_RESOURCE_INSTANCE=TYPE:NAME, OCF_RESOURCE_TYPE,
 * OCF_CHECK_LEVEL, and PATH.  Exit 0 is success; the time-out (the
 * resource's <action timeout=>, else 60 s) kills it and counts as a
 * failure. */
#include "res.h"

#include "builtin.h"

#include "../net/loop.h"
#include "../net/sys.h"
#include "../xml/restree.h"
#include "../xml/xml.h"
#include "../xml/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void step(struct res_job *j);

static int found(const char *path)
{
	return access(path, X_OK) == 0;
}

int res_agent(const struct conf_res *r, char *out, unsigned size, int *ocf,
	      int *builtin)
{
	const char *type = r->x->name;

	*ocf = 0;
	*builtin = builtin_has(type);
	if (*builtin) {
		snprintf(out, size, "%s", RUN_SELF);
		return 0;
	}
	if (!strcmp(type, "script")) {
		snprintf(out, size, "%s", rt_value(r, "file") ?
			 rt_value(r, "file") : "");
		return found(out) ? 0 : -1;
	}
	return schema_agent_path(type, out, size, ocf);
}

/* --- the environment ------------------------------------------------------- */
struct env {
	char *v[256];
	int n;
};

static void env_add(struct env *e, const char *fmt, const char *a,
		    const char *b)
{
	if (e->n < 255)
		e->v[e->n++] = xasprintf(fmt, a, b);
	e->v[e->n] = NULL;
}

static void env_free(struct env *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->v[i]);
	e->n = 0;
}

static void env_of(const struct conf_res *r, int depth, struct env *e)
{
	char level[16];

	char label[160];
	const char *path = getenv("PATH");

	e->n = 0;
	if (r->type)
		for (const struct schema_attr *a = r->type->attrs; a->name; a++)
			if (rt_value(r, a->name))
				env_add(e, "OCF_RESKEY_%s=%s", a->name,
					rt_value(r, a->name));
	for (int i = 0; i < r->x->nattrs; i++)	/* what the schema lacks */
		if (!r->type || (!schema_attr(r->type, r->x->attrs[i].name) &&
				 !schema_is_common(r->x->attrs[i].name)))
			env_add(e, "OCF_RESKEY_%s=%s", r->x->attrs[i].name,
				r->x->attrs[i].value);
	rt_label(r, label, sizeof label);
	env_add(e, "OCF_RESOURCE_INSTANCE=%s%s", label, "");
	env_add(e, "OCF_RESOURCE_TYPE=%s%s", r->x->name, "");
	env_add(e, "OCF_ROOT=%s%s", schema_ocf_root(), "");
	env_add(e, "OCF_RA_VERSION_MAJOR=1%s%s", "", "");
	env_add(e, "OCF_RA_VERSION_MINOR=0%s%s", "", "");
	snprintf(level, sizeof level, "%d", depth);
	env_add(e, "OCF_CHECK_LEVEL=%s%s", level, "");
	env_add(e, "PATH=%s%s", path ? path : "/usr/sbin:/usr/bin:/sbin:/bin",
		"");
}

/* --- the sequence ------------------------------------------------------------ */
static void later(void *ctx)
{
	struct res_job *j = ctx;

	j->timer = 0;
	if (j->done)
		j->done(j->ctx, !j->failed);
}

static void finish(struct res_job *j)
{
	j->timer = loop_timer_add(now_ms(), later, j);
}

static const char *const names[] = { "start", "stop", "status", "migrate" };

/* --- at most RES_PARALLEL agents at once ---------------------------------------- */
/* A job whose next agent would be one too many waits in line; each
 * agent that ends lets the first in line go on (a clean slate of a
 * hundred services must not run out of the loop's children and fds). */
static int running;
static struct res_job *line_head, *line_tail;

static void began(struct res_job *j)
{
	j->active = 1;
	running++;
}

static void ended(struct res_job *j)
{
	if (j->active)
		running--;
	j->active = 0;
}

static void wait_in_line(struct res_job *j)
{
	j->in_line = 1;
	j->line_next = NULL;
	if (line_tail)
		line_tail->line_next = j;
	else
		line_head = j;
	line_tail = j;
}

static void leave_line(struct res_job *j)
{
	struct res_job **p = &line_head, *last = NULL;

	while (*p && *p != j) {
		last = *p;
		p = &(*p)->line_next;
	}
	if (*p)
		*p = j->line_next;
	if (line_tail == j)
		line_tail = last;
	j->in_line = 0;
}

static void next_in_line(void)
{
	while (line_head && running < RES_PARALLEL) {
		struct res_job *j = line_head;

		leave_line(j);
		step(j);
	}
}

static void action_done(void *ctx, int rc)
{
	struct res_job *j = ctx;
	char label[160];

	ended(j);
	next_in_line();
	rt_label(j->order[j->next], label, sizeof label);
	if (rc != 0) {
		log_msg(LOG_LVL_ERR, "%s on %s returned %d%s", names[j->action],
			label, rc, rc == RUN_TIMEOUT ? " (timed out)" : "");
		j->failed = j->next + 1;
		if (j->action != RES_STOP) {
			finish(j);
			return;
		}
	}
	j->next++;
	step(j);
}

/* --- an OCF agent's own time-outs ----------------------------------------------- */
/* Its meta-data's <action name= timeout=>, read once per type, the first
 * time one of its resources runs without a timeout of its own. */
#define META_TYPES	32
#define META_MAX	32768

static struct meta {
	char type[48];
	int timeout[4];		/* seconds by res_action; 0: none */
} metas[META_TYPES];
static int nmetas;

static struct meta *meta_of(const char *type)
{
	for (int i = 0; i < nmetas; i++)
		if (!strcmp(metas[i].type, type))
			return &metas[i];
	return NULL;
}

static void meta_parse(struct meta *m, const char *text)
{
	struct xml_node *doc = xml_parse(text, strlen(text), NULL);
	const struct xml_node *a = xml_child(xml_child(xml_root(doc),
						       "actions"), "action");

	for (; a; a = xml_next(a, "action")) {
		const char *name = xml_get(a, "name");
		int k, t;

		for (k = 0; k < 4 && name; k++)
			if (!strcmp(name, k == RES_STATUS ? "monitor" :
				    names[k]))
				break;
		if (name && k < 4 && xml_get(a, "timeout") &&
		    conf_time(xml_get(a, "timeout"), &t) == 0)
			m->timeout[k] = t;
	}
	xml_free(doc);
}

static void meta_done(void *ctx, int rc)
{
	struct res_job *j = ctx;
	const char *type = j->order[j->next]->x->name;
	struct meta *m = meta_of(type);

	ended(j);
	if (!m && nmetas < META_TYPES) {	/* (two jobs may ask at once) */
		m = &metas[nmetas++];
		memset(m, 0, sizeof *m);
		snprintf(m->type, sizeof m->type, "%s", type);
		if (rc == 0)
			meta_parse(m, j->meta);
	}
	free(j->meta);
	j->meta = NULL;
	step(j);		/* now the action itself */
}

/* The agent's time-out for this action; -1: its meta-data is being
 * read (meta_done goes on). */
static int agent_timeout(struct res_job *j, const char *path,
			 char *const *env)
{
	const char *type = j->order[j->next]->x->name;
	const struct meta *m = meta_of(type);
	char *args[2] = { (char *)"meta-data", NULL };

	if (m || nmetas == META_TYPES || strlen(type) >= sizeof m->type)
		return m ? m->timeout[j->action] : 0;
	j->meta = xcalloc(1, META_MAX);
	if (run_start(&j->run, path, args, env, NULL, 10000, type, meta_done,
		      j) < 0) {
		free(j->meta);
		j->meta = NULL;
		return 0;
	}
	j->run.capture = j->meta;
	j->run.capmax = META_MAX;
	began(j);
	return -1;
}

/* Run resource j->next's action; 1 when there is nothing to run. */
static int run_one(struct res_job *j)
{
	const struct conf_res *r = j->order[j->next];
	char path[512], label[160];
	char *argv[5] = { NULL, NULL, NULL, NULL, NULL };
	const char *act = names[j->action];
	struct env e;
	int ocf, builtin, rc, depth = 0, timeout = 0, a = 0;

	if (!r->parent && strcmp(r->x->name, "vm"))
		return 1;		/* the service itself */
	if (j->action == RES_MIGRATE && r->parent)
		return 1;
	if (j->action == RES_STATUS && j->check &&
	    (depth = j->check(j->ctx, j->next, r, &timeout)) < 0)
		return 1;
	if (running >= RES_PARALLEL) {
		wait_in_line(j);
		return 0;		/* next_in_line goes on */
	}
	rt_label(r, label, sizeof label);
	if (res_agent(r, path, sizeof path, &ocf, &builtin) < 0) {
		log_msg(LOG_LVL_ERR, "%s: no agent for it on this node", label);
		return -1;
	}
	if (j->action == RES_STATUS && ocf)
		act = "monitor";
	if (builtin) {
		argv[a++] = (char *)"agent";
		argv[a++] = (char *)r->x->name;
	}
	argv[a++] = (char *)act;
	argv[a] = (char *)j->arg;
	if (!timeout)
		timeout = rt_timeout(r, act);
	env_of(r, depth, &e);
	if (!timeout && ocf && (timeout = agent_timeout(j, path, e.v)) < 0) {
		env_free(&e);
		return 0;		/* meta_done goes on */
	}
	rc = run_start(&j->run, path, argv, e.v, NULL, (timeout > 0 ?
		       timeout : RES_TIMEOUT_S) * 1000, label, action_done, j);
	j->run.keep = 1;	/* an init script's server goes on running */
	if (rc == 0)
		began(j);
	env_free(&e);
	return rc;
}

static void step(struct res_job *j)
{
	while (j->next < j->n) {
		int rc = run_one(j);

		if (rc == 0)
			return;		/* action_done goes on */
		if (rc < 0) {
			j->failed = j->next + 1;
			if (j->action != RES_STOP)
				break;
		}
		j->next++;
	}
	finish(j);
}

static void begin(struct res_job *j, const struct conf_service *s,
		  enum res_action action, const char *arg, res_check_fn *check,
		  res_done_fn *done, void *ctx)
{
	static const char *const doing[] = { "Starting", "Stopping", NULL,
					     "Migrating" };

	static const struct conf_res *scratch[RT_MAX];
	const struct conf_res **order = j->order;
	int cap = j->cap, n = rt_order(s, action == RES_STOP, scratch, RT_MAX);

	if (n > cap)
		order = xrealloc(order, sizeof *order * (size_t)(cap = n));
	memcpy(order, scratch, sizeof *order * (size_t)n);
	memset(j, 0, sizeof *j);
	j->order = order;
	j->cap = cap;
	j->n = n;
	j->action = action;
	j->arg = arg;
	j->check = check;
	j->done = done;
	j->ctx = ctx;
	if (doing[action])
		log_msg(LOG_LVL_NOTICE, "%s %s%s%s", doing[action], s->name ?
			s->name : "?", arg ? " to " : "", arg ? arg : "");
	step(j);
}

void res_start(struct res_job *j, const struct conf_service *s,
	       enum res_action action, res_check_fn *check,
	       res_done_fn *done, void *ctx)
{
	begin(j, s, action, NULL, check, done, ctx);
}

void res_migrate(struct res_job *j, const struct conf_service *s,
		 const char *target, res_done_fn *done, void *ctx)
{
	begin(j, s, RES_MIGRATE, target, NULL, done, ctx);
}

int res_failed_label(const struct res_job *j, char *out, unsigned size)
{
	if (!j->failed)
		return 0;
	rt_label(j->order[j->failed - 1], out, size);
	return 1;
}

void res_cancel(struct res_job *j)
{
	run_cancel(&j->run);
	ended(j);
	if (j->in_line)
		leave_line(j);
	free(j->meta);
	j->meta = NULL;
	loop_timer_cancel(j->timer);
	j->timer = 0;
	j->done = NULL;
}

void res_free(struct res_job *j)
{
	if (j) {
		res_cancel(j);
		free(j->order);
		free(j);
	}
}
