/* agents/res.h - start or stop one service here: its resources' agents
 * in the tree's order (xml/restree.c), one after the other, as children
 * of the event loop (spec 3.3, 6.1, 6.2). */
#ifndef RES_H
#define RES_H

#include "run.h"

#include "../xml/restree.h"

#define RES_TIMEOUT_S	60	/* an action's time-out */
#define RES_PARALLEL	16	/* agents running at once, at most */

struct conf_res;
struct conf_service;

typedef void res_done_fn(void *ctx, int ok);
/* For a status run: the OCF_CHECK_LEVEL to check resource r (the k-th
 * in start order) at, or -1 to skip it now; *timeout its seconds. */
typedef int res_check_fn(void *ctx, int k, const struct conf_res *r,
			 int *timeout);

/* RES_MIGRATE: a vm's own agent only, `migrate TARGET` (job.arg) */
enum res_action { RES_START, RES_STOP, RES_STATUS, RES_MIGRATE };

struct res_job {
	const struct conf_res **order;	/* n of them, room for cap */
	int n, cap, next, failed;
	enum res_action action;
	const char *arg;
	struct run run;
	res_done_fn *done;
	res_check_fn *check;
	char *meta;		/* an OCF agent's meta-data, being read */
	int active, in_line;	/* an agent of it runs; it waits for one */
	struct res_job *line_next;
	void *ctx;
	int timer;
};

/* Start, stop or check service s here.  A start ends at the first
 * failure, a status run at the first failed check (parents are checked
 * before their children: spec 3.3); a stop goes on and fails if any
 * resource failed.  check is for RES_STATUS (NULL: every resource at
 * depth 0).  done is called once, later. */
void res_start(struct res_job *j, const struct conf_service *s,
	       enum res_action action, res_check_fn *check,
	       res_done_fn *done, void *ctx);
/* Move vm s live to target (a node name): its agent's `migrate TARGET`. */
void res_migrate(struct res_job *j, const struct conf_service *s,
		 const char *target, res_done_fn *done, void *ctx);
/* The job's resource that failed (its label into out), or 0. */
int res_failed_label(const struct res_job *j, char *out, unsigned size);
/* Forget a job: its agent is killed, done is not called. */
void res_cancel(struct res_job *j);
/* Forget a job allocated with malloc, and free it. */
void res_free(struct res_job *j);

/* The program that runs resource r's actions into out, and whether it
 * is an OCF agent (monitor, not status); -1 when this node has none.
 * *builtin: it is this executable's own agent (hacluster agent TYPE). */
int res_agent(const struct conf_res *r, char *out, unsigned size, int *ocf,
	      int *builtin);

#endif
