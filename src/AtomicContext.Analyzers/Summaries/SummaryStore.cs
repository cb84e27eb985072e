using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Flow;
using AtomicContext.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AtomicContext.Analyzers.Summaries
{
    /// <summary>What a call site contributes: the callee may sleep at depth <see cref="Depth"/> relative to the call.</summary>
    public readonly struct Contribution
    {
        public Contribution(int depth, SleepSource source, int calleeParameter, int ownerParameter, long mask)
        {
            Depth = depth;
            Source = source;
            CalleeParameter = calleeParameter;
            OwnerParameter = ownerParameter;
            Mask = mask;
        }

        public int Depth { get; }
        public SleepSource Source { get; }
        public int CalleeParameter { get; }

        /// <summary>≥ 0 when the sleep depends on the owner's own parameter (passed straight through).</summary>
        public int OwnerParameter { get; }

        public long Mask { get; }
        public bool IsConditional => OwnerParameter >= 0;
    }

    /// <summary>
    /// Per compilation: every body's facts and every method's summary, computed on demand and memoized
    /// (each body bound at most once), over the call graph with an explicit-stack Tarjan walk — never a
    /// recursion as deep as the call graph. Holds no static state; dies with its compilation.
    /// </summary>
    public sealed class SummaryStore
    {
        private const int MaxSccIterations = 256;

        // MethodImplOptions.AggressiveOptimization (512; not in netstandard2.0's enum, honoured by the runtime) for
        // the few methods that run long loops but are called a handful of times per compilation: tiered compilation
        // would run them unoptimized for many compilations before they are called often enough to be optimized.
        private const System.Runtime.CompilerServices.MethodImplOptions AggressiveOptimization = (System.Runtime.CompilerServices.MethodImplOptions)512;

        private readonly Compilation _compilation;
        private readonly FactsResolver _facts;
        // Sized for the compilation up front (EstimatedMembers): a ConcurrentDictionary that grows makes every
        // node again at each doubling, and these hold one entry per member reached.
        // A method's entry (null: the method has no key), found by the symbol: no key is hashed where the method is
        // at hand. The entry holds the method back (Entry.Method), so a callee met in a walk is found by its key
        // without parsing it (facts kept from an earlier compilation still go through the parser).
        private readonly ConcurrentDictionary<IMethodSymbol, Entry?> _byMethod;
        private readonly DocIds _docIds = new DocIds();

        // One entry per key met (a body's facts with its call sites resolved to entries, and its summary): the
        // solve follows references between entries, hashing no key.
        private readonly ConcurrentDictionary<string, Entry> _entries;
        private readonly Func<string, Entry> _newEntry = key => new Entry(key);
        private readonly Func<IMethodSymbol, string?> _keyOf;
        private Dictionary<string, SyntaxTree>? _treesByPath;

        private Dictionary<string, SyntaxTree> TreesByPath()
        {
            var trees = Volatile.Read(ref _treesByPath);
            if (trees != null) return trees;
            trees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
            foreach (var t in _compilation.SyntaxTrees)
            {
                if (!trees.ContainsKey(t.FilePath)) trees.Add(t.FilePath, t);
            }
            return Interlocked.CompareExchange(ref _treesByPath, trees, null) ?? trees;
        }
        private readonly object _gate = new object();

        // The environment print (SharedFacts.Environment: every tree's declarations hashed), made once by the
        // first thread that needs it: a body's facts are looked up in facts kept from earlier compilations only
        // where its tree has some (none in a build: no wait), and kept without waiting (queued while it is made).
        private readonly ulong _factsFilesPrint;
        private ulong _environmentPrint;
        private int _environmentState; // 0: not made, 1: being made, 2: made
        private readonly object _environmentGate = new object();
        /// <summary>This store in the kept facts (<see cref="SharedFacts"/>): a bare object, so they hold no compilation.</summary>
        private readonly object _token = new object();
        private readonly ConcurrentQueue<(SyntaxTree Tree, string Key, BodyFacts Facts)> _keepLater = new ConcurrentQueue<(SyntaxTree, string, BodyFacts)>();

        /// <summary>The environment print, made now if need be (waiting while another thread makes it).</summary>
        private ulong EnvironmentPrint()
        {
            if (Volatile.Read(ref _environmentState) == 2) return _environmentPrint;
            if (Interlocked.CompareExchange(ref _environmentState, 1, 0) == 0) return MakeEnvironment();
            lock (_environmentGate)
            {
                while (Volatile.Read(ref _environmentState) != 2) Monitor.Wait(_environmentGate);
            }
            return _environmentPrint;
        }

        private ulong MakeEnvironment()
        {
            try
            {
                _environmentPrint = EnvironmentOf(_compilation, _factsFilesPrint);
            }
            finally
            {
                // EnvironmentOf does not throw (it catches, and no cancellation reaches it): never leave waiters hanging.
                lock (_environmentGate)
                {
                    Volatile.Write(ref _environmentState, 2);
                    Monitor.PulseAll(_environmentGate);
                }
            }
            return _environmentPrint;
        }

        /// <summary>Facts kept for this body from an earlier compilation (the environment is made only where the tree has some).</summary>
        private BodyFacts? Kept(SyntaxTree tree, string key) =>
            SharedFacts.HasFacts(tree) ? SharedFacts.Get(tree, EnvironmentPrint(), key, _token) : null;

        /// <summary>Keeps a body's facts for later compilations of the same tree; never waits for the environment.</summary>
        private void Keep(SyntaxTree tree, string key, BodyFacts facts)
        {
            if (Volatile.Read(ref _environmentState) == 2)
            {
                SharedFacts.Put(tree, _environmentPrint, key, facts, _token);
                return;
            }
            if (Interlocked.CompareExchange(ref _environmentState, 1, 0) == 0)
            {
                ulong print = MakeEnvironment();
                SharedFacts.Put(tree, print, key, facts, _token);
                KeepQueued(print);
                return;
            }
            _keepLater.Enqueue((tree, key, facts));
            // Made meanwhile: its maker may have emptied the queue before this entry was in it.
            if (Volatile.Read(ref _environmentState) == 2) KeepQueued(_environmentPrint);
        }

        private void KeepQueued(ulong print)
        {
            while (_keepLater.TryDequeue(out var item)) SharedFacts.Put(item.Tree, print, item.Key, item.Facts, _token);
        }

        /// <param name="factsFilesPrint">A hash of the additional files that give facts (part of the environment print).</param>
        public SummaryStore(Compilation compilation, FactsResolver facts, ulong factsFilesPrint = 0)
        {
            _compilation = compilation;
            _facts = facts;
            _keyOf = KeyOf;
            _factsFilesPrint = factsFilesPrint;
            int capacity = EstimatedMembers(compilation);
            _byMethod = new ConcurrentDictionary<IMethodSymbol, Entry?>(LockStripes, capacity, ByReference.Instance);
            _entries = new ConcurrentDictionary<string, Entry>(LockStripes, capacity, StringComparer.Ordinal);
        }

        /// <summary>Lock stripes of the per-compilation maps: enough for the machines analyzers run on, fixed so they never grow.</summary>
        internal const int LockStripes = 16;

        /// <summary>
        /// About how many members a compilation's maps will hold: one per ~128 characters of source (the kernel
        /// corpus has one body per ~140), from the trees already parsed (none is parsed for this).
        /// </summary>
        internal static int EstimatedMembers(Compilation compilation)
        {
            long characters = 0;
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.TryGetRoot(out var root)) characters += root.FullSpan.Length;
            }
            return (int)Math.Min(Math.Max(characters / 128, 31), 1 << 20);
        }

        private static long _unshared;

        /// <summary>The environment print; where it cannot be computed, one no other compilation has (nothing is reused).</summary>
        private static ulong EnvironmentOf(Compilation compilation, ulong factsFilesPrint)
        {
            try
            {
                return SharedFacts.Environment(compilation, factsFilesPrint, CancellationToken.None);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                return 0x5EED000000000000UL ^ (ulong)Interlocked.Increment(ref _unshared);
            }
        }

        /// <summary>How many bodies this store walked (the rest came from facts kept across compilations).</summary>
        public int BodiesWalked => _walked;

        private int _walked;

        /// <summary>How many bodies a summary had to bind itself (their facts were not known from an earlier walk).</summary>
        public int BodiesBoundOnDemand => _boundOnDemand;

        private int _boundOnDemand;

        /// <summary>How many summaries could not be solved from the facts already known (the reachable bodies were gathered, binding what was missing).</summary>
        public int SolvesBinding => _solvesBinding;

        private int _solvesBinding;

        public FactsResolver Facts => _facts;

        /// <summary>Test hook: every symbol the store's caches hold (its keys' methods and the facts resolver's members).</summary>
        internal IEnumerable<ISymbol> HeldSymbols()
        {
            foreach (var method in _byMethod.Keys) yield return method;
            foreach (var entry in _entries.Values)
            {
                if (entry.Method != null) yield return entry.Method;
            }
            foreach (var symbol in _facts.HeldSymbols) yield return symbol;
        }

        public Compilation Compilation => _compilation;

        // ------------------------------------------------------------------ keys

        /// <summary>
        /// How a method is named in facts and summaries: its documentation-comment ID, or, for a local
        /// function or lambda (only ever called from its own tree), <c>~path@position</c>.
        /// </summary>
        public string? KeyOf(IMethodSymbol method) => Find(method, out var locationKey)?.Key ?? locationKey;

        /// <summary>The entry of a method's key (null when it has none), as <see cref="KeyOf"/> finds the key.</summary>
        private Entry? EntryOf(IMethodSymbol method) =>
            Find(method, out var locationKey) ?? (locationKey is null ? null : EntryOf(locationKey));

        /// <summary>
        /// The entry held for a method (null when it has no key), held now if it is not yet; for a lambda or local
        /// function, never held, null and its <paramref name="locationKey"/> instead.
        /// </summary>
        private Entry? Find(IMethodSymbol method, out string? locationKey)
        {
            locationKey = null;
            // Only normalized methods are held (compared as objects): most are their own normal form, found at once.
            if (_byMethod.TryGetValue(method, out var known)) return known;
            method = (IMethodSymbol)FactsResolver.Normalize(method);
            if (_byMethod.TryGetValue(method, out known)) return known;
            // Not held: a lambda's or local function's symbol holds what binding its body made (see
            // FactsResolver.IsMadeByBinding); its key is a path and position, made again when asked.
            if (FactsResolver.IsMadeByBinding(method))
            {
                locationKey = LocationKey(method);
                return null;
            }
            return Hold(method);
        }

        /// <summary>A normalized method that is not a lambda or local function, held with its key's entry (first come first kept).</summary>
        private Entry? Hold(IMethodSymbol method)
        {
            var key = ComputeKey(method);
            Entry? entry = null;
            if (key != null)
            {
                entry = EntryOf(key);
                Interlocked.CompareExchange(ref entry.Method, method, null);
            }
            return _byMethod.GetOrAdd(method, entry);
        }

        /// <summary>The key of a method that is not a lambda or local function: its documentation ID where it has one.</summary>
        private string? ComputeKey(IMethodSymbol method)
        {
            var id = _docIds.OfSimpleMethod(method) ?? BodyWalker.DocId(method);
            return string.IsNullOrEmpty(id) ? LocationKey(method) : id;
        }

        /// <summary><c>~path@position</c>: the key of a lambda or local function (only ever called from its own tree), or of a method with no ID.</summary>
        private static string? LocationKey(IMethodSymbol method)
        {
            foreach (var location in method.Locations)
            {
                if (location.IsInSource && location.SourceTree != null)
                    return "~" + location.SourceTree.FilePath + "@" + location.SourceSpan.Start.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return null;
        }

        /// <summary>The method a key names in this compilation (null when it names none).</summary>
        private IMethodSymbol? Resolve(string key, CancellationToken ct)
        {
            if (_entries.TryGetValue(key, out var held) && Volatile.Read(ref held.Method) is { } met) return met;
            if (!key.StartsWith("~", StringComparison.Ordinal))
                return DocumentationCommentId.GetFirstSymbolForDeclarationId(key, _compilation) as IMethodSymbol;
            int at = key.LastIndexOf('@');
            if (at < 0 || !int.TryParse(key.Substring(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int position)) return null;
            var path = key.Substring(1, at - 1);
            if (!TreesByPath().TryGetValue(path, out var tree)) return null;
            var root = tree.GetRoot(ct);
            if (position >= root.FullSpan.End) return null;
#pragma warning disable RS1030 // Callee bodies in other trees are bound on demand; the driver's caching provider shares the model.
            var model = _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            for (var node = root.FindToken(position).Parent; node != null; node = node.Parent)
            {
                ISymbol? symbol = node switch
                {
                    LocalFunctionStatementSyntax l => model.GetDeclaredSymbol(l, ct),
                    AnonymousFunctionExpressionSyntax f => model.GetSymbolInfo(f, ct).Symbol,
                    _ => null,
                };
                if (symbol is IMethodSymbol m && KeyOf(m) == key) return m;
            }
            return null;
        }

        // ------------------------------------------------------------------ bodies

        /// <summary>
        /// The facts of a member's body for its own method's action: the facts computed already (on demand for
        /// a caller, or kept from an earlier compilation) without binding anything; else the body bound in the
        /// driver's semantic model and walked.
        /// </summary>
        /// <param name="declaration">A code block with a body to run (<c>AtomicContextAnalyzer.CodeBlockOf</c>, which
        /// answers null for a declaration without one, such as the defining part of a partial method: that part shares
        /// its key with the implementing part and has no facts of its own).</param>
        public BodyFacts? FactsForDeclaration(IMethodSymbol method, SyntaxNode declaration, SemanticModel model, CancellationToken ct) =>
            FactsOfBody(method, declaration.SyntaxTree, null, declaration, model, ct);

        private static IOperation? BodyOf(IOperation? op) =>
            op != null && (op.Kind == OperationKind.MethodBody || op.Kind == OperationKind.ConstructorBody || op.Kind == OperationKind.Block) ? op : null;

        /// <summary>
        /// The facts of a local function's or lambda's body met in a walk: reused if known, else walked and kept
        /// under the function's key (a call through a delegate the walk resolved to the lambda finds them there
        /// instead of binding the lambda again).
        /// </summary>
        private BodyFacts FactsFor(IMethodSymbol method, IOperation body, CancellationToken ct) =>
            FactsOfBody(method, body.Syntax.SyntaxTree, body, null, null, ct)!;

        /// <summary>
        /// A body's facts: those computed already in this compilation, or kept from an earlier one for the same
        /// tree, binding nothing; else <paramref name="body"/>, or the body of <paramref name="declaration"/> in
        /// <paramref name="model"/>, walked and kept. Null when there is none.
        /// </summary>
        private BodyFacts? FactsOfBody(IMethodSymbol method, SyntaxTree tree, IOperation? body, SyntaxNode? declaration, SemanticModel? model, CancellationToken ct)
        {
            var entry = EntryOf(method);
            var key = entry?.Key;
            if (entry != null)
            {
                if (Volatile.Read(ref entry.Body) is { } known) return known.Facts;
                var kept = Kept(tree, key!);
                if (kept != null) return Publish(entry, kept).Facts;
            }
            BodyFacts? facts = null;
            if (body is null && declaration != null && model != null)
            {
                facts = Forwarding(method, declaration, model, ct);
                if (facts is null) body = BodyOf(model.GetOperation(declaration, ct));
            }
            if (facts is null)
            {
                if (body is null) return null;
                facts = Walk(body, method, key, ct);
            }
            if (entry is null) return facts;
            Keep(tree, key!, facts);
            var published = Publish(entry, facts);
            // A body just walked has its edges made now, on this thread, while its sites and its callees' entries
            // are in the cache; made in a solve (under the lock, often at the end of the compilation) they were
            // read back long cold: the solves' time under the lock per 8x compilation went from 85 to 48 ms.
            if (ReferenceEquals(published.Facts, facts)) published.Prepare(this);
            return published.Facts;
        }

        /// <summary>
        /// Walks a body and, with it, its local functions and lambdas (each a body of its own): the facts that
        /// come out hold no operation, so they may be kept and reused without binding the body again.
        /// </summary>
        /// <param name="ownerKey">The owner's key, made already by the caller (null: asked again).</param>
        private BodyFacts Walk(IOperation body, IMethodSymbol owner, string? ownerKey, CancellationToken ct)
        {
            var facts = Analyze(body, owner, ownerKey, ct);
            if (facts.Nested.Count == 0) return facts;
            var nested = new List<NestedBody>(facts.Nested.Count);
            try
            {
                System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
                foreach (var op in facts.Nested)
                {
                    if (op is ILocalFunctionOperation localFunction && (localFunction.Body ?? localFunction.IgnoredBody) is { } localBody)
                    {
                        var own = _facts.Get(localFunction.Symbol);
                        nested.Add(new NestedBody(FactsFor(localFunction.Symbol, localBody, ct), own, Display.Name(localFunction.Symbol, own)));
                    }
                    else if (op is IAnonymousFunctionOperation lambda)
                    {
                        var own = _facts.Get(lambda.Symbol);
                        nested.Add(new NestedBody(FactsFor(lambda.Symbol, lambda.Body, ct), own, Display.Name(lambda.Symbol, own)));
                    }
                }
            }
            catch (InsufficientExecutionStackException)
            {
                // Functions nested deeper than the stack allows are not analysed; the body itself is.
            }
            facts.Settle(nested);
            return facts;
        }

        /// <summary>A wrapper's facts, read without making its operations (<see cref="ForwardingBody"/>); null when the body must be walked.</summary>
        private BodyFacts? Forwarding(IMethodSymbol method, SyntaxNode declaration, SemanticModel model, CancellationToken ct)
        {
            var facts = ForwardingBody.TryFacts(method, declaration, model, _facts, _keyOf, ct);
            if (facts != null) Interlocked.Increment(ref _walked);
            return facts;
        }

        /// <summary>One body walked as the walker finds it (its local functions and lambdas listed, not walked; <see cref="Walk"/> settles them), not kept.</summary>
        public BodyFacts Analyze(IOperation body, IMethodSymbol owner, CancellationToken ct) => Analyze(body, owner, null, ct);

        private BodyFacts Analyze(IOperation body, IMethodSymbol owner, string? ownerKey, CancellationToken ct)
        {
            Interlocked.Increment(ref _walked);
            return BodyWalker.Analyze(body, owner, _facts, _compilation, _keyOf, ct, ownerKey);
        }

        /// <summary>The facts of a method's body, binding it on demand; <see cref="BodyFacts.Empty"/> when it has none in source.</summary>
        public BodyFacts FactsOf(string key, CancellationToken ct) => BodyOf(EntryOf(key), ct).Facts;

        private Resolved BodyOf(Entry entry, CancellationToken ct)
        {
            if (Volatile.Read(ref entry.Body) is { } known) return known;
            var key = entry.Key;
            // A body kept from an earlier compilation, in a tree this one still has: no symbol, no binding.
            if (SharedFacts.AnyKept && SharedFacts.PathOf(EnvironmentPrint(), key) is { } keptPath
                && TreesByPath().TryGetValue(keptPath, out var keptTree)
                && Kept(keptTree, key) is { } kept)
                return Publish(entry, kept);
            var method = Resolve(key, ct);
            var syntax = method is null ? null : FindBodySyntax(method, ct);
            BodyFacts? facts = null;
            if (syntax != null)
            {
                facts = Kept(syntax.SyntaxTree, key);
                if (facts is null)
                {
                    Interlocked.Increment(ref _boundOnDemand);
#pragma warning disable RS1030 // Callee bodies in other trees are bound on demand; the driver's caching provider shares the model.
                    var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
                    facts = Forwarding(method!, syntax, model, ct);
                    if (facts is null && Bind(syntax, model, ct) is { } body) facts = Walk(body, method!, null, ct);
                    if (facts != null) Keep(syntax.SyntaxTree, key, facts);
                }
            }
            return Publish(entry, facts ?? BodyFacts.Empty);
        }

        private Entry EntryOf(string key) => _entries.TryGetValue(key, out var entry) ? entry : _entries.GetOrAdd(key, _newEntry);

        /// <summary>
        /// A body's facts made known for its key, first come first kept. Its edges (<see cref="Resolved.Prepare"/>)
        /// are made by the caller that walked the body, or when a solve first reaches a body whose facts were kept
        /// from an earlier compilation.
        /// </summary>
        private Resolved Publish(Entry entry, BodyFacts facts)
        {
            if (Volatile.Read(ref entry.Body) is { } known) return known;
            var resolved = new Resolved(facts);
            return Interlocked.CompareExchange(ref entry.Body, resolved, null) ?? resolved;
        }

        public static bool HasSourceBody(IMethodSymbol method)
        {
            if (method.IsAbstract || method.IsExtern) return false;
            // A lambda or local function is declared in source, with its body (its DeclaringSyntaxReferences, a new
            // array at each ask, would say so).
            if (FactsResolver.IsMadeByBinding(method)) return true;
            foreach (var r in method.DeclaringSyntaxReferences)
            {
                if (r.SyntaxTree != null) return true;
            }
            return false;
        }

        public static bool IsInSource(ISymbol symbol)
        {
            foreach (var location in symbol.Locations)
            {
                if (location.IsInSource) return true;
            }
            return false;
        }

        /// <summary>The declaration whose body runs for a method, found without binding anything.</summary>
        private static SyntaxNode? FindBodySyntax(IMethodSymbol method, CancellationToken ct)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var node = reference.GetSyntax(ct);
                bool hasBody = node switch
                {
                    BaseMethodDeclarationSyntax m => m.Body != null || m.ExpressionBody != null,
                    AccessorDeclarationSyntax a => a.Body != null || a.ExpressionBody != null,
                    ArrowExpressionClauseSyntax => true,
                    LocalFunctionStatementSyntax l => l.Body != null || l.ExpressionBody != null,
                    AnonymousFunctionExpressionSyntax => true,
                    _ => false,
                };
                if (hasBody) return node;
            }
            return null;
        }

        private static IOperation? Bind(SyntaxNode node, SemanticModel model, CancellationToken ct)
        {
            var op = model.GetOperation(node, ct);
            if (op is ILocalFunctionOperation localFunction) return localFunction.Body ?? localFunction.IgnoredBody;
            if (op is IAnonymousFunctionOperation lambda) return lambda.Body;
            return op;
        }

        // ------------------------------------------------------------------ evaluating a call site

        /// <summary>Whether the owner holds a region at the site: a relative depth above zero, or a [NoMigrate] body.</summary>
        public static bool HoldsRegion(BodyFacts owner, CallSite site) => HoldsRegion(owner, site.State.Depths.Max - owner.Baseline);

        /// <summary>The same, for a site at relative depth <paramref name="rel"/>.</summary>
        private static bool HoldsRegion(BodyFacts owner, int rel) => owner.IsNoMigrate || rel > 0;

        /// <summary>
        /// Every way the site's callee may sleep, as depths relative to the call. <paramref name="inRegion"/>:
        /// the owner holds a region at the site, so a parameter passed through to a [MightSleepIf] counts as sleeping.
        /// </summary>
        public void Contributions(CallSite site, bool inRegion, List<Contribution> output, CancellationToken ct)
        {
            if (OwnContributions(site, inRegion, output)) return;
            SummaryContributions(site, SummaryOf(site.Callee!, ct), inRegion, output);
        }

        /// <summary>
        /// What the callee says of itself (a lock, a cut, a sleeper, a [MightSleepIf]), or nothing more to say (no
        /// body): true when that is all the site contributes; false when its callee's summary counts
        /// (<see cref="IsSummaryEdge"/>).
        /// </summary>
        private static bool OwnContributions(CallSite site, bool inRegion, List<Contribution> output)
        {
            if (site.Kind == CallKind.Lock)
            {
                output.Add(new Contribution(0, SleepSource.Terminal, -1, -1, 0));
                return true;
            }
            var facts = site.Facts;
            if (facts.AssumeNoSleep || site.Callee is null) return true;
            if (facts.MightSleep)
            {
                output.Add(new Contribution(0, SleepSource.Terminal, -1, -1, 0));
                return true;
            }
            bool terminal = false;
            foreach (var sleepIf in facts.SleepIfs)
            {
                terminal = true;
                Condition(site, sleepIf.ParameterOrdinal, sleepIf.Mask, 0, SleepSource.Terminal, inRegion, output);
            }
            return terminal || !site.CalleeHasBody;
        }

        private static void Condition(CallSite site, int parameter, long mask, int depth, SleepSource source, bool inRegion, List<Contribution> output)
        {
            var arg = parameter < site.Args.Length ? site.Args[parameter] : ArgValue.Other;
            switch (arg.Kind)
            {
                case ArgKind.Constant:
                    if ((arg.Value & mask) != 0) output.Add(new Contribution(depth, source, parameter, -1, 0));
                    break;
                case ArgKind.Parameter when !inRegion:
                    output.Add(new Contribution(depth, source, parameter, arg.ParameterOrdinal, mask));
                    break;
                default:
                    output.Add(new Contribution(depth, source, parameter, -1, 0));
                    break;
            }
        }

        /// <summary>What a call contributes through its callee's summary.</summary>
        private static void SummaryContributions(CallSite site, Summary callee, bool inRegion, List<Contribution> output)
        {
            if (callee.SleepDepth != Summary.Never)
                output.Add(new Contribution(callee.SleepDepth, SleepSource.Body, -1, -1, 0));
            if (callee.Conditions != null)
            {
                foreach (var pair in callee.Conditions)
                    Condition(site, pair.Key, pair.Value.Mask, pair.Value.RelativeDepth, SleepSource.BodyCondition, inRegion, output);
            }
        }

        // ------------------------------------------------------------------ summaries

        public Summary SummaryOf(IMethodSymbol method, CancellationToken ct)
        {
            if (!HasSourceBody(method)) return Summary.Nothing;
            var entry = EntryOf(method);
            return entry is null ? Summary.Nothing : SummaryOf(entry, ct);
        }

        public Summary SummaryOf(string key, CancellationToken ct) => SummaryOf(EntryOf(key), ct);

        private Summary SummaryOf(Entry entry, CancellationToken ct)
        {
            if (Volatile.Read(ref entry.Summary) is { } known) return known;
            // First with the facts known already (in a whole compilation every body was walked in its own action
            // before the checks that were held for their tree's end ask): one pass, nothing bound.
            lock (_gate)
            {
                if (entry.Summary is { } solved) return solved;
                if (Solve(entry, bind: false, ct)) return entry.Summary ?? Summary.Nothing;
            }
            // Some body it reaches is not known: bind what the summary needs outside the lock (other threads keep
            // analysing), then solve under it, which binds nothing more.
            Interlocked.Increment(ref _solvesBinding);
            BindReachable(entry, ct);
            lock (_gate)
            {
                if (entry.Summary is { } solved) return solved;
                Solve(entry, bind: true, ct);
                return entry.Summary ?? Summary.Nothing;
            }
        }

        /// <summary>A call whose callee's summary counts: a source body that is not itself a declared sleeper or cut.</summary>
        private static bool IsSummaryEdge(CallSite site) => site.Callee != null && site.CalleeHasBody && CallsMember(site);

        /// <summary>Whether a call to a member of a component being solved counts through the member's current summary.</summary>
        private static bool CallsMember(CallSite site) => !site.Facts.MightSleep && !site.Facts.AssumeNoSleep && site.Facts.SleepIfs.IsEmpty;

        /// <summary>The facts of every body reachable from <paramref name="root"/> whose summary is not known yet.</summary>
        [System.Runtime.CompilerServices.MethodImpl(AggressiveOptimization)]
        private void BindReachable(Entry root, CancellationToken ct)
        {
            var seen = new HashSet<Entry> { root };
            var pending = new Stack<Entry>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                var body = BodyOf(pending.Pop(), ct);
                body.Prepare(this);
                foreach (var callee in body.Callees)
                {
                    if (Volatile.Read(ref callee.Summary) != null || !seen.Add(callee)) continue;
                    pending.Push(callee);
                }
            }
        }

        /// <summary>A body's facts computed already in this compilation (null when they are not: binding nothing).</summary>
        private Resolved? KnownBody(Entry entry, CancellationToken ct)
        {
            if (Volatile.Read(ref entry.Body) is { } known) return known;
            // A callee with no body to walk (a delegate's Invoke, a partial method never implemented) has nothing to
            // wait for: its facts are empty, as FactsOf would find them.
            if (Volatile.Read(ref entry.Method) is { } method && FindBodySyntax(method, ct) is null) return Publish(entry, BodyFacts.Empty);
            return null;
        }

        /// <summary>
        /// A method met in this compilation: its body's facts as the solve reads them, its summary once solved, and
        /// the solve's scratch (touched under <see cref="_gate"/> only, valid while <see cref="Stamp"/> is the running
        /// solve's).
        /// </summary>
        private sealed class Entry
        {
            public Entry(string key) => Key = key;

            public readonly string Key;

            /// <summary>The method the key was made for in this compilation (first come first kept); null when none was (yet).</summary>
            public IMethodSymbol? Method;

            /// <summary>Set once (first come first kept); read without a lock.</summary>
            public Resolved? Body;

            /// <summary>Written under the gate once solved; read without a lock.</summary>
            public Summary? Summary;

            public int Stamp;
            public int Index;
            public int LowLink;
            public int Next;
            public bool OnStack;

            /// <summary>The index in the component being solved; -1 when not in it.</summary>
            public int Slot = -1;
        }

        /// <summary>A reachable call site as the solve reads it: its depth relative to the owner's entry, and its callee's entry.</summary>
        private readonly struct SolveSite
        {
            public SolveSite(CallSite site, int rel, bool inRegion, Entry? callee)
            {
                Site = site;
                Rel = rel;
                InRegion = inRegion;
                Callee = callee;
            }

            public CallSite Site { get; }
            public int Rel { get; }
            public bool InRegion { get; }

            /// <summary>The callee's entry where its summary may count (a component member's call goes through it); else null.</summary>
            public Entry? Callee { get; }
        }

        /// <summary>
        /// A body's facts, and the solve's edges out of it: the entries of the callees whose summaries count. The
        /// edges are made right after the body is walked (or, for facts kept from an earlier compilation, when a
        /// solve first reaches it: <see cref="Prepare"/>) and let go once the body's summary is written
        /// (<see cref="Release"/>): no body is read again once solved. The sites themselves are read from the facts
        /// when the body is evaluated (<see cref="SiteOf"/>), once per solve, not kept.
        /// </summary>
        private sealed class Resolved
        {
            private static readonly Entry[] NoEntries = new Entry[0];

            public Resolved(BodyFacts facts) => Facts = facts;

            [ThreadStatic] private static List<Entry>? t_callees;

            public BodyFacts Facts { get; }

            private Entry[]? _callees;

            /// <summary>The distinct callees whose summaries count (the solve's edges), in call order (after <see cref="Prepare"/>; empty once released).</summary>
            public Entry[] Callees => _callees!;

            public bool Calls(Entry entry) => Array.IndexOf(Callees, entry) >= 0;

            /// <summary>How many of the body's call sites are reachable (the sites a solve evaluates).</summary>
            public int ReachableSites
            {
                get
                {
                    int reachable = 0;
                    foreach (var site in Facts.Calls)
                    {
                        if (!site.State.IsUnreachable) reachable++;
                    }
                    return reachable;
                }
            }

            /// <summary>A reachable call site as the solve reads it: its depth relative to the body's entry, and its callee's entry.</summary>
            public SolveSite SiteOf(CallSite site, SummaryStore store)
            {
                int rel = site.State.Depths.Max - Facts.Baseline;
                return new SolveSite(site, rel, HoldsRegion(Facts, rel), CalleeEntry(site, store));
            }

            private Entry? CalleeEntry(CallSite site, SummaryStore store)
            {
                var key = site.Callee;
                if (key is null || !CallsMember(site)) return null;
                // A site made in this compilation holds its entry's own key string (KeyOf answers with it): the
                // body's edges, once prepared, are matched by reference before any key is hashed.
                var callees = Volatile.Read(ref _callees);
                if (callees != null)
                {
                    foreach (var callee in callees)
                    {
                        if (ReferenceEquals(callee.Key, key)) return callee;
                    }
                }
                return store.EntryOf(key);
            }

            /// <summary>
            /// Makes the edges if they are not made (or released) yet. Under the gate in a solve; <see cref="FactsOfBody"/>
            /// and <see cref="BindReachable"/> also call it outside, and two threads that make them at once make equal
            /// arrays (either may stay).
            /// </summary>
            public void Prepare(SummaryStore store)
            {
                if (Volatile.Read(ref _callees) != null) return;
                var calls = Facts.Calls;
                if (calls.Length == 0)
                {
                    Volatile.Write(ref _callees, NoEntries);
                    return;
                }
                // The distinct callees gathered in the thread's scratch list, then copied once at their number.
                var callees = t_callees ?? new List<Entry>();
                t_callees = null;
                callees.Clear();
                foreach (var site in calls)
                {
                    // Every summary edge, reachable or not (the solve orders components by all of them); an edge's
                    // callee calls through its summary, so it has an entry.
                    if (IsSummaryEdge(site) && CalleeEntry(site, store) is { } callee && !callees.Contains(callee)) callees.Add(callee);
                }
                Volatile.Write(ref _callees, callees.Count == 0 ? NoEntries : callees.ToArray());
                callees.Clear();
                if (callees.Capacity <= 1024) t_callees = callees;
            }

            /// <summary>
            /// The body's summary is written: no solve reads its edges again (a solve opens only entries with no
            /// summary), so they are let go rather than kept for the compilation. Under the gate; a <see cref="Prepare"/>
            /// outside it (<see cref="FactsOfBody"/>, <see cref="BindReachable"/>) that ran at the same moment may leave
            /// them made again, which only keeps them (equal edges: the reference match in <see cref="SiteOf"/> still holds).
            /// </summary>
            public void Release() => Volatile.Write(ref _callees, NoEntries);
        }

        private readonly List<Contribution> _solveScratch = new List<Contribution>();
        private int _stamp;

        /// <summary>
        /// Tarjan's strongly connected components with an explicit stack, under <see cref="_gate"/>; each component
        /// solved to a fixpoint. Without <paramref name="bind"/>, false as soon as a body it reaches is not known (the
        /// components solved until then are complete and kept). No evaluation asks for a summary that is not solved:
        /// every callee whose summary counts is an edge, so it was solved before its caller's component, or is in it.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(AggressiveOptimization)]
        private bool Solve(Entry root, bool bind, CancellationToken ct)
        {
            int stamp = ++_stamp;
            var scratch = _solveScratch;
            var tarjanStack = new Stack<Entry>();
            var callStack = new Stack<Entry>();
            int index = 0;

            bool Open(Entry e)
            {
                var body = bind ? BodyOf(e, ct) : KnownBody(e, ct);
                if (body is null) return false;
                body.Prepare(this);
                e.Stamp = stamp;
                e.Index = index;
                e.LowLink = index;
                index++;
                e.Next = 0;
                e.Slot = -1;
                e.OnStack = true;
                tarjanStack.Push(e);
                callStack.Push(e);
                return true;
            }

            if (!Open(root)) return false;
            while (callStack.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                var node = callStack.Peek();
                var successors = node.Body!.Callees;
                if (node.Next < successors.Length)
                {
                    var w = successors[node.Next++];
                    if (w.Stamp == stamp)
                    {
                        if (w.OnStack && w.Index < node.LowLink) node.LowLink = w.Index;
                    }
                    else if (w.Summary is null && !Open(w))
                    {
                        return false;
                    }
                    continue;
                }
                callStack.Pop();
                if (callStack.Count > 0)
                {
                    var parent = callStack.Peek();
                    if (node.LowLink < parent.LowLink) parent.LowLink = node.LowLink;
                }
                if (node.LowLink != node.Index) continue;
                var top = tarjanStack.Pop();
                top.OnStack = false;
                if (ReferenceEquals(top, node) && !node.Body.Calls(node))
                {
                    // A component of one member that does not call itself (most of them): evaluated once.
                    Volatile.Write(ref node.Summary, Evaluate(node.Body, scratch));
                    node.Body.Release();
                    continue;
                }
                var component = new List<Entry> { top };
                while (!ReferenceEquals(top, node))
                {
                    top = tarjanStack.Pop();
                    top.OnStack = false;
                    component.Add(top);
                }
                SolveComponent(component, scratch, ct);
            }
            return true;
        }

        /// <summary>
        /// Members in source order: by file path (ordinal), position, then key. Each member's path is ranked once
        /// (a component may span hundreds of files), so the sort compares numbers, not paths.
        /// </summary>
        private static void SortBySource(List<Entry> component)
        {
            int count = component.Count;
            if (count < 2) return;
            var paths = new Dictionary<string, int>(StringComparer.Ordinal);
            var order = new SourceOrder[count];
            for (int i = 0; i < count; i++)
            {
                var location = component[i].Body!.Facts.OwnerLocation ?? Location.None;
                var path = location.SourceTree?.FilePath;
                if (path != null) paths[path] = 0;
                order[i] = new SourceOrder(component[i], path, location.SourceSpan.Start);
            }
            var sorted = new List<string>(paths.Keys);
            sorted.Sort(StringComparer.Ordinal);
            for (int r = 0; r < sorted.Count; r++) paths[sorted[r]] = r;
            for (int i = 0; i < count; i++)
            {
                // No path (no source location) sorts first, as a null string does in an ordinal comparison.
                var path = order[i].Path;
                order[i].Rank = path is null ? -1 : paths[path];
            }
            Array.Sort(order, (a, b) =>
            {
                int c = a.Rank.CompareTo(b.Rank);
                if (c != 0) return c;
                c = a.Start.CompareTo(b.Start);
                return c != 0 ? c : string.CompareOrdinal(a.Entry.Key, b.Entry.Key);
            });
            for (int i = 0; i < count; i++) component[i] = order[i].Entry;
        }

        private struct SourceOrder
        {
            public SourceOrder(Entry entry, string? path, int start)
            {
                Entry = entry;
                Path = path;
                Start = start;
                Rank = 0;
            }

            public readonly Entry Entry;
            public readonly string? Path;
            public readonly int Start;
            public int Rank;
        }

        /// <summary>The summary a site's callee has now: a member's current one during its component's fixpoint, else its solved one.</summary>
        private static Summary SolvedSummary(Entry callee) =>
            // Never null here: every such callee was solved before its caller's component (see Solve).
            Volatile.Read(ref callee.Summary) ?? Summary.Nothing;

        /// <summary>What a site contributes, its callee's summary being solved (not a member of the component being solved).</summary>
        private static void SolvedContributions(in SolveSite s, List<Contribution> output)
        {
            if (OwnContributions(s.Site, s.InRegion, output)) return;
            SummaryContributions(s.Site, SolvedSummary(s.Callee!), s.InRegion, output);
        }

        /// <summary>One evaluation of a body whose callees are all solved.</summary>
        private Summary Evaluate(Resolved body, List<Contribution> scratch)
        {
            var into = new Accumulator();
            foreach (var call in body.Facts.Calls)
            {
                if (call.State.IsUnreachable) continue;
                var s = body.SiteOf(call, this);
                scratch.Clear();
                SolvedContributions(s, scratch);
                into.Add(s.Site, s.Callee, s.Rel, scratch);
            }
            return into.Result();
        }

        /// <summary>One evaluation's running result: the deepest unconditional sleep (first site to reach it) and the conditions.</summary>
        private struct Accumulator
        {
            private int _best;
            private Witness? _witness;
            private Dictionary<int, SleepCondition>? _conditions;
            private bool _started;

            public void Add(CallSite site, Entry? callee, int rel, List<Contribution> contributions)
            {
                if (!_started)
                {
                    _best = Summary.Never;
                    _started = true;
                }
                foreach (var c in contributions)
                {
                    int depth = DepthSet.Clamp(rel + c.Depth);
                    if (c.IsConditional)
                    {
                        _conditions ??= new Dictionary<int, SleepCondition>();
                        if (_conditions.TryGetValue(c.OwnerParameter, out var old))
                        {
                            var keep = depth > old.RelativeDepth ? new Witness(site, c.Source, c.CalleeParameter, callee) : old.Witness;
                            _conditions[c.OwnerParameter] = new SleepCondition(old.Mask | c.Mask, depth > old.RelativeDepth ? depth : old.RelativeDepth, keep);
                        }
                        else
                        {
                            _conditions[c.OwnerParameter] = new SleepCondition(c.Mask, depth, new Witness(site, c.Source, c.CalleeParameter, callee));
                        }
                        continue;
                    }
                    if (depth > _best)
                    {
                        _best = depth;
                        _witness = new Witness(site, c.Source, c.CalleeParameter, callee);
                    }
                }
            }

            public Summary Result() => new Summary(_started ? _best : Summary.Never, _witness, _conditions);
        }

        /// <summary>
        /// A reachable call site of a cyclic component's member, prepared once for the component's fixpoint: what
        /// a callee outside the component contributes does not change while it runs, so it is computed once.
        /// </summary>
        private readonly struct PreparedSite
        {
            public PreparedSite(CallSite site, Entry? callee, int rel, bool inRegion, int member, List<Contribution>? outside)
            {
                Site = site;
                Callee = callee;
                Rel = rel;
                InRegion = inRegion;
                Member = member;
                Outside = outside;
            }

            public CallSite Site { get; }
            public Entry? Callee { get; }
            public int Rel { get; }
            public bool InRegion { get; }

            /// <summary>The callee's index in the component (its summary changes during the fixpoint); -1 when it is outside.</summary>
            public int Member { get; }

            public List<Contribution>? Outside { get; }
        }

        private static readonly List<Contribution> NoContributions = new List<Contribution>();

        /// <summary>
        /// A component of more than one member, or of one that calls itself: the fixpoint of its summaries, then
        /// witnesses re-chosen so that every chain ends at a real sleeper. Members are ordered by source position,
        /// not by discovery, so witnesses do not depend on which method happened to be analysed first.
        /// </summary>
        private void SolveComponent(List<Entry> component, List<Contribution> scratch, CancellationToken ct)
        {
            SortBySource(component);
            int count = component.Count;
            for (int i = 0; i < count; i++) component[i].Slot = i;

            var prepared = new PreparedSite[count][];
            var callers = new List<int>?[count];
            for (int i = 0; i < count; i++)
            {
                var body = component[i].Body!;
                var sites = new PreparedSite[body.ReachableSites];
                int k = 0;
                foreach (var call in body.Facts.Calls)
                {
                    if (call.State.IsUnreachable) continue;
                    var s = body.SiteOf(call, this);
                    if (s.Callee != null && s.Callee.Slot >= 0)
                    {
                        sites[k++] = new PreparedSite(s.Site, s.Callee, s.Rel, s.InRegion, s.Callee.Slot, null);
                        continue;
                    }
                    scratch.Clear();
                    SolvedContributions(s, scratch);
                    sites[k++] = new PreparedSite(s.Site, s.Callee, s.Rel, s.InRegion, -1, scratch.Count == 0 ? NoContributions : new List<Contribution>(scratch));
                }
                prepared[i] = sites;
                foreach (var callee in body.Callees)
                {
                    if (callee.Slot >= 0) (callers[callee.Slot] ??= new List<int>()).Add(i);
                }
            }

            Summary[] result;
            try
            {
                result = AcyclicWitnesses(prepared, callers, SolveCyclic(prepared, callers, scratch, ct), scratch, ct);
            }
            finally
            {
                // Cancelled or not, no later solve may take these for members.
                foreach (var member in component) member.Slot = -1;
            }
            for (int i = 0; i < count; i++)
            {
                Volatile.Write(ref component[i].Summary, result[i]);
                component[i].Body!.Release();
            }
        }

        /// <summary>
        /// The fixpoint of a cyclic component, by sweeps in callee-first order (<see cref="CalleesFirst"/>): a
        /// member is evaluated again only when a callee of it in the component changed, and within a sweep a
        /// change reaches the callers after it at once (summaries only grow in a finite lattice, so this ends;
        /// the bound is a guard). The depths and conditions found do not depend on the order; which site a witness
        /// names may (an evaluation that changes nothing in the lattice keeps the earlier witness), so the order
        /// depends on the component alone — its members in source order — never on where the solve started. The
        /// members' sites are prepared once: an evaluation then only reads the component's current summaries.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(AggressiveOptimization)]
        private static Summary[] SolveCyclic(PreparedSite[][] prepared, List<int>?[] callers, List<Contribution> scratch, CancellationToken ct)
        {
            int count = prepared.Length;
            var current = new Summary[count];
            for (int i = 0; i < count; i++) current[i] = Summary.Nothing;
            var order = CalleesFirst(prepared);
            var dirty = new bool[count];
            for (int i = 0; i < count; i++) dirty[i] = true;
            long budget = (long)count * MaxSccIterations;
            bool again = true;
            while (again && budget > 0)
            {
                again = false;
                foreach (int n in order)
                {
                    if (!dirty[n]) continue;
                    if (budget-- <= 0) break;
                    ct.ThrowIfCancellationRequested();
                    dirty[n] = false;
                    var into = new Accumulator();
                    foreach (var p in prepared[n])
                    {
                        if (p.Member < 0)
                        {
                            into.Add(p.Site, p.Callee, p.Rel, p.Outside!);
                            continue;
                        }
                        scratch.Clear();
                        SummaryContributions(p.Site, current[p.Member], p.InRegion, scratch);
                        into.Add(p.Site, p.Callee, p.Rel, scratch);
                    }
                    var next = into.Result();
                    if (next.SameLattice(current[n])) continue;
                    current[n] = next;
                    if (callers[n] is null) continue;
                    foreach (int caller in callers[n]!)
                    {
                        dirty[caller] = true;
                        again = true;
                    }
                }
            }
            return current;
        }

        /// <summary>
        /// The members of a component in the post-order of a depth-first search along its calls, started from each
        /// member in source order: apart from the calls that close a cycle, a member comes after its callees.
        /// </summary>
        private static int[] CalleesFirst(PreparedSite[][] prepared)
        {
            int count = prepared.Length;
            var order = new int[count];
            int done = 0;
            var visited = new bool[count];
            var stack = new Stack<(int Member, int Next)>();
            for (int start = 0; start < count; start++)
            {
                if (visited[start]) continue;
                visited[start] = true;
                stack.Push((start, 0));
                while (stack.Count > 0)
                {
                    var (n, next) = stack.Pop();
                    var sites = prepared[n];
                    while (next < sites.Length && (sites[next].Member < 0 || visited[sites[next].Member])) next++;
                    if (next == sites.Length)
                    {
                        order[done++] = n;
                        continue;
                    }
                    int callee = sites[next].Member;
                    stack.Push((n, next + 1));
                    visited[callee] = true;
                    stack.Push((callee, 0));
                }
            }
            return order;
        }

        /// <summary>
        /// In a cycle several members may reach their highest depth through each other (and a depth that
        /// grows around a cycle saturates), so the witnesses are re-chosen such that every chain ends at a
        /// real sleeper: a member is settled by a call to a sleeper, to a method outside the component, or
        /// to an already settled member — at its highest depth where one exists, else at the highest
        /// depth such a call gives (the summary's depth stays what the fixpoint found).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(AggressiveOptimization)]
        private static Summary[] AcyclicWitnesses(PreparedSite[][] prepared, List<int>?[] callers, Summary[] solved, List<Contribution> scratch, CancellationToken ct)
        {
            int count = prepared.Length;
            var settled = new bool[count];
            int settledCount = 0;
            var result = (Summary[])solved.Clone();
            var candidates = new Queue<int>();
            var queued = new bool[count];
            for (int i = 0; i < count; i++)
            {
                if (solved[i].SleepDepth == Summary.Never)
                {
                    settled[i] = true;
                    settledCount++;
                }
                else
                {
                    queued[i] = true;
                    candidates.Enqueue(i);
                }
            }

            void Settle(int n, Witness w)
            {
                var old = solved[n];
                result[n] = new Summary(old.SleepDepth, w, old.Conditions);
                settled[n] = true;
                settledCount++;
                if (callers[n] is null) return;
                foreach (int caller in callers[n]!)
                {
                    if (settled[caller] || queued[caller]) continue;
                    queued[caller] = true;
                    candidates.Enqueue(caller);
                }
            }

            while (settledCount < count)
            {
                // Settle at the highest depth, through sleepers, outside methods or settled members; a
                // member is looked at again only when one of its callees was settled.
                while (candidates.Count > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    int n = candidates.Dequeue();
                    queued[n] = false;
                    if (settled[n]) continue;
                    var (depth, w) = BestSettledWitness(prepared[n], solved, settled, scratch);
                    if (w != null && depth == solved[n].SleepDepth) Settle(n, w);
                }
                if (settledCount == count) break;
                // No member reaches its highest depth that way (a depth saturated around a cycle): settle
                // the first that reaches any, at the highest depth it can.
                bool progress = false;
                for (int n = 0; n < count; n++)
                {
                    if (settled[n]) continue;
                    var (_, w) = BestSettledWitness(prepared[n], solved, settled, scratch);
                    if (w is null) continue;
                    Settle(n, w);
                    progress = true;
                    break;
                }
                if (!progress) break;
            }
            return result;
        }

        /// <summary>The deepest unconditional sleep of a member through a sleeper, an outside method or a settled member.</summary>
        private static (int Depth, Witness? Witness) BestSettledWitness(PreparedSite[] sites, Summary[] solved, bool[] settled, List<Contribution> scratch)
        {
            int best = Summary.Never;
            Witness? witness = null;
            foreach (var p in sites)
            {
                List<Contribution> contributions;
                if (p.Member < 0)
                {
                    contributions = p.Outside!;
                }
                else
                {
                    if (!settled[p.Member]) continue;
                    scratch.Clear();
                    SummaryContributions(p.Site, solved[p.Member], p.InRegion, scratch);
                    contributions = scratch;
                }
                foreach (var c in contributions)
                {
                    if (c.IsConditional) continue;
                    int depth = DepthSet.Clamp(p.Rel + c.Depth);
                    if (depth > best)
                    {
                        best = depth;
                        witness = new Witness(p.Site, c.Source, c.CalleeParameter, p.Callee);
                    }
                }
            }
            return (best, witness);
        }

        // ------------------------------------------------------------------ chains

        /// <summary>One hop of a chain: the member and the call site where the previous hop calls it.</summary>
        public readonly struct Hop
        {
            private readonly CallSite _site;

            public Hop(CallSite site) => _site = site;

            public string Name => _site.Name;

            /// <summary>Made when asked: a long chain's message keeps only its ends.</summary>
            public Location Location => _site.Location;
        }

        public List<Hop> Chain(CallSite site, Contribution contribution, int maxHops = 1_000_000)
        {
            var hops = new List<Hop> { new Hop(site) };
            var visited = new HashSet<CallSite> { site };
            var source = contribution.Source;
            int parameter = contribution.CalleeParameter;
            var current = site;
            // After the first hop each witness knows its callee's entry: a 10,000-hop chain hashes no key.
            Entry? next = null;
            while (source != SleepSource.Terminal && current.Callee != null && hops.Count < maxHops)
            {
                var entry = next;
                if (entry is null && !_entries.TryGetValue(current.Callee, out entry)) break;
                if (Volatile.Read(ref entry.Summary) is not { } summary) break;
                Witness? w = source == SleepSource.Body ? summary.Witness
                    : summary.Conditions != null && summary.Conditions.TryGetValue(parameter, out var condition) ? condition.Witness : null;
                if (w is null || !visited.Add(w.Site)) break;
                hops.Add(new Hop(w.Site));
                current = w.Site;
                next = w.Callee as Entry;
                source = w.Source;
                parameter = w.CalleeParameter;
            }
            return hops;
        }

    }
}
