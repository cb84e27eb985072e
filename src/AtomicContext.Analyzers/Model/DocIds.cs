using System;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Model
{
    /// <summary>
    /// Documentation-comment IDs of the commonest methods, written from names kept per type. Every callee of every
    /// body is keyed by its ID (a 10,000-link chain: 10,000 IDs), and <see cref="DocumentationCommentId.CreateDeclarationId"/>
    /// walks the namespaces and types of the method, of each parameter and of its return type again for each one.
    /// Here a type's qualified name is made once per compilation. Only an ordinary, non-generic method of a
    /// non-generic class, struct or interface, whose parameters are by value and whose parameter and return types
    /// are non-generic named types or one-dimensional arrays of them, is written (a method that returns a value
    /// has it after '~', as Roslyn writes it); anything else returns null and goes to Roslyn. <c>DocIdsTests</c>
    /// compares the two on every method of the runtime's core library and of a source with the shapes in between.
    /// </summary>
    internal sealed class DocIds
    {
        // A type's qualified name as IDs write it, or "" for a type whose IDs are left to Roslyn.
        private readonly ConcurrentDictionary<INamedTypeSymbol, string> _typeNames;
        private readonly Func<INamedTypeSymbol, string> _nameOf;

        public DocIds(int capacity = 64)
        {
            _typeNames = new ConcurrentDictionary<INamedTypeSymbol, string>(Environment_ProcessorCount, capacity, SymbolEqualityComparer.Default);
            _nameOf = QualifiedName;
        }

        // Lock stripes of the cache (the analyzer may not read Environment).
        private const int Environment_ProcessorCount = 16;

        [ThreadStatic] private static StringBuilder? t_builder;
        [ThreadStatic] private static string[]? t_parameterNames;

        /// <summary>The method's documentation-comment ID, or null when it is not of the simple kind written here.</summary>
        public string? OfSimpleMethod(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.Arity != 0 || method.ReturnsByRef || method.ReturnsByRefReadonly
                || !(method.ContainingSymbol is INamedTypeSymbol type))
                return null;
            var typeName = NameOf(type);
            if (typeName.Length == 0) return null;
            var returnName = method.ReturnsVoid ? null : NameOf(method.ReturnType);
            if (returnName != null && returnName.Length == 0) return null;
            var parameters = method.Parameters;
            // The parameters' type names, checked before anything is written, in the thread's scratch array.
            var parameterNames = t_parameterNames;
            if (parameterNames is null || parameterNames.Length < parameters.Length) t_parameterNames = parameterNames = new string[Math.Max(parameters.Length, 8)];
            for (int i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                if (parameter.RefKind != RefKind.None) return null;
                var name = NameOf(parameter.Type);
                if (name.Length == 0) return null;
                parameterNames[i] = name;
            }

            var builder = t_builder ?? new StringBuilder(128);
            t_builder = null;
            builder.Clear();
            builder.Append("M:").Append(typeName).Append('.');
            AppendName(builder, method.MetadataName);
            if (parameters.Length > 0)
            {
                builder.Append('(');
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (i > 0) builder.Append(',');
                    builder.Append(parameterNames[i]);
                }
                builder.Append(')');
            }
            if (returnName != null) builder.Append('~').Append(returnName);
            var id = builder.ToString();
            if (builder.Capacity <= 1024) t_builder = builder;
            return id;
        }

        /// <summary>The name of a simple named type, or of a one-dimensional array of one; "" for any other type.</summary>
        private string NameOf(ITypeSymbol type) => type switch
        {
            INamedTypeSymbol named => NameOf(named),
            IArrayTypeSymbol { IsSZArray: true, ElementType: INamedTypeSymbol element } => NameOf(element) is { Length: > 0 } name ? name + "[]" : "",
            _ => "",
        };

        private string NameOf(INamedTypeSymbol type) => _typeNames.GetOrAdd(type, _nameOf);

        /// <summary>The qualified name of a type that is not generic, nor inside a generic type, nor an error, tuple or anonymous type; "" otherwise.</summary>
        private static string QualifiedName(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? t = type; t != null; t = t.ContainingType)
            {
                if (t.Arity != 0 || t.IsTupleType || t.IsAnonymousType || t.TypeKind == TypeKind.Error || t.IsNativeIntegerType) return "";
            }
            var builder = new StringBuilder(64);
            AppendType(builder, type);
            return builder.ToString();
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
