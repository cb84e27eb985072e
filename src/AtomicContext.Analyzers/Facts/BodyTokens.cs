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
        private BodyTokens(string? name, string[] identifiers, List<int> words, bool usingOrForEach, bool innerAttribute)
        {
            Name = name;
            Identifiers = identifiers;
            if (identifiers.Length <= MaxByteIdentifiers)
            {
                var bytes = new byte[words.Count];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)words[i];
                _byteWords = bytes;
            }
            else
            {
                _intWords = words.ToArray();
            }
            UsingOrForEach = usingOrForEach;
            InnerAttribute = innerAttribute;
        }

        /// <summary>The name the block's member is called by; null when it can run without being named.</summary>
        public string? Name { get; }

        /// <summary>The distinct identifiers among the block's tokens, in the order they first appear.</summary>
        public string[] Identifiers { get; }

        // The words (WordAt), a byte each where the block has at most MaxByteIdentifiers distinct identifiers (all but
        // the largest bodies; the markers -1..-3 are then 255..253), else an int each: the tables stay beside the
        // trees, and most bodies write a few dozen words.
        private const int MaxByteIdentifiers = 253;
        private readonly byte[]? _byteWords;
        private readonly int[]? _intWords;

        /// <summary>How many words <see cref="WordAt"/> reads.</summary>
        public int WordCount => _byteWords?.Length ?? _intWords!.Length;

        /// <summary>
        /// Every identifier the block writes, in order (indexes into <see cref="Identifiers"/>), with its braces and
        /// <c>finally</c> keywords (<see cref="OpenBrace"/>, <see cref="CloseBrace"/>, <see cref="Finally"/>): enough
        /// to tell, from text, which calls stand inside a region the block takes.
        /// </summary>
        public int WordAt(int index)
        {
            if (_byteWords is null) return _intWords![index];
            int b = _byteWords[index];
            return b >= MaxByteIdentifiers ? b - 256 : b;
        }

        public const int OpenBrace = -1;
        public const int CloseBrace = -2;
        public const int Finally = -3;

        public bool UsingOrForEach { get; }

        /// <summary>An attribute list inside the block, not the member's own (a local function or lambda may be [NoMigrate]).</summary>
        public bool InnerAttribute { get; }

        // Keyed by the code block's span (the block the driver would hand a code block action: AtomicContextAnalyzer.CodeBlockOf).
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
        public static IReadOnlyCollection<BodyTokens> OfTree(SyntaxTree tree) => Index(tree).Values;

        /// <summary>A code block's tokens: from its tree's index when the block is a member body, else read now.</summary>
        public static BodyTokens Of(SyntaxNode codeBlock) =>
            Index(codeBlock.SyntaxTree).TryGetValue(new TextSpanKey(codeBlock), out var known) ? known : ReadTokens(codeBlock);

        private static Dictionary<TextSpanKey, BodyTokens> Index(SyntaxTree tree) => ByTree.GetValue(tree, Build);

        /// <summary>
        /// The tokens of the member body that holds <paramref name="node"/>, if its tree's index is made already
        /// (nothing is read or indexed here); null otherwise.
        /// </summary>
        public static BodyTokens? OfIndexedMember(SyntaxNode node)
        {
            if (!ByTree.TryGetValue(node.SyntaxTree, out var index)) return null;
            for (var n = node; n != null; n = n.Parent)
            {
                if (n is MemberDeclarationSyntax || n is AccessorDeclarationSyntax || n is ArrowExpressionClauseSyntax)
                {
                    if (index.TryGetValue(new TextSpanKey(n), out var found)) return found;
                    if (n is MemberDeclarationSyntax) return null;
                }
            }
            return null;
        }

        /// <summary>How many times the block's text spells <paramref name="word"/> as a word (never fewer than its identifier tokens), counted up to <paramref name="atMost"/> + 1.</summary>
        public int CountWord(string word, int atMost)
        {
            int id = Array.IndexOf(Identifiers, word);
            if (id < 0) return 0;
            int n = 0;
            for (int i = 0, count = WordCount; i < count; i++)
            {
                if (WordAt(i) == id && ++n > atMost) break;
            }
            return n;
        }

        private static Dictionary<TextSpanKey, BodyTokens> Build(SyntaxTree tree)
        {
            // The bodies are listed first, then indexed at their number: the index stays beside the tree (an
            // estimate from the text's length was 2-3x too large on kernel-like code, and growing it costs copies).
            var found = t_found ?? new List<KeyValuePair<TextSpanKey, BodyTokens>>();
            t_found = null;
            Dictionary<string, int>? scratch = null;
            // One scanner per thread, its tables kept from tree to tree (cleared, not made again).
            var scanner = t_scanner ?? new TextScanner();
            t_scanner = null;
            scanner.Start(tree);
            // Only into what can hold members (not into parameters, attributes, types or bodies): a member body's
            // declaration is a child of a type, an accessor a child of its list.
            foreach (var node in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax
                || n is TypeDeclarationSyntax || n is BasePropertyDeclarationSyntax || n is AccessorListSyntax))
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
                found.Add(new KeyValuePair<TextSpanKey, BodyTokens>(new TextSpanKey(codeBlock),
                    scanner.Scan(codeBlock) ?? Read(codeBlock, scratch ??= new Dictionary<string, int>(StringComparer.Ordinal))));
            }
            scanner.Start(null);
            if (scanner.Small) t_scanner = scanner; // a huge tree's tables are not kept for the thread
            var index = new Dictionary<TextSpanKey, BodyTokens>(found.Count);
            foreach (var pair in found)
            {
                // Two blocks of one span (only in broken code): the first is kept, as the walk met it.
                if (!index.ContainsKey(pair.Key)) index.Add(pair.Key, pair.Value);
            }
            found.Clear();
            if (found.Capacity <= 1 << 14) t_found = found;
            return index;
        }

        /// <summary>The same, read from the block's tokens (the reference the text scan must cover).</summary>
        internal static BodyTokens ReadTokens(SyntaxNode codeBlock) => Read(codeBlock, new Dictionary<string, int>(StringComparer.Ordinal));

        /// <summary>The same, from the block's text (null where the text scan cannot stand in for the tokens).</summary>
        internal static BodyTokens? ScanText(SyntaxNode codeBlock)
        {
            var scanner = new TextScanner();
            scanner.Start(codeBlock.SyntaxTree);
            return scanner.Scan(codeBlock);
        }

        [ThreadStatic] private static TextScanner? t_scanner;
        [ThreadStatic] private static List<KeyValuePair<TextSpanKey, BodyTokens>>? t_found;

        private static BodyTokens Read(SyntaxNode codeBlock, Dictionary<string, int> scratch)
        {
            scratch.Clear();
            var identifiers = new List<string>();
            var words = new List<int>();
            bool usingOrForEach = false, innerAttribute = false;
            foreach (var token in codeBlock.DescendantTokens())
            {
                switch ((SyntaxKind)token.RawKind)
                {
                    case SyntaxKind.IdentifierToken:
                        var text = token.ValueText;
                        if (!scratch.TryGetValue(text, out int known))
                        {
                            known = identifiers.Count;
                            scratch.Add(text, known);
                            identifiers.Add(text);
                        }
                        words.Add(known);
                        break;
                    case SyntaxKind.UsingKeyword:
                    case SyntaxKind.ForEachKeyword:
                        usingOrForEach = true;
                        break;
                    case SyntaxKind.OpenBraceToken:
                        words.Add(OpenBrace);
                        break;
                    case SyntaxKind.CloseBraceToken:
                        words.Add(CloseBrace);
                        break;
                    case SyntaxKind.FinallyKeyword:
                        words.Add(Finally);
                        break;
                    case SyntaxKind.OpenBracketToken:
                        if (token.Parent is AttributeListSyntax list && list.Parent != codeBlock) innerAttribute = true;
                        break;
                }
            }
            return new BodyTokens(NameOf(codeBlock), identifiers.ToArray(), words, usingOrForEach, innerAttribute);
        }

        /// <summary>
        /// Reads a block from its source text instead of its tokens (~2.5× faster at 1x; no node is visited but
        /// the path to each '['), and never with less than the tokens hold: every word of the text counts as an
        /// identifier (words in comments, strings and disabled code too; reserved keywords only where an '@' makes
        /// them one), <c>using</c> and <c>foreach</c> are found as words, and each '[' is checked against the tree
        /// for an attribute list. Where the text could spell an identifier the words miss (a letter, mark or
        /// formatting character outside ASCII, a <c>\u</c> escape), it gives up and the tokens are read.
        /// </summary>
        private sealed class TextScanner
        {
            private SyntaxTree? _tree;
            private Microsoft.CodeAnalysis.Text.SourceText? _text;
            private char[] _buffer = new char[256];

            // Words interned per tree: each distinct word is one string and one id.
            private string?[] _words = new string?[512];
            private int[] _hashes = new int[512];
            private int[] _ids = new int[512];
            private readonly List<string> _byId = new List<string>();
            private readonly List<bool> _reserved = new List<bool>();
            private int[] _stamp = new int[64];
            private int[] _foundAt = new int[64];
            private int _block;
            private readonly List<string> _found = new List<string>();
            private readonly List<int> _sequence = new List<int>();

            public bool Small => _words.Length <= 1 << 14 && _buffer.Length <= 1 << 16;

            /// <summary>
            /// Begins a tree (null: ends one). The words met so far are kept, one string each, for the trees that follow
            /// (most words recur from file to file); past <see cref="KeptWords"/> they are forgotten, the tables kept.
            /// </summary>
            public void Start(SyntaxTree? tree)
            {
                _tree = tree;
                _text = null;
                if (_byId.Count > KeptWords || _block == int.MaxValue)
                {
                    Array.Clear(_words, 0, _words.Length);
                    Array.Clear(_stamp, 0, Math.Min(_stamp.Length, _byId.Count));
                    _byId.Clear();
                    _reserved.Clear();
                    _block = 0;
                }
                _found.Clear();
                _sequence.Clear();
            }

            // Under half the slots of a table that stays Small.
            private const int KeptWords = 1 << 12;

            // MethodImplOptions.AggressiveOptimization (512, not in netstandard2.0's enum): a char loop gains nothing
            // from tiering, and at tier 0 it ran several times slower through the first compilations.
            [MethodImpl((MethodImplOptions)512)]
            public BodyTokens? Scan(SyntaxNode codeBlock)
            {
                _text ??= _tree!.GetText();
                var span = codeBlock.Span;
                if (span.End > _text.Length) return null;
                if (_buffer.Length < span.Length) _buffer = new char[Math.Max(span.Length, _buffer.Length * 2)];
                _text.CopyTo(span.Start, _buffer, 0, span.Length);
                // The member's own attribute lists are not "inside" it: '[' is looked at only after them.
                int ownAttributesEnd = OwnAttributesEnd(codeBlock) - span.Start;

                _block++;
                _found.Clear();
                _sequence.Clear();
                bool usingOrForEach = false, innerAttribute = false;
                // Where the last word ends, which it is, and whether it is a keyword (0), an identifier (1) or a
                // verbatim identifier (2).
                int wordEnd = -1, wordId = 0, wordKind = 0;
                var chars = _buffer;
                int n = span.Length;
                for (int i = 0; i < n; i++)
                {
                    char c = chars[i];
                    if (c >= 0x80)
                    {
                        if (MayBeInIdentifier(c)) return null;
                        continue;
                    }
                    if (c == '\\' && i + 1 < n && (chars[i + 1] == 'u' || chars[i + 1] == 'U')) return null;
                    if (IsWordStart(c))
                    {
                        int start = i;
                        while (i + 1 < n && IsWordPart(chars[i + 1])) i++;
                        int length = i - start + 1;
                        int id = Intern(chars, start, length);
                        bool verbatim = start > 0 && chars[start - 1] == '@';
                        wordEnd = i + 1;
                        wordId = id;
                        wordKind = _reserved[id] && !verbatim ? 0 : verbatim ? 2 : 1;
                        if (wordKind == 0)
                        {
                            if (length == 5 || length == 7)
                            {
                                var keyword = _byId[id];
                                if (keyword == "using" || keyword == "foreach") usingOrForEach = true;
                                else if (keyword == "finally") _sequence.Add(Finally);
                            }
                            continue;
                        }
                        if (id >= _stamp.Length)
                        {
                            Array.Resize(ref _stamp, Math.Max(id + 1, _stamp.Length * 2));
                            Array.Resize(ref _foundAt, _stamp.Length);
                        }
                        if (_stamp[id] != _block)
                        {
                            _stamp[id] = _block;
                            _foundAt[id] = _found.Count;
                            _found.Add(_byId[id]);
                        }
                        _sequence.Add(_foundAt[id]);
                    }
                    else if (c == '{')
                    {
                        _sequence.Add(OpenBrace);
                    }
                    else if (c == '}')
                    {
                        _sequence.Add(CloseBrace);
                    }
                    else if (c == '[' && !innerAttribute && i >= ownAttributesEnd
                        && !(i > 0 && (chars[i - 1] == ')' || chars[i - 1] == ']'))
                        && !(i == wordEnd && IndexesOrTypes(_byId[wordId], wordKind)))
                    {
                        // FindToken only where an attribute list can begin: not right after an identifier (but for a
                        // contextual keyword an expression, so an attributed lambda, may follow), a predefined type,
                        // 'this' or 'base', a ')' or a ']' (an element access or an array type; a second list after a
                        // first is not looked for).
                        var token = codeBlock.FindToken(span.Start + i);
                        if (token.SpanStart == span.Start + i && token.IsKind(SyntaxKind.OpenBracketToken)
                            && token.Parent is AttributeListSyntax list && list.Parent != codeBlock)
                            innerAttribute = true;
                    }
                }
                return new BodyTokens(NameOf(codeBlock), _found.ToArray(), _sequence, usingOrForEach, innerAttribute);
            }

            /// <summary>Whether a '[' right after this word is an element access or an array type, never an attribute list.</summary>
            private static bool IndexesOrTypes(string word, int kind) => kind == 2 || (kind == 1 ? !MayPrecedeExpression(word) : IsIndexableKeyword(word));

            private static bool IsIndexableKeyword(string word)
            {
                switch (word)
                {
                    case "bool":
                    case "byte":
                    case "char":
                    case "decimal":
                    case "double":
                    case "float":
                    case "int":
                    case "long":
                    case "object":
                    case "sbyte":
                    case "short":
                    case "string":
                    case "uint":
                    case "ulong":
                    case "ushort":
                    case "this":
                    case "base":
                        return true;
                    default:
                        return false;
                }
            }

            /// <summary>Contextual keywords an expression (so an attributed lambda) may follow.</summary>
            private static bool MayPrecedeExpression(string word)
            {
                switch (word)
                {
                    case "await":
                    case "select":
                    case "where":
                    case "let":
                    case "orderby":
                    case "on":
                    case "equals":
                    case "by":
                    case "group":
                    case "when":
                    case "and":
                    case "or":
                    case "not":
                    case "ascending":
                    case "descending":
                    case "yield":
                    case "var":
                        return true;
                    default:
                        return false;
                }
            }

            private static int OwnAttributesEnd(SyntaxNode codeBlock)
            {
                var lists = codeBlock switch
                {
                    MemberDeclarationSyntax member => member.AttributeLists,
                    AccessorDeclarationSyntax accessor => accessor.AttributeLists,
                    _ => default,
                };
                return lists.Count > 0 ? lists[lists.Count - 1].Span.End : codeBlock.SpanStart;
            }

            /// <summary>A character outside ASCII that can be part of an identifier (letters, digits, marks, connectors, formatting).</summary>
            private static bool MayBeInIdentifier(char c)
            {
                if (char.IsSurrogate(c) || char.IsLetterOrDigit(c)) return true;
                switch (char.GetUnicodeCategory(c))
                {
                    case System.Globalization.UnicodeCategory.NonSpacingMark:
                    case System.Globalization.UnicodeCategory.SpacingCombiningMark:
                    case System.Globalization.UnicodeCategory.ConnectorPunctuation:
                    case System.Globalization.UnicodeCategory.Format:
                    case System.Globalization.UnicodeCategory.LetterNumber:
                        return true;
                    default:
                        return false;
                }
            }

            private static bool IsWordStart(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || c == '_';

            private static bool IsWordPart(char c) => IsWordStart(c) || (uint)(c - '0') <= 9;

            [MethodImpl((MethodImplOptions)512)]
            private int Intern(char[] chars, int start, int length)
            {
                int hash = unchecked((int)2166136261);
                for (int k = 0; k < length; k++) hash = unchecked((hash ^ chars[start + k]) * 16777619);
                int mask = _words.Length - 1;
                for (int slot = hash & mask; ; slot = (slot + 1) & mask)
                {
                    var word = _words[slot];
                    if (word is null)
                    {
                        word = new string(chars, start, length);
                        _words[slot] = word;
                        _hashes[slot] = hash;
                        int id = _byId.Count;
                        _ids[slot] = id;
                        _byId.Add(word);
                        _reserved.Add(SyntaxFacts.GetKeywordKind(word) != SyntaxKind.None);
                        if (_byId.Count * 2 > _words.Length) Grow();
                        return id;
                    }
                    if (_hashes[slot] == hash && Same(word, chars, start, length)) return _ids[slot];
                }
            }

            private static bool Same(string word, char[] chars, int start, int length)
            {
                if (word.Length != length) return false;
                for (int k = 0; k < length; k++)
                {
                    if (word[k] != chars[start + k]) return false;
                }
                return true;
            }

            private void Grow()
            {
                var words = _words;
                var hashes = _hashes;
                var ids = _ids;
                _words = new string?[words.Length * 2];
                _hashes = new int[words.Length * 2];
                _ids = new int[words.Length * 2];
                int mask = _words.Length - 1;
                for (int k = 0; k < words.Length; k++)
                {
                    if (words[k] is null) continue;
                    int slot = hashes[k] & mask;
                    while (_words[slot] != null) slot = (slot + 1) & mask;
                    _words[slot] = words[k];
                    _hashes[slot] = hashes[k];
                    _ids[slot] = ids[k];
                }
            }
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
