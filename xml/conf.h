/* xml/conf.h - the cluster.conf model and its derived values.
 *
 * conf_load() reads a parsed document into plain structs.  The XML tree
 * stays the source of truth (ccs_tool edits and writes it back); the
 * structs are a read view whose strings point into the tree, so the tree
 * must outlive them.  Every entry keeps x, its element: x->line and x->col
 * locate it in the file (0 when the tree was built in memory), and its
 * attributes carry whatever the model does not name (agent arguments,
 * unknown keys).  Derived values (cluster id, multicast address, expected
 * votes, ...) are filled in as cman would compute them (spec 1.10, 2.1). */
#ifndef CONF_H
#define CONF_H

#include "xml.h"
#include "schema.h"

#define CONF_PATH "/etc/cluster/cluster.conf"

/* Fixed limits; a config past one is reported and the excess ignored. */
#define CONF_MAX_NAME		16	/* bytes of a cluster name (cman) */
#define CONF_MAX_NODES		64
#define CONF_MAX_NODEID		4096
#define CONF_QDISK_NODES	16	/* node ids a quorum disk has slots for */
#define CONF_MAX_ALTNAMES	9	/* per node */
#define CONF_MAX_METHODS	256	/* fence methods, all nodes */
#define CONF_MAX_DEVICES	512	/* fence + unfence devices, all nodes */
#define CONF_MAX_FENCEDEVS	64
#define CONF_MAX_DOMAINS	64
#define CONF_MAX_DOMNODES	512	/* failoverdomainnodes, all domains */
#define CONF_MAX_SERVICES	1024	/* services and vms together */
#define CONF_MAX_RES		8192	/* resource elements incl. services */
#define CONF_MAX_DEPTH		16	/* resource nesting below a service */
#define CONF_MAX_HEURISTICS	10

/* --- problems found while loading or validating ------------------------ */
enum { CONF_WARNING, CONF_ERROR };

struct conf_msg {
	int line, col, seq, sev;
	char *text;
};

struct conf_diags {
	struct conf_msg *v;
	int n, cap;
	int errors, warnings;
};

void conf_diag(struct conf_diags *d, int sev, int line, int col,
	       const char *fmt, ...) PRINTF(5, 6);
/* Append every message, sorted by position, as "FILE:LINE:COL: error:
 * text\n" ("FILE: error: text" when line is 0). */
void conf_diags_format(struct conf_diags *d, const char *file,
		       struct buf *out);
void conf_diags_free(struct conf_diags *d);

/* --- the model ----------------------------------------------------------
 * Member names are the attribute names.  Integers not given hold their
 * defaults; booleans are 0/1; times are seconds; strings not given are
 * NULL unless a default is documented. */
struct conf_cman {
	int two_node, expected_votes, cluster_id, port;
	int quorum_dev_poll, shutdown_timeout, ccsd_poll, broadcast;
	int upgrading, disallowed, hash_cluster_id;
	/* votequorum's options, in <cman> or <quorum>; wait_for_all -1
	 * when not given (on with two_node), the window in ms */
	int wait_for_all, last_man_standing, last_man_standing_window;
	int auto_tie_breaker, two_node_unsafe;
	int expected_given;		/* expected_votes as written, or 0 */
	const char *keyfile, *transport;
	const char *mcast;	/* <multicast addr=>, else derived */
	char mcast_buf[16];
	const struct xml_node *x;
};

/* Timers are 0 when not given; net/totem.c fills in its defaults. */
struct conf_totem {
	int token, join, consensus, token_retransmits_before_loss_const;
	int fail_recv_const, secauth;
	int rrp_mode;			/* 0 none, 1 active, 2 passive */
	const char *transport, *keyfile;
	const struct xml_node *x;
};

struct conf_fencedev {
	const char *name, *agent;
	const struct xml_node *x;	/* every attribute but name: args */
};

struct conf_device {
	const char *name;
	const struct conf_fencedev *dev;	/* NULL: not defined */
	const struct xml_node *x;	/* node-specific args */
};

struct conf_method {
	const char *name;
	struct conf_device *devs;
	int ndevs;
	const struct xml_node *x;
};

struct conf_altname {
	const char *name, *mcast;
	int port;			/* 0: not given */
	const struct xml_node *x;
};

struct conf_node {
	const char *name;
	int nodeid;			/* 0: not given */
	int votes, weight;
	struct conf_altname altnames[CONF_MAX_ALTNAMES];
	int naltnames;
	struct conf_method *methods;
	int nmethods;
	struct conf_device *unfence;
	int nunfence;
	const struct xml_node *x;
};

struct conf_fenced {
	int post_join_delay, post_fail_delay, clean_start;
	int delay;		/* two_node: the higher node id waits this
				 * long (s) before it fences (default 5) */
	int override_time, skip_undefined;
	const char *override_path;
	const struct xml_node *x;
};

struct conf_heuristic {
	const char *program;
	int score, interval, tko;
	const struct xml_node *x;
};

struct conf_qdisk {
	int interval, tko, tko_up, upgrade_wait, master_wait;
	int votes, min_score, priority, max_error_cycles;
	int reboot, allow_kill, paranoid, stop_cman, master_wins;
	int io_timeout, log_level;
	int scheduler;			/* 0 rr, 1 fifo, 2 other */
	const char *device, *label, *cman_label, *status_file;
	const char *log_facility;
	struct conf_heuristic heuristic[CONF_MAX_HEURISTICS];
	int nheuristics;
	const struct xml_node *x;	/* NULL: no quorum disk */
};

struct conf_logging {
	int to_syslog, to_logfile;
	int debug;			/* "on" 1, "off" 0 */
	const char *logfile, *syslog_facility, *syslog_priority;
	const struct xml_node *x;
};

struct conf_domnode {
	const char *name;
	const struct conf_node *node;	/* NULL: not a cluster node */
	int priority;			/* 1..100, lower preferred; 0 none */
	const struct xml_node *x;
};

struct conf_domain {
	const char *name;
	int ordered, restricted, nofailback;
	struct conf_domnode *nodes;
	int nnodes;
	const struct xml_node *x;
};

/* A resource in a service's tree, a global one, or the service itself
 * (the root of its tree).  A ref= element points at its global
 * resource through target; its own attributes and children still count. */
struct conf_res {
	const struct schema_type *type;	/* NULL: unknown type */
	const char *ref;		/* ref= value or NULL */
	const struct conf_res *target;	/* what ref names; NULL if nothing */
	struct conf_res *parent, *child, *next;
	int depth;			/* 0: service or global resource */
	const struct xml_node *x;
};

enum conf_recovery {
	CONF_RESTART, CONF_RELOCATE, CONF_DISABLE, CONF_RESTART_DISABLE
};

struct conf_service {
	const char *name;
	int is_vm;
	const char *domain;
	const struct conf_domain *dom;	/* NULL: none or unknown */
	int autostart, exclusive, recovery, max_restarts;
	int restart_expire_time, nfslock, hardrecovery, priority;
	const char *depend;		/* "service:NAME" */
	const struct conf_service *dep;	/* what depend names, or NULL */
	int depend_mode;		/* 0 hard, 1 soft */
	int migrate;			/* vm: 0 live, 1 pause */
	struct conf_res *res;		/* root: type service or vm */
	const struct xml_node *x;
};

struct conf_rm {
	int log_level;			/* -1: not given */
	int central_processing, status_child_max;
	int status_poll_interval, transition_throttling;
	const char *log_facility;
	const struct xml_node *x;
};

struct conf {
	const struct xml_node *doc, *root;	/* root: <cluster> or NULL */
	const char *name;
	int config_version;
	struct conf_cman cman;
	struct conf_totem totem;
	struct conf_fenced fenced;
	struct conf_qdisk qdisk;
	struct conf_logging logging;
	struct conf_rm rm;
	int nnodes, nfencedevs, ndomains, nservices;
	struct conf_node nodes[CONF_MAX_NODES];
	struct conf_fencedev fencedevs[CONF_MAX_FENCEDEVS];
	struct conf_domain domains[CONF_MAX_DOMAINS];
	struct conf_service services[CONF_MAX_SERVICES];
	struct conf_res *globals;	/* <rm><resources>, linked by next */
	/* derived */
	int total_votes;		/* sum of node votes */
	int quorum;			/* with every node a member */
	int port_send;			/* cman.port - 1 */
	/* storage the entries above point into */
	int nmethods, ndevices, ndomnodes, nres;
	struct conf_method method_pool[CONF_MAX_METHODS];
	struct conf_device device_pool[CONF_MAX_DEVICES];
	struct conf_domnode domnode_pool[CONF_MAX_DOMNODES];
	struct conf_res res_pool[CONF_MAX_RES];
	struct xml_node *owned;		/* freed by conf_free */
	int holds, retired;		/* conf_hold, conf_retire */
};

/* Load a parsed document.  Problems the loader meets (bad values,
 * unknown elements and attributes, limits) go to d when it is not NULL;
 * the cross checks are validate_conf()'s.  Never NULL; doc is borrowed. */
struct conf *conf_load(const struct xml_node *doc, struct conf_diags *d);
/* Read, parse and load a file; NULL (reason in d, if given) when it
 * cannot be read or is not well-formed.  The conf owns the tree. */
struct conf *conf_read(const char *path, struct conf_diags *d);
void conf_free(struct conf *c);
/* A conf no longer in force lives on while someone holds it (a job that
 * runs what it describes): conf_hold before keeping pointers into c,
 * conf_drop after; conf_retire frees c once nobody holds it. */
void conf_hold(struct conf *c);
void conf_drop(struct conf *c);
void conf_retire(struct conf *c);
/* The loader's first and last steps: fill defaults into a zeroed conf;
 * resolve references and compute derived values once it is loaded. */
void conf_defaults(struct conf *c);
void conf_finish(struct conf *c);

const struct conf_node *conf_node(const struct conf *c, const char *name);
const struct conf_node *conf_nodeid(const struct conf *c, int nodeid);
const struct conf_fencedev *conf_fencedev(const struct conf *c,
					  const char *name);
const struct conf_domain *conf_domain(const struct conf *c,
				      const char *name);
const struct conf_service *conf_service(const struct conf *c,
					const char *name);
/* Global resource of type t whose primary attribute is value. */
const struct conf_res *conf_global(const struct conf *c,
				   const struct schema_type *t,
				   const char *value);
/* A resource's attribute: its own, else its ref target's, else NULL. */
const char *conf_res_get(const struct conf_res *r, const char *attr);
/* Its primary attribute's value (through ref), or NULL. */
const char *conf_res_name(const struct conf_res *r);

/* What a fence agent reads on stdin (spec 6.4): the device's arguments,
 * then the fencedevice's, one key=value line each, then nodename=victim
 * unless given. */
void conf_fence_args(const struct conf_device *d, const char *victim,
		     struct buf *out);

/* --- values and derived arithmetic ------------------------------------ */
/* rgmanager boolean: yes/no, on/off, true/false (any case) or an integer
 * (> 0 true); -1 if none of these. */
int conf_bool(const char *s, int *out);
/* rgmanager time: "90", "30s", "1h30m" (s m h d w, concatenable; a bare
 * number is seconds); 0 ok, -1 malformed or over INT_MAX seconds. */
int conf_time(const char *s, int *out);
/* cman's cluster id from the name: v = (v << 1) + byte, id = v & 0xFFFF. */
int conf_cluster_id(const char *name);
/* "239.192.<id >> 8>.<id % 255>" into out (16 bytes); % 255 as cman. */
void conf_mcast_addr(int cluster_id, char *out);
/* 1 if s is an IPv4 multicast (224.0.0.0/4) or IPv6 (ff00::/8) address. */
int conf_is_mcast(const char *s);
/* cman: max((expected + 2) / 2, (total + 2) / 2); 1 with two_node and at
 * most 2 member nodes. */
int conf_quorum(int expected, int total, int two_node, int members);
/* Default votes of a quorum disk: one less than the number of nodes. */
int conf_qdisk_votes(int nnodes);

#endif
