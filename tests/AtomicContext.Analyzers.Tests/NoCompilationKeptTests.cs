using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// Nothing the analyzer keeps past an analysis (per-thread scratch objects, caches beside syntax trees, the
    /// reporter of a code block) holds the compilation alive: in an IDE or a compiler server a kept compilation
    /// is every bound tree and symbol of it, for as long as the process lives.
    /// </summary>
    public class NoCompilationKeptTests
    {
        private const string Source = @"
using K; using static K.Sched;
static class S
{
    // ACA0002 and ACA0001 are reported, so the reporting paths run.
    public static int leaves_open(spinlock_t l) { spin_lock(l); return 1; }
    public static void sleeps(spinlock_t l) { spin_lock(l); msleep(1); spin_unlock(l); }
    public static int wrap(int x) { return wrap2(x + 1); }
    static int wrap2(int x) => x;
}";

        [Fact]
        public async Task A_compilation_is_collected_once_its_analysis_is_done()
        {
            var (weak, reported) = await AnalyzeAndForget();
            Assert.Contains("ACA0002", reported);
            Assert.Contains("ACA0001", reported);
            for (int i = 0; i < 10 && weak.IsAlive; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
                await Task.Delay(10);
            }
            Assert.False(weak.IsAlive, "the compilation is still reachable after its analysis");
        }

        /// <summary>
        /// Analyses a compilation and returns a weak reference to the one the analyzer saw (the driver analyses a
        /// copy of the compilation it is given, so the analyzer's own store tells which).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static async Task<(WeakReference Weak, string Reported)> AnalyzeAndForget()
        {
            var compilation = Compiler.Create(new[] { Source });
            var seen = new System.Collections.Generic.List<WeakReference>();
            Action<AtomicContext.Analyzers.Summaries.SummaryStore> observe = s =>
            {
                if (System.Linq.Enumerable.SequenceEqual(s.Compilation.SyntaxTrees, compilation.SyntaxTrees))
                    lock (seen) seen.Add(new WeakReference(s.Compilation));
            };
            AtomicContext.Analyzers.Rules.AtomicContextAnalyzer.StoreObserver += observe;
            Compiler.Run run;
            try
            {
                run = await Compiler.AnalyzeAll(compilation);
            }
            finally
            {
                AtomicContext.Analyzers.Rules.AtomicContextAnalyzer.StoreObserver -= observe;
            }
            Assert.Empty(run.Exceptions);
            var ids = string.Join(",", System.Linq.Enumerable.Select(run.Diagnostics, d => d.Id));
            lock (seen) return (Assert.Single(seen), ids);
        }
    }
}
