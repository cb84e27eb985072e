using System.Threading;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// The print of a tree's declarations (part of the environment under which body facts are reused): the
    /// same for edits no body's binding can see, different for every edit to a declaration.
    /// </summary>
    public class TreePrintTests
    {
        private const string Source = """
            // header comment
            using System;
            #nullable enable
            namespace K
            {
                /// <summary>A type.</summary>
                [Serializable]
                public class C : IDisposable
                {
                    public const int Flags = 0x10; // trailing comment
                    private int _x = 1;

                    /// <summary>A method.</summary>
                    public void f(int a) { g(a); /* inside */ }

                    public int P { get { return _x; } set { _x = value; } }
                    public int Q => _x + 1;
                    public int this[int i] => i;
                    public event Action E { add { } remove { } }

                    public C() : base() { f(1); }
                    public void Dispose() => f(2);
                    partial void h();

                    struct Inner { void i() { } }
                }
                enum E2 { A = 1, B }
                delegate void D(int x);
            }
            """;

        private static ulong Print(string source) =>
            SharedFacts.TreePrint(CSharpSyntaxTree.ParseText(source), CancellationToken.None);

        private static string Edit(string from, string to)
        {
            Assert.Contains(from, Source);
            return Source.Replace(from, to);
        }

        [Theory]
        [InlineData("{ g(a); /* inside */ }", "{ g(a + 1); g(a); }")]          // a method body
        [InlineData("get { return _x; }", "get { return _x * 2; }")]          // an accessor body
        [InlineData("=> _x + 1;", "=> _x - 1;")]                              // an arrow property's body
        [InlineData("=> i;", "=> i + 1;")]                                    // an arrow indexer's body
        [InlineData("add { } remove { }", "add { f(0); } remove { }")]        // an event accessor body
        [InlineData("{ f(1); }", "{ f(3); }")]                                // a constructor body
        [InlineData("=> f(2);", "=> f(22);")]                                 // an arrow method body
        [InlineData("void i() { }", "void i() { i(); }")]                     // a nested type's method body
        [InlineData("/// <summary>A method.</summary>", "/// <summary>Changed.</summary>")] // a doc comment
        [InlineData("// header comment", "// another header")]               // file header trivia
        [InlineData("// trailing comment", "// other")]                       // trailing trivia of a member
        [InlineData("        private int _x = 1;\n", "\n\n        private int _x = 1;\n")] // blank lines between members
        public void Edits_no_binding_can_see_keep_the_print(string from, string to) =>
            Assert.Equal(Print(Source), Print(Edit(from, to)));

        [Theory]
        [InlineData("public void f(int a)", "public void f(long a)")]         // a parameter type
        [InlineData("0x10", "0x11")]                                          // a constant's value
        [InlineData("_x = 1;", "_x = 2;")]                                    // a field initializer
        [InlineData("public int Q => _x + 1;", "public int Q { get; }")]      // a body becomes none
        [InlineData("partial void h();", "partial void h() { }")]             // none becomes a body
        [InlineData("[Serializable]", "[Obsolete]")]                          // an attribute
        [InlineData(": IDisposable", ": IDisposable, ICloneable")]            // a base list
        [InlineData("using System;", "using System.Text;")]                   // a using
        [InlineData("A = 1, B", "A = 1, B = 5")]                              // an enum member
        [InlineData("delegate void D(int x);", "delegate int D(int x);")]     // a delegate
        [InlineData("struct Inner", "class Inner")]                           // a nested type
        [InlineData(": base()", ": this(1)")]                                 // a constructor initializer
        public void Edits_to_declarations_change_the_print(string from, string to) =>
            Assert.NotEqual(Print(Source), Print(Edit(from, to)));

        [Fact]
        public void A_member_disabled_by_the_preprocessor_changes_the_print()
        {
            string withMember = Source.Replace("partial void h();", "#if true\n        void extra() { }\n#endif\n        partial void h();");
            string disabled = withMember.Replace("#if true", "#if false");
            Assert.NotEqual(Print(withMember), Print(disabled));
            Assert.NotEqual(Print(Source), Print(withMember));
        }

        [Theory]
        [InlineData("class T { void f() { } }", "/// <summary>T</summary>\nclass T { void f() { } }")]   // trivia where there was none
        [InlineData("class T { int x;}", "class T { int x; // x\n}")]                                   // trailing trivia where there was none
        [InlineData("using System;class T { }", "using System;\n\nclass T { }")]
        public void Trivia_added_where_there_was_none_keeps_the_print(string before, string after) =>
            Assert.Equal(Print(before), Print(after));

        [Fact]
        public void The_defined_symbols_are_part_of_the_environment()
        {
            // The same text, a directive inside a signature: which parameter type is active depends on DEBUG.
            const string source = "class C { void f(\n#if DEBUG\n int x\n#else\n long x\n#endif\n) { } }";
            var debug = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(preprocessorSymbols: new[] { "DEBUG" }));
            var release = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions());
            var references = new[] { Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
            ulong Environment(Microsoft.CodeAnalysis.SyntaxTree tree) =>
                SharedFacts.Environment(CSharpCompilation.Create("P", new[] { tree }, references), 0, CancellationToken.None);
            Assert.NotEqual(Environment(debug), Environment(release));
            Assert.Equal(Environment(release), Environment(CSharpSyntaxTree.ParseText(source, new CSharpParseOptions())));
        }

        [Fact]
        public void Code_mid_edit_gives_a_print_and_no_exception()
        {
            // Every prefix of the source (unclosed bodies, half a signature, a dangling directive), and the
            // source with one character dropped at every position: parsed with errors, printed all the same.
            for (int n = 0; n <= Source.Length; n++)
            {
                Print(Source.Substring(0, n));
                if (n < Source.Length) Print(Source.Remove(n, 1));
            }
        }

        [Fact]
        public void Top_level_statements_are_bodies()
        {
            const string top = "System.Console.WriteLine(1);\nclass T { }\n";
            Assert.Equal(Print(top), Print(top.Replace("(1)", "(2)")));
            Assert.NotEqual(Print(top), Print(top.Replace("class T", "class U")));
        }
    }
}
