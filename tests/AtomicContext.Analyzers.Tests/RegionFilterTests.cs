using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// A body that names no region, per-CPU or [NoMigrate] member is not bound for its own sake — and the
    /// filter never hides a body that reports.
    /// </summary>
    [Collection(FaultInjectionCollection.Name)] // the store observer is a static hook
    public class RegionFilterTests
    {
        /// <summary>Analysed with one callback at a time: concurrent callbacks may both walk a body before either keeps it.</summary>
        private static async Task<(Compiler.Run Run, int Walked)> AnalyzeCounting(Compilation compilation)
        {
            var (run, walked, _) = await AnalyzeCountingBinds(compilation);
            return (run, walked);
        }

        private static async Task<(Compiler.Run Run, int Walked, int BoundOnDemand)> AnalyzeCountingBinds(Compilation compilation)
        {
            var (run, stores) = await AnalyzeWithStores(compilation);
            return (run, stores.Sum(s => s.BodiesWalked), stores.Sum(s => s.BodiesBoundOnDemand));
        }

        private static async Task<(Compiler.Run Run, int SolvesBinding)> AnalyzeCountingSolves(Compilation compilation)
        {
            var (run, stores) = await AnalyzeWithStores(compilation);
            return (run, stores.Sum(s => s.SolvesBinding));
        }

        /// <summary>The run, and the summary stores of this compilation (not of other tests running beside it).</summary>
        private static async Task<(Compiler.Run Run, List<SummaryStore> Stores)> AnalyzeWithStores(Compilation compilation)
        {
            // Added beside the other tests' observers (never replacing them), and counting this compilation's stores only.
            var stores = new List<SummaryStore>();
            System.Action<SummaryStore> observe = s => { lock (stores) stores.Add(s); };
            AtomicContextAnalyzer.StoreObserver += observe;
            try
            {
                var run = await Compiler.AnalyzeAll(compilation, concurrent: false);
                lock (stores)
                    return (run, stores.Where(s => s.Compilation.SyntaxTrees.SequenceEqual(compilation.SyntaxTrees)).ToList());
            }
            finally
            {
                AtomicContextAnalyzer.StoreObserver -= observe;
            }
        }

        [Fact]
        public async Task A_call_through_a_delegate_type_does_not_make_the_held_check_gather_the_graph_again()
        {
            // A delegate's Invoke has a declaration but no body to walk: the check, run when the tree is complete,
            // must not take it for a body not walked yet (that made every such summary gather and solve twice).
            var source = """
                using K;
                using static K.Sched;
                public delegate int Handler(int x);
                public static class D
                {
                    public static int call(Handler h) => h(1) + leaf();
                    static int leaf() { msleep(1); return 0; }
                    public static void f(spinlock_t l, Handler h) { spin_lock(l); call(h); spin_unlock(l); }
                }
                """;
            var (run, solvesBinding) = await AnalyzeCountingSolves(Compiler.Create(new[] { source }));
            Assert.Empty(run.Exceptions);
            var sleep = Assert.Single(run.Diagnostics, d => d.Id == "ACA0001");
            Assert.Contains("call → leaf → msleep", sleep.GetMessage());
            Assert.Equal(0, solvesBinding);
        }

        private static string Unrelated(int count)
        {
            var sb = new StringBuilder("public static class Unrelated {\n");
            for (int i = 0; i < count; i++)
                sb.AppendLine($"  public static int u{i}(int x) {{ int y = x * 2; if (y > 3) y = u{(i + 1) % count}(y - 1); System.Console.WriteLine(y); return y; }}");
            sb.AppendLine("}");
            return sb.ToString();
        }

        private const string Region = """
            using K;
            using static K.Sched;
            public static class R
            {
                public static void f(spinlock_t l) { spin_lock(l); helper(); spin_unlock(l); }
                static void helper() { msleep(1); }
            }
            """;

        [Fact]
        public async Task A_lambda_walked_with_its_owner_is_not_bound_again_when_a_call_through_its_delegate_needs_its_summary()
        {
            var source = """
                using System;
                using K;
                using static K.Sched;
                public static class L
                {
                    public static void f(spinlock_t l)
                    {
                        Action<int> nap = n => msleep(n);
                        spin_lock(l);
                        nap(1);
                        spin_unlock(l);
                    }
                }
                """;
            var (run, _, boundOnDemand) = await AnalyzeCountingBinds(Compiler.Create(new[] { source }));
            Assert.Empty(run.Exceptions);
            var sleep = Assert.Single(run.Diagnostics, d => d.Id == "ACA0001");
            Assert.Contains("msleep", sleep.GetMessage());
            // The lambda's facts were kept under its key when f's body was walked: the summary of the call finds them.
            Assert.Equal(0, boundOnDemand);
        }

        [Fact]
        public async Task Bodies_no_region_can_reach_by_name_are_not_walked_and_the_report_is_unchanged()
        {
            var (alone, walkedAlone, _) = await AnalyzeCountingBinds(Compiler.Create(new[] { Region }));
            var (withMore, walkedWithMore, boundWithMore) = await AnalyzeCountingBinds(Compiler.Create(new[] { Region, Unrelated(200) }));
            Assert.Empty(alone.Exceptions);
            Assert.Empty(withMore.Exceptions);
            Assert.Equal(alone.Diagnostics.Select(d => d.GetMessage()), withMore.Diagnostics.Select(d => d.GetMessage()));
            Assert.Single(withMore.Diagnostics, d => d.Id == "ACA0001");
            // 200 more bodies, none walked: nothing in them can report, and no region names them.
            Assert.Equal(walkedAlone, walkedWithMore);
            Assert.Equal(0, boundWithMore);
        }

        [Fact]
        public async Task Bodies_a_region_reaches_are_walked_once_from_the_compilers_tree_and_none_is_bound_again()
        {
            const string reaching = """
                using K;
                using static K.Sched;
                public static class R
                {
                    public static void f(spinlock_t l) { spin_lock(l); Unrelated.u0(1); spin_unlock(l); }
                }
                """;
            var (alone, walkedAlone, _) = await AnalyzeCountingBinds(Compiler.Create(new[] { reaching, Unrelated(1) }));
            var (run, walked, bound) = await AnalyzeCountingBinds(Compiler.Create(new[] { reaching, Unrelated(200) }));
            Assert.Empty(run.Exceptions);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "ACA0001");
            // u0 → u1 → … → u199: each of the 199 more bodies walked exactly once, in its own method's action, and
            // the region's check, held until its tree was complete, bound none of them again.
            Assert.Equal(walkedAlone + 199, walked);
            Assert.Equal(0, bound);
        }

        [Fact]
        public async Task Only_what_a_body_names_inside_its_regions_is_walked_ahead_and_a_callee_the_text_misses_is_bound_on_demand()
        {
            // f calls u0 before its region and after it: a region never reaches u0 → … → u199 (the text says so).
            // g holds its region across the loop's back edge: 'late' comes before the first spin_lock in the text
            // but runs inside the region, so it is not walked ahead; the held check binds it when it needs it.
            const string regions = """
                using K;
                using static K.Sched;
                public static class R
                {
                    public static void f(spinlock_t l) { Unrelated.u0(1); spin_lock(l); Inside.leaf(); spin_unlock(l); Unrelated.u0(2); }
                    public static void g(spinlock_t l, int n)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            if (i > 0) { Late.late(); spin_unlock(l); }
                            spin_lock(l);
                        }
                        if (n > 0) spin_unlock(l);
                    }
                }
                public static class Inside { public static void leaf() { msleep(1); } }
                public static class Late { public static void late() { msleep(1); } }
                """;
            var (one, walkedOne, _) = await AnalyzeCountingBinds(Compiler.Create(new[] { regions, Unrelated(1) }));
            var (run, walked, bound) = await AnalyzeCountingBinds(Compiler.Create(new[] { regions, Unrelated(200) }));
            Assert.Empty(run.Exceptions);
            Assert.Equal(one.Diagnostics.Select(d => d.GetMessage()), run.Diagnostics.Select(d => d.GetMessage()));
            Assert.Contains(run.Diagnostics, d => d.Id == "ACA0001" && d.GetMessage().Contains("leaf → msleep"));
            Assert.Contains(run.Diagnostics, d => d.Id == "ACA0001" && d.GetMessage().Contains("late → msleep"));
            // None of the 199 more bodies walked; 'late' bound once, on demand, with the same report as if walked.
            Assert.Equal(walkedOne, walked);
            Assert.Equal(1, bound);
        }

        [Fact]
        public async Task Without_any_region_member_in_the_compilation_no_body_is_walked()
        {
            var (run, walked, bound) = await AnalyzeCountingBinds(Compiler.Create(new[] { Unrelated(200) }, withKernel: false));
            Assert.Empty(run.Exceptions);
            Assert.Empty(run.Diagnostics);
            Assert.Equal(0, walked);
            Assert.Equal(0, bound);
        }

        [Fact]
        public async Task An_attribute_under_an_alias_a_NoMigrate_lambda_and_a_Dispose_that_exits_still_make_a_body_count()
        {
            var source = """
                using System;
                using K;
                using static K.Sched;
                using NM = AtomicContext.NoMigrateAttribute;
                using Exits = AtomicContext.ExitsNoMigrateAttribute;
                public sealed class Guard : IDisposable { [Exits] public void Dispose() { } }
                public static class A
                {
                    [NM] public static void in_irq() { }
                    public static void caller() { {|#0:in_irq()|}; }
                    public static void lambda() { Action a = [AtomicContext.NoMigrate] () => {|#1:msleep(1)|}; {|#3:a()|}; }
                    public static void leaves(Guard g) { using (g) { } {|#2:}|}
                }
                """;
            await Verify.Analyze(source,
                Verify.At("ACA0004", 0),
                Verify.At("ACA0001", 1).WithMessage("'msleep' may sleep while migration is disabled by [NoMigrate] 'lambda' (line 11): msleep"),
                Verify.At("ACA0002", 2),
                Verify.At("ACA0004", 3));
        }

        [Fact]
        public async Task A_region_opened_by_a_member_of_a_referenced_assembly_is_found()
        {
            var library = Compiler.Create(new[]
            {
                """
                namespace Lib
                {
                    public static class Locks
                    {
                        [AtomicContext.EntersNoMigrate] public static void lib_lock() { }
                        [AtomicContext.ExitsNoMigrate] public static void lib_unlock() { }
                    }
                }
                """,
            }).WithAssemblyName("Lib");
            using var image = new MemoryStream();
            Assert.True(library.Emit(image).Success);
            var reference = MetadataReference.CreateFromImage(image.ToArray());
            var user = Compiler.Create(new[]
            {
                """
                using static K.Sched;
                public static class U { public static void f() { Lib.Locks.lib_lock(); msleep(1); Lib.Locks.lib_unlock(); } }
                """,
            }).AddReferences(reference);
            var (run, _) = await AnalyzeCounting(user);
            Assert.Empty(run.Exceptions);
            var d = Assert.Single(run.Diagnostics);
            Assert.Equal("ACA0001", d.Id);
            Assert.Contains("'lib_lock'", d.GetMessage());
        }

        [Fact]
        public async Task An_operator_that_opens_a_region_turns_the_filter_off()
        {
            // `++` names nothing: a body using it could not be told from its tokens.
            var source = """
                using K;
                using static K.Sched;
                public sealed class Pin
                {
                    [AtomicContext.EntersNoMigrate] public static Pin operator ++(Pin p) => p;
                }
                public static class C
                {
                    public static void f(Pin p) { p++; {|#0:msleep(1)|}; preempt_enable(); }
                }
                """;
            await Verify.Analyze(source, Verify.At("ACA0001", 0));
            var compilation = Compiler.Create(new[] { source.Replace("{|#0:", "").Replace("|}", "") });
            var filter = Facts.RegionFilter.For(compilation, new Facts.FactsResolver(Facts.FactsFiles.Empty), Facts.FactsFiles.Empty, default);
            Assert.True(filter.IsOff);
        }
    }
}
