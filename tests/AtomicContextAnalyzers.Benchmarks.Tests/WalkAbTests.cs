using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AtomicContextAnalyzers.Benchmarks.Tests
{
    /// <summary>The walk A/B mode loads builds of the analyzer side by side and prints each one's ratio to the first.</summary>
    public class WalkAbTests
    {
        private static string OwnBuild => Path.GetDirectoryName(typeof(AtomicContext.Analyzers.Summaries.SummaryStore).Assembly.Location)!;

        [Fact]
        public void Two_loads_of_one_build_walk_the_same_bodies_and_print_a_ratio_each()
        {
            var output = new StringWriter(CultureInfo.InvariantCulture);
            Assert.Equal(0, WalkAb.Run(new[] { ("a", OwnBuild), ("b", OwnBuild) }, 1, 3, output));

            var rows = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("| a |", StringComparison.Ordinal) || l.StartsWith("| b |", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, rows.Count);
            foreach (var row in rows)
            {
                double ratio = double.Parse(row.Split('|')[3].Trim(), CultureInfo.InvariantCulture);
                Assert.True(ratio > 0 && !double.IsInfinity(ratio), row);
            }

            Assert.Contains("(the reference)", rows[0], StringComparison.Ordinal);
        }

        [Fact]
        public void One_build_or_a_directory_without_the_analyzer_is_refused_with_a_message()
        {
            var output = new StringWriter(CultureInfo.InvariantCulture);
            Assert.Equal(2, WalkAb.Run(new[] { ("a", OwnBuild) }, 1, 3, output));
            Assert.Contains("at least two", output.ToString(), StringComparison.Ordinal);

            output = new StringWriter(CultureInfo.InvariantCulture);
            var empty = Directory.CreateTempSubdirectory("walk-ab");
            try
            {
                Assert.Equal(2, WalkAb.Run(new[] { ("a", OwnBuild), ("b", empty.FullName) }, 1, 3, output));
                Assert.Contains("b: no AtomicContext.Analyzers.dll", output.ToString(), StringComparison.Ordinal);
            }
            finally
            {
                empty.Delete();
            }
        }
    }
}
