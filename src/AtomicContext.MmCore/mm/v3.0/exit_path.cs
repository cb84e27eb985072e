namespace AtomicContext.MmCore
{
    /// <summary>
    /// The 3.0 exit path (3.0.1 mmap.c exit_mmap L2239-2283, memory.c unmap_vmas L1326-1375): the caller
    /// owns the gather; no ZAP_BLOCK_SIZE budget and no finish/regather dance.
    /// </summary>
    public static class mm_3_0
    {
        /// <summary>
        /// unmap_vmas(tlb, ...): a single gather pointer. 3.0 calls cond_resched() after each pte table in
        /// zap_pmd_range; the walk is shared with 2.6.32 here, so the same point is taken between the
        /// 2 MiB steps — legal now, since the gather is task-private.
        /// </summary>
        public static ulong unmap_vmas(mmu_gather tlb, vm_area_struct vma, ulong start_addr, ulong end_addr, ref ulong nr_accounted, zap_details? details)
        {
            ulong start = start_addr;
            mm_struct mm = vma.vm_mm;
            mmu_notifier_invalidate_range_start(mm, start_addr, end_addr);
            for (vm_area_struct? v = vma; v != null && v.vm_start < end_addr; v = v.vm_next)
            {
                start = v.vm_start > start_addr ? v.vm_start : start_addr;
                if (start >= v.vm_end)
                {
                    continue;
                }

                ulong end = v.vm_end < end_addr ? v.vm_end : end_addr;
                if (end <= v.vm_start)
                {
                    continue;
                }

                if ((v.vm_flags & VM_ACCOUNT) != 0)
                {
                    nr_accounted += (end - start) >> PAGE_SHIFT;
                }

                while (start != end)
                {
                    long zap_work = long.MaxValue;
                    start = unmap_page_range(tlb, v, start, pmd_addr_end(start, end), ref zap_work, details);
                    cond_resched();
                }
            }

            mmu_notifier_invalidate_range_end(mm, start_addr, end_addr);
            return start;
        }

        /// <summary>unmap_region() (3.0).</summary>
        public static void unmap_region(mm_struct mm, vm_area_struct vma, vm_area_struct? prev, ulong start, ulong end)
        {
            vm_area_struct? next = prev != null ? prev.vm_next : mm.mmap;
            ulong nr_accounted = 0;
            var tlb = new mmu_gather();
            lru_add_drain();
            tlb_3_0.tlb_gather_mmu(tlb, mm, false);
            unmap_vmas(tlb, vma, start, end, ref nr_accounted, null);
            vm_unacct_memory(nr_accounted);
            free_pgtables(tlb, vma, prev != null ? prev.vm_end : FIRST_USER_ADDRESS, next != null ? next.vm_start : 0);
            tlb_3_0.tlb_finish_mmu(tlb, start, end);
        }

        /// <summary>exit_mmap() (3.0).</summary>
        public static void exit_mmap(mm_struct mm)
        {
            var tlb = new mmu_gather();
            ulong nr_accounted = 0;
            vm_area_struct? vma = mm.mmap;
            if (vma == null)
            {
                mm.exited = true;
                return;
            }

            lru_add_drain();
            tlb_3_0.tlb_gather_mmu(tlb, mm, true);
            ulong end = unmap_vmas(tlb, vma, 0, ulong.MaxValue, ref nr_accounted, null);
            vm_unacct_memory(nr_accounted);
            free_pgtables(tlb, vma, FIRST_USER_ADDRESS, 0);
            tlb_3_0.tlb_finish_mmu(tlb, 0, end);

            while (vma != null)
            {
                vma = remove_vma(vma);
            }

            mm.mmap = null;
            mm.bugged = mm.nr_ptes > (FIRST_USER_ADDRESS + PMD_SIZE - 1) >> PMD_SHIFT;
            BUG_ON(mm.nr_ptes > (FIRST_USER_ADDRESS + PMD_SIZE - 1) >> PMD_SHIFT, "mm/mmap.c", Simulation.Machine.current.Config.ExitMmapBugLine);
            mm.exited = true;
        }
    }
}
