using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// An IDE analyses the open document only and never shows compilation-end diagnostics as squiggles:
    /// a chain that crosses files must come out of the document-level analysis of the caller's file.
    /// </summary>
    public class DocumentLevelTests
    {
        [Fact]
        public async Task A_chain_across_three_files_appears_in_the_document_analysis_of_the_callers_file()
        {
            var caller = """
                using K;
                using static K.Sched;
                class Caller
                {
                    static void f(spinlock_t l)
                    {
                        spin_lock(l);
                        Middle.step();
                        spin_unlock(l);
                    }
                }
                """;
            var middle = "static class Middle { public static void step() => Leaf.deep(); }";
            var leaf = "static class Leaf { public static void deep() => K.Sched.down_read(new K.rw_semaphore()); }";
            var compilation = Compiler.Create(new[] { caller, middle, leaf });
            var run = new Compiler.Run();
            var cwa = Compiler.WithAnalyzer(compilation, run);
            var callerTree = compilation.SyntaxTrees.First();
            var diagnostics = await cwa.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(callerTree), null, CancellationToken.None);
            Assert.Empty(run.Exceptions);
            var d = Assert.Single(diagnostics);
            Assert.Equal("ACA0001", d.Id);
            Assert.Equal(callerTree, d.Location.SourceTree);
            Assert.Equal("'step' may sleep while migration is disabled by 'spin_lock' (line 7): step → deep → down_read → might_sleep", d.GetMessage());
            Assert.Equal(5, d.AdditionalLocations.Count);

            var otherFile = await cwa.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(compilation.SyntaxTrees.ElementAt(1)), null, CancellationToken.None);
            Assert.Empty(otherFile);
        }

        /// <summary>
        /// The IDE asks for a span, then the document, on one analyzer instance, and a build asks for everything:
        /// each call is reported once in each answer, and the last answer is what a fresh analysis gives.
        /// </summary>
        [Fact]
        public async Task Span_then_document_then_compilation_analyses_report_each_sleep_once()
        {
            var source = """
                using K;
                using static K.Sched;
                class A
                {
                    static void first(spinlock_t l) { spin_lock(l); Helpers.nap(); spin_unlock(l); }
                    static void second(spinlock_t l) { spin_lock(l); Helpers.nap(); spin_unlock(l); }
                    static void third(spinlock_t l) { spin_lock(l); System.Action a = () => Helpers.nap(); a(); spin_unlock(l); }
                }
                """;
            var helpers = "static class Helpers { public static void nap() => K.Sched.msleep(1); }";
            var compilation = Compiler.Create(new[] { source, helpers });
            var tree = compilation.SyntaxTrees.First();
            var model = compilation.GetSemanticModel(tree);
            var text = tree.GetText().ToString();
            int firstAt = text.IndexOf("static void first", System.StringComparison.Ordinal);
            var firstSpan = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(firstAt, text.IndexOf("Helpers.nap()", firstAt, System.StringComparison.Ordinal));

            var run = new Compiler.Run();
            var cwa = Compiler.WithAnalyzer(compilation, run);
            var inSpan = await cwa.GetAnalyzerSemanticDiagnosticsAsync(model, firstSpan, CancellationToken.None);
            var wholeDocument = await cwa.GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None);
            var wholeCompilation = await cwa.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            Assert.Empty(run.Exceptions);

            var line = new System.Func<Microsoft.CodeAnalysis.Diagnostic, int>(d => d.Location.GetLineSpan().StartLinePosition.Line + 1);
            Assert.Equal(new[] { 5 }, inSpan.Where(d => d.Id == "ACA0001").Select(line));
            Assert.Equal(new[] { 5, 6, 7 }, wholeDocument.Where(d => d.Id == "ACA0001").Select(line).OrderBy(x => x));
            Assert.Equal(new[] { 5, 6, 7 }, wholeCompilation.Where(d => d.Id == "ACA0001").Select(line).OrderBy(x => x));

            // A fresh whole-compilation analysis says the same.
            var fresh = await Compiler.AnalyzeAll(Compiler.Create(new[] { source, helpers }));
            Assert.Equal(
                fresh.Diagnostics.Select(d => d.Id + " " + line(d) + " " + d.GetMessage()).OrderBy(x => x),
                wholeCompilation.Select(d => d.Id + " " + line(d) + " " + d.GetMessage()).OrderBy(x => x));
        }

        [Fact]
        public async Task Document_analysis_in_a_larger_compilation_binds_only_what_the_regions_reach()
        {
            var sources = new StringBuilder();
            for (int i = 0; i < 300; i++)
                sources.AppendLine($"static class F{i} {{ public static void m{i}(int x) {{ if (x > 0) F{(i + 1) % 300}.m{(i + 1) % 300}(x - 1); }} }}");
            var caller = """
                using K;
                using static K.Sched;
                class Caller
                {
                    static void f(spinlock_t l) { spin_lock(l); F0.m0(3); spin_unlock(l); }
                    static void g(spinlock_t l) { spin_lock(l); F7.m7(3); msleep(1); spin_unlock(l); }
                }
                """;
            var compilation = Compiler.Create(new[] { caller, sources.ToString() });
            var run = new Compiler.Run();
            var cwa = Compiler.WithAnalyzer(compilation, run);
            var diagnostics = await cwa.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(compilation.SyntaxTrees.First()), null, CancellationToken.None);
            Assert.Empty(run.Exceptions);
            Assert.Equal(new[] { "ACA0001 'msleep' may sleep while migration is disabled by 'spin_lock' (line 6): msleep" },
                diagnostics.Select(x => $"{x.Id} {x.GetMessage()}"));
        }

        [Fact]
        public async Task Document_analysis_of_the_callees_file_after_the_callers_reports_the_callees_lambdas_and_local_functions()
        {
            var caller = """
                using K;
                using static K.Sched;
                class Caller { static void f(spinlock_t l) { spin_lock(l); Callee.g(l); spin_unlock(l); } }
                """;
            var callee = """
                using System;
                using K;
                using static K.Sched;
                static class Callee
                {
                    public static void g(spinlock_t l)
                    {
                        Action a = () => { spin_lock(l); msleep(1); spin_unlock(l); };
                        int local() { preempt_disable(); msleep(2); preempt_enable(); return 0; }
                        udelay(local());
                    }
                }
                """;
            var compilation = Compiler.Create(new[] { caller, callee });
            var run = new Compiler.Run();
            var cwa = Compiler.WithAnalyzer(compilation, run);
            var trees = compilation.SyntaxTrees.ToArray();
            var first = await cwa.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(trees[0]), null, CancellationToken.None);
            var second = await cwa.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(trees[1]), null, CancellationToken.None);
            Assert.Empty(run.Exceptions);
            Assert.Equal(new[] { "'g' may sleep while migration is disabled by 'spin_lock' (line 3): g → local → msleep" }, first.Select(d => d.GetMessage()));
            Assert.Equal(new[]
            {
                "'msleep' may sleep while migration is disabled by 'spin_lock' (line 8): msleep",
                "'msleep' may sleep while migration is disabled by 'preempt_disable' (line 9): msleep",
            }, second.OrderBy(d => d.Location.SourceSpan.Start).Select(d => d.GetMessage()));
        }
    }
}
