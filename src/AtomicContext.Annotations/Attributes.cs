using System;

namespace AtomicContext
{
    /// <summary>Calling this member may sleep (block, schedule, wait): <c>might_sleep</c>, <c>down_read</c>, <c>mutex_lock</c>.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property | AttributeTargets.Delegate, Inherited = false)]
    public sealed class MightSleepAttribute : Attribute
    {
    }

    /// <summary>
    /// The call may sleep when the named argument has any bit of <see cref="Mask"/> set, or is not a
    /// compile-time constant (<c>kmalloc(size, gfp)</c> with <c>__GFP_WAIT</c>).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = true, Inherited = false)]
    public sealed class MightSleepIfAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="parameter">The name of the parameter whose value decides.</param>
        /// <param name="mask">The bits that make the call sleep.</param>
        public MightSleepIfAttribute(string parameter, long mask)
        {
            Parameter = parameter;
            Mask = mask;
        }

        /// <summary>The name of the parameter whose value decides.</summary>
        public string Parameter { get; }

        /// <summary>The bits that make the call sleep.</summary>
        public long Mask { get; }

        /// <summary>
        /// Optional: a value of the parameter that never sleeps and that a caller in atomic context
        /// should pass instead (<c>GFP_ATOMIC</c>). The code fix offers it.
        /// </summary>
        public long AtomicAlternative { get; set; }

        /// <summary>Optional: the name of a constant (<c>"Gfp.GFP_ATOMIC"</c>) the code fix writes for <see cref="AtomicAlternative"/>.</summary>
        public string? AtomicAlternativeName { get; set; }
    }

    /// <summary>
    /// After a call to this method migration is disabled until the matching exit
    /// (<c>preempt_disable</c>, <c>spin_lock</c>, <c>get_cpu</c>, 2.6.32 <c>tlb_gather_mmu</c>).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class EntersNoMigrateAttribute : Attribute
    {
        /// <summary>When set, the region is entered only on the paths where the call returned this value (<c>spin_trylock</c>).</summary>
        public bool WhenReturns { get; set; }
    }

    /// <summary>A call to this method ends the innermost region (<c>preempt_enable</c>, <c>spin_unlock</c>, 2.6.32 <c>tlb_finish_mmu</c>).</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class ExitsNoMigrateAttribute : Attribute
    {
    }

    /// <summary>
    /// This body runs with migration disabled: it is checked as a region, and it may only be called where
    /// migration is already disabled (interrupt handlers, helpers that require <c>preempt_disable</c>).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false)]
    public sealed class NoMigrateAttribute : Attribute
    {
    }

    /// <summary>Per-CPU data: using it is only meaningful while migration is disabled (<c>DEFINE_PER_CPU</c>, <c>smp_processor_id()</c>).</summary>
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Method, Inherited = false)]
    public sealed class PerCpuAttribute : Attribute
    {
    }

    /// <summary>
    /// The escape hatch: the analysis treats this member as one that never sleeps, whatever its body calls,
    /// and cuts every chain here (like klint's <c>unchecked</c> or Infer's <c>@NonBlocking</c>). A written
    /// justification is required; an empty one is reported (ACA0006).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false)]
    public sealed class AssumeNoSleepAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="justification">Why the body cannot sleep although the analysis thinks it may.</param>
        public AssumeNoSleepAttribute(string justification)
        {
            Justification = justification;
        }

        /// <summary>Why the body cannot sleep although the analysis thinks it may.</summary>
        public string Justification { get; }
    }

    /// <summary>
    /// Declares, on a per-CPU region opener or closer, its caller-owned ("stack-passed") alternative, so the
    /// code fix can turn the per-CPU protocol into one that needs no region (2.6.32 <c>tlb_gather_mmu</c> →
    /// 3.0 <c>tlb_gather_mmu(&amp;tlb, ...)</c>).
    /// </summary>
    /// <remarks>
    /// On the opener <c>T Open(a, b)</c> (which returns this CPU's object) the alternative is
    /// <c>void Open2(T obj, a, b)</c>: it initialises a caller-owned <c>T</c> created with <c>new T()</c>.
    /// On the closer <c>Close(T obj, c)</c> the alternative is <c>Close2(T obj, c)</c>, same parameters.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class StackAlternativeAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="type">The type that declares the alternative (a static method).</param>
        /// <param name="method">The name of the alternative method.</param>
        public StackAlternativeAttribute(Type type, string method)
        {
            Type = type;
            Method = method;
        }

        /// <summary>The type that declares the alternative.</summary>
        public Type Type { get; }

        /// <summary>The name of the alternative method.</summary>
        public string Method { get; }
    }
}
