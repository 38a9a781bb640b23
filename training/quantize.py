"""Static int8 quantisation of the exported student, calibrated on real training frames (QDQ format).

    python3 training/quantize.py training/cache/run/best.pt models/stream_matte_student_r18x05_int8.onnx

How: BatchNorm is folded into the convolutions in PyTorch; the folded model is exported; a calibration pass
records each convolution's input range (forward hooks, in execution order, which is the order of the Conv nodes
in the exported graph); then every Conv gets QuantizeLinear/DequantizeLinear on its input (uint8, asymmetric,
min/max of the calibration set) and its weight becomes int8 per output channel (symmetric). ONNX Runtime fuses
each Q/DQ/Conv triple into an integer convolution. No python onnxruntime is needed (not packaged in Debian).
"""
import copy
import random
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

import data
from student import Exported, Student


def fold_batchnorm(model):
    """Folds every Conv2d → BatchNorm2d pair (in Sequentials and BasicBlocks) into the convolution."""
    def fold(conv, bn):
        w = conv.weight.detach()
        std = torch.sqrt(bn.running_var + bn.eps)
        scale = bn.weight.detach() / std
        conv.weight = nn.Parameter(w * scale.view(-1, 1, 1, 1))
        bias = conv.bias.detach() if conv.bias is not None else torch.zeros_like(bn.running_mean)
        conv.bias = nn.Parameter((bias - bn.running_mean) * scale + bn.bias.detach())

    for module in model.modules():
        if isinstance(module, nn.Sequential):
            items = list(module._modules.items())
            for (_, a), (name_b, b) in zip(items, items[1:]):
                if isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d):
                    fold(a, b)
                    module._modules[name_b] = nn.Identity()
        for conv_name, bn_name in (("conv1", "bn1"), ("conv2", "bn2")):
            if isinstance(getattr(module, conv_name, None), nn.Conv2d) and isinstance(getattr(module, bn_name, None), nn.BatchNorm2d):
                fold(getattr(module, conv_name), getattr(module, bn_name))
                setattr(module, bn_name, nn.Identity())
    return model


def calibration_images(n=48, seed=7):
    ds = torch.load("training/cache/dataset.pt")
    rng = random.Random(seed)
    out = []
    for i in rng.sample(range(len(ds["images"])), n):
        img = ds["images"][i].float()[None] / 255
        h, w = img.shape[-2:]
        s = 512 / max(h, w)
        size = (max(32, round(h * s / 32) * 32), max(32, round(w * s / 32) * 32))
        out.append(torch.nn.functional.interpolate(img, size=size, mode="bilinear", align_corners=False))
    return out


def quantize(checkpoint, out_path, fp32_path=None):
    student = Student()
    student.load_state_dict(torch.load(checkpoint, map_location="cpu")["model"])
    student.eval()
    folded = fold_batchnorm(copy.deepcopy(student)).eval()
    model = Exported(folded).eval()

    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    # Hooks keyed by module, in execution order.
    exec_order, mins, maxs, out_mins, out_maxs = [], {}, {}, {}, {}

    def hook(module, inp, out):
        x = inp[0]
        if module not in mins:
            exec_order.append(module)
            mins[module], maxs[module], out_mins[module], out_maxs[module] = [], [], [], []
        mins[module].append(x.min().item()); maxs[module].append(x.max().item())
        out_mins[module].append(out.min().item()); out_maxs[module].append(out.max().item())

    handles = [m.register_forward_hook(hook) for m in convs]
    with torch.no_grad():
        for x in calibration_images():
            model(x)
    for h in handles:
        h.remove()

    tmp = out_path + ".fp32-folded.onnx"
    torch.onnx.export(model, torch.rand(1, 3, 288, 512), tmp, input_names=["image"], output_names=["alpha"], opset_version=13,
                      dynamic_axes={"image": {0: "batch", 2: "height", 3: "width"}, "alpha": {0: "batch", 2: "height", 3: "width"}})
    g = onnx.load(tmp)
    conv_nodes = [n for n in g.graph.node if n.op_type == "Conv"]
    if len(conv_nodes) != len(exec_order):
        raise SystemExit(f"{len(conv_nodes)} Conv nodes but {len(exec_order)} convolutions ran: cannot match ranges")
    inits = {i.name: i for i in g.graph.initializer}
    new_nodes = []
    conv_index = {id(n): k for k, n in enumerate(conv_nodes)}
    for node in g.graph.node:
        if node.op_type != "Conv":
            new_nodes.append(node)
            continue
        k = conv_index[id(node)]
        module = exec_order[k]
        lo_v = min(0.0, float(np.percentile(mins[module], 1)))
        hi_v = max(0.0, float(np.percentile(maxs[module], 99)))
        scale = max(hi_v - lo_v, 1e-6) / 255
        zp = int(round(-lo_v / scale))
        x = node.input[0]
        s_name, z_name = f"{x}_scale_{k}", f"{x}_zp_{k}"
        g.graph.initializer.extend([numpy_helper.from_array(np.array(scale, np.float32), s_name),
                                    numpy_helper.from_array(np.array(zp, np.uint8), z_name)])
        q, dq = f"{x}_q_{k}", f"{x}_dq_{k}"
        new_nodes.append(helper.make_node("QuantizeLinear", [x, s_name, z_name], [q]))
        new_nodes.append(helper.make_node("DequantizeLinear", [q, s_name, z_name], [dq]))
        # Weight: int8, symmetric, per output channel.
        w_init = inits[node.input[1]]
        w = numpy_helper.to_array(w_init).astype(np.float32)
        ws = np.maximum(np.abs(w).reshape(w.shape[0], -1).max(1), 1e-8) / 127
        wq = np.clip(np.round(w / ws.reshape(-1, 1, 1, 1)), -127, 127).astype(np.int8)
        wq_name, ws_name, wz_name, wdq = f"{w_init.name}_q", f"{w_init.name}_scale", f"{w_init.name}_zp", f"{w_init.name}_dq"
        g.graph.initializer.remove(w_init)
        g.graph.initializer.extend([numpy_helper.from_array(wq, wq_name), numpy_helper.from_array(ws.astype(np.float32), ws_name),
                                    numpy_helper.from_array(np.zeros(w.shape[0], np.int8), wz_name)])
        new_nodes.append(helper.make_node("DequantizeLinear", [wq_name, ws_name, wz_name], [wdq], axis=0))
        node.input[0] = dq
        node.input[1] = wdq
        new_nodes.append(node)
        # The output too: ONNX Runtime fuses DQ → Conv → Q into one integer convolution only when both ends are quantised.
        o_lo = min(0.0, float(np.percentile(out_mins[module], 1)))
        o_hi = max(0.0, float(np.percentile(out_maxs[module], 99)))
        o_scale = max(o_hi - o_lo, 1e-6) / 255
        o_zp = int(round(-o_lo / o_scale))
        y = node.output[0]
        raw = f"{y}_float_{k}"
        node.output[0] = raw
        os_name, oz_name = f"{y}_oscale_{k}", f"{y}_ozp_{k}"
        g.graph.initializer.extend([numpy_helper.from_array(np.array(o_scale, np.float32), os_name),
                                    numpy_helper.from_array(np.array(o_zp, np.uint8), oz_name)])
        new_nodes.append(helper.make_node("QuantizeLinear", [raw, os_name, oz_name], [f"{y}_oq_{k}"]))
        new_nodes.append(helper.make_node("DequantizeLinear", [f"{y}_oq_{k}", os_name, oz_name], [y]))
    del g.graph.node[:]
    g.graph.node.extend(new_nodes)
    g.doc_string = "stream-matte student, int8 (QDQ, calibrated on 48 training frames); see the model card"
    onnx.checker.check_model(g)
    onnx.save(g, out_path)
    import os
    if fp32_path:
        os.replace(tmp, fp32_path)
    else:
        os.remove(tmp)
    print(f"quantised {len(conv_nodes)} convolutions -> {out_path}")


if __name__ == "__main__":
    quantize(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
