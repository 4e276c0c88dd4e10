/* rm/svc_int.h - what the service table's two halves share: the records
 * and their messages (rm/svc_table.c) and the evaluation (rm/svc_eval.c).
 * Nothing else includes it. */
#ifndef SVC_INT_H
#define SVC_INT_H

#include "svc_table.h"
#include "../net/sys.h"

/* svc_table.c */
void st_say(struct svc_table *t, int level, const char *fmt, ...)
	PRINTF(3, 4);
int st_is_member(const struct svc_table *t, uint32_t id);
/* a state in which the owner's agents hold the service */
int st_running(enum svc_state st);
/* service i's configuration, NULL when it is gone from it */
const struct conf_service *st_cs(const struct svc_table *t, int i);
/* one EVENT: ev on service i towards target (0: here) */
void st_send_event(struct svc_table *t, int i, enum svc_event ev,
		   int recovery, uint32_t target);
/* RELEASE every fenced non-member that still owns something */
void st_send_releases(struct svc_table *t);
/* run the agents an applied event asks of this node */
void st_act_on(struct svc_table *t, int i);

/* svc_eval.c: service i's start here was just sent: it counts as this
 * node's load at once (within a pass; the next count starts anew) */
void st_inflight(struct svc_table *t, int i);

#endif
