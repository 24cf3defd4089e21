// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: the file system type, mount and unmount.
 *
 * Run as root in the guest. Each test leaves /sys/fs/resctrl unmounted.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define MNT "/sys/fs/resctrl"
#define RDTGROUP_SUPER_MAGIC 0x7655821

/* Whether the emulated part is AMD's (booted resctrl_rs.emulate=amd). */
static int is_amd(void)
{
	char buf[16] = "";
	FILE *f = fopen("/sys/kernel/debug/resctrl_rs_emul/flavour", "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return !strcmp(buf, "amd\n");
}

static int mount_resctrl(const char *opts)
{
	return mount("resctrl", MNT, "resctrl", 0, opts);
}

/*
 * The options /proc/mounts shows for the resctrl mount, after "rw,relatime"
 * (upstream's rdt_show_options()); a note when it has no such line.
 */
static const char *shown_options(void)
{
	static char line[512];
	const char *found = "(no resctrl line in /proc/mounts)";
	FILE *f = fopen("/proc/mounts", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " " MNT " resctrl rw,relatime");

		if (!p)
			continue;
		p += strlen(" " MNT " resctrl rw,relatime");
		p[strcspn(p, " ")] = 0;
		found = p;
		break;
	}
	if (f)
		fclose(f);
	return found;
}

static int is_mounted(void)
{
	struct statfs sfs;

	return statfs(MNT, &sfs) == 0 && sfs.f_type == RDTGROUP_SUPER_MAGIC;
}

/* Count the entries of @path other than "." and "..", and whether @name is a directory among them. */
static int count_entries(const char *path, const char *name, int *has_dir)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int n = 0;

	if (!d)
		return -1;
	*has_dir = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		if (!strcmp(de->d_name, name) && de->d_type == DT_DIR)
			*has_dir = 1;
	}
	closedir(d);
	return n;
}

FIXTURE(resctrl) {};

FIXTURE_SETUP(resctrl)
{
	while (is_mounted())
		umount(MNT);
}

FIXTURE_TEARDOWN(resctrl)
{
	while (is_mounted())
		umount(MNT);
}

TEST(filesystem_registered)
{
	char line[128];
	int found = 0;
	struct stat st;
	FILE *f = fopen("/proc/filesystems", "r");

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (!strcmp(line, "nodev\tresctrl\n"))
			found = 1;
	fclose(f);
	EXPECT_TRUE(found);
	/* The mount point exists before anything is mounted. */
	ASSERT_EQ(0, stat(MNT, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST_F(resctrl, mount_list_unmount)
{
	struct statfs sfs;
	int has_info, n;

	ASSERT_FALSE(is_mounted());
	ASSERT_EQ(0, mount_resctrl(NULL)) TH_LOG("mount: %s", strerror(errno));
	ASSERT_EQ(0, statfs(MNT, &sfs));
	EXPECT_EQ(RDTGROUP_SUPER_MAGIC, sfs.f_type);

	n = count_entries(MNT, "info", &has_info);
	EXPECT_GE(n, 1);
	EXPECT_TRUE(has_info);
	n = count_entries(MNT "/info", "", &has_info);
	EXPECT_GE(n, 0);

	ASSERT_EQ(0, umount(MNT)) TH_LOG("umount: %s", strerror(errno));
	EXPECT_FALSE(is_mounted());
	/* Mountable again after the unmount. */
	ASSERT_EQ(0, mount_resctrl(NULL));
	ASSERT_EQ(0, umount(MNT));
}

TEST_F(resctrl, second_mount_is_busy)
{
	char tmp[] = "/tmp/resctrl-mnt-XXXXXX";

	ASSERT_EQ(0, mount_resctrl(NULL));
	/* On the same mount point... */
	EXPECT_EQ(-1, mount_resctrl(NULL));
	EXPECT_EQ(EBUSY, errno);
	/* ...and anywhere else: there is one resctrl hierarchy. */
	ASSERT_NE(NULL, mkdtemp(tmp));
	EXPECT_EQ(-1, mount("resctrl", tmp, "resctrl", 0, NULL));
	EXPECT_EQ(EBUSY, errno);
	rmdir(tmp);
	/* The refused mounts did not disturb the first one. */
	EXPECT_TRUE(is_mounted());
	ASSERT_EQ(0, umount(MNT));
	EXPECT_FALSE(is_mounted());
}

TEST_F(resctrl, unknown_option_is_einval)
{
	EXPECT_EQ(-1, mount_resctrl("no_such_option"));
	EXPECT_EQ(EINVAL, errno);
	/* A known flag given a value. */
	EXPECT_EQ(-1, mount_resctrl("debug=1"));
	EXPECT_EQ(EINVAL, errno);
	/* A known option among them does not help. */
	EXPECT_EQ(-1, mount_resctrl("debug,no_such_option"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_FALSE(is_mounted());
	/* The failures left nothing behind that blocks the next mount. */
	ASSERT_EQ(0, mount_resctrl(NULL));
	ASSERT_EQ(0, umount(MNT));
}

TEST_F(resctrl, known_options)
{
	ASSERT_EQ(0, mount_resctrl("debug")) TH_LOG("mount -o debug: %s", strerror(errno));
	EXPECT_STREQ(",debug", shown_options());
	ASSERT_EQ(0, umount(MNT));
	/*
	 * The emulated Intel part has CDP on L3 and L2 (resctrl_cdp_test),
	 * the AMD part on L3 only: without L2 allocation, no L2 CDP.
	 * /proc/mounts shows what is in force, in upstream's order.
	 */
	ASSERT_EQ(0, mount_resctrl("debug,cdp"));
	EXPECT_STREQ(",cdp,debug", shown_options());
	ASSERT_EQ(0, umount(MNT));
	if (is_amd()) {
		EXPECT_EQ(-1, mount_resctrl("cdpl2"));
		EXPECT_EQ(EINVAL, errno);
	} else {
		ASSERT_EQ(0, mount_resctrl("cdpl2,cdp"));
		EXPECT_STREQ(",cdp,cdpl2", shown_options());
		ASSERT_EQ(0, umount(MNT));
	}
	/*
	 * The software controller needs linear MBA: the Intel part's, not
	 * the AMD part's (resctrl_mba_sc_test).
	 */
	if (is_amd()) {
		EXPECT_EQ(-1, mount_resctrl("mba_MBps"));
		EXPECT_EQ(EINVAL, errno);
	} else {
		ASSERT_EQ(0, mount_resctrl("debug,mba_MBps"));
		EXPECT_STREQ(",mba_MBps,debug", shown_options());
		ASSERT_EQ(0, umount(MNT));
	}
	ASSERT_EQ(0, mount_resctrl(NULL));
	EXPECT_STREQ("", shown_options());
	ASSERT_EQ(0, umount(MNT));
}

TEST_F(resctrl, non_root_mount_is_eperm)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (mount_resctrl(NULL) == 0)
			_exit(3);
		_exit(errno == EPERM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child: 2 setuid failed, 3 mounted, 4 wrong errno");
	EXPECT_FALSE(is_mounted());
}

TEST_F_TIMEOUT(resctrl, mount_unmount_1000_cycles, 300)
{
	int i, has_info;

	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, mount_resctrl(NULL)) TH_LOG("cycle %d: %s", i, strerror(errno));
		/* Instantiate dentries and inodes so the unmount has work. */
		ASSERT_GE(count_entries(MNT, "info", &has_info), 1);
		ASSERT_TRUE(has_info);
		ASSERT_EQ(0, umount(MNT)) TH_LOG("cycle %d: %s", i, strerror(errno));
	}
}

TEST_HARNESS_MAIN
