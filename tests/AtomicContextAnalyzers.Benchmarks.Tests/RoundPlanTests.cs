using System.Linq;

namespace AtomicContextAnalyzers.Benchmarks.Tests
{
    /// <summary>Which configurations a round runs: the floor and ours always; emit and the peer only in the side rounds.</summary>
    public class RoundPlanTests
    {
        private static readonly Config[] All = { Config.Emit, Config.Floor, Config.Ours, Config.Peer };

        [Fact]
        public void The_full_mode_runs_every_configuration_in_every_round()
        {
            var full = new Settings();
            for (int round = 0; round < full.MaxRounds; round++)
            {
                Assert.All(All, c => Assert.True(Harness.RunsInRound(c, round, full), $"{c} in round {round}"));
            }
        }

        [Fact]
        public void The_quick_mode_runs_emit_and_the_peer_in_its_first_two_rounds_only_and_more_rounds_of_the_floor_and_ours()
        {
            var quick = Settings.ForQuick();
            Assert.True(quick.MaxRounds >= 8, $"{quick.MaxRounds} rounds");
            for (int round = 0; round < quick.MaxRounds; round++)
            {
                var runs = All.Where(c => Harness.RunsInRound(c, round, quick)).ToArray();
                Assert.Equal(round < 2 ? All : new[] { Config.Floor, Config.Ours }, runs);
            }
        }
    }
}
