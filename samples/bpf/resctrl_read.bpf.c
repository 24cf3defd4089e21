// SPDX-License-Identifier: GPL-2.0
/*
 * Reads resctrl PMU events from BPF, as a monitoring agent would: the event
 * of the current CPU in a BPF_MAP_TYPE_PERF_EVENT_ARRAY, read with
 * bpf_perf_event_read_value(), no syscall and no resctrl lock.
 *
 *  - tick: a perf_event program on a cpu-clock timer (every millisecond
 *    on each CPU).
 *  - in_resctrl: a kprobe on a function resctrl-rs calls inside its perf
 *    callbacks and inside the writer's section of a domain's counters
 *    (the clock helper), so the read re-enters resctrl-rs on its own CPU.
 *  - in_cpu_id: a kprobe on the CPU id helper, which the emulated counters
 *    call between selecting a counter and reading it.
 *  - in_lock: a kretprobe on resctrl-rs' raw spinlock helper, so the read
 *    runs with one of its raw spinlocks held on this CPU.
 *
 * Per CPU it keeps how many reads succeeded and failed, the last value,
 * and how often a value went backwards.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_CPUS 64

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, MAX_CPUS);
} events SEC(".maps");

struct seen {
	__u64 reads;
	__u64 errors;
	__u64 backwards;
	__u64 last;
	__u64 probe_hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_CPUS);
	__type(key, __u32);
	__type(value, struct seen);
} seen SEC(".maps");

static __always_inline void sample(int probe)
{
	struct bpf_perf_event_value v = {};
	__u32 cpu = bpf_get_smp_processor_id();
	struct seen *s = bpf_map_lookup_elem(&seen, &cpu);

	if (!s)
		return;
	s->probe_hits += probe;
	if (bpf_perf_event_read_value(&events, BPF_F_CURRENT_CPU, &v, sizeof(v))) {
		s->errors++;
		return;
	}
	s->reads++;
	if (v.counter < s->last)
		s->backwards++;
	s->last = v.counter;
}

SEC("perf_event")
int tick(void *ctx)
{
	sample(0);
	return 0;
}

SEC("kprobe/rust_helper_resctrl_rs_clock")
int in_resctrl(void *ctx)
{
	sample(1);
	return 0;
}

SEC("kprobe/rust_helper_resctrl_rs_processor_id")
int in_cpu_id(void *ctx)
{
	sample(1);
	return 0;
}

SEC("kretprobe/rust_helper_resctrl_rs_raw_spin_lock_irqsave")
int in_lock(void *ctx)
{
	sample(1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
