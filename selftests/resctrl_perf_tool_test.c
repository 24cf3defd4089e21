// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: the perf PMU "resctrl" from the stock perf tool (issue 8).
 * perf list shows the events; perf stat counts a group's bandwidth while a
 * workload runs in the group, on one domain (-C), every domain (-a, -A),
 * in intervals (-I), in a group with cpu-clock and from a mon_data file's
 * fd, and each count agrees with the mon_data file's delta.
 *
 * The workload is this binary again: with RESCTRL_BUSY="CPU:MS[,CPU:MS...]
 * GROUP" in its environment it joins GROUP, spins MS milliseconds on each
 * CPU in turn, leaves GROUP, idles half a second and exits, before the test
 * harness starts. The group has no other task, so its counters move only
 * while perf counts.
 *
 * QEMU guest: 4 CPUs, L3 domains 0 = CPUs 0-1, 1 = CPUs 2-3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_util.h"

#define UNIT 64LL /* bytes per emulated counter unit */
#define OUT "/tmp/resctrl_perf_tool.out"
#define TOTAL(d) MNT "/g/mon_data/mon_L3_0" #d "/mbm_total_bytes"

static void spin(int cpu, long ms)
{
	struct timespec a, b;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		_exit(1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

/* The workload, when this binary is run as one. */
__attribute__((constructor)) static void busy_main(void)
{
	const char *s = getenv("RESCTRL_BUSY");
	char tasks[256];
	int cpu, n;
	long ms;

	if (!s)
		return;
	snprintf(tasks, sizeof(tasks), "%s/tasks", strchr(s, ' ') + 1);
	if (wrf(tasks, "%d\n", getpid()))
		_exit(1);
	while (sscanf(s, "%d:%ld%n", &cpu, &ms, &n) == 2) {
		spin(cpu, ms);
		s += n + (s[n] == ',');
	}
	/*
	 * perf reads its counters last when it sees the workload exit: at
	 * SIGCHLD, which comes before exit's tail has run, and with -I a
	 * SIGCHLD during an interval's print ends perf without a last line.
	 * The group's counters stop before that: the workload leaves the group,
	 * then idles over two intervals.
	 */
	if (wrf(MNT "/tasks", "%d\n", getpid()))
		_exit(1);
	usleep(500000);
	_exit(0);
}

static char exe[256];

/*
 * Runs perf with @args (NULL-terminated, after "perf") and "-- exe" (this binary) as the
 * workload, with fd 3 open on @fd3 and RESCTRL_BUSY=@busy; its stat output
 * goes to OUT, its stdout and stderr to OUT.log. Returns perf's exit status.
 */
static int run_perf(const char *fd3, const char *busy, const char **args)
{
	const char *argv[32] = { "perf" };
	int n = 1, st;
	pid_t pid;

	while (*args)
		argv[n++] = *args++;
	argv[n++] = "-x,";
	argv[n++] = "-o";
	argv[n++] = OUT;
	argv[n++] = "--";
	argv[n++] = exe;
	argv[n] = NULL;
	pid = fork();
	if (!pid) {
		int fd = open(fd3, O_RDONLY), log = open(OUT ".log", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || log < 0 || dup2(fd, 3) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
			_exit(126);
		setenv("RESCTRL_BUSY", busy, 1);
		execvp("perf", (char **)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A count perf printed: its value and what precedes it (time, CPU). */
struct line {
	long long value;
	char prefix[64];
	char event[96];
};

/*
 * The counts in OUT (CSV: [time,][CPU,]value,unit,event,...) of events
 * whose name starts with @event; returns how many, or -1 if one is not a
 * number ("<not counted>").
 */
static int counts(const char *event, struct line *l, int max)
{
	char buf[512];
	FILE *f = fopen(OUT, "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f) && n < max) {
		char *fld[16], *save, *s;
		int k = 0, i;

		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		buf[strcspn(buf, "\n")] = 0;
		/* strtok would merge the empty unit field away. */
		for (s = buf; k < 16; k++) {
			fld[k] = s;
			save = strchr(s, ',');
			if (!save) {
				k++;
				break;
			}
			*save = 0;
			s = save + 1;
		}
		for (i = 2; i < k && strncmp(fld[i], event, strlen(event)); i++)
			;
		if (i >= k)
			continue;
		l[n].prefix[0] = 0;
		for (int j = 0; j < i - 2; j++)
			snprintf(l[n].prefix + strlen(l[n].prefix),
				 sizeof(l[n].prefix) - strlen(l[n].prefix), "%s%s", j ? "," : "",
				 fld[j]);
		snprintf(l[n].event, sizeof(l[n].event), "%s", fld[i]);
		/* Bytes are integers, cpu-clock's msec are not. */
		l[n].value = (long long)strtod(fld[i - 2], &s);
		if (s == fld[i - 2] || *s) {
			fclose(f);
			return -1;
		}
		n++;
	}
	fclose(f);
	return n;
}

/* Whether perf's stat output has @s. */
static int out_has(const char *s)
{
	char buf[4096];

	return rd(OUT, buf, sizeof(buf)) > 0 && strstr(buf, s);
}

/* Shows perf's output, for a failing check. */
static void show_output(void)
{
	char buf[4096];

	if (rd(OUT, buf, sizeof(buf)) > 0)
		fprintf(stderr, "# perf stat output:\n%s", buf);
	if (rd(OUT ".log", buf, sizeof(buf)) > 0)
		fprintf(stderr, "# perf's stdout and stderr:\n%s", buf);
}

#define EXPECT_CLOSE(want, got)                                                          \
	do {                                                                             \
		long long w_ = (want), g_ = (got);                                       \
		EXPECT_TRUE(w_ - g_ <= UNIT && g_ - w_ <= UNIT)                          \
		TH_LOG("perf counted %lld, the file moved %lld", g_, w_);               \
	} while (0)

FIXTURE(tool) {};

FIXTURE_SETUP(tool)
{
	ASSERT_LT(0, readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	umount(MNT);
	all_online();
	emul_debugfs();
	ASSERT_EQ(0, wr(EMUL "/counters", "clear\n"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
}

FIXTURE_TEARDOWN(tool)
{
	umount(MNT);
	unlink(OUT);
	unlink(OUT ".log");
}

/* perf list reads every PMU's events: slow under TCG. */
TEST_F_TIMEOUT(tool, list_shows_the_events, 600)
{
	static const char *const want[] = { "resctrl/llc_occupancy/", "resctrl/mbm_total_bytes/",
					     "resctrl/mbm_local_bytes/" };
	char buf[65536] = "";
	FILE *p = popen("perf list pmu 2>&1", "r");
	size_t n;

	ASSERT_NE(NULL, p);
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = 0;
	EXPECT_EQ(0, pclose(p));
	for (int i = 0; i < 3; i++) {
		EXPECT_NE(NULL, strstr(buf, want[i])) TH_LOG("no %s in:\n%s", want[i], buf);
	}
}

/* -C 0: domain 0's count, while the workload runs on CPU 1 (domain 0). */
TEST_F_TIMEOUT(tool, stat_one_domain_agrees_with_the_file, 120)
{
	const char *args[] = { "stat", "-e", "resctrl/mbm_total_bytes,fd=3/", "-C", "0", NULL };
	long long before = num(TOTAL(0));
	struct line l[4];

	ASSERT_EQ(0, run_perf(MNT "/g", "1:300 " MNT "/g", args)) show_output();
	ASSERT_EQ(1, counts("resctrl/", l, 4)) show_output();
	EXPECT_LT(1000000, l[0].value) show_output();
	EXPECT_CLOSE(num(TOTAL(0)) - before, l[0].value);
}

/* -a: one event per cpumask CPU (0 and 2), summed; -A: each on its own. */
TEST_F_TIMEOUT(tool, stat_all_domains_sums_them, 120)
{
	const char *sum[] = { "stat", "-a", "-e", "resctrl/mbm_total_bytes,fd=3/", NULL };
	const char *each[] = { "stat", "-a", "-A", "-e", "resctrl/mbm_total_bytes,fd=3/", NULL };
	long long b0 = num(TOTAL(0)), b1 = num(TOTAL(1)), d0, d1;
	struct line l[8];

	ASSERT_EQ(0, run_perf(MNT "/g", "1:200,3:200 " MNT "/g", sum)) show_output();
	d0 = num(TOTAL(0)) - b0;
	d1 = num(TOTAL(1)) - b1;
	EXPECT_LT(1000000, d0);
	EXPECT_LT(1000000, d1);
	ASSERT_EQ(1, counts("resctrl/", l, 8)) show_output();
	EXPECT_CLOSE(d0 + d1, l[0].value);

	b0 = num(TOTAL(0));
	b1 = num(TOTAL(1));
	ASSERT_EQ(0, run_perf(MNT "/g", "1:200,3:300 " MNT "/g", each)) show_output();
	ASSERT_EQ(2, counts("resctrl/", l, 8)) show_output();
	EXPECT_STREQ("CPU0", l[0].prefix);
	EXPECT_STREQ("CPU2", l[1].prefix);
	EXPECT_CLOSE(num(TOTAL(0)) - b0, l[0].value);
	EXPECT_CLOSE(num(TOTAL(1)) - b1, l[1].value);
}

/*
 * -I: a line per interval (the last one partial, at exit), each a delta;
 * they add up to the files' deltas. The workload may start on a CPU of
 * domain 1 before it moves to CPU 1: -a counts that too.
 */
TEST_F_TIMEOUT(tool, stat_interval_prints_deltas, 120)
{
	const char *args[] = { "stat", "-I", "200", "-a", "-e", "resctrl/mbm_total_bytes,fd=3/",
			       NULL };
	long long b0 = num(TOTAL(0)), b1 = num(TOTAL(1)), sum = 0, busy = 0;
	struct line l[64];
	int n;

	ASSERT_EQ(0, run_perf(MNT "/g", "1:1200 " MNT "/g", args)) show_output();
	n = counts("resctrl/", l, 64);
	ASSERT_LE(4, n) show_output();
	for (int i = 0; i < n; i++) {
		sum += l[i].value;
		busy += l[i].value > 0;
	}
	EXPECT_CLOSE(num(TOTAL(0)) - b0 + num(TOTAL(1)) - b1, sum);
	EXPECT_LE(3, busy) show_output();
}

/* A group led by cpu-clock reads both. */
TEST_F_TIMEOUT(tool, stat_group_with_cpu_clock, 120)
{
	const char *args[] = { "stat", "-e", "{cpu-clock,resctrl/mbm_total_bytes,fd=3/}", "-C", "1",
			       NULL };
	long long before = num(TOTAL(0));
	struct line l[4];

	ASSERT_EQ(0, run_perf(MNT "/g", "1:300 " MNT "/g", args)) show_output();
	ASSERT_EQ(1, counts("resctrl/", l, 4)) show_output();
	EXPECT_CLOSE(num(TOTAL(0)) - before, l[0].value);
	ASSERT_EQ(1, counts("cpu-clock", l, 4)) show_output();
	EXPECT_LT(0, l[0].value) show_output();
}

/* The fd of a mon_data file names group, domain and event. */
TEST_F_TIMEOUT(tool, stat_of_a_mon_data_file, 120)
{
	const char *file = MNT "/g/mon_data/mon_L3_01/mbm_local_bytes";
	const char *on2[] = { "stat", "-e", "resctrl/fd=3/", "-C", "2", NULL };
	const char *on0[] = { "stat", "-e", "resctrl/fd=3/", "-C", "0", NULL };
	long long before = num(file);
	struct line l[4];

	ASSERT_EQ(0, run_perf(file, "3:300 " MNT "/g", on2)) show_output();
	ASSERT_EQ(1, counts("resctrl/", l, 4)) show_output();
	EXPECT_LT(100000, l[0].value) show_output();
	EXPECT_CLOSE(num(file) - before, l[0].value);
	/* CPU 0 is outside the file's domain: perf_event_open() fails. */
	ASSERT_EQ(0, run_perf(file, "3:10 " MNT "/g", on0)) show_output();
	EXPECT_TRUE(out_has("<not supported>,,resctrl/fd=3/")) show_output();
}

TEST_HARNESS_MAIN
