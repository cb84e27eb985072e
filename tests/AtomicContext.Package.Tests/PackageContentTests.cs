using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AtomicContext.Package.Tests
{
    /// <summary>What `dotnet pack` of src/AtomicContext.Package puts in the .nupkg (contract §2).</summary>
    [Collection(PackageCollection.Name)]
    public sealed class PackageContentTests
    {
        private const string AnalyzerFolder = "analyzers/dotnet/cs/";
        private const string LibFolder = "lib/netstandard2.0/";

        /// <summary>Every compiler from the .NET 8 SDK on must load the analyzers: Roslyn 4.8 at most (CS8032/CS9057).</summary>
        private static readonly Version RoslynFloor = new Version(4, 8, 0, 0);

        private readonly PackageFixture package;
        private readonly Xunit.Abstractions.ITestOutputHelper output;

        public PackageContentTests(PackageFixture package, Xunit.Abstractions.ITestOutputHelper output)
        {
            this.package = package;
            this.output = output;
        }

        [Fact]
        public void Pack_gives_one_package_named_by_id_and_version()
        {
            output.WriteLine($"dotnet pack (copy of the sources, Release): {package.Pack.Elapsed.TotalSeconds:F1} s");
            package.AssertPacked();
            Assert.Equal(PackageFixture.PackageId, package.NuspecMetadata("id"));
            Assert.Equal($"{PackageFixture.PackageId}.{package.Version}.nupkg", package.Packages.Single());
        }

        [Fact]
        public void Analyzers_and_fixes_are_under_analyzers_dotnet_cs_and_attributes_under_lib()
        {
            package.AssertPacked();
            Assert.Contains(AnalyzerFolder + "AtomicContext.Analyzers.dll", package.EntryNames);
            Assert.Contains(AnalyzerFolder + "AtomicContext.CodeFixes.dll", package.EntryNames);
            Assert.Contains(LibFolder + "AtomicContext.Annotations.dll", package.EntryNames);

            // The attributes are compile assets of the consumer, and nothing else is.
            var libDlls = package.EntryNames.Where(n => n.StartsWith("lib/", StringComparison.Ordinal) && n.EndsWith(".dll", StringComparison.Ordinal));
            Assert.Equal(new[] { LibFolder + "AtomicContext.Annotations.dll" }, libDlls);

            // The analyzer folder holds our two assemblies and no third-party dependency.
            var analyzerDlls = package.EntryNames.Where(n => n.StartsWith("analyzers/", StringComparison.Ordinal) && n.EndsWith(".dll", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { AnalyzerFolder + "AtomicContext.Analyzers.dll", AnalyzerFolder + "AtomicContext.CodeFixes.dll" }, analyzerDlls);
        }

        [Fact]
        public void No_Roslyn_assembly_is_packed()
        {
            package.AssertPacked();
            var roslyn = package.EntryNames.Where(n => Path.GetFileName(n).StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)).ToArray();
            Assert.True(roslyn.Length == 0, "packed Roslyn assemblies: " + string.Join(", ", roslyn));
        }

        [Fact]
        public void Package_is_not_a_development_dependency()
        {
            // developmentDependency makes `dotnet add package` write PrivateAssets/IncludeAssets without `compile`,
            // and the consumer could no longer compile against the attributes.
            package.AssertPacked();
            var developmentDependency = package.NuspecMetadata("developmentDependency");
            Assert.True(
                developmentDependency is null || string.Equals(developmentDependency.Trim(), "false", StringComparison.OrdinalIgnoreCase),
                "nuspec developmentDependency = " + developmentDependency);
        }

        [Fact]
        public void Package_does_not_depend_on_Roslyn()
        {
            package.AssertPacked();
            var dependencies = package.Nuspec!.Descendants()
                .Where(e => e.Name.LocalName == "dependency")
                .Select(e => (string?)e.Attribute("id") ?? string.Empty)
                .ToArray();
            var roslyn = dependencies.Where(id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)).ToArray();
            Assert.True(roslyn.Length == 0, "Roslyn dependencies: " + string.Join(", ", roslyn));
        }

        [Theory]
        [InlineData("AtomicContext.Analyzers.dll")]
        [InlineData("AtomicContext.CodeFixes.dll")]
        public void Packed_analyzer_assemblies_reference_Roslyn_no_newer_than_4_8(string fileName)
        {
            package.AssertPacked();
            var references = ReadAssemblyReferences(AnalyzerFolder + fileName);
            var tooNew = references
                .Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && r.Version > RoslynFloor)
                .Select(r => $"{r.Name} {r.Version}")
                .ToArray();
            Assert.True(tooNew.Length == 0, $"{fileName} references a Roslyn newer than {RoslynFloor}: {string.Join(", ", tooNew)}");
        }

        [Fact]
        public void Packed_annotations_declare_the_contract_attributes()
        {
            package.AssertPacked();
            var types = ReadTypeNames(LibFolder + "AtomicContext.Annotations.dll");
            foreach (var name in new[] { "MightSleepAttribute", "MightSleepIfAttribute", "EntersNoMigrateAttribute", "ExitsNoMigrateAttribute", "NoMigrateAttribute", "PerCpuAttribute" })
            {
                Assert.Contains("AtomicContext." + name, types);
            }
        }

        private (string Name, Version Version)[] ReadAssemblyReferences(string entryName)
        {
            using var reader = OpenPe(entryName);
            var metadata = reader.GetMetadataReader();
            return metadata.AssemblyReferences
                .Select(h => metadata.GetAssemblyReference(h))
                .Select(r => (metadata.GetString(r.Name), r.Version))
                .ToArray();
        }

        private string[] ReadTypeNames(string entryName)
        {
            using var reader = OpenPe(entryName);
            var metadata = reader.GetMetadataReader();
            return metadata.TypeDefinitions
                .Select(h => metadata.GetTypeDefinition(h))
                .Select(t => metadata.GetString(t.Namespace) + "." + metadata.GetString(t.Name))
                .ToArray();
        }

        private PEReader OpenPe(string entryName)
        {
            using var archive = ZipFile.OpenRead(package.NupkgPath!);
            var entry = archive.GetEntry(entryName);
            Assert.True(entry is not null, entryName + " is not in the package");
            var bytes = new MemoryStream();
            using (var stream = entry!.Open())
            {
                stream.CopyTo(bytes);
            }

            bytes.Position = 0;
            return new PEReader(bytes);
        }
    }
}
