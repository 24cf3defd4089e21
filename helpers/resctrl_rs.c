// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: wrappers for the inline functions it calls. The overlay copies
 * this file to rust/helpers/ and includes it from rust/helpers/helpers.c.
 */

#include <linux/kernfs.h>
#include <linux/user_namespace.h>

enum kernfs_node_type rust_helper_kernfs_type(struct kernfs_node *kn)
{
	return kernfs_type(kn);
}

struct user_namespace *rust_helper_get_user_ns(struct user_namespace *ns)
{
	return get_user_ns(ns);
}

void rust_helper_put_user_ns(struct user_namespace *ns)
{
	put_user_ns(ns);
}
