"""The student: UNet with a ResNet-18 x0.5 encoder (no stem max-pool), ASPP and a U-Net decoder (paper 002).

What paper 002 states: U-Net, ResNet backbone with width multiplier 0.5, ASPP, no max-pool in the stem, a matte head
and a boundary head. The rest (widths, ASPP rates, skips) is reconstructed (../shared/docs/seeds-digest.md §002 2.2).

Our one structural choice for speed (the issue's "where the decoder runs at full resolution"): the encoder sees the
picture at `encoder_scale` (0.5) of the network input, and the last two decoder stages climb back to the input's own
resolution with the RGB picture concatenated at each step, so edges are drawn at full input resolution while the
expensive ResNet layers run on a quarter of the pixels. encoder_scale=1.0 gives the plain reconstruction.

Input: `image`, float32 NCHW RGB in 0..1, H and W multiples of 32 (ImageNet normalisation is inside the graph).
Output: `alpha` (N,1,H,W) in 0..1; training also reads the boundary logit.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def conv_bn_relu(cin, cout, k=3, stride=1, dilation=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride, padding=dilation * (k // 2), dilation=dilation, bias=False),
        nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)), inplace=True)
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.down is None else self.down(x)), inplace=True)


class ResNet18Half(nn.Module):
    """ResNet-18 with every width halved (32-64-128-256) and no max-pool after the stem."""
    widths = (32, 64, 128, 256)

    def __init__(self):
        super().__init__()
        w = self.widths
        self.stem = conv_bn_relu(3, w[0], k=7, stride=2)
        self.layer1 = nn.Sequential(BasicBlock(w[0], w[0], 1), BasicBlock(w[0], w[0], 1))
        self.layer2 = nn.Sequential(BasicBlock(w[0], w[1], 2), BasicBlock(w[1], w[1], 1))
        self.layer3 = nn.Sequential(BasicBlock(w[1], w[2], 2), BasicBlock(w[2], w[2], 1))
        self.layer4 = nn.Sequential(BasicBlock(w[2], w[3], 2), BasicBlock(w[3], w[3], 1))

    def forward(self, x):
        s1 = self.layer1(self.stem(x))      # /2 of the encoder's input
        s2 = self.layer2(s1)                # /4
        s3 = self.layer3(s2)                # /8
        s4 = self.layer4(s3)                # /16
        return s1, s2, s3, s4


class ASPP(nn.Module):
    """DeepLabv3 ASPP. The rates are scaled to our feature map (9x16 at a 288x512 input), where 6/12/18 would
    mostly sample padding."""

    def __init__(self, cin, cout, rates=(2, 4, 6)):
        super().__init__()
        self.branches = nn.ModuleList([conv_bn_relu(cin, cout, k=1)] + [conv_bn_relu(cin, cout, dilation=r) for r in rates])
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, cout, 1, bias=False), nn.ReLU(inplace=True))
        self.project = conv_bn_relu(cout * (len(rates) + 2), cout, k=1)

    def forward(self, x):
        pooled = self.pool(x).expand(-1, -1, x.shape[2], x.shape[3])
        return self.project(torch.cat([b(x) for b in self.branches] + [pooled], 1))


class Up(nn.Module):
    """Bilinear x2, concatenate the skip, then `convs` 3x3 conv+BN+ReLU."""

    def __init__(self, cin, cskip, cout, convs=2):
        super().__init__()
        layers = [conv_bn_relu(cin + cskip, cout)] + [conv_bn_relu(cout, cout) for _ in range(convs - 1)]
        self.body = nn.Sequential(*layers)

    def forward(self, x, skip):
        x = F.interpolate(x, size=skip.shape[2:], mode="bilinear", align_corners=False)
        return self.body(torch.cat([x, skip], 1))


class Student(nn.Module):
    def __init__(self, encoder_scale=0.5, decoder=(64, 48, 32, 16, 8), aspp=64, convs=1):
        super().__init__()
        self.encoder_scale = encoder_scale
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))
        self.encoder = ResNet18Half()
        w = ResNet18Half.widths
        d = decoder
        self.aspp = ASPP(w[3], aspp)
        self.dec4 = Up(aspp, w[2], d[0], convs)   # /8 of the encoder input
        self.dec3 = Up(d[0], w[1], d[1], convs)   # /4
        self.dec2 = Up(d[1], w[0], d[2], convs)   # /2
        self.dec1 = Up(d[2], 3, d[3], convs=1)    # the encoder's input resolution, + its RGB
        self.dec0 = Up(d[3], 3, d[4], convs=1) if encoder_scale < 1 else None   # the network input's, + RGB
        self.head = nn.Conv2d(d[4] if encoder_scale < 1 else d[3], 2, 1)

    def forward(self, image):
        x = (image - self.mean) / self.std
        xe = F.avg_pool2d(x, int(round(1 / self.encoder_scale))) if self.encoder_scale < 1 else x
        s1, s2, s3, s4 = self.encoder(xe)
        y = self.dec4(self.aspp(s4), s3)
        y = self.dec3(y, s2)
        y = self.dec2(y, s1)
        y = self.dec1(y, xe)
        if self.dec0 is not None:
            y = self.dec0(y, x)
        out = self.head(y)
        alpha = torch.sigmoid(out[:, :1])   # not a clamp: a clamp has no gradient outside 0..1 and pixels stick there
        return alpha, out[:, 1:2]


class Exported(nn.Module):
    """What ships: image in, alpha out (the boundary head is a training aid only)."""

    def __init__(self, student):
        super().__init__()
        self.student = student

    def forward(self, image):
        return self.student(image)[0]
