/* rm/verbs.h - the control socket of the daemon: its own verbs and
 * those of its parts. */
#ifndef VERBS_H
#define VERBS_H

#include "../net/part.h"

/* Listen at path with the daemon's verbs (status, version, stats, over
 * the n parts) followed by every part's own; ctx of every verb is v.
 * 0, or -1 with errno (EADDRINUSE: a daemon answers there). */
int verbs_listen(const char *path, const struct part *const *parts, int n,
		 struct view *v);

#endif
