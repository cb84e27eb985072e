using System.Collections.Generic;
using System.Collections.Immutable;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Model;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Flow
{
    public enum CallKind : byte
    {
        Invocation,
        Creation,
        PropertyGet,
        PropertySet,
        Lock,
        Dispose,
        Operator,
        ForEach,
    }

    public enum ArgKind : byte
    {
        Other,
        Constant,
        Parameter,
    }

    /// <summary>How an argument is known at a call: a constant, the caller's own parameter passed straight, or anything else.</summary>
    public readonly struct ArgValue
    {
        public ArgValue(ArgKind kind, long value, int parameterOrdinal)
        {
            Kind = kind;
            Value = value;
            ParameterOrdinal = parameterOrdinal;
        }

        public ArgKind Kind { get; }
        public long Value { get; }
        public int ParameterOrdinal { get; }

        public static ArgValue Other => default;
    }

    /// <summary>
    /// A call in a body, with the region state that reaches it (joined over every path). Symbol-free (names,
    /// keys, locations in the body's own tree), so facts can outlive the compilation that bound the body.
    /// </summary>
    /// <remarks>
    /// One per call of every walked body, kept for the whole compilation and beside the tree after it (142k at the
    /// benchmark's 8x): only what most sites have is a field here. A site with arguments to classify or a location
    /// of its own (a lock, using or foreach) is a <see cref="DetailedCallSite"/>.
    /// </remarks>
    public class CallSite
    {
        private protected CallSite(string name, string? callee, bool calleeHasBody, MemberFacts facts, SyntaxNode syntax, CallKind kind)
        {
            Name = name;
            Callee = callee;
            CalleeHasBody = calleeHasBody;
            Facts = facts;
            _tree = syntax.SyntaxTree;
            _fullSpan = syntax.FullSpan;
            _syntaxKind = (ushort)syntax.RawKind;
            Kind = kind;
        }

        /// <param name="location">Where the call is reported; null for <paramref name="syntax"/>'s own span.</param>
        internal static CallSite Create(string name, string? callee, bool calleeHasBody, MemberFacts facts, Location? location, SyntaxNode syntax, CallKind kind, ImmutableArray<ArgValue> args) =>
            location is null && args.IsDefaultOrEmpty
                ? new CallSite(name, callee, calleeHasBody, facts, syntax, kind)
                : new DetailedCallSite(name, callee, calleeHasBody, facts, location, syntax, kind, args);

        // The call's tree, full span and syntax kind, not its node: facts are kept for the whole compilation (and
        // beyond, beside the tree), and a red node would keep its body's red subtree alive with it. Not its span
        // either: the full span is read off the node as it is, where the span takes a descent to its first token and
        // one to its last (6 % of a walk, --walk-ab; the first descent alone is all of it). Most sites are never
        // reported; a reported one's node is found again from its full span and kind (SpanOf).
        private readonly SyntaxTree _tree;
        private readonly Microsoft.CodeAnalysis.Text.TextSpan _fullSpan;
        private readonly ushort _syntaxKind;

        /// <summary>The member called, as a chain names it (a property for an accessor, 'lock (Monitor.Enter)' for the lock statement).</summary>
        public string Name { get; }

        /// <summary>The key (<see cref="Summaries.SummaryStore.KeyOf"/>) of the method whose body runs; null for the lock statement.</summary>
        public string? Callee { get; }

        /// <summary>The callee has a body in source, so it has a summary.</summary>
        public bool CalleeHasBody { get; }

        public CallKind Kind { get; }

        /// <summary>What the callee says of itself (attributes, built-in list, additional files).</summary>
        public MemberFacts Facts { get; }

        /// <summary>Where the call is reported (most sites never are: made when asked).</summary>
        public Location Location => GivenLocation ?? Location.Create(_tree, SpanOf(_tree, _fullSpan, _syntaxKind));

        /// <summary>Arguments by the callee's parameter ordinal (empty when the callee has no [MightSleepIf] to evaluate).</summary>
        public virtual ImmutableArray<ArgValue> Args => ImmutableArray<ArgValue>.Empty;

        /// <summary>A location other than the call's span (null for most sites).</summary>
        private protected virtual Location? GivenLocation => null;

        public FlowState State { get; internal set; }

        /// <summary>
        /// Where the call starts, to order a body's calls: where its full span starts, or its own location's start.
        /// Sites ordered by it are in the order of their spans' starts: a node's full span and its span start at the
        /// same token (before and after its leading trivia), and a lock, using or foreach site's own location starts
        /// at its keyword, where no call starts. (In broken code a node may begin with a missing token, of no width:
        /// two sites may then start at one place here where their spans did not, and keep the order the walk met them.)
        /// </summary>
        public int Position => GivenLocation?.SourceSpan.Start ?? _fullSpan.Start;

        /// <summary>
        /// The span of the node of <paramref name="fullSpan"/> and <paramref name="rawKind"/> in <paramref name="tree"/>:
        /// the innermost node of that full span and kind (nodes of one full span differ in their spans only where a
        /// missing token, of no width and no trivia, begins or ends one of them, as a statement's missing ';' ends it
        /// after its expression's trailing trivia).
        /// </summary>
        internal static Microsoft.CodeAnalysis.Text.TextSpan SpanOf(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan fullSpan, int rawKind)
        {
            var root = tree.GetRoot();
            if (!root.FullSpan.Contains(fullSpan)) return fullSpan;
            for (SyntaxNode? node = root.FindNode(fullSpan, findInsideTrivia: false, getInnermostNodeForTie: true);
                node != null && node.FullSpan == fullSpan; node = node.Parent)
            {
                if (node.RawKind == rawKind) return node.Span;
            }
            // Not found (a node of no width, which FindNode does not tell from its neighbours): what its span is when
            // it holds no token of any width.
            return fullSpan;
        }
    }

    /// <summary>A call site with classified arguments or a location of its own.</summary>
    internal sealed class DetailedCallSite : CallSite
    {
        private readonly Location? _location;
        private readonly ImmutableArray<ArgValue> _args;

        internal DetailedCallSite(string name, string? callee, bool calleeHasBody, MemberFacts facts, Location? location, SyntaxNode syntax, CallKind kind, ImmutableArray<ArgValue> args)
            : base(name, callee, calleeHasBody, facts, syntax, kind)
        {
            _location = location;
            _args = args.IsDefault ? ImmutableArray<ArgValue>.Empty : args;
        }

        public override ImmutableArray<ArgValue> Args => _args;

        private protected override Location? GivenLocation => _location;
    }

    public sealed class ExitPoint
    {
        internal ExitPoint(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span, bool isEndOfBody)
        {
            _tree = tree;
            _span = span;
            IsEndOfBody = isEndOfBody;
        }

        // A tree and span, not a location: exits are recorded in every walk, and most are never reported.
        private readonly SyntaxTree _tree;
        private readonly Microsoft.CodeAnalysis.Text.TextSpan _span;

        /// <summary>Where the exit is reported: a return, or the body's closing brace (for an arrow body its expression).</summary>
        public Location Location => Location.Create(_tree, _span);

        /// <summary>Where the exit starts (asked to order a body's exits).</summary>
        public int Position => _span.Start;

        public bool IsEndOfBody { get; }
        public FlowState State { get; internal set; }
    }

    public sealed class SuspendSite
    {
        internal SuspendSite(Location location, string keyword)
        {
            Location = location;
            Keyword = keyword;
        }

        public Location Location { get; }
        public string Keyword { get; }
        public FlowState State { get; internal set; }
    }

    public sealed class PerCpuUse
    {
        internal PerCpuUse(Location location, string name, bool isNoMigrateMember)
        {
            Location = location;
            Name = name;
            IsNoMigrateMember = isNoMigrateMember;
        }

        public Location Location { get; }
        public string Name { get; }
        public bool IsNoMigrateMember { get; }
        public FlowState State { get; internal set; }
    }

    /// <summary>A local function or lambda inside a body: its facts and what its own diagnostics say of it.</summary>
    public sealed class NestedBody
    {
        internal NestedBody(BodyFacts facts, MemberFacts ownerFacts, string ownerName)
        {
            Facts = facts;
            OwnerFacts = ownerFacts;
            OwnerName = ownerName;
        }

        public BodyFacts Facts { get; }
        public MemberFacts OwnerFacts { get; }
        public string OwnerName { get; }
    }

    /// <summary>
    /// What one body's flow analysis found: plain data, computed once per body and compilation, from which
    /// both the body's own diagnostics and its summary are made.
    /// </summary>
    public sealed class BodyFacts
    {
        /// <summary>The lists of a body with no await or per-CPU use, shared: never changed.</summary>
        internal static readonly List<SuspendSite> NoSuspends = new List<SuspendSite>();
        internal static readonly List<PerCpuUse> NoPerCpuUses = new List<PerCpuUse>();

        internal static readonly CallSite[] NoCalls = new CallSite[0];
        internal static readonly ExitPoint[] NoExits = new ExitPoint[0];

        public static readonly BodyFacts Empty = new BodyFacts(null, null, 0, false, NoCalls, NoExits, NoSuspends, NoPerCpuUses, false, false, failed: false, nested: null);

        internal BodyFacts(string? owner, Location? ownerLocation, int baseline, bool isNoMigrate, CallSite[] calls, ExitPoint[] exits, List<SuspendSite> suspends, List<PerCpuUse> perCpuUses, bool hasRegionCalls, bool allRegionCallsConditional, bool failed, List<IOperation>? nested)
        {
            Nested = (IReadOnlyList<IOperation>?)nested ?? System.Array.Empty<IOperation>();
            Owner = owner;
            OwnerLocation = ownerLocation;
            Baseline = baseline;
            IsNoMigrate = isNoMigrate;
            Calls = calls;
            Exits = exits;
            Suspends = suspends;
            PerCpuUses = perCpuUses;
            HasRegionCalls = hasRegionCalls;
            AllRegionCallsConditional = allRegionCallsConditional;
            Failed = failed;
        }

        /// <summary>The owner's key (<see cref="Summaries.SummaryStore.KeyOf"/>).</summary>
        public string? Owner { get; }

        /// <summary>Where the owner is declared: orders the members of a call-graph cycle stably.</summary>
        public Location? OwnerLocation { get; }

        /// <summary>Local functions and lambdas met in the body, as the walk found them (operations: not kept).</summary>
        public IReadOnlyList<IOperation> Nested { get; private set; }

        /// <summary>
        /// The local functions and lambdas of the body, walked with it and kept as facts (symbol-free, so they
        /// are reused with the body's facts): reported with the body, never bound again.
        /// </summary>
        public IReadOnlyList<NestedBody> NestedBodies { get; private set; } = System.Array.Empty<NestedBody>();

        /// <summary>The nested bodies are walked: keep their facts and forget the operations.</summary>
        internal void Settle(IReadOnlyList<NestedBody> nested)
        {
            NestedBodies = nested;
            Nested = System.Array.Empty<IOperation>();
        }

        /// <summary>The absolute depth at entry: 1 for a [NoMigrate] body, else 0.</summary>
        public int Baseline { get; }

        public bool IsNoMigrate { get; }

        /// <summary>The body's calls in source order (an array of their number: facts are kept for the whole compilation).</summary>
        public CallSite[] Calls { get; }

        /// <summary>
        /// The body's reachable exits in source order, kept only when it has region calls (<see cref="HasRegionCalls"/>):
        /// only then can a path leave at a depth other than its entry's, and nothing else reads them. Empty otherwise.
        /// </summary>
        public ExitPoint[] Exits { get; }
        public List<SuspendSite> Suspends { get; }
        public List<PerCpuUse> PerCpuUses { get; }
        public bool HasRegionCalls { get; }

        /// <summary>Every region call of the body is a WhenReturns one: it may leave with 0 or +1.</summary>
        public bool AllRegionCallsConditional { get; }

        /// <summary>The body could not be analysed (nesting too deep for the stack): it reports nothing and is assumed not to sleep.</summary>
        public bool Failed { get; }
    }
}
