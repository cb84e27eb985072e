using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Facts
{
    /// <summary>The .NET members that block the calling thread: they count as [MightSleep].</summary>
    internal static class BuiltinSleepers
    {
        private const string Timed = "timed";

        // type (metadata name, with `N for generics) → members; a member marked Timed blocks only in the
        // overloads that take a timeout (TryEnter(obj) returns at once, TryEnter(obj, 100) waits).
        private static readonly Dictionary<string, Dictionary<string, string?>> Table = Build(
            ("System.Threading.Thread", new[] { "Sleep", "Join" }),
            ("System.Threading.Monitor", new[] { "Enter", "Wait", "TryEnter:" + Timed }),
            ("System.Threading.Lock", new[] { "Enter", "EnterScope", "TryEnter:" + Timed }),
            ("System.Threading.Tasks.Task", new[] { "Wait", "WaitAll", "WaitAny", "RunSynchronously" }),
            ("System.Threading.Tasks.Task`1", new[] { "get_Result" }),
            ("System.Threading.Tasks.ValueTask`1", new[] { "get_Result" }),
            ("System.Runtime.CompilerServices.TaskAwaiter", new[] { "GetResult" }),
            ("System.Runtime.CompilerServices.TaskAwaiter`1", new[] { "GetResult" }),
            ("System.Runtime.CompilerServices.ValueTaskAwaiter", new[] { "GetResult" }),
            ("System.Runtime.CompilerServices.ValueTaskAwaiter`1", new[] { "GetResult" }),
            ("System.Runtime.CompilerServices.ConfiguredTaskAwaitable.ConfiguredTaskAwaiter", new[] { "GetResult" }),
            ("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1.ConfiguredTaskAwaiter", new[] { "GetResult" }),
            ("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter", new[] { "GetResult" }),
            ("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1.ConfiguredValueTaskAwaiter", new[] { "GetResult" }),
            ("System.Threading.WaitHandle", new[] { "WaitOne", "WaitAll", "WaitAny", "SignalAndWait" }),
            ("System.Threading.SemaphoreSlim", new[] { "Wait" }),
            ("System.Threading.ManualResetEventSlim", new[] { "Wait" }),
            ("System.Threading.CountdownEvent", new[] { "Wait" }),
            ("System.Threading.Barrier", new[] { "SignalAndWait" }),
            ("System.Threading.ReaderWriterLockSlim", new[] { "EnterReadLock", "EnterWriteLock", "EnterUpgradeableReadLock", "TryEnterReadLock:" + Timed, "TryEnterWriteLock:" + Timed, "TryEnterUpgradeableReadLock:" + Timed }),
            ("System.Threading.ReaderWriterLock", new[] { "AcquireReaderLock", "AcquireWriterLock", "UpgradeToWriterLock" }),
            ("System.Threading.Tasks.Parallel", new[] { "For", "ForEach", "Invoke" }),
            ("System.Collections.Concurrent.BlockingCollection`1", new[] { "Add", "Take", "AddToAny", "TakeFromAny", "TryAdd:" + Timed, "TryTake:" + Timed }));

        private static readonly HashSet<string> MemberNames = AllMembers(Table);

        private static HashSet<string> AllMembers(Dictionary<string, Dictionary<string, string?>> table)
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var members in table.Values) names.UnionWith(members.Keys);
            return names;
        }

        private static Dictionary<string, Dictionary<string, string?>> Build(params (string Type, string[] Members)[] rows)
        {
            var table = new Dictionary<string, Dictionary<string, string?>>();
            foreach (var (type, members) in rows)
            {
                var m = new Dictionary<string, string?>();
                foreach (var member in members)
                {
                    int colon = member.IndexOf(':');
                    if (colon < 0) m[member] = null;
                    else m[member.Substring(0, colon)] = member.Substring(colon + 1);
                }
                table[type] = m;
            }
            return table;
        }

        public static bool IsBlocking(IMethodSymbol method)
        {
            // Most calls name no member of the table: told by name first, before the type's name is built.
            if (!MemberNames.Contains(method.Name)) return false;
            var type = method.ContainingType;
            if (type is null) return false;
            var locations = method.Locations;
            if (locations.Length > 0 && locations[0].IsInSource) return false;
            if (!Table.TryGetValue(MetadataName(type), out var members)) return false;
            if (!members.TryGetValue(method.Name, out var qualifier)) return false;
            if (qualifier != Timed) return true;
            foreach (var p in method.Parameters)
            {
                if (p.Name.IndexOf("timeout", System.StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }

        public static string MetadataName(INamedTypeSymbol type)
        {
            string name = type.MetadataName;
            if (type.ContainingType != null) return MetadataName(type.ContainingType) + "." + name;
            var ns = type.ContainingNamespace;
            var parts = new List<string>();
            while (ns != null && !ns.IsGlobalNamespace)
            {
                parts.Add(ns.Name);
                ns = ns.ContainingNamespace;
            }
            parts.Reverse();
            parts.Add(name);
            return string.Join(".", parts);
        }
    }
}
