/* test/unit_place.c - service placement (rm/svc_place.c, spec 4.4) as
 * tables: a node's score, and the best target of a move. */
#include "unit.h"
#include "../rm/svc_place.h"
#include "../xml/conf.h"

#include <stdio.h>

static const char conf_text[] =
"<cluster name=\"p\" config_version=\"1\"><clusternodes>"
"<clusternode name=\"n1\" nodeid=\"1\"/><clusternode name=\"n2\" nodeid=\"2\"/>"
"<clusternode name=\"n3\" nodeid=\"3\"/><clusternode name=\"n4\" nodeid=\"4\"/>"
"</clusternodes><rm><failoverdomains>"
"<failoverdomain name=\"ord\" ordered=\"1\">"
"<failoverdomainnode name=\"n1\" priority=\"1\"/>"
"<failoverdomainnode name=\"n2\" priority=\"2\"/>"
"<failoverdomainnode name=\"n3\" priority=\"3\"/></failoverdomain>"
"<failoverdomain name=\"unord\"><failoverdomainnode name=\"n2\"/>"
"<failoverdomainnode name=\"n3\"/></failoverdomain>"
"<failoverdomain name=\"restr\" ordered=\"1\" restricted=\"1\">"
"<failoverdomainnode name=\"n3\" priority=\"1\"/>"
"<failoverdomainnode name=\"n4\" priority=\"2\"/></failoverdomain>"
"<failoverdomain name=\"nfb\" ordered=\"1\" nofailback=\"1\">"
"<failoverdomainnode name=\"n1\" priority=\"1\"/>"
"<failoverdomainnode name=\"n2\" priority=\"2\"/></failoverdomain>"
"</failoverdomains>"
"<service name=\"free\"/><service name=\"ord\" domain=\"ord\"/>"
"<service name=\"unord\" domain=\"unord\"/>"
"<service name=\"restr\" domain=\"restr\"/>"
"<service name=\"nfb\" domain=\"nfb\"/>"
"<service name=\"ghost\" domain=\"nosuch\"/>"
"<service name=\"excl\" exclusive=\"1\"/></rm></cluster>";

static struct conf *load(void)
{
	struct xml_node *doc = xml_parse(conf_text, sizeof conf_text - 1, NULL);
	struct conf *c = conf_load(doc, NULL);

	c->owned = doc;
	return c;
}

/* "1234" -> online ids */
static int ids(const char *s, uint32_t *out)
{
	int n = 0;

	for (; *s; s++)
		out[n++] = (uint32_t)(*s - '0');
	return n;
}

static int busy[5], exclusive_busy[5];

static int spread_of(void *ctx, uint32_t node)
{
	return busy[node];
}

static int load_of(void *ctx, uint32_t node, int *excl)
{
	*excl = exclusive_busy[node];
	return busy[node];
}

TEST(place_scores_table)
{
	static const struct {
		const char *svc, *online;
		int started, owner, node, want;
	} t[] = {
		/* offline, no domain, unknown domain */
		{ "free", "123", 0, 0, 4, SP_ILLEGAL },
		{ "free", "123", 0, 0, 2, SP_BEST },
		{ "ghost", "12", 0, 0, 1, SP_BEST },
		/* ordered: the lowest priority number online is BEST */
		{ "ord", "123", 0, 0, 1, SP_BEST },
		{ "ord", "123", 0, 0, 2, SP_BETTER },
		{ "ord", "23", 0, 0, 2, SP_BEST },
		{ "ord", "23", 0, 0, 3, SP_BETTER },
		/* not in the domain: GOOD while a member is online, else BEST */
		{ "ord", "1234", 0, 0, 4, SP_GOOD },
		{ "ord", "4", 0, 0, 4, SP_BEST },
		/* unordered: every member is BEST */
		{ "unord", "123", 0, 0, 2, SP_BEST },
		{ "unord", "123", 0, 0, 3, SP_BEST },
		{ "unord", "123", 0, 0, 1, SP_GOOD },
		/* restricted: never outside */
		{ "restr", "1234", 0, 0, 1, SP_ILLEGAL },
		{ "restr", "12", 0, 0, 1, SP_ILLEGAL },
		{ "restr", "34", 0, 0, 3, SP_BEST },
		{ "restr", "24", 0, 0, 4, SP_BEST },
		/* nofailback: running on n2, n1 back: n1 only BETTER, n2 BEST */
		{ "nfb", "12", 1, 2, 1, SP_BETTER },
		{ "nfb", "12", 1, 2, 2, SP_BEST },
		{ "nfb", "12", 0, 0, 1, SP_BEST },
		{ "nfb", "12", 0, 0, 2, SP_BETTER },
		/* ...the owner dead: n1 is BEST again */
		{ "nfb", "1", 1, 2, 1, SP_BEST },
	};
	struct conf *c = load();

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint32_t on[8];
		struct sp_view v = { on, ids(t[i].online, on), t[i].started,
				     (uint32_t)t[i].owner, NULL, NULL, NULL };
		int got = sp_score(conf_service(c, t[i].svc),
				   (uint32_t)t[i].node, &v);

		if (got != t[i].want)
			unit_check(0, __FILE__, __LINE__, "row %zu: %s on n%d "
				   "(online %s): %d, want %d", i, t[i].svc,
				   t[i].node, t[i].online, got, t[i].want);
	}
	conf_free(c);
}

TEST(place_best_target_table)
{
	static const struct {
		const char *svc, *online, *busy, *excl;
		int except, want, spread;
	} t[] = {
		{ "ord", "123", "", "", 1, 2, 0 },		/* next in order */
		{ "ord", "1234", "", "", 0, 1, 0 },
		{ "free", "1234", "", "", 1, 2, 0 },	/* ties: lowest id */
		{ "unord", "1234", "", "", 0, 2, 0 },
		{ "restr", "12", "", "", 0, 0, 0 },	/* nowhere */
		{ "restr", "1234", "", "", 3, 4, 0 },
		/* an exclusive service wants an empty node */
		{ "excl", "123", "12", "", 0, 3, 0 },
		{ "excl", "12", "12", "", 0, 0, 0 },
		/* nobody joins a node running an exclusive one */
		{ "free", "123", "1", "1", 0, 2, 0 },
		{ "ord", "23", "2", "2", 0, 3, 0 },
		/* an automatic start spreads over the top score's nodes */
		{ "free", "123", "1", "", 0, 1, 0 },
		{ "free", "123", "1", "", 0, 2, 1 },
		{ "free", "123", "12", "", 0, 3, 1 },
		{ "unord", "1234", "2", "", 0, 3, 1 },
		{ "ord", "123", "1", "", 0, 1, 1 },	/* the score first */
	};
	struct conf *c = load();

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint32_t on[8];
		struct sp_view v = { on, ids(t[i].online, on), 0, 0, load_of,
				     NULL, t[i].spread ? spread_of : NULL };
		uint32_t got;

		for (int k = 0; k < 5; k++)
			busy[k] = exclusive_busy[k] = 0;
		for (const char *p = t[i].busy; *p; p++)
			busy[*p - '0'] = 1;
		for (const char *p = t[i].excl; *p; p++)
			exclusive_busy[*p - '0'] = 1;
		got = sp_best(conf_service(c, t[i].svc), (uint32_t)t[i].except,
			      &v);
		if (got != (uint32_t)t[i].want)
			unit_check(0, __FILE__, __LINE__, "row %zu: %s: n%u, "
				   "want n%d", i, t[i].svc, got, t[i].want);
	}
	conf_free(c);
}
