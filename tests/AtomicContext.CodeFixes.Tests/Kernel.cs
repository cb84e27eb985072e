namespace AtomicContext.CodeFixes.Tests
{
    /// <summary>The attributes (a project's own copy, as the contract allows) and a few kernel primitives.</summary>
    public static class Kernel
    {
        public static readonly string Source = AtomicContext.Testing.ContractAttributes.Source + Primitives;

        private const string Primitives = """
            namespace K
            {
                using AtomicContext;

                public sealed class spinlock_t { public int locked; }

                public static class Gfp
                {
                    public const uint __GFP_WAIT = 0x10u;
                    public const uint __GFP_HIGH = 0x20u;
                    public const uint GFP_ATOMIC = __GFP_HIGH;
                    public const uint GFP_KERNEL = __GFP_WAIT | 0x40u | 0x80u;
                }

                public static class Sched
                {
                    [MightSleep] public static void might_sleep() { }
                    [MightSleep] public static void cond_resched() { }
                    [MightSleep] public static void msleep(int ms) { }
                    public static void down_read() { might_sleep(); }
                    [MightSleepIf("flags", Gfp.__GFP_WAIT, AtomicAlternative = Gfp.GFP_ATOMIC, AtomicAlternativeName = "Gfp.GFP_ATOMIC")]
                    public static byte[] kmalloc(int size, uint flags) => new byte[size];
                    [MightSleepIf("flags", Gfp.__GFP_WAIT, AtomicAlternative = Gfp.GFP_ATOMIC)]
                    public static byte[] vmalloc(int size, uint flags) => new byte[size];
                    [MightSleepIf("flags", Gfp.__GFP_WAIT)]
                    public static byte[] kzalloc(int size, uint flags) => new byte[size];

                    [EntersNoMigrate] public static void preempt_disable() { }
                    [ExitsNoMigrate] public static void preempt_enable() { }
                    [EntersNoMigrate] public static void spin_lock(spinlock_t l) { l.locked = 1; }
                    [ExitsNoMigrate] public static void spin_unlock(spinlock_t l) { l.locked = 0; }
                    [EntersNoMigrate(WhenReturns = true)] public static bool spin_trylock(spinlock_t l) { l.locked = 1; return true; }
                    [EntersNoMigrate] public static int get_cpu() => 0;
                    [ExitsNoMigrate] public static void put_cpu() { }
                    [PerCpu] public static int smp_processor_id() => 0;
                }
            }
            """;
    }
}
