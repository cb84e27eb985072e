using System;
using System.Threading;

namespace AtomicContext.MmCore
{
    /// <summary>struct task_struct, reduced to what the exit path needs.</summary>
    public sealed class task_struct
    {
        /// <summary>TASK_RUNNING.</summary>
        public const int TASK_RUNNING = 0;

        /// <summary>TASK_UNINTERRUPTIBLE.</summary>
        public const int TASK_UNINTERRUPTIBLE = 2;

        /// <summary>TASK_DEAD.</summary>
        public const int TASK_DEAD = 64;

        internal readonly SemaphoreSlim baton = new SemaphoreSlim(0);
        internal readonly Action program;
        internal bool ran;

        internal task_struct(int pid, string comm, mm_struct mm, Action program)
        {
            this.pid = pid;
            this.comm = comm;
            this.mm = mm;
            this.program = program;
        }

        /// <summary>Process id.</summary>
        public int pid { get; }

        /// <summary>Command name.</summary>
        public string comm { get; }

        /// <summary>The address space (null after exit_mm).</summary>
        public mm_struct? mm { get; internal set; }

        /// <summary>The preemption counter: per task, travels with the task across CPUs (§1.8).</summary>
        public int preempt_count { get; internal set; }

        /// <summary>TIF_NEED_RESCHED.</summary>
        public bool need_resched { get; internal set; }

        /// <summary>The CPU the task runs (or last ran) on.</summary>
        public int cpu { get; internal set; }

        /// <summary>Scheduler state.</summary>
        public int state { get; internal set; }

        /// <summary>exit_state (0 while exit_mmap runs).</summary>
        public int exit_state { get; internal set; }

        /// <summary>The task died on an oops.</summary>
        public bool oopsed { get; internal set; }

        /// <summary>What the task's program is doing (for scripted schedules and messages).</summary>
        public string phase { get; set; } = "start";
    }
}
