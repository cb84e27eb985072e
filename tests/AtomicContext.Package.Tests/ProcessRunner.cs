using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace AtomicContext.Package.Tests
{
    /// <summary>What a finished (or killed) child process left behind.</summary>
    public sealed class ProcessResult
    {
        public ProcessResult(string commandLine, int exitCode, bool timedOut, string output, TimeSpan elapsed)
        {
            CommandLine = commandLine;
            ExitCode = exitCode;
            TimedOut = timedOut;
            Output = output;
            Elapsed = elapsed;
        }

        public string CommandLine { get; }

        public int ExitCode { get; }

        public bool TimedOut { get; }

        /// <summary>Standard output and standard error, interleaved as they arrived.</summary>
        public string Output { get; }

        public TimeSpan Elapsed { get; }

        public bool Succeeded => !TimedOut && ExitCode == 0;

        /// <summary>A readable account for an assertion message.</summary>
        public string Describe() =>
            $"`{CommandLine}` {(TimedOut ? "timed out" : "exited with " + ExitCode)} after {Elapsed.TotalSeconds:F1} s. Output:{Environment.NewLine}{Output}";
    }

    /// <summary>Runs a child process with a timeout, capturing its output, and never hangs on it.</summary>
    public static class ProcessRunner
    {
        /// <summary>
        /// Variables a test host inherits from the `dotnet test` that started it; passed on, they would make a
        /// child `dotnet build` use the parent's MSBuild instead of resolving its own.
        /// </summary>
        private static readonly string[] InheritedMsBuildVariables =
        {
            "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
            "MSBUILDNOINPROCNODE", "_MSBUILDTLENABLED",
        };

        /// <summary>
        /// Runs <c>dotnet</c> with the arguments, in <paramref name="workingDirectory"/>. MSBuild node reuse, the
        /// MSBuild server and the shared compiler server are switched off through the environment (the command line
        /// stays what a user types): a server left running would keep the output pipes open after the build ends.
        /// </summary>
        public static ProcessResult RunDotnet(string workingDirectory, TimeSpan timeout, params string[] arguments)
        {
            var environment = new Dictionary<string, string?>
            {
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["MSBUILDTERMINALLOGGER"] = "off",
                ["UseSharedCompilation"] = "false",
            };
            foreach (var name in InheritedMsBuildVariables)
            {
                environment[name] = null;
            }

            return Run("dotnet", arguments, workingDirectory, timeout, environment);
        }

        public static ProcessResult Run(
            string fileName,
            IReadOnlyList<string> arguments,
            string workingDirectory,
            TimeSpan timeout,
            IReadOnlyDictionary<string, string?>? environment = null)
        {
            var startInfo = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                CreateNoWindow = true,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            if (environment is not null)
            {
                foreach (var pair in environment)
                {
                    if (pair.Value is null)
                    {
                        startInfo.Environment.Remove(pair.Key);
                    }
                    else
                    {
                        startInfo.Environment[pair.Key] = pair.Value;
                    }
                }
            }

            var commandLine = fileName + " " + string.Join(" ", arguments);
            var output = new StringBuilder();
            using var stdoutClosed = new ManualResetEventSlim();
            using var stderrClosed = new ManualResetEventSlim();
            var stopwatch = Stopwatch.StartNew();
            using var process = new Process { StartInfo = startInfo };
            process.OutputDataReceived += (_, e) => Append(e.Data, stdoutClosed);
            process.ErrorDataReceived += (_, e) => Append(e.Data, stderrClosed);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var exited = process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds));
            if (!exited)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended between the wait and the kill.
                }

                process.WaitForExit(10_000);
            }

            // A grandchild that inherited the pipes may keep them open: wait for the end of the streams, but boundedly.
            stdoutClosed.Wait(TimeSpan.FromSeconds(10));
            stderrClosed.Wait(TimeSpan.FromSeconds(10));
            stopwatch.Stop();

            string text;
            lock (output)
            {
                text = output.ToString();
            }

            return new ProcessResult(commandLine, exited ? process.ExitCode : -1, !exited, text, stopwatch.Elapsed);

            void Append(string? line, ManualResetEventSlim closed)
            {
                if (line is null)
                {
                    closed.Set();
                    return;
                }

                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
