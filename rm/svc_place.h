/* rm/svc_place.h - where a service may and should run (spec 4.4), a pure
 * function of the configuration, the members and the service table, so
 * every member computes the same answer. */
#ifndef SVC_PLACE_H
#define SVC_PLACE_H

#include <stdint.h>

struct conf_service;

/* How much a node suits a service (rgmanager's node_should_start). */
enum { SP_ILLEGAL, SP_GOOD, SP_BETTER, SP_BEST };

/* What placement reads of the cluster now. */
struct sp_view {
	const uint32_t *online;		/* members that run services, sorted */
	int nonline;
	/* the service's state: started (or starting) on owner, or not */
	int started;
	uint32_t owner;
	/* per member: services it runs, and whether one is exclusive */
	int (*load)(void *ctx, uint32_t node, int *exclusive);
	void *ctx;
	/* set for an automatic start: of the nodes with the top score,
	 * the one with the least of this load (ties to the lowest id) */
	int (*spread_load)(void *ctx, uint32_t node);
};

/* The score of node for service s. */
int sp_score(const struct conf_service *s, uint32_t node,
	     const struct sp_view *v);
/* The best other member to move s to (skipping except, 0 none): the
 * highest score, exclusivity kept, ties to the lowest id (v->spread_load:
 * to the least load, then the lowest id); 0 when none may take it. */
uint32_t sp_best(const struct conf_service *s, uint32_t except,
		 const struct sp_view *v);

/* Whether node takes s when it is asked to (a relocation's target):
 * pretending it were the only member, its score is BEST (only a
 * restricted domain it is not in refuses), and exclusivity holds. */
int sp_accepts(const struct conf_service *s, uint32_t node,
	       const struct sp_view *v);

#endif
