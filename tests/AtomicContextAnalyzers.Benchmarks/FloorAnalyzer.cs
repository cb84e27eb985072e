using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// The floor: the cheapest analyzer that still makes the compiler bind every method body again for
    /// <c>IOperation</c>. It visits every invocation and does nothing with it. Any analyzer built on operation
    /// actions pays at least this.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class FloorAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new DiagnosticDescriptor(
            "FLOOR01",
            "Never reported",
            "Never reported",
            "Benchmark",
            DiagnosticSeverity.Hidden,
            isEnabledByDefault: true);

        private static long visited;

        /// <summary>How many invocations all instances have visited (read so the callback cannot be optimised away).</summary>
        public static long Visited => Interlocked.Read(ref visited);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(static _ => Interlocked.Increment(ref visited), OperationKind.Invocation);
        }
    }
}
