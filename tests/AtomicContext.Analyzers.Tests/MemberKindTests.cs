using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Every kind of member with a body is checked from its own code block: methods, constructors, accessors, operators, finalizers, top-level statements.</summary>
    public class MemberKindTests
    {
        [Fact]
        public async Task A_sleep_in_a_region_is_reported_in_every_kind_of_member_body()
        {
            var source = """
                using K;
                using static K.Sched;
                spinlock_t top = new spinlock_t();
                spin_lock(top);
                msleep(1);
                spin_unlock(top);
                public class Members
                {
                    static spinlock_t l = new spinlock_t();
                    public Members() : this(0) { spin_lock(l); msleep(2); spin_unlock(l); }
                    public Members(int x) { }
                    ~Members() { spin_lock(l); msleep(3); spin_unlock(l); }
                    public int P { get { spin_lock(l); msleep(4); spin_unlock(l); return 0; } set { spin_lock(l); msleep(5); spin_unlock(l); } }
                    public int this[int i] { get { spin_lock(l); msleep(6); spin_unlock(l); return i; } }
                    public static Members operator +(Members a, Members b) { spin_lock(l); msleep(7); spin_unlock(l); return a; }
                    public static explicit operator int(Members a) { spin_lock(l); msleep(8); spin_unlock(l); return 0; }
                    public void M() => Helper();
                    static void Helper() { spin_lock(l); Local(); spin_unlock(l); void Local() { msleep(9); } }
                    public event System.Action E { add { spin_lock(l); msleep(10); spin_unlock(l); } remove { } }
                }
                """;
            var compilation = Compiler.Create(new[] { source }).WithOptions(new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Disable));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var run = await Compiler.AnalyzeAll(compilation);
            Assert.Empty(run.Exceptions);
            var sleeps = run.Diagnostics.Where(d => d.Id == "ACA0001").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).OrderBy(l => l).ToArray();
            // Top-level statements (line 5), constructor (10), finalizer (12), both accessors (13), indexer (14),
            // operator (15), conversion (16), and the local function's call inside the region (18).
            Assert.Equal(new[] { 5, 10, 12, 13, 13, 14, 15, 16, 18, 19 }, sleeps);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "ACA0999");
        }

        [Fact]
        public async Task A_partial_method_is_checked_once_in_the_part_with_the_body()
        {
            await Verify.Analyze("""
                using K;
                using static K.Sched;
                public partial class P
                {
                    static spinlock_t l = new spinlock_t();
                    public partial void f();
                }
                public partial class P
                {
                    public partial void f() { spin_lock(l); {|#0:msleep(1)|}; spin_unlock(l); }
                }
                """,
                Verify.At("ACA0001", 0));
        }
    }
}
