#!/usr/bin/env bash
# Live capture-to-output latency at 30 fps (issue 7), written to bench/results/LiveLatency.md and .csv.
# A file played at its own rate stands in for a camera (--realtime: live mode, newest frame wins, drops counted);
# the output is discarded (-o null) so the figure is the pipeline's, not an encoder's. The first 30 frames
# (JIT, first inferences) are left out of the timings. Needs ../shared (the clip, and the third-party models).
#   bench/live-latency.sh            (from the repository root, after ./setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
clip=../shared/data/videos/pedestrians_576p.avi
out=bench/results
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$cpu, $(nproc) logical cores, $(uname -sr), measured $(date -u +%F)"
md=$out/LiveLatency.md
csv=$out/LiveLatency.csv
{
  echo "# LiveLatency"
  echo
  echo "Reproduce: \`bench/live-latency.sh\`"
  echo
  echo "Machine: $machine"
  echo
  echo "Input: $clip scaled by ffmpeg to 1280x720, played at 30 fps for 30 s (\`--realtime --fps 30 --frames 900\`), live mode, \`-o null\`, blur background,"
  echo "\`--threads 1\` (one inference thread: the other core decodes and runs the pixel stages). Latency = frame arrival to output;"
  echo "\"beyond inference\" subtracts the network's own time: what the pipeline adds. The first 30 frames are warm-up and not timed."
  echo
  echo "| model | frames out | dropped | latency p50 ms | p95 ms | p99 ms | beyond inference p50 ms | p95 ms | p99 ms |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$md"
echo "model,frames_out,dropped,latency_p50_ms,latency_p95_ms,latency_p99_ms,added_p50_ms,added_p95_ms,added_p99_ms" > "$csv"
for model in "$@" ${MODELS:-stream_matte_student_r18x05_int8 selfie_segmentation_256}; do
  log=$(./stream-matte -i "$clip" --size 1280x720 --fps 30 --realtime --frames 900 --threads 1 -o null -m "$model" --models-dir ../shared/models 2>&1)
  done_line=$(grep '^done' <<<"$log")
  frames=$(sed -E 's/^done: ([0-9]+) of.*/\1/' <<<"$done_line")
  dropped=$(sed -E 's/.*, ([0-9]+) dropped.*/\1/' <<<"$done_line")
  read -r _ l50 l95 l99 _ <<<"$(grep '^latency  ' <<<"$log")"
  read -r _ _ _ a50 a95 a99 _ <<<"$(grep '^latency beyond inference' <<<"$log")"
  echo "| $model | $frames | $dropped | $l50 | $l95 | $l99 | $a50 | $a95 | $a99 |" >> "$md"
  echo "$model,$frames,$dropped,$l50,$l95,$l99,$a50,$a95,$a99" >> "$csv"
  echo "$model: latency p50/p95/p99 $l50/$l95/$l99 ms, beyond inference $a50/$a95/$a99 ms, $dropped dropped"
done
