#!/usr/bin/env bash
# Teacher labels for Matte Label Blending (paper 002), made by running the real networks in ../shared/models
# through stream-matte's own offline pipeline (no smoothing, so every label is the network's own answer):
#   teacher.png  RGBA: Robust Video Matting's decontaminated foreground (RGB) and its alpha (A)
#   seg.png      gray: YOLOv8n-seg's person mask (union of instances) — the segmentation label S where no
#                hand-made mask exists (video frames, the people photos; not made for person_masks and coco_person)
#   image.png    the exact picture the networks saw (photos: brought to at most 640 px; data.py reads the original)
# Videos are subsampled (--fps) and brought to a 640-pixel long side; RVM runs them as videos, so its
# recurrent state is the one it has in use. talking_head_1080p is held out (the flicker and main-job clip).
# Usage: training/teacher/make_labels.sh [OUT_DIR]   (default training/cache/labels; idempotent)
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
OUT=${1:-training/cache/labels}
MODELS=$SHARED/models
PHOTO_SETS=${PHOTO_SETS:-person_masks coco_person people}   # two workers can split them (2 cores: ~2x faster)
SHARD=${SHARD:-0/1}   # K/N: this worker labels every Nth photo of each set from the Kth (workers split a set)
LABEL_VIDEOS=${LABEL_VIDEOS:-1}   # 0 for the second worker: two workers on one video folder would delete each other's frames
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
  # at most 640 px on the long side, like the video frames: the networks see 512 anyway and data.py keeps 384, while
  # a 21-megapixel photo took most of a minute to matte and write at full size
  ffmpeg -v error -i "$path" -vf "scale=w='min(640,iw)':h='min(640,ih)':force_original_aspect_ratio=decrease:flags=area" \
    -pix_fmt rgb24 "$dir/image.png"
  run --input "$dir/image.png" --model rvm_mobilenetv3_fp32 --output "$dir/teacher_%d.png"
  # the segmenter's mask is the label S only where no hand-made mask exists (data.py): the people photos
  if [ "$set" = people ]; then
    run --input "$dir/image.png" --model yolov8n_seg_320_fp32 --output null --matte-output "$dir/seg_%d.png"
  fi
  touch "$dir/.done"
}

V=$SHARED/data/videos
if [ "$LABEL_VIDEOS" = 1 ]; then
label_video bookshelf_man "$V/bookshelf_man_576p.mp4" 3 640x360
label_video clip_a "$V/clip_a.mp4" 10 640x360
label_video clip_b "$V/clip_b.mp4" 10 640x362
label_video desk_woman "$V/desk_woman_540p.mp4" 3 640x360
label_video pedestrians "$V/pedestrians_576p.avi" 1 640x480
label_video street_crowd "$V/street_crowd_720p.avi" 10 640x360
label_video webcam "$V/webcam_480p_frames/Frame%d.jpg" 5 640x480
fi

for set in $PHOTO_SETS; do
  echo "[labels] photos $set"
  if [ "$set" = people ]; then
    for f in "$SHARED"/data/images/people/*.jpg "$SHARED"/data/images/people/*.jpeg "$SHARED"/data/images/people/*.png; do
      [ -f "$f" ] && label_photo people "$f"
    done
  else
    # every 5th photo (sorted) is held out (training/data.py): never trained on, so it needs no label
    i=0
    while read -r f; do
      if [ $((i % 5)) != 0 ] && [ $((i % ${SHARD#*/})) = "${SHARD%/*}" ]; then label_photo "$set" "$f"; fi
      i=$((i + 1))
    done < <(printf '%s\n' "$SHARED"/data/seg/$set/images/*.jpg | LC_ALL=C sort)
  fi
done
echo "[labels] done: $OUT"
