using System;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Model
{
    /// <summary>
    /// Documentation-comment IDs of the commonest methods, written directly. Every callee of every walked body is
    /// keyed by its ID; <see cref="DocumentationCommentId.CreateDeclarationId"/> gets there through a general
    /// symbol visitor and pooled builders, which cost more than the rest of the key's lookup. Only an ordinary,
    /// non-generic method of a non-generic type, whose parameters are by value and whose parameter and return types
    /// are non-generic named types or one-dimensional arrays of them, is written here (a method that returns a value
    /// has it after '~', as Roslyn writes it); anything else returns null and goes to Roslyn.
    /// <c>DocIdsTests</c> compares the two on every method of the runtime's core library and of a source with the
    /// shapes in between.
    /// </summary>
    internal static class DocIds
    {
        [ThreadStatic] private static StringBuilder? t_builder;

        /// <summary>The method's documentation-comment ID, or null when it is not of the simple kind written here.</summary>
        public static string? OfSimpleMethod(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.Arity != 0 || method.ContainingSymbol is not INamedTypeSymbol type || !IsSimple(type))
                return null;
            if (method.ReturnsByRef || method.ReturnsByRefReadonly || !method.ReturnsVoid && !IsSimple(method.ReturnType)) return null;
            var parameters = method.Parameters;
            foreach (var p in parameters)
            {
                if (p.RefKind != RefKind.None || !IsSimple(p.Type)) return null;
            }

            var builder = t_builder ?? new StringBuilder(128);
            t_builder = null;
            builder.Clear();
            builder.Append("M:");
            AppendType(builder, type);
            builder.Append('.');
            AppendName(builder, method.MetadataName);
            if (parameters.Length > 0)
            {
                builder.Append('(');
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (i > 0) builder.Append(',');
                    AppendType(builder, parameters[i].Type);
                }
                builder.Append(')');
            }
            if (!method.ReturnsVoid)
            {
                builder.Append('~');
                AppendType(builder, method.ReturnType);
            }
            var id = builder.ToString();
            if (builder.Capacity <= 1024) t_builder = builder;
            return id;
        }

        /// <summary>A simple named type (below), or a one-dimensional array of one.</summary>
        private static bool IsSimple(ITypeSymbol type) => type switch
        {
            INamedTypeSymbol named => IsSimple(named),
            IArrayTypeSymbol { IsSZArray: true, ElementType: INamedTypeSymbol element } => IsSimple(element),
            _ => false,
        };

        private static void AppendType(StringBuilder builder, ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
            {
                AppendType(builder, (INamedTypeSymbol)array.ElementType);
                builder.Append("[]");
            }
            else
            {
                AppendType(builder, (INamedTypeSymbol)type);
            }
        }

        /// <summary>A named type that is not generic, nor inside a generic type, nor an error, tuple or anonymous type.</summary>
        private static bool IsSimple(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? t = type; t != null; t = t.ContainingType)
            {
                if (t.Arity != 0 || t.IsTupleType || t.IsAnonymousType || t.TypeKind == TypeKind.Error || t.IsNativeIntegerType) return false;
            }
            return true;
        }

        private static void AppendType(StringBuilder builder, INamedTypeSymbol type)
        {
            if (type.ContainingType is { } outer)
            {
                AppendType(builder, outer);
                builder.Append('.');
            }
            else
            {
                AppendNamespace(builder, type.ContainingNamespace);
            }
            AppendName(builder, type.Name);
        }

        private static void AppendNamespace(StringBuilder builder, INamespaceSymbol? ns)
        {
            if (ns is null || ns.IsGlobalNamespace) return;
            AppendNamespace(builder, ns.ContainingNamespace);
            AppendName(builder, ns.Name);
            builder.Append('.');
        }

        /// <summary>As the IDs write a name: a '.' in it (only in some metadata names) becomes '#'.</summary>
        private static void AppendName(StringBuilder builder, string name)
        {
            if (name.IndexOf('.') < 0) builder.Append(name);
            else builder.Append(name.Replace('.', '#'));
        }
    }
}
