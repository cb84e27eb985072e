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
