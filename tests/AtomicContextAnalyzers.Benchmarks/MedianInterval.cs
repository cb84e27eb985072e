using System;
using System.Collections.Generic;
using System.Linq;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// Where the true median of a measure lies, from a handful of rounds: the order-statistic interval
    /// [x(k), x(n+1-k)] of the sorted values, which holds the median with probability 1 − 2·P(Binomial(n, ½) ≤ k − 1)
    /// whatever the shape of the noise (only independent rounds are assumed). The narrowest such interval whose
    /// coverage reaches the asked confidence; with too few rounds for that, the whole range and its coverage.
    /// </summary>
    public readonly struct MedianInterval
    {
        private MedianInterval(double low, double high, double coverage)
        {
            Low = low;
            High = high;
            Coverage = coverage;
        }

        public double Low { get; }

        public double High { get; }

        /// <summary>The probability that the interval holds the true median (NaN with no values).</summary>
        public double Coverage { get; }

        public static MedianInterval Of(IReadOnlyCollection<double> values, double confidence)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            int n = sorted.Length;
            if (n == 0)
            {
                return new MedianInterval(double.NaN, double.NaN, double.NaN);
            }

            // P(Binomial(n, ½) ≤ j) for j = 0, 1, …, summed as k grows (exact for the round counts used here).
            double[] tail = new double[(n + 1) / 2 + 1];
            double term = Math.Pow(0.5, n);
            double cumulative = 0;
            for (int j = 0; j < tail.Length; j++)
            {
                cumulative += term;
                tail[j] = cumulative;
                term = term * (n - j) / (j + 1);
            }

            int best = 1;
            for (int k = 2; k <= (n + 1) / 2; k++)
            {
                if (1 - (2 * tail[k - 1]) < confidence)
                {
                    break;
                }

                best = k;
            }

            return new MedianInterval(sorted[best - 1], sorted[n - best], Math.Max(0, 1 - (2 * tail[best - 1])));
        }
    }
}
