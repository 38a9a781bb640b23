#!/usr/bin/env bash
# What the live motion warp buys, apart from the machine's load (issue 20), written to bench/results/MotionWarpQuality.md:
# the live default model runs offline on every frame of each moving clip at one network size; each frame's matte is
# then replaced by the matte of the frame k before it (as live mode gives it when the matte is k frames old), unwarped
# and warped by the motion from that frame (MotionWarp). Mean IoU (alpha > 0.5, at the matte's own size) of each against
# the frame's own matte, per age k, and the warp's time per frame.
#   bench/warp-quality.sh [FRAMES] [MODEL_SIZE]     (from the repository root, after ./setup.sh; needs ../shared/data; CLIPS=… to choose)
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-240}
size=${2:-256}
out=bench/results
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$cpu, $(nproc) logical cores, $(uname -sr), measured $(date -u +%F), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
videos=../shared/data/videos
IFS=',' read -r -a clips <<<"${CLIPS:-desk_woman_540p.mp4 1280x720,bookshelf_man_576p.mp4 1280x720,talking_head_1080p.mp4 1920x1080,clip_a.mp4 1280x720,street_crowd_720p.avi 1280x720}"
dotnet build -c Release bench/StreamMatte.Bench.csproj -v q -nologo > /dev/null
jsonl=$(mktemp)
for entry in "${clips[@]}"; do
  read -r clip framesize <<<"$entry"
  dotnet bench/bin/Release/net10.0/StreamMatte.Bench.dll warp-quality "$videos/$clip" --size "$framesize" --frames "$frames" --model-size "$size" | grep '^{' | tee -a "$jsonl"
done
/usr/bin/python3 - "$machine" "$frames" "$size" "$out" "$jsonl" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
machine, frames, size, out, jsonl, load_end = sys.argv[1:7]
rows = [json.loads(l) for l in open(jsonl)]
ages = sorted({r["age"] for r in rows})
clips = list(dict.fromkeys(r["clip"] for r in rows))
md = ["# MotionWarpQuality", "", f"Reproduce: `bench/warp-quality.sh {frames} {size}`", "", f"Machine: {machine}; at the end {load_end}", "",
      f"The live default model run offline on every frame (up to {frames}) at long side {size}, no smoothing. Each frame's matte replaced by the one "
      "of the frame k before it, as live mode gives it when the matte is k frames old: unwarped / warped by the motion from that frame to this one "
      "(MotionWarp: Farnebäck flow at long side 128, remap). Mean IoU of alpha > 0.5 against the frame's own matte, at the matte's size "
      "(not the live headline, which compares full-size mattes after the refine stage; this one isolates the warp from the machine's load).", "",
      "| clip | matte | " + " | ".join(f"age {a}: unwarped → warped" for a in ages) + " | warp ms p50/p95 |",
      "| --- | --- | " + " | ".join("---" for _ in ages) + " | --- |"]
for c in clips:
    rs = {r["age"]: r for r in rows if r["clip"] == c}
    last = rs[ages[-1]]
    md.append(f"| {c} | {last['matte']} | " + " | ".join(f"{rs[a]['iou_unwarped']:.4f} → {rs[a]['iou_warped']:.4f}" for a in ages)
              + f" | {last['warp_ms_p50']:.1f}/{last['warp_ms_p95']:.1f} |")
open(f"{out}/MotionWarpQuality.md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
