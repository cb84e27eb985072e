using System;
using System.Diagnostics;
using System.Threading.Tasks;
using AtomicContext.MmCore.Simulation;

namespace ExitMmapRace
{
    /// <summary>
    /// Runs the exit/munmap workload on the simulated mm core for a range of seeds, prints the first oops
    /// in full, and ends with one summary line.
    /// </summary>
    internal static class Program
    {
        private const string Usage =
            "usage: ExitMmapRace [--seed S] [--seeds N] [--cpus N] [--gather per-cpu|stack] [--memcg-rwsem on|off] [--preempt voluntary|full]";

        private static int Main(string[] args)
        {
            ulong seed = 1;
            int seeds = 1;
            int cpus = 4;
            GatherKind gather = GatherKind.PerCpu;
            bool rwsem = true;
            PreemptionModel preempt = PreemptionModel.Voluntary;
            try
            {
                for (int i = 0; i < args.Length; i++)
                {
                    string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException("missing value for " + args[i]);
                    switch (args[i])
                    {
                        case "--seed": seed = ulong.Parse(value); break;
                        case "--seeds": seeds = int.Parse(value); break;
                        case "--cpus": cpus = int.Parse(value); break;
                        case "--gather": gather = value switch { "per-cpu" => GatherKind.PerCpu, "stack" => GatherKind.Stack, _ => throw new ArgumentException("--gather per-cpu|stack") }; break;
                        case "--memcg-rwsem": rwsem = value switch { "on" => true, "off" => false, _ => throw new ArgumentException("--memcg-rwsem on|off") }; break;
                        case "--preempt": preempt = value switch { "voluntary" => PreemptionModel.Voluntary, "full" => PreemptionModel.Full, _ => throw new ArgumentException("--preempt voluntary|full") }; break;
                        default: throw new ArgumentException("unknown option " + args[i]);
                    }

                    i++;
                }

                if (seeds < 1 || cpus < 1 || cpus > 64)
                {
                    throw new ArgumentException("--seeds must be at least 1 and --cpus 1 to 64");
                }
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException || e is OverflowException)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            var results = new RunResult[seeds];
            var sw = Stopwatch.StartNew();
            Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                results[i] = Simulation.Run(new SimulationOptions
                {
                    Seed = seed + (ulong)i,
                    Cpus = cpus,
                    Gather = gather,
                    MemcgRwsem = rwsem,
                    Preemption = preempt,
                });
            });
            sw.Stop();

            int bugs = 0;
            int reports = 0;
            int mismatches = 0;
            int failures = 0;
            RunResult? firstOops = null;
            RunResult? firstReport = null;
            foreach (RunResult r in results)
            {
                if (r.Oopses.Count > 0)
                {
                    bugs++;
                    firstOops ??= r;
                }

                if (r.FirstSleepInAtomicReport != null)
                {
                    firstReport ??= r;
                }

                reports += r.SleepInAtomicReports;
                mismatches += r.NrPtesMismatches;
                if (r.Failure != null)
                {
                    failures++;
                    Console.WriteLine("seed " + r.Seed + ": simulator failure: " + r.Failure);
                }
            }

            Console.WriteLine("simulated mm core: Linux 2.6.32 exit path, " + cpus + " CPUs, gather " +
                (gather == GatherKind.PerCpu ? "per-cpu (2.6.32)" : "stack (3.0)") + ", memcg rwsem experiment " + (rwsem ? "on" : "off") +
                ", preemption " + (preempt == PreemptionModel.Voluntary ? "voluntary" : "full") + "; seeds " + seed + ".." + (seed + (ulong)seeds - 1));
            if (firstReport != null)
            {
                Console.WriteLine();
                Console.WriteLine("first sleeping-in-atomic report (seed " + firstReport.Seed + "):");
                Console.Write(firstReport.FirstSleepInAtomicReport);
            }

            if (firstOops != null)
            {
                Console.WriteLine();
                Console.WriteLine("first oops (seed " + firstOops.Seed + "; replay it with --seed " + firstOops.Seed + "):");
                Console.Write(firstOops.Oopses[0]);
                Console.WriteLine("nr_ptes of each mm after the run: [" + string.Join(", ", firstOops.FinalNrPtes) + "]");
            }

            Console.WriteLine();
            Console.WriteLine("elapsed: " + sw.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s" +
                (failures > 0 ? ", simulator failures: " + failures : ""));
            Console.WriteLine("runs: " + seeds + ", BUG_ON: " + bugs + ", sleeping-in-atomic reports: " + reports + ", nr_ptes mismatches: " + mismatches);
            return 0;
        }
    }
}
