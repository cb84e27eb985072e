namespace AtomicContext.MmCore
{
    /// <summary>
    /// mm/memory.c, the parts shared by 2.6.32 and 3.0: the unmapping walk (unmap_page_range →
    /// zap_pud_range → zap_pmd_range → zap_pte_range), page-table freeing (free_pgtables → … →
    /// free_pte_range, keyed on tlb->mm) and the page-fault path that allocates pte pages (nr_ptes++).
    /// Both protocols' gathers are a plain <see cref="mmu_gather"/> here.
    /// </summary>
    public static class memory
    {
        /// <summary>VM_FAULT_OOM.</summary>
        public const int VM_FAULT_OOM = 1;

        /// <summary>pmd_none().</summary>
        public static bool pmd_none(page? pmd) => pmd == null;

        /// <summary>vm_normal_page().</summary>
        public static page? vm_normal_page(vm_area_struct vma, ulong addr, pte_t pte) => pte.page;

        /// <summary>pte_offset_map_lock(): map the pte page and take its split ptlock.</summary>
        [EntersNoMigrate]
        public static page pte_offset_map_lock(mm_struct mm, page pmd, out spinlock_t ptl)
        {
            ptl = pmd.ptl!;
            spin_lock(ptl);
            return pmd;
        }

        /// <summary>pte_unmap_unlock().</summary>
        [ExitsNoMigrate]
        public static void pte_unmap_unlock(page pte, spinlock_t ptl)
        {
            spin_unlock(ptl);
        }

        /// <summary>add_mm_rss().</summary>
        public static void add_mm_rss(mm_struct mm, long file_rss, long anon_rss)
        {
            mm.file_rss += file_rss;
            mm.anon_rss += anon_rss;
        }

        /// <summary>mmu_notifier_invalidate_range_start() (no notifiers registered).</summary>
        public static void mmu_notifier_invalidate_range_start(mm_struct mm, ulong start, ulong end)
        {
        }

        /// <summary>mmu_notifier_invalidate_range_end().</summary>
        public static void mmu_notifier_invalidate_range_end(mm_struct mm, ulong start, ulong end)
        {
        }

        /// <summary>
        /// zap_pte_range() (2.6.32 L798-888): under the pte lock, clear the ptes of [addr, end), charging
        /// rss to <c>tlb->mm</c> (the gather's mm, not vma->vm_mm), dropping each page's rmap and queueing
        /// it in the gather. Each present pte costs PAGE_SIZE of the zap budget, each none pte 1.
        /// </summary>
        public static ulong zap_pte_range(mmu_gather tlb, vm_area_struct vma, page pmd, ulong addr, ulong end, ref long zap_work, zap_details? details)
        {
            mm_struct mm = tlb.mm!;
            long file_rss = 0;
            long anon_rss = 0;
            page pte = pte_offset_map_lock(mm, pmd, out spinlock_t ptl);
            pte_t[] ptes = pte.ptes!;
            do
            {
                int i = pte_index(addr);
                pte_t ptent = ptes[i];
                if (!ptent.present)
                {
                    zap_work--;
                    continue;
                }

                zap_work -= (long)PAGE_SIZE;
                page? page = vm_normal_page(vma, addr, ptent);
                ptes[i] = default;
                tlb_remove_tlb_entry(tlb, pte, addr);
                if (page == null)
                {
                    continue;
                }

                if (PageAnon(page))
                {
                    anon_rss--;
                }
                else
                {
                    if (ptent.dirty)
                    {
                        page.flags |= page_alloc.PG_dirty;
                    }

                    file_rss--;
                }

                page_remove_rmap(page);
                tlb_remove_page(tlb, page);
            }
            while ((addr += PAGE_SIZE) != end && zap_work > 0);

            add_mm_rss(mm, file_rss, anon_rss);
            pte_unmap_unlock(pte, ptl);
            return addr;
        }

        /// <summary>zap_pmd_range() (L890-910).</summary>
        public static ulong zap_pmd_range(mmu_gather tlb, vm_area_struct vma, page pud, ulong addr, ulong end, ref long zap_work, zap_details? details)
        {
            page?[] pmds = pud.table!;
            do
            {
                ulong next = pmd_addr_end(addr, end);
                page? pmd = pmds[pmd_index(addr)];
                if (pmd_none(pmd))
                {
                    zap_work--;
                    addr = next;
                    continue;
                }

                next = zap_pte_range(tlb, vma, pmd!, addr, next, ref zap_work, details);
                addr = next;
            }
            while (addr != end && zap_work > 0);

            return addr;
        }

        /// <summary>zap_pud_range() (L912-932).</summary>
        public static ulong zap_pud_range(mmu_gather tlb, vm_area_struct vma, page pgd, ulong addr, ulong end, ref long zap_work, zap_details? details)
        {
            page?[] puds = pgd.table!;
            do
            {
                ulong next = pud_addr_end(addr, end);
                page? pud = puds[pud_index(addr)];
                if (pud == null)
                {
                    zap_work--;
                    addr = next;
                    continue;
                }

                next = zap_pmd_range(tlb, vma, pud, addr, next, ref zap_work, details);
                addr = next;
            }
            while (addr != end && zap_work > 0);

            return addr;
        }

        /// <summary>unmap_page_range() (L934-960): walks <c>vma->vm_mm</c>'s page tables.</summary>
        public static ulong unmap_page_range(mmu_gather tlb, vm_area_struct vma, ulong addr, ulong end, ref long zap_work, zap_details? details)
        {
            page?[] pgds = vma.vm_mm.pgd.table!;
            tlb_start_vma(tlb, vma);
            do
            {
                ulong next = pgd_addr_end(addr, end);
                page? pgd = pgds[pgd_index(addr)];
                if (pgd == null)
                {
                    zap_work--;
                    addr = next;
                    continue;
                }

                next = zap_pud_range(tlb, vma, pgd, addr, next, ref zap_work, details);
                addr = next;
            }
            while (addr != end && zap_work > 0);

            tlb_end_vma(tlb, vma);
            return addr;
        }

        /// <summary>
        /// free_pte_range() (L152-159): clear the pmd, queue the pte page, and decrement
        /// <c>tlb->mm->nr_ptes</c> — with no lock (mmap_sem held for write or mm_users == 0).
        /// </summary>
        public static void free_pte_range(mmu_gather tlb, page?[] pmd, int index, ulong addr)
        {
            page token = pmd[index]!;
            pmd[index] = null;
            pte_free_tlb(tlb, token, addr);
            tlb.mm!.nr_ptes--;
        }

        /// <summary>free_pmd_range() (L161-192).</summary>
        public static void free_pmd_range(mmu_gather tlb, page?[] pud, int pud_idx, ulong addr, ulong end, ulong floor, ulong ceiling)
        {
            ulong start = addr;
            page?[] pmds = pud[pud_idx]!.table!;
            do
            {
                ulong next = pmd_addr_end(addr, end);
                int i = pmd_index(addr);
                if (pmds[i] != null)
                {
                    free_pte_range(tlb, pmds, i, addr);
                }

                addr = next;
            }
            while (addr != end);

            start &= PUD_MASK;
            if (start < floor)
            {
                return;
            }

            if (ceiling != 0)
            {
                ceiling &= PUD_MASK;
                if (ceiling == 0)
                {
                    return;
                }
            }

            if (end - 1 > ceiling - 1)
            {
                return;
            }

            page pmd_table = pud[pud_idx]!;
            pud[pud_idx] = null;
            pmd_free_tlb(tlb, pmd_table, start);
        }

        /// <summary>free_pud_range() (L194-225).</summary>
        public static void free_pud_range(mmu_gather tlb, page?[] pgd, int pgd_idx, ulong addr, ulong end, ulong floor, ulong ceiling)
        {
            ulong start = addr;
            page?[] puds = pgd[pgd_idx]!.table!;
            do
            {
                ulong next = pud_addr_end(addr, end);
                int i = pud_index(addr);
                if (puds[i] != null)
                {
                    free_pmd_range(tlb, puds, i, addr, next, floor, ceiling);
                }

                addr = next;
            }
            while (addr != end);

            start &= PGDIR_MASK;
            if (start < floor)
            {
                return;
            }

            if (ceiling != 0)
            {
                ceiling &= PGDIR_MASK;
                if (ceiling == 0)
                {
                    return;
                }
            }

            if (end - 1 > ceiling - 1)
            {
                return;
            }

            page pud_table = pgd[pgd_idx]!;
            pgd[pgd_idx] = null;
            pud_free_tlb(tlb, pud_table, start);
        }

        /// <summary>
        /// free_pgd_range() (L232-290): free the page tables of [addr, end) that no other VMA needs
        /// (floor/ceiling), walking <c>pgd_offset(tlb->mm, addr)</c> — the gather's mm.
        /// </summary>
        public static void free_pgd_range(mmu_gather tlb, ulong addr, ulong end, ulong floor, ulong ceiling)
        {
            addr &= PMD_MASK;
            if (addr < floor)
            {
                addr += PMD_SIZE;
                if (addr == 0)
                {
                    return;
                }
            }

            if (ceiling != 0)
            {
                ceiling &= PMD_MASK;
                if (ceiling == 0)
                {
                    return;
                }
            }

            if (end - 1 > ceiling - 1)
            {
                end -= PMD_SIZE;
            }

            if (addr > end - 1)
            {
                return;
            }

            page?[] pgd = tlb.mm!.pgd.table!;
            do
            {
                ulong next = pgd_addr_end(addr, end);
                int i = pgd_index(addr);
                if (pgd[i] != null)
                {
                    free_pud_range(tlb, pgd, i, addr, next, floor, ceiling);
                }

                addr = next;
            }
            while (addr != end);
        }

        /// <summary>
        /// free_pgtables() (L292-325): unlink each VMA from its anon_vma and file (spinlocks in 2.6.32)
        /// and free the page tables under runs of nearby VMAs.
        /// </summary>
        public static void free_pgtables(mmu_gather tlb, vm_area_struct? vma, ulong floor, ulong ceiling)
        {
            while (vma != null)
            {
                vm_area_struct? next = vma.vm_next;
                ulong addr = vma.vm_start;
                anon_vma_unlink(vma);
                unlink_file_vma(vma);
                while (next != null && next.vm_start <= vma.vm_end + PMD_SIZE)
                {
                    vma = next;
                    next = vma.vm_next;
                    anon_vma_unlink(vma);
                    unlink_file_vma(vma);
                }

                free_pgd_range(tlb, addr, vma.vm_end, floor, next != null ? next.vm_start : ceiling);
                vma = next;
            }
        }

        /// <summary>
        /// __pte_alloc() (L327-358): allocate a pte page, and under page_table_lock install it and count it
        /// (the only nr_ptes++ of vanilla 2.6.32).
        /// </summary>
        public static int __pte_alloc(mm_struct mm, page?[] pmd, int index, ulong address)
        {
            page? @new = pte_alloc_one(mm, address);
            spin_lock(mm.page_table_lock);
            if (pmd[index] == null)
            {
                mm.nr_ptes++;
                pmd[index] = @new;
                @new = null;
            }

            spin_unlock(mm.page_table_lock);
            if (@new != null)
            {
                pte_free(mm, @new);
            }

            return 0;
        }

        /// <summary>__pud_alloc()/__pmd_alloc(): allocate an upper-level table under page_table_lock.</summary>
        public static page __table_alloc(mm_struct mm, page?[] parent, int index, ulong address)
        {
            page @new = table_alloc_one(mm, address);
            spin_lock(mm.page_table_lock);
            page? table = parent[index];
            if (table == null)
            {
                parent[index] = @new;
                table = @new;
            }

            spin_unlock(mm.page_table_lock);
            return table;
        }

        /// <summary>handle_mm_fault(): allocate the page tables down to the pte page, then fault the page in.</summary>
        public static int handle_mm_fault(mm_struct mm, vm_area_struct vma, ulong address, bool write)
        {
            page?[] pgd = mm.pgd.table!;
            page pud = pgd[pgd_index(address)] ?? __table_alloc(mm, pgd, pgd_index(address), address);
            page pmd_table = pud.table![pud_index(address)] ?? __table_alloc(mm, pud.table, pud_index(address), address);
            page?[] pmd = pmd_table.table!;
            int pi = pmd_index(address);
            if (pmd[pi] == null && __pte_alloc(mm, pmd, pi, address) != 0)
            {
                return VM_FAULT_OOM;
            }

            page pte_page = pmd[pi]!;
            if (pte_page.ptes![pte_index(address)].present)
            {
                return 0;
            }

            return vma.vm_file == null
                ? do_anonymous_page(mm, vma, address, pte_page)
                : do_linear_fault(mm, vma, address, pte_page, write);
        }

        /// <summary>do_anonymous_page(): allocate and charge outside the pte lock, install under it.</summary>
        public static int do_anonymous_page(mm_struct mm, vm_area_struct vma, ulong address, page pmd)
        {
            anon_vma_prepare(vma);
            page page = alloc_page();
            if (mem_cgroup_newpage_charge(page, mm) != 0)
            {
                put_page(page);
                return VM_FAULT_OOM;
            }

            page pte = pte_offset_map_lock(mm, pmd, out spinlock_t ptl);
            int i = pte_index(address);
            if (pte.ptes![i].present)
            {
                pte_unmap_unlock(pte, ptl);
                put_page(page);
                return 0;
            }

            mm.anon_rss++;
            page_add_new_anon_rmap(page, vma, address);
            pte.ptes[i] = new pte_t { page = page, present = true, dirty = true, young = true };
            pte_unmap_unlock(pte, ptl);
            return 0;
        }

        /// <summary>__do_fault() for a shared file mapping: find (or read) the page-cache page, map it under the pte lock.</summary>
        public static int do_linear_fault(mm_struct mm, vm_area_struct vma, ulong address, page pmd, bool write)
        {
            address_space mapping = vma.vm_file!;
            ulong index = ((address - vma.vm_start) >> PAGE_SHIFT) + vma.vm_pgoff;
            if (!mapping.page_tree.TryGetValue(index, out page? page))
            {
                // page_cache_alloc + add_to_page_cache: the allocation may sleep, so another task may have
                // read the page in meanwhile (-EEXIST): then use its page.
                page @new = alloc_page();
                if (mapping.page_tree.TryGetValue(index, out page))
                {
                    put_page(@new);
                }
                else
                {
                    page = @new;
                    page.mapping = mapping;
                    page.index = index;
                    mapping.page_tree.Add(index, page);
                }
            }

            get_page(page);
            page pte = pte_offset_map_lock(mm, pmd, out spinlock_t ptl);
            int i = pte_index(address);
            if (pte.ptes![i].present)
            {
                pte_unmap_unlock(pte, ptl);
                put_page(page);
                return 0;
            }

            mm.file_rss++;
            page_add_file_rmap(page);
            pte.ptes[i] = new pte_t { page = page, present = true, dirty = write, young = true };
            pte_unmap_unlock(pte, ptl);
            return 0;
        }
    }
}
