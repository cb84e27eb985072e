using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;

namespace AtomicContext.CodeFixes.Infrastructure
{
    /// <summary>One syntax edit of a fix, on a node of the document's current tree.</summary>
    internal sealed class Edit
    {
        public Edit(Document document, SyntaxNode node, string kind, Action<DocumentEditor> apply)
        {
            DocumentId = document.Id;
            Node = node;
            Key = kind + "@" + document.Id.Id.ToString("N") + ":" + node.Span.Start + "+" + node.Span.Length;
            Apply = apply;
        }

        public DocumentId DocumentId { get; }

        public SyntaxNode Node { get; }

        /// <summary>Identifies the edit: two plans that make the same edit (Fix All over one flow) make it once.</summary>
        public string Key { get; }

        public Action<DocumentEditor> Apply { get; }
    }

    /// <summary>What one fix of one diagnostic changes: a title and a set of edits, possibly across documents.</summary>
    internal sealed class FixPlan
    {
        public FixPlan(string title, IEnumerable<Edit> edits, IEnumerable<string>? covers = null)
        {
            Title = title;
            Edits = edits.ToImmutableArray();
            Covers = (covers ?? Enumerable.Empty<string>()).ToImmutableHashSet();
        }

        public string Title { get; }

        public ImmutableArray<Edit> Edits { get; }

        /// <summary>Sites (diagnostic seeds) this plan already settles: Fix All skips diagnostics whose seed is covered.</summary>
        public ImmutableHashSet<string> Covers { get; }

        /// <summary>Applies the union of the plans' edits (deduplicated by key) to the solution, one editor per document.</summary>
        public static async Task<Solution> ApplyAsync(Solution solution, IEnumerable<Edit> edits, CancellationToken ct)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var byDocument = new Dictionary<DocumentId, List<Edit>>();
            foreach (var edit in edits)
            {
                if (!seen.Add(edit.Key)) continue;
                if (!byDocument.TryGetValue(edit.DocumentId, out var list)) byDocument[edit.DocumentId] = list = new List<Edit>();
                list.Add(edit);
            }
            var result = solution;
            foreach (var pair in byDocument)
            {
                var document = solution.GetDocument(pair.Key);
                if (document is null) continue;
                var editor = await DocumentEditor.CreateAsync(document, ct).ConfigureAwait(false);
                // Apply in document order so insertions before the same node keep their source order.
                foreach (var edit in pair.Value.OrderBy(e => e.Node.SpanStart))
                    edit.Apply(editor);
                result = result.WithDocumentSyntaxRoot(pair.Key, editor.GetChangedRoot());
            }
            return result;
        }
    }

    /// <summary>One kind of fix (one equivalence key): plans the fix of a diagnostic, or says it is not offered.</summary>
    internal abstract class FixKind
    {
        public abstract string EquivalenceKey { get; }

        /// <summary>The title Fix All shows.</summary>
        public abstract string FixAllTitle { get; }

        /// <summary>The plan, or null where the fix is not offered (it would not compile, or would change more than the fix).</summary>
        public abstract Task<FixPlan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken ct);

        /// <summary>The seed of a diagnostic for <see cref="FixPlan.Covers"/> (null: none, plan every diagnostic).</summary>
        public virtual string? SeedOf(Document document, Diagnostic diagnostic) => null;

        /// <summary>Where the region's opener starts in the document, as the diagnostic carries it.</summary>
        protected static bool TryGetOpenerStart(Diagnostic diagnostic, out int position)
        {
            position = -1;
            return diagnostic.Properties.TryGetValue(Analyzers.Rules.AtomicContextAnalyzer.Keys.OpenerStart, out var text) && text != null
                && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out position);
        }
    }
}
