"""The PyTorch port of ML.NET's ImageNet ResNet-18 (training/imagenet/resnet18_cntk.py). Its agreement with ONNX
Runtime on real pictures is checked by tests/Training/ImageNetConversionTests.cs (ONNX Runtime runs in the C# suite;
Debian packages no Python build of it)."""
import os
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from helpers import require_imagenet
import resnet18_cntk as cntk


class CntkPaddingTests(unittest.TestCase):
    def test_same_padding_is_asymmetric_only_where_strided(self):
        self.assertEqual(cntk._same(3, 1), (1, 1, 1, 1))
        self.assertEqual(cntk._same(3, 2), (1, 1, 0, 0))

    def test_odd_input_matches_explicit_asymmetric_padding(self):
        # On an odd size CNTK's "same" (1 before, 0 after) gives one row less than PyTorch's symmetric padding
        torch.manual_seed(0)
        m = cntk.PaddedConvBn(2, 3, 3, 2, cntk._same(3, 2)).eval()
        x = torch.randn(1, 2, 9, 9)
        ref = m.bn(torch.nn.functional.conv2d(torch.nn.functional.pad(x, (1, 0, 1, 0)), m.conv.weight, stride=2))
        self.assertEqual(tuple(m(x).shape), (1, 3, 4, 4))
        self.assertTrue(torch.equal(m(x), ref))


class LoadOnnxTests(unittest.TestCase):
    def test_every_weight_of_the_real_file_is_copied(self):
        d = require_imagenet()
        model = cntk.load_onnx(os.path.join(d, "ResNet18.onnx"))
        g = onnx.load(os.path.join(d, "ResNet18.onnx")).graph
        conv_weights = {n.input[1] for n in g.node if n.op_type == "Conv"}
        inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        ours = sorted(float(m.conv.weight.abs().sum()) for m in cntk.conv_bn_modules(model))
        theirs = sorted(float(np.abs(inits[w]).sum()) for w in conv_weights)
        self.assertEqual(len(ours), 22)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
        self.assertEqual([len(layer) for layer in model.layers], [2, 2, 2, 3])

    def test_a_graph_that_is_not_this_resnet_is_refused(self):
        w = numpy_helper.from_array(np.zeros((4, 3, 3, 3), np.float32), "w")
        bn = [numpy_helper.from_array(np.ones(4, np.float32), n) for n in ("s", "b", "m", "v")]
        nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
                 helper.make_node("BatchNormalization", ["c", "s", "b", "m", "v"], ["y"])]
        g = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8])], [w] + bn)
        with tempfile.TemporaryDirectory() as t:
            path = os.path.join(t, "tiny.onnx")
            onnx.save(helper.make_model(g), path)
            with self.assertRaisesRegex(ValueError, "1 conv\\+BN pairs"):
                cntk.load_onnx(path)


class PreprocessTests(unittest.TestCase):
    def test_real_preprocess_graph_is_bgr_minus_mean_image(self):
        mean = cntk.load_preprocess(os.path.join(require_imagenet(), "ResNetPreprocess.onnx"))
        self.assertEqual(mean.shape, (1, 3, 224, 224))
        # Caffe's ImageNet means in BGR order, roughly 104, 117, 124
        np.testing.assert_allclose(mean.reshape(3, -1).mean(1), [103.1, 115.9, 123.2], atol=0.5)

    def test_preprocess_reverses_channels_and_subtracts(self):
        rgb = torch.tensor([10.0, 20.0, 30.0]).view(1, 3, 1, 1).expand(1, 3, 2, 2)
        out = cntk.preprocess(rgb, torch.tensor([1.0, 2.0, 3.0]))
        self.assertEqual(out[0, :, 0, 0].tolist(), [29.0, 18.0, 7.0])

    def test_a_graph_keeping_rgb_order_is_refused(self):
        nodes = [helper.make_node("Split", ["x"], ["r", "g", "b"], axis=1),
                 helper.make_node("Concat", ["r", "g", "b"], ["c"], axis=1),
                 helper.make_node("Sub", ["c", "mean"], ["y"])]
        mean = numpy_helper.from_array(np.zeros((1, 3, 2, 2), np.float32), "mean")
        g = helper.make_graph(nodes, "p", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 2, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 2, 2])], [mean])
        with tempfile.TemporaryDirectory() as t:
            path = os.path.join(t, "p.onnx")
            onnx.save(helper.make_model(g), path)
            with self.assertRaisesRegex(ValueError, "does not reverse"):
                cntk.load_preprocess(path)


if __name__ == "__main__":
    unittest.main()
