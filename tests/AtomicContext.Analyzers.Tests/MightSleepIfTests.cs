using System.Threading.Tasks;
using Xunit;
using static AtomicContext.Analyzers.Tests.Verify;

namespace AtomicContext.Analyzers.Tests
{
    public class MightSleepIfTests
    {
        [Fact]
        public async Task Constant_flags_fold_and_only_a_flag_with_the_wait_bit_sleeps()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                using static K.Gfp;
                class Alloc
                {
                    static void f(spinlock_t l, uint unknown)
                    {
                        const uint local_const = GFP_KERNEL;
                        uint once = GFP_ATOMIC;
                        uint twice = GFP_ATOMIC;
                        twice = GFP_KERNEL;
                        spin_lock(l);
                        kmalloc(8, GFP_ATOMIC);
                        kmalloc(8, GFP_KERNEL & ~__GFP_WAIT);
                        kmalloc(8, once);
                        {|#0:kmalloc(8, GFP_KERNEL)|};
                        {|#1:kmalloc(8, local_const)|};
                        {|#2:kmalloc(8, twice)|};
                        {|#3:kmalloc(8, unknown)|};
                        {|#4:kmalloc(8, __GFP_IO | __GFP_WAIT)|};
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 12)", "kmalloc"),
                Sleep(1, "'spin_lock' (line 12)", "kmalloc"),
                Sleep(2, "'spin_lock' (line 12)", "kmalloc"),
                Sleep(3, "'spin_lock' (line 12)", "kmalloc"),
                Sleep(4, "'spin_lock' (line 12)", "kmalloc"));
        }

        [Fact]
        public async Task A_wrapper_passing_its_parameter_through_inherits_the_condition()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                using static K.Gfp;
                class Alloc
                {
                    static byte[] my_alloc(int n, uint gfp) => kmalloc(n, gfp);
                    static byte[] my_alloc2(uint gfp) => my_alloc(16, gfp);
                    static byte[] locked_alloc(spinlock_t l, uint gfp)
                    {
                        spin_lock(l);
                        var p = {|#2:kmalloc(4, gfp)|};
                        spin_unlock(l);
                        return p;
                    }
                    static void f(spinlock_t l)
                    {
                        spin_lock(l);
                        my_alloc(8, GFP_ATOMIC);
                        my_alloc2(GFP_ATOMIC);
                        {|#0:my_alloc(8, GFP_KERNEL)|};
                        {|#1:my_alloc2(GFP_KERNEL)|};
                        spin_unlock(l);
                        locked_alloc(l, GFP_ATOMIC);
                    }
                }
                """,
                Sleep(2, "'spin_lock' (line 10)", "kmalloc"),
                Sleep(0, "'spin_lock' (line 17)", "my_alloc → kmalloc"),
                Sleep(1, "'spin_lock' (line 17)", "my_alloc2 → my_alloc → kmalloc"));
        }

        [Fact]
        public async Task A_MightSleepIf_that_names_no_parameter_is_ACA0008_and_the_member_counts_as_sleeping()
        {
            await Analyze("""
                using AtomicContext;
                using K;
                using static K.Sched;
                class Alloc
                {
                    [{|#0:MightSleepIf("flags", 0x10)|}]
                    static object grab(int n, uint gfp) => null;
                    [MightSleepIf(nameof(gfp), 0x10)]
                    static object grab2(int n, uint gfp) => null;
                    static void f(spinlock_t l)
                    {
                        spin_lock(l);
                        {|#1:grab(8, 0)|};
                        grab2(8, 0);
                        {|#2:grab2(8, 0x10)|};
                        spin_unlock(l);
                    }
                }
                """,
                At("ACA0008", 0).WithArguments("grab", "flags"),
                Sleep(1, "'spin_lock' (line 12)", "grab"),
                Sleep(2, "'spin_lock' (line 12)", "grab2"));
        }
    }
}
