using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// The timed harness: every configuration on a fresh compilation of the same parsed corpus, interleaved
    /// (configurations rotate within a round, sizes alternate between rounds), medians and paired ratios.
    /// </summary>
    public sealed class Harness
    {
        private static readonly Config[] AllConfigs = { Config.Emit, Config.Floor, Config.Ours, Config.Peer };

        private readonly Settings s;
        private readonly TextWriter o;
        private readonly Stopwatch total = Stopwatch.StartNew();
        private readonly Dictionary<(int Size, Config Config), List<RunResult>> runs = new Dictionary<(int, Config), List<RunResult>>();
        private readonly Dictionary<int, string[]> firstOurs = new Dictionary<int, string[]>();
        private readonly Dictionary<int, string[]> firstOursChains = new Dictionary<int, string[]>();
        private readonly List<string> problems = new List<string>();
        private readonly HashSet<int> reportedNonDeterminism = new HashSet<int>();
        private bool deterministic = true;
        private int nonDeterministicRuns;
        private bool chainsDeterministic = true;
        private int determinismComparisons;

        public Harness(Settings settings, TextWriter output)
        {
            s = settings;
            o = output;
        }

        public int Run()
        {
            o.WriteLine($"# AtomicContextAnalyzers benchmark ({(s.Quick ? "quick" : "full")} mode)");
            o.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, Roslyn host {typeof(CSharpCompilation).Assembly.GetName().Version}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");

            ImmutableArray<DiagnosticAnalyzer> ours = AnalyzerSets.LoadOurs();
            ImmutableArray<DiagnosticAnalyzer> floor = ImmutableArray.Create<DiagnosticAnalyzer>(new FloorAnalyzer());
            string peerDescription = "peer disabled (--no-peer)";
            ImmutableArray<DiagnosticAnalyzer> peer = s.Peer ? AnalyzerSets.LoadPeer(out peerDescription) : ImmutableArray<DiagnosticAnalyzer>.Empty;
            o.WriteLine($"ours: {ours.Length} analyzers ({string.Join(", ", ours.Select(a => a.GetType().Name))}); ids {string.Join(",", ours.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().OrderBy(x => x, StringComparer.Ordinal))}");
            o.WriteLine($"peer: {peerDescription}");
            if (ours.IsEmpty)
            {
                problems.Add("no analyzer found in " + AnalyzerSets.OursAssemblyName);
            }

            Config[] configs = AllConfigs.Where(c => c != Config.Peer || !peer.IsEmpty).ToArray();
            ImmutableArray<DiagnosticAnalyzer> AnalyzersOf(Config c) => c switch
            {
                Config.Floor => floor,
                Config.Ours => ours,
                Config.Peer => peer,
                _ => ImmutableArray<DiagnosticAnalyzer>.Empty,
            };

            // Corpora.
            var corpora = new SortedDictionary<int, ParsedCorpus>();
            foreach (int size in s.Sizes.Distinct().OrderBy(x => x))
            {
                long t0 = Stopwatch.GetTimestamp();
                Corpus c = CorpusGenerator.Generate(size);
                long t1 = Stopwatch.GetTimestamp();
                corpora[size] = new ParsedCorpus(c);
                long t2 = Stopwatch.GetTimestamp();
                o.WriteLine($"corpus {size}x: {c.TotalLines:N0} lines, {c.Files.Count} files, {c.GeneratedMethods:N0} generated + {c.FixedMethods:N0} fixed methods, {c.HubReachers:N0} reach the hub, {c.Expected.Count} planted bugs (generate {Ms(t0, t1):F0} ms, parse {Ms(t1, t2):F0} ms)");
            }

            int[] sizes = corpora.Keys.ToArray();
            int small = sizes[0];
            int large = sizes[sizes.Length - 1];

            // Warm-up (loading, JIT tiering) on the smallest corpus, not measured: rounds of every configuration,
            // interleaved as the measured rounds are, until two runs in a row of each compile next to nothing in the JIT —
            // the steady state of a long-lived compiler process (the compiler server, the IDE). One run is not
            // enough: tiering defers call counting while new methods keep being compiled, and a configuration
            // that brings more code of its own (ours, the peer) reaches its optimized code several runs later.
            // Where some configurations run in the side rounds only (emit and the peer in the quick mode), the floor and
            // ours are settled first, past the minimum of rounds of everything, and the others in what is left of the
            // budget: the ratio near its target is measured at steady state first of all.
            var warmTimer = Stopwatch.StartNew();
            var warmth = new WarmupTracker<Config>(s.MinWarmups, s.SettledJitCount);
            for (int w = 0; w < s.MaxWarmups && (w < s.MinWarmups || warmth.Settled.Count < configs.Length); w++)
            {
                if (w >= s.MinWarmups && warmTimer.Elapsed > s.WarmupBudget)
                {
                    o.WriteLine($"warm-up stopped by its budget ({s.WarmupBudget.TotalSeconds:F0} s); not settled: {string.Join(", ", configs.Where(c => !warmth.IsSettled(c)))}");
                    break;
                }

                var line = new StringBuilder($"warm-up {w + 1,2} {small}x:");
                for (int ci = 0; ci < configs.Length; ci++)
                {
                    Config c = configs[(ci + w) % configs.Length];
                    if (!WarmsInRound(c, w, s, warmth.IsSettled))
                    {
                        continue;
                    }

                    RunResult warm = Workload.Run(corpora[small], c, AnalyzersOf(c));
                    CheckRun(small, c, warm);
                    line.Append(CultureInfo.InvariantCulture, $" {c} {warm.Milliseconds:F0} ms ({warm.MethodsJitted} jitted);");
                    warmth.Record(c, warm.MethodsJitted);
                }

                o.WriteLine(line.ToString());
            }

            o.WriteLine($"warm-up: {warmTimer.Elapsed.TotalSeconds:F0} s; settled (two runs in a row with at most {s.SettledJitCount} methods jitted): {string.Join(", ", warmth.Settled.OrderBy(c => c))}");

            if (problems.Any(p => p.StartsWith("corpus", StringComparison.Ordinal)))
            {
                return Finish(1);
            }

            // Interleaved rounds.
            var roundTimer = Stopwatch.StartNew();
            int rounds = 0;
            TimeSpan lastRound = TimeSpan.Zero;
            while (rounds < s.MinRounds || (rounds < s.MaxRounds && roundTimer.Elapsed + lastRound < s.RoundBudget))
            {
                TimeSpan roundStart = roundTimer.Elapsed;
                for (int si = 0; si < sizes.Length; si++)
                {
                    int size = (rounds % 2 == 0) ? sizes[si] : sizes[sizes.Length - 1 - si];
                    for (int ci = 0; ci < configs.Length; ci++)
                    {
                        Config c = configs[(ci + rounds + si) % configs.Length];
                        if (!RunsInRound(c, rounds, s))
                        {
                            continue;
                        }

                        RunResult r = Workload.Run(corpora[size], c, AnalyzersOf(c));
                        CheckRun(size, c, r);
                        Record(size, c, r);
                    }
                }

                rounds++;
                lastRound = roundTimer.Elapsed - roundStart;
                o.WriteLine($"round {rounds} done at {total.Elapsed.TotalSeconds:F0} s");
            }

            // Our analyzers' summed callback time (telemetry), and where it goes.
            var telemetry = new SortedDictionary<int, double>();
            var callbackCpu = new SortedDictionary<int, double>();
            CallbackProfile? largeProfile = null;
            Dictionary<string, int>? largeCounts = null;
            foreach (int size in s.Quick ? new[] { small, large }.Distinct() : sizes)
            {
                if (ours.IsEmpty)
                {
                    break;
                }

                // Repeated (a single run's callback time varies by 2x here); the median is kept, with the profile of the median run.
                var samples = new List<(double Ms, CallbackProfile Profile, Dictionary<string, int> Counts)>();
                for (int k = 0; k < s.TelemetryRepeats; k++)
                {
                    if (k > 0 && s.TotalBudget is TimeSpan limit && total.Elapsed > TimeSpan.FromTicks(limit.Ticks * 6 / 10))
                    {
                        break;
                    }

                    samples.Add(Workload.Profile(corpora[size], ours));
                }

                var median = samples.OrderBy(x => x.Ms).ElementAt(samples.Count / 2);
                telemetry[size] = median.Ms;
                var cpus = samples.Select(x => x.Profile.CpuMilliseconds).OrderBy(x => x).ToList();
                callbackCpu[size] = cpus[cpus.Count / 2];
                if (size == large)
                {
                    largeProfile = median.Profile;
                    largeCounts = median.Counts;
                }

                o.WriteLine($"telemetry {size}x: ours' summed callback time {median.Ms:F0} ms (median of {string.Join(", ", samples.Select(x => x.Ms.ToString("F0", CultureInfo.InvariantCulture)))}); "
                    + $"CPU time of the callbacks {callbackCpu[size]:F0} ms (median of {string.Join(", ", cpus.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))})");
            }

            // IDE: one document of the largest compilation, fresh compilation each time.
            var docOurs = new List<double>();
            var docFloor = new List<double>();
            var docEdit = new List<double>();
            var docRows = new List<string>();
            ParsedCorpus big = corpora[large];
            List<int> sample = SampleDocuments(big, s.DocumentSamples);
            var docTimer = Stopwatch.StartNew();
            TimeSpan docBudget = s.DocumentBudget;
            if (s.TotalBudget is TimeSpan tb)
            {
                // Leave room for the memory probes.
                TimeSpan left = tb - total.Elapsed - (s.Memory ? TimeSpan.FromSeconds(30) : TimeSpan.Zero);
                docBudget = left < docBudget ? left : docBudget;
            }

            foreach (int index in sample)
            {
                if (docOurs.Count >= 2 && docTimer.Elapsed > docBudget)
                {
                    o.WriteLine($"document sample cut at {docOurs.Count} of {sample.Count} files (budget {docBudget.TotalSeconds:F0} s)");
                    break;
                }

                double f = Workload.Document(big, index, floor, out _, out _);
                List<string> exceptions = new List<string>();
                double w = ours.IsEmpty ? double.NaN : Workload.Document(big, index, ours, out _, out exceptions);
                foreach (string ex in exceptions)
                {
                    problems.Add("document analysis exception: " + ex);
                }

                docFloor.Add(f);
                docOurs.Add(w);
                string edit = "–";
                if (!ours.IsEmpty)
                {
                    double e = Workload.DocumentAfterEdit(big, index, ours);
                    docEdit.Add(e);
                    edit = e.ToString("F0", CultureInfo.InvariantCulture);
                }

                docRows.Add($"| {big.Trees[index].FilePath} | {big.Corpus.Files[index].Lines} | {f:F0} | {w:F0} | {edit} |");
            }

            // Memory: separate processes, so the peak working set belongs to one configuration.
            bool memoryFits = s.TotalBudget is not TimeSpan budget || total.Elapsed < budget - TimeSpan.FromSeconds(20);
            if (s.Memory && !memoryFits)
            {
                o.WriteLine("memory probes skipped: the time budget is spent");
            }

            List<MemoryProbe.Result> memory = s.Memory && memoryFits ? MemoryProbe.RunChildren(s.MemoryScale, new[] { Config.Emit, Config.Floor, Config.Ours }, o) : new List<MemoryProbe.Result>();

            // ---- Report ----
            o.WriteLine();
            string sideRounds = rounds > s.SideRounds ? $" (emit and the peer: the first {s.SideRounds})" : "";
            o.WriteLine($"## Whole compilation: medians of {rounds} interleaved rounds{sideRounds} (ms), paired ratios");
            o.WriteLine();
            o.WriteLine("| size | lines | emit | floor | ours | peer | ours÷floor | ours÷emit | peer÷floor | floor÷emit | alloc MB floor / ours / peer |");
            o.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            double worstFloorRatio = double.NaN;
            double worstPeerRatio = double.NaN;
            foreach (int size in sizes)
            {
                o.WriteLine($"| {size}x | {corpora[size].Corpus.TotalLines:N0} | {Median(size, Config.Emit):F0} | {Median(size, Config.Floor):F0} | {Median(size, Config.Ours):F0} | {Median(size, Config.Peer):F0} "
                    + $"| {Ratio(size, Config.Ours, Config.Floor):F2} | {Ratio(size, Config.Ours, Config.Emit):F2} | {Ratio(size, Config.Peer, Config.Floor):F2} | {Ratio(size, Config.Floor, Config.Emit):F2} "
                    + $"| {AllocMb(size, Config.Floor):F0} / {AllocMb(size, Config.Ours):F0} / {AllocMb(size, Config.Peer):F0} |");
                worstFloorRatio = Max(worstFloorRatio, Ratio(size, Config.Ours, Config.Floor));
                worstPeerRatio = Max(worstPeerRatio, Ratio(size, Config.Peer, Config.Floor));
            }

            if (configs.Contains(Config.Ours) && configs.Contains(Config.Floor))
            {
                o.WriteLine();
                o.WriteLine("Ours ÷ floor, where the median of the paired ratios lies (order statistics: ≥ 90 % coverage, or the whole range with its coverage when the rounds are too few): "
                    + string.Join("; ", sizes.Select(size => FormatInterval(size, RatioInterval(size, Config.Ours, Config.Floor, 0.90)))));
            }

            o.WriteLine();
            o.WriteLine("Spread (min–max ms over rounds): " + string.Join("; ", sizes.Select(size => $"{size}x " + string.Join(", ", configs.Select(c => $"{c} {Min(size, c):F0}–{MaxOf(size, c):F0}")))));

            // Every collection counts gen 0 (a gen 1 or 2 collection collects gen 0 too).
            o.WriteLine();
            o.WriteLine("GC while a run went (median pause ms / median collections; the pause is inside the run's time): " + string.Join("; ", sizes.Select(size => $"{size}x " + string.Join(", ", configs.Select(c => $"{c} {Of(size, c, r => r.GcPauseMilliseconds):F0} / {Of(size, c, r => r.Collections):F0}")))));

            if (configs.Contains(Config.Ours) && configs.Contains(Config.Floor))
            {
                o.WriteLine("Ours ÷ floor with each run's GC pauses taken out (paired median; not the target measure, which keeps them): " + string.Join(", ", sizes.Select(size => $"{size}x {RatioWithoutGc(size, Config.Ours, Config.Floor):F2}")));
                o.WriteLine(RoundByRound(sizes.Max(), Config.Ours, Config.Floor));
            }

            double corpusRatio = (double)corpora[large].Corpus.TotalLines / corpora[small].Corpus.TotalLines;
            double scaling = Median(large, Config.Ours) / Median(small, Config.Ours);
            o.WriteLine();
            o.WriteLine($"## Scaling {large}x ÷ {small}x (corpus lines ratio {corpusRatio:F2}; target: at most {corpusRatio * 1.1:F2})");
            o.WriteLine();
            o.WriteLine("| measure | small | large | large÷small | ÷ corpus ratio |");
            o.WriteLine("|---|---|---|---|---|");
            foreach (Config c in configs)
            {
                double a = Median(small, c);
                double b = Median(large, c);
                o.WriteLine($"| {c} whole run (ms) | {a:F0} | {b:F0} | {b / a:F2} | {b / a / corpusRatio:F2} |");
            }

            if (telemetry.TryGetValue(small, out double ts) && telemetry.TryGetValue(large, out double tl))
            {
                o.WriteLine($"| ours summed callback time (ms; a stopwatch per callback: counts waits and GC pauses) | {ts:F0} | {tl:F0} | {tl / ts:F2} | {tl / ts / corpusRatio:F2} |");
            }

            if (callbackCpu.TryGetValue(small, out double cs) && callbackCpu.TryGetValue(large, out double cl) && !double.IsNaN(cs) && !double.IsNaN(cl))
            {
                o.WriteLine($"| ours summed callback CPU time (ms; the threads' CPU clocks) | {cs:F0} | {cl:F0} | {cl / cs:F2} | {cl / cs / corpusRatio:F2} |");
            }

            if (largeProfile != null)
            {
                o.WriteLine();
                o.WriteLine($"## Where our callback time goes ({large}x, one run with per-kind stopwatches; summed over threads)");
                o.WriteLine();
                o.WriteLine("| action | calls | ms | share | CPU ms |");
                o.WriteLine("|---|---|---|---|---|");
                IReadOnlyList<CallbackCounter> counters = largeProfile.Snapshot();
                double sum = counters.Sum(c => c.Milliseconds);
                foreach (CallbackCounter c in counters)
                {
                    o.WriteLine($"| {c.Kind} | {c.Calls:N0} | {c.Milliseconds:F0} | {(sum > 0 ? c.Milliseconds / sum : 0):P0} | {c.CpuMilliseconds:F0} |");
                }

                if (telemetry.TryGetValue(large, out double tlarge))
                {
                    o.WriteLine($"| (telemetry total, includes nested symbol/code-block actions) | | {tlarge:F0} | | |");
                }

                if (largeCounts != null)
                {
                    o.WriteLine("registered actions: " + string.Join(", ", largeCounts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value)));
                }
            }

            // The summary's document number is the keystroke: a fresh compilation in which only the edited tree is new.
            double p95 = Percentile(docEdit, 0.95);
            o.WriteLine();
            o.WriteLine($"## IDE: one document of the {large}x compilation, fresh compilation each time ({docOurs.Count} files; target p95 ≤ 300 ms)");
            o.WriteLine();
            o.WriteLine("keystroke: the document edited (one body) in a compilation derived from one analysed before, unchanged trees kept (as in the IDE); cold: every tree parsed anew (the first analysis after opening)");
            o.WriteLine();
            o.WriteLine("| | p50 ms | p95 ms | max ms |");
            o.WriteLine("|---|---|---|---|");
            o.WriteLine($"| floor, cold | {Percentile(docFloor, 0.5):F0} | {Percentile(docFloor, 0.95):F0} | {(docFloor.Count > 0 ? docFloor.Max() : double.NaN):F0} |");
            o.WriteLine($"| ours, cold | {Percentile(docOurs, 0.5):F0} | {Percentile(docOurs, 0.95):F0} | {(docOurs.Count > 0 ? docOurs.Max() : double.NaN):F0} |");
            o.WriteLine($"| ours, keystroke | {Percentile(docEdit, 0.5):F0} | {p95:F0} | {(docEdit.Count > 0 ? docEdit.Max() : double.NaN):F0} |");
            o.WriteLine();
            o.WriteLine("| file | lines | floor cold ms | ours cold ms | ours keystroke ms |");
            o.WriteLine("|---|---|---|---|---|");
            foreach (string row in docRows)
            {
                o.WriteLine(row);
            }

            if (memory.Count > 0)
            {
                o.WriteLine();
                o.WriteLine($"## Memory ({s.MemoryScale}x, one process per configuration)");
                o.WriteLine();
                o.WriteLine("| configuration | ms | allocated MB | peak working set MB (process) | peak before the run MB |");
                o.WriteLine("|---|---|---|---|---|");
                foreach (MemoryProbe.Result m in memory)
                {
                    o.WriteLine($"| {m.Config} | {m.Milliseconds:F0} | {m.AllocatedBytes / 1048576.0:F0} | {m.PeakAfter / 1048576.0:F0} | {m.PeakBefore / 1048576.0:F0} |");
                }
            }

            o.WriteLine();
            o.WriteLine("## Our diagnostics (a benchmark of an analyzer that does nothing must not pass)");
            o.WriteLine();
            foreach (int size in sizes)
            {
                ReportDiagnostics(corpora[size], size);
            }

            o.WriteLine();
            o.WriteLine($"determinism: {determinismComparisons} comparisons of our diagnostics (id, location, message) with the first run of the same size: {(deterministic ? "all identical" : nonDeterministicRuns + " DIFFERENT")}; with chain locations: {(chainsDeterministic ? "identical" : "different")}");
            foreach (string p in problems.Distinct())
            {
                o.WriteLine("PROBLEM: " + p);
            }

            o.WriteLine($"total time {total.Elapsed.TotalSeconds:F0} s");
            o.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "floor-ratio: {0:F2}, peer-ratio: {1:F2}, scaling-8x: {2:F2}, document-p95-ms: {3:F0}, deterministic: {4}",
                worstFloorRatio,
                worstPeerRatio,
                scaling,
                p95,
                deterministic && determinismComparisons > 0 ? "yes" : "no"));
            return problems.Count > 0 ? 3 : 0;
        }

        private int Finish(int code)
        {
            foreach (string p in problems.Distinct())
            {
                o.WriteLine("PROBLEM: " + p);
            }

            o.WriteLine("floor-ratio: NaN, peer-ratio: NaN, scaling-8x: NaN, document-p95-ms: NaN, deterministic: no");
            return code;
        }

        private void CheckRun(int size, Config c, RunResult r)
        {
            if (r.CompilerErrors > 0)
            {
                problems.Add($"corpus {size}x does not compile: {r.CompilerErrors} errors, first: {r.FirstCompilerError}");
            }

            foreach (string ex in r.AnalyzerExceptions)
            {
                problems.Add($"{c} threw: {ex}");
            }

            if (c == Config.Ours)
            {
                string[] fp = Workload.Fingerprint(r.Diagnostics);
                string[] fpc = Workload.FingerprintWithChains(r.Diagnostics);
                if (firstOurs.TryGetValue(size, out string[]? first))
                {
                    determinismComparisons++;
                    if (!first.SequenceEqual(fp, StringComparer.Ordinal))
                    {
                        deterministic = false;
                        nonDeterministicRuns++;
                    }

                    if (!first.SequenceEqual(fp, StringComparer.Ordinal) && reportedNonDeterminism.Add(size))
                    {
                        string[] onlyFirst = first.Except(fp, StringComparer.Ordinal).ToArray();
                        string[] onlyThis = fp.Except(first, StringComparer.Ordinal).ToArray();
                        string a = onlyFirst.FirstOrDefault() ?? "(none)";
                        string locationOfA = string.Join("|", a.Split('|').Take(2));
                        string b = onlyThis.FirstOrDefault(x => x.StartsWith(locationOfA, StringComparison.Ordinal)) ?? onlyThis.FirstOrDefault() ?? "(none)";
                        problems.Add($"non-deterministic diagnostics at {size}x: {onlyFirst.Length} of {first.Length} differ from the first run; first run: {Truncate(a, 400)} || this run: {Truncate(b, 400)}");
                    }

                    if (!firstOursChains[size].SequenceEqual(fpc, StringComparer.Ordinal))
                    {
                        chainsDeterministic = false;
                    }
                }
                else
                {
                    firstOurs[size] = fp;
                    firstOursChains[size] = fpc;
                }
            }
        }

        private void ReportDiagnostics(ParsedCorpus corpus, int size)
        {
            List<RunResult> list = runs.TryGetValue((size, Config.Ours), out List<RunResult>? l) ? l : new List<RunResult>();
            if (list.Count == 0)
            {
                return;
            }

            ImmutableArray<Diagnostic> diags = list[0].Diagnostics;
            string counts = string.Join(", ", diags.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + "=" + g.Count()));
            o.WriteLine($"- {size}x: {diags.Length} diagnostics: {(counts.Length == 0 ? "none" : counts)}");
            var at = new HashSet<(string, string, int)>(diags.Select(d => (d.Id, d.Location.GetLineSpan().Path, d.Location.GetLineSpan().StartLinePosition.Line + 1)));
            foreach (IGrouping<string, ExpectedSite> g in corpus.Corpus.Expected.GroupBy(e => e.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                int found = g.Count(e => at.Contains((e.Id, e.Path, e.Line)));
                var expectedLines = new HashSet<(string, int)>(g.Select(e => (e.Path, e.Line)));
                int elsewhere = diags.Count(d => d.Id == g.Key && !expectedLines.Contains((d.Location.GetLineSpan().Path, d.Location.GetLineSpan().StartLinePosition.Line + 1)));
                string missed = string.Join("; ", g.Where(e => !at.Contains((e.Id, e.Path, e.Line))).Take(3).Select(e => $"{e.Path}:{e.Line} ({e.Shape})"));
                o.WriteLine($"  - {g.Key}: planted {g.Count()}, reported there {found}, reported elsewhere {elsewhere}{(missed.Length > 0 ? "; missed e.g. " + missed : string.Empty)}");
            }

            CheckChains(diags, size);
            Diagnostic? chain = diags.FirstOrDefault(d => d.Id == "ACA0001" && d.Location.GetLineSpan().Path == "Fixed/Chain00.cs");
            if (chain != null)
            {
                string msg = chain.GetMessage(CultureInfo.InvariantCulture);
                o.WriteLine($"  - 10,000-deep chain: reported, message {msg.Length:N0} chars, {msg.Split(" → ").Length - 1} arrows, {chain.AdditionalLocations.Count} additional locations: {Truncate(msg, 200)}");
            }

            if (size == s.Sizes.Min() && !diags.Any(d => d.Id == "ACA0001"))
            {
                problems.Add("our analyzers reported no ACA0001 on the corpus: the benchmark measures an analyzer that finds nothing");
            }
        }

        /// <summary>
        /// The contract: an ACA0001 chain ends at the member that sleeps. In this corpus no generated method with a
        /// body sleeps by itself (the hub sleeps through down_read → might_sleep), so a chain that ends at one, or
        /// that visits a method twice, is a wrong witness.
        /// </summary>
        private void CheckChains(ImmutableArray<Diagnostic> diags, int size)
        {
            var bodied = new System.Text.RegularExpressions.Regex(@"^(m\d{6}|c\d{5}|hub_sleep|down_read|refill|irq_handler|resched_locked|chain_root|hub_bug_direct|hub_bug_far)$");
            int total = 0;
            int badEnd = 0;
            int cycles = 0;
            string? example = null;
            foreach (Diagnostic d in diags.Where(d => d.Id == "ACA0001"))
            {
                string msg = d.GetMessage(CultureInfo.InvariantCulture);
                int colon = msg.IndexOf("): ", StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                total++;
                string[] hops = msg.Substring(colon + 3).Split(" → ").Select(h => h.Trim()).ToArray();
                string last = hops[hops.Length - 1];
                // Lambdas and local functions ("f0") repeat their names across methods: only methods count.
                string[] named = hops.Where(h => bodied.IsMatch(h)).ToArray();
                bool wrongEnd = bodied.IsMatch(last);
                bool cycle = named.Distinct(StringComparer.Ordinal).Count() != named.Length;
                badEnd += wrongEnd ? 1 : 0;
                cycles += cycle ? 1 : 0;
                if ((wrongEnd || cycle) && example == null)
                {
                    example = $"{d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {Truncate(msg, 400)}";
                }
            }

            o.WriteLine($"  - ACA0001 chains: {total}; ending at a member that does not sleep by itself: {badEnd}; visiting a method twice: {cycles}{(example != null ? "; e.g. " + example : string.Empty)}");
            if (badEnd + cycles > 0)
            {
                problems.Add($"{size}x: {badEnd} ACA0001 chains do not end at the sleeping member and {cycles} visit a method twice (contract §4: the chain ends at the member that sleeps)");
            }
        }

        private static List<int> SampleDocuments(ParsedCorpus corpus, int count)
        {
            var generated = Enumerable.Range(0, corpus.Corpus.Files.Count).Where(i => !corpus.Corpus.Files[i].IsFixed).ToList();
            var result = new List<int>();
            int hub = Enumerable.Range(0, corpus.Corpus.Files.Count).FirstOrDefault(i => corpus.Corpus.Files[i].Path == "Fixed/Hub.cs");
            int chain = Enumerable.Range(0, corpus.Corpus.Files.Count).FirstOrDefault(i => corpus.Corpus.Files[i].Path == "Fixed/Chain00.cs");
            int spread = Math.Max(1, count - 2);
            for (int k = 0; k < spread && generated.Count > 0; k++)
            {
                result.Add(generated[(int)((long)k * generated.Count / spread)]);
            }

            // Interleave the two stress files early, so a cut sample still contains them.
            result.Insert(Math.Min(1, result.Count), chain);
            result.Insert(Math.Min(3, result.Count), hub);
            return result.Distinct().ToList();
        }

        /// <summary>
        /// Whether a configuration warms up in warm-up round <paramref name="round"/>: not once settled; past the minimum
        /// of rounds, where <see cref="Settings.SideWarmupsWait"/>, one that runs in the side rounds only waits until
        /// every one that runs in all rounds has settled.
        /// </summary>
        public static bool WarmsInRound(Config c, int round, Settings s, Func<Config, bool> isSettled)
        {
            if (isSettled(c))
            {
                return false;
            }

            if (round < s.MinWarmups || !s.SideWarmupsWait || RunsInEveryRound(c, s))
            {
                return true;
            }

            return isSettled(Config.Floor) && isSettled(Config.Ours);
        }

        /// <summary>
        /// Whether a configuration runs in a round: the floor and ours in every one, emit and the peer in the first
        /// <see cref="Settings.SideRounds"/> (their ratios to the floor are far from any target; ours ÷ floor is not).
        /// </summary>
        public static bool RunsInRound(Config c, int round, Settings s) => RunsInEveryRound(c, s) || round < s.SideRounds;

        private static bool RunsInEveryRound(Config c, Settings s) => c == Config.Floor || c == Config.Ours || s.SideRounds == int.MaxValue;

        private void Record(int size, Config c, RunResult r)
        {
            if (!runs.TryGetValue((size, c), out List<RunResult>? list))
            {
                list = new List<RunResult>();
                runs[(size, c)] = list;
            }

            if (list.Count > 0)
            {
                // Only the first run's diagnostics are kept for the report; every run was already compared.
                r.Diagnostics = ImmutableArray<Diagnostic>.Empty;
            }

            list.Add(r);
        }

        private double Median(int size, Config c) => Of(size, c, r => r.Milliseconds);

        /// <summary>The median of a measure over the runs of one size and configuration.</summary>
        private double Of(int size, Config c, Func<RunResult, double> measure) => runs.TryGetValue((size, c), out List<RunResult>? l) && l.Count > 0 ? Percentile(l.Select(measure).ToList(), 0.5) : double.NaN;

        private double Min(int size, Config c) => runs.TryGetValue((size, c), out List<RunResult>? l) && l.Count > 0 ? l.Min(r => r.Milliseconds) : double.NaN;

        private double MaxOf(int size, Config c) => runs.TryGetValue((size, c), out List<RunResult>? l) && l.Count > 0 ? l.Max(r => r.Milliseconds) : double.NaN;

        private double AllocMb(int size, Config c) => Of(size, c, r => r.AllocatedBytes) / 1048576.0;

        /// <summary>The median of the per-round ratios (each round's two runs were made next to each other).</summary>
        private double Ratio(int size, Config a, Config b) => PairedRatio(size, a, b, r => r.Milliseconds);

        /// <summary>
        /// The paired ratios of one size round by round, each with the gen 2 collections that began in its two runs
        /// (a gen 2 collection in a run moves it by hundreds of ms at 8x; the median hides how often that happened).
        /// </summary>
        private string RoundByRound(int size, Config a, Config b)
        {
            if (!runs.TryGetValue((size, a), out List<RunResult>? la) || !runs.TryGetValue((size, b), out List<RunResult>? lb))
            {
                return $"{size}x round by round: no runs";
            }

            int n = Math.Min(la.Count, lb.Count);
            var rounds = Enumerable.Range(0, n).Select(i => $"{la[i].Milliseconds / lb[i].Milliseconds:F2} ({la[i].Gen2Collections}/{lb[i].Gen2Collections})");
            return $"{size}x {a} ÷ {b} round by round (gen 2 collections in {a}'s / {b}'s run): {string.Join(", ", rounds)}; ratio of the medians {Median(size, a) / Median(size, b):F2}";
        }

        /// <summary>As <see cref="Ratio"/>, each run's time less the GC pauses in it: what the analysis costs apart from when the collector happened to run.</summary>
        private double RatioWithoutGc(int size, Config a, Config b) => PairedRatio(size, a, b, r => r.Milliseconds - r.GcPauseMilliseconds);

        private double PairedRatio(int size, Config a, Config b, Func<RunResult, double> measure)
        {
            List<double> ratios = PairedRatios(size, a, b, measure);
            return ratios.Count == 0 ? double.NaN : Percentile(ratios, 0.5);
        }

        /// <summary>a ÷ b round by round (each round's two runs were made next to each other); empty when either has no runs.</summary>
        private List<double> PairedRatios(int size, Config a, Config b, Func<RunResult, double> measure)
        {
            if (!runs.TryGetValue((size, a), out List<RunResult>? la) || !runs.TryGetValue((size, b), out List<RunResult>? lb))
            {
                return new List<double>();
            }

            int n = Math.Min(la.Count, lb.Count);
            return Enumerable.Range(0, n).Select(i => measure(la[i]) / measure(lb[i])).ToList();
        }

        private static string FormatInterval(int size, MedianInterval i) => $"{size}x {i.Low:F2}–{i.High:F2} ({i.Coverage:P0})";

        /// <summary>Where the median of the paired ratios of one size lies (<see cref="MedianInterval"/>).</summary>
        private MedianInterval RatioInterval(int size, Config a, Config b, double confidence) =>
            MedianInterval.Of(PairedRatios(size, a, b, r => r.Milliseconds), confidence);

        private static double Max(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);

        /// <summary>Nearest-rank percentile with linear interpolation; the median of an even count is the mean of the middle two.</summary>
        public static double Percentile(IList<double> values, double p)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            double[] v = values.OrderBy(x => x).ToArray();
            double pos = p * (v.Length - 1);
            int lo = (int)Math.Floor(pos);
            int hi = (int)Math.Ceiling(pos);
            return v[lo] + ((v[hi] - v[lo]) * (pos - lo));
        }

        private static double Ms(long t0, long t1) => (t1 - t0) * 1000.0 / Stopwatch.Frequency;

        private static string Truncate(string s, int n) => s.Length <= n ? s : s.Substring(0, n) + "…";
    }
}
