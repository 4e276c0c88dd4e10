/* xml/schema.c - the resource-type table (spec 3.2, 3.3).
 *
 * One table serves validation, ccs_tool, start/stop order and, later, the
 * agents' metadata.  Attribute order is the agents' metadata order with
 * the primary attribute first. */
#include "schema.h"

#include <string.h>

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
	{ "snapshot", 0, 0, 0 }, { "status_program", 0, 0, 0 }, END
};

static const struct schema_attr ip_attrs[] = {
	{ "address", PRI | REQ, 0, 0 }, { "family", 0, "auto", 0 },
	{ "monitor_link", B, "1", 0 },
	{ "nfslock", B, 0, "service%nfslock" }, { "sleeptime", I, "10", 0 },
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
	{ "active_monitor", B, 0, 0 }, { "quick_status", B, "0", 0 }, END
};

static const struct schema_attr netfs_attrs[] = {
	{ "name", PRI, 0, 0 }, { "mountpoint", REQ, 0, 0 },
	{ "host", REQ, 0, 0 }, { "export", REQ, 0, 0 },
	{ "fstype", 0, "nfs", 0 }, { "force_unmount", B, "0", 0 },
	{ "options", 0, 0, 0 }, { "no_unmount", B, "0", 0 }, END
};

static const struct schema_attr clusterfs_attrs[] = {
	{ "name", PRI, 0, 0 }, { "mountpoint", REQ | SA_UNIQUE, 0, 0 },
	{ "device", REQ, 0, 0 }, { "fstype", 0, 0, 0 },
	{ "force_unmount", B, "0", 0 }, { "options", 0, 0, 0 },
	{ "self_fence", B, "0", 0 }, { "fsid", 0, 0, 0 },
	{ "nfslock", B, 0, "service%nfslock" }, END
};

static const struct schema_attr nfsexport_attrs[] = {
	{ "name", PRI, 0, 0 }, { "device", 0, 0, "device" },
	{ "path", 0, 0, "mountpoint" }, { "fsid", 0, 0, "fsid" }, END
};

static const struct schema_attr nfsclient_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "target", REQ, 0, 0 },
	{ "path", 0, 0, "path" }, { "fsid", 0, 0, "fsid" },
	{ "options", 0, 0, 0 }, { "allow_recover", B, "1", 0 },
	{ "svcname", 0, 0, "service%name" }, END
};

static const struct schema_attr lvm_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "vg_name", REQ, 0, 0 },
	{ "lv_name", 0, 0, 0 }, { "self_fence", B, "0", 0 },
	{ "nfslock", B, 0, "service%nfslock" }, END
};

static const struct schema_attr smb_attrs[] = {
	{ "name", PRI | REQ, 0, 0 }, { "workgroup", 0, "LINUX", 0 }, END
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
