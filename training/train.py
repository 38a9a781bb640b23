"""Trains the student with Matte Label Blending (paper 002) on the CPU or a CUDA GPU.

    python3 training/train.py --steps 9000            # resumes from training/cache/run/last.pt if present
    python3 training/train.py --run training/cache/run2 --init training/cache/run/last.pt --crop 288 --lr 5e-4 --minutes 120

--init starts a new run (fresh optimiser, step 0 of its own schedule) from the weights of an earlier one: a second
phase with a warm restart. The learning rate follows a cosine over training progress, the larger of step/steps and
elapsed/minutes (when --minutes is given), so a run cut short by its time budget still ends annealed.

Logs to training/cache/run/log.txt, checkpoints every 250 steps (last.pt) and keeps the best held-out IoU (best.pt).
Seeds are fixed; with the same data list and device the run repeats.
"""
import argparse
import glob
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import data
from common import start_run
from sampling import Sampler
from student import Student

p = argparse.ArgumentParser()
p.add_argument("--dataset", default="training/cache/dataset.pt")
p.add_argument("--shared", default="../shared")
p.add_argument("--run", default="training/cache/run")
p.add_argument("--steps", type=int, default=9000)
p.add_argument("--batch", type=int, default=8)
p.add_argument("--crop", type=int, default=224)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--composite-share", type=float, default=0.3)
p.add_argument("--boundary-weight", type=float, default=0.01)   # paper 002's lambda
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=2026)
p.add_argument("--eval-every", type=int, default=1000)
p.add_argument("--init", default="", help="weights of an earlier run to start from (a new phase)")
p.add_argument("--minutes", type=float, default=0, help="time budget; 0: the schedule is purely step-based")
p.add_argument("--whole-share", type=float, default=0.0,
               help="share of real samples shown whole, at the scale the product runs them (long side 0.7-1.3 crops), over a background")
p.add_argument("--encoder-lr-scale", type=float, default=1.0,
               help="the encoder's learning rate as a share of --lr (below 1 keeps an ImageNet-initialised encoder's features while the decoder learns)")
p.add_argument("--hard-mining", action="store_true",
               help="draw real samples by their recent loss (half uniform, half in proportion to it)")
args = p.parse_args()

device, log = start_run(args.run, args.threads, args.seed)


ds = torch.load(args.dataset)
images, labels, foregrounds = ds["images"], ds["labels"], ds["foregrounds"]
backgrounds = [torch.from_numpy(np.asarray(data.to_long_side(Image.open(f).convert("RGB"), data.LONG_SIDE, Image.BILINEAR))).permute(2, 0, 1).contiguous()
               for f in sorted(glob.glob(f"{args.shared}/data/backgrounds/*/*")) if f.lower().endswith((".jpg", ".jpeg", ".png"))]
log(f"{len(images)} real samples, {len(foregrounds)} foregrounds, {len(backgrounds)} backgrounds, device {device}")


sampler = Sampler(images, labels, foregrounds, backgrounds, args.composite_share, args.whole_share, args.hard_mining)


def gradient(x):
    return x[..., 1:, :] - x[..., :-1, :], x[..., :, 1:] - x[..., :, :-1]


def loss_fn(alpha, boundary_logit, target):
    l1 = (alpha - target).abs().mean()
    (gy, gx), (ty, tx) = gradient(alpha), gradient(target)
    grad = (gy - ty).abs().mean() + (gx - tx).abs().mean()
    band = ((target > 0.05) & (target < 0.95)).float()
    bce = F.binary_cross_entropy_with_logits(boundary_logit, band)
    return l1 + grad + args.boundary_weight * bce, l1


held_items = data.photo_sets(args.shared)[1]
held = []
for _, path, mask in held_items:
    img = data.to_long_side(Image.open(path).convert("RGB"), 512, Image.BILINEAR)
    w, h = img.size
    w32, h32 = max(32, round(w / 32) * 32), max(32, round(h / 32) * 32)
    x = torch.from_numpy(np.asarray(img.resize((w32, h32), Image.BILINEAR))).permute(2, 0, 1).float()[None] / 255
    m = torch.from_numpy(np.asarray(Image.open(mask).convert("L").resize((w32, h32), Image.NEAREST))).float()[None, None] / 255
    held.append((x, m > 0.5))


def evaluate(model):
    model.eval()
    ious = []
    with torch.no_grad():
        for x, m in held:
            a = model(x.to(device).contiguous(memory_format=torch.channels_last))[0].cpu() > 0.5
            ious.append(((a & m).sum() / max(1, (a | m).sum())).item())
    model.train()
    return float(np.mean(ious))


model = Student().to(device).to(memory_format=torch.channels_last)
encoder_params = list(model.encoder.parameters())
encoder_ids = {id(q) for q in encoder_params}
opt = torch.optim.Adam([{"params": encoder_params, "lr_scale": args.encoder_lr_scale},
                        {"params": [q for q in model.parameters() if id(q) not in encoder_ids], "lr_scale": 1.0}], lr=args.lr)
start, best, elapsed_before = 0, -1.0, 0.0
if os.path.exists(f"{args.run}/last.pt"):
    ck = torch.load(f"{args.run}/last.pt")
    model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"]); start, best, elapsed_before = ck["step"], ck["best"], ck.get("elapsed", 0.0)
    random.setstate(ck["py_random"]); torch.set_rng_state(ck["torch_random"])
    sampler.sample_loss[:] = ck.get("sample_loss", sampler.sample_loss); sampler.run_mean_l1 = ck.get("run_mean_l1", sampler.run_mean_l1)
    log(f"resumed at step {start}")
elif args.init:
    model.load_state_dict(torch.load(args.init)["model"])
    log(f"initialised from {args.init}")
log(f"crop {args.crop}, batch {args.batch}, lr {args.lr} (encoder x{args.encoder_lr_scale}), steps {args.steps}, minutes {args.minutes}")


def progress(step):
    by_time = (time.time() - run_started) / (60 * args.minutes) if args.minutes > 0 else 0
    return min(1.0, max(step / args.steps, by_time))


def lr_at(step):
    warm = 200
    if step < warm:
        return args.lr * (step + 1) / warm
    return 1e-5 + 0.5 * (args.lr - 1e-5) * (1 + math.cos(math.pi * progress(step)))


def save(step):
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "best": best,
                "elapsed": time.time() - run_started,
                "py_random": random.getstate(), "torch_random": torch.get_rng_state(),
                "sample_loss": sampler.sample_loss, "run_mean_l1": sampler.run_mean_l1}, f"{args.run}/last.pt.tmp")
    os.replace(f"{args.run}/last.pt.tmp", f"{args.run}/last.pt")


run_started = time.time() - elapsed_before
t0, seen, run_loss, run_l1 = time.time(), 0, 0.0, 0.0
step = start
while step < args.steps and progress(step) < 1:
    for g in opt.param_groups:
        g["lr"] = lr_at(step) * g["lr_scale"]
    x, y, ids = sampler.batch(args.batch, args.crop)
    x = x.to(device).contiguous(memory_format=torch.channels_last); y = y.to(device)
    alpha, boundary = model(x)
    loss, l1 = loss_fn(alpha, boundary, y)
    if args.hard_mining:
        sampler.record_losses(ids, (alpha.detach() - y).abs().mean((1, 2, 3)).cpu().tolist(), l1.item())
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    run_loss += loss.item(); run_l1 += l1.item(); seen += 1
    step += 1
    if step % 50 == 0:
        log(f"step {step}/{args.steps} loss {run_loss / seen:.4f} l1 {run_l1 / seen:.4f} lr {lr_at(step):.2e} {(time.time() - t0) / seen:.2f} s/step")
        t0, seen, run_loss, run_l1 = time.time(), 0, 0.0, 0.0
    if step % args.eval_every == 0:
        iou = evaluate(model)
        if iou > best:
            best = iou
            torch.save({"model": model.state_dict(), "step": step, "iou": iou}, f"{args.run}/best.pt")
        log(f"held-out IoU {iou:.4f} (best {best:.4f})")
    if step % 250 == 0:
        save(step)


iou = evaluate(model)
log(f"held-out IoU {iou:.4f} at the end, step {step}")
save(step)
log(f"done at step {step}, {(time.time() - run_started) / 60:.1f} min")
