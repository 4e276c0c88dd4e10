/* xml/ccs_config_validate.c - the applet: check cluster.conf.
 *
 * Problems go to stderr, one line each in file order, in the one voice
 * ("ccs_config_validate: FILE:LINE:COL: error: text"); the verdict is one
 * line on stdout, worded as RHEL6's tool worded it, so `>/dev/null` leaves
 * just the problems and `2>/dev/null` just the verdict. */
#include "../net/sys.h"
#include "conf.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char ccs_config_validate_help[] =
"usage: ccs_config_validate [-q] [-c FILE]\n"
"  -c FILE  the file to check (default " CONF_PATH ")\n"
"  -q       quiet: print nothing, answer by exit status only\n"
"  -h       this help\n"
"Every problem is reported at once on stderr, in file order, as\n"
"FILE:LINE:COL: error: text (or warning:), then one line on stdout:\n"
"\"Configuration validates\" or \"Configuration fails to validate\".\n"
"Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage.\n";

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

static void report(char *lines, int errors, int warnings)
{
	char *save = NULL;

	for (char *l = strtok_r(lines, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		warn_msg("%s", l);
	if (errors)
		printf("Configuration fails to validate (%d error%s, "
		       "%d warning%s)\n", errors, plural(errors), warnings,
		       plural(warnings));
	else if (warnings)
		printf("Configuration validates (%d warning%s)\n", warnings,
		       plural(warnings));
	else
		printf("Configuration validates\n");
}

int ccs_config_validate_main(int argc, char **argv)
{
	const char *file = CONF_PATH;
	struct buf out = {0};
	int quiet = 0, opt, errors, warnings;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:qh", help_opt, NULL)) != -1) {
		switch (opt) {
		case 'c': file = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(ccs_config_validate_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	errors = validate_file(file, &out, &warnings);
	if (!quiet)
		report(out.p ? out.p : (char *)"", errors, warnings);
	buf_free(&out);
	return errors ? EXIT_REFUSED : 0;
}
