#!/usr/bin/env bash
# Whole-process times of the commands operators wait on: status, health, releases, lock status and
# config on a live local stack, with `docker ps` beside them as the floor (a process that asks the
# same engine one question). Uses hyperfine; target 0.5 s per command (reported, never asserted).
# Writes docs/benchmarks/commands.json (hyperfine's JSON) and the "## commands" section of
# docs/benchmarks.md; other sections are kept.
#
# Needs: the command built (./mvnw -q install -DskipTests), hyperfine (Debian: apt-get install
# hyperfine), a Docker engine. When the sample stack is not up it runs `./deploykit demo` first
# (about a minute) and takes it down again at the end.
#
# Usage: bench/commands.sh            20 runs per command after 3 warm-ups
#        RUNS=50 bench/commands.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
command -v hyperfine >/dev/null || { echo "bench/commands.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
stack=(-f examples/compose.yaml)
started_demo=false
if ! ./deploykit "${stack[@]}" --json status 2>/dev/null | grep -q '"live" *: *{'; then
  echo "bench/commands.sh: the sample stack is not up; running ./deploykit demo first" >&2
  ./deploykit demo >/dev/null
  started_demo=true
fi

mkdir -p docs/benchmarks
json=docs/benchmarks/commands.json
hyperfine -N -w 3 -r "${RUNS:-20}" --export-json "$json" \
  -n status "./deploykit ${stack[*]} status" \
  -n health "./deploykit ${stack[*]} health" \
  -n releases "./deploykit ${stack[*]} releases" \
  -n "lock status" "./deploykit ${stack[*]} lock status" \
  -n config "./deploykit ${stack[*]} config" \
  -n "version (JVM start)" "./deploykit --version" \
  -n "docker ps" "docker ps" >&2
load="$(cut -d' ' -f1-3 /proc/loadavg)"
java_version="$(./deploykit --version)"

python3 - "$json" "$load" "$java_version" docs/benchmarks.md <<'PY'
import json, sys
path, load, java, md = sys.argv[1:5]
results = json.load(open(path))["results"]
rows = []
for r in results:
    name = r["command"]
    ms = lambda v: f"{v * 1000:.0f}"
    target = "" if name in ("docker ps", "version (JVM start)") else (
        "met" if r["median"] <= 0.5 else "not met")
    rows.append(f"| `{name}` | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'])} | "
                f"{ms(r['min'])}-{ms(r['max'])} | {ms(r['user'])} | {target} |")
section = "\n".join([
    "## commands", "",
    "What is measured: the whole process of each read-only command on the live sample stack",
    "(`./deploykit demo` left up), as hyperfine times it (3 warm-ups, then the runs), beside",
    "`docker ps` (one question to the same engine from a native binary) and `deploykit --version`",
    "(the JVM's start and the command line, no engine). Target: at most 0.5 s per command",
    "(median). The launcher runs the JVM with the client compiler only, the serial collector and",
    "the AppCDS archive the build made (`cli/pom.xml`, `./deploykit`). Written by",
    "`bench/commands.sh`; hyperfine's JSON is `docs/benchmarks/commands.json`.", "",
    f"Run: {java}; load average at the end {load} (2 cores, shared).", "",
    "| command | median ms | mean ms | min-max ms | user CPU ms | target 0.5 s |",
    "|---|---|---|---|---|---|", *rows, ""])
doc = open(md).read()
start = doc.find("\n## commands\n")
if start < 0:
    doc = doc.rstrip("\n") + "\n\n" + section
else:
    end = doc.find("\n## ", start + 1)
    doc = doc[:start + 1] + section + (doc[end:] if end >= 0 else "")
open(md, "w").write(doc)
print(section)
PY

if [ "$started_demo" = true ]; then
  ./deploykit demo --down >/dev/null
fi
