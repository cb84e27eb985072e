using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicContextAnalyzers.Benchmarks
{
    /// <summary>Finds and loads the analyzers that are measured.</summary>
    public static class AnalyzerSets
    {
        public const string OursAssemblyName = "AtomicContext.Analyzers";

        /// <summary>
        /// Our analyzers: every non-abstract <see cref="DiagnosticAnalyzer"/> with <c>[DiagnosticAnalyzer]</c> in the
        /// analyzer assembly (copied beside this program by the project reference), found by reflection.
        /// </summary>
        public static ImmutableArray<DiagnosticAnalyzer> LoadOurs()
        {
            string path = Path.Combine(AppContext.BaseDirectory, OursAssemblyName + ".dll");
            Assembly asm = File.Exists(path)
                ? AssemblyLoadContext.Default.LoadFromAssemblyPath(path)
                : Assembly.Load(new AssemblyName(OursAssemblyName));
            return Instantiate(asm);
        }

        /// <summary>Every exported C# analyzer of an assembly (what a compiler loads from it).</summary>
        public static ImmutableArray<DiagnosticAnalyzer> Instantiate(Assembly asm)
        {
            Type[] types;
            try
            {
                types = asm.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types.Where(t => t != null).Select(t => t!).ToArray();
            }

            var result = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
            foreach (Type t in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                if (t.IsAbstract || !typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
                {
                    continue;
                }

                DiagnosticAnalyzerAttribute? attr = t.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
                if (attr == null || !attr.Languages.Contains(LanguageNames.CSharp))
                {
                    continue;
                }

                if (t.GetConstructor(Type.EmptyTypes) is ConstructorInfo ctor)
                {
                    result.Add((DiagnosticAnalyzer)ctor.Invoke(null));
                }
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// The peer: Microsoft.VisualStudio.Threading.Analyzers, loaded from its package's DLLs (copied into
        /// <c>peer/</c> beside this program at build time) through <see cref="AnalyzerFileReference"/>, as a compiler does.
        /// </summary>
        public static ImmutableArray<DiagnosticAnalyzer> LoadPeer(out string description)
        {
            string dir = Path.Combine(AppContext.BaseDirectory, "peer");
            if (!Directory.Exists(dir))
            {
                description = "peer analyzers not found in " + dir;
                return ImmutableArray<DiagnosticAnalyzer>.Empty;
            }

            var loader = new DirectoryAnalyzerLoader();
            string[] dlls = Directory.GetFiles(dir, "*.dll")
                .Where(p => !Path.GetFileName(p).Contains("CodeFixes", StringComparison.OrdinalIgnoreCase))
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToArray();
            foreach (string dll in dlls)
            {
                loader.AddDependencyLocation(dll);
            }

            var result = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
            var failures = new List<string>();
            foreach (string dll in dlls)
            {
                var reference = new AnalyzerFileReference(dll, loader);
                reference.AnalyzerLoadFailed += (_, e) => failures.Add(Path.GetFileName(dll) + ": " + e.Message);
                result.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
            }

            string version = dlls.Length > 0
                ? FileVersion(dlls[0])
                : "?";
            description = $"Microsoft.VisualStudio.Threading.Analyzers {version}: {result.Count} analyzers from {dlls.Length} DLLs"
                + (failures.Count > 0 ? "; load failures: " + string.Join("; ", failures) : string.Empty);
            return result.ToImmutable();
        }

        private static string FileVersion(string path)
        {
            try
            {
                return System.Diagnostics.FileVersionInfo.GetVersionInfo(path).ProductVersion ?? "?";
            }
            catch (IOException)
            {
                return "?";
            }
        }

        /// <summary>Loads analyzer DLLs into the default context and resolves their dependencies from the same folder.</summary>
        private sealed class DirectoryAnalyzerLoader : IAnalyzerAssemblyLoader
        {
            private readonly ConcurrentDictionary<string, string> bySimpleName = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

            public DirectoryAnalyzerLoader()
            {
                AssemblyLoadContext.Default.Resolving += (context, name) =>
                    name.Name != null && bySimpleName.TryGetValue(name.Name, out string? path) ? context.LoadFromAssemblyPath(path) : null;
            }

            public void AddDependencyLocation(string fullPath)
            {
                bySimpleName[Path.GetFileNameWithoutExtension(fullPath)] = fullPath;
            }

            public Assembly LoadFromPath(string fullPath)
            {
                AssemblyName name = AssemblyName.GetAssemblyName(fullPath);
                foreach (Assembly loaded in AssemblyLoadContext.Default.Assemblies)
                {
                    if (string.Equals(loaded.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        return loaded;
                    }
                }

                return AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
            }
        }
    }
}
