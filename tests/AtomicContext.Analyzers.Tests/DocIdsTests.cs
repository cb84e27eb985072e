using System.Collections.Generic;
using System.Linq;
using AtomicContext.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// Keys of summaries are documentation-comment IDs; <see cref="DocIds"/> writes the simple ones directly. They must
    /// be Roslyn's, character for character, or a callee's facts would be looked up under another name.
    /// </summary>
    public class DocIdsTests
    {
        private const string Shapes = @"
namespace Outer.Inner
{
    public class Plain
    {
        public void NoParameters() { }
        public static int Two(int a, long b) => 0;
        public void Strings(string s, object o, string[] all, int[] numbers) { }
        public void Nullable(int? maybe) { }
        public void Generic<T>(T value) { }
        public void Refs(ref int a, out int b, in int c) { b = 0; }
        public void Params(params int[] rest) { }
        public void Jagged(int[][] jagged, int[,] square) { }
        public void Tuple((int, string) pair) { }
        public unsafe void Pointer(int* p) { }
        public void Dynamic(dynamic d) { }
        public void NativeInt(nint n, nuint u) { }
        public void Optional(int a = 1) { }
        public void Nested(Plain.Child child, Plain.Child[] children) { }
        public void Overloaded(int a) { }
        public void Overloaded(string a) { }
        public static Plain operator +(Plain a, Plain b) => a;
        public static implicit operator int(Plain p) => 0;
        public Plain() { }
        static Plain() { }
        public int Property { get => 0; set { } }
        public int this[int i] => i;
        public class Child
        {
            public void Method(Child c, Outer.Inner.Plain p) { }
            public void @class(int @int) { }
        }
        void I.Explicit(int a) { }
    }

    public interface I { void Explicit(int a); }

    public class Box<T>
    {
        public void Inside(int a) { }
        public class Deep { public void Further(int a) { } }
    }

    public static class Extensions
    {
        public static int Ext(this Plain p, int a) => a;
    }
}

public class Global
{
    public void AtTop(System.Collections.Generic.List<int> list, System.Text.StringBuilder builder) { }
    public void Error(Missing m) { }
    public void Delegate(System.Action a, System.Func<int> f) { }
}
";

        [Fact]
        public void Simple_methods_have_roslyns_ids_and_the_others_are_left_to_roslyn()
        {
            var compilation = Compiler.Create(new[] { Shapes }, withKernel: false).WithOptions(
                new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            var ids = new DocIds();
            var written = new List<string>();
            var declined = new List<string>();
            foreach (var method in AllMethods(compilation.GlobalNamespace))
            {
                var expected = DocumentationCommentId.CreateDeclarationId(method);
                var id = ids.OfSimpleMethod(method);
                if (id is null) { declined.Add(expected); continue; }
                Assert.Equal(expected, id);
                written.Add(id);
            }
            // What is written here, and what must go to Roslyn.
            Assert.Contains("M:Outer.Inner.Plain.NoParameters", written);
            Assert.Contains("M:Outer.Inner.Plain.Two(System.Int32,System.Int64)~System.Int32", written);
            Assert.Contains("M:Outer.Inner.Plain.Strings(System.String,System.Object,System.String[],System.Int32[])", written);
            Assert.Contains("M:Outer.Inner.Plain.Params(System.Int32[])", written);
            Assert.Contains("M:Outer.Inner.Plain.Nested(Outer.Inner.Plain.Child,Outer.Inner.Plain.Child[])", written);
            Assert.Contains("M:Outer.Inner.Plain.Child.class(System.Int32)", written);
            Assert.Contains("M:Outer.Inner.Extensions.Ext(Outer.Inner.Plain,System.Int32)~System.Int32", written);
            Assert.Contains("M:Global.Delegate(System.Action,System.Func{System.Int32})", declined);
            Assert.Contains("M:Outer.Inner.Plain.Generic``1(``0)", declined);
            Assert.Contains("M:Outer.Inner.Plain.Refs(System.Int32@,System.Int32@,System.Int32@)", declined);
            Assert.Contains("M:Outer.Inner.Box`1.Inside(System.Int32)", declined);
            Assert.Contains("M:Outer.Inner.Plain.Nullable(System.Nullable{System.Int32})", declined);
            Assert.Contains("M:Outer.Inner.Plain.op_Addition(Outer.Inner.Plain,Outer.Inner.Plain)~Outer.Inner.Plain", declined);
            Assert.Contains("M:Outer.Inner.Plain.#ctor", declined);
            Assert.True(declined.Any(d => d.StartsWith("M:Outer.Inner.Plain.Outer#Inner#I#Explicit")), string.Join("\n", declined));
        }

        [Fact]
        public void Every_simple_method_of_the_core_library_has_roslyns_id()
        {
            var compilation = Compiler.Create(new[] { "class C { }" }, withKernel: false);
            var core = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly;
            var ids = new DocIds();
            int written = 0, declined = 0;
            // Twice: the second pass reads every type's name from the cache the first made.
            for (int pass = 0; pass < 2; pass++)
            {
                foreach (var method in AllMethods(core.GlobalNamespace))
                {
                    var id = ids.OfSimpleMethod(method);
                    if (id is null) { declined++; continue; }
                    Assert.Equal(DocumentationCommentId.CreateDeclarationId(method), id);
                    written++;
                }
            }
            Assert.True(written > 10000, $"only {written} methods written ({declined} declined)");
        }

        private static IEnumerable<IMethodSymbol> AllMethods(INamespaceSymbol ns)
        {
            foreach (var member in ns.GetMembers())
            {
                if (member is INamespaceSymbol inner)
                {
                    foreach (var m in AllMethods(inner)) yield return m;
                }
                else if (member is INamedTypeSymbol type)
                {
                    foreach (var m in AllMethods(type)) yield return m;
                }
            }
        }

        private static IEnumerable<IMethodSymbol> AllMethods(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method) yield return method;
                else if (member is INamedTypeSymbol nested)
                {
                    foreach (var m in AllMethods(nested)) yield return m;
                }
            }
        }
    }
}
