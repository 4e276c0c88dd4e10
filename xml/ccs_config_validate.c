/* xml/ccs_config_validate.c - the applet: check cluster.conf. */
#include "../net/sys.h"

const char ccs_config_validate_help[] = "usage: ccs_config_validate [-c FILE]\n";

int ccs_config_validate_main(int argc, char **argv)
{
	die("not written yet");
}
