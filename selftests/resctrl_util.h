/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resctrl-rs selftests: reading and writing the files of a mounted resctrl
 * and of the emulation's debugfs.
 */
#ifndef RESCTRL_UTIL_H
#define RESCTRL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MNT "/sys/fs/resctrl"
#define EMUL "/sys/kernel/debug/resctrl_rs_emul"

/* Reads @path into @buf; returns the length or -errno. */
static inline int rd(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = 0;
	close(fd);
	return n;
}

/* Writes @s to @path in one write(); returns 0 or -errno. */
static inline int wr(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static char status[1024];

static inline const char *last_cmd(void)
{
	if (rd(MNT "/info/last_cmd_status", status, sizeof(status)) < 0)
		return "(unreadable)";
	return status;
}

/* Whether @path's content is exactly @want. */
static inline int is(const char *path, const char *want)
{
	static char buf[8192];

	if (rd(path, buf, sizeof(buf)) < 0)
		return 0;
	if (strcmp(buf, want))
		fprintf(stderr, "# %s: got \"%s\", want \"%s\"\n", path, buf, want);
	return !strcmp(buf, want);
}

/* Whether @path has a line equal to @line. */
static inline int has_line(const char *path, const char *line)
{
	static char buf[65536];
	char *s, *save;

	if (rd(path, buf, sizeof(buf)) < 0)
		return 0;
	for (s = strtok_r(buf, "\n", &save); s; s = strtok_r(NULL, "\n", &save))
		if (!strcmp(s, line))
			return 1;
	return 0;
}

#endif /* RESCTRL_UTIL_H */
