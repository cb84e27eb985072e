using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Microsoft.CodeAnalysis.Text;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>A generated corpus, parsed once (parsing is not what is measured; binding and analysis are).</summary>
    public sealed class ParsedCorpus
    {
        private static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);

        private static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            concurrentBuild: true,
            deterministic: true,
            nullableContextOptions: NullableContextOptions.Disable);

        private int compilationCounter;

        public ParsedCorpus(Corpus corpus)
        {
            Corpus = corpus;
            Trees = corpus.Files
                .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), ParseOptions, f.Path))
                .ToImmutableArray();
        }

        public Corpus Corpus { get; }

        public ImmutableArray<SyntaxTree> Trees { get; }

        /// <summary>
        /// The corpus parsed again: new <see cref="SyntaxTree"/> objects that no analyzer has seen. An analyzer may
        /// keep facts beside a syntax tree across compilations (sound: a tree is immutable), as the IDE's unchanged
        /// documents allow; a command-line build never sees the same tree objects twice, so build measurements use
        /// these.
        /// </summary>
        public ImmutableArray<SyntaxTree> Reparse() => Corpus.Files
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), ParseOptions, f.Path))
            .ToImmutableArray();

        /// <summary>A fresh compilation over trees parsed anew (see <see cref="Reparse"/>).</summary>
        public CSharpCompilation NewColdCompilation() => NewCompilation(Reparse());

        /// <summary>A fresh compilation (no binding shared with any earlier one) over the already-parsed, shared trees.</summary>
        public CSharpCompilation NewCompilation() => NewCompilation(Trees);

        /// <summary>A fresh compilation over the given trees.</summary>
        public CSharpCompilation NewCompilation(ImmutableArray<SyntaxTree> trees)
        {
            int k = Interlocked.Increment(ref compilationCounter);
            return CSharpCompilation.Create(
                "KernelCorpus" + Corpus.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture),
                trees,
                Basic.Reference.Assemblies.Net80.References.All,
                CompilationOptions);
        }
    }

    /// <summary>What one measured run produced.</summary>
    public sealed class RunResult
    {
        public double Milliseconds { get; set; }

        public long AllocatedBytes { get; set; }

        /// <summary>Methods the JIT compiled (or recompiled at a higher tier) in the process while this run went.</summary>
        public long MethodsJitted { get; set; }

        /// <summary>Time the runtime held every thread for a GC while this run went (ms).</summary>
        public double GcPauseMilliseconds { get; set; }

        /// <summary>Garbage collections while this run went (of any generation).</summary>
        public int Collections { get; set; }

        /// <summary>Gen 2 collections (background or blocking) that began while this run went.</summary>
        public int Gen2Collections { get; set; }

        public ImmutableArray<Diagnostic> Diagnostics { get; set; } = ImmutableArray<Diagnostic>.Empty;

        public List<string> AnalyzerExceptions { get; } = new List<string>();

        public int CompilerErrors { get; set; }

        public string? FirstCompilerError { get; set; }
    }

    public enum Config
    {
        Emit,
        Floor,
        Ours,
        Peer,
    }

    /// <summary>Runs one configuration on a fresh compilation.</summary>
    public static class Workload
    {
        public static CompilationWithAnalyzersOptions Options(RunResult sink, bool logTime) => new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (ex, analyzer, diag) =>
            {
                lock (sink.AnalyzerExceptions)
                {
                    if (sink.AnalyzerExceptions.Count < 5)
                    {
                        sink.AnalyzerExceptions.Add(analyzer.GetType().Name + ": " + ex.GetType().Name + ": " + ex.Message);
                    }
                }
            },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: logTime,
            reportSuppressedDiagnostics: false);

        public static void Quiesce()
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        /// <param name="quiesce">Force a full compacting GC first (not timed); BenchmarkDotNet, which times the whole call, passes false.</param>
        public static RunResult Run(ParsedCorpus corpus, Config config, ImmutableArray<DiagnosticAnalyzer> analyzers, bool quiesce = true)
        {
            var result = new RunResult();
            ImmutableArray<SyntaxTree> trees = corpus.Reparse();
            if (quiesce)
            {
                Quiesce();
            }

            long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
            long jit0 = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
            TimeSpan pause0 = GC.GetTotalPauseDuration();
            int gc0 = GC.CollectionCount(0);
            int gen2Before = GC.CollectionCount(2);
            long t0 = Stopwatch.GetTimestamp();

            // What the run took, read as soon as it is done (the clock first).
            void Done()
            {
                long t1 = Stopwatch.GetTimestamp();
                result.Milliseconds = (t1 - t0) * 1000.0 / Stopwatch.Frequency;
                result.AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
                result.MethodsJitted = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false) - jit0;
                result.GcPauseMilliseconds = (GC.GetTotalPauseDuration() - pause0).TotalMilliseconds;
                result.Collections = GC.CollectionCount(0) - gc0;
                result.Gen2Collections = GC.CollectionCount(2) - gen2Before;
            }

            CSharpCompilation compilation = corpus.NewCompilation(trees);
            if (config == Config.Emit)
            {
                using var pe = new MemoryStream();
                Microsoft.CodeAnalysis.Emit.EmitResult emit = compilation.Emit(pe);
                Done();
                Diagnostic[] errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
                result.CompilerErrors = errors.Length;
                result.FirstCompilerError = errors.FirstOrDefault()?.ToString();
                return result;
            }

            CompilationWithAnalyzers cwa = compilation.WithAnalyzers(analyzers, Options(result, logTime: false));
            ImmutableArray<Diagnostic> diags = cwa.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            Done();
            result.Diagnostics = diags;
            return result;
        }

        /// <summary>One run (over trees parsed anew) with execution-time logging and per-kind stopwatches: the analyzers' summed callback time.</summary>
        public static (double TelemetryMs, CallbackProfile Profile, Dictionary<string, int> ActionCounts) Profile(ParsedCorpus corpus, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var profile = new CallbackProfile();
            ImmutableArray<DiagnosticAnalyzer> wrapped = analyzers.Select(a => (DiagnosticAnalyzer)new ProfilingAnalyzer(a, profile)).ToImmutableArray();
            var sink = new RunResult();
            Quiesce();
            CompilationWithAnalyzers cwa = corpus.NewColdCompilation().WithAnalyzers(wrapped, Options(sink, logTime: true));
            cwa.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            double total = 0;
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (DiagnosticAnalyzer a in wrapped)
            {
                AnalyzerTelemetryInfo info = cwa.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None).GetAwaiter().GetResult();
                total += info.ExecutionTime.TotalMilliseconds;
                Add(counts, "compilation-start", info.CompilationStartActionsCount);
                Add(counts, "compilation-end", info.CompilationEndActionsCount);
                Add(counts, "operation", info.OperationActionsCount);
                Add(counts, "operation-block-start", info.OperationBlockStartActionsCount);
                Add(counts, "operation-block-end", info.OperationBlockEndActionsCount);
                Add(counts, "operation-block", info.OperationBlockActionsCount);
                Add(counts, "symbol", info.SymbolActionsCount);
                Add(counts, "symbol-start", info.SymbolStartActionsCount);
                Add(counts, "syntax-node", info.SyntaxNodeActionsCount);
                Add(counts, "syntax-tree", info.SyntaxTreeActionsCount);
                Add(counts, "semantic-model", info.SemanticModelActionsCount);
                Add(counts, "code-block-start", info.CodeBlockStartActionsCount);
                Add(counts, "code-block", info.CodeBlockActionsCount);
            }

            return (total, profile, counts);
        }

        private static void Add(Dictionary<string, int> counts, string key, int value)
        {
            if (value > 0)
            {
                counts[key] = counts.TryGetValue(key, out int v) ? v + value : value;
            }
        }

        /// <summary>
        /// A cold document: syntax and semantic analysis of one document of a fresh compilation over trees parsed
        /// anew (nothing any analyzer could have kept: the first analysis after a solution is opened).
        /// </summary>
        public static double Document(ParsedCorpus corpus, int treeIndex, ImmutableArray<DiagnosticAnalyzer> analyzers, out int diagnostics, out List<string> exceptions)
        {
            var sink = new RunResult();
            ImmutableArray<SyntaxTree> trees = corpus.Reparse();
            Quiesce();
            long t0 = Stopwatch.GetTimestamp();
            CSharpCompilation compilation = corpus.NewCompilation(trees);
            CompilationWithAnalyzers cwa = compilation.WithAnalyzers(analyzers, Options(sink, logTime: false));
            SyntaxTree tree = trees[treeIndex];
            ImmutableArray<Diagnostic> syntax = cwa.GetAnalyzerSyntaxDiagnosticsAsync(tree, CancellationToken.None).GetAwaiter().GetResult();
            ImmutableArray<Diagnostic> semantic = cwa.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), null, CancellationToken.None).GetAwaiter().GetResult();
            long t1 = Stopwatch.GetTimestamp();
            diagnostics = syntax.Length + semantic.Length;
            exceptions = sink.AnalyzerExceptions;
            return (t1 - t0) * 1000.0 / Stopwatch.Frequency;
        }

        /// <summary>
        /// What one keystroke costs in the IDE: a fresh compilation in which only the edited document's tree is new.
        /// The first compilation (over the shared trees, which the IDE would also keep for unchanged documents) is
        /// analysed for the document,
        /// then one body in it is edited (<c>return</c> becomes <c>return 0 +</c>), and the edited document of the
        /// derived compilation (<see cref="Compilation.ReplaceSyntaxTree"/>) is analysed again. Only the second
        /// analysis is timed: it shows what an analyzer reuses across edits for the trees that did not change.
        /// </summary>
        public static double DocumentAfterEdit(ParsedCorpus corpus, int treeIndex, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var sink = new RunResult();
            CSharpCompilation before = corpus.NewCompilation();
            SyntaxTree tree = corpus.Trees[treeIndex];
            CompilationWithAnalyzers first = before.WithAnalyzers(analyzers, Options(sink, logTime: false));
            first.GetAnalyzerSemanticDiagnosticsAsync(before.GetSemanticModel(tree), null, CancellationToken.None).GetAwaiter().GetResult();
            SourceText text = tree.GetText();
            int at = text.ToString().IndexOf("return ", StringComparison.Ordinal);
            SourceText edited = at < 0 ? text.WithChanges(new TextChange(new TextSpan(text.Length, 0), "\n// edit\n")) : text.WithChanges(new TextChange(new TextSpan(at, 7), "return 0 + "));
            SyntaxTree newTree = tree.WithChangedText(edited);
            Quiesce();
            long t0 = Stopwatch.GetTimestamp();
            CSharpCompilation after = before.ReplaceSyntaxTree(tree, newTree);
            CompilationWithAnalyzers second = after.WithAnalyzers(analyzers, Options(sink, logTime: false));
            second.GetAnalyzerSyntaxDiagnosticsAsync(newTree, CancellationToken.None).GetAwaiter().GetResult();
            second.GetAnalyzerSemanticDiagnosticsAsync(after.GetSemanticModel(newTree), null, CancellationToken.None).GetAwaiter().GetResult();
            long t1 = Stopwatch.GetTimestamp();
            GC.KeepAlive(first);
            return (t1 - t0) * 1000.0 / Stopwatch.Frequency;
        }

        /// <summary>A diagnostic as compared between runs: id, location and message (sorted: the set is the result, not the order).</summary>
        public static string[] Fingerprint(ImmutableArray<Diagnostic> diags) => diags
            .Select(d =>
            {
                FileLinePositionSpan span = d.Location.GetLineSpan();
                return d.Id + "|" + span.Path + ":" + d.Location.SourceSpan.Start.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + "-" + d.Location.SourceSpan.End.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            })
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();

        /// <summary>The additional locations too (the chain hops), for a separate, stricter comparison.</summary>
        public static string[] FingerprintWithChains(ImmutableArray<Diagnostic> diags) => diags
            .Select(d => Fingerprint(ImmutableArray.Create(d))[0] + "|" + string.Join(",", d.AdditionalLocations.Select(l => l.GetLineSpan().Path + ":" + l.SourceSpan.Start.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();
    }
}
