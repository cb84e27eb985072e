using System;
using System.Collections.Concurrent;
using System.Threading;

namespace AtomicContext.MmCore.Simulation
{
    /// <summary>
    /// OS threads that carry simulated tasks, reused from run to run (creating a thread per task per
    /// seed would dominate the run time). This is simulator machinery: kernel code never calls it.
    /// </summary>
    internal static class WorkerPool
    {
        private static readonly ConcurrentBag<Worker> Idle = new ConcurrentBag<Worker>();

        public static void Start(Action job)
        {
            if (!Idle.TryTake(out Worker? worker))
            {
                worker = new Worker();
            }

            worker.Run(job);
        }

        private sealed class Worker
        {
            private readonly SemaphoreSlim go = new SemaphoreSlim(0);
            private Action? job;

            public Worker()
            {
                var thread = new Thread(Loop, 1 << 20) { IsBackground = true, Name = "mmcore-task" };
                thread.Start();
            }

            public void Run(Action work)
            {
                job = work;
                go.Release();
            }

            private void Loop()
            {
                while (true)
                {
                    go.Wait();
                    Action work = job!;
                    job = null;
                    work();
                    Idle.Add(this);
                }
            }
        }
    }
}
