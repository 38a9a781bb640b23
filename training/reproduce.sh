#!/usr/bin/env bash
# The whole recipe of the committed student, one command (from the repository root, after ./setup.sh):
#   training/reproduce.sh                      the ImageNet-initialised recipe (issue 22), what ships now
#   RECIPE=from-scratch training/reproduce.sh  the earlier recipe: six phases from random weights (issue 5; the card has its figures)
# 1. teacher labels: RVM and YOLOv8n-seg through stream-matte's own offline pipeline (teacher/make_labels.sh)
# 2. the MLB dataset (data.py) with its data list and held-out split
# 3. ImageNet: ML.NET's ResNet-18 (NuGet, MIT) fetched and checked (imagenet/fetch.sh); the x0.5 encoder derived from it
#    (imagenet/derive_half.py: channel selection, BatchNorm recalibration, feature distillation; figures in its report)
# 4. MLB training from that initialisation (train.py --init; the encoder at 0.3 x the learning rate; seeds fixed;
#    resumes from its run folder's last.pt)
# 5. export the final weights (last.pt: not picked by held-out score, so the held-out figures stay unbiased) to ONNX (fp32) and int8 (QDQ) into models/
# 6. `stream-matte eval` against the teacher, JSON into training/cache/eval.json
# 7. the instance network (train_instance.py in two phases, export_instance.py) and `stream-matte eval-people`
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
# two workers (2 cores): the videos and one half of each photo set, then the other half and the people photos
SHARD=0/2 PHOTO_SETS="person_masks coco_person" training/teacher/make_labels.sh &
LABEL_VIDEOS=0 SHARD=1/2 PHOTO_SETS="person_masks coco_person people" training/teacher/make_labels.sh
wait
$PY training/data.py
if [ "${RECIPE:-imagenet}" = imagenet ]; then
  RUN=training/cache/run_imagenet
  training/imagenet/fetch.sh >/dev/null
  [ -f training/cache/imagenet/student_init.pt ] || $PY training/imagenet/derive_half.py --minutes "${DISTIL_MINUTES:-25}"
  $PY training/train.py --run $RUN --init training/cache/imagenet/student_init.pt --crop 320 --lr 1e-3 --encoder-lr-scale 0.3 \
    --steps 20000 --minutes "${IMAGENET_MINUTES:-80}" --eval-every 500 --whole-share 0.5 --hard-mining
else
RUN=training/cache/run6
$PY training/train.py --steps "$STEPS"
$PY training/train.py --run training/cache/run2 --init training/cache/run/last.pt --crop 288 --lr 5e-4 --steps 20000 --minutes "${PHASE2_MINUTES:-100}"
$PY training/train.py --run training/cache/run3 --init training/cache/run2/last.pt --crop 320 --lr 3e-4 --steps 20000 --minutes "${PHASE3_MINUTES:-150}" --eval-every 500
$PY training/train.py --run training/cache/run4 --init training/cache/run3/last.pt --crop 384 --lr 3e-4 --steps 20000 --minutes "${PHASE4_MINUTES:-150}" --eval-every 500
$PY training/train.py --run training/cache/run5 --init training/cache/run4/last.pt --crop 384 --lr 3e-4 --steps 20000 --minutes "${PHASE5_MINUTES:-95}" --eval-every 500 \
  --whole-share 0.5 --hard-mining
$PY training/train.py --run training/cache/run6 --init training/cache/run5/last.pt --crop 384 --lr 2e-4 --steps 20000 --minutes "${PHASE6_MINUTES:-105}" --eval-every 500 \
  --whole-share 0.5 --hard-mining
fi
$PY training/export.py $RUN/last.pt models/$NAME.onnx
$PY training/quantize.py $RUN/last.pt models/${NAME}_int8.onnx
./stream-matte eval -m models/$NAME.onnx -m models/${NAME}_int8.onnx --models-dir ../shared/models --json training/cache/eval.json
# 6. the instance network (E2E-HIM-lite): encoder from the student; phase 1 on multi-person composites of the
#    teacher's cut-outs (exact alpha), phase 2 adds real multi-person pictures with weak per-person labels (coco_person's
#    training half, YOLOv8n-seg's people on the group photos and clips); each phase on a time budget (the cosine schedule
#    ends with it); then export, the data list, and the people metrics on coco_person's test half
# The shipped instance network is the from-scratch recipe's (encoder from training/cache/run6/last.pt, phases of 125
# and 70 minutes). With the ImageNet recipe the same two phases run on the ImageNet-initialised student's encoder, 45
# and 30 minutes (issue 22, session 12): it did not beat the shipped network on the held-out photos (REC@0.5 0.151
# against 0.163; the card has every figure), so its weights go to training/cache, not models/.
if [ "${RECIPE:-imagenet}" = imagenet ]; then
  INSTANCE_MINUTES=${INSTANCE_MINUTES:-45} PHASE2=${INSTANCE_PHASE2_MINUTES:-30} INSTANCES=training/cache/instances_imagenet.onnx
else
  INSTANCE_MINUTES=${INSTANCE_MINUTES:-125} PHASE2=${INSTANCE_PHASE2_MINUTES:-70} INSTANCES=models/stream_matte_instances_r18x05.onnx
fi
$PY training/train_instance.py --student $RUN/last.pt --steps 12000 --minutes "$INSTANCE_MINUTES"
training/teacher/make_instance_labels.sh
$PY training/train_instance.py --run training/cache/instance_run2 --init training/cache/instance_run/last.pt --real 0.5 \
  --lr 2.5e-4 --warmup 100 --steps 20000 --minutes "$PHASE2"
$PY training/export_instance.py training/cache/instance_run2/last.pt "$INSTANCES"
[ "${RECIPE:-imagenet}" = imagenet ] || $PY training/instance_data_list.py models/stream_matte_instances_r18x05.data.json training/cache/instance_run/sources.txt training/cache/instance_run2/sources.txt
./stream-matte eval-people -m "$INSTANCES" -m models/stream_matte_instances_r18x05.onnx -m yolov8n_seg_320_fp32 --identities --models-dir ../shared/models --json training/cache/eval_people.json
