using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AtomicContext.Analyzers.Facts
{
    /// <summary>A line of an additional file that names nothing, or cannot be read.</summary>
    public sealed class FactsFileProblem
    {
        public FactsFileProblem(Location location, string message)
        {
            Location = location;
            Message = message;
        }

        public Location Location { get; }
        public string Message { get; }
    }

    /// <summary>
    /// The facts given by additional files, for members that carry no attributes (referenced assemblies):
    /// <c>AtomicContext.Sleepers.txt</c> (one documentation-comment ID a line: a sleeper) and
    /// <c>AtomicContext.Facts.txt</c> (<c>Fact ID</c> a line).
    /// </summary>
    public sealed class FactsFiles
    {
        public const string SleepersFileName = "AtomicContext.Sleepers.txt";
        public const string FactsFileName = "AtomicContext.Facts.txt";

        private static readonly Dictionary<string, Fact> FactNames = new Dictionary<string, Fact>(StringComparer.OrdinalIgnoreCase)
        {
            ["MightSleep"] = Fact.MightSleep,
            ["EntersNoMigrate"] = Fact.Enters,
            ["EntersNoMigrateWhenReturnsTrue"] = Fact.EntersWhenTrue,
            ["EntersNoMigrateWhenReturnsFalse"] = Fact.EntersWhenFalse,
            ["ExitsNoMigrate"] = Fact.Exits,
            ["NoMigrate"] = Fact.NoMigrate,
            ["PerCpu"] = Fact.PerCpu,
            ["AssumeNoSleep"] = Fact.AssumeNoSleep,
        };

        public static readonly FactsFiles Empty = new FactsFiles(
            ImmutableDictionary.Create<ISymbol, Fact>(SymbolEqualityComparer.Default), ImmutableArray<FactsFileProblem>.Empty);

        private FactsFiles(ImmutableDictionary<ISymbol, Fact> facts, ImmutableArray<FactsFileProblem> problems, ulong print = 0)
        {
            Facts = facts;
            Problems = problems;
            Print = print;
        }

        /// <summary>A hash of the files' text: facts computed under other files must not be reused.</summary>
        public ulong Print { get; }

        public ImmutableDictionary<ISymbol, Fact> Facts { get; }
        public ImmutableArray<FactsFileProblem> Problems { get; }

        public static FactsFiles Read(ImmutableArray<AdditionalText> files, Compilation compilation, CancellationToken ct)
        {
            ImmutableDictionary<ISymbol, Fact>.Builder? facts = null;
            ImmutableArray<FactsFileProblem>.Builder? problems = null;
            ulong print = 0;
            foreach (var file in files)
            {
                string name = Path.GetFileName(file.Path);
                bool sleepers = string.Equals(name, SleepersFileName, StringComparison.OrdinalIgnoreCase);
                bool factsFile = string.Equals(name, FactsFileName, StringComparison.OrdinalIgnoreCase);
                if (!sleepers && !factsFile) continue;
                facts ??= ImmutableDictionary.CreateBuilder<ISymbol, Fact>(SymbolEqualityComparer.Default);
                problems ??= ImmutableArray.CreateBuilder<FactsFileProblem>();
                SourceText? text = file.GetText(ct);
                print = Summaries.SharedFacts.Fnv.Mix(print, Summaries.SharedFacts.Fnv.Text(file.Path));
                if (text != null) print = Summaries.SharedFacts.Fnv.Mix(print, Summaries.SharedFacts.Fnv.Text(text.ToString()));
                if (text is null)
                {
                    problems.Add(new FactsFileProblem(Location.None, $"{name} could not be read"));
                    continue;
                }
                foreach (var line in text.Lines)
                {
                    string raw = line.ToString();
                    int hash = raw.IndexOf('#');
                    string content = (hash >= 0 ? raw.Substring(0, hash) : raw).Trim();
                    if (content.Length == 0) continue;
                    Fact fact = Fact.MightSleep;
                    string id = content;
                    if (factsFile)
                    {
                        int space = content.IndexOfAny(new[] { ' ', '\t' });
                        string word = space < 0 ? content : content.Substring(0, space);
                        if (space < 0 || !FactNames.TryGetValue(word, out fact))
                        {
                            problems.Add(Problem(file, text, line, $"{name}: '{content}' is not '<Fact> <documentation-comment ID>' with Fact one of {string.Join(", ", FactNames.Keys)}"));
                            continue;
                        }
                        id = content.Substring(space + 1).Trim();
                    }
                    ImmutableArray<ISymbol> symbols;
                    try
                    {
                        symbols = DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation);
                    }
                    catch (ArgumentException)
                    {
                        symbols = ImmutableArray<ISymbol>.Empty;
                    }
                    if (symbols.IsDefaultOrEmpty)
                    {
                        problems.Add(Problem(file, text, line, $"{name}: '{id}' names no member of this compilation or its references"));
                        continue;
                    }
                    foreach (var s in symbols)
                    {
                        facts[s] = facts.TryGetValue(s, out var old) ? old | fact : fact;
                    }
                }
            }
            if (facts is null) return Empty;
            return new FactsFiles(facts.ToImmutable(), problems!.ToImmutable(), print);
        }

        private static FactsFileProblem Problem(AdditionalText file, SourceText text, TextLine line, string message) =>
            new FactsFileProblem(Location.Create(file.Path, line.Span, text.Lines.GetLinePositionSpan(line.Span)), message);
    }
}
