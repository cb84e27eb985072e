using System.Threading.Tasks;
using AtomicContext.CodeFixes.Fixes;
using Xunit;
using V = AtomicContext.CodeFixes.Tests.Verify<AtomicContext.CodeFixes.ExitRegionCodeFixProvider>;

namespace AtomicContext.CodeFixes.Tests
{
    public class ExitRegionFixTests
    {
        [Fact]
        public Task Inserts_the_matching_exit_before_an_embedded_return() =>
            V.Fix("""
                using K;

                public static class C
                {
                    public static int M(spinlock_t l, int[] data)
                    {
                        Sched.spin_lock(l);
                        if (data.Length == 0)
                            {|ACA0002:return -1;|}
                        data[0]++;
                        Sched.spin_unlock(l);
                        return 0;
                    }
                }
                """, """
                using K;

                public static class C
                {
                    public static int M(spinlock_t l, int[] data)
                    {
                        Sched.spin_lock(l);
                        if (data.Length == 0)
                        {
                            Sched.spin_unlock(l);
                            return -1;
                        }
                        data[0]++;
                        Sched.spin_unlock(l);
                        return 0;
                    }
                }
                """, ExitRegionFix.Key);

        [Fact]
        public Task Inserts_the_exit_before_a_return_in_a_block_and_at_the_end() =>
            V.Fix("""
                using K;

                public static class C
                {
                    public static void M(int[] data)
                    {
                        Sched.get_cpu();
                        if (data.Length == 0)
                        {
                            {|ACA0002:return;|}
                        }
                        data[0]++;
                    {|ACA0002:}|}
                }
                """, """
                using K;

                public static class C
                {
                    public static void M(int[] data)
                    {
                        Sched.get_cpu();
                        if (data.Length == 0)
                        {
                            Sched.put_cpu();
                            return;
                        }
                        data[0]++;
                        Sched.put_cpu();
                    }
                }
                """, ExitRegionFix.Key, iterations: 2, fixAllIterations: 1);

        [Fact]
        public Task Not_offered_when_the_return_computes_its_value_in_the_region() =>
            V.NotOffered("""
                using K;

                public static class C
                {
                    public static int M(spinlock_t l, int[] data)
                    {
                        Sched.spin_lock(l);
                        if (data.Length == 0)
                            {|ACA0002:return data[0] + 1;|}
                        Sched.spin_unlock(l);
                        return 0;
                    }
                }
                """, ExitRegionFix.Key);

        [Fact]
        public Task Not_offered_when_the_lock_argument_is_reassigned() =>
            V.NotOffered("""
                using K;

                public static class C
                {
                    public static int M(spinlock_t l, spinlock_t other, bool c)
                    {
                        Sched.spin_lock(l);
                        if (c)
                            l = other;
                        if (c)
                            {|ACA0002:return 1;|}
                        Sched.spin_unlock(l);
                        return 0;
                    }
                }
                """, ExitRegionFix.Key);

        [Theory]
        [InlineData("spin_lock", "spin_unlock")]
        [InlineData("spin_lock_irqsave", "spin_unlock_irqrestore")]
        [InlineData("preempt_disable", "preempt_enable")]
        [InlineData("get_cpu", "put_cpu")]
        [InlineData("rcu_read_lock", "rcu_read_unlock")]
        [InlineData("EnterRegion", "ExitRegion")]
        [InlineData("AcquireLock", "ReleaseUnlock")]
        public void Pairs_opener_and_exit_names(string opener, string exit) =>
            Assert.Equal(exit, ExitRegionFix.PairedName(opener));
    }
}
