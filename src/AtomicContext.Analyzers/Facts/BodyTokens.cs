using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicContext.Analyzers.Facts
{
    /// <summary>
    /// What a code block's tokens hold, read once per block and kept beside its tree (syntax only, so shared by every
    /// compilation that contains the tree): the identifiers it writes, whether it has a <c>using</c> or <c>foreach</c>,
    /// whether an attribute list stands inside it, and the name its member is called by. <see cref="RegionFilter"/>
    /// asks whether a block may report, <see cref="CalleeNames"/> what a region may reach: one token pass serves both.
    /// </summary>
    internal sealed class BodyTokens
    {
        private BodyTokens(string? name, string[] identifiers, bool usingOrForEach, bool innerAttribute)
        {
            Name = name;
            Identifiers = identifiers;
            UsingOrForEach = usingOrForEach;
            InnerAttribute = innerAttribute;
        }

        /// <summary>The name the block's member is called by; null when it can run without being named.</summary>
        public string? Name { get; }

        /// <summary>The distinct identifiers among the block's tokens.</summary>
        public string[] Identifiers { get; }

        public bool UsingOrForEach { get; }

        /// <summary>An attribute list inside the block, not the member's own (a local function or lambda may be [NoMigrate]).</summary>
        public bool InnerAttribute { get; }

        // Keyed by the code block's span (the block the driver hands a code block action).
        private static readonly ConditionalWeakTable<SyntaxTree, Dictionary<TextSpanKey, BodyTokens>> ByTree =
            new ConditionalWeakTable<SyntaxTree, Dictionary<TextSpanKey, BodyTokens>>();

        private readonly struct TextSpanKey : IEquatable<TextSpanKey>
        {
            private readonly int _start;
            private readonly int _length;

            public TextSpanKey(SyntaxNode node)
            {
                _start = node.SpanStart;
                _length = node.Span.Length;
            }

            public bool Equals(TextSpanKey other) => _start == other._start && _length == other._length;
            public override bool Equals(object? obj) => obj is TextSpanKey k && Equals(k);
            public override int GetHashCode() => _start * 31 + _length;
        }

        /// <summary>The code blocks of a tree that have a member body, in source order.</summary>
        public static IEnumerable<BodyTokens> OfTree(SyntaxTree tree) => Index(tree).Values;

        /// <summary>A code block's tokens: from its tree's index when the block is a member body, else read now.</summary>
        public static BodyTokens Of(SyntaxNode codeBlock) =>
            Index(codeBlock.SyntaxTree).TryGetValue(new TextSpanKey(codeBlock), out var known) ? known : Read(codeBlock, new HashSet<string>(StringComparer.Ordinal));

        private static Dictionary<TextSpanKey, BodyTokens> Index(SyntaxTree tree) => ByTree.GetValue(tree, Build);

        private static Dictionary<TextSpanKey, BodyTokens> Build(SyntaxTree tree)
        {
            var index = new Dictionary<TextSpanKey, BodyTokens>();
            var scratch = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in tree.GetRoot().DescendantNodes(n => !(n is BlockSyntax) && !(n is ArrowExpressionClauseSyntax) && !(n is ExpressionSyntax)))
            {
                // The code block the driver hands the action: the declaration; for an arrow property, its arrow clause.
                SyntaxNode? codeBlock = node switch
                {
                    BaseMethodDeclarationSyntax m when m.Body != null || m.ExpressionBody != null => m,
                    AccessorDeclarationSyntax a when a.Body != null || a.ExpressionBody != null => a,
                    PropertyDeclarationSyntax p => p.ExpressionBody,
                    _ => null,
                };
                if (codeBlock is null) continue;
                var key = new TextSpanKey(codeBlock);
                if (!index.ContainsKey(key)) index.Add(key, Read(codeBlock, scratch));
            }
            return index;
        }

        private static BodyTokens Read(SyntaxNode codeBlock, HashSet<string> scratch)
        {
            scratch.Clear();
            bool usingOrForEach = false, innerAttribute = false;
            foreach (var token in codeBlock.DescendantTokens())
            {
                switch ((SyntaxKind)token.RawKind)
                {
                    case SyntaxKind.IdentifierToken:
                        scratch.Add(token.ValueText);
                        break;
                    case SyntaxKind.UsingKeyword:
                    case SyntaxKind.ForEachKeyword:
                        usingOrForEach = true;
                        break;
                    case SyntaxKind.OpenBracketToken:
                        if (token.Parent is AttributeListSyntax list && list.Parent != codeBlock) innerAttribute = true;
                        break;
                }
            }
            var identifiers = new string[scratch.Count];
            scratch.CopyTo(identifiers);
            return new BodyTokens(NameOf(codeBlock), identifiers, usingOrForEach, innerAttribute);
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
    }
}
