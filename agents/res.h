/* agents/res.h - start or stop one service here: its resources' agents
 * in the tree's order (xml/restree.c), one after the other, as children
 * of the event loop (spec 3.3, 6.1, 6.2). */
#ifndef RES_H
#define RES_H

#include "run.h"

#include "../xml/restree.h"

#define RES_TIMEOUT_S	60	/* an action's time-out */

struct conf_res;
struct conf_service;

typedef void res_done_fn(void *ctx, int ok);

struct res_job {
	const struct conf_res *order[RT_MAX];
	int n, next, stop, failed;
	struct run run;
	res_done_fn *done;
	void *ctx;
	int timer;
};

/* Start (stop 0) or stop service s here.  A start ends at the first
 * failure; a stop goes on and fails if any resource failed.  done is
 * called once, later. */
void res_start(struct res_job *j, const struct conf_service *s, int stop,
	       res_done_fn *done, void *ctx);
/* Forget a job: its agent is killed, done is not called. */
void res_cancel(struct res_job *j);

/* The program that runs resource r's actions into out, and whether it
 * is an OCF agent (monitor, not status); -1 when this node has none. */
int res_agent(const struct conf_res *r, char *out, unsigned size, int *ocf);

#endif
