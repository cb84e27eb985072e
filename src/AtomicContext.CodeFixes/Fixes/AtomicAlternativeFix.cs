using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtomicContext.Analyzers.Rules;
using AtomicContext.CodeFixes.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace AtomicContext.CodeFixes.Fixes
{
    /// <summary>
    /// ACA0001 on a [MightSleepIf] call whose own constant argument makes it sleep, where the attribute names an
    /// atomic alternative: pass it (<c>GFP_KERNEL</c> → <c>GFP_ATOMIC</c>). Writes <c>AtomicAlternativeName</c>
    /// when it binds at the call (as written, or qualified from the callee's namespace), else the literal
    /// <c>AtomicAlternative</c> converted to the parameter's type. Not offered when the alternative itself would
    /// have a bit of the mask set, or the argument is not a constant.
    /// </summary>
    internal sealed class AtomicAlternativeFix : FixKind
    {
        public const string Key = "ACA0001.AtomicAlternative";

        public override string EquivalenceKey => Key;

        public override string FixAllTitle => "Use the atomic alternative of each sleeping flag";

        public override async Task<FixPlan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken ct)
        {
            if (diagnostic.Id != Descriptors.SleepInRegionId) return null;
            if (!diagnostic.Properties.TryGetValue(AtomicContextAnalyzer.Keys.SleepParameter, out var parameterName) || string.IsNullOrEmpty(parameterName)) return null;
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root is null || model is null) return null;
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            IMethodSymbol? method = null;
            System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments = default;
            foreach (var candidate in node.AncestorsAndSelf())
            {
                var op = model.GetOperation(candidate, ct);
                if (op is IInvocationOperation invocation) { method = invocation.TargetMethod; arguments = invocation.Arguments; break; }
                if (op is IObjectCreationOperation creation && creation.Constructor != null) { method = creation.Constructor; arguments = creation.Arguments; break; }
                if (candidate is StatementSyntax) break;
            }
            if (method is null) return null;
            var argument = arguments.FirstOrDefault(a => a.Parameter?.Name == parameterName);
            if (argument is null || argument.ArgumentKind != ArgumentKind.Explicit || !(argument.Syntax is ArgumentSyntax argumentSyntax)) return null;
            var parameterType = argument.Parameter!.Type;
            var constant = model.GetConstantValue(argumentSyntax.Expression, ct);
            if (!constant.HasValue || !TryLong(constant.Value, out long current)) return null;

            foreach (var attribute in Facts.FindAll(method.OriginalDefinition, Facts.MightSleepIf))
            {
                if (attribute.ConstructorArguments.Length != 2 || !(attribute.ConstructorArguments[0].Value is string p) || p != parameterName) continue;
                if (!TryLong(attribute.ConstructorArguments[1].Value, out long mask) || (current & mask) == 0) continue;
                bool hasValue = Facts.TryGetNamed(attribute, "AtomicAlternative", out var valueArg);
                bool hasName = Facts.TryGetNamed(attribute, "AtomicAlternativeName", out var nameArg) && nameArg.Value is string s && s.Length > 0;
                if (!hasValue && !hasName) continue;
                long? value = hasValue && TryLong(valueArg.Value, out long v) ? v : (long?)null;

                ExpressionSyntax? replacement = null;
                if (hasName)
                    replacement = BindName((string)nameArg.Value!, method, model, argumentSyntax.Expression.SpanStart, parameterType, ref value, ct);
                if (value is null || (value.Value & mask) != 0) continue;
                replacement ??= Literal(value.Value, parameterType, document);
                if (replacement is null) continue;
                var text = replacement.WithoutAnnotations().ToString().Replace("global::", "");
                var expression = argumentSyntax.Expression;
                var final = replacement.WithTriviaFrom(expression);
                var edit = new Edit(document, expression, "atomic", editor => editor.ReplaceNode(expression, final));
                return new FixPlan($"Pass '{TrimNamespace(text, method)}' (does not sleep) instead of '{expression}'", new[] { edit });
            }
            return null;
        }

        private static string TrimNamespace(string text, IMethodSymbol method)
        {
            var ns = method.ContainingNamespace?.ToDisplayString();
            return !string.IsNullOrEmpty(ns) && text.StartsWith(ns + ".", StringComparison.Ordinal) ? text.Substring(ns!.Length + 1) : text;
        }

        /// <summary>The named constant as written, or qualified from the callee's namespace, if it binds to a constant that converts implicitly.</summary>
        private static ExpressionSyntax? BindName(string name, IMethodSymbol method, SemanticModel model, int position, ITypeSymbol parameterType, ref long? value, CancellationToken ct)
        {
            var attempts = new[]
            {
                SyntaxFactory.ParseExpression(name),
                method.ContainingNamespace is { IsGlobalNamespace: false } ns
                    ? SyntaxFactory.ParseExpression("global::" + ns.ToDisplayString() + "." + name).WithAdditionalAnnotations(Simplifier.Annotation)
                    : null,
            };
            foreach (var expression in attempts)
            {
                if (expression is null || expression.ContainsDiagnostics) continue;
                var info = model.GetSpeculativeSymbolInfo(position, expression, SpeculativeBindingOption.BindAsExpression);
                if (!(info.Symbol is IFieldSymbol field) || !field.HasConstantValue || !TryLong(field.ConstantValue, out long bound)) continue;
                if (!model.Compilation.ClassifyConversion(field.Type, parameterType).IsImplicit && !IsConstantConvertible(bound, parameterType)) continue;
                if (value != null && value.Value != bound) continue; // the name and the value disagree: trust neither
                value = bound;
                return expression;
            }
            return null;
        }

        private static bool IsConstantConvertible(long value, ITypeSymbol type) => type.SpecialType switch
        {
            SpecialType.System_Int32 => value >= int.MinValue && value <= int.MaxValue,
            SpecialType.System_UInt32 => value >= 0 && value <= uint.MaxValue,
            SpecialType.System_Int64 => true,
            SpecialType.System_UInt64 => value >= 0,
            _ => false,
        };

        private static ExpressionSyntax? Literal(long value, ITypeSymbol type, Document document)
        {
            var generator = SyntaxGenerator.GetGenerator(document);
            object? converted = type.SpecialType switch
            {
                SpecialType.System_Int32 when value >= int.MinValue && value <= int.MaxValue => (int)value,
                SpecialType.System_UInt32 when value >= 0 && value <= uint.MaxValue => (uint)value,
                SpecialType.System_Int64 => value,
                SpecialType.System_UInt64 when value >= 0 => (ulong)value,
                SpecialType.System_Int16 when value >= short.MinValue && value <= short.MaxValue => (short)value,
                SpecialType.System_UInt16 when value >= 0 && value <= ushort.MaxValue => (ushort)value,
                SpecialType.System_Byte when value >= 0 && value <= byte.MaxValue => (byte)value,
                _ => null,
            };
            if (converted != null) return (ExpressionSyntax)generator.LiteralExpression(converted);
            if (type.TypeKind == TypeKind.Enum)
                return (ExpressionSyntax)generator.CastExpression(type, generator.LiteralExpression(value));
            return null;
        }

        private static bool TryLong(object? value, out long result)
        {
            switch (value)
            {
                case long l: result = l; return true;
                case int i: result = i; return true;
                case uint u: result = u; return true;
                case short s: result = s; return true;
                case ushort us: result = us; return true;
                case byte b: result = b; return true;
                case sbyte sb: result = sb; return true;
                case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
                default: result = 0; return false;
            }
        }
    }
}
