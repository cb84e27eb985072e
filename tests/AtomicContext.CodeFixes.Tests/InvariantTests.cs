using System;
using System.Collections.Generic;
using System.Composition;
using System.Linq;
using System.Reflection;
using AtomicContext.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace AtomicContext.CodeFixes.Tests
{
    /// <summary>Rules every exported fix provider of the package keeps.</summary>
    public class InvariantTests
    {
        private static readonly Assembly Fixes = typeof(StackGatherCodeFixProvider).Assembly;

        public static IEnumerable<object[]> Providers() =>
            Fixes.GetTypes().Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract).Select(t => new object[] { t.Name });

        private static CodeFixProvider Create(string name) => (CodeFixProvider)Activator.CreateInstance(Fixes.GetTypes().Single(t => t.Name == name))!;

        [Theory]
        [MemberData(nameof(Providers))]
        public void Is_exported_for_CSharp_under_its_own_name_and_shared(string name)
        {
            var type = Fixes.GetTypes().Single(t => t.Name == name);
            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.NotNull(export);
            Assert.Equal(new[] { LanguageNames.CSharp }, export!.Languages);
            Assert.Equal(name, export.Name);
            Assert.NotNull(type.GetCustomAttribute<SharedAttribute>());
        }

        [Theory]
        [MemberData(nameof(Providers))]
        public void Has_a_Fix_All_provider_for_document_project_and_solution(string name)
        {
            var fixAll = Create(name).GetFixAllProvider();
            Assert.NotNull(fixAll);
            Assert.Equal(new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution }, fixAll.GetSupportedFixAllScopes().OrderBy(s => s));
        }

        [Theory]
        [MemberData(nameof(Providers))]
        public void Fixes_only_ids_the_analyzer_supports(string name)
        {
            var supported = new AtomicContextAnalyzer().SupportedDiagnostics.Select(d => d.Id).ToHashSet();
            var fixable = Create(name).FixableDiagnosticIds;
            Assert.NotEmpty(fixable);
            Assert.All(fixable, id => Assert.Contains(id, supported));
        }

        [Fact]
        public void Equivalence_keys_are_unique_across_providers()
        {
            var keys = Fixes.GetTypes().Where(t => typeof(Infrastructure.PlanCodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
                .SelectMany(t => ((Infrastructure.PlanCodeFixProvider)Activator.CreateInstance(t)!).EquivalenceKeys).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
            Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(k)));
        }

        /// <summary>
        /// dotnet format applies, for each diagnostic ID, every provider that fixes it, in the order reflection
        /// lists the types: the stack gather must be the first ACA0001 provider (the "first action offered").
        /// </summary>
        [Fact]
        public void The_stack_gather_is_the_first_ACA0001_provider_in_reflection_order()
        {
            var first = Fixes.GetTypes()
                .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() != null)
                .First(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds.Contains("ACA0001"));
            Assert.Equal(typeof(StackGatherCodeFixProvider), first);
        }
    }
}
