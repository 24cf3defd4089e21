// SPDX-License-Identifier: GPL-2.0
/*
 * The resctrl driver interface and the emulated part's run times,
 * exported to modules. The functions are Rust (src/kapi/resctrl_driver.rs,
 * src/kapi/resctrl_emul.rs); only their exports are C, since 6.12 exports
 * Rust functions of built-in code through C.
 */
#include <linux/export.h>
#include <linux/resctrl_driver.h>
#include <linux/resctrl_rs_emul.h>

EXPORT_SYMBOL_GPL(__resctrl_driver_register);
EXPORT_SYMBOL_GPL(resctrl_driver_unregister);
EXPORT_SYMBOL_GPL(resctrl_rs_emul_rmid_time);
