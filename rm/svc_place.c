/* rm/svc_place.c - where a service may and should run (spec 4.4).
 *
 * The score of a node for a service, as rgmanager's node_should_start:
 *
 *   node not online                                   ILLEGAL
 *   no domain, or a domain that does not exist        BEST
 *   not in the domain, no member of it online         BEST, restricted ILLEGAL
 *   not in the domain, some member online             GOOD, restricted ILLEGAL
 *   in it, the most preferred online (lowest priority number; in an
 *   unordered domain every member is)                 BEST, but BETTER
 *                        under nofailback while it runs on another live node
 *   in it, not the most preferred (ordered)           BETTER, but BEST
 *                        under nofailback while it runs here
 *
 * The best target for a move (best_target_node): online members but the
 * one left, no ILLEGAL one; an exclusive service skips nodes that run any
 * service, any service skips nodes that run an exclusive one; the
 * highest score wins, ties go to the lowest node id. */
#include "svc_place.h"

#include "../xml/conf.h"

static int online(const struct sp_view *v, uint32_t node)
{
	for (int i = 0; i < v->nonline; i++)
		if (v->online[i] == node)
			return 1;
	return 0;
}

static const struct conf_domnode *member(const struct conf_domain *d,
					 uint32_t node)
{
	for (int i = 0; i < d->nnodes; i++)
		if (d->nodes[i].node &&
		    (uint32_t)d->nodes[i].node->nodeid == node)
			return &d->nodes[i];
	return NULL;
}

/* The lowest priority number among the domain's online members; -1
 * when none is online.  Unordered: every member counts as 0. */
static int best_priority(const struct conf_domain *d,
			 const struct sp_view *v)
{
	int best = -1;

	for (int i = 0; i < d->nnodes; i++) {
		const struct conf_domnode *m = &d->nodes[i];
		int p = d->ordered ? m->priority : 0;

		if (m->node && online(v, (uint32_t)m->node->nodeid) &&
		    (best < 0 || p < best))
			best = p;
	}
	return best;
}

static int runs_on_live(const struct sp_view *v, uint32_t node)
{
	return v->started && v->owner == node && online(v, node);
}

static int in_domain(const struct conf_domain *d,
		     const struct conf_domnode *m, uint32_t node,
		     const struct sp_view *v)
{
	int p = d->ordered ? m->priority : 0;
	int best = p == best_priority(d, v);

	if (best && d->nofailback && v->started && v->owner != node &&
	    online(v, v->owner))
		return SP_BETTER;
	if (best || !d->ordered)
		return SP_BEST;
	if (d->nofailback && runs_on_live(v, node))
		return SP_BEST;
	return SP_BETTER;
}

int sp_score(const struct conf_service *s, uint32_t node,
	     const struct sp_view *v)
{
	const struct conf_domain *d = s->dom;
	const struct conf_domnode *m;

	if (!online(v, node))
		return SP_ILLEGAL;
	if (!d)
		return SP_BEST;
	if ((m = member(d, node)))
		return in_domain(d, m, node, v);
	if (d->restricted)
		return SP_ILLEGAL;
	return best_priority(d, v) < 0 ? SP_BEST : SP_GOOD;
}

/* node's score as a target, -1 when exclusivity rules it out. */
static int as_target(const struct conf_service *s, uint32_t node,
		     const struct sp_view *v)
{
	int excl = 0, load = v->load ? v->load(v->ctx, node, &excl) : 0;
	int score = sp_score(s, node, v);

	if (score == SP_ILLEGAL || (s->exclusive && load) ||
	    (!s->exclusive && excl))
		return -1;
	return score + (s->exclusive ? 2 : 0);
}

uint32_t sp_best(const struct conf_service *s, uint32_t except,
		 const struct sp_view *v)
{
	uint32_t best = 0;
	int top = -1, least = 0;

	for (int i = 0; i < v->nonline; i++) {	/* sorted: ties go low */
		int score, load;

		if (v->online[i] == except)
			continue;
		score = as_target(s, v->online[i], v);
		load = v->spread_load && score >= 0 ?
		       v->spread_load(v->ctx, v->online[i]) : 0;
		if (score > top || (score == top && load < least)) {
			top = score;
			least = load;
			best = v->online[i];
		}
	}
	return best;
}

int sp_accepts(const struct conf_service *s, uint32_t node,
	       const struct sp_view *v)
{
	struct sp_view alone = *v;

	alone.online = &node;
	alone.nonline = 1;
	return as_target(s, node, &alone) >= 0;
}
