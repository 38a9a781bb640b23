"""What the student is shown in training (train.py): real pictures with their blended labels, copy-paste composites
with exact alpha, the strong colour view, and hard mining. Kept apart from the training loop so it can be tested.

Randomness comes from Python's `random` module and torch's global generator, in the same order as when this code
lived in train.py, so a resumed or repeated run draws the same samples (train.py checkpoints both states).
"""
import random

import torch
import torch.nn.functional as F


def rescale(x, short_side, mode):
    h, w = x.shape[-2:]
    s = short_side / min(h, w)
    size = (max(short_side, round(h * s)), max(short_side, round(w * s)))
    return F.interpolate(x[None].float(), size=size, mode=mode, align_corners=False if mode == "bilinear" else None)[0]


def random_crop(x, c):
    h, w = x.shape[-2:]
    y0, x0 = random.randint(0, h - c), random.randint(0, w - c)
    return x[..., y0:y0 + c, x0:x0 + c]


def strong_colour(x):
    """SimCLR-like jitter (the student's strong view): brightness, contrast, saturation, channel gains, grey, noise."""
    x = x * random.uniform(0.6, 1.4)
    m = x.mean()
    x = (x - m) * random.uniform(0.6, 1.4) + m
    g = (x * torch.tensor([0.299, 0.587, 0.114]).view(3, 1, 1)).sum(0, keepdim=True)
    x = g + (x - g) * (0.0 if random.random() < 0.1 else random.uniform(0.5, 1.5))
    x = x * torch.empty(3, 1, 1).uniform_(0.9, 1.1)
    x = x + torch.randn_like(x) * random.uniform(0, 0.03)
    return x.clamp(0, 1)


class Sampler:
    """images: uint8 (3,H,W) pictures; labels: their uint8 (1,H,W) blended labels; foregrounds: uint8 RGBA cut-outs
    (teacher foreground + alpha); backgrounds: uint8 (3,H,W) person-free pictures."""

    def __init__(self, images, labels, foregrounds, backgrounds, composite_share=0.3, whole_share=0.0, hard_mining=False):
        self.images, self.labels, self.foregrounds, self.backgrounds = images, labels, foregrounds, backgrounds
        self.composite_share, self.whole_share, self.hard_mining = composite_share, whole_share, hard_mining
        # Recent L1 of each real sample relative to the running mean L1 (hard mining): unseen samples start at 1,
        # the mean, so they are drawn at the usual rate.
        self.sample_loss = [1.0] * len(images)
        self.run_mean_l1 = 0.03

    def pick_real(self):
        if not self.hard_mining or random.random() < 0.5:   # no draw when off: earlier phases keep their random stream
            return random.randrange(len(self.images))
        return random.choices(range(len(self.images)), weights=self.sample_loss)[0]

    def place_whole(self, both, c):
        """The whole picture at the product's scale (its long side 0.7-1.3 of the crop) on a background crop: the
        student sees every person with all the context it has at inference, not only close-ups."""
        h, w = both.shape[-2:]
        s = c * random.uniform(0.7, 1.3) / max(h, w)
        both = F.interpolate(both[None], size=(max(8, round(h * s)), max(8, round(w * s))), mode="bilinear", align_corners=False)[0]
        bh, bw = both.shape[-2:]
        if bh > c or bw > c:
            y0, x0 = random.randint(0, max(0, bh - c)), random.randint(0, max(0, bw - c))
            both = both[:, y0:y0 + min(bh, c), x0:x0 + min(bw, c)]
            bh, bw = both.shape[-2:]
        canvas = torch.zeros(4, c, c)
        canvas[:3] = random_crop(rescale(random.choice(self.backgrounds), c, "bilinear"), c)
        y0, x0 = random.randint(0, c - bh), random.randint(0, c - bw)
        canvas[:, y0:y0 + bh, x0:x0 + bw] = both
        return canvas

    def real_sample(self, c):
        """(image 0..1, label 0..1, index of the real picture), cropped or placed with one geometry for both."""
        i = self.pick_real()
        both = torch.cat([self.images[i].float(), self.labels[i].float()], 0)
        if self.whole_share > 0 and random.random() < self.whole_share:   # no draw when off: same random stream
            both = self.place_whole(both, c)
        else:
            both = random_crop(rescale(both, int(c * random.uniform(1.0, 1.5)), "bilinear"), c)
        if random.random() < 0.5:
            both = both.flip(-1)
        return both[:3] / 255, both[3:] / 255, i

    def composite_sample(self, c):
        """A cut-out pasted on a background: (image, its exact alpha, -1). image = a·fg + (1−a)·bg."""
        bg = random_crop(rescale(random.choice(self.backgrounds), int(c * random.uniform(1.0, 1.6)), "bilinear"), c) / 255
        fg = random.choice(self.foregrounds).float() / 255
        h, w = fg.shape[-2:]
        s = c * random.uniform(0.5, 1.15) / h
        fg = F.interpolate(fg[None], size=(max(8, round(h * s)), max(8, round(w * s))), mode="bilinear", align_corners=False)[0].clamp(0, 1)
        if random.random() < 0.5:
            fg = fg.flip(-1)
        fh, fw = fg.shape[-2:]
        canvas = torch.zeros(4, c, c)
        x0 = random.randint(-fw // 3, c - 2 * fw // 3)
        y0 = c - fh if random.random() < 0.6 else random.randint(-fh // 4, c - fh // 2)   # people usually leave the frame at the bottom
        sx0, sy0, dx0, dy0 = max(0, -x0), max(0, -y0), max(0, x0), max(0, y0)
        cw, ch = min(fw - sx0, c - dx0), min(fh - sy0, c - dy0)
        if cw > 0 and ch > 0:
            canvas[:, dy0:dy0 + ch, dx0:dx0 + cw] = fg[:, sy0:sy0 + ch, sx0:sx0 + cw]
        a = canvas[3:]
        return a * canvas[:3] + (1 - a) * bg, a, -1

    def batch(self, n, c):
        """Images (strong colour view), targets, and which real sample each is (-1 for a composite)."""
        xs, ys, ids = [], [], []
        for _ in range(n):
            x, y, i = self.composite_sample(c) if random.random() < self.composite_share else self.real_sample(c)
            xs.append(strong_colour(x)); ys.append(y); ids.append(i)
        return torch.stack(xs), torch.stack(ys), ids

    def record_losses(self, ids, per_sample_l1, batch_l1):
        """Hard mining: each real sample's recent L1, relative to the running mean so the weights stay comparable
        as training lowers every loss."""
        for k, i in enumerate(ids):
            if i >= 0:
                self.sample_loss[i] = 0.5 * self.sample_loss[i] + 0.5 * per_sample_l1[k] / max(1e-6, self.run_mean_l1)
        self.run_mean_l1 = 0.98 * self.run_mean_l1 + 0.02 * batch_l1
