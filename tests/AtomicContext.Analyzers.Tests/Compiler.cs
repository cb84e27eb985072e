using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Compilations built directly (no workspace), for whole-compilation and document-level runs.</summary>
    public static class Compiler
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new Lazy<ImmutableArray<MetadataReference>>(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToImmutableArray());

        public static CSharpCompilation Create(IEnumerable<string> sources, bool withKernel = true, IEnumerable<MetadataReference>? references = null)
        {
            var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/src/File{i}.cs")).ToList();
            if (withKernel) trees.Add(CSharpSyntaxTree.ParseText(Kernel.Source, new CSharpParseOptions(LanguageVersion.Latest), path: "/src/Kernel.cs"));
            return CSharpCompilation.Create("Test", trees, references ?? Framework.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        }

        /// <summary>
        /// One method body of the compilation's first tree walked by <paramref name="store"/> (its local functions and
        /// lambdas listed, not walked), found by the method's name.
        /// </summary>
        public static Flow.BodyFacts WalkMethod(Summaries.SummaryStore store, string name)
        {
            var tree = store.Compilation.SyntaxTrees.First();
            var model = store.Compilation.GetSemanticModel(tree);
            var declaration = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single(m => m.Identifier.Text == name);
            return store.Analyze(model.GetOperation(declaration)!, (IMethodSymbol)model.GetDeclaredSymbol(declaration)!, CancellationToken.None);
        }

        public sealed class Run
        {
            public ImmutableArray<Diagnostic> Diagnostics { get; init; }
            public List<Exception> Exceptions { get; } = new List<Exception>();
        }

        /// <param name="concurrent">False: the callbacks run one at a time (counts of the work done are then exact).</param>
        public static CompilationWithAnalyzers WithAnalyzer(Compilation compilation, Run run, ImmutableArray<AdditionalText> additional = default, bool concurrent = true)
        {
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(additional.IsDefault ? ImmutableArray<AdditionalText>.Empty : additional),
                onAnalyzerException: (ex, analyzer, diagnostic) => { lock (run.Exceptions) run.Exceptions.Add(ex); },
                concurrentAnalysis: concurrent, logAnalyzerExecutionTime: false);
            return compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new AtomicContextAnalyzer()), options);
        }

        /// <summary>All analyzer diagnostics of the compilation; fails on any swallowed or thrown analyzer exception.</summary>
        public static async Task<Run> AnalyzeAll(Compilation compilation, ImmutableArray<AdditionalText> additional = default, bool concurrent = true)
        {
            var holder = new Run();
            var cwa = WithAnalyzer(compilation, holder, additional, concurrent);
            int before = Verify.Failures.Count;
            _ = typeof(Verify).TypeHandle; // the static constructor installs the failure observer
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Verify).TypeHandle);
            var diagnostics = await cwa.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            var run = new Run { Diagnostics = diagnostics };
            run.Exceptions.AddRange(holder.Exceptions);
            if (Verify.Failures.Count != before) run.Exceptions.AddRange(Verify.Failures.Skip(before));
            return run;
        }

        public sealed class Text : AdditionalText
        {
            private readonly string _text;
            public Text(string path, string text) { Path = path; _text = text; }
            public override string Path { get; }
            public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(_text);
        }
    }
}
