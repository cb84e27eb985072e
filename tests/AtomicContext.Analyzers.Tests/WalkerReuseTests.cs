using System.Linq;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Summaries;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>One walker per thread is reused from body to body: each body's facts must stay its own.</summary>
    public class WalkerReuseTests
    {
        [Fact]
        public void Consecutive_bodies_on_one_thread_keep_their_own_calls_exits_awaits_and_nested_bodies()
        {
            var compilation = Compiler.Create(new[]
            {
                """
                using System;
                using System.Threading.Tasks;
                using K;
                using static K.Sched;
                class W
                {
                    static void first(spinlock_t l)
                    {
                        Func<int, int> f = x => x + 1;
                        spin_lock(l);
                        udelay(f(1));
                        if (f(2) > 0) return;
                        spin_unlock(l);
                    }
                    static async Task second() { Func<int> g = () => 2; await Task.Yield(); msleep(g()); }
                    static void third() { }
                }
                """,
            });
            var store = new SummaryStore(compilation, new FactsResolver(FactsFiles.Empty));
            Flow.BodyFacts Walk(string name) => Compiler.WalkMethod(store, name);

            var first = Walk("first");
            var second = Walk("second");
            var third = Walk("third");
            var firstAgain = Walk("first");

            Assert.Equal(new[] { "spin_lock", "udelay", "f", "f", "spin_unlock" }, first.Calls.Select(c => c.Name));
            Assert.Single(first.Nested);
            Assert.Equal(2, first.Exits.Length);
            Assert.True(first.HasRegionCalls);

            Assert.Contains(second.Calls, c => c.Name == "msleep");
            Assert.DoesNotContain(second.Calls, c => c.Name == "spin_lock" || c.Name == "udelay");
            Assert.Single(second.Suspends);
            Assert.Single(second.Nested);
            Assert.False(second.HasRegionCalls);

            Assert.Empty(third.Calls);
            Assert.Empty(third.Nested);
            Assert.Empty(third.Suspends);
            // No region call: its exits cannot leave at another depth, so none is kept (the first's two are).
            Assert.Empty(third.Exits);
            Assert.False(third.HasRegionCalls);

            // The first body's facts were not changed by the walks that reused the walker after it.
            Assert.Single(first.Nested);
            Assert.Equal(first.Calls.Length, firstAgain.Calls.Length);
            Assert.Equal(first.Calls.Select(c => c.Position), firstAgain.Calls.Select(c => c.Position));
        }
    }
}
