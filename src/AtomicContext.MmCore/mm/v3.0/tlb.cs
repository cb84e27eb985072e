namespace AtomicContext.MmCore
{
    /// <summary>
    /// The 3.0 gather protocol ("mm: mmu_gather rework", §3.2): the caller owns the gather on its stack;
    /// no per-CPU object, no preemption to disable, so no region.
    /// </summary>
    public static class tlb_3_0
    {
        /// <summary>tlb_gather_mmu(&amp;tlb, mm, fullmm) (3.0.1 memory.c L227-242): initialise the caller's gather.</summary>
        public static void tlb_gather_mmu(mmu_gather tlb, mm_struct mm, bool fullmm)
        {
            tlb.mm = mm;
            tlb.fullmm = fullmm;
            tlb.need_flush = false;
            tlb.nr = num_possible_cpus() == 1 ? ~0U : 0U;
        }

        /// <summary>tlb_finish_mmu() (3.0.1 L270-284): flush, free the batch.</summary>
        public static void tlb_finish_mmu(mmu_gather tlb, ulong start, ulong end)
        {
            tlb_flush_mmu(tlb, start, end);
            check_pgt_cache();
        }
    }
}
