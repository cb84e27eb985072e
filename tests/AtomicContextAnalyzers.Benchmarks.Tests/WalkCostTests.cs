using System.Globalization;
using System.IO;
using System.Linq;

namespace AtomicContextAnalyzers.Benchmarks.Tests
{
    /// <summary>The walk-cost mode binds the generated bodies, times its three passes and ends with its one summary line.</summary>
    public class WalkCostTests
    {
        [Fact]
        public void Prints_the_three_passes_and_a_positive_walk_ratio()
        {
            var output = new StringWriter(CultureInfo.InvariantCulture);
            Assert.Equal(0, WalkCost.Run(1, 3, output));

            var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
            Assert.Contains(lines, l => l.StartsWith("| bare enumeration", System.StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("| plain recursion", System.StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("| our walk", System.StringComparison.Ordinal));
            string last = lines[^1];
            Assert.StartsWith("walk-ratio: ", last, System.StringComparison.Ordinal);
            double ratio = double.Parse(last.Substring("walk-ratio: ".Length), CultureInfo.InvariantCulture);
            Assert.True(ratio > 0 && !double.IsInfinity(ratio), $"walk-ratio {ratio}");
        }
    }
}
