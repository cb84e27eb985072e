using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Analyzer verification with the contract's attributes declared in source (recognised by full name).</summary>
    public static class Verify
    {
        public static readonly ConcurrentQueue<Exception> Failures = new ConcurrentQueue<Exception>();

        static Verify()
        {
            AtomicContextAnalyzer.FailureObserver = ex => Failures.Enqueue(ex);
        }

        public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);

        /// <summary>An expected diagnostic at markup location {|#n:...|}; additional locations are checked by their own tests.</summary>
        public static DiagnosticResult At(string id, int location) =>
            Diagnostic(id).WithLocation(location).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

        /// <summary>An expected ACA0001 at {|#n:...|} whose message ends with the given chain.</summary>
        public static DiagnosticResult Sleep(int location, string opener, string chain) =>
            At("ACA0001", location).WithMessage($"'{chain.Split(' ')[0]}' may sleep while migration is disabled by {opener}: {chain}");

        public static Task Analyze(string source, params DiagnosticResult[] expected) => Analyze(new[] { source }, expected);

        /// <summary>Switches on the off-by-default rules (ACA0003), as a user's .globalconfig would.</summary>
        public const string EnableAllRules = "is_global = true\ndotnet_diagnostic.ACA0003.severity = warning\n";

        public static Task Analyze(string[] sources, params DiagnosticResult[] expected) => Analyze(sources, EnableAllRules, expected);

        public static async Task Analyze(string[] sources, string? globalConfig, params DiagnosticResult[] expected)
        {
            var test = new CSharpAnalyzerTest<AtomicContextAnalyzer, DefaultVerifier>
            {
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            };
            if (globalConfig != null) test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", globalConfig));
            for (int i = 0; i < sources.Length; i++)
                test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
            test.TestState.Sources.Add(("/0/Kernel.cs", Kernel.Source));
            test.ExpectedDiagnostics.AddRange(expected);
            int before = Failures.Count;
            await test.RunAsync(CancellationToken.None);
            if (Failures.Count != before && Failures.TryPeek(out var first))
                throw new InvalidOperationException("the analyzer swallowed an exception", first);
        }
    }
}
