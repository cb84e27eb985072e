namespace AtomicContext.MmCore
{
    /// <summary>kernel/exit.c: process exit.</summary>
    public static class exit
    {
        /// <summary>exit_mm() (L693): detach the mm from the task and drop it.</summary>
        public static void exit_mm(task_struct tsk)
        {
            mm_struct? mm = tsk.mm;
            if (mm == null)
            {
                return;
            }

            down_read(mm.mmap_sem);
            up_read(mm.mmap_sem);
            tsk.mm = null;
            mmput(mm);
        }

        /// <summary>do_exit(). (The final schedule() of a dead task is the simulator's: the task's program ends.)</summary>
        public static void do_exit(long code)
        {
            task_struct tsk = current;
            tsk.phase = "exit";
            exit_mm(tsk);
        }

        /// <summary>do_group_exit().</summary>
        public static void do_group_exit(int exit_code) => do_exit(exit_code);

        /// <summary>sys_exit_group().</summary>
        public static void sys_exit_group(int error_code) => do_group_exit((error_code & 0xff) << 8);
    }
}
