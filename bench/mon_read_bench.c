// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs benchmark (prints figures, asserts nothing): the cost of one
 * pread() of a mon_data file, from a given CPU.
 *
 *   mon_read_bench CPU FILE [N]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 3 ? atol(argv[3]) : 2000;
	struct timespec a, b;
	cpu_set_t set;
	char buf[64];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s CPU FILE [N]\n", argv[0]);
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[1]), &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	/* Warm up, then time. */
	for (int i = 0; i < 50; i++)
		pread(fd, buf, sizeof(buf), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		if (pread(fd, buf, sizeof(buf), 0) <= 0) {
			perror("pread");
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n / 1000.0);
	return 0;
}
