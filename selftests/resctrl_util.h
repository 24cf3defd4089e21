/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resctrl-rs selftests: reading and writing the files of a mounted resctrl
 * and of the emulation's debugfs.
 */
#ifndef RESCTRL_UTIL_H
#define RESCTRL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MNT "/sys/fs/resctrl"
#define EMUL "/sys/kernel/debug/resctrl_rs_emul"

/* Mounts debugfs, which holds the emulation's files, unless it is there. */
static inline void emul_debugfs(void)
{
	struct stat st;

	if (stat(EMUL, &st))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

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

/*
 * Whether the emulated part is AMD's (booted resctrl_rs.emulate=amd): tests
 * that run on both parts use it where the parts differ.
 */
static inline int is_amd(void)
{
	char buf[16];

	return rd(EMUL "/flavour", buf, sizeof(buf)) > 0 && !strcmp(buf, "amd\n");
}

/*
 * The L3 line of a schemata file whose domains 0 and 1 (or domain 0 alone,
 * @m1 < 0) have masks @m0 and @m1: the name padded to six characters (L3
 * can have CDP on both parts), the masks to the width of cbm_mask.
 */
static inline const char *l3_line(unsigned int m0, int m1)
{
	static char line[64];
	char cbm[32];
	int w = 3, n;

	if (rd(MNT "/info/L3/cbm_mask", cbm, sizeof(cbm)) > 1)
		w = (int)strlen(cbm) - 1;
	n = snprintf(line, sizeof(line), "    L3:0=%0*x", w, m0);
	if (m1 >= 0)
		snprintf(line + n, sizeof(line) - n, ";1=%0*x", w, (unsigned int)m1);
	return line;
}

/* The full L3 mask, from cbm_mask (0x7ff if unreadable). */
static inline unsigned int l3_full(void)
{
	char cbm[32];

	if (rd(MNT "/info/L3/cbm_mask", cbm, sizeof(cbm)) <= 1)
		return 0x7ff;
	return (unsigned int)strtoul(cbm, NULL, 16);
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

/* Writes the formatted string to @path in one write(); 0 or -errno. */
static inline int wrf(const char *path, const char *fmt, ...)
{
	char s[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	return wr(path, s);
}

/* The number in @path; -1 if it holds none. */
static inline long long num(const char *path)
{
	char buf[64], *end;
	long long v;

	if (rd(path, buf, sizeof(buf)) <= 0)
		return -1;
	v = strtoll(buf, &end, 10);
	if (end == buf || *end != '\n')
		return -1;
	return v;
}

/* Whether the tasks file @path lists @pid. */
static inline int has_pid(const char *path, pid_t pid)
{
	char line[32];

	snprintf(line, sizeof(line), "%d", pid);
	return has_line(path, line);
}

/* Takes CPU @cpu offline or brings it online; 0 or -errno. */
static inline int set_online(int cpu, int on)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	return wr(path, on ? "1\n" : "0\n");
}

/* Brings CPUs 1-3 (the guest's hotpluggable ones) online. */
static inline void all_online(void)
{
	for (int c = 1; c < 4; c++)
		set_online(c, 1);
}

/* Sets emulated counter @evt (1 occupancy, 2 total, 3 local) of @rmid in @dom. */
static inline int emul_set(int dom, int rmid, int evt, unsigned long long units)
{
	return wrf(EMUL "/counters", "set %d %d %d %llu\n", dom, rmid, evt, units);
}

/* The RMID of @group, from its mon_hw_id (mounted with -o debug). */
static inline int rmid_of(const char *group)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/mon_hw_id", group);
	return (int)num(path);
}

/* Writes @len bytes of @buf to @path in one write(); 0 or -errno. */
static inline int wrn(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Whether every CPU of 0-3 reads @val in the CDP switch of cache @level. */
static inline int qos_cfg_all(const char *level, int val)
{
	char line[64];

	for (int c = 0; c < 4; c++) {
		snprintf(line, sizeof(line), "cpu %d %s %d", c, level, val);
		if (!has_line(EMUL "/qos_cfg", line))
			return 0;
	}
	return 1;
}

/* A child that spins on CPU @cpu until killed. */
static inline pid_t spawn_spinner(int cpu)
{
	pid_t p = fork();

	if (!p) {
		cpu_set_t set;

		/* It goes with its parent, whatever ends the parent. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		/*
		 * Mostly busy, but switching out now and then: the emulation
		 * charges run time at context switches.
		 */
		for (;;) {
			for (volatile int i = 0; i < 1000000; i++)
				;
			usleep(100);
		}
	}
	return p;
}

/* Whether @path exists. */
static inline int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Waits up to 10 s for @pid to sleep (state S in /proc/<pid>/stat). */
static inline int asleep(pid_t pid)
{
	char path[64], buf[256], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 1000; i++) {
		if (rd(path, buf, sizeof(buf)) > 0) {
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return 1;
		}
		usleep(10000);
	}
	return 0;
}

#endif /* RESCTRL_UTIL_H */
