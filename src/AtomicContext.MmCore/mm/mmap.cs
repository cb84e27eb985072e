using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>mm/mmap.c, the parts shared by 2.6.32 and 3.0: creating, splitting and removing VMAs, munmap.</summary>
    public static class mmap
    {
        /// <summary>VM_READ.</summary>
        public const ulong VM_READ = 0x1;

        /// <summary>VM_WRITE.</summary>
        public const ulong VM_WRITE = 0x2;

        /// <summary>VM_SHARED.</summary>
        public const ulong VM_SHARED = 0x8;

        /// <summary>VM_ACCOUNT.</summary>
        public const ulong VM_ACCOUNT = 0x00100000;

        /// <summary>Committed memory (vm_committed_as), in pages.</summary>
        public static void vm_unacct_memory(ulong pages)
        {
        }

        /// <summary>find_vma(): the first VMA with vm_end &gt; addr.</summary>
        public static vm_area_struct? find_vma(mm_struct mm, ulong addr)
        {
            for (vm_area_struct? vma = mm.mmap; vma != null; vma = vma.vm_next)
            {
                if (vma.vm_end > addr)
                {
                    return vma;
                }
            }

            return null;
        }

        /// <summary>find_vma_prev().</summary>
        public static vm_area_struct? find_vma_prev(mm_struct mm, ulong addr, out vm_area_struct? prev)
        {
            prev = null;
            for (vm_area_struct? vma = mm.mmap; vma != null; vma = vma.vm_next)
            {
                if (vma.vm_end > addr)
                {
                    return vma;
                }

                prev = vma;
            }

            return null;
        }

        /// <summary>kmem_cache_alloc(vm_area_cachep, GFP_KERNEL): may sleep.</summary>
        public static vm_area_struct vm_area_alloc(mm_struct mm)
        {
            might_sleep();
            return new vm_area_struct { vm_mm = mm };
        }

        /// <summary>__vma_link_file(): add to the file's i_mmap under i_mmap_lock.</summary>
        public static void vma_link_file(vm_area_struct vma)
        {
            address_space? mapping = vma.vm_file;
            if (mapping == null)
            {
                return;
            }

            spin_lock(mapping.i_mmap_lock);
            mapping.i_mmap.Add(vma);
            spin_unlock(mapping.i_mmap_lock);
        }

        /// <summary>unlink_file_vma() (takes i_mmap_lock, a spinlock in 2.6.32).</summary>
        public static void unlink_file_vma(vm_area_struct vma)
        {
            address_space? mapping = vma.vm_file;
            if (mapping == null)
            {
                return;
            }

            spin_lock(mapping.i_mmap_lock);
            mapping.i_mmap.Remove(vma);
            spin_unlock(mapping.i_mmap_lock);
        }

        /// <summary>Insert a VMA in address order.</summary>
        public static void vma_link(mm_struct mm, vm_area_struct vma)
        {
            find_vma_prev(mm, vma.vm_start, out vm_area_struct? prev);
            if (prev == null)
            {
                vma.vm_next = mm.mmap;
                mm.mmap = vma;
            }
            else
            {
                vma.vm_next = prev.vm_next;
                prev.vm_next = vma;
            }

            vma_link_file(vma);
            mm.total_vm += (vma.vm_end - vma.vm_start) >> PAGE_SHIFT;
        }

        /// <summary>do_mmap_pgoff() reduced to a fixed mapping at a free address (caller holds mmap_sem for write).</summary>
        public static ulong do_mmap_fixed(mm_struct mm, ulong addr, ulong len, address_space? file, ulong pgoff)
        {
            vm_area_struct vma = vm_area_alloc(mm);
            vma.vm_start = addr;
            vma.vm_end = addr + len;
            vma.vm_flags = VM_READ | VM_WRITE | (file == null ? VM_ACCOUNT : VM_SHARED);
            vma.vm_file = file;
            vma.vm_pgoff = pgoff;
            vma_link(mm, vma);
            return addr;
        }

        /// <summary>split_vma(): split at <paramref name="addr"/>; the new VMA is the lower part when <paramref name="new_below"/>.</summary>
        public static void split_vma(mm_struct mm, vm_area_struct vma, ulong addr, bool new_below)
        {
            vm_area_struct @new = vm_area_alloc(mm);
            @new.vm_flags = vma.vm_flags;
            @new.vm_file = vma.vm_file;
            @new.anon_vma = vma.anon_vma;
            if (new_below)
            {
                @new.vm_start = vma.vm_start;
                @new.vm_end = addr;
                @new.vm_pgoff = vma.vm_pgoff;
                vma.vm_pgoff += (addr - vma.vm_start) >> PAGE_SHIFT;
                vma.vm_start = addr;
            }
            else
            {
                @new.vm_start = addr;
                @new.vm_end = vma.vm_end;
                @new.vm_pgoff = vma.vm_pgoff + ((addr - vma.vm_start) >> PAGE_SHIFT);
                vma.vm_end = addr;
            }

            anon_vma_link(@new);
            mm.total_vm -= (@new.vm_end - @new.vm_start) >> PAGE_SHIFT;
            vma_link(mm, @new);
        }

        /// <summary>remove_vma() (mmap.c L229ff): has might_sleep() — legal, the gather is already released.</summary>
        public static vm_area_struct? remove_vma(vm_area_struct vma)
        {
            vm_area_struct? next = vma.vm_next;
            might_sleep();
            return next;
        }

        /// <summary>
        /// do_munmap() (mmap.c): split the VMAs at the edges, detach [start, start+len), unmap it with the
        /// running kernel version's <c>unmap_region</c>, then remove the detached VMAs. Caller holds
        /// mmap_sem for write.
        /// </summary>
        public static int do_munmap(mm_struct mm, ulong start, ulong len)
        {
            ulong end = start + len;
            vm_area_struct? vma = find_vma_prev(mm, start, out vm_area_struct? prev);
            if (vma == null || vma.vm_start >= end)
            {
                return 0;
            }

            if (start > vma.vm_start)
            {
                split_vma(mm, vma, start, true);
                prev = vma.vm_start == start ? find_prev(mm, vma) : prev;
            }

            vm_area_struct? last = find_vma(mm, end);
            if (last != null && end > last.vm_start)
            {
                split_vma(mm, last, end, true);
            }

            vma = prev != null ? prev.vm_next : mm.mmap;

            // detach_vmas_to_be_unmapped()
            vm_area_struct? first = vma;
            vm_area_struct? tail = null;
            while (vma != null && vma.vm_start < end)
            {
                mm.total_vm -= (vma.vm_end - vma.vm_start) >> PAGE_SHIFT;
                tail = vma;
                vma = vma.vm_next;
            }

            if (tail == null || first == null)
            {
                return 0;
            }

            tail.vm_next = null;
            if (prev != null)
            {
                prev.vm_next = vma;
            }
            else
            {
                mm.mmap = vma;
            }

            if (Machine.current.Config.Gather == GatherKind.PerCpu)
            {
                mm_2_6_32.unmap_region(mm, first, prev, start, end);
            }
            else
            {
                mm_3_0.unmap_region(mm, first, prev, start, end);
            }

            // remove_vma_list()
            for (vm_area_struct? v = first; v != null;)
            {
                v = remove_vma(v);
            }

            return 0;
        }

        /// <summary>sys_munmap().</summary>
        public static int sys_munmap(ulong addr, ulong len)
        {
            mm_struct mm = current.mm!;
            down_write(mm.mmap_sem);
            int ret = do_munmap(mm, addr, len);
            up_write(mm.mmap_sem);
            return ret;
        }

        /// <summary>sys_mmap() of a fixed range (anonymous when <paramref name="file"/> is null).</summary>
        public static ulong sys_mmap_fixed(ulong addr, ulong len, address_space? file)
        {
            mm_struct mm = current.mm!;
            down_write(mm.mmap_sem);
            ulong ret = do_mmap_fixed(mm, addr, len, file, 0);
            up_write(mm.mmap_sem);
            return ret;
        }

        /// <summary>do_page_fault(): take mmap_sem for read, find the VMA, handle the fault.</summary>
        public static int do_page_fault(ulong address, bool write)
        {
            mm_struct mm = current.mm!;
            down_read(mm.mmap_sem);
            vm_area_struct? vma = find_vma(mm, address);
            int ret = -14;
            if (vma != null && vma.vm_start <= address)
            {
                ret = handle_mm_fault(mm, vma, address & ~(PAGE_SIZE - 1), write);
            }

            up_read(mm.mmap_sem);
            return ret;
        }

        private static vm_area_struct? find_prev(mm_struct mm, vm_area_struct vma)
        {
            vm_area_struct? prev = null;
            for (vm_area_struct? v = mm.mmap; v != null && v != vma; v = v.vm_next)
            {
                prev = v;
            }

            return prev;
        }
    }
}
