namespace AtomicContext.MmCore.Simulation
{
    /// <summary>A small deterministic generator (splitmix64): the same seed gives the same run on every runtime.</summary>
    public sealed class Rng
    {
        private ulong state;

        /// <summary>Creates a generator for a seed.</summary>
        public Rng(ulong seed)
        {
            state = seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
        }

        /// <summary>The next 64 random bits.</summary>
        public ulong NextUInt64()
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A number in [0, n).</summary>
        public int Next(int n) => n <= 1 ? 0 : (int)(NextUInt64() % (ulong)n);

        /// <summary>A number in [lo, hi).</summary>
        public int Next(int lo, int hi) => lo + Next(hi - lo);

        /// <summary>True with probability 1/n.</summary>
        public bool OneIn(int n) => Next(n) == 0;
    }
}
