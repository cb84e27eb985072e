using System.Threading.Tasks;
using AtomicContext.CodeFixes.Fixes;
using Xunit;
using V = AtomicContext.CodeFixes.Tests.Verify<AtomicContext.CodeFixes.StackGatherCodeFixProvider>;

namespace AtomicContext.CodeFixes.Tests
{
    public class StackGatherFixTests
    {
        // The gather protocols: a per-CPU one that declares its stack-passed alternative, and the alternative.
        private const string Tlb = """
            using AtomicContext;

            namespace Mm
            {
                public sealed class mm_struct { public int nr_ptes; }
                public sealed class mmu_gather { public mm_struct? mm; public bool fullmm; public int nr; }

                public static class tlb_percpu
                {
                    private static readonly mmu_gather cpu0 = new mmu_gather();

                    [EntersNoMigrate]
                    [StackAlternative(typeof(tlb_stack), nameof(tlb_stack.tlb_gather_mmu))]
                    public static mmu_gather tlb_gather_mmu(mm_struct mm, bool fullmm)
                    {
                        cpu0.mm = mm;
                        cpu0.fullmm = fullmm;
                        return cpu0;
                    }

                    [ExitsNoMigrate]
                    [StackAlternative(typeof(tlb_stack), nameof(tlb_stack.tlb_finish_mmu))]
                    public static void tlb_finish_mmu(mmu_gather tlb, ulong start, ulong end) => tlb.nr = 0;
                }

                public static class tlb_stack
                {
                    public static void tlb_gather_mmu(mmu_gather tlb, mm_struct mm, bool fullmm)
                    {
                        tlb.mm = mm;
                        tlb.fullmm = fullmm;
                    }

                    public static void tlb_finish_mmu(mmu_gather tlb, ulong start, ulong end) => tlb.nr = 0;
                }
            }
            """;

        // unmap_vmas re-takes the gather at block boundaries; zap sleeps under it.
        private const string Memory = """
            using K;
            using static Mm.tlb_percpu;

            namespace Mm
            {
                public static class memory
                {
                    public static void zap(mmu_gather tlb)
                    {
                        Sched.down_read();
                        tlb.nr++;
                    }

                    public static ulong unmap_vmas(ref mmu_gather tlbp, ulong end)
                    {
                        for (ulong i = 0; i < end; i++)
                        {
                            zap(tlbp);
                            tlb_finish_mmu(tlbp, 0, i);
                            Sched.cond_resched();

                            tlbp = tlb_gather_mmu(tlbp.mm!, tlbp.fullmm);
                        }
                        return end;
                    }
                }
            }
            """;

        private const string MemoryFixed = """
            using K;
            using static Mm.tlb_percpu;

            namespace Mm
            {
                public static class memory
                {
                    public static void zap(mmu_gather tlb)
                    {
                        Sched.down_read();
                        tlb.nr++;
                    }

                    public static ulong unmap_vmas(ref mmu_gather tlbp, ulong end)
                    {
                        for (ulong i = 0; i < end; i++)
                        {
                            zap(tlbp);
                            tlb_stack.tlb_finish_mmu(tlbp, 0, i);
                            Sched.cond_resched();

                            tlb_stack.tlb_gather_mmu(tlbp, tlbp.mm!, tlbp.fullmm);
                        }
                        return end;
                    }
                }
            }
            """;

        // Two regions that hand their gather to unmap_vmas: both must become caller-owned.
        private const string Mmap = """
            using static Mm.tlb_percpu;

            namespace Mm
            {
                public static class mmap
                {
                    public static void exit_mmap(mm_struct mm)
                    {
                        var tlb = tlb_gather_mmu(mm, true);
                        ulong end = {|ACA0001:memory.unmap_vmas(ref tlb, 4)|};
                        tlb_finish_mmu(tlb, 0, end);
                    }

                    public static void unmap_region(mm_struct mm, ulong end)
                    {
                        mmu_gather tlb = tlb_gather_mmu(mm, false);
                        end = {|ACA0001:memory.unmap_vmas(ref tlb, end)|};
                        tlb_finish_mmu(tlb, 0, end);
                    }
                }
            }
            """;

        private const string MmapFixed = """
            using static Mm.tlb_percpu;

            namespace Mm
            {
                public static class mmap
                {
                    public static void exit_mmap(mm_struct mm)
                    {
                        var tlb = new mmu_gather();
                        tlb_stack.tlb_gather_mmu(tlb, mm, true);
                        ulong end = memory.unmap_vmas(ref tlb, 4);
                        tlb_stack.tlb_finish_mmu(tlb, 0, end);
                    }

                    public static void unmap_region(mm_struct mm, ulong end)
                    {
                        mmu_gather tlb = new mmu_gather();
                        tlb_stack.tlb_gather_mmu(tlb, mm, false);
                        end = memory.unmap_vmas(ref tlb, end);
                        tlb_stack.tlb_finish_mmu(tlb, 0, end);
                    }
                }
            }
            """;

        [Fact]
        public Task Converts_every_use_the_gather_flows_into_across_documents() =>
            V.Fix(
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Memory.cs", Memory), ("/0/Mmap.cs", Mmap) },
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Memory.cs", MemoryFixed), ("/0/Mmap.cs", MmapFixed) },
                StackGatherFix.Key);

        [Fact]
        public Task A_region_inside_the_callee_pulls_in_its_callers()
        {
            // The region is the callee's own re-take; converting it converts what its callers hand in too (a
            // per-CPU gather, or nothing at all, would not do for the stack protocol).
            const string memory = """
                using K;
                using static Mm.tlb_percpu;

                namespace Mm
                {
                    public static class memory
                    {
                        public static void regather(ref mmu_gather tlbp, mm_struct mm)
                        {
                            tlbp = tlb_gather_mmu(mm, true);
                            {|ACA0001:Sched.msleep(1)|};
                            tlb_finish_mmu(tlbp, 0, 0);
                        }
                    }
                }
                """;
            const string memoryFixed = """
                using K;
                using static Mm.tlb_percpu;

                namespace Mm
                {
                    public static class memory
                    {
                        public static void regather(ref mmu_gather tlbp, mm_struct mm)
                        {
                            tlb_stack.tlb_gather_mmu(tlbp, mm, true);
                            Sched.msleep(1);
                            tlb_stack.tlb_finish_mmu(tlbp, 0, 0);
                        }
                    }
                }
                """;
            const string mmap = """
                using static Mm.tlb_percpu;

                namespace Mm
                {
                    public static class mmap
                    {
                        public static void exit_mmap(mm_struct mm)
                        {
                            var tlb = tlb_gather_mmu(mm, true);
                            tlb_finish_mmu(tlb, 0, 0);
                            memory.regather(ref tlb, mm);
                        }

                        public static void fresh(mm_struct mm)
                        {
                            mmu_gather tlb = null!;
                            memory.regather(ref tlb, mm);
                        }
                    }
                }
                """;
            const string mmapFixed = """
                using static Mm.tlb_percpu;

                namespace Mm
                {
                    public static class mmap
                    {
                        public static void exit_mmap(mm_struct mm)
                        {
                            var tlb = new mmu_gather();
                            tlb_stack.tlb_gather_mmu(tlb, mm, true);
                            tlb_stack.tlb_finish_mmu(tlb, 0, 0);
                            memory.regather(ref tlb, mm);
                        }

                        public static void fresh(mm_struct mm)
                        {
                            mmu_gather tlb = new mmu_gather();
                            memory.regather(ref tlb, mm);
                        }
                    }
                }
                """;
            return V.Fix(
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Memory.cs", memory), ("/0/Mmap.cs", mmap) },
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Memory.cs", memoryFixed), ("/0/Mmap.cs", mmapFixed) },
                StackGatherFix.Key);
        }

        [Fact]
        public Task A_local_re_taken_without_an_opener_initialiser_is_created_first()
        {
            const string source = """
                using K;
                using static Mm.tlb_percpu;

                namespace Mm
                {
                    public static class C
                    {
                        public static void M(mm_struct mm)
                        {
                            mmu_gather? tlb = null;
                            tlb = tlb_gather_mmu(mm, true);
                            {|ACA0001:Sched.msleep(1)|};
                            tlb_finish_mmu(tlb, 0, 0);
                        }
                    }
                }
                """;
            const string fixedSource = """
                using K;
                using static Mm.tlb_percpu;

                namespace Mm
                {
                    public static class C
                    {
                        public static void M(mm_struct mm)
                        {
                            mmu_gather? tlb = new mmu_gather();
                            tlb_stack.tlb_gather_mmu(tlb, mm, true);
                            Sched.msleep(1);
                            tlb_stack.tlb_finish_mmu(tlb, 0, 0);
                        }
                    }
                }
                """;
            return V.Fix(
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Test0.cs", source) },
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Test0.cs", fixedSource) },
                StackGatherFix.Key);
        }

        [Fact]
        public Task Not_offered_for_a_region_without_a_stack_alternative() =>
            V.NotOffered("""
                using K;

                public static class C
                {
                    public static void M(spinlock_t l)
                    {
                        Sched.spin_lock(l);
                        {|ACA0001:Sched.msleep(1)|};
                        Sched.spin_unlock(l);
                    }
                }
                """, StackGatherFix.Key);

        [Fact]
        public Task Not_offered_when_the_object_escapes_into_a_field()
        {
            const string source = """
                using K;
                using static Mm.tlb_percpu;

                namespace Mm
                {
                    public static class C
                    {
                        public static mmu_gather? last;

                        public static void M(mm_struct mm)
                        {
                            var tlb = tlb_gather_mmu(mm, true);
                            last = tlb;
                            {|ACA0001:Sched.msleep(1)|};
                            tlb_finish_mmu(tlb, 0, 0);
                        }
                    }
                }
                """;
            return V.Fix(
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Test0.cs", source) },
                new[] { ("/0/Tlb.cs", Tlb), ("/0/Test0.cs", source) },
                StackGatherFix.Key, iterations: 0);
        }
    }
}
