using System.Collections.Concurrent;
using AtomicContext.Analyzers.Summaries;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Facts
{
    /// <summary>
    /// Per compilation: what each member says of itself. Attributes are recognised by full name
    /// (<c>AtomicContext.MightSleepAttribute</c>, ...) in whatever assembly declares them.
    /// </summary>
    public sealed class FactsResolver
    {
        private const string Namespace = "AtomicContext";
        private readonly ConcurrentDictionary<ISymbol, MemberFacts> _cache;
        private readonly FactsFiles _files;

        /// <param name="capacity">About how many members will be asked about (the map is sized for them up front).</param>
        public FactsResolver(FactsFiles files, int capacity = 31)
        {
            _files = files;
            _cache = new ConcurrentDictionary<ISymbol, MemberFacts>(SummaryStore.LockStripes, capacity, Model.ByReference.Instance);
        }

        /// <summary>Test hook: the members whose facts are cached.</summary>
        internal ICollection<ISymbol> HeldSymbols => _cache.Keys;

        /// <summary>The symbol whose facts and summary stand for this one: the definition of a generic or extension.</summary>
        public static ISymbol Normalize(ISymbol symbol)
        {
            if (symbol is IMethodSymbol m)
            {
                if (m.ReducedFrom != null) m = m.ReducedFrom;
                if (m.PartialImplementationPart != null) m = m.PartialImplementationPart;
                return m.OriginalDefinition;
            }
            return symbol.OriginalDefinition;
        }

        public MemberFacts Get(ISymbol symbol)
        {
            // Only normalized symbols are held (compared as objects): most symbols asked about are their own normal
            // form and are found before it is made.
            if (_cache.TryGetValue(symbol, out var facts)) return facts;
            var normalized = Normalize(symbol);
            if (!ReferenceEquals(normalized, symbol) && _cache.TryGetValue(normalized, out facts)) return facts;
            if (IsMadeByBinding(normalized)) return Compute(normalized);
            return _cache.GetOrAdd(normalized, Compute(normalized));
        }

        /// <summary>
        /// A lambda or local function: its symbol is made by binding the body that holds it and keeps that binding
        /// reachable (binders, syntax, what they hold). Such symbols are never kept in a per-compilation cache:
        /// there they kept every body's binding alive until the compilation's end — 81 MB on the 8x benchmark
        /// corpus, where the driver lets it go tree by tree. They are asked about once or twice per walk of their body.
        /// </summary>
        public static bool IsMadeByBinding(ISymbol symbol) =>
            symbol is IMethodSymbol m && (m.MethodKind == MethodKind.AnonymousFunction || m.MethodKind == MethodKind.LocalFunction);

        private MemberFacts Compute(ISymbol symbol)
        {
            Fact flags = Fact.None;
            string? justification = null;
            var sleepIfs = ImmutableArray<SleepIf>.Empty;
            ReadAttributes(symbol, ref flags, ref justification, ref sleepIfs);
            if (symbol is IMethodSymbol method)
            {
                if (method.AssociatedSymbol is IPropertySymbol property)
                {
                    var ignored = ImmutableArray<SleepIf>.Empty;
                    Fact own = Fact.None;
                    ReadAttributes(property, ref own, ref justification, ref ignored);
                    flags |= own & (Fact.MightSleep | Fact.NoMigrate | Fact.PerCpu | Fact.AssumeNoSleep);
                    if (_files.Facts.TryGetValue(property, out var listedProperty)) flags |= listedProperty;
                }
                if (method.MethodKind == MethodKind.DelegateInvoke && method.ContainingType != null)
                {
                    Fact own = Fact.None;
                    var ignored = ImmutableArray<SleepIf>.Empty;
                    ReadAttributes(method.ContainingType, ref own, ref justification, ref ignored);
                    flags |= own & Fact.MightSleep;
                }
                if (BuiltinSleepers.IsBlocking(method)) flags |= Fact.MightSleep | Fact.Builtin;
            }
            if (_files.Facts.TryGetValue(symbol, out var listed)) flags |= listed;
            bool integral = symbol is IMethodSymbol withParameters && HasIntegralParameter(withParameters);
            bool sourceBody = symbol is IMethodSymbol withBody && Summaries.SummaryStore.HasSourceBody(withBody);
            if (flags == Fact.None && sleepIfs.IsEmpty) return MemberFacts.NothingFor(integral, sourceBody);
            return new MemberFacts(flags, sleepIfs, justification, integral, sourceBody);
        }

        private static bool HasIntegralParameter(IMethodSymbol method)
        {
            foreach (var p in method.Parameters)
            {
                var type = p.Type;
                switch (type.SpecialType)
                {
                    case SpecialType.System_Int16:
                    case SpecialType.System_Int32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_UInt32:
                    case SpecialType.System_UInt64:
                    case SpecialType.System_Byte:
                    case SpecialType.System_SByte:
                    case SpecialType.System_Boolean:
                    case SpecialType.System_Char:
                        return true;
                }
                if (type.TypeKind == TypeKind.Enum) return true;
            }
            return false;
        }

        private static void ReadAttributes(ISymbol symbol, ref Fact flags, ref string? justification, ref ImmutableArray<SleepIf> sleepIfs)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                var cls = attribute.AttributeClass;
                if (cls is null || !IsOurNamespace(cls.ContainingNamespace)) continue;
                switch (cls.Name)
                {
                    case "MightSleepAttribute":
                        flags |= Fact.MightSleep;
                        break;
                    case "EntersNoMigrateAttribute":
                        bool? whenReturns = null;
                        foreach (var named in attribute.NamedArguments)
                        {
                            if (named.Key == "WhenReturns" && named.Value.Value is bool b) whenReturns = b;
                        }
                        flags |= whenReturns is null ? Fact.Enters : whenReturns.Value ? Fact.EntersWhenTrue : Fact.EntersWhenFalse;
                        break;
                    case "ExitsNoMigrateAttribute":
                        flags |= Fact.Exits;
                        break;
                    case "NoMigrateAttribute":
                        flags |= Fact.NoMigrate;
                        break;
                    case "PerCpuAttribute":
                        flags |= Fact.PerCpu;
                        break;
                    case "AssumeNoSleepAttribute":
                        flags |= Fact.AssumeNoSleep;
                        justification = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
                        break;
                    case "MightSleepIfAttribute":
                        if (symbol is IMethodSymbol m && TryReadSleepIf(attribute, out string parameterName, out long mask))
                        {
                            long? alternative = null;
                            string? alternativeName = null;
                            foreach (var named in attribute.NamedArguments)
                            {
                                if (named.Key == "AtomicAlternative" && TryLong(named.Value.Value, out long alt)) alternative = alt;
                                if (named.Key == "AtomicAlternativeName") alternativeName = named.Value.Value as string;
                            }
                            var target = ParameterNamed(m, parameterName);
                            if (target != null)
                                sleepIfs = sleepIfs.Add(new SleepIf(target.Ordinal, parameterName, mask, alternative, alternativeName));
                            else
                                flags |= Fact.MightSleep; // the condition cannot be evaluated: it may sleep (ACA0008 says why)
                        }
                        break;
                }
            }
        }

        internal static bool TryLong(object? value, out long result)
        {
            switch (value)
            {
                case long l: result = l; return true;
                case int i: result = i; return true;
                case uint u: result = u; return true;
                case ulong ul: result = unchecked((long)ul); return true;
                case short s: result = s; return true;
                case ushort us: result = us; return true;
                case byte b: result = b; return true;
                case sbyte sb: result = sb; return true;
                case char c: result = c; return true;
                case bool bo: result = bo ? 1 : 0; return true;
                default: result = 0; return false;
            }
        }

        private static IParameterSymbol? ParameterNamed(IMethodSymbol method, string name)
        {
            foreach (var p in method.Parameters)
            {
                if (p.Name == name) return p;
            }
            return null;
        }

        /// <summary>The parameter name and mask of a <c>[MightSleepIf]</c>, when its arguments are well formed.</summary>
        private static bool TryReadSleepIf(AttributeData attribute, out string parameterName, out long mask)
        {
            mask = 0;
            parameterName = "";
            if (attribute.ConstructorArguments.Length != 2 || !(attribute.ConstructorArguments[0].Value is string name)) return false;
            parameterName = name;
            return TryLong(attribute.ConstructorArguments[1].Value, out mask);
        }

        /// <summary>
        /// The <c>[MightSleepIf]</c> attributes of a method that name none of its parameters, with the name they give:
        /// the ones <see cref="ReadAttributes"/> turned into <c>MightSleep</c>.
        /// </summary>
        public static IEnumerable<(AttributeData Attribute, string Name)> SleepIfsNamingNoParameter(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                var cls = attribute.AttributeClass;
                if (cls is null || cls.Name != "MightSleepIfAttribute" || !IsOurNamespace(cls.ContainingNamespace)) continue;
                if (TryReadSleepIf(attribute, out string name, out _) && ParameterNamed(method, name) is null)
                    yield return (attribute, name);
            }
        }

        private static bool IsOurNamespace(INamespaceSymbol? ns) =>
            ns != null && ns.Name == Namespace && ns.ContainingNamespace != null && ns.ContainingNamespace.IsGlobalNamespace;
    }
}
