namespace AtomicContext.Analyzers.Model
{
    /// <summary>
    /// The set of region depths (relative to a body's entry) that some path may hold at a point: a bit
    /// mask over depths <see cref="MinDepth"/>..<see cref="MaxDepth"/>, saturated at both ends. The empty set
    /// means "unreachable". Join is union; entering a region shifts up, exiting shifts down.
    /// </summary>
    public readonly struct DepthSet : System.IEquatable<DepthSet>
    {
        public const int MinDepth = -8;
        public const int MaxDepth = 23;
        private const int Bits = 32;

        public DepthSet(uint mask) => Mask = mask;

        public uint Mask { get; }

        public static DepthSet Empty => default;

        public bool IsEmpty => Mask == 0;

        public static DepthSet Of(int depth) => new DepthSet(1u << (Clamp(depth) - MinDepth));

        public static int Clamp(int depth) => depth < MinDepth ? MinDepth : depth > MaxDepth ? MaxDepth : depth;

        public DepthSet Union(DepthSet other) => new DepthSet(Mask | other.Mask);

        public bool Contains(int depth) => depth >= MinDepth && depth <= MaxDepth && (Mask & (1u << (depth - MinDepth))) != 0;

        /// <summary>The highest depth some path holds; <see cref="int.MinValue"/> when unreachable.</summary>
        public int Max
        {
            get
            {
                uint m = Mask;
                if (m == 0) return int.MinValue;
                // The highest set bit, by halving (asked for every call site of every summary evaluation).
                int bit = 0;
                if ((m & 0xFFFF0000u) != 0) { bit += 16; m >>= 16; }
                if ((m & 0xFF00u) != 0) { bit += 8; m >>= 8; }
                if ((m & 0xF0u) != 0) { bit += 4; m >>= 4; }
                if ((m & 0xCu) != 0) { bit += 2; m >>= 2; }
                if ((m & 0x2u) != 0) bit += 1;
                return bit + MinDepth;
            }
        }

        /// <summary>Every depth is shifted by <paramref name="delta"/>; depths past either end stay at that end.</summary>
        public DepthSet Shift(int delta)
        {
            if (delta == 0 || Mask == 0) return this;
            if (delta >= Bits) return new DepthSet(1u << (Bits - 1));
            if (delta <= -Bits) return new DepthSet(1u);
            if (delta > 0)
            {
                uint shifted = Mask << delta;
                if ((Mask >> (Bits - delta)) != 0) shifted |= 1u << (Bits - 1);
                return new DepthSet(shifted);
            }
            int d = -delta;
            uint down = Mask >> d;
            if ((Mask & ((1u << d) - 1)) != 0) down |= 1u;
            return new DepthSet(down);
        }

        public System.Collections.Generic.IEnumerable<int> Depths()
        {
            for (int i = 0; i < Bits; i++)
                if ((Mask & (1u << i)) != 0) yield return i + MinDepth;
        }

        public bool Equals(DepthSet other) => Mask == other.Mask;
        public override bool Equals(object? obj) => obj is DepthSet d && Equals(d);
        public override int GetHashCode() => (int)Mask;

        public override string ToString() => "{" + string.Join(",", Depths()) + "}";
    }
}
