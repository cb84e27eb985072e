using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>
    /// struct mmu_gather (include/asm-generic/tlb.h, §1.1), shared by both protocols: in 2.6.32 each CPU
    /// owns one (<see cref="tlb_2_6_32.tlb_gather_mmu"/> hands out this CPU's), in 3.0 the caller owns it
    /// on its stack (<c>new mmu_gather()</c> + <see cref="tlb_3_0.tlb_gather_mmu"/>).
    /// </summary>
    public sealed class mmu_gather
    {
        /// <summary>The address space being torn down.</summary>
        public mm_struct? mm;

        /// <summary>Pages queued in <see cref="pages"/>; ~0U means fast mode (no batching).</summary>
        public uint nr;

        /// <summary>A pte was really cleared: the TLB needs a flush.</summary>
        public bool need_flush;

        /// <summary>Tearing down the whole mm.</summary>
        public bool fullmm;

        /// <summary>Pages to free after the TLB flush.</summary>
        public readonly page?[] pages = new page?[asm_generic_tlb.FREE_PTE_NR];
    }

    /// <summary>The gather operations that did not change between 2.6.32 and 3.0 (tlb.h, arch/x86/mm/pgtable.c).</summary>
    public static class asm_generic_tlb
    {
        /// <summary>FREE_PTE_NR on SMP.</summary>
        public const int FREE_PTE_NR = 506;

        /// <summary>tlb_fast_mode().</summary>
        public static bool tlb_fast_mode(mmu_gather tlb) => tlb.nr == ~0U;

        /// <summary>tlb_flush(): x86 flush_tlb_mm(tlb->mm).</summary>
        public static void tlb_flush(mmu_gather tlb) => Machine.current.Globals.tlb_flushes++;

        /// <summary>tlb_flush_mmu(): flush, then free the batched pages.</summary>
        public static void tlb_flush_mmu(mmu_gather tlb, ulong start, ulong end)
        {
            if (!tlb.need_flush)
            {
                return;
            }

            tlb.need_flush = false;
            tlb_flush(tlb);
            if (!tlb_fast_mode(tlb))
            {
                free_pages_and_swap_cache(tlb.pages, (int)tlb.nr);
                tlb.nr = 0;
            }
        }

        /// <summary>tlb_remove_page(): queue a page (flushing when the batch is full).</summary>
        public static void tlb_remove_page(mmu_gather tlb, page page)
        {
            tlb.need_flush = true;
            if (tlb_fast_mode(tlb))
            {
                free_page_and_swap_cache(page);
                return;
            }

            tlb.pages[tlb.nr++] = page;
            if (tlb.nr >= FREE_PTE_NR)
            {
                tlb_flush_mmu(tlb, 0, 0);
            }
        }

        /// <summary>tlb_remove_tlb_entry().</summary>
        public static void tlb_remove_tlb_entry(mmu_gather tlb, page pte_page, ulong address) => tlb.need_flush = true;

        /// <summary>tlb_start_vma().</summary>
        public static void tlb_start_vma(mmu_gather tlb, vm_area_struct vma)
        {
        }

        /// <summary>tlb_end_vma().</summary>
        public static void tlb_end_vma(mmu_gather tlb, vm_area_struct vma)
        {
        }

        /// <summary>pte_free_tlb(): x86 ___pte_free_tlb → tlb_remove_page of the pte page.</summary>
        public static void pte_free_tlb(mmu_gather tlb, page pte_page, ulong address)
        {
            tlb.need_flush = true;
            tlb_remove_page(tlb, pte_page);
        }

        /// <summary>pmd_free_tlb().</summary>
        public static void pmd_free_tlb(mmu_gather tlb, page pmd_page, ulong address)
        {
            tlb.need_flush = true;
            tlb_remove_page(tlb, pmd_page);
        }

        /// <summary>pud_free_tlb().</summary>
        public static void pud_free_tlb(mmu_gather tlb, page pud_page, ulong address)
        {
            tlb.need_flush = true;
            tlb_remove_page(tlb, pud_page);
        }

        /// <summary>check_pgt_cache() (quicklists: nothing on x86).</summary>
        public static void check_pgt_cache()
        {
        }
    }
}
