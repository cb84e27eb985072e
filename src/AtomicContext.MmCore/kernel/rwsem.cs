using System.Collections.Generic;
using System.Runtime.CompilerServices;
using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>struct rw_semaphore.</summary>
    public sealed class rw_semaphore
    {
        /// <summary>Active readers.</summary>
        public int readers { get; internal set; }

        /// <summary>The writer, if any.</summary>
        public task_struct? writer { get; internal set; }

        internal readonly List<(task_struct task, bool write)> wait_list = new List<(task_struct task, bool write)>();
    }

    /// <summary>kernel/rwsem.c and lib/rwsem.c.</summary>
    public static class rwsem
    {
        /// <summary>
        /// down_read(): might_sleep(), then take the semaphore, sleeping in schedule() while a writer holds
        /// it or waits (rwsem_down_read_failed). <paramref name="file"/>/<paramref name="line"/> are the
        /// caller's, so a report names the down_read call site.
        /// </summary>
        public static void down_read(rw_semaphore sem, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        {
            might_sleep(file, line);
            if (sem.writer == null && sem.wait_list.Count == 0)
            {
                sem.readers++;
                return;
            }

            rwsem_down_failed_common(sem, false);
        }

        /// <summary>up_read().</summary>
        public static void up_read(rw_semaphore sem)
        {
            sem.readers--;
            if (sem.readers == 0)
            {
                rwsem_wake(sem);
            }
        }

        /// <summary>down_write().</summary>
        public static void down_write(rw_semaphore sem, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        {
            might_sleep(file, line);
            if (sem.writer == null && sem.readers == 0 && sem.wait_list.Count == 0)
            {
                sem.writer = current;
                return;
            }

            rwsem_down_failed_common(sem, true);
        }

        /// <summary>up_write().</summary>
        public static void up_write(rw_semaphore sem)
        {
            sem.writer = null;
            rwsem_wake(sem);
        }

        /// <summary>Queue as TASK_UNINTERRUPTIBLE and schedule() until granted (lib/rwsem.c L150-180).</summary>
        private static void rwsem_down_failed_common(rw_semaphore sem, bool write)
        {
            task_struct tsk = current;
            sem.wait_list.Add((tsk, write));
            tsk.state = task_struct.TASK_UNINTERRUPTIBLE;
            while (tsk.state != task_struct.TASK_RUNNING)
            {
                schedule();
            }
        }

        /// <summary>Grant the semaphore to the waiters at the head of the queue and wake them.</summary>
        private static void rwsem_wake(rw_semaphore sem)
        {
            while (sem.wait_list.Count > 0 && sem.writer == null)
            {
                (task_struct task, bool write) = sem.wait_list[0];
                if (write)
                {
                    if (sem.readers != 0)
                    {
                        return;
                    }

                    sem.writer = task;
                }
                else
                {
                    sem.readers++;
                }

                sem.wait_list.RemoveAt(0);
                Machine.current.WakeUp(task);
                if (write)
                {
                    return;
                }
            }
        }
    }
}
