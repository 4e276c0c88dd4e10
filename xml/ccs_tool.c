/* xml/ccs_tool.c - the ccs_tool applet: create, edit and list cluster.conf. */
#include "../net/sys.h"

const char ccs_tool_help[] = "usage: ccs_tool COMMAND [OPTIONS]\n";

int ccs_tool_main(int argc, char **argv)
{
	die("not written yet");
}
