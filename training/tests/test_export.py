"""The shipped graph's shapes (training/export.py): image (N,3,H,W) RGB 0..1 -> alpha (N,1,H,W), H and W dynamic."""
import os
import tempfile
import unittest

import onnx
from onnx import numpy_helper
import torch

import helpers  # noqa: F401  (import path)
import export
from student import Student


class ExportTests(unittest.TestCase):
    def test_student_output_has_the_input_size(self):
        alpha, boundary = Student().eval()(torch.rand(2, 3, 96, 160))
        self.assertEqual(tuple(alpha.shape), (2, 1, 96, 160)); self.assertEqual(tuple(boundary.shape), (2, 1, 96, 160))
        self.assertTrue(0 <= float(alpha.min()) and float(alpha.max()) <= 1)

    def test_exported_graph_has_named_dynamic_inputs_and_outputs(self):
        torch.manual_seed(0)
        with tempfile.TemporaryDirectory() as t:
            ck, out = os.path.join(t, "s.pt"), os.path.join(t, "s.onnx")
            torch.save({"model": Student().state_dict()}, ck)
            export.export(ck, out)
            g = onnx.load(out).graph
            self.assertEqual([i.name for i in g.input], ["image"])
            self.assertEqual([o.name for o in g.output], ["alpha"])
            dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
            self.assertEqual(dims(g.input[0]), ["batch", 3, "height", "width"])
            self.assertEqual(dims(g.output[0]), ["batch", 1, "height", "width"])

    def test_normalisation_buffers_travel_into_the_graph(self):
        # The ImageNet-initialised student carries the full network's normalisation (x255 minus the means) in its
        # buffers; the export must bake those in, not the defaults, or the product would feed it the wrong range.
        s = Student()
        with torch.no_grad():
            s.std.fill_(1 / 255)
        with tempfile.TemporaryDirectory() as t:
            ck, out = os.path.join(t, "s.pt"), os.path.join(t, "s.onnx")
            torch.save({"model": s.state_dict()}, ck)
            export.export(ck, out)
            values = [numpy_helper.to_array(i) for i in onnx.load(out).graph.initializer]
            values += [numpy_helper.to_array(a.t) for n in onnx.load(out).graph.node if n.op_type == "Constant"
                       for a in n.attribute if a.name == "value"]
            self.assertTrue(any(v.size == 3 and abs(float(v.flatten()[0]) - 1 / 255) < 1e-7 for v in values),
                            "the 1/255 scale is not in the exported graph")


if __name__ == "__main__":
    unittest.main()
