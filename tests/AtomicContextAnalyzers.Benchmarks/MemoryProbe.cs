using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>
    /// Peak working set belongs to a process, and only grows: each configuration is measured in a child process
    /// of its own (this program with <c>--child-memory CONFIG SCALE</c>) that generates and parses the corpus,
    /// notes its peak so far, runs the configuration once and reports.
    /// </summary>
    public static class MemoryProbe
    {
        private const string Prefix = "MEMORY-RESULT|";

        public sealed class Result
        {
            public Config Config { get; set; }

            public double Milliseconds { get; set; }

            public long AllocatedBytes { get; set; }

            public long PeakBefore { get; set; }

            public long PeakAfter { get; set; }
        }

        public static int Child(string config, int scale)
        {
            Config c = Enum.Parse<Config>(config, ignoreCase: true);
            var corpus = new ParsedCorpus(CorpusGenerator.Generate(scale));
            ImmutableArray<DiagnosticAnalyzer> analyzers = c switch
            {
                Config.Floor => ImmutableArray.Create<DiagnosticAnalyzer>(new FloorAnalyzer()),
                Config.Ours => AnalyzerSets.LoadOurs(),
                Config.Peer => AnalyzerSets.LoadPeer(out _),
                _ => ImmutableArray<DiagnosticAnalyzer>.Empty,
            };
            Workload.Quiesce();
            using Process self = Process.GetCurrentProcess();
            self.Refresh();
            long before = self.PeakWorkingSet64;
            RunResult r = Workload.Run(corpus, c, analyzers);
            self.Refresh();
            long after = self.PeakWorkingSet64;
            Console.WriteLine(string.Join("|", Prefix.TrimEnd('|'), c.ToString(), r.Milliseconds.ToString("F1", CultureInfo.InvariantCulture), r.AllocatedBytes.ToString(CultureInfo.InvariantCulture), before.ToString(CultureInfo.InvariantCulture), after.ToString(CultureInfo.InvariantCulture)));
            return 0;
        }

        public static List<Result> RunChildren(int scale, IEnumerable<Config> configs, TextWriter log)
        {
            var results = new List<Result>();
            string host = Environment.ProcessPath ?? "dotnet";
            string prefix = string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase)
                ? "\"" + typeof(MemoryProbe).Assembly.Location + "\" "
                : string.Empty;
            foreach (Config c in configs)
            {
                var psi = new ProcessStartInfo(host, prefix + "--child-memory " + c + " " + scale.ToString(CultureInfo.InvariantCulture))
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + host);
                string stdout = p.StandardOutput.ReadToEnd();
                string stderr = p.StandardError.ReadToEnd();
                p.WaitForExit();
                Result? parsed = null;
                foreach (string line in stdout.Split('\n'))
                {
                    if (line.StartsWith(Prefix, StringComparison.Ordinal))
                    {
                        string[] parts = line.Trim().Split('|');
                        parsed = new Result
                        {
                            Config = c,
                            Milliseconds = double.Parse(parts[2], CultureInfo.InvariantCulture),
                            AllocatedBytes = long.Parse(parts[3], CultureInfo.InvariantCulture),
                            PeakBefore = long.Parse(parts[4], CultureInfo.InvariantCulture),
                            PeakAfter = long.Parse(parts[5], CultureInfo.InvariantCulture),
                        };
                    }
                }

                if (parsed == null)
                {
                    log.WriteLine($"memory probe {c} failed (exit {p.ExitCode}): {stderr.Trim()}");
                    continue;
                }

                log.WriteLine($"memory {c} {scale}x: peak {parsed.PeakAfter / 1048576.0:F0} MB, allocated {parsed.AllocatedBytes / 1048576.0:F0} MB");
                results.Add(parsed);
            }

            return results;
        }
    }
}
