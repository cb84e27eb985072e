using System.Collections.Generic;
using AtomicContext.Analyzers.Flow;

namespace AtomicContext.Analyzers.Model
{
    /// <summary>How a call site's callee sleeps: it is itself the sleeper, or through its own summary.</summary>
    public enum SleepSource : byte
    {
        /// <summary>The callee itself sleeps ([MightSleep], built-in, listed, [MightSleepIf] with a sleeping argument, lock).</summary>
        Terminal,
        /// <summary>The callee's body may sleep, whatever its arguments.</summary>
        Body,
        /// <summary>The callee's body sleeps when one of its parameters says so ([MightSleepIf] passed through).</summary>
        BodyCondition,
    }

    /// <summary>Where a summary's sleep comes from: a call site in the body and how its callee sleeps.</summary>
    public sealed class Witness
    {
        public Witness(CallSite site, SleepSource source, int calleeParameter, object? callee = null)
        {
            Site = site;
            Source = source;
            CalleeParameter = calleeParameter;
            Callee = callee;
        }

        public CallSite Site { get; }
        public SleepSource Source { get; }

        /// <summary>For <see cref="SleepSource.BodyCondition"/>: the callee's parameter whose condition holds.</summary>
        public int CalleeParameter { get; }

        /// <summary>The store's record of the site's callee, where the solve knew it: a chain follows it without a lookup by key.</summary>
        internal object? Callee { get; }
    }

    /// <summary>A condition under which a method sleeps: its parameter has a bit of the mask set (or is not constant).</summary>
    public sealed class SleepCondition
    {
        public SleepCondition(long mask, int relativeDepth, Witness witness)
        {
            Mask = mask;
            RelativeDepth = relativeDepth;
            Witness = witness;
        }

        public long Mask { get; }
        public int RelativeDepth { get; }
        public Witness Witness { get; }
    }

    /// <summary>
    /// A method's summary: the highest depth relative to its entry at which it may sleep (with its witness),
    /// and the conditions on its own parameters under which it sleeps.
    /// </summary>
    public sealed class Summary
    {
        public const int Never = int.MinValue;

        public static readonly Summary Nothing = new Summary(Never, null, null);

        public Summary(int sleepDepth, Witness? witness, Dictionary<int, SleepCondition>? conditions)
        {
            SleepDepth = sleepDepth;
            Witness = witness;
            Conditions = conditions;
        }

        /// <summary>The highest relative depth at which the method may sleep; <see cref="Never"/> when it never does.</summary>
        public int SleepDepth { get; }

        public Witness? Witness { get; }

        public Dictionary<int, SleepCondition>? Conditions { get; }

        public bool SameLattice(Summary other)
        {
            if (SleepDepth != other.SleepDepth) return false;
            int a = Conditions?.Count ?? 0, b = other.Conditions?.Count ?? 0;
            if (a != b) return false;
            if (a == 0) return true;
            foreach (var pair in Conditions!)
            {
                if (!other.Conditions!.TryGetValue(pair.Key, out var c)) return false;
                if (c.Mask != pair.Value.Mask || c.RelativeDepth != pair.Value.RelativeDepth) return false;
            }
            return true;
        }
    }
}
