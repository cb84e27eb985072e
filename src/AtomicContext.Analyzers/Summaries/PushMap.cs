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
        }

        private Node? _pending; // newest first
        private Dictionary<string, TValue>? _folded;
        private readonly object _gate = new object();

        public void Set(string key, TValue value)
        {
            var node = new Node(key, value);
            while (true)
            {
                var head = Volatile.Read(ref _pending);
                node.Next = head;
                if (ReferenceEquals(Interlocked.CompareExchange(ref _pending, node, head), head)) return;
            }
        }

        public bool TryGetValue(string key, out TValue value)
        {
            lock (_gate)
            {
                var pending = Interlocked.Exchange(ref _pending, null);
                if (pending != null) Fold(pending);
                if (_folded != null && _folded.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }
            }
            value = null!;
            return false;
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
            _folded ??= new Dictionary<string, TValue>(StringComparer.Ordinal);
            for (var node = oldestFirst; node != null; node = node.Next) _folded[node.Key] = node.Value;
        }
    }
}
