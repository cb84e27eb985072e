using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace AtomicContext.MmCore.Simulation
{
    /// <summary>
    /// A deterministic simulated SMP machine. Each simulated task runs on an OS thread, but exactly one
    /// task executes at any moment (it holds the baton); the baton moves only inside <c>schedule()</c>,
    /// so a run is a sequential interleaving decided by the <see cref="ISchedulerPolicy"/> and therefore
    /// replays identically for a seed. CPUs that are not executing keep their current task paused where it
    /// last called <c>schedule()</c>: that is how the other CPUs run "in parallel".
    /// </summary>
    /// <remarks>
    /// This is simulator machinery, outside the annotated kernel code: it blocks OS threads (the baton
    /// handoff), which the analyzers would rightly count as sleeping. Kernel code reaches it only through
    /// <c>schedule()</c> (itself <c>[MightSleep]</c>) and through calls that never block.
    /// </remarks>
    public sealed class Machine
    {
        [ThreadStatic]
        private static Machine? currentMachine;

        [ThreadStatic]
        private static task_struct? currentTask;

        private readonly task_struct?[] cpuCurr;
        private readonly List<task_struct> runnable = new List<task_struct>();
        private readonly List<task_struct> tasks = new List<task_struct>();
        private readonly List<mm_struct> mms = new List<mm_struct>();
        private readonly Dictionary<object, object> perCpuAreas = new Dictionary<object, object>();
        private readonly ManualResetEventSlim done = new ManualResetEventSlim(false);
        private readonly List<int> busyScratch = new List<int>();
        private int live;
        private int nextPid = 1;
        private volatile bool aborted;
        private bool started;

        /// <summary>Creates a machine.</summary>
        public Machine(KernelConfig config, ISchedulerPolicy? policy = null, ulong seed = 1)
        {
            Config = config ?? throw new ArgumentNullException(nameof(config));
            if (config.Cpus < 1 || config.Cpus > 64)
            {
                throw new ArgumentOutOfRangeException(nameof(config), "1 to 64 CPUs");
            }

            Rng = new Rng(seed);
            Policy = policy ?? new RandomPolicy(Rng, 256);
            cpuCurr = new task_struct?[config.Cpus];
            Globals = new kernel_globals(this);
        }

        /// <summary>The configuration.</summary>
        public KernelConfig Config { get; }

        /// <summary>The machine's generator (workload and scheduling).</summary>
        public Rng Rng { get; }

        /// <summary>The scheduler's policy.</summary>
        public ISchedulerPolicy Policy { get; }

        /// <summary>The kernel log (dmesg).</summary>
        public StringBuilder Log { get; } = new StringBuilder();

        /// <summary>Every oops (kernel BUG) printed, in full.</summary>
        public List<string> Oopses { get; } = new List<string>();

        /// <summary>Number of "BUG: sleeping function called from invalid context" and "scheduling while atomic" reports.</summary>
        public int SleepInAtomicReports { get; internal set; }

        /// <summary>The first such report, in full.</summary>
        public string? FirstSleepInAtomicReport { get; internal set; }

        /// <summary>How many times the experiment's down_read ran.</summary>
        public int ExperimentDownReads { get; internal set; }

        /// <summary>Context switches (a CPU changed its current task).</summary>
        public int ContextSwitches { get; private set; }

        /// <summary>Times a task resumed on a different CPU than the one it left.</summary>
        public int Migrations { get; private set; }

        /// <summary>A simulator failure (not a kernel oops), if the run had to be abandoned.</summary>
        public string? Failure { get; private set; }

        /// <summary>Every task created.</summary>
        public IReadOnlyList<task_struct> Tasks => tasks;

        /// <summary>Every mm created.</summary>
        public IReadOnlyList<mm_struct> Mms => mms;

        /// <summary>Runnable tasks waiting for a CPU.</summary>
        public int RunnableCount => runnable.Count;

        /// <summary>The CPU's current task (null when idle).</summary>
        public task_struct? CurrentOf(int cpu) => cpuCurr[cpu];

        internal kernel_globals Globals { get; }

        internal static Machine current => currentMachine ?? throw new InvalidOperationException("kernel code runs only inside a simulated task");

        internal static task_struct current_task => currentTask ?? throw new InvalidOperationException("kernel code runs only inside a simulated task");

        /// <summary>Creates a task with a fresh mm; <paramref name="program"/> is its user-space program, run in the task.</summary>
        public task_struct CreateTask(string comm, Action program)
        {
            if (started)
            {
                throw new InvalidOperationException("tasks are created before Run");
            }

            var mm = new mm_struct(mms.Count + 1, comm);
            mms.Add(mm);
            var task = new task_struct(nextPid++, comm, mm, program);
            tasks.Add(task);
            return task;
        }

        /// <summary>Runs every task to its end (or its oops). Returns when the machine is idle.</summary>
        public void Run()
        {
            if (started)
            {
                throw new InvalidOperationException("a machine runs once");
            }

            started = true;
            live = tasks.Count;
            if (live == 0)
            {
                return;
            }

            foreach (task_struct t in tasks)
            {
                runnable.Add(t);
                task_struct task = t;
                WorkerPool.Start(() => TaskMain(task));
            }

            task_struct? first = PickAndChoose(-1);
            if (first == null)
            {
                Fail("no CPU took a task at boot");
                return;
            }

            first.baton.Release();
            done.Wait();
        }

        /// <summary>Storage of a per-CPU variable on this machine.</summary>
        internal T[] PerCpuArea<T>(object key, Func<T> init)
        {
            if (!perCpuAreas.TryGetValue(key, out object? area))
            {
                var a = new T[Config.Cpus];
                for (int i = 0; i < a.Length; i++)
                {
                    a[i] = init();
                }

                area = a;
                perCpuAreas.Add(key, area);
            }

            return (T[])area;
        }

        /// <summary>A need_resched() poll: TIF_NEED_RESCHED, possibly set now by the simulated timer tick.</summary>
        internal bool PollNeedResched(task_struct t)
        {
            if (!t.need_resched && Policy.TimerTick(this, t))
            {
                t.need_resched = true;
            }

            return t.need_resched;
        }

        /// <summary>Wakes a sleeping task (it becomes runnable; some CPU will take it).</summary>
        internal void WakeUp(task_struct t)
        {
            if (t.state == task_struct.TASK_RUNNING)
            {
                return;
            }

            t.state = task_struct.TASK_RUNNING;
            runnable.Add(t);
        }

        /// <summary>
        /// The mechanism of schedule(): <paramref name="prev"/> leaves its CPU (staying runnable unless it set
        /// another state), every idle CPU takes a task, the policy picks which CPU executes, and the baton moves.
        /// Returns when <paramref name="prev"/> runs again, possibly on another CPU.
        /// </summary>
        internal void Schedule(task_struct prev)
        {
            prev.need_resched = false;
            int cpu = prev.cpu;
            cpuCurr[cpu] = null;
            if (prev.state == task_struct.TASK_RUNNING)
            {
                runnable.Add(prev);
            }

            task_struct? next = PickAndChoose(cpu);
            if (next == null)
            {
                Fail("deadlock: no task can run (" + prev.comm + " blocked and every other task waits)");
                throw new SimulationAbortedException();
            }

            if (next == prev)
            {
                return;
            }

            next.baton.Release();
            prev.baton.Wait();
            if (aborted)
            {
                throw new SimulationAbortedException();
            }
        }

        internal void RecordOops(string text)
        {
            Oopses.Add(text);
            Log.Append(text);
        }

        private void TaskMain(task_struct task)
        {
            currentMachine = this;
            currentTask = task;
            task.baton.Wait();
            if (aborted)
            {
                Clear();
                return;
            }

            try
            {
                task.program();
            }
            catch (KernelOopsException)
            {
                // The oops was printed where it happened; like the kernel, kill the task (do_exit) and go on.
                task.oopsed = true;
            }
            catch (SimulationAbortedException)
            {
                Clear();
                return;
            }
            catch (Exception e)
            {
                Fail("simulator failure in " + task.comm + ": " + e);
                Clear();
                return;
            }

            Clear();
            TaskDead(task);
        }

        private static void Clear()
        {
            currentMachine = null;
            currentTask = null;
        }

        private void TaskDead(task_struct prev)
        {
            prev.state = task_struct.TASK_DEAD;
            cpuCurr[prev.cpu] = null;
            live--;
            if (live == 0)
            {
                done.Set();
                return;
            }

            task_struct? next = PickAndChoose(prev.cpu);
            if (next == null)
            {
                Fail("deadlock: every remaining task is blocked");
                return;
            }

            next.baton.Release();
        }

        private task_struct? PickAndChoose(int previousCpu)
        {
            for (int c = 0; c < cpuCurr.Length; c++)
            {
                if (cpuCurr[c] == null && runnable.Count > 0)
                {
                    task_struct? t = Policy.PickNext(this, c, runnable);
                    if (t != null)
                    {
                        runnable.Remove(t);
                        if (t.cpu != c && t.ran)
                        {
                            Migrations++;
                        }

                        t.cpu = c;
                        t.ran = true;
                        cpuCurr[c] = t;
                        ContextSwitches++;
                    }
                }
            }

            busyScratch.Clear();
            for (int c = 0; c < cpuCurr.Length; c++)
            {
                if (cpuCurr[c] != null)
                {
                    busyScratch.Add(c);
                }
            }

            if (busyScratch.Count == 0)
            {
                return null;
            }

            int chosen = Policy.ChooseCpu(this, busyScratch, previousCpu);
            return cpuCurr[chosen];
        }

        private void Fail(string why)
        {
            if (Failure == null)
            {
                Failure = why;
            }

            aborted = true;
            foreach (task_struct t in tasks)
            {
                t.baton.Release();
            }

            done.Set();
        }
    }

    /// <summary>Thrown (after the oops is printed) by BUG_ON: the task dies, the machine goes on.</summary>
    public sealed class KernelOopsException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public KernelOopsException(string message)
            : base(message)
        {
        }
    }

    /// <summary>Unwinds a task's stack when the run is abandoned.</summary>
    internal sealed class SimulationAbortedException : Exception
    {
    }
}
