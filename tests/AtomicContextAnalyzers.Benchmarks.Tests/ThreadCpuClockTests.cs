using System.Diagnostics;
using System.Threading;

namespace AtomicContextAnalyzers.Benchmarks.Tests
{
    /// <summary>The callback CPU clock counts work on the calling thread, not time spent waiting.</summary>
    public class ThreadCpuClockTests
    {
        [Fact]
        public void Waiting_costs_no_cpu_time_and_work_does()
        {
            Assert.True(ThreadCpuClock.Available, "the thread CPU clock cannot be read on this machine");

            long before = ThreadCpuClock.NowNanoseconds();
            Thread.Sleep(300);
            long slept = ThreadCpuClock.NowNanoseconds() - before;
            Assert.True(slept < 100_000_000, $"a 300 ms sleep used {slept / 1e6:F1} ms of CPU");

            // Work until the clock has moved by 50 ms: it must, within a wall-clock bound far above it.
            var wall = Stopwatch.StartNew();
            long start = ThreadCpuClock.NowNanoseconds();
            long spins = 0;
            while (ThreadCpuClock.NowNanoseconds() - start < 50_000_000 && wall.ElapsedMilliseconds < 20_000)
            {
                spins++;
            }

            Assert.True(ThreadCpuClock.NowNanoseconds() - start >= 50_000_000, $"the clock did not advance by 50 ms in {wall.ElapsedMilliseconds} ms of work ({spins} reads)");
        }
    }
}
