#!/usr/bin/env bash
# Makes a clip at least FRAMES frames long from a shorter one by playing it forwards, backwards, forwards, … (no cut:
# each turn continues from the frame it reached), so a live run's first seconds (warm-up, the first mattes) weigh in
# it as they would in a longer camera session rather than filling most of a 3-second clip. Prints the path to use: the
# clip itself when it is long enough already, else OUT (H.264, CRF 16, the clip's own size and rate).
#   bench/pingpong-clip.sh IN OUT FRAMES [FPS]     FPS: count the frames at this rate (what --fps will play it at)
set -euo pipefail
in=$1 out=$2 frames=$3 fps=${4:-}
rate=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of csv=p=0 "$in")
count=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$in")
# At another rate the clip plays as many frames as its duration holds at that rate.
played=$(/usr/bin/python3 -c "from fractions import Fraction as F; print(int($count * F('${fps:-$rate}') / F('$rate')))")
if (( played >= frames )); then echo "$in"; exit 0; fi
legs=$(( (frames + played - 1) / played ))
graph="[0:v]split=$legs"; for ((i = 0; i < legs; i++)); do graph+="[s$i]"; done; graph+=";"
concat=""
for ((i = 0; i < legs; i++)); do
  if (( i % 2 )); then graph+="[s$i]reverse[l$i];"; else graph+="[s$i]null[l$i];"; fi
  concat+="[l$i]"
done
graph+="${concat}concat=n=$legs:v=1:a=0[v]"
ffmpeg -v error -y -i "$in" -filter_complex "$graph" -map "[v]" -an -c:v libx264 -preset veryfast -crf 16 -pix_fmt yuv420p "$out"
echo "$out"
