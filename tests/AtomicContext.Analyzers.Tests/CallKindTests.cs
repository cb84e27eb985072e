using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static AtomicContext.Analyzers.Tests.Verify;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>Every kind of call reaches the callee's facts.</summary>
    public class CallKindTests
    {
        [Fact]
        public async Task Constructors_properties_indexers_and_operators_are_calls()
        {
            await Analyze("""
                using AtomicContext;
                using K;
                using static K.Sched;
                class Dev
                {
                    public Dev() { msleep(1); }
                    [MightSleep] public int Status => 0;
                    public int Lazy { get => 0; set => msleep(value); }
                    public int this[int i] { get { might_sleep(); return i; } }
                    public static Dev operator +(Dev a, Dev b) { msleep(1); return a; }
                }
                class User
                {
                    static void f(spinlock_t l, Dev d)
                    {
                        spin_lock(l);
                        var x = {|#0:new Dev()|};
                        int s = {|#1:d.Status|};
                        int q = d.Lazy;
                        {|#2:d.Lazy|} = 3;
                        int i = {|#3:d[1]|};
                        var y = {|#4:d + d|};
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 16)", "Dev → msleep"),
                Sleep(1, "'spin_lock' (line 16)", "Status"),
                Sleep(2, "'spin_lock' (line 16)", "Lazy → msleep"),
                Sleep(3, "'spin_lock' (line 16)", "Dev[] → might_sleep"),
                Sleep(4, "'spin_lock' (line 16)", "op_Addition → msleep"));
        }

        [Fact]
        public async Task User_defined_increment_and_compound_assignment_operators_are_calls()
        {
            await Analyze("""
                using K;
                using static K.Sched;
                class Counter
                {
                    public static Counter operator ++(Counter c) { msleep(1); return c; }
                    public static Counter operator +(Counter a, int b) { msleep(b); return a; }
                }
                class User
                {
                    static void f(spinlock_t l, Counter c)
                    {
                        spin_lock(l);
                        {|#0:c++|};
                        {|#1:c += 2|};
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 12)", "op_Increment → msleep"),
                Sleep(1, "'spin_lock' (line 12)", "op_Addition → msleep"));
        }

        [Fact]
        public async Task Dotnet_blocking_members_and_the_lock_statement_sleep()
        {
            await Analyze("""
                using System.Threading;
                using System.Threading.Tasks;
                using K;
                using static K.Sched;
                class B
                {
                    static readonly object gate = new object();
                    static void f(spinlock_t l, Task<int> t, SemaphoreSlim sem, ManualResetEventSlim ev, WaitHandle h)
                    {
                        spin_lock(l);
                        {|#0:Thread.Sleep(1)|};
                        {|#1:lock (gate)|} { }
                        {|#2:Monitor.Enter(gate)|};
                        {|#3:t.Wait()|};
                        int r = {|#4:t.Result|};
                        int g = {|#5:t.GetAwaiter().GetResult()|};
                        {|#6:sem.Wait()|};
                        {|#7:ev.Wait()|};
                        {|#8:h.WaitOne()|};
                        Monitor.TryEnter(gate);
                        Monitor.Exit(gate);
                        sem.Release();
                        Thread.SpinWait(10);
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 10)", "Thread.Sleep"),
                At("ACA0001", 1).WithMessage("'lock (Monitor.Enter)' may sleep while migration is disabled by 'spin_lock' (line 10): lock (Monitor.Enter)"),
                Sleep(2, "'spin_lock' (line 10)", "Monitor.Enter"),
                Sleep(3, "'spin_lock' (line 10)", "Task.Wait"),
                Sleep(4, "'spin_lock' (line 10)", "Result"),
                Sleep(5, "'spin_lock' (line 10)", "TaskAwaiter.GetResult"),
                Sleep(6, "'spin_lock' (line 10)", "SemaphoreSlim.Wait"),
                Sleep(7, "'spin_lock' (line 10)", "ManualResetEventSlim.Wait"),
                Sleep(8, "'spin_lock' (line 10)", "WaitHandle.WaitOne"));
        }

        [Fact]
        public async Task Implicit_Dispose_that_sleeps_is_reported_at_the_using()
        {
            await Analyze("""
                using System;
                using K;
                using static K.Sched;
                sealed class Flusher : IDisposable
                {
                    public void Dispose() => msleep(1);
                }
                class D
                {
                    static void f(spinlock_t l)
                    {
                        spin_lock(l);
                        {|#0:using (var f = new Flusher())|}
                        {
                        }
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 12)", "Dispose → msleep"));
        }

        [Fact]
        public async Task Extension_generic_delegate_interface_and_virtual_calls()
        {
            await Analyze("""
                using AtomicContext;
                using K;
                using static K.Sched;
                [MightSleep] delegate void Work();
                delegate void Quick();
                interface IDev { [MightSleep] void Reset(); void Poll(); }
                class Base { public virtual void Sync() => msleep(1); public virtual void Nop() { } }
                class Derived : Base { public override void {|#5:Nop|}() => msleep(2); }
                static class Ext
                {
                    public static void Flush(this spinlock_t l) => might_sleep();
                    public static T Wait<T>(T x) { msleep(1); return x; }
                }
                class Calls
                {
                    static void f(spinlock_t l, Work w, Quick q, IDev dev, Base b)
                    {
                        spin_lock(l);
                        {|#0:l.Flush()|};
                        {|#1:Ext.Wait(3)|};
                        {|#2:w()|};
                        q();
                        {|#3:dev.Reset()|};
                        dev.Poll();
                        {|#4:b.Sync()|};
                        b.Nop();
                        spin_unlock(l);
                    }
                }
                """,
                At("ACA0003", 5).WithMessage("'Nop' may sleep (msleep), but 'Nop', which callers see, is not [MightSleep]"),
                Sleep(0, "'spin_lock' (line 18)", "Flush → might_sleep"),
                Sleep(1, "'spin_lock' (line 18)", "Wait → msleep"),
                Sleep(2, "'spin_lock' (line 18)", "Work"),
                Sleep(3, "'spin_lock' (line 18)", "Reset"),
                Sleep(4, "'spin_lock' (line 18)", "Sync → msleep"));
        }

        [Fact]
        public async Task A_local_holding_one_lambda_or_method_group_runs_that_body_when_invoked()
        {
            await Analyze("""
                using System;
                using K;
                using static K.Sched;
                class Del
                {
                    static void nap() => msleep(1);
                    static void f(spinlock_t l, Action unknown)
                    {
                        Action work = () => might_sleep();
                        Action named = nap;
                        Action quick = () => udelay(1);
                        Action changed = () => udelay(1);
                        changed = nap;
                        spin_lock(l);
                        {|#0:work()|};
                        {|#1:named()|};
                        quick();
                        changed();
                        unknown();
                        spin_unlock(l);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 14)", "work → might_sleep"),
                Sleep(1, "'spin_lock' (line 14)", "named → msleep"));
        }

        [Fact]
        public async Task A_delegate_local_written_again_after_the_call_is_not_taken_for_its_first_lambda()
        {
            // The local is told from its declarator without a second pass over the body only when the body's text
            // names it nowhere else (`invoked`, first, before anything made the scan); a later write (here, after the
            // call) or a mention in a comment sends it through the full scan, which gives the same answer as before.
            await Analyze("""
                using System;
                using K;
                using static K.Sched;
                class Del2
                {
                    static void f(spinlock_t l)
                    {
                        Action rewritten = () => msleep(1);
                        Action noted = () => msleep(2); // noted sleeps
                        Action invoked = () => msleep(3);
                        spin_lock(l);
                        {|#1:invoked.Invoke()|};
                        rewritten();
                        {|#0:noted()|};
                        spin_unlock(l);
                        rewritten = () => udelay(1);
                    }
                }
                """,
                Sleep(0, "'spin_lock' (line 11)", "noted → msleep"),
                Sleep(1, "'spin_lock' (line 11)", "invoked → msleep"));
        }

        [Fact]
        public async Task The_override_rule_is_off_unless_configured()
        {
            var compilation = Compiler.Create(new[] { """
                using K;
                using static K.Sched;
                class Base { public virtual void Nop() { } }
                class Derived : Base { public override void Nop() => msleep(2); }
                """ });
            var off = await Compiler.AnalyzeAll(compilation);
            Assert.Empty(off.Exceptions);
            Assert.Empty(off.Diagnostics);
            var on = await Compiler.AnalyzeAll(compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
                new[] { new System.Collections.Generic.KeyValuePair<string, Microsoft.CodeAnalysis.ReportDiagnostic>("ACA0003", Microsoft.CodeAnalysis.ReportDiagnostic.Warn) })));
            Assert.Equal(new[] { "ACA0003" }, on.Diagnostics.Select(d => d.Id));
        }
    }
}
