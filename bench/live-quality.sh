#!/usr/bin/env bash
# Quality of the live matte (issue 20), written to bench/results/LiveMatteQuality.md and .csv: each moving clip is
# played at 30 fps through the live pipeline with the defaults (live default model, --model-size auto); every frame
# that comes out is compared with the same model run offline on that very frame, at the size the live run ended at.
# Mean IoU (alpha > 0.5) over the frames out (target >= 0.95) and flicker (mean |d alpha| on still pixels) of both.
# A clip shorter than FRAMES at 30 fps is played forwards and back to FRAMES (bench/pingpong-clip.sh; no cut), so the
# first seconds (warm-up) weigh as in a longer session; PINGPONG=off plays the clips as they are.
# WARP=off runs it with the motion warp off (--motion-warp off; default on), written to LiveMatteQuality-warp-off.md and
# .csv; the warp's time per warped frame is reported.
#   bench/live-quality.sh [FRAMES]     (from the repository root, after ./setup.sh; needs ../shared/data; CLIPS=… to choose clips)
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-240}
out=bench/results
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$cpu, $(nproc) logical cores, $(uname -sr), measured $(date -u +%F), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
videos=../shared/data/videos
# CLIPS="desk_woman_540p.mp4 1280x720,clip_a.mp4 1280x720" measures only those
IFS=',' read -r -a clips <<<"${CLIPS:-desk_woman_540p.mp4 1280x720,bookshelf_man_576p.mp4 1280x720,talking_head_1080p.mp4 1920x1080,clip_a.mp4 1280x720,street_crowd_720p.avi 1280x720}"
dotnet build -c Release bench/StreamMatte.Bench.csproj -v q -nologo > /dev/null
jsonl=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$jsonl"' EXIT
for entry in "${clips[@]}"; do
  read -r clip size <<<"$entry"
  path=$videos/$clip
  [ "${PINGPONG:-on}" = off ] || path=$(bench/pingpong-clip.sh "$path" "$tmp/${clip%.*}_pingpong.mp4" "$frames" 30)
  dotnet bench/bin/Release/net10.0/StreamMatte.Bench.dll live-quality "$path" --size "$size" --fps 30 --frames "$frames" --motion-warp "${WARP:-on}" | tail -1 \
    | /usr/bin/python3 -c "import json, sys; r = json.loads(sys.stdin.read()); r['clip'] = '$clip' + ('' if '$path' == '$videos/$clip' else ' (forwards and back)'); print(json.dumps(r))" | tee -a "$jsonl"
done
/usr/bin/python3 - "$machine" "$frames" "$out" "$jsonl" <<'PY'
import json, os, sys
machine, frames, out, jsonl = sys.argv[1:5]
rows = [json.loads(l) for l in open(jsonl) if l.strip().startswith("{")]
warp = rows[0]["motion_warp"] if rows else "on"
prefix = ("WARP=off " if warp == "off" else "") + ("PINGPONG=off " if os.environ.get("PINGPONG") == "off" else "")
md = ["# LiveMatteQuality" + (" (motion warp off)" if warp == "off" else ""), "", f"Reproduce: `{prefix}bench/live-quality.sh {frames}`", "", f"Machine: {machine}", "",
      f"Each clip played at 30 fps (up to {frames} frames; a shorter clip forwards and back to {frames}, marked so) through the live pipeline with the defaults; every frame out is compared with the same "
      "model run offline on that very frame, at the network size the live run ended at. IoU of alpha > 0.5, mean over the frames out "
      "(target >= 0.95); flicker = mean |d alpha| on still pixels, live and offline. Matte age = frames between a frame and the frame its matte came from. "
      "Motion warp: whether each frame's matte was moved by the motion since its frame (--motion-warp); warp ms = its time per warped frame, p50/p95. "
      "Mean IoU and min IoU are the headline. Beside it, diagnostics paired and apart from the load: the live run's schedule (each frame out, the frame its matte "
      "came from, the matte's size) replayed on raw offline mattes (no smoothing, no refine) at the matte's size: own-size stale = the matte's frame's matte against "
      "the frame's own at the live matte's size (what the age costs), warped = the same moved by the motion warp; size only = the frame's own matte at the live "
      "size against the one at the end size (what the size changes cost).", "",
      "| clip | size | model | frames out | network (end) | size changes | mattes /s | age p50/p95 | motion warp | warp ms p50/p95 | mean IoU | min IoU | flicker live | flicker offline | own-size stale → warped | size only |",
      "| --- | --- | --- | ---: | --- | ---: | ---: | --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |"]
csv = ["clip,size,model,frames_in,frames_out,network,size_changes,mattes_per_s,age_p50,age_p95,motion_warp,warp_ms_p50,warp_ms_p95,mean_iou,min_iou,flicker_live,flicker_offline,iou_own_size_stale,iou_own_size_warped,iou_size_only"]
ms = lambda v: "-" if isinstance(v, str) or v != v else f"{v:.1f}"   # NaN (warp off; JSON writes it as a string) as a dash
for r in rows:
    md.append(f"| {r['clip']} | {r['size']} | {r['model']} | {r['frames_out']} / {r['frames_in']} | {r['network']} | {r['size_changes']} | {r['mattes_per_second']:.1f} | "
              f"{r['age_p50']:.0f}/{r['age_p95']:.0f} | {r['motion_warp']} | {ms(r['warp_ms_p50'])}/{ms(r['warp_ms_p95'])} | {r['mean_iou']:.4f} | {r['min_iou']:.4f} | {r['flicker_live']:.6f} | {r['flicker_offline']:.6f} | "
              f"{r['iou_own_size_stale']:.4f} → {r['iou_own_size_warped']:.4f} | {r['iou_size_only']:.4f} |")
    csv.append(",".join(str(r[k]) for k in ["clip","size","model","frames_in","frames_out","network","size_changes","mattes_per_second","age_p50","age_p95","motion_warp","warp_ms_p50","warp_ms_p95","mean_iou","min_iou","flicker_live","flicker_offline","iou_own_size_stale","iou_own_size_warped","iou_size_only"]))
name = "LiveMatteQuality" + ("-warp-off" if warp == "off" else "")   # the two side by side, each its own file
open(f"{out}/{name}.md", "w").write("\n".join(md) + "\n")
open(f"{out}/{name}.csv", "w").write(f"# bench/live-quality.sh {frames}\n# {machine}\n" + "\n".join(csv) + "\n")
print("\n".join(md))
PY
