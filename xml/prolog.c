/* xml/prolog.c - the XML declaration and the DOCTYPE.
 *
 * The declaration is parsed to the letter of productions [23]-[32]; the
 * DOCTYPE ([28]) only for its outer shape: name, external id, and an
 * internal subset made of declarations, PIs, comments and parameter
 * entity references.  Declarations are skipped up to their '>', their
 * literals included, and not checked further; nothing they declare is
 * used: no entity is expanded and no attribute default applied. */
#include "scan.h"

#include <stdlib.h>
#include <strings.h>

/* --- DOCTYPE: checked for shape, then dropped --------------------- */

/* A quoted literal at i; pubid restricts it to PubidChar. */
static int literal(struct parser *p, int pubid)
{
	static const char pub[] = " \r\n-'()+,./:=?;!*#@$_%";
	size_t from = p->i;
	int q = xp_peek(p);

	if (q != '"' && q != '\'')
		return xp_fail(p, p->i, "expected a quoted literal");
	for (p->i++; p->i < p->len && p->s[p->i] != q; p->i++) {
		int c = (unsigned char)p->s[p->i];
		if (pubid && !(xp_is_alnum(c) || (c < 128 && strchr(pub, c))))
			return xp_fail(p, p->i, "invalid character in public "
				       "id");
	}
	if (p->i >= p->len)
		return xp_fail_end(p, from, "unterminated literal");
	p->i++;
	return 0;
}

static int pe_ref(struct parser *p)
{
	size_t from = p->i, n = xp_scan_name(p, from + 1);

	if (p->failed)
		return -1;
	if (n && from + 1 + n >= p->len)
		return xp_fail_end(p, from, "unterminated parameter entity "
				   "reference");
	if (!n || p->s[from + 1 + n] != ';')
		return xp_fail(p, from, "bad parameter entity reference");
	p->i = from + n + 2;
	return 0;
}

/* <!ELEMENT ...> and friends: skipped up to their '>', literals and all. */
static int declaration(struct parser *p)
{
	static const char *const kinds[] = {
		"<!ELEMENT", "<!ATTLIST", "<!ENTITY", "<!NOTATION",
	};
	size_t from = p->i, k = 0;

	while (k < ARRAY_LEN(kinds) && !xp_at(p, kinds[k]))
		k++;
	if (k == ARRAY_LEN(kinds))
		return xp_fail(p, from, "unknown declaration in the DOCTYPE");
	p->i += strlen(kinds[k]);
	if (!xp_skip_ws(p))
		return xp_fail(p, p->i, "expected whitespace after '%s'",
			       kinds[k]);
	while (xp_peek(p) >= 0 && xp_peek(p) != '>') {
		if (xp_peek(p) != '"' && xp_peek(p) != '\'')
			p->i++;
		else if (literal(p, 0) < 0)
			return -1;
	}
	if (p->i >= p->len)
		return xp_fail_end(p, from, "unterminated declaration");
	p->i++;
	return 0;
}

static int subset_item(struct parser *p)
{
	size_t body, n;
	char *target = NULL;
	int rc;

	if (xp_at(p, "<!--"))
		return xp_scan_comment(p, &body, &n);
	if (xp_at(p, "<?")) {
		rc = xp_scan_pi(p, &target, &body, &n);
		free(target);
		return rc;
	}
	if (xp_at(p, "<!"))
		return declaration(p);
	if (xp_peek(p) == '%')
		return pe_ref(p);
	return xp_fail(p, p->i, "unexpected character in the DOCTYPE");
}

static int subset(struct parser *p)
{
	size_t from = p->i++;

	while (xp_skip_ws(p), xp_peek(p) != ']') {
		if (p->i >= p->len)
			return xp_fail_end(p, from, "unterminated internal "
					   "subset");
		if (subset_item(p) < 0)
			return -1;
	}
	p->i++;
	return 0;
}

static int external_id(struct parser *p)
{
	int pub = xp_at(p, "PUBLIC");

	p->i += 6;
	if (!xp_skip_ws(p))
		return xp_fail(p, p->i, "expected whitespace after '%s'",
			       pub ? "PUBLIC" : "SYSTEM");
	if (pub && literal(p, 1) < 0)
		return -1;
	if (pub && !xp_skip_ws(p))
		return xp_fail(p, p->i, "expected whitespace after the "
			       "public id");
	return literal(p, 0);
}

int xp_doctype(struct parser *p)
{
	size_t from = p->i;
	char *name;

	if (p->cur != p->doc || p->doctype || p->rooted)
		return xp_fail(p, from, "DOCTYPE not allowed here");
	p->doctype = 1;
	p->i += 9;
	if (!xp_skip_ws(p))
		return xp_fail(p, p->i, "expected whitespace after "
			       "'<!DOCTYPE'");
	if (!(name = xp_take_name(p, "a DOCTYPE")))
		return -1;
	free(name);
	if (xp_skip_ws(p) && (xp_at(p, "SYSTEM") || xp_at(p, "PUBLIC")) &&
	    external_id(p) < 0)
		return -1;
	xp_skip_ws(p);
	if (xp_peek(p) == '[' && subset(p) < 0)
		return -1;
	xp_skip_ws(p);
	if (p->i >= p->len)
		return xp_fail_end(p, from, "unterminated DOCTYPE");
	if (xp_peek(p) != '>')
		return xp_fail(p, p->i, "expected '>' to end the DOCTYPE");
	p->i++;
	return 0;
}

/* --- the XML declaration ------------------------------------------ */

static int check_version(struct parser *p, const char *v, size_t n,
			 size_t from)
{
	size_t k = 2;

	while (k < n && v[k] >= '0' && v[k] <= '9')
		k++;
	if (n < 3 || memcmp(v, "1.", 2) || k != n)
		return xp_fail(p, from, "unsupported XML version '%.*s'",
			       (int)n, v);
	return 0;
}

static int check_encoding(struct parser *p, const char *v, size_t n,
			  size_t from)
{
	if (n == 5 && !strncasecmp(v, "UTF-8", 5))
		return 0;
	return xp_fail(p, from, "unsupported encoding '%.*s' (only UTF-8)",
		       (int)n, v);
}

static int check_standalone(struct parser *p, const char *v, size_t n,
			    size_t from)
{
	if ((n == 3 && !memcmp(v, "yes", 3)) ||
	    (n == 2 && !memcmp(v, "no", 2)))
		return 0;
	return xp_fail(p, from, "standalone must be 'yes' or 'no'");
}

static const struct decl_attr {
	const char *name;
	int (*check)(struct parser *p, const char *v, size_t n, size_t from);
} decl_attrs[] = {
	{ "version", check_version },
	{ "encoding", check_encoding },
	{ "standalone", check_standalone },
};

/* The decl_attrs entry named at i, which must come after the *k ones
 * already seen (the order is fixed); NULL after failing. */
static const struct decl_attr *decl_attr(struct parser *p, size_t *k)
{
	size_t n = xp_scan_name(p, p->i), j = 0;
	const char *name = p->s + p->i;

	while (j < ARRAY_LEN(decl_attrs) &&
	       (strlen(decl_attrs[j].name) != n ||
		memcmp(decl_attrs[j].name, name, n)))
		j++;
	if (j == ARRAY_LEN(decl_attrs))
		xp_fail(p, p->i, "malformed XML declaration");
	else if (j < *k)
		xp_fail(p, p->i, "'%s' repeated or out of order in the XML "
			"declaration", decl_attrs[j].name);
	else if (*k == 0 && j > 0)
		xp_fail(p, p->i, "XML declaration without version");
	else
		*k = j + 1;
	return p->failed ? NULL : &decl_attrs[j];
}

static int pseudo_attr(struct parser *p, size_t *k, size_t decl)
{
	const struct decl_attr *a = decl_attr(p, k);
	size_t from;
	int q;

	if (!a)
		return -1;
	p->i += strlen(a->name);
	xp_skip_ws(p);
	if (xp_peek(p) != '=')
		return xp_fail(p, p->i, "expected '=' after '%s'", a->name);
	p->i++;
	xp_skip_ws(p);
	q = xp_peek(p);
	if (q != '"' && q != '\'')
		return xp_fail(p, p->i, "expected a quoted value");
	from = ++p->i;
	while (p->i < p->len && p->s[p->i] != q)
		p->i++;
	if (p->i >= p->len)
		return xp_fail_end(p, decl, "unterminated XML declaration");
	return a->check(p, p->s + from, p->i++ - from, from - 1);
}

int xp_decl(struct parser *p)
{
	size_t from = p->i, k = 0, ws;

	p->i += 5;
	while (ws = xp_skip_ws(p), !xp_at(p, "?>")) {
		if (p->i >= p->len)
			return xp_fail_end(p, from, "unterminated XML "
					   "declaration");
		if (!ws)
			return xp_fail(p, p->i, "malformed XML declaration");
		if (pseudo_attr(p, &k, from) < 0)
			return -1;
	}
	if (!k)
		return xp_fail(p, from, "XML declaration without version");
	p->i += 2;
	return 0;
}
