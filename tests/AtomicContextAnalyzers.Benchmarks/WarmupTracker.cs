using System.Collections.Generic;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// When a configuration is warm: after at least <c>minRuns</c> runs, once two runs in a row made the JIT
    /// compile at most <c>quietJitCount</c> methods each (a burst of tier-ups in between starts the count again).
    /// </summary>
    public sealed class WarmupTracker<TKey>
        where TKey : notnull
    {
        private readonly int minRuns;
        private readonly long quietJitCount;
        private readonly Dictionary<TKey, (int Runs, int Quiet)> seen = new Dictionary<TKey, (int, int)>();
        private readonly HashSet<TKey> settled = new HashSet<TKey>();

        public WarmupTracker(int minRuns, long quietJitCount)
        {
            this.minRuns = minRuns;
            this.quietJitCount = quietJitCount;
        }

        public IReadOnlyCollection<TKey> Settled => settled;

        public bool IsSettled(TKey key) => settled.Contains(key);

        /// <summary>Records one run of <paramref name="key"/>; true when that run settles it.</summary>
        public bool Record(TKey key, long methodsJitted)
        {
            seen.TryGetValue(key, out var s);
            s = (s.Runs + 1, methodsJitted <= quietJitCount ? s.Quiet + 1 : 0);
            seen[key] = s;
            if (s.Runs >= minRuns && s.Quiet >= 2)
            {
                return settled.Add(key);
            }

            return false;
        }
    }
}
