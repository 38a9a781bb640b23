"""Training data for Matte Label Blending, built once from the teacher labels (teacher/make_labels.sh).

Every real sample gets the blended label of paper 002 (digest §002 2.5):
    M = B * M_teacher + (1 - B) * S
S is the segmentation label (the real masks of person_masks/coco_person; YOLOv8n-seg elsewhere). B is the teacher's
boundary band (0.05 < alpha < 0.95, dilated), kept only near S's contour (the digest's safeguard [P]) so that the
teacher's mistakes away from the person cannot leak into the label. Composites of teacher-extracted people over
person-free backgrounds add samples whose alpha is exact.

The held-out split (every 5th photo of person_masks and coco_person, sorted by name, and the whole
talking_head_1080p clip) is never trained on; its list is written next to the cache.
"""
import glob
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

LONG_SIDE = 384          # samples are stored at this long side (training crops are 192-256 px)
BAND = 12                # px at LONG_SIDE: how far from S's contour the teacher's boundary is trusted
BOUNDARY_DILATE = 3      # px: the teacher's 0.05 < alpha < 0.95 band is widened by this much


def load(path, mode):
    return Image.open(path).convert(mode)


def to_long_side(img, long_side, resample):
    w, h = img.size
    s = long_side / max(w, h)
    return img.resize((max(1, round(w * s)), max(1, round(h * s))), resample)


def dilate(x, r):
    return F.max_pool2d(x, 2 * r + 1, 1, r) if r > 0 else x


def erode(x, r):
    return -dilate(-x, r)


def blend_label(teacher_alpha, seg):
    """(1,1,H,W) floats in 0..1 -> blended label and the boundary band used."""
    boundary = ((teacher_alpha > 0.05) & (teacher_alpha < 0.95)).float()
    boundary = dilate(boundary, BOUNDARY_DILATE)
    s = (seg > 0.5).float()
    near_contour = dilate(s, BAND) - erode(s, BAND)
    b = boundary * near_contour
    return b * teacher_alpha + (1 - b) * s, b


def held_out(name_index):
    return name_index % 5 == 0


def photo_sets(shared):
    """(set name, image path, real mask path or None) for the photos, and the held-out list."""
    items, held = [], []
    for set_name, mask_dir, mask_ext in [("person_masks", "masks", ".png"), ("coco_person", "masks_binary", ".png")]:
        images = sorted(glob.glob(f"{shared}/data/seg/{set_name}/images/*.jpg"))
        for i, path in enumerate(images):
            stem = os.path.splitext(os.path.basename(path))[0]
            mask = f"{shared}/data/seg/{set_name}/{mask_dir}/{stem}{mask_ext}"
            if not os.path.exists(mask):
                continue
            (held if held_out(i) else items).append((set_name, path, mask))
    coco_names = {os.path.basename(p) for p in glob.glob(f"{shared}/data/seg/coco_person/images/*.jpg")}
    for path in sorted(glob.glob(f"{shared}/data/images/people/*")):
        if path.lower().endswith((".jpg", ".jpeg", ".png")) and os.path.basename(path) not in coco_names \
                and not os.path.basename(path).startswith("thumb_"):
            items.append(("people", path, None))
    return items, held


def build(shared, labels, out_path):
    images, labels_m, fg_pool = [], [], []
    sources = []
    items, held = photo_sets(shared)
    for set_name, path, mask in items:
        stem = os.path.splitext(os.path.basename(path))[0]
        d = f"{labels}/{set_name}/{stem}"
        if not os.path.exists(f"{d}/.done"):
            print(f"skip {path}: no teacher label")
            continue
        add(images, labels_m, fg_pool, load(path, "RGB"), f"{d}/teacher_1.png", mask or f"{d}/seg_1.png")
        sources.append(path)
    for d in sorted(glob.glob(f"{labels}/videos/*")):
        for t in sorted(glob.glob(f"{d}/teacher_*.png"), key=lambda p: int(p.rsplit("_", 1)[1][:-4])):
            k = t.rsplit("_", 1)[1]
            add(images, labels_m, fg_pool, load(f"{d}/image_{k}", "RGB"), t, f"{d}/seg_{k}")
            sources.append(f"{d}/image_{k}")
    torch.save({"images": images, "labels": labels_m, "foregrounds": fg_pool}, out_path)
    with open(os.path.splitext(out_path)[0] + "_list.json", "w") as f:
        json.dump({"train": sources, "held_out": [h[1] for h in held],
                   "held_out_rule": "every 5th photo (sorted) of person_masks and coco_person; talking_head_1080p"}, f, indent=1)
    print(f"{len(images)} real samples, {len(fg_pool)} foregrounds for composites, {len(held)} held out")


def add(images, labels_m, fg_pool, image, teacher_path, seg_path):
    image = to_long_side(image, LONG_SIDE, Image.BILINEAR)
    size = image.size
    teacher = load(teacher_path, "RGBA").resize(size, Image.BILINEAR)
    seg = load(seg_path, "L").resize(size, Image.BILINEAR)
    ta = torch.from_numpy(np.asarray(teacher)).permute(2, 0, 1).float() / 255
    s = torch.from_numpy(np.asarray(seg)).float()[None, None] / 255
    m, _ = blend_label(ta[3:4][None], s)
    images.append(torch.from_numpy(np.asarray(image)).permute(2, 0, 1).contiguous())
    labels_m.append((m[0] * 255).round().byte())
    coverage = ta[3].mean().item()
    if 0.03 < coverage < 0.7:   # a person worth pasting elsewhere (not empty, not the whole frame)
        fg_pool.append((ta * 255).round().byte())


if __name__ == "__main__":
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--shared", default="../shared")
    p.add_argument("--labels", default="training/cache/labels")
    p.add_argument("--out", default="training/cache/dataset.pt")
    a = p.parse_args()
    build(a.shared, a.labels, a.out)
