using System.Threading.Tasks;
using Xunit;
using static AtomicContext.Analyzers.Tests.Verify;

namespace AtomicContext.Analyzers.Tests
{
    public class BasicRuleTests
    {
        [Fact]
        public async Task Direct_sleep_and_a_chain_inside_a_spinlock_are_reported_after_the_unlock_not()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Blk
                {
                    static void sync(spinlock_t l) => drain();
                    static void drain() => msleep(1);
                    static void cleanup(spinlock_t l)
                    {
                        spin_lock(l);
                        {|#0:msleep(1)|};
                        {|#1:sync(l)|};
                        spin_unlock(l);
                        sync(l);
                        msleep(2);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 9)", "msleep"),
                Sleep(1, "'spin_lock' (line 9)", "sync → drain → msleep"));
        }

        [Fact]
        public async Task A_call_made_where_the_caller_holds_no_region_is_never_reported()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class C
                {
                    static void sleeper() => msleep(1);
                    static void caller() { sleeper(); msleep(3); might_sleep(); }
                    static void busy(spinlock_t l) { spin_lock(l); udelay(10); spin_unlock(l); }
                }
                """);
        }

        [Fact]
        public async Task NoMigrate_body_is_a_region_and_calling_it_outside_one_is_ACA0004()
        {
            await Analyze("""
                using AtomicContext;
                using K;
                using static K.Sched;
                class Irq
                {
                    [NoMigrate]
                    static void handler(mutex m)
                    {
                        {|#0:mutex_lock(m)|};
                    }
                    static void outside(mutex m) => {|#1:handler(m)|};
                    static void inside(mutex m) { preempt_disable(); {|#2:handler(m)|}; preempt_enable(); }
                }
                """,
                Sleep(0, "[NoMigrate] 'handler' (line 7)", "mutex_lock"),
                At("ACA0004", 1).WithMessage("'handler' is [NoMigrate], but migration may be enabled here"),
                Sleep(2, "'preempt_disable' (line 12)", "handler → mutex_lock"));
        }

        [Fact]
        public async Task Per_cpu_data_outside_a_region_is_ACA0004_inside_it_is_not()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class P
                {
                    static int bad() => {|#0:smp_processor_id()|};
                    static long bad2() => {|#1:irq_stat|}[0];
                    static int good() { int cpu = get_cpu(); int id = smp_processor_id(); long s = irq_stat[cpu]; put_cpu(); return id; }
                }
                """,
                At("ACA0004", 0).WithMessage("'smp_processor_id' is per-CPU data, but migration may be enabled here"),
                At("ACA0004", 1));
        }

        [Fact]
        public async Task Region_left_open_on_an_error_path_is_ACA0002_at_the_return()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Q
                {
                    static int set_depth(spinlock_t l, int depth)
                    {
                        spin_lock(l);
                        if (depth <= 0)
                            {|#0:return -22;|}
                        spin_unlock(l);
                        return 0;
                    }
                    static void twice(spinlock_t l)
                    {
                        spin_lock(l);
                        spin_unlock(l);
                        spin_unlock(l);
                    {|#1:}|}
                    static void fall_off(spinlock_t l, bool b)
                    {
                        if (b) spin_lock(l);
                    {|#2:}|}
                }
                """,
                At("ACA0002", 0).WithMessage("'set_depth' leaves with region depth +1 on this path, where it should leave with 0 (it is not [EntersNoMigrate] or [ExitsNoMigrate])"),
                At("ACA0002", 1).WithMessage("'twice' leaves with region depth -1 on this path, where it should leave with 0 (it is not [EntersNoMigrate] or [ExitsNoMigrate])"),
                At("ACA0002", 2));
        }

        [Fact]
        public async Task Annotated_openers_and_closers_are_checked_against_their_declared_effect_and_primitives_are_trusted()
        {
            await Analyze("""
                using AtomicContext;
                using K;
                using static K.Sched;
                class L
                {
                    [EntersNoMigrate] static void lock_it(spinlock_t l) { preempt_disable(); l.locked = 1; }
                    [ExitsNoMigrate] static void unlock_it(spinlock_t l) { l.locked = 0; preempt_enable(); }
                    [EntersNoMigrate] static void primitive(spinlock_t l) { l.locked = 1; }
                    [EntersNoMigrate] static void broken(spinlock_t l) { preempt_disable(); preempt_enable(); {|#0:}|}
                    [EntersNoMigrate(WhenReturns = true)] static bool try_it(spinlock_t l) { if (spin_trylock(l)) return true; return false; }
                }
                """,
                At("ACA0002", 0).WithMessage("'broken' leaves with region depth 0 on this path, where it should leave with +1"));
        }

        [Fact]
        public async Task Await_and_yield_return_inside_a_region_are_ACA0005()
        {
            await Analyze("""
                using System.Collections.Generic;
                using System.Threading.Tasks;
                using K;
                using static K.Sched;
                class A
                {
                    static async Task f(spinlock_t l)
                    {
                        await Task.Yield();
                        spin_lock(l);
                        {|#0:await Task.Yield()|};
                        spin_unlock(l);
                    }
                    static IEnumerable<int> g(spinlock_t l)
                    {
                        yield return 0;
                        preempt_disable();
                        {|#1:yield return 1;|}
                        preempt_enable();
                    }
                }
                """,
                At("ACA0005", 0).WithMessage("'await' inside a no-migrate region entered by 'spin_lock' (line 10): the continuation may run on another thread"),
                At("ACA0005", 1).WithMessage("'yield return' inside a no-migrate region entered by 'preempt_disable' (line 17): the continuation may run on another thread"));
        }
    }
}
