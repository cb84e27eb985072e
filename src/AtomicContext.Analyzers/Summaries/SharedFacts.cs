using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using AtomicContext.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicContext.Analyzers.Summaries
{
    /// <summary>
    /// Body facts reused across compilations (an IDE makes a new compilation at every keystroke).
    /// <para>
    /// What is reused: the facts of one body (its calls with the region depths that reach them, its exits,
    /// awaits and per-CPU uses), computed by binding that body. They are kept beside the body's own
    /// <see cref="SyntaxTree"/> (weakly: they die with the tree) and carry no symbol, so no compilation is
    /// kept alive.
    /// </para>
    /// <para>
    /// Why it stays correct: a body's binding depends only on the body itself and on the declarations it
    /// can see (every tree's types, members, signatures, attributes, constants; the references; the
    /// options; the analyzer's additional files), never on other bodies. Facts are reused only for the
    /// same tree object (same text) under the same <em>environment print</em> — a hash of all of that,
    /// with every method, accessor and lambda body left out. An edit inside a body changes one tree: the
    /// facts of that tree's bodies are recomputed, every other tree's are reused. An edit to any
    /// declaration changes the print: nothing is reused. Summaries are never reused; they are recomputed
    /// from the facts in every compilation, which costs no binding.
    /// </para>
    /// </summary>
    internal static class SharedFacts
    {
        private sealed class TreeCache
        {
            public TreeCache(ulong environment, object maker)
            {
                Environment = environment;
                Maker = maker;
            }

            public ulong Environment { get; }

            /// <summary>
            /// The token of the compilation's store that made this cache (a bare object: it keeps no compilation
            /// alive). That compilation has nothing to find in it: each body it keeps here is in its own entries
            /// too (a thread that misses one in the instant between the two walks it again, as without the
            /// cache). So its reads skip it: no lock, no fold of the pending writes, and the map is folded, at
            /// its full size, only when a later compilation reads it.
            /// </summary>
            public object Maker { get; }
            public PushMap<BodyFacts> Bodies { get; } = new PushMap<BodyFacts>();
        }

        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<TreeCache?>> Caches = new ConditionalWeakTable<SyntaxTree, StrongBox<TreeCache?>>();
        private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<ulong>> TreePrints = new ConditionalWeakTable<SyntaxTree, StrongBox<ulong>>();

        /// <summary>
        /// The file each method's body was last seen in, per environment print (the few latest): a method
        /// whose tree is unchanged is found without resolving its symbol. It holds paths, no tree: the
        /// current compilation's tree of that path is looked up, and its kept facts are used only if that
        /// very tree object holds them.
        /// </summary>
        private sealed class KeyIndex
        {
            public KeyIndex(ulong environment) => Environment = environment;

            public ulong Environment { get; }
            public PushMap<string> Paths { get; } = new PushMap<string>();
        }

        private const int IndexesKept = 4;
        private static readonly KeyIndex?[] Indexes = new KeyIndex?[IndexesKept];
        private static int _nextIndex;

        private static KeyIndex? _lastIndex;

        private static KeyIndex? IndexFor(ulong environment, bool create)
        {
            // Every body of a compilation asks for the same index: answered without the lock.
            var last = Volatile.Read(ref _lastIndex);
            if (last != null && last.Environment == environment) return last;
            var found = FindOrCreateIndex(environment, create);
            if (found != null) Volatile.Write(ref _lastIndex, found);
            return found;
        }

        private static KeyIndex? FindOrCreateIndex(ulong environment, bool create)
        {
            lock (Indexes)
            {
                foreach (var index in Indexes)
                {
                    if (index != null && index.Environment == environment) return index;
                }
                if (!create) return null;
                var fresh = new KeyIndex(environment);
                Indexes[_nextIndex] = fresh;
                _nextIndex = (_nextIndex + 1) % IndexesKept;
                return fresh;
            }
        }

        /// <summary>The path of the file that held the body of <paramref name="key"/> under this environment.</summary>
        public static string? PathOf(ulong environment, string key)
        {
            var index = IndexFor(environment, create: false);
            return index != null && index.Paths.TryGetValue(key, out var path) ? path : null;
        }

        /// <summary>Test hook: how many of the tree's kept writes no read has folded yet (-1: nothing kept).</summary>
        internal static int PendingWrites(SyntaxTree tree) =>
            Caches.TryGetValue(tree, out var box) && Volatile.Read(ref box.Value) is { } cache ? cache.Bodies.Pending : -1;

        /// <summary>Whether any facts are kept for the tree (in whatever environment): asked before the environment is made.</summary>
        public static bool HasFacts(SyntaxTree tree) => Caches.TryGetValue(tree, out var box) && Volatile.Read(ref box.Value) != null;

        /// <summary>Whether facts were ever kept (an index exists): asked before the environment is made.</summary>
        public static bool AnyKept => Volatile.Read(ref _lastIndex) != null;

        /// <param name="reader">The reading store's token: a cache it made itself is not read (<see cref="TreeCache.Maker"/>).</param>
        public static BodyFacts? Get(SyntaxTree tree, ulong environment, string key, object reader)
        {
            if (!Caches.TryGetValue(tree, out var box)) return null;
            var cache = Volatile.Read(ref box.Value);
            if (cache is null || cache.Environment != environment || ReferenceEquals(cache.Maker, reader)) return null;
            return cache.Bodies.TryGetValue(key, out var facts) ? facts : null;
        }

        /// <param name="maker">The writing store's token, recorded if this write makes the tree's cache.</param>
        public static void Put(SyntaxTree tree, ulong environment, string key, BodyFacts facts, object maker)
        {
            if (facts.Failed) return;
            var box = Caches.GetValue(tree, _ => new StrongBox<TreeCache?>());
            var cache = Volatile.Read(ref box.Value);
            if (cache is null || cache.Environment != environment)
            {
                var fresh = new TreeCache(environment, maker);
                var seen = Interlocked.CompareExchange(ref box.Value, fresh, cache);
                cache = ReferenceEquals(seen, cache) ? fresh : seen;
                if (cache is null || cache.Environment != environment) return;
            }
            cache.Bodies.Set(key, facts);
            IndexFor(environment, create: true)!.Paths.Set(key, tree.FilePath);
        }

        /// <summary>The environment print of a compilation: every tree's declarations, the references, the options, the facts files.</summary>
        public static ulong Environment(Compilation compilation, ulong factsFilesPrint, CancellationToken ct)
        {
            ulong h = Fnv.Offset;
            // The options that change binding, one by one: CompilationOptions.GetHashCode is not usable
            // (the command-line compiler's metadata resolver throws from its GetHashCode).
            var options = compilation.Options;
            h = Fnv.Mix(h, (ulong)options.OutputKind);
            h = Fnv.Mix(h, (ulong)options.Platform);
            h = Fnv.Mix(h, options.CheckOverflow ? 1UL : 0UL);
            h = Fnv.Mix(h, (ulong)options.NullableContextOptions);
            h = Fnv.Mix(h, Fnv.Text(compilation.AssemblyName));
            if (options is Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions csharp)
            {
                h = Fnv.Mix(h, csharp.AllowUnsafe ? 1UL : 0UL);
                foreach (var u in csharp.Usings) h = Fnv.Mix(h, Fnv.Text(u));
            }
            h = Fnv.Mix(h, factsFilesPrint);
            foreach (var reference in compilation.References)
            {
                h = Fnv.Mix(h, (ulong)RuntimeHelpers.GetHashCode(reference));
                h = Fnv.Mix(h, Fnv.Text(reference.Display));
            }
            foreach (var tree in compilation.SyntaxTrees)
            {
                h = Fnv.Mix(h, Fnv.Text(tree.FilePath));
                if (tree.Options is Microsoft.CodeAnalysis.CSharp.CSharpParseOptions parse)
                {
                    h = Fnv.Mix(h, (ulong)parse.LanguageVersion);
                    h = Fnv.Mix(h, (ulong)parse.Kind);
                    // The print reads text: which of it is active depends on the symbols defined (a directive
                    // inside a declaration is hashed as text, whichever branch it keeps).
                    foreach (var symbol in parse.PreprocessorSymbolNames) h = Fnv.Mix(h, Fnv.Text(symbol));
                }
                h = Fnv.Mix(h, TreePrint(tree, ct));
            }
            return h;
        }

        /// <summary>
        /// A hash of a tree's declarations (cached per tree): the source text of the tree with every body cut out
        /// (a mark of the body's kind stands in for it: whether a member has one is a declaration fact) and the
        /// trivia around each member, using and namespace or type declaration left out (the comments, blank lines
        /// and disabled text between them). What is hashed is the text itself, so equal prints mean equal active
        /// tokens outside bodies; trivia inside a declaration (a comment between two parameters) is hashed too,
        /// which can only cost reuse. An edit inside a body, or to a doc comment or blank line between members,
        /// leaves the print as it was. Read from the text, not the tokens: ~3× cheaper (perf at 1x, 16 → 5 ms).
        /// </summary>
        public static ulong TreePrint(SyntaxTree tree, CancellationToken ct)
        {
            if (TreePrints.TryGetValue(tree, out var known)) return known.Value;
            var root = tree.GetRoot(ct);
            // The thread's scratch list and buffer (a tree's cuts are done with when its print is).
            var cuts = t_cuts ?? new List<Cut>();
            t_cuts = null;
            cuts.Clear();
            CutsOf(root, cuts);
            var text = tree.GetText(ct);
            var buffer = t_buffer ??= new char[4096];
            ulong h = Fnv.Offset;
            int at = 0;
            foreach (var cut in cuts)
            {
                // Cuts come in source order; one that does not (a parser's recovery in broken code) is not made:
                // its text was hashed already, which can only cost reuse.
                if (cut.Start < at) continue;
                h = HashText(h, text, at, cut.Start, buffer);
                h = Fnv.Mix(h, cut.Mark);
                at = cut.End;
            }
            h = HashText(h, text, at, text.Length, buffer);
            cuts.Clear();
            if (cuts.Capacity <= 1 << 16) t_cuts = cuts;
            return TreePrints.GetValue(tree, _ => new StrongBox<ulong>(h)).Value;
        }

        [ThreadStatic] private static List<Cut>? t_cuts;
        [ThreadStatic] private static char[]? t_buffer;

        /// <summary>A span left out of the print, in source order, with what stands in for it.</summary>
        private readonly struct Cut
        {
            public Cut(int start, int end, ulong mark)
            {
                Start = start;
                End = end;
                Mark = mark;
            }

            public int Start { get; }
            public int End { get; }
            public ulong Mark { get; }
        }

        private const ulong TriviaMark = 0x7F4A7C159E3779B9UL;
        private const ulong BodyMark = 0x9E3779B97F4A7C15UL;

        private static void CutsOf(SyntaxNode container, List<Cut> cuts)
        {
            switch (container)
            {
                case CompilationUnitSyntax unit:
                    foreach (var e in unit.Externs) Member(e, cuts);
                    foreach (var u in unit.Usings) Member(u, cuts);
                    foreach (var a in unit.AttributeLists) Member(a, cuts);
                    foreach (var m in unit.Members) Member(m, cuts);
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    foreach (var e in ns.Externs) Member(e, cuts);
                    foreach (var u in ns.Usings) Member(u, cuts);
                    foreach (var m in ns.Members) Member(m, cuts);
                    break;
                case TypeDeclarationSyntax type:
                    foreach (var m in type.Members) Member(m, cuts);
                    break;
            }
        }

        /// <summary>A member-level node: its leading trivia, its bodies (or what it holds, for a container), its trailing trivia.</summary>
        private static void Member(SyntaxNode node, List<Cut> cuts)
        {
            var full = node.FullSpan;
            var span = node.Span;
            if (node is GlobalStatementSyntax)
            {
                // A top-level statement is a body as a whole.
                cuts.Add(new Cut(full.Start, full.End, BodyMark + (ulong)node.RawKind));
                return;
            }
            // Marked whether empty or not: trivia added where there was none (a first doc comment) keeps the print.
            cuts.Add(new Cut(full.Start, span.Start, TriviaMark));
            switch (node)
            {
                case BaseNamespaceDeclarationSyntax _:
                case TypeDeclarationSyntax _:
                    CutsOf(node, cuts);
                    break;
                case BaseMethodDeclarationSyntax method:
                    Body(method.Body, cuts);
                    Body(method.ExpressionBody, cuts);
                    break;
                case BasePropertyDeclarationSyntax property:
                    if (property.AccessorList != null)
                    {
                        foreach (var accessor in property.AccessorList.Accessors)
                        {
                            Body(accessor.Body, cuts);
                            Body(accessor.ExpressionBody, cuts);
                        }
                    }
                    if (property is PropertyDeclarationSyntax p) Body(p.ExpressionBody, cuts);
                    else if (property is IndexerDeclarationSyntax i) Body(i.ExpressionBody, cuts);
                    break;
            }
            cuts.Add(new Cut(span.End, full.End, TriviaMark));
        }

        private static void Body(SyntaxNode? body, List<Cut> cuts)
        {
            if (body is null) return;
            var span = body.Span;
            cuts.Add(new Cut(span.Start, span.End, BodyMark + (ulong)body.RawKind));
        }

        private static ulong HashText(ulong h, Microsoft.CodeAnalysis.Text.SourceText text, int start, int end, char[] buffer)
        {
            end = Math.Min(end, text.Length);
            while (start < end)
            {
                int n = Math.Min(buffer.Length, end - start);
                text.CopyTo(start, buffer, 0, n);
                for (int i = 0; i < n; i++) h = Fnv.Char(h, buffer[i]);
                start += n;
            }
            return h;
        }

        /// <summary>
        /// FNV-1a over 64 bits, a character at a time for text; a mixed value is taken whole (one multiply and a
        /// fold of the high half into the low, both invertible, so a step never maps two states to one).
        /// </summary>
        internal static class Fnv
        {
            public const ulong Offset = 14695981039346656037UL;
            private const ulong Prime = 1099511628211UL;

            public static ulong Mix(ulong h, ulong value)
            {
                h = (h ^ value) * Prime;
                return h ^ (h >> 32);
            }

            public static ulong Text(string? text)
            {
                ulong h = Offset;
                if (text is null) return h;
                foreach (char c in text) h = Char(h, c);
                return Mix(h, (ulong)text.Length);
            }

            /// <summary>One character's step (the text's length is not mixed: for runs of a longer text).</summary>
            public static ulong Char(ulong h, char c) => (h ^ c) * Prime;
        }
    }
}
