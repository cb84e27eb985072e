using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>kernel/fork.c: the mm's lifetime.</summary>
    public static class fork
    {
        /// <summary>
        /// mmput() (L506-525): when the last user goes, tear the address space down with the running
        /// kernel version's exit_mmap.
        /// </summary>
        public static void mmput(mm_struct mm)
        {
            might_sleep();
            mm.mm_users--;
            if (mm.mm_users == 0)
            {
                if (Machine.current.Config.Gather == GatherKind.PerCpu)
                {
                    mm_2_6_32.exit_mmap(mm);
                }
                else
                {
                    mm_3_0.exit_mmap(mm);
                }
            }
        }
    }
}
