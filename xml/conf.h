/* xml/conf.h - the cluster.conf model and its derived values. */
#ifndef CONF_H
#define CONF_H

#define CONF_PATH "/etc/cluster/cluster.conf"

#endif
