using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>
    /// The kernel's global variables, one set per simulated machine (several machines run at once in
    /// the tests, so these cannot be C# statics).
    /// </summary>
    internal sealed class kernel_globals
    {
        public kernel_globals(Machine machine)
        {
            root_mem_cgroup = new mem_cgroup(null, machine.Config.Cpus);
            task_mem_cgroup = new mem_cgroup(root_mem_cgroup, machine.Config.Cpus);
        }

        /// <summary>The root memcg (never charged against a limit).</summary>
        public mem_cgroup root_mem_cgroup { get; }

        /// <summary>The cgroup every simulated task lives in.</summary>
        public mem_cgroup task_mem_cgroup { get; }

        /// <summary>The rwsem of the report's experiment.</summary>
        public rw_semaphore memcg_uncharge_rwsem { get; } = new rw_semaphore();

        /// <summary>Pages allocated and not yet freed.</summary>
        public long nr_allocated_pages;

        /// <summary>Pages whose reference count went below zero (a double free).</summary>
        public long bad_page_state;

        /// <summary>TLB flushes done.</summary>
        public long tlb_flushes;
    }
}
