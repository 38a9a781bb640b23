#!/usr/bin/env bash
# Weak per-person labels on real multi-person pictures, for the instance network (issue 6): YOLOv8n-seg's people,
# one mask each, through stream-matte's own pipeline (YOLOv8n-seg as both the matte and the people model, no
# smoothing). Every picture is labelled as a still, alone: in a sequence the identity tracker would hold back people
# seen once and blend each mask with the previous frame's; a still's people are numbered at once, as detected.
#   OUT/<set>/<name>/person_XX/000000.png
# Sources (the frames the teacher pass extracted, so image and label are the same pixels):
#   people  ../shared/data/images/people, except the COCO photos that are also in seg/coco_person (test photos
#           there) and the thumb_* copies;
#   clip_a, clip_b   every frame of training/cache/labels/videos/<clip> (10 fps);
#   pedestrians      frames 25+ of training/cache/labels/videos/pedestrians (1 fps: the clip from 24 s on; the
#                    identity check uses its first 200 frames = 20 s).
# street_crowd is left out whole: the identity check runs on all of it.
# Usage: training/teacher/make_instance_labels.sh [OUT_DIR]   (default training/cache/labels/instances; idempotent)
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
LABELS=training/cache/labels
OUT=${1:-$LABELS/instances}
YOLO=yolov8n_seg_320_fp32
people() {  # input out_dir
  [ -f "$2/.done" ] && return
  rm -rf "$2"; mkdir -p "$2"
  ./stream-matte --models-dir "$SHARED/models" --smoothing 0 --threads 1 --input "$1" --model $YOLO --people-model $YOLO \
    --instance-output "$2" --output null >/dev/null
  touch "$2/.done"
}

for clip in clip_a clip_b pedestrians; do
  [ -f "$LABELS/videos/$clip/.done" ] || { echo "[instance labels] $LABELS/videos/$clip is missing: run training/teacher/make_labels.sh first" >&2; exit 1; }
  echo "[instance labels] video $clip"
  first=1; [ $clip = pedestrians ] && first=25
  for f in "$LABELS/videos/$clip"/image_*.png; do
    n=${f##*_}; n=${n%.png}
    [ "$n" -ge $first ] && people "$f" "$OUT/$clip/$n"
  done
done

echo "[instance labels] photos people"
for f in "$SHARED"/data/images/people/*; do
  name=$(basename "${f%.*}")
  case "$name" in thumb_*) continue ;; esac
  id=${name#COCO_val2014_}
  [ -f "$SHARED/data/seg/coco_person/images/$id.jpg" ] && continue
  people "$f" "$OUT/people/$name"
done
echo "[instance labels] done: $OUT"
