using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>Settings of one benchmark run.</summary>
    public sealed class Settings
    {
        public bool Quick { get; set; }

        public int[] Sizes { get; set; } = { 1, 2, 4, 8 };

        /// <summary>
        /// In full, fifteen rounds at least and up to thirty-one: one run's paired ratio of ours ÷ floor at 8x moves
        /// from 0.7 to 1.5 with whether a gen 2 collection fell in it, so the median of fifteen was decided to about
        /// ±0.05 only; seven rounds could not tell 1.08 from 1.12 (their interval is the whole range).
        /// </summary>
        public int MinRounds { get; set; } = 15;

        public int MaxRounds { get; set; } = 31;

        /// <summary>
        /// The rounds in which emit and the peer run too; after them a round runs only the floor and ours, whose ratio
        /// is the one near its target (1.10, where the peer's is near 3, and emit is there for scale): both modes spend
        /// the rest of their time on it. A round of the floor and ours takes a third of a round of all four.
        /// </summary>
        public int SideRounds { get; set; } = 8;

        /// <summary>Stop adding rounds (above the minimum) once this much time has gone.</summary>
        public TimeSpan RoundBudget { get; set; } = TimeSpan.FromMinutes(25);

        public int DocumentSamples { get; set; } = 24;

        /// <summary>
        /// Past the minimum of warm-up rounds, emit and the peer wait until the floor and ours have settled (the quick
        /// mode, whose warm-up budget is short); otherwise every configuration warms up in every round until it has.
        /// </summary>
        public bool SideWarmupsWait { get; set; }

        /// <summary>Warm-up rounds on the smallest corpus: at least this many of every configuration.</summary>
        public int MinWarmups { get; set; } = 3;

        /// <summary>Warm-up rounds: at most this many, even if a configuration has not settled.</summary>
        public int MaxWarmups { get; set; } = 16;

        /// <summary>A configuration has settled when two of its runs in a row make the JIT compile at most this many methods each.</summary>
        public int SettledJitCount { get; set; } = 50;

        /// <summary>No warm-up round starts (past the minimum) once this much time has gone.</summary>
        public TimeSpan WarmupBudget { get; set; } = TimeSpan.FromSeconds(90);

        /// <summary>Runs with execution-time logging per size (the median is reported).</summary>
        public int TelemetryRepeats { get; set; } = 3;

        public TimeSpan DocumentBudget { get; set; } = TimeSpan.FromMinutes(6);

        public bool Peer { get; set; } = true;

        public bool Memory { get; set; } = true;

        public int MemoryScale { get; set; } = 8;

        /// <summary>When set (quick mode), the IDE sample and the memory probes shrink to end the run by then.</summary>
        public TimeSpan? TotalBudget { get; set; }

        /// <summary>
        /// Under five minutes on the 2-core machine: the two ends of the scaling (1x and 8x), three to ten
        /// interleaved rounds of the floor and ours within 100 s (emit and the peer in the first two only), the IDE
        /// sample and the memory probes cut to fit.
        /// </summary>
        public static Settings ForQuick() => new Settings
        {
            Quick = true,
            Sizes = new[] { 1, 8 },
            MinRounds = 3,
            MaxRounds = 10,
            SideRounds = 2,
            SideWarmupsWait = true,
            RoundBudget = TimeSpan.FromSeconds(100),
            DocumentSamples = 10,
            WarmupBudget = TimeSpan.FromSeconds(70),
            DocumentBudget = TimeSpan.FromSeconds(40),
            MemoryScale = 1,
            TelemetryRepeats = 3,
            TotalBudget = TimeSpan.FromSeconds(255),
        };
    }

    public static class Program
    {
        public static int Main(string[] args)
        {
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Console.OutputEncoding = Encoding.UTF8;

            if (args.Length >= 3 && args[0] == "--child-memory")
            {
                return MemoryProbe.Child(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
            }

            if (args.Length >= 1 && args[0] == "--bdn")
            {
                BenchmarkDotNet.Running.BenchmarkRunner.Run<AnalyzerBenchmarks>(AnalyzerBenchmarks.ShortConfig(), args.Skip(1).ToArray());
                return 0;
            }

            if (args.Length >= 1 && args[0] == "--plain")
            {
                return PlainCode.Run(args.Length >= 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7, Console.Out);
            }

            if (args.Length >= 1 && args[0] == "--walk-cost")
            {
                return WalkCost.Run(
                    args.Length >= 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1,
                    args.Length >= 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 90,
                    Console.Out);
            }

            if (args.Length >= 1 && args[0] == "--walk-ab")
            {
                var builds = new List<(string Name, string Directory)>();
                int abScale = 1, abRounds = 150;
                for (int i = 1; i < args.Length; i++)
                {
                    if (args[i] == "--scale" && i + 1 < args.Length) abScale = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    else if (args[i] == "--rounds" && i + 1 < args.Length) abRounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    else if (args[i].IndexOf('=') is int eq and > 0) builds.Add((args[i].Substring(0, eq), args[i].Substring(eq + 1)));
                    else
                    {
                        Console.Error.WriteLine($"--walk-ab: not NAME=DIR, --scale S or --rounds R: {args[i]}");
                        return 2;
                    }
                }

                return WalkAb.Run(builds, abScale, abRounds, Console.Out);
            }

            if (args.Length >= 1 && args[0] == "--plain-with-region")
            {
                return PlainCode.Run(args.Length >= 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7, Console.Out, withRegion: true);
            }

            if (args.Length >= 3 && args[0] == "--write-corpus")
            {
                Corpus c = CorpusGenerator.Generate(int.Parse(args[2], CultureInfo.InvariantCulture));
                foreach (GeneratedFile f in c.Files)
                {
                    string path = Path.Combine(args[1], f.Path);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, f.Text);
                }

                Console.WriteLine($"wrote {c.Files.Count} files, {c.TotalLines} lines, {c.Expected.Count} planted bugs to {args[1]}");
                return 0;
            }

            Settings settings = args.Contains("--quick") ? Settings.ForQuick() : new Settings();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--sizes":
                        settings.Sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                        break;
                    case "--rounds":
                        settings.MinRounds = settings.MaxRounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        settings.RoundBudget = TimeSpan.FromDays(1);
                        break;
                    case "--warmups":
                        settings.MinWarmups = settings.MaxWarmups = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        settings.WarmupBudget = TimeSpan.FromDays(1);
                        break;
                    case "--docs":
                        settings.DocumentSamples = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        break;
                    case "--no-peer":
                        settings.Peer = false;
                        break;
                    case "--no-memory":
                        settings.Memory = false;
                        break;
                    case "--memory-scale":
                        settings.MemoryScale = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        break;
                }
            }

            return new Harness(settings, Console.Out).Run();
        }
    }
}
