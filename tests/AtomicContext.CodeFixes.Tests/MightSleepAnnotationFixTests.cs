using System.Threading.Tasks;
using AtomicContext.CodeFixes.Fixes;
using Xunit;
using V = AtomicContext.CodeFixes.Tests.Verify<AtomicContext.CodeFixes.MightSleepAnnotationCodeFixProvider>;

namespace AtomicContext.CodeFixes.Tests
{
    public class MightSleepAnnotationFixTests
    {
        private const string Override = """
            using K;

            namespace App
            {
                public abstract class Device
                {
                    public abstract void Reset();
                }

                public sealed class Disk : Device
                {
                    public override void {|ACA0003:Reset|}()
                    {
                        Sched.msleep(10);
                    }
                }
            }
            """;

        [Fact]
        public Task Declares_MightSleep_on_the_overridden_member() =>
            V.Fix(Override, """
                using AtomicContext;
                using K;

                namespace App
                {
                    public abstract class Device
                    {
                        [MightSleep]
                        public abstract void Reset();
                    }

                    public sealed class Disk : Device
                    {
                        public override void Reset()
                        {
                            Sched.msleep(10);
                        }
                    }
                }
                """, AnnotateDeclaredMemberFix.Key);

        [Fact]
        public Task Marks_the_sleeping_override_MightSleep() =>
            V.Fix(Override, """
                using AtomicContext;
                using K;

                namespace App
                {
                    public abstract class Device
                    {
                        public abstract void Reset();
                    }

                    public sealed class Disk : Device
                    {
                        [MightSleep]
                        public override void Reset()
                        {
                            Sched.msleep(10);
                        }
                    }
                }
                """, AnnotateSleepingMethodFix.Key);

        [Fact]
        public Task Marks_a_public_callee_whose_body_sleeps() =>
            V.Fix("""
                using K;

                namespace App
                {
                    public static class Io
                    {
                        public static void Flush()
                        {
                            Sched.msleep(1);
                        }

                        public static void M(spinlock_t l)
                        {
                            Sched.spin_lock(l);
                            {|ACA0001:Flush()|};
                            {|ACA0001:Flush()|};
                            Sched.spin_unlock(l);
                        }
                    }
                }
                """, """
                using AtomicContext;
                using K;

                namespace App
                {
                    public static class Io
                    {
                        [MightSleep]
                        public static void Flush()
                        {
                            Sched.msleep(1);
                        }

                        public static void M(spinlock_t l)
                        {
                            Sched.spin_lock(l);
                            {|ACA0001:Flush()|};
                            {|ACA0001:Flush()|};
                            Sched.spin_unlock(l);
                        }
                    }
                }
                """, AnnotateSleepingMethodFix.Key);

        [Fact]
        public Task Not_offered_on_a_private_callee() =>
            V.NotOffered("""
                using K;

                public static class Io
                {
                    private static void Flush() => Sched.msleep(1);

                    public static void M(spinlock_t l)
                    {
                        Sched.spin_lock(l);
                        {|ACA0001:Flush()|};
                        Sched.spin_unlock(l);
                    }
                }
                """, AnnotateSleepingMethodFix.Key);
    }
}
