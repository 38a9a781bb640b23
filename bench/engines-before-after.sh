#!/usr/bin/env bash
# Model-only speed, before and after issue 19 (our hand-written C-API binding over npm's libonnxruntime 1.30.0 →
# ONNX Runtime's own .NET API over NuGet's Microsoft.ML.OnnxRuntime.Gpu.Linux 1.30.0), in one run: the commit before
# the change is built in a temporary worktree, and both builds' `stream-matte bench` run in alternating rounds so that
# the load of the machine hits both alike. Writes bench/results/EnginesBeforeAfter.md and .csv.
#   bench/engines-before-after.sh [ROUNDS] [RUNS_PER_ROUND] [BEFORE_COMMIT]
# (from the repository root after ./setup.sh; needs ../shared/models and npm once, for the old build's library)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}; runs=${2:-10}; before=${3:-8448e0e}
out=bench/results; mkdir -p "$out"
tree=/tmp/stream-matte-before-$before
if [ ! -f "$tree/src/Cli/bin/Release/net10.0/stream-matte.dll" ]; then
  # A plain export of that commit (not a git worktree: nothing is registered in the repository).
  [ -d "$tree" ] || { mkdir -p "$tree" && git archive "$before" | tar -x -C "$tree"; }
  (cd "$tree" && ./setup.sh >/dev/null)   # the old set-up: npm's library into its .cache/, and a Release build
fi
models=(stream_matte_student_r18x05 stream_matte_student_r18x05_int8 rvm_mobilenetv3_fp32 selfie_segmentation_256)
args=(); for m in "${models[@]}"; do args+=(-m "$m"); done
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$cpu, $(nproc) logical cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start, measured $(date -u +%F)"
rm -f /tmp/engines-before.jsonl /tmp/engines-after.jsonl
for size in 512x288 512x512; do
  for r in $(seq "$rounds"); do
    for which in before after; do
      dll=src/Cli/bin/Release/net10.0/stream-matte.dll; [ $which = before ] && dll=$tree/$dll
      dotnet "$dll" bench "${args[@]}" --size "$size" --runs "$runs" --threads 2 --device cpu --models-dir ../shared/models --json \
        | sed "s/^{/{\"round\":$r,/" >> /tmp/engines-$which.jsonl
    done
  done
done
/usr/bin/python3 - "$machine" "$rounds" "$runs" "$before" "$out" <<'PY'
import json, sys, statistics
machine, rounds, runs, before, out = sys.argv[1:]
rows = {w: [json.loads(l) for l in open(f"/tmp/engines-{w}.jsonl") if l.strip()] for w in ("before", "after")}
md = ["# Engines before and after (issue 19)", "", f"Reproduce: `bench/engines-before-after.sh {rounds} {runs} {before}`", "",
      f"Machine: {machine}", "",
      "**Model only** (prepare the tensor, run, read), CPUExecutionProvider, 2 threads. *before*: commit "
      f"{before}, our C-API binding over npm's onnxruntime-node 1.30.0 library; *after*: ONNX Runtime's .NET API "
      "(Microsoft.ML.OnnxRuntime.Managed 1.30.0) over Microsoft.ML.OnnxRuntime.Gpu.Linux 1.30.0's library. "
      f"{rounds} alternating rounds of {runs} runs each; the figure is the median of the rounds' p50.", "",
      "| frame | model | before p50 ms | after p50 ms | after / before |", "| --- | --- | ---: | ---: | ---: |"]
csv = ["frame,model,before_p50_ms,after_p50_ms,ratio"]
for size in ("512x288", "512x512"):
    for model in dict.fromkeys(r["model"] for r in rows["before"] if r["size"] == size):
        b = statistics.median(r["p50_ms"] for r in rows["before"] if r["size"] == size and r["model"] == model)
        a = statistics.median(r["p50_ms"] for r in rows["after"] if r["size"] == size and r["model"] == model)
        md.append(f"| {size} | {model} | {b:.1f} | {a:.1f} | {a / b:.3f} |")
        csv.append(f"{size},{model},{b},{a},{a / b:.4f}")
open(f"{out}/EnginesBeforeAfter.md", "w").write("\n".join(md) + "\n")
open(f"{out}/EnginesBeforeAfter.csv", "w").write("\n".join(csv) + "\n")
print("\n".join(md))
PY
