#!/usr/bin/env bash
# The whole recipe of the committed student, one command (from the repository root, after ./setup.sh):
#   training/reproduce.sh
# 1. teacher labels: RVM and YOLOv8n-seg through stream-matte's own offline pipeline (teacher/make_labels.sh)
# 2. the MLB dataset (data.py) with its data list and held-out split
# 3. training (train.py; seeds fixed; resumes from training/cache/run/last.pt), then five more phases, each from the
#    last one's weights with larger crops (288, 320, then 384: more context for the deepest layers) on a time budget
#    (training/cache/run2, run3, run4), and a fifth at 384 that shows half the real pictures whole, at the product's scale,
#    and draws the hard ones more often (run5), and a sixth, the same at a lower learning rate (run6)
# 4. export the final weights (run6/last.pt: not picked by held-out score, so the held-out figures stay unbiased) to ONNX (fp32) and int8 (QDQ) into models/
# 5. `stream-matte eval` against the teacher, JSON into training/cache/eval.json
# 6. the instance network (train_instance.py in two phases, export_instance.py) and `stream-matte eval-people`
# Needs Debian's python3-torch, python3-onnx, python3-numpy, python3-pil (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! $PY -c "import torch, onnx, numpy, PIL, scipy" 2>/dev/null; then
  echo "[reproduce] installing python3-torch python3-onnx python3-numpy python3-pil python3-scipy (apt)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends python3-torch python3-onnx python3-numpy python3-pil python3-scipy >/dev/null
fi
STEPS=${STEPS:-7000}
NAME=stream_matte_student_r18x05
PHOTO_SETS=person_masks training/teacher/make_labels.sh &
LABEL_VIDEOS=0 PHOTO_SETS="people coco_person" training/teacher/make_labels.sh
wait
$PY training/data.py
$PY training/train.py --steps "$STEPS"
$PY training/train.py --run training/cache/run2 --init training/cache/run/last.pt --crop 288 --lr 5e-4 --steps 20000 --minutes "${PHASE2_MINUTES:-100}"
$PY training/train.py --run training/cache/run3 --init training/cache/run2/last.pt --crop 320 --lr 3e-4 --steps 20000 --minutes "${PHASE3_MINUTES:-150}" --eval-every 500
$PY training/train.py --run training/cache/run4 --init training/cache/run3/last.pt --crop 384 --lr 3e-4 --steps 20000 --minutes "${PHASE4_MINUTES:-150}" --eval-every 500
$PY training/train.py --run training/cache/run5 --init training/cache/run4/last.pt --crop 384 --lr 3e-4 --steps 20000 --minutes "${PHASE5_MINUTES:-95}" --eval-every 500 \
  --whole-share 0.5 --hard-mining
$PY training/train.py --run training/cache/run6 --init training/cache/run5/last.pt --crop 384 --lr 2e-4 --steps 20000 --minutes "${PHASE6_MINUTES:-105}" --eval-every 500 \
  --whole-share 0.5 --hard-mining
$PY training/export.py training/cache/run6/last.pt models/$NAME.onnx
$PY training/quantize.py training/cache/run6/last.pt models/${NAME}_int8.onnx
./stream-matte eval -m models/$NAME.onnx -m models/${NAME}_int8.onnx --models-dir ../shared/models --json training/cache/eval.json
# 6. the instance network (E2E-HIM-lite): encoder from the student; phase 1 on multi-person composites of the
#    teacher's cut-outs (exact alpha), phase 2 adds real multi-person pictures with weak per-person labels (coco_person's
#    training half, YOLOv8n-seg's people on the group photos and clips); each phase on a time budget (the cosine schedule
#    ends with it); then export, the data list, and the people metrics on coco_person's test half
INSTANCE_MINUTES=${INSTANCE_MINUTES:-125}
$PY training/train_instance.py --steps 12000 --minutes "$INSTANCE_MINUTES"
training/teacher/make_instance_labels.sh
$PY training/train_instance.py --run training/cache/instance_run2 --init training/cache/instance_run/last.pt --real 0.5 \
  --lr 2.5e-4 --warmup 100 --steps 20000 --minutes "${INSTANCE_PHASE2_MINUTES:-70}"
$PY training/export_instance.py training/cache/instance_run2/last.pt models/stream_matte_instances_r18x05.onnx
$PY training/instance_data_list.py models/stream_matte_instances_r18x05.data.json training/cache/instance_run/sources.txt training/cache/instance_run2/sources.txt
./stream-matte eval-people -m models/stream_matte_instances_r18x05.onnx -m yolov8n_seg_320_fp32 --identities --models-dir ../shared/models --json training/cache/eval_people.json
