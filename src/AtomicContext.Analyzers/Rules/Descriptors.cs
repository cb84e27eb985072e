using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Rules
{
    /// <summary>Every rule's descriptor, in one place; help links point at docs/rules/.</summary>
    public static class Descriptors
    {
        public const string Category = "AtomicContext";
        public const string HelpBase = "https://github.com/atomic-context/AtomicContextAnalyzers/blob/main/docs/rules/";

        public const string SleepInRegionId = "ACA0001";
        public const string UnbalancedRegionId = "ACA0002";
        public const string OverrideSleepsId = "ACA0003";
        public const string PerCpuOutsideRegionId = "ACA0004";
        public const string AwaitInRegionId = "ACA0005";
        public const string AssumeNoSleepJustificationId = "ACA0006";
        public const string BadFactsFileId = "ACA0007";
        public const string SleepIfUnknownParameterId = "ACA0008";
        public const string InternalErrorId = "ACA0999";

        public static readonly DiagnosticDescriptor SleepInRegion = Make(
            SleepInRegionId,
            "A call may sleep while migration is disabled",
            "{0}",
            "A call made inside a no-migrate region (between an [EntersNoMigrate] call and its exit, or in a [NoMigrate] body) reaches, directly or through a chain of calls, a member that may sleep. A task that sleeps there may wake on another CPU while it still uses this CPU's data.");

        public static readonly DiagnosticDescriptor UnbalancedRegion = Make(
            UnbalancedRegionId,
            "A no-migrate region is left open (or closed twice) on some path",
            "'{0}' leaves with region depth {1} on this path, where it should leave with {2}",
            "Every path out of a method must leave the region depth as the method declares it: 0, +1 for [EntersNoMigrate], -1 for [ExitsNoMigrate].");

        /// <summary>Off by default: it summarises the whole call graph below every override (see docs/rules/ACA0003.md).</summary>
        public static readonly DiagnosticDescriptor OverrideSleeps = Make(
            OverrideSleepsId,
            "An override or implementation may sleep where the member it overrides does not say so",
            "'{0}' may sleep ({1}), but '{2}', which callers see, is not [MightSleep]",
            "Calls through a virtual or interface member are checked against that member's own facts. An implementation that may sleep must be declared on the member it implements, or callers in atomic context are not told.",
            enabledByDefault: false);

        public static readonly DiagnosticDescriptor PerCpuOutsideRegion = Make(
            PerCpuOutsideRegionId,
            "Per-CPU data or a [NoMigrate] member used where migration may be enabled",
            "'{0}' is {1}, but migration may be enabled here",
            "Per-CPU data is only meaningful while migration is disabled, and a [NoMigrate] member may only be called where it is.");

        public static readonly DiagnosticDescriptor AwaitInRegion = Make(
            AwaitInRegionId,
            "'await' or 'yield return' inside a no-migrate region",
            "'{0}' inside a no-migrate region entered by {1}: the continuation may run on another thread",
            "The continuation of an 'await' or 'yield return' may run on another thread: that is a migration.");

        public static readonly DiagnosticDescriptor AssumeNoSleepJustification = Make(
            AssumeNoSleepJustificationId,
            "[AssumeNoSleep] needs a written justification",
            "[AssumeNoSleep] on '{0}' cuts every chain through it; write why it cannot sleep",
            "The escape hatch hides every sleep below the member. It must say why.");

        public static readonly DiagnosticDescriptor BadFactsFile = Make(
            BadFactsFileId,
            "An entry of an AtomicContext additional file names nothing",
            "{0}",
            "A line of AtomicContext.Sleepers.txt or AtomicContext.Facts.txt that resolves to no member of the compilation is ignored.",
            true, WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor SleepIfUnknownParameter = Make(
            SleepIfUnknownParameterId,
            "[MightSleepIf] names no parameter of its member",
            "[MightSleepIf] on '{0}' names '{1}', which is not one of its parameters: every call to it counts as sleeping",
            "The condition cannot be evaluated (a parameter renamed without the string, or a typo), so the member is treated as [MightSleep]. Name the parameter with nameof(...).");

        /// <summary>An analysis that failed says so, where a silent skip would look like clean code.</summary>
        public static readonly DiagnosticDescriptor InternalError = Make(
            InternalErrorId,
            "AtomicContextAnalyzers could not analyse a member",
            "AtomicContextAnalyzers could not analyse '{0}' ({1}: {2}); its calls are not checked. Please report this with the code that caused it.",
            "An internal error of the analyzer: the member's body is skipped (no other member's analysis is affected). It is reported instead of crashing the build (AD0001) and instead of a silent skip that would look like clean code.");

        private static DiagnosticDescriptor Make(string id, string title, string message, string description, bool enabledByDefault = true, params string[] tags) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: enabledByDefault,
                description: description, helpLinkUri: HelpBase + id + ".md", customTags: tags);
    }
}
