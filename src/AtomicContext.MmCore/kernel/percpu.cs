using System;
using AtomicContext.MmCore.Simulation;

namespace AtomicContext.MmCore
{
    /// <summary>A DEFINE_PER_CPU variable: one object per CPU of the running machine.</summary>
    /// <typeparam name="T">The variable's type.</typeparam>
    public sealed class per_cpu<T>
        where T : class
    {
        private readonly Func<T> init;

        /// <summary>Defines the variable; <paramref name="init"/> makes each CPU's object.</summary>
        public per_cpu(Func<T> init)
        {
            this.init = init;
        }

        /// <summary>per_cpu(var, cpu).</summary>
        public T this[int cpu] => Machine.current.PerCpuArea(this, init)[cpu];
    }
}
