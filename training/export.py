"""Exports a trained student to ONNX: input `image` (N,3,H,W) RGB 0..1, output `alpha` (N,1,H,W); H and W dynamic
(multiples of 32). The boundary head is dropped (a training aid only).

    python3 training/export.py training/cache/run/best.pt models/stream_matte_student_r18x05.onnx
"""
import sys

import onnx
import torch

from student import Exported, Student


def export(checkpoint, out, opset=13):
    student = Student()
    student.load_state_dict(torch.load(checkpoint, map_location="cpu")["model"])
    model = Exported(student).eval()
    x = torch.rand(1, 3, 288, 512)
    torch.onnx.export(model, x, out, input_names=["image"], output_names=["alpha"], opset_version=opset,
                      dynamic_axes={"image": {0: "batch", 2: "height", 3: "width"}, "alpha": {0: "batch", 2: "height", 3: "width"}},
                      do_constant_folding=True)
    m = onnx.load(out)
    onnx.checker.check_model(m)
    m.doc_string = "stream-matte student: UNet-ResNet-18x0.5 trained with Matte Label Blending; see the model card"
    onnx.save(m, out)
    print(f"exported {out}")


if __name__ == "__main__":
    export(sys.argv[1], sys.argv[2])
