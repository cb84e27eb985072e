using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static AtomicContext.Analyzers.Tests.Verify;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Region depth over each body's control flow.</summary>
    public class FlowTests
    {
        [Fact]
        public async Task Nested_regions_report_once_naming_the_innermost_and_the_outer_still_holds_after_the_inner_exits()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class N
                {
                    static void f(spinlock_t a, spinlock_t b)
                    {
                        spin_lock(a);
                        spin_lock(b);
                        {|#0:msleep(1)|};
                        spin_unlock(b);
                        {|#1:msleep(2)|};
                        spin_unlock(a);
                        msleep(3);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 8)", "msleep"),
                Sleep(1, "'spin_lock' (line 7)", "msleep"));
        }

        [Fact]
        public async Task A_loop_that_drops_and_retakes_the_lock_around_cond_resched_is_clean()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Loop
                {
                    static void scan(spinlock_t l, int n)
                    {
                        spin_lock(l);
                        for (int i = 0; i < n; i++)
                        {
                            if (i % 64 == 0)
                            {
                                spin_unlock(l);
                                cond_resched();
                                spin_lock(l);
                            }
                            udelay(1);
                        }
                        spin_unlock(l);
                    }
                    static void scan_while(spinlock_t l, int n)
                    {
                        while (n-- > 0)
                        {
                            spin_lock(l);
                            udelay(1);
                            spin_unlock(l);
                            cond_resched();
                        }
                    }
                }
                """);
        }

        [Theory]
        [InlineData(0)]
        // The walker keeps a body's call sites in a list and indexes them past eight: with ten calls before it,
        // the sleep is the eleventh site, and its state must still be joined over the loop's passes.
        [InlineData(10)]
        public async Task A_sleep_at_the_loop_head_reached_on_the_back_edge_with_the_lock_held_is_reported(int callsBefore)
        {
            string before = string.Concat(System.Linq.Enumerable.Range(1, callsBefore).Select(i => $"udelay({i}); "));
            string source = """
                using K;
                using static K.Sched;
                class Loop
                {
                    static void f(spinlock_t l, int n)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            BEFORE{|#0:msleep(1)|};
                            spin_lock(l);
                            udelay(0);
                        }
                    {|#1:}|}
                }
                """.Replace("BEFORE", before);
            await Analyze(source,
                Sleep(0, "'spin_lock' (line 10)", "msleep"),
                At("ACA0002", 1).WithMessage("'f' leaves with region depth anything from +1 to +23 on this path, where it should leave with 0 (it is not [EntersNoMigrate] or [ExitsNoMigrate])"));
        }

        [Fact]
        public async Task Break_continue_and_goto_carry_the_region_state()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class G
                {
                    static int f(spinlock_t l, int n)
                    {
                        spin_lock(l);
                        if (n == 0) goto out_unlock;
                        if (n == 1) goto out_plain;
                        spin_unlock(l);
                        return 0;
                    out_unlock:
                        spin_unlock(l);
                        msleep(1);
                        return 1;
                    out_plain:
                        {|#0:msleep(2)|};
                        spin_unlock(l);
                        return 2;
                    }
                    static void back(spinlock_t l, int n)
                    {
                        spin_lock(l);
                    again:
                        spin_unlock(l);
                        msleep(1);
                        spin_lock(l);
                        if (n-- > 0) goto again;
                        spin_unlock(l);
                    }
                    static void backward(spinlock_t l)
                    {
                        goto start;
                    again:
                        {|#1:msleep(1)|};
                        spin_unlock(l);
                        return;
                    start:
                        spin_lock(l);
                        goto again;
                    }
                    static void brk(spinlock_t l, int n)
                    {
                        while (true)
                        {
                            spin_lock(l);
                            if (n > 3) break;
                            spin_unlock(l);
                            msleep(1);
                            if (n < 0) continue;
                        }
                        {|#2:msleep(2)|};
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 7)", "msleep"),
                Sleep(1, "'spin_lock' (line 39)", "msleep"),
                Sleep(2, "'spin_lock' (line 46)", "msleep"));
        }

        [Fact]
        public async Task Switch_sections_each_start_from_the_value_and_join_at_the_end()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class S
                {
                    static void f(spinlock_t l, int n)
                    {
                        switch (n)
                        {
                            case 0:
                                spin_lock(l);
                                break;
                            case 1:
                                msleep(1);
                                spin_lock(l);
                                break;
                            default:
                                spin_lock(l);
                                {|#0:msleep(2)|};
                                break;
                        }
                        {|#1:msleep(3)|};
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 17)", "msleep"),
                Sleep(1, "'spin_lock' (line 10)", "msleep"));
        }

        [Fact]
        public async Task Try_finally_unlocks_on_every_path_including_returns_and_catch_sees_the_try_states()
        {
            await Analyze("""
                using System;
                using K;
                using static K.Sched;
                class T
                {
                    static int f(spinlock_t l, int n)
                    {
                        spin_lock(l);
                        try
                        {
                            if (n == 0) return 0;
                            udelay(1);
                        }
                        finally
                        {
                            spin_unlock(l);
                        }
                        msleep(1);
                        return 1;
                    }
                    static void g(spinlock_t l)
                    {
                        try
                        {
                            spin_lock(l);
                            udelay(1);
                            spin_unlock(l);
                        }
                        catch (Exception)
                        {
                            {|#0:msleep(1)|};
                        }
                    {|#1:}|}
                }
                """,
                Sleep(0, "'spin_lock' (line 25)", "msleep"),
                At("ACA0002", 1));
        }

        [Fact]
        public async Task A_using_scope_whose_Dispose_exits_ends_the_region_at_its_end()
        {
            await Analyze("""
                using System;
                using AtomicContext;
                using K;
                using static K.Sched;
                struct Guard : IDisposable
                {
                    private readonly spinlock_t _l;
                    [EntersNoMigrate] public static Guard Lock(spinlock_t l) { spin_lock(l); return new Guard(l); }
                    private Guard(spinlock_t l) { _l = l; }
                    [ExitsNoMigrate] public void Dispose() => spin_unlock(_l);
                }
                class U
                {
                    static void f(spinlock_t l)
                    {
                        using (Guard.Lock(l))
                        {
                            {|#0:msleep(1)|};
                        }
                        msleep(2);
                    }
                    static void g(spinlock_t l, bool early)
                    {
                        using var guard = Guard.Lock(l);
                        if (early) return;
                        {|#1:msleep(3)|};
                    }
                    static void h(spinlock_t l)
                    {
                        {
                            using var guard = Guard.Lock(l);
                            udelay(1);
                        }
                        msleep(4);
                    }
                }
                """,
                Sleep(0, "'Lock' (line 16)", "msleep"),
                Sleep(1, "'Lock' (line 24)", "msleep"));
        }

        [Fact]
        public async Task Trylock_enters_only_where_it_returned_true_tested_directly_or_through_a_local()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Try
                {
                    static void f(spinlock_t l)
                    {
                        if (spin_trylock(l))
                        {
                            {|#0:msleep(1)|};
                            spin_unlock(l);
                        }
                        else
                        {
                            msleep(2);
                        }
                        if (!spin_trylock(l))
                            return;
                        {|#1:msleep(3)|};
                        spin_unlock(l);
                    }
                    static void g(spinlock_t l, bool x)
                    {
                        bool locked = spin_trylock(l);
                        msleep(4);
                        if (!locked)
                            return;
                        if (x)
                        {
                            spin_unlock(l);
                            return;
                        }
                        {|#2:msleep(5)|};
                        spin_unlock(l);
                    }
                    static bool h(spinlock_t l)
                    {
                        if (spin_trylock(l)) return true;
                        return false;
                    }
                }
                """,
                Sleep(0, "'spin_trylock' (line 7)", "msleep"),
                Sleep(1, "'spin_trylock' (line 16)", "msleep"),
                Sleep(2, "'spin_trylock' (line 23)", "msleep"));
        }

        [Fact]
        public async Task Local_functions_and_lambdas_are_bodies_of_their_own()
        {
            await Analyze("""
                using System;
                using AtomicContext;
                using K;
                using static K.Sched;
                class Nested
                {
                    static void f(spinlock_t l)
                    {
                        spin_lock(l);
                        {|#0:helper()|};
                        Action later = () => msleep(1);
                        Action<int> locked = n => { spin_lock(l); {|#1:msleep(n)|}; spin_unlock(l); };
                        spin_unlock(l);
                        later();

                        void helper() => msleep(2);

                        [NoMigrate]
                        void irq() { {|#2:msleep(3)|}; }
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 9)", "helper → msleep"),
                Sleep(1, "'spin_lock' (line 12)", "msleep"),
                Sleep(2, "[NoMigrate] 'irq' (line 19)", "msleep"));
        }

        [Fact]
        public async Task Conditional_locking_on_one_flag_or_one_pointer_is_correlated_between_its_tests()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Cond
                {
                    static void f(spinlock_t l, bool need)
                    {
                        if (need) spin_lock(l);
                        udelay(1);
                        if (need) {|#0:msleep(1)|};
                        if (!need) msleep(2);
                        if (need) spin_unlock(l);
                    }
                    static void g(spinlock_t maybe)
                    {
                        if (maybe != null) spin_lock(maybe);
                        udelay(1);
                        if (maybe == null) msleep(3);
                        if (maybe != null) spin_unlock(maybe);
                    }
                    static void h(spinlock_t l, bool need)
                    {
                        if (need) spin_lock(l);
                        need = !need;
                        if (need) spin_unlock(l);
                    {|#1:}|}
                    static void trylock_twice(spinlock_t l, bool x)
                    {
                        bool locked = spin_trylock(l);
                        msleep(4);
                        if (locked && x)
                        {
                            {|#2:msleep(5)|};
                            spin_unlock(l);
                        }
                        else if (locked)
                        {
                            spin_unlock(l);
                        }
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 7)", "msleep"),
                At("ACA0002", 1),
                Sleep(2, "'spin_trylock' (line 28)", "msleep"));
        }
    }
}
