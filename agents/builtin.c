/* agents/builtin.c - the table of built-in resource agents and the
 * hidden applet that runs one: `hacluster agent TYPE ACTION`.
 *
 * Each row names a type and the function of its file (agents/TYPE.c).
 * The daemon prefers a built-in agent to one found on disk, so a node
 * needs no other program for the types below. */
#include "builtin.h"

#include "../net/sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUILTINS(X) X(ip) X(fs) X(netfs) X(nfsexport) X(nfsclient)

#define DECLARE(t) builtin_fn agent_##t;
BUILTINS(DECLARE)

static const struct {
	const char *type;
	builtin_fn *fn;
} agents[] = {
#define ROW(t) { #t, agent_##t },
	BUILTINS(ROW)
	{ NULL, NULL }
};

const char agent_help[] =
"usage: hacluster agent TYPE ACTION\n"
"Run the built-in resource agent TYPE (start, stop, status, monitor or\n"
"meta-data), its parameters in OCF_RESKEY_* variables; the exit code is\n"
"OCF's.  The daemon runs these itself; by hand they help a test.\n";

int builtin_has(const char *type)
{
	for (int i = 0; agents[i].type; i++)
		if (!strcmp(agents[i].type, type))
			return 1;
	return 0;
}

const char *builtin_param(const char *name)
{
	char var[128];
	const char *v;

	snprintf(var, sizeof var, "OCF_RESKEY_%s", name);
	v = getenv(var);
	return v && *v ? v : NULL;
}

int agent_main(int argc, char **argv)
{
	if (argc != 3)
		die_usage("give a type and an action");
	for (int i = 0; agents[i].type; i++)
		if (!strcmp(agents[i].type, argv[1]))
			return agents[i].fn(argv[2]);
	warn_msg("%s: no built-in agent of this type", argv[1]);
	return OCF_ERR_INSTALLED;
}
