using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Facts
{
    /// <summary>
    /// Per compilation, from tokens alone: the names of the members a region may reach. A body can only call a method
    /// or property it names (a call, an access, a method group); so, starting from the bodies that can report (they
    /// name a region member), every name those bodies write is reached, then every name the bodies of members so
    /// named write, and so on. A member whose name is never reached cannot be a callee of a region: its body need not
    /// be walked ahead of time. Only methods and properties are told apart by name; a constructor counts as named by
    /// its type, and anything reached without a name (operators, conversions, indexers, finalizers) always counts.
    /// It only decides what is walked early: a summary that meets a body not walked binds it on demand, so a name
    /// missed here costs time, never a result.
    /// </summary>
    internal sealed class CalleeNames
    {
        private readonly HashSet<string> _reached;

        private CalleeNames(HashSet<string> reached) => _reached = reached;

        /// <summary>Whether the member whose body this is may be reached from a region (true when that cannot be told by its name).</summary>
        public bool MayBeReached(SyntaxNode codeBlock)
        {
            var name = BodyTokens.Of(codeBlock).Name;
            return name is null || _reached.Contains(name);
        }

        /// <summary>The closure from the bodies that <paramref name="filter"/> says can report.</summary>
        public static CalleeNames For(Compilation compilation, RegionFilter filter, CancellationToken ct)
        {
            var byName = new Dictionary<string, List<BodyTokens>>(StringComparer.Ordinal);
            var reached = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>();

            void Reach(BodyTokens body)
            {
                foreach (var identifier in body.Identifiers)
                {
                    if (reached.Add(identifier)) pending.Push(identifier);
                }
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var body in BodyTokens.OfTree(tree))
                {
                    // Roots: bodies that can report, and those reached without a name (always walked).
                    if (body.Name is null || filter.MayReport(body) || filter.Names(body.Name))
                    {
                        Reach(body);
                        continue;
                    }
                    if (!byName.TryGetValue(body.Name, out var list)) byName[body.Name] = list = new List<BodyTokens>();
                    list.Add(body);
                }
            }
            while (pending.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                if (!byName.TryGetValue(pending.Pop(), out var bodies)) continue;
                foreach (var body in bodies) Reach(body);
            }
            return new CalleeNames(reached);
        }
    }
}
