using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Model;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// A strongly connected component's summaries are a fixpoint: they must not depend on which member the solve
    /// starts from (the first region to ask, which differs from run to run under concurrent analysis).
    /// </summary>
    public class CycleSolveTests
    {
        private const int Members = 40;

        /// <summary>
        /// One component of 40 members: each calls the next and one further away; every fifth calls them under a
        /// spinlock (the depth grows around the cycle and saturates), every eleventh sleeps, every thirteenth
        /// allocates with its caller's flags (a condition on a parameter), every seventh drops the lock it was
        /// given around its calls.
        /// </summary>
        private static string Ring()
        {
            var source = new StringBuilder("using K;\nusing static K.Sched;\nclass Ring\n{\n");
            for (int i = 0; i < Members; i++)
            {
                int next = (i + 1) % Members, far = (i * 7 + 3) % Members;
                string calls = $"if (n > 0) {{ m{next}(l, gfp, n - 1); m{far}(l, gfp, n - 2); }}";
                if (i % 5 == 0) calls = $"spin_lock(l); {calls} spin_unlock(l);";
                if (i % 7 == 0) calls = $"spin_unlock(l); {calls} spin_lock(l);";
                if (i % 11 == 0) calls += " msleep(1);";
                if (i % 13 == 0) calls += " kmalloc(8, gfp);";
                source.Append($"    static void m{i}(spinlock_t l, uint gfp, int n) {{ {calls} }}\n");
            }
            return source.Append("}\n").ToString();
        }

        private static Dictionary<string, string> Solve(IEnumerable<int> askOrder) => Solve(askOrder, out _);

        private static Dictionary<string, string> Solve(IEnumerable<int> askOrder, out SummaryStore store)
        {
            var compilation = Compiler.Create(new[] { Ring() });
            var ring = compilation.GetTypeByMetadataName("Ring")!;
            store = new SummaryStore(compilation, new FactsResolver(FactsFiles.Empty));
            var result = new Dictionary<string, string>();
            foreach (int i in askOrder)
            {
                var method = (IMethodSymbol)ring.GetMembers("m" + i).Single();
                result["m" + i] = Describe(store.SummaryOf(method, CancellationToken.None));
            }
            return result;
        }

        private static string Describe(Summary summary)
        {
            var text = new StringBuilder().Append(summary.SleepDepth);
            if (summary.Witness is { } w) text.Append(" at ").Append(Describe(w));
            foreach (var pair in (summary.Conditions ?? new Dictionary<int, SleepCondition>()).OrderBy(p => p.Key))
                text.Append($"; if #{pair.Key} & {pair.Value.Mask} at +{pair.Value.RelativeDepth} via {Describe(pair.Value.Witness)}");
            return text.ToString();
        }

        private static string Describe(Witness w) => $"{w.Site.Name}@{w.Site.Position}/{w.Source}/{w.CalleeParameter}";

        [Fact]
        public void A_cycles_summaries_are_the_same_whichever_member_the_solve_starts_from()
        {
            var forward = Solve(Enumerable.Range(0, Members), out var store);
            var backward = Solve(Enumerable.Range(0, Members).Reverse());
            var scattered = Solve(Enumerable.Range(0, Members).Select(i => i * 17 % Members));

            foreach (var name in forward.Keys)
            {
                Assert.Equal(forward[name], backward[name]);
                Assert.Equal(forward[name], scattered[name]);
            }
            // Not a trivial component: members sleep unconditionally, some saturate, some only under a condition.
            Assert.Contains(forward.Values, s => s.StartsWith(DepthSet.MaxDepth + " at ", System.StringComparison.Ordinal));
            Assert.Contains(forward.Values, s => s.Contains("; if #1 & 16"));

            // And they are the fixpoint: each member's depth is the deepest unconditional sleep its calls give,
            // with its callees' summaries as solved.
            var ring = store.Compilation.GetTypeByMetadataName("Ring")!;
            var scratch = new List<Contribution>();
            for (int i = 0; i < Members; i++)
            {
                var method = (IMethodSymbol)ring.GetMembers("m" + i).Single();
                var facts = store.FactsOf(store.KeyOf(method)!, CancellationToken.None);
                int deepest = Summary.Never;
                foreach (var site in facts.Calls)
                {
                    if (site.State.IsUnreachable) continue;
                    scratch.Clear();
                    store.Contributions(site, SummaryStore.HoldsRegion(facts, site), scratch, CancellationToken.None);
                    foreach (var c in scratch.Where(c => !c.IsConditional))
                        deepest = System.Math.Max(deepest, DepthSet.Clamp(site.State.Depths.Max - facts.Baseline + c.Depth));
                }
                Assert.Equal(deepest, store.SummaryOf(method, CancellationToken.None).SleepDepth);
            }
        }
    }
}
