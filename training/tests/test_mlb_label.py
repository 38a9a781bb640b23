"""Matte Label Blending (paper 002): M = B·M_teacher + (1−B)·S, B the teacher's soft band near S's contour."""
import unittest

import torch

import helpers  # noqa: F401  (import path)
import data


def disc(size, radius, cx, cy):
    yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32), indexing="ij")
    return ((xx - cx) ** 2 + (yy - cy) ** 2).sqrt()


class BlendLabelTests(unittest.TestCase):
    def setUp(self):
        d = disc(96, 30, 48, 48)
        self.seg = (d < 30).float()[None, None]
        # The teacher: a soft edge (a 6-px ramp) on the same disc, and a soft blob far from the person (a mistake)
        edge = (1 - (d - 27) / 6).clamp(0, 1)
        blob = (0.5 * (disc(96, 0, 88, 8) < 4).float())
        self.teacher = torch.maximum(edge, blob)[None, None]
        self.label, self.band = data.blend_label(self.teacher, self.seg)

    def test_the_teachers_soft_edge_is_kept_near_the_contour(self):
        inside_band = self.band > 0.5
        self.assertGreater(int(inside_band.sum()), 100)
        torch.testing.assert_close(self.label[inside_band], self.teacher[inside_band])

    def test_away_from_the_band_the_label_is_the_segmentation(self):
        outside = self.band < 0.5
        torch.testing.assert_close(self.label[outside], self.seg[outside])

    def test_a_teacher_mistake_far_from_the_person_does_not_leak(self):
        self.assertEqual(float(self.label[0, 0, 8, 88]), 0.0)    # the blob's centre: S says background
        self.assertEqual(float(self.band[0, 0, 8, 88]), 0.0)

    def test_the_band_is_the_teachers_soft_pixels_dilated(self):
        soft = ((self.teacher > 0.05) & (self.teacher < 0.95)).float()
        near = data.dilate(self.seg, data.BAND) - data.erode(self.seg, data.BAND)
        torch.testing.assert_close(self.band, data.dilate(soft, data.BOUNDARY_DILATE) * near)


class HeldOutRuleTests(unittest.TestCase):
    def test_every_fifth_photo_is_held_out(self):
        self.assertEqual([i for i in range(12) if data.held_out(i)], [0, 5, 10])


if __name__ == "__main__":
    unittest.main()
