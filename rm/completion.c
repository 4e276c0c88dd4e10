/* rm/completion.c - bash completion for the applets, printed by
 * `hacluster completion bash` (and written by `hacluster install
 * --completion`). */
#include "units.h"

const char completion_bash[] =
"# bash completion for hacluster (placeholder)\n";
