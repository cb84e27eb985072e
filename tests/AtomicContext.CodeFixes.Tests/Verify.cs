using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AtomicContext.CodeFixes.Tests
{
    /// <summary>
    /// VerifyCodeFixAsync for the package's fixes: the contract's attributes are declared in a source file of the
    /// test project (recognised by full name), the fix is chosen by equivalence key, and the testing library
    /// checks the single fix and Fix All (document, project, solution).
    /// </summary>
    public static class Verify<TFix>
        where TFix : CodeFixProvider, new()
    {
        public static Task Fix(string source, string fixedSource, string key, int iterations = 1, int? fixAllIterations = null) =>
            Fix(new[] { ("/0/Test0.cs", source) }, new[] { ("/0/Test0.cs", fixedSource) }, key, iterations, fixAllIterations);

        /// <summary>Several documents; <paramref name="fixedSources"/> lists them all, changed or not.</summary>
        public static async Task Fix((string Path, string Text)[] sources, (string Path, string Text)[] fixedSources, string key, int iterations = 1, int? fixAllIterations = null)
        {
            int all = fixAllIterations ?? iterations;
            var test = new CSharpCodeFixTest<AtomicContextAnalyzer, TFix, DefaultVerifier>
            {
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
                CodeActionEquivalenceKey = key,
                NumberOfIncrementalIterations = iterations,
                NumberOfFixAllIterations = all,
                NumberOfFixAllInDocumentIterations = all,
                NumberOfFixAllInProjectIterations = all,
            };
            // Diagnostics left after the fix are written as markup in the fixed sources too.
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            foreach (var s in sources) test.TestState.Sources.Add(s);
            test.TestState.Sources.Add(("/0/Kernel.cs", Kernel.Source));
            foreach (var s in fixedSources) test.FixedState.Sources.Add(s);
            test.FixedState.Sources.Add(("/0/Kernel.cs", Kernel.Source));
            await test.RunAsync(CancellationToken.None);
        }

        /// <summary>The fix (by key) is not offered: the diagnostics stay, the code does not change.</summary>
        public static async Task NotOffered(string source, string key)
        {
            var test = new CSharpCodeFixTest<AtomicContextAnalyzer, TFix, DefaultVerifier>
            {
                ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
                CodeActionEquivalenceKey = key,
                NumberOfIncrementalIterations = 0,
                NumberOfFixAllIterations = 0,
                NumberOfFixAllInDocumentIterations = 0,
                NumberOfFixAllInProjectIterations = 0,
            };
            test.TestState.Sources.Add(("/0/Test0.cs", source));
            test.TestState.Sources.Add(("/0/Kernel.cs", Kernel.Source));
            test.FixedState.Sources.Add(("/0/Test0.cs", source));
            test.FixedState.Sources.Add(("/0/Kernel.cs", Kernel.Source));
            await test.RunAsync(CancellationToken.None);
        }
    }
}
