using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Flow;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AtomicContext.Analyzers.Tests
{
    /// <summary>
    /// Body facts live as long as the compilation's analysis and are kept beside their tree for the next one: what
    /// they hold must not keep a compilation, a bound tree or the body's red syntax nodes alive. (A call site that
    /// held its syntax node kept ~90 MB of red nodes alive at the end of an 8x benchmark compilation.)
    /// </summary>
    public class KeptFactsTests
    {
        private static readonly Type[] Heavy =
        {
            typeof(SyntaxNode), typeof(IOperation), typeof(ISymbol), typeof(Compilation), typeof(SemanticModel),
        };

        [Fact]
        public void Nothing_a_bodys_facts_hold_is_a_node_an_operation_a_symbol_or_a_compilation()
        {
            var compilation = Compiler.Create(new[]
            {
                """
                using System;
                using System.Threading.Tasks;
                using K;
                using static K.Sched;
                class Held
                {
                    static int count;
                    static int Count { get => count; set => count = value; }
                    static async Task body(spinlock_t l, mutex m, object gate)
                    {
                        bool got = spin_trylock(l);
                        if (got) { Count = Count + 1; spin_unlock(l); }
                        Func<int, int> f = x => { udelay(x); return x + smp_processor_id(); };
                        spin_lock(l);
                        f(irq_stat.Length);
                        void local() => mutex_lock(m);
                        spin_unlock(l);
                        local();
                        lock (gate) { udelay(1); }
                        await Task.Yield();
                        if (count > 3) return;
                        msleep(1);
                    }
                }
                """,
            });
            var method = (IMethodSymbol)compilation.GetTypeByMetadataName("Held")!.GetMembers("body").Single();
            var store = new SummaryStore(compilation, new FactsResolver(FactsFiles.Empty));
            var facts = store.FactsOf(store.KeyOf(method)!, CancellationToken.None);

            var problems = new List<string>();
            var kinds = new HashSet<Type>();
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var pending = new Stack<(object Value, string Path)>();
            pending.Push((facts, "facts"));
            while (pending.Count > 0)
            {
                var (value, path) = pending.Pop();
                var type = value.GetType();
                if (type.IsPrimitive || value is string || value is Location || value is SyntaxTree || value is Delegate) continue;
                if (!type.IsValueType && !seen.Add(value)) continue;
                if (Heavy.Any(h => h.IsInstanceOfType(value)))
                {
                    problems.Add($"{path}: {type.Name}");
                    continue;
                }
                kinds.Add(type);
                if (value is IEnumerable items && (type.IsArray || type.Assembly != typeof(BodyFacts).Assembly))
                {
                    int i = 0;
                    foreach (var item in items)
                    {
                        if (item != null) pending.Push((item, $"{path}[{i}]"));
                        i++;
                    }
                    continue;
                }
                for (var t = type; t != null && t != typeof(object); t = t.BaseType)
                {
                    foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (field.GetValue(value) is { } child) pending.Push((child, path + "." + field.Name));
                    }
                }
            }

            Assert.Empty(problems);
            // The facts seen hold what the sample has: calls, exits, an await, a per-CPU use, nested bodies.
            Assert.Contains(typeof(CallSite), kinds);
            Assert.Contains(typeof(ExitPoint), kinds);
            Assert.Contains(typeof(SuspendSite), kinds);
            Assert.Contains(typeof(PerCpuUse), kinds);
            Assert.Contains(typeof(NestedBody), kinds);
            Assert.Contains(typeof(Model.Opener), kinds);
        }
    }
}
