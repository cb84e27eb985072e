using System;
using System.Collections.Generic;

namespace AtomicContext.MmCore.Simulation
{
    /// <summary>User-space actions a task's program performs (each is a system call or a page fault).</summary>
    public static class Userspace
    {
        /// <summary>mmap a fixed range (anonymous when <paramref name="file"/> is null).</summary>
        public static void Mmap(ulong addr, ulong len, address_space? file = null) => mmap.sys_mmap_fixed(addr, len, file);

        /// <summary>Touch one address (a page fault if it is not mapped yet).</summary>
        public static void Touch(ulong addr, bool write = true) => mmap.do_page_fault(addr, write);

        /// <summary>Touch every page of a range.</summary>
        public static void TouchRange(ulong addr, ulong len)
        {
            for (ulong a = addr; a < addr + len; a += pgtable.PAGE_SIZE)
            {
                mmap.do_page_fault(a, true);
            }
        }

        /// <summary>munmap a range.</summary>
        public static void Munmap(ulong addr, ulong len) => mmap.sys_munmap(addr, len);

        /// <summary>sched_yield().</summary>
        public static void Yield() => sched.sys_sched_yield();

        /// <summary>exit_group(0).</summary>
        public static void Exit() => exit.sys_exit_group(0);

        /// <summary>Set the task's phase (visible to scripted schedulers).</summary>
        public static void Phase(string phase) => sched.current.phase = phase;
    }

    /// <summary>Options of one simulated run (one seed).</summary>
    public sealed class SimulationOptions
    {
        /// <summary>The seed.</summary>
        public ulong Seed { get; init; } = 1;

        /// <summary>Simulated CPUs.</summary>
        public int Cpus { get; init; } = 4;

        /// <summary>Which exit path.</summary>
        public GatherKind Gather { get; init; } = GatherKind.PerCpu;

        /// <summary>The report's experiment.</summary>
        public bool MemcgRwsem { get; init; } = true;

        /// <summary>Preemption model.</summary>
        public PreemptionModel Preemption { get; init; } = PreemptionModel.Voluntary;

        /// <summary>Tasks (0: two per CPU).</summary>
        public int Tasks { get; init; }

        /// <summary>A need_resched poll fires with probability 1/TickOneIn while a task waits for a CPU.</summary>
        public int TickOneIn { get; init; } = 128;
    }

    /// <summary>What one run produced.</summary>
    public sealed class RunResult
    {
        /// <summary>The seed.</summary>
        public ulong Seed { get; init; }

        /// <summary>Oopses from exit_mmap's BUG_ON (and any other BUG_ON).</summary>
        public IReadOnlyList<string> Oopses { get; init; } = Array.Empty<string>();

        /// <summary>Sleeping-in-atomic reports printed.</summary>
        public int SleepInAtomicReports { get; init; }

        /// <summary>The first such report.</summary>
        public string? FirstSleepInAtomicReport { get; init; }

        /// <summary>mms whose nr_ptes is not 0 after the run (every mm has been torn down by then).</summary>
        public int NrPtesMismatches { get; init; }

        /// <summary>nr_ptes of every mm at the end, by mm id.</summary>
        public IReadOnlyList<ulong> FinalNrPtes { get; init; } = Array.Empty<ulong>();

        /// <summary>Times the experiment's down_read ran.</summary>
        public int ExperimentDownReads { get; init; }

        /// <summary>Context switches and migrations.</summary>
        public int ContextSwitches { get; init; }

        /// <summary>Migrations (a task resumed on another CPU).</summary>
        public int Migrations { get; init; }

        /// <summary>A simulator failure (should be null).</summary>
        public string? Failure { get; init; }

        /// <summary>A one-line fingerprint of the outcome, for replay checks.</summary>
        public string Fingerprint { get; init; } = "";
    }

    /// <summary>The default workload: tasks on several CPUs that map, fault in, munmap and exit.</summary>
    public static class Simulation
    {
        private static readonly ulong[] LibSizes = { 256 * 1024, 1024 * 1024 };

        /// <summary>Runs one seed.</summary>
        public static RunResult Run(SimulationOptions o)
        {
            var config = new KernelConfig
            {
                Cpus = o.Cpus,
                Gather = o.Gather,
                MemcgRwsemExperiment = o.MemcgRwsem,
                Preemption = o.Preemption,
            };
            var rng = new Rng(o.Seed);
            var machine = new Machine(config, new RandomPolicy(rng, o.TickOneIn), o.Seed);
            var libs = new[] { new address_space("libc-2.12.so"), new address_space("libmemcg-test.so") };
            int tasks = o.Tasks > 0 ? o.Tasks : 2 * o.Cpus;
            for (int t = 0; t < tasks; t++)
            {
                Action program = MakeProgram(rng, libs, big: t % 4 == 3);
                machine.CreateTask("memhog/" + (t + 1), program);
            }

            machine.Run();
            return Collect(o.Seed, machine);
        }

        /// <summary>Builds the result of a finished machine.</summary>
        public static RunResult Collect(ulong seed, Machine machine)
        {
            var nr = new List<ulong>();
            int mismatches = 0;
            foreach (mm_struct mm in machine.Mms)
            {
                nr.Add(mm.nr_ptes);
                if (mm.nr_ptes != 0)
                {
                    mismatches++;
                }
            }

            string fp = "oops=" + machine.Oopses.Count + " sleep=" + machine.SleepInAtomicReports + " nr_ptes=[" + string.Join(",", nr) +
                "] cs=" + machine.ContextSwitches + " mig=" + machine.Migrations + " fail=" + (machine.Failure ?? "-");
            return new RunResult
            {
                Seed = seed,
                Oopses = machine.Oopses.ToArray(),
                SleepInAtomicReports = machine.SleepInAtomicReports,
                FirstSleepInAtomicReport = machine.FirstSleepInAtomicReport,
                NrPtesMismatches = mismatches,
                FinalNrPtes = nr,
                ExperimentDownReads = machine.ExperimentDownReads,
                ContextSwitches = machine.ContextSwitches,
                Migrations = machine.Migrations,
                Failure = machine.Failure,
                Fingerprint = fp,
            };
        }

        private static Action MakeProgram(Rng rng, address_space[] libs, bool big)
        {
            // The layout is drawn now (before the run), so it does not depend on the interleaving.
            var regions = new List<(ulong addr, ulong len, address_space? file, int touchPercent)>();
            address_space lib = libs[rng.Next(libs.Length)];
            regions.Add((0x7f0000000000UL, LibSizes[Array.IndexOf(libs, lib)], lib, 50 + rng.Next(50)));
            ulong addr = 0x400000UL + ((ulong)rng.Next(64) << 21);
            int anon = 1 + rng.Next(big ? 2 : 3);
            for (int i = 0; i < anon; i++)
            {
                ulong pages = big ? (ulong)rng.Next(700, 1400) : (ulong)rng.Next(16, 256);
                ulong len = pages * pgtable.PAGE_SIZE;
                regions.Add((addr, len, null, 60 + rng.Next(41)));
                addr += len + ((ulong)rng.Next(4) << 21) + ((ulong)rng.Next(512) << 12);
                if (rng.OneIn(3))
                {
                    addr += (ulong)rng.Next(1, 1024) << 30;
                }
            }

            ulong touchSeed = rng.NextUInt64();
            int munmapRegion = rng.OneIn(2) ? 1 + rng.Next(anon) : -1;
            int munmapPart = rng.Next(4);
            bool yieldBeforeExit = rng.OneIn(2);

            return () =>
            {
                var touch = new Rng(touchSeed);
                Userspace.Phase("mmap");
                foreach (var r in regions)
                {
                    Userspace.Mmap(r.addr, r.len, r.file);
                }

                Userspace.Phase("fault");
                foreach (var r in regions)
                {
                    for (ulong a = r.addr; a < r.addr + r.len; a += pgtable.PAGE_SIZE)
                    {
                        if (touch.Next(100) < r.touchPercent)
                        {
                            Userspace.Touch(a, r.file == null);
                        }
                    }
                }

                if (munmapRegion >= 0)
                {
                    Userspace.Phase("munmap");
                    var r = regions[munmapRegion];
                    ulong pages = r.len >> pgtable.PAGE_SHIFT;
                    ulong from = munmapPart == 0 ? 0 : pages * (ulong)munmapPart / 8;
                    ulong to = munmapPart == 3 ? pages : pages * (ulong)(4 + munmapPart) / 8;
                    if (to > from)
                    {
                        Userspace.Munmap(r.addr + (from << pgtable.PAGE_SHIFT), (to - from) << pgtable.PAGE_SHIFT);
                    }
                }

                if (yieldBeforeExit)
                {
                    Userspace.Yield();
                }

                Userspace.Exit();
            };
        }
    }
}
