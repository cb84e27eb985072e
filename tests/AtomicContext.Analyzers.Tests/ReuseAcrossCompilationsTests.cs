using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// Body facts are kept beside their syntax tree and reused by the next compilation (an IDE's next
    /// keystroke) only where that is sound: same tree, same declarations everywhere.
    /// </summary>
    public class ReuseAcrossCompilationsTests
    {
        // This class's compilations declare Middle; observed from the class's first use to the process's end.
        private static readonly ObservedStores Stores = new ObservedStores("Middle");

        static ReuseAcrossCompilationsTests()
        {
            // Made before any test of the class runs (a field initializer alone may run at its first read).
        }

        private const string Caller = """
            using K;
            using static K.Sched;
            class Caller { static void f(spinlock_t l) { spin_lock(l); Middle.step(); spin_unlock(l); } }
            """;
        private const string Middle = "static class Middle { public static void step() { Leaf.a(); Leaf.b(); } }";
        private const string Leaf = "static class Leaf { public static void a() { K.Sched.udelay(1); } public static void b() { } }";

        private static async Task<(string[] Messages, int Walked)> AnalyzeCaller(CSharpCompilation compilation)
        {
            var run = new Compiler.Run();
            var earlier = new System.Collections.Generic.HashSet<SummaryStore>(Stores.All);
            var cwa = Compiler.WithAnalyzer(compilation, run);
            var tree = compilation.SyntaxTrees.First();
            var diagnostics = await cwa.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), null, CancellationToken.None);
            Assert.Empty(run.Exceptions);
            var store = Stores.All.Where(s => !earlier.Contains(s) && s.Compilation.SyntaxTrees.SequenceEqual(compilation.SyntaxTrees)).ToArray();
            return (diagnostics.Select(d => d.GetMessage()).ToArray(), store.Sum(s => s.BodiesWalked));
        }

        [Fact]
        public async Task A_new_compilation_over_the_same_trees_walks_no_body_again()
        {
            var first = Compiler.Create(new[] { Caller, Middle, Leaf });
            var (messages1, walked1) = await AnalyzeCaller(first);
            Assert.Empty(messages1);
            Assert.True(walked1 >= 4, $"the first compilation walks f, step, a and b: {walked1}");

            var second = first.RemoveAllSyntaxTrees().AddSyntaxTrees(first.SyntaxTrees);
            var (messages2, walked2) = await AnalyzeCaller(second);
            Assert.Empty(messages2);
            Assert.Equal(0, walked2);
        }

        [Fact]
        public async Task A_compilation_never_reads_the_facts_it_keeps_itself_the_next_one_does()
        {
            // One tree, three bodies walked one after another: each body after the first would look its key up
            // in the tree's kept facts (folding the writes before it) if the compilation read its own.
            const string oneTree = """
                using K;
                using static K.Sched;
                class Caller { static void f(spinlock_t l) { spin_lock(l); Middle.step(); spin_unlock(l); } }
                static class Middle { public static void step() { Leaf.a(); } }
                static class Leaf { public static void a() { K.Sched.msleep(1); } }
                """;
            var first = Compiler.Create(new[] { oneTree });
            var tree = first.SyntaxTrees.First();
            var run1 = await Compiler.AnalyzeAll(first, concurrent: false);
            Assert.Empty(run1.Exceptions);
            Assert.Equal(3, SharedFacts.PendingWrites(tree));

            var second = first.RemoveAllSyntaxTrees().AddSyntaxTrees(first.SyntaxTrees);
            var (messages, walked) = await AnalyzeCaller(second);
            Assert.Equal(0, walked);
            Assert.Single(messages);
            Assert.Equal(0, SharedFacts.PendingWrites(tree));
        }

        [Fact]
        public async Task An_edit_inside_a_callees_body_is_seen_and_only_that_tree_is_walked_again()
        {
            var first = Compiler.Create(new[] { Caller, Middle, Leaf });
            await AnalyzeCaller(first);
            var leafTree = first.SyntaxTrees.ElementAt(2);
            var edited = first.ReplaceSyntaxTree(leafTree, leafTree.WithChangedText(
                Microsoft.CodeAnalysis.Text.SourceText.From(Leaf.Replace("public static void b() { }", "public static void b() { K.Sched.msleep(1); }"))));
            var (messages, walked) = await AnalyzeCaller(edited);
            Assert.Equal(new[] { "'step' may sleep while migration is disabled by 'spin_lock' (line 3): step → b → msleep" }, messages);
            Assert.True(walked <= 3, $"only the edited tree's bodies (a, b) and their callees' new facts are walked: {walked}");
        }

        [Fact]
        public async Task A_comment_edited_between_members_of_another_file_keeps_every_other_files_facts()
        {
            var first = Compiler.Create(new[] { Caller, Middle, Leaf });
            await AnalyzeCaller(first);
            var leafTree = first.SyntaxTrees.ElementAt(2);
            // A doc comment and a blank line before the class: trivia between members, not part of any declaration's
            // tokens, so the environment print stays and only the edited tree's bodies (a, b) are walked again.
            var edited = first.ReplaceSyntaxTree(leafTree, leafTree.WithChangedText(
                Microsoft.CodeAnalysis.Text.SourceText.From("/// <summary>Leaves.</summary>\n\n" + Leaf)));
            var (messages, walked) = await AnalyzeCaller(edited);
            Assert.Empty(messages);
            Assert.True(walked <= 2, $"f and step are reused, only a and b (in the edited tree) are walked: {walked}");
        }

        [Fact]
        public async Task An_edit_to_a_declaration_anywhere_invalidates_every_kept_body()
        {
            var annotations = "static class Extra { public static void helper() { } }";
            var first = Compiler.Create(new[] { Caller, Middle, Leaf.Replace("K.Sched.udelay(1);", "K.Sched.udelay(1); Extra.helper();"), annotations });
            var (before, _) = await AnalyzeCaller(first);
            Assert.Empty(before);
            // Only an attribute changes, in a file whose bodies nothing re-analyses: the kept facts of a()
            // (which call helper) were made when helper did not sleep.
            var extraTree = first.SyntaxTrees.ElementAt(3);
            var edited = first.ReplaceSyntaxTree(extraTree, extraTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
                "static class Extra { [AtomicContext.MightSleep] public static void helper() { } }")));
            var (after, _) = await AnalyzeCaller(edited);
            Assert.Equal(new[] { "'step' may sleep while migration is disabled by 'spin_lock' (line 3): step → a → helper" }, after);
        }

        [Fact]
        public async Task A_changed_facts_file_invalidates_every_kept_body()
        {
            var first = Compiler.Create(new[] { Caller, Middle, Leaf });
            var sleepers = ImmutableArray.Create<AdditionalText>(new Compiler.Text("/AtomicContext.Sleepers.txt", "M:K.Sched.udelay(System.Int32)\n"));
            var run = new Compiler.Run();
            await Compiler.WithAnalyzer(first, run).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            var second = first.RemoveAllSyntaxTrees().AddSyntaxTrees(first.SyntaxTrees);
            var withSleepers = await Compiler.AnalyzeAll(second, sleepers);
            Assert.Equal(new[] { "'step' may sleep while migration is disabled by 'spin_lock' (line 3): step → a → udelay" },
                withSleepers.Diagnostics.Where(d => d.Id == "ACA0001").Select(d => d.GetMessage()));
        }
    }
}
