using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using AtomicContext.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace AtomicContext.CodeFixes.Fixes
{
    /// <summary>
    /// Adds <c>[MightSleep]</c> so other assemblies see the fact. Conservative: the target is an ordinary
    /// method written in source (one declaration), public in a public type, that carries no attribute of the
    /// package yet, and the attribute type resolves in its compilation.
    /// </summary>
    internal abstract class MightSleepAnnotationFix : FixKind
    {
        /// <summary>The method to annotate for this diagnostic, or null.</summary>
        protected abstract Task<IMethodSymbol?> TargetAsync(Document document, Diagnostic diagnostic, CancellationToken ct);

        protected abstract string Title(IMethodSymbol target);

        public override async Task<FixPlan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            var target = await TargetAsync(document, diagnostic, ct).ConfigureAwait(false);
            if (target is null || !IsCandidate(target)) return null;
            var reference = target.DeclaringSyntaxReferences[0];
            var declaration = await reference.GetSyntaxAsync(ct).ConfigureAwait(false);
            if (!(declaration is MethodDeclarationSyntax)) return null;
            var targetDocument = document.Project.Solution.GetDocument(reference.SyntaxTree);
            if (targetDocument is null) return null;
            var compilation = await targetDocument.Project.GetCompilationAsync(ct).ConfigureAwait(false);
            var attributeType = compilation?.GetTypeByMetadataName(Facts.MightSleep);
            if (attributeType is null || !compilation!.IsSymbolAccessibleWithin(attributeType, compilation.Assembly)) return null;
            var edit = new Edit(targetDocument, declaration, "might-sleep", editor =>
            {
                var generator = editor.Generator;
                var name = ((NameSyntax)generator.TypeExpression(attributeType)).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
                editor.AddAttribute(declaration, generator.Attribute(name));
            });
            return new FixPlan(Title(target), new[] { edit });
        }

        public static bool IsCandidate(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.DeclaringSyntaxReferences.Length != 1 || method.IsImplicitlyDeclared) return false;
            if (Facts.HasAny(method)) return false;
            for (ISymbol? s = method; s != null && !(s is INamespaceSymbol); s = s.ContainingSymbol)
            {
                if (s.DeclaredAccessibility != Accessibility.Public) return false;
            }
            return true;
        }

        /// <summary>The member an override or implementation stands for (what the analyzer checks ACA0003 against).</summary>
        public static IMethodSymbol? Declared(IMethodSymbol method)
        {
            if (method.OverriddenMethod != null) return method.OverriddenMethod.OriginalDefinition;
            foreach (var explicitImpl in method.ExplicitInterfaceImplementations) return explicitImpl.OriginalDefinition;
            if (method.ContainingType is null) return null;
            foreach (var iface in method.ContainingType.AllInterfaces)
            {
                foreach (var member in iface.GetMembers(method.Name).OfType<IMethodSymbol>())
                {
                    if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                        return member.OriginalDefinition;
                }
            }
            return null;
        }

        protected static async Task<IMethodSymbol?> DiagnosedMethodAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root is null || model is null) return null;
            var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            return declaration is null ? null : model.GetDeclaredSymbol(declaration, ct) as IMethodSymbol;
        }
    }

    /// <summary>ACA0003: declare [MightSleep] on the overridden or implemented member, so calls through it are checked.</summary>
    internal sealed class AnnotateDeclaredMemberFix : MightSleepAnnotationFix
    {
        public const string Key = "ACA0003.AnnotateDeclaredMember";

        public override string EquivalenceKey => Key;

        public override string FixAllTitle => "Declare [MightSleep] on the overridden and implemented members";

        protected override string Title(IMethodSymbol target) => $"Declare [MightSleep] on '{target.ContainingType.Name}.{target.Name}' (calls through it are checked)";

        protected override async Task<IMethodSymbol?> TargetAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            if (diagnostic.Id != Descriptors.OverrideSleepsId) return null;
            var method = await DiagnosedMethodAsync(document, diagnostic, ct).ConfigureAwait(false);
            return method is null ? null : Declared(method);
        }
    }

    /// <summary>
    /// [MightSleep] on the method whose body may sleep: the override or implementation (ACA0003), or the called
    /// method of an ACA0001 report when it is not itself the sleeper (so the fact reaches other assemblies).
    /// </summary>
    internal sealed class AnnotateSleepingMethodFix : MightSleepAnnotationFix
    {
        public const string Key = "ACA.AnnotateMightSleep";

        public override string EquivalenceKey => Key;

        public override string FixAllTitle => "Mark the methods that may sleep [MightSleep]";

        protected override string Title(IMethodSymbol target) => $"Mark '{target.ContainingType.Name}.{target.Name}' [MightSleep]";

        protected override async Task<IMethodSymbol?> TargetAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            if (diagnostic.Id == Descriptors.OverrideSleepsId) return await DiagnosedMethodAsync(document, diagnostic, ct).ConfigureAwait(false);
            if (diagnostic.Id != Descriptors.SleepInRegionId) return null;
            if (diagnostic.Properties.TryGetValue(AtomicContextAnalyzer.Keys.Direct, out var direct) && direct == "true") return null;
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (model is null || !diagnostic.Properties.TryGetValue(AtomicContextAnalyzer.Keys.Callee, out var callee)) return null;
            return Facts.Resolve(callee, model.Compilation) as IMethodSymbol;
        }
    }
}
