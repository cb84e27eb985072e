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
        public bool MayBeReached(BodyTokens codeBlock)
        {
            var name = codeBlock.Name;
            return name is null || _reached.Contains(name);
        }

        /// <summary>The closure from the bodies that <paramref name="filter"/> says can report.</summary>
        public static CalleeNames For(Compilation compilation, RegionFilter filter, CancellationToken ct)
        {
            // Sized for every member body at once (it holds most of them), not grown by doubling.
            int memberBodies = 0;
            foreach (var tree in compilation.SyntaxTrees)
            {
                ct.ThrowIfCancellationRequested();
                memberBodies += BodyTokens.OfTree(tree).Count;
            }
            var byName = new Dictionary<string, List<BodyTokens>>(memberBodies, StringComparer.Ordinal);
            var reached = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>();
            var blocks = new Stack<int>();

            void Reach(BodyTokens body)
            {
                foreach (var identifier in body.Identifiers)
                {
                    if (reached.Add(identifier)) pending.Push(identifier);
                }
            }

            // Every identifier the body writes where, by its text, it may hold a region it took: the depth goes up
            // at a word that names an entering member and down at one that names a leaving member; at a block's
            // closing brace it is never below what it was at the opening one (a release on an early exit, or on
            // one branch, leaves the path around it in the region), but for a finally block, which always runs.
            void ReachInRegions(BodyTokens body)
            {
                var identifiers = body.Identifiers;
                // Most bodies enter no region: told with one lookup per identifier before anything is made.
                int first = 0;
                while (first < identifiers.Length && !filter.Enters(identifiers[first])) first++;
                if (first == identifiers.Length) return;
                var kinds = new byte[identifiers.Length];
                for (int i = 0; i < identifiers.Length; i++)
                    kinds[i] = i == first || i > first && filter.Enters(identifiers[i]) ? (byte)1 : filter.Leaves(identifiers[i]) ? (byte)2 : (byte)0;
                blocks.Clear();
                int depth = 0;
                bool finallyNext = false;
                for (int i = 0, count = body.WordCount; i < count; i++)
                {
                    int w = body.WordAt(i);
                    switch (w)
                    {
                        case BodyTokens.Finally:
                            finallyNext = true;
                            continue;
                        case BodyTokens.OpenBrace:
                            blocks.Push(finallyNext ? -1 - depth : depth);
                            finallyNext = false;
                            continue;
                        case BodyTokens.CloseBrace:
                            if (blocks.Count > 0)
                            {
                                int opened = blocks.Pop();
                                if (opened >= 0 && opened > depth) depth = opened;
                            }
                            continue;
                    }
                    if (kinds[w] == 1) depth++;
                    else if (kinds[w] == 2 && depth > 0) depth--;
                    if (depth > 0 && reached.Add(identifiers[w])) pending.Push(identifiers[w]);
                }
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var body in BodyTokens.OfTree(tree))
                {
                    // Roots: bodies reached without a name (always walked) and region members' own bodies, whole.
                    if (body.Name is null || filter.Names(body.Name))
                    {
                        Reach(body);
                        continue;
                    }
                    // A body that takes a region is a root for what it writes inside it: what it calls outside runs
                    // outside any region it takes. Where text and flow disagree (a region held across a loop's
                    // back edge), a callee missed is bound on demand when a summary needs it: time, not a result.
                    if (filter.RegionAnywhere(body)) Reach(body);
                    else ReachInRegions(body);
                    // Most names have one body: a list of one, grown for the overloads.
                    if (!byName.TryGetValue(body.Name, out var list)) byName[body.Name] = list = new List<BodyTokens>(1);
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
