using System;
using System.Collections.Generic;
using System.Threading;

namespace AtomicContext.Analyzers.Summaries
{
    /// <summary>
    /// A string-keyed map that many threads write at once and that is read rarely, later: what a compilation keeps
    /// for the next one (<see cref="SharedFacts"/>). A write is one push on a lock-free list — no hashing, no lock,
    /// where a concurrent dictionary took both for every body of every build; the first read after writes folds
    /// them into a dictionary, in the order they were written (a later write of a key wins, as an indexer set does).
    /// Writes that nobody reads are folded too once they outnumber the keys folded before (and at least
    /// <see cref="MinFold"/>): a process that builds the same declarations again and again writes the same keys
    /// every time, and the list must not grow with the number of builds.
    /// </summary>
    internal sealed class PushMap<TValue>
        where TValue : class
    {
        private sealed class Node
        {
            public Node(string key, TValue value)
            {
                Key = key;
                Value = value;
            }

            public readonly string Key;
            public readonly TValue Value;
            public Node? Next;

            /// <summary>How many nodes the list holds from this one on.</summary>
            public int Count;
        }

        internal const int MinFold = 4096;

        private Node? _pending; // newest first
        private Dictionary<string, TValue>? _folded;
        private int _foldAt = MinFold;
        private readonly object _gate = new object();

        /// <summary>Writes not folded yet.</summary>
        internal int Pending => Volatile.Read(ref _pending)?.Count ?? 0;

        public void Set(string key, TValue value)
        {
            var node = new Node(key, value);
            while (true)
            {
                var head = Volatile.Read(ref _pending);
                node.Next = head;
                node.Count = (head?.Count ?? 0) + 1;
                if (ReferenceEquals(Interlocked.CompareExchange(ref _pending, node, head), head)) break;
            }
            // The writer that takes the list past the mark folds it, unless a fold is going on already.
            if (node.Count < Volatile.Read(ref _foldAt) || !Monitor.TryEnter(_gate)) return;
            try
            {
                FoldPending();
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        public bool TryGetValue(string key, out TValue value)
        {
            lock (_gate)
            {
                FoldPending();
                if (_folded != null && _folded.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }
            }
            value = null!;
            return false;
        }

        /// <summary>Under <see cref="_gate"/>.</summary>
        private void FoldPending()
        {
            var pending = Interlocked.Exchange(ref _pending, null);
            if (pending is null) return;
            Fold(pending);
            Volatile.Write(ref _foldAt, Math.Max(MinFold, _folded!.Count));
        }

        private void Fold(Node newestFirst)
        {
            Node? oldestFirst = null;
            for (var node = newestFirst; node != null;)
            {
                var next = node.Next;
                node.Next = oldestFirst;
                oldestFirst = node;
                node = next;
            }
            // Sized for what is pending: most maps are folded once, at their first read.
            _folded ??= new Dictionary<string, TValue>(newestFirst.Count, StringComparer.Ordinal);
            for (var node = oldestFirst; node != null; node = node.Next) _folded[node.Key] = node.Value;
        }
    }
}
