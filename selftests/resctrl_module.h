/* SPDX-License-Identifier: GPL-2.0 */
/* resctrl-rs selftests: loading driver modules, and the kernel log. */
#ifndef RESCTRL_MODULE_H
#define RESCTRL_MODULE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Loads module @name from $RESCTRL_MODULES with @params; 0 or -errno. */
static inline int load_module(const char *name, const char *params)
{
	const char *dir = getenv("RESCTRL_MODULES");
	char path[512];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s.ko", dir ? dir : ".", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		r = -errno;
	close(fd);
	return r;
}

/* Unloads module @name; 0 or -errno. */
static inline int unload_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* Whether the kernel log has a line containing @s. */
static inline int log_has(const char *s)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "dmesg | grep -qF '%s'", s);
	return system(cmd) == 0;
}

#endif /* RESCTRL_MODULE_H */
