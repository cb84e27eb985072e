using System.Threading.Tasks;
using AtomicContext.CodeFixes.Fixes;
using Xunit;
using V = AtomicContext.CodeFixes.Tests.Verify<AtomicContext.CodeFixes.SleepInRegionCodeFixProvider>;

namespace AtomicContext.CodeFixes.Tests
{
    public class SleepInRegionFixTests
    {
        [Fact]
        public Task Moves_a_call_that_uses_nothing_the_region_protects_before_the_opener() =>
            V.Fix("""
                using K;

                public static class C
                {
                    public static void M(spinlock_t l, int[] data, int delay)
                    {
                        int x = 1;
                        Sched.spin_lock(l);
                        data[0] = x;
                        // let the device settle
                        {|ACA0001:Sched.msleep(delay)|};
                        data[1] = x;
                        Sched.spin_unlock(l);
                    }
                }
                """, """
                using K;

                public static class C
                {
                    public static void M(spinlock_t l, int[] data, int delay)
                    {
                        int x = 1;
                        // let the device settle
                        Sched.msleep(delay);
                        Sched.spin_lock(l);
                        data[0] = x;
                        data[1] = x;
                        Sched.spin_unlock(l);
                    }
                }
                """, MoveOutOfRegionFix.Key);

        [Fact]
        public Task Does_not_move_a_call_that_reads_what_the_region_writes() =>
            V.NotOffered("""
                using K;

                public static class C
                {
                    public static void M(spinlock_t l, int[] data)
                    {
                        Sched.spin_lock(l);
                        data[0] = 5;
                        {|ACA0001:Sched.msleep(data[0])|};
                        Sched.spin_unlock(l);
                    }
                }
                """, MoveOutOfRegionFix.Key);

        [Fact]
        public Task Does_not_move_a_call_that_reads_a_local_declared_in_the_region() =>
            V.NotOffered("""
                using K;

                public static class C
                {
                    public static void M(spinlock_t l)
                    {
                        Sched.spin_lock(l);
                        int d = 5;
                        {|ACA0001:Sched.msleep(d)|};
                        Sched.spin_unlock(l);
                    }
                }
                """, MoveOutOfRegionFix.Key);

        [Fact]
        public Task Does_not_move_a_call_out_of_a_nested_block() =>
            V.NotOffered("""
                using K;

                public static class C
                {
                    public static void M(spinlock_t l, bool c)
                    {
                        Sched.spin_lock(l);
                        if (c)
                        {
                            {|ACA0001:Sched.msleep(1)|};
                        }
                        Sched.spin_unlock(l);
                    }
                }
                """, MoveOutOfRegionFix.Key);

        [Fact]
        public Task Uses_the_named_atomic_alternative() =>
            V.Fix("""
                using K;

                public static class C
                {
                    public static byte[] M(spinlock_t l)
                    {
                        Sched.spin_lock(l);
                        var p = {|ACA0001:Sched.kmalloc(64, Gfp.GFP_KERNEL)|};
                        Sched.spin_unlock(l);
                        return p;
                    }
                }
                """, """
                using K;

                public static class C
                {
                    public static byte[] M(spinlock_t l)
                    {
                        Sched.spin_lock(l);
                        var p = Sched.kmalloc(64, Gfp.GFP_ATOMIC);
                        Sched.spin_unlock(l);
                        return p;
                    }
                }
                """, AtomicAlternativeFix.Key);

        [Fact]
        public Task Qualifies_the_named_alternative_where_it_does_not_bind_as_written() =>
            V.Fix("""
                public static class C
                {
                    public static byte[] M(K.spinlock_t l)
                    {
                        K.Sched.spin_lock(l);
                        var p = {|ACA0001:K.Sched.kmalloc(64, 0xD0u)|};
                        K.Sched.spin_unlock(l);
                        return p;
                    }
                }
                """, """
                public static class C
                {
                    public static byte[] M(K.spinlock_t l)
                    {
                        K.Sched.spin_lock(l);
                        var p = K.Sched.kmalloc(64, K.Gfp.GFP_ATOMIC);
                        K.Sched.spin_unlock(l);
                        return p;
                    }
                }
                """, AtomicAlternativeFix.Key);

        [Fact]
        public Task Writes_the_literal_when_no_name_is_given() =>
            V.Fix("""
                using K;

                public static class C
                {
                    public static byte[] M()
                    {
                        Sched.preempt_disable();
                        var p = {|ACA0001:Sched.vmalloc(64, Gfp.GFP_KERNEL)|};
                        var q = {|ACA0001:Sched.vmalloc(8, Gfp.GFP_KERNEL)|};
                        Sched.preempt_enable();
                        return q ?? p;
                    }
                }
                """, """
                using K;

                public static class C
                {
                    public static byte[] M()
                    {
                        Sched.preempt_disable();
                        var p = Sched.vmalloc(64, 32U);
                        var q = Sched.vmalloc(8, 32U);
                        Sched.preempt_enable();
                        return q ?? p;
                    }
                }
                """, AtomicAlternativeFix.Key, iterations: 2, fixAllIterations: 1);

        [Fact]
        public Task Not_offered_when_the_attribute_names_no_alternative() =>
            V.NotOffered("""
                using K;

                public static class C
                {
                    public static byte[] M(spinlock_t l)
                    {
                        Sched.spin_lock(l);
                        var p = {|ACA0001:Sched.kzalloc(64, Gfp.GFP_KERNEL)|};
                        Sched.spin_unlock(l);
                        return p;
                    }
                }
                """, AtomicAlternativeFix.Key);
    }
}
