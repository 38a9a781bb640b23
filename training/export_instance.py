"""Exports E2E-HIM-lite to ONNX: input `image` (1,3,H,W) RGB 0..1 (H, W dynamic, multiples of 32); outputs
`scores` (1,N) person probability per query and `alphas` (1,N,H/4,W/4), each query's matte with the trimap assembly
(Eq. 8, hard argmax) inside the graph. Dynamic 1x1 convolutions are einsums (MatMul), so there is no per-query loop.

    python3 training/export_instance.py training/cache/instance_run/last.pt models/stream_matte_instances_r18x05.onnx
"""
import sys

import onnx
import torch

from instance import Exported, InstanceMatting


def export(checkpoint, out, opset=13):
    net = InstanceMatting()
    net.load_state_dict(torch.load(checkpoint, map_location="cpu")["model"])
    model = Exported(net).eval()
    x = torch.rand(1, 3, 224, 384)
    torch.onnx.export(model, x, out, input_names=["image"], output_names=["scores", "alphas"], opset_version=opset,
                      dynamic_axes={"image": {2: "height", 3: "width"}, "alphas": {2: "mask_height", 3: "mask_width"}},
                      do_constant_folding=True)
    m = onnx.load(out)
    queries = net.queries
    for output, dims in zip(m.graph.output, ([1, queries], [1, queries, "mask_height", "mask_width"])):
        for d, v in zip(output.type.tensor_type.shape.dim, dims):   # declare the fixed sizes the exporter left symbolic
            if isinstance(v, int):
                d.dim_value = v
            else:
                d.dim_param = v
    onnx.checker.check_model(m)
    m.doc_string = ("stream-matte instances: E2E-HIM-lite (paper 003 scaled down; ResNet-18x0.5 encoder shared with the "
                    "student), one matte per person in one pass; see the model card")
    onnx.save(m, out)
    print(f"exported {out}")


if __name__ == "__main__":
    export(sys.argv[1], sys.argv[2])
