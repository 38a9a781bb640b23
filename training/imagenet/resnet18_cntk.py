"""The ImageNet-trained ResNet-18 of Microsoft.ML.DnnImageFeaturizer.ResNet18 (MIT), as a PyTorch module.

The package ships a CNTK 2.6 export (opset 8): input `Input247` (1,3,224,224), output `Pooling395_Output_0`, the
512-wide global average pool, no classifier. Its preprocessing graph (ResNetPreprocess.onnx) takes RGB in 0..255,
reorders it to BGR (Split + Concat) and subtracts a (1,3,224,224) mean image, Caffe style: there is no division by a
standard deviation.

What differs from torchvision's ResNet-18, read from the graph (see `describe` below):
- the last stage has three basic blocks, not two (stages of 2, 2, 2, 3);
- CNTK's "same" padding is asymmetric where the stride is 2: the 7x7 stem pads 3 before and 2 after, the strided 3x3
  convs and the 3x3 max-pool pad 1 before and 0 after. A port that pads symmetrically is off by a pixel, so every
  padding here is explicit (F.pad, then an unpadded conv).

`load_onnx(path)` builds the module and copies every weight by following the graph, so nothing depends on CNTK's
parameter numbering; `conversion_check` in the tests compares it with ONNX Runtime on real pictures.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STAGE_BLOCKS = (2, 2, 2, 3)
STAGE_WIDTHS = (64, 128, 256, 512)


class PaddedConvBn(nn.Module):
    """Conv (no bias) + inference BatchNorm with explicit (top, left, bottom, right) padding."""

    def __init__(self, cin, cout, k, stride, pads):
        super().__init__()
        self.pads = pads
        self.conv = nn.Conv2d(cin, cout, k, stride, padding=0, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        top, left, bottom, right = self.pads
        return self.bn(self.conv(F.pad(x, (left, right, top, bottom))))


def _same(k, stride):
    """CNTK's 'same' padding as ONNX `pads` order (top, left, bottom, right)."""
    total = k - 1 if stride == 1 else k - stride
    before = (total + 1) // 2 if stride == 1 else (k - 1) // 2
    after = total - before
    return (before, before, after, after)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = PaddedConvBn(cin, cout, 3, stride, _same(3, stride))
        self.conv2 = PaddedConvBn(cout, cout, 3, 1, _same(3, 1))
        self.down = PaddedConvBn(cin, cout, 1, stride, (0, 0, 0, 0)) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.conv2(F.relu(self.conv1(x)))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNet18Cntk(nn.Module):
    """Input: BGR in 0..255 minus the mean (what ResNetPreprocess.onnx produces). forward -> (1, 512, 1, 1) pool;
    `stages(x)` -> the four stage outputs (at /4, /8, /16, /32), which the x0.5 encoder is distilled from."""

    def __init__(self):
        super().__init__()
        self.stem = PaddedConvBn(3, 64, 7, 2, (3, 3, 2, 2))
        layers, cin = [], 64
        for i, (n, w) in enumerate(zip(STAGE_BLOCKS, STAGE_WIDTHS)):
            blocks = [Block(cin, w, 1 if i == 0 else 2)] + [Block(w, w, 1) for _ in range(n - 1)]
            layers.append(nn.Sequential(*blocks)); cin = w
        self.layers = nn.ModuleList(layers)

    def stages(self, x):
        x = F.relu(self.stem(x))
        x = F.max_pool2d(F.pad(x, (1, 0, 1, 0), value=float("-inf")), 3, 2)
        out = []
        for layer in self.layers:
            x = layer(x); out.append(x)
        return out

    def forward(self, x):
        s4 = self.stages(x)[-1]
        return F.adaptive_avg_pool2d(s4, 1)   # the graph's 7x7 AveragePool on a 224 input


def conv_bn_modules(model):
    """The PaddedConvBn modules in the graph's order of evaluation (stem, then per block conv1, down, conv2 — the
    order the CNTK graph computes them, which is how its nodes are matched)."""
    mods = [model.stem]
    for layer in model.layers:
        for b in layer:
            mods += [b.down, b.conv1, b.conv2] if b.down is not None else [b.conv1, b.conv2]
    return mods


def load_onnx(path):
    """ResNet18Cntk with the weights of the ONNX file at `path`, matched by walking its Conv -> BatchNormalization
    pairs in graph order and checking every shape, pad and stride on the way."""
    import onnx
    from onnx import numpy_helper
    g = onnx.load(path).graph
    inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    pairs = []
    for n in g.node:
        if n.op_type != "Conv":
            continue
        bn = [c for c in consumers[n.output[0]] if c.op_type == "BatchNormalization"]
        if len(bn) != 1:
            raise ValueError(f"{n.name or n.output[0]}: a Conv not followed by one BatchNormalization")
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
        pairs.append((inits[n.input[1]], tuple(attrs.get("strides", [1, 1])), tuple(attrs.get("pads", [0, 0, 0, 0])),
                      [inits[i] for i in bn[0].input[1:5]], bn[0]))
    model = ResNet18Cntk()
    mods = conv_bn_modules(model)
    if len(mods) != len(pairs):
        raise ValueError(f"{path}: {len(pairs)} conv+BN pairs, a ResNet-18 (2,2,2,3) has {len(mods)}")
    for m, (w, strides, pads, (scale, bias, mean, var), bn_node) in zip(mods, pairs):
        if tuple(m.conv.weight.shape) != w.shape or m.conv.stride != strides or tuple(m.pads) != pads:
            raise ValueError(f"{path}: conv {w.shape} stride {strides} pads {pads} does not match the module's "
                             f"{tuple(m.conv.weight.shape)} {m.conv.stride} {m.pads}")
        eps = [a.f for a in bn_node.attribute if a.name == "epsilon"]
        m.bn.eps = eps[0] if eps else 1e-5
        with torch.no_grad():
            m.conv.weight.copy_(torch.from_numpy(w))
            m.bn.weight.copy_(torch.from_numpy(scale)); m.bn.bias.copy_(torch.from_numpy(bias))
            m.bn.running_mean.copy_(torch.from_numpy(mean)); m.bn.running_var.copy_(torch.from_numpy(var))
    return model.eval()


def load_preprocess(path):
    """The mean image (1,3,224,224), in BGR order, of ResNetPreprocess.onnx, after checking that the graph is the
    Split -> Concat(B,G,R) -> Sub(mean) it is documented to be."""
    import onnx
    from onnx import numpy_helper
    g = onnx.load(path).graph
    ops = [n.op_type for n in g.node]
    if ops != ["Split", "Concat", "Sub"]:
        raise ValueError(f"{path}: expected Split, Concat, Sub; found {ops}")
    split, concat = g.node[0], g.node[1]
    r, gr, b = split.output
    if list(concat.input) != [b, gr, r]:
        raise ValueError(f"{path}: the Concat does not reverse the channels ({list(concat.input)})")
    inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    return inits[g.node[2].input[1]].astype(np.float32)


def preprocess(rgb_0_255, mean_bgr):
    """(N,3,H,W) RGB floats in 0..255 -> the network's input: BGR minus the mean (image or per-channel vector)."""
    bgr = rgb_0_255.flip(1)
    return bgr - (mean_bgr if mean_bgr.dim() == 4 else mean_bgr.view(1, 3, 1, 1))
