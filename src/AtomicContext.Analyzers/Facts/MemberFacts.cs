using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Facts
{
    [Flags]
    public enum Fact
    {
        None = 0,
        /// <summary>[MightSleep], a built-in .NET blocking member, or a listed sleeper.</summary>
        MightSleep = 1 << 0,
        Enters = 1 << 1,
        EntersWhenTrue = 1 << 2,
        EntersWhenFalse = 1 << 3,
        Exits = 1 << 4,
        NoMigrate = 1 << 5,
        PerCpu = 1 << 6,
        AssumeNoSleep = 1 << 7,
        /// <summary>The sleeper is one of the built-in .NET blocking members (named with its type in chains).</summary>
        Builtin = 1 << 8,
    }

    /// <summary>One [MightSleepIf] of a member.</summary>
    public sealed class SleepIf
    {
        public SleepIf(int parameterOrdinal, string parameterName, long mask, long? atomicAlternative, string? atomicAlternativeName)
        {
            ParameterOrdinal = parameterOrdinal;
            ParameterName = parameterName;
            Mask = mask;
            AtomicAlternative = atomicAlternative;
            AtomicAlternativeName = atomicAlternativeName;
        }

        public int ParameterOrdinal { get; }
        public string ParameterName { get; }
        public long Mask { get; }
        public long? AtomicAlternative { get; }
        public string? AtomicAlternativeName { get; }
    }

    /// <summary>
    /// What a member says of itself: its attributes, the built-in list, the additional files. Symbol-free,
    /// so body facts that hold it can outlive their compilation. ([StackAlternative] is read by the code
    /// fix, not here.)
    /// </summary>
    public sealed class MemberFacts
    {
        public static readonly MemberFacts Nothing = new MemberFacts(Fact.None, ImmutableArray<SleepIf>.Empty, null);

        // Nothing said, for the four shapes a method told apart once per member may have (an integral parameter, a
        // body in source): shared, so a member that says nothing costs no object.
        private static readonly MemberFacts NothingIntegral = new MemberFacts(Fact.None, ImmutableArray<SleepIf>.Empty, null, integralParameter: true, sourceBody: false);
        private static readonly MemberFacts NothingWithBody = new MemberFacts(Fact.None, ImmutableArray<SleepIf>.Empty, null, integralParameter: false, sourceBody: true);
        private static readonly MemberFacts NothingIntegralWithBody = new MemberFacts(Fact.None, ImmutableArray<SleepIf>.Empty, null, integralParameter: true, sourceBody: true);

        internal static MemberFacts NothingFor(bool integralParameter, bool sourceBody) =>
            integralParameter ? (sourceBody ? NothingIntegralWithBody : NothingIntegral) : (sourceBody ? NothingWithBody : Nothing);

        public MemberFacts(Fact flags, ImmutableArray<SleepIf> sleepIfs, string? assumeNoSleepJustification)
            : this(flags, sleepIfs, assumeNoSleepJustification, integralParameter: false, sourceBody: false)
        {
        }

        internal MemberFacts(Fact flags, ImmutableArray<SleepIf> sleepIfs, string? assumeNoSleepJustification, bool integralParameter, bool sourceBody)
        {
            Flags = flags;
            SleepIfs = sleepIfs;
            AssumeNoSleepJustification = assumeNoSleepJustification;
            IntegralParameter = integralParameter;
            SourceBody = sourceBody;
        }

        /// <summary>A method with a body in source (<see cref="Summaries.SummaryStore.HasSourceBody"/>), so it has a summary. Told once per member.</summary>
        public bool SourceBody { get; }

        /// <summary>
        /// A method with a parameter of integral, bool, char or enum type: the arguments of a call to it are
        /// classified (a [MightSleepIf] flag may reach it, directly or through its body). Told once per member.
        /// </summary>
        public bool IntegralParameter { get; }

        public Fact Flags { get; }
        public ImmutableArray<SleepIf> SleepIfs { get; }
        public string? AssumeNoSleepJustification { get; }

        public bool Has(Fact f) => (Flags & f) != 0;


        public bool MightSleep => Has(Fact.MightSleep);
        public bool AssumeNoSleep => Has(Fact.AssumeNoSleep);
        public bool Enters => Has(Fact.Enters);
        public bool EntersConditionally => Has(Fact.EntersWhenTrue | Fact.EntersWhenFalse);
        public bool Exits => Has(Fact.Exits);
        public bool NoMigrate => Has(Fact.NoMigrate);
        public bool PerCpu => Has(Fact.PerCpu);

        /// <summary>A call of it changes the region depth (or may, for WhenReturns).</summary>
        public bool IsRegionCall => Has(Fact.Enters | Fact.EntersWhenTrue | Fact.EntersWhenFalse | Fact.Exits);

        /// <summary>The net effect it declares: +1, -1 or 0.</summary>
        public int DeclaredNetEffect => Enters || EntersConditionally ? 1 : Exits ? -1 : 0;
    }
}
