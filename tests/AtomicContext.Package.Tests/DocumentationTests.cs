using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContext.Package.Tests
{
    /// <summary>Every rule has a page in docs/rules/, its help link points there, and the page has the sections users look for.</summary>
    public sealed class DocumentationTests
    {
        public static readonly string[] RequiredSections =
        {
            "## What it reports",
            "## Why it matters",
            "## Kernel example",
            "## How to fix",
            "### Code fixes",
            "## How to configure",
        };

        private static readonly Lazy<Assembly> AnalyzerAssembly = new Lazy<Assembly>(() => Assembly.Load(new AssemblyName("AtomicContext.Analyzers")));

        /// <summary>The IDs of every descriptor the exported analyzers support.</summary>
        public static TheoryData<string> SupportedIds()
        {
            var data = new TheoryData<string>();
            foreach (var id in SupportedDescriptors().Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal))
            {
                data.Add(id);
            }

            return data;
        }

        /// <summary>The IDs of every descriptor declared anywhere in the analyzer assembly (static fields and properties).</summary>
        public static TheoryData<string> DeclaredIds()
        {
            var data = new TheoryData<string>();
            foreach (var id in DeclaredDescriptors().Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal))
            {
                data.Add(id);
            }

            return data;
        }

        [Fact]
        public void The_analyzer_assembly_exports_analyzers()
        {
            Assert.NotEmpty(ExportedAnalyzers());
            Assert.NotEmpty(SupportedDescriptors());
        }

        [Theory]
        [MemberData(nameof(SupportedIds))]
        public void Every_supported_rule_has_its_page_and_help_link(string id)
        {
            foreach (var descriptor in SupportedDescriptors().Where(d => d.Id == id))
            {
                AssertDocumented(descriptor);
            }
        }

        [Theory]
        [MemberData(nameof(DeclaredIds))]
        public void Every_declared_rule_has_its_page_and_help_link(string id)
        {
            foreach (var descriptor in DeclaredDescriptors().Where(d => d.Id == id))
            {
                AssertDocumented(descriptor);
            }
        }

        [Fact]
        public void Every_page_belongs_to_a_rule()
        {
            var known = new HashSet<string>(SupportedDescriptors().Concat(DeclaredDescriptors()).Select(d => d.Id), StringComparer.Ordinal);
            var pages = Directory.GetFiles(RepositoryPaths.RulesDocs, "*.md").Select(Path.GetFileNameWithoutExtension).ToArray();
            var orphans = pages.Where(p => !known.Contains(p!)).ToArray();
            Assert.True(orphans.Length == 0, "pages without a rule: " + string.Join(", ", orphans));
        }

        [Fact]
        public void Configuration_page_documents_the_attributes_and_the_additional_files()
        {
            var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));
            var expected = new[]
            {
                "MightSleep", "MightSleepIf", "AtomicAlternative", "AtomicAlternativeName", "EntersNoMigrate", "WhenReturns",
                "ExitsNoMigrate", "NoMigrate", "PerCpu", "AssumeNoSleep", "StackAlternative",
                "AtomicContext.Sleepers.txt", "AtomicContext.Facts.txt", "AdditionalFiles",
                "EntersNoMigrateWhenReturnsTrue", "EntersNoMigrateWhenReturnsFalse",
            };
            var missing = expected.Where(word => !text.Contains(word, StringComparison.Ordinal)).ToArray();
            Assert.True(missing.Length == 0, "docs/configuration.md does not mention: " + string.Join(", ", missing));
        }

        private static void AssertDocumented(DiagnosticDescriptor descriptor)
        {
            var id = descriptor.Id;
            var page = Path.Combine(RepositoryPaths.RulesDocs, id + ".md");
            Assert.True(File.Exists(page), $"{id} has no page at docs/rules/{id}.md");
            Assert.EndsWith("docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.True(Uri.TryCreate(descriptor.HelpLinkUri, UriKind.Absolute, out _), $"{id}: help link is not an absolute URI: {descriptor.HelpLinkUri}");

            var text = File.ReadAllText(page);
            Assert.Matches(new Regex($@"\A# {id}\b"), text);
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();
            var missing = RequiredSections.Where(section => !lines.Contains(section, StringComparer.Ordinal)).ToArray();
            Assert.True(missing.Length == 0, $"docs/rules/{id}.md lacks the sections: {string.Join(", ", missing)}");

            // The sections come in the order users read them.
            var positions = RequiredSections.Select(section => Array.IndexOf(lines, section)).ToArray();
            Assert.True(positions.SequenceEqual(positions.OrderBy(p => p)), $"docs/rules/{id}.md has its sections out of order");
        }

        private static IEnumerable<Type> LoadableTypes()
        {
            try
            {
                return AnalyzerAssembly.Value.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                return e.Types.Where(t => t is not null)!;
            }
        }

        private static DiagnosticAnalyzer[] ExportedAnalyzers() =>
            LoadableTypes()
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .ToArray();

        private static DiagnosticDescriptor[] SupportedDescriptors() =>
            ExportedAnalyzers().SelectMany(a => a.SupportedDiagnostics).ToArray();

        private static DiagnosticDescriptor[] DeclaredDescriptors()
        {
            const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            var result = new List<DiagnosticDescriptor>();
            foreach (var type in LoadableTypes().Where(t => !t.ContainsGenericParameters))
            {
                result.AddRange(type.GetFields(Static)
                    .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
                    .Select(f => f.GetValue(null))
                    .OfType<DiagnosticDescriptor>());
                result.AddRange(type.GetProperties(Static)
                    .Where(p => p.PropertyType == typeof(DiagnosticDescriptor) && p.GetIndexParameters().Length == 0 && p.GetMethod is not null)
                    .Select(p => p.GetValue(null))
                    .OfType<DiagnosticDescriptor>());
            }

            return result.ToArray();
        }
    }
}
