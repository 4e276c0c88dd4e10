/* net/part.h - what a part of the daemon provides, and the view the
 * parts share.
 *
 * The daemon is a table of parts (rm/daemon.c, the composition root):
 * each subsystem is one file exporting one constant struct part, and one
 * row of that table.  The root walks the table to start the parts (in
 * table order), stop them (in reverse), hand them configuration changes
 * of the ring, ordered messages, a new cluster.conf and news, and to
 * answer status, stats and control verbs.
 *
 *   kind      an ordered message starts with one byte, its part's index
 *             in the table; part->deliver gets the body after it
 *   facts     what several parts read lives in struct view; each field
 *             is written by the one part named above it, read by all
 *   news      a part that changed a fact others act on posts it
 *             (view->post); the root hands it to every part's news
 *             hook, in table order, before post returns
 *
 * Parts never call each other by name, and never call the root but
 * through the services in the view.  corosync's service engines
 * (exec/service.c) are the idea, with far fewer fields. */
#ifndef PART_H
#define PART_H

#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "totem.h"

/* cluster.conf's model lives in xml/, above this folder: the parts above
 * read it, the view only carries it. */
struct conf;
struct conf_node;
struct part;

/* How long a verb waits for its ordered message: below the client's
 * CTL_TIMEOUT_MS, so the client hears "timed out", not silence. */
#define PART_ANSWER_MS	4000

/* News between parts: view->post(news, arg). */
enum part_news {
	NEWS_SETTLED,	/* cman: every member announced itself; the
			 * config_source fields say whose file wins */
	NEWS_QDISK,	/* qdiskd: qdisk_master changed */
	NEWS_EVICT,	/* qdiskd: node arg stopped writing the quorum
			 * disk: take it out of the ring */
	NEWS_QUORATE,	/* cman: view->quorate changed */
	NEWS_FENCE_JOINED,	/* fenced: this node is in a quorate fence
			 * domain for the first time (start-up waits) */
	NEWS_FENCED,	/* fenced: node arg counts as fenced (an agent,
			 * the operator, or it started again holding
			 * nothing): its services may be recovered */
	NEWS_SLATE,	/* rgmanager: view->slate is set */
	NEWS_FENCING,	/* fenced: view->fence_pending changed */
	NEWS_TRANSITIONAL,	/* the ring: this node's configuration is
			 * breaking; until the next one, deliveries reach
			 * only some of its members */
};

struct view {
	/* the root, at start-up */
	const char *conf_path;
	int guest;		/* started without a file: fetching it */
	uint32_t expected;	/* expected votes over the file's (-e), 0 */
	uint32_t nodeid;	/* this node */
	uint32_t incarnation;	/* this start's order (grows every start) */
	char addr[64];		/* our address as text, or "" */
	/* the root, at start-up and at view->use_conf */
	struct conf *conf;		/* the configuration in force */
	const struct conf_node *me;	/* our node in it */
	/* the ring part, at every regular configuration we are in */
	int member;
	uint64_t ring;		/* its ring seq */
	int nmembers;
	uint32_t members[TOTEM_MAX_NODES];
	/* the ring part: another machine runs with our node id and this
	 * node is alone: it stays out, acting inquorate (that machine's
	 * address, or NULL) */
	const char *refused;
	/* the cman part */
	int quorate;		/* as every member agrees */
	uint32_t config_source;	/* settled: whose file wins (0 none), */
	uint32_t config_version;	/* its version, and */
	int config_differs;	/* whether some member holds another */
	/* the qdiskd part */
	int qdisk_master;	/* we hold the quorum disk's master role */
	/* the fenced part: nodes that must still be fenced */
	int fence_pending;
	/* the rgmanager part: every service's resources were stopped
	 * here since this daemon started (the clean slate) */
	int slate;
	/* ...and at the daemon's stop: a service's stop failed or did not
	 * end in time, so this node must not leave cleanly (be fenced) */
	int unclean;
	/* the ccsd part */
	uint32_t behind;	/* the cluster's config version when it is
				 * not ours: we act as inquorate */

	/* the root's services */
	/* Queue an ordered message of part self's kind; -1 when too large
	 * or the queue is full (try again after deliveries). */
	int (*send)(const struct part *self, const void *body, size_t len);
	void (*post)(int news, uint32_t arg);
	/* The ring part: hand a regular configuration (the fields above
	 * are set) or an ordered message to the parts.  deliver: -1 when no
	 * part takes kind. */
	void (*confchg)(void);
	int (*deliver)(uint32_t from, int kind, const uint8_t *body,
		       size_t len);
	/* The ccsd part: c is in force from now on (the parts' conf hooks
	 * run); the root frees the one before when nothing points into it,
	 * and stops the daemon when c leaves this node out. */
	void (*use_conf)(struct conf *c);
	/* The ccsd part, as a guest that fetched its file: start this
	 * daemon again, as it was started. */
	void (*restart)(void);
};

/* Every hook may be NULL. */
struct part {
	const char *name;
	/* 0, or -1 with the reason in err: the daemon does not start. */
	int (*start)(struct view *v, char *err, size_t errlen);
	void (*stop)(void);
	void (*confchg)(void);
	void (*deliver)(uint32_t from, const uint8_t *body, size_t len);
	/* view->conf is new: at the same point of the ordered stream on
	 * every member that takes it. */
	void (*conf)(void);
	void (*news)(int news, uint32_t arg);
	/* "key: value" lines of the status verb: cman_tool status prints
	 * them as text or as --json fields. */
	void (*status)(struct ctl_req *r);
	void (*counters)(void (*line)(void *ctx, const char *name,
				      uint64_t v), void *ctx);
	const struct ctl_verb *verbs;	/* ctx: the view */
	int nverbs;
};

#endif
