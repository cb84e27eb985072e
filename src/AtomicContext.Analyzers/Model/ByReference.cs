using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Model
{
    /// <summary>
    /// Symbols compared as objects. For the per-compilation caches of definitions (normalized first): a compilation
    /// has one object per definition, so this finds what <see cref="SymbolEqualityComparer.Default"/> finds, without
    /// its calls through the symbol's interfaces at every lookup. Where one symbol could come as two objects (a local
    /// of two bindings of a body), the cache holds it twice, each with the same value: never a wrong one. (Lambdas
    /// and local functions are not held at all: <see cref="Facts.FactsResolver.IsMadeByBinding"/>.)
    /// </summary>
    internal sealed class ByReference : IEqualityComparer<ISymbol>, IEqualityComparer<IMethodSymbol>
    {
        public static readonly ByReference Instance = new ByReference();

        private ByReference()
        {
        }

        public bool Equals(ISymbol? x, ISymbol? y) => ReferenceEquals(x, y);

        public int GetHashCode(ISymbol obj) => RuntimeHelpers.GetHashCode(obj);

        public bool Equals(IMethodSymbol? x, IMethodSymbol? y) => ReferenceEquals(x, y);

        public int GetHashCode(IMethodSymbol obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
