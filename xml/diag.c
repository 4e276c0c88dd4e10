/* xml/diag.c - problems found in cluster.conf, printed in file order.
 *
 * The loader and the validator find problems in whatever order their
 * walks take; a reader wants them by position.  So they are collected
 * with their line and column and a sequence number (which keeps two
 * messages at one place in the order they were found), sorted once, and
 * written as compiler-style lines an editor can jump to. */
#include "conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void conf_diag(struct conf_diags *d, int sev, int line, int col,
	       const char *fmt, ...)
{
	struct conf_msg *m;
	va_list ap;
	int n;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, (size_t)d->cap * sizeof *d->v);
	}
	m = &d->v[d->n];
	*m = (struct conf_msg){ line, col, d->n++, sev, NULL };
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	m->text = xmalloc(n < 0 ? 1 : (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(m->text, n < 0 ? 1 : (size_t)n + 1, fmt, ap);
	va_end(ap);
	for (char *p = m->text; *p; p++)	/* one problem, one line */
		if ((unsigned char)*p < ' ')
			*p = ' ';
	if (sev == CONF_ERROR)
		d->errors++;
	else
		d->warnings++;
}

static int by_position(const void *pa, const void *pb)
{
	const struct conf_msg *a = pa, *b = pb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void conf_diags_format(struct conf_diags *d, const char *file,
		       struct buf *out)
{
	static const char *const sev[] = {
		[CONF_WARNING] = "warning", [CONF_ERROR] = "error",
	};

	if (d->n)
		qsort(d->v, (size_t)d->n, sizeof *d->v, by_position);
	for (int i = 0; i < d->n; i++) {
		const struct conf_msg *m = &d->v[i];

		if (m->line > 0)
			buf_printf(out, "%s:%d:%d: %s: %s\n", file, m->line,
				   m->col, sev[m->sev], m->text);
		else
			buf_printf(out, "%s: %s: %s\n", file, sev[m->sev],
				   m->text);
	}
}

void conf_diags_free(struct conf_diags *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	*d = (struct conf_diags){0};
}
