/* agents/builtin.h - the resource agents inside this executable.
 *
 * A built-in agent runs like any other: a child of the loop, started as
 * `hacluster agent TYPE ACTION` (the executable itself, through
 * /proc/self/exe) with the OCF environment of spec 6.2, answering with
 * an OCF exit code.  So the daemon never blocks on a mount or a netlink
 * reply, and a hung agent is killed at its time-out like a script. */
#ifndef BUILTIN_H
#define BUILTIN_H

/* OCF exit codes (spec 6.1) */
enum {
	OCF_SUCCESS = 0, OCF_ERR_GENERIC = 1, OCF_ERR_ARGS = 2,
	OCF_ERR_UNIMPLEMENTED = 3, OCF_ERR_PERM = 4, OCF_ERR_INSTALLED = 5,
	OCF_ERR_CONFIGURED = 6, OCF_NOT_RUNNING = 7,
};

/* One agent: action is start, stop, status (or monitor) or meta-data;
 * its parameters are the OCF_RESKEY_* variables. */
typedef int builtin_fn(const char *action);

/* 1 when type has a built-in agent. */
int builtin_has(const char *type);
/* OCF_RESKEY_name, or NULL when unset or empty. */
const char *builtin_param(const char *name);

#endif
