namespace AtomicContext.MmCore
{
    /// <summary>
    /// The 2.6.32 gather protocol (include/asm-generic/tlb.h L48-94, §1.1-1.2): one <see cref="mmu_gather"/>
    /// per CPU, handed out with preemption disabled and given back by <see cref="tlb_finish_mmu"/>.
    /// Between the two the task must not change CPU — a sleep there lets another task take the same gather.
    /// </summary>
    public static class tlb_2_6_32
    {
        // DEFINE_PER_CPU(struct mmu_gather, mmu_gathers): the 2.6.32 macro names the symbol per_cpu__mmu_gathers.
        private static readonly per_cpu<mmu_gather> per_cpu__mmu_gathers = new per_cpu<mmu_gather>(() => new mmu_gather());

        /// <summary>The per-CPU gathers.</summary>
        [PerCpu]
        public static per_cpu<mmu_gather> mmu_gathers => per_cpu__mmu_gathers;

        /// <summary>
        /// tlb_gather_mmu(mm, full_mm_flush) (L53-66): <c>&amp;get_cpu_var(mmu_gathers)</c> — preemption
        /// off, this CPU's object — set up for <paramref name="mm"/>. need_flush is left from the previous user.
        /// </summary>
        [EntersNoMigrate]
        [StackAlternative(typeof(tlb_3_0), nameof(tlb_3_0.tlb_gather_mmu))]
        public static mmu_gather tlb_gather_mmu(mm_struct mm, bool full_mm_flush)
        {
            preempt_disable();
            mmu_gather tlb = mmu_gathers[smp_processor_id()];
            tlb.mm = mm;
            tlb.nr = num_online_cpus() > 1 ? 0U : ~0U;
            tlb.fullmm = full_mm_flush;
            return tlb;
        }

        /// <summary>
        /// tlb_finish_mmu() (L85-94): flush and free, then put_cpu_var(mmu_gathers) = preempt_enable(). It
        /// does not check which CPU it runs on, nor clear tlb->mm.
        /// </summary>
        [ExitsNoMigrate]
        [StackAlternative(typeof(tlb_3_0), nameof(tlb_3_0.tlb_finish_mmu))]
        public static void tlb_finish_mmu(mmu_gather tlb, ulong start, ulong end)
        {
            tlb_flush_mmu(tlb, start, end);
            check_pgt_cache();
            preempt_enable();
        }
    }
}
