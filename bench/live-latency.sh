#!/usr/bin/env bash
# Live capture-to-output latency at 30 fps (issues 7 and 20), written to bench/results/LiveLatency.md and .csv.
# A file played at its own rate stands in for a camera (--realtime: live mode); the output is discarded (-o null) so
# the figure is the pipeline's, not an encoder's. The first 30 frames (JIT, first inferences) are left out of the
# timings. Rows:
#   defaults 720p    a 720p clip fed at 30 fps with no model options (issue 20: >= 95 % out, p95 <= 100 ms, beyond inference p95 <= 33 ms)
#   defaults 1 core  the same pinned to one core with taskset -c 0 (>= 90 % out, matte refresh rate reported)
#   defaults 1080p   1080p at 30 fps with no model options (>= 95 % out), the clip scaled and a native 1080p clip (the
#                    100-frame talking head played forwards and back to 366 frames, bench/pingpong-clip.sh, like the rows above)
#   MODEL            the named models (MODELS=…, default: the int8 student and MediaPipe selfie) on the issue-7 input, --threads 1
# Needs ../shared (the clips, and the third-party models for the model rows).
#   bench/live-latency.sh            (from the repository root, after ./setup.sh); ROWS=defaults skips the model rows
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$cpu, $(nproc) logical cores, $(uname -sr), measured $(date -u +%F), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
desk=../shared/data/videos/desk_woman_540p.mp4
head=../shared/data/videos/talking_head_1080p.mp4
walk=../shared/data/videos/pedestrians_576p.avi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head366=$(bench/pingpong-clip.sh "$head" "$tmp/talking_head_1080p_pingpong.mp4" 366)
md=$out/LiveLatency.md
csv=$out/LiveLatency.csv
{
  echo "# LiveLatency"
  echo
  echo "Reproduce: \`bench/live-latency.sh\`"
  echo
  echo "Machine: $machine"
  echo
  echo "Each row is one run, live mode (\`--realtime\`), \`-o null\`, blur background. Latency = frame arrival to output; \"beyond inference\""
  echo "subtracts the time the frame waited for the network (live the frames no longer wait for it, so the two are equal). Matte age ="
  echo "frames between a frame and the frame its matte came from; refresh = network runs a second. The first 30 frames are not timed."
  echo
  echo "| row | command | frames out | % out | latency p50 ms | p95 ms | beyond inference p95 ms | network size (end) | size changes | matte refresh /s | matte age p50/p95 frames |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |"
} > "$md"
echo "row,frames_in,frames_out,percent_out,latency_p50_ms,latency_p95_ms,added_p95_ms,network,size_changes,matte_per_s,age_p50,age_p95" > "$csv"

row() {   # row LABEL COMMAND...
  local label=$1; shift
  local log; log=$("$@" 2>&1) || { echo "$label: the run failed:"; tail -5 <<<"$log"; return 0; }
  local done_line frames_out frames_in l50 l95 a95 network changes refresh age
  done_line=$(grep '^done' <<<"$log")
  frames_out=$(sed -E 's/^done: ([0-9]+) of.*/\1/' <<<"$done_line")
  frames_in=$(sed -E 's/^done: [0-9]+ of ([0-9]+) frames.*/\1/' <<<"$done_line")
  read -r _ l50 l95 _ <<<"$(grep '^latency  ' <<<"$log")"
  read -r _ _ _ _ a95 _ <<<"$(grep '^latency beyond inference' <<<"$log")"
  local matte; matte=$(grep '^matte:' <<<"$log" || true)
  network=$(sed -nE 's/.*network size ([0-9]+x[0-9]+).*/\1/p' <<<"$matte")
  changes=$(sed -nE 's/.*\(auto, ([0-9]+) change.*/\1/p' <<<"$matte")
  refresh=$(sed -nE 's/.*frames out \(([0-9.]+) a second.*/\1/p' <<<"$matte")
  age=$(sed -nE 's/.*age p50\/p95\/p99 ([0-9]+)\/([0-9]+)\/.*/\1\/\2/p' <<<"$matte")
  local pct; pct=$(awk -v o="$frames_out" -v i="$frames_in" 'BEGIN { printf "%.1f", 100 * o / i }')
  local shown="${*/#.\//}"
  echo "| $label | \`${shown//|/\\|}\` | $frames_out / $frames_in | $pct | $l50 | $l95 | $a95 | ${network:--} | ${changes:--} | ${refresh:--} | ${age:--} |" >> "$md"
  echo "$label,$frames_in,$frames_out,$pct,$l50,$l95,$a95,${network:-},${changes:-},${refresh:-},${age:-}" >> "$csv"
  echo "$label: $frames_out of $frames_in out ($pct %), latency p50/p95 $l50/$l95 ms, beyond inference p95 $a95 ms, network ${network:-?}, matte ${refresh:-?}/s, age ${age:-?}"
}

row "defaults 720p" ./stream-matte -i "$desk" --size 1280x720 --fps 30 --realtime --frames 366 -o null
row "defaults 720p, one core" taskset -c 0 ./stream-matte -i "$desk" --size 1280x720 --fps 30 --realtime --frames 366 -o null
row "defaults 1080p (scaled)" ./stream-matte -i "$desk" --size 1920x1080 --fps 30 --realtime --frames 366 -o null
row "defaults 1080p (native, $(basename "$head") forwards and back)" ./stream-matte -i "$head366" --realtime --frames 366 -o null
if [ "${ROWS:-all}" != defaults ]; then
  for model in ${MODELS:-stream_matte_student_r18x05_int8 selfie_segmentation_256}; do
    row "$model, --threads 1" ./stream-matte -i "$walk" --size 1280x720 --fps 30 --realtime --frames 900 --threads 1 -o null -m "$model" --models-dir ../shared/models
  done
fi
