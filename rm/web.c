/* rm/web.c - hacluster web: a status page in a browser, its own process.
 *
 *   hacluster web [-l ADDR:PORT] [-p FILE]    serve (default 127.0.0.1:8084)
 *   hacluster web passwd [-p FILE] [USER]     write FILE (USER admin)
 *
 * One request per connection, one connection at a time, each given
 * WEB_TIMEOUT_MS and WEB_MAX_REQ bytes:
 *   GET  /             the page: members, quorum, services, fencing;
 *                      it asks /api/status every 2 s
 *   GET  /api/status   clustat --json (schema 1)
 *   POST /api/action   action=relocate|enable|disable|freeze|unfreeze
 *                      &service=NAME[&node=NODE]: clusvcadm's answer as
 *                      {"rc":N,"output":S}
 * Like every other applet it asks the daemon through the control socket:
 * it runs this executable's clustat and clusvcadm.  Actions need HTTP
 * basic authentication against FILE (lines "USER:pbkdf2-sha256$ITER$
 * SALT$HASH", hex; mode 0600, written by `hacluster web passwd`), and are offered only
 * when the administrator chose the listener (-l) and FILE exists;
 * otherwise the page is read-only (403).  A request that is not one of
 * the above, or whose form is not valid, is answered 4xx and never
 * reaches the daemon. */
#include "../net/crypto.h"
#include "../net/sys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WEB_PASSWD	"/etc/cluster/web.passwd"
#define WEB_LISTEN	"127.0.0.1:8084"
#define WEB_TIMEOUT_MS	5000
#define WEB_MAX_REQ	8192
#define WEB_RUN_MS	30000	/* a relocation may take a while */

const char web_help[] =
"usage: hacluster web [-l ADDR:PORT] [-p FILE]\n"
"       hacluster web passwd [-p FILE] [USER]\n"
"Serve a status page: members, quorum, services, fencing, refreshed\n"
"every 2 s.  Relocate, enable, disable, freeze and unfreeze need a user\n"
"of FILE (HTTP basic authentication) and a listener chosen with -l;\n"
"otherwise the page is read-only.\n"
"  -l ADDR:PORT  listen there (default " WEB_LISTEN ")\n"
"  -p FILE       the password file (default " WEB_PASSWD ")\n"
"passwd reads the password from standard input (one line) and writes\n"
"USER (default admin) into FILE, mode 0600.\n";

static const char page[] =
"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>hacluster</title>"
"<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse;"
"margin:1em 0}td,th{border:1px solid #aaa;padding:4px 10px;text-align:left}"
"th{background:#eee}.bad{color:#b00}.ok{color:#070}</style></head><body>"
"<h1 id=\"title\">hacluster</h1><p id=\"quorum\"></p>"
"<h2>Members</h2><table id=\"members\"></table>"
"<h2>Services</h2><table id=\"services\"></table><p id=\"msg\"></p><script>"
"function e(t){var d=document.createElement('div');d.textContent=t;"
"return d.innerHTML}"
"function row(c,h){return '<tr>'+c.map(function(x){return '<'+h+'>'+x+"
"'</'+h+'>'}).join('')+'</tr>'}"
"function when(t){return t?new Date(t*1000).toLocaleString():''}"
"function act(a,s){var n=a=='relocate'?prompt('to node (empty: the best)',"
"''):'';if(n===null)return;var b='action='+a+'&service='+"
"encodeURIComponent(s)+(n?'&node='+encodeURIComponent(n):'');"
"fetch('/api/action',{method:'POST',body:b,headers:{'Content-Type':"
"'application/x-www-form-urlencoded'}}).then(function(r){return r.json()"
"}).then(function(j){document.getElementById('msg').textContent="
"j.error||j.output}).then(load)}"
"function load(){fetch('/api/status').then(function(r){return r.json()})"
".then(function(d){var c=d.cluster;document.getElementById('title')."
"textContent='Cluster '+c.name;var q=document.getElementById('quorum');"
"q.textContent=c.quorate?'Quorate':'Not quorate';q.className=c.quorate?"
"'ok':'bad';var m=row(['Member','ID','Status','Fencing'],'th');"
"d.members.forEach(function(x){var f=x.fencing.pending?'<b class=bad>"
"to be fenced</b>':x.fencing.last_fenced?'fenced '+when(x.fencing."
"last_fenced)+' by '+e(x.fencing.by||''):'';m+=row([e(x.name),x.id,"
"e(x.status)+(x.local?', local':''),f],'td')});document.getElementById"
"('members').innerHTML=m;var s=row(['Service','Owner','Last owner',"
"'State',''],'th');(d.services||[]).forEach(function(x){var n=e(x.name),"
"b=['relocate','enable','disable','freeze','unfreeze'].map(function(a)"
"{return '<button onclick=\"act(\\''+a+'\\',\\''+n+'\\')\">'+a+"
"'</button>'}).join(' ');s+=row([n,e(x.owner||''),e(x.last_owner||''),"
"e(x.state)+(x.frozen?' (frozen)':''),b],'td')});document.getElementById"
"('services').innerHTML=s}).catch(function(){document.getElementById("
"'quorum').textContent='no answer from the cluster daemon'})}"
"load();setInterval(load,2000)</script></body></html>\n";

static struct {
	const char *passwd;
	int chosen;		/* -l given: actions may be offered */
} W = { WEB_PASSWD, 0 };

/* --- this executable's applets, their output captured --------------------- */
/* Run `hacluster ARGS...`: its exit code (-1: it did not run), its
 * standard output and error into out; killed after WEB_RUN_MS. */
static int run_self(char *const args[], struct buf *out)
{
	int p[2], status = 0;
	int64_t end = now_ms() + WEB_RUN_MS;
	char b[4096];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv("/proc/self/exe", args);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		struct pollfd f = { p[0], POLLIN, 0 };
		int64_t left = end - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&f, 1, (int)left) <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		if ((n = read(p[0], b, sizeof b)) <= 0)
			break;
		buf_add(out, b, (size_t)n);
	}
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* --- HTTP ------------------------------------------------------------------ */
static const char *reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Payload Too Large";
	default: return "Service Unavailable";
	}
}

static void reply(int fd, int code, const char *type, const char *body,
		  size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof head, "HTTP/1.0 %d %s\r\nContent-Type: "
			 "%s\r\nContent-Length: %zu\r\nCache-Control: no-store"
			 "\r\nX-Content-Type-Options: nosniff\r\n%sConnection: "
			 "close\r\n\r\n", code, reason(code), type, len,
			 code == 401 ? "WWW-Authenticate: Basic realm=\"hacluster"
			 "\"\r\n" : "");

	if (write(fd, head, (size_t)n) < 0 || write(fd, body, len) < 0) {
		/* the client went away */
	}
}

/* {"error":TEXT} with code; 0 */
static int fail(int fd, int code, const char *text)
{
	struct buf b = { 0 };

	buf_puts(&b, "{\"error\":");
	buf_json(&b, text, strlen(text));
	buf_puts(&b, "}\n");
	reply(fd, code, "application/json", b.p, b.len);
	buf_free(&b);
	return 0;
}

/* The request into req (NUL-ended), head and body: 0, or an HTTP code. */
static int read_request(int fd, struct buf *req, char **body)
{
	int64_t end = now_ms() + WEB_TIMEOUT_MS;
	long want = -1;
	char b[2048], *h, *cl;

	for (;;) {
		struct pollfd f = { fd, POLLIN, 0 };
		int64_t left = end - now_ms();
		ssize_t n;

		if ((h = req->p ? strstr(req->p, "\r\n\r\n") : NULL)) {
			if (want < 0) {
				cl = strcasestr(req->p, "\r\ncontent-length:");
				want = cl && cl < h ? strtol(cl + 17, NULL, 10) : 0;
				if (want < 0 || want > WEB_MAX_REQ)
					return 413;
			}
			if ((long)(req->len - (size_t)(h + 4 - req->p)) >= want) {
				*body = h + 4;
				h[2] = 0;	/* the head ends with one CRLF */
				return 0;
			}
		}
		if (req->len > WEB_MAX_REQ)
			return 413;
		if (left <= 0 || poll(&f, 1, (int)left) <= 0)
			return 408;
		if ((n = read(fd, b, sizeof b)) <= 0)
			return 400;
		buf_add(req, b, (size_t)n);
	}
}

/* The value of field name in an urlencoded form, decoded into out: 1,
 * 0 when absent, -1 when badly encoded or too long. */
static int form_get(const char *form, const char *name, char *out, size_t n)
{
	size_t len = strlen(name), k = 0;
	const char *p = form;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == '=') {
			for (p += len + 1; *p && *p != '&'; p++) {
				int c = (unsigned char)*p;
				unsigned v;

				if (c == '+')
					c = ' ';
				else if (c == '%') {
					if (sscanf(p + 1, "%2x", &v) != 1 ||
					    !p[1] || !p[2])
						return -1;
					c = (int)v;
					p += 2;
				}
				if (k + 1 >= n)
					return -1;
				out[k++] = (char)c;
			}
			out[k] = 0;
			return 1;
		}
		if ((p = strchr(p, '&')))
			p++;
	}
	return 0;
}

/* A service or node name we pass on: letters, digits, . _ - : only. */
static int plain(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-:", *s))
			return 0;
	return 1;
}

/* --- authentication ---------------------------------------------------------- */
#define PW_ITER		100000
#define PW_SALT		16

/* PBKDF2-HMAC-SHA256 (RFC 8018), one block: out = U1 ^ ... ^ Uiter */
static void pbkdf2(const char *pw, const uint8_t *salt, size_t saltlen,
		   long iter, uint8_t out[CRYPTO_HASH_LEN])
{
	uint8_t u[CRYPTO_HASH_LEN], one[PW_SALT + 4];
	struct crypto_hmac_ctx keyed, c;

	crypto_hmac_init(&keyed, pw, strlen(pw));	/* once: the pads */
	memcpy(one, salt, saltlen);
	memcpy(one + saltlen, "\0\0\0\1", 4);
	c = keyed;
	crypto_hmac_update(&c, one, saltlen + 4);
	crypto_hmac_final(&c, u);
	memcpy(out, u, sizeof u);
	for (long i = 1; i < iter; i++) {
		c = keyed;
		crypto_hmac_update(&c, u, sizeof u);
		crypto_hmac_final(&c, u);
		for (size_t k = 0; k < sizeof u; k++)
			out[k] ^= u[k];
	}
	crypto_wipe(u, sizeof u);
	crypto_wipe(&keyed, sizeof keyed);
	crypto_wipe(&c, sizeof c);
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int unhex(const char *s, uint8_t *b, size_t n)
{
	unsigned v;

	for (size_t i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (uint8_t)v;
	}
	return s[2 * n] && s[2 * n] != '$' ? -1 : 0;
}

/* pw against "pbkdf2-sha256$ITER$SALT$HASH": 1 when it matches */
static int pw_matches(const char *pw, const char *stored)
{
	uint8_t salt[PW_SALT], want[CRYPTO_HASH_LEN], got[CRYPTO_HASH_LEN];
	const char *p;
	char *end;
	long iter;

	if (strncmp(stored, "pbkdf2-sha256$", 14))
		return 0;
	iter = strtol(stored + 14, &end, 10);
	if (*end != '$' || iter < 1 || iter > 10000000 ||
	    unhex(end + 1, salt, PW_SALT) < 0 ||
	    !(p = strchr(end + 1, '$')) || unhex(p + 1, want, sizeof want) < 0)
		return 0;
	pbkdf2(pw, salt, PW_SALT, iter, got);
	return crypto_memeq(got, want, sizeof got);
}

static int b64val(int c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789+/", *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

static int b64decode(const char *in, char *out, size_t n)
{
	size_t k = 0;
	unsigned acc = 0;
	int bits = 0, v;

	for (; *in && *in != '=' && *in != '\r'; in++) {
		if ((v = b64val(*in)) < 0)
			return -1;
		acc = acc << 6 | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (k + 1 >= n)
				return -1;
			out[k++] = (char)(acc >> bits & 0xff);
		}
	}
	out[k] = 0;
	return 0;
}

/* The user of the request's basic credentials, checked against the
 * password file: 1 good, 0 not. */
static int authorized(const char *head)
{
	const char *a = strcasestr(head, "\r\nauthorization: basic ");
	char cred[256], line[512], *pw;
	FILE *f;
	int ok = 0;

	if (!a || b64decode(a + 23, cred, sizeof cred) < 0 ||
	    !(pw = strchr(cred, ':')))
		return 0;
	*pw++ = 0;
	if (!(f = fopen(W.passwd, "re")))
		return 0;
	while (!ok && fgets(line, sizeof line, f)) {
		char *hash = strchr(line, ':');

		if (!hash)
			continue;
		*hash++ = 0;
		hash[strcspn(hash, "\r\n")] = 0;
		ok = !strcmp(line, cred) && pw_matches(pw, hash);
	}
	fclose(f);
	return ok;
}

/* Actions are offered: a chosen listener and a password file that only
 * root can read. */
static const char *read_only(void)
{
	struct stat st;

	if (!W.chosen)
		return "read-only: the listener was not chosen (hacluster web "
		       "-l ADDR:PORT)";
	if (stat(W.passwd, &st) < 0)
		return "read-only: no password file (hacluster web passwd)";
	if (st.st_uid != 0 || (st.st_mode & 077))
		return "read-only: the password file must be root's, mode 0600";
	return NULL;
}

/* --- the routes ---------------------------------------------------------------- */
static void status(int fd)
{
	char *args[] = { "hacluster", "clustat", "--json", NULL };
	struct buf out = { 0 };
	int rc = run_self(args, &out);

	if (out.len && out.p[0] == '{')
		reply(fd, 200, "application/json", out.p, out.len);
	else
		fail(fd, 503, rc < 0 ? "clustat did not run" :
		     "no answer from the cluster daemon");
	buf_free(&out);
}

static const struct { const char *action, *flag; } actions[] = {
	{ "relocate", "-r" }, { "enable", "-e" }, { "disable", "-d" },
	{ "freeze", "-Z" }, { "unfreeze", "-U" },
};

static int action(int fd, const char *head, const char *form)
{
	char what[32], svc[128], node[128];
	char *args[8] = { "hacluster", "clusvcadm" };
	const char *why = read_only(), *flag = NULL;
	struct buf out = { 0 }, json = { 0 };
	int n = 2, rc, got;

	if (why)
		return fail(fd, 403, why);
	if (!authorized(head))
		return fail(fd, 401, "a user of the password file is needed");
	if (form_get(form, "action", what, sizeof what) != 1 ||
	    form_get(form, "service", svc, sizeof svc) != 1 || !plain(svc))
		return fail(fd, 400, "action= and service= are needed (a "
			    "service name: letters, digits, . _ - :)");
	for (size_t i = 0; i < ARRAY_LEN(actions); i++)
		if (!strcmp(actions[i].action, what))
			flag = actions[i].flag;
	if (!flag)
		return fail(fd, 400, "action: relocate, enable, disable, "
			    "freeze or unfreeze");
	got = form_get(form, "node", node, sizeof node);
	if (got < 0 || (got && *node && (!plain(node) ||
			 (strcmp(what, "relocate") && strcmp(what, "enable")))))
		return fail(fd, 400, "node= is a node name, for relocate and "
			    "enable only");
	args[n++] = (char *)flag;
	args[n++] = svc;
	if (got && *node) {
		args[n++] = "-m";
		args[n++] = node;
	}
	args[n] = NULL;
	rc = run_self(args, &out);
	buf_printf(&json, "{\"rc\":%d,\"output\":", rc);
	buf_json(&json, out.p ? out.p : "", out.len);
	buf_puts(&json, "}\n");
	reply(fd, 200, "application/json", json.p, json.len);
	buf_free(&out);
	buf_free(&json);
	return 0;
}

static void serve(int fd)
{
	struct buf req = { 0 };
	char *body = NULL, method[8] = "", path[128] = "";
	int code = read_request(fd, &req, &body);

	if (!code && sscanf(req.p, "%7s %127s HTTP/1.%*c", method, path) != 2)
		code = 400;
	if (code)
		fail(fd, code, code == 408 ? "the request took too long" :
		     code == 413 ? "the request is too large" :
		     "not an HTTP request");
	else if (!strcmp(path, "/api/action") && !strcmp(method, "POST"))
		action(fd, req.p, body);
	else if (!strcmp(path, "/api/action"))
		fail(fd, 405, "POST only");
	else if (strcmp(path, "/") && strcmp(path, "/api/status"))
		fail(fd, 404, "no such page");
	else if (strcmp(method, "GET"))
		fail(fd, 405, "GET only");
	else if (path[1])
		status(fd);
	else
		reply(fd, 200, "text/html; charset=utf-8", page, strlen(page));
	buf_free(&req);
}

static int listen_on(const char *spec)
{
	char host[64];
	const char *colon = strrchr(spec, ':');
	struct sockaddr_in a = { .sin_family = AF_INET };
	long port;
	int fd, one = 1;

	if (!colon || (size_t)(colon - spec) >= sizeof host ||
	    parse_int(colon + 1, 1, 65535, &port) < 0)
		die_usage("-l needs ADDR:PORT (IPv4), not '%s'", spec);
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = 0;
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
		die_usage("-l needs ADDR:PORT (IPv4), not '%s'", spec);
	a.sin_port = htons((uint16_t)port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 16) < 0)
		die_sys("cannot listen on %s", spec);
	return fd;
}

/* --- hacluster web passwd ---------------------------------------------------- */
static int passwd(const char *user)
{
	uint8_t salt[PW_SALT], h[CRYPTO_HASH_LEN];
	char pw[256], hs[2 * PW_SALT + 1], hh[2 * CRYPTO_HASH_LEN + 1], *line;

	if (!plain(user))
		die_usage("a user name: letters, digits, . _ - :");
	if (!fgets(pw, sizeof pw, stdin) || !*pw || *pw == '\n')
		die("no password on standard input");
	pw[strcspn(pw, "\r\n")] = 0;
	if (getrandom(salt, sizeof salt, 0) != sizeof salt)
		die_sys("getrandom");
	pbkdf2(pw, salt, sizeof salt, PW_ITER, h);
	crypto_wipe(pw, sizeof pw);
	hex(salt, sizeof salt, hs);
	hex(h, sizeof h, hh);
	line = xasprintf("%s:pbkdf2-sha256$%d$%s$%s\n", user, PW_ITER, hs, hh);
	if (replace_file(W.passwd, line, strlen(line), 0600, NULL) < 0)
		die_sys("%s", W.passwd);
	free(line);
	printf("%s: user %s\n", W.passwd, user);
	return 0;
}

int web_main(int argc, char **argv)
{
	const char *spec = WEB_LISTEN;
	int opt, fd, is_passwd = argc > 1 && !strcmp(argv[1], "passwd");

	if (is_passwd)
		argc--, argv++;
	opterr = 0;
	while ((opt = getopt(argc, argv, is_passwd ? ":p:h" : ":l:p:h")) != -1)
		switch (opt) {
		case 'l': spec = optarg; W.chosen = 1; break;
		case 'p': W.passwd = optarg; break;
		case 'h': fputs(web_help, stdout); return 0;
		default: die_option(opt, argc, argv);
		}
	if (is_passwd)
		return passwd(optind < argc ? argv[optind] : "admin");
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	signal(SIGPIPE, SIG_IGN);
	fd = listen_on(spec);
	printf("hacluster web: http://%s/ (%s)\n", spec, read_only() ?
	       read_only() : "actions for the users of the password file");
	fflush(stdout);
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0)
			continue;
		serve(c);
		close(c);
	}
}
