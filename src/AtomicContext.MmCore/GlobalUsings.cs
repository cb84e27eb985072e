// The kernel's functions are free functions in C; here they are static methods of one class per
// source file, imported everywhere so the C# reads like the C. The two versions of the exit path
// (mm_2_6_32/tlb_2_6_32 and mm_3_0/tlb_3_0) are deliberately not imported globally.
global using static AtomicContext.MmCore.asm_generic_tlb;
global using static AtomicContext.MmCore.exit;
global using static AtomicContext.MmCore.fork;
global using static AtomicContext.MmCore.memcontrol;
global using static AtomicContext.MmCore.memory;
global using static AtomicContext.MmCore.mmap;
global using static AtomicContext.MmCore.page_alloc;
global using static AtomicContext.MmCore.pgtable;
global using static AtomicContext.MmCore.rmap;
global using static AtomicContext.MmCore.rwsem;
global using static AtomicContext.MmCore.sched;
global using static AtomicContext.MmCore.spinlock;
global using static AtomicContext.MmCore.traps;
