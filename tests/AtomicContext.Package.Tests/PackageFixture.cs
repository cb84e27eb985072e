using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace AtomicContext.Package.Tests
{
    /// <summary>
    /// Packs src/AtomicContext.Package once for every test in <see cref="PackageCollection"/>. The sources are copied
    /// (without bin/ and obj/) to a private temp folder first, so the pack neither races with builds running in
    /// the work tree nor picks up their outputs: the package is built from what the tree says now.
    /// </summary>
    public sealed class PackageFixture : IDisposable
    {
        public const string PackageId = "AtomicContextAnalyzers";

        private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

        public PackageFixture()
        {
            Root = Path.Combine(Path.GetTempPath(), "aca-package-tests-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            SourceCopy = Path.Combine(Root, "repo");
            Feed = Path.Combine(Root, "feed");
            Directory.CreateDirectory(Feed);
            // ACA_PACKAGE_TESTS_SOURCE packs another checkout instead (to try the tests against a stand-in analyzer).
            var source = Environment.GetEnvironmentVariable("ACA_PACKAGE_TESTS_SOURCE");
            CopySources(string.IsNullOrEmpty(source) ? RepositoryPaths.Root : source, SourceCopy);

            Pack = ProcessRunner.RunDotnet(
                SourceCopy,
                PackTimeout,
                "pack",
                Path.Combine("src", "AtomicContext.Package", "AtomicContext.Package.csproj"),
                "-c",
                "Release",
                "-o",
                Feed);

            Packages = Directory.GetFiles(Feed, "*.nupkg").Select(Path.GetFileName).ToArray()!;
            if (Pack.Succeeded && Packages.Length == 1)
            {
                NupkgPath = Path.Combine(Feed, Packages[0]);
                using var archive = ZipFile.OpenRead(NupkgPath);
                var nuspecEntry = archive.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
                using var stream = nuspecEntry.Open();
                Nuspec = XDocument.Load(stream);
                EntryNames = archive.Entries.Select(e => e.FullName).ToArray();
                Version = NuspecMetadata("version");
            }
        }

        /// <summary>The private temp folder of this run; removed at the end.</summary>
        public string Root { get; }

        /// <summary>The copy of the repository that was packed.</summary>
        public string SourceCopy { get; }

        /// <summary>The local folder feed the package was packed into.</summary>
        public string Feed { get; }

        public ProcessResult Pack { get; }

        /// <summary>The .nupkg file names in the feed.</summary>
        public string[] Packages { get; }

        public string? NupkgPath { get; }

        public XDocument? Nuspec { get; }

        public string[] EntryNames { get; } = Array.Empty<string>();

        public string? Version { get; }

        /// <summary>Fails the calling test, with the pack output, when the pack did not give exactly one package.</summary>
        public void AssertPacked()
        {
            Assert.True(Pack.Succeeded, Pack.Describe());
            Assert.True(Packages.Length == 1, $"expected one .nupkg in the feed, found [{string.Join(", ", Packages)}]. {Pack.Describe()}");
            Assert.NotNull(NupkgPath);
            Assert.NotNull(Nuspec);
            Assert.NotNull(Version);
        }

        /// <summary>The value of a metadata element of the nuspec (whatever its schema namespace), or null.</summary>
        public string? NuspecMetadata(string name) =>
            Nuspec?.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")?
                .Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean: a temp folder.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>Copies the top-level files (props, nuget.config, global.json, README) and src/, without build outputs.</summary>
        private static void CopySources(string repository, string destination)
        {
            Directory.CreateDirectory(destination);
            foreach (var file in Directory.GetFiles(repository))
            {
                CopyFile(file, Path.Combine(destination, Path.GetFileName(file)));
            }

            CopyTree(Path.Combine(repository, "src"), Path.Combine(destination, "src"));
        }

        /// <summary>Copies a file; one that an editor or a build removed meanwhile (a temp file) is skipped.</summary>
        private static void CopyFile(string source, string destination)
        {
            try
            {
                File.Copy(source, destination);
            }
            catch (FileNotFoundException)
            {
            }
        }

        private static void CopyTree(string source, string destination)
        {
            Directory.CreateDirectory(destination);
            foreach (var file in Directory.GetFiles(source))
            {
                CopyFile(file, Path.Combine(destination, Path.GetFileName(file)));
            }

            foreach (var directory in Directory.GetDirectories(source))
            {
                var name = Path.GetFileName(directory);
                if (name is "bin" or "obj" or ".vs" or "TestResults" or "artifacts")
                {
                    continue;
                }

                CopyTree(directory, Path.Combine(destination, name));
            }
        }
    }

    /// <summary>Every test that needs the packed package shares one pack.</summary>
    [CollectionDefinition(Name)]
    public sealed class PackageCollection : ICollectionFixture<PackageFixture>
    {
        public const string Name = "Packed AtomicContextAnalyzers";
    }
}
