using System.Collections.Immutable;
using System.Composition;
using AtomicContext.Analyzers.Rules;
using AtomicContext.CodeFixes.Fixes;
using AtomicContext.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

// The providers are declared in this one file, in priority order: dotnet format applies the providers of a
// diagnostic ID in the order reflection lists their types (declaration order), one Fix All each. The stack
// gather must come first for ACA0001 (a test checks the order).
namespace AtomicContext.CodeFixes
{
    /// <summary>ACA0001 in a region whose opener declares [StackAlternative]: pass the object on the stack (first action).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StackGatherCodeFixProvider)), Shared]
    [ExtensionOrder(Before = nameof(SleepInRegionCodeFixProvider))]
    public sealed class StackGatherCodeFixProvider : PlanCodeFixProvider
    {
        public StackGatherCodeFixProvider()
            : base(new StackGatherFix())
        {
        }

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.SleepInRegionId);
    }

    /// <summary>ACA0001: move the sleeping call out of the region (where safe), else use the atomic alternative of its flag.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SleepInRegionCodeFixProvider)), Shared]
    [ExtensionOrder(Before = nameof(MightSleepAnnotationCodeFixProvider))]
    public sealed class SleepInRegionCodeFixProvider : PlanCodeFixProvider
    {
        public SleepInRegionCodeFixProvider()
            : base(new MoveOutOfRegionFix(), new AtomicAlternativeFix())
        {
        }

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.SleepInRegionId);
    }

    /// <summary>ACA0002: call the opener's matching exit before the return that leaves the region open.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExitRegionCodeFixProvider)), Shared]
    public sealed class ExitRegionCodeFixProvider : PlanCodeFixProvider
    {
        public ExitRegionCodeFixProvider()
            : base(new ExitRegionFix())
        {
        }

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.UnbalancedRegionId);
    }

    /// <summary>ACA0003 and ACA0001: declare [MightSleep] where the fact is missing (last: it documents rather than repairs).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MightSleepAnnotationCodeFixProvider)), Shared]
    public sealed class MightSleepAnnotationCodeFixProvider : PlanCodeFixProvider
    {
        public MightSleepAnnotationCodeFixProvider()
            : base(new AnnotateDeclaredMemberFix(), new AnnotateSleepingMethodFix())
        {
        }

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.OverrideSleepsId, Descriptors.SleepInRegionId);
    }
}
