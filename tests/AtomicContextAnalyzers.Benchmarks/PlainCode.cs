using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// <c>--plain</c>: a project with no region anywhere (ordinary C#: lists, loops, calls across files), floor
    /// and ours alternated. What the analyzers cost where they have nothing to find — most of a large solution.
    /// </summary>
    public static class PlainCode
    {
        /// <summary>Deterministic plain code: <paramref name="files"/> files of <paramref name="methodsPerFile"/> methods.</summary>
        /// <param name="withRegion">Adds one file that declares a region pair and one method holding it around a call into the
        /// plain code (which never sleeps): the same project, but one where a region exists, so every body may be a callee of one.</param>
        public static Corpus Generate(int files, int methodsPerFile, bool withRegion = false)
        {
            var list = new List<GeneratedFile>();
            var rng = new SplitMix64(0x504C41494EUL);

            for (int f = 0; f < files; f++)
            {
                var sb = new StringBuilder();
                sb.Append("using System;\nusing System.Collections.Generic;\n\nnamespace Plain\n{\n");
                sb.Append(CultureInfo.InvariantCulture, $"    public static class File{f:D3}\n    {{\n");
                for (int m = 0; m < methodsPerFile; m++)
                {
                    int near = (m + 7) % methodsPerFile;
                    int other = rng.Next(files);
                    sb.Append(CultureInfo.InvariantCulture, $"        public static int m{m}(int x)\n        {{\n");
                    sb.Append(CultureInfo.InvariantCulture, $"            var list = new List<int>();\n");
                    sb.Append(CultureInfo.InvariantCulture, $"            for (int k = 0; k < x % 5; k++) list.Add(k * {m});\n");
                    sb.Append(CultureInfo.InvariantCulture, $"            int y = x;\n");
                    sb.Append(CultureInfo.InvariantCulture, $"            if (y > 3) y = m{near}(y - 1) + File{other:D3}.m{m * 3 % methodsPerFile}(y - 2);\n");
                    sb.Append("            foreach (var v in list) y += v;\n");
                    sb.Append("            Console.WriteLine(y);\n            return y;\n        }\n");
                }
                sb.Append("    }\n}\n");
                string text = sb.ToString();
                list.Add(new GeneratedFile($"Plain/File{f:D3}.cs", text, text.Count(c => c == '\n')));
            }
            if (withRegion)
            {
                const string region = """
                    namespace AtomicContext
                    {
                        [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class EntersNoMigrateAttribute : System.Attribute { }
                        [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class ExitsNoMigrateAttribute : System.Attribute { }
                    }

                    namespace Plain
                    {
                        public static class Region
                        {
                            [AtomicContext.EntersNoMigrate] public static void region_enter() { }
                            [AtomicContext.ExitsNoMigrate] public static void region_exit() { }

                            public static int user(int x)
                            {
                                region_enter();
                                int y = File000.m0(x);
                                region_exit();
                                return y;
                            }
                        }
                    }

                    """;
                list.Add(new GeneratedFile("Plain/Region.cs", region, region.Count(c => c == '\n')));
            }
            return new Corpus(0, list, Array.Empty<ExpectedSite>(), files * methodsPerFile, 0, 0);
        }

        /// <summary>Floor and ours alternated over <paramref name="rounds"/> rounds after one warm-up each; prints medians and the paired ratio.</summary>
        public static int Run(int rounds, TextWriter output, bool withRegion = false)
        {
            var corpus = new ParsedCorpus(Generate(100, 100, withRegion));
            var floor = ImmutableArray.Create<DiagnosticAnalyzer>(new FloorAnalyzer());
            var ours = AnalyzerSets.LoadOurs();
            output.WriteLine(withRegion
                ? $"plain code: {corpus.Corpus.Files.Count} files, {corpus.Corpus.TotalLines:N0} lines, 10,000 methods, and one file with a region around a call into them (nothing sleeps)"
                : $"plain code: {corpus.Corpus.Files.Count} files, {corpus.Corpus.TotalLines:N0} lines, 10,000 methods, no region anywhere");
            Workload.Run(corpus, Config.Floor, floor);
            var warm = Workload.Run(corpus, Config.Ours, ours);
            if (warm.Diagnostics.Length != 0 || warm.AnalyzerExceptions.Count != 0)
            {
                output.WriteLine($"PROBLEM: ours reported {warm.Diagnostics.Length} diagnostics and {warm.AnalyzerExceptions.Count} exceptions on plain code");
                return 3;
            }

            var floorMs = new List<double>();
            var oursMs = new List<double>();
            var ratios = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                bool floorFirst = r % 2 == 0;
                double a = Workload.Run(corpus, floorFirst ? Config.Floor : Config.Ours, floorFirst ? floor : ours).Milliseconds;
                double b = Workload.Run(corpus, floorFirst ? Config.Ours : Config.Floor, floorFirst ? ours : floor).Milliseconds;
                double f = floorFirst ? a : b;
                double o = floorFirst ? b : a;
                floorMs.Add(f);
                oursMs.Add(o);
                ratios.Add(o / f);
            }

            output.WriteLine();
            output.WriteLine("| configuration | median ms | min–max ms |");
            output.WriteLine("|---|---|---|");
            output.WriteLine($"| floor | {Harness.Percentile(floorMs, 0.5):F0} | {floorMs.Min():F0}–{floorMs.Max():F0} |");
            output.WriteLine($"| ours | {Harness.Percentile(oursMs, 0.5):F0} | {oursMs.Min():F0}–{oursMs.Max():F0} |");
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(withRegion ? "plain-with-region-ratio" : "plain-ratio")}: {Harness.Percentile(ratios, 0.5):F2} (ours ÷ floor, median of {rounds} paired rounds)"));
            return 0;
        }
    }
}
