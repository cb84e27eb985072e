using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AtomicContext.CodeFixes.Infrastructure
{
    /// <summary>Attribute facts read the way the analyzer reads them: by full name, in whatever assembly declares them.</summary>
    internal static class Facts
    {
        public const string Namespace = "AtomicContext";
        public const string MightSleep = "AtomicContext.MightSleepAttribute";
        public const string MightSleepIf = "AtomicContext.MightSleepIfAttribute";
        public const string EntersNoMigrate = "AtomicContext.EntersNoMigrateAttribute";
        public const string ExitsNoMigrate = "AtomicContext.ExitsNoMigrateAttribute";
        public const string NoMigrate = "AtomicContext.NoMigrateAttribute";
        public const string PerCpu = "AtomicContext.PerCpuAttribute";
        public const string AssumeNoSleep = "AtomicContext.AssumeNoSleepAttribute";
        public const string StackAlternative = "AtomicContext.StackAlternativeAttribute";

        public static string FullName(INamedTypeSymbol? type) =>
            type is null ? "" : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");

        public static AttributeData? Find(ISymbol symbol, string fullName) =>
            symbol.GetAttributes().FirstOrDefault(a => FullName(a.AttributeClass) == fullName);

        public static IEnumerable<AttributeData> FindAll(ISymbol symbol, string fullName) =>
            symbol.GetAttributes().Where(a => FullName(a.AttributeClass) == fullName);

        public static bool Has(ISymbol symbol, string fullName) => Find(symbol, fullName) != null;

        /// <summary>Any attribute of the package's namespace.</summary>
        public static bool HasAny(ISymbol symbol) =>
            symbol.GetAttributes().Any(a => a.AttributeClass?.ContainingNamespace?.ToDisplayString() == Namespace);

        public static bool IsRegionCall(IMethodSymbol method) =>
            Has(method, EntersNoMigrate) || Has(method, ExitsNoMigrate);

        /// <summary>The named argument's value, if it was written.</summary>
        public static bool TryGetNamed(AttributeData attribute, string name, out TypedConstant value)
        {
            foreach (var pair in attribute.NamedArguments)
            {
                if (pair.Key == name)
                {
                    value = pair.Value;
                    return true;
                }
            }
            value = default;
            return false;
        }

        /// <summary>Resolves a diagnostic property's documentation-comment ID in the compilation.</summary>
        public static ISymbol? Resolve(string? id, Compilation compilation) =>
            string.IsNullOrEmpty(id) ? null : DocumentationCommentId.GetFirstSymbolForDeclarationId(id!, compilation);

        public static bool IsSource(ISymbol symbol) => symbol.DeclaringSyntaxReferences.Length > 0;
    }
}
