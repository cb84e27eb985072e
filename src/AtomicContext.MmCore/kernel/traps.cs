using System;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>BUG_ON, the oops and the simulated call traces (read from the real .NET stack of the task).</summary>
    public static class traps
    {
        /// <summary>BUG_ON(cond) at a named kernel source line: print the oops, kill the task.</summary>
        public static void BUG_ON(bool condition, string file, int line)
        {
            if (condition)
            {
                die("kernel BUG at " + file + ":" + line + "!");
            }
        }

        /// <summary>BUG_ON(cond) naming the model's own source line.</summary>
        public static void BUG_ON(bool condition, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0, [CallerMemberName] string member = "")
        {
            if (condition)
            {
                die("kernel BUG at " + kernel_file(file) + ":" + line + "!");
            }
        }

        /// <summary>Print an oops with the call trace, then kill the task (the exception unwinds it).</summary>
        internal static void die(string what)
        {
            Machine m = Machine.current;
            task_struct tsk = current;
            var sb = new StringBuilder();
            sb.Append("------------[ cut here ]------------\n");
            sb.Append(what).Append('\n');
            sb.Append("invalid opcode: 0000 [#").Append(m.Oopses.Count + 1).Append("] SMP\n");
            sb.Append("last sysfs file: /sys/devices/system/cpu/cpu").Append(m.Config.Cpus - 1).Append("/cache/index2/shared_cpu_map\n");
            sb.Append("CPU ").Append(tsk.cpu).Append('\n');
            sb.Append("Modules linked in:\n");
            sb.Append("Pid: ").Append(tsk.pid).Append(", comm: ").Append(tsk.comm).Append(" Not tainted 2.6.32 #1 simulated\n");
            string trace = call_trace(2);
            int firstLineEnd = trace.IndexOf('\n');
            sb.Append("RIP: ").Append(trace.Substring(1, firstLineEnd)).Append("Call Trace:\n").Append(trace.Substring(firstLineEnd + 1));
            sb.Append("---[ end trace ").Append(((ulong)fnv(tsk.comm + what) & 0xffffffffffffUL).ToString("x16")).Append(" ]---\n");
            string text = sb.ToString();
            m.RecordOops(text);
            throw new KernelOopsException(what);
        }

        /// <summary>
        /// The kernel frames of the current task's stack, innermost first, skipping <paramref name="skip"/>
        /// frames, in the kernel's format (<c> [&lt;ffffffff811234a0&gt;] exit_mmap+0x1b4/0x2c0</c>): the
        /// offset is the IL offset, the size the IL body's size.
        /// </summary>
        internal static string call_trace(int skip)
        {
            var sb = new StringBuilder();
            var st = new StackTrace(skip + 1, false);
            string ns = typeof(traps).Namespace!;
            for (int i = 0; i < st.FrameCount; i++)
            {
                StackFrame? f = st.GetFrame(i);
                MethodBase? mb = f?.GetMethod();
                if (f == null || mb == null || mb.DeclaringType == null || mb.DeclaringType.Namespace != ns)
                {
                    continue;
                }

                if (mb.DeclaringType == typeof(traps))
                {
                    continue;
                }

                int size = mb.GetMethodBody()?.GetILAsByteArray()?.Length ?? 0;
                int offset = Math.Max(f.GetILOffset(), 0);
                ulong addr = 0xffffffff81000000UL + ((ulong)fnv(mb.DeclaringType.Name + "." + mb.Name) & 0x3ffff0UL) + (ulong)offset;
                sb.Append(" [<").Append(addr.ToString("x16")).Append(">] ").Append(mb.Name)
                  .Append("+0x").Append(offset.ToString("x")).Append("/0x").Append(size.ToString("x")).Append('\n');
            }

            return sb.ToString();
        }

        /// <summary>The kernel file a model source file stands for: <c>.../mm/memcontrol.cs</c> → <c>mm/memcontrol.c</c>.</summary>
        internal static string kernel_file(string path)
        {
            string p = path.Replace('\\', '/');
            const string root = "AtomicContext.MmCore/";
            int i = p.LastIndexOf(root, StringComparison.Ordinal);
            if (i >= 0)
            {
                p = p.Substring(i + root.Length);
            }

            p = p.Replace("/v2.6.32/", "/").Replace("/v3.0/", "/");
            return p.EndsWith(".cs", StringComparison.Ordinal) ? p.Substring(0, p.Length - 1) : p;
        }

        private static uint fnv(string s)
        {
            uint h = 2166136261;
            foreach (char c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h;
        }
    }
}
