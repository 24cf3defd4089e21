// SPDX-License-Identifier: GPL-2.0
/*
 * The guest the tests run in: at least two L3 domains (cacheinfo L3 ids) of
 * at least two CPUs each, so domain and hotplug work has something to act on.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define MAX_CPUS 64

static int read_int(const char *path, int *val)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%d", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* The cache level of index@idx of @cpu, or -1. */
static int cache_level(int cpu, int idx)
{
	char path[128];
	int level;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index%d/level", cpu, idx);
	return read_int(path, &level) ? -1 : level;
}

static int l3_id(int cpu)
{
	char path[128];
	int idx, id;

	for (idx = 0; idx < 8; idx++) {
		if (cache_level(cpu, idx) != 3)
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index%d/id", cpu, idx);
		return read_int(path, &id) ? -1 : id;
	}
	return -1;
}

TEST(two_l3_domains_of_two_cpus)
{
	int ids[MAX_CPUS], count[MAX_CPUS] = { 0 };
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	int ndom = 0, cpu, d;

	ASSERT_GE(ncpus, 4);
	ASSERT_LE(ncpus, MAX_CPUS);
	for (cpu = 0; cpu < ncpus; cpu++) {
		int id = l3_id(cpu);

		ASSERT_GE(id, 0) TH_LOG("CPU %d has no L3 id", cpu);
		for (d = 0; d < ndom && ids[d] != id; d++)
			;
		if (d == ndom)
			ids[ndom++] = id;
		count[d]++;
	}
	EXPECT_GE(ndom, 2);
	for (d = 0; d < ndom; d++)
		EXPECT_GE(count[d], 2) TH_LOG("L3 id %d has %d CPU(s)", ids[d], count[d]);
}

TEST_HARNESS_MAIN
