// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: a BPF program reads a group's counters through the perf PMU
 * (samples/bpf/resctrl_read.bpf.c), the use the PMU exists for: a group's bandwidth
 * sampled every millisecond without a syscall or resctrl's mutex.
 *
 *  - Its values agree with read() of the same event and with the mon_data
 *    file's delta.
 *  - It reads while MON groups come and go, the group is removed, CPUs go
 *    offline and a driver is loaded and unloaded, and never sees a value
 *    go backwards.
 *  - Re-entry: the same read from a kprobe inside resctrl-rs' own perf read
 *    and counter writer, and from a kretprobe of its raw spinlock, on the
 *    same CPU: no hang, no lockdep report (the log check).
 *
 * QEMU guest: 4 CPUs, L3 domains 0 = CPUs 0-1, 1 = CPUs 2-3.
 * RESCTRL_STRESS_CYCLES sets the length of the stress loops (default 40).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "resctrl_perf.h"
#include "resctrl_util.h"
#include "resctrl_read.skel.h"

#define UNIT 64ULL /* bytes per emulated counter unit */
#define NCPU 4

struct seen {
	unsigned long long reads, errors, backwards, last, probe_hits;
};

static int cycles(void)
{
	const char *s = getenv("RESCTRL_STRESS_CYCLES");

	return s ? atoi(s) : 40;
}

/* What the BPF program saw on @cpu. */
static struct seen seen_on(struct resctrl_read *skel, int cpu)
{
	struct seen s = { 0 };
	__u32 key = cpu;

	bpf_map_lookup_elem(bpf_map__fd(skel->maps.seen), &key, &s);
	return s;
}

/* A cpu-clock event on @cpu that fires every millisecond. */
static int clock_on(int cpu)
{
	struct perf_event_attr a = { 0 };

	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_period = 1000000;
	return syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

FIXTURE(bpf) {
	struct resctrl_read *skel;
	int ev[NCPU];
	int clk[NCPU];
	struct bpf_link *ticks[NCPU];
	int g;
};

FIXTURE_SETUP(bpf)
{
	umount(MNT);
	all_online();
	emul_debugfs();
	ASSERT_EQ(0, wr(EMUL "/decay_ms", "0\n"));
	ASSERT_EQ(0, wr(EMUL "/counters", "clear\n"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	self->g = open(MNT "/g", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, self->g);
	self->skel = resctrl_read__open_and_load();
	ASSERT_NE(NULL, self->skel);
	/* g's mbm_total_bytes on each CPU, in the program's map. */
	for (int c = 0; c < NCPU; c++) {
		__u32 key = c;

		self->ev[c] = open_ev(self->g, 2, -1, c, NULL, -1);
		ASSERT_LE(0, self->ev[c]);
		ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.events), &key,
						 &self->ev[c], BPF_ANY));
		self->clk[c] = -1;
		self->ticks[c] = NULL;
	}
}

FIXTURE_TEARDOWN(bpf)
{
	for (int c = 0; c < NCPU; c++) {
		if (self->ticks[c])
			bpf_link__destroy(self->ticks[c]);
		if (self->clk[c] >= 0)
			close(self->clk[c]);
		if (self->ev[c] >= 0)
			close(self->ev[c]);
	}
	if (self->skel)
		resctrl_read__destroy(self->skel);
	close(self->g);
	umount(MNT);
	all_online();
	wr(EMUL "/decay_ms", "20\n");
}

/* Runs the program from a millisecond timer on every CPU. */
static int start_ticks(FIXTURE_DATA(bpf) *self)
{
	for (int c = 0; c < NCPU; c++) {
		self->clk[c] = clock_on(c);
		if (self->clk[c] < 0)
			return -1;
		self->ticks[c] = bpf_program__attach_perf_event(self->skel->progs.tick,
								self->clk[c]);
		if (!self->ticks[c])
			return -1;
	}
	return 0;
}

/* Waits until the program has read at least @n more times on @cpu. */
static int wait_reads(struct resctrl_read *skel, int cpu, unsigned long long n)
{
	unsigned long long want = seen_on(skel, cpu).reads + n;

	for (int i = 0; i < 2000; i++) {
		if (seen_on(skel, cpu).reads >= want)
			return 1;
		usleep(1000);
	}
	return 0;
}

/* BPF's reads agree with read() and with the mon_data file's delta. */
TEST_F_TIMEOUT(bpf, values_agree, 300)
{
	int r = rmid_of(MNT "/g");
	long long f0, f1;

	ASSERT_EQ(0, emul_set(0, r, 2, 1000));
	ASSERT_EQ(0, emul_set(1, r, 2, 3000));
	f0 = num(MNT "/g/mon_data/mon_L3_00/mbm_total_bytes");
	ASSERT_EQ(0, start_ticks(self));
	/* The events count from when they were opened, at 0. */
	for (int c = 0; c < NCPU; c++) {
		ASSERT_TRUE(wait_reads(self->skel, c, 5));
		EXPECT_EQ((c < 2 ? 1000 : 3000) * UNIT, seen_on(self->skel, c).last);
	}
	ASSERT_EQ(0, emul_set(0, r, 2, 1250));
	ASSERT_EQ(0, emul_set(1, r, 2, 3100));
	f1 = num(MNT "/g/mon_data/mon_L3_00/mbm_total_bytes");
	EXPECT_EQ(250 * UNIT, f1 - f0);
	for (int c = 0; c < NCPU; c++) {
		unsigned long long want = (c < 2 ? 1250 : 3100) * UNIT;

		ASSERT_TRUE(wait_reads(self->skel, c, 5));
		EXPECT_EQ(want, seen_on(self->skel, c).last);
		EXPECT_EQ((long long)want, count(self->ev[c]));
		EXPECT_EQ(0, seen_on(self->skel, c).backwards);
		EXPECT_EQ(0, seen_on(self->skel, c).errors);
	}
}

static void churn(int seed)
{
	char path[64];
	int r = rmid_of(MNT "/g");
	static unsigned long long v = 2000;

	snprintf(path, sizeof(path), MNT "/g/mon_groups/m%d", seed);
	mkdir(path, 0755);
	v += 7;
	emul_set(0, r, 2, v);
	emul_set(1, r, 2, v);
	rmdir(path);
}

static void hotplug(int unused)
{
	for (int c = 1; c < NCPU; c++) {
		set_online(c, 0);
		usleep(3000);
		set_online(c, 1);
	}
}

static void driver_cycle(int unused)
{
	const char *dir = getenv("RESCTRL_MODULES");
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/resctrl_sample_c.ko", dir ? dir : ".");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		syscall(SYS_finit_module, fd, "", 0);
		close(fd);
	}
	usleep(5000);
	syscall(SYS_delete_module, "resctrl_sample_c", O_NONBLOCK);
	usleep(2000);
}

static pid_t spawn(void (*fn)(int), int arg)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			fn(arg);
	}
	return p;
}

static void stop(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

/*
 * The program reads through MON group churn, CPU hotplug, driver loading
 * and unloading, and the removal of the group: no value goes backwards.
 */
TEST_F_TIMEOUT(bpf, reads_through_removal_hotplug_unload, 900)
{
	pid_t hp, drv;
	int n = cycles() * 5;

	ASSERT_EQ(0, start_ticks(self));
	hp = spawn(hotplug, 0);
	drv = spawn(driver_cycle, 0);
	for (int i = 0; i < n; i++)
		churn(i % 4);
	stop(hp);
	stop(drv);
	all_online();
	/* The group goes; its events keep their last value. */
	ASSERT_EQ(0, rmdir(MNT "/g"));
	usleep(100000);
	for (int c = 0; c < NCPU; c++) {
		struct seen s = seen_on(self->skel, c);

		EXPECT_EQ(0, s.backwards);
		EXPECT_GT(s.reads, 0);
		if (s.backwards || !s.reads)
			fprintf(stderr, "# cpu %d: %llu reads, %llu errors, %llu backwards\n",
				c, s.reads, s.errors, s.backwards);
	}
}

/*
 * The read re-entered on its own CPU: from a kprobe in resctrl-rs' perf
 * read and in the writer of a domain's counters (file reads), and from a
 * kretprobe of its raw spinlock. Every read and file read returns.
 */
TEST_F_TIMEOUT(bpf, reentry_from_kprobes, 600)
{
	struct bpf_link *kp, *krp;
	unsigned long long hits = 0;
	int n = cycles() * 5;
	char buf[64];
	int r = rmid_of(MNT "/g");

	kp = bpf_program__attach(self->skel->progs.in_resctrl);
	ASSERT_NE(NULL, kp);
	krp = bpf_program__attach(self->skel->progs.in_lock);
	ASSERT_NE(NULL, krp);
	for (int i = 0; i < n; i++) {
		int c = i % NCPU;

		pin(c);
		emul_set(c / 2, r, 2, 5000 + i);
		/* perf read: the callback runs here, the probes inside it. */
		EXPECT_LE(0, count(self->ev[c]));
		/* file read: the counters' writer section, probes inside. */
		EXPECT_LT(0, rd(c < 2 ? MNT "/g/mon_data/mon_L3_00/mbm_total_bytes"
				      : MNT "/g/mon_data/mon_L3_01/mbm_total_bytes",
				buf, sizeof(buf)));
	}
	pin(0);
	bpf_link__destroy(kp);
	bpf_link__destroy(krp);
	for (int c = 0; c < NCPU; c++) {
		hits += seen_on(self->skel, c).probe_hits;
		EXPECT_EQ(0, seen_on(self->skel, c).backwards);
	}
	EXPECT_GT(hits, 0);
	/* Counting still works after all that: the event counts from 0. */
	ASSERT_EQ(0, emul_set(0, r, 2, 6000));
	EXPECT_EQ((long long)(6000 * UNIT), count(self->ev[1]));
}

/*
 * A read re-entered between a counter's select and its read: a kprobe
 * there reads another group's occupancy event, which selects another
 * counter on the same CPU. The outer read (the file) must still show its
 * own group's value: the inner read is refused.
 */
TEST_F_TIMEOUT(bpf, reentry_keeps_outer_reads_exact, 600)
{
	int n = cycles() * 5, wrong = 0, h, ra, rb;
	struct bpf_link *kp;

	ASSERT_EQ(0, mkdir(MNT "/h", 0755));
	h = open(MNT "/h", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, h);
	ra = rmid_of(MNT "/g");
	rb = rmid_of(MNT "/h");
	/* The program now reads h's occupancy on each CPU. */
	for (int c = 0; c < NCPU; c++) {
		__u32 key = c;

		close(self->ev[c]);
		self->ev[c] = open_ev(h, 1, -1, c, NULL, -1);
		ASSERT_LE(0, self->ev[c]);
		ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.events), &key,
						 &self->ev[c], BPF_ANY));
	}
	for (int d = 0; d < 2; d++) {
		ASSERT_EQ(0, emul_set(d, ra, 1, 111));
		ASSERT_EQ(0, emul_set(d, rb, 1, 222));
	}
	kp = bpf_program__attach(self->skel->progs.in_cpu_id);
	ASSERT_NE(NULL, kp);
	for (int i = 0; i < n; i++) {
		pin(i % NCPU);
		wrong += num(MNT "/g/mon_data/mon_L3_00/llc_occupancy") != 111 * UNIT;
		wrong += num(MNT "/g/mon_data/mon_L3_01/llc_occupancy") != 111 * UNIT;
	}
	pin(0);
	bpf_link__destroy(kp);
	EXPECT_EQ(0, wrong);
	EXPECT_GT(seen_on(self->skel, 0).probe_hits + seen_on(self->skel, 2).probe_hits, 0);
	close(h);
}

TEST_HARNESS_MAIN
