/* xml/schema.c - the resource-type table (spec 3.2, 3.3).
 *
 * One table serves validation, ccs_tool, start/stop order and, later, the
 * agents' metadata.  Attribute order is the agents' metadata order with
 * the primary attribute first. */
#include "schema.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define END { 0, 0, 0, 0 }
#define REQ SA_REQUIRED
#define PRI (SA_PRIMARY | SA_UNIQUE)
#define B SA_BOOL
#define I SA_INT
#define T SA_TIME

static const struct schema_attr service_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "domain", 0, 0, 0 },
	{ "autostart", B, "1", 0 }, { "exclusive", B, "0", 0 },
	{ "recovery", 0, "restart", 0 }, { "max_restarts", I, "0", 0 },
	{ "restart_expire_time", T, "0", 0 }, { "depend", 0, 0, 0 },
	{ "depend_mode", 0, "hard", 0 }, { "nfslock", B, "0", 0 },
	{ "hardrecovery", B, "0", 0 }, { "nfs_client_cache", B, "0", 0 },
	{ "priority", I, "0", 0 }, END
};

/* vm's and the application agents' booleans are the agents' own words
 * (true/false, 1/0), not rgmanager's yes/no: kept as text. */
static const struct schema_attr vm_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "domain", 0, 0, 0 },
	{ "autostart", B, "1", 0 }, { "exclusive", B, "0", 0 },
	{ "recovery", 0, "restart", 0 }, { "migrate", 0, "live", 0 },
	{ "path", 0, 0, 0 }, { "depend", 0, 0, 0 },
	{ "depend_mode", 0, "hard", 0 }, { "max_restarts", I, "0", 0 },
	{ "restart_expire_time", T, "0", 0 }, { "priority", I, "0", 0 },
	{ "use_virsh", B, 0, 0 }, { "xmlfile", 0, 0, 0 },
	{ "migration_mapping", 0, 0, 0 }, { "hypervisor", 0, 0, 0 },
	{ "hypervisor_uri", 0, 0, 0 }, { "migration_uri", 0, 0, 0 },
	{ "snapshot", 0, 0, 0 }, { "status_program", 0, 0, 0 },
	{ "migrate_options", 0, 0, 0 }, { "tunnelled", 0, 0, 0 },
	{ "no_kill", 0, 0, 0 }, END
};

/* family is free text, as RHEL 6's agent took it: inet, inet6, else
 * auto (by the address). */
static const struct schema_attr ip_attrs[] = {
	{ "address", PRI | REQ, 0, 0 }, { "family", 0, "auto", 0 },
	{ "monitor_link", B, "1", 0 },
	{ "nfslock", B, 0, "service%nfslock" }, { "sleeptime", I, "10", 0 },
	{ "disable_rdisc", B, 0, 0 }, { "prefer_interface", 0, 0, 0 },
	END
};

static const struct schema_attr script_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "file", REQ | SA_UNIQUE, 0, 0 },
	{ "service_name", 0, 0, "service%name" }, END
};

static const struct schema_attr fs_attrs[] = {
	{ "name", PRI, 0, 0 }, { "mountpoint", REQ | SA_UNIQUE, 0, 0 },
	{ "device", REQ | SA_UNIQUE, 0, 0 }, { "fstype", 0, 0, 0 },
	{ "force_unmount", B, "0", 0 }, { "self_fence", B, "0", 0 },
	{ "nfslock", B, 0, "service%nfslock" }, { "fsid", 0, 0, 0 },
	{ "force_fsck", B, "0", 0 }, { "options", 0, 0, 0 },
	{ "active_monitor", B, 0, 0 }, { "quick_status", B, "0", 0 },
	{ "nfsrestart", B, 0, 0 }, { "use_findmnt", B, 0, 0 }, END
};

static const struct schema_attr netfs_attrs[] = {
	{ "name", PRI, 0, 0 }, { "mountpoint", REQ, 0, 0 },
	{ "host", REQ, 0, 0 }, { "export", REQ, 0, 0 },
	{ "fstype", 0, "nfs", 0 }, { "force_unmount", B, "0", 0 },
	{ "options", 0, 0, 0 }, { "no_unmount", B, "0", 0 },
	{ "self_fence", B, 0, 0 }, { "use_findmnt", B, 0, 0 }, END
};

static const struct schema_attr clusterfs_attrs[] = {
	{ "name", PRI, 0, 0 }, { "mountpoint", REQ | SA_UNIQUE, 0, 0 },
	{ "device", REQ, 0, 0 }, { "fstype", 0, 0, 0 },
	{ "force_unmount", B, "0", 0 }, { "options", 0, 0, 0 },
	{ "self_fence", B, "0", 0 }, { "fsid", 0, 0, 0 },
	{ "nfslock", B, 0, "service%nfslock" }, { "nfsrestart", B, 0, 0 },
	{ "use_findmnt", B, 0, 0 }, END
};

static const struct schema_attr nfsexport_attrs[] = {
	{ "name", PRI, 0, 0 }, { "device", 0, 0, "device" },
	{ "path", 0, 0, "mountpoint" }, { "fsid", 0, 0, "fsid" }, END
};

static const struct schema_attr nfsclient_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "target", REQ, 0, 0 },
	{ "path", 0, 0, "path" }, { "fsid", 0, 0, "fsid" },
	{ "options", 0, 0, 0 }, { "allow_recover", B, "1", 0 },
	{ "svcname", 0, 0, "service%name" },
	{ "service_name", 0, 0, "service%name" },
	{ "use_cache", I, 0, "service%nfs_client_cache" }, END
};

static const struct schema_attr lvm_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "vg_name", REQ, 0, 0 },
	{ "lv_name", 0, 0, 0 }, { "self_fence", B, "0", 0 },
	{ "nfslock", B, 0, "service%nfslock" }, END
};

static const struct schema_attr smb_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "workgroup", 0, "LINUXCLUSTER", 0 },
	{ "service_name", 0, 0, "service%name" }, END
};

/* The other agents RHEL 6 shipped (rgmanager's resources directory): no
 * built-in code, they run as /usr/share/cluster/TYPE.sh where installed.
 * Known here by name, primary and required attributes, so that their
 * mistakes are caught and their right use is quiet. */
#define SVC_NAME { "service_name", 0, 0, "service%name" }
#define NAME_PRI { "name", PRI, 0, 0 }
#define CONFIG(path) { "config_file", 0, path, 0 }
#define WAIT(a, d) { a, I, d, 0 }

static const struct schema_attr apache_attrs[] = {
	NAME_PRI, { "httpd", 0, 0, 0 }, { "server_root", 0, "/etc/httpd", 0 },
	CONFIG("conf/httpd.conf"), { "httpd_options", 0, 0, 0 },
	WAIT("shutdown_wait", 0), SVC_NAME, END
};

static const struct schema_attr mysql_attrs[] = {
	NAME_PRI, CONFIG("/etc/my.cnf"), { "listen_address", 0, 0, 0 },
	{ "mysqld_options", 0, 0, 0 }, WAIT("startup_wait", "30"),
	WAIT("shutdown_wait", 0), SVC_NAME, END
};

static const struct schema_attr postgres8_attrs[] = {
	NAME_PRI, CONFIG("/var/lib/pgsql/data/postgresql.conf"),
	{ "postmaster_user", 0, "postgres", 0 },
	{ "postmaster_options", 0, 0, 0 }, WAIT("startup_wait", "10"),
	WAIT("shutdown_wait", 0), SVC_NAME, END
};

static const struct schema_attr tomcat5_attrs[] = {
	NAME_PRI, CONFIG("/etc/tomcat5/tomcat5.conf"),
	{ "tomcat_user", 0, "tomcat", 0 }, { "catalina_options", 0, 0, 0 },
	{ "catalina_base", 0, "/usr/share/tomcat5", 0 },
	WAIT("shutdown_wait", "30"), SVC_NAME, END
};

static const struct schema_attr tomcat6_attrs[] = {
	NAME_PRI, CONFIG("/etc/tomcat6/tomcat6.conf"),
	WAIT("shutdown_wait", "30"), SVC_NAME, END
};

static const struct schema_attr openldap_attrs[] = {
	NAME_PRI, CONFIG("/etc/openldap/slapd.conf"),
	{ "url_list", 0, "ldap:///", 0 }, { "slapd_options", 0, 0, 0 },
	WAIT("shutdown_wait", 0), SVC_NAME, END
};

static const struct schema_attr samba_attrs[] = {
	{ "name", PRI, 0, 0 }, CONFIG("/etc/samba/smb.conf"),
	{ "smbd_options", 0, 0, 0 }, { "nmbd_options", 0, 0, 0 },
	WAIT("shutdown_wait", 0), SVC_NAME, END
};

static const struct schema_attr named_attrs[] = {
	NAME_PRI, CONFIG("/etc/named.conf"), { "named_sdb", B, "0", 0 },
	{ "named_working_dir", 0, "/var/named", 0 },
	{ "named_options", 0, 0, 0 }, { "update_source", 0, 0, 0 },
	WAIT("shutdown_wait", "5"), SVC_NAME, END
};

static const struct schema_attr nfsserver_attrs[] = {
	NAME_PRI, { "path", 0, 0, "mountpoint" },
	{ "nfspath", 0, ".clumanager/nfs", 0 }, WAIT("statdport", 0),
	{ "krbhost", 0, 0, 0 }, END
};

#define SAP_EXITS { "PRE_START_USEREXIT", 0, 0, 0 }, \
	{ "POST_START_USEREXIT", 0, 0, 0 }, { "PRE_STOP_USEREXIT", 0, 0, 0 }, \
	{ "POST_STOP_USEREXIT", 0, 0, 0 }

static const struct schema_attr sapinstance_attrs[] = {
	{ "InstanceName", PRI | REQ, 0, 0 }, { "DIR_EXECUTABLE", 0, 0, 0 },
	{ "DIR_PROFILE", 0, 0, 0 }, { "START_PROFILE", 0, 0, 0 },
	{ "START_WAITTIME", 0, "3600", 0 }, { "AUTOMATIC_RECOVER", 0, 0, 0 },
	SAP_EXITS, END
};

static const struct schema_attr sapdatabase_attrs[] = {
	{ "SID", PRI | REQ, 0, 0 }, { "DIR_EXECUTABLE", 0, 0, 0 },
	{ "DBTYPE", REQ, 0, 0 }, { "NETSERVICENAME", 0, 0, 0 },
	{ "DBJ2EE_ONLY", 0, 0, 0 }, { "JAVA_HOME", 0, 0, 0 },
	{ "STRICT_MONITORING", 0, 0, 0 }, { "AUTOMATIC_RECOVER", 0, 0, 0 },
	{ "DIR_BOOTSTRAP", 0, 0, 0 }, { "DIR_SECSTORE", 0, 0, 0 },
	{ "DB_JARS", 0, 0, 0 }, SAP_EXITS, END
};

static const struct schema_attr asehaagent_attrs[] = {
	{ "name", PRI, 0, 0 }, { "sybase_home", REQ, 0, 0 },
	{ "sybase_ase", REQ, "ASE-15_0", 0 }, { "sybase_ocs", REQ, "OCS-15_0", 0 },
	{ "server_name", REQ, 0, 0 }, { "login_file", REQ, 0, 0 },
	{ "interfaces_file", REQ, 0, 0 }, { "sybase_user", REQ, "sybase", 0 },
	{ "shutdown_timeout", REQ | I, "0", 0 },
	{ "start_timeout", REQ | I, "0", 0 },
	{ "deep_probe_timeout", REQ | I, "0", 0 }, END
};

static const struct schema_attr db2_attrs[] = {
	{ "instance", PRI | REQ, 0, 0 }, { "dblist", 0, 0, 0 },
	{ "dbpartitionnum", 0, "0", 0 }, END
};

static const struct schema_attr drbd_attrs[] = {
	{ "name", PRI, 0, 0 }, { "resource", REQ | SA_UNIQUE, 0, 0 }, END
};

#define ORA_USER_HOME { "user", REQ, 0, 0 }, { "home", REQ, 0, 0 }
#define TNS_ADMIN { "tns_admin", SA_UNIQUE, 0, 0 }

static const struct schema_attr oracledb_attrs[] = {
	NAME_PRI, { "listener_name", SA_UNIQUE, 0, 0 }, ORA_USER_HOME,
	{ "type", 0, 0, 0 }, { "vhost", SA_UNIQUE, 0, 0 }, TNS_ADMIN, END
};

static const struct schema_attr orainstance_attrs[] = {
	NAME_PRI, ORA_USER_HOME, { "listeners", 0, 0, 0 },
	{ "lockfile", 0, 0, 0 }, TNS_ADMIN, END
};

static const struct schema_attr oralistener_attrs[] = {
	NAME_PRI, ORA_USER_HOME, TNS_ADMIN, END
};

static const struct schema_attr oradg_attrs[] = {
	NAME_PRI, ORA_USER_HOME, { "listeners", 0, 0, 0 },
	{ "vhost", 0, 0, 0 }, { "lockfile", 0, 0, 0 }, TNS_ADMIN, END
};

static const struct schema_attr bindmount_attrs[] = {
	{ "name", PRI, 0, 0 }, { "mountpoint", REQ | SA_UNIQUE, 0, 0 },
	{ "source", REQ, 0, 0 }, { "force_unmount", B, 0, 0 }, END
};

#define CHECKS(...) (const struct schema_check[]){ __VA_ARGS__, { 0, 0 } }

static const struct schema_type types[] = {
	{ "service", ST_ROOT, 0, 0, service_attrs, CHECKS({ 0, 3600 }) },
	{ "vm", ST_ROOT, 0, 0, vm_attrs, CHECKS({ 0, 30 }, { 10, 60 }) },
	{ "lvm", 0, 1, 9, lvm_attrs, CHECKS({ 0, 60 }) },
	{ "fs", 0, 2, 8, fs_attrs, CHECKS({ 0, 60 }, { 10, 30 }, { 20, 60 }) },
	{ "clusterfs", 0, 3, 7, clusterfs_attrs,
	  CHECKS({ 0, 60 }, { 10, 300 }, { 20, 600 }) },
	{ "netfs", 0, 4, 6, netfs_attrs,
	  CHECKS({ 0, 60 }, { 10, 300 }, { 20, 600 }) },
	{ "nfsexport", 0, 5, 5, nfsexport_attrs, CHECKS({ 0, 3600 }) },
	{ "nfsclient", 0, 6, 4, nfsclient_attrs, CHECKS({ 0, 60 }) },
	{ "ip", 0, 7, 2, ip_attrs, CHECKS({ 0, 20 }, { 10, 60 }) },
	{ "smb", 0, 8, 3, smb_attrs, CHECKS({ 0, 60 }) },
	{ "script", 0, 9, 1, script_attrs, CHECKS({ 0, 30 }) },
#define APP(n, a) { n, 0, 0, 0, a, CHECKS({ 0, 60 }) },
	APP("apache", apache_attrs) APP("mysql", mysql_attrs)
	APP("postgres-8", postgres8_attrs) APP("tomcat-5", tomcat5_attrs)
	APP("tomcat-6", tomcat6_attrs) APP("openldap", openldap_attrs)
	APP("samba", samba_attrs) APP("named", named_attrs)
	APP("nfsserver", nfsserver_attrs) APP("SAPInstance", sapinstance_attrs)
	APP("SAPDatabase", sapdatabase_attrs)
	APP("ASEHAagent", asehaagent_attrs) APP("db2", db2_attrs)
	APP("drbd", drbd_attrs) APP("oracledb", oracledb_attrs)
	APP("orainstance", orainstance_attrs)
	APP("oralistener", oralistener_attrs) APP("oradg", oradg_attrs)
	APP("bind-mount", bindmount_attrs)
};

static const char *const common[] = {
	"ref", "__independent_subtree", "__enforce_timeouts",
	"__max_failures", "__failure_expire_time", "__max_restarts",
	"__restart_expire_time",
};

const struct schema_type *schema_types(int *n)
{
	*n = (int)(sizeof types / sizeof types[0]);
	return types;
}

const struct schema_type *schema_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

const struct schema_attr *schema_attr(const struct schema_type *t,
				      const char *name)
{
	for (const struct schema_attr *a = t->attrs; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

const char *schema_primary(const struct schema_type *t)
{
	for (const struct schema_attr *a = t->attrs; a->name; a++)
		if (a->flags & SA_PRIMARY)
			return a->name;
	return t->attrs[0].name;
}

int schema_is_common(const char *name)
{
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
		if (!strcmp(common[i], name))
			return 1;
	return 0;
}

static int executable(const char *path)
{
	return access(path, X_OK) == 0;
}

const char *schema_ocf_root(void)
{
	const char *root = getenv("OCF_ROOT");

	return root && *root ? root : SCHEMA_OCF_ROOT;
}

/* $OCF_ROOT/resource.d/PROVIDER/type into out; 0 found. */
static int ocf_agent(const char *type, char *out, unsigned size)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	int rc = -1;

	snprintf(dir, sizeof dir, "%s/resource.d", schema_ocf_root());
	if (!(d = opendir(dir)))
		return -1;
	while (rc && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(out, size, "%s/%s/%s", dir, e->d_name, type);
			rc = executable(out) ? 0 : -1;
		}
	closedir(d);
	return rc;
}

int schema_agent_path(const char *type, char *out, unsigned size, int *ocf)
{
	*ocf = 0;
	if (!*type || strchr(type, '/') || type[0] == '.')
		return -1;
	snprintf(out, size, "%s/%s.sh", SCHEMA_AGENT_DIR, type);
	if (executable(out))
		return 0;
	*ocf = 1;
	return ocf_agent(type, out, size);
}

int schema_agent_exists(const char *type)
{
	char path[512];
	int ocf;

	return schema_agent_path(type, path, sizeof path, &ocf) == 0;
}
