using System.Collections.Generic;
using System.Linq;
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
    /// ACA0001 on a call that is a statement of the region's own block and uses nothing the region protects:
    /// move it before the region's opener. Conservative: the statement is a plain call statement (no
    /// assignment, no ref/out, no await), every variable, field or property it names is named nowhere in the
    /// region (from the opener to the end of the block), it names no [PerCpu] or [NoMigrate] member, and every
    /// local it reads is declared before the opener (so the move keeps compiling).
    /// </summary>
    internal sealed class MoveOutOfRegionFix : FixKind
    {
        public const string Key = "ACA0001.MoveOutOfRegion";

        public override string EquivalenceKey => Key;

        public override string FixAllTitle => "Move the sleeping calls out of their regions";

        public override async Task<FixPlan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            if (diagnostic.Id != Descriptors.SleepInRegionId) return null;
            if (!TryGetOpenerStart(diagnostic, out int openerStart)) return null;
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root is null || model is null || openerStart < 0 || openerStart >= root.FullSpan.End) return null;

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var statement = node.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault();
            if (!(statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }) || call.Span != diagnostic.Location.SourceSpan) return null;
            if (!(statement.Parent is BlockSyntax block)) return null;
            if (call.ArgumentList.Arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None))) return null;
            if (call.DescendantNodes().Any(n => n is AwaitExpressionSyntax || n is AssignmentExpressionSyntax || n is DeclarationExpressionSyntax)) return null;

            // The opener must be a statement of the same block, before the call.
            var openerStatement = block.Statements.FirstOrDefault(s => s.Span.Contains(openerStart));
            if (openerStatement is null || openerStatement.SpanStart >= statement.SpanStart) return null;
            int openerIndex = block.Statements.IndexOf(openerStatement);
            int index = block.Statements.IndexOf(statement);

            var moved = Named(model, statement, ct);
            if (moved is null) return null;
            foreach (var symbol in moved)
            {
                if (Facts.Has(symbol, Facts.PerCpu) || Facts.Has(symbol, Facts.NoMigrate)) return null;
                if (symbol is ILocalSymbol local)
                {
                    var declared = local.DeclaringSyntaxReferences.FirstOrDefault();
                    if (declared is null || declared.Span.Start >= openerStatement.SpanStart) return null;
                }
            }
            for (int i = openerIndex; i < block.Statements.Count; i++)
            {
                if (i == index) continue;
                var region = Named(model, block.Statements[i], ct);
                if (region is null || region.Overlaps(moved)) return null;
            }
            if (moved.Any(s => !(s is ILocalSymbol || s is IParameterSymbol || s is IFieldSymbol || s is IPropertySymbol))) return null;

            var openerCall = root.FindToken(openerStart).Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.SpanStart == openerStart);
            string openerName = openerCall is null ? "the opener" : "'" + openerCall.Expression.ToString() + "'";
            string name = call.Expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : call.Expression.ToString();
            var edit = new Edit(document, statement, "move", editor =>
            {
                editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
                editor.InsertBefore(openerStatement, statement.WithAdditionalAnnotations(Formatter.Annotation));
            });
            return new FixPlan($"Move '{name}' out of the region (before {openerName})", new[] { edit });
        }

        /// <summary>The variables, fields and properties a statement names (methods and types are not data); null when something does not bind.</summary>
        private static HashSet<ISymbol>? Named(SemanticModel model, SyntaxNode node, CancellationToken ct)
        {
            var set = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var n in node.DescendantNodesAndSelf())
            {
                ISymbol? symbol = null;
                switch (n)
                {
                    case IdentifierNameSyntax id:
                        symbol = model.GetSymbolInfo(id, ct).Symbol;
                        if (symbol is null && model.GetSymbolInfo(id, ct).CandidateSymbols.Length > 0) return null;
                        break;
                    case VariableDeclaratorSyntax declarator:
                        symbol = model.GetDeclaredSymbol(declarator, ct);
                        break;
                    case SingleVariableDesignationSyntax designation:
                        symbol = model.GetDeclaredSymbol(designation, ct);
                        break;
                    case ThisExpressionSyntax _:
                    case BaseExpressionSyntax _:
                        return null; // the instance as a whole: too broad to reason about
                }
                if (symbol is null) continue;
                if (symbol is IMethodSymbol method)
                {
                    if (Facts.Has(method, Facts.PerCpu) || Facts.Has(method, Facts.NoMigrate)) set.Add(method);
                    continue;
                }
                if (symbol is ITypeSymbol || symbol is INamespaceSymbol) continue;
                set.Add(symbol);
            }
            return set;
        }
    }
}
