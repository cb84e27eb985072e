using System.Linq;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Summaries;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>What a compilation keeps for the next one is written by every analysis thread at once and read later.</summary>
    public class PushMapTests
    {
        [Fact]
        public void A_later_write_of_a_key_wins_also_across_reads()
        {
            var map = new PushMap<string>();
            Assert.False(map.TryGetValue("a", out _));
            map.Set("a", "1");
            map.Set("b", "2");
            map.Set("a", "3");
            Assert.True(map.TryGetValue("a", out var a));
            Assert.Equal("3", a);
            map.Set("a", "4");
            map.Set("c", "5");
            Assert.True(map.TryGetValue("a", out a));
            Assert.Equal("4", a);
            Assert.True(map.TryGetValue("b", out var b));
            Assert.Equal("2", b);
            Assert.True(map.TryGetValue("c", out var c));
            Assert.Equal("5", c);
            Assert.False(map.TryGetValue("d", out _));
        }

        [Fact]
        public void The_same_keys_written_build_after_build_without_a_read_do_not_pile_up()
        {
            var map = new PushMap<string>();
            for (int build = 0; build < 50; build++)
            {
                for (int i = 0; i < 3000; i++) map.Set("M:C.m" + i, "build " + build);
                Assert.True(map.Pending < 2 * PushMap<string>.MinFold, $"{map.Pending} writes pending after build {build}");
            }
            Assert.True(map.TryGetValue("M:C.m7", out var last));
            Assert.Equal("build 49", last);
            Assert.Equal(0, map.Pending);
        }

        [Fact]
        public async Task Writes_from_many_threads_while_others_read_are_all_found()
        {
            var map = new PushMap<string>();
            const int Writers = 8, PerWriter = 5000;
            var readers = Task.Run(() =>
            {
                for (int i = 0; i < 20000; i++) map.TryGetValue("w0-" + (i % PerWriter), out _);
            });
            Parallel.For(0, Writers, w =>
            {
                for (int i = 0; i < PerWriter; i++) map.Set($"w{w}-{i}", $"{w}:{i}");
            });
            await readers;
            foreach (int w in Enumerable.Range(0, Writers))
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    Assert.True(map.TryGetValue($"w{w}-{i}", out var value));
                    Assert.Equal($"{w}:{i}", value);
                }
            }
        }
    }
}
