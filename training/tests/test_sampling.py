"""What the student is shown (training/sampling.py): geometry shared by picture and label, exact composite alpha,
hard mining."""
import random
import unittest

import torch

import helpers  # noqa: F401  (import path)
import sampling


def picture_and_label(h, w, seed):
    g = torch.Generator().manual_seed(seed)
    img = torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8)
    return img, img[:1].clone()   # the label IS the red channel: any geometry applied to one shows in the other


def sampler(whole_share=0.0, hard_mining=False, n=3):
    pics = [picture_and_label(60 + 10 * i, 80, i) for i in range(n)]
    fg = torch.zeros(4, 50, 30, dtype=torch.uint8)
    fg[0] = 200; fg[1] = 100; fg[2] = 50                       # a flat-coloured cut-out
    fg[3, 5:45, 5:25] = torch.linspace(0, 255, 20).round().to(torch.uint8)   # with soft alpha
    bg = torch.full((3, 90, 120), 30, dtype=torch.uint8)
    return sampling.Sampler([p for p, _ in pics], [l for _, l in pics], [fg], [bg], composite_share=0.3,
                            whole_share=whole_share, hard_mining=hard_mining)


class RealSampleTests(unittest.TestCase):
    def test_crop_keeps_picture_and_label_aligned(self):
        random.seed(0); torch.manual_seed(0)
        s = sampler()
        for _ in range(10):
            x, y, i = s.real_sample(48)
            self.assertEqual(tuple(x.shape), (3, 48, 48)); self.assertEqual(tuple(y.shape), (1, 48, 48))
            torch.testing.assert_close(y[0], x[0])
            self.assertIn(i, range(3))

    def test_whole_picture_keeps_alignment_where_the_picture_lies(self):
        random.seed(1); torch.manual_seed(1)
        s = sampler(whole_share=1.0)
        x, y, _ = s.real_sample(64)
        placed = y[0] > 0   # outside the picture the label is 0 (background) whatever the background shows
        self.assertGreater(int(placed.sum()), 64 * 64 // 4)
        torch.testing.assert_close(y[0][placed], x[0][placed])


class CompositeTests(unittest.TestCase):
    def test_composite_is_alpha_times_foreground_plus_rest_background_exactly(self):
        random.seed(2); torch.manual_seed(2)
        s = sampler()
        fg_rgb = torch.tensor([200, 100, 50]).view(3, 1, 1) / 255
        bg_rgb = torch.full((3, 1, 1), 30 / 255)
        seen_soft = False
        for _ in range(10):
            x, a, i = s.composite_sample(64)
            self.assertEqual(i, -1)
            torch.testing.assert_close(x, a * fg_rgb + (1 - a) * bg_rgb, rtol=0, atol=1e-6)
            seen_soft |= bool(((a > 0.05) & (a < 0.95)).any())
        self.assertTrue(seen_soft, "the cut-out's soft alpha must reach the label")


class BatchTests(unittest.TestCase):
    def test_batch_shapes_and_ids(self):
        random.seed(3); torch.manual_seed(3)
        x, y, ids = sampler().batch(6, 32)
        self.assertEqual(tuple(x.shape), (6, 3, 32, 32)); self.assertEqual(tuple(y.shape), (6, 1, 32, 32))
        self.assertTrue(all(i == -1 or 0 <= i < 3 for i in ids))
        self.assertTrue(0 <= float(x.min()) and float(x.max()) <= 1)

    def test_the_same_seed_draws_the_same_batch(self):
        random.seed(4); torch.manual_seed(4)
        a = sampler().batch(4, 32)
        random.seed(4); torch.manual_seed(4)
        b = sampler().batch(4, 32)
        self.assertTrue(torch.equal(a[0], b[0])); self.assertEqual(a[2], b[2])


class HardMiningTests(unittest.TestCase):
    def test_hard_samples_are_drawn_more(self):
        random.seed(5)
        s = sampler(hard_mining=True)
        s.sample_loss[:] = [0.0, 0.0, 1.0]
        draws = [s.pick_real() for _ in range(400)]
        share = draws.count(2) / len(draws)
        self.assertGreater(share, 0.6)   # half uniform (1/3 of it) + half weighted (all of it): about 2/3

    def test_off_draws_uniformly_and_never_reads_the_losses(self):
        random.seed(6)
        s = sampler(hard_mining=False)
        s.sample_loss[:] = [0.0, 0.0, 1.0]
        draws = [s.pick_real() for _ in range(600)]
        for k in range(3):
            self.assertGreater(draws.count(k), 150)

    def test_recorded_losses_are_relative_to_the_running_mean(self):
        s = sampler(hard_mining=True)
        s.run_mean_l1 = 0.02
        s.record_losses([1, -1], [0.04, 0.5], batch_l1=0.03)
        self.assertAlmostEqual(s.sample_loss[1], 0.5 * 1.0 + 0.5 * 0.04 / 0.02)
        self.assertEqual(s.sample_loss[0], 1.0)          # not in the batch; the composite (-1) changes nothing
        self.assertAlmostEqual(s.run_mean_l1, 0.98 * 0.02 + 0.02 * 0.03)


if __name__ == "__main__":
    unittest.main()
