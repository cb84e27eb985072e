using System.Linq;
using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore.Tests
{
    /// <summary>The seeded workload: determinism, the cure, and the full-preemption report.</summary>
    public class SimulationTests
    {
        private const int Seeds = 200;

        [Fact]
        public void Per_cpu_gather_with_the_experiment_hits_the_BUG_ON_and_failing_seeds_replay_identically()
        {
            var runs = Enumerable.Range(1, 40).Select(s => Simulation.Simulation.Run(new SimulationOptions { Seed = (ulong)s })).ToArray();
            Assert.All(runs, r => Assert.Null(r.Failure));
            var failing = runs.Where(r => r.Oopses.Count > 0).ToArray();
            Assert.NotEmpty(failing);
            foreach (RunResult r in failing.Take(3))
            {
                RunResult again = Simulation.Simulation.Run(new SimulationOptions { Seed = r.Seed });
                Assert.Equal(r.Fingerprint, again.Fingerprint);
                Assert.Equal(r.Oopses, again.Oopses);
                Assert.Contains("kernel BUG at mm/mmap.c:2139!", r.Oopses[0]);
                Assert.True(r.NrPtesMismatches > 0);
            }
        }

        [Fact]
        public void Without_the_experiment_no_seed_fails_and_nr_ptes_returns_to_zero()
        {
            for (int s = 1; s <= Seeds; s++)
            {
                RunResult r = Simulation.Simulation.Run(new SimulationOptions { Seed = (ulong)s, MemcgRwsem = false });
                Assert.Null(r.Failure);
                Assert.Empty(r.Oopses);
                Assert.All(r.FinalNrPtes, n => Assert.Equal(0UL, n));
            }
        }

        [Fact]
        public void With_the_stack_gather_no_seed_fails_and_nr_ptes_returns_to_zero()
        {
            for (int s = 1; s <= Seeds; s++)
            {
                RunResult r = Simulation.Simulation.Run(new SimulationOptions { Seed = (ulong)s, Gather = GatherKind.Stack });
                Assert.Null(r.Failure);
                Assert.Empty(r.Oopses);
                Assert.All(r.FinalNrPtes, n => Assert.Equal(0UL, n));
            }
        }

        [Fact]
        public void Full_preemption_reports_every_down_read_in_atomic_context()
        {
            for (int s = 1; s <= 5; s++)
            {
                RunResult r = Simulation.Simulation.Run(new SimulationOptions { Seed = (ulong)s, Preemption = PreemptionModel.Full });
                Assert.Null(r.Failure);
                Assert.True(r.ExperimentDownReads > 0);
                Assert.Equal(r.ExperimentDownReads, r.SleepInAtomicReports);
                string report = r.FirstSleepInAtomicReport!;
                Assert.Matches(@"^BUG: sleeping function called from invalid context at mm/memcontrol\.c:\d+\n", report);
                Assert.Matches(@"\nin_atomic\(\): 1, irqs_disabled\(\): 0, pid: \d+, name: \S+\n", report);
                Assert.Contains("] down_read+0x", report);
                Assert.Contains("] __mem_cgroup_uncharge_common+0x", report);
                Assert.Contains("] zap_pte_range+0x", report);
            }

            RunResult off = Simulation.Simulation.Run(new SimulationOptions { Seed = 1, Preemption = PreemptionModel.Full, MemcgRwsem = false });
            Assert.Equal(0, off.SleepInAtomicReports);
        }
    }
}
