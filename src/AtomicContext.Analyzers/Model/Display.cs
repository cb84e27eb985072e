using AtomicContext.Analyzers.Facts;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Model
{
    /// <summary>How a member is named in a chain: the kernel-style short name.</summary>
    public static class Display
    {
        public static string Name(ISymbol symbol) => Name(symbol, null);

        /// <summary>The same, for a method whose facts are known (they tell whether it is a built-in sleeper, named with its type).</summary>
        public static string Name(ISymbol symbol, MemberFacts? facts)
        {
            switch (symbol)
            {
                case IMethodSymbol m:
                    switch (m.MethodKind)
                    {
                        case MethodKind.Constructor:
                        case MethodKind.StaticConstructor:
                            return m.ContainingType?.Name ?? m.Name;
                        case MethodKind.PropertyGet:
                        case MethodKind.PropertySet:
                            return m.AssociatedSymbol is IPropertySymbol p ? PropertyName(p) : m.Name;
                        case MethodKind.DelegateInvoke:
                            return m.ContainingType?.Name ?? m.Name;
                        case MethodKind.AnonymousFunction:
                            return "lambda";
                    }
                    if (m.ContainingType != null && (facts?.Has(Fact.Builtin) ?? BuiltinSleepers.IsBlocking(m))) return m.ContainingType.Name + "." + m.Name;
                    return m.Name;
                case IPropertySymbol property:
                    return PropertyName(property);
                default:
                    return symbol.Name;
            }
        }

        private static string PropertyName(IPropertySymbol p)
        {
            if (p.IsIndexer) return (p.ContainingType?.Name ?? "this") + "[]";
            return p.Name;
        }
    }
}
