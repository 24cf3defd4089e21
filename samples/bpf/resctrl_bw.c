// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl_bw: a group's memory bandwidth, sampled every millisecond by a
 * BPF program (resctrl_read.bpf.c) that reads the group's perf events,
 * with no syscall and no resctrl lock on the sampling path.
 *
 *   resctrl_bw GROUP_DIR [SECONDS]
 *
 * Opens the group's mbm_total_bytes event of the PMU "resctrl" on every
 * online CPU, puts the fds in the program's BPF_MAP_TYPE_PERF_EVENT_ARRAY,
 * runs the program from a 1 ms cpu-clock timer on each CPU, and prints
 * twice a second what the program last read on the first CPU of each L3
 * domain, as bytes and MB/s, beside read() of the same event.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "resctrl_read.skel.h"

#define MAX_CPUS 64

struct seen {
	unsigned long long reads, errors, backwards, last, probe_hits;
};

static long long num(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return atoll(buf);
}

static int perf_open(struct perf_event_attr *a, int cpu)
{
	return syscall(SYS_perf_event_open, a, -1, cpu, -1, 0);
}

int main(int argc, char **argv)
{
	int ncpu = sysconf(_SC_NPROCESSORS_CONF), secs = argc > 2 ? atoi(argv[2]) : 2;
	int ev[MAX_CPUS], first[MAX_CPUS], dom_of[MAX_CPUS], ndom = 0, type, g;
	unsigned long long prev[MAX_CPUS] = { 0 };
	struct perf_event_attr a = { .size = sizeof(a) };
	struct resctrl_read *skel;
	char path[256];

	if (argc < 2) {
		fprintf(stderr, "usage: %s GROUP_DIR [SECONDS]\n", argv[0]);
		return 2;
	}
	if (ncpu > MAX_CPUS)
		ncpu = MAX_CPUS;
	type = num("/sys/bus/event_source/devices/resctrl/type");
	g = open(argv[1], O_RDONLY | O_DIRECTORY);
	skel = resctrl_read__open_and_load();
	if (type < 0 || g < 0 || !skel) {
		fprintf(stderr, "resctrl_bw: no resctrl PMU, group or BPF program\n");
		return 1;
	}
	for (int c = 0; c < ncpu; c++) {
		__u32 key = c;
		int clk, id;

		ev[c] = -1;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index3/id", c);
		id = num(path);
		if (id < 0)
			continue;
		/* The group's bytes in this CPU's L3 domain. */
		a.type = type;
		a.config = g;
		a.config1 = 2;
		ev[c] = perf_open(&a, c);
		if (ev[c] < 0)
			continue;
		bpf_map_update_elem(bpf_map__fd(skel->maps.events), &key, &ev[c], BPF_ANY);
		/* The program reads it from a 1 ms timer on the CPU. */
		struct perf_event_attr t = {
			.size = sizeof(t), .type = PERF_TYPE_SOFTWARE,
			.config = PERF_COUNT_SW_CPU_CLOCK, .sample_period = 1000000,
		};
		clk = perf_open(&t, c);
		if (clk < 0 || !bpf_program__attach_perf_event(skel->progs.tick, clk)) {
			fprintf(stderr, "resctrl_bw: cannot attach on CPU %d\n", c);
			return 1;
		}
		dom_of[c] = id;
		if (ndom == 0 || dom_of[first[ndom - 1]] != id)
			first[ndom++] = c;
	}
	printf("%-6s", "time");
	for (int d = 0; d < ndom; d++)
		printf("  L3 %d (CPU %d): bytes, MB/s, read()", dom_of[first[d]], first[d]);
	printf("\n");
	for (int i = 1; i <= secs * 2; i++) {
		usleep(500000);
		printf("%4.1fs ", i / 2.0);
		for (int d = 0; d < ndom; d++) {
			int c = first[d];
			__u32 key = c;
			struct seen s = { 0 };
			unsigned long long v[2] = { 0 };

			bpf_map_lookup_elem(bpf_map__fd(skel->maps.seen), &key, &s);
			if (read(ev[c], v, sizeof(v)) < 0)
				v[0] = 0;
			printf("  %12llu %8.1f %12llu", s.last, (s.last - prev[c]) / 0.5 / 1e6, v[0]);
			prev[c] = s.last;
		}
		printf("\n");
	}
	for (int d = 0; d < ndom; d++) {
		__u32 key = first[d];
		struct seen s = { 0 };

		bpf_map_lookup_elem(bpf_map__fd(skel->maps.seen), &key, &s);
		printf("CPU %d: %llu BPF reads, %llu failed, %llu went backwards\n", first[d],
		       s.reads, s.errors, s.backwards);
	}
	resctrl_read__destroy(skel);
	return 0;
}
