#!/usr/bin/env bash
# Issue 4, from the command line as a user would do it: on a scratch copy of the repository, let
# `dotnet format analyzers` apply the ACA0001 fixes to the project that holds the 2.6.32 exit path
# (it applies the first fix offered: the stack-passed gather), build the rewritten copy and run the
# simulation on it. The last line printed is the simulation's summary line.
#
#   scripts/stack-gather-fix-demo.sh [seeds]      (default 1000; SCRATCH=dir to choose the copy's place)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds="${1:-1000}"
scratch="${SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/aca-stack-gather-demo.XXXXXX")}"
core="src/AtomicContext.MmCore/AtomicContext.MmCore.csproj"
exit_path="src/AtomicContext.MmCore/mm/v2.6.32/exit_path.cs"
start=$(date +%s)

echo "== copying $repo to $scratch (without bin/, obj/, .git/)"
mkdir -p "$scratch"
tar -C "$repo" --exclude=./.git --exclude='*/bin' --exclude='*/obj' -cf - . | tar -C "$scratch" -xf -
cd "$scratch"

# The fixes must be loaded where the analyzer is: a project that uses the package gets both from its
# analyzers/dotnet/cs folder; the in-repo core references the analyzer project, so give the copy the
# code-fix project the same way if the core does not already.
if ! grep -q 'AtomicContext.CodeFixes.csproj' "$core"; then
    echo "== adding the code-fix project as an analyzer reference of the copy's $core"
    sed -i 's#\(<ProjectReference Include="..\\AtomicContext.Analyzers\\AtomicContext.Analyzers.csproj"[^>]*/>\)#\1\n    <ProjectReference Include="..\\AtomicContext.CodeFixes\\AtomicContext.CodeFixes.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />#' "$core"
    grep -q 'AtomicContext.CodeFixes.csproj' "$core" || { echo "could not add the code-fix reference to $core" >&2; exit 1; }
fi

echo "== building the copy's core (analyzers and fixes included); its ACA0001 findings:"
dotnet build "$core" -nologo -v q -clp:NoSummary > "$scratch/build.before.log" 2>&1 || { cat "$scratch/build.before.log"; exit 1; }
grep -o 'warning ACA0001: [^[]*' "$scratch/build.before.log" | sort -u || true

echo "== dotnet format analyzers $core --diagnostics ACA0001"
cp "$exit_path" "$scratch/exit_path.before.cs"
fmt_start=$(date +%s)
dotnet format analyzers "$core" --diagnostics ACA0001 --severity warn --no-restore -v n
echo "   (dotnet format took $(( $(date +%s) - fmt_start )) s)"

echo "== what it changed in $exit_path"
diff -u "$scratch/exit_path.before.cs" "$exit_path" || true
if ! grep -q 'tlb_3_0.tlb_gather_mmu(' "$exit_path"; then
    echo "dotnet format did not rewrite the exit path to the stack gather" >&2
    exit 1
fi

echo "== building the rewritten copy; its ACA0001 findings now:"
dotnet build samples/ExitMmapRace -nologo -v q -clp:NoSummary > "$scratch/build.after.log" 2>&1 || { cat "$scratch/build.after.log"; exit 1; }
grep -o 'warning ACA0001: [^[]*' "$scratch/build.after.log" | sort -u || true

echo "== the simulation on the rewritten 2.6.32 path (--gather per-cpu runs it)"
echo "   (demo so far: $(( $(date +%s) - start )) s)"
dotnet run --project samples/ExitMmapRace --no-build -- --gather per-cpu --seeds "$seeds" | tail -n 3
