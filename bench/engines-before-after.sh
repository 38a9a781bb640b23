#!/usr/bin/env bash
# Model-only speed, before and after issue 19 (our hand-written C-API binding over npm's libonnxruntime 1.30.0 →
# ONNX Runtime's own .NET API over NuGet's Microsoft.ML.OnnxRuntime.Gpu.Linux 1.30.0), in one run: the commit before
# the change is built in a temporary worktree, and both builds' `stream-matte bench` (model only) and a whole offline
# run (per stage) go in alternating rounds so that the load of the machine hits both alike. Writes bench/results/EnginesBeforeAfter.md and .csv.
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
clip=../shared/data/videos/talking_head_1080p.mp4   # the per-stage runs
models=(stream_matte_student_r18x05 stream_matte_student_r18x05_int8 rvm_mobilenetv3_fp32 selfie_segmentation_256)
args=(); for m in "${models[@]}"; do args+=(-m "$m"); done
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$cpu, $(nproc) logical cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start, measured $(date -u +%F)"
# REPORT_ONLY=1: write the tables again from the last run's raw figures in /tmp. STAGE_ROUNDS=N: the per-stage part
# only, N rounds (the model-only figures are the last run's), for the noisier per-stage table. MODEL_ONLY=1: the
# model-only part only (the per-stage figures are the last run's).
stage_rounds=${STAGE_ROUNDS:-$rounds}
if [ -z "${REPORT_ONLY:-}" ]; then
if [ -z "${STAGE_ROUNDS:-}" ]; then
echo "$machine" > /tmp/engines-machine.txt
rm -f /tmp/engines-before.jsonl /tmp/engines-after.jsonl
for size in 512x288 512x512; do
  for r in $(seq "$rounds"); do
    order="before after"; [ $((r % 2)) = 0 ] && order="after before"   # ABBA: neither build always runs first
    for which in $order; do
      dll=src/Cli/bin/Release/net10.0/stream-matte.dll; [ $which = before ] && dll=$tree/$dll
      dotnet "$dll" bench "${args[@]}" --size "$size" --runs "$runs" --threads 2 --device cpu --models-dir ../shared/models --json \
        | sed "s/^{/{\"round\":$r,/" >> /tmp/engines-$which.jsonl
    done
  done
done
fi
if [ -z "${MODEL_ONLY:-}" ]; then
echo "$machine" > /tmp/engines-stages-machine.txt
# Per stage: the whole offline pipeline on a real 1080p clip (decode → preprocess → infer → refine → composite →
# output), the default model, written to null; each build's own stage table (p50 per stage, first 30 frames left out).

rm -f /tmp/engines-stages-before.txt /tmp/engines-stages-after.txt
for r in $(seq "$stage_rounds"); do
  order="before after"; [ $((r % 2)) = 0 ] && order="after before"
  for which in $order; do
    dll=src/Cli/bin/Release/net10.0/stream-matte.dll; [ $which = before ] && dll=$tree/$dll
    echo "round $r" >> /tmp/engines-stages-$which.txt
    dotnet "$dll" -i "$clip" -o null --frames 120 --threads 2 --device cpu --model "$PWD/models/stream_matte_student_r18x05.onnx" 2>&1 | sed -n '/^stage  /,$p' >> /tmp/engines-stages-$which.txt
  done
done
echo "$stage_rounds" > /tmp/engines-stages-rounds.txt
fi
fi
machine=$(cat /tmp/engines-machine.txt); stage_machine=$(cat /tmp/engines-stages-machine.txt 2>/dev/null || echo "$machine")
[ -n "${STAGE_ROUNDS:-}" ] || stage_rounds=$(cat /tmp/engines-stages-rounds.txt 2>/dev/null || echo "$stage_rounds")
/usr/bin/python3 - "$machine" "$rounds" "$runs" "$before" "$out" "$clip" "$stage_rounds" "$stage_machine" <<'PY'
import json, re, sys, statistics
machine, rounds, runs, before, out, clip, stage_rounds, stage_machine = sys.argv[1:]
rows = {w: [json.loads(l) for l in open(f"/tmp/engines-{w}.jsonl") if l.strip()] for w in ("before", "after")}
md = ["# Engines before and after (issue 19)", "", f"Reproduce: `bench/engines-before-after.sh {rounds} {runs} {before}`"
      + ("" if stage_rounds == rounds else f", then the per-stage part again: `STAGE_ROUNDS={stage_rounds} bench/engines-before-after.sh {rounds} {runs} {before}`"), "",
      f"Machine: {machine}", "",
      "**Model only** (prepare the tensor, run, read), CPUExecutionProvider, 2 threads. *before*: commit "
      f"{before}, our C-API binding over npm's onnxruntime-node 1.30.0 library; *after*: ONNX Runtime's .NET API "
      "(Microsoft.ML.OnnxRuntime.Managed 1.30.0) over Microsoft.ML.OnnxRuntime.Gpu.Linux 1.30.0's library. "
      f"{rounds} rounds of {runs} runs each, the two builds taking turns to go first; the figure is the median of the rounds' p50, "
      "and the spread is the rounds' p50 range (this machine's speed drifts by more than 5 % between minutes); the paired ratio is "
      "the median of each round's own after/before.", "",
      "| frame | model | before p50 ms (spread) | after p50 ms (spread) | after / before (medians) | after / before (paired, middle half) |",
      "| --- | --- | ---: | ---: | ---: | ---: |"]
def paired(b, a):
    """The median of each round's after/before (the two runs of a round are minutes apart at most, so the machine's
    drift between rounds cancels), with the middle half of those ratios."""
    ratios = sorted(a[r] / b[r] for r in b if r in a and b[r] > 0)
    if not ratios: return None, ""
    q = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else [ratios[0]] * 3
    return statistics.median(ratios), f"{q[0]:.3f}–{q[2]:.3f}"
def spread(values):
    return f"{min(values):.1f}–{max(values):.1f}"
csv = ["frame,model,before_p50_ms,after_p50_ms,ratio_of_medians,paired_ratio"]
for size in ("512x288", "512x512"):
    for model in dict.fromkeys(r["model"] for r in rows["before"] if r["size"] == size):
        bs = [r["p50_ms"] for r in rows["before"] if r["size"] == size and r["model"] == model]
        as_ = [r["p50_ms"] for r in rows["after"] if r["size"] == size and r["model"] == model]
        b, a = statistics.median(bs), statistics.median(as_)
        pr, iqr = paired({r["round"]: r["p50_ms"] for r in rows["before"] if r["size"] == size and r["model"] == model},
                         {r["round"]: r["p50_ms"] for r in rows["after"] if r["size"] == size and r["model"] == model})
        md.append(f"| {size} | {model} | {b:.1f} ({spread(bs)}) | {a:.1f} ({spread(as_)}) | {a / b:.3f} | {pr:.3f} ({iqr}) |")
        csv.append(f"{size},{model},{b},{a},{a / b:.4f},{pr:.4f}")
def stages(which):
    """{stage: {round: p50}} from the stage tables of one build's runs."""
    table, r = {}, 0
    for line in open(f"/tmp/engines-stages-{which}.txt"):
        if line.startswith("round "): r = int(line.split()[1]); continue
        m = re.match(r"^(\S.*?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)(?:\s+([\d.]+))?$", line.rstrip())
        if m:
            table.setdefault(m.group(1), {})[r] = float(m.group(2))
            if m.group(7): cpu.setdefault(which, {}).setdefault(m.group(1), []).append(float(m.group(7)))
    return table
cpu = {}   # {build: {stage: [mean CPU ms per frame of each round]}}: the stage's own thread, where the build reports it
sb, sa = stages("before"), stages("after")
md += ["", f"**Per stage**: the offline pipeline on `{clip.split('/')[-1]}` (1920×1080, first 120 frames, default model and settings, "
       f"`-o null --threads 2 --device cpu`), each build's own stage table, {stage_rounds} rounds taking turns to go first "
       f"(machine: {stage_machine}); the figures are the median over the rounds of each stage's p50, and the median of the "
       "rounds' own after/before ratios (paired: each round's two runs are next to each other, so the machine's drift between "
       "rounds cancels) with the middle half of those ratios. "
       "The stages overlap (each runs on its own task), so a stage's time includes waiting for the cores the others use.", "",
       "The last column is the stage's own CPU time per frame (the after build reports it; the before build does not): the rest "
       "of its wall time it waited.", "",
       "| stage | before p50 ms (spread) | after p50 ms (spread) | after / before (medians) | after / before (paired, middle half) | after: own CPU ms per frame |",
       "| --- | ---: | ---: | ---: | ---: | ---: |"]
csv.append("")
csv.append("stage,before_p50_ms,after_p50_ms,ratio_of_medians,paired_ratio")
for stage in sb:
    if stage not in sa: continue
    bv, av = list(sb[stage].values()), list(sa[stage].values())
    b, a = statistics.median(bv), statistics.median(av)
    pr, iqr = paired(sb[stage], sa[stage])
    md.append(f"| {stage} | {b:.1f} ({spread(bv)}) | {a:.1f} ({spread(av)}) | " + (f"{a / b:.3f} |" if b > 0 else "— |")
              + (f" {pr:.3f} ({iqr}) |" if pr is not None else " — |")
              + (f" {statistics.median(cpu['after'][stage]):.1f} |" if stage in cpu.get("after", {}) else " — |"))
    csv.append(f"{stage},{b},{a},{a / b:.4f},{pr:.4f}" if b > 0 and pr is not None else f"{stage},{b},{a},,")
open(f"{out}/EnginesBeforeAfter.md", "w").write("\n".join(md) + "\n")
open(f"{out}/EnginesBeforeAfter.csv", "w").write("\n".join(csv) + "\n")
print("\n".join(md))
PY
