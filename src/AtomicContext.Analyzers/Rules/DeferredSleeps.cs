using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Rules
{
    /// <summary>
    /// Per compilation: the ACA0001 checks of region-holding bodies, held back until their tree is complete.
    /// <para>
    /// A caller's check needs the facts of every body its regions reach. A callee whose method's action has not run
    /// yet is bound on demand (once: its own action then finds its facts). The driver completes a tree (the event
    /// that runs semantic model actions) after the symbol actions of the methods it was asked for: in a whole
    /// compilation every method's, in a document's analysis that document's. So a check held until its tree's
    /// semantic model action finds, in a build, every callee already walked in its own method's action, and binds
    /// nothing (the benchmark's corpora: no body bound on demand at 1x or 8x); in a document's analysis it binds
    /// what it needs. A body analysed after its tree's action (a later span or document request) is checked at once.
    /// </para>
    /// </summary>
    internal sealed class DeferredSleeps
    {
        private readonly ConcurrentDictionary<SyntaxTree, TreeState> _trees = new ConcurrentDictionary<SyntaxTree, TreeState>();

        private sealed class TreeState
        {
            public bool Completed;

            // Keyed by declaration: a body analysed again (another request on the same compilation) replaces its entry.
            public readonly Dictionary<SyntaxNode, Action<Action<Diagnostic>, System.Threading.CancellationToken>> Pending = new Dictionary<SyntaxNode, Action<Action<Diagnostic>, System.Threading.CancellationToken>>();
        }

        /// <summary>Holds the check until the tree's semantic model action; false when that action has run already (check now).</summary>
        public bool TryDefer(SyntaxNode declaration, Action<Action<Diagnostic>, System.Threading.CancellationToken> check)
        {
            var state = _trees.GetOrAdd(declaration.SyntaxTree, _ => new TreeState());
            lock (state)
            {
                if (state.Completed) return false;
                state.Pending[declaration] = check;
                return true;
            }
        }

        /// <summary>
        /// Runs every check held for the tree, reporting through <paramref name="report"/>, and from then on lets its
        /// bodies check at once. A check that arrives while others run is run in the same call; a cancelled call
        /// leaves the checks it did not finish pending.
        /// </summary>
        public void Complete(SyntaxTree tree, Action<Diagnostic> report, System.Threading.CancellationToken ct)
        {
            var state = _trees.GetOrAdd(tree, _ => new TreeState());
            while (true)
            {
                List<KeyValuePair<SyntaxNode, Action<Action<Diagnostic>, System.Threading.CancellationToken>>> batch;
                lock (state)
                {
                    if (state.Pending.Count == 0)
                    {
                        state.Completed = true;
                        return;
                    }
                    batch = new List<KeyValuePair<SyntaxNode, Action<Action<Diagnostic>, System.Threading.CancellationToken>>>(state.Pending);
                }
                // Source order, so that diagnostics come out in the same order on every run.
                batch.Sort((a, b) => a.Key.SpanStart.CompareTo(b.Key.SpanStart));
                foreach (var pair in batch)
                {
                    ct.ThrowIfCancellationRequested();
                    pair.Value(report, ct);
                    lock (state)
                    {
                        if (state.Pending.TryGetValue(pair.Key, out var current) && ReferenceEquals(current, pair.Value)) state.Pending.Remove(pair.Key);
                    }
                }
            }
        }
    }
}
