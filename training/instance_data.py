"""Multi-person training pictures with an alpha (or a mask) per person.

Two kinds (paper 003 trains on both: HIM-100K is synthetic composites and real photos):
- Composites, exact (the instance copy-paste): people are the teacher's (RVM's) cut-outs of single-person photos and
  clips, their RGBA from the teacher pass (teacher/make_labels.sh), the decontaminated foreground with its alpha. 1-6
  of them are pasted at random scales and depths onto a person-free background, or onto a real single-person photo
  whose own person becomes one more instance. Pasting in depth order gives each person's visible alpha exactly:
  alpha_x * prod(1 - alpha_y) over the people y pasted in front of x.
- Real multi-person pictures, weak (RealPictures): the training half of coco_person with its hand-drawn per-person
  masks, and YOLOv8n-seg's people on the real group photos and clips (teacher/make_instance_labels.sh). Their masks
  say who is where, not the edge's alpha: the trainer gives them the class and mask losses only.

Never used here: the held-out photos of the student (every 5th of person_masks), talking_head_1080p (held out),
street_crowd and the first 24 s of pedestrians (the identity checks run there), and the test half of coco_person
(coco_person_split: the even places in name order), on which the people quality is measured.
"""
import glob
import os
import random

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import data

SINGLE_PERSON_CLIPS = ("bookshelf_man", "desk_woman", "webcam")
CUTOUT_HEIGHT = 256            # cut-outs are stored at most this tall (pictures are 256-320 px)


def _rgba(path):
    return torch.from_numpy(np.array(Image.open(path).convert("RGBA"))).permute(2, 0, 1).contiguous()


def _crop_to_person(rgba):
    """-> (RGBA cut to the person's box, which sides the photo's frame cut the person off at: bottom, left, right)."""
    a = rgba[3]
    ys, xs = torch.nonzero(a > 12, as_tuple=True)
    if len(ys) == 0:
        return None
    cut = lambda edge: bool((edge > 128).float().mean() > 0.02)
    sides = (cut(a[-1]), cut(a[:, 0]), cut(a[:, -1]))
    crop = rgba[:, ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = crop.shape[1:]
    if h > CUTOUT_HEIGHT:
        crop = F.interpolate(crop[None].float(), size=(CUTOUT_HEIGHT, max(1, round(w * CUTOUT_HEIGHT / h))),
                             mode="area")[0].round().byte()
    return crop, sides


def load_pool(shared, labels):
    """(cut-outs, base photos with their person's alpha, backgrounds, the list of sources)."""
    cutouts, photos, sources = [], [], []
    images = sorted(glob.glob(f"{shared}/data/seg/person_masks/images/*.jpg"))
    for i, path in enumerate(images):
        stem = os.path.splitext(os.path.basename(path))[0]
        teacher = f"{labels}/person_masks/{stem}/teacher_1.png"
        if data.held_out(i) or not os.path.exists(teacher):
            continue
        rgba = _rgba(teacher)
        image = data.to_long_side(Image.open(path).convert("RGB"), data.LONG_SIDE, Image.BILINEAR)
        alpha = Image.fromarray(rgba[3].numpy()).resize(image.size, Image.BILINEAR)
        photos.append((torch.from_numpy(np.asarray(image)).permute(2, 0, 1).contiguous(),
                       torch.from_numpy(np.asarray(alpha)).contiguous()))
        crop = _crop_to_person(rgba)
        if crop is not None:
            cutouts.append(crop)
        sources.append(path)
    for clip in SINGLE_PERSON_CLIPS:
        for t in sorted(glob.glob(f"{labels}/videos/{clip}/teacher_*.png")):
            crop = _crop_to_person(_rgba(t))
            if crop is not None:
                cutouts.append(crop)
                sources.append(t)
    backgrounds = [torch.from_numpy(np.asarray(data.to_long_side(Image.open(f).convert("RGB"), data.LONG_SIDE, Image.BILINEAR)))
                   .permute(2, 0, 1).contiguous()
                   for f in sorted(glob.glob(f"{shared}/data/backgrounds/*/*")) if f.lower().endswith((".jpg", ".jpeg", ".png"))]
    return cutouts, photos, backgrounds, sources


def _random_crop(x, size, min_scale=1.0, max_scale=1.4):
    """Scale so the short side is size*[min,max], then crop size x size. x: (C,H,W) float."""
    h, w = x.shape[-2:]
    s = size * random.uniform(min_scale, max_scale) / min(h, w)
    x = F.interpolate(x[None], size=(max(size, round(h * s)), max(size, round(w * s))), mode="bilinear", align_corners=False)[0]
    top, left = random.randint(0, x.shape[1] - size), random.randint(0, x.shape[2] - size)
    return x[:, top:top + size, left:left + size]


class Synthesiser:
    def __init__(self, cutouts, photos, backgrounds, size=256, max_people=6, min_area=0.004):
        self.cutouts, self.photos, self.backgrounds = cutouts, photos, backgrounds
        self.size, self.max_people, self.min_area = size, max_people, min_area

    def sample(self):
        """-> image (3,S,S) float 0..1, alphas (K,S,S) float 0..1 (K >= 1 people, front-most last)."""
        s = self.size
        alphas = []
        if random.random() < 0.35:
            image, alpha = random.choice(self.photos)
            both = _random_crop(torch.cat([image.float() / 255, alpha[None].float() / 255]), s)
            image, alphas = both[:3], [both[3]]
            people = random.randint(0, 4)
        else:
            image = _random_crop(random.choice(self.backgrounds).float() / 255, s)
            people = random.choice([1, 1, 2, 2, 3, 3, 4, 5, 6])
        if random.random() < 0.5:
            image = image * random.uniform(0.7, 1.2)
        for _ in range(people):
            self._paste(image, alphas, s, crowd=people)
        total = s * s
        alphas = [a for a in alphas if a.sum() > self.min_area * total]
        if random.random() < 0.5:
            image = image.flip(-1)
            alphas = [a.flip(-1) for a in alphas]
        return image.clamp(0, 1), torch.stack(alphas) if alphas else torch.zeros(0, s, s)

    def _paste(self, image, alphas, s, crowd):
        c, (cut_bottom, cut_left, cut_right) = random.choice(self.cutouts)
        c = c.float() / 255
        if random.random() < 0.5:
            c, cut_left, cut_right = c.flip(-1), cut_right, cut_left
        top_scale = 1.0 if crowd <= 2 else 0.75
        h = max(16, round(s * random.uniform(0.3, top_scale) * random.uniform(1.0, 1.4)))
        w = max(4, round(c.shape[2] * h / c.shape[1]))
        c = F.interpolate(c[None], size=(h, w), mode="bilinear", align_corners=False)[0]
        rgb = (c[:3] * random.uniform(0.75, 1.25)).clamp(0, 1)
        a = c[3]
        # a person the photo's frame cut off keeps that side at the picture's edge, so no straight cut shows
        bottom = s + random.randint(0, h // 4) if cut_bottom else round(s * random.uniform(0.6, 1.4))
        if cut_left and not cut_right:
            x0 = -random.randint(0, w // 4)
        elif cut_right and not cut_left:
            x0 = s - w + random.randint(0, w // 4)
        else:
            x0 = random.randint(-w // 4, s + w // 4) - w // 2
        y0 = bottom - h
        ys, xs = max(0, y0), max(0, x0)
        ye, xe = min(s, y0 + h), min(s, x0 + w)
        if ye <= ys or xe <= xs:
            return
        a_crop = a[ys - y0:ye - y0, xs - x0:xe - x0]
        full = torch.zeros(s, s)
        full[ys:ye, xs:xe] = a_crop
        for prev in alphas:                                # the new person is in front: occlude those behind
            prev.mul_(1 - full)
        image[:, ys:ye, xs:xe] = image[:, ys:ye, xs:xe] * (1 - a_crop) + rgb[:, ys - y0:ye - y0, xs - x0:xe - x0] * a_crop
        alphas.append(full)


def coco_person_split(shared):
    """-> (training, test) lists of coco_person image paths: name order, odd places train, even places test.
    The same rule as stream-matte's PeopleEvaluator.Photos (CocoPersonPhotos.Test), which measures on the test half."""
    names = sorted(glob.glob(f"{shared}/data/seg/coco_person/images/*.jpg"))
    names = [n for n in names if os.path.exists(_instance_mask_path(shared, n))]
    return names[1::2], names[0::2]


def _instance_mask_path(shared, image):
    return f"{shared}/data/seg/coco_person/masks_instance/{os.path.splitext(os.path.basename(image))[0]}.png"


def _at_long_side(image, masks, long_side):
    """image: PIL RGB; masks: list of PIL L at any size -> (uint8 (3,H,W), uint8 (K,H,W)) at long_side."""
    image = data.to_long_side(image, long_side, Image.BILINEAR)
    stack = [np.asarray(m.resize(image.size, Image.BILINEAR)) for m in masks]
    return (torch.from_numpy(np.array(image)).permute(2, 0, 1).contiguous(),
            torch.from_numpy(np.stack(stack)) if stack else torch.zeros(0, image.size[1], image.size[0], dtype=torch.uint8))


def load_real(shared, labels, long_side=512):
    """-> (pictures [(image uint8 (3,H,W), masks uint8 (K,H,W))], sources): real multi-person pictures, weak labels."""
    pictures, sources = [], []
    train, _ = coco_person_split(shared)
    for path in train:
        ids = np.asarray(Image.open(_instance_mask_path(shared, path)))
        masks = [Image.fromarray(((ids == k) * 255).astype(np.uint8)) for k in np.unique(ids) if k != 0]
        pictures.append(_at_long_side(Image.open(path).convert("RGB"), masks, long_side))
        sources.append(path)
    people_photos = {os.path.splitext(os.path.basename(f))[0]: f for f in glob.glob(f"{shared}/data/images/people/*")}
    for picture in sorted(glob.glob(f"{labels}/instances/*/*/")):
        group, name = picture.rstrip("/").split("/")[-2:]
        image = people_photos.get(name) if group == "people" else f"{labels}/videos/{group}/image_{name}.png"
        masks = [Image.open(m).convert("L") for m in sorted(glob.glob(f"{picture}person_*/000000.png"))]
        if image is None or not os.path.exists(image) or not masks:
            continue
        pictures.append(_at_long_side(Image.open(image).convert("RGB"), masks, long_side))
        sources.append(image)
    return pictures, sources


class RealPictures:
    """Random crops of the real multi-person pictures, at random scales (crowds stay crowds: people may be small)."""

    def __init__(self, pictures, size=256, min_area=0.004):
        self.pictures, self.size, self.min_area = pictures, size, min_area

    def sample(self):
        """-> image (3,S,S) float 0..1, masks (K,S,S) float 0..1."""
        image, masks = random.choice(self.pictures)
        both = torch.cat([image, masks]).float() / 255
        both = _random_crop(both, self.size, 1.0, 1.8)
        if random.random() < 0.5:
            both = both.flip(-1)
        image, masks = both[:3], both[3:]
        if random.random() < 0.5:
            image = (image * random.uniform(0.7, 1.2)).clamp(0, 1)
        keep = [m for m in masks if (m > 0.5).sum() > self.min_area * self.size * self.size]
        return image, torch.stack(keep) if keep else torch.zeros(0, self.size, self.size)

