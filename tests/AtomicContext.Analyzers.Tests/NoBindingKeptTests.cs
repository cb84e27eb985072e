using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// A lambda's or local function's symbol is made by binding the body that holds it and keeps that binding
    /// reachable; the driver lets a tree's bindings go once the tree is analysed, so the store's per-compilation
    /// caches must not hold such symbols (on the 8x benchmark corpus they kept 81 MB alive to the end).
    /// </summary>
    public class NoBindingKeptTests
    {
        private const string Source = """
            using K;
            using static K.Sched;
            static class WithFunctions
            {
                static void f(spinlock_t l)
                {
                    spin_lock(l);
                    System.Action a = () => msleep(1);
                    a();
                    int local(int x) { msleep(x); return x; }
                    local(2);
                    spin_unlock(l);
                }
            }
            """;

        [Fact]
        public async Task Lambdas_and_local_functions_are_analysed_and_their_symbols_are_not_held()
        {
            using var stores = new ObservedStores("WithFunctions");
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { Source }));
            Assert.Empty(run.Exceptions);
            var messages = run.Diagnostics.Where(d => d.Id == "ACA0001").Select(d => d.GetMessage()).ToArray();
            // The delegate's call is resolved to the lambda, the local function's call to its body: both walked.
            Assert.Contains(messages, m => m.StartsWith("'a' may sleep", System.StringComparison.Ordinal) && m.EndsWith("msleep", System.StringComparison.Ordinal));
            Assert.Contains(messages, m => m.StartsWith("'local' may sleep", System.StringComparison.Ordinal) && m.EndsWith("local → msleep", System.StringComparison.Ordinal));

            var store = Assert.Single(stores.All);
            var held = store.HeldSymbols().ToArray();
            Assert.Contains(held, s => s.Name == "f");
            Assert.DoesNotContain(held, s => s is IMethodSymbol m && (m.MethodKind == MethodKind.AnonymousFunction || m.MethodKind == MethodKind.LocalFunction));
        }
    }
}
