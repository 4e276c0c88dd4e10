/* test/unit_svc.c - a service's record and transitions (rm/svc_state.c,
 * spec 4.1-4.3) as tables: from a state, an event by a node, the
 * refusal or the new state, owner and last owner. */
#include "unit.h"
#include "../rm/svc_state.h"
#include "../xml/conf.h"

#include <stdio.h>

TEST(svc_transitions_table)
{
	static const struct {
		enum svc_state from;
		int owner, frozen;
		enum svc_event ev;
		int node, rc;
		enum svc_state to;
		int to_owner, last;
	} t[] = {
		/* starts */
		{ SVC_STOPPED, 0, 0, SE_START, 2, SR_OK, SVC_STARTING, 2, 0 },
		{ SVC_DISABLED, 0, 0, SE_START, 2, SR_OK, SVC_STARTING, 2, 0 },
		{ SVC_RECOVERING, 0, 0, SE_START, 3, SR_OK, SVC_STARTING, 3, 0 },
		{ SVC_STARTED, 1, 0, SE_START, 2, SR_RUNNING, SVC_STARTED, 1, 0 },
		{ SVC_STARTING, 1, 0, SE_START, 1, SR_RUNNING, SVC_STARTING, 1, 0 },
		{ SVC_FAILED, 1, 0, SE_START, 2, SR_FAILED, SVC_FAILED, 1, 0 },
		{ SVC_STOPPED, 0, 1, SE_START, 2, SR_FROZEN, SVC_STOPPED, 0, 0 },
		{ SVC_STARTING, 2, 0, SE_STARTED, 2, SR_OK, SVC_STARTED, 2, 0 },
		{ SVC_STARTING, 2, 0, SE_STARTED, 3, SR_NOT_OWNER, SVC_STARTING, 2, 0 },
		{ SVC_STARTING, 2, 0, SE_START_FAILED, 2, SR_OK, SVC_RECOVERABLE, 2, 0 },
		/* stops */
		{ SVC_STARTED, 2, 0, SE_STOP, 2, SR_OK, SVC_STOPPING, 2, 0 },
		{ SVC_STOPPED, 0, 0, SE_STOP, 2, SR_OK, SVC_STOPPED, 0, 0 },
		{ SVC_FAILED, 2, 0, SE_STOP, 2, SR_FAILED, SVC_FAILED, 2, 0 },
		{ SVC_STARTED, 2, 1, SE_STOP, 2, SR_FROZEN, SVC_STARTED, 2, 0 },
		{ SVC_STOPPING, 2, 0, SE_STOPPED, 2, SR_OK, SVC_STOPPED, 0, 2 },
		{ SVC_STOPPING, 2, 0, SE_STOPPED, 1, SR_NOT_OWNER, SVC_STOPPING, 2, 0 },
		{ SVC_STOPPING, 2, 0, SE_STOP_FAILED, 2, SR_OK, SVC_FAILED, 2, 0 },
		/* disable */
		{ SVC_STOPPED, 0, 0, SE_DISABLE, 1, SR_OK, SVC_DISABLED, 0, 0 },
		{ SVC_FAILED, 2, 0, SE_DISABLE, 1, SR_OK, SVC_DISABLED, 0, 2 },
		{ SVC_STARTED, 2, 0, SE_DISABLE, 2, SR_OK, SVC_STOPPING, 2, 0 },
		/* recovery */
		{ SVC_STARTED, 2, 0, SE_STATUS_FAILED, 2, SR_OK, SVC_RECOVERABLE, 2, 0 },
		{ SVC_RECOVERABLE, 2, 0, SE_STOPPED, 2, SR_OK, SVC_RECOVERING, 0, 2 },
		{ SVC_RECOVERABLE, 2, 0, SE_STOP_FAILED, 2, SR_OK, SVC_FAILED, 2, 0 },
		/* the owner gone (fenced, or it stopped cleanly) */
		{ SVC_STARTED, 2, 0, SE_OWNER_GONE, 2, SR_OK, SVC_STOPPED, 0, 2 },
		{ SVC_STARTED, 2, 1, SE_OWNER_GONE, 2, SR_OK, SVC_STOPPED, 0, 2 },
		{ SVC_STARTED, 2, 0, SE_OWNER_GONE, 3, SR_NOT_OWNER, SVC_STARTED, 2, 0 },
		/* freeze: only stopped, started, disabled */
		{ SVC_STARTING, 2, 0, SE_FREEZE, 2, SR_INVALID, SVC_STARTING, 2, 0 },
		{ SVC_FAILED, 2, 0, SE_FREEZE, 2, SR_INVALID, SVC_FAILED, 2, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct svc_rec r;
		int rc;

		svc_init(&r);
		r.state = t[i].from;
		r.owner = (uint32_t)t[i].owner;
		r.frozen = t[i].frozen;
		rc = svc_apply(&r, t[i].ev, (uint32_t)t[i].node, 0, 100);
		if (rc != t[i].rc || r.state != t[i].to ||
		    r.owner != (uint32_t)t[i].to_owner ||
		    r.last_owner != (uint32_t)t[i].last)
			unit_check(0, __FILE__, __LINE__, "row %zu: %s, event "
				   "%d by %d: rc %d state %s owner %u last %u",
				   i, svc_state_name(t[i].from), t[i].ev,
				   t[i].node, rc, svc_state_name(r.state),
				   r.owner, r.last_owner);
	}
}

TEST(svc_disable_while_running_ends_disabled)
{
	struct svc_rec r;

	svc_init(&r);
	CHECK_INT(svc_apply(&r, SE_START, 1, 0, 10), SR_OK);
	CHECK_INT(svc_apply(&r, SE_STARTED, 1, 0, 11), SR_OK);
	CHECK_INT(svc_apply(&r, SE_DISABLE, 1, 0, 12), SR_OK);
	CHECK_INT(svc_apply(&r, SE_STOPPED, 1, 0, 13), SR_OK);
	CHECK_INT(r.state, SVC_DISABLED);
	CHECK_INT(r.transition, 13);
	CHECK_INT(r.version, 4);
	CHECK_INT(svc_apply(&r, SE_STOP, 1, 0, 14), SR_OK);	/* no change */
	CHECK_INT(r.version, 4);
	CHECK_INT(svc_apply(&r, SE_START, 2, 1, 15), SR_OK);
	CHECK_INT(r.restarts, 1);
}

/* restart within max_restarts in the window, then the policy's fallback */
TEST(svc_recovery_policy)
{
	struct conf_service s = { .recovery = CONF_RESTART, .max_restarts = 2,
				  .restart_expire_time = 60 };
	struct svc_rec r;

	svc_init(&r);
	CHECK_INT(svc_recovery(&r, &s, 1000), SA_RESTART);
	CHECK_INT(svc_recovery(&r, &s, 1010), SA_RESTART);
	CHECK_INT(svc_recovery(&r, &s, 1020), SA_RELOCATE);
	CHECK_INT(svc_recovery(&r, &s, 1030), SA_RESTART);	/* counted anew */
	CHECK_INT(svc_recovery(&r, &s, 1100), SA_RESTART);	/* 1030 expired */
	CHECK_INT(svc_recovery(&r, &s, 1101), SA_RESTART);
	CHECK_INT(svc_recovery(&r, &s, 1102), SA_RELOCATE);
	s.recovery = CONF_RESTART_DISABLE;
	svc_init(&r);
	CHECK_INT(svc_recovery(&r, &s, 0), SA_RESTART);
	CHECK_INT(svc_recovery(&r, &s, 1), SA_RESTART);
	CHECK_INT(svc_recovery(&r, &s, 2), SA_DISABLE);
	s.recovery = CONF_RELOCATE;
	CHECK_INT(svc_recovery(&r, &s, 3), SA_RELOCATE);
	s.recovery = CONF_DISABLE;
	CHECK_INT(svc_recovery(&r, &s, 4), SA_DISABLE);
	s.recovery = CONF_RESTART;
	s.max_restarts = 0;		/* no threshold: always restart */
	for (int i = 0; i < 50; i++)
		CHECK_INT(svc_recovery(&r, &s, 5 + i), SA_RESTART);
}

TEST(svc_names)
{
	CHECK_STR(svc_state_name(SVC_STARTED), "started");
	CHECK_STR(svc_state_name(SVC_DISABLED), "disabled");
	CHECK_STR(svc_state_name((enum svc_state)5), "?");
	CHECK_STR(svc_refusal_text(SR_FROZEN), "Service is frozen");
}
