// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs benchmark (prints figures, asserts nothing): the cost of one
 * read() of a resctrl perf event, of one pread() of the same counter's
 * mon_data file, and of one read() of a cpu-clock event, with the reader
 * pinned to CPU and both events bound to it.
 *
 *   perf_read_bench CPU GROUP_DIR DOMAIN [N]
 *
 * Counts GROUP_DIR's mbm_total_bytes in DOMAIN, whose CPUs must include CPU.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int open_event(unsigned int type, unsigned long long config, unsigned long long config1,
		      int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.config1 = config1;
	return syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Microseconds per call of read() (@file 0) or pread() (@file 1) on @fd. */
static double time_reads(int fd, int file, long n)
{
	char buf[64];
	double a;

	for (int i = 0; i < 10; i++)
		file ? pread(fd, buf, sizeof(buf), 0) : read(fd, buf, 8);
	a = now_ns();
	for (long i = 0; i < n; i++)
		if ((file ? pread(fd, buf, sizeof(buf), 0) : read(fd, buf, 8)) <= 0) {
			perror("read");
			exit(1);
		}
	return (now_ns() - a) / n / 1000.0;
}

#define ROUNDS 20

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of ROUNDS values (sorts them). */
static double median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), cmp_double);
	return (v[ROUNDS / 2 - 1] + v[ROUNDS / 2]) / 2;
}

int main(int argc, char **argv)
{
	double r_file[ROUNDS], r_clk[ROUNDS];
	long n = argc > 4 ? atol(argv[4]) : 2000;
	int cpu, group, ev, clk, file;
	double t_ev, t_file, t_clk;
	char path[512];
	cpu_set_t set;
	FILE *f;
	int type;

	if (argc < 4) {
		fprintf(stderr, "usage: %s CPU GROUP_DIR DOMAIN [N]\n", argv[0]);
		return 2;
	}
	cpu = atoi(argv[1]);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}
	f = fopen("/sys/bus/event_source/devices/resctrl/type", "r");
	if (!f || fscanf(f, "%d", &type) != 1) {
		fprintf(stderr, "no resctrl PMU\n");
		return 1;
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/mon_data/mon_L3_%02d/mbm_total_bytes", argv[2],
		 atoi(argv[3]));
	group = open(argv[2], O_RDONLY | O_DIRECTORY);
	file = open(path, O_RDONLY);
	ev = open_event(type, group, 2, cpu);
	clk = open_event(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 0, cpu);
	if (group < 0 || file < 0 || ev < 0 || clk < 0) {
		perror("open");
		return 1;
	}
	/*
	 * Interleaved rounds, so that drift of the machine hits all three alike;
	 * the ratios of each round too, whose median a slow spell of the host
	 * moves less than it moves the means.
	 */
	t_ev = t_file = t_clk = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double e = time_reads(ev, 0, n / ROUNDS);
		double f = time_reads(file, 1, n / ROUNDS);
		double c = time_reads(clk, 0, n / ROUNDS);

		t_ev += e;
		t_file += f;
		t_clk += c;
		r_file[r] = e / f;
		r_clk[r] = e / c;
	}
	t_ev /= ROUNDS;
	t_file /= ROUNDS;
	t_clk /= ROUNDS;
	printf("read() of the resctrl event %.2f us, pread() of the mon_data file %.2f us, read() of cpu-clock %.2f us\n",
	       t_ev, t_file, t_clk);
	printf("resctrl event / file %.3f (target <= 0.25), resctrl event / cpu-clock %.3f (target <= 1.3)\n",
	       t_ev / t_file, t_ev / t_clk);
	printf("median of %d rounds: resctrl event / file %.3f, resctrl event / cpu-clock %.3f\n",
	       ROUNDS, median(r_file), median(r_clk));
	return 0;
}
