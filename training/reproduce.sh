#!/usr/bin/env bash
# The whole recipe of the committed student, one command (from the repository root, after ./setup.sh):
#   training/reproduce.sh
# 1. teacher labels: RVM and YOLOv8n-seg through stream-matte's own offline pipeline (teacher/make_labels.sh)
# 2. the MLB dataset (data.py) with its data list and held-out split
# 3. training (train.py; seeds fixed; resumes from training/cache/run/last.pt)
# 4. export the final weights (last.pt: not picked by held-out score, so the held-out figures stay unbiased) to ONNX (fp32) and int8 (QDQ) into models/
# 5. `stream-matte eval` against the teacher, JSON into training/cache/eval.json
# Needs Debian's python3-torch, python3-onnx, python3-numpy, python3-pil (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! $PY -c "import torch, onnx, numpy, PIL" 2>/dev/null; then
  echo "[reproduce] installing python3-torch python3-onnx python3-numpy python3-pil (apt)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends python3-torch python3-onnx python3-numpy python3-pil >/dev/null
fi
STEPS=${STEPS:-7000}
NAME=stream_matte_student_r18x05
PHOTO_SETS=person_masks training/teacher/make_labels.sh &
PHOTO_SETS="people coco_person" training/teacher/make_labels.sh
wait
$PY training/data.py
$PY training/train.py --steps "$STEPS"
$PY training/export.py training/cache/run/last.pt models/$NAME.onnx
$PY training/quantize.py training/cache/run/last.pt models/${NAME}_int8.onnx
./stream-matte eval -m models/$NAME.onnx -m models/${NAME}_int8.onnx --models-dir ../shared/models --json training/cache/eval.json
