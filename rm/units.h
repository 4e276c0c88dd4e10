/* rm/units.h - starting at boot: a systemd unit or SysV init scripts. */
#ifndef UNITS_H
#define UNITS_H

/* hacluster install --units|--systemd|--sysv [-f] [DIR]: how is that
 * option; dir NULL: the system's place.  An exit status. */
int units_install(const char *how, const char *dir, int force);

/* The bash completion script (rm/completion.c). */
extern const char completion_bash[];

#endif
