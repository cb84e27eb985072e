using Microsoft.CodeAnalysis;

namespace AtomicContext.Analyzers.Model
{
    /// <summary>What opened a region: a call of an [EntersNoMigrate] member, or a [NoMigrate] body.</summary>
    public sealed class Opener
    {
        public Opener(string name, Location location, string? docId, bool isNoMigrateBody)
        {
            Name = name;
            Location = location;
            DocId = docId;
            IsNoMigrateBody = isNoMigrateBody;
            Position = location.SourceSpan.Start;
        }

        public string Name { get; }
        public Location Location { get; }
        /// <summary>The documentation-comment ID of the opening member (for the code fixes).</summary>
        public string? DocId { get; }
        public bool IsNoMigrateBody { get; }
        public int Position { get; }

        public int Line => Location.GetLineSpan().StartLinePosition.Line + 1;

        public string Describe() => IsNoMigrateBody
            ? "[NoMigrate] '" + Name + "' (line " + Line + ")"
            : "'" + Name + "' (line " + Line + ")";
    }

    /// <summary>
    /// A persistent stack of the openers held, innermost on top, bounded like the depth itself.
    /// </summary>
    public sealed class OpenerStack
    {
        public const int MaxLength = DepthSet.MaxDepth + 1;

        private OpenerStack(Opener top, OpenerStack? rest, int length)
        {
            Top = top;
            Rest = rest;
            Length = length;
        }

        public Opener Top { get; }
        public OpenerStack? Rest { get; }
        public int Length { get; }

        public static OpenerStack? Push(OpenerStack? stack, Opener opener)
        {
            int length = (stack?.Length ?? 0) + 1;
            if (length > MaxLength) return stack;
            return new OpenerStack(opener, stack, length);
        }

        public static OpenerStack? Pop(OpenerStack? stack) => stack?.Rest;

        /// <summary>
        /// A deterministic choice between two stacks reaching one point: the longer, then the one whose
        /// openers come first in source order. A total order, so joins terminate.
        /// </summary>
        public static OpenerStack? Prefer(OpenerStack? a, OpenerStack? b)
        {
            if (ReferenceEquals(a, b)) return a;
            if (a is null) return b;
            if (b is null) return a;
            if (a.Length != b.Length) return a.Length > b.Length ? a : b;
            OpenerStack? x = a, y = b;
            while (x != null && y != null)
            {
                if (!ReferenceEquals(x.Top, y.Top))
                {
                    if (x.Top.Position != y.Top.Position) return x.Top.Position < y.Top.Position ? a : b;
                    int c = string.CompareOrdinal(x.Top.Location.SourceTree?.FilePath, y.Top.Location.SourceTree?.FilePath);
                    if (c != 0) return c < 0 ? a : b;
                }
                x = x.Rest;
                y = y.Rest;
            }
            return a;
        }

        public static bool SameOpeners(OpenerStack? a, OpenerStack? b)
        {
            while (true)
            {
                if (ReferenceEquals(a, b)) return true;
                if (a is null || b is null || a.Length != b.Length || !ReferenceEquals(a.Top, b.Top)) return false;
                a = a.Rest;
                b = b.Rest;
            }
        }
    }
}
