/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resctrl-rs: C's layout of every struct field the Rust crate reads or
 * writes directly, and of every struct it builds, for bindgen.
 *
 * bindgen reconstructs struct layouts itself and can get them wrong (an
 * empty but aligned member, as struct sched_statistics without
 * CONFIG_SCHEDSTATS, is laid out with no alignment). The values of this
 * enum are the C compiler's own offsetof() and sizeof(), as clang computes
 * them for the bindings; src/kapi/layout.rs asserts at build time that the
 * generated structs agree, so a disagreement fails the build, naming the
 * field.
 *
 * A field the crate touches must be listed here and there; bitfields cannot
 * be, and are read and written by C helpers (rust/helpers/resctrl_rs.c), as
 * are all fields of struct task_struct.
 */
#ifndef _LINUX_RESCTRL_RS_LAYOUT_H
#define _LINUX_RESCTRL_RS_LAYOUT_H

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/kernfs.h>
#include <linux/notifier.h>
#include <linux/perf_event.h>
#include <linux/resctrl_driver.h>
#include <linux/seq_file.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

enum {
	RESCTRL_RS_OFF_fs_context__log_log = offsetof(struct fs_context, log.log),
	RESCTRL_RS_OFF_fs_context__log_prefix = offsetof(struct fs_context, log.prefix),
	RESCTRL_RS_OFF_fs_context__fs_private = offsetof(struct fs_context, fs_private),
	RESCTRL_RS_OFF_fs_context__ops = offsetof(struct fs_context, ops),
	RESCTRL_RS_OFF_fs_context__user_ns = offsetof(struct fs_context, user_ns),
	RESCTRL_RS_OFF_fs_parameter__key = offsetof(struct fs_parameter, key),
	RESCTRL_RS_OFF_fs_parameter__string = offsetof(struct fs_parameter, string),
	RESCTRL_RS_OFF_fs_context_operations__free = offsetof(struct fs_context_operations, free),
	RESCTRL_RS_OFF_fs_context_operations__dup = offsetof(struct fs_context_operations, dup),
	RESCTRL_RS_OFF_fs_context_operations__parse_param = offsetof(struct fs_context_operations, parse_param),
	RESCTRL_RS_OFF_fs_context_operations__parse_monolithic = offsetof(struct fs_context_operations, parse_monolithic),
	RESCTRL_RS_OFF_fs_context_operations__get_tree = offsetof(struct fs_context_operations, get_tree),
	RESCTRL_RS_OFF_fs_context_operations__reconfigure = offsetof(struct fs_context_operations, reconfigure),
	RESCTRL_RS_OFF_kernfs_fs_context__root = offsetof(struct kernfs_fs_context, root),
	RESCTRL_RS_OFF_kernfs_fs_context__magic = offsetof(struct kernfs_fs_context, magic),
	RESCTRL_RS_OFF_kernfs_fs_context__new_sb_created = offsetof(struct kernfs_fs_context, new_sb_created),
	RESCTRL_RS_OFF_kernfs_node__flags = offsetof(struct kernfs_node, flags),
	RESCTRL_RS_OFF_kernfs_node__parent = offsetof(struct kernfs_node, parent),
	RESCTRL_RS_OFF_kernfs_node__priv = offsetof(struct kernfs_node, priv),
	RESCTRL_RS_OFF_kernfs_open_file__kn = offsetof(struct kernfs_open_file, kn),
	RESCTRL_RS_OFF_kernfs_open_file__priv = offsetof(struct kernfs_open_file, priv),
	RESCTRL_RS_OFF_kernfs_ops__open = offsetof(struct kernfs_ops, open),
	RESCTRL_RS_OFF_kernfs_ops__release = offsetof(struct kernfs_ops, release),
	RESCTRL_RS_OFF_kernfs_ops__seq_show = offsetof(struct kernfs_ops, seq_show),
	RESCTRL_RS_OFF_kernfs_ops__write = offsetof(struct kernfs_ops, write),
	RESCTRL_RS_OFF_kernfs_ops__atomic_write_len = offsetof(struct kernfs_ops, atomic_write_len),
	RESCTRL_RS_OFF_kernfs_syscall_ops__show_options = offsetof(struct kernfs_syscall_ops, show_options),
	RESCTRL_RS_OFF_kernfs_syscall_ops__mkdir = offsetof(struct kernfs_syscall_ops, mkdir),
	RESCTRL_RS_OFF_kernfs_syscall_ops__rmdir = offsetof(struct kernfs_syscall_ops, rmdir),
	RESCTRL_RS_OFF_kernfs_syscall_ops__rename = offsetof(struct kernfs_syscall_ops, rename),
	RESCTRL_RS_OFF_file__f_path_dentry = offsetof(struct file, f_path.dentry),
	RESCTRL_RS_OFF_file__private_data = offsetof(struct file, private_data),
	RESCTRL_RS_OFF_inode__i_private = offsetof(struct inode, i_private),
	RESCTRL_RS_OFF_super_block__s_type = offsetof(struct super_block, s_type),
	RESCTRL_RS_OFF_dentry__d_sb = offsetof(struct dentry, d_sb),
	RESCTRL_RS_OFF_file_system_type__name = offsetof(struct file_system_type, name),
	RESCTRL_RS_OFF_file_system_type__init_fs_context = offsetof(struct file_system_type, init_fs_context),
	RESCTRL_RS_OFF_file_system_type__kill_sb = offsetof(struct file_system_type, kill_sb),
	RESCTRL_RS_OFF_file_operations__open = offsetof(struct file_operations, open),
	RESCTRL_RS_OFF_file_operations__read = offsetof(struct file_operations, read),
	RESCTRL_RS_OFF_file_operations__llseek = offsetof(struct file_operations, llseek),
	RESCTRL_RS_OFF_file_operations__release = offsetof(struct file_operations, release),
	RESCTRL_RS_OFF_file_operations__write = offsetof(struct file_operations, write),
	RESCTRL_RS_OFF_seq_file__private = offsetof(struct seq_file, private),
	RESCTRL_RS_OFF_perf_event__attr = offsetof(struct perf_event, attr),
	RESCTRL_RS_OFF_perf_event__cpu = offsetof(struct perf_event, cpu),
	RESCTRL_RS_OFF_perf_event__attach_state = offsetof(struct perf_event, attach_state),
	RESCTRL_RS_OFF_perf_event__pmu_private = offsetof(struct perf_event, pmu_private),
	RESCTRL_RS_OFF_perf_event__hw_state = offsetof(struct perf_event, hw.state),
	RESCTRL_RS_OFF_perf_event__pmu = offsetof(struct perf_event, pmu),
	RESCTRL_RS_OFF_perf_event__destroy = offsetof(struct perf_event, destroy),
	RESCTRL_RS_OFF_perf_event_attr__type = offsetof(struct perf_event_attr, type),
	RESCTRL_RS_OFF_perf_event_attr__config = offsetof(struct perf_event_attr, config),
	RESCTRL_RS_OFF_perf_event_attr__config1 = offsetof(struct perf_event_attr, config1),
	RESCTRL_RS_OFF_perf_event_attr__sample_period = offsetof(struct perf_event_attr, sample_period),
	RESCTRL_RS_OFF_pmu__type = offsetof(struct pmu, type),
	RESCTRL_RS_OFF_pmu__attr_groups = offsetof(struct pmu, attr_groups),
	RESCTRL_RS_OFF_pmu__task_ctx_nr = offsetof(struct pmu, task_ctx_nr),
	RESCTRL_RS_OFF_pmu__capabilities = offsetof(struct pmu, capabilities),
	RESCTRL_RS_OFF_pmu__event_init = offsetof(struct pmu, event_init),
	RESCTRL_RS_OFF_pmu__add = offsetof(struct pmu, add),
	RESCTRL_RS_OFF_pmu__del = offsetof(struct pmu, del),
	RESCTRL_RS_OFF_pmu__start = offsetof(struct pmu, start),
	RESCTRL_RS_OFF_pmu__stop = offsetof(struct pmu, stop),
	RESCTRL_RS_OFF_pmu__read = offsetof(struct pmu, read),
	RESCTRL_RS_OFF_perf_pmu_events_attr__attr = offsetof(struct perf_pmu_events_attr, attr),
	RESCTRL_RS_OFF_perf_pmu_events_attr__attr_attr = offsetof(struct perf_pmu_events_attr, attr.attr),
	RESCTRL_RS_OFF_perf_pmu_events_attr__attr_attr_name = offsetof(struct perf_pmu_events_attr, attr.attr.name),
	RESCTRL_RS_OFF_perf_pmu_events_attr__attr_attr_mode = offsetof(struct perf_pmu_events_attr, attr.attr.mode),
	RESCTRL_RS_OFF_perf_pmu_events_attr__attr_show = offsetof(struct perf_pmu_events_attr, attr.show),
	RESCTRL_RS_OFF_perf_pmu_events_attr__event_str = offsetof(struct perf_pmu_events_attr, event_str),
	RESCTRL_RS_OFF_device_attribute__attr = offsetof(struct device_attribute, attr),
	RESCTRL_RS_OFF_device_attribute__attr_name = offsetof(struct device_attribute, attr.name),
	RESCTRL_RS_OFF_device_attribute__attr_mode = offsetof(struct device_attribute, attr.mode),
	RESCTRL_RS_OFF_device_attribute__show = offsetof(struct device_attribute, show),
	RESCTRL_RS_OFF_attribute_group__name = offsetof(struct attribute_group, name),
	RESCTRL_RS_OFF_attribute_group__attrs = offsetof(struct attribute_group, attrs),
	RESCTRL_RS_OFF_refcount_struct__refs = offsetof(struct refcount_struct, refs),
	RESCTRL_RS_OFF_delayed_work__work = offsetof(struct delayed_work, work),
	RESCTRL_RS_OFF_delayed_work__timer = offsetof(struct delayed_work, timer),
	RESCTRL_RS_OFF_notifier_block__notifier_call = offsetof(struct notifier_block, notifier_call),
	RESCTRL_RS_OFF_notifier_block__next = offsetof(struct notifier_block, next),
	RESCTRL_RS_OFF_notifier_block__priority = offsetof(struct notifier_block, priority),
	RESCTRL_RS_OFF_cpumask__bits = offsetof(struct cpumask, bits),
	RESCTRL_RS_OFF_resctrl_group_info__type = offsetof(struct resctrl_group_info, type),
	RESCTRL_RS_OFF_resctrl_group_info__closid = offsetof(struct resctrl_group_info, closid),
	RESCTRL_RS_OFF_resctrl_group_info__rmid = offsetof(struct resctrl_group_info, rmid),
	RESCTRL_RS_OFF_resctrl_domain_info__id = offsetof(struct resctrl_domain_info, id),
	RESCTRL_RS_OFF_resctrl_domain_info__cpus = offsetof(struct resctrl_domain_info, cpus),
	RESCTRL_RS_OFF_resctrl_driver_event__name = offsetof(struct resctrl_driver_event, name),
	RESCTRL_RS_OFF_resctrl_driver_event__level = offsetof(struct resctrl_driver_event, level),
	RESCTRL_RS_OFF_resctrl_driver_event__frac_bits = offsetof(struct resctrl_driver_event, frac_bits),
	RESCTRL_RS_OFF_resctrl_driver_file__name = offsetof(struct resctrl_driver_file, name),
	RESCTRL_RS_OFF_resctrl_driver_file__mode = offsetof(struct resctrl_driver_file, mode),
	RESCTRL_RS_OFF_resctrl_driver_file__flags = offsetof(struct resctrl_driver_file, flags),
	RESCTRL_RS_OFF_resctrl_driver__name = offsetof(struct resctrl_driver, name),
	RESCTRL_RS_OFF_resctrl_driver__resource = offsetof(struct resctrl_driver, resource),
	RESCTRL_RS_OFF_resctrl_driver__scope = offsetof(struct resctrl_driver, scope),
	RESCTRL_RS_OFF_resctrl_driver__conflicts = offsetof(struct resctrl_driver, conflicts),
	RESCTRL_RS_OFF_resctrl_driver__events = offsetof(struct resctrl_driver, events),
	RESCTRL_RS_OFF_resctrl_driver__nr_events = offsetof(struct resctrl_driver, nr_events),
	RESCTRL_RS_OFF_resctrl_driver__files = offsetof(struct resctrl_driver, files),
	RESCTRL_RS_OFF_resctrl_driver__nr_files = offsetof(struct resctrl_driver, nr_files),
	RESCTRL_RS_OFF_resctrl_driver__num_rmids = offsetof(struct resctrl_driver, num_rmids),
	RESCTRL_RS_OFF_resctrl_driver__group_created = offsetof(struct resctrl_driver, group_created),
	RESCTRL_RS_OFF_resctrl_driver__group_removed = offsetof(struct resctrl_driver, group_removed),
	RESCTRL_RS_OFF_resctrl_driver__domain_online = offsetof(struct resctrl_driver, domain_online),
	RESCTRL_RS_OFF_resctrl_driver__domain_offline = offsetof(struct resctrl_driver, domain_offline),
	RESCTRL_RS_OFF_resctrl_driver__read_event = offsetof(struct resctrl_driver, read_event),
	RESCTRL_RS_OFF_resctrl_driver__show = offsetof(struct resctrl_driver, show),
	RESCTRL_RS_OFF_resctrl_driver__write = offsetof(struct resctrl_driver, write),
	RESCTRL_RS_OFF_resctrl_driver__priv = offsetof(struct resctrl_driver, priv),
	RESCTRL_RS_SIZE_fs_context_operations = sizeof(struct fs_context_operations),
	RESCTRL_RS_SIZE_kernfs_fs_context = sizeof(struct kernfs_fs_context),
	RESCTRL_RS_SIZE_kernfs_ops = sizeof(struct kernfs_ops),
	RESCTRL_RS_SIZE_kernfs_syscall_ops = sizeof(struct kernfs_syscall_ops),
	RESCTRL_RS_SIZE_file_system_type = sizeof(struct file_system_type),
	RESCTRL_RS_SIZE_file_operations = sizeof(struct file_operations),
	RESCTRL_RS_SIZE_pmu = sizeof(struct pmu),
	RESCTRL_RS_SIZE_perf_pmu_events_attr = sizeof(struct perf_pmu_events_attr),
	RESCTRL_RS_SIZE_device_attribute = sizeof(struct device_attribute),
	RESCTRL_RS_SIZE_attribute_group = sizeof(struct attribute_group),
	RESCTRL_RS_SIZE_refcount_struct = sizeof(struct refcount_struct),
	RESCTRL_RS_SIZE_delayed_work = sizeof(struct delayed_work),
	RESCTRL_RS_SIZE_notifier_block = sizeof(struct notifier_block),
	RESCTRL_RS_SIZE_cpumask = sizeof(struct cpumask),
	RESCTRL_RS_SIZE_lock_class_key = sizeof(struct lock_class_key),
	RESCTRL_RS_SIZE_raw_spinlock = sizeof(struct raw_spinlock),
	RESCTRL_RS_SIZE_resctrl_group_info = sizeof(struct resctrl_group_info),
	RESCTRL_RS_SIZE_resctrl_domain_info = sizeof(struct resctrl_domain_info),
	RESCTRL_RS_SIZE_resctrl_driver_event = sizeof(struct resctrl_driver_event),
	RESCTRL_RS_SIZE_resctrl_driver_file = sizeof(struct resctrl_driver_file),
	RESCTRL_RS_SIZE_resctrl_driver = sizeof(struct resctrl_driver),
	RESCTRL_RS_SIZE_kuid_t = sizeof(kuid_t),
	RESCTRL_RS_SIZE_kgid_t = sizeof(kgid_t),
	RESCTRL_RS_SIZE_atomic_t = sizeof(atomic_t),
};

#endif /* _LINUX_RESCTRL_RS_LAYOUT_H */
