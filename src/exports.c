// SPDX-License-Identifier: GPL-2.0
/*
 * The resctrl driver interface, exported to modules. The functions are
 * Rust (src/kapi/resctrl_driver.rs); only their exports are C, since 6.12
 * exports Rust functions of built-in code through C.
 */
#include <linux/export.h>
#include <linux/resctrl_driver.h>

EXPORT_SYMBOL_GPL(__resctrl_driver_register);
EXPORT_SYMBOL_GPL(resctrl_driver_unregister);
