namespace AtomicContext.Testing
{
    /// <summary>
    /// The contract's attributes as a project may declare its own copy of them (they are recognised by full
    /// name): the source both test projects compile beside their test code.
    /// </summary>
    internal static class ContractAttributes
    {
        public const string Source = """
            using System;

            namespace AtomicContext
            {
                [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property | AttributeTargets.Delegate)]
                public sealed class MightSleepAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = true)]
                public sealed class MightSleepIfAttribute : Attribute
                {
                    public MightSleepIfAttribute(string parameter, long mask) { }
                    public long AtomicAlternative { get; set; }
                    public string AtomicAlternativeName { get; set; }
                }
                [AttributeUsage(AttributeTargets.Method)]
                public sealed class EntersNoMigrateAttribute : Attribute { public bool WhenReturns { get; set; } }
                [AttributeUsage(AttributeTargets.Method)]
                public sealed class ExitsNoMigrateAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property)]
                public sealed class NoMigrateAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Method)]
                public sealed class PerCpuAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property)]
                public sealed class AssumeNoSleepAttribute : Attribute { public AssumeNoSleepAttribute(string justification) { } }
                [AttributeUsage(AttributeTargets.Method)]
                public sealed class StackAlternativeAttribute : Attribute
                {
                    public StackAlternativeAttribute(Type type, string method) { Type = type; Method = method; }
                    public Type Type { get; }
                    public string Method { get; }
                }
            }

            """;
    }
}
