/* quorum/ccsd.c - the ccsd part: configuration distribution on the
 * ordered stream.
 *
 * Spec 7.  Two messages of this part's kind carry a whole cluster.conf,
 * in parts of at most PART_BYTES (a file of up to MAX_FILE):
 *
 *   UPDATE  op=1 ticket:u32 version:u32 total:u32 offset:u32 bytes
 *                         ccs_tool update, hacluster update,
 *                         cman_tool version -r
 *   OFFER   op=2 ticket:u32(0) version:u32 total:u32 offset:u32 bytes
 *                         the settled source's copy
 *
 * A file is acted on where its last part is delivered.  A sender's parts
 * arrive in order; a file whose parts straddle a configuration change
 * is dropped by every member of the new one (the change is delivered
 * at the same point of the stream to all), and its sender's request
 * fails: "try again".
 *
 * UPDATE applies where it is delivered on every member whose running
 * version is lower, while quorate: all members switch at the same point
 * of the stream, and of two updates with one version the first delivered
 * wins everywhere (the other's sender learns it lost the race).
 *
 * OFFER: once a configuration settles (NEWS_SETTLED from the cman
 * part), quorum/cman.c names the member
 * whose copy wins (one that was quorate before beats any other, then the
 * highest version, spec 7.1/7.4).  When some member holds another
 * version, that member sends its file and every member with another
 * version adopts it: a node that was down during an update catches up,
 * and a node started with --cluster NAME and no file at all gets one.
 *
 * Adopting: parse, check the cluster name and version, write it with the
 * backups of spec 7.3 (xml/store.c: atomic rename, .bak.1-3, .old), read
 * it back and switch the daemon to it (view->use_conf).  A node that
 * started without a file (a guest, with a node id the cluster does not
 * know) restarts with the file it got.
 *
 * Behind (spec 2.5): a member that knows the cluster runs another
 * version than its own (the settled source holds one, or a delivered
 * file could not be written) reports itself inquorate until it runs that
 * version; a file it could not write is retried every ccsd_poll ms. */
#include "../net/loop.h"
#include "../net/part.h"
#include "../net/seal.h"
#include "../net/wire.h"
#include "../xml/store.h"
#include "../xml/validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE	(512u << 10)	/* bytes of a cluster.conf */
#define PART_BYTES	(TOTEM_MAX_MSG - 64)
#define PARTIALS	8		/* files coming in at once */

enum { OP_UPDATE = 1, OP_OFFER };

extern const struct part ccsd_part;

static struct {
	struct view *d;
	uint8_t msg[TOTEM_MAX_MSG];
	uint8_t *copy;		/* its file, when we could not write it */
	size_t copy_len;
	int retry, offer_retry;
	/* files whose first parts are in: by sender */
	struct partial {
		uint32_t from, ticket, version, total, got;
		uint8_t op, *file;
	} in[PARTIALS];
} C;

static int adopt(const uint8_t *file, size_t len, uint32_t version,
		 const char *how);

/* --- behind the cluster ----------------------------------------------------- */
static void on_retry(void *ctx)
{
	C.retry = 0;
	if (C.copy)
		adopt(C.copy, C.copy_len, C.d->behind, "written on a retry");
}

/* The cluster runs version; file (if not NULL) is its copy that this
 * node could not write.  Logged once per version and kind. */
static void suspend(uint32_t version, const uint8_t *file, size_t len)
{
	if (version != C.d->behind) {
		free(C.copy);		/* an older version's file */
		C.copy = NULL;
		if (!file)
			log_msg(LOG_LVL_ERR, "the members run configuration "
				"version %" PRIu32 ": activity suspended until"
				" this node has it", version);
	}
	if (file && !C.copy) {
		C.copy = xmalloc(len);
		memcpy(C.copy, file, len);
		C.copy_len = len;
		log_msg(LOG_LVL_ERR, "Can't read CCS to get updated config "
			"version %" PRIu32 ". Activity suspended on this node",
			version);
	}
	C.d->behind = version;
	if (C.copy && !C.retry)
		C.retry = loop_timer_add(now_ms() + C.d->conf->cman.ccsd_poll,
					 on_retry, NULL);
}

/* Resumed once this node runs the cluster's version. */
static void resume(void)
{
	if (!C.d->behind || C.d->conf->config_version != (int)C.d->behind)
		return;
	log_msg(LOG_LVL_NOTICE, "configuration version %d in place: "
		"activity resumed", C.d->conf->config_version);
	C.d->behind = 0;
	free(C.copy);
	C.copy = NULL;
	loop_timer_cancel(C.retry);
	C.retry = 0;
}

/* --- adopting a file ------------------------------------------------------- */
/* Check and write the file; 0, or -1 with the reason logged. */
static int write_conf(const uint8_t *file, size_t len, uint32_t version)
{
	struct view *d = C.d;
	struct xml_err xe;
	struct xml_node *doc = xml_parse((const char *)file, len, &xe);
	struct conf *c = doc ? conf_load(doc, NULL) : NULL;
	struct store st = { 0 };
	int ok = c && c->name && !strcmp(c->name, d->conf->name) &&
		 c->config_version == (int)version;

	if (!doc)
		log_msg(LOG_LVL_ERR, "configuration version %" PRIu32 " is "
			"not well-formed (%d:%d: %s): not taken", version,
			xe.line, xe.col, xe.msg);
	else if (!ok)
		log_msg(LOG_LVL_ERR, "configuration version %" PRIu32 " is "
			"for another cluster or version: not taken", version);
	if (c)
		conf_free(c);
	if (ok && (store_lock(&st, d->conf_path) < 0 ||
		   store_commit(&st, doc) < 0)) {
		log_msg(LOG_LVL_ERR, "cannot write configuration version %"
			PRIu32 ": %s", version, st.err);
		ok = 0;
	}
	xml_free(doc);
	return ok ? 0 : -1;
}

/* 0 when this node now runs version; else -1, suspended. */
static int adopt(const uint8_t *file, size_t len, uint32_t version,
		 const char *how)
{
	struct view *d = C.d;
	int was = d->conf->config_version;
	struct conf *c;

	if (write_conf(file, len, version) < 0)
		goto behind;
	if (d->guest) {
		log_msg(LOG_LVL_NOTICE, "configuration version %" PRIu32
			" fetched from the cluster into %s: restarting with "
			"it", version, d->conf_path);
		d->restart();
		return 0;
	}
	if (!(c = conf_read(d->conf_path, NULL))) {
		log_msg(LOG_LVL_ERR, "cannot read back %s: %s", d->conf_path,
			strerror(errno));
		goto behind;
	}
	log_msg(LOG_LVL_NOTICE, "Update of %s complete (version %d -> %"
		PRIu32 ", %s)", d->conf_path, was, version, how);
	d->use_conf(c);
	resume();
	return 0;
behind:
	suspend(version, file, len);
	return -1;
}

/* --- the stream ------------------------------------------------------------ */
/* The sender's own update came back: end its waiting reply (ticket is
 * ctl's; one that timed out is gone, and the update stands). */
static void answer(uint32_t from, uint32_t ticket, int code,
		   const char *text)
{
	if (from == C.d->nodeid)
		ctl_resume(ticket, code ? NULL : text, code, text);
}

static void on_update(uint32_t from, uint32_t t, uint32_t v,
		      const uint8_t *file, size_t len)
{
	int was = C.d->conf->config_version;
	char text[160];
	int ok;

	if ((int64_t)v <= was || !C.d->quorate) {
		log_msg(LOG_LVL_NOTICE, "configuration update to version %"
			PRIu32 " from node %" PRIu32 " not taken: %s", v,
			from, C.d->quorate ? "this node runs that version "
			"or a newer one" : "not quorate");
		answer(from, t, EXIT_REFUSED, C.d->quorate ?
		       "Warning:: Simultaneous update requests "
		       "detected. You have lost the race." :
		       "Unable to honor update request. Cluster is "
		       "not quorate.");
		return;
	}
	if (C.d->behind)
		suspend(v, NULL, 0);	/* every member now moves to v */
	adopt(file, len, v, "update");
	snprintf(text, sizeof text, "Config file updated from version %d "
		 "to %" PRIu32, was, v);
	ok = C.d->conf->config_version == (int)v;
	answer(from, t, ok ? 0 : EXIT_REFUSED, ok ? text : "the update could "
	       "not be written here (see the log)");
}

static void on_offer(uint32_t from, uint32_t v, const uint8_t *file,
		     size_t len)
{
	char how[48];

	if ((int64_t)v == C.d->conf->config_version)
		return;
	snprintf(how, sizeof how, "the copy of node %" PRIu32, from);
	adopt(file, len, v, how);
}

static void on_file(const struct partial *p)
{
	if (p->op == OP_UPDATE)
		on_update(p->from, p->ticket, p->version, p->file, p->total);
	else
		on_offer(p->from, p->version, p->file, p->total);
}

static void forget(struct partial *p)
{
	free(p->file);
	memset(p, 0, sizeof *p);
}

/* The slot of from's file coming in (a free one for a first part). */
static struct partial *partial_of(uint32_t from)
{
	struct partial *free_slot = NULL;

	for (int i = 0; i < PARTIALS; i++) {
		if (C.in[i].file && C.in[i].from == from)
			return &C.in[i];
		if (!C.in[i].file && !free_slot)
			free_slot = &C.in[i];
	}
	return free_slot ? free_slot : &C.in[0];
}

static void deliver(uint32_t from, const uint8_t *body, size_t len)
{
	struct wire_r r;
	struct partial head, *p;
	uint32_t offset;
	const uint8_t *bytes;
	size_t n;

	wire_r_init(&r, body, len);
	head.op = wire_get_u8(&r);
	head.ticket = wire_get_u32(&r);
	head.version = wire_get_u32(&r);
	head.total = wire_get_u32(&r);
	offset = wire_get_u32(&r);
	n = wire_left(&r);
	bytes = wire_get_bytes(&r, n);
	if (!bytes || (head.op != OP_UPDATE && head.op != OP_OFFER) ||
	    head.total > MAX_FILE || offset > head.total ||
	    n > head.total - offset)
		return;
	p = partial_of(from);
	if (!offset) {
		forget(p);	/* a new file: an unfinished one is dropped */
		*p = head;
		p->from = from;
		p->file = xmalloc(head.total ? head.total : 1);
	} else if (!p->file || p->from != from || p->got != offset ||
		   p->op != head.op || p->version != head.version ||
		   p->total != head.total)
		return;		/* its start was not delivered here */
	memcpy(p->file + offset, bytes, n);
	p->got += (uint32_t)n;
	if (p->got == p->total) {
		struct partial done = *p;

		memset(p, 0, sizeof *p);
		on_file(&done);
		free(done.file);
	}
}

/* Files coming in when the configuration changed are dropped (by every
 * member alike); this node's own update fails. */
static void confchg(void)
{
	for (int i = 0; i < PARTIALS; i++) {
		struct partial *p = &C.in[i];

		if (p->file && p->from == C.d->nodeid && p->op == OP_UPDATE)
			answer(p->from, p->ticket, EXIT_REFUSED, "the "
			       "membership changed while the file was sent; "
			       "try again");
		forget(p);
	}
}

/* Send file in parts; -1 when the queue is full (members that got its
 * first parts drop them once another file of this node begins). */
static int send_file(uint8_t op, uint32_t ticket, uint32_t version,
		     const char *file, size_t len)
{
	size_t off = 0;

	do {
		size_t n = len - off < PART_BYTES ? len - off : PART_BYTES;
		struct wire_w w;

		wire_w_init(&w, C.msg, sizeof C.msg);
		wire_put_u8(&w, op);
		wire_put_u32(&w, ticket);
		wire_put_u32(&w, version);
		wire_put_u32(&w, (uint32_t)len);
		wire_put_u32(&w, (uint32_t)off);
		wire_put_bytes(&w, file + off, n);
		if (w.over || C.d->send(&ccsd_part, C.msg, w.len) < 0)
			return -1;
		off += n;
	} while (off < len);
	return 0;
}

/* Send this node's file as the cluster's copy; retried every ccsd_poll
 * ms while the send queue is full, until the next settled configuration
 * decides again. */
static void offer(void *ctx)
{
	struct view *d = C.d;
	size_t len;
	char *file = read_file(d->conf_path, MAX_FILE, &len);

	C.offer_retry = 0;
	if (!file) {
		log_msg(LOG_LVL_ERR, "cannot offer %s to the members: %s",
			d->conf_path, strerror(errno));
		return;
	}
	if (send_file(OP_OFFER, 0, (uint32_t)d->conf->config_version, file,
		      len) < 0)
		C.offer_retry = loop_timer_add(now_ms() + d->conf->cman.ccsd_poll,
					       offer, NULL);
	else
		log_msg(LOG_LVL_NOTICE, "members run other configuration "
			"versions: offering version %d", d->conf->config_version);
	free(file);
}

/* Once the members settled: catch up with the winning copy, or offer
 * ours when it wins and some member holds another. */
static void settled(void)
{
	struct view *d = C.d;
	uint32_t source = d->config_source, version = d->config_version;

	loop_timer_cancel(C.offer_retry);
	C.offer_retry = 0;
	if (d->guest)
		return;
	if (source && version != (uint32_t)d->conf->config_version)
		suspend(version, NULL, 0);	/* until its offer is taken */
	else if (C.d->behind) {
		C.d->behind = (uint32_t)d->conf->config_version;	/* ours now */
		resume();
	}
	if (d->config_differs && source == d->nodeid)
		offer(NULL);
}

/* --- the verbs ------------------------------------------------------------- */
/* A member (not a guest) the file leaves out, or 0: spreading it would
 * make that node leave at once. */
static uint32_t member_left_out(const struct conf *c)
{
	const struct view *v = C.d;

	for (int i = 0; v->member && i < v->nmembers; i++)
		if (v->members[i] < SEAL_GUEST_ID &&
		    !conf_nodeid(c, (int)v->members[i]))
			return v->members[i];
	return 0;
}

/* Refusals of spec 7.2, in its words, before anything is sent: the
 * file's version, or -1 after ctl_fail. */
static int check_file(struct ctl_req *r, const char *path, long want)
{
	struct buf out = { 0 };
	int warnings, errors = validate_file(path, &out, &warnings);
	struct conf *c = errors ? NULL : conf_read(path, NULL);
	const struct conf *run = C.d->conf;
	int v = c ? c->config_version : 0;
	uint32_t gone;
	int rc = 0;

	if (errors) {
		ctl_printf(r, "%.*s", (int)(out.len ? out.len - 1 : 0),
			   out.p ? out.p : "");
		rc = ctl_fail(r, EXIT_REFUSED, "%s fails to validate (%d "
			      "error%s)", path, errors, errors == 1 ? "" : "s");
	}
	else if (!c || !c->name || strcmp(c->name, run->name))
		rc = ctl_fail(r, EXIT_REFUSED, "%s: not a configuration of "
			      "cluster %s", path, run->name);
	else if (want >= 0 && v <= run->config_version)
		rc = ctl_fail(r, EXIT_REFUSED, "Not reloading, config version"
			      " older or equal the running config");
	else if (want >= 0 && v != want)
		rc = ctl_fail(r, EXIT_REFUSED, "%s has config_version %d, "
			      "not %ld", path, v, want);
	else if (v <= run->config_version) {
		ctl_printf(r, "Proposed updated config file does not have "
			   "greater version number.\n  Current config_version "
			   ":: %d\n  Proposed config_version:: %d",
			   run->config_version, v);
		rc = ctl_fail(r, EXIT_REFUSED, "update refused");
	}
	else if (!C.d->quorate || C.d->behind) {
		if (C.d->behind)
			ctl_printf(r, "this node runs configuration version %d"
				   ", the members %" PRIu32, run->config_version,
				   C.d->behind);
		rc = ctl_fail(r, EXIT_REFUSED, "Unable to honor update "
			      "request. Cluster is not quorate.");
	}
	else if ((gone = member_left_out(c)))
		rc = ctl_fail(r, EXIT_REFUSED, "node %" PRIu32 " is a member "
			      "but not in %s: stop it first (cman_tool leave "
			      "remove)", gone, path);
	buf_free(&out);
	if (c)
		conf_free(c);
	return rc ? -1 : v;
}

static int distribute(struct ctl_req *r, const char *path, long want)
{
	int v = check_file(r, path, want);
	unsigned t;
	size_t len;
	char *file;

	if (v < 0)
		return EXIT_REFUSED;
	if (!(file = read_file(path, MAX_FILE, &len)))
		return ctl_fail(r, EXIT_REFUSED, "%s: %s", path,
				errno == EFBIG ? "too large to distribute" :
				strerror(errno));
	ctl_defer(r, PART_ANSWER_MS, &t);
	v = send_file(OP_UPDATE, t, (uint32_t)v, file, len);
	free(file);
	if (v < 0)
		return ctl_fail(r, EXIT_REFUSED, "the send queue is full; "
				"try again");
	return CTL_DEFERRED;
}

/* update PATH: spread that file (an absolute path: the daemon's working
 * directory is not the caller's). */
static int v_update(void *ctx, struct ctl_req *r)
{
	if (r->argc != 2 || r->argv[1][0] != '/')
		return ctl_fail(r, EXIT_USAGE, "usage: update /PATH");
	return distribute(r, r->argv[1], -1);
}

/* reload N: spread this node's own file, which must hold version N. */
static int v_reload(void *ctx, struct ctl_req *r)
{
	long n;

	if (r->argc != 2 || parse_int(r->argv[1], 1, 0x7fffffff, &n) < 0)
		return ctl_fail(r, EXIT_USAGE, "usage: reload VERSION");
	return distribute(r, C.d->conf_path, n);
}

static int start(struct view *v, char *err, size_t errlen)
{
	C.d = v;
	return 0;
}

static void news(int kind, uint32_t arg)
{
	if (kind == NEWS_SETTLED)
		settled();
}

static const struct ctl_verb verbs[] = {
	{ "update", v_update, 1 },
	{ "reload", v_reload, 1 },
};

const struct part ccsd_part = {
	.name = "ccsd",
	.start = start,
	.deliver = deliver,
	.confchg = confchg,
	.news = news,
	.verbs = verbs,
	.nverbs = (int)ARRAY_LEN(verbs),
};
