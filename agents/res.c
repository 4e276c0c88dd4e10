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

static void action_done(void *ctx, int rc)
{
	struct res_job *j = ctx;
	char label[160];

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
	rc = run_start(&j->run, path, argv, e.v, NULL, (timeout > 0 ?
		       timeout : RES_TIMEOUT_S) * 1000, label, action_done, j);
	j->run.keep = 1;	/* an init script's server goes on running */
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

	memset(j, 0, sizeof *j);
	j->action = action;
	j->arg = arg;
	j->check = check;
	j->done = done;
	j->ctx = ctx;
	j->n = rt_order(s, action == RES_STOP, j->order, RT_MAX);
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
	loop_timer_cancel(j->timer);
	j->timer = 0;
	j->done = NULL;
}
