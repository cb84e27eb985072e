using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AtomicContext.Analyzers.Flow
{
    /// <summary>
    /// Flow-sensitive region-depth analysis of one body: an abstract interpretation over its operation tree
    /// (branches, loops to a fixpoint, break/continue/goto through label states, switch, try/catch/finally,
    /// using scopes whose Dispose exits, trylock via WhenReturns). The state is the set of depths some path
    /// holds (relative to entry, saturated) and the openers of the deepest path. Lambdas and local functions
    /// are separate bodies: they are listed, not entered.
    /// </summary>
    public sealed class BodyWalker
    {
        private const int MaxPasses = 16;
        private const int MaxLoopIterations = 64;

        // One walker per thread is reused from body to body (its collections keep their capacity), since
        // what a walk allocates and drops costs more in collections of the compiler's large heap than the
        // walk itself. Everything that could keep a compilation alive is cleared between bodies.
        [ThreadStatic] private static BodyWalker? t_spare;
        private const int LargestKeptCapacity = 256;

        private FactsResolver _facts = null!;
        private IMethodSymbol? _owner;
        private string? _ownerKey;
        private INamedTypeSymbol? _disposable;
        private CancellationToken _ct;

        // Most bodies have a handful of call sites: a list searched linearly, indexed only past a few.
        private const int IndexCallsFrom = 8;
        private readonly List<KeyValuePair<SiteKey, CallSite>> _calls = new List<KeyValuePair<SiteKey, CallSite>>();
        private Dictionary<SiteKey, CallSite>? _callIndex;
        // The index of an earlier body's calls, emptied: the next body that needs one fills it again.
        private Dictionary<SiteKey, CallSite>? _spareIndex;
        private readonly Dictionary<SyntaxNode, ExitPoint> _exits = new Dictionary<SyntaxNode, ExitPoint>();
        // Created on first use: most bodies have no await, per-CPU use, label or opener.
        private Dictionary<SyntaxNode, SuspendSite>? _suspends;
        private Dictionary<SiteKey, PerCpuUse>? _perCpu;
        private Dictionary<ILabelSymbol, FlowState>? _labels;
        private readonly List<Handler> _handlers = new List<Handler>();
        private readonly List<Collector> _collectors = new List<Collector>();
        private LocalScan? _scan;
        private LocalScan? _spareScan;
        // SortByPosition's keys, kept from body to body (numbers only: nothing of a compilation).
        private long[] _sortKeys = new long[16];

        // Locals declared with an initializer that is not a constant: never "written once from a constant", so an
        // argument that reads one is classified without the local scan (most locals passed to a callee are these).
        private readonly HashSet<ILocalSymbol> _notConstantLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        // Delegate locals declared with a lambda or method group, as the walk meets their declarators (made on first use).
        private Dictionary<ILocalSymbol, IMethodSymbol>? _declaredDelegates;
        private Dictionary<SyntaxNode, Opener>? _openers;
        private bool _labelsChanged;
        private bool _sawGoto;
        private bool _hasRegionCalls;
        private bool _allRegionCallsConditional = true;
        private IOperation _root = null!;
        private List<IOperation> _nested = new List<IOperation>();
        private HashSet<IOperation>? _nestedSeen;

        private Func<IMethodSymbol, string?> _keyOf = null!;

        private BodyWalker()
        {
        }

        private void Begin(FactsResolver facts, IMethodSymbol? owner, string? ownerKey, INamedTypeSymbol? disposable, Func<IMethodSymbol, string?> keyOf, CancellationToken ct)
        {
            _keyOf = keyOf;
            _facts = facts;
            _owner = owner;
            _ownerKey = ownerKey;
            _disposable = disposable;
            _ct = ct;
        }

        /// <summary>Forgets the body (and every symbol, operation and compilation it reached); false if too big to keep.</summary>
        private bool End()
        {
            _facts = null!;
            _owner = null;
            _ownerKey = null;
            _disposable = null;
            _keyOf = null!;
            _ct = default;
            _root = null!;
            if (_scan != null)
            {
                // Kept for the next body unless a huge one grew its tables.
                _scan.Clear();
                if (_scan.Written <= LargestKeptCapacity) _spareScan = _scan;
                _scan = null;
            }
            _notConstantLocals.Clear();
            _declaredDelegates?.Clear();
            _labelsChanged = _sawGoto = _hasRegionCalls = false;
            _allRegionCallsConditional = true;
            bool small = _calls.Capacity <= LargestKeptCapacity && _exits.Count <= LargestKeptCapacity;
            _calls.Clear();
            if (_callIndex != null && small)
            {
                _callIndex.Clear();
                _spareIndex = _callIndex;
            }
            _callIndex = null;
            _exits.Clear();
            _suspends?.Clear();
            _perCpu?.Clear();
            _labels?.Clear();
            _labelReads?.Clear();
            _handlers.Clear();
            _collectors.Clear();
            _openers?.Clear();
            _nestedSeen?.Clear();
            // The list of nested bodies went out with the facts: a new one for the next body.
            if (_nested.Count > 0) _nested = new List<IOperation>();
            return small;
        }

        /// <summary>Analyses <paramref name="body"/> (a method body, block, or local function / lambda body).</summary>
        /// <param name="keyOf">How callees are named in the facts (<see cref="Summaries.SummaryStore.KeyOf"/>).</param>
        /// <param name="ownerKey">The owner's key when the caller has it (a lambda's is made anew at each ask); else asked of <paramref name="keyOf"/>.</param>
        public static BodyFacts Analyze(IOperation body, IMethodSymbol? owner, FactsResolver facts, Compilation compilation, Func<IMethodSymbol, string?> keyOf, CancellationToken ct, string? ownerKey = null)
        {
            var ownerFacts = owner is null ? MemberFacts.Nothing : facts.Get(owner);
            bool noMigrate = ownerFacts.NoMigrate;
            ownerKey ??= owner is null ? null : keyOf(owner);
            var walker = t_spare ?? new BodyWalker();
            t_spare = null;
            walker.Begin(facts, owner, ownerKey, compilation.GetSpecialType(SpecialType.System_IDisposable), keyOf, ct);
            try
            {
                return walker.Run(body, noMigrate);
            }
            catch (InsufficientExecutionStackException)
            {
                return new BodyFacts(ownerKey, OwnerLocation(owner), noMigrate ? 1 : 0, noMigrate, BodyFacts.NoCalls, BodyFacts.NoExits, BodyFacts.NoSuspends, BodyFacts.NoPerCpuUses, false, false, failed: true, nested: null);
            }
            finally
            {
                if (walker.End()) t_spare = walker;
            }
        }

        private BodyFacts Run(IOperation body, bool noMigrate)
        {
            _root = body;
            FlowState entry = FlowState.AtDepthZero;
            if (noMigrate && _owner != null)
            {
                var location = OwnerLocation(_owner) ?? body.Syntax.GetLocation();
                entry = FlowState.AtDepthZero.Enter(new Opener(Display.Name(_owner), location, OpenerDocId(_owner), isNoMigrateBody: true));
            }

            FlowState end = FlowState.Unreachable;
            for (int pass = 0; pass < MaxPasses; pass++)
            {
                _labelsChanged = false;
                end = Visit(body, entry);
                if (!_sawGoto || !_labelsChanged) break;
            }

            // Exits are kept only for a body with region calls (BodyFacts.Exits): the end is not even recorded otherwise.
            if (!end.IsUnreachable && _hasRegionCalls)
            {
                var closing = ClosingSpan(body.Syntax);
                RecordExit(closing.Node, closing.Span, end, isEnd: true);
            }

            // The facts keep depths and openers only: the assumptions name locals of this compilation.
            foreach (var c in _calls) c.Value.State = c.Value.State.Flatten();
            var suspends = _suspends is null || _suspends.Count == 0 ? BodyFacts.NoSuspends : new List<SuspendSite>(_suspends.Values);
            foreach (var w in suspends) w.State = w.State.Flatten();
            var perCpu = _perCpu is null || _perCpu.Count == 0 ? BodyFacts.NoPerCpuUses : new List<PerCpuUse>(_perCpu.Values);
            foreach (var u in perCpu) u.State = u.State.Flatten();

            var calls = _calls.Count == 0 ? BodyFacts.NoCalls : new CallSite[_calls.Count];
            for (int i = 0; i < calls.Length; i++) calls[i] = _calls[i].Value;
            if (calls.Length > 1) SortByPosition(calls);
            var exits = !_hasRegionCalls || _exits.Count == 0 ? BodyFacts.NoExits : new ExitPoint[_exits.Count];
            if (exits.Length > 0) _exits.Values.CopyTo(exits, 0);
            foreach (var e in exits) e.State = e.State.Flatten();
            if (exits.Length > 1) Array.Sort(exits, (a, b) => a.Position.CompareTo(b.Position));
            if (suspends.Count > 1) suspends.Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));
            if (perCpu.Count > 1) perCpu.Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));
            return new BodyFacts(_ownerKey, OwnerLocation(_owner), noMigrate ? 1 : 0, noMigrate, calls, exits, suspends, perCpu,
                _hasRegionCalls, _hasRegionCalls && _allRegionCallsConditional, failed: false, nested: _nested.Count > 0 ? _nested : null);
        }

        /// <summary>
        /// A body's calls in source order, calls that start at the same place (a call on the result of another:
        /// <c>f(x).g()</c>) in the order the walk met them, which is the order they run. One key per call, position
        /// then walk order, so no two compare equal: the order is the same on every runtime, where a comparison
        /// sort leaves equal elements in an order of its own. (It costs what the comparison delegate did: --walk-ab
        /// measured the two within 1 %.)
        /// </summary>
        private void SortByPosition(CallSite[] calls)
        {
            int n = calls.Length;
            if (_sortKeys.Length < n) _sortKeys = new long[Math.Max(n, _sortKeys.Length * 2)];
            var keys = _sortKeys;
            for (int i = 0; i < n; i++) keys[i] = ((long)calls[i].Position << 32) | (uint)i;
            Array.Sort(keys, calls, 0, n);
        }

        internal static Location? OwnerLocation(IMethodSymbol? owner)
        {
            if (owner is null) return null;
            var locations = owner.Locations;
            return locations.Length > 0 ? locations[0] : null;
        }

        /// <summary>The documentation-comment ID of a member, or null where it has none.</summary>
        public static string? DocId(ISymbol symbol)
        {
            try
            {
                return DocumentationCommentId.CreateDeclarationId(symbol);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>Where the end of a body is reported: its closing brace, or for an arrow body its expression.</summary>
        internal static (SyntaxNode Node, Microsoft.CodeAnalysis.Text.TextSpan Span) ClosingSpan(SyntaxNode syntax)
        {
            BlockSyntax? block = syntax switch
            {
                BaseMethodDeclarationSyntax m => m.Body,
                AccessorDeclarationSyntax a => a.Body,
                LocalFunctionStatementSyntax l => l.Body,
                AnonymousFunctionExpressionSyntax f => f.Block,
                BlockSyntax b => b,
                _ => null,
            };
            if (block != null && !block.CloseBraceToken.IsMissing)
                return (block, block.CloseBraceToken.Span);
            ArrowExpressionClauseSyntax? arrow = syntax switch
            {
                BaseMethodDeclarationSyntax m => m.ExpressionBody,
                AccessorDeclarationSyntax a => a.ExpressionBody,
                LocalFunctionStatementSyntax l => l.ExpressionBody,
                ArrowExpressionClauseSyntax e => e,
                _ => null,
            };
            if (arrow != null) return (arrow, arrow.Expression.Span);
            return (syntax, syntax.Span);
        }

        // ------------------------------------------------------------------ statements and expressions

        // The operation kinds the type switch in Visit has a case for (the kinds its switch by kind handles never
        // reach it); any other kind only has its children visited. Told by the kind first, since matching an
        // operation against the cases' interfaces one by one costs more than the rest of the walk on most nodes.
        private static readonly bool[] HandledKinds = MakeHandledKinds();

        private static bool[] MakeHandledKinds()
        {
            int max = 0;
            foreach (OperationKind k in Enum.GetValues(typeof(OperationKind))) max = Math.Max(max, (int)k);
            var handled = new bool[max + 1];
            foreach (var k in new[]
            {
                OperationKind.Conditional, OperationKind.Coalesce, OperationKind.CoalesceAssignment,
                OperationKind.ConditionalAccess, OperationKind.Loop, OperationKind.Switch, OperationKind.SwitchExpression,
                OperationKind.Try, OperationKind.Using, OperationKind.Lock, OperationKind.Branch, OperationKind.Labeled,
                OperationKind.Throw, OperationKind.Await, OperationKind.ObjectCreation, OperationKind.Unary,
                OperationKind.NameOf, OperationKind.TypeOf, OperationKind.SizeOf,
            })
            {
                handled[(int)k] = true;
            }
            return handled;
        }

        private FlowState Visit(IOperation? op, FlowState s)
        {
            if (op is null) return s;
            var kind = op.Kind;
            // Leaves (a third of all operations): nothing below them, nothing to record.
            switch (kind)
            {
                case OperationKind.LocalReference:
                case OperationKind.ParameterReference:
                case OperationKind.Literal:
                case OperationKind.InstanceReference:
                    return s;
            }
            RuntimeHelpers.EnsureSufficientExecutionStack();
            _ct.ThrowIfCancellationRequested();
            // The commonest kinds first, by kind (a jump table), and the common ones the type switch below would reach
            // last (it tests interfaces one by one: a compound assignment failed some twenty tests before its case).
            switch (kind)
            {
                case OperationKind.Invocation:
                    return VisitInvocation((IInvocationOperation)op, s);
                case OperationKind.Block:
                    return VisitStatements(((IBlockOperation)op).Operations, 0, s);
                case OperationKind.ExpressionStatement:
                    return Visit(((IExpressionStatementOperation)op).Operation, s);
                case OperationKind.Binary:
                    return VisitBinary((IBinaryOperation)op, s);
                case OperationKind.Return:
                case OperationKind.YieldReturn:
                case OperationKind.YieldBreak:
                    return VisitReturn((IReturnOperation)op, s);
                case OperationKind.Conversion:
                    {
                        var conversion = (IConversionOperation)op;
                        if (conversion.OperatorMethod is null || conversion.IsImplicit) return VisitChildren(op, s);
                        var v = Visit(conversion.Operand, s);
                        return Call(conversion.OperatorMethod, conversion.OperatorMethod, conversion.Syntax, CallKind.Operator, default, v);
                    }
                case OperationKind.PropertyReference:
                    return VisitProperty((IPropertyReferenceOperation)op, s);
                case OperationKind.FieldReference:
                    {
                        var field = (IFieldReferenceOperation)op;
                        var v = Visit(field.Instance, s);
                        var f = _facts.Get(field.Field);
                        if (f.PerCpu) RecordPerCpu(field.Syntax, field.Field, isNoMigrate: false, v);
                        return v;
                    }
                case OperationKind.CompoundAssignment:
                case OperationKind.SimpleAssignment:
                case OperationKind.DeconstructionAssignment:
                    return VisitAssignment((IAssignmentOperation)op, s);
                case OperationKind.VariableDeclarator:
                    return VisitDeclarator((IVariableDeclaratorOperation)op, s);
                case OperationKind.Increment:
                case OperationKind.Decrement:
                    return VisitIncrement((IIncrementOrDecrementOperation)op, s);
                case OperationKind.AnonymousFunction:
                case OperationKind.LocalFunction:
                    AddNested(op);
                    return s;
            }
            if ((uint)kind >= (uint)HandledKinds.Length || !HandledKinds[(int)kind]) return VisitChildren(op, s);
            switch (op)
            {
                case IConditionalOperation conditional:
                    {
                        var (t, f) = VisitCondition(conditional.Condition, s);
                        var a = Visit(conditional.WhenTrue, t);
                        var b = conditional.WhenFalse is null ? f : Visit(conditional.WhenFalse, f);
                        return a.Join(b);
                    }
                case ICoalesceOperation coalesce:
                    {
                        var v = Visit(coalesce.Value, s);
                        return v.Join(Visit(coalesce.WhenNull, v));
                    }
                case ICoalesceAssignmentOperation coalesceAssignment:
                    {
                        var v = Visit(coalesceAssignment.Target, s);
                        return v.Join(Visit(coalesceAssignment.Value, v));
                    }
                case IConditionalAccessOperation access:
                    {
                        var v = Visit(access.Operation, s);
                        return v.Join(Visit(access.WhenNotNull, v));
                    }
                case IWhileLoopOperation loop:
                    return VisitWhile(loop, s);
                case IForLoopOperation loop:
                    return VisitFor(loop, s);
                case IForEachLoopOperation loop:
                    return VisitForEach(loop, s);
                case ISwitchOperation sw:
                    return VisitSwitch(sw, s);
                case ISwitchExpressionOperation sx:
                    {
                        var v = Visit(sx.Value, s);
                        FlowState result = FlowState.Unreachable;
                        foreach (var arm in sx.Arms)
                        {
                            var a = Visit(arm.Pattern, v);
                            if (arm.Guard != null)
                            {
                                var (gt, _) = VisitCondition(arm.Guard, a);
                                a = gt;
                            }
                            result = result.Join(Visit(arm.Value, a));
                        }
                        return result.IsUnreachable ? v : result;
                    }
                case ITryOperation tryOp:
                    return VisitTry(tryOp, s);
                case IUsingOperation usingOp:
                    return VisitUsing(usingOp, s);
                case ILockOperation lockOp:
                    {
                        var v = Visit(lockOp.LockedValue, s);
                        v = RecordCall(null, null, MemberFacts.Nothing, LockLocation(lockOp.Syntax), CallKind.Lock, lockOp.Syntax, ImmutableArray<ArgValue>.Empty, v);
                        return Visit(lockOp.Body, v);
                    }
                case IBranchOperation branch:
                    return VisitBranch(branch, s);
                case ILabeledOperation labeled:
                    {
                        var joined = s.Join(LabelState(labeled.Label));
                        MarkLabelRead(labeled.Label, joined);
                        return Visit(labeled.Operation, joined);
                    }
                case IThrowOperation thr:
                    {
                        var v = Visit(thr.Exception, s);
                        Collect(v);
                        return FlowState.Unreachable;
                    }
                case IAwaitOperation awaitOp:
                    {
                        var v = Visit(awaitOp.Operation, s);
                        RecordSuspend(awaitOp.Syntax, "await", v);
                        return v;
                    }
                case IObjectCreationOperation creation:
                    {
                        var v = VisitArguments(creation.Arguments, s);
                        if (creation.Constructor != null)
                            v = Call(creation.Constructor, creation.Constructor, creation.Syntax, CallKind.Creation, creation.Arguments, v);
                        return Visit(creation.Initializer, v);
                    }
                case IUnaryOperation unary when unary.OperatorMethod != null:
                    {
                        var v = Visit(unary.Operand, s);
                        return Call(unary.OperatorMethod, unary.OperatorMethod, unary.Syntax, CallKind.Operator, default, v);
                    }
                case INameOfOperation:
                case ITypeOfOperation:
                case ISizeOfOperation:
                    return s;
            }
            return VisitChildren(op, s);
        }

        private void AddNested(IOperation function)
        {
            if ((_nestedSeen ??= new HashSet<IOperation>()).Add(function)) _nested.Add(function);
        }

        private FlowState VisitDeclarator(IVariableDeclaratorOperation declarator, FlowState s)
        {
            var v = s;
            if (declarator.Initializer != null)
            {
                v = Visit(declarator.Initializer.Value, v);
                if (_scan is null && ConstantOf(Unwrap(declarator.Initializer.Value)) is null)
                {
                    _notConstantLocals.Add(declarator.Symbol);
                    if (declarator.Symbol.Type?.TypeKind == TypeKind.Delegate && Unwrap(declarator.Initializer.Value) is IDelegateCreationOperation creation
                        && DelegateTarget(creation) is { } made)
                        (_declaredDelegates ??= new Dictionary<ILocalSymbol, IMethodSymbol>(SymbolEqualityComparer.Default))[declarator.Symbol] = made;
                }
            }
            return v.Forget(declarator.Symbol);
        }

        private FlowState VisitAssignment(IAssignmentOperation assignment, FlowState s)
        {
            if (assignment is ICompoundAssignmentOperation compound && compound.OperatorMethod != null)
            {
                // `a += b` with a user-defined operator calls it.
                var v = VisitChildren(compound, s);
                v = Call(compound.OperatorMethod, compound.OperatorMethod, compound.Syntax, CallKind.Operator, default, v);
                return Variable(compound.Target) is { } target ? v.Forget(target) : v;
            }
            var after = VisitChildren(assignment, s);
            return Variable(assignment.Target) is { } written ? after.Forget(written) : after;
        }

        private FlowState VisitIncrement(IIncrementOrDecrementOperation increment, FlowState s)
        {
            // `p++` with a user-defined operator calls it.
            var v = VisitChildren(increment, s);
            if (increment.OperatorMethod != null)
                v = Call(increment.OperatorMethod, increment.OperatorMethod, increment.Syntax, CallKind.Operator, default, v);
            return Variable(increment.Target) is { } bumped ? v.Forget(bumped) : v;
        }

        private FlowState VisitBinary(IBinaryOperation binary, FlowState s)
        {
            if (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd || binary.OperatorKind == BinaryOperatorKind.ConditionalOr)
            {
                if (binary.OperatorMethod != null) return VisitChildren(binary, s);
                var (t, f) = VisitCondition(binary, s);
                return t.Join(f);
            }
            if (binary.OperatorMethod != null)
            {
                var v = Visit(binary.LeftOperand, s);
                v = Visit(binary.RightOperand, v);
                return Call(binary.OperatorMethod, binary.OperatorMethod, binary.Syntax, CallKind.Operator, default, v);
            }
            return VisitBinaryChain(binary, s);
        }

        private FlowState VisitReturn(IReturnOperation ret, FlowState s)
        {
            var v = Visit(ret.ReturnedValue, s);
            if (ret.Kind == OperationKind.YieldReturn)
            {
                RecordSuspend(ret.Syntax, "yield return", v);
                return v;
            }
            if (!v.IsUnreachable)
            {
                v = RunHandlers(v, target: null);
                RecordExit(ret.Syntax, ret.Syntax.Span, v, isEnd: false);
            }
            return FlowState.Unreachable;
        }

        /// <summary>A built-in, not short-circuiting binary operator: left, then right, no branch.</summary>
        private static bool IsChainLink(IOperation op) =>
            op is IBinaryOperation b && b.OperatorMethod is null
            && b.OperatorKind != BinaryOperatorKind.ConditionalAnd && b.OperatorKind != BinaryOperatorKind.ConditionalOr;

        /// <summary>
        /// <c>a + b + c + …</c> nests on its left, one level per operator: a long one (generated code, a long
        /// concatenation) would exhaust the stack if walked by recursion, so its left spine is walked with a list.
        /// </summary>
        private FlowState VisitBinaryChain(IBinaryOperation top, FlowState s)
        {
            if (!IsChainLink(top.LeftOperand)) return Visit(top.RightOperand, Visit(top.LeftOperand, s));
            var rights = new List<IOperation>();
            IOperation left = top;
            while (IsChainLink(left))
            {
                var link = (IBinaryOperation)left;
                rights.Add(link.RightOperand);
                left = link.LeftOperand;
            }
            s = Visit(left, s);
            for (int i = rights.Count - 1; i >= 0; i--) s = Visit(rights[i], s);
            return s;
        }

        private FlowState VisitChildren(IOperation op, FlowState s)
        {
            foreach (var child in op.ChildOperations)
                s = Visit(child, s);
            return s;
        }

        private FlowState VisitStatements(ImmutableArray<IOperation> statements, int start, FlowState s)
        {
            for (int i = start; i < statements.Length; i++)
            {
                var statement = statements[i];
                if (statement.Kind == OperationKind.UsingDeclaration && statement is IUsingDeclarationOperation usingDeclaration)
                {
                    var v = Visit(usingDeclaration.DeclarationGroup, s);
                    var disposals = Disposals(usingDeclaration.DeclarationGroup, usingDeclaration.Syntax, usingDeclaration.IsAsynchronous);
                    return WithDisposal(disposals, statements, i + 1, v, usingDeclaration.Syntax);
                }
                s = Visit(statement, s);
            }
            return s;
        }

        private FlowState WithDisposal(List<Disposal> disposals, ImmutableArray<IOperation> statements, int start, FlowState s, SyntaxNode scope)
        {
            var handler = new Handler(statements, start, state => Dispose(disposals, state));
            _handlers.Add(handler);
            FlowState end;
            try
            {
                end = VisitStatements(statements, start, s);
            }
            finally
            {
                _handlers.RemoveAt(_handlers.Count - 1);
            }
            return Dispose(disposals, end);
        }

        // ------------------------------------------------------------------ conditions (trylock)

        private (FlowState WhenTrue, FlowState WhenFalse) VisitCondition(IOperation? condition, FlowState s)
        {
            if (condition is null) return (s, s);
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (condition)
            {
                case IUnaryOperation unary when unary.OperatorKind == UnaryOperatorKind.Not && unary.OperatorMethod is null:
                    {
                        var (t, f) = VisitCondition(unary.Operand, s);
                        return (f, t);
                    }
                case IBinaryOperation binary when binary.OperatorMethod is null && binary.OperatorKind == BinaryOperatorKind.ConditionalAnd:
                    {
                        var (lt, lf) = VisitCondition(binary.LeftOperand, s);
                        var (rt, rf) = VisitCondition(binary.RightOperand, lt);
                        return (rt, lf.Join(rf));
                    }
                case IBinaryOperation binary when binary.OperatorMethod is null && binary.OperatorKind == BinaryOperatorKind.ConditionalOr:
                    {
                        var (lt, lf) = VisitCondition(binary.LeftOperand, s);
                        var (rt, rf) = VisitCondition(binary.RightOperand, lf);
                        return (lt.Join(rt), rf);
                    }
                case IConversionOperation conversion when conversion.OperatorMethod is null && conversion.IsImplicit:
                    return VisitCondition(conversion.Operand, s);
                case IInvocationOperation invocation when IsTrylock(invocation.TargetMethod, out bool whenReturns):
                    {
                        var v = Visit(invocation.Instance, s);
                        v = VisitArguments(invocation.Arguments, v);
                        v = Call(invocation.TargetMethod, invocation.TargetMethod, invocation.Syntax, CallKind.Invocation, invocation.Arguments, v, applyEffect: false);
                        var entered = v.Enter(OpenerFor(invocation));
                        return whenReturns ? (entered, v) : (v, entered);
                    }
                case ILocalReferenceOperation local when Scan().TrylockLocals.TryGetValue(local.Local, out var source) && IsTrylock(source.TargetMethod, out bool localWhen):
                    return s.Split(new Atom(local.Local, Atom.BoolValue), OpenerFor(source), localWhen);
                case ILocalReferenceOperation local when IsTracked(local.Local, Atom.BoolValue):
                    return s.Split(new Atom(local.Local, Atom.BoolValue), null);
                case IParameterReferenceOperation parameter when IsTracked(parameter.Parameter, Atom.BoolValue):
                    return s.Split(new Atom(parameter.Parameter, Atom.BoolValue), null);
                case IBinaryOperation compare when compare.OperatorMethod is null
                    && (compare.OperatorKind == BinaryOperatorKind.Equals || compare.OperatorKind == BinaryOperatorKind.NotEquals)
                    && NullComparedSymbol(compare) is { } compared && IsTracked(compared, Atom.NotNull):
                    {
                        var (notNull, isNull) = s.Split(new Atom(compared, Atom.NotNull), null);
                        return compare.OperatorKind == BinaryOperatorKind.NotEquals ? (notNull, isNull) : (isNull, notNull);
                    }
            }
            var after = Visit(condition, s);
            if (condition.ConstantValue.HasValue && condition.ConstantValue.Value is bool constant)
                return constant ? (after, FlowState.Unreachable) : (FlowState.Unreachable, after);
            return (after, after);
        }

        /// <summary>The local or parameter compared with null in <c>x == null</c> / <c>x != null</c>.</summary>
        private static ISymbol? NullComparedSymbol(IBinaryOperation compare)
        {
            var (left, right) = (Unwrap(compare.LeftOperand), Unwrap(compare.RightOperand));
            if (IsNull(right)) return Variable(left);
            if (IsNull(left)) return Variable(right);
            return null;

            static bool IsNull(IOperation op) => op.ConstantValue.HasValue && op.ConstantValue.Value is null;
        }

        /// <summary>The integral constant a value is, if it is one.</summary>
        private static long? ConstantOf(IOperation value) =>
            value.ConstantValue.HasValue && FactsResolver.TryLong(value.ConstantValue.Value, out long constant) ? constant : (long?)null;

        private static IOperation Unwrap(IOperation op)
        {
            while (op is IConversionOperation c && c.OperatorMethod is null) op = c.Operand;
            return op;
        }

        private static ISymbol? Variable(IOperation op) => op switch
        {
            ILocalReferenceOperation l => l.Local,
            IParameterReferenceOperation p => p.Parameter,
            _ => null,
        };

        /// <summary>
        /// Atoms worth correlating: tested at least twice in a body that makes region calls (the
        /// conditional-locking pattern <c>if (x) lock(); ...; if (x) unlock();</c>).
        /// </summary>
        private bool IsTracked(ISymbol symbol, byte form) => Scan().Tracked.Contains(new Atom(symbol, form));

        private LocalScan Scan()
        {
            if (_scan != null) return _scan;
            var scan = _spareScan ?? new LocalScan();
            _spareScan = null;
            scan.Fill(_root, this);
            return _scan = scan;
        }

        /// <summary>
        /// One walk over the body, on first need, for what the flow analysis asks of its locals: those written
        /// once (from a constant, a trylock result, a lambda or method group), the locals tested in conditions,
        /// and the atoms tested at least twice in a body that makes region calls. Its tables are emptied after
        /// the body and filled again for the next body of the walker that needs them.
        /// </summary>
        private sealed class LocalScan
        {
            public readonly Dictionary<ILocalSymbol, long> ConstantLocals = new Dictionary<ILocalSymbol, long>(SymbolEqualityComparer.Default);
            public readonly Dictionary<ILocalSymbol, IInvocationOperation> TrylockLocals = new Dictionary<ILocalSymbol, IInvocationOperation>(SymbolEqualityComparer.Default);
            public readonly Dictionary<ILocalSymbol, IMethodSymbol> DelegateLocals = new Dictionary<ILocalSymbol, IMethodSymbol>(SymbolEqualityComparer.Default);
            public readonly HashSet<ILocalSymbol> TestedLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            public readonly HashSet<Atom> Tracked = new HashSet<Atom>();

            // What the scan counts on its way (emptied when it is done).
            private readonly Dictionary<ILocalSymbol, int> _writes = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
            private readonly Dictionary<ILocalSymbol, IOperation> _firstValue = new Dictionary<ILocalSymbol, IOperation>(SymbolEqualityComparer.Default);
            private readonly Dictionary<Atom, int> _conditionUses = new Dictionary<Atom, int>();
            // The operations still to look at (empty between bodies).
            private readonly Stack<IOperation> _pending = new Stack<IOperation>();

            /// <summary>Forgets the body: every table empty (no symbol or operation kept).</summary>
            public void Clear()
            {
                ConstantLocals.Clear();
                TrylockLocals.Clear();
                DelegateLocals.Clear();
                TestedLocals.Clear();
                Tracked.Clear();
                _writes.Clear();
                _firstValue.Clear();
                _conditionUses.Clear();
                _pending.Clear();
            }

            public void Fill(IOperation root, BodyWalker walker)
            {
                var writes = _writes;
                var firstValue = _firstValue;
                var conditionUses = _conditionUses;
                bool regionCalls = false;

                void Write(ILocalSymbol local, IOperation? value)
                {
                    int n = writes.TryGetValue(local, out int old) ? old + 1 : 1;
                    writes[local] = n;
                    if (n == 1 && value != null) firstValue[local] = Unwrap(value);
                }

                // A write whose value is not known: the local is not "written once from a constant".
                void WriteTwice(ILocalSymbol local)
                {
                    Write(local, null);
                    Write(local, null);
                }

                // Every operation once, in no particular order (nothing below depends on it: a local's first value
                // is read only when it has one write). An explicit stack, not a recursion (a long chain of binary
                // operators nests as deep as it is long), nor DescendantsAndSelf, whose stack of enumerators was
                // half of this scan. Switched on the kind first (a jump table): most operations are none of these,
                // and a type test searches the operation's interfaces.
                var pending = _pending;
                pending.Push(root);
                while (pending.Count > 0)
                {
                    var op = pending.Pop();
                    foreach (var child in op.ChildOperations) pending.Push(child);
                    switch (op.Kind)
                    {
                        case OperationKind.Invocation:
                            if (!regionCalls && walker._facts.Get(((IInvocationOperation)op).TargetMethod).IsRegionCall) regionCalls = true;
                            break;
                        case OperationKind.VariableDeclarator:
                            {
                                var d = (IVariableDeclaratorOperation)op;
                                if (d.Initializer != null) Write(d.Symbol, d.Initializer.Value);
                                break;
                            }
                        case OperationKind.SimpleAssignment:
                            if (((IAssignmentOperation)op).Target is ILocalReferenceOperation simpleTarget)
                                Write(simpleTarget.Local, ((IAssignmentOperation)op).Value);
                            break;
                        case OperationKind.CompoundAssignment:
                        case OperationKind.CoalesceAssignment:
                            if (((IAssignmentOperation)op).Target is ILocalReferenceOperation compoundTarget)
                                WriteTwice(compoundTarget.Local);
                            break;
                        case OperationKind.Increment:
                        case OperationKind.Decrement:
                            if (((IIncrementOrDecrementOperation)op).Target is ILocalReferenceOperation bumped)
                                WriteTwice(bumped.Local);
                            break;
                        case OperationKind.Argument:
                            {
                                var arg = (IArgumentOperation)op;
                                if (arg.Value is ILocalReferenceOperation target && arg.Parameter != null && arg.Parameter.RefKind != RefKind.None && arg.Parameter.RefKind != RefKind.In)
                                    WriteTwice(target.Local);
                                break;
                            }
                        case OperationKind.AddressOf:
                            if (((IAddressOfOperation)op).Reference is ILocalReferenceOperation addressed)
                                WriteTwice(addressed.Local);
                            break;
                        case OperationKind.DeclarationExpression:
                            if (((IDeclarationExpressionOperation)op).Expression is ILocalReferenceOperation declared)
                                WriteTwice(declared.Local);
                            break;
                        case OperationKind.DeconstructionAssignment:
                            foreach (var part in ((IDeconstructionAssignmentOperation)op).Target.DescendantsAndSelf())
                            {
                                if (part is ILocalReferenceOperation target) WriteTwice(target.Local);
                            }
                            break;
                    }

                    Atom? atom = null;
                    switch (op.Kind)
                    {
                        case OperationKind.LocalReference when op.Type?.SpecialType == SpecialType.System_Boolean:
                            atom = new Atom(((ILocalReferenceOperation)op).Local, Atom.BoolValue);
                            break;
                        case OperationKind.ParameterReference when op.Type?.SpecialType == SpecialType.System_Boolean:
                            atom = new Atom(((IParameterReferenceOperation)op).Parameter, Atom.BoolValue);
                            break;
                        case OperationKind.Binary:
                            {
                                var b = (IBinaryOperation)op;
                                if (b.OperatorMethod is null && (b.OperatorKind == BinaryOperatorKind.Equals || b.OperatorKind == BinaryOperatorKind.NotEquals) && NullComparedSymbol(b) is { } sym)
                                    atom = new Atom(sym, Atom.NotNull);
                                break;
                            }
                    }
                    if (atom is { } a2 && IsConditionUse(op))
                    {
                        conditionUses[a2] = conditionUses.TryGetValue(a2, out int n) ? n + 1 : 1;
                        if (a2.Symbol is ILocalSymbol tested) TestedLocals.Add(tested);
                    }
                }

                foreach (var pair in writes)
                {
                    if (pair.Value != 1 || !firstValue.TryGetValue(pair.Key, out var value)) continue;
                    if (ConstantOf(value) is long constant)
                        ConstantLocals[pair.Key] = constant;
                    else if (value is IInvocationOperation inv && walker.IsTrylock(inv.TargetMethod, out _))
                        TrylockLocals[pair.Key] = inv;
                    else if (value is IDelegateCreationOperation creation && pair.Key.Type.TypeKind == TypeKind.Delegate
                        && DelegateTarget(creation) is { } m)
                        DelegateLocals[pair.Key] = m;
                }
                if (regionCalls)
                {
                    foreach (var pair in conditionUses)
                    {
                        if (pair.Value >= 2) Tracked.Add(pair.Key);
                    }
                }
                Written = Math.Max(writes.Count, conditionUses.Count);
                writes.Clear();
                firstValue.Clear();
                conditionUses.Clear();
            }

            /// <summary>How many locals (or atoms) the last body's scan met: how big its tables grew.</summary>
            public int Written { get; private set; }
        }

        private bool IsTrylock(IMethodSymbol method, out bool whenReturns) => IsTrylock(_facts.Get(method), out whenReturns);

        private static bool IsTrylock(MemberFacts f, out bool whenReturns)
        {
            whenReturns = f.Has(Fact.EntersWhenTrue);
            return f.EntersConditionally && !f.Enters;
        }

        // ------------------------------------------------------------------ calls

        private FlowState VisitInvocation(IInvocationOperation invocation, FlowState s)
        {
            var v = Visit(invocation.Instance, s);
            v = VisitArguments(invocation.Arguments, v);
            var target = invocation.TargetMethod;
            // Looked up once for the three questions below (the facts of a method are those of its normal form).
            var targetFacts = _facts.Get(target);
            if (IsTrylock(targetFacts, out bool whenReturns))
            {
                // The region is entered where the result is tested; a result kept in a tested local is
                // handled at that test; a result nobody tests may have entered it.
                bool deferred = IsAssignedToTrylockLocal(invocation);
                v = Call(target, target, targetFacts, invocation.Syntax, CallKind.Invocation, invocation.Arguments, v, applyEffect: false);
                return deferred ? v : v.Join(v.Enter(OpenerFor(invocation)));
            }
            if (target.MethodKind == MethodKind.DelegateInvoke && !targetFacts.MightSleep
                && invocation.Instance is ILocalReferenceOperation delegateLocal
                && DelegateHeldBy(delegateLocal.Local) is { } resolved)
            {
                // A local holding one lambda or method group: the call runs that body.
                return Call(delegateLocal.Local, resolved, invocation.Syntax, CallKind.Invocation, invocation.Arguments, v);
            }
            return Call(target, target, targetFacts, invocation.Syntax, CallKind.Invocation, invocation.Arguments, v);
        }

        /// <summary>
        /// The lambda or method a delegate local holds when it is written once, where it is declared (what the local
        /// scan finds). Told without the scan when the member's text spells the local's name only twice — in its
        /// declarator, seen by this walk with the delegate made there, and in this call — since no other write can
        /// be written without naming it.
        /// </summary>
        private IMethodSymbol? DelegateHeldBy(ILocalSymbol local)
        {
            if (_scan is null && _declaredDelegates != null && _declaredDelegates.TryGetValue(local, out var declared)
                && BodyTokens.OfIndexedMember(_root.Syntax) is { } tokens && tokens.CountWord(local.Name, atMost: 2) == 2)
                return declared;
            return Scan().DelegateLocals.TryGetValue(local, out var resolved) ? resolved : null;
        }

        private static IMethodSymbol? DelegateTarget(IDelegateCreationOperation creation) => creation.Target switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };

        private bool IsAssignedToTrylockLocal(IInvocationOperation invocation)
        {
            IOperation? parent = invocation.Parent;
            while (parent is IConversionOperation c && c.OperatorMethod is null) parent = parent.Parent;
            ILocalSymbol? local = parent switch
            {
                IVariableInitializerOperation init when init.Parent is IVariableDeclaratorOperation d => d.Symbol,
                ISimpleAssignmentOperation a when a.Target is ILocalReferenceOperation l => l.Local,
                _ => null,
            };
            return local != null && Scan().TrylockLocals.ContainsKey(local) && Scan().TestedLocals.Contains(local);
        }

        private static bool IsConditionUse(IOperation op)
        {
            var child = op;
            var parent = op.Parent;
            while (parent != null)
            {
                switch (parent)
                {
                    case IConditionalOperation c when c.Condition == child:
                    case IWhileLoopOperation w when w.Condition == child:
                    case IForLoopOperation f when f.Condition == child:
                        return true;
                    case IUnaryOperation u when u.OperatorKind == UnaryOperatorKind.Not:
                    case IBinaryOperation b when b.OperatorKind == BinaryOperatorKind.ConditionalAnd || b.OperatorKind == BinaryOperatorKind.ConditionalOr:
                    case IConversionOperation:
                        child = parent;
                        parent = parent.Parent;
                        continue;
                    default:
                        return false;
                }
            }
            return false;
        }

        private FlowState VisitArguments(ImmutableArray<IArgumentOperation> arguments, FlowState s)
        {
            foreach (var argument in arguments)
            {
                s = Visit(argument.Value, s);
                if (argument.Parameter != null && (argument.Parameter.RefKind == RefKind.Ref || argument.Parameter.RefKind == RefKind.Out) && Variable(argument.Value) is { } written)
                    s = s.Forget(written);
            }
            return s;
        }

        private FlowState VisitProperty(IPropertyReferenceOperation property, FlowState s)
        {
            var v = Visit(property.Instance, s);
            v = VisitArguments(property.Arguments, v);
            var p = property.Property;
            var pf = _facts.Get(p);
            if (pf.PerCpu) RecordPerCpu(property.Syntax, p, isNoMigrate: false, v);
            bool isTarget = property.Parent is IAssignmentOperation assignment && assignment.Target == property;
            bool isSimpleWrite = isTarget && property.Parent is ISimpleAssignmentOperation;
            bool reads = !isSimpleWrite;
            bool writes = isTarget || property.Parent is IIncrementOrDecrementOperation;
            if (reads && p.GetMethod != null)
                v = Call(p, p.GetMethod, property.Syntax, CallKind.PropertyGet, property.Arguments, v);
            if (writes && p.SetMethod != null)
                v = Call(p, p.SetMethod, property.Syntax, CallKind.PropertySet, property.Arguments, v);
            return v;
        }

        private FlowState Call(ISymbol target, IMethodSymbol method, SyntaxNode syntax, CallKind kind, ImmutableArray<IArgumentOperation> arguments, FlowState s, bool applyEffect = true) =>
            Call(target, method, _facts.Get(method), syntax, kind, arguments, s, applyEffect);

        /// <param name="facts">The facts of <paramref name="method"/> (<see cref="FactsResolver.Get"/>), looked up already.</param>
        private FlowState Call(ISymbol target, IMethodSymbol method, MemberFacts facts, SyntaxNode syntax, CallKind kind, ImmutableArray<IArgumentOperation> arguments, FlowState s, bool applyEffect = true)
        {
            var normalized = (IMethodSymbol)FactsResolver.Normalize(method);
            var args = ImmutableArray<ArgValue>.Empty;
            if (!arguments.IsDefaultOrEmpty && facts.IntegralParameter)
                args = ClassifyArguments(arguments, normalized.Parameters.Length);
            return RecordCall(target, normalized, facts, null, kind, syntax, args, s, applyEffect);
        }

        /// <param name="location">Where the call is reported; null for <paramref name="syntax"/>'s span.</param>
        private FlowState RecordCall(ISymbol? target, IMethodSymbol? method, MemberFacts facts, Location? location, CallKind kind, SyntaxNode syntax, ImmutableArray<ArgValue> args, FlowState s, bool applyEffect = true)
        {
            if (s.IsUnreachable) return s;
            Collect(s);
            var key = new SiteKey(syntax, (int)kind, method);
            var site = FindCall(key);
            if (site is null)
            {
                // Every caller passes the facts of the method (normalized from the target when that is a method).
                var named = target ?? method!;
                string name = kind == CallKind.Lock ? "lock (Monitor.Enter)" : named is IMethodSymbol ? Display.Name(named, facts) : Display.Name(named);
                string? callee = method is null ? null : _keyOf(method);
                bool hasBody = method != null && facts.SourceBody;
                site = CallSite.Create(name, callee, hasBody, facts, location, syntax, kind, args);
                AddCall(key, site);
            }
            site.State = site.State.Join(s);

            if (method != null && facts.NoMigrate)
                RecordPerCpu(syntax, target ?? method, isNoMigrate: true, s);
            else if (method != null && facts.PerCpu && kind == CallKind.Invocation)
                RecordPerCpu(syntax, method, isNoMigrate: false, s);

            if (facts.IsRegionCall)
            {
                _hasRegionCalls = true;
                if (!facts.EntersConditionally || facts.Enters || facts.Exits) _allRegionCallsConditional = false;
            }
            if (!applyEffect) return s;

            FlowState after = s;
            if (facts.Enters && !facts.Exits)
                after = s.Enter(OpenerFor(syntax, target ?? method!, location ?? syntax.GetLocation()));
            else if (facts.Exits && !facts.Enters)
                after = s.Exit();
            Collect(after);
            return after;
        }

        private CallSite? FindCall(SiteKey key)
        {
            if (_callIndex != null) return _callIndex.TryGetValue(key, out var indexed) ? indexed : null;
            foreach (var pair in _calls)
            {
                if (pair.Key.Equals(key)) return pair.Value;
            }
            return null;
        }

        private void AddCall(SiteKey key, CallSite site)
        {
            _calls.Add(new KeyValuePair<SiteKey, CallSite>(key, site));
            if (_callIndex != null)
            {
                _callIndex.Add(key, site);
            }
            else if (_calls.Count > IndexCallsFrom)
            {
                _callIndex = _spareIndex ?? new Dictionary<SiteKey, CallSite>(_calls.Count * 2);
                _spareIndex = null;
                foreach (var pair in _calls) _callIndex.Add(pair.Key, pair.Value);
            }
        }

        private Opener OpenerFor(IInvocationOperation invocation) =>
            OpenerFor(invocation.Syntax, invocation.TargetMethod, invocation.Syntax.GetLocation());

        private Opener OpenerFor(SyntaxNode syntax, ISymbol symbol, Location location)
        {
            _openers ??= new Dictionary<SyntaxNode, Opener>();
            if (!_openers.TryGetValue(syntax, out var opener))
            {
                opener = new Opener(Display.Name(symbol), location, OpenerDocId(symbol), isNoMigrateBody: false);
                _openers.Add(syntax, opener);
            }
            return opener;
        }

        /// <summary>
        /// The documentation ID of a region's member: its summary key where that is one (the store made it already,
        /// from the names it keeps per type), else Roslyn's — a local function's or lambda's key is its location.
        /// </summary>
        private string? OpenerDocId(ISymbol symbol)
        {
            var key = symbol is IMethodSymbol method ? _keyOf(method) : null;
            return key is null || key.StartsWith("~", StringComparison.Ordinal) ? DocId(FactsResolver.Normalize(symbol)) : key;
        }

        // ------------------------------------------------------------------ arguments of [MightSleepIf]

        private ImmutableArray<ArgValue> ClassifyArguments(ImmutableArray<IArgumentOperation> arguments, int parameterCount)
        {
            ArgValue[]? values = null;
            foreach (var argument in arguments)
            {
                if (argument.Parameter is null || argument.Parameter.Ordinal >= parameterCount) continue;
                var value = Classify(argument.Value);
                if (value.Kind == ArgKind.Other) continue;
                values ??= new ArgValue[parameterCount];
                values[argument.Parameter.Ordinal] = value;
            }
            // An argument past the end of Args reads as unknown (ArgValue.Other): nothing to keep when all are.
            return values is null ? ImmutableArray<ArgValue>.Empty : ImmutableArray.Create(values);
        }

        private ArgValue Classify(IOperation value)
        {
            if (value.ConstantValue.HasValue && FactsResolver.TryLong(value.ConstantValue.Value, out long constant))
                return new ArgValue(ArgKind.Constant, constant, 0);
            while (value is IConversionOperation c && c.OperatorMethod is null)
            {
                value = c.Operand;
                if (value.ConstantValue.HasValue && FactsResolver.TryLong(value.ConstantValue.Value, out constant))
                    return new ArgValue(ArgKind.Constant, constant, 0);
            }
            if (value is IParameterReferenceOperation p && _owner != null
                && SymbolEqualityComparer.Default.Equals(p.Parameter.ContainingSymbol, _owner)
                && p.Parameter.RefKind == RefKind.None)
                return new ArgValue(ArgKind.Parameter, 0, p.Parameter.Ordinal);
            if (value is ILocalReferenceOperation l && !_notConstantLocals.Contains(l.Local) && Scan().ConstantLocals.TryGetValue(l.Local, out constant))
                return new ArgValue(ArgKind.Constant, constant, 0);
            return ArgValue.Other;
        }

        // ------------------------------------------------------------------ loops, switch, branches

        private FlowState VisitWhile(IWhileLoopOperation loop, FlowState s)
        {
            var head = s;
            FlowState exit = FlowState.Unreachable;
            for (int i = 0; i < MaxLoopIterations; i++)
            {
                FlowState bodyOut;
                if (loop.ConditionIsTop)
                {
                    var (t, f) = loop.Condition is null ? (head, FlowState.Unreachable) : VisitCondition(loop.Condition, head);
                    if (loop.ConditionIsUntil) (t, f) = (f, t);
                    exit = f;
                    bodyOut = Visit(loop.Body, t).Join(LabelState(loop.ContinueLabel));
                }
                else
                {
                    var b = Visit(loop.Body, head).Join(LabelState(loop.ContinueLabel));
                    var (t, f) = loop.Condition is null ? (b, FlowState.Unreachable) : VisitCondition(loop.Condition, b);
                    if (loop.ConditionIsUntil) (t, f) = (f, t);
                    exit = f;
                    bodyOut = t;
                }
                var next = head.Join(bodyOut);
                if (next.SameAs(head)) break;
                head = next;
            }
            return exit.Join(LabelState(loop.ExitLabel));
        }

        private FlowState VisitFor(IForLoopOperation loop, FlowState s)
        {
            foreach (var before in loop.Before) s = Visit(before, s);
            var head = s;
            FlowState exit = FlowState.Unreachable;
            for (int i = 0; i < MaxLoopIterations; i++)
            {
                var (t, f) = loop.Condition is null ? (head, FlowState.Unreachable) : VisitCondition(loop.Condition, head);
                exit = f;
                var b = Visit(loop.Body, t).Join(LabelState(loop.ContinueLabel));
                foreach (var bottom in loop.AtLoopBottom) b = Visit(bottom, b);
                var next = head.Join(b);
                if (next.SameAs(head)) break;
                head = next;
            }
            return exit.Join(LabelState(loop.ExitLabel));
        }

        private FlowState VisitForEach(IForEachLoopOperation loop, FlowState s)
        {
            s = Visit(loop.Collection, s);
            var info = loop.Syntax is CommonForEachStatementSyntax syntax && loop.SemanticModel != null
                ? loop.SemanticModel.GetForEachStatementInfo(syntax)
                : default;
            var location = ForEachLocation(loop.Syntax);
            if (info.GetEnumeratorMethod != null)
                s = RecordCall(info.GetEnumeratorMethod, Norm(info.GetEnumeratorMethod), _facts.Get(info.GetEnumeratorMethod), location, CallKind.ForEach, loop.Syntax, ImmutableArray<ArgValue>.Empty, s);
            var head = s;
            FlowState exit = head;
            for (int i = 0; i < MaxLoopIterations; i++)
            {
                var h = head;
                if (loop.IsAsynchronous) RecordSuspend(loop.Syntax, "await foreach", h);
                if (info.MoveNextMethod != null)
                    h = RecordCall(info.MoveNextMethod, Norm(info.MoveNextMethod), _facts.Get(info.MoveNextMethod), location, CallKind.ForEach, loop.Syntax, ImmutableArray<ArgValue>.Empty, h);
                exit = h;
                var b = h;
                if (info.CurrentProperty?.GetMethod is { } current)
                    b = RecordCall(info.CurrentProperty, Norm(current), _facts.Get(current), location, CallKind.ForEach, loop.Syntax, ImmutableArray<ArgValue>.Empty, b);
                b = Visit(loop.LoopControlVariable, b);
                b = Visit(loop.Body, b).Join(LabelState(loop.ContinueLabel));
                var next = head.Join(b);
                if (next.SameAs(head)) break;
                head = next;
            }
            exit = exit.Join(LabelState(loop.ExitLabel));
            if (info.DisposeMethod != null)
                exit = RecordCall(info.DisposeMethod, Norm(info.DisposeMethod), _facts.Get(info.DisposeMethod), location, CallKind.ForEach, loop.Syntax, ImmutableArray<ArgValue>.Empty, exit);
            return exit;
        }

        private static IMethodSymbol Norm(IMethodSymbol m) => (IMethodSymbol)FactsResolver.Normalize(m);

        private FlowState VisitSwitch(ISwitchOperation sw, FlowState s)
        {
            var v = Visit(sw.Value, s);
            bool hasDefault = false;
            FlowState end = FlowState.Unreachable;
            foreach (var section in sw.Cases)
            {
                var entry = v;
                foreach (var clause in section.Clauses)
                {
                    if (clause.CaseKind == CaseKind.Default) hasDefault = true;
                    entry = entry.Join(LabelState(clause.Label));
                    if (clause is IPatternCaseClauseOperation pattern && pattern.Guard != null)
                        entry = VisitCondition(pattern.Guard, entry).WhenTrue.Join(entry);
                    else if (clause is ISingleValueCaseClauseOperation single)
                        entry = Visit(single.Value, entry);
                }
                foreach (var clause in section.Clauses) MarkLabelRead(clause.Label, entry);
                end = end.Join(VisitStatements(section.Body, 0, entry));
            }
            if (!hasDefault) end = end.Join(v);
            return end.Join(LabelState(sw.ExitLabel));
        }

        private FlowState VisitBranch(IBranchOperation branch, FlowState s)
        {
            if (s.IsUnreachable) return s;
            if (branch.BranchKind == BranchKind.GoTo) _sawGoto = true;
            var state = RunHandlers(s, branch.Target);
            AddToLabel(branch.Target, state);
            return FlowState.Unreachable;
        }

        private FlowState LabelState(ILabelSymbol? label) =>
            label != null && _labels != null && _labels.TryGetValue(label, out var state) ? state : FlowState.Unreachable;

        private Dictionary<ILabelSymbol, FlowState>? _labelReads;

        private void MarkLabelRead(ILabelSymbol? label, FlowState state)
        {
            if (label != null) (_labelReads ??= new Dictionary<ILabelSymbol, FlowState>(SymbolEqualityComparer.Default))[label] = state;
        }

        private void AddToLabel(ILabelSymbol? label, FlowState state)
        {
            if (label is null) return;
            var old = LabelState(label);
            var joined = old.Join(state);
            (_labels ??= new Dictionary<ILabelSymbol, FlowState>(SymbolEqualityComparer.Default))[label] = joined;
            // A backward goto whose label was already passed with less: another pass is needed.
            if (_labelReads != null && _labelReads.TryGetValue(label, out var read) && !read.Join(joined).SameAs(read)) _labelsChanged = true;
        }

        // ------------------------------------------------------------------ try / finally / using

        private sealed class Handler
        {
            private readonly ImmutableArray<IOperation> _scope;
            private readonly int _start;
            private HashSet<ILabelSymbol>? _inside;

            /// <param name="scope">What the handler protects: the operations from <paramref name="start"/> on.</param>
            public Handler(ImmutableArray<IOperation> scope, int start, Func<FlowState, FlowState> apply)
            {
                _scope = scope;
                _start = start;
                Apply = apply;
            }

            /// <summary>The labels a jump may target without leaving the handler's scope; gathered at the first jump (most scopes have none).</summary>
            public HashSet<ILabelSymbol> Inside => _inside ??= LabelsInside(_scope, _start);

            public Func<FlowState, FlowState> Apply { get; }
        }

        private sealed class Collector
        {
            public FlowState All;
        }

        private void Collect(FlowState s)
        {
            if (s.IsUnreachable) return;
            for (int i = 0; i < _collectors.Count; i++) _collectors[i].All = _collectors[i].All.Join(s);
        }

        /// <summary>A jump to <paramref name="target"/> (or a return, when null) runs every finally it leaves.</summary>
        private FlowState RunHandlers(FlowState s, ILabelSymbol? target)
        {
            for (int i = _handlers.Count - 1; i >= 0; i--)
            {
                var handler = _handlers[i];
                if (target != null && handler.Inside.Contains(target)) break;
                var saved = _handlers.GetRange(i, _handlers.Count - i);
                _handlers.RemoveRange(i, _handlers.Count - i);
                try
                {
                    s = handler.Apply(s);
                }
                finally
                {
                    _handlers.AddRange(saved);
                }
                if (s.IsUnreachable) break;
            }
            return s;
        }

        private FlowState VisitTry(ITryOperation tryOp, FlowState s)
        {
            var collector = new Collector { All = s };
            Handler? handler = null;
            if (tryOp.Finally != null)
            {
                var scope = tryOp.Catches.IsEmpty ? ImmutableArray.Create<IOperation>(tryOp.Body)
                    : ImmutableArray.Create<IOperation>(tryOp.Body).AddRange(tryOp.Catches);
                var fin = tryOp.Finally;
                handler = new Handler(scope, 0, state => Visit(fin, state));
                _handlers.Add(handler);
            }
            FlowState normal;
            var catchCollector = new Collector();
            try
            {
                _collectors.Add(collector);
                FlowState bodyOut;
                try
                {
                    bodyOut = Visit(tryOp.Body, s);
                }
                finally
                {
                    _collectors.RemoveAt(_collectors.Count - 1);
                }
                normal = bodyOut;
                _collectors.Add(catchCollector);
                try
                {
                    foreach (var c in tryOp.Catches)
                    {
                        var entry = collector.All;
                        catchCollector.All = catchCollector.All.Join(entry);
                        if (c.Filter != null) entry = VisitCondition(c.Filter, entry).WhenTrue;
                        normal = normal.Join(Visit(c.Handler, entry));
                    }
                }
                finally
                {
                    _collectors.RemoveAt(_collectors.Count - 1);
                }
            }
            finally
            {
                if (handler != null) _handlers.Remove(handler);
            }
            if (tryOp.Finally is null) return normal;
            // The exceptional paths run the finally too; their end state leaves by the exception.
            var exceptional = collector.All.Join(catchCollector.All);
            Collect(Visit(tryOp.Finally, exceptional));
            return normal.IsUnreachable ? FlowState.Unreachable : Visit(tryOp.Finally, normal);
        }

        private readonly struct Disposal
        {
            public Disposal(IMethodSymbol? method, Location location, SyntaxNode syntax, bool isAsync)
            {
                Method = method;
                Location = location;
                Syntax = syntax;
                IsAsync = isAsync;
            }

            public IMethodSymbol? Method { get; }
            public Location Location { get; }
            public SyntaxNode Syntax { get; }
            public bool IsAsync { get; }
        }

        private FlowState VisitUsing(IUsingOperation usingOp, FlowState s)
        {
            var v = Visit(usingOp.Resources, s);
            var disposals = Disposals(usingOp.Resources, usingOp.Syntax, usingOp.IsAsynchronous);
            var handler = new Handler(ImmutableArray.Create(usingOp.Body), 0, state => Dispose(disposals, state));
            _handlers.Add(handler);
            FlowState end;
            try
            {
                end = Visit(usingOp.Body, v);
            }
            finally
            {
                _handlers.Remove(handler);
            }
            return Dispose(disposals, end);
        }

        private List<Disposal> Disposals(IOperation resources, SyntaxNode syntax, bool isAsync)
        {
            var list = new List<Disposal>();
            var location = UsingLocation(syntax);
            if (resources is IVariableDeclarationGroupOperation group)
            {
                foreach (var declaration in group.Declarations)
                    foreach (var declarator in declaration.Declarators)
                        list.Add(new Disposal(DisposeMethod(declarator.Symbol.Type), location, syntax, isAsync));
            }
            else if (resources != null)
            {
                var value = resources;
                while (value is IConversionOperation c) value = c.Operand;
                list.Add(new Disposal(value.Type is null ? null : DisposeMethod(value.Type), location, syntax, isAsync));
            }
            list.Reverse();
            return list;
        }

        private IMethodSymbol? DisposeMethod(ITypeSymbol type)
        {
            if (_disposable != null)
            {
                foreach (var member in _disposable.GetMembers("Dispose"))
                {
                    if (member is IMethodSymbol dispose && type.FindImplementationForInterfaceMember(dispose) is IMethodSymbol impl)
                        return impl;
                }
            }
            foreach (var member in type.GetMembers("Dispose"))
            {
                if (member is IMethodSymbol m && m.Parameters.Length == 0 && !m.IsStatic) return m;
            }
            return null;
        }

        private FlowState Dispose(List<Disposal> disposals, FlowState s)
        {
            foreach (var d in disposals)
            {
                if (s.IsUnreachable) break;
                if (d.IsAsync) RecordSuspend(d.Syntax, "await using", s);
                if (d.Method != null)
                    s = RecordCall(d.Method, Norm(d.Method), _facts.Get(d.Method), d.Location, CallKind.Dispose, d.Syntax, ImmutableArray<ArgValue>.Empty, s);
            }
            return s;
        }

        private static HashSet<ILabelSymbol> LabelsInside(ImmutableArray<IOperation> operations, int start)
        {
            var set = new HashSet<ILabelSymbol>(SymbolEqualityComparer.Default);
            for (int i = start; i < operations.Length; i++)
            {
                foreach (var op in operations[i].DescendantsAndSelf())
                {
                    switch (op)
                    {
                        case ILabeledOperation l: set.Add(l.Label); break;
                        case ILoopOperation loop:
                            set.Add(loop.ContinueLabel);
                            set.Add(loop.ExitLabel);
                            break;
                        case ISwitchOperation sw:
                            set.Add(sw.ExitLabel);
                            break;
                        case ICaseClauseOperation clause when clause.Label != null:
                            set.Add(clause.Label);
                            break;
                    }
                }
            }
            return set;
        }

        // ------------------------------------------------------------------ recording

        private void RecordExit(SyntaxNode node, Microsoft.CodeAnalysis.Text.TextSpan span, FlowState s, bool isEnd)
        {
            if (s.IsUnreachable) return;
            if (!_exits.TryGetValue(node, out var exit))
            {
                exit = new ExitPoint(node.SyntaxTree, span, isEnd);
                _exits.Add(node, exit);
            }
            exit.State = exit.State.Join(s);
        }

        private void RecordSuspend(SyntaxNode node, string keyword, FlowState s)
        {
            if (s.IsUnreachable) return;
            _suspends ??= new Dictionary<SyntaxNode, SuspendSite>();
            if (!_suspends.TryGetValue(node, out var site))
            {
                site = new SuspendSite(node.GetLocation(), keyword);
                _suspends.Add(node, site);
            }
            site.State = site.State.Join(s);
        }

        private void RecordPerCpu(SyntaxNode node, ISymbol symbol, bool isNoMigrate, FlowState s)
        {
            if (s.IsUnreachable) return;
            var key = new SiteKey(node, isNoMigrate ? 1 : 0, null);
            _perCpu ??= new Dictionary<SiteKey, PerCpuUse>();
            if (!_perCpu.TryGetValue(key, out var use))
            {
                use = new PerCpuUse(node.GetLocation(), Display.Name(symbol), isNoMigrate);
                _perCpu.Add(key, use);
            }
            use.State = use.State.Join(s);
        }

        // ------------------------------------------------------------------ locations

        private static Location LockLocation(SyntaxNode syntax) =>
            syntax is LockStatementSyntax l
                ? Location.Create(l.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(l.LockKeyword.SpanStart, l.CloseParenToken.IsMissing ? l.Expression.Span.End : l.CloseParenToken.Span.End))
                : syntax.GetLocation();

        /// <summary>A using statement: from <c>using</c> to its close paren; a using declaration: the declaration.</summary>
        private static Location UsingLocation(SyntaxNode syntax) =>
            syntax is UsingStatementSyntax u
                ? Location.Create(u.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(u.UsingKeyword.SpanStart, u.CloseParenToken.IsMissing ? u.UsingKeyword.Span.End : u.CloseParenToken.Span.End))
                : syntax.GetLocation();

        private static Location ForEachLocation(SyntaxNode syntax) =>
            syntax is CommonForEachStatementSyntax f
                ? Location.Create(f.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(f.ForEachKeyword.SpanStart, f.CloseParenToken.IsMissing ? f.Expression.Span.End : f.CloseParenToken.Span.End))
                : syntax.GetLocation();

        private readonly struct SiteKey : IEquatable<SiteKey>
        {
            private readonly SyntaxNode _node;
            private readonly int _kind;
            private readonly ISymbol? _symbol;

            public SiteKey(SyntaxNode node, int kind, ISymbol? symbol)
            {
                _node = node;
                _kind = kind;
                _symbol = symbol;
            }

            public bool Equals(SiteKey other) =>
                _node == other._node && _kind == other._kind && SymbolEqualityComparer.Default.Equals(_symbol, other._symbol);

            public override bool Equals(object? obj) => obj is SiteKey k && Equals(k);

            public override int GetHashCode() => (_node.GetHashCode() * 31 + _kind) * 31 + SymbolEqualityComparer.Default.GetHashCode(_symbol);
        }
    }
}
