namespace AtomicContext.MmCore
{
    /// <summary>x86_64 page-table constants and helpers (§1.9).</summary>
    public static class pgtable
    {
        /// <summary>PAGE_SHIFT.</summary>
        public const int PAGE_SHIFT = 12;

        /// <summary>PAGE_SIZE.</summary>
        public const ulong PAGE_SIZE = 1UL << PAGE_SHIFT;

        /// <summary>PMD_SHIFT.</summary>
        public const int PMD_SHIFT = 21;

        /// <summary>PMD_SIZE: one pte page maps 2 MiB.</summary>
        public const ulong PMD_SIZE = 1UL << PMD_SHIFT;

        /// <summary>PMD_MASK.</summary>
        public const ulong PMD_MASK = ~(PMD_SIZE - 1);

        /// <summary>PUD_SHIFT.</summary>
        public const int PUD_SHIFT = 30;

        /// <summary>PUD_SIZE.</summary>
        public const ulong PUD_SIZE = 1UL << PUD_SHIFT;

        /// <summary>PUD_MASK.</summary>
        public const ulong PUD_MASK = ~(PUD_SIZE - 1);

        /// <summary>PGDIR_SHIFT.</summary>
        public const int PGDIR_SHIFT = 39;

        /// <summary>PGDIR_SIZE.</summary>
        public const ulong PGDIR_SIZE = 1UL << PGDIR_SHIFT;

        /// <summary>PGDIR_MASK.</summary>
        public const ulong PGDIR_MASK = ~(PGDIR_SIZE - 1);

        /// <summary>PTRS_PER_PGD.</summary>
        public const int PTRS_PER_PGD = 512;

        /// <summary>PTRS_PER_PUD.</summary>
        public const int PTRS_PER_PUD = 512;

        /// <summary>PTRS_PER_PMD.</summary>
        public const int PTRS_PER_PMD = 512;

        /// <summary>PTRS_PER_PTE.</summary>
        public const int PTRS_PER_PTE = 512;

        /// <summary>FIRST_USER_ADDRESS.</summary>
        public const ulong FIRST_USER_ADDRESS = 0;

        /// <summary>TASK_SIZE (top of user space: 128 TiB).</summary>
        public const ulong TASK_SIZE = 1UL << 47;

        /// <summary>pgd_index.</summary>
        public static int pgd_index(ulong addr) => (int)((addr >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1));

        /// <summary>pud_index.</summary>
        public static int pud_index(ulong addr) => (int)((addr >> PUD_SHIFT) & (PTRS_PER_PUD - 1));

        /// <summary>pmd_index.</summary>
        public static int pmd_index(ulong addr) => (int)((addr >> PMD_SHIFT) & (PTRS_PER_PMD - 1));

        /// <summary>pte_index.</summary>
        public static int pte_index(ulong addr) => (int)((addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1));

        /// <summary>pgd_addr_end.</summary>
        public static ulong pgd_addr_end(ulong addr, ulong end)
        {
            ulong boundary = (addr + PGDIR_SIZE) & PGDIR_MASK;
            return boundary - 1 < end - 1 ? boundary : end;
        }

        /// <summary>pud_addr_end.</summary>
        public static ulong pud_addr_end(ulong addr, ulong end)
        {
            ulong boundary = (addr + PUD_SIZE) & PUD_MASK;
            return boundary - 1 < end - 1 ? boundary : end;
        }

        /// <summary>pmd_addr_end.</summary>
        public static ulong pmd_addr_end(ulong addr, ulong end)
        {
            ulong boundary = (addr + PMD_SIZE) & PMD_MASK;
            return boundary - 1 < end - 1 ? boundary : end;
        }

        /// <summary>A new, empty pgd/pud/pmd table page.</summary>
        internal static page alloc_table_page(int entries) => new page { table = new page?[entries] };

        /// <summary>A new, empty pte page with its split ptlock.</summary>
        internal static page alloc_pte_page() => new page { ptes = new pte_t[PTRS_PER_PTE], ptl = new spinlock_t("ptl") };
    }
}
