using System.Collections.Generic;
using System.IO;
using System.Linq;
using AtomicContext.Analyzers.Facts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// The region filter and the name closure read a block's text instead of its tokens: the text scan must never
    /// hold less than the tokens (a missed name would hide a body that reports), and must stand in for them on
    /// ordinary code (else it is no faster).
    /// </summary>
    public class BodyTokensTests
    {
        private const string Tricky = @"
using System;
using System.Collections.Generic;
using System.Linq;
class NoMigrateAttribute : Attribute { }
class C
{
    int[] pages = new int[4];
    static void @lock() { }
    [NoMigrate] static void Annotated() { }
    void Verbatim() { @lock(); var @class = 1; _ = @class; }
    void Indexing(int i) { pages[i] = pages[i + 1]; int[] copy = new int[] { 1 }; _ = copy?[0]; }
    void ArraysAndIndexers(int i) { string[] names = new string[1]; int[][] jagged = new int[1][]; _ = names[i][0] + jagged[0][i] + this[i] + (names)[0].Length; }
    int this[int i] => pages[i];
    void QueryLambda(List<int> xs) { var q = from x in xs select[NoMigrate] () => x; }
    void ReturnLambda() { Func<Action> f = () => { return[NoMigrate] () => Verbatim(); }; }
    void SecondList() { Action a = [Obsolete][NoMigrate] () => Verbatim(); }
    void CommentBracket() { // see [1] and [NoMigrate]
        /* [x] */ Verbatim(); }
    void LocalFunction() { [NoMigrate] void Inner() { Verbatim(); } Inner(); }
    void Lambda() { Action a = [NoMigrate] () => Verbatim(); a(); }
    void ParameterAttribute([NoMigrate] int x) { }
    void UsingAndForEach(IDisposable d, List<int> xs) { using (d) { } foreach (var x in xs) { } }
    void Strings() { var s = ""tab\there [NoMigrate] \u0041""; Console.WriteLine(s); }
    void Unicode() { int é = 1; _ = é; }
    void Escaped() { int \u0061b = 1; _ = ab; }
    void Arrows() { /* a → b */ Verbatim(); }
    int Property => pages[0];
    int Accessors { get { return pages[1]; } set { pages[1] = value; } }
    C() { Verbatim(); }
    static int operator +(C a, C b) => a.pages[0];
}";

        private static IEnumerable<SyntaxNode> CodeBlocks(SyntaxTree tree) =>
            tree.GetRoot().DescendantNodes().Where(n => n switch
            {
                BaseMethodDeclarationSyntax m => m.Body != null || m.ExpressionBody != null,
                AccessorDeclarationSyntax a => a.Body != null || a.ExpressionBody != null,
                ArrowExpressionClauseSyntax a => a.Parent is PropertyDeclarationSyntax,
                _ => false,
            });

        private static int[] Words(BodyTokens tokens) => Enumerable.Range(0, tokens.WordCount).Select(tokens.WordAt).ToArray();

        [Theory]
        [InlineData(3)]
        [InlineData(253)]
        [InlineData(254)]
        [InlineData(400)]
        public void Words_read_back_the_identifiers_braces_and_finally_in_order_however_many_identifiers_the_body_has(int distinct)
        {
            // Up to 253 distinct identifiers a word is kept in a byte (the markers at its top), beyond in an int.
            var declarations = string.Concat(Enumerable.Range(0, distinct - 1).Select(i => $"int v{i} = {i}; "));
            var text = "class C { void M() { " + declarations + "try { M(); } finally { } } }";
            var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest));
            var block = CodeBlocks(tree).Single();
            var expected = new List<string>();
            foreach (var token in block.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken)) expected.Add(token.ValueText);
                else if (token.IsKind(SyntaxKind.OpenBraceToken)) expected.Add("{");
                else if (token.IsKind(SyntaxKind.CloseBraceToken)) expected.Add("}");
                else if (token.IsKind(SyntaxKind.FinallyKeyword)) expected.Add("finally");
            }
            foreach (var tokens in new[] { BodyTokens.ReadTokens(block), BodyTokens.ScanText(block)! })
            {
                Assert.Equal(distinct, tokens.Identifiers.Length);
                var read = Words(tokens).Select(w => w switch
                {
                    BodyTokens.OpenBrace => "{",
                    BodyTokens.CloseBrace => "}",
                    BodyTokens.Finally => "finally",
                    _ => tokens.Identifiers[w],
                });
                Assert.Equal(expected, read);
                Assert.Equal(1, tokens.CountWord("v0", 5));
                Assert.Equal(2, tokens.CountWord("M", 5));
            }
        }

        private static void AssertCovers(SyntaxNode block, BodyTokens scanned)
        {
            var tokens = BodyTokens.ReadTokens(block);
            var missing = tokens.Identifiers.Except(scanned.Identifiers).ToList();
            Assert.True(missing.Count == 0, $"the scan of '{block.ToString().Split('\n')[0]}' misses {string.Join(", ", missing)}");
            Assert.True(scanned.UsingOrForEach || !tokens.UsingOrForEach, "using/foreach missed in " + block);
            Assert.True(scanned.InnerAttribute || !tokens.InnerAttribute, "inner attribute missed in " + block);
            Assert.Equal(tokens.Name, scanned.Name);
        }

        [Fact]
        public void The_scan_never_holds_less_than_the_tokens()
        {
            var tree = CSharpSyntaxTree.ParseText(Tricky, new CSharpParseOptions(LanguageVersion.Latest));
            int scanned = 0;
            foreach (var block in CodeBlocks(tree))
            {
                var result = BodyTokens.ScanText(block);
                if (result is null) continue;
                scanned++;
                AssertCovers(block, result);
            }
            Assert.True(scanned >= 15, $"only {scanned} blocks scanned");
        }

        [Fact]
        public void Words_kept_from_tree_to_tree_read_every_tree_as_a_fresh_scan_does()
        {
            // One thread's scanner keeps its words from tree to tree: the second tree, with the same words at other
            // places and words of its own, and a third with the first's text again must read as if scanned alone.
            var other = Tricky.Replace("Verbatim", "Verbose").Replace("pages", "frames").Replace("class C", "class D");
            foreach (var text in new[] { Tricky, other, Tricky })
            {
                var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest));
                int compared = 0;
                foreach (var block in CodeBlocks(tree))
                {
                    var fresh = BodyTokens.ScanText(block);
                    if (fresh is null) continue;
                    var kept = BodyTokens.Of(block);
                    Assert.NotNull(kept);
                    Assert.Equal(fresh.Identifiers, kept!.Identifiers);
                    Assert.Equal(Words(fresh), Words(kept));
                    Assert.Equal(fresh.InnerAttribute, kept.InnerAttribute);
                    Assert.Equal(fresh.UsingOrForEach, kept.UsingOrForEach);
                    compared++;
                }
                Assert.True(compared >= 15, $"only {compared} blocks compared");
            }
        }

        [Theory]
        [InlineData("LocalFunction", true)]
        [InlineData("Lambda", true)]
        [InlineData("ParameterAttribute", true)]
        [InlineData("Indexing", false)]
        [InlineData("ArraysAndIndexers", false)]
        [InlineData("QueryLambda", true)]
        [InlineData("ReturnLambda", true)]
        [InlineData("SecondList", true)]
        [InlineData("CommentBracket", false)]
        [InlineData("Annotated", false)]
        public void Attributes_inside_a_body_are_told_from_brackets(string method, bool inner)
        {
            var tree = CSharpSyntaxTree.ParseText(Tricky, new CSharpParseOptions(LanguageVersion.Latest));
            var block = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == method);
            var result = BodyTokens.ScanText(block);
            Assert.NotNull(result);
            Assert.Equal(inner, result!.InnerAttribute);
        }

        [Fact]
        public void Verbatim_keywords_count_as_identifiers_and_plain_keywords_do_not()
        {
            var tree = CSharpSyntaxTree.ParseText(Tricky, new CSharpParseOptions(LanguageVersion.Latest));
            var block = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Verbatim");
            var result = BodyTokens.ScanText(block)!;
            Assert.Contains("lock", result.Identifiers);
            Assert.Contains("class", result.Identifiers);
            Assert.DoesNotContain("void", result.Identifiers);
        }

        [Theory]
        [InlineData("Unicode")]
        [InlineData("Escaped")]
        public void Text_that_may_spell_an_identifier_otherwise_is_read_from_tokens(string method)
        {
            var tree = CSharpSyntaxTree.ParseText(Tricky, new CSharpParseOptions(LanguageVersion.Latest));
            var block = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == method);
            Assert.Null(BodyTokens.ScanText(block));
        }

        [Fact]
        public void Symbols_outside_ascii_in_comments_do_not_stop_the_scan()
        {
            var tree = CSharpSyntaxTree.ParseText(Tricky, new CSharpParseOptions(LanguageVersion.Latest));
            var block = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Arrows");
            Assert.NotNull(BodyTokens.ScanText(block));
        }

        /// <summary>Every body of the repository's own kernel ports: covered, and nearly all scanned.</summary>
        [Fact]
        public void The_kernel_ports_are_scanned_and_covered()
        {
            var root = Path.GetFullPath(Path.Combine(System.AppContext.BaseDirectory, "../../../../.."));
            var files = new[] { "src/AtomicContext.MmCore", "samples" }
                .Select(d => Path.Combine(root, d)).Where(Directory.Exists)
                .SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories))
                .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")).ToList();
            Assert.NotEmpty(files);
            int blocks = 0, scanned = 0;
            foreach (var file in files)
            {
                var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Latest), file);
                foreach (var block in CodeBlocks(tree))
                {
                    blocks++;
                    var result = BodyTokens.ScanText(block);
                    if (result is null) continue;
                    scanned++;
                    AssertCovers(block, result);
                }
            }
            Assert.True(blocks > 50, $"{blocks} blocks");
            Assert.True(scanned * 10 >= blocks * 9, $"{scanned} of {blocks} blocks scanned");
        }
    }
}
