using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>struct res_counter.</summary>
    public sealed class res_counter
    {
        /// <summary>Charged bytes.</summary>
        public ulong usage;

        /// <summary>counter->lock.</summary>
        public readonly spinlock_t @lock = new spinlock_t("res_counter->lock");
    }

    /// <summary>struct mem_cgroup.</summary>
    public sealed class mem_cgroup
    {
        internal mem_cgroup(mem_cgroup? parent, int cpus)
        {
            this.parent = parent;
            stat = new long[cpus];
        }

        /// <summary>Parent (null for the root).</summary>
        public mem_cgroup? parent { get; }

        /// <summary>Memory charged.</summary>
        public readonly res_counter res = new res_counter();

        /// <summary>Per-CPU page counts (mem->stat.cpustat[cpu], RSS).</summary>
        public readonly long[] stat;

        /// <summary>css reference count.</summary>
        public long css_refcnt;
    }

    /// <summary>struct page_cgroup.</summary>
    public sealed class page_cgroup
    {
        /// <summary>PCG_USED.</summary>
        public bool used;

        /// <summary>The charged memcg.</summary>
        public mem_cgroup? mem_cgroup;

        /// <summary>The PCG_LOCK bit (a bit spinlock on pc->flags).</summary>
        public readonly spinlock_t lock_bit = new spinlock_t("PCG_LOCK");
    }

    /// <summary>mm/memcontrol.c: memory cgroup charge and uncharge (§1.7).</summary>
    public static class memcontrol
    {
        /// <summary>MEM_CGROUP_CHARGE_TYPE_MAPPED.</summary>
        public const int MEM_CGROUP_CHARGE_TYPE_MAPPED = 1;

        /// <summary>MEM_CGROUP_CHARGE_TYPE_DROP.</summary>
        public const int MEM_CGROUP_CHARGE_TYPE_DROP = 4;

        /// <summary>
        /// The report's experiment, switchable at run time (the machine's configuration): a
        /// down_read/up_read pair at the start of <see cref="__mem_cgroup_uncharge_common"/>.
        /// </summary>
        public static bool memcg_rwsem_experiment => Machine.current.Config.MemcgRwsemExperiment;

        /// <summary>The rwsem the experiment takes for read (nobody takes it for write).</summary>
        public static rw_semaphore memcg_uncharge_rwsem => Machine.current.Globals.memcg_uncharge_rwsem;

        /// <summary>mem_cgroup_disabled().</summary>
        public static bool mem_cgroup_disabled() => false;

        /// <summary>lookup_page_cgroup().</summary>
        public static page_cgroup? lookup_page_cgroup(page page) => page.pc;

        /// <summary>lock_page_cgroup(): bit_spin_lock(PCG_LOCK, &amp;pc->flags).</summary>
        [EntersNoMigrate]
        public static void lock_page_cgroup(page_cgroup pc) => bit_spin_lock(pc.lock_bit);

        /// <summary>unlock_page_cgroup().</summary>
        [ExitsNoMigrate]
        public static void unlock_page_cgroup(page_cgroup pc) => bit_spin_unlock(pc.lock_bit);

        /// <summary>mem_cgroup_is_root().</summary>
        public static bool mem_cgroup_is_root(mem_cgroup mem) => mem.parent == null;

        /// <summary>res_counter_charge() (counter->lock is spin_lock_irqsave).</summary>
        public static void res_counter_charge(res_counter counter, ulong val)
        {
            spin_lock(counter.@lock);
            counter.usage += val;
            spin_unlock(counter.@lock);
        }

        /// <summary>res_counter_uncharge().</summary>
        public static void res_counter_uncharge(res_counter counter, ulong val)
        {
            spin_lock(counter.@lock);
            counter.usage -= val;
            spin_unlock(counter.@lock);
        }

        /// <summary>mem_cgroup_charge_statistics(): per-CPU counters under get_cpu()/put_cpu().</summary>
        public static void mem_cgroup_charge_statistics(mem_cgroup mem, page_cgroup pc, bool charge)
        {
            int cpu = get_cpu();
            mem.stat[cpu] += charge ? 1 : -1;
            put_cpu();
        }

        /// <summary>css_get().</summary>
        public static void css_get(mem_cgroup mem) => mem.css_refcnt++;

        /// <summary>css_put().</summary>
        public static void css_put(mem_cgroup mem) => mem.css_refcnt--;

        /// <summary>
        /// mem_cgroup_newpage_charge(): charge a new anonymous page to the task's memcg. The charge may
        /// reclaim, so it may sleep; it runs before the pte lock is taken.
        /// </summary>
        public static int mem_cgroup_newpage_charge(page page, mm_struct mm)
        {
            might_sleep();
            mem_cgroup mem = Machine.current.Globals.task_mem_cgroup;
            res_counter_charge(mem.res, PAGE_SIZE);
            css_get(mem);
            var pc = new page_cgroup();
            page.pc = pc;
            lock_page_cgroup(pc);
            pc.mem_cgroup = mem;
            pc.used = true;
            mem_cgroup_charge_statistics(mem, pc, true);
            unlock_page_cgroup(pc);
            return 0;
        }

        /// <summary>mem_cgroup_uncharge_page() (2.6.32 L1911-1919).</summary>
        public static void mem_cgroup_uncharge_page(page page)
        {
            if (page_mapped(page))
            {
                return;
            }

            if (page.mapping != null && !PageAnon(page))
            {
                return;
            }

            __mem_cgroup_uncharge_common(page, MEM_CGROUP_CHARGE_TYPE_MAPPED);
        }

        /// <summary>
        /// __mem_cgroup_uncharge_common() (2.6.32 L1833-1909). Nothing in it sleeps — except the report's
        /// experiment, the down_read/up_read pair before lock_page_cgroup.
        /// </summary>
        public static mem_cgroup? __mem_cgroup_uncharge_common(page page, int ctype)
        {
            if (mem_cgroup_disabled())
            {
                return null;
            }

            if (PageSwapCache(page))
            {
                return null;
            }

            if (memcg_rwsem_experiment)
            {
                Machine.current.ExperimentDownReads++;
                down_read(memcg_uncharge_rwsem);
                up_read(memcg_uncharge_rwsem);
            }

            page_cgroup? pc = lookup_page_cgroup(page);
            if (pc == null || !pc.used)
            {
                return null;
            }

            lock_page_cgroup(pc);
            mem_cgroup? mem = pc.mem_cgroup;
            if (!pc.used || mem == null)
            {
                unlock_page_cgroup(pc);
                return null;
            }

            if ((ctype == MEM_CGROUP_CHARGE_TYPE_MAPPED || ctype == MEM_CGROUP_CHARGE_TYPE_DROP) && page_mapped(page))
            {
                unlock_page_cgroup(pc);
                return null;
            }

            if (!mem_cgroup_is_root(mem))
            {
                res_counter_uncharge(mem.res, PAGE_SIZE);
            }

            mem_cgroup_charge_statistics(mem, pc, false);
            pc.used = false;
            unlock_page_cgroup(pc);
            css_put(mem);
            return mem;
        }
    }
}
