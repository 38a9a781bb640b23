#!/usr/bin/env bash
# Chunked jobs against single runs (issue 21), on every clip in ../shared/data/videos: written to
# bench/results/JobChunks.md and .csv. Per clip: one single run; then `job plan` with 3 chunks, the 3 chunks as 3
# separate processes started together, and `job merge`. Both write lossless FFV1 (.mkv --codec ffv1), so the PSNR
# measures what chunking changes in the pictures, not an encoder's GOP. Frame counts: the input's (ffprobe, packets),
# the single run's and the merge's. Wall time: the single run, and plan + chunks + merge.
# On this machine's 2 cores the job cannot beat one run by more than the cores allow: one run already keeps both busy
# (ONNX Runtime's threads, ffmpeg, the pixel stages), so three processes share the same 2 cores and each chunk
# also decodes and processes its warm-up. The gain appears with one chunk per machine (or GPU).
#   bench/job-chunks.sh            (from the repository root, after ./setup.sh)
#   CLIPS="a.mp4 b.avi" bench/job-chunks.sh   only those clips (names in ../shared/data/videos)
#   FRAMES=0 bench/job-chunks.sh              whole clips (default: the first 120 frames of each, --frames 120)
set -euo pipefail
cd "$(dirname "$0")/.."
videos=../shared/data/videos
[ -d "$videos" ] || { echo "bench/job-chunks.sh: $videos is missing (the real clips live in ../shared)" >&2; exit 1; }
out=bench/results
frames=${FRAMES:-120}
limit=(); [ "$frames" != 0 ] && limit=(--frames "$frames")
work=$(mktemp -d /tmp/stream-matte-job-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$cpu, $(nproc) logical cores, $(uname -sr), measured $(date -u +%F)"

clips=()
if [ -n "${CLIPS:-}" ]; then for c in $CLIPS; do clips+=("$videos/$c"); done
else
  for f in "$videos"/*; do
    if [ -d "$f" ]; then
      # A folder of numbered pictures is a clip too: its ffmpeg pattern.
      first=$(ls "$f" | sort -V | head -1)
      stem=$(sed -E 's/[0-9]+\.[A-Za-z]+$//' <<<"$first"); ext=${first##*.}
      clips+=("$f/$stem%d.$ext")
    else clips+=("$f"); fi
  done
fi

frames_of() { ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1" | tr -d ','; }
psnr_of() { # average and minimum over frames, RGB, frame n of one against frame n of the other
  # setpts=N: pair the frames by their order, not their timestamps. Matroska keeps milliseconds, and a merged part's
  # timestamps start at the previous parts' rounded duration, so some differ from a single run's by 1 ms (2.733 s
  # against 2.734 s at 15 fps); psnr's timestamp sync would then compare a frame with its neighbour.
  ffmpeg -hide_banner -nostdin -i "$1" -i "$2" -lavfi "[0:v]setpts=N[a];[1:v]setpts=N[b];[a][b]psnr=stats_file=$work/psnr.log" -f null - 2>&1 | grep -o 'average:[^ ]* min:[^ ]*' | sed -E 's/average:([^ ]*) min:([^ ]*)/\1 \2/'
}
now() { date +%s.%N; }

md=$out/JobChunks.md
csv=$out/JobChunks.csv
{
  echo "# JobChunks"
  echo
  echo "Reproduce: \`bench/job-chunks.sh\`"
  echo
  echo "Machine: $machine. Load average (1 min) when it started: $(cut -d' ' -f1 /proc/loadavg) (wall times mean something only on an otherwise idle machine)."
  echo
  echo "Command: \`FRAMES=$frames bench/job-chunks.sh\` ($([ "$frames" = 0 ] && echo "whole clips" || echo "the first $frames frames of each clip, \`--frames $frames\`"))."
  echo
  echo "Per clip: a single run, and a 3-chunk job (\`job plan --chunks 3\`, default warm-up of 30 frames; the 3 chunks as 3 processes"
  echo "started together; \`job merge\`), both with the default model and settings, written as lossless FFV1 so the PSNR shows what"
  echo "chunking changes in the pictures and not an encoder's. PSNR over all frames (RGB, frame n against frame n), and the worst frame's (inf: identical). On 2 cores the job"
  echo "cannot be faster than the cores allow: a single run already keeps both busy, so the 3 processes share the same 2 cores"
  echo "(speed-up bounded by 2 cores / what one run leaves idle, here close to 1x) and each chunk also decodes and processes its"
  echo "warm-up (at 120 frames in 3 chunks, 2 × 30 warm-up frames are 50 % more frames than a single run decodes and mattes; over a"
  echo "whole film it is a few frames per chunk), and each process starts up on its own (model, JIT). With one chunk per machine or GPU the"
  echo "chunks' wall time is what counts: about a third of the single run's plus the warm-up and start-up."
  echo
  echo "| clip | input frames | single run frames | job frames | equal | PSNR avg dB | PSNR min dB | single run s | job s (3 processes) | job / single |"
  echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
} > "$md"
echo "clip,input_frames,single_frames,job_frames,equal,psnr_avg_db,psnr_min_db,single_s,job_s,ratio" > "$csv"

for clip in "${clips[@]}"; do
  name=$(basename "$(dirname "$clip")")/$(basename "$clip"); [ -f "$clip" ] && name=$(basename "$clip")
  tag=$(tr -c 'A-Za-z0-9_\n' '_' <<<"$name")
  single=$work/$tag.single.mkv merged=$work/$tag.job.mkv dir=$work/$tag.job
  input_frames=$(frames_of "$clip")
  [ "$frames" != 0 ] && [ "$input_frames" -gt "$frames" ] && input_frames=$frames
  t0=$(now)
  ./stream-matte -i "$clip" -o "$single" --codec ffv1 "${limit[@]}" > "$work/$tag.single.log" 2>&1 || { echo "$name: single run failed: $(tail -2 "$work/$tag.single.log")" >&2; continue; }
  t1=$(now)
  ./stream-matte job plan -i "$clip" -o "$merged" --codec ffv1 "${limit[@]}" --chunks 3 --dir "$dir" > "$work/$tag.plan.log" 2>&1
  pids=()
  for i in 0 1 2; do ./stream-matte job run "$dir" --chunk $i > "$work/$tag.chunk$i.log" 2>&1 & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || { echo "$name: a chunk failed" >&2; }; done
  ./stream-matte job merge "$dir" > "$work/$tag.merge.log" 2>&1 || { echo "$name: merge failed: $(tail -2 "$work/$tag.merge.log")" >&2; continue; }
  t2=$(now)
  single_frames=$(frames_of "$single"); job_frames=$(frames_of "$merged")
  equal=no; [ "$single_frames" = "$job_frames" ] && [ "$job_frames" = "$input_frames" ] && equal=yes
  read -r avg min <<<"$(psnr_of "$single" "$merged")"
  s=$(echo "$t1 - $t0" | bc); j=$(echo "$t2 - $t1" | bc); ratio=$(echo "scale=2; $j / $s" | bc)
  printf '| %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %s |\n' "$name" "$input_frames" "$single_frames" "$job_frames" "$equal" "$avg" "$min" "$s" "$j" "$ratio" >> "$md"
  printf '%s,%s,%s,%s,%s,%s,%s,%.1f,%.1f,%s\n' "$name" "$input_frames" "$single_frames" "$job_frames" "$equal" "$avg" "$min" "$s" "$j" "$ratio" >> "$csv"
  echo "$name: frames $input_frames/$single_frames/$job_frames ($equal), PSNR avg $avg min $min dB, single $s s, job $j s"
done
echo "written: $md"
