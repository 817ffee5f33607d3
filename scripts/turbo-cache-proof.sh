#!/usr/bin/env bash
# Proves the two caching claims of the build (issue 2), with turbo's own run summaries:
#
#   1. `pnpm build` twice in a row: the second run is a full cache hit (">>> FULL TURBO").
#   2. A one-line edit to one spec (a YAML comment appended to specs/ding.yaml) re-runs only that
#      vendor package's tasks (@otpkit/ding#generate and #build) and those of the packages built on
#      it (@otpkit/verify); every other task is a cache hit.
#
# Usage: pnpm cache:proof   (or: bash scripts/turbo-cache-proof.sh)
# Exit status: 0 when both claims hold, 1 when either fails (or a build fails).
#
# Safe in a working copy: the spec is backed up before the edit and put back byte for byte by a
# trap (also on failure, Ctrl-C or kill), and a last `pnpm build` (a cache hit) puts the build
# outputs back to match it. Nothing is deleted; the only files added are turbo's run summaries
# (.turbo/runs/*.json, git-ignored) and cache entries. It does not force or clean anything, so the
# first build is whatever your tree needs (cold on a fresh clone, cached otherwise).
#
# The edit is a unique comment (timestamp and pid), so the edited spec is never in the cache
# already, however often the proof runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

spec="specs/ding.yaml"
package="@otpkit/ding"
backup=""
edited=0

restore() {
  local status=$?
  if [[ -n "$backup" && -f "$backup" ]]; then
    if [[ $edited == 1 ]]; then
      # cat, not mv: keeps the file's inode, mode and owner.
      cat "$backup" > "$spec"
      echo "cache-proof: restored $spec"
      if [[ $status != 0 ]]; then
        echo "cache-proof: the build outputs may still reflect the edited spec; run \`pnpm build\` (a cache hit) to put them back." >&2
      fi
    fi
    rm -f "$backup"
  fi
  exit "$status"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ! -d node_modules ]]; then
  echo "cache-proof: no node_modules yet, installing (pnpm install --frozen-lockfile)"
  pnpm install --frozen-lockfile
fi

summary_file() {
  # turbo prints "Summary:    <path>.json" at the end of a --summarize run.
  sed -n 's/^[[:space:]]*Summary:[[:space:]]*\(.*\.json\)[[:space:]]*$/\1/p' "$1" | tail -n 1
}

# Prints one line per task of a run summary: "<taskId> <HIT|MISS>".
task_statuses() {
  node -e '
    const s = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    for (const t of s.tasks) console.log(`${t.taskId} ${t.cache.status}`);
  ' "$1"
}

# build <label>: runs `pnpm build --summarize`, shows turbo's summary lines, sets $run_summary.
run_summary=""
build() {
  local label="$1" log
  log="$(mktemp "${TMPDIR:-/tmp}/otpkit-cache-proof.XXXXXX")"
  echo
  echo "=== $label: pnpm build"
  local start=$SECONDS
  if ! pnpm build --summarize > "$log" 2>&1; then
    cat "$log"
    rm -f "$log"
    echo "cache-proof: FAIL: pnpm build failed ($label)" >&2
    exit 1
  fi
  grep -E '^[[:space:]]*(Tasks|Cached|Time):' "$log" | sed 's/^[[:space:]]*/    /'
  grep -E 'cache (miss|hit|bypass)' "$log" | sed 's/^/    /' || true
  run_summary="$(summary_file "$log")"
  rm -f "$log"
  if [[ -z "$run_summary" || ! -f "$run_summary" ]]; then
    echo "cache-proof: FAIL: turbo wrote no run summary ($label)" >&2
    exit 1
  fi
  echo "    ($((SECONDS - start)) s; summary $run_summary)"
}

failures=0

build "1/4 first build (cold or cached, whatever the tree needs)"

build "2/4 the same build again"
misses="$(task_statuses "$run_summary" | awk '$2 != "HIT" { print $1 }')"
total="$(task_statuses "$run_summary" | wc -l | tr -d ' ')"
if [[ -z "$misses" && "$total" -gt 0 ]]; then
  echo "PASS: the second build is a full cache hit ($total of $total tasks cached, FULL TURBO)."
else
  echo "FAIL: the second build re-ran tasks that should have been cached:" >&2
  echo "$misses" | sed 's/^/    /' >&2
  failures=$((failures + 1))
fi

backup="$(mktemp "${TMPDIR:-/tmp}/otpkit-cache-proof-spec.XXXXXX")"
cp "$spec" "$backup"
edited=1
# A spec without a final newline would otherwise get the comment glued to its last line.
if [[ -n "$(tail -c 1 "$spec")" ]]; then printf '\n' >> "$spec"; fi
printf '# cache-proof edit %s-%s: a comment only; scripts/turbo-cache-proof.sh removes it.\n' "$(date -u +%Y%m%dT%H%M%SZ)" "$$" >> "$spec"
echo
echo "=== edited $spec (one comment line appended)"

build "3/4 build after the one-line spec edit"
statuses="$(task_statuses "$run_summary")"
ran="$(echo "$statuses" | awk '$2 != "HIT" { print $1 }')"
# The packages that depend on $package (@otpkit/verify) are built on it, so they re-run with it.
dependents="$(node -e '
  const fs = require("node:fs");
  for (const dir of fs.readdirSync("packages")) {
    const file = `packages/${dir}/package.json`;
    const pkg = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    if (pkg.dependencies?.[process.argv[1]]) console.log(pkg.name);
  }' "$package")"
allowed="$(printf '%s\n' "$package" $dependents | sed 's/$/#/')"
dependent_list="$(echo $dependents | sed 's/ /, /g')"
others="$(echo "$ran" | grep -vF "$allowed" || true)"
own="$(echo "$ran" | grep "^$package#" || true)"
expected="$(echo "$statuses" | awk '{ print $1 }' | grep "^$package#" || true)"
echo "    tasks that missed the cache and ran:"
echo "${ran:-    (none)}" | sed 's/^/      /'
if [[ -n "$ran" && -z "$others" && "$own" == "$expected" ]] && grep -qx "$package#build" <<< "$ran"; then
  echo "PASS: only $package's tasks re-ran${dependents:+, and those of the packages built on it ($dependent_list)} ($(echo "$ran" | wc -l | tr -d ' ') of $(echo "$statuses" | wc -l | tr -d ' ')); every other task was a cache hit."
else
  echo "FAIL: expected exactly $package's tasks${dependents:+ (and those of $dependent_list)} to re-run, got:" >&2
  echo "${ran:-(none)}" | sed 's/^/    /' >&2
  failures=$((failures + 1))
fi

cat "$backup" > "$spec"
if ! cmp -s "$backup" "$spec"; then
  echo "cache-proof: FAIL: could not restore $spec; its original is kept at $backup" >&2
  backup=""
  exit 1
fi
edited=0
rm -f "$backup"
backup=""
echo
echo "=== restored $spec"

build "4/4 build after restoring the spec (puts the outputs back; a cache hit)"
misses="$(task_statuses "$run_summary" | awk '$2 != "HIT" { print $1 }')"
if [[ -n "$misses" ]]; then
  echo "note: the build after restoring re-ran tasks (was the spec edited during the proof?):"
  echo "$misses" | sed 's/^/    /'
fi

echo
if [[ $failures == 0 ]]; then
  echo "cache-proof: PASS (full cache hit on rerun; a one-line edit to $spec re-runs only $package${dependents:+ and the packages built on it})"
else
  echo "cache-proof: FAIL ($failures claim(s) did not hold)" >&2
  exit 1
fi
