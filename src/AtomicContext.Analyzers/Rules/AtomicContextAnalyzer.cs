using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Flow;
using AtomicContext.Analyzers.Model;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AtomicContext.Analyzers.Rules
{
    /// <summary>
    /// The analyzer: a body's reports come from the symbol action of its method, except ACA0001, which waits for
    /// the semantic model action of the body's tree (<see cref="DeferredSleeps"/>) so that in a whole compilation
    /// the callees it reaches have been walked by then; both kinds of action run in the IDE's analysis of the open
    /// document too. Callee summaries come from the per-compilation store.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AtomicContextAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Chains longer than this are shortened in the message to their first and last hops around '…'.</summary>
        public const int MaxHopsInMessage = 64;
        public const int HopsKeptAtEachEnd = 30;

        /// <summary>Property keys a diagnostic carries for the code fixes.</summary>
        public static class Keys
        {
            public const string Callee = "aca.callee";
            public const string Opener = "aca.opener";
            public const string OpenerStart = "aca.openerStart";
            public const string SleepParameter = "aca.sleepParameter";
            public const string ExitCall = "aca.exitCall";
            public const string Direct = "aca.direct";
            /// <summary>ACA0002: the wrong depths this exit may leave with, relative to entry (e.g. "+1", "-1,+1").</summary>
            public const string Depth = "aca.depth";
            /// <summary>ACA0003: the doc ID of the overridden or implemented member callers see.</summary>
            public const string Declared = "aca.declared";
        }

        /// <summary>Test hook: told of every exception an analysis callback swallowed (an analyzer never crashes the build).</summary>
        internal static Action<Exception>? FailureObserver;

        /// <summary>Test hook: a body for which it answers true fails as an analyzer bug would (to test ACA0999).</summary>
        internal static Func<ISymbol, bool>? FaultInjector;

        /// <summary>Test hook: told of each compilation's store (to count the bodies it walked).</summary>
        internal static Action<SummaryStore>? StoreObserver;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            Descriptors.SleepInRegion,
            Descriptors.UnbalancedRegion,
            Descriptors.OverrideSleeps,
            Descriptors.PerCpuOutsideRegion,
            Descriptors.AwaitInRegion,
            Descriptors.AssumeNoSleepJustification,
            Descriptors.BadFactsFile,
            Descriptors.SleepIfUnknownParameter,
            Descriptors.InternalError);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            // Generated code is not analysed (no Analyze flag: no callback runs on it). ReportDiagnostics only
            // spares the driver a search of the whole tree for [GeneratedCode] at every tree we report in: a
            // diagnostic of ours is always in a body we analysed, so never in generated code.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.RegisterCompilationStartAction(Start);
        }

        private static void Start(CompilationStartAnalysisContext context)
        {
            FactsFiles files;
            try
            {
                files = FactsFiles.Read(context.Options.AdditionalFiles, context.Compilation, context.CancellationToken);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                FailureObserver?.Invoke(ex);
                files = FactsFiles.Empty;
            }
            var store = new SummaryStore(context.Compilation, new FactsResolver(files, SummaryStore.EstimatedMembers(context.Compilation)), files.Print);
            StoreObserver?.Invoke(store);
            var compilation = context.Compilation;
            var filter = new Lazy<RegionFilter>(() =>
            {
                try
                {
                    return RegionFilter.For(compilation, store.Facts, files, CancellationToken.None);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    FailureObserver?.Invoke(ex);
                    return RegionFilter.Everything;
                }
            }, LazyThreadSafetyMode.ExecutionAndPublication);
            // Bodies are found from their methods' symbol actions, not from code block or operation block actions:
            // the driver binds no body for us, so a body is bound once — for its own method, or on demand for a
            // caller's summary, whose facts are then reused — and it computes no declaration data for us either
            // (a code block action, even one that does nothing, has the driver find every member's code blocks:
            // 7-11 % of the floor's CPU on the benchmark's corpus, and 30 MB of allocation at 1x).
            var session = new Session(store, filter, new CalleeNamesOnce(compilation, filter), new DeferredSleeps(),
                IsConfiguredOn(context.Compilation, Descriptors.OverrideSleeps, context.CancellationToken));
            // Method groups of one object per compilation: no closure or delegate is made per callback.
            context.RegisterSemanticModelAction(session.OnSemanticModel);
            context.RegisterSymbolAction(session.OnMethod, SymbolKind.Method);
            if (!files.Problems.IsEmpty)
            {
                context.RegisterCompilationEndAction(c =>
                {
                    foreach (var problem in files.Problems)
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.BadFactsFile, problem.Location, problem.Message));
                });
            }
        }

        /// <summary>A compilation's state and the callbacks that use it.</summary>
        private sealed class Session
        {
            private readonly SummaryStore _store;
            private readonly Lazy<RegionFilter> _filter;
            private readonly CalleeNamesOnce _callees;
            private readonly DeferredSleeps _deferred;
            private readonly bool _overrides;

            public Session(SummaryStore store, Lazy<RegionFilter> filter, CalleeNamesOnce callees, DeferredSleeps deferred, bool overrides)
            {
                _store = store;
                _filter = filter;
                _callees = callees;
                _deferred = deferred;
                _overrides = overrides;
            }

            public void OnSemanticModel(SemanticModelAnalysisContext context) =>
                _deferred.Complete(context.SemanticModel.SyntaxTree, context.ReportDiagnostic, context.CancellationToken);

            public void OnMethod(SymbolAnalysisContext context)
            {
                var method = (IMethodSymbol)context.Symbol;
                // The method's body first (the declaration rules below may ask for its summary). A method has one
                // declaration (each part of a partial method is a symbol of its own).
                foreach (var reference in method.DeclaringSyntaxReferences)
                {
                    try
                    {
                        if (CodeBlockOf(reference.GetSyntax(context.CancellationToken)) is { } codeBlock)
                            AnalyzeBlock(context, method, codeBlock, _store, _filter, _callees, _deferred);
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
                    {
                        ReportFailure(ex, method, context.ReportDiagnostic);
                    }
                }
                try
                {
                    AnalyzeMethod(context, _store, _overrides);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
                {
                    ReportFailure(ex, context.Symbol, context.ReportDiagnostic);
                }
            }
        }

        /// <summary>
        /// The compilation's <see cref="CalleeNames"/>, computed once by the first body that asks; the bodies that ask
        /// while it is being computed do not wait for it and are walked (what a body the closure reaches gets anyway).
        /// </summary>
        private sealed class CalleeNamesOnce
        {
            private readonly Compilation _compilation;
            private readonly Lazy<RegionFilter> _filter;
            private CalleeNames? _names;
            private int _state; // 0: not started, 1: computing, 2: done (or failed: every body counts)

            public CalleeNamesOnce(Compilation compilation, Lazy<RegionFilter> filter)
            {
                _compilation = compilation;
                _filter = filter;
            }

            public bool MayBeReached(BodyTokens codeBlock)
            {
                if (Volatile.Read(ref _state) == 2) return Volatile.Read(ref _names)?.MayBeReached(codeBlock) ?? true;
                if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return true;
                try
                {
                    Volatile.Write(ref _names, CalleeNames.For(_compilation, _filter.Value, CancellationToken.None));
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    FailureObserver?.Invoke(ex);
                }
                finally
                {
                    Volatile.Write(ref _state, 2);
                }
                return Volatile.Read(ref _names)?.MayBeReached(codeBlock) ?? true;
            }
        }

        private static void Guard(Action action, ISymbol owner, Action<Diagnostic> report, CancellationToken ct)
        {
            try
            {
                action();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                ReportFailure(ex, owner, report);
            }
        }

        /// <summary>Never crash the build (AD0001), never skip silently: the member is reported as not analysed.</summary>
        private static void ReportFailure(Exception ex, ISymbol owner, Action<Diagnostic> report)
        {
            FailureObserver?.Invoke(ex);
            var locations = owner.Locations;
            var location = locations.Length > 0 && locations[0].IsInSource ? locations[0] : Location.None;
            try
            {
                report(Diagnostic.Create(Descriptors.InternalError, location, Display.Name(owner), ex.GetType().Name, ex.Message));
            }
            catch (ArgumentException)
            {
                // A location outside the analysed tree (partial declarations): nothing more to say.
            }
        }

        // ------------------------------------------------------------------ bodies

        /// <summary>
        /// The code block of a method's declaration, as the driver would hand it to a code block action: the
        /// declaration of a method, constructor, finalizer, operator or accessor that has a body; the arrow clause
        /// of an expression-bodied property or indexer (the getter's); the compilation unit of top-level
        /// statements; the type of a primary constructor that passes arguments to its base. Null for a declaration
        /// with nothing to run (abstract, extern, a partial method's defining part, an auto-accessor, a primary
        /// constructor that passes nothing on). <c>CodeBlockTests</c> holds it to what the driver hands.
        /// </summary>
        internal static SyntaxNode? CodeBlockOf(SyntaxNode declaration) => declaration switch
        {
            BaseMethodDeclarationSyntax m => m.Body != null || m.ExpressionBody != null ? m : null,
            AccessorDeclarationSyntax a => a.Body != null || a.ExpressionBody != null ? a : null,
            ArrowExpressionClauseSyntax arrow => arrow,
            CompilationUnitSyntax unit => unit,
            TypeDeclarationSyntax type =>
                type.BaseList is { } bases && bases.Types.Count > 0 && bases.Types[0] is PrimaryConstructorBaseTypeSyntax ? type : null,
            _ => null,
        };

        private static void AnalyzeBlock(SymbolAnalysisContext context, IMethodSymbol owner, SyntaxNode codeBlock, SummaryStore store, Lazy<RegionFilter> filter, CalleeNamesOnce callees, DeferredSleeps deferred)
        {
            if (FaultInjector?.Invoke(owner) == true) throw new InvalidOperationException("injected fault");
            var ct = context.CancellationToken;
            var ownerFacts = store.Facts.Get(owner);
            var regions = filter.Value;
            // The block's tokens, read once per tree (null when the filter is off: every body counts).
            var tokens = regions.IsOff ? null : BodyTokens.Of(codeBlock);
            if (!ownerFacts.NoMigrate && tokens != null && !regions.MayReport(tokens))
            {
                // A body that names no region, per-CPU or [NoMigrate] member cannot report by itself. If its name
                // can be reached from a region it may be a callee of one: walked now, in its own action, its facts
                // are there when a caller's check asks, instead of being bound then.
                if (regions.AnyRegion && callees.MayBeReached(tokens))
                    store.FactsForDeclaration(owner, codeBlock, ModelOf(context.Compilation, codeBlock), ct);
                return;
            }
            var facts = store.FactsForDeclaration(owner, codeBlock, ModelOf(context.Compilation, codeBlock), ct);
            if (facts is null) return;
            var reporter = BlockReporter.Take(context);
            try
            {
                var report = reporter.Report;
                // Local functions and lambdas are separate bodies, walked with this one (and theirs, in turn).
                List<BodyFacts>? holding = null;
                if (Report(facts, ownerFacts, Display.Name(owner, ownerFacts), report)) (holding ??= new List<BodyFacts>()).Add(facts);
                var pending = facts.NestedBodies.Count == 0 ? null : new Stack<NestedBody>(facts.NestedBodies);
                while (pending?.Count > 0)
                {
                    var nested = pending.Pop();
                    if (Report(nested.Facts, nested.OwnerFacts, nested.OwnerName, report)) (holding ??= new List<BodyFacts>()).Add(nested.Facts);
                    foreach (var inner in nested.Facts.NestedBodies) pending.Push(inner);
                }
                if (holding != null) CheckSleeps(holding, owner, codeBlock, store, deferred, report, ct);
            }
            finally
            {
                reporter.Release();
            }
        }

        /// <summary>
        /// The semantic model of the tree a body is in: the driver's own (its caching provider hands the same model
        /// to every action on the tree, and to the store's binding of callees on demand).
        /// </summary>
        private static SemanticModel ModelOf(Compilation compilation, SyntaxNode codeBlock)
        {
#pragma warning disable RS1030 // In an analyzer driver the compilation's semantic models come from the driver's cache: nothing is bound twice.
            return compilation.GetSemanticModel(codeBlock.SyntaxTree);
#pragma warning restore RS1030
        }

        /// <summary>
        /// Reports into the method being analysed: one delegate per thread, not one per body (a delegate to a
        /// method of the context, a struct, was a box and a delegate for every walked body). It is never kept past
        /// the method's action (held ACA0001 checks report through the context of the tree's end); released, it
        /// holds no context, so no compilation is kept alive by it.
        /// </summary>
        private sealed class BlockReporter
        {
            [ThreadStatic] private static BlockReporter? t_free;
            private SymbolAnalysisContext _context;

            private BlockReporter() => Report = d => _context.ReportDiagnostic(d);

            public Action<Diagnostic> Report { get; }

            /// <summary>The thread's reporter, set to the method's action (a new one when the thread's is in use).</summary>
            public static BlockReporter Take(SymbolAnalysisContext context)
            {
                var reporter = t_free ?? new BlockReporter();
                t_free = null;
                reporter._context = context;
                return reporter;
            }

            public void Release()
            {
                _context = default;
                t_free = this;
            }
        }

        /// <summary>ACA0001 waits for the tree to be complete (DeferredSleeps), unless it is already.</summary>
        /// <remarks>Apart from <see cref="AnalyzeBlock"/>: the closures are made only for a body that holds a region.</remarks>
        private static void CheckSleeps(List<BodyFacts> holding, IMethodSymbol owner, SyntaxNode codeBlock, SummaryStore store, DeferredSleeps deferred, Action<Diagnostic> report, CancellationToken ct)
        {
            void Check(Action<Diagnostic> to, CancellationToken token)
            {
                foreach (var body in holding) ReportSleeps(body, store, to, token);
            }
            if (!deferred.TryDefer(codeBlock, (to, token) => Guard(() => Check(to, token), owner, to, token))) Check(report, ct);
        }

        /// <summary>Reports the body's own rules but ACA0001; true when it holds a region at a call (so ACA0001 has to look).</summary>
        private static bool Report(BodyFacts facts, MemberFacts ownerFacts, string ownerName, Action<Diagnostic> report)
        {
            if (facts.Failed)
            {
                // Never skipped silently: the body nests deeper than the walk can follow (the stack ran short).
                report(Diagnostic.Create(Descriptors.InternalError, facts.OwnerLocation ?? Location.None, ownerName,
                    nameof(InsufficientExecutionStackException), "its statements or expressions nest deeper than the analysis can follow"));
                return false;
            }
            ReportExits(facts, ownerName, ownerFacts, report);
            ReportPerCpu(facts, ownerFacts, report);
            ReportSuspends(facts, report);
            foreach (var site in facts.Calls)
            {
                if (!site.State.IsUnreachable && SummaryStore.HoldsRegion(facts, site)) return true;
            }
            return false;
        }

        private static void ReportSleeps(BodyFacts facts, SummaryStore store, Action<Diagnostic> report, CancellationToken ct)
        {
            List<Contribution>? scratch = null;
            foreach (var site in facts.Calls)
            {
                if (site.State.IsUnreachable || !SummaryStore.HoldsRegion(facts, site)) continue;
                int depth = site.State.Depths.Max;
                scratch ??= new List<Contribution>();
                scratch.Clear();
                store.Contributions(site, inRegion: true, scratch, ct);
                Contribution? best = null;
                foreach (var c in scratch)
                {
                    if (depth + c.Depth <= 0) continue;
                    if (best is null || c.Depth > best.Value.Depth) best = c;
                }
                if (best is null) continue;
                report(SleepDiagnostic(site, best.Value, store));
            }
        }

        private static Diagnostic SleepDiagnostic(CallSite site, Contribution contribution, SummaryStore store)
        {
            var opener = site.State.Openers?.Top;
            var hops = store.Chain(site, contribution);
            var message = new StringBuilder();
            message.Append('\'').Append(hops[0].Name).Append("' may sleep while migration is disabled by ");
            message.Append(opener?.Describe() ?? "a region");
            message.Append(": ");
            AppendChain(message, hops);

            var locations = new List<Location>();
            if (opener != null) locations.Add(opener.Location);
            AddHopLocations(locations, hops);

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            if (site.Callee != null && !site.Callee.StartsWith("~", StringComparison.Ordinal)) properties[Keys.Callee] = site.Callee;
            if (opener?.DocId != null && !opener.IsNoMigrateBody)
            {
                properties[Keys.Opener] = opener.DocId;
                properties[Keys.OpenerStart] = opener.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (contribution.Source == SleepSource.Terminal)
            {
                properties[Keys.Direct] = "true";
                foreach (var sleepIf in site.Facts.SleepIfs)
                {
                    if (sleepIf.ParameterOrdinal == contribution.CalleeParameter) properties[Keys.SleepParameter] = sleepIf.ParameterName;
                }
            }
            return Diagnostic.Create(Descriptors.SleepInRegion, site.Location, locations, properties.ToImmutable(), message.ToString());
        }

        /// <summary>The hops joined with ' → '; a very long chain keeps its first and last hops around '…'.</summary>
        public static void AppendChain(StringBuilder message, List<SummaryStore.Hop> hops)
        {
            bool shorten = hops.Count > MaxHopsInMessage;
            for (int i = 0; i < hops.Count; i++)
            {
                if (shorten && i == HopsKeptAtEachEnd)
                {
                    message.Append(" → …");
                    i = hops.Count - HopsKeptAtEachEnd - 1;
                    continue;
                }
                if (i > 0) message.Append(" → ");
                message.Append(hops[i].Name);
            }
        }

        private static void AddHopLocations(List<Location> locations, List<SummaryStore.Hop> hops)
        {
            bool shorten = hops.Count > MaxHopsInMessage;
            for (int i = 0; i < hops.Count; i++)
            {
                if (shorten && i == HopsKeptAtEachEnd) i = hops.Count - HopsKeptAtEachEnd;
                locations.Add(hops[i].Location);
            }
        }

        private static void ReportExits(BodyFacts facts, string ownerName, MemberFacts ownerFacts, Action<Diagnostic> report)
        {
            if (!facts.HasRegionCalls) return;
            bool annotated = ownerFacts.IsRegionCall;
            int declared = ownerFacts.DeclaredNetEffect;
            var allowed = DepthSet.Of(declared);
            if (facts.AllRegionCallsConditional || ownerFacts.EntersConditionally) allowed = allowed.Union(DepthSet.Of(0)).Union(DepthSet.Of(1));
            foreach (var exit in facts.Exits)
            {
                var relative = exit.State.Depths.Shift(-facts.Baseline);
                if ((relative.Mask & ~allowed.Mask) == 0) continue;
                var bad = new List<string>();
                foreach (var d in relative.Depths())
                {
                    if (!allowed.Contains(d)) bad.Add(Signed(d));
                }
                var held = exit.State.Openers?.Top;
                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                properties[Keys.Depth] = string.Join(",", bad);
                if (held?.DocId != null && !held.IsNoMigrateBody)
                {
                    properties[Keys.ExitCall] = held.DocId;
                    properties[Keys.OpenerStart] = held.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                report(Diagnostic.Create(Descriptors.UnbalancedRegion, exit.Location, properties.ToImmutable(),
                    ownerName, bad.Count > 3 ? "anything from " + bad[0] + " to " + bad[bad.Count - 1] : string.Join(" or ", bad), Signed(declared) + (annotated ? "" : " (it is not [EntersNoMigrate] or [ExitsNoMigrate])")));
            }
        }

        private static string Signed(int d) => d > 0 ? "+" + d.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static void ReportPerCpu(BodyFacts facts, MemberFacts ownerFacts, Action<Diagnostic> report)
        {
            if (facts.IsNoMigrate || ownerFacts.PerCpu || facts.PerCpuUses.Count == 0) return;
            // A trusted region primitive (annotated, no region call in its body) is the region's own edge.
            if (ownerFacts.IsRegionCall && !facts.HasRegionCalls) return;
            foreach (var use in facts.PerCpuUses)
            {
                if (use.State.IsUnreachable || use.State.Depths.Max - facts.Baseline > 0) continue;
                report(Diagnostic.Create(Descriptors.PerCpuOutsideRegion, use.Location, use.Name,
                    use.IsNoMigrateMember ? "[NoMigrate]" : "per-CPU data"));
            }
        }

        private static void ReportSuspends(BodyFacts facts, Action<Diagnostic> report)
        {
            foreach (var site in facts.Suspends)
            {
                if (site.State.IsUnreachable) continue;
                if (!facts.IsNoMigrate && site.State.Depths.Max - facts.Baseline <= 0) continue;
                var opener = site.State.Openers?.Top;
                report(Diagnostic.Create(Descriptors.AwaitInRegion, site.Location,
                    opener is null ? null : new[] { opener.Location }, site.Keyword, opener?.Describe() ?? "a region"));
            }
        }

        // ------------------------------------------------------------------ declarations

        /// <summary>
        /// Whether an off-by-default rule was switched on anywhere (command line, global config or an
        /// .editorconfig section): only then is its expensive work done.
        /// </summary>
        private static bool IsConfiguredOn(Compilation compilation, DiagnosticDescriptor rule, CancellationToken ct)
        {
            if (rule.IsEnabledByDefault) return true;
            var options = compilation.Options;
            if (options.SpecificDiagnosticOptions.TryGetValue(rule.Id, out var specific)) return specific != ReportDiagnostic.Suppress;
            var provider = options.SyntaxTreeOptionsProvider;
            if (provider is null) return false;
            if (provider.TryGetGlobalDiagnosticValue(rule.Id, ct, out var global) && global != ReportDiagnostic.Suppress) return true;
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (provider.TryGetDiagnosticValue(tree, rule.Id, ct, out var perTree) && perTree != ReportDiagnostic.Suppress) return true;
            }
            return false;
        }

        private static void AnalyzeMethod(SymbolAnalysisContext context, SummaryStore store, bool overrides)
        {
            var method = (IMethodSymbol)context.Symbol;
            var facts = store.Facts.Get(method);
            if (facts.AssumeNoSleep && string.IsNullOrWhiteSpace(facts.AssumeNoSleepJustification))
            {
                var location = AttributeLocation(method, "AssumeNoSleepAttribute", context.CancellationToken) ?? method.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.AssumeNoSleepJustification, location, Display.Name(method)));
            }
            // Such an attribute makes its member MightSleep (FactsResolver): only those members are searched for one.
            if (facts.MightSleep)
            {
                foreach (var (attribute, name) in FactsResolver.SleepIfsNamingNoParameter(method))
                {
                    var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations[0];
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.SleepIfUnknownParameter, location, Display.Name(method), name));
                }
            }
            if (overrides) ReportOverride(context, method, store);
        }

        private static void ReportOverride(SymbolAnalysisContext context, IMethodSymbol method, SummaryStore store)
        {
            if (method.IsAbstract || !SummaryStore.HasSourceBody(method)) return;
            IMethodSymbol? declared = method.OverriddenMethod;
            if (declared is null)
            {
                if (method.ContainingType is null || method.ContainingType.AllInterfaces.IsEmpty || method.DeclaredAccessibility != Accessibility.Public && method.ExplicitInterfaceImplementations.IsEmpty) return;
                foreach (var explicitImpl in method.ExplicitInterfaceImplementations)
                {
                    declared = explicitImpl;
                    break;
                }
                if (declared is null)
                {
                    foreach (var iface in method.ContainingType.AllInterfaces)
                    {
                        foreach (var member in iface.GetMembers(method.Name))
                        {
                            if (member is IMethodSymbol candidate && SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(candidate), method))
                            {
                                declared = candidate;
                                break;
                            }
                        }
                        if (declared != null) break;
                    }
                }
            }
            // Only a member the user can annotate: one declared in source.
            if (declared is null || !SummaryStore.IsInSource(declared)) return;
            var ownFacts = store.Facts.Get(method);
            if (ownFacts.MightSleep || ownFacts.AssumeNoSleep) return;
            var declaredFacts = store.Facts.Get(declared);
            if (declaredFacts.MightSleep || declaredFacts.AssumeNoSleep || !declaredFacts.SleepIfs.IsEmpty) return;
            var summary = store.SummaryOf(method, context.CancellationToken);
            if (summary.SleepDepth == Summary.Never || summary.SleepDepth < 0) return;
            if (SummaryStore.HasSourceBody(declared) && store.SummaryOf(declared, context.CancellationToken).SleepDepth >= 0) return;
            string reason = "it reaches a sleeper";
            if (summary.Witness != null)
            {
                var hops = store.Chain(summary.Witness.Site, new Contribution(0, summary.Witness.Source, summary.Witness.CalleeParameter, -1, 0));
                var sb = new StringBuilder();
                AppendChain(sb, hops);
                reason = sb.ToString();
            }
            var declaredId = ImmutableDictionary<string, string?>.Empty.Add(Keys.Declared, DocumentationCommentId.CreateDeclarationId(declared.OriginalDefinition));
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.OverrideSleeps, method.Locations[0], declaredId, Display.Name(method), reason, Display.Name(declared)));
        }

        private static Location? AttributeLocation(ISymbol symbol, string attributeName, CancellationToken ct)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == attributeName && attribute.ApplicationSyntaxReference != null)
                    return attribute.ApplicationSyntaxReference.GetSyntax(ct).GetLocation();
            }
            return null;
        }
    }
}
