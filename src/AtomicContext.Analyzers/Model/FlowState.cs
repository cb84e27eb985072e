using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Model
{
    /// <summary>
    /// A condition the analysis can correlate between two tests: a bool local or parameter (form
    /// <see cref="BoolValue"/>) or a reference compared with null (form <see cref="NotNull"/>).
    /// </summary>
    public readonly struct Atom : IEquatable<Atom>
    {
        public const byte BoolValue = 0;
        public const byte NotNull = 1;

        public Atom(ISymbol symbol, byte form)
        {
            Symbol = symbol;
            Form = form;
            var locations = symbol.Locations;
            Position = locations.Length > 0 ? locations[0].SourceSpan.Start : 0;
        }

        public ISymbol Symbol { get; }
        public byte Form { get; }
        public int Position { get; }

        public bool Equals(Atom other) => Form == other.Form && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);
        public override bool Equals(object? obj) => obj is Atom a && Equals(a);
        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol) * 2 + Form;

        public int CompareTo(Atom other)
        {
            int c = Position.CompareTo(other.Position);
            if (c != 0) return c;
            c = Form.CompareTo(other.Form);
            if (c != 0) return c;
            return string.CompareOrdinal(Symbol.Name, other.Symbol.Name);
        }
    }

    /// <summary>One path class: what is assumed of some atoms, the depths held, the openers of the deepest path.</summary>
    public sealed class Facet
    {
        internal static readonly (Atom Atom, bool Value)[] NoAssumptions = Array.Empty<(Atom, bool)>();

        public Facet((Atom Atom, bool Value)[] assumptions, DepthSet depths, OpenerStack? openers)
        {
            Assumptions = assumptions;
            Depths = depths;
            Openers = openers;
        }

        /// <summary>Sorted by atom.</summary>
        public (Atom Atom, bool Value)[] Assumptions { get; }
        public DepthSet Depths { get; }
        public OpenerStack? Openers { get; }

        public bool SameKey(Facet other)
        {
            if (Assumptions.Length != other.Assumptions.Length) return false;
            for (int i = 0; i < Assumptions.Length; i++)
            {
                if (Assumptions[i].Value != other.Assumptions[i].Value || !Assumptions[i].Atom.Equals(other.Assumptions[i].Atom)) return false;
            }
            return true;
        }

        public int CompareKey(Facet other)
        {
            int n = Math.Min(Assumptions.Length, other.Assumptions.Length);
            for (int i = 0; i < n; i++)
            {
                int c = Assumptions[i].Atom.CompareTo(other.Assumptions[i].Atom);
                if (c != 0) return c;
                if (Assumptions[i].Value != other.Assumptions[i].Value) return Assumptions[i].Value ? 1 : -1;
            }
            return Assumptions.Length.CompareTo(other.Assumptions.Length);
        }

        public bool? Lookup(Atom atom)
        {
            foreach (var (a, v) in Assumptions)
            {
                if (a.Equals(atom)) return v;
            }
            return null;
        }

        public Facet With(DepthSet depths, OpenerStack? openers) => new Facet(Assumptions, depths, openers);

        public Facet Assume(Atom atom, bool value)
        {
            var list = new List<(Atom, bool)>(Assumptions.Length + 1);
            bool added = false;
            foreach (var entry in Assumptions)
            {
                if (!added && atom.CompareTo(entry.Atom) < 0)
                {
                    list.Add((atom, value));
                    added = true;
                }
                if (!entry.Atom.Equals(atom)) list.Add(entry);
            }
            if (!added) list.Add((atom, value));
            return new Facet(list.ToArray(), Depths, Openers);
        }

        public Facet Forget(ISymbol symbol)
        {
            int keep = 0;
            foreach (var (a, _) in Assumptions)
            {
                if (!SymbolEqualityComparer.Default.Equals(a.Symbol, symbol)) keep++;
            }
            if (keep == Assumptions.Length) return this;
            var list = new (Atom, bool)[keep];
            int i = 0;
            foreach (var entry in Assumptions)
            {
                if (!SymbolEqualityComparer.Default.Equals(entry.Atom.Symbol, symbol)) list[i++] = entry;
            }
            return new Facet(list, Depths, Openers);
        }
    }

    /// <summary>
    /// The abstract state at a program point: a few path classes (facets), each with the depths held. Paths
    /// that assume the same of the correlated atoms are merged; beyond <see cref="MaxFacets"/> classes every
    /// assumption is dropped. The depths of the point are the union over facets.
    /// </summary>
    public readonly struct FlowState
    {
        public const int MaxFacets = 8;

        private readonly Facet[]? _facets;

        private FlowState(Facet[]? facets) => _facets = facets;

        public FlowState(DepthSet depths, OpenerStack? openers)
            : this(depths.IsEmpty ? null : new[] { new Facet(Facet.NoAssumptions, depths, openers) })
        {
        }

        public static FlowState Unreachable => default;

        /// <summary>
        /// A body's entry outside any region, nothing assumed: one for all bodies (a state's facets are never
        /// changed once made), where every walk made its own and most call sites kept it.
        /// </summary>
        public static FlowState AtDepthZero { get; } = new FlowState(DepthSet.Of(0), null);

        public bool IsUnreachable => _facets is null;

        public DepthSet Depths
        {
            get
            {
                if (_facets is null) return DepthSet.Empty;
                if (_facets.Length == 1) return _facets[0].Depths;
                var d = DepthSet.Empty;
                foreach (var f in _facets) d = d.Union(f.Depths);
                return d;
            }
        }

        /// <summary>The openers of the deepest path.</summary>
        public OpenerStack? Openers
        {
            get
            {
                if (_facets is null) return null;
                OpenerStack? best = _facets[0].Openers;
                for (int i = 1; i < _facets.Length; i++) best = OpenerStack.Prefer(best, _facets[i].Openers);
                return best;
            }
        }

        public FlowState Join(FlowState other)
        {
            if (other._facets is null || ReferenceEquals(_facets, other._facets)) return this;
            if (_facets is null) return other;
            if (_facets.Length == 1 && other._facets.Length == 1 && _facets[0].SameKey(other._facets[0]))
            {
                // The common case: one path class on each side.
                var a = _facets[0];
                var b = other._facets[0];
                var depths = a.Depths.Union(b.Depths);
                var openers = OpenerStack.Prefer(a.Openers, b.Openers);
                if (depths.Equals(a.Depths) && ReferenceEquals(openers, a.Openers)) return this;
                if (depths.Equals(b.Depths) && ReferenceEquals(openers, b.Openers)) return other;
                return new FlowState(new[] { a.With(depths, openers) });
            }
            var merged = new List<Facet>(_facets);
            foreach (var f in other._facets) Add(merged, f);
            return Make(merged);
        }

        private static void Add(List<Facet> facets, Facet f)
        {
            for (int i = 0; i < facets.Count; i++)
            {
                if (facets[i].SameKey(f))
                {
                    var old = facets[i];
                    if (old.Depths.Mask == (old.Depths.Mask | f.Depths.Mask) && ReferenceEquals(OpenerStack.Prefer(old.Openers, f.Openers), old.Openers)) return;
                    facets[i] = old.With(old.Depths.Union(f.Depths), OpenerStack.Prefer(old.Openers, f.Openers));
                    return;
                }
            }
            facets.Add(f);
        }

        private static FlowState Make(List<Facet> facets)
        {
            if (facets.Count == 0) return Unreachable;
            if (facets.Count > MaxFacets)
            {
                var depths = DepthSet.Empty;
                OpenerStack? openers = null;
                foreach (var f in facets)
                {
                    depths = depths.Union(f.Depths);
                    openers = OpenerStack.Prefer(openers, f.Openers);
                }
                return new FlowState(depths, openers);
            }
            facets.Sort((a, b) => a.CompareKey(b));
            return new FlowState(facets.ToArray());
        }

        private FlowState Map(Func<Facet, Facet> map)
        {
            if (_facets is null) return this;
            if (_facets.Length == 1) return new FlowState(new[] { map(_facets[0]) });
            var list = new List<Facet>(_facets.Length);
            foreach (var f in _facets) Add(list, map(f));
            return Make(list);
        }

        public FlowState Enter(Opener opener) => Shift(1, opener);

        public FlowState Exit() => Shift(-1, null);

        /// <summary>Every facet one deeper with <paramref name="pushed"/> on its openers, or one shallower with its top opener popped (no delegate made per call, as <see cref="Map"/> would).</summary>
        private FlowState Shift(int delta, Opener? pushed)
        {
            if (_facets is null) return this;
            if (_facets.Length == 1) return new FlowState(new[] { Shifted(_facets[0], delta, pushed) });
            var list = new List<Facet>(_facets.Length);
            foreach (var f in _facets) Add(list, Shifted(f, delta, pushed));
            return Make(list);
        }

        private static Facet Shifted(Facet f, int delta, Opener? pushed) =>
            f.With(f.Depths.Shift(delta), pushed != null ? OpenerStack.Push(f.Openers, pushed) : OpenerStack.Pop(f.Openers));

        /// <summary>The variable was written: nothing assumed of it holds any more.</summary>
        public FlowState Forget(ISymbol symbol)
        {
            if (_facets is null) return this;
            bool any = false;
            foreach (var f in _facets)
            {
                foreach (var (a, _) in f.Assumptions)
                {
                    if (SymbolEqualityComparer.Default.Equals(a.Symbol, symbol)) any = true;
                }
            }
            return any ? ForgetIn(symbol) : this;
        }

        // Apart from Forget: a lambda there would have its closure made on every call, where most forget nothing.
        private FlowState ForgetIn(ISymbol symbol) => Map(f => f.Forget(symbol));

        /// <summary>
        /// A test of <paramref name="atom"/>: facets that know its value go one way; the others split.
        /// <paramref name="enter"/> (a trylock result): where the split is made, the side whose value is
        /// <paramref name="enterWhen"/> enters the region.
        /// </summary>
        public (FlowState WhenTrue, FlowState WhenFalse) Split(Atom atom, Opener? enter, bool enterWhen = true)
        {
            if (_facets is null) return (this, this);
            var t = new List<Facet>();
            var f = new List<Facet>();
            foreach (var facet in _facets)
            {
                switch (facet.Lookup(atom))
                {
                    case true:
                        Add(t, facet);
                        break;
                    case false:
                        Add(f, facet);
                        break;
                    default:
                        var yes = facet.Assume(atom, true);
                        var no = facet.Assume(atom, false);
                        if (enter != null && enterWhen) yes = yes.With(yes.Depths.Shift(1), OpenerStack.Push(yes.Openers, enter));
                        if (enter != null && !enterWhen) no = no.With(no.Depths.Shift(1), OpenerStack.Push(no.Openers, enter));
                        Add(t, yes);
                        Add(f, no);
                        break;
                }
            }
            return (Make(t), Make(f));
        }

        /// <summary>One path class without assumptions: what the facts keep once a body's analysis is done.</summary>
        public FlowState Flatten()
        {
            if (_facets is null) return this;
            // Outside any region with no opener held (a region left, a join of such paths): the one shared state,
            // not a copy of it kept at every site and exit after it.
            if (Depths.Mask == AtDepthZero.Depths.Mask && Openers is null) return AtDepthZero;
            if (_facets.Length == 1 && _facets[0].Assumptions.Length == 0) return this;
            return new FlowState(Depths, Openers);
        }

        public bool SameAs(FlowState other)
        {
            if (_facets is null || other._facets is null) return _facets is null && other._facets is null;
            if (_facets.Length != other._facets.Length) return false;
            for (int i = 0; i < _facets.Length; i++)
            {
                var a = _facets[i];
                var b = other._facets[i];
                if (!a.SameKey(b) || !a.Depths.Equals(b.Depths) || !OpenerStack.SameOpeners(a.Openers, b.Openers)) return false;
            }
            return true;
        }
    }
}
