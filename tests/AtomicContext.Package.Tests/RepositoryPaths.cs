using System;
using System.IO;

namespace AtomicContext.Package.Tests
{
    /// <summary>Where the repository is, found from the test assembly's folder.</summary>
    public static class RepositoryPaths
    {
        private static readonly Lazy<string> LazyRoot = new Lazy<string>(FindRoot);

        /// <summary>The folder that holds AtomicContextAnalyzers.sln.</summary>
        public static string Root => LazyRoot.Value;

        public static string RulesDocs => Path.Combine(Root, "docs", "rules");

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AtomicContextAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("AtomicContextAnalyzers.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
