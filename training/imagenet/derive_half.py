"""The student's ResNet-18 x0.5 encoder, initialised from the ImageNet-trained full ResNet-18 (resnet18_cntk.py).

    python3 training/imagenet/derive_half.py --out training/cache/imagenet/student_init.pt --minutes 20

Three steps, each measured on pictures the steps never saw (every 10th distillation picture), as R^2 of the x0.5
encoder's stage outputs against the full network's kept channels (1 = identical, 0 = no better than each channel's
mean):
1. **Select.** Each residual stream (stem + stage 1, stage 2, stage 3, stage 4) keeps the half of its channels with
   the largest mean activation over our pictures, the same set in every block of the stage, so the identity
   shortcuts still add like to like; each block's inner channels (conv1's output) are chosen on their own. The
   stem's input channels are reordered from the network's BGR to the student's RGB. Stage 4 keeps its first two
   blocks (ResNet-18 has two; this export has three).
2. **Recalibrate.** Dropping half of a conv's inputs changes what its BatchNorm sees: the running statistics are
   measured again on the distillation pictures (no weight changes).
3. **Distil.** The full network, frozen, sees the picture; the x0.5 encoder sees it at half size, as in the product
   (no stem max-pool, encoder at half input: the four stages come out at the same resolutions). The loss is each
   stage's mean squared error on the kept channels, divided by their variance.

The student's input normalisation becomes the full network's own (RGB 0..1 -> x 255 minus the ImageNet channel
means, no division), carried in the student's `mean`/`std` buffers, so the exported graph still takes RGB 0..1.
Writes {"model": the Student's state dict (decoder freshly initialised), "report": the figures} for train.py --init.
"""
import argparse
import glob
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import resnet18_cntk as cntk  # noqa: E402
from common import start_run  # noqa: E402
from student import Student  # noqa: E402

BGR_TO_RGB = [2, 1, 0]


def channel_means(mean_image_bgr):
    """The mean image's per-channel means, reordered to RGB and scaled to 0..1 (the student's `mean` buffer)."""
    return torch.from_numpy(mean_image_bgr.reshape(3, -1).mean(1)[BGR_TO_RGB].copy()) / 255


# ---- step 1: select ---------------------------------------------------------------------------------------------

def activation_importance(full, pictures):
    """Mean activation of every stream channel (per stage, over all of its blocks' outputs) and of every block's
    inner channels, over `pictures` (N,3,H,W already preprocessed for the full network)."""
    stream = [torch.zeros(w) for w in cntk.STAGE_WIDTHS]
    inner = [[torch.zeros(w) for _ in range(n)] for n, w in zip(cntk.STAGE_BLOCKS, cntk.STAGE_WIDTHS)]
    with torch.no_grad():
        for x in pictures.split(8):
            h = F.relu(full.stem(x))
            stream[0] += h.mean((0, 2, 3))   # the stem's output is stage 1's stream (no projection there)
            h = F.max_pool2d(F.pad(h, (1, 0, 1, 0), value=float("-inf")), 3, 2)
            for s, layer in enumerate(full.layers):
                for b, block in enumerate(layer):
                    inner[s][b] += F.relu(block.conv1(h)).mean((0, 2, 3))
                    h = block(h)
                    stream[s] += h.mean((0, 2, 3))
    return stream, inner


def top_half(scores):
    k = scores.numel() // 2
    return torch.sort(torch.topk(scores, k).indices).values


def copy_conv_bn(dst_conv, dst_bn, src, out_idx, in_idx):
    with torch.no_grad():
        dst_conv.weight.copy_(src.conv.weight[out_idx][:, in_idx])
        for name in ("weight", "bias", "running_mean", "running_var"):
            getattr(dst_bn, name).copy_(getattr(src.bn, name)[out_idx])
        dst_bn.eps = src.bn.eps


def half_resolution_stem(kernel):
    """The full network's 7x7 stride-2 stem kernel (on the full picture) as a kernel for the half-size picture the
    x0.5 encoder sees: each half-size pixel is the mean of 2x2 full-size ones, so its tap is the sum of the 2x2 taps
    it covers. With the full stem's padding (3 before) its taps u = 0..6 fall on half-size taps 1..4 of a 7x7 kernel
    whose output lands on the full network's /4 grid (where the max-pool puts it)."""
    w = F.avg_pool2d(F.pad(kernel, (1, 0, 1, 0)), 2) * 4      # (C,3,4,4): pairs (-1,0), (1,2), (3,4), (5,6)
    out = torch.zeros_like(kernel)
    out[..., 1:5, 1:5] = w
    return out


def select(full, student, stream_scores, inner_scores):
    """Copies the kept channels of `full` into `student.encoder` (a ResNet18Half); returns the kept stream indices."""
    keep = [top_half(s) for s in stream_scores]
    enc = student.encoder
    stem_conv, stem_bn = enc.stem[0], enc.stem[1]
    copy_conv_bn(stem_conv, stem_bn, full.stem, keep[0], torch.tensor(BGR_TO_RGB))
    with torch.no_grad():
        stem_conv.weight.copy_(half_resolution_stem(stem_conv.weight))
    prev = keep[0]
    for s, (half_layer, full_layer) in enumerate(zip([enc.layer1, enc.layer2, enc.layer3, enc.layer4], full.layers)):
        for b, half_block in enumerate(half_layer):   # stage 4: the first two of the three blocks
            fb = full_layer[b]
            mid = top_half(inner_scores[s][b])
            copy_conv_bn(half_block.conv1, half_block.bn1, fb.conv1, mid, prev if b == 0 else keep[s])
            copy_conv_bn(half_block.conv2, half_block.bn2, fb.conv2, keep[s], mid)
            if half_block.down is not None:
                copy_conv_bn(half_block.down[0], half_block.down[1], fb.down, keep[s], prev)
        prev = keep[s]
    return keep


# ---- the features compared ----------------------------------------------------------------------------------------

def student_stages(student, rgb01):
    x = (rgb01 - student.mean) / student.std
    return student.encoder(F.avg_pool2d(x, 2))


def full_stages(full, rgb01, mean_rgb01, keep):
    x = (rgb01 - mean_rgb01.view(1, 3, 1, 1)) * 255
    return [t[:, k] for t, k in zip(full.stages(x[:, BGR_TO_RGB]), keep)]


def closeness(student, full, pictures, mean_rgb01, keep):
    """R^2 per stage of the x0.5 stages against the full network's kept channels."""
    err = [0.0] * 4; var = [0.0] * 4
    was_training = student.training
    student.eval()
    with torch.no_grad():
        for x in pictures.split(8):
            for i, (s, t) in enumerate(zip(student_stages(student, x), full_stages(full, x, mean_rgb01, keep))):
                err[i] += ((s - t) ** 2).sum().item()
                var[i] += ((t - t.mean((0, 2, 3), keepdim=True)) ** 2).sum().item()
    student.train(was_training)
    return [round(1 - e / max(v, 1e-12), 4) for e, v in zip(err, var)]


def distil_loss(student_out, teacher_out):
    return sum(((s - t) ** 2).mean() / t.var().clamp_min(1e-6) for s, t in zip(student_out, teacher_out)) / 4


# ---- step 2: recalibrate ----------------------------------------------------------------------------------------

def recalibrate_bn(student, pictures):
    """Re-measures the encoder's BatchNorm running statistics (a cumulative average over `pictures`)."""
    bns = [m for m in student.encoder.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats(); m.momentum = None
    student.train()
    with torch.no_grad():
        for x in pictures.split(8):
            student_stages(student, x)
    for m, mom in zip(bns, saved):
        m.momentum = mom
    student.eval()


# ---- pictures -----------------------------------------------------------------------------------------------------

def picture_paths(shared):
    """Training photos (never the held-out split) and person-free backgrounds."""
    items, _ = data.photo_sets(shared)
    paths = [p for _, p, _ in items]
    paths += [f for f in sorted(glob.glob(f"{shared}/data/backgrounds/*/*")) if f.lower().endswith((".jpg", ".jpeg", ".png"))]
    return paths


def load_pictures(paths, long_side):
    return [torch.from_numpy(np.asarray(data.to_long_side(Image.open(p).convert("RGB"), long_side, Image.BILINEAR)).copy())
            .permute(2, 0, 1).contiguous() for p in paths]


def random_crops(pictures, n, size, rng):
    out = []
    for _ in range(n):
        p = pictures[rng.randrange(len(pictures))].float() / 255
        h, w = p.shape[-2:]
        s = size * rng.uniform(1.0, 1.6) / min(h, w)
        p = F.interpolate(p[None], size=(max(size, round(h * s)), max(size, round(w * s))), mode="bilinear", align_corners=False)[0]
        y0, x0 = rng.randint(0, p.shape[1] - size), rng.randint(0, p.shape[2] - size)
        p = p[:, y0:y0 + size, x0:x0 + size]
        out.append(p.flip(-1) if rng.random() < 0.5 else p)
    return torch.stack(out).clamp(0, 1)


def fixed_crops(pictures, size):
    """One centre crop per picture, for the measurements."""
    out = []
    for p in pictures:
        p = p.float() / 255
        h, w = p.shape[-2:]
        s = size / min(h, w)
        p = F.interpolate(p[None], size=(max(size, round(h * s)), max(size, round(w * s))), mode="bilinear", align_corners=False)[0]
        y0, x0 = (p.shape[1] - size) // 2, (p.shape[2] - size) // 2
        out.append(p[:, y0:y0 + size, x0:x0 + size])
    return torch.stack(out).clamp(0, 1)


def derive(full, mean_image_bgr, train_pics, measure_pics, rng, minutes, steps, crop, lr, log, batch=8):
    """The three steps; returns (student, report)."""
    mean_rgb01 = channel_means(mean_image_bgr)
    student = Student()
    with torch.no_grad():
        student.mean.copy_(mean_rgb01.view(1, 3, 1, 1)); student.std.fill_(1 / 255)
    calib = random_crops(train_pics, 64, crop, rng)
    full_in = ((calib - mean_rgb01.view(1, 3, 1, 1)) * 255)[:, BGR_TO_RGB]
    stream, inner = activation_importance(full, full_in)
    keep = select(full, student, stream, inner)
    report = {"selected": closeness(student, full, measure_pics, mean_rgb01, keep)}
    log(f"step 1, selected channels: R^2 per stage {report['selected']}")
    recalibrate_bn(student, random_crops(train_pics, 128, crop, rng))
    report["recalibrated"] = closeness(student, full, measure_pics, mean_rgb01, keep)
    log(f"step 2, BatchNorm recalibrated: R^2 per stage {report['recalibrated']}")
    opt = torch.optim.Adam(student.encoder.parameters(), lr=lr)
    student.train()
    started, step, run = time.time(), 0, 0.0
    while step < steps and (minutes <= 0 or time.time() - started < 60 * minutes):
        progress = max(step / steps, (time.time() - started) / (60 * minutes) if minutes > 0 else 0)
        for g in opt.param_groups:
            g["lr"] = lr * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
        x = random_crops(train_pics, batch, crop, rng)
        with torch.no_grad():
            target = full_stages(full, x, mean_rgb01, keep)
        loss = distil_loss(student_stages(student, x), target)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        run += loss.item(); step += 1
        if step % 50 == 0:
            log(f"distil step {step} loss {run / 50:.4f} ({(time.time() - started) / step:.2f} s/step)"); run = 0.0
    student.eval()
    report["distilled"] = closeness(student, full, measure_pics, mean_rgb01, keep)
    report["distil_steps"] = step
    report["distil_minutes"] = round((time.time() - started) / 60, 1)
    log(f"step 3, distilled {step} steps: R^2 per stage {report['distilled']}")
    return student, report


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--imagenet", default="training/cache/imagenet", help="folder with ResNet18.onnx and ResNetPreprocess.onnx (training/imagenet/fetch.sh)")
    p.add_argument("--shared", default="../shared")
    p.add_argument("--out", default="training/cache/imagenet/student_init.pt")
    p.add_argument("--run", default="training/cache/imagenet/derive")
    p.add_argument("--minutes", type=float, default=20, help="time budget of the distillation")
    p.add_argument("--steps", type=int, default=100000)
    p.add_argument("--crop", type=int, default=256, help="the full network's picture; the x0.5 encoder sees half")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=2026)
    a = p.parse_args()
    _, log = start_run(a.run, a.threads, a.seed)
    full = cntk.load_onnx(f"{a.imagenet}/ResNet18.onnx")
    for q in full.parameters():
        q.requires_grad_(False)
    mean_image = cntk.load_preprocess(f"{a.imagenet}/ResNetPreprocess.onnx")
    paths = picture_paths(a.shared)
    measure = [q for i, q in enumerate(paths) if i % 10 == 0]
    train = [q for i, q in enumerate(paths) if i % 10 != 0]
    log(f"{len(train)} distillation pictures, {len(measure)} for the measurements")
    student, report = derive(full, mean_image, load_pictures(train, 384), fixed_crops(load_pictures(measure, 384), a.crop),
                             random.Random(a.seed), a.minutes, a.steps, a.crop, a.lr, log)
    report["source"] = "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (MIT), ResNet18.onnx"
    torch.save({"model": student.state_dict(), "report": report}, a.out + ".tmp")
    os.replace(a.out + ".tmp", a.out)
    with open(os.path.splitext(a.out)[0] + "_report.json", "w") as f:
        json.dump(report, f, indent=1)
    log(f"wrote {a.out}")


if __name__ == "__main__":
    main()
