#!/usr/bin/env bash
# Teacher labels for Matte Label Blending (paper 002), made by running the real networks in ../shared/models
# through stream-matte's own offline pipeline (no smoothing, so every label is the network's own answer):
#   teacher.png  RGBA: Robust Video Matting's decontaminated foreground (RGB) and its alpha (A)
#   seg.png      gray: YOLOv8n-seg's person mask (union of instances) — the segmentation label S where no
#                hand-made mask exists (video frames, the people photos)
#   image.png    the exact frame the networks saw (videos only; photos are read from ../shared directly)
# Videos are subsampled (--fps) and brought to a 640-pixel long side; RVM runs them as videos, so its
# recurrent state is the one it has in use. talking_head_1080p is held out (the flicker and main-job clip).
# Usage: training/teacher/make_labels.sh [OUT_DIR]   (default training/cache/labels; idempotent)
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
OUT=${1:-training/cache/labels}
MODELS=$SHARED/models
PHOTO_SETS=${PHOTO_SETS:-person_masks coco_person people}   # two workers can split them (2 cores: ~2x faster)
run() { ./stream-matte --models-dir "$MODELS" --smoothing 0 --background transparent --threads 1 "$@" >/dev/null; }

label_video() {  # name input fps size
  local name=$1 input=$2 fps=$3 size=$4 dir=$OUT/videos/$1
  [ -f "$dir/.done" ] && return
  rm -rf "$dir"; mkdir -p "$dir"
  echo "[labels] video $name"
  local w=${size%x*} h=${size#*x}
  ffmpeg -v error -i "$input" -vf "fps=$fps,scale=$w:$h:flags=area" -pix_fmt rgb24 "$dir/image_%d.png"
  run --input "$input" --fps "$fps" --size "$size" --model rvm_mobilenetv3_fp32 --output "$dir/teacher_%d.png"
  run --input "$input" --fps "$fps" --size "$size" --model yolov8n_seg_320_fp32 --output null --matte-output "$dir/seg_%d.png"
  touch "$dir/.done"
}

label_photo() {  # set path
  local set=$1 path=$2 name; name=$(basename "${path%.*}")
  local dir=$OUT/$set/$name
  [ -f "$dir/.done" ] && return
  rm -rf "$dir"; mkdir -p "$dir"
  run --input "$path" --model rvm_mobilenetv3_fp32 --output "$dir/teacher_%d.png"
  run --input "$path" --model yolov8n_seg_320_fp32 --output null --matte-output "$dir/seg_%d.png"
  touch "$dir/.done"
}

V=$SHARED/data/videos
label_video bookshelf_man "$V/bookshelf_man_576p.mp4" 3 640x360
label_video clip_a "$V/clip_a.mp4" 10 640x360
label_video clip_b "$V/clip_b.mp4" 10 640x362
label_video desk_woman "$V/desk_woman_540p.mp4" 3 640x360
label_video pedestrians "$V/pedestrians_576p.avi" 1 640x480
label_video street_crowd "$V/street_crowd_720p.avi" 10 640x360
label_video webcam "$V/webcam_480p_frames/Frame%d.jpg" 5 640x480

for set in $PHOTO_SETS; do
  echo "[labels] photos $set"
  if [ "$set" = people ]; then
    for f in "$SHARED"/data/images/people/*.jpg "$SHARED"/data/images/people/*.jpeg "$SHARED"/data/images/people/*.png; do
      [ -f "$f" ] && label_photo people "$f"
    done
  else
    for f in "$SHARED"/data/seg/$set/images/*.jpg; do label_photo "$set" "$f"; done
  fi
done
echo "[labels] done: $OUT"
