using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using AtomicContext.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace AtomicContext.CodeFixes.Fixes
{
    /// <summary>
    /// ACA0002 at a <c>return</c> (or the closing brace) that leaves a region open one level too deep: call the
    /// opener's matching exit, with the opener's arguments, just before it.
    /// <para>The exit is the [ExitsNoMigrate] method of the opener's containing type with the same parameters
    /// (types and ref kinds) whose name pairs with the opener's (<see cref="Pairs"/>).</para>
    /// <para>Offered only where it is safe: the method opens the region once, in a statement of a block that
    /// encloses the exit point; no exit of any region lies between them (nor in a loop around the exit point);
    /// the arguments are plain names that bind the same there and are never reassigned; the returned value is a
    /// constant or a plain local/parameter (so the exit cannot run before something the return still reads).</para>
    /// </summary>
    internal sealed class ExitRegionFix : FixKind
    {
        public const string Key = "ACA0002.ExitBeforeReturn";

        public override string EquivalenceKey => Key;

        public override string FixAllTitle => "Exit the open regions before leaving";

        /// <summary>
        /// How an opener's name pairs with its exit's: the name is split into words (at '_' and at lower→upper case
        /// changes) and each word is replaced through this table (either direction, case-insensitively, keeping the
        /// word's capitalisation); the result must equal the exit's name. spin_lock → spin_unlock,
        /// spin_lock_irqsave → spin_unlock_irqrestore, preempt_disable → preempt_enable, get_cpu → put_cpu,
        /// rcu_read_lock → rcu_read_unlock, EnterRegion → ExitRegion.
        /// </summary>
        public static readonly IReadOnlyList<(string Open, string Close)> Pairs = new[]
        {
            ("lock", "unlock"), ("disable", "enable"), ("get", "put"), ("enter", "exit"), ("begin", "end"),
            ("acquire", "release"), ("start", "stop"), ("irqsave", "irqrestore"), ("down", "up"), ("open", "close"),
        };

        public override async Task<FixPlan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            if (diagnostic.Id != Descriptors.UnbalancedRegionId) return null;
            if (!diagnostic.Properties.TryGetValue(AtomicContextAnalyzer.Keys.ExitCall, out var openerId) || string.IsNullOrEmpty(openerId)) return null;
            // Only a region left open exactly one level deep, in a method that should leave with 0.
            var match = Regex.Match(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), @"leaves with region depth (.+?) on this path, where it should leave with (\S+)");
            if (!match.Success || match.Groups[1].Value != "+1" || match.Groups[2].Value != "0") return null;

            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root is null || model is null) return null;
            if (!(Facts.Resolve(openerId, model.Compilation) is IMethodSymbol opener)) return null;
            var enters = Facts.Find(opener, Facts.EntersNoMigrate);
            if (enters is null || Facts.TryGetNamed(enters, "WhenReturns", out _)) return null;
            var exit = FindExit(opener);
            if (exit is null) return null;

            // The exit point: a return statement, or the closing brace of the body.
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            ReturnStatementSyntax? returnStatement = token.Parent?.AncestorsAndSelf().OfType<ReturnStatementSyntax>().FirstOrDefault();
            BlockSyntax? endBlock = null;
            SyntaxNode point;
            if (returnStatement != null && returnStatement.SpanStart == diagnostic.Location.SourceSpan.Start)
            {
                point = returnStatement;
                if (returnStatement.Expression != null && !IsInert(returnStatement.Expression, model, ct)) return null;
            }
            else if (token.IsKind(SyntaxKind.CloseBraceToken) && token.Parent is BlockSyntax block && IsBody(block))
            {
                endBlock = block;
                point = block;
            }
            else
            {
                return null;
            }
            var body = point.AncestorsAndSelf().FirstOrDefault(IsBodyOwner);
            if (body is null) return null;
            if (body.DescendantNodes().Any(n => n is GotoStatementSyntax || n is LabeledStatementSyntax)) return null;

            // The opener's calls in this body (not in nested functions).
            var calls = OwnCalls(body).Where(c => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(c, ct).Symbol?.OriginalDefinition, opener)).ToList();
            if (calls.Count != 1) return null;
            var openerCall = calls[0];
            if (!(openerCall.Parent is ExpressionStatementSyntax openerStatement)) return null;
            int limit = endBlock != null ? endBlock.CloseBraceToken.SpanStart : point.SpanStart;
            if (openerStatement.SpanStart >= limit) return null;
            // The opener's statement must sit in a block that encloses the exit point.
            if (!(openerStatement.Parent is BlockSyntax openerBlock) || !(endBlock == openerBlock || openerBlock.Span.Contains(point.Span))) return null;

            // No exit of any region between the opener and the exit point, nor in a loop around the exit point.
            foreach (var call in OwnCalls(body))
            {
                if (!(model.GetSymbolInfo(call, ct).Symbol is IMethodSymbol m) || !Facts.Has(m.OriginalDefinition, Facts.ExitsNoMigrate)) continue;
                if (LeavesRightAfter(call)) continue; // an exit on a path that then leaves (return/throw) cannot reach this point
                if (call.SpanStart > openerStatement.Span.End && call.SpanStart < limit) return null;
                if (point.Ancestors().TakeWhile(a => a != body).Any(a => IsLoop(a) && a.Span.Contains(call.Span) && a.Span.End > openerStatement.SpanStart)) return null;
            }

            // The arguments: plain names, never reassigned, binding the same at the exit point.
            var arguments = openerCall.ArgumentList.Arguments;
            foreach (var argument in arguments)
            {
                if (!argument.RefKindKeyword.IsKind(SyntaxKind.None) || !IsPlain(argument.Expression)) return null;
                foreach (var id in argument.Expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
                {
                    var symbol = model.GetSymbolInfo(id, ct).Symbol;
                    if (symbol is null) return null;
                    if ((symbol is ILocalSymbol || symbol is IParameterSymbol) && IsReassigned(body, symbol, model, ct)) return null;
                    var speculative = model.GetSpeculativeSymbolInfo(limit, SyntaxFactory.IdentifierName(id.Identifier.ValueText), SpeculativeBindingOption.BindAsExpression).Symbol;
                    if (!SymbolEqualityComparer.Default.Equals(speculative, symbol)) return null;
                }
            }

            string exitName = exit.Name;
            var callee = openerCall.Expression is MemberAccessExpressionSyntax member
                ? member.WithName(SyntaxFactory.IdentifierName(exitName))
                : (ExpressionSyntax)SyntaxFactory.IdentifierName(exitName);
            var exitCall = SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(callee.WithoutTrivia(),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => a.WithoutTrivia())))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            // The exit must bind to the method found.
            var bound = model.GetSpeculativeSymbolInfo(limit, exitCall.Expression, SpeculativeBindingOption.BindAsExpression).Symbol;
            if (!SymbolEqualityComparer.Default.Equals(bound?.OriginalDefinition, exit)) return null;

            Edit edit;
            if (endBlock != null)
            {
                var last = endBlock.Statements.LastOrDefault();
                if (last is null) return null;
                edit = new Edit(document, endBlock, "exit-end", editor => editor.InsertAfter(last, exitCall));
            }
            else if (returnStatement!.Parent is BlockSyntax || returnStatement.Parent is SwitchSectionSyntax)
            {
                edit = new Edit(document, returnStatement, "exit-return", editor => editor.InsertBefore(returnStatement, exitCall));
            }
            else
            {
                var ret = returnStatement;
                edit = new Edit(document, returnStatement, "exit-return", editor =>
                    editor.ReplaceNode(ret, SyntaxFactory.Block(exitCall, ret.WithoutLeadingTrivia()).WithTriviaFrom(ret).WithAdditionalAnnotations(Formatter.Annotation)));
            }
            return new FixPlan($"Call '{exitName}({string.Join(", ", arguments.Select(a => a.ToString()))})' before leaving", new[] { edit });
        }

        /// <summary>The [ExitsNoMigrate] partner of an opener (see <see cref="Pairs"/>), or null when there is none or more than one.</summary>
        public static IMethodSymbol? FindExit(IMethodSymbol opener)
        {
            var expected = PairedName(opener.Name);
            IMethodSymbol? found = null;
            foreach (var member in opener.ContainingType.GetMembers())
            {
                if (!(member is IMethodSymbol m) || !Facts.Has(m, Facts.ExitsNoMigrate) || m.IsStatic != opener.IsStatic) continue;
                if (!string.Equals(m.Name, expected, StringComparison.Ordinal)) continue;
                if (m.Parameters.Length != opener.Parameters.Length) continue;
                bool same = true;
                for (int i = 0; i < m.Parameters.Length; i++)
                    same &= m.Parameters[i].RefKind == opener.Parameters[i].RefKind && SymbolEqualityComparer.Default.Equals(m.Parameters[i].Type, opener.Parameters[i].Type);
                if (!same) continue;
                if (found != null) return null;
                found = m;
            }
            return found;
        }

        public static string PairedName(string name)
        {
            var sb = new StringBuilder();
            foreach (Match word in Regex.Matches(name, @"_+|[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])"))
            {
                var text = word.Value;
                var mapped = text;
                foreach (var (open, close) in Pairs)
                {
                    if (string.Equals(text, open, StringComparison.OrdinalIgnoreCase)) { mapped = close; break; }
                    if (string.Equals(text, close, StringComparison.OrdinalIgnoreCase)) { mapped = open; break; }
                }
                if (!ReferenceEquals(mapped, text))
                {
                    if (text.All(char.IsUpper)) mapped = mapped.ToUpperInvariant();
                    else if (char.IsUpper(text[0])) mapped = char.ToUpperInvariant(mapped[0]) + mapped.Substring(1);
                }
                sb.Append(mapped);
            }
            return sb.ToString();
        }

        /// <summary>The exit is a statement of a block that ends in a return or throw, with no loop jumps in between.</summary>
        private static bool LeavesRightAfter(InvocationExpressionSyntax call)
        {
            if (!(call.Parent is ExpressionStatementSyntax statement) || !(statement.Parent is BlockSyntax block)) return false;
            var last = block.Statements.Last();
            if (!(last is ReturnStatementSyntax || last is ThrowStatementSyntax)) return false;
            int from = block.Statements.IndexOf(statement);
            for (int i = from + 1; i < block.Statements.Count - 1; i++)
            {
                if (block.Statements[i].DescendantNodesAndSelf().Any(n => n is BreakStatementSyntax || n is ContinueStatementSyntax || n is GotoStatementSyntax || n is ReturnStatementSyntax || n is YieldStatementSyntax))
                    return false;
            }
            return true;
        }

        private static bool IsBody(BlockSyntax block) => IsBodyOwner(block.Parent!);

        private static bool IsBodyOwner(SyntaxNode node) =>
            node is BaseMethodDeclarationSyntax || node is LocalFunctionStatementSyntax || node is AccessorDeclarationSyntax || node is AnonymousFunctionExpressionSyntax;

        private static bool IsLoop(SyntaxNode node) =>
            node is WhileStatementSyntax || node is DoStatementSyntax || node is ForStatementSyntax || node is CommonForEachStatementSyntax;

        private static IEnumerable<InvocationExpressionSyntax> OwnCalls(SyntaxNode body) =>
            body.DescendantNodes(n => n == body || !IsBodyOwner(n)).OfType<InvocationExpressionSyntax>();

        private static bool IsPlain(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax _ => true,
            LiteralExpressionSyntax _ => true,
            ThisExpressionSyntax _ => true,
            MemberAccessExpressionSyntax m => m.IsKind(SyntaxKind.SimpleMemberAccessExpression) && IsPlain(m.Expression),
            _ => false,
        };

        private static bool IsInert(ExpressionSyntax expression, SemanticModel model, CancellationToken ct)
        {
            if (model.GetConstantValue(expression, ct).HasValue) return true;
            if (expression is LiteralExpressionSyntax) return true;
            var symbol = model.GetSymbolInfo(expression, ct).Symbol;
            return expression is IdentifierNameSyntax && (symbol is ILocalSymbol || symbol is IParameterSymbol { RefKind: RefKind.None });
        }

        private static bool IsReassigned(SyntaxNode body, ISymbol symbol, SemanticModel model, CancellationToken ct)
        {
            foreach (var node in body.DescendantNodes())
            {
                ExpressionSyntax? target = node switch
                {
                    AssignmentExpressionSyntax a => a.Left,
                    PrefixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression) => p.Operand,
                    PostfixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.PostIncrementExpression) || p.IsKind(SyntaxKind.PostDecrementExpression) => p.Operand,
                    ArgumentSyntax arg when !arg.RefKindKeyword.IsKind(SyntaxKind.None) => arg.Expression,
                    _ => null,
                };
                if (target != null && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, ct).Symbol, symbol)) return true;
            }
            return false;
        }
    }
}
