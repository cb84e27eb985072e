using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AtomicContext.CodeFixes.Infrastructure
{
    /// <summary>
    /// Fix All for plan-based fixes: plans every diagnostic in scope, takes the union of the edits (each edit
    /// once) and applies it in one pass per document, so a fix that spans documents (the stack gather) yields
    /// one consistent solution however many of its diagnostics are in scope.
    /// </summary>
    internal sealed class PlanFixAllProvider : FixAllProvider
    {
        private readonly ImmutableArray<FixKind> _kinds;

        public PlanFixAllProvider(ImmutableArray<FixKind> kinds)
        {
            _kinds = kinds;
        }

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            // A null key (dotnet format, when the first diagnostic it saw offered no action of this provider)
            // means the provider's first fix.
            var key = fixAllContext.CodeActionEquivalenceKey;
            var kind = key is null ? _kinds[0] : _kinds.FirstOrDefault(k => k.EquivalenceKey == key);
            if (kind is null) return Task.FromResult<CodeAction?>(null);
            var action = CodeAction.Create(kind.FixAllTitle, ct => FixAllAsync(fixAllContext, kind, ct), kind.EquivalenceKey);
            return Task.FromResult<CodeAction?>(action);
        }

        private static async Task<Solution> FixAllAsync(FixAllContext context, FixKind kind, CancellationToken ct)
        {
            var solution = context.Solution;
            var diagnostics = new List<Diagnostic>();
            switch (context.Scope)
            {
                case FixAllScope.Document:
                    if (context.Document != null) diagnostics.AddRange(await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false));
                    break;
                case FixAllScope.Project:
                    diagnostics.AddRange(await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false));
                    break;
                default:
                    foreach (var project in solution.Projects)
                        diagnostics.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                    break;
            }

            var edits = new List<Edit>();
            var covered = new HashSet<string>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath).ThenBy(d => d.Location.SourceSpan.Start))
            {
                ct.ThrowIfCancellationRequested();
                if (!context.DiagnosticIds.Contains(diagnostic.Id)) continue;
                var tree = diagnostic.Location.SourceTree;
                if (tree is null) continue;
                var document = solution.GetDocument(tree);
                // A diagnostic computed on another version of the document (a tool applying several fixers in a
                // row) points into text that no longer exists: skip it rather than edit the wrong node.
                if (document is null || await document.GetSyntaxTreeAsync(ct).ConfigureAwait(false) != tree) continue;
                var seed = kind.SeedOf(document, diagnostic);
                if (seed != null && covered.Contains(seed)) continue;
                var plan = await kind.PlanAsync(document, diagnostic, ct).ConfigureAwait(false);
                if (plan is null) continue;
                edits.AddRange(plan.Edits);
                covered.UnionWith(plan.Covers);
            }
            return await FixPlan.ApplyAsync(solution, edits, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A provider made of fix kinds, offered in order (the first is what <c>dotnet format</c> applies).</summary>
    public abstract class PlanCodeFixProvider : CodeFixProvider
    {
        private readonly ImmutableArray<FixKind> _kinds;
        private readonly PlanFixAllProvider _fixAll;

        internal PlanCodeFixProvider(params FixKind[] kinds)
        {
            _kinds = kinds.ToImmutableArray();
            _fixAll = new PlanFixAllProvider(_kinds);
        }

        /// <summary>The equivalence keys of this provider's fixes, in the order they are offered.</summary>
        public ImmutableArray<string> EquivalenceKeys => _kinds.Select(k => k.EquivalenceKey).ToImmutableArray();

        public sealed override FixAllProvider GetFixAllProvider() => _fixAll;

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!FixableDiagnosticIds.Contains(diagnostic.Id)) continue;
                foreach (var kind in _kinds)
                {
                    FixPlan? plan;
                    try
                    {
                        plan = await kind.PlanAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                    }
                    catch (System.OperationCanceledException)
                    {
                        throw;
                    }
                    catch (System.Exception)
                    {
                        // Mid-edit code the planner did not foresee: offer nothing rather than crash the lightbulb.
                        plan = null;
                    }
                    if (plan is null) continue;
                    var solution = context.Document.Project.Solution;
                    var edits = plan.Edits;
                    context.RegisterCodeFix(
                        CodeAction.Create(plan.Title, ct => FixPlan.ApplyAsync(solution, edits, ct), kind.EquivalenceKey),
                        diagnostic);
                }
            }
        }
    }
}
