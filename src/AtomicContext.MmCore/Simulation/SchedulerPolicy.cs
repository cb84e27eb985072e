using System.Collections.Generic;

namespace AtomicContext.MmCore.Simulation
{
    /// <summary>
    /// The scheduler's choices, separated from its mechanism so a test can script an interleaving
    /// (KERNEL-FACTS §2.2) and a run can draw it from a seed.
    /// </summary>
    public interface ISchedulerPolicy
    {
        /// <summary>A need_resched() poll by the running task: does the timer tick set TIF_NEED_RESCHED now?</summary>
        bool TimerTick(Machine machine, task_struct running);

        /// <summary>The task an idle CPU takes from the runnable tasks, or null to stay idle.</summary>
        task_struct? PickNext(Machine machine, int cpu, IReadOnlyList<task_struct> runnable);

        /// <summary>Which of the CPUs that have a current task executes next (the interleaving of CPUs).</summary>
        int ChooseCpu(Machine machine, IReadOnlyList<int> busyCpus, int previousCpu);
    }

    /// <summary>The seeded policy of the sample: timer ticks, picks and interleavings drawn from the machine's generator.</summary>
    public sealed class RandomPolicy : ISchedulerPolicy
    {
        private readonly Rng rng;
        private readonly int tickOneIn;

        /// <summary>Creates the policy.</summary>
        /// <param name="rng">The run's generator.</param>
        /// <param name="tickOneIn">A poll sets need_resched with probability 1/tickOneIn while another task waits for a CPU.</param>
        public RandomPolicy(Rng rng, int tickOneIn)
        {
            this.rng = rng;
            this.tickOneIn = tickOneIn;
        }

        /// <inheritdoc />
        public bool TimerTick(Machine machine, task_struct running) => machine.RunnableCount > 0 && rng.OneIn(tickOneIn);

        /// <inheritdoc />
        public task_struct? PickNext(Machine machine, int cpu, IReadOnlyList<task_struct> runnable) =>
            runnable.Count == 0 ? null : runnable[rng.Next(runnable.Count)];

        /// <inheritdoc />
        public int ChooseCpu(Machine machine, IReadOnlyList<int> busyCpus, int previousCpu) => busyCpus[rng.Next(busyCpus.Count)];
    }
}
