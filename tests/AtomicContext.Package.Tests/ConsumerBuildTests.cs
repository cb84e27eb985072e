using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace AtomicContext.Package.Tests
{
    /// <summary>
    /// The issue's "Done means": a separate project takes the packed package exactly as `dotnet add package` writes
    /// it, from a local folder feed, restored into a private packages folder, compiles against the package's
    /// attributes, and plain `dotnet build` shows ACA0001 with its chain.
    /// </summary>
    [Collection(PackageCollection.Name)]
    public sealed class ConsumerBuildTests
    {
        private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

        /// <summary>A two-hop chain under a spinlock: uncharge → down_read → might_sleep.</summary>
        private const string KernelSource = """
            using AtomicContext;

            namespace Consumer
            {
                public static class Kernel
                {
                    [EntersNoMigrate]
                    public static void spin_lock() { }

                    [ExitsNoMigrate]
                    public static void spin_unlock() { }

                    [MightSleep]
                    public static void might_sleep() { }

                    public static void down_read() => might_sleep();

                    public static void uncharge()
                    {
                        down_read();
                    }

                    public static void zap_pte_range()
                    {
                        spin_lock();
                        uncharge();
                        spin_unlock();
                    }
                }
            }
            """;

        private readonly PackageFixture package;
        private readonly Xunit.Abstractions.ITestOutputHelper output;

        public ConsumerBuildTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
        {
            this.package = package;
            this.output = output;
        }

        [Fact]
        public void Plain_dotnet_build_of_a_consumer_shows_ACA0001_with_the_chain()
        {
            package.AssertPacked();
            var consumer = WriteConsumer(package.Version!);

            var build = ProcessRunner.RunDotnet(consumer, BuildTimeout, "build");
            output.WriteLine($"consumer restore + build: {build.Elapsed.TotalSeconds:F1} s");
            Assert.True(build.Succeeded, build.Describe());

            // The package came from the local feed into the private folder, not from a cache elsewhere.
            Assert.True(
                File.Exists(Path.Combine(PackagesFolder(consumer), "atomiccontextanalyzers", package.Version!.ToLowerInvariant(), "analyzers", "dotnet", "cs", "AtomicContext.Analyzers.dll")),
                "the package was not restored into the private packages folder. " + build.Describe());

            // The analyzers loaded and ran without crashing.
            Assert.DoesNotContain("AD0001", build.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS8032", build.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS9057", build.Output, StringComparison.Ordinal);

            // MSBuild repeats warnings in its summary: count distinct lines.
            var reports = build.Output
                .Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.Contains("warning ACA0001", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            Assert.True(reports.Length == 1, $"expected exactly one ACA0001, found {reports.Length}. {build.Describe()}");
            var report = reports[0];
            output.WriteLine(report);

            // Reported at the call of uncharge() inside the region, in Kernel.cs.
            var callLine = LineOf("        uncharge();");
            var openerLine = LineOf("        spin_lock();");
            Assert.Matches(new Regex($@"Kernel\.cs\({callLine},\d+\): warning ACA0001: "), report);

            // The message names the called member, the opener with its line, and the whole chain with U+2192 arrows.
            const string Name = @"(?:[\w.]+\.)?";
            Assert.Contains("' may sleep while migration is disabled by '", report, StringComparison.Ordinal);
            Assert.Matches(new Regex($@"'{Name}uncharge' may sleep while migration is disabled by '{Name}spin_lock' \(line {openerLine}\)"), report);
            Assert.Matches(new Regex($@"{Name}uncharge \u2192 {Name}down_read \u2192 {Name}might_sleep\b"), report);
        }

        /// <summary>The 1-based line of the first line of <see cref="KernelSource"/> that ends with the text.</summary>
        private static int LineOf(string text)
        {
            var lines = KernelSource.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            var index = Array.FindIndex(lines, l => l.EndsWith(text, StringComparison.Ordinal));
            Assert.True(index >= 0, "not in the consumer source: " + text);
            return index + 1;
        }

        /// <summary>The consumer's private packages folder: beside the project, so no glob of the project sees it.</summary>
        private static string PackagesFolder(string consumer) => consumer + "-packages";

        /// <summary>Writes the consumer project beside (not under) the packed sources and returns its folder.</summary>
        private string WriteConsumer(string version)
        {
            var folder = Path.Combine(package.Root, "consumer-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(folder);

            // Stop MSBuild's upward search for Directory.*.props/targets at this folder.
            File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
            File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");

            // Only the local feed may serve AtomicContextAnalyzers; nuget.org serves the rest (the framework).
            File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{package.Feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
                  </packageSources>
                  <packageSourceMapping>
                    <packageSource key="local">
                      <package pattern="{PackageFixture.PackageId}" />
                    </packageSource>
                    <packageSource key="nuget.org">
                      <package pattern="*" />
                    </packageSource>
                  </packageSourceMapping>
                </configuration>
                """);

            // The PackageReference exactly as `dotnet add package` writes it: no PrivateAssets, no IncludeAssets.
            File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <RestorePackagesPath>{PackagesFolder(folder)}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="{PackageFixture.PackageId}" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(folder, "Kernel.cs"), KernelSource);
            return folder;
        }
    }
}
