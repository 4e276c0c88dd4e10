/* xml/ccs.h - what the ccs_tool files share: one run and its helpers. */
#ifndef CCS_H
#define CCS_H

#include "conf.h"
#include "store.h"
#include "xml.h"

/* One run of one command.  ccs_tool.c parses the options, loads or locks
 * the file and saves it; a command only reads or edits c->root. */
struct ccs {
	const char *conf;	/* -c: the file read (and edited in place) */
	const char *out;	/* -o: the file written; "-": stdout */
	int no_update, force_update;	/* -C, -F */
	const char *opt[128];	/* the command's own options by letter;
				   "" for a flag */
	char **arg;		/* operands, in order */
	int narg;
	struct xml_node *doc, *root;	/* root: the <cluster> element */
	struct store st;
	struct conf_diags before;	/* the file's problems before the edit */
};

typedef void ccs_fn(struct ccs *c);

/* ccs_node.c: the original commands */
ccs_fn ccs_create, ccs_addnode, ccs_delnode, ccs_lsnode, ccs_addfence,
	ccs_delfence, ccs_lsfence, ccs_addnodeids;
/* ccs_rm.c: services and failover domains; ccs_res.c: resources */
ccs_fn ccs_addservice, ccs_delservice, ccs_lsservice, ccs_adddomain,
	ccs_deldomain, ccs_lsdomain;
ccs_fn ccs_addresource, ccs_delresource, ccs_lsresource;

/* The first child elem of parent (may be NULL) whose attribute attr is
 * value. */
struct xml_node *ccs_find(const struct xml_node *parent, const char *elem,
			  const char *attr, const char *value);

/* Split "key=value": the key (heap) and *value; dies on anything else. */
char *ccs_pair(const char *arg, const char **value);

/* 1 if word is one of the space-separated words of list. */
int ccs_in(const char *word, const char *list);

/* Print prefix and " k=v" for each attribute of n not in skip (a word
 * list), then a newline; nothing if there is none.  1 if printed. */
int ccs_props(const struct xml_node *n, const char *prefix,
	      const char *skip);

/* The child element name of parent; made where missing, before the
 * first child named in the word list before (else last), so sections
 * keep the order people expect to read them in. */
struct xml_node *ccs_need(struct xml_node *parent, const char *name,
			  const char *before);

/* s, or def when s is NULL. */
const char *ccs_or(const char *s, const char *def);

/* ccs_rm.c, for resources too: */
struct schema_type;
/* ATTR=VALUE operands onto el, each checked: known to t, given once, a
 * value of the right form. */
void ccs_set_attrs(const struct schema_type *t, struct xml_node *el,
		   char **arg, int narg);
/* Dies unless el has every attribute t requires. */
void ccs_need_attrs(const struct schema_type *t, const struct xml_node *el);
/* <rm> (section NULL) or its <failoverdomains> or <resources>, made
 * where missing. */
struct xml_node *ccs_rm(struct ccs *c, const char *section);
/* The service called name; dies if there is none. */
struct xml_node *ccs_service(const struct ccs *c, const char *name);
/* A service's name: its own, or the one its ref= gives it ("?"). */
const char *ccs_service_name(const struct xml_node *s);

/* ccs_json.c: ls* --json; 0 when cmd lists nothing. */
int ccs_json(const struct ccs *c, const char *cmd);

#endif
