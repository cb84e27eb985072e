using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>One generated source file.</summary>
    public sealed class GeneratedFile
    {
        public GeneratedFile(string path, string text, int lines)
        {
            Path = path;
            Text = text;
            Lines = lines;
        }

        public string Path { get; }

        public string Text { get; }

        public int Lines { get; }

        /// <summary>True for the two stress shapes and the shared declarations (the same at every size).</summary>
        public bool IsFixed => Path.StartsWith("Fixed/", StringComparison.Ordinal);
    }

    /// <summary>A place where the generator planted a real bug: the analyzer should report <see cref="Id"/> on that line.</summary>
    public sealed class ExpectedSite
    {
        public ExpectedSite(string id, string path, int line, string shape)
        {
            Id = id;
            Path = path;
            Line = line;
            Shape = shape;
        }

        public string Id { get; }

        public string Path { get; }

        /// <summary>1-based line.</summary>
        public int Line { get; }

        public string Shape { get; }
    }

    /// <summary>A generated kernel-like corpus.</summary>
    public sealed class Corpus
    {
        public Corpus(int scale, IReadOnlyList<GeneratedFile> files, IReadOnlyList<ExpectedSite> expected, int generatedMethods, int fixedMethods, int hubReachers)
        {
            Scale = scale;
            Files = files;
            Expected = expected;
            GeneratedMethods = generatedMethods;
            FixedMethods = fixedMethods;
            HubReachers = hubReachers;
            int lines = 0;
            foreach (GeneratedFile f in files)
            {
                lines += f.Lines;
            }

            TotalLines = lines;
        }

        public int Scale { get; }

        public IReadOnlyList<GeneratedFile> Files { get; }

        public IReadOnlyList<ExpectedSite> Expected { get; }

        public int GeneratedMethods { get; }

        public int FixedMethods { get; }

        /// <summary>How many generated methods reach the hub sleeper (by construction: every method of the sleepy half).</summary>
        public int HubReachers { get; }

        public int TotalLines { get; }
    }

    /// <summary>
    /// A deterministic generator of kernel-like C# corpora. The same (scale, seed) gives byte-identical files on
    /// every machine and runtime: it uses its own PRNG (SplitMix64) and invariant formatting only.
    /// </summary>
    /// <remarks>
    /// Methods are split in two halves. The sleepy half ("A", even indices) all reach the hub sleeper
    /// <c>Hub.hub_sleep</c> (directly, or through a lower A method that does), may call anything outside regions,
    /// drop and retake their own regions around <c>cond_resched()</c>, take <c>lock</c> statements and block on
    /// tasks. The clean half ("B", odd indices) never sleeps: its regions, nested regions with early exits,
    /// try/finally regions, trylocks, per-CPU accesses, lambdas, generics, interface and virtual dispatch only
    /// ever reach other B code. Regions call only B code, except at the planted bugs, so the expected ACA0001
    /// sites are known exactly and no report cascades. Call edges go forwards and backwards (cycles), mostly to
    /// nearby methods (locality, like a kernel subsystem) and sometimes anywhere (fan-out across the corpus).
    /// </remarks>
    public static class CorpusGenerator
    {
        public const int DefaultSeed = 0x5EED;
        public const int ChainLength = 10_000;
        public const int MethodsPerScale = 1_150;
        public const int MethodsPerFile = 50;
        private const int ChainMethodsPerFile = 1_000;

        public static Corpus Generate(int scale, int seed = DefaultSeed)
        {
            if (scale < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(scale));
            }

            var files = new List<GeneratedFile>();
            var expected = new List<ExpectedSite>();
            int n = MethodsPerScale * scale;
            int fileCount = (n + MethodsPerFile - 1) / MethodsPerFile;

            files.Add(Declarations());
            int fixedMethods = 0;
            fixedMethods += AddChain(files, expected);
            fixedMethods += AddHub(files, expected);

            var rng = new SplitMix64((ulong)seed);
            int hubReachers = 0;
            for (int f = 0; f < fileCount; f++)
            {
                var w = new FileWriter($"Gen/Mod{f:D4}.cs");
                var fileRng = rng.Fork((ulong)f);
                EmitModule(w, f, n, fileCount, fileRng, expected, ref hubReachers);
                files.Add(w.Finish());
            }

            return new Corpus(scale, files, expected, n, fixedMethods, hubReachers);
        }

        private static GeneratedFile Declarations()
        {
            var w = new FileWriter("Fixed/Kernel.cs");
            w.Line("// Generated: the project's own copy of the attributes (recognised by full name) and kernel primitives.");
            w.Line("using System;");
            w.Line("using System.Threading.Tasks;");
            w.Line("using AtomicContext;");
            w.Line();
            w.Line("namespace AtomicContext");
            w.Open();
            w.Line("[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property | AttributeTargets.Delegate, Inherited = false)]");
            w.Line("public sealed class MightSleepAttribute : Attribute { }");
            w.Line("[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = true, Inherited = false)]");
            w.Line("public sealed class MightSleepIfAttribute : Attribute { public MightSleepIfAttribute(string parameter, long mask) { Parameter = parameter; Mask = mask; } public string Parameter { get; } public long Mask { get; } }");
            w.Line("[AttributeUsage(AttributeTargets.Method, Inherited = false)]");
            w.Line("public sealed class EntersNoMigrateAttribute : Attribute { public bool WhenReturns { get; set; } }");
            w.Line("[AttributeUsage(AttributeTargets.Method, Inherited = false)]");
            w.Line("public sealed class ExitsNoMigrateAttribute : Attribute { }");
            w.Line("[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false)]");
            w.Line("public sealed class NoMigrateAttribute : Attribute { }");
            w.Line("[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Method, Inherited = false)]");
            w.Line("public sealed class PerCpuAttribute : Attribute { }");
            w.Close();
            w.Line();
            w.Line("namespace Corpus");
            w.Open();
            w.Line("public sealed class spinlock_t { public int owner; }");
            w.Line("public sealed class rw_semaphore { public int count; }");
            w.Line("public static class Gfp { public const long __GFP_WAIT = 0x10; public const long __GFP_IO = 0x40; public const long __GFP_FS = 0x80; public const long __GFP_HIGH = 0x20; public const long GFP_ATOMIC = __GFP_HIGH; public const long GFP_KERNEL = __GFP_WAIT | __GFP_IO | __GFP_FS; public const long GFP_NOWAIT = GFP_KERNEL & ~__GFP_WAIT; }");
            w.Line("public struct PreemptGuard : IDisposable { [ExitsNoMigrate] public void Dispose() { } }");
            w.Line("public delegate int Handler(int x);");
            w.Line("[MightSleep] public delegate void SleepyCallback(int x);");
            w.Line("public interface IOps { int op(int x); }");
            w.Line("public interface ISleepyOps { [MightSleep] int work(int x); }");
            w.Line("public abstract class DevBase { public virtual int run(int x) { return x + 1; } public abstract int probe(int x); }");
            w.Line("public sealed class Box<T> { private readonly T value; public Box(T value) { this.value = value; } public U Map<U>(Func<T, U> f) { return f(value); } public T Get() { return value; } }");
            w.Line("public static class Gen");
            w.Open();
            w.Line("public static T pick<T>(T a, T b, bool first) { return first ? a : b; }");
            w.Line("public static int apply<T>(T v, Func<T, int> f) { return f(v); }");
            w.Line("public static TOut fold<TIn, TOut>(TIn[] items, TOut seed, Func<TOut, TIn, TOut> f) { TOut acc = seed; foreach (TIn item in items) { acc = f(acc, item); } return acc; }");
            w.Close();
            w.Line("public static class K");
            w.Open();
            w.Line("[MightSleep] public static void might_sleep() { }");
            w.Line("[MightSleep] public static void cond_resched() { }");
            w.Line("[MightSleep] public static void schedule() { }");
            w.Line("[MightSleep] public static void msleep(int ms) { }");
            w.Line("[MightSleep] public static void mutex_lock(object m) { }");
            w.Line("public static void mutex_unlock(object m) { }");
            w.Line("public static void down_read(rw_semaphore sem) { might_sleep(); sem.count++; }");
            w.Line("public static void up_read(rw_semaphore sem) { sem.count--; }");
            w.Line("[EntersNoMigrate] public static void spin_lock(spinlock_t l) { }");
            w.Line("[ExitsNoMigrate] public static void spin_unlock(spinlock_t l) { }");
            w.Line("[EntersNoMigrate(WhenReturns = true)] public static bool spin_trylock(spinlock_t l) { return l.owner == 0; }");
            w.Line("[EntersNoMigrate] public static void preempt_disable() { }");
            w.Line("[ExitsNoMigrate] public static void preempt_enable() { }");
            w.Line("[EntersNoMigrate] public static int get_cpu() { return 0; }");
            w.Line("[ExitsNoMigrate] public static void put_cpu() { }");
            w.Line("[EntersNoMigrate] public static PreemptGuard preempt_guard() { return default; }");
            w.Line("[PerCpu] public static readonly int[] cpu_counters = new int[64];");
            w.Line("[PerCpu] public static int smp_processor_id() { return 0; }");
            w.Line("[MightSleepIf(\"gfp\", Gfp.__GFP_WAIT)] public static object kmalloc(int size, long gfp) { return new object(); }");
            w.Line("public static void kfree(object p) { }");
            w.Close();
            w.Line("public static class Registry");
            w.Open();
            // Sized once for every scale, so this file (like the two stress shapes) is the same at every size.
            w.Line("public static readonly IOps[] ops = new IOps[4096];");
            w.Line("public static readonly ISleepyOps[] sleepy = new ISleepyOps[4096];");
            w.Line("public static readonly DevBase[] devs = new DevBase[4096];");
            w.Line("public static readonly spinlock_t[] locks = new spinlock_t[16];");
            w.Line("public static readonly rw_semaphore mmap_sem = new rw_semaphore();");
            w.Line("public static readonly object gate = new object();");
            w.Close();
            w.Close();
            return w.Finish();
        }

        /// <summary>Stress shape 1: a 10,000-deep call chain that ends in a sleep, called once inside a region.</summary>
        private static int AddChain(List<GeneratedFile> files, List<ExpectedSite> expected)
        {
            int chainFiles = ChainLength / ChainMethodsPerFile;
            for (int cf = 0; cf < chainFiles; cf++)
            {
                var w = new FileWriter($"Fixed/Chain{cf:D2}.cs");
                w.Line("namespace Corpus");
                w.Open();
                w.Line($"public static class Chain{cf:D2}");
                w.Open();
                if (cf == 0)
                {
                    w.Line("private static readonly spinlock_t chain_lock = new spinlock_t();");
                    w.Line("public static int chain_root(int x)");
                    w.Open();
                    w.Line("K.spin_lock(chain_lock);");
                    expected.Add(new ExpectedSite("ACA0001", w.Path, w.NextLine, "chain-10000"));
                    w.Line("int r = c00000(x);");
                    w.Line("K.spin_unlock(chain_lock);");
                    w.Line("return r;");
                    w.Close();
                }

                for (int i = cf * ChainMethodsPerFile; i < (cf + 1) * ChainMethodsPerFile; i++)
                {
                    if (i == ChainLength - 1)
                    {
                        w.Line($"public static int c{i:D5}(int x) {{ K.might_sleep(); return x; }}");
                    }
                    else
                    {
                        int next = i + 1;
                        string target = next / ChainMethodsPerFile == cf ? $"c{next:D5}" : $"Chain{next / ChainMethodsPerFile:D2}.c{next:D5}";
                        w.Line($"public static int c{i:D5}(int x) {{ return {target}(x + 1); }}");
                    }
                }

                w.Close();
                w.Close();
                files.Add(w.Finish());
            }

            return ChainLength + 1;
        }

        /// <summary>Stress shape 2: the hub sleeper every method of the sleepy half reaches, and two bugs that reach it from a region.</summary>
        private static int AddHub(List<GeneratedFile> files, List<ExpectedSite> expected)
        {
            var w = new FileWriter("Fixed/Hub.cs");
            w.Line("namespace Corpus");
            w.Open();
            w.Line("public static class Hub");
            w.Open();
            w.Line("private static readonly spinlock_t hub_lock = new spinlock_t();");
            w.Line("public static int hub_sleep(int x)");
            w.Open();
            w.Line("K.down_read(Registry.mmap_sem);");
            w.Line("K.up_read(Registry.mmap_sem);");
            w.Line("return x;");
            w.Close();
            w.Line("public static int hub_bug_direct(int x)");
            w.Open();
            w.Line("K.spin_lock(hub_lock);");
            expected.Add(new ExpectedSite("ACA0001", w.Path, w.NextLine, "hub-direct"));
            w.Line("int r = hub_sleep(x);");
            w.Line("K.spin_unlock(hub_lock);");
            w.Line("return r;");
            w.Close();
            w.Line("public static int hub_bug_far(int x)");
            w.Open();
            w.Line("K.preempt_disable();");
            expected.Add(new ExpectedSite("ACA0001", w.Path, w.NextLine, "hub-via-sleepy-half"));
            w.Line("int r = Mod0000.m000000(x);");
            w.Line("K.preempt_enable();");
            w.Line("return r;");
            w.Close();
            w.Close();
            w.Close();
            files.Add(w.Finish());
            return 3;
        }

        private static void EmitModule(FileWriter w, int f, int n, int fileCount, SplitMix64 rng, List<ExpectedSite> expected, ref int hubReachers)
        {
            string cls = $"Mod{f:D4}";
            int first = f * MethodsPerFile;
            int last = Math.Min(n, first + MethodsPerFile);
            w.Line("using System;");
            w.Line("using System.Threading.Tasks;");
            w.Line("using AtomicContext;");
            w.Line();
            w.Line("namespace Corpus");
            w.Open();
            w.Line($"public static partial class {cls}");
            w.Open();
            for (int l = 0; l < 4; l++)
            {
                w.Line($"private static readonly spinlock_t lock{l} = new spinlock_t();");
            }

            w.Line("private static readonly object dev_mutex = new object();");
            w.Line($"private static Handler handler = {Qual(Clean(first, n))};");
            w.Line();

            var ctx = new ModuleContext(w, rng, cls, f, n, fileCount, expected);
            for (int i = first; i < last; i++)
            {
                ctx.EmitMethod(i);
                if (IsSleepy(i))
                {
                    hubReachers++;
                }
            }

            // Helpers: the unmap_vmas shape (exit the caller's region, sleep, re-enter), an interrupt handler,
            // an async method (the peer's rules have something to look at).
            w.Line("public static void resched_locked(spinlock_t l)");
            w.Open();
            w.Line("K.spin_unlock(l);");
            w.Line("K.cond_resched();");
            w.Line("K.spin_lock(l);");
            w.Close();
            w.Line("[NoMigrate]");
            w.Line("public static int irq_handler(int x)");
            w.Open();
            w.Line($"K.cpu_counters[K.smp_processor_id()] += x;");
            w.Line($"return {Qual(Clean(first + 2, n))}(x);");
            w.Close();
            w.Line("public static async Task<int> refill(int x)");
            w.Open();
            w.Line("await Task.Yield();");
            w.Line($"return {Qual(Clean(first + 4, n))}(x);");
            w.Close();

            // Planted bugs outside any call graph (so nothing cascades): one module in eight.
            if (f % 8 == 3)
            {
                w.Line("public static int bug_leak(int x)");
                w.Open();
                w.Line("K.spin_lock(lock1);");
                w.Line("if (x > 3)");
                w.Open();
                expected.Add(new ExpectedSite("ACA0002", w.Path, w.NextLine, "return-with-region-open"));
                w.Line("return x;");
                w.Close();
                w.Line("K.spin_unlock(lock1);");
                w.Line("return 0;");
                w.Close();
                w.Line("public static int bug_percpu(int x)");
                w.Open();
                expected.Add(new ExpectedSite("ACA0004", w.Path, w.NextLine, "per-cpu-outside-region"));
                w.Line("return K.cpu_counters[0] + x;");
                w.Close();
                w.Line("public static async Task<int> bug_await(int x)");
                w.Open();
                w.Line("K.preempt_disable();");
                expected.Add(new ExpectedSite("ACA0005", w.Path, w.NextLine, "await-in-region"));
                w.Line("await Task.Yield();");
                w.Line("K.preempt_enable();");
                w.Line("return x;");
                w.Close();
            }

            w.Close();

            // Dispatch targets: an IOps and a DevBase that stay clean, an ISleepyOps that sleeps (and says so).
            w.Line($"public sealed class Ops{f:D4} : IOps {{ public int op(int x) {{ return {Qual(Clean(first + 6, n))}(x) + 1; }} }}");
            w.Line($"public sealed class Sleepy{f:D4} : ISleepyOps {{ public int work(int x) {{ return {Qual(Sleepy(first + 6, n))}(x); }} }}");
            w.Line($"public sealed class Dev{f:D4} : DevBase");
            w.Open();
            w.Line($"public override int run(int x) {{ return {Qual(Clean(first + 8, n))}(x) * 2; }}");
            w.Line($"public override int probe(int x) {{ return x ^ {Inv(f)}; }}");
            w.Close();
            w.Close();
        }

        /// <summary>Is method <paramref name="i"/> of the sleepy half (the one that reaches the hub)?</summary>
        public static bool IsSleepy(int i) => (i & 1) == 0;

        internal static string Qual(int target) => $"Mod{target / MethodsPerFile:D4}.m{target:D6}";

        /// <summary>The clean (odd) method at or after <paramref name="i"/>, wrapped into [0, n).</summary>
        internal static int Clean(int i, int n)
        {
            int c = (i % n) | 1;
            return c < n ? c : 1;
        }

        /// <summary>The sleepy (even) method at or before <paramref name="i"/>, wrapped into [0, n).</summary>
        internal static int Sleepy(int i, int n) => (i % n) & ~1;

        internal static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);

        private sealed class Region
        {
            public Region(string exit, bool releasedByScope, bool isSpin, string? lockName)
            {
                Exit = exit;
                ReleasedByScope = releasedByScope;
                IsSpin = isSpin;
                LockName = lockName;
            }

            public string Exit { get; }

            public bool ReleasedByScope { get; }

            public bool IsSpin { get; }

            public string? LockName { get; }
        }

        private sealed class ModuleContext
        {
            private readonly FileWriter w;
            private readonly SplitMix64 rng;
            private readonly string cls;
            private readonly int file;
            private readonly int n;
            private readonly int fileCount;
            private readonly List<ExpectedSite> expected;
            private readonly List<Region> held = new List<Region>();
            private int method;
            private bool sleepy;
            private int varCounter;
            private int statementBudget;

            public ModuleContext(FileWriter w, SplitMix64 rng, string cls, int file, int n, int fileCount, List<ExpectedSite> expected)
            {
                this.w = w;
                this.rng = rng;
                this.cls = cls;
                this.file = file;
                this.n = n;
                this.fileCount = fileCount;
                this.expected = expected;
            }

            public void EmitMethod(int i)
            {
                method = i;
                sleepy = IsSleepy(i);
                varCounter = 0;
                held.Clear();
                statementBudget = 4 + rng.Next(9);
                w.Line($"public static int m{i:D6}(int x)");
                w.Open();
                w.Line($"int acc = x ^ {Inv(i & 0xFF)};");
                if (sleepy)
                {
                    // Reach the hub: directly, or through a lower sleepy method (which reaches it by induction).
                    if (i < 2 || rng.Next(100) < 45)
                    {
                        w.Line("acc += Hub.hub_sleep(acc);");
                    }
                    else
                    {
                        int lower = Math.Max(0, i - 2 - 2 * rng.Next(Math.Min(i / 2, 40)));
                        w.Line($"acc += {Ref(lower & ~1)}(acc - 1);");
                    }

                    if (rng.Next(100) < 3)
                    {
                        // A small share of direct sleepers beside the hub.
                        w.Line(rng.Next(2) == 0 ? "K.msleep(1);" : "K.mutex_lock(dev_mutex); K.mutex_unlock(dev_mutex);");
                    }
                }

                while (statementBudget > 0)
                {
                    Statement(0);
                }

                w.Line("return acc;");
                w.Close();
            }

            private string Ref(int target)
            {
                int tf = target / MethodsPerFile;
                return tf == file ? $"m{target:D6}" : $"Mod{tf:D4}.m{target:D6}";
            }

            private int PickNear(bool wantSleepy)
            {
                int t;
                if (rng.Next(100) < 80)
                {
                    t = method + rng.Next(121) - 60;
                    if (t < 0)
                    {
                        t += n;
                    }

                    t %= n;
                }
                else
                {
                    t = rng.Next(n);
                }

                if (t == method)
                {
                    t = (t + 2) % n;
                }

                return wantSleepy ? Sleepy(t, n) : Clean(t, n);
            }

            private string V(string prefix) => prefix + Inv(varCounter++);

            /// <summary>May this point call sleepy code? Only the sleepy half, and only outside regions.</summary>
            private bool MaySleepHere => sleepy && held.Count == 0;

            private void Statement(int nest)
            {
                statementBudget--;
                int r = rng.Next(100);
                if (r < 30 || nest >= 3)
                {
                    Call();
                }
                else if (r < 40)
                {
                    If(nest);
                }
                else if (r < 47)
                {
                    Loop(nest);
                }
                else if (r < 63)
                {
                    if (held.Count < 2)
                    {
                        RegionStatement(nest);
                    }
                    else
                    {
                        Call();
                    }
                }
                else if (r < 68)
                {
                    string f = V("f");
                    w.Line($"Func<int, int> {f} = y => {Ref(PickNear(MaySleepHere && rng.Next(2) == 0))}(y) + acc;");
                    w.Line($"acc += {f}(acc);");
                }
                else if (r < 72)
                {
                    string b = V("bx");
                    w.Line($"var {b} = new Box<int>(acc);");
                    w.Line($"acc += {b}.Map(v => v + {Ref(PickNear(false))}(v));");
                    w.Line($"acc = Gen.pick(acc, Gen.apply(acc, z => {Ref(PickNear(false))}(z)), (acc & 1) == 0);");
                }
                else if (r < 76)
                {
                    w.Line($"acc += Registry.ops[{Inv(rng.Next(fileCount))}].op(acc);");
                    if (MaySleepHere && rng.Next(2) == 0)
                    {
                        w.Line($"acc += Registry.sleepy[{Inv(rng.Next(fileCount))}].work(acc);");
                    }
                }
                else if (r < 80)
                {
                    w.Line($"acc += Registry.devs[{Inv(rng.Next(fileCount))}].run(acc) + Registry.devs[{Inv(rng.Next(fileCount))}].probe(acc);");
                }
                else if (r < 83)
                {
                    w.Line("acc += handler(acc);");
                }
                else if (r < 87)
                {
                    if (held.Count > 0)
                    {
                        w.Line("K.cpu_counters[K.smp_processor_id()] += acc;");
                        if (rng.Next(3) == 0)
                        {
                            w.Line($"acc += irq_handler(acc);");
                        }
                    }
                    else
                    {
                        Call();
                    }
                }
                else if (r < 90)
                {
                    string p = V("p");
                    string gfp = held.Count > 0 || !sleepy ? (rng.Next(2) == 0 ? "Gfp.GFP_ATOMIC" : "Gfp.GFP_KERNEL & ~Gfp.__GFP_WAIT") : "Gfp.GFP_KERNEL";
                    w.Line($"object {p} = K.kmalloc(64 + acc, {gfp});");
                    w.Line($"K.kfree({p});");
                }
                else if (r < 94)
                {
                    if (held.Count > 0)
                    {
                        EarlyExit();
                    }
                    else
                    {
                        Call();
                    }
                }
                else
                {
                    if (MaySleepHere)
                    {
                        SleepyOnly(nest);
                    }
                    else if (sleepy && held.Count == 1 && held[0].IsSpin && !held[0].ReleasedByScope && rng.Next(2) == 0)
                    {
                        // The unmap_vmas shape: a callee that exits the caller's one region, sleeps and re-enters.
                        w.Line($"resched_locked({held[0].LockName});");
                    }
                    else
                    {
                        Call();
                    }
                }
            }

            private void Call()
            {
                bool wantSleepy = MaySleepHere && rng.Next(2) == 0;
                int t = PickNear(wantSleepy);
                w.Line($"acc += {Ref(t)}(acc + {Inv(rng.Next(8))});");
            }

            private void If(int nest)
            {
                w.Line($"if ((acc & {Inv(1 + rng.Next(15))}) == {Inv(rng.Next(2))})");
                w.Open();
                Body(nest + 1, 1 + rng.Next(2));
                w.Close();
                if (rng.Next(2) == 0)
                {
                    w.Line("else");
                    w.Open();
                    Body(nest + 1, 1);
                    w.Close();
                }
            }

            private void Loop(int nest)
            {
                string i = V("i");
                w.Line($"for (int {i} = 0; {i} < {Inv(2 + rng.Next(6))}; {i}++)");
                w.Open();
                w.Line($"acc += {i};");
                Body(nest + 1, 1 + rng.Next(2));
                w.Close();
            }

            private void Body(int nest, int count)
            {
                for (int k = 0; k < count; k++)
                {
                    Statement(nest);
                }
            }

            private void RegionBody(int nest)
            {
                if (sleepy && rng.Next(100) < 4)
                {
                    // Planted bug: a region of the sleepy half calls a sleepy method (which reaches the hub).
                    expected.Add(new ExpectedSite("ACA0001", w.Path, w.NextLine, "region-calls-sleeper"));
                    w.Line($"acc += {Ref(PickNear(true))}(acc);");
                }

                Body(nest + 1, 1 + rng.Next(3));
            }

            private void RegionStatement(int nest)
            {
                string lk = "lock" + Inv(rng.Next(4));
                switch (rng.Next(7))
                {
                    case 0:
                    case 1:
                        w.Line($"K.spin_lock({lk});");
                        held.Add(new Region($"K.spin_unlock({lk});", false, true, lk));
                        RegionBody(nest);
                        held.RemoveAt(held.Count - 1);
                        w.Line($"K.spin_unlock({lk});");
                        break;
                    case 2:
                        w.Line("K.preempt_disable();");
                        held.Add(new Region("K.preempt_enable();", false, false, null));
                        RegionBody(nest);
                        held.RemoveAt(held.Count - 1);
                        w.Line("K.preempt_enable();");
                        break;
                    case 3:
                        string cpu = V("cpu");
                        w.Line($"int {cpu} = K.get_cpu();");
                        held.Add(new Region("K.put_cpu();", false, false, null));
                        w.Line($"K.cpu_counters[{cpu}] += acc;");
                        RegionBody(nest);
                        held.RemoveAt(held.Count - 1);
                        w.Line("K.put_cpu();");
                        break;
                    case 4:
                        w.Line($"K.spin_lock({lk});");
                        w.Line("try");
                        w.Open();
                        held.Add(new Region(string.Empty, true, true, lk));
                        RegionBody(nest);
                        held.RemoveAt(held.Count - 1);
                        w.Close();
                        w.Line("finally");
                        w.Open();
                        w.Line($"K.spin_unlock({lk});");
                        w.Close();
                        break;
                    case 5:
                        if (rng.Next(2) == 0)
                        {
                            w.Line($"if (K.spin_trylock({lk}))");
                        }
                        else
                        {
                            string ok = V("ok");
                            w.Line($"bool {ok} = K.spin_trylock({lk});");
                            w.Line($"if ({ok})");
                        }

                        w.Open();
                        held.Add(new Region($"K.spin_unlock({lk});", false, true, lk));
                        RegionBody(nest);
                        held.RemoveAt(held.Count - 1);
                        w.Line($"K.spin_unlock({lk});");
                        w.Close();
                        break;
                    default:
                        w.Line("using (K.preempt_guard())");
                        w.Open();
                        held.Add(new Region(string.Empty, true, false, null));
                        RegionBody(nest);
                        held.RemoveAt(held.Count - 1);
                        w.Close();
                        break;
                }
            }

            private void EarlyExit()
            {
                w.Line($"if ((acc & {Inv(16 + rng.Next(48))}) == {Inv(3 + rng.Next(5))})");
                w.Open();
                for (int k = held.Count - 1; k >= 0; k--)
                {
                    if (!held[k].ReleasedByScope)
                    {
                        w.Line(held[k].Exit);
                    }
                }

                w.Line("return acc;");
                w.Close();
            }

            /// <summary>Shapes only the sleepy half has, outside regions.</summary>
            private void SleepyOnly(int nest)
            {
                switch (rng.Next(5))
                {
                    case 0:
                    case 1:
                        {
                            // Drop and retake a region in a loop: spin_unlock; cond_resched(); spin_lock.
                            string lk = "lock" + Inv(rng.Next(4));
                            string i = V("i");
                            w.Line($"K.spin_lock({lk});");
                            w.Line($"for (int {i} = 0; {i} < {Inv(8 + rng.Next(24))}; {i}++)");
                            w.Open();
                            held.Add(new Region($"K.spin_unlock({lk});", false, true, lk));
                            w.Line($"acc += {Ref(PickNear(false))}(acc + {i});");
                            w.Line($"if (({i} & 7) == 7)");
                            w.Open();
                            w.Line($"K.spin_unlock({lk});");
                            w.Line("K.cond_resched();");
                            w.Line($"K.spin_lock({lk});");
                            w.Close();
                            held.RemoveAt(held.Count - 1);
                            w.Close();
                            w.Line($"K.spin_unlock({lk});");
                            break;
                        }

                    case 2:
                        w.Line("lock (Registry.gate)");
                        w.Open();
                        Body(nest + 1, 1);
                        w.Close();
                        break;
                    case 3:
                        w.Line("acc += refill(acc).GetAwaiter().GetResult();");
                        break;
                    default:
                        {
                            string cb = V("cb");
                            w.Line($"SleepyCallback {cb} = y => {{ acc += {Ref(PickNear(true))}(y); }};");
                            w.Line($"{cb}(acc);");
                            break;
                        }
                }
            }
        }

        /// <summary>Writes lines and keeps the line number (for the planted bugs).</summary>
        private sealed class FileWriter
        {
            private readonly StringBuilder sb = new StringBuilder();
            private int indent;
            private int lines;

            public FileWriter(string path)
            {
                Path = path;
            }

            public string Path { get; }

            /// <summary>The 1-based number of the line the next <see cref="Line(string)"/> writes.</summary>
            public int NextLine => lines + 1;

            public void Line(string text = "")
            {
                if (text.Length > 0)
                {
                    sb.Append(' ', indent * 4);
                    sb.Append(text);
                }

                sb.Append('\n');
                lines++;
            }

            public void Open()
            {
                Line("{");
                indent++;
            }

            public void Close()
            {
                indent--;
                Line("}");
            }

            public GeneratedFile Finish() => new GeneratedFile(Path, sb.ToString(), lines);
        }
    }

    /// <summary>SplitMix64: a tiny PRNG whose sequence is fixed by its seed on every platform.</summary>
    public sealed class SplitMix64
    {
        private ulong state;

        public SplitMix64(ulong seed)
        {
            state = seed;
        }

        public ulong NextUInt64()
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A value in [0, maxExclusive).</summary>
        public int Next(int maxExclusive)
        {
            if (maxExclusive <= 1)
            {
                return 0;
            }

            return (int)(NextUInt64() % (ulong)maxExclusive);
        }

        /// <summary>An independent stream for a sub-part (so a file's content does not depend on how many files precede it).</summary>
        public SplitMix64 Fork(ulong salt) => new SplitMix64(NextUInt64() ^ (salt * 0xD1B54A32D192ED03UL));
    }
}
