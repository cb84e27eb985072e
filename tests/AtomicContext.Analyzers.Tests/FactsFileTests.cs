using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Members of referenced assemblies that carry no attributes, declared through additional files.</summary>
    public class FactsFileTests
    {
        private const string Source = """
            using System;
            using System.IO;
            using K;
            using static K.Sched;
            class Io
            {
                static void f(spinlock_t l, Stream s, byte[] b)
                {
                    spin_lock(l);
                    s.Flush();
                    Console.Beep();
                    spin_unlock(l);
                }
                static void g(Stream s)
                {
                    GC.Collect();
                    s.Flush();
                    GC.KeepAlive(s);
                    Console.Beep();
                }
            }
            """;

        [Fact]
        public async Task Sleepers_txt_and_Facts_txt_give_facts_to_referenced_members_and_bad_lines_are_ACA0007()
        {
            var sleepers = new Compiler.Text("/cfg/AtomicContext.Sleepers.txt", "# blocking I/O\nM:System.IO.Stream.Flush\n");
            var facts = new Compiler.Text("/cfg/AtomicContext.Facts.txt",
                "EntersNoMigrate M:System.GC.Collect # stands for preempt_disable\nExitsNoMigrate M:System.GC.KeepAlive(System.Object)\nMightSleep M:System.Console.Beep\nMightSleep M:No.Such.Member\nSometimes M:System.Console.Beep\n");
            var run = await Compiler.AnalyzeAll(Compiler.Create(new[] { Source }), ImmutableArray.Create<AdditionalText>(sleepers, facts));
            Assert.Empty(run.Exceptions);
            var lines = run.Diagnostics.OrderBy(d => d.Location.GetLineSpan().Path).ThenBy(d => d.Location.SourceSpan.Start)
                .Select(d => $"{d.Id} {System.IO.Path.GetFileName(d.Location.GetLineSpan().Path)}:{d.Location.GetLineSpan().StartLinePosition.Line + 1} {d.GetMessage()}").ToArray();
            Assert.Equal(new[]
            {
                "ACA0007 AtomicContext.Facts.txt:4 AtomicContext.Facts.txt: 'M:No.Such.Member' names no member of this compilation or its references",
                "ACA0007 AtomicContext.Facts.txt:5 AtomicContext.Facts.txt: 'Sometimes M:System.Console.Beep' is not '<Fact> <documentation-comment ID>' with Fact one of MightSleep, EntersNoMigrate, EntersNoMigrateWhenReturnsTrue, EntersNoMigrateWhenReturnsFalse, ExitsNoMigrate, NoMigrate, PerCpu, AssumeNoSleep",
                "ACA0001 File0.cs:10 'Flush' may sleep while migration is disabled by 'spin_lock' (line 9): Flush",
                "ACA0001 File0.cs:11 'Beep' may sleep while migration is disabled by 'spin_lock' (line 9): Beep",
                "ACA0001 File0.cs:17 'Flush' may sleep while migration is disabled by 'Collect' (line 16): Flush",
            }, lines);
        }
    }
}
