using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static AtomicContext.Analyzers.Tests.Verify;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>The 2.6.32 exit path of KERNEL-FACTS §1.3–1.7, in two files, as the analyzer must see it.</summary>
    public class ExitMmapChainTests
    {
        private const string Memory = """
            using AtomicContext;
            using K;
            using static K.Sched;

            namespace Mm
            {
                public sealed class mm_struct { public ulong nr_ptes; public spinlock_t page_table_lock = new spinlock_t(); }
                public sealed class vm_area_struct { public mm_struct vm_mm; public vm_area_struct vm_next; public ulong vm_start, vm_end; }
                public sealed class page { public int _mapcount; }
                public sealed class mmu_gather { public mm_struct mm; public uint nr; public bool fullmm; }

                public static class Tlb
                {
                    [PerCpu] public static readonly mmu_gather[] mmu_gathers = { new mmu_gather(), new mmu_gather() };

                    [EntersNoMigrate]
                    public static mmu_gather tlb_gather_mmu(mm_struct mm, bool fullmm)
                    {
                        preempt_disable();
                        var tlb = mmu_gathers[smp_processor_id()];
                        tlb.mm = mm;
                        tlb.fullmm = fullmm;
                        return tlb;
                    }

                    [ExitsNoMigrate]
                    public static void tlb_finish_mmu(mmu_gather tlb, ulong start, ulong end)
                    {
                        tlb.nr = 0;
                        preempt_enable();
                    }
                }

                public static class Memcg
                {
                    public static bool experiment = true;
                    public static readonly rw_semaphore sem = new rw_semaphore();

                    public static void __mem_cgroup_uncharge_common(page p)
                    {
                        if (experiment)
                        {
                            down_read(sem);
                            up_read(sem);
                        }
                        p._mapcount = -1;
                    }

                    public static void mem_cgroup_uncharge_page(page p) => __mem_cgroup_uncharge_common(p);
                }

                public static class Rmap
                {
                    public static void page_remove_rmap(page p)
                    {
                        if (--p._mapcount < 0) Memcg.mem_cgroup_uncharge_page(p);
                    }
                }
            }
            """;

        private const string Walk = """
            using AtomicContext;
            using K;
            using static K.Sched;

            namespace Mm
            {
                public static class Memory
                {
                    public const int ZAP_BLOCK_SIZE = 1024;

                    [EntersNoMigrate] public static void pte_offset_map_lock(mm_struct mm) => spin_lock(mm.page_table_lock);
                    [ExitsNoMigrate] public static void pte_unmap_unlock(mm_struct mm) => spin_unlock(mm.page_table_lock);

                    public static ulong zap_pte_range(mmu_gather tlb, vm_area_struct vma, ulong addr, ulong end, ref long zap_work)
                    {
                        var mm = tlb.mm;
                        pte_offset_map_lock(mm);
                        do
                        {
                            var p = new page();
                            zap_work -= 4096;
                            {|#1:Rmap.page_remove_rmap(p)|};
                            addr += 4096;
                        } while (addr != end && zap_work > 0);
                        pte_unmap_unlock(mm);
                        return addr;
                    }

                    public static ulong zap_pmd_range(mmu_gather tlb, vm_area_struct vma, ulong addr, ulong end, ref long zap_work) => zap_pte_range(tlb, vma, addr, end, ref zap_work);
                    public static ulong zap_pud_range(mmu_gather tlb, vm_area_struct vma, ulong addr, ulong end, ref long zap_work) => zap_pmd_range(tlb, vma, addr, end, ref zap_work);
                    public static ulong unmap_page_range(mmu_gather tlb, vm_area_struct vma, ulong addr, ulong end, ref long zap_work) => zap_pud_range(tlb, vma, addr, end, ref zap_work);

                    public static ulong unmap_vmas(ref mmu_gather tlbp, vm_area_struct vma, ulong start_addr, ulong end_addr)
                    {
                        long zap_work = ZAP_BLOCK_SIZE;
                        bool fullmm = tlbp.fullmm;
                        ulong start = start_addr;
                        for (; vma != null; vma = vma.vm_next)
                        {
                            start = vma.vm_start;
                            ulong end = vma.vm_end;
                            while (start != end)
                            {
                                ulong tlb_start = start;
                                start = unmap_page_range(tlbp, vma, start, end, ref zap_work);
                                if (zap_work > 0)
                                    break;
                                Tlb.tlb_finish_mmu(tlbp, tlb_start, start);
                                cond_resched();
                                tlbp = Tlb.tlb_gather_mmu(vma.vm_mm, fullmm);
                                zap_work = ZAP_BLOCK_SIZE;
                            }
                        }
                        return start;
                    }

                    public static void free_pgtables(mmu_gather tlb, vm_area_struct vma)
                    {
                        for (; vma != null; vma = vma.vm_next) tlb.mm.nr_ptes--;
                    }

                    public static void exit_mmap(mm_struct mm, vm_area_struct vma)
                    {
                        var tlb = {|#0:Tlb.tlb_gather_mmu(mm, true)|};
                        ulong end = {|#2:unmap_vmas(ref tlb, vma, 0, ulong.MaxValue)|};
                        free_pgtables(tlb, vma);
                        Tlb.tlb_finish_mmu(tlb, 0, end);
                        might_sleep();
                        if (mm.nr_ptes > 0) throw new System.InvalidOperationException("kernel BUG at mm/mmap.c:2139!");
                    }
                }
            }
            """;

        [Fact]
        public async Task The_patched_uncharge_is_reported_at_exit_mmap_and_at_zap_pte_range_with_the_whole_chain()
        {
            await Analyze(new[] { Memory, Walk },
                Diagnostic("ACA0001").WithLocation(2).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(
                    "'unmap_vmas' may sleep while migration is disabled by 'tlb_gather_mmu' (line 64): unmap_vmas → unmap_page_range → zap_pud_range → zap_pmd_range → zap_pte_range → page_remove_rmap → mem_cgroup_uncharge_page → __mem_cgroup_uncharge_common → down_read → might_sleep"),
                Diagnostic("ACA0001").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(
                    "'page_remove_rmap' may sleep while migration is disabled by 'pte_offset_map_lock' (line 17): page_remove_rmap → mem_cgroup_uncharge_page → __mem_cgroup_uncharge_common → down_read → might_sleep"));
        }

        [Fact]
        public async Task Without_the_experiment_the_regather_dance_is_not_a_sleep_in_the_region()
        {
            var unpatched = Memory.Replace("down_read(sem);", "").Replace("up_read(sem);", "");
            Assert.NotEqual(Memory, unpatched);
            await Analyze(new[] { unpatched, Walk.Replace("{|#0:", "").Replace("{|#1:", "").Replace("{|#2:", "").Replace("|}", "") });
        }
    }
}
