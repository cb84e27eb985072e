using System.Linq;

namespace AtomicContextAnalyzers.Benchmarks.Tests
{
    /// <summary>The interval for a median from few rounds: exact binomial coverage, narrowing as rounds are added.</summary>
    public class MedianIntervalTests
    {
        [Fact]
        public void Seven_rounds_need_the_whole_range_for_ninety_percent()
        {
            // [x(2), x(6)] holds the median with 1 − 2·8/128 = 0.875 < 0.90: only the range, 1 − 2/128, will do.
            var interval = MedianInterval.Of(new[] { 1.07, 0.96, 1.05, 1.05, 1.19, 1.04, 1.01 }, 0.90);
            Assert.Equal(0.96, interval.Low);
            Assert.Equal(1.19, interval.High);
            Assert.Equal(1 - (2.0 / 128), interval.Coverage, 12);
        }

        [Fact]
        public void Fifteen_rounds_give_the_fourth_and_twelfth_values()
        {
            // k = 4: 1 − 2·(1 + 15 + 105 + 455)/32768 ≈ 0.965; k = 5 adds 1365/32768 and falls to ≈ 0.881.
            var values = Enumerable.Range(1, 15).Select(i => (double)i).Reverse().ToArray();
            var interval = MedianInterval.Of(values, 0.90);
            Assert.Equal(4.0, interval.Low);
            Assert.Equal(12.0, interval.High);
            Assert.Equal(1 - (2.0 * 576 / 32768), interval.Coverage, 12);
        }

        [Fact]
        public void Too_few_rounds_report_their_own_coverage_and_none_gives_nothing()
        {
            var three = MedianInterval.Of(new[] { 3.0, 1.0, 2.0 }, 0.90);
            Assert.Equal(1.0, three.Low);
            Assert.Equal(3.0, three.High);
            Assert.Equal(0.75, three.Coverage, 12);
            Assert.True(double.IsNaN(MedianInterval.Of(new double[0], 0.90).Coverage));
        }
    }
}
