using System.Runtime.CompilerServices;
using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>kernel/sched.c, include/linux/preempt.h, include/linux/kernel.h: preemption and scheduling.</summary>
    public static class sched
    {
        /// <summary>The running task.</summary>
        public static task_struct current => Machine.current_task;

        /// <summary>CONFIG_PREEMPT (the "full" configuration).</summary>
        public static bool CONFIG_PREEMPT => Machine.current.Config.Preemption == PreemptionModel.Full;

        /// <summary>CONFIG_PREEMPT_VOLUNTARY (RHEL 6).</summary>
        public static bool CONFIG_PREEMPT_VOLUNTARY => Machine.current.Config.Preemption == PreemptionModel.Voluntary;

        /// <summary>CONFIG_DEBUG_SPINLOCK_SLEEP: on in the full configuration only (RHEL's nodebug kernel has it off).</summary>
        public static bool CONFIG_DEBUG_SPINLOCK_SLEEP => CONFIG_PREEMPT;

        /// <summary>preempt_disable(): counts only with CONFIG_PREEMPT (preempt.h L26-94).</summary>
        [EntersNoMigrate]
        public static void preempt_disable()
        {
            if (CONFIG_PREEMPT)
            {
                current.preempt_count++;
            }
        }

        /// <summary>preempt_enable(). (The preemption point on the way out is not modelled: tasks switch only in schedule().)</summary>
        [ExitsNoMigrate]
        public static void preempt_enable()
        {
            if (CONFIG_PREEMPT)
            {
                current.preempt_count--;
            }
        }

        /// <summary>preempt_count().</summary>
        public static int preempt_count() => current.preempt_count;

        /// <summary>in_atomic().</summary>
        public static bool in_atomic() => preempt_count() != 0;

        /// <summary>need_resched(): TIF_NEED_RESCHED, set by the simulated timer tick while other tasks wait for a CPU.</summary>
        public static bool need_resched() => Machine.current.PollNeedResched(current);

        /// <summary>schedule(): give the CPU away; may run another task here and may resume this one on another CPU.</summary>
        [MightSleep]
        public static void schedule()
        {
            schedule_debug(current);
            Machine.current.Schedule(current);
        }

        /// <summary>cond_resched().</summary>
        [MightSleep]
        public static int cond_resched() => _cond_resched();

        /// <summary>_cond_resched(): schedule if need_resched — with no check of preempt_count (§1.8).</summary>
        [MightSleep]
        public static int _cond_resched()
        {
            if (need_resched())
            {
                schedule();
                return 1;
            }

            return 0;
        }

        /// <summary>
        /// might_sleep(): under voluntary preemption a cond_resched point (might_resched); with
        /// CONFIG_DEBUG_SPINLOCK_SLEEP it first runs the __might_sleep check, which only prints.
        /// <paramref name="file"/>/<paramref name="line"/> name the call site reported.
        /// </summary>
        [MightSleep]
        public static void might_sleep([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        {
            if (CONFIG_DEBUG_SPINLOCK_SLEEP)
            {
                __might_sleep(file, line, 0);
            }

            if (CONFIG_PREEMPT_VOLUNTARY)
            {
                _cond_resched();
            }
        }

        /// <summary>__might_sleep (kernel/sched.c L9583-9616): report a sleep in atomic context; print only. (The once-per-HZ rate limit is not modelled: every occurrence is reported.)</summary>
        public static void __might_sleep(string file, int line, int preempt_offset)
        {
            if (preempt_count() == preempt_offset)
            {
                return;
            }

            task_struct tsk = current;
            Machine m = Machine.current;
            m.SleepInAtomicReports++;
            if (m.FirstSleepInAtomicReport != null)
            {
                return;
            }

            string text =
                "BUG: sleeping function called from invalid context at " + traps.kernel_file(file) + ":" + line + "\n" +
                "in_atomic(): " + (in_atomic() ? 1 : 0) + ", irqs_disabled(): 0, pid: " + tsk.pid + ", name: " + tsk.comm + "\n" +
                "Pid: " + tsk.pid + ", comm: " + tsk.comm + " Not tainted 2.6.32 #1\n" +
                "Call Trace:\n" + traps.call_trace(0);
            m.FirstSleepInAtomicReport = text;
            m.Log.Append(text);
        }

        /// <summary>schedule_debug(): "BUG: scheduling while atomic", printed only.</summary>
        internal static void schedule_debug(task_struct prev)
        {
            if (in_atomic() && prev.exit_state == 0)
            {
                Machine m = Machine.current;
                m.SleepInAtomicReports++;
                if (m.FirstSleepInAtomicReport == null)
                {
                    string text = "BUG: scheduling while atomic: " + prev.comm + "/" + prev.pid + "/0x" + prev.preempt_count.ToString("x8") + "\n" +
                        "Call Trace:\n" + traps.call_trace(0);
                    m.FirstSleepInAtomicReport = text;
                    m.Log.Append(text);
                }
            }
        }

        /// <summary>sys_sched_yield.</summary>
        [MightSleep]
        public static void sys_sched_yield()
        {
            current.need_resched = true;
            schedule();
        }

        /// <summary>smp_processor_id(): only meaningful while migration is disabled.</summary>
        [PerCpu]
        public static int smp_processor_id() => current.cpu;

        /// <summary>get_cpu(): preempt_disable(); smp_processor_id().</summary>
        [EntersNoMigrate]
        public static int get_cpu()
        {
            preempt_disable();
            return smp_processor_id();
        }

        /// <summary>put_cpu(): preempt_enable().</summary>
        [ExitsNoMigrate]
        public static void put_cpu() => preempt_enable();

        /// <summary>num_online_cpus().</summary>
        public static int num_online_cpus() => Machine.current.Config.Cpus;

        /// <summary>num_possible_cpus().</summary>
        public static int num_possible_cpus() => Machine.current.Config.Cpus;
    }
}
