using System;
using System.Runtime.InteropServices;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// The CPU time the calling thread has used, in nanoseconds: what a callback costs, without the time its thread
    /// waited for a core or sat in a GC pause (both of which a stopwatch around the callback counts). Linux and macOS
    /// read <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, Windows <c>GetThreadTimes</c>; elsewhere, or where the
    /// call fails, <see cref="Available"/> is false and nothing is reported.
    /// </summary>
    public static class ThreadCpuClock
    {
        private static readonly int ClockId = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 3 : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 16 : -1;

        public static readonly bool Available = Probe();

        private static bool Probe()
        {
            try
            {
                return NowNanoseconds() >= 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return false;
            }
        }

        /// <summary>The calling thread's CPU time so far (-1 when it cannot be read).</summary>
        public static long NowNanoseconds()
        {
            if (ClockId >= 0)
            {
                return clock_gettime(ClockId, out Timespec t) == 0 ? t.Seconds * 1_000_000_000L + t.Nanoseconds : -1;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && GetThreadTimes(GetCurrentThread(), out _, out _, out long kernel, out long user))
            {
                return (kernel + user) * 100; // 100 ns units
            }

            return -1;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = false)]
        private static extern int clock_gettime(int clockId, out Timespec time);

        [DllImport("kernel32.dll")]
        private static extern IntPtr GetCurrentThread();

        [DllImport("kernel32.dll")]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GetThreadTimes(IntPtr thread, out long creation, out long exit, out long kernel, out long user);
    }
}
