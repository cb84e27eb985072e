using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// <c>--walk-ab NAME=DIR NAME=DIR … [--scale S] [--rounds R]</c>: the flow walk of two or more builds of the
    /// analyzer (each <c>DIR</c> holds an <c>AtomicContext.Analyzers.dll</c>, loaded in a context of its own) over the
    /// same bound bodies of the generated corpus, in one process and on one thread, taking turns round by round. The
    /// first build is the reference: each build's median of the paired ratios to it is printed, with the interval that
    /// holds it. A change to the walker shows here to about ±3 % (the same build loaded twice: 0.989–1.030 over a
    /// dozen runs of 150 rounds, a copy's code placement); run by run in separate processes, <c>--walk-cost</c> moved
    /// by ±5–10 % on its own.
    /// </summary>
    public static class WalkAb
    {
        public static int Run(IReadOnlyList<(string Name, string Directory)> builds, int scale, int rounds, TextWriter output)
        {
            if (builds.Count < 2)
            {
                output.WriteLine("--walk-ab needs at least two NAME=DIR builds of the analyzer");
                return 2;
            }

            var paths = builds.Select(b => Path.Combine(Path.GetFullPath(b.Directory), "AtomicContext.Analyzers.dll")).ToList();
            for (int b = 0; b < builds.Count; b++)
            {
                if (!File.Exists(paths[b]))
                {
                    output.WriteLine($"{builds[b].Name}: no AtomicContext.Analyzers.dll in {builds[b].Directory}");
                    return 2;
                }
            }

            rounds = Math.Max(rounds, 3);
            var corpus = new ParsedCorpus(CorpusGenerator.Generate(scale));
            var compilation = corpus.NewCompilation();
            var bodies = WalkCost.GeneratedBodies(compilation, out int methods);
            var walks = new List<Func<IOperation, IMethodSymbol, CancellationToken, object>>();
            for (int b = 0; b < builds.Count; b++)
                walks.Add(LoadWalk(new BuildContext(builds[b].Name, Path.GetDirectoryName(paths[b])!).LoadFromAssemblyPath(paths[b]), compilation));

            WalkCost.Compact();
            var times = builds.Select(_ => new List<double>()).ToList();
            long sink = 0;
            for (int r = 0; r < rounds; r++)
            {
                // Every build once a round, the order rotated: drift lands on all of them.
                for (int k = 0; k < walks.Count; k++)
                {
                    int b = (r + k) % walks.Count;
                    var walk = walks[b];
                    var watch = Stopwatch.StartNew();
                    foreach (var (body, owner) in bodies) sink += walk(body, owner, CancellationToken.None) is null ? 0 : 1;
                    times[b].Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            // The first third of the rounds is the JIT's warm-up.
            int skip = rounds / 3;
            var reference = times[0].Skip(skip).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# Walk A/B ({scale}x corpus, Gen/ only: {methods:N0} methods + {bodies.Count - methods:N0} lambdas; one thread, {rounds} rounds, the last {rounds - skip} measured)"));
            output.WriteLine();
            output.WriteLine($"| build | median ms | ÷ {builds[0].Name} (median of paired ratios) | where that median lies |");
            output.WriteLine("|---|---|---|---|");
            for (int b = 0; b < builds.Count; b++)
            {
                var mine = times[b].Skip(skip).ToList();
                var ratios = mine.Select((ms, i) => ms / reference[i]).ToList();
                var interval = MedianInterval.Of(ratios, 0.9);
                string where = b == 0 ? "(the reference)" : string.Create(CultureInfo.InvariantCulture, $"{interval.Low:F3}–{interval.High:F3} ({interval.Coverage * 100:F0} %)");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {builds[b].Name} | {Harness.Percentile(mine, 0.5):F2} | {Harness.Percentile(ratios, 0.5):F3} | {where} |"));
            }

            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(walked {sink:N0} bodies)"));
            return 0;
        }

        /// <summary>
        /// The build's <c>SummaryStore.Analyze</c> over a store of its own for <paramref name="compilation"/>, found by
        /// name (the types are the build's, not ours), after its token index of every tree is made as a real run makes it.
        /// </summary>
        private static Func<IOperation, IMethodSymbol, CancellationToken, object> LoadWalk(Assembly analyzers, Compilation compilation)
        {
            const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
            const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
            var tokens = analyzers.GetType("AtomicContext.Analyzers.Facts.BodyTokens")?.GetMethod("OfTree", Static);
            if (tokens != null)
            {
                foreach (var tree in compilation.SyntaxTrees) tokens.Invoke(null, new object[] { tree });
            }

            var filesType = analyzers.GetType("AtomicContext.Analyzers.Facts.FactsFiles", throwOnError: true)!;
            object emptyFiles = filesType.GetField("Empty", Static)?.GetValue(null) ?? filesType.GetProperty("Empty", Static)!.GetValue(null)!;
            var storeType = analyzers.GetType("AtomicContext.Analyzers.Summaries.SummaryStore", throwOnError: true)!;
            object members = storeType.GetMethod("EstimatedMembers", Static)!.Invoke(null, new object[] { compilation })!;
            object resolver = Activator.CreateInstance(analyzers.GetType("AtomicContext.Analyzers.Facts.FactsResolver", throwOnError: true)!, Instance, null, new[] { emptyFiles, members }, CultureInfo.InvariantCulture)!;
            object store = Activator.CreateInstance(storeType, Instance, null, new object[] { compilation, resolver, 0UL }, CultureInfo.InvariantCulture)!;
            var analyze = storeType.GetMethod("Analyze", Instance, null, new[] { typeof(IOperation), typeof(IMethodSymbol), typeof(CancellationToken) }, null)!;
            return (Func<IOperation, IMethodSymbol, CancellationToken, object>)analyze.CreateDelegate(typeof(Func<IOperation, IMethodSymbol, CancellationToken, object>), store);
        }

        /// <summary>Loads the build's own AtomicContext assemblies; everything else (Roslyn, the runtime) is shared with the benchmark.</summary>
        private sealed class BuildContext : AssemblyLoadContext
        {
            private readonly string _directory;

            public BuildContext(string name, string directory)
                : base("walk-ab " + name, isCollectible: false) => _directory = directory;

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                string path = Path.Combine(_directory, assemblyName.Name + ".dll");
                return assemblyName.Name!.StartsWith("AtomicContext", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }
}
