using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Threading;
using AtomicContext.Analyzers.Facts;
using AtomicContext.Analyzers.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// <c>--walk-cost [SCALE] [ROUNDS]</c>: what our flow walk costs per operation next to a bare enumeration of the
    /// same operations (what the floor's driver does before it calls the floor's action), on one thread, over the
    /// generated bodies of the corpus (<c>Gen/</c>: methods and their lambdas) bound once beforehand. The passes
    /// alternate round by round; all read operation trees made already, so none pays for binding or for making
    /// operations. It isolates the one step that decides most of ours ÷ floor on the generated bodies. A third pass, a
    /// plain recursion over the same trees, is the least any recursive walker of them costs.
    /// </summary>
    public static class WalkCost
    {
        /// <summary>
        /// The least a recursive walk of an operation tree does: the kind of every operation, the children of all but
        /// the leaves our walk does not enter either (locals, parameters, literals, <c>this</c>), invocations counted.
        /// </summary>
        private static int Recurse(IOperation op)
        {
            switch (op.Kind)
            {
                case OperationKind.LocalReference:
                case OperationKind.ParameterReference:
                case OperationKind.Literal:
                case OperationKind.InstanceReference:
                    return 0;
            }
            int invocations = op.Kind == OperationKind.Invocation ? 1 : 0;
            foreach (var child in op.ChildOperations) invocations += Recurse(child);
            return invocations;
        }

        /// <summary>
        /// The generated methods' bodies (<c>Gen/</c>), bound, then their lambdas' (each a body of its own, walked on its
        /// own as the analyzer walks it); <paramref name="methods"/>: how many of the list are methods.
        /// </summary>
        internal static List<(IOperation Body, IMethodSymbol Owner)> GeneratedBodies(Compilation compilation, out int methods)
        {
            var bodies = new List<(IOperation Body, IMethodSymbol Owner)>();
            foreach (var tree in compilation.SyntaxTrees.Where(t => t.FilePath.StartsWith("Gen/", StringComparison.Ordinal)))
            {
#pragma warning disable RS1030 // A benchmark binds the corpus itself; no analyzer runs here.
                var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
                {
                    if (declaration.Body is null && declaration.ExpressionBody is null) continue;
                    if (model.GetDeclaredSymbol(declaration) is IMethodSymbol method && model.GetOperation(declaration) is { } body)
                        bodies.Add((body, method));
                }
            }
            methods = bodies.Count;
            for (int i = 0; i < methods; i++)
            {
                foreach (var op in bodies[i].Body.Descendants())
                {
                    if (op is IAnonymousFunctionOperation lambda) bodies.Add((lambda.Body, lambda.Symbol));
                }
            }
            return bodies;
        }

        /// <summary>
        /// One compacting collection: operation trees are made among the binder's garbage, and a pass over them as they
        /// lie (no collection yet) cost 3.4x one over them compacted (222 against 66 ns per operation for the bare
        /// enumeration). Without it the walk's own allocations compacted them part-way through the warm-up, under
        /// whichever pass ran next.
        /// </summary>
        internal static void Compact()
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        public static int Run(int scale, int rounds, TextWriter output)
        {
            // At least one measured round of each after the warm-up third.
            rounds = Math.Max(rounds, 3);
            var corpus = new ParsedCorpus(CorpusGenerator.Generate(scale));
            var compilation = corpus.NewCompilation();
            foreach (var tree in compilation.SyntaxTrees)
            {
                // The token index the region filter builds in a real run (the walker asks it about delegate locals).
                _ = BodyTokens.OfTree(tree);
            }

            var bodies = GeneratedBodies(compilation, out int methods);
            // A method's operations hold its lambdas' (the walk visits those in the lambdas' own walks): every
            // operation is counted, and enumerated by the bare pass, once.
            long operations = 0;
            for (int i = 0; i < methods; i++) operations += bodies[i].Body.Descendants().LongCount();

            var store = new SummaryStore(compilation, new FactsResolver(FactsFiles.Empty, SummaryStore.EstimatedMembers(compilation)));
            Compact();
            var bare = new List<double>();
            var recursion = new List<double>();
            var walk = new List<double>();
            long sink = 0;
            for (int r = 0; r < rounds; r++)
            {
                // The three passes in turn, the order rotated every round: drift lands on all of them.
                for (int k = 0; k < 3; k++)
                {
                    int pass = (r + k) % 3;
                    var watch = Stopwatch.StartNew();
                    switch (pass)
                    {
                        case 0:
                            for (int i = 0; i < methods; i++)
                            {
                                foreach (var op in bodies[i].Body.Descendants())
                                {
                                    if (op.Kind == OperationKind.Invocation) sink++;
                                }
                            }
                            break;
                        case 1:
                            for (int i = 0; i < methods; i++) sink += Recurse(bodies[i].Body);
                            break;
                        default:
                            foreach (var (body, owner) in bodies) sink += store.Analyze(body, owner, CancellationToken.None).Calls.Length;
                            break;
                    }
                    (pass == 0 ? bare : pass == 1 ? recursion : walk).Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            // The first third of the rounds is the JIT's warm-up.
            double bareMs = Harness.Percentile(bare.Skip(rounds / 3).ToList(), 0.5);
            double recursionMs = Harness.Percentile(recursion.Skip(rounds / 3).ToList(), 0.5);
            double walkMs = Harness.Percentile(walk.Skip(rounds / 3).ToList(), 0.5);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# Walk cost ({scale}x corpus, Gen/ only: {methods:N0} methods + {bodies.Count - methods:N0} lambdas, {operations:N0} operations; one thread, {rounds} rounds, medians of the last {rounds - rounds / 3})"));
            output.WriteLine();
            output.WriteLine("| pass over the bound bodies | ms | ns per operation |");
            output.WriteLine("|---|---|---|");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bare enumeration (`Descendants`, kind test) | {bareMs:F1} | {bareMs * 1e6 / operations:F0} |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| plain recursion (`ChildOperations`, leaves not entered, kind test) | {recursionMs:F1} | {recursionMs * 1e6 / operations:F0} |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| our walk (`SummaryStore.Analyze`: flow states, call sites, keys) | {walkMs:F1} | {walkMs * 1e6 / operations:F0} |"));
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(checksum {sink})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"walk-ratio: {walkMs / bareMs:F2}"));
            return 0;
        }
    }
}
