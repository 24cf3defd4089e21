// SPDX-License-Identifier: GPL-2.0

//! The hardware: what the file system may ask of it ([`arch::Arch`]), x86
//! RDT behind it ([`rdt`]) reaching the CPU through [`rdt_access::Access`],
//! real or emulated ([`emul`]), and the context-switch hook ([`sched`]).

pub(crate) mod arch;
pub(crate) mod emul;
pub(crate) mod probe;
pub(crate) mod rdt;
pub(crate) mod rdt_access;
pub(crate) mod sched;
