"""The x0.5 encoder's initialisation from the full ResNet-18 (training/imagenet/derive_half.py)."""
import random
import unittest

import numpy as np
import torch
import torch.nn.functional as F

import helpers  # noqa: F401  (import path)
import derive_half as dh
import resnet18_cntk as cntk
from student import Student


def random_full(seed=0):
    torch.manual_seed(seed)
    full = cntk.ResNet18Cntk()
    for m in full.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5); m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.1, 0.1); m.running_var.uniform_(0.5, 2)
    return full.eval()


def kill_dropped_inputs(full, keep, inner):
    """Zeroes every weight that reads a channel outside the kept sets: the kept half then computes alone."""
    def zero_inputs(conv, kept):
        mask = torch.zeros(conv.weight.shape[1], dtype=torch.bool); mask[kept] = True
        with torch.no_grad():
            conv.weight[:, ~mask] = 0
    prev = keep[0]
    for s, layer in enumerate(full.layers):
        for b, block in enumerate(layer):
            zero_inputs(block.conv1.conv, prev if b == 0 else keep[s])
            zero_inputs(block.conv2.conv, inner[s][b])
            if block.down is not None:
                zero_inputs(block.down.conv, prev)
        prev = keep[s]


class SelectionTests(unittest.TestCase):
    def setUp(self):
        self.full = random_full()
        g = torch.Generator().manual_seed(1)
        self.stream = [torch.rand(w, generator=g) for w in cntk.STAGE_WIDTHS]
        self.inner = [[torch.rand(w, generator=g) for _ in range(n)] for n, w in zip(cntk.STAGE_BLOCKS, cntk.STAGE_WIDTHS)]
        self.keep = [dh.top_half(s) for s in self.stream]
        self.inner_keep = [[dh.top_half(s) for s in stage] for stage in self.inner]
        kill_dropped_inputs(self.full, self.keep, self.inner_keep)
        self.student = Student().eval()
        self.returned = dh.select(self.full, self.student, self.stream, self.inner)

    def test_top_half_keeps_the_largest_in_order(self):
        self.assertEqual(dh.top_half(torch.tensor([0.1, 5.0, 3.0, 0.2])).tolist(), [1, 2])

    def test_the_same_stream_channels_are_returned(self):
        for a, b in zip(self.returned, self.keep):
            self.assertTrue(torch.equal(a, b))

    def test_kept_half_computes_what_the_full_stages_compute_on_those_channels(self):
        # With the dropped channels unread, each stage of the x0.5 encoder must reproduce the full stage's kept
        # channels exactly: the shortcuts add like to like only if every block of a stage keeps the same set.
        # (Even sizes: there CNTK's asymmetric padding and PyTorch's symmetric one sample the same pixels.)
        x = torch.rand(2, 64, 16, 16)
        enc = self.student.encoder
        with torch.no_grad():
            h_full, h_half = x, x[:, self.keep[0]]
            for s, (half_layer, full_layer) in enumerate(zip([enc.layer1, enc.layer2, enc.layer3, enc.layer4], self.full.layers)):
                blocks = list(full_layer)[:len(half_layer)]   # stage 4: the two blocks the x0.5 encoder keeps
                for hb, fb in zip(half_layer, blocks):
                    h_full, h_half = fb(h_full), hb(h_half)
                torch.testing.assert_close(h_half, h_full[:, self.keep[s]], rtol=1e-4, atol=1e-5)
                h_full = h_full if len(blocks) == len(full_layer) else full_layer[len(blocks):](h_full)
                h_half = h_full[:, self.keep[s]]

    def test_stem_reads_rgb_in_the_full_networks_bgr_order(self):
        full_w = self.full.stem.conv.weight[self.keep[0]]
        half = self.student.encoder.stem[0].weight
        for c_rgb, c_bgr in zip(range(3), dh.BGR_TO_RGB):
            torch.testing.assert_close(half[:, c_rgb], dh.half_resolution_stem(full_w)[:, c_bgr])


class HalfResolutionStemTests(unittest.TestCase):
    def test_on_a_smooth_picture_it_matches_the_full_stem_on_the_quarter_grid(self):
        torch.manual_seed(0)
        k = torch.randn(4, 3, 7, 7)
        yy, xx = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
        x = torch.stack([torch.sin(yy / 9 + c) + torch.cos(xx / 11 - c) for c in range(3)])[None]
        full = F.conv2d(F.pad(x, (3, 2, 3, 2)), k, stride=2)[..., ::2, ::2]     # the full stem, on the /4 grid
        inner = (slice(None), slice(None), slice(2, -2), slice(2, -2))          # away from the padding

        def error(kernel):
            half = F.conv2d(F.avg_pool2d(x, 2), kernel, stride=2, padding=3)
            return ((half[inner] - full[inner]).abs().mean() / full[inner].abs().mean()).item()
        ours = dh.half_resolution_stem(k)
        self.assertLess(error(ours), 0.08)   # what is left is the 2x2 box approximation of a random 7x7 kernel
        for shift in (-1, 1):                # the taps one half-size pixel off would be much worse
            self.assertLess(2 * error(ours), error(torch.roll(ours, (shift, shift), (2, 3))))

    def test_the_kernel_keeps_its_total_weight(self):
        k = torch.randn(2, 3, 7, 7)
        torch.testing.assert_close(dh.half_resolution_stem(k).sum((2, 3)), k.sum((2, 3)))


class NormalisationTests(unittest.TestCase):
    def test_channel_means_are_rgb_in_0_1(self):
        mean = np.stack([np.full((4, 4), v, np.float32) for v in (10.0, 20.0, 30.0)])[None]   # B, G, R
        self.assertEqual((dh.channel_means(mean) * 255).round().tolist(), [30.0, 20.0, 10.0])

    def test_student_input_equals_the_full_networks_input(self):
        # RGB 0..1 through the student's buffers = the full network's BGR 0..255 minus the mean, channels reordered
        mean_rgb01 = torch.tensor([0.48, 0.45, 0.40])
        s = Student()
        with torch.no_grad():
            s.mean.copy_(mean_rgb01.view(1, 3, 1, 1)); s.std.fill_(1 / 255)
        rgb = torch.rand(1, 3, 4, 4)
        full_in = cntk.preprocess(rgb * 255, (mean_rgb01 * 255).flip(0))
        torch.testing.assert_close(((rgb - s.mean) / s.std)[:, dh.BGR_TO_RGB], full_in, rtol=1e-5, atol=1e-4)


class RecalibrationTests(unittest.TestCase):
    def test_running_statistics_become_those_of_the_pictures(self):
        s = Student()
        pics = torch.rand(16, 3, 32, 32)
        dh.recalibrate_bn(s, pics)
        stem_bn = s.encoder.stem[1]
        with torch.no_grad():
            pre = s.encoder.stem[0](F.avg_pool2d((pics - s.mean) / s.std, 2))
        torch.testing.assert_close(stem_bn.running_mean, pre.mean((0, 2, 3)), rtol=1e-4, atol=1e-5)
        self.assertFalse(s.training)


class DeriveTests(unittest.TestCase):
    def test_a_short_derivation_gives_a_student_train_py_can_start_from(self):
        full = random_full()
        mean_image = np.full((1, 3, 8, 8), 100.0, np.float32)
        pics = [torch.randint(0, 256, (3, 48, 64), dtype=torch.uint8) for _ in range(4)]
        measure = dh.fixed_crops(pics[:2], 32)
        student, report = dh.derive(full, mean_image, pics, measure, random.Random(0), minutes=0, steps=3, crop=32,
                                    lr=1e-3, log=lambda m: None, batch=2)
        self.assertEqual(report["distil_steps"], 3)
        for key in ("selected", "recalibrated", "distilled"):
            self.assertEqual(len(report[key]), 4)
            self.assertTrue(all(np.isfinite(report[key])))
        fresh = Student()
        fresh.load_state_dict(student.state_dict())   # what train.py --init does
        self.assertAlmostEqual(fresh.std.flatten()[0].item(), 1 / 255, places=7)
        self.assertEqual(tuple(fresh(torch.rand(1, 3, 64, 96))[0].shape), (1, 1, 64, 96))

    def test_distil_loss_is_zero_only_for_equal_features(self):
        t = [torch.rand(1, 2, 3, 3) for _ in range(4)]
        self.assertEqual(dh.distil_loss(t, t).item(), 0.0)
        self.assertGreater(dh.distil_loss([x + 0.1 for x in t], t).item(), 0.0)


if __name__ == "__main__":
    unittest.main()
