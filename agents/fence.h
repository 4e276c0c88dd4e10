/* agents/fence.h - fence one node: its methods in order, within a
 * method every device (spec 6.4). */
#ifndef FENCE_H
#define FENCE_H

#include "run.h"

#include <stdint.h>

#define FENCE_TIMEOUT_S	60	/* an agent's time-out unless agent_timeout */
#define FENCE_MANUAL	"fence_manual"	/* built in: waits for the operator */

struct conf;
struct buf;

enum { FENCE_OK, FENCE_FAILED, FENCE_WAIT_ACK };

/* by: the agent of the method that succeeded (FENCE_OK). */
typedef void fence_done_fn(void *ctx, int result, const char *by);

struct fence_job {
	const struct conf *const *conf;	/* read at every step: the one
					   in force */
	uint32_t victim;
	int method, device, result, timer;
	char by[32];
	struct run run;
	fence_done_fn *done;
	void *ctx;
};

/* Start fencing victim with the methods *conf gives it.  done is called
 * once, later (never from inside this call). */
void fence_start(struct fence_job *j, const struct conf *const *conf,
		 uint32_t victim, fence_done_fn *done, void *ctx);
/* Stop a job in flight: its agent is killed, done is not called. */
void fence_stop(struct fence_job *j);

/* What the agent of a device reads on stdin: spec 6.4's lines, then
 * action=off unless one is given. */
void fence_input(const struct conf *c, uint32_t victim, int method,
		 int device, struct buf *out);

#endif
