using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>mm/page_alloc.c, mm/swap.c, mm/swap_state.c: pages in and out of the allocator.</summary>
    public static class page_alloc
    {
        /// <summary>PG_anon (PageAnon: mapping's low bit in the kernel).</summary>
        public const ulong PG_anon = 1;

        /// <summary>PG_swapcache.</summary>
        public const ulong PG_swapcache = 2;

        /// <summary>PG_dirty.</summary>
        public const ulong PG_dirty = 4;

        /// <summary>alloc_page(GFP_KERNEL / GFP_HIGHUSER): may enter reclaim, so it may sleep.</summary>
        public static page alloc_page()
        {
            might_sleep();
            Machine.current.Globals.nr_allocated_pages++;
            return new page();
        }

        /// <summary>pte_alloc_one(): a zeroed page-table page (GFP_KERNEL|__GFP_REPEAT: may sleep).</summary>
        public static page pte_alloc_one(mm_struct mm, ulong address)
        {
            might_sleep();
            Machine.current.Globals.nr_allocated_pages++;
            return alloc_pte_page();
        }

        /// <summary>pmd_alloc_one()/pud_alloc_one().</summary>
        public static page table_alloc_one(mm_struct mm, ulong address)
        {
            might_sleep();
            Machine.current.Globals.nr_allocated_pages++;
            return alloc_table_page(PTRS_PER_PMD);
        }

        /// <summary>pte_free(): give back an unused pte page.</summary>
        public static void pte_free(mm_struct mm, page pte_page) => put_page(pte_page);

        /// <summary>get_page().</summary>
        public static void get_page(page page) => page._count++;

        /// <summary>put_page(): drop a reference; the last one frees the page.</summary>
        public static void put_page(page page)
        {
            page._count--;
            if (page._count == 0)
            {
                __free_page(page);
            }
            else if (page._count < 0)
            {
                Machine.current.Globals.bad_page_state++;
            }
        }

        /// <summary>__free_page().</summary>
        public static void __free_page(page page)
        {
            Machine.current.Globals.nr_allocated_pages--;
        }

        /// <summary>free_pages_and_swap_cache() (mm/swap_state.c): release a batch of pages. Never sleeps.</summary>
        public static void free_pages_and_swap_cache(page?[] pages, int nr)
        {
            lru_add_drain();
            for (int i = 0; i < nr; i++)
            {
                page? p = pages[i];
                pages[i] = null;
                if (p != null)
                {
                    put_page(p);
                }
            }
        }

        /// <summary>free_page_and_swap_cache().</summary>
        public static void free_page_and_swap_cache(page page) => put_page(page);

        /// <summary>lru_add_drain() (the per-CPU pagevecs are not modelled).</summary>
        public static void lru_add_drain()
        {
        }

        /// <summary>PageAnon().</summary>
        public static bool PageAnon(page page) => (page.flags & PG_anon) != 0;

        /// <summary>PageSwapCache().</summary>
        public static bool PageSwapCache(page page) => (page.flags & PG_swapcache) != 0;

        /// <summary>page_mapped().</summary>
        public static bool page_mapped(page page) => page._mapcount >= 0;

        /// <summary>page_mapcount().</summary>
        public static int page_mapcount(page page) => page._mapcount + 1;
    }
}
