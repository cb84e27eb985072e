namespace AtomicContext.MmCore.Simulation
{
    /// <summary>The two kernel configurations of KERNEL-FACTS §1.8.</summary>
    public enum PreemptionModel
    {
        /// <summary>CONFIG_PREEMPT_VOLUNTARY (RHEL 6): preempt_disable is a no-op, might_sleep is a cond_resched point, no atomic-sleep check.</summary>
        Voluntary,

        /// <summary>CONFIG_PREEMPT with CONFIG_DEBUG_SPINLOCK_SLEEP: preempt_count counts, might_sleep runs the __might_sleep check (and only prints).</summary>
        Full,
    }

    /// <summary>Which exit path runs: 2.6.32's per-CPU gather or 3.0's caller-owned one.</summary>
    public enum GatherKind
    {
        /// <summary>2.6.32: <see cref="mm_2_6_32"/> with <see cref="tlb_2_6_32"/>.</summary>
        PerCpu,

        /// <summary>3.0: <see cref="mm_3_0"/> with <see cref="tlb_3_0"/>.</summary>
        Stack,
    }

    /// <summary>The configuration of one simulated machine.</summary>
    public sealed class KernelConfig
    {
        /// <summary>Number of simulated CPUs.</summary>
        public int Cpus { get; init; } = 4;

        /// <summary>Preemption model.</summary>
        public PreemptionModel Preemption { get; init; } = PreemptionModel.Voluntary;

        /// <summary>Which exit path (and gather protocol) the kernel runs.</summary>
        public GatherKind Gather { get; init; } = GatherKind.PerCpu;

        /// <summary>The report's experiment: down_read/up_read at the start of __mem_cgroup_uncharge_common.</summary>
        public bool MemcgRwsemExperiment { get; init; } = true;

        /// <summary>The line exit_mmap's BUG_ON names (vanilla 2.6.32: 2139; the RHEL 6.1.z kernel of the report: 2352).</summary>
        public int ExitMmapBugLine { get; init; } = 2139;
    }
}
