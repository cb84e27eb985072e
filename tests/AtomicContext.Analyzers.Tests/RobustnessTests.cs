using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Bad input gets a clear answer and never an analyzer crash (AD0001).</summary>
    public class RobustnessTests
    {
        private static string DeepChain(int depth)
        {
            var sb = new StringBuilder();
            sb.AppendLine("using K; using static K.Sched;");
            sb.AppendLine("static class Chain {");
            for (int i = 0; i < depth; i++)
                sb.AppendLine($"  public static void c{i}() => c{i + 1}();");
            sb.AppendLine($"  public static void c{depth}() => msleep(1);");
            sb.AppendLine("  public static void top(spinlock_t l) { spin_lock(l); c0(); spin_unlock(l); }");
            sb.AppendLine("}");
            return sb.ToString();
        }

        [Fact]
        public async Task A_10000_deep_chain_is_reported_with_a_shortened_message_and_no_stack_overflow()
        {
            const int depth = 10_000;
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { DeepChain(depth) }));
            Assert.Empty(run.Exceptions);
            var d = Assert.Single(run.Diagnostics);
            Assert.Equal("ACA0001", d.Id);
            string message = d.GetMessage();
            Assert.StartsWith("'c0' may sleep while migration is disabled by 'spin_lock' (line 10004): c0 → c1 → c2 → ", message);
            Assert.Contains(" → c29 → … → c9972 → ", message);
            Assert.EndsWith($" → c{depth} → msleep", message);
            Assert.Equal(1 + 60, d.AdditionalLocations.Count);
        }

        [Fact]
        public async Task A_chain_of_64_hops_is_printed_whole()
        {
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { DeepChain(62) }));
            var d = Assert.Single(run.Diagnostics);
            Assert.DoesNotContain("…", d.GetMessage());
            Assert.Equal(64, d.GetMessage().Split(" → ").Length);
        }

        [Theory]
        [InlineData("class C { void f(K.spinlock_t l) { K.Sched.spin_lock(l); K.Sched.msleep(")]
        [InlineData("class C { void f(K.spinlock_t l) { K.Sched.spin_lock(l); if (")]
        [InlineData("class C { void f(K.spinlock_t l) { K.Sched.spin_lock(l); Missing.Call(); K.Sched.msleep(1) } }")]
        [InlineData("class C { void f(Unknown u) { u.Lock(); K.Sched.spin_lock(u); u.Sleep(); goto nowhere; } }")]
        [InlineData("class C { void f() { K.Sched.spin_lock(null); switch (x) { case 1: goto case 2; } using (var q = new Undeclared()) { lock (q) { } } }")]
        [InlineData("class C { int P { get => K.Sched.spin_lock( } void g() { foreach (var x in ) { } } }")]
        [InlineData("class C { void f(K.spinlock_t l) { K.Sched.spin_lock(l); await System.Threading.Tasks.Task.Yield(); yield return 1; } }")]
        [InlineData("class C { [AtomicContext.MightSleepIf(\"nope\", 1)] void f(int x) { } [AtomicContext.AssumeNoSleep(null)] void g() { f(1); } void h(K.spinlock_t l) { K.Sched.spin_lock(l); f(2); g(); K.Sched.spin_unlock(l); } }")]
        public async Task Broken_and_mid_edit_code_never_crashes_the_analyzer(string source)
        {
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { source }));
            Assert.Empty(run.Exceptions);
        }

        private const string EditedSample = """
            using System;
            using K;
            using static K.Sched;
            /// <summary>A bit of everything the walk handles, to be cut anywhere.</summary>
            class Sweep
            {
                static readonly spinlock_t l = new spinlock_t();
                static int counter;
                [AtomicContext.NoMigrate] static void pinned() { udelay(1); }
                static void f(bool cond, int n)
                {
                    Func<int, int> twice = x => x * 2;
                    Action nap = () => msleep(1);
                    bool ok = spin_trylock(l);
                    if (ok) { counter += twice(n); spin_unlock(l); }
                    spin_lock(l);
                    try
                    {
                        for (int i = 0; i < n; i++) { if (cond) break; counter++; }
                        nap();
                        var p = kmalloc(16, Gfp.GFP_ATOMIC);
                    }
                    finally { spin_unlock(l); }
                    preempt_disable();
                    irq_stat[smp_processor_id()]++;
                    preempt_enable();
                    switch (n) { case 1: goto case 2; case 2: pinned(); break; default: return; }
                }
            }
            """;

        [Fact]
        public async Task The_analyzer_never_fails_on_a_body_cut_or_broken_anywhere()
        {
            // Code mid-edit, systematically: the sample cut after every 7th character, and with every 7th character
            // dropped (unclosed blocks, half a call, a lambda without its body, a directive-free but broken tree).
            var whole = await Compiler.AnalyzeAll(Compiler.Create(new[] { EditedSample }));
            Assert.Empty(whole.Exceptions);
            Assert.Contains(whole.Diagnostics, d => d.Id == "ACA0001" && d.GetMessage().EndsWith("nap → msleep", System.StringComparison.Ordinal));
            var failures = new System.Collections.Generic.List<string>();
            for (int n = 0; n < EditedSample.Length; n += 7)
            {
                foreach (var source in new[] { EditedSample.Substring(0, n), EditedSample.Remove(n, 1) })
                {
                    var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { source }));
                    if (run.Exceptions.Count > 0) failures.Add($"at {n}: {run.Exceptions[0]}");
                    if (run.Diagnostics.Any(d => d.Id == "ACA0999")) failures.Add($"at {n}: ACA0999 {run.Diagnostics.First(d => d.Id == "ACA0999").GetMessage()}");
                }
            }
            Assert.Empty(failures);
        }

        [Fact]
        public async Task Missing_references_and_error_types_degrade_quietly()
        {
            var compilation = Compiler.Create(new[]
            {
                "class C { void f(K.spinlock_t l) { K.Sched.spin_lock(l); System.Threading.Thread.Sleep(1); new System.Object(); K.Sched.spin_unlock(l); } }",
            }, references: ImmutableArray<MetadataReference>.Empty);
            var run = await Compiler.AnalyzeAll(compilation);
            Assert.Empty(run.Exceptions);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "AD0001");
        }

        [Fact]
        public async Task A_deeply_nested_expression_is_skipped_not_a_stack_overflow()
        {
            // 20,000 nested parentheses: the compiler itself refuses this (CS8078); the analyzer must not crash.
            var sb = new StringBuilder("class C { int f(K.spinlock_t l) { K.Sched.spin_lock(l); return 0");
            for (int i = 0; i < 20_000; i++) sb.Append(" + (1");
            sb.Append(new string(')', 20_000)).Append("; } }");
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { sb.ToString() }));
            Assert.Empty(run.Exceptions);
        }

        [Fact]
        public async Task A_body_nested_deeper_than_the_walk_can_follow_is_reported_as_not_analysed_never_skipped_silently()
        {
            // 1,500 nested ifs compile (Roslyn's own operation factory overflows the stack near 4,000, for every
            // IOperation analyzer); the walk runs short of stack first on this machine. Either the sleep inside is
            // reported, or the member is named as not analysed — never neither.
            const int depth = 1_500;
            var source = "using static K.Sched; class C { void f(K.spinlock_t l, int i) { spin_lock(l); "
                + string.Concat(Enumerable.Repeat("if (i > 1) { ", depth)) + "msleep(i);" + new string('}', depth)
                + " spin_unlock(l); } }";
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { source }));
            Assert.Empty(run.Exceptions);
            bool analysed = run.Diagnostics.Any(d => d.Id == "ACA0001");
            var notAnalysed = run.Diagnostics.Where(d => d.Id == "ACA0999").ToList();
            Assert.True(analysed != (notAnalysed.Count == 1), "expected the sleep reported or the member reported as not analysed, exactly one of them");
            if (!analysed)
            {
                Assert.Contains("'f'", notAnalysed[0].GetMessage());
                Assert.Contains("InsufficientExecutionStackException", notAnalysed[0].GetMessage());
            }
        }

        [Fact]
        public async Task A_long_chain_of_binary_operators_is_walked_and_the_sleep_after_it_is_reported()
        {
            // a + b + c + … nests one level per operator, on the left (generated code, long concatenations).
            var terms = string.Join(" + ", Enumerable.Repeat("g(i)", 20_000));
            var text = string.Join(" + ", Enumerable.Repeat("\"x\"", 20_000));
            var source = "using static K.Sched; class C { static int g(int x) => x; "
                + "int f(K.spinlock_t l, int i) { spin_lock(l); int r = " + terms + "; string s = " + text + "; msleep(r); spin_unlock(l); return r; } }";
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { source }));
            Assert.Empty(run.Exceptions);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "ACA0999");
            var sleep = Assert.Single(run.Diagnostics, d => d.Id == "ACA0001");
            Assert.StartsWith("'msleep' may sleep while migration is disabled by 'spin_lock'", sleep.GetMessage());
        }
    }

    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class FaultInjectionCollection
    {
        public const string Name = "fault injection (alone: the failure observer is process-wide)";
    }

    /// <summary>An analyzer bug must neither crash the build (AD0001) nor skip a body silently.</summary>
    [Collection(FaultInjectionCollection.Name)]
    public class FaultInjectionTests
    {
        [Fact]
        public async Task An_analyzer_failure_in_one_body_is_reported_on_it_and_the_others_are_still_checked()
        {
            AtomicContext.Analyzers.Rules.AtomicContextAnalyzer.FaultInjector = s => s.Name == "aca_fault_injected_victim";
            try
            {
                var run = await Compiler.AnalyzeAll(Compiler.Create(new[]
                {
                    """
                    using K;
                    using static K.Sched;
                    class C
                    {
                        static void aca_fault_injected_victim(spinlock_t l) { spin_lock(l); msleep(1); spin_unlock(l); }
                        static void other(spinlock_t l) { spin_lock(l); msleep(2); spin_unlock(l); }
                    }
                    """,
                }));
                Assert.DoesNotContain(run.Diagnostics, d => d.Id == "AD0001");
                Assert.Equal(new[]
                {
                    "ACA0999 'aca_fault_injected_victim': AtomicContextAnalyzers could not analyse 'aca_fault_injected_victim' (InvalidOperationException: injected fault); its calls are not checked. Please report this with the code that caused it.",
                    "ACA0001 'msleep(2)': 'msleep' may sleep while migration is disabled by 'spin_lock' (line 6): msleep",
                }, run.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start).Select(d => $"{d.Id} '{d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)}': {d.GetMessage()}"));
            }
            finally
            {
                AtomicContext.Analyzers.Rules.AtomicContextAnalyzer.FaultInjector = null;
            }
        }
    }
}
