using System;

namespace AtomicContext.MmCore
{
    /// <summary>spinlock_t.</summary>
    public sealed class spinlock_t
    {
        /// <summary>Creates a lock.</summary>
        public spinlock_t(string name)
        {
            this.name = name;
        }

        /// <summary>Lock class name.</summary>
        public string name { get; }

        /// <summary>The holder, if any.</summary>
        public task_struct? owner { get; internal set; }
    }

    /// <summary>include/linux/spinlock.h: spinlocks disable preemption (only with CONFIG_PREEMPT: §1.8).</summary>
    public static class spinlock
    {
        /// <summary>spin_lock().</summary>
        [EntersNoMigrate]
        public static void spin_lock(spinlock_t lockp)
        {
            preempt_disable();
            do_raw_spin_lock(lockp);
        }

        /// <summary>spin_unlock().</summary>
        [ExitsNoMigrate]
        public static void spin_unlock(spinlock_t lockp)
        {
            do_raw_spin_unlock(lockp);
            preempt_enable();
        }

        /// <summary>bit_spin_lock() (lock_page_cgroup's PCG_LOCK bit; modelled with its own lock word).</summary>
        [EntersNoMigrate]
        public static void bit_spin_lock(spinlock_t bit)
        {
            preempt_disable();
            do_raw_spin_lock(bit);
        }

        /// <summary>bit_spin_unlock().</summary>
        [ExitsNoMigrate]
        public static void bit_spin_unlock(spinlock_t bit)
        {
            do_raw_spin_unlock(bit);
            preempt_enable();
        }

        private static void do_raw_spin_lock(spinlock_t lockp)
        {
            if (lockp.owner != null)
            {
                // Tasks switch only in schedule(), so a held spinlock here means its holder slept with it
                // held and this CPU would spin (forever, on its own CPU). The workloads never share a
                // spinlock that way; spinning itself is not simulated.
                throw new InvalidOperationException("BUG: spinlock lockup: " + lockp.name + " held by " + lockp.owner.comm + "/" + lockp.owner.pid);
            }

            lockp.owner = current;
        }

        private static void do_raw_spin_unlock(spinlock_t lockp)
        {
            lockp.owner = null;
        }
    }
}
