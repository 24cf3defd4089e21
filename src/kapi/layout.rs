// SPDX-License-Identifier: GPL-2.0

//! Proof, at build time, that the Rust bindings lay out C's structs as the
//! C compiler does, for every field this crate (and `kernel::resctrl`)
//! reads or writes directly, and every struct it builds.
//!
//! bindgen reconstructs layouts itself and can be wrong where clang is not:
//! it gives an empty but cacheline-aligned member (`struct sched_statistics`
//! without `CONFIG_SCHEDSTATS`) no alignment, so in 6.12 every later field
//! of `struct task_struct` was 16 bytes off and a task's CLOSID and RMID
//! were written over `ptrace_message`. `include/linux/resctrl_rs_layout.h`
//! gives C's `offsetof()` and `sizeof()` as enum constants, which clang
//! evaluates for the bindings; each is compared here with Rust's
//! [`core::mem::offset_of!`] and [`core::mem::size_of`]. A mismatch stops
//! the build with the name of the field.
//!
//! Adding a direct field access means adding it here and there. Bitfields
//! cannot be checked this way and go through C helpers, as do all fields of
//! `struct task_struct` ([`super::task`]).
//!
//! C header: [`include/linux/resctrl_rs_layout.h`](srctree/include/linux/resctrl_rs_layout.h)

use core::mem::{offset_of, size_of};
use kernel::bindings;

/// Asserts, for each `struct { rust.field.path => C_OFFSET_CONSTANT, .. }`,
/// that the generated field is at C's offset.
macro_rules! same_offsets {
    ($($ty:ident { $($($f:ident).+ => $c:ident,)+ })+) => {
        $($(
            const _: () = assert!(
                offset_of!(bindings::$ty, $($f).+) == bindings::$c as usize,
                concat!(
                    "bindgen places ", stringify!($ty), ".", stringify!($($f).+),
                    " elsewhere than C does"
                )
            );
        )+)+
    };
}

/// Asserts, for each `struct => C_SIZE_CONSTANT`, that the generated struct
/// has C's size.
macro_rules! same_sizes {
    ($($ty:ident => $c:ident,)+) => {
        $(
            const _: () = assert!(
                size_of::<bindings::$ty>() == bindings::$c as usize,
                concat!("bindgen sizes ", stringify!($ty), " otherwise than C does")
            );
        )+
    };
}

same_offsets! {
    fs_context {
        log.log => RESCTRL_RS_OFF_fs_context__log_log,
        log.prefix => RESCTRL_RS_OFF_fs_context__log_prefix,
        fs_private => RESCTRL_RS_OFF_fs_context__fs_private,
        ops => RESCTRL_RS_OFF_fs_context__ops,
        user_ns => RESCTRL_RS_OFF_fs_context__user_ns,
    }
    fs_parameter {
        key => RESCTRL_RS_OFF_fs_parameter__key,
        __bindgen_anon_1.string => RESCTRL_RS_OFF_fs_parameter__string,
    }
    fs_context_operations {
        free => RESCTRL_RS_OFF_fs_context_operations__free,
        dup => RESCTRL_RS_OFF_fs_context_operations__dup,
        parse_param => RESCTRL_RS_OFF_fs_context_operations__parse_param,
        parse_monolithic => RESCTRL_RS_OFF_fs_context_operations__parse_monolithic,
        get_tree => RESCTRL_RS_OFF_fs_context_operations__get_tree,
        reconfigure => RESCTRL_RS_OFF_fs_context_operations__reconfigure,
    }
    kernfs_fs_context {
        root => RESCTRL_RS_OFF_kernfs_fs_context__root,
        magic => RESCTRL_RS_OFF_kernfs_fs_context__magic,
        new_sb_created => RESCTRL_RS_OFF_kernfs_fs_context__new_sb_created,
    }
    kernfs_node {
        flags => RESCTRL_RS_OFF_kernfs_node__flags,
        parent => RESCTRL_RS_OFF_kernfs_node__parent,
        priv_ => RESCTRL_RS_OFF_kernfs_node__priv,
    }
    kernfs_open_file {
        kn => RESCTRL_RS_OFF_kernfs_open_file__kn,
        priv_ => RESCTRL_RS_OFF_kernfs_open_file__priv,
    }
    kernfs_ops {
        open => RESCTRL_RS_OFF_kernfs_ops__open,
        release => RESCTRL_RS_OFF_kernfs_ops__release,
        seq_show => RESCTRL_RS_OFF_kernfs_ops__seq_show,
        write => RESCTRL_RS_OFF_kernfs_ops__write,
        atomic_write_len => RESCTRL_RS_OFF_kernfs_ops__atomic_write_len,
    }
    kernfs_syscall_ops {
        show_options => RESCTRL_RS_OFF_kernfs_syscall_ops__show_options,
        mkdir => RESCTRL_RS_OFF_kernfs_syscall_ops__mkdir,
        rmdir => RESCTRL_RS_OFF_kernfs_syscall_ops__rmdir,
        rename => RESCTRL_RS_OFF_kernfs_syscall_ops__rename,
    }
    file {
        f_path.dentry => RESCTRL_RS_OFF_file__f_path_dentry,
        private_data => RESCTRL_RS_OFF_file__private_data,
    }
    inode {
        i_private => RESCTRL_RS_OFF_inode__i_private,
    }
    super_block {
        s_type => RESCTRL_RS_OFF_super_block__s_type,
    }
    dentry {
        d_sb => RESCTRL_RS_OFF_dentry__d_sb,
    }
    file_system_type {
        name => RESCTRL_RS_OFF_file_system_type__name,
        init_fs_context => RESCTRL_RS_OFF_file_system_type__init_fs_context,
        kill_sb => RESCTRL_RS_OFF_file_system_type__kill_sb,
    }
    file_operations {
        open => RESCTRL_RS_OFF_file_operations__open,
        read => RESCTRL_RS_OFF_file_operations__read,
        llseek => RESCTRL_RS_OFF_file_operations__llseek,
        release => RESCTRL_RS_OFF_file_operations__release,
        write => RESCTRL_RS_OFF_file_operations__write,
    }
    seq_file {
        private => RESCTRL_RS_OFF_seq_file__private,
    }
    perf_event {
        attr => RESCTRL_RS_OFF_perf_event__attr,
        cpu => RESCTRL_RS_OFF_perf_event__cpu,
        attach_state => RESCTRL_RS_OFF_perf_event__attach_state,
        pmu_private => RESCTRL_RS_OFF_perf_event__pmu_private,
        hw.state => RESCTRL_RS_OFF_perf_event__hw_state,
        pmu => RESCTRL_RS_OFF_perf_event__pmu,
        destroy => RESCTRL_RS_OFF_perf_event__destroy,
    }
    perf_event_attr {
        type_ => RESCTRL_RS_OFF_perf_event_attr__type,
        config => RESCTRL_RS_OFF_perf_event_attr__config,
        __bindgen_anon_3.config1 => RESCTRL_RS_OFF_perf_event_attr__config1,
        __bindgen_anon_1.sample_period => RESCTRL_RS_OFF_perf_event_attr__sample_period,
    }
    pmu {
        type_ => RESCTRL_RS_OFF_pmu__type,
        attr_groups => RESCTRL_RS_OFF_pmu__attr_groups,
        task_ctx_nr => RESCTRL_RS_OFF_pmu__task_ctx_nr,
        capabilities => RESCTRL_RS_OFF_pmu__capabilities,
        event_init => RESCTRL_RS_OFF_pmu__event_init,
        add => RESCTRL_RS_OFF_pmu__add,
        del => RESCTRL_RS_OFF_pmu__del,
        start => RESCTRL_RS_OFF_pmu__start,
        stop => RESCTRL_RS_OFF_pmu__stop,
        read => RESCTRL_RS_OFF_pmu__read,
    }
    perf_pmu_events_attr {
        attr => RESCTRL_RS_OFF_perf_pmu_events_attr__attr,
        attr.attr => RESCTRL_RS_OFF_perf_pmu_events_attr__attr_attr,
        attr.attr.name => RESCTRL_RS_OFF_perf_pmu_events_attr__attr_attr_name,
        attr.attr.mode => RESCTRL_RS_OFF_perf_pmu_events_attr__attr_attr_mode,
        attr.show => RESCTRL_RS_OFF_perf_pmu_events_attr__attr_show,
        event_str => RESCTRL_RS_OFF_perf_pmu_events_attr__event_str,
    }
    device_attribute {
        attr => RESCTRL_RS_OFF_device_attribute__attr,
        attr.name => RESCTRL_RS_OFF_device_attribute__attr_name,
        attr.mode => RESCTRL_RS_OFF_device_attribute__attr_mode,
        show => RESCTRL_RS_OFF_device_attribute__show,
    }
    attribute_group {
        name => RESCTRL_RS_OFF_attribute_group__name,
        attrs => RESCTRL_RS_OFF_attribute_group__attrs,
    }
    refcount_struct {
        refs => RESCTRL_RS_OFF_refcount_struct__refs,
    }
    delayed_work {
        work => RESCTRL_RS_OFF_delayed_work__work,
        timer => RESCTRL_RS_OFF_delayed_work__timer,
    }
    notifier_block {
        notifier_call => RESCTRL_RS_OFF_notifier_block__notifier_call,
        next => RESCTRL_RS_OFF_notifier_block__next,
        priority => RESCTRL_RS_OFF_notifier_block__priority,
    }
    cpumask {
        bits => RESCTRL_RS_OFF_cpumask__bits,
    }
    resctrl_group_info {
        type_ => RESCTRL_RS_OFF_resctrl_group_info__type,
        closid => RESCTRL_RS_OFF_resctrl_group_info__closid,
        rmid => RESCTRL_RS_OFF_resctrl_group_info__rmid,
    }
    resctrl_domain_info {
        id => RESCTRL_RS_OFF_resctrl_domain_info__id,
        cpus => RESCTRL_RS_OFF_resctrl_domain_info__cpus,
    }
    resctrl_driver_event {
        name => RESCTRL_RS_OFF_resctrl_driver_event__name,
        level => RESCTRL_RS_OFF_resctrl_driver_event__level,
        frac_bits => RESCTRL_RS_OFF_resctrl_driver_event__frac_bits,
    }
    resctrl_driver_file {
        name => RESCTRL_RS_OFF_resctrl_driver_file__name,
        mode => RESCTRL_RS_OFF_resctrl_driver_file__mode,
        flags => RESCTRL_RS_OFF_resctrl_driver_file__flags,
    }
    resctrl_driver {
        name => RESCTRL_RS_OFF_resctrl_driver__name,
        resource => RESCTRL_RS_OFF_resctrl_driver__resource,
        scope => RESCTRL_RS_OFF_resctrl_driver__scope,
        conflicts => RESCTRL_RS_OFF_resctrl_driver__conflicts,
        events => RESCTRL_RS_OFF_resctrl_driver__events,
        nr_events => RESCTRL_RS_OFF_resctrl_driver__nr_events,
        files => RESCTRL_RS_OFF_resctrl_driver__files,
        nr_files => RESCTRL_RS_OFF_resctrl_driver__nr_files,
        num_rmids => RESCTRL_RS_OFF_resctrl_driver__num_rmids,
        group_created => RESCTRL_RS_OFF_resctrl_driver__group_created,
        group_removed => RESCTRL_RS_OFF_resctrl_driver__group_removed,
        domain_online => RESCTRL_RS_OFF_resctrl_driver__domain_online,
        domain_offline => RESCTRL_RS_OFF_resctrl_driver__domain_offline,
        read_event => RESCTRL_RS_OFF_resctrl_driver__read_event,
        show => RESCTRL_RS_OFF_resctrl_driver__show,
        write => RESCTRL_RS_OFF_resctrl_driver__write,
        priv_ => RESCTRL_RS_OFF_resctrl_driver__priv,
    }
}

same_sizes! {
    fs_context_operations => RESCTRL_RS_SIZE_fs_context_operations,
    kernfs_fs_context => RESCTRL_RS_SIZE_kernfs_fs_context,
    kernfs_ops => RESCTRL_RS_SIZE_kernfs_ops,
    kernfs_syscall_ops => RESCTRL_RS_SIZE_kernfs_syscall_ops,
    file_system_type => RESCTRL_RS_SIZE_file_system_type,
    file_operations => RESCTRL_RS_SIZE_file_operations,
    pmu => RESCTRL_RS_SIZE_pmu,
    perf_pmu_events_attr => RESCTRL_RS_SIZE_perf_pmu_events_attr,
    device_attribute => RESCTRL_RS_SIZE_device_attribute,
    attribute_group => RESCTRL_RS_SIZE_attribute_group,
    refcount_struct => RESCTRL_RS_SIZE_refcount_struct,
    delayed_work => RESCTRL_RS_SIZE_delayed_work,
    notifier_block => RESCTRL_RS_SIZE_notifier_block,
    cpumask => RESCTRL_RS_SIZE_cpumask,
    lock_class_key => RESCTRL_RS_SIZE_lock_class_key,
    raw_spinlock => RESCTRL_RS_SIZE_raw_spinlock,
    resctrl_group_info => RESCTRL_RS_SIZE_resctrl_group_info,
    resctrl_domain_info => RESCTRL_RS_SIZE_resctrl_domain_info,
    resctrl_driver_event => RESCTRL_RS_SIZE_resctrl_driver_event,
    resctrl_driver_file => RESCTRL_RS_SIZE_resctrl_driver_file,
    resctrl_driver => RESCTRL_RS_SIZE_resctrl_driver,
    kuid_t => RESCTRL_RS_SIZE_kuid_t,
    kgid_t => RESCTRL_RS_SIZE_kgid_t,
    atomic_t => RESCTRL_RS_SIZE_atomic_t,
}
