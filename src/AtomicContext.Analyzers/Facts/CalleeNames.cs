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
    /// Per compilation, from tokens alone: the names of the members a region may reach. A body can only call a method
    /// or property it names (a call, an access, a method group); so, starting from the bodies that can report (they
    /// name a region member), every name those bodies write is reached, then every name the bodies of members so
    /// named write, and so on. A member whose name is never reached cannot be a callee of a region: its body need not
    /// be walked ahead of time. Only methods and properties are told apart by name; a constructor counts as named by
    /// its type, and anything reached without a name (operators, conversions, indexers, finalizers) always counts.
    /// It only decides what is walked early: a summary that meets a body not walked binds it on demand, so a name
    /// missed here costs time, never a result.
    /// </summary>
    internal sealed class CalleeNames
    {
        /// <summary>One member body of a tree: the name it is called by (null: reached without one) and the identifiers it writes.</summary>
        private sealed class Body
        {
            public Body(string? name, string[] identifiers, bool usingOrForEach, bool innerAttribute)
            {
                Name = name;
                Identifiers = identifiers;
                UsingOrForEach = usingOrForEach;
                InnerAttribute = innerAttribute;
            }

            public string? Name { get; }
            public string[] Identifiers { get; }
            public bool UsingOrForEach { get; }
            public bool InnerAttribute { get; }
        }

        // Syntax only, so kept beside the tree and shared by every compilation that contains it.
        private static readonly ConditionalWeakTable<SyntaxTree, List<Body>> BodiesByTree = new ConditionalWeakTable<SyntaxTree, List<Body>>();

        private readonly HashSet<string> _reached;

        private CalleeNames(HashSet<string> reached) => _reached = reached;

        /// <summary>Whether the member whose body this is may be reached from a region (true when that cannot be told by its name).</summary>
        public bool MayBeReached(SyntaxNode codeBlock)
        {
            var name = NameOf(codeBlock);
            return name is null || _reached.Contains(name);
        }

        /// <summary>The closure from the bodies that <paramref name="filter"/> says can report.</summary>
        public static CalleeNames For(Compilation compilation, RegionFilter filter, CancellationToken ct)
        {
            var byName = new Dictionary<string, List<Body>>(StringComparer.Ordinal);
            var reached = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>();

            void Reach(Body body)
            {
                foreach (var identifier in body.Identifiers)
                {
                    if (reached.Add(identifier)) pending.Push(identifier);
                }
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var body in BodiesByTree.GetValue(tree, t => BodiesOf(t, CancellationToken.None)))
                {
                    // Roots: bodies that can report, and those reached without a name (always walked).
                    if (body.Name is null || filter.MayReport(body.Identifiers, body.UsingOrForEach, body.InnerAttribute) || filter.Names(body.Name))
                    {
                        Reach(body);
                        continue;
                    }
                    if (!byName.TryGetValue(body.Name, out var list)) byName[body.Name] = list = new List<Body>();
                    list.Add(body);
                }
            }
            while (pending.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                if (!byName.TryGetValue(pending.Pop(), out var bodies)) continue;
                foreach (var body in bodies) Reach(body);
            }
            return new CalleeNames(reached);
        }

        /// <summary>The name a member's body is called by; null when it can run without being named.</summary>
        private static string? NameOf(SyntaxNode codeBlock)
        {
            switch (codeBlock)
            {
                case MethodDeclarationSyntax method:
                    return method.Identifier.ValueText;
                case ConstructorDeclarationSyntax constructor when !constructor.Modifiers.Any(SyntaxKind.StaticKeyword):
                    return constructor.Identifier.ValueText;
                case AccessorDeclarationSyntax accessor when accessor.Parent?.Parent is PropertyDeclarationSyntax property
                    && (accessor.IsKind(SyntaxKind.GetAccessorDeclaration) || accessor.IsKind(SyntaxKind.SetAccessorDeclaration) || accessor.IsKind(SyntaxKind.InitAccessorDeclaration)):
                    return property.Identifier.ValueText;
                case ArrowExpressionClauseSyntax arrow when arrow.Parent is PropertyDeclarationSyntax property:
                    return property.Identifier.ValueText;
                default:
                    return null;
            }
        }

        private static List<Body> BodiesOf(SyntaxTree tree, CancellationToken ct)
        {
            var found = new List<Body>();
            var root = tree.GetRoot(ct);
            var identifiers = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in root.DescendantNodes(n => !(n is BlockSyntax) && !(n is ArrowExpressionClauseSyntax) && !(n is ExpressionSyntax)))
            {
                SyntaxNode? block = node switch
                {
                    BaseMethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
                    AccessorDeclarationSyntax a => (SyntaxNode?)a.Body ?? a.ExpressionBody,
                    PropertyDeclarationSyntax p when p.ExpressionBody != null => p,
                    _ => null,
                };
                if (block is null) continue;
                // The code block the driver hands the action: the declaration (an arrow property: its arrow clause).
                var declaration = node is PropertyDeclarationSyntax arrowProperty ? arrowProperty.ExpressionBody! : node;
                identifiers.Clear();
                bool usingOrForEach = false, innerAttribute = false;
                foreach (var token in block.DescendantTokens())
                {
                    switch ((SyntaxKind)token.RawKind)
                    {
                        case SyntaxKind.IdentifierToken:
                            identifiers.Add(token.ValueText);
                            break;
                        case SyntaxKind.UsingKeyword:
                        case SyntaxKind.ForEachKeyword:
                            usingOrForEach = true;
                            break;
                        case SyntaxKind.OpenBracketToken:
                            if (token.Parent is AttributeListSyntax) innerAttribute = true;
                            break;
                    }
                }
                var array = new string[identifiers.Count];
                identifiers.CopyTo(array);
                found.Add(new Body(NameOf(declaration), array, usingOrForEach, innerAttribute));
            }
            return found;
        }
    }
}
