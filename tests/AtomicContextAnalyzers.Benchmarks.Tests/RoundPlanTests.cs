using System.Collections.Generic;
using System.Linq;

namespace AtomicContextAnalyzers.Benchmarks.Tests
{
    /// <summary>Which configurations a round runs, and which warm up when: the floor and ours always and first; emit and the peer in the side rounds (both modes).</summary>
    public class RoundPlanTests
    {
        private static readonly Config[] All = { Config.Emit, Config.Floor, Config.Ours, Config.Peer };

        [Fact]
        public void The_full_mode_runs_emit_and_the_peer_in_its_first_eight_rounds_and_at_least_fifteen_rounds_of_the_floor_and_ours()
        {
            var full = new Settings();
            Assert.True(full.MinRounds >= 15, $"{full.MinRounds} rounds at least");
            Assert.True(full.MaxRounds >= 2 * full.MinRounds, $"{full.MaxRounds} rounds at most");
            AssertSideRoundsFirst(full, 8);
        }

        [Fact]
        public void The_quick_mode_runs_emit_and_the_peer_in_its_first_two_rounds_only_and_more_rounds_of_the_floor_and_ours()
        {
            var quick = Settings.ForQuick();
            Assert.True(quick.MaxRounds >= 8, $"{quick.MaxRounds} rounds");
            AssertSideRoundsFirst(quick, 2);
        }

        /// <summary>Every configuration in the first <paramref name="sideRounds"/> rounds, the floor and ours alone in the rest.</summary>
        private static void AssertSideRoundsFirst(Settings settings, int sideRounds)
        {
            for (int round = 0; round < settings.MaxRounds; round++)
            {
                var runs = All.Where(c => Harness.RunsInRound(c, round, settings)).ToArray();
                Assert.Equal(round < sideRounds ? All : new[] { Config.Floor, Config.Ours }, runs);
            }
        }

        [Fact]
        public void In_the_quick_mode_emit_and_the_peer_warm_up_past_the_minimum_only_once_the_floor_and_ours_have_settled()
        {
            var quick = Settings.ForQuick();
            var settled = new HashSet<Config>();
            bool IsSettled(Config c) => settled.Contains(c);

            // The minimum of rounds: everything.
            Assert.All(All, c => Assert.True(Harness.WarmsInRound(c, quick.MinWarmups - 1, quick, IsSettled), $"{c}"));

            // Past it, the floor and ours first.
            int past = quick.MinWarmups;
            Assert.Equal(new[] { Config.Floor, Config.Ours }, All.Where(c => Harness.WarmsInRound(c, past, quick, IsSettled)));
            settled.Add(Config.Floor);
            Assert.Equal(new[] { Config.Ours }, All.Where(c => Harness.WarmsInRound(c, past, quick, IsSettled)));

            // Then emit and the peer, until each has settled.
            settled.Add(Config.Ours);
            Assert.Equal(new[] { Config.Emit, Config.Peer }, All.Where(c => Harness.WarmsInRound(c, past, quick, IsSettled)));
            settled.Add(Config.Peer);
            Assert.Equal(new[] { Config.Emit }, All.Where(c => Harness.WarmsInRound(c, past, quick, IsSettled)));
        }

        [Fact]
        public void In_the_full_mode_every_configuration_warms_up_until_it_has_settled()
        {
            // The floor may never settle (tiered JIT keeps recompiling the driver): emit and the peer must not wait for it.
            var full = new Settings();
            var settled = new HashSet<Config> { Config.Peer };
            Assert.Equal(new[] { Config.Emit, Config.Floor, Config.Ours }, All.Where(c => Harness.WarmsInRound(c, full.MinWarmups + 3, full, settled.Contains)));
        }
    }
}
