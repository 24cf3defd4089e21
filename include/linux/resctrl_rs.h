/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resctrl-rs: the kernel interfaces the Rust crate calls, gathered for
 * bindgen (rust/bindings/bindings_helper.h includes this file).
 */
#ifndef _LINUX_RESCTRL_RS_H
#define _LINUX_RESCTRL_RS_H

#include <linux/cacheinfo.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/kernfs.h>
#include <linux/perf_event.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>
#include <linux/timer.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <uapi/linux/magic.h>
#include <asm/msr.h>

#endif /* _LINUX_RESCTRL_RS_H */
