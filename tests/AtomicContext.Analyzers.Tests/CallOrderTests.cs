using System.Linq;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Summaries;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// A body's calls are kept in source order, and calls that start at the same place (each made on the result of
    /// the one before) in the order they run: the same order however many calls the body has.
    /// </summary>
    public class CallOrderTests
    {
        private const string Source = """
            using K;
            using static K.Sched;
            class Link { public Link next() => this; public int value => 1; }
            class C
            {
                static Link make(int x) => new Link();

                static int few(spinlock_t l)
                {
                    spin_lock(l);
                    int n = make(1).next().next().value;
                    spin_unlock(l);
                    return n;
                }

                static int many()
                {
                    int n = make(1).next().next().next().value;
                    n += make(2).next().next().next().value;
                    n += make(3).next().next().next().value;
                    n += make(4).next().next().next().value;
                    n += make(5).next().next().next().value;
                    return n;
                }
            }
            """;

        private static Flow.BodyFacts Walk(string name)
        {
            var compilation = Compiler.Create(new[] { Source });
            return Compiler.WalkMethod(new SummaryStore(compilation, new FactsResolver(FactsFiles.Empty)), name);
        }

        [Fact]
        public void Calls_that_start_together_keep_the_order_they_run_in()
        {
            var facts = Walk("few");
            Assert.Equal(new[] { "spin_lock", "make", "next", "next", "value", "spin_unlock" }, facts.Calls.Select(c => c.Name));
            // make(1), .next(), .next() and .value all start at 'make'.
            Assert.Single(facts.Calls.Skip(1).Take(4).Select(c => c.Position).Distinct());
        }

        [Fact]
        public void A_body_of_more_than_sixteen_calls_is_ordered_the_same_way()
        {
            var facts = Walk("many");
            Assert.Equal(25, facts.Calls.Length);
            var expected = Enumerable.Repeat(new[] { "make", "next", "next", "next", "value" }, 5).SelectMany(x => x);
            Assert.Equal(expected, facts.Calls.Select(c => c.Name));
            Assert.True(facts.Calls.Zip(facts.Calls.Skip(1), (a, b) => a.Position <= b.Position).All(x => x));
        }
    }
}
