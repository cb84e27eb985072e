using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks.Tests
{
    public class CorpusGeneratorTests
    {
        private static readonly Lazy<Corpus> One = new Lazy<Corpus>(() => CorpusGenerator.Generate(1));
        private static readonly Lazy<Corpus> Eight = new Lazy<Corpus>(() => CorpusGenerator.Generate(8));

        [Fact]
        public void Same_scale_gives_identical_files()
        {
            Corpus again = CorpusGenerator.Generate(1);
            Assert.Equal(One.Value.Files.Select(f => f.Path), again.Files.Select(f => f.Path));
            Assert.Equal(One.Value.Files.Select(f => f.Text), again.Files.Select(f => f.Text));
        }

        [Fact]
        public void Eight_times_is_at_least_250k_lines_and_sizes_grow()
        {
            Assert.True(Eight.Value.TotalLines >= 250_000, $"8x has {Eight.Value.TotalLines} lines");
            Corpus two = CorpusGenerator.Generate(2);
            Corpus four = CorpusGenerator.Generate(4);
            Assert.True(One.Value.TotalLines < two.TotalLines && two.TotalLines < four.TotalLines && four.TotalLines < Eight.Value.TotalLines);
            Assert.Equal(8 * One.Value.GeneratedMethods, Eight.Value.GeneratedMethods);
        }

        [Fact]
        public void Stress_shapes_are_the_same_at_every_size()
        {
            Dictionary<string, string> small = One.Value.Files.Where(f => f.IsFixed).ToDictionary(f => f.Path, f => f.Text);
            Dictionary<string, string> large = Eight.Value.Files.Where(f => f.IsFixed).ToDictionary(f => f.Path, f => f.Text);
            Assert.Equal(small.Keys.OrderBy(k => k), large.Keys.OrderBy(k => k));
            foreach (KeyValuePair<string, string> kv in small)
            {
                Assert.Equal(kv.Value, large[kv.Key]);
            }

            Assert.Contains("Fixed/Hub.cs", small.Keys);
            int chainMethods = small.Where(kv => kv.Key.StartsWith("Fixed/Chain", StringComparison.Ordinal)).Sum(kv => Regex.Matches(kv.Value, @"public static int c\d{5}\(").Count);
            Assert.Equal(CorpusGenerator.ChainLength, chainMethods);
        }

        [Fact]
        public void Every_method_of_the_sleepy_half_reaches_the_hub_and_no_clean_one_does()
        {
            // Rebuild the call graph from the text: method -> called m-methods and the hub.
            var calls = new Dictionary<int, HashSet<int>>();
            const int Hub = -1;
            var method = new Regex(@"public static int m(\d{6})\(int x\)");
            var callee = new Regex(@"\bm(\d{6})\(|Hub\.hub_sleep\(");
            foreach (GeneratedFile f in One.Value.Files.Where(f => !f.IsFixed))
            {
                int current = -2;
                foreach (string line in f.Text.Split('\n'))
                {
                    Match m = method.Match(line);
                    if (m.Success)
                    {
                        current = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                        calls[current] = new HashSet<int>();
                        continue;
                    }

                    if (line.StartsWith("    }", StringComparison.Ordinal) && !line.StartsWith("     ", StringComparison.Ordinal))
                    {
                        current = -2;
                    }

                    if (current < 0)
                    {
                        continue;
                    }

                    foreach (Match c in callee.Matches(line))
                    {
                        calls[current].Add(c.Value.StartsWith("Hub", StringComparison.Ordinal) ? Hub : int.Parse(c.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }

            Assert.Equal(One.Value.GeneratedMethods, calls.Count);
            var reaches = new HashSet<int>();
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (KeyValuePair<int, HashSet<int>> kv in calls)
                {
                    if (!reaches.Contains(kv.Key) && kv.Value.Any(c => c == Hub || reaches.Contains(c)))
                    {
                        reaches.Add(kv.Key);
                        changed = true;
                    }
                }
            }

            Assert.Equal(One.Value.HubReachers, reaches.Count);
            Assert.All(reaches, m => Assert.True(CorpusGenerator.IsSleepy(m)));
            Assert.Equal(One.Value.GeneratedMethods / 2, reaches.Count);
        }

        [Fact]
        public void Planted_bugs_point_at_the_statement_that_has_them()
        {
            Dictionary<string, string[]> lines = One.Value.Files.ToDictionary(f => f.Path, f => f.Text.Split('\n'));
            Assert.NotEmpty(One.Value.Expected);
            foreach (ExpectedSite e in One.Value.Expected)
            {
                string line = lines[e.Path][e.Line - 1];
                switch (e.Id)
                {
                    case "ACA0001":
                        Assert.Matches(@"(m\d{6}|c00000|hub_sleep)\(", line);
                        break;
                    case "ACA0002":
                        Assert.Contains("return", line, StringComparison.Ordinal);
                        break;
                    case "ACA0004":
                        Assert.Contains("cpu_counters", line, StringComparison.Ordinal);
                        break;
                    case "ACA0005":
                        Assert.Contains("await", line, StringComparison.Ordinal);
                        break;
                    default:
                        Assert.Fail("unexpected id " + e.Id);
                        break;
                }
            }

            Assert.Contains(One.Value.Expected, e => e.Shape == "chain-10000");
            Assert.Contains(One.Value.Expected, e => e.Shape == "hub-via-sleepy-half");
        }

        [Fact]
        public void The_corpus_compiles_without_errors()
        {
            var parsed = new ParsedCorpus(One.Value);
            RunResult emit = Workload.Run(parsed, Config.Emit, ImmutableArray<DiagnosticAnalyzer>.Empty);
            Assert.True(emit.CompilerErrors == 0, emit.FirstCompilerError);
        }

        [Fact]
        public void The_floor_analyzer_visits_invocations_and_reports_nothing()
        {
            var parsed = new ParsedCorpus(One.Value);
            long before = FloorAnalyzer.Visited;
            RunResult r = Workload.Run(parsed, Config.Floor, ImmutableArray.Create<DiagnosticAnalyzer>(new FloorAnalyzer()));
            Assert.Empty(r.Diagnostics);
            Assert.Empty(r.AnalyzerExceptions);
            Assert.True(FloorAnalyzer.Visited - before > One.Value.GeneratedMethods, "the floor visited too few invocations");
        }

        [Fact]
        public void Percentile_interpolates()
        {
            Assert.Equal(2.5, Harness.Percentile(new List<double> { 4, 1, 3, 2 }, 0.5));
            Assert.Equal(4, Harness.Percentile(new List<double> { 4, 1, 3, 2 }, 1.0));
            Assert.True(double.IsNaN(Harness.Percentile(new List<double>(), 0.5)));
        }

        [Fact]
        public void Warm_up_settles_after_two_quiet_runs_in_a_row_and_not_before_the_minimum()
        {
            var warmth = new WarmupTracker<string>(minRuns: 3, quietJitCount: 50);
            Assert.False(warmth.Record("a", 10));   // quiet, but the first run
            Assert.False(warmth.Record("a", 10));   // two quiet in a row, still below the minimum
            Assert.True(warmth.Record("a", 10));    // third run: settled
            Assert.False(warmth.Record("a", 0));    // already settled: not settled again

            Assert.False(warmth.Record("b", 900));
            Assert.False(warmth.Record("b", 20));
            Assert.False(warmth.Record("b", 300));  // a burst of tier-ups starts the count again
            Assert.False(warmth.Record("b", 50));
            Assert.True(warmth.Record("b", 49));
            Assert.Equal(new[] { "a", "b" }, warmth.Settled.OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public void Fingerprints_ignore_order()
        {
            SyntaxTree tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C { }", path: "a.cs");
            var d = new DiagnosticDescriptor("X1", "t", "m {0}", "c", DiagnosticSeverity.Warning, true);
            Diagnostic a = Diagnostic.Create(d, Location.Create(tree, new Microsoft.CodeAnalysis.Text.TextSpan(0, 5)), "a");
            Diagnostic b = Diagnostic.Create(d, Location.Create(tree, new Microsoft.CodeAnalysis.Text.TextSpan(6, 1)), "b");
            Assert.Equal(Workload.Fingerprint(ImmutableArray.Create(a, b)), Workload.Fingerprint(ImmutableArray.Create(b, a)));
            Assert.NotEqual(Workload.Fingerprint(ImmutableArray.Create(a)), Workload.Fingerprint(ImmutableArray.Create(b)));
        }

        [Fact]
        public void Plain_code_is_deterministic_compiles_and_gives_our_analyzers_nothing_to_report()
        {
            Corpus plain = PlainCode.Generate(4, 20);
            Assert.Equal(plain.Files.Select(f => f.Text), PlainCode.Generate(4, 20).Files.Select(f => f.Text));
            var parsed = new ParsedCorpus(plain);
            Assert.Empty(parsed.NewCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            RunResult ours = Workload.Run(parsed, Config.Ours, AnalyzerSets.LoadOurs());
            Assert.Empty(ours.AnalyzerExceptions);
            Assert.Empty(ours.Diagnostics);
        }

        [Fact]
        public void Writes_the_corpus_to_disk()
        {
            string dir = Path.Combine(Path.GetTempPath(), "aca-corpus-" + Guid.NewGuid().ToString("N"));
            try
            {
                Assert.Equal(0, Program.Main(new[] { "--write-corpus", dir, "1" }));
                Assert.True(File.Exists(Path.Combine(dir, "Fixed", "Hub.cs")));
            }
            finally
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }
}
