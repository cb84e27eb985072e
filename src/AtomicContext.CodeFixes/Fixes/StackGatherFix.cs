using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using AtomicContext.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace AtomicContext.CodeFixes.Fixes
{
    /// <summary>
    /// ACA0001 in a region opened by a per-CPU opener that declares [StackAlternative]: the caller owns the
    /// object. Every use of the per-CPU protocol the region's object flows into — across methods and documents —
    /// is converted, or the fix is not offered:
    /// <list type="bullet">
    /// <item><c>var x = Open(a)</c> → <c>var x = new T(); Alt.Open2(x, a);</c></item>
    /// <item>re-take <c>x = Open(a);</c> → <c>Alt.Open2(x, a);</c> (a local re-taken without an opener initialiser gets <c>= new T()</c>)</item>
    /// <item><c>Close(x, c)</c> → <c>Alt.Close2(x, c)</c></item>
    /// </list>
    /// The object flows through locals, copies and arguments into source methods (downwards); a parameter on
    /// which the protocol is used (re-taken or closed, directly or further down) pulls in every caller's argument
    /// (upwards), since those callers must then hand in a caller-owned object too. <c>ref</c> stays as it is.
    /// </summary>
    internal sealed class StackGatherFix : FixKind
    {
        public const string Key = "ACA0001.StackGather";

        public override string EquivalenceKey => Key;

        public override string FixAllTitle => "Pass the per-CPU objects on the stack";

        public override string? SeedOf(Document document, Diagnostic diagnostic) =>
            TryGetOpenerStart(diagnostic, out int start) ? SiteKey(document.Id, start) : null;

        private static string SiteKey(DocumentId id, int position) => id.Id.ToString("N") + ":" + position.ToString(CultureInfo.InvariantCulture);

        public override async Task<FixPlan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            if (diagnostic.Id != Descriptors.SleepInRegionId) return null;
            if (!TryGetOpenerStart(diagnostic, out int openerStart)) return null;
            diagnostic.Properties.TryGetValue(AtomicContextAnalyzer.Keys.Opener, out var openerId);

            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root is null || model is null || openerStart < 0 || openerStart >= root.FullSpan.End) return null;

            // The opener call that starts at the reported position.
            InvocationExpressionSyntax? openerCall = null;
            foreach (var node in root.FindToken(openerStart).Parent?.AncestorsAndSelf() ?? Enumerable.Empty<SyntaxNode>())
            {
                if (node is InvocationExpressionSyntax inv && inv.SpanStart == openerStart)
                {
                    openerCall = inv;
                    break;
                }
                if (node is StatementSyntax) break;
            }
            if (openerCall is null) return null;
            if (!(model.GetSymbolInfo(openerCall, ct).Symbol is IMethodSymbol opener)) return null;
            var expected = Facts.Resolve(openerId, model.Compilation);
            if (expected != null && !SymbolEqualityComparer.Default.Equals(expected, opener.OriginalDefinition)) return null;

            var planner = new Planner(document.Project.Solution, ct);
            if (planner.OpenerAlternative(opener) is null) return null;

            // The variable the region's object is stored in.
            ISymbol? seed = null;
            if (openerCall.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator })
                seed = model.GetDeclaredSymbol(declarator, ct);
            else if (openerCall.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment && assignment.Right == openerCall)
                seed = model.GetSymbolInfo(assignment.Left, ct).Symbol;
            if (!(seed is ILocalSymbol || seed is IParameterSymbol)) return null;

            if (!await planner.RunAsync(seed!).ConfigureAwait(false)) return null;
            if (!planner.Converted.Contains(SiteKey(document.Id, openerStart))) return null;
            var plan = new FixPlan(
                $"Pass '{seed!.Name}' on the stack ({Display(planner.OpenerAlternative(opener)!)})",
                planner.Edits,
                planner.Converted);

            // Never offered where the result would not compile: the changed documents must not gain errors.
            if (!await CompilesAsync(document.Project.Solution, plan, ct).ConfigureAwait(false)) return null;
            return plan;
        }

        private static string Display(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;

        private static async Task<bool> CompilesAsync(Solution solution, FixPlan plan, CancellationToken ct)
        {
            var changed = await FixPlan.ApplyAsync(solution, plan.Edits, ct).ConfigureAwait(false);
            foreach (var id in plan.Edits.Select(e => e.DocumentId).Distinct())
            {
                var before = solution.GetDocument(id);
                var after = changed.GetDocument(id);
                if (before is null || after is null) return false;
                if (await ErrorsAsync(after, ct).ConfigureAwait(false) > await ErrorsAsync(before, ct).ConfigureAwait(false)) return false;
            }
            return true;
        }

        private static async Task<int> ErrorsAsync(Document document, CancellationToken ct)
        {
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            return model is null ? int.MaxValue : model.GetDiagnostics(cancellationToken: ct).Count(d => d.Severity == DiagnosticSeverity.Error);
        }

        // ------------------------------------------------------------------ the flow of the object

        private sealed class Planner
        {
            private readonly Solution _solution;
            private readonly CancellationToken _ct;
            private readonly Dictionary<SyntaxTree, (Document Document, SemanticModel Model)> _models = new Dictionary<SyntaxTree, (Document, SemanticModel)>();
            private readonly HashSet<ISymbol> _flow = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _bearing = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _retaken = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            private readonly Dictionary<ISymbol, List<ISymbol>> _passedInto = new Dictionary<ISymbol, List<ISymbol>>(SymbolEqualityComparer.Default);
            private readonly Dictionary<ISymbol, List<ISymbol>> _copies = new Dictionary<ISymbol, List<ISymbol>>(SymbolEqualityComparer.Default);
            private readonly Queue<ISymbol> _work = new Queue<ISymbol>();
            private readonly Queue<IParameterSymbol> _upward = new Queue<IParameterSymbol>();
            private readonly HashSet<string> _editKeys = new HashSet<string>();
            private bool _failed;

            public Planner(Solution solution, CancellationToken ct)
            {
                _solution = solution;
                _ct = ct;
            }

            public List<Edit> Edits { get; } = new List<Edit>();

            /// <summary>Opener sites converted (document:position), for Fix All's bookkeeping.</summary>
            public HashSet<string> Converted { get; } = new HashSet<string>();

            /// <summary>The stack alternative of an opener <c>T Open(a, b)</c>: static <c>void Open2(T, a, b)</c>.</summary>
            public IMethodSymbol? OpenerAlternative(IMethodSymbol opener)
            {
                if (!Facts.Has(opener, Facts.EntersNoMigrate) || opener.ReturnsVoid || opener.ReturnsByRef) return null;
                if (!(opener.ReturnType is INamedTypeSymbol type) || type.TypeKind != TypeKind.Class || type.IsAbstract) return null;
                if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public)) return null;
                return Alternative(opener, m =>
                    m.ReturnsVoid && m.Parameters.Length == opener.Parameters.Length + 1
                    && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, type) && m.Parameters[0].RefKind == RefKind.None
                    && SameParameters(m.Parameters.Skip(1), opener.Parameters));
            }

            /// <summary>The stack alternative of a closer <c>Close(T, c)</c>: static <c>Close2(T, c)</c>, same parameters.</summary>
            public IMethodSymbol? CloserAlternative(IMethodSymbol closer)
            {
                if (!Facts.Has(closer, Facts.ExitsNoMigrate)) return null;
                return Alternative(closer, m => m.Parameters.Length == closer.Parameters.Length && SameParameters(m.Parameters, closer.Parameters)
                    && SymbolEqualityComparer.Default.Equals(m.ReturnType, closer.ReturnType));
            }

            private static IMethodSymbol? Alternative(IMethodSymbol method, System.Func<IMethodSymbol, bool> shape)
            {
                var attribute = Facts.Find(method.OriginalDefinition, Facts.StackAlternative);
                if (attribute is null || attribute.ConstructorArguments.Length != 2) return null;
                if (!(attribute.ConstructorArguments[0].Value is INamedTypeSymbol holder) || !(attribute.ConstructorArguments[1].Value is string name)) return null;
                IMethodSymbol? found = null;
                foreach (var member in holder.GetMembers(name))
                {
                    if (member is IMethodSymbol m && m.IsStatic && !m.IsGenericMethod && shape(m))
                    {
                        if (found != null) return null;
                        found = m;
                    }
                }
                return found;
            }

            private static bool SameParameters(IEnumerable<IParameterSymbol> a, IEnumerable<IParameterSymbol> b) =>
                a.Select(p => (p.Type, p.RefKind)).SequenceEqual(b.Select(p => (p.Type, p.RefKind)),
                    new TypeRefComparer());

            private sealed class TypeRefComparer : IEqualityComparer<(ITypeSymbol, RefKind)>
            {
                public bool Equals((ITypeSymbol, RefKind) x, (ITypeSymbol, RefKind) y) => x.Item2 == y.Item2 && SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1);

                public int GetHashCode((ITypeSymbol, RefKind) obj) => SymbolEqualityComparer.Default.GetHashCode(obj.Item1);
            }

            private static bool IsProtocol(IMethodSymbol method) =>
                Facts.IsRegionCall(method.OriginalDefinition) || Facts.Has(method.OriginalDefinition, Facts.StackAlternative);

            public async Task<bool> RunAsync(ISymbol seed)
            {
                Add(seed);
                while (!_failed && (_work.Count > 0 || _upward.Count > 0))
                {
                    _ct.ThrowIfCancellationRequested();
                    if (_work.Count > 0)
                    {
                        await ScanAsync(_work.Dequeue()).ConfigureAwait(false);
                        continue;
                    }
                    await CallersAsync(_upward.Dequeue()).ConfigureAwait(false);
                }
                if (_failed) return false;
                // Locals re-taken, or handed to a parameter that is, must hold a caller-owned object from the start.
                foreach (var local in _retaken.Concat(_bearing).OfType<ILocalSymbol>().Distinct<ILocalSymbol>(SymbolEqualityComparer.Default))
                {
                    if (!await InitialiseAsync(local).ConfigureAwait(false)) return false;
                }
                return Edits.Count > 0;
            }

            private void Add(ISymbol symbol)
            {
                if (_flow.Add(symbol)) _work.Enqueue(symbol);
            }

            private void MarkBearing(ISymbol symbol)
            {
                var pending = new Stack<ISymbol>();
                pending.Push(symbol);
                while (pending.Count > 0)
                {
                    var s = pending.Pop();
                    if (!_bearing.Add(s)) continue;
                    if (s is IParameterSymbol p) _upward.Enqueue(p);
                    if (_passedInto.TryGetValue(s, out var args)) foreach (var a in args) pending.Push(a);
                    if (_copies.TryGetValue(s, out var copies)) foreach (var c in copies) pending.Push(c);
                }
            }

            private void Link(Dictionary<ISymbol, List<ISymbol>> map, ISymbol from, ISymbol to)
            {
                if (!map.TryGetValue(from, out var list)) map[from] = list = new List<ISymbol>();
                list.Add(to);
                if (_bearing.Contains(from)) MarkBearing(to);
            }

            private void Copy(ISymbol a, ISymbol b)
            {
                Add(b);
                Link(_copies, a, b);
                Link(_copies, b, a);
            }

            private async Task<(Document Document, SemanticModel Model)?> ModelAsync(SyntaxTree tree)
            {
                if (_models.TryGetValue(tree, out var known)) return known;
                var document = _solution.GetDocument(tree);
                if (document is null) return null;
                var model = await document.GetSemanticModelAsync(_ct).ConfigureAwait(false);
                if (model is null) return null;
                return _models[tree] = (document, model);
            }

            private static SyntaxNode? BodyOf(SyntaxNode declaration) =>
                declaration.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax || n is LocalFunctionStatementSyntax || n is AccessorDeclarationSyntax || n is AnonymousFunctionExpressionSyntax);

            private async Task ScanAsync(ISymbol symbol)
            {
                if (symbol.DeclaringSyntaxReferences.Length != 1)
                {
                    _failed = true;
                    return;
                }
                var declaration = await symbol.DeclaringSyntaxReferences[0].GetSyntaxAsync(_ct).ConfigureAwait(false);
                var body = BodyOf(declaration);
                var found = await ModelAsync(declaration.SyntaxTree).ConfigureAwait(false);
                if (body is null || found is null)
                {
                    _failed = true;
                    return;
                }
                var (document, model) = found.Value;

                if (symbol is ILocalSymbol && declaration is VariableDeclaratorSyntax declarator)
                    Declaration(document, model, declarator, symbol);

                foreach (var id in body.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (_failed) return;
                    if (id.Identifier.ValueText != symbol.Name) continue;
                    if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id, _ct).Symbol, symbol)) continue;
                    Use(document, model, id, symbol);
                }
            }

            private void Declaration(Document document, SemanticModel model, VariableDeclaratorSyntax declarator, ISymbol symbol)
            {
                var value = declarator.Initializer?.Value;
                if (value is null) return;
                if (value is InvocationExpressionSyntax call && model.GetSymbolInfo(call, _ct).Symbol is IMethodSymbol method && Facts.Has(method.OriginalDefinition, Facts.EntersNoMigrate))
                {
                    var alternative = OpenerAlternative(method.OriginalDefinition);
                    if (alternative is null
                        || !(declarator.Parent is VariableDeclarationSyntax { Variables: { Count: 1 } } declaration)
                        || !(declaration.Parent is LocalDeclarationStatementSyntax statement)
                        || !statement.Modifiers.All(m => m.IsKind(SyntaxKind.None))
                        || statement.UsingKeyword.RawKind != 0
                        || !(statement.Parent is BlockSyntax || statement.Parent is SwitchSectionSyntax))
                    {
                        _failed = true;
                        return;
                    }
                    var type = (INamedTypeSymbol)method.ReturnType;
                    Converted.Add(SiteKey(document.Id, call.SpanStart));
                    AddEdit(new Edit(document, statement, "stack-decl", editor =>
                    {
                        var creation = SyntaxFactory.ObjectCreationExpression(TypeSyntaxFor(type)).WithArgumentList(SyntaxFactory.ArgumentList());
                        editor.ReplaceNode(call, creation.WithTriviaFrom(call));
                        var invocation = AlternativeCall(alternative, SyntaxFactory.IdentifierName(declarator.Identifier.ValueText), call.ArgumentList);
                        editor.InsertAfter(statement, SyntaxFactory.ExpressionStatement(invocation).WithAdditionalAnnotations(Formatter.Annotation));
                    }));
                    return;
                }
                if (value is IdentifierNameSyntax source && model.GetSymbolInfo(source, _ct).Symbol is ISymbol from && (from is ILocalSymbol || from is IParameterSymbol))
                    Copy(symbol, from);
            }

            private void Use(Document document, SemanticModel model, IdentifierNameSyntax id, ISymbol symbol)
            {
                switch (id.Parent)
                {
                    case ArgumentSyntax argument when argument.Expression == id:
                        Argument(document, model, argument, symbol);
                        return;
                    case AssignmentExpressionSyntax assignment when assignment.Left == id:
                        Assigned(document, model, assignment, symbol);
                        return;
                    case AssignmentExpressionSyntax assignment when assignment.Right == id:
                        if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && model.GetSymbolInfo(assignment.Left, _ct).Symbol is ISymbol target && (target is ILocalSymbol || target is IParameterSymbol))
                            Copy(symbol, target);
                        else
                            _failed = true; // the object escapes into a field or property: not ours to follow
                        return;
                    case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }:
                        if (model.GetDeclaredSymbol(declarator, _ct) is ILocalSymbol copy) Copy(symbol, copy);
                        else _failed = true;
                        return;
                    case ReturnStatementSyntax _:
                    case ArrowExpressionClauseSyntax _:
                        _failed = true; // returned to callers we do not follow
                        return;
                }
            }

            private void Argument(Document document, SemanticModel model, ArgumentSyntax argument, ISymbol symbol)
            {
                if (!(model.GetOperation(argument, _ct) is IArgumentOperation operation) || operation.Parameter is null)
                {
                    _failed = true;
                    return;
                }
                IMethodSymbol? target = (operation.Parent as IInvocationOperation)?.TargetMethod ?? (operation.Parent as IObjectCreationOperation)?.Constructor;
                if (target is null)
                {
                    _failed = true;
                    return;
                }
                var original = target.OriginalDefinition;
                if (Facts.Has(original, Facts.ExitsNoMigrate) && operation.Parent is IInvocationOperation invocationOp
                    && invocationOp.Syntax is InvocationExpressionSyntax invocation)
                {
                    var alternative = CloserAlternative(original);
                    if (alternative is null)
                    {
                        if (Facts.Has(original, Facts.StackAlternative)) _failed = true;
                        return; // an exit without alternative on some other object: not this protocol
                    }
                    MarkBearing(symbol);
                    AddEdit(new Edit(document, invocation, "stack-close", editor =>
                        editor.ReplaceNode(invocation.Expression, QualifiedName(alternative).WithTriviaFrom(invocation.Expression))));
                    return;
                }
                if (IsProtocol(original)) return;
                if (!Facts.IsSource(original) || original.DeclaringSyntaxReferences.Length != 1 || original.IsAbstract || original.IsVirtual || original.IsOverride)
                {
                    // Passed to code we cannot see into: fine while it only reads the object (metadata cannot re-take it).
                    if (Facts.IsSource(original)) _failed = true;
                    return;
                }
                var ordinal = operation.Parameter.Ordinal;
                if (ordinal >= original.Parameters.Length)
                {
                    _failed = true;
                    return;
                }
                var parameter = original.Parameters[ordinal];
                Add(parameter);
                Link(_passedInto, parameter, symbol);
            }

            private void Assigned(Document document, SemanticModel model, AssignmentExpressionSyntax assignment, ISymbol symbol)
            {
                if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                {
                    _failed = true;
                    return;
                }
                var right = assignment.Right;
                while (right is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang) right = bang.Operand;
                if (right is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } || right.IsKind(SyntaxKind.DefaultLiteralExpression))
                    return; // the object is dropped (the truncate path's early-out): nothing to convert
                if (right is IdentifierNameSyntax other && model.GetSymbolInfo(other, _ct).Symbol is ISymbol from && (from is ILocalSymbol || from is IParameterSymbol))
                {
                    Copy(symbol, from);
                    return;
                }
                if (right is InvocationExpressionSyntax call && model.GetSymbolInfo(call, _ct).Symbol is IMethodSymbol method && Facts.Has(method.OriginalDefinition, Facts.EntersNoMigrate)
                    && OpenerAlternative(method.OriginalDefinition) is IMethodSymbol alternative
                    && assignment.Parent is ExpressionStatementSyntax statement)
                {
                    MarkBearing(symbol);
                    _retaken.Add(symbol);
                    Converted.Add(SiteKey(document.Id, call.SpanStart));
                    var name = assignment.Left;
                    AddEdit(new Edit(document, statement, "stack-retake", editor =>
                        editor.ReplaceNode(statement, statement.WithExpression(AlternativeCall(alternative, name.WithoutTrivia(), call.ArgumentList).WithTriviaFrom(assignment)))));
                    return;
                }
                _failed = true;
            }

            /// <summary>A parameter on which the protocol is used: every caller must hand in a caller-owned object.</summary>
            private async Task CallersAsync(IParameterSymbol parameter)
            {
                if (!(parameter.ContainingSymbol is IMethodSymbol method) || method.MethodKind != MethodKind.Ordinary)
                {
                    _failed = true;
                    return;
                }
                var references = await SymbolFinder.FindReferencesAsync(method, _solution, _ct).ConfigureAwait(false);
                foreach (var reference in references)
                {
                    foreach (var location in reference.Locations)
                    {
                        if (_failed) return;
                        var tree = location.Location.SourceTree;
                        if (tree is null || await ModelAsync(tree).ConfigureAwait(false) is not { } found)
                        {
                            _failed = true;
                            return;
                        }
                        var root = await tree.GetRootAsync(_ct).ConfigureAwait(false);
                        var node = root.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                        var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.Expression.Span.Contains(node.Span));
                        if (invocation is null || !(found.Model.GetOperation(invocation, _ct) is IInvocationOperation op))
                        {
                            _failed = true; // a method group or other use: the object's source is unknown
                            return;
                        }
                        var argument = op.Arguments.FirstOrDefault(a => a.Parameter != null && a.Parameter.Ordinal == parameter.Ordinal);
                        var value = argument?.Value;
                        while (value is IConversionOperation conversion && conversion.IsImplicit) value = conversion.Operand;
                        ISymbol? source = value switch
                        {
                            ILocalReferenceOperation local => local.Local,
                            IParameterReferenceOperation p => p.Parameter,
                            _ => null,
                        };
                        if (source is null)
                        {
                            _failed = true;
                            return;
                        }
                        Add(source);
                        Link(_passedInto, parameter, source);
                        MarkBearing(source);
                    }
                }
            }

            /// <summary>A re-taken local that is not initialised from an opener gets <c>= new T()</c>.</summary>
            private async Task<bool> InitialiseAsync(ILocalSymbol local)
            {
                if (local.DeclaringSyntaxReferences.Length != 1) return false;
                if (!(await local.DeclaringSyntaxReferences[0].GetSyntaxAsync(_ct).ConfigureAwait(false) is VariableDeclaratorSyntax declarator)) return false;
                var found = await ModelAsync(declarator.SyntaxTree).ConfigureAwait(false);
                if (found is null) return false;
                var value = declarator.Initializer?.Value;
                while (value is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang) value = bang.Operand;
                if (value != null && !(value is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression }) && !value.IsKind(SyntaxKind.DefaultLiteralExpression))
                    return true; // initialised from an opener (converted) or a copy of a converted object
                if (!(local.Type is INamedTypeSymbol type) || type.TypeKind != TypeKind.Class) return false;
                if (declarator.Parent is VariableDeclarationSyntax { Type: { IsVar: true } }) return false;
                AddEdit(new Edit(found.Value.Document, declarator, "stack-init", editor =>
                    editor.ReplaceNode(declarator, declarator.WithInitializer(SyntaxFactory.EqualsValueClause(
                        SyntaxFactory.ObjectCreationExpression(TypeSyntaxFor(type)).WithArgumentList(SyntaxFactory.ArgumentList()))))));
                return true;
            }

            private void AddEdit(Edit edit)
            {
                if (_editKeys.Add(edit.Key)) Edits.Add(edit);
            }
        }

        // ------------------------------------------------------------------ syntax

        private static TypeSyntax TypeSyntaxFor(ITypeSymbol type) =>
            SyntaxFactory.ParseTypeName(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation);

        /// <summary><c>global::Ns.Holder.Method</c>, with the holder simplified as far as it still binds (<c>Holder.Method</c>).</summary>
        private static ExpressionSyntax QualifiedName(IMethodSymbol method) =>
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                (ExpressionSyntax)SyntaxFactory.ParseTypeName(method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.IdentifierName(method.Name));

        private static InvocationExpressionSyntax AlternativeCall(IMethodSymbol alternative, ExpressionSyntax target, ArgumentListSyntax arguments) =>
            SyntaxFactory.InvocationExpression(QualifiedName(alternative),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(target.WithoutTrivia()) }.Concat(arguments.Arguments))));
    }
}
