/* xml/validate.h - check a cluster.conf, every problem at once. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include "conf.h"

/* The checks beyond loading on a loaded model: references, duplicates,
 * counts, cman's rules.  Problems go to d; conf_load() has already put
 * there what it met (bad values, unknown names, limits). */
void validate_conf(const struct conf *c, struct conf_diags *d);

/* Load and check a parsed document; file names it in the messages.
 * Appends one line per problem to out, sorted by position:
 * "FILE:LINE:COL: error: text" or "FILE:LINE:COL: warning: text".
 * Returns the number of errors; *warnings (when not NULL) receives the
 * number of warnings.  The document is not changed. */
int validate_doc(const struct xml_node *doc, const char *file,
		 struct buf *out, int *warnings);
/* The same for a file: one that cannot be read or is not well-formed is
 * one error, at the parser's position. */
int validate_file(const char *file, struct buf *out, int *warnings);

#endif
