using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// The same four configurations under BenchmarkDotNet (<c>--bdn</c>), where it fits: the small corpus, in
    /// process, a short job. The interleaved harness is the one whose numbers the docs quote: BenchmarkDotNet runs
    /// one benchmark after another, so slow drift on a shared machine lands on one configuration. Every invocation
    /// parses the corpus anew (inside the timed call: BenchmarkDotNet times the whole method), so no analyzer
    /// reuses facts kept beside a syntax tree from an earlier invocation.
    /// </summary>
    [MemoryDiagnoser]
    public class AnalyzerBenchmarks
    {
        private ParsedCorpus corpus = null!;
        private ImmutableArray<DiagnosticAnalyzer> floor;
        private ImmutableArray<DiagnosticAnalyzer> ours;
        private ImmutableArray<DiagnosticAnalyzer> peer;

        [Params(1)]
        public int Scale { get; set; }

        public static IConfig ShortConfig() => ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);

        [GlobalSetup]
        public void Setup()
        {
            corpus = new ParsedCorpus(CorpusGenerator.Generate(Scale));
            floor = ImmutableArray.Create<DiagnosticAnalyzer>(new FloorAnalyzer());
            ours = AnalyzerSets.LoadOurs();
            peer = AnalyzerSets.LoadPeer(out _);
        }

        [Benchmark]
        public double Emit() => Workload.Run(corpus, Config.Emit, ImmutableArray<DiagnosticAnalyzer>.Empty, quiesce: false).Milliseconds;

        [Benchmark(Baseline = true)]
        public double Floor() => Workload.Run(corpus, Config.Floor, floor, quiesce: false).Milliseconds;

        [Benchmark]
        public double Ours() => Workload.Run(corpus, Config.Ours, ours, quiesce: false).Milliseconds;

        [Benchmark]
        public double Peer() => Workload.Run(corpus, Config.Peer, peer, quiesce: false).Milliseconds;
    }
}
