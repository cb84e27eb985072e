using System.Collections.Generic;
using System.Linq;
using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore.Tests
{
    /// <summary>
    /// The deterministic replay of KERNEL-FACTS §2.2: T1 exits M1 (3 pte pages) on CPU 0 and sleeps in the
    /// experiment's down_read inside its gather region; T2 takes CPU 0, munmaps a region of M2 (2 pte
    /// pages) with the same per-CPU gather; T1 resumes on CPU 1 and frees page tables through tlb->mm.
    /// </summary>
    public class ReplayTests
    {
        private const ulong MiB = 1UL << 20;
        private const ulong X = 0x400000;
        private const ulong Y = 0x40000000;

        [Fact]
        public void Per_cpu_gather_replays_section_2_2()
        {
            var (machine, t1, t2) = Run(GatherKind.PerCpu);
            mm_struct m1 = machine.Mms[0];
            mm_struct m2 = machine.Mms[1];

            Assert.Null(machine.Failure);
            Assert.Single(machine.Oopses);
            Assert.Contains("kernel BUG at mm/mmap.c:2139!", machine.Oopses[0]);
            Assert.Contains("exit_mmap+0x", machine.Oopses[0]);
            Assert.Contains("] mmput+0x", machine.Oopses[0]);
            Assert.True(t1.oopsed);
            Assert.Equal(1, t1.cpu);            // T1 resumed on CPU B
            Assert.False(t2.oopsed);

            // Step 9: M1's three tables were never found: BUG_ON(nr_ptes = 3 > 0).
            Assert.True(m1.bugged);
            Assert.Equal(3UL, m1.nr_ptes);
            Assert.NotNull(m1.pgd.table!.FirstOrDefault(e => e != null));

            // Step 4 + 7: T2's munmap freed Y's table (2 -> 1), then T1's free_pgtables, walking
            // tlb->mm = M2 over M1's range, freed M2's live table under X (1 -> 0).
            Assert.Equal(0UL, m2.nr_ptes);
            Assert.False(m2.bugged);
            Assert.True(m2.exited);

            // rss: T1's first zap_pte_range had captured mm = M1 before the sleep (4 pages back to M1);
            // the next two tables were charged to tlb->mm = M2.
            Assert.Equal(8, m1.anon_rss);
            Assert.Equal(-4, m2.anon_rss);
        }

        [Fact]
        public void Stack_gather_survives_the_same_interleaving()
        {
            var (machine, t1, t2) = Run(GatherKind.Stack);
            mm_struct m1 = machine.Mms[0];
            mm_struct m2 = machine.Mms[1];

            Assert.Null(machine.Failure);
            Assert.Empty(machine.Oopses);
            Assert.Equal(1, t1.cpu);
            Assert.Equal(0UL, m1.nr_ptes);
            Assert.Equal(0UL, m2.nr_ptes);
            Assert.Equal(0, m1.anon_rss);
            Assert.Equal(0, m2.anon_rss);
            Assert.True(m1.exited && m2.exited);
        }

        private static (Machine machine, task_struct t1, task_struct t2) Run(GatherKind gather)
        {
            var config = new KernelConfig { Cpus = 2, Gather = gather, MemcgRwsemExperiment = true };
            var policy = new Script();
            var machine = new Machine(config, policy);
            task_struct t1 = machine.CreateTask("T1", () =>
            {
                Userspace.Mmap(X, 6 * MiB);
                for (ulong table = 0; table < 3; table++)
                {
                    Userspace.TouchRange(X + (table * 2 * MiB), 4 * pgtable.PAGE_SIZE);
                }

                Userspace.Exit();
            });
            task_struct t2 = machine.CreateTask("T2", () =>
            {
                Userspace.Mmap(X, 2 * MiB);
                Userspace.Mmap(Y, 2 * MiB);
                Userspace.TouchRange(X, 4 * pgtable.PAGE_SIZE);
                Userspace.TouchRange(Y, 4 * pgtable.PAGE_SIZE);
                Userspace.Phase("ready");
                Userspace.Yield();
                Userspace.Phase("munmap");
                Userspace.Munmap(Y, 2 * MiB);
                Userspace.Phase("wait");
                Userspace.Yield();
                Userspace.Exit();
            });
            policy.T1 = t1;
            policy.T2 = t2;
            machine.Run();
            return (machine, t1, t2);
        }

        /// <summary>The §2.2 schedule, step by step.</summary>
        private sealed class Script : ISchedulerPolicy
        {
            private bool ticked;

            public task_struct T1 { get; set; } = null!;

            public task_struct T2 { get; set; } = null!;

            // Step 2: T1's first down_read in __mem_cgroup_uncharge_common finds need_resched set.
            public bool TimerTick(Machine machine, task_struct running)
            {
                if (!ticked && running == T1 && machine.ExperimentDownReads == 1)
                {
                    ticked = true;
                    return true;
                }

                return false;
            }

            public task_struct? PickNext(Machine machine, int cpu, IReadOnlyList<task_struct> runnable)
            {
                bool t1Waiting = runnable.Contains(T1);
                bool t2Waiting = runnable.Contains(T2);
                if (cpu == 0)
                {
                    if (T2.phase == "start" && t2Waiting)
                    {
                        return T2;                      // boot: T2 sets up M2 first, then yields
                    }

                    if (T2.phase == "ready" && T1.phase != "exit" && t1Waiting)
                    {
                        return T1;                      // step 1: T1 runs exit_mmap on CPU A
                    }

                    if (T2.phase == "ready" && T1.phase == "exit" && t2Waiting)
                    {
                        return T2;                      // step 3: T2 takes CPU A while T1 sleeps
                    }

                    if (T1.state == task_struct.TASK_DEAD && t2Waiting)
                    {
                        return T2;                      // after the oops, T2 exits
                    }

                    return null;
                }

                // Step 5: T1 wakes on CPU B once T2 is done with its munmap.
                return T2.phase == "wait" && t1Waiting ? T1 : null;
            }

            public int ChooseCpu(Machine machine, IReadOnlyList<int> busyCpus, int previousCpu) => busyCpus[0];
        }
    }
}
