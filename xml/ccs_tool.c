/* xml/ccs_tool.c - the ccs_tool applet: options, the command table and
 * the load / lock, edit, save frame around every command (spec 3.5).
 *
 * `ccs_tool [-c FILE] [-o FILE] [-C] [-F] COMMAND [ARGS]`.  Options may
 * also follow the command and mix with its operands, as the original's
 * examples do (`addnode node1 -n 1 -f apc port=1`): getopt's "-" mode
 * hands the operands over in order.  Usage texts asked for (-h) go to
 * stderr with exit status 0, as in the original; a usage error names
 * what is wrong, shows the usage and exits 2; other errors are
 * "ccs_tool: msg", exit 1, and an unknown command exits 1 (spec 3.5).
 *
 * An edit is judged by the validator as a whole file before anything is
 * written, and leaves no lock file behind, however it ends.
 * `ccs_tool update FILE` asks the local daemon to spread FILE (quorum/ccsd.c
 * checks and sends it; the reply comes once every member switched).  An
 * edit of the configuration in place goes through that update when a
 * daemon runs here, and the file changes only if the cluster took it;
 * with no daemon it is saved here, with one line saying so. */
#include "ccs.h"
#include "validate.h"
#include "conf.h"
#include "../net/ctl.h"

#include <limits.h>

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char ccs_tool_help[] =
"usage: ccs_tool [-c FILE] [-o FILE] [-C] [-F] COMMAND [OPTIONS] [ARGS]\n"
"\n"
"Create, edit and list cluster.conf (default " CONF_PATH ").\n"
"An edit adds 1 to config_version while holding FILE.lock, keeps the\n"
"previous file as FILE.old and FILE.bak.1..3, and replaces FILE atomically.\n"
"Options may also follow the command; COMMAND -h shows its usage.\n"
"\n"
"  -c, --configfile FILE  read and edit FILE\n"
"  -o, --outputfile FILE  write the result to FILE instead (- = stdout)\n"
"  -C, --no_ccs           do not update the running cluster after an edit\n"
"  -F, --force_ccs        update it even when writing to another file\n"
"  -h, --help             this text\n"
"\n"
"Commands:\n"
"  create [-2] NAME                write a skeleton file (-2: two nodes)\n"
"  addnode NODE -n ID -f FENCEDEV [-v VOTES] [-a ALTNAME] [KEY=VALUE...]\n"
"  delnode NODE                    remove a node\n"
"  lsnode [-v]                     list the nodes\n"
"  addfence NAME AGENT [KEY=VALUE...]  add a fence device\n"
"  delfence NAME                   remove a fence device\n"
"  lsfence [-v]                    list the fence devices\n"
"  addnodeids [-n FIRST] [-m MCAST] [-v]  number the nodes without an ID\n"
"  addservice [-V] NAME [ATTR=VALUE...] add a service (-V: a vm)\n"
"  delservice NAME                 remove a service\n"
"  lsservice [-v]                  list the services (-v: resources too)\n"
"  addresource TYPE ATTR=VALUE... [-s SERVICE]  add a resource\n"
"  delresource TYPE NAME [-s SERVICE]  remove a resource\n"
"  lsresource [-v]                 list the resources\n"
"  adddomain NAME [-o] [-r] [-n] NODE[:PRIORITY]...  add a failover domain\n"
"  deldomain NAME                  remove a failover domain\n"
"  lsdomain [-v]                   list the failover domains\n"
"  update FILE                     spread FILE to the running cluster\n"
"  help                            this text\n"
"\n"
"Exit status: 0 done; 1 refused, nothing written (an edit that would\n"
"leave the file invalid, or that the running cluster did not take);\n"
"2 usage error.\n";

enum kind { K_PLAIN, K_READ, K_EDIT, K_NEW };

struct cmd {
	const char *name;
	ccs_fn *fn;
	enum kind kind;
	const char *opts;	/* its own getopt letters */
	const char *ints;	/* those taking a non-negative integer */
	const char *need;	/* those it cannot do without (else usage) */
	int min, max;		/* operands; max -1: any number */
	const char *usage;	/* after "Usage: ccs_tool NAME " */
};

static ccs_fn cmd_update, cmd_help;

#define LIST "[options]\n -v --verbose       Print all properties of the item\n" \
	" -j --json          One JSON object (schema 1): the elements as written\n"
#define DEL "[options] <name>\n"
#define PAIRS "[<attr>=<value>]...\n"

static const struct cmd cmds[] = {
	{ "create", ccs_create, K_NEW, "2", "", "", 1, 1,
	  "[-2] <clustername>\n"
	  " -2                 Create a two-node cluster (cman two_node)\n" },
	{ "addnode", ccs_addnode, K_EDIT, "n:v:a:f:", "nv", "f", 1, -1,
	  "[options] <nodename> [<fencearg>=<value>]...\n"
	  " -n --nodeid        Nodeid (required)\n"
	  " -v --votes         Number of votes for this node (default 1)\n"
	  " -a --altname       Second name (interface) of a multihomed host\n"
	  " -f --fence_type    Fence device to use (required)\n" },
	{ "delnode", ccs_delnode, K_EDIT, "", "", "", 1, 1, DEL },
	{ "lsnode", ccs_lsnode, K_READ, "vj", "", "", 0, 0, LIST },
	{ "addfence", ccs_addfence, K_EDIT, "", "", "", 2, -1,
	  "[options] <name> <agent> [param=value]\n" },
	{ "delfence", ccs_delfence, K_EDIT, "", "", "", 1, 1, DEL },
	{ "lsfence", ccs_lsfence, K_READ, "vj", "", "", 0, 0, LIST },
	{ "addnodeids", ccs_addnodeids, K_EDIT, "n:m:v", "n", "", 0, 0,
	  "[options]\n"
	  " -n --nodeid        Nodeid to start with (default 1)\n"
	  " -m --multicast     Set or change the multicast address\n"
	  " -v --verbose       Print nodeids that are assigned\n" },
	{ "addservice", ccs_addservice, K_EDIT, "V", "", "", 1, -1,
	  "[options] <name> " PAIRS
	  " -V --vm            A virtual machine (<vm>), not a <service>\n" },
	{ "delservice", ccs_delservice, K_EDIT, "", "", "", 1, 1, DEL },
	{ "lsservice", ccs_lsservice, K_READ, "vj", "", "", 0, 0, LIST },
	{ "addresource", ccs_addresource, K_EDIT, "s:", "", "", 1, -1,
	  "[options] <type> " PAIRS
	  " -s --service       Put it inline into this service (else global;\n"
	  "                    ref=<name> then refers to a global one)\n" },
	{ "delresource", ccs_delresource, K_EDIT, "s:", "", "", 2, 2,
	  "[options] <type> <name>\n"
	  " -s --service       Remove it from this service (else global)\n" },
	{ "lsresource", ccs_lsresource, K_READ, "vj", "", "", 0, 0, LIST },
	{ "adddomain", ccs_adddomain, K_EDIT, "orn", "", "", 2, -1,
	  "[options] <name> <node>[:<priority>]...\n"
	  " -o --ordered       Prefer nodes by priority (1 = most preferred)\n"
	  " -r --restricted    Run only on these nodes\n"
	  " -n --nofailback    Do not move back to a more preferred node\n" },
	{ "deldomain", ccs_deldomain, K_EDIT, "", "", "", 1, 1, DEL },
	{ "lsdomain", ccs_lsdomain, K_READ, "vj", "", "", 0, 0, LIST },
	{ "update", cmd_update, K_PLAIN, "", "", "", 1, 1, "<xml file>\n" },
	{ "help", cmd_help, K_PLAIN, "", "", "", 0, -1, "\n" },
};

/* Long names; a command gets those whose letter and argument match its
 * own options, and always the common ones (c O C F h). */
enum { OPT_OUT = 'O' };
static const struct option named[] = {
	{ "configfile", required_argument, 0, 'c' },
	{ "outputfile", required_argument, 0, OPT_OUT },
	{ "no_ccs", no_argument, 0, 'C' },
	{ "force_ccs", no_argument, 0, 'F' },
	{ "help", no_argument, 0, 'h' },
	{ "nodeid", required_argument, 0, 'n' },
	{ "votes", required_argument, 0, 'v' },
	{ "verbose", no_argument, 0, 'v' },
	{ "json", no_argument, 0, 'j' },
	{ "altname", required_argument, 0, 'a' },
	{ "fence_type", required_argument, 0, 'f' },
	{ "multicast", required_argument, 0, 'm' },
	{ "service", required_argument, 0, 's' },
	{ "ordered", no_argument, 0, 'o' },
	{ "restricted", no_argument, 0, 'r' },
	{ "nofailback", no_argument, 0, 'n' },
	{ "vm", no_argument, 0, 'V' },
};

static const char try_help[] = "Try 'ccs_tool help' for help.\n";

static int owns(const struct cmd *cmd, int letter)
{
	return letter > 0 && strchr(cmd->opts, letter) != NULL;
}

/* Its usage on stderr: exit 0 when asked for (-h), as the original;
 * 2 after a usage error. */
static void usage(const struct cmd *cmd, int code)
{
	int rw = cmd->kind == K_EDIT;

	fprintf(stderr, "Usage: ccs_tool %s %s", cmd->name, cmd->usage);
	fputs(" -c --configfile    Name of configuration file (" CONF_PATH
	      ")\n", stderr);
	if (rw)
		fprintf(stderr, " %s --outputfile    Name of output file "
			"(defaults to same as --configfile)\n"
			" -C --no_ccs        Don't mention the cluster update\n"
			" -F --force_ccs     Mention it even if the output file"
			" differs\n", owns(cmd, 'o') ? "  " : "-o");
	fputs(" -h --help          Display this help text\n", stderr);
	exit(code);
}

static void PRINTF(2, 3) bad_usage(const struct cmd *cmd, const char *fmt,
				   ...)
{
	va_list ap;

	fprintf(stderr, "ccs_tool: %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage(cmd, EXIT_USAGE);
}

/* The n-th operand the usage text names without brackets ("<nodename>"
 * of "[options] <nodename> [...]"), into out. */
static const char *operand(const struct cmd *cmd, int n, char *out,
			   size_t size)
{
	const char *p = cmd->usage;
	int depth = 0;

	for (; *p && *p != '\n'; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (*p == '<' && !depth && n-- == 0) {
			snprintf(out, size, "%.*s", (int)strcspn(p, ">") + 1,
				 p);
			return out;
		}
	}
	return "an argument";
}

/* What getopt (opterr 0) refused, as the user wrote it: an unknown
 * option, or a known one without its value. */
static const char *refused_opt(int argc, char **argv, const char *optstr,
			       char *out, size_t size)
{
	const char *arg = optind <= argc ? argv[optind - 1] : "";
	int lng = arg[0] == '-' && arg[1] == '-';
	int known = optopt && strchr(optstr, optopt);
	int n;

	if (lng)
		n = snprintf(out, size, "%.*s", (int)strcspn(arg, "="), arg);
	else
		n = snprintf(out, size, "-%c", optopt);
	snprintf(out + n, size - (size_t)n, known ? " needs a value" :
		 ": no such option");
	return out;
}

static void bad_int(int letter, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end)
		die("argument to %c (%s) is not an integer", letter, s);
	if (v < 0)
		die("argument to %c cannot be negative", letter);
	if (v > 1000000000L)
		die("argument to %c (%s) is too large", letter, s);
}

/* The common options, before or after the command. */
static int common_opt(struct ccs *c, int letter, const char *arg)
{
	switch (letter) {
	case 'c': c->conf = arg; return 1;
	case OPT_OUT: c->out = arg; return 1;
	case 'C': c->no_update = 1; return 1;
	case 'F': c->force_update = 1; return 1;
	}
	return 0;
}

static void longs_for(const struct cmd *cmd, struct option *lo)
{
	int n = 0;

	for (size_t i = 0; i < ARRAY_LEN(named); i++) {
		const char *p = strchr(cmd->opts, named[i].val);
		int arg = named[i].has_arg == required_argument;

		if (strchr("cOCFh", named[i].val) ||
		    (p && (p[1] == ':') == arg))
			lo[n++] = named[i];
	}
	lo[n] = (struct option){ 0, 0, 0, 0 };
}

static void command_opt(struct ccs *c, const struct cmd *cmd, int letter,
			const char *arg)
{
	if (letter == 'o' && !owns(cmd, 'o'))
		letter = OPT_OUT;
	if (common_opt(c, letter, arg))
		return;
	if (letter == 'h')
		usage(cmd, 0);
	if (!owns(cmd, letter) || letter >= 128)
		bad_usage(cmd, "option -%c is not one of its options", letter);
	if (strchr(cmd->ints, letter))
		bad_int(letter, arg);
	c->opt[letter] = arg ? arg : "";
}

/* argv[0] is the command.  Operands come back from getopt as 1, in
 * order, wherever they stand; after "--" getopt stops. */
static void command_opts(struct ccs *c, const struct cmd *cmd, int argc,
			 char **argv)
{
	struct option lo[ARRAY_LEN(named) + 1];
	char optstr[48], why[80];
	int ch;

	snprintf(optstr, sizeof optstr, "-%sc:CFh%s", cmd->opts,
		 owns(cmd, 'o') ? "" : "o:");
	longs_for(cmd, lo);
	argv[0] = (char *)"ccs_tool";
	c->arg = xcalloc((size_t)argc, sizeof *c->arg);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, optstr, lo, NULL)) != -1) {
		if (ch == 1)
			c->arg[c->narg++] = optarg;
		else if (ch == '?')
			bad_usage(cmd, "%s", refused_opt(argc, argv, optstr + 1, why,
							 sizeof why));
		else
			command_opt(c, cmd, ch, optarg);
	}
	while (optind < argc)
		c->arg[c->narg++] = argv[optind++];
}

/* The options before the command; returns the command's index. */
static int global_opts(struct ccs *c, int argc, char **argv)
{
	static const struct cmd none = { .opts = "" };
	struct option lo[ARRAY_LEN(named) + 1];
	int ch;

	char why[80];

	longs_for(&none, lo);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+c:o:CFh", lo, NULL)) != -1) {
		if (ch == 'h') {
			fputs(ccs_tool_help, stdout);
			exit(0);
		}
		if (!common_opt(c, ch == 'o' ? OPT_OUT : ch, optarg)) {
			fprintf(stderr, "ccs_tool: %s\n%s", refused_opt(argc, argv,
				"c:o:CFh", why, sizeof why), try_help);
			exit(EXIT_USAGE);
		}
	}
	return optind;
}

/* --- loading and saving ------------------------------------------------ */

static void find_root(struct ccs *c)
{
	c->root = xml_root(c->doc);
	if (!c->root || strcmp(c->root->name, "cluster"))
		die("%s: the root element is not <cluster>", c->conf);
}

static void load(struct ccs *c)
{
	struct xml_err err;

	c->doc = xml_load(c->conf, &err);
	if (!c->doc) {
		xml_perror(c->conf, &err);
		exit(1);
	}
	find_root(c);
}

static void bump_version(struct ccs *c)
{
	const char *v = xml_get(c->root, "config_version");
	long n;

	if (!v)
		die("Can't find \"config_version\" in config file");
	if (parse_int(v, 0, 2000000000L, &n) < 0)
		die("config_version \"%s\" is not a valid integer", v);
	xml_setf(c->root, "config_version", "%ld", n + 1);
}

static int to_stdout(const struct ccs *c)
{
	return !strcmp(c->out, "-");
}

/* Lock what is written before reading: -o may name the same file. */
static void open_edit(struct ccs *c)
{
	if (!strcmp(c->out, c->conf)) {
		c->doc = store_begin(&c->st, c->conf);
		if (!c->doc)
			die("%s", c->st.err);
		find_root(c);
	} else {
		if (!to_stdout(c) && store_lock(&c->st, c->out) < 0)
			die("%s", c->st.err);
		load(c);
	}
	bump_version(c);
}

/* Every problem the validator finds in doc. */
static void problems(const struct xml_node *doc, struct conf_diags *d)
{
	struct conf *cf = conf_load(doc, d);

	validate_conf(cf, d);
	conf_free(cf);
}

static int had(const struct conf_diags *d, const char *text)
{
	for (int i = 0; i < d->n; i++)
		if (d->v[i].sev == CONF_ERROR && !strcmp(d->v[i].text, text))
			return 1;
	return 0;
}

/* The validator judges the whole file as the edit leaves it: an edit
 * that adds an error is refused, with the validator's words, before
 * anything is written.  Errors the file had before are named, not
 * blamed on the edit, so that a broken file can be mended one edit at a
 * time. */
static void check_edit(struct ccs *c)
{
	struct conf_diags now = {0}, added = {0};
	struct buf b = {0};

	problems(c->doc, &now);
	for (int i = 0; i < now.n; i++)
		if (now.v[i].sev == CONF_ERROR && !had(&c->before, now.v[i].text))
			conf_diag(&added, CONF_ERROR, now.v[i].line,
				  now.v[i].col, "%s", now.v[i].text);
	conf_diags_format(&added, c->conf, &b);
	for (char *l = b.p, *nl; l && *l; l = nl + 1) {
		nl = strchr(l, '\n');
		*nl = 0;
		warn_msg("%s", l);
	}
	if (added.n)
		die("%s: nothing written: the edit would leave it invalid",
		    c->out);
	if (now.errors)
		warn_msg("warning: %s still has %d error%s from before this "
			 "edit (ccs_config_validate -c %s lists them)", c->out,
			 now.errors, now.errors == 1 ? "" : "s", c->out);
	buf_free(&b);
	conf_diags_free(&now);
	conf_diags_free(&added);
}

static void write_out(struct ccs *c)
{
	struct buf b = {0};

	if (!to_stdout(c)) {
		if (store_commit(&c->st, c->doc) < 0)
			die("%s", c->st.err);
		return;
	}
	xml_write(&b, c->doc);
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
}

/* Spread file through the local daemon (spec 7.2): 0 done, 1 refused,
 * -1 no daemon runs here. */
static int update(const char *file)
{
	char abs[PATH_MAX], req[PATH_MAX + 16];
	struct ctl_reply rep;
	int rc;

	if (!realpath(file, abs))
		die_sys("%s", file);
	snprintf(req, sizeof req, "update %s", abs);
	rc = ctl_call(CTL_PATH, req, 0, &rep);
	if (rc == CTL_UNREACHABLE) {
		ctl_reply_free(&rep);
		return -1;
	}
	if (rc == 0 && !rep.code) {
		printf("%s\nUpdate complete.\n", rep.lines.p);
	} else {
		fputs(rep.lines.p ? rep.lines.p : "", stderr);
		warn_msg("%s", rc ? "no reply from the cluster daemon" :
			 rep.err);
		fprintf(stderr, "\nFailed to update config file.\n");
		rc = 1;
	}
	ctl_reply_free(&rep);
	return rc;
}

static int wants_update(const struct ccs *c)
{
	return !to_stdout(c) && (c->force_update ||
				 (!c->no_update && !strcmp(c->out, c->conf)));
}

/* The running cluster decides first: the edit goes to OUT.new, the lock
 * is let go (the local daemon writes OUT itself when OUT is its file,
 * and must not wait for us), and OUT changes only once the cluster took
 * the new version.  A refusal leaves OUT as it was: exit 1.  0 when no
 * daemon runs here after all (the lock is held again). */
static int through_cluster(struct ccs *c)
{
	char *tmp = xasprintf("%s.new", c->out);
	const char *v = xml_get(c->root, "config_version");
	struct buf b = {0};
	struct conf *now;
	int rc;

	xml_write(&b, c->doc);
	if (replace_file(tmp, b.p, b.len, STORE_MODE, NULL) < 0)
		die_sys("%s", tmp);
	buf_free(&b);
	store_abort(&c->st);
	printf("running ccs_tool update...\n");
	fflush(stdout);
	rc = update(tmp);
	unlink(tmp);
	free(tmp);
	if (rc > 0)
		die("%s left as it was: the cluster did not take config_version "
		    "%s", c->out, v);
	if (store_lock(&c->st, c->out) < 0)
		die("%s", c->st.err);
	if (rc < 0)
		return 0;	/* it stopped meanwhile: save here */
	now = conf_read(c->out, NULL);
	if (now && now->config_version >= atoi(v))
		store_abort(&c->st);	/* the daemon wrote it, or newer */
	else
		write_out(c);
	if (now)
		conf_free(now);
	return 1;
}

/* After a valid edit: through the running cluster, or saved here with a
 * line saying that none runs here.  The exit code says which. */
static void save(struct ccs *c)
{
	check_edit(c);
	if (!wants_update(c) || !ctl_running(CTL_PATH) ||
	    !through_cluster(c)) {
		write_out(c);
		if (wants_update(c))
			warn_msg("%s: config_version %s saved; not propagated: "
				 "no cluster daemon runs here", c->out,
				 xml_get(c->root, "config_version"));
	}
}

static struct store *held;

/* However a run ends, an edit leaves no lock file behind. */
static void let_go(void)
{
	if (held)
		store_abort(held);
}

static void frame(struct ccs *c, const struct cmd *cmd)
{
	held = &c->st;
	atexit(let_go);
	if (cmd->kind == K_READ)
		load(c);
	if (cmd->kind == K_EDIT) {
		open_edit(c);
		problems(c->doc, &c->before);
	}
	if (cmd->kind == K_NEW && !to_stdout(c) &&
	    store_lock(&c->st, c->out) < 0)
		die("%s", c->st.err);
	if (cmd->kind == K_NEW && c->st.existed)
		die("%s already exists", c->out);
	if (!c->opt['j'] || !ccs_json(c, cmd->name))
		cmd->fn(c);
	if (cmd->kind == K_NEW)
		check_edit(c), write_out(c);
	if (cmd->kind == K_EDIT)
		save(c);
}

static void cmd_update(struct ccs *c)
{
	int rc;

	if ((rc = update(c->arg[0])) < 0)
		die("Cannot open connection to cman, is it running ?");
	exit(rc);
}

static void cmd_help(struct ccs *c)
{
	fputs(ccs_tool_help, stdout);
}

/* --- helpers for the command files ------------------------------------- */

struct xml_node *ccs_find(const struct xml_node *parent, const char *elem,
			  const char *attr, const char *value)
{
	struct xml_node *n;
	const char *v;

	xml_each(n, parent, elem)
		if ((v = xml_get(n, attr)) && !strcmp(v, value))
			return n;
	return NULL;
}

/* An attribute name the writer can put out as it is. */
static int xml_name_ok(const char *s)
{
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return 0;
	while (*s && (isalnum((unsigned char)*s) || strchr("_.-", *s)))
		s++;
	return !*s;
}

char *ccs_pair(const char *arg, const char **value)
{
	const char *eq = strchr(arg, '=');
	char *key;

	if (!eq || eq == arg)
		die("option '%s' is not opt=value pair", arg);
	key = xstrndup(arg, (size_t)(eq - arg));
	if (!xml_name_ok(key))
		die("'%s' is not a valid attribute name", key);
	*value = eq + 1;
	return key;
}

int ccs_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; p += strspn(p, " ")) {
		size_t len = strcspn(p, " ");
		if (len == n && !strncmp(p, word, n))
			return 1;
		p += len;
	}
	return 0;
}

int ccs_props(const struct xml_node *n, const char *prefix,
	      const char *skip)
{
	int any = 0;

	for (int i = 0; n && i < n->nattrs; i++) {
		if (ccs_in(n->attrs[i].name, skip))
			continue;
		if (!any++)
			fputs(prefix, stdout);
		printf(" %s=%s", n->attrs[i].name, n->attrs[i].value);
	}
	if (any)
		putchar('\n');
	return any > 0;
}

/* xml.h only appends; link n in right before next. */
struct xml_node *ccs_need(struct xml_node *parent, const char *name,
			  const char *before)
{
	struct xml_node *n = xml_child(parent, name), *k;

	if (n)
		return n;
	xml_each(k, parent, NULL)
		if (ccs_in(k->name, before))
			break;
	if (!k)
		return xml_add(parent, name);
	n = xml_new(XML_ELEM, name, NULL);
	xml_insert_before(k, n);
	return n;
}

const char *ccs_or(const char *s, const char *def)
{
	return s ? s : def;
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

/* The long name of the command's option letter. */
static const char *long_name(const struct cmd *cmd, int letter)
{
	struct option lo[ARRAY_LEN(named) + 1];

	longs_for(cmd, lo);
	for (int i = 0; lo[i].name; i++)
		if (lo[i].val == letter)
			return lo[i].name;
	return "";
}

static void check_counts(struct ccs *c, const struct cmd *cmd)
{
	char name[40];

	if (c->narg < cmd->min)
		bad_usage(cmd, "%s is missing", operand(cmd, c->narg, name,
							 sizeof name));
	for (const char *p = cmd->need; *p; p++)
		if (!c->opt[(unsigned char)*p])
			bad_usage(cmd, "option -%c (--%s) is required", *p,
				  long_name(cmd, *p));
	if (cmd->max >= 0 && c->narg > cmd->max)
		bad_usage(cmd, "unexpected argument '%s'", c->arg[cmd->max]);
}

int ccs_tool_main(int argc, char **argv)
{
	struct ccs c = { .conf = CONF_PATH };
	const struct cmd *cmd;
	int i;

	if (argc < 2) {
		fputs(ccs_tool_help, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-verbose")) {	/* the original's; no effect */
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	i = global_opts(&c, argc, argv);
	if (i >= argc) {
		fprintf(stderr, "Too few arguments.\n%s", try_help);
		return EXIT_USAGE;
	}
	cmd = find_cmd(argv[i]);
	if (!cmd) {
		fprintf(stderr, "Unknown command, %s.\n%s", argv[i], try_help);
		return 1;
	}
	command_opts(&c, cmd, argc - i, argv + i);
	if (!c.out)
		c.out = c.conf;
	check_counts(&c, cmd);
	frame(&c, cmd);
	return 0;
}
