/* agents/fence.c - fence one node: its methods in order, within a
 * method every device in order (dual power supplies); the first method
 * whose devices all succeed ends it (spec 4.7, 6.4).
 *
 * A device's agent is any executable named by <fencedevice agent=...>
 * (agents/run.c finds it: a path, /usr/sbin, then $PATH) run with no
 * arguments and spec 6.4's key=value lines on stdin, action=off unless
 * the configuration names another.  Exit 0 is success; the time-out is
 * the fencedevice's agent_timeout (seconds, not passed to the agent),
 * else 60 s.  fence_manual is built in: it succeeds only when the
 * operator acknowledges (fence_ack_manual), so the job ends with
 * FENCE_WAIT_ACK and the attempt stays in flight until then. */
#include "fence.h"

#include "../net/loop.h"
#include "../net/sys.h"
#include "../xml/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void step(struct fence_job *j);

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static const char *victim_name(const struct fence_job *j)
{
	const struct conf_node *n = conf_nodeid(*j->conf, (int)j->victim);

	return n && n->name ? n->name : "?";
}

/* done, from the loop (never from inside the caller's own call). */
static void later(void *ctx)
{
	struct fence_job *j = ctx;

	j->timer = 0;
	if (j->done)
		j->done(j->ctx, j->result, j->by);
}

static void finish(struct fence_job *j, int result)
{
	j->result = result;
	j->timer = loop_timer_add(now_ms(), later, j);
}

static void next_method(struct fence_job *j)
{
	j->method++;
	j->device = 0;
	step(j);
}

void fence_input(const struct conf *c, uint32_t victim, int method,
		 int device, struct buf *out)
{
	const struct conf_node *n = conf_nodeid(c, (int)victim);
	const struct conf_device *d = &n->methods[method].devs[device];
	const struct xml_node *fx = d->dev ? d->dev->x : NULL;

	conf_fence_args(d, n->name, out);
	if (!xml_get(d->x, "action") && !xml_get(d->x, "option") &&
	    !(fx && (xml_get(fx, "action") || xml_get(fx, "option"))))
		buf_puts(out, "action=off\n");
}

static void device_done(void *ctx, int rc)
{
	struct fence_job *j = ctx;

	if (rc == 0) {
		log_msg(LOG_LVL_NOTICE, "fence \"%s\" dev %d.%d agent %s "
			"result: success", victim_name(j), j->method,
			j->device, j->by);
		j->device++;
		step(j);
		return;
	}
	log_msg(LOG_LVL_ERR, "fence \"%s\" dev %d.%d agent %s result: %s",
		victim_name(j), j->method, j->device, j->by,
		rc == RUN_TIMEOUT ? "timed out" : "error");
	next_method(j);
}

static int timeout_ms(const struct conf_fencedev *fd)
{
	const char *s = xml_get(fd->x, "agent_timeout");
	long v;

	if (!s || parse_int(s, 1, 86400, &v) < 0)
		return FENCE_TIMEOUT_S * 1000;
	return (int)v * 1000;
}

/* Run device j->device of method j->method; -1: it cannot be run. */
static int run_device(struct fence_job *j, const struct conf_device *d)
{
	char path[512];
	struct buf in = {0};
	int rc;

	if (!d->dev || !d->dev->agent) {
		log_msg(LOG_LVL_ERR, "fence \"%s\": fence device \"%s\" is "
			"not defined", victim_name(j), d->name ? d->name : "");
		return -1;
	}
	snprintf(j->by, sizeof j->by, "%s", base(d->dev->agent));
	if (!strcmp(j->by, FENCE_MANUAL))
		return 1;
	if (sys_find_exec(d->dev->agent, path, sizeof path) < 0) {
		log_msg(LOG_LVL_ERR, "fence \"%s\": agent %s not found or not "
			"executable", victim_name(j), d->dev->agent);
		return -1;
	}
	fence_input(*j->conf, j->victim, j->method, j->device, &in);
	rc = run_start(&j->run, path, NULL, NULL, in.p, timeout_ms(d->dev),
		       j->by, device_done, j);
	buf_free(&in);
	return rc;
}

static void step(struct fence_job *j)
{
	const struct conf_node *n = conf_nodeid(*j->conf, (int)j->victim);
	const struct conf_method *m;
	int rc;

	if (!n || !n->nmethods) {
		log_msg(LOG_LVL_ERR, "fence \"%s\": no fence method is "
			"configured for it", victim_name(j));
		finish(j, FENCE_FAILED);
		return;
	}
	if (j->method >= n->nmethods) {
		finish(j, FENCE_FAILED);
		return;
	}
	m = &n->methods[j->method];
	if (j->device >= m->ndevs) {
		finish(j, m->ndevs ? FENCE_OK : FENCE_FAILED);
		return;
	}
	rc = run_device(j, &m->devs[j->device]);
	if (rc > 0) {
		log_msg(LOG_LVL_CRIT, "Node %s needs to be reset before "
			"recovery can procede.  Waiting for %s to rejoin the "
			"cluster or for manual acknowledgement that it has "
			"been reset (i.e. fence_ack_manual -n %s)",
			victim_name(j), victim_name(j), victim_name(j));
		finish(j, FENCE_WAIT_ACK);
	} else if (rc < 0) {
		next_method(j);
	}
}

void fence_start(struct fence_job *j, const struct conf *const *conf,
		 uint32_t victim, fence_done_fn *done, void *ctx)
{
	*j = (struct fence_job){ .conf = conf, .victim = victim,
				 .done = done, .ctx = ctx };
	step(j);
}

void fence_stop(struct fence_job *j)
{
	run_cancel(&j->run);
	loop_timer_cancel(j->timer);
	j->timer = 0;
	j->done = NULL;
}
