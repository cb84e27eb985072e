using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContext.MmCore.Tests
{
    /// <summary>
    /// Pins exactly what the package's analyzers report on the mm core's own source: with the experiment
    /// in the code, ACA0001 at the 2.6.32 exit_mmap's and unmap_region's calls of unmap_vmas (the gather
    /// region) and at zap_pte_range's call of page_remove_rmap (the pte lock) — and nothing else.
    /// </summary>
    public class AnalyzerFindingsTests
    {
        private const string Chain = "unmap_vmas → unmap_page_range → zap_pud_range → zap_pmd_range → zap_pte_range → page_remove_rmap → mem_cgroup_uncharge_page → __mem_cgroup_uncharge_common → down_read → might_sleep";

        [Fact]
        public async Task The_core_produces_exactly_the_intended_findings()
        {
            IReadOnlyList<Diagnostic> diags = await AnalyzeCoreAsync(removeExperiment: false);
            var found = diags.Select(Describe).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            var expected = new[]
            {
                "ACA0001 mm/memory.cs memory.zap_pte_range calls page_remove_rmap",
                "ACA0001 mm/v2.6.32/exit_path.cs mm_2_6_32.exit_mmap calls unmap_vmas",
                "ACA0001 mm/v2.6.32/exit_path.cs mm_2_6_32.unmap_region calls unmap_vmas",
            };
            Assert.Equal(expected, found);

            Diagnostic exit = diags.Single(d => Describe(d).Contains("exit_mmap", StringComparison.Ordinal));
            string message = exit.GetMessage();
            Assert.Contains("'tlb_gather_mmu'", message, StringComparison.Ordinal);
            Assert.EndsWith(Chain, message, StringComparison.Ordinal);

            Diagnostic zap = diags.Single(d => Describe(d).Contains("zap_pte_range", StringComparison.Ordinal));
            Assert.Contains("'pte_offset_map_lock'", zap.GetMessage(), StringComparison.Ordinal);
            Assert.EndsWith("page_remove_rmap → mem_cgroup_uncharge_page → __mem_cgroup_uncharge_common → down_read → might_sleep", zap.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Without_the_experiment_the_core_is_clean()
        {
            IReadOnlyList<Diagnostic> diags = await AnalyzeCoreAsync(removeExperiment: true);
            Assert.Empty(diags.Select(Describe));
        }

        private static string Describe(Diagnostic d)
        {
            SyntaxTree tree = d.Location.SourceTree!;
            SyntaxNode node = tree.GetRoot().FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true);
            var method = node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            var type = node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            var call = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            string callee = call?.Expression switch
            {
                IdentifierNameSyntax id => id.Identifier.Text,
                MemberAccessExpressionSyntax ma => ma.Name.Identifier.Text,
                _ => node.ToString(),
            };
            string file = RelativeToCore(tree.FilePath);
            return d.Id + " " + file + " " + type?.Identifier.Text + "." + method?.Identifier.Text + " calls " + callee;
        }

        private static string RelativeToCore(string path) => Path.GetRelativePath(CoreDirectory(), path).Replace('\\', '/');

        internal static string CoreDirectory()
        {
            string? dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "AtomicContextAnalyzers.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            Assert.NotNull(dir);
            return Path.Combine(dir!, "src", "AtomicContext.MmCore");
        }

        private static async Task<IReadOnlyList<Diagnostic>> AnalyzeCoreAsync(bool removeExperiment)
        {
            string core = CoreDirectory();
            var parse = new CSharpParseOptions(LanguageVersion.Preview);
            var trees = new List<SyntaxTree>();
            foreach (string file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(core, file).Replace('\\', '/');
                if (rel.StartsWith("bin/", StringComparison.Ordinal) || rel.StartsWith("obj/", StringComparison.Ordinal))
                {
                    continue;
                }

                SyntaxTree tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), parse, file);
                if (removeExperiment)
                {
                    tree = RemoveExperiment(tree);
                }

                trees.Add(tree);
            }

            var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => p.Length > 0)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList();
            refs.Add(MetadataReference.CreateFromFile(typeof(AtomicContext.MightSleepAttribute).Assembly.Location));

            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS8981"] = ReportDiagnostic.Suppress });
            var compilation = CSharpCompilation.Create("AtomicContext.MmCore", trees, refs, options);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length == 0, "the core does not compile: " + string.Join("\n", errors.Take(5)));

            ImmutableArray<DiagnosticAnalyzer> analyzers = LoadAnalyzers();
            Assert.False(analyzers.IsEmpty, "no analyzer found in AtomicContext.Analyzers");
            var withAnalyzers = compilation.WithAnalyzers(analyzers);
            ImmutableArray<Diagnostic> all = await withAnalyzers.GetAllDiagnosticsAsync();
            var crashes = all.Where(d => d.Id == "AD0001").ToArray();
            Assert.True(crashes.Length == 0, "analyzer crashed: " + string.Join("\n", crashes.Take(3)));
            return all.Where(d => d.Id.StartsWith("ACA", StringComparison.Ordinal)).ToArray();
        }

        private static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers()
        {
            Assembly asm = Assembly.Load("AtomicContext.Analyzers");
            return asm.GetTypes()
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .ToImmutableArray();
        }

        /// <summary>Drops the experiment's <c>if (memcg_rwsem_experiment) { ... }</c> from __mem_cgroup_uncharge_common.</summary>
        private static SyntaxTree RemoveExperiment(SyntaxTree tree)
        {
            SyntaxNode root = tree.GetRoot();
            var ifs = root.DescendantNodes().OfType<IfStatementSyntax>()
                .Where(i => i.Condition.ToString() == "memcg_rwsem_experiment")
                .ToArray();
            if (ifs.Length == 0)
            {
                return tree;
            }

            return tree.WithRootAndOptions(root.RemoveNodes(ifs, SyntaxRemoveOptions.KeepNoTrivia)!, tree.Options);
        }
    }
}
