"""Trains E2E-HIM-lite (instance.py) on multi-person pictures (instance_data.py), CPU or CUDA.

    python3 training/train_instance.py --steps 6000 --minutes 100    # resumes from training/cache/instance_run/last.pt
    python3 training/train_instance.py --run training/cache/instance_run2 --init training/cache/instance_run/last.pt \
        --real 0.5 --lr 2.5e-4 --warmup 100 --minutes 70             # a second phase with real multi-person pictures

A batch mixes exact composites with real pictures (--real: their share). Real pictures carry masks, not alpha: they
get the class and mask losses (who is where) and none of the trimap, alpha and matte losses (the edge).

Matching and losses follow paper 003 (digest §003 2.5): Hungarian matching on C = -p_human + focal + dice, then
L = 5 L_cls (background weight 0.1) + L_seg (focal + dice) + 10 L_tri (focal CE) + 5 L_alpha (L1 over the predicted
and the true unknown regions, weights 3 and 5). One addition of ours: an L1 between each matched query's soft-assembled
matte and its person's alpha, because the runtime's hybrid mode splits the student's matte by exactly these mattes.

The learning rate follows a cosine over training progress, where progress is the larger of step/steps and
elapsed/minutes, so a run cut short by its time budget still ends annealed (--minutes 0 gives a purely step-based,
repeatable schedule). Logs to <run>/log.txt; checkpoints every 250 steps.
"""
import argparse
import math
import os
import random
import time

import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

from common import start_run
from instance import InstanceMatting, assemble
from instance_data import RealPictures, Synthesiser, load_pool, load_real

p = argparse.ArgumentParser()
p.add_argument("--shared", default="../shared")
p.add_argument("--labels", default="training/cache/labels")
p.add_argument("--student", default="training/cache/run/last.pt", help="initialise the encoder from the student")
p.add_argument("--run", default="training/cache/instance_run")
p.add_argument("--init", default="", help="start from this run's weights (a new phase: fresh optimiser and schedule)")
p.add_argument("--real", type=float, default=0.0, help="share of each batch from real multi-person pictures (weak labels)")
p.add_argument("--warmup", type=int, default=200)
p.add_argument("--steps", type=int, default=6000)
p.add_argument("--minutes", type=float, default=0)
p.add_argument("--batch", type=int, default=8)
p.add_argument("--size", type=int, default=256)
p.add_argument("--lr", type=float, default=5e-4)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=2026)
args = p.parse_args()

device, log = start_run(args.run, args.threads, args.seed)


cutouts, photos, backgrounds, sources = load_pool(args.shared, args.labels)
with open(f"{args.run}/sources.txt", "w") as f:
    f.write("\n".join(sources) + "\n")
synth = Synthesiser(cutouts, photos, backgrounds, size=args.size)
log(f"{len(cutouts)} people, {len(photos)} base photos, {len(backgrounds)} backgrounds, device {device}")
real = None
if args.real > 0:
    pictures, real_sources = load_real(args.shared, args.labels)
    with open(f"{args.run}/sources.txt", "a") as f:
        f.write("\n".join(real_sources) + "\n")
    real = RealPictures(pictures, size=args.size)
    log(f"{len(pictures)} real multi-person pictures with {sum(len(m) for _, m in pictures)} people (weak labels), share {args.real}")

model = InstanceMatting().to(device).to(memory_format=torch.channels_last)
start_step = 0
if os.path.exists(f"{args.run}/last.pt"):
    ck = torch.load(f"{args.run}/last.pt", map_location=device)
    model.load_state_dict(ck["model"]); start_step = ck["step"]
    log(f"resumed at step {start_step}")
elif args.init:
    model.load_state_dict(torch.load(args.init, map_location=device)["model"])
    log(f"initialised from {args.init}")
elif os.path.exists(args.student):
    state = torch.load(args.student, map_location=device)["model"]
    encoder = {k[len("encoder."):]: v for k, v in state.items() if k.startswith("encoder.")}
    model.encoder.load_state_dict(encoder)
    log(f"encoder initialised from {args.student}")
backbone = list(model.encoder.parameters())
heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
opt = torch.optim.AdamW([{"params": backbone, "lr_scale": 0.5}, {"params": heads, "lr_scale": 1.0}], lr=args.lr, weight_decay=1e-4)
if start_step and "opt" in ck:
    opt.load_state_dict(ck["opt"])


def sigmoid_focal(logits, target, gamma=2.0, alpha=0.25):
    p = logits.sigmoid()
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    pt = p * target + (1 - p) * (1 - target)
    return (ce * (1 - pt) ** gamma * (alpha * target + (1 - alpha) * (1 - target))).flatten(1).mean(1)


def dice(logits, target):
    p = logits.sigmoid().flatten(1)
    t = target.flatten(1)
    return 1 - (2 * (p * t).sum(1) + 1) / (p.sum(1) + t.sum(1) + 1)


def trimap_of(alpha):
    """0 background, 1 unknown, 2 foreground; the unknown band is widened by one pixel."""
    unknown = ((alpha > 0.02) & (alpha < 0.98)).float()
    unknown = F.max_pool2d(unknown[:, None], 3, 1, 1)[:, 0] > 0
    t = torch.zeros_like(alpha, dtype=torch.long)
    t[alpha >= 0.98] = 2
    t[unknown] = 1
    return t


def match(logits, masks4, gts):
    """Hungarian matching per picture (Eq. 9): -p_human + focal + dice, on masks at 1/4 scale."""
    out = []
    with torch.no_grad():
        for b, gt in enumerate(gts):
            if len(gt) == 0:
                out.append((torch.zeros(0, dtype=torch.long), torch.zeros(0, dtype=torch.long)))
                continue
            n, k = masks4.shape[1], len(gt)
            m = masks4[b][:, None].expand(n, k, *masks4.shape[2:]).flatten(0, 1)
            g = (gt > 0.5).float()[None].expand(n, k, *gt.shape[1:]).flatten(0, 1)
            cost = (sigmoid_focal(m, g) * 20 + dice(m, g)).view(n, k) - logits[b].softmax(-1)[:, 1:2]
            rows, cols = linear_sum_assignment(cost.cpu().numpy())
            out.append((torch.as_tensor(rows), torch.as_tensor(cols)))
    return out


def losses(outputs, gts, exact):
    """exact[b]: whether picture b's people have a true alpha (composites) or only a mask (real pictures)."""
    logits, masks, trimap, alpha = outputs
    size4 = alpha.shape[2:]
    masks4 = F.interpolate(masks, size=size4, mode="bilinear", align_corners=False)
    gts4 = [F.adaptive_avg_pool2d(g[:, None], size4)[:, 0] if len(g) else g.new_zeros(0, *size4) for g in gts]
    matches = match(logits, masks4, gts4)
    target_cls = torch.zeros(logits.shape[:2], dtype=torch.long, device=logits.device)
    sel_b, sel_q, sel_g = [], [], []
    for b, (rows, cols) in enumerate(matches):
        target_cls[b, rows] = 1
        sel_b += [b] * len(rows); sel_q += rows.tolist(); sel_g.append(gts4[b][cols])
    alpha_b = [b for b in sel_b if exact[b]]
    l_cls = F.cross_entropy(logits.flatten(0, 1), target_cls.flatten(), weight=torch.tensor([0.1, 1.0], device=logits.device))
    if not sel_b:
        return 5 * l_cls, {"cls": l_cls.item()}
    g = torch.cat(sel_g)                                              # (M, H/4, W/4)
    m = masks4[sel_b, sel_q]
    gm = (g > 0.5).float()
    l_seg = (sigmoid_focal(m, gm) * 20 + dice(m, gm)).mean()
    if not alpha_b:
        return 5 * l_cls + l_seg, {"cls": l_cls.item(), "seg": l_seg.item()}
    with_alpha = torch.tensor([exact[b] for b in sel_b], device=logits.device)
    g = g[with_alpha]
    sel_b, sel_q = alpha_b, [q for b, q in zip(sel_b, sel_q) if exact[b]]
    t = trimap[sel_b, sel_q]                                          # (M, 3, h, w)
    tg = trimap_of(g)
    ce = F.cross_entropy(t, tg, reduction="none")
    pt = torch.exp(-ce)
    l_tri = ((1 - pt) ** 2 * ce).mean()
    a = alpha[sel_b, sel_q]
    u_pred = (t.argmax(1) == 1).float()
    u_gt = (tg == 1).float()
    err = (a - g).abs()
    l_alpha = 3 * (err * u_pred).sum() / u_pred.sum().clamp(min=1) + 5 * (err * u_gt).sum() / u_gt.sum().clamp(min=1)
    soft = assemble(t[:, None], a[:, None], hard=False)[:, 0]
    l_matte = (soft - g).abs().mean()
    total = 5 * l_cls + l_seg + 10 * l_tri + l_alpha + 5 * l_matte
    return total, {"cls": l_cls.item(), "seg": l_seg.item(), "tri": l_tri.item(), "alpha": l_alpha.item(), "matte": l_matte.item()}


def progress(step, t0):
    by_steps = step / args.steps
    by_time = (time.time() - t0) / (60 * args.minutes) if args.minutes > 0 else 0
    return max(by_steps, by_time)


model.train()
t0 = time.time() - (ck.get("elapsed", 0) if start_step else 0)
running = {}
step = start_step
while True:
    prog = progress(step, t0)
    if prog >= 1:
        break
    warm = min(1.0, (step + 1) / args.warmup)
    lr = args.lr * warm * 0.5 * (1 + math.cos(math.pi * prog))
    for group in opt.param_groups:
        group["lr"] = lr * group["lr_scale"]
    n_real = sum(random.random() < args.real for _ in range(args.batch)) if real else 0
    samples = [synth.sample() for _ in range(args.batch - n_real)] + [real.sample() for _ in range(n_real)]
    images, gts = torch.stack([x for x, _ in samples]), [a for _, a in samples]
    exact = [True] * (args.batch - n_real) + [False] * n_real
    images = images.to(device).contiguous(memory_format=torch.channels_last)
    gts = [g.to(device) for g in gts]
    loss, parts = losses(model(images), gts, exact)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    for k, v in parts.items():
        running[k] = running.get(k, 0) * 0.98 + v * 0.02 if k in running else v
    step += 1
    if step % 50 == 0 or step == start_step + 1:
        log(f"step {step} progress {prog:.3f} lr {lr:.2e} loss {loss.item():.4f} " +
            " ".join(f"{k} {v:.4f}" for k, v in running.items()) + f" ({(time.time() - t0) / 60:.1f} min)")
    if step % 250 == 0:
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "elapsed": time.time() - t0},
                   f"{args.run}/last.pt.tmp")
        os.replace(f"{args.run}/last.pt.tmp", f"{args.run}/last.pt")
torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "elapsed": time.time() - t0}, f"{args.run}/last.pt")
log(f"done at step {step}, {(time.time() - t0) / 60:.1f} min")
