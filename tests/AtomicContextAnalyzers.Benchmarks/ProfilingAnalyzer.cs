using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>Summed callback time of one kind of action (over all threads).</summary>
    public sealed class CallbackCounter
    {
        private long ticks;
        private long cpuNanoseconds;
        private long calls;

        public CallbackCounter(string kind)
        {
            Kind = kind;
        }

        public string Kind { get; }

        public long Calls => Interlocked.Read(ref calls);

        public double Milliseconds => Interlocked.Read(ref ticks) * 1000.0 / Stopwatch.Frequency;

        /// <summary>The CPU time of the callbacks' threads while they ran (NaN where the clock cannot be read).</summary>
        public double CpuMilliseconds => ThreadCpuClock.Available ? Interlocked.Read(ref cpuNanoseconds) / 1e6 : double.NaN;

        public void Add(long elapsed, long cpu)
        {
            Interlocked.Add(ref ticks, elapsed);
            if (cpu > 0)
            {
                Interlocked.Add(ref cpuNanoseconds, cpu);
            }

            Interlocked.Increment(ref calls);
        }
    }

    /// <summary>Where an analyzer's callback time goes, per kind of action (operation actions per <see cref="OperationKind"/>).</summary>
    public sealed class CallbackProfile
    {
        private readonly ConcurrentDictionary<string, CallbackCounter> counters = new ConcurrentDictionary<string, CallbackCounter>(StringComparer.Ordinal);

        public CallbackCounter Get(string kind) => counters.GetOrAdd(kind, k => new CallbackCounter(k));

        public IReadOnlyList<CallbackCounter> Snapshot() => counters.Values.OrderByDescending(c => c.Milliseconds).ToList();

        /// <summary>The CPU time of every callback, summed over threads (NaN where the clock cannot be read).</summary>
        public double CpuMilliseconds => counters.Values.Sum(c => c.CpuMilliseconds);

        internal void Time<T>(CallbackCounter counter, Action<T> action, T context)
        {
            long cpu = ThreadCpuClock.Available ? ThreadCpuClock.NowNanoseconds() : 0;
            long start = Stopwatch.GetTimestamp();
            try
            {
                action(context);
            }
            finally
            {
                long elapsed = Stopwatch.GetTimestamp() - start;
                counter.Add(elapsed, ThreadCpuClock.Available ? ThreadCpuClock.NowNanoseconds() - cpu : 0);
            }
        }

        internal Action<T> Wrap<T>(string kind, Action<T> action)
        {
            CallbackCounter counter = Get(kind);
            return ctx => Time(counter, action, ctx);
        }
    }

    /// <summary>
    /// Runs an analyzer unchanged, but hands its <c>Initialize</c> a context that wraps every action it registers
    /// (and every action registered from a start action) with a stopwatch, so the summed callback time can be split
    /// by kind. Diagnostics go through the real contexts, so results are identical. Actions registered from an
    /// operation-block, symbol or code-block start action go to the real context and are not split out: the
    /// telemetry total (logAnalyzerExecutionTime) still counts them.
    /// </summary>
    public sealed class ProfilingAnalyzer : DiagnosticAnalyzer
    {
        private readonly DiagnosticAnalyzer inner;
        private readonly CallbackProfile profile;

        public ProfilingAnalyzer(DiagnosticAnalyzer inner, CallbackProfile profile)
        {
            this.inner = inner;
            this.profile = profile;
        }

        public DiagnosticAnalyzer Inner => inner;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => inner.SupportedDiagnostics;

        public override void Initialize(AnalysisContext context) => inner.Initialize(new Ctx(context, profile));

        private static string Op(OperationKind kind) => "operation:" + kind;

        private static Action<OperationAnalysisContext> TimeOperations(CallbackProfile profile, string prefix, Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> kinds)
        {
            var byKind = new Dictionary<OperationKind, CallbackCounter>();
            foreach (OperationKind k in kinds)
            {
                byKind[k] = profile.Get(prefix + Op(k));
            }

            CallbackCounter other = profile.Get(prefix + "operation:?");
            return c => profile.Time(byKind.TryGetValue(c.Operation.Kind, out CallbackCounter? counter) ? counter : other, action, c);
        }

        private sealed class Ctx : AnalysisContext
        {
            private readonly AnalysisContext real;
            private readonly CallbackProfile p;

            public Ctx(AnalysisContext real, CallbackProfile p)
            {
                this.real = real;
                this.p = p;
            }

            public override void EnableConcurrentExecution() => real.EnableConcurrentExecution();

            public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => real.ConfigureGeneratedCodeAnalysis(analysisMode);

            public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action)
            {
                CallbackCounter counter = p.Get("compilation-start");
                real.RegisterCompilationStartAction(c => p.Time(counter, action, new StartCtx(c, p)));
            }

            public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => real.RegisterCompilationAction(p.Wrap("compilation", action));

            public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => real.RegisterSemanticModelAction(p.Wrap("semantic-model", action));

            public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => real.RegisterSymbolAction(p.Wrap("symbol:" + string.Join("|", symbolKinds), action), symbolKinds);

            public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => real.RegisterSymbolStartAction(p.Wrap("symbol-start:" + symbolKind, action), symbolKind);

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => real.RegisterCodeBlockStartAction(p.Wrap("code-block-start", action));

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => real.RegisterCodeBlockAction(p.Wrap("code-block", action));

            public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => real.RegisterSyntaxTreeAction(p.Wrap("syntax-tree", action));

            public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => real.RegisterAdditionalFileAction(p.Wrap("additional-file", action));

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => real.RegisterSyntaxNodeAction(p.Wrap("syntax-node", action), syntaxKinds);

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => real.RegisterOperationAction(TimeOperations(p, string.Empty, action, operationKinds), operationKinds);

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
            {
                CallbackCounter counter = p.Get("operation-block-start");
                real.RegisterOperationBlockStartAction(c => p.Time(counter, action, c));
            }

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => real.RegisterOperationBlockAction(p.Wrap("operation-block", action));
        }

        private sealed class StartCtx : CompilationStartAnalysisContext
        {
            private readonly CompilationStartAnalysisContext real;
            private readonly CallbackProfile p;

            public StartCtx(CompilationStartAnalysisContext real, CallbackProfile p)
                : base(real.Compilation, real.Options, real.CancellationToken)
            {
                this.real = real;
                this.p = p;
            }

            public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => real.RegisterCompilationEndAction(p.Wrap("compilation-end", action));

            public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => real.RegisterSemanticModelAction(p.Wrap("semantic-model", action));

            public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => real.RegisterSymbolAction(p.Wrap("symbol:" + string.Join("|", symbolKinds), action), symbolKinds);

            public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => real.RegisterSymbolStartAction(p.Wrap("symbol-start:" + symbolKind, action), symbolKind);

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => real.RegisterCodeBlockStartAction(p.Wrap("code-block-start", action));

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => real.RegisterCodeBlockAction(p.Wrap("code-block", action));

            public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => real.RegisterSyntaxTreeAction(p.Wrap("syntax-tree", action));

            public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => real.RegisterAdditionalFileAction(p.Wrap("additional-file", action));

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => real.RegisterSyntaxNodeAction(p.Wrap("syntax-node", action), syntaxKinds);

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => real.RegisterOperationAction(TimeOperations(p, string.Empty, action, operationKinds), operationKinds);

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
            {
                CallbackCounter counter = p.Get("operation-block-start");
                real.RegisterOperationBlockStartAction(c => p.Time(counter, action, c));
            }

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => real.RegisterOperationBlockAction(p.Wrap("operation-block", action));
        }
    }
}
