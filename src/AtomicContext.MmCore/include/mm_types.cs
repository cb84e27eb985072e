using System.Collections.Generic;

namespace AtomicContext.MmCore
{
    /// <summary>struct mm_struct: one address space.</summary>
    public sealed class mm_struct
    {
        internal mm_struct(int id, string owner)
        {
            this.id = id;
            this.owner = owner;
            pgd = pgtable.alloc_table_page(pgtable.PTRS_PER_PGD);
        }

        /// <summary>Simulator id (M1, M2, ...).</summary>
        public int id { get; }

        /// <summary>The comm of the task that created it.</summary>
        public string owner { get; }

        /// <summary>The VMA list.</summary>
        public vm_area_struct? mmap;

        /// <summary>The top-level page table.</summary>
        public page pgd;

        /// <summary>Number of pte pages (unsigned: a decrement below 0 wraps, §1.6).</summary>
        public ulong nr_ptes;

        /// <summary>Resident file pages.</summary>
        public long file_rss;

        /// <summary>Resident anonymous pages.</summary>
        public long anon_rss;

        /// <summary>Users of the address space.</summary>
        public int mm_users = 1;

        /// <summary>Protects page-table allocation and nr_ptes++.</summary>
        public readonly spinlock_t page_table_lock = new spinlock_t("page_table_lock");

        /// <summary>mmap_sem.</summary>
        public readonly rw_semaphore mmap_sem = new rw_semaphore();

        /// <summary>Locked pages (mlock; always 0 here).</summary>
        public ulong locked_vm;

        /// <summary>Mapped pages.</summary>
        public ulong total_vm;

        /// <summary>exit_mmap ran to its end (past the BUG_ON).</summary>
        public bool exited { get; internal set; }

        /// <summary>exit_mmap died on its BUG_ON.</summary>
        public bool bugged { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => "M" + id + " (" + owner + ")";
    }

    /// <summary>struct vm_area_struct.</summary>
    public sealed class vm_area_struct
    {
        /// <summary>The mm it belongs to.</summary>
        public mm_struct vm_mm = null!;

        /// <summary>Start (inclusive).</summary>
        public ulong vm_start;

        /// <summary>End (exclusive).</summary>
        public ulong vm_end;

        /// <summary>Next VMA.</summary>
        public vm_area_struct? vm_next;

        /// <summary>VM_* flags.</summary>
        public ulong vm_flags;

        /// <summary>Offset in the file, in pages.</summary>
        public ulong vm_pgoff;

        /// <summary>The mapped file (null for anonymous memory).</summary>
        public address_space? vm_file;

        /// <summary>Anonymous reverse-map anchor.</summary>
        public anon_vma? anon_vma;
    }

    /// <summary>The memory of a file: its page cache and its list of mappings (i_mmap).</summary>
    public sealed class address_space
    {
        /// <summary>Creates a file.</summary>
        public address_space(string name)
        {
            this.name = name;
        }

        /// <summary>File name.</summary>
        public string name { get; }

        /// <summary>Page cache.</summary>
        public readonly Dictionary<ulong, page> page_tree = new Dictionary<ulong, page>();

        /// <summary>The VMAs mapping the file.</summary>
        public readonly List<vm_area_struct> i_mmap = new List<vm_area_struct>();

        /// <summary>i_mmap_lock (a spinlock in 2.6.32).</summary>
        public readonly spinlock_t i_mmap_lock = new spinlock_t("i_mmap_lock");
    }

    /// <summary>struct anon_vma.</summary>
    public sealed class anon_vma
    {
        /// <summary>The lock (a spinlock in 2.6.32).</summary>
        public readonly spinlock_t @lock = new spinlock_t("anon_vma->lock");

        /// <summary>VMAs sharing it.</summary>
        public readonly List<vm_area_struct> head = new List<vm_area_struct>();
    }

    /// <summary>struct page: a data page or a page-table page.</summary>
    public sealed class page
    {
        /// <summary>Page flags.</summary>
        public ulong flags;

        /// <summary>-1 when unmapped.</summary>
        public int _mapcount = -1;

        /// <summary>Reference count.</summary>
        public int _count = 1;

        /// <summary>The file (null for anonymous and page-table pages).</summary>
        public address_space? mapping;

        /// <summary>Index in the file.</summary>
        public ulong index;

        /// <summary>The memcg descriptor.</summary>
        public page_cgroup? pc;

        /// <summary>Entries of a pgd/pud/pmd table page: the next level's table pages.</summary>
        public page?[]? table;

        /// <summary>Entries of a pte page.</summary>
        public pte_t[]? ptes;

        /// <summary>The split pte lock of a pte page.</summary>
        public spinlock_t? ptl;
    }

    /// <summary>A page-table entry.</summary>
    public struct pte_t
    {
        /// <summary>The mapped page.</summary>
        public page? page;

        /// <summary>_PAGE_PRESENT.</summary>
        public bool present;

        /// <summary>_PAGE_DIRTY.</summary>
        public bool dirty;

        /// <summary>_PAGE_ACCESSED.</summary>
        public bool young;
    }

    /// <summary>struct zap_details (truncate's filter; always null on the exit path).</summary>
    public sealed class zap_details
    {
    }
}
