using System;
using System.Collections.Generic;
using System.Linq;
using AtomicContext.Analyzers.Flow;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// A call site keeps its node's full span and kind, not its span: its span is found again from them when it is
    /// reported, and its full span's start orders it among the body's sites as its span's start did.
    /// </summary>
    public class CallSiteSpanTests
    {
        private const string Tidy = """
            using K;
            using static K.Sched;
            class C
            {
                // A comment before the body.
                static int f(spinlock_t l, int x)
                {
                    /* before the call */ spin_lock(l);
                    #region calls
                    int n = g(x) + g(g(x)) /* after */ ;
                    #endregion
                    /// <summary>not a doc comment here</summary>
                    spin_unlock(l);
                    lock (l) { n += g(n); }
                    foreach (var i in new[] { 1, 2 }) n += i;
                    return n;
                }

                static int g(int x) => x;
            }
            """;

        // Mid-edit text: missing tokens, skipped tokens, an unterminated comment at the end.
        private const string Broken = """
            using K;
            class C
            {
                static int f(int x)
                {
                    int n = g(x
                    n += g(;
                    g(x)).h(
                    if (x > ) { g(1) }
                    return n @ ;
                }

                static int g(int x) => x /* unterminated
            """;

        private static string SourceNamed(string name) => name switch
        {
            "tidy" => Tidy,
            "broken" => Broken,
            _ => Kernel.Source,
        };

        [Theory]
        [InlineData("tidy")]
        [InlineData("broken")]
        [InlineData("kernel")]
        public void The_span_found_from_a_nodes_full_span_is_its_span(string name)
        {
            var tree = CSharpSyntaxTree.ParseText(SourceNamed(name), new CSharpParseOptions(LanguageVersion.Latest), path: "/src/File0.cs");
            int nodes = 0;
            foreach (var node in tree.GetRoot().DescendantNodesAndSelf(descendIntoTrivia: false))
            {
                Assert.Equal(node.Span, CallSite.SpanOf(tree, node.FullSpan, node.RawKind));
                nodes++;
            }

            Assert.True(nodes > 50, $"{nodes} nodes");
        }

        [Theory]
        [InlineData("tidy")]
        [InlineData("broken")]
        [InlineData("kernel")]
        public void Nodes_ordered_by_their_full_spans_start_are_ordered_as_by_their_spans_start(string name)
        {
            var tree = CSharpSyntaxTree.ParseText(SourceNamed(name), new CSharpParseOptions(LanguageVersion.Latest), path: "/src/File0.cs");
            var nodes = tree.GetRoot().DescendantNodes().Where(n => n is ExpressionSyntax || n is StatementSyntax).ToList();
            foreach (var a in nodes)
            {
                foreach (var b in nodes)
                {
                    Assert.Equal(Math.Sign(a.SpanStart.CompareTo(b.SpanStart)), Math.Sign(a.FullSpan.Start.CompareTo(b.FullSpan.Start)));
                }
            }
        }

        [Fact]
        public void A_walked_bodys_sites_are_reported_at_their_nodes_spans_in_source_order()
        {
            var compilation = Compiler.Create(new[] { Tidy });
            var store = new SummaryStore(compilation, new Facts.FactsResolver(Facts.FactsFiles.Empty));
            var facts = Compiler.WalkMethod(store, "f");

            var tree = compilation.SyntaxTrees.First();
            var invocations = new HashSet<Microsoft.CodeAnalysis.Text.TextSpan>(tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Select(i => i.Span));
            var plain = facts.Calls.Where(c => c.Kind == CallKind.Invocation).ToList();
            Assert.Equal(6, plain.Count);
            Assert.All(plain, c => Assert.Contains(c.Location.SourceSpan, invocations));
            Assert.All(plain, c => Assert.Equal(tree, c.Location.SourceTree));
            // The lock and foreach sites keep their own locations: from their keyword on.
            var own = facts.Calls.Where(c => c.Kind == CallKind.Lock || c.Kind == CallKind.ForEach).ToList();
            Assert.NotEmpty(own);
            Assert.All(own, c => Assert.StartsWith(c.Kind == CallKind.Lock ? "lock" : "foreach", tree.GetText().ToString(c.Location.SourceSpan), StringComparison.Ordinal));
            var starts = facts.Calls.Select(c => c.Location.SourceSpan.Start).ToList();
            Assert.Equal(starts.OrderBy(s => s), starts);
        }
    }
}
