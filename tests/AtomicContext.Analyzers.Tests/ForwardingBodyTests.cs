using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Flow;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// A wrapper's facts are read from its syntax (<see cref="ForwardingBody"/>) instead of walking its operations:
    /// they must be exactly what the walker finds, and every shape the reading cannot vouch for must be walked.
    /// </summary>
    public class ForwardingBodyTests
    {
        private const string Wrappers = """
            using System;
            using System.Threading.Tasks;
            using AtomicContext;
            using K;
            using static K.Sched;
            namespace W
            {
                public static class Wrap
                {
                    // Read from syntax.
                    public static int c1(int x) { return c2(x + 1); }
                    public static int c2(int x) { return Wrap.c3((x)); }
                    public static int c3(int x) { return W.Wrap.c4(-x, 3); }
                    public static int c4(int x, long y) { return c5(x * 2 + 1, y >> 2, x == 3); }
                    public static int c5(int x, long y, bool z) { return c6(x); }
                    public static int c6(int x) { return global::W.Wrap.c7(x); }
                    public static int c7(int x) { return 0; }
                    public static void v1(int ms) { msleep(ms); }
                    public static void v2() { K.Sched.might_sleep(); }
                    public static void v3(int us) { udelay(us * 1000); }
                    public static byte[] a1(int n, uint f) { return kmalloc(n, f); }
                    public static byte[] a2(int n) { return kmalloc(n, 0x10); }
                    public static byte[] a3(int n) { return kmalloc(64, (uint)0); }
                    public static byte[] a4(int n) { return kmalloc((n), 1u << 4); }
                    public static byte[] a5(short n) { return kmalloc(n, 16); }
                    public static int m1(int a, int b) { return Math.Max(a, b); }
                    public static double d1(double v) { return Math.Abs(-v); }
                    public static bool b1(int a, int b) { return pick(a < b, !(a == b)); }
                    public static char ch(char c) { return same(c, 'a'); }
                    public static void cy(int x) { cy(x - 1); }
                    public static int e1(int x) => c2(x + 1);
                    public static void e2(int ms) => msleep(ms);
                    public static byte[] e3(int n, uint f) => kmalloc(n, f);
                    public static int e4(int x) => Wrap.c4(x, 2L);

                    // Walked.
                    static bool pick(bool p, bool q) => p;
                    static char same(char c, char d) { return c; }
                    static int prop { get; set; }
                    static int field;
                    const int Limit = 4;
                    public static int n1(int x) { return c2(prop); }
                    public static int n2(int x) { return c2(field); }
                    public static int n3(int x) { return c2(x: x); }
                    public static int n4(ref int x) { return c2(x); }
                    public static int n5(int x) { return G<int>.g(x); }
                    public static int n6(int x) { return gm<int>(x); }
                    public static void n7(spinlock_t l) { spin_lock(l); }
                    public static void n8() { preempt_disable(); }
                    public static int n9() { return smp_processor_id(); }
                    [NoMigrate] public static int n10(int x) { return c2(x); }
                    public static int n11(decimal m) { return dm(m); }
                    public static int n12(int x) { return c2(x) + 1; }
                    public static int n13(int x) { Func<int, int> f = c2; return f(x); }
                    public static int n14(int x) => c2(x);
                    public static int n15(int x) { return c2(x > 0 ? x : -x); }
                    public static async Task<int> n16(int x) { await Task.Yield(); return c2(x); }
                    public static int n17(int x) { return c2(x++); }
                    public static int n18(int x) { return c2(Limit); }
                    public static int n19(int x) { return c2((int)1.5); }
                    public static int n20(int x) { return new Obj().inst(x); }
                    public static int n21(int x) { return x.Ext(); }
                    public static int n22(int x) { return c2(c7(x)); }
                    public static int n23(string s) { return str(s); }
                    public static int n24(int x) { return sum(x, x); }
                    public static int n25(int x) { return opt(x); }
                    public static void n26(int x) { get_cpu(); }
                    public static int n27(int x) { return c2(x && true); }
                    public static int n28(int x) { return c2(x) }
                    public static int n29(int x) { return unknown(x); }
                    public static int n30(int x) { Func<int, int> f = c2; return f(x); }
                    public static int n31(Obj o, int x) { return o.S(x); }
                    public static int n32(int x) { return c2(Y); }
                    public static int cc(Color Color) { return Color.Make(1); }
                    static int gm<T>(int x) => x;
                    static int dm(decimal m) => 0;
                    static int str(string s) => 0;
                    static int sum(params int[] xs) => 0;
                    static int opt(int x, int y = 2) => 0;
                    static int Ext(this int x) => x;
                }
                public static class G<T> { public static int g(int x) => x; }
                public class Obj
                {
                    public int inst(int x) { return inst2(x); }
                    int inst2(int x) => x;
                    public int viaStatic(int x) { return Wrap.c7(x); }
                    public static int S(int x) => x;
                }
                public class Color
                {
                    public static int Make(int v) => v;
                }
            }
            """;

        private static readonly string[] ReadFromSyntax =
        {
            "c1", "c2", "c3", "c4", "c5", "c6", "v1", "v2", "v3", "a1", "a2", "a4", "a5", "m1", "d1", "b1", "ch", "cy", "viaStatic", "cc", "e1", "e2", "e3", "e4", "n14",
        };

        private const string Lookups = """
            using static L.Imported;
            namespace L
            {
                public static class Imported { public static int imp(int x) => x; }
                public class Base { public static int inherited(int x) => x; protected int shadowed(int x) => x; }
                public class Derived : Base
                {
                    // Found by name.
                    public static int s1(int x) { return t(x + 1); }
                    public static int s2(int x, long y) { return u(x * 2, y >> 1, x == 3); }
                    public static int s3(int x) { return widen(x); }
                    public static int s4(int x) { return t(-x); }
                    public static int s5(int x) { return t((x) % 7); }
                    public static bool s6(int a, bool b) { return flag(!b, a <= 2); }
                    public static void s7(int x) { s7(x - 1); }
                    public int s8(int x) => t(x);
                    // Left to the call's symbol.
                    public static int q1(int x) { return imp(x); }
                    public static int q2(int x) { return inherited(x); }
                    public static int q3(int x) { return shadowed(x); }
                    public static int q4(int x) { return over(x); }
                    public static int q5(int x) { return nested(x); }
                    public static int q6(int x) { return narrow(1); }
                    public static int q7(long x) { return t((int)x); }
                    public static int q8(long x) { return t2(x); }
                    public static int q9(int x) { return inst(x); }
                    public static int q10(System.Func<int, int> t) { return t(1); }
                    public static int q11<T>(int x) { return t(x); }
                    public static int q12(int x) { return t(2147483648); }
                    public static int q13(int x) { return Derived.t(x); }
                    public static int q14(byte x) { return t(x); }
                    public static int q15(int x) { return prop(x); }
                    public static int q16(int x) { return t(x, 1); }
                    static int t(int x) => x;
                    static int t2(int x) => x;
                    static int u(int x, long y, bool z) => x;
                    static long widen(long x) => x;
                    static bool flag(bool a, bool b) => a;
                    static int over(int x) => x;
                    static int over(long x) => 0;
                    static int nested(int x) => x;
                    class nested { }
                    static int narrow(byte b) => b;
                    int inst(int x) => x;
                    static System.Func<int, int> prop => null;
                }
                public static class Gen<T> { public static int g(int x) { return h(x); } static int h(int x) => x; }
                public interface IFace { static int i1(int x) { return i2(x); } static int i2(int x) => x; }
                public struct Val { public static int v1(int x) { return v2(x); } static int v2(int x) => x; }
            }
            """;

        [Fact]
        public void A_callee_found_by_name_is_the_calls_symbol_and_every_other_shape_is_left_to_it()
        {
            var compilation = Compiler.Create(new[] { Lookups }, withKernel: false);
            var tree = compilation.SyntaxTrees.First();
            var model = compilation.GetSemanticModel(tree);
            var found = new List<string>();
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var invocation = declaration.DescendantNodes().OfType<InvocationExpressionSyntax>().FirstOrDefault();
                if (invocation?.Expression is not IdentifierNameSyntax name) continue;
                var owner = (IMethodSymbol)model.GetDeclaredSymbol(declaration)!;
                var byName = ForwardingBody.LookUpSimpleName(owner, name.Identifier.ValueText, invocation.ArgumentList.Arguments);
                if (byName is null) continue;
                Assert.Equal(model.GetSymbolInfo(invocation).Symbol, byName, SymbolEqualityComparer.Default);
                found.Add(owner.Name);
            }
            Assert.Equal(new[] { "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "v1" }, found);
        }

        [Fact]
        public void Wrappers_read_from_syntax_have_the_facts_the_walker_finds_and_every_other_body_is_walked()
        {
            var compilation = Compiler.Create(new[] { Wrappers });
            var store = new SummaryStore(compilation, new FactsResolver(FactsFiles.Empty));
            var read = new List<string>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
                {
                    if (declaration.Body is null && declaration.ExpressionBody is null) continue;
                    var method = (IMethodSymbol)model.GetDeclaredSymbol(declaration)!;
                    var quick = ForwardingBody.TryFacts(method, declaration, model, store.Facts, store.KeyOf, CancellationToken.None);
                    if (quick is null) continue;
                    read.Add(method.Name);
                    var walked = store.Analyze(model.GetOperation(declaration)!, method, CancellationToken.None);
                    Assert.Equal(Describe(walked), Describe(quick));
                    for (int i = 0; i < walked.Calls.Length; i++)
                    {
                        Assert.Same(walked.Calls[i].Facts, quick.Calls[i].Facts);
                        Assert.True(walked.Calls[i].State.SameAs(quick.Calls[i].State), method.Name);
                    }
                    for (int i = 0; i < walked.Exits.Length; i++) Assert.True(walked.Exits[i].State.SameAs(quick.Exits[i].State), method.Name);
                }
            }
            Assert.Equal(ReadFromSyntax.OrderBy(n => n, System.StringComparer.Ordinal), read.OrderBy(n => n, System.StringComparer.Ordinal));
        }

        [Fact]
        public async System.Threading.Tasks.Task A_chain_of_wrappers_into_a_sleeper_is_reported_with_its_whole_chain_from_the_region()
        {
            var compilation = Compiler.Create(new[]
            {
                """
                using K;
                using static K.Sched;
                static class Chain
                {
                    static readonly spinlock_t l = new spinlock_t();
                    static int root(int x) { spin_lock(l); int r = w1(x); spin_unlock(l); return r; }
                    static int w1(int x) { return w2(x + 1); }
                    static int w2(int x) { return Chain.w3(x * 2); }
                    static int w3(int x) { return w4(x); }
                    static int w4(int x) { msleep(x); return x; }
                    static byte[] alloc(int n) { return kmalloc(n, Gfp.GFP_ATOMIC); }
                    static byte[] alloc_wait(int n, uint f) { return kmalloc(n, f); }
                    static void atomic_ok(int n) { spin_lock(l); alloc_wait(n, 0); spin_unlock(l); }
                    static void may_wait(int n) { spin_lock(l); alloc_wait(n, Gfp.GFP_KERNEL); spin_unlock(l); }
                }
                """,
            });
            var run = await Compiler.AnalyzeAll(compilation);
            var sleeps = run.Diagnostics.Where(d => d.Id == "ACA0001").Select(d => d.GetMessage()).OrderBy(m => m, System.StringComparer.Ordinal).ToArray();
            Assert.Equal(2, sleeps.Length);
            Assert.Contains(sleeps, m => m.Contains("w1 → w2 → w3 → w4 → msleep", System.StringComparison.Ordinal));
            Assert.Contains(sleeps, m => m.Contains("alloc_wait → kmalloc", System.StringComparison.Ordinal));
        }

        private static string Describe(BodyFacts facts)
        {
            var lines = new List<string>
            {
                $"owner {facts.Owner} at {facts.OwnerLocation} baseline {facts.Baseline} noMigrate {facts.IsNoMigrate} regions {facts.HasRegionCalls}/{facts.AllRegionCallsConditional} failed {facts.Failed}",
                $"nested {facts.Nested.Count}/{facts.NestedBodies.Count} suspends {facts.Suspends.Count} perCpu {facts.PerCpuUses.Count}",
            };
            foreach (var call in facts.Calls)
            {
                lines.Add($"call {call.Name} -> {call.Callee} body {call.CalleeHasBody} {call.Kind} at {call.Location} ({call.Position}) "
                    + $"args [{string.Join(", ", call.Args.Select(a => $"{a.Kind}:{a.Value}:{a.ParameterOrdinal}"))}] "
                    + $"depths {call.State.Depths.Mask} openers {call.State.Openers?.Top?.Describe() ?? "none"} unreachable {call.State.IsUnreachable}");
            }
            foreach (var exit in facts.Exits)
                lines.Add($"exit at {exit.Location} end {exit.IsEndOfBody} depths {exit.State.Depths.Mask} openers {exit.State.Openers?.Top?.Describe() ?? "none"}");
            return string.Join("\n", lines);
        }
    }
}
