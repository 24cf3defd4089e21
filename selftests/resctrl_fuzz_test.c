// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: random writes to every writable file (each counted write reaches
 * the kernel's write callback), and random mkdir/rmdir,
 * from a fixed seed (printed; RESCTRL_FUZZ_SEED overrides it, and
 * RESCTRL_FUZZ_WRITES the count: 20,000 by default, which takes about five
 * minutes in the test guest; `scripts/soak.sh fuzz` runs 100,000). The
 * kernel must stay quiet: the test run fails on any KASAN, lockdep, WARN or
 * kmemleak report it leaves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define MNT "/sys/fs/resctrl"

static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned int)((rng * 2685821657736338717ULL) >> 32) % n;
}

static const char *const dirs[] = {
	"", "/g1", "/g2", "/g1/mon_groups/m1", "/g1/mon_groups/m2", "/mon_groups/m3",
};
static const char *const files[] = { "tasks", "cpus", "cpus_list", "schemata", "mode" };

/* A random input: mostly near-valid, sometimes garbage. */
static int make_input(char *buf, size_t len, const char *file)
{
	int n = 0, i, k = rnd(10);

	if (k == 0) {
		n = rnd(64);
		for (i = 0; i < n; i++)
			buf[i] = (char)rnd(256);
		return n;
	}
	if (!strcmp(file, "tasks"))
		n = k < 5 ? snprintf(buf, len, "%u\n", rnd(400)) :
			    snprintf(buf, len, "%u,%u\n", rnd(400), rnd(70000));
	else if (!strcmp(file, "cpus"))
		n = snprintf(buf, len, "%x\n", rnd(40));
	else if (!strcmp(file, "cpus_list") && k < 5)
		n = snprintf(buf, len, "%u-%u\n", rnd(6), rnd(6));
	else if (!strcmp(file, "cpus_list"))
		n = snprintf(buf, len, "%u,%u:%u/%u\n", rnd(6), rnd(6), rnd(3), rnd(4));
	else if (!strcmp(file, "schemata") && k < 4)
		n = snprintf(buf, len, "L3:%u=%x;%u=%x\n", rnd(3), rnd(0x900), rnd(3), rnd(0x900));
	else if (!strcmp(file, "schemata") && k < 7)
		n = snprintf(buf, len, "MB:%u=%u\n", rnd(3), rnd(120));
	else if (!strcmp(file, "schemata"))
		n = snprintf(buf, len, "L3:%u=%x\nMB:%u=%u\n", rnd(3), rnd(0x900), rnd(3), rnd(120));
	else if (!strcmp(file, "mode"))
		n = snprintf(buf, len, "%s", (const char *[]){ "shareable\n", "exclusive\n",
			     "pseudo-locksetup\n", "exclusive", "x\n" }[rnd(5)]);
	else
		n = snprintf(buf, len, "%u\n", rnd(1 << 24));
	return n;
}

FIXTURE(fuzz) {};
FIXTURE_SETUP(fuzz) {}
FIXTURE_TEARDOWN(fuzz) {}

TEST_F_TIMEOUT(fuzz, random_writes, 14400)
{
	const char *env = getenv("RESCTRL_FUZZ_SEED");
	unsigned long long seed = env ? strtoull(env, NULL, 0) : 0x5eed2026ULL;
	long writes = getenv("RESCTRL_FUZZ_WRITES") ? atol(getenv("RESCTRL_FUZZ_WRITES")) : 20000;
	long ok = 0, refused = 0, unopened = 0, dirops = 0;
	char path[256], buf[128], threshold[64] = { 0 };
	struct timespec t0, t1;
	int fd;

	umount(MNT);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	/* The threshold outlives the mount: put it back afterwards. */
	fd = open(MNT "/info/L3_MON/max_threshold_occupancy", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, threshold, sizeof(threshold) - 1));
	close(fd);
	rng = seed ? seed : 1;
	printf("# seed 0x%llx, %ld writes\n", seed, writes);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Count writes that reached the file: MON groups lack some files. */
	while (ok + refused < writes) {
		const char *d = dirs[rnd(sizeof(dirs) / sizeof(dirs[0]))];

		if (rnd(200) == 0) {
			snprintf(path, sizeof(path), MNT "%s", d);
			if (*d && (rnd(2) ? mkdir(path, 0755) : rmdir(path)) == 0)
				dirops++;
			continue;
		}
		const char *f = rnd(100) == 0 ? "info/L3_MON/max_threshold_occupancy" :
			files[rnd(sizeof(files) / sizeof(files[0]))];
		if (f[0] == 'i')
			d = "";
		snprintf(path, sizeof(path), MNT "%s/%s", d, f);
		int n = make_input(buf, sizeof(buf), f);
		fd = open(path, O_WRONLY);
		if (fd < 0 && *d) {
			/* Make the group (and its parent) and try again. */
			char dir[256];

			snprintf(dir, sizeof(dir), MNT "%s", d);
			if (!strncmp(d, "/g1/mon_groups", 14))
				mkdir(MNT "/g1", 0755);
			mkdir(dir, 0755);
			fd = open(path, O_WRONLY);
		}
		if (fd < 0) {
			unopened++;
			continue;
		}
		if (write(fd, buf, n) == n)
			ok++;
		else
			refused++;
		close(fd);
		if (rnd(20) == 0) {
			snprintf(path, sizeof(path), MNT "%s/%s", d,
				 rnd(2) ? "schemata" : "tasks");
			fd = open(path, O_RDONLY);
			if (fd >= 0) {
				while (read(fd, buf, sizeof(buf)) > 0)
					;
				close(fd);
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %ld accepted, %ld refused, %ld not opened, %ld mkdir/rmdir, %.1f s\n",
	       ok, refused, unopened, dirops,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fd = open(MNT "/info/L3_MON/max_threshold_occupancy", O_WRONLY);
	EXPECT_LT(0, write(fd, threshold, strlen(threshold)));
	close(fd);
	/* Put every task back before leaving. */
	EXPECT_EQ(0, umount(MNT));
	EXPECT_LT(0, ok);
}

TEST_HARNESS_MAIN
