/* rm/daemon.h - what the daemon's parts share: config and local node. */
#ifndef DAEMON_H
#define DAEMON_H

#include "../net/ctl.h"
#include "../xml/conf.h"

#include <stdint.h>

#define DAEMON_RUN_DIR	"/run/hacluster"
#define DAEMON_PID_FILE	DAEMON_RUN_DIR "/hacluster.pid"
#define DAEMON_VERSION	"6.2.0"		/* cman protocol version */
/* How long a verb waits for its ordered message: below the client's
 * CTL_TIMEOUT_MS, so the client hears "timed out", not silence. */
#define DAEMON_ANSWER_MS 4000

struct daemon {
	const char *conf_path;
	struct conf *conf;
	const struct conf_node *me;
	char addr[64];			/* our address as text, or "" */
	int guest;			/* started without a file: fetching */
};

/* Start this daemon again, as it was started (exec). */
void daemon_restart(void);

/* The control verbs (rm/verbs.c); ctx is the struct daemon. */
extern const struct ctl_verb daemon_verbs[];
extern const int daemon_nverbs;

/* rm/qsvc.c: the quorum service and its verbs. */
int qsvc_start(const struct conf *c, const struct conf_node *me,
	       uint32_t expected, char *err, size_t errlen);
int qsvc_quorate(void);		/* as every member agrees */
uint64_t qsvc_malformed(void);		/* quorum messages dropped */
void qsvc_set_config_version(uint32_t v);
void qsvc_status(struct ctl_req *r);
int qsvc_verb_expected(void *ctx, struct ctl_req *r);
int qsvc_verb_votes(void *ctx, struct ctl_req *r);
int qsvc_verb_leave(void *ctx, struct ctl_req *r);
int qsvc_verb_kill(void *ctx, struct ctl_req *r);
/* This node holds the quorum disk's master role or not. */
void qsvc_qdisk(int master);
/* The quorum disk's master evicts a member that stopped writing: 1 when
 * the kill went out (nodeid is a member, not us). */
int qsvc_evict(uint32_t nodeid);

/* rm/qdiskd.c: the quorum disk (<quorumd>), when configured. */
int qdiskd_start(const struct conf *c, const struct conf_node *me,
		 char *err, size_t errlen);
void qdiskd_stop(void);
void qdiskd_status(struct ctl_req *r);

/* rm/csync.c: configuration distribution. */
void csync_init(struct daemon *d);
void csync_settled(uint32_t source, uint32_t version, int differs);
/* This node runs another configuration version than the cluster's
 * (spec 2.5): its status says inquorate ("Activity blocked") while so,
 * though the members' agreed quorum does not change. */
int csync_behind(void);
int csync_verb_update(void *ctx, struct ctl_req *r);
int csync_verb_reload(void *ctx, struct ctl_req *r);

/* rm/bench.c: the test-only `bench` verb and its ordered messages. */
void bench_init(void);
int bench_verb(void *ctx, struct ctl_req *r);

#endif
