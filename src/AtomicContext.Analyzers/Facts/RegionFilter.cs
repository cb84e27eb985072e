using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicContext.Analyzers.Facts
{
    /// <summary>
    /// Per compilation: which bodies can report anything by themselves, told from their tokens alone, so a body
    /// that cannot is neither bound nor walked for its own sake (a caller's summary still binds it on demand).
    /// <para>
    /// Every diagnostic a body reports needs a region held in it (ACA0001/2/5) or a use of per-CPU data or a
    /// <c>[NoMigrate]</c> member (ACA0004), unless the body is <c>[NoMigrate]</c> itself. Each of those is a
    /// member that says so — in source, in a referenced assembly or in <c>AtomicContext.Facts.txt</c> — and a
    /// body can only reach it by writing its name (a call, an access, a method group), by a <c>using</c> or
    /// <c>foreach</c> whose <c>Dispose</c> exits, or through a <c>[NoMigrate]</c> local function or lambda (an
    /// attribute inside the body). Where a member could be reached without its name (a constructor, operator,
    /// indexer, event accessor or pattern member such as <c>GetEnumerator</c>), the filter is off and every
    /// body is analysed.
    /// </para>
    /// </summary>
    public sealed class RegionFilter
    {
        /// <summary>No filter: every body is analysed.</summary>
        public static readonly RegionFilter Everything = new RegionFilter(null, null, null, false, anyRegion: true);

        private static readonly HashSet<string> PatternMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            // Called by a statement or expression that does not name them: foreach, deconstruction, await,
            // collection initializers, fixed, ranges and list patterns, interpolated strings, query expressions.
            "GetEnumerator", "GetAsyncEnumerator", "MoveNext", "MoveNextAsync", "Current", "Deconstruct",
            "GetAwaiter", "GetResult", "IsCompleted", "OnCompleted", "UnsafeOnCompleted", "Add", "Invoke",
            "GetPinnableReference", "Slice", "Length", "Count", "Item", "AppendLiteral", "AppendFormatted",
            "Select", "SelectMany", "Where", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending",
            "GroupBy", "Join", "GroupJoin", "Cast",
        };

        // The declarations of each tree that carry attributes (syntax only, so kept with the tree).
        private static readonly ConditionalWeakTable<SyntaxTree, List<SyntaxNode>> AttributedByTree = new ConditionalWeakTable<SyntaxTree, List<SyntaxNode>>();

        private readonly HashSet<string>? _names;
        private readonly bool _disposeExits;

        private readonly HashSet<string> _entering;
        private readonly HashSet<string> _leaving;

        private RegionFilter(HashSet<string>? names, HashSet<string>? entering, HashSet<string>? leaving, bool disposeExits, bool anyRegion)
        {
            _names = names;
            _entering = entering ?? new HashSet<string>(StringComparer.Ordinal);
            _leaving = leaving ?? new HashSet<string>(StringComparer.Ordinal);
            _disposeExits = disposeExits;
            AnyRegion = anyRegion;
        }

        /// <summary>
        /// Whether some member of the compilation or its references opens, closes or is a region (or the filter is
        /// off): false means no body can hold a region through a named member, so no summary is ever asked for.
        /// </summary>
        public bool AnyRegion { get; }

        /// <summary>Whether the filter lets every body through.</summary>
        public bool IsOff => _names is null;

        /// <summary>
        /// Whether a code block may report anything, told from what its tokens were found to hold: false only when
        /// none of them can reach a region, per-CPU data or a <c>[NoMigrate]</c> member.
        /// </summary>
        internal bool MayReport(BodyTokens tokens)
        {
            if (_names is null || tokens.InnerAttribute || tokens.UsingOrForEach && _disposeExits) return true;
            foreach (var identifier in tokens.Identifiers)
            {
                if (_names.Contains(identifier)) return true;
            }
            return false;
        }

        /// <summary>Whether the whole block may hold a region, whatever it names (the filter is off, a [NoMigrate] function inside, a using or foreach whose Dispose exits).</summary>
        internal bool RegionAnywhere(BodyTokens tokens) => _names is null || tokens.InnerAttribute || tokens.UsingOrForEach && _disposeExits;

        /// <summary>Whether a member of this name may enter a region.</summary>
        internal bool Enters(string name) => _entering.Contains(name);

        /// <summary>Whether a member of this name may leave a region (and enters none).</summary>
        internal bool Leaves(string name) => _leaving.Contains(name);

        /// <summary>Whether a member of this name may be a region, per-CPU or [NoMigrate] member itself (its own body then counts).</summary>
        internal bool Names(string name) => _names is null || _names.Contains(name);

        /// <summary>The filter of a compilation; <see cref="Everything"/> where a region member could be reached without its name.</summary>
        public static RegionFilter For(Compilation compilation, FactsResolver facts, FactsFiles files, CancellationToken ct)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var entering = new HashSet<string>(StringComparer.Ordinal);
            var leaving = new HashSet<string>(StringComparer.Ordinal);
            bool disposeExits = false;
            bool off = false;
            bool anyRegion = false;

            void Consider(ISymbol symbol)
            {
                if (off) return;
                var f = facts.Get(symbol);
                if (!f.IsRegionCall && !f.NoMigrate && !f.PerCpu) return;
                if (f.IsRegionCall || f.NoMigrate) anyRegion = true;
                if (!Add(symbol, f, names, ref disposeExits))
                {
                    off = true;
                    return;
                }
                if (f.Enters || f.EntersConditionally) AddName(symbol, entering);
                else if (f.Exits) AddName(symbol, leaving);
            }

            // Source: only declarations that carry attributes are resolved.
            foreach (var tree in compilation.SyntaxTrees)
            {
                ct.ThrowIfCancellationRequested();
                var attributed = AttributedByTree.GetValue(tree, t => AttributedDeclarations(t, CancellationToken.None));
                if (attributed.Count == 0) continue;
#pragma warning disable RS1030 // Declarations only (no body is bound); the driver's caching provider shares the model.
                var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                foreach (var node in attributed)
                {
                    if (node is BaseFieldDeclarationSyntax field)
                    {
                        foreach (var variable in field.Declaration.Variables)
                        {
                            if (model.GetDeclaredSymbol(variable, ct) is { } declared) Consider(declared);
                        }
                    }
                    else if (model.GetDeclaredSymbol(node, ct) is { } declared)
                    {
                        Consider(declared);
                    }
                    if (off) return Everything;
                }
            }

            // Facts files.
            foreach (var pair in files.Facts)
            {
                Consider(pair.Key);
                if (off) return Everything;
            }

            // Referenced assemblies that can carry the attributes: those that declare one, or reference one that does.
            var declaring = new HashSet<IAssemblySymbol>(SymbolEqualityComparer.Default);
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (DeclaresAttributes(assembly)) declaring.Add(assembly);
            }
            if (declaring.Count > 0)
            {
                foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
                {
                    ct.ThrowIfCancellationRequested();
                    if (!declaring.Contains(assembly) && !ReferencesAny(assembly, declaring)) continue;
                    var pending = new Stack<INamespaceOrTypeSymbol>();
                    pending.Push(assembly.GlobalNamespace);
                    while (pending.Count > 0)
                    {
                        var container = pending.Pop();
                        foreach (var member in container.GetMembers())
                        {
                            if (member is INamespaceOrTypeSymbol nested)
                            {
                                pending.Push(nested);
                                continue;
                            }
                            if (member.DeclaredAccessibility == Accessibility.Private) continue;
                            Consider(member);
                            if (off) return Everything;
                        }
                    }
                }
            }

            return new RegionFilter(names, entering, leaving, disposeExits, anyRegion);
        }

        /// <summary>The name a body writes to reach a member it names (that of the property for an accessor).</summary>
        private static void AddName(ISymbol symbol, HashSet<string> names) =>
            names.Add(ShortName(symbol is IMethodSymbol { AssociatedSymbol: IPropertySymbol property } ? property : symbol));

        /// <summary>A member's name as a body writes it (without the interface of an explicit implementation).</summary>
        private static string ShortName(ISymbol symbol)
        {
            string name = symbol.Name;
            int dot = name.LastIndexOf('.');
            return dot >= 0 ? name.Substring(dot + 1) : name;
        }

        /// <summary>Adds the names by which a body reaches a region member; false where it could reach it without one.</summary>
        private static bool Add(ISymbol symbol, MemberFacts facts, HashSet<string> names, ref bool disposeExits)
        {
            string name = ShortName(symbol);
            switch (symbol)
            {
                case IMethodSymbol method:
                    switch (method.MethodKind)
                    {
                        case MethodKind.Ordinary:
                        case MethodKind.ExplicitInterfaceImplementation:
                        case MethodKind.ReducedExtension:
                        case MethodKind.DelegateInvoke:
                            break;
                        case MethodKind.PropertyGet:
                        case MethodKind.PropertySet:
                            return method.AssociatedSymbol is IPropertySymbol property && Add(property, facts, names, ref disposeExits);
                        default:
                            return false; // constructors, operators, conversions, event accessors, finalizers
                    }
                    if (name == "Dispose" || name == "DisposeAsync")
                    {
                        if (facts.Exits || facts.IsRegionCall) disposeExits = true;
                    }
                    else if (PatternMembers.Contains(name))
                    {
                        return false;
                    }
                    names.Add(name);
                    return true;
                case IPropertySymbol property:
                    if (property.IsIndexer || PatternMembers.Contains(name)) return false;
                    names.Add(name);
                    return true;
                case IFieldSymbol:
                    names.Add(name);
                    return true;
                default:
                    return false;
            }
        }

        private static readonly string[] AttributeTypes =
        {
            "AtomicContext.EntersNoMigrateAttribute", "AtomicContext.ExitsNoMigrateAttribute",
            "AtomicContext.NoMigrateAttribute", "AtomicContext.PerCpuAttribute",
        };

        private static bool DeclaresAttributes(IAssemblySymbol assembly)
        {
            foreach (var name in AttributeTypes)
            {
                if (assembly.GetTypeByMetadataName(name) != null) return true;
            }
            return false;
        }

        private static bool ReferencesAny(IAssemblySymbol assembly, HashSet<IAssemblySymbol> declaring)
        {
            foreach (var module in assembly.Modules)
            {
                foreach (var referenced in module.ReferencedAssemblySymbols)
                {
                    if (declaring.Contains(referenced)) return true;
                }
            }
            return false;
        }

        /// <summary>The member declarations of a tree (not their bodies) that carry attributes, accessors included.</summary>
        private static List<SyntaxNode> AttributedDeclarations(SyntaxTree tree, CancellationToken ct)
        {
            var found = new List<SyntaxNode>();
            var root = tree.GetRoot(ct);
            foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax || n is TypeDeclarationSyntax
                || n is BasePropertyDeclarationSyntax || n is AccessorListSyntax))
            {
                switch (node)
                {
                    case BaseMethodDeclarationSyntax method when method.AttributeLists.Count > 0:
                    case BasePropertyDeclarationSyntax property when property.AttributeLists.Count > 0:
                    case AccessorDeclarationSyntax accessor when accessor.AttributeLists.Count > 0:
                    case BaseFieldDeclarationSyntax field when field.AttributeLists.Count > 0:
                        found.Add(node);
                        break;
                }
            }
            return found;
        }
    }
}
