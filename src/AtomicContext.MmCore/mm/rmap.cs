namespace AtomicContext.MmCore
{
    /// <summary>mm/rmap.c: reverse mappings.</summary>
    public static class rmap
    {
        /// <summary>atomic_add_negative().</summary>
        public static bool atomic_add_negative(int i, ref int v)
        {
            v += i;
            return v < 0;
        }

        /// <summary>page_add_new_anon_rmap(): first mapping of a new anonymous page.</summary>
        public static void page_add_new_anon_rmap(page page, vm_area_struct vma, ulong address)
        {
            page._mapcount = 0;
            page.flags |= page_alloc.PG_anon;
            page.index = (address - vma.vm_start) >> PAGE_SHIFT;
        }

        /// <summary>page_add_file_rmap().</summary>
        public static void page_add_file_rmap(page page)
        {
            page._mapcount++;
        }

        /// <summary>
        /// page_remove_rmap() (2.6.32 mm/rmap.c L724-757): drop a mapping; on the last one, an anonymous
        /// page is uncharged from its memcg.
        /// </summary>
        public static void page_remove_rmap(page page)
        {
            if (atomic_add_negative(-1, ref page._mapcount))
            {
                if (PageAnon(page))
                {
                    mem_cgroup_uncharge_page(page);
                }
            }
        }

        /// <summary>anon_vma_prepare() (fault path).</summary>
        public static void anon_vma_prepare(vm_area_struct vma)
        {
            if (vma.anon_vma != null)
            {
                return;
            }

            var av = new anon_vma();
            spin_lock(av.@lock);
            vma.anon_vma = av;
            av.head.Add(vma);
            spin_unlock(av.@lock);
        }

        /// <summary>anon_vma_unlink() (takes anon_vma->lock, a spinlock in 2.6.32).</summary>
        public static void anon_vma_unlink(vm_area_struct vma)
        {
            anon_vma? av = vma.anon_vma;
            if (av == null)
            {
                return;
            }

            spin_lock(av.@lock);
            av.head.Remove(vma);
            spin_unlock(av.@lock);
        }

        /// <summary>anon_vma_link() (split_vma).</summary>
        public static void anon_vma_link(vm_area_struct vma)
        {
            anon_vma? av = vma.anon_vma;
            if (av == null)
            {
                return;
            }

            spin_lock(av.@lock);
            av.head.Add(vma);
            spin_unlock(av.@lock);
        }
    }
}
