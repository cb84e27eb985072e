using static AtomicContext.MmCore.tlb_2_6_32;

namespace AtomicContext.MmCore
{
    /// <summary>
    /// The 2.6.32 exit path (mm/mmap.c exit_mmap L2096-2140 and unmap_region L1784-1800, mm/memory.c
    /// unmap_vmas L962-1078) on the per-CPU gather of <see cref="tlb_2_6_32"/>.
    /// </summary>
    public static class mm_2_6_32
    {
        /// <summary>The line of exit_mmap's BUG_ON in vanilla 2.6.32 (RHEL 2.6.32-131.13+ has it at 2352).</summary>
        public const int EXIT_MMAP_BUG_LINE = 2139;

        /// <summary>ZAP_BLOCK_SIZE: 8 pages with CONFIG_PREEMPT, else 1024 pages (L962-967).</summary>
        public static long ZAP_BLOCK_SIZE => CONFIG_PREEMPT ? 8 * (long)PAGE_SIZE : 1024 * (long)PAGE_SIZE;

        /// <summary>
        /// unmap_vmas() (L962-1078): unmap [start_addr, end_addr) of the VMA list in blocks of
        /// ZAP_BLOCK_SIZE worth of work; at the end of each full block, finish the gather, cond_resched(),
        /// and gather again — possibly on another CPU, hence <paramref name="tlbp"/> is by reference. The
        /// truncate path's i_mmap_lock early-out (details) is not modelled.
        /// </summary>
        public static ulong unmap_vmas(ref mmu_gather tlbp, vm_area_struct vma, ulong start_addr, ulong end_addr, ref ulong nr_accounted, zap_details? details)
        {
            long zap_work = ZAP_BLOCK_SIZE;
            ulong tlb_start = 0;
            bool tlb_start_valid = false;
            ulong start = start_addr;
            bool fullmm = tlbp.fullmm;
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
                    if (!tlb_start_valid)
                    {
                        tlb_start = start;
                        tlb_start_valid = true;
                    }

                    start = unmap_page_range(tlbp, v, start, end, ref zap_work, details);
                    if (zap_work > 0)
                    {
                        BUG_ON(start != end);
                        break;
                    }

                    tlb_finish_mmu(tlbp, tlb_start, start);
                    if (need_resched())
                    {
                        cond_resched();
                    }

                    tlbp = tlb_gather_mmu(v.vm_mm, fullmm);
                    tlb_start_valid = false;
                    zap_work = ZAP_BLOCK_SIZE;
                }
            }

            mmu_notifier_invalidate_range_end(mm, start_addr, end_addr);
            return start;
        }

        /// <summary>unmap_region() (mmap.c L1784-1800): munmap's teardown of the detached VMAs.</summary>
        public static void unmap_region(mm_struct mm, vm_area_struct vma, vm_area_struct? prev, ulong start, ulong end)
        {
            vm_area_struct? next = prev != null ? prev.vm_next : mm.mmap;
            ulong nr_accounted = 0;
            lru_add_drain();
            var tlb = tlb_gather_mmu(mm, false);
            end = unmap_vmas(ref tlb, vma, start, end, ref nr_accounted, null);
            vm_unacct_memory(nr_accounted);
            free_pgtables(tlb, vma, prev != null ? prev.vm_end : FIRST_USER_ADDRESS, next != null ? next.vm_start : 0);
            tlb_finish_mmu(tlb, start, end);
        }

        /// <summary>exit_mmap() (mmap.c L2096-2140), in its exact 2.6.32 order.</summary>
        public static void exit_mmap(mm_struct mm)
        {
            ulong nr_accounted = 0;
            // mmu_notifier_release(mm); munlock of VM_LOCKED VMAs (locked_vm is 0); arch_exit_mmap(mm): nothing to do here.
            vm_area_struct? vma = mm.mmap;
            if (vma == null)
            {
                mm.exited = true;
                return;
            }

            lru_add_drain();
            // flush_cache_mm(mm): nothing on x86.
            var tlb = tlb_gather_mmu(mm, true);
            ulong end = unmap_vmas(ref tlb, vma, 0, ulong.MaxValue, ref nr_accounted, null);
            vm_unacct_memory(nr_accounted);
            free_pgtables(tlb, vma, FIRST_USER_ADDRESS, 0);
            tlb_finish_mmu(tlb, 0, end);

            while (vma != null)
            {
                vma = remove_vma(vma);
            }

            mm.mmap = null;
            mm.bugged = mm.nr_ptes > (FIRST_USER_ADDRESS + PMD_SIZE - 1) >> PMD_SHIFT;
            BUG_ON(mm.nr_ptes > (FIRST_USER_ADDRESS + PMD_SIZE - 1) >> PMD_SHIFT, "mm/mmap.c", exit_mmap_bug_line());
            mm.exited = true;
        }

        private static int exit_mmap_bug_line() => Simulation.Machine.current.Config.ExitMmapBugLine;
    }
}
