using System.Threading.Tasks;
using Xunit;
using static AtomicContext.Analyzers.Tests.Verify;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Summaries keep the depth relative to entry: each region hears once about each call in it.</summary>
    public class SummaryTests
    {
        [Fact]
        public async Task A_callee_that_exits_the_callers_region_sleeps_and_reenters_is_not_a_sleep_for_one_region()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class R
                {
                    static void relax(spinlock_t l) { spin_unlock(l); cond_resched(); spin_lock(l); }
                    static void once(spinlock_t l) { spin_lock(l); relax(l); spin_unlock(l); }
                    static void twice(spinlock_t a, spinlock_t b)
                    {
                        spin_lock(a);
                        spin_lock(b);
                        {|#0:relax(b)|};
                        spin_unlock(b);
                        spin_unlock(a);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 10)", "relax → cond_resched"));
        }

        [Fact]
        public async Task A_sleep_inside_the_callees_own_region_is_reported_there_and_in_the_callers_region()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class R
                {
                    static void inner(spinlock_t l, mutex m) { spin_lock(l); {|#0:mutex_lock(m)|}; spin_unlock(l); }
                    static void middle(spinlock_t l, mutex m) => inner(l, m);
                    static void outer(spinlock_t g, spinlock_t l, mutex m)
                    {
                        preempt_disable();
                        {|#1:middle(l, m)|};
                        preempt_enable();
                        middle(l, m);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 5)", "mutex_lock"),
                Sleep(1, "'preempt_disable' (line 9)", "middle → inner → mutex_lock"));
        }

        [Fact]
        public async Task Recursion_and_mutual_recursion_reach_a_fixpoint_and_chains_end_at_the_sleeper()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Rec
                {
                    static void a(int n) { if (n > 0) b(n - 1); }
                    static void b(int n) { if (n > 0) a(n - 1); else c(); }
                    static void c() { if (System.Environment.TickCount > 0) a(1); msleep(1); }
                    static void self(int n) { if (n > 0) self(n - 1); }
                    static void f(spinlock_t l)
                    {
                        spin_lock(l);
                        {|#0:a(3)|};
                        self(3);
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 11)", "a → b → c → msleep"));
        }

        [Fact]
        public async Task The_additional_locations_are_the_opener_then_each_hops_call_site()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Hops
                {
                    static void two() => {|#3:msleep(1)|};
                    static void one() => {|#2:two()|};
                    static void f(spinlock_t l)
                    {
                        {|#1:spin_lock(l)|};
                        {|#0:one()|};
                        spin_unlock(l);
                    }
                }
                """,
                Diagnostic("ACA0001").WithLocation(0).WithLocation(1).WithLocation(0).WithLocation(2).WithLocation(3)
                    .WithMessage("'one' may sleep while migration is disabled by 'spin_lock' (line 9): one → two → msleep"));
        }

        [Fact]
        public async Task The_escape_hatch_cuts_the_chain_and_needs_a_justification()
        {
            await Analyze("""
                using AtomicContext;
                using K;
                using static K.Sched;
                class Hatch
                {
                    [AssumeNoSleep("the rwsem is never taken for write while exiting")]
                    static void uncharge(rw_semaphore s) { down_read(s); up_read(s); }
                    [{|#1:AssumeNoSleep("")|}]
                    static void lazy(rw_semaphore s) { down_read(s); }
                    static void f(spinlock_t l, rw_semaphore s)
                    {
                        spin_lock(l);
                        uncharge(s);
                        lazy(s);
                        {|#0:down_read(s)|};
                        spin_unlock(l);
                    }
                }
                """,
                At("ACA0006", 1),
                Sleep(0, "'spin_lock' (line 12)", "down_read → might_sleep"));
        }

        [Fact]
        public async Task A_depth_that_grows_around_a_cycle_still_gives_chains_that_end_at_the_sleeper()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Cyc
                {
                    static void a(spinlock_t l, int n) { spin_lock(l); if (n > 0) {|#1:b(l, n - 1)|}; spin_unlock(l); }
                    static void b(spinlock_t l, int n) { if (n > 0) a(l, n - 1); else msleep(1); }
                    static void top(spinlock_t l) { preempt_disable(); {|#0:a(l, 3)|}; preempt_enable(); }
                }
                """,
                Sleep(1, "'spin_lock' (line 5)", "b → msleep"),
                Sleep(0, "'preempt_disable' (line 7)", "a → b → msleep"));
        }
    }
}
