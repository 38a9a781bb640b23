"""E2E-HIM-lite: every person's matte in one pass (paper 003, scaled down to a 2-core CPU).

The three networks of paper 003 (../shared/docs/seeds-digest.md §003 2.1-2.3), with the released code's choices where
the paper and the code differ (class probabilities fed to the kernel MLPs, sigmoid(M_pred) in the fusion input,
F_sp = F_dc, trimap features at the guidance maps' resolution):

1. General perception network: the student's ResNet-18 x0.5 encoder (same family, initialised from the student),
   run at half the input's size like the student's, a 1x1 projection of the H/32 features plus coordinate channels as the memory (a position encoding that exports as
   two constant-free ops), and a small transformer decoder turning N learned queries into latent codes X (N x C).
   Auxiliary heads: class logits c = MLP(X) and instance masks M = k_seg(X) * F_dc at H/16 (Eq. 2).
2. United guidance network (Algorithm 1): S heads; each softmax-assigns every pixel to one of N instances or the
   background (Eq. 3) and embeds the assigned instance's semantics F_rep = MLP(X) into one fixed-size map (Eq. 4).
3. Instance matting network: fusion of image features, guidance and masks, a refiner back to H/4 with the encoder's
   skips and the picture, and dynamic 1x1 kernels from X giving each query a 3-class trimap and a boundary alpha (Eqs. 6-7);
   alpha = alpha_pred * U + F (Eq. 8).

Every dynamic 1x1 convolution is an einsum (a MatMul in ONNX), so the graph has no per-query loop and its cost does not
depend on how many people are in the picture.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from student import IMAGENET_MEAN, IMAGENET_STD, ResNet18Half, conv_bn_relu


def dynamic_conv(kernels, features):
    """kernels (B,N,C+1), features (B,C,H,W) -> (B,N,H,W): one 1x1 conv per query, as a batched matrix product."""
    weight, bias = kernels[..., :-1], kernels[..., -1]
    return torch.einsum("bnc,bchw->bnhw", weight, features) + bias[..., None, None]


def mlp(cin, hidden, cout):
    return nn.Sequential(nn.Linear(cin, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, cout))


class DecoderLayer(nn.Module):
    """DETR decoder layer (post-norm): self-attention between queries, cross-attention to the memory, FFN."""

    def __init__(self, d, heads, ffn):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ffn = mlp(d, ffn, d)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, query_pos, memory):
        q = x + query_pos
        x = self.norm1(x + self.self_attn(q, q, x, need_weights=False)[0])
        x = self.norm2(x + self.cross_attn(x + query_pos, memory, memory, need_weights=False)[0])
        return self.norm3(x + self.ffn(x))


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(conv_bn_relu(c, c), nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(x + self.body(x), inplace=True)


class GuidanceHead(nn.Module):
    """One head of the united guidance network: spatial attention over N+1 slots, semantics embedded per pixel."""

    def __init__(self, c, g):
        super().__init__()
        self.background_weight = nn.Conv2d(c, 1, 1)
        self.background_features = nn.Sequential(nn.Conv2d(c, g, 1), nn.GroupNorm(4, g))
        self.norm = nn.GroupNorm(4, g)

    def forward(self, f_dc, attention_kernels, semantics):
        w = torch.cat([self.background_weight(f_dc), dynamic_conv(attention_kernels, f_dc)], 1).softmax(1)   # Eq. 3
        instance = torch.einsum("bnhw,bng->bghw", w[:, 1:], semantics)                                          # Eq. 4
        return self.norm(instance) + w[:, :1] * self.background_features(f_dc)


class InstanceMatting(nn.Module):
    def __init__(self, queries=16, c=64, d=128, layers=3, heads=2, guide=32, c_tri=32, c_alpha=16):
        super().__init__()
        self.queries, self.heads, self.guide, self.c, self.c_tri, self.c_alpha = queries, heads, guide, c, c_tri, c_alpha
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))
        self.encoder = ResNet18Half()                             # sees the picture at half size, as the student's does
        w = ResNet18Half.widths                                   # of the network input: 32@/4, 64@/8, 128@/16, 256@/32
        # general perception network
        self.memory = nn.Conv2d(w[3] + 2, d, 1)
        self.query_embed = nn.Parameter(torch.randn(queries, d) * 0.1)
        self.query_pos = nn.Parameter(torch.randn(queries, d) * 0.1)
        self.decoder = nn.ModuleList([DecoderLayer(d, 4, 2 * d) for _ in range(layers)])
        self.class_head = mlp(d, d, 2)
        self.lateral16 = conv_bn_relu(w[3], c, k=1)
        self.lateral8 = conv_bn_relu(w[2], c, k=1)
        self.f_dc = nn.Sequential(conv_bn_relu(c, c), conv_bn_relu(c, c))
        # kernels and semantics from X' = [X, softmax(c)] (the released code's input to the kernel MLPs)
        n_global = (c + 1) + heads * (c + 1)                      # k_seg, one attention kernel per guidance head
        self.global_kernels = mlp(d + 2, 2 * d, n_global)
        self.semantics = nn.Linear(d + 2, heads * guide)
        self.matting_kernels = mlp(d + 2, 2 * d, 3 * (c_tri + 1) + (c_alpha + 1))
        # united guidance network
        self.guidance = nn.ModuleList([GuidanceHead(c, guide) for _ in range(heads)])
        # instance matting network: fusion (a two-level U-Net), trimap branch, refiner
        self.fuse_in = conv_bn_relu(heads * guide + c + queries, c, k=1)
        self.fuse8 = ResBlock(c)
        self.fuse_down = conv_bn_relu(c, c, stride=2)
        self.fuse16 = nn.Sequential(conv_bn_relu(2 * c, c, k=1), ResBlock(c))
        self.fuse_up = nn.Sequential(conv_bn_relu(2 * c, c, k=1), ResBlock(c))
        self.trimap_features = conv_bn_relu(c, c_tri)
        self.refine8 = conv_bn_relu(c + w[1], 32)
        self.refine4 = conv_bn_relu(32 + w[0] + 3, c_alpha)

    def forward(self, image):
        """image (B,3,H,W) RGB 0..1, H and W multiples of 32. Returns class logits (B,N,2), mask logits (B,N,H/16,W/16),
        trimap logits (B,N,3,H/4,W/4) and boundary alpha (B,N,H/4,W/4)."""
        x = (image - self.mean) / self.std
        s1, s2, s3, s4 = self.encoder(F.avg_pool2d(x, 2))
        b, _, h16, w16 = s4.shape
        ys = torch.linspace(-1, 1, h16, device=x.device).view(1, 1, h16, 1).expand(b, 1, h16, w16)
        xs = torch.linspace(-1, 1, w16, device=x.device).view(1, 1, 1, w16).expand(b, 1, h16, w16)
        memory = self.memory(torch.cat([s4, ys, xs], 1)).flatten(2).transpose(1, 2)       # (B, HW/256, d)
        q = self.query_embed[None].expand(b, -1, -1)
        pos = self.query_pos[None].expand(b, -1, -1)
        for layer in self.decoder:
            q = layer(q, pos, memory)
        logits = self.class_head(q)                                                         # (B,N,2)
        xq = torch.cat([q, logits.softmax(-1)], -1)
        f_dc = self.f_dc(self.lateral8(s3) + F.interpolate(self.lateral16(s4), size=s3.shape[2:], mode="bilinear", align_corners=False))

        c, g = self.c, self.guide
        kernels = self.global_kernels(xq)
        masks = dynamic_conv(kernels[..., :c + 1], f_dc)                                    # Eq. 2
        semantics = self.semantics(xq)
        guides = [head(f_dc, kernels[..., (c + 1) * (1 + s):(c + 1) * (2 + s)], semantics[..., g * s:g * (s + 1)])
                  for s, head in enumerate(self.guidance)]

        u8 = self.fuse8(self.fuse_in(torch.cat(guides + [f_dc, masks.sigmoid()], 1)))
        u16 = self.fuse16(torch.cat([self.fuse_down(u8), self.lateral16(s4)], 1))
        t8 = self.fuse_up(torch.cat([u8, F.interpolate(u16, size=u8.shape[2:], mode="bilinear", align_corners=False)], 1))

        mk = self.matting_kernels(xq)
        ct = self.c_tri + 1
        f_tri = self.trimap_features(t8)
        trimap = torch.stack([dynamic_conv(mk[..., k * ct:(k + 1) * ct], f_tri) for k in range(3)], 2)   # Eq. 6, (B,N,3,H/16,W/16)
        n = trimap.shape[1]
        trimap = F.interpolate(trimap.flatten(1, 2), size=s1.shape[2:], mode="bilinear", align_corners=False)
        trimap = trimap.view(b, n, 3, s1.shape[2], s1.shape[3])
        r8 = self.refine8(torch.cat([F.interpolate(t8, size=s2.shape[2:], mode="bilinear", align_corners=False), s2], 1))
        r4 = F.interpolate(r8, size=s1.shape[2:], mode="bilinear", align_corners=False)
        f_alpha = self.refine4(torch.cat([r4, s1, F.avg_pool2d(x, 4)], 1))
        alpha = dynamic_conv(mk[..., 3 * ct:], f_alpha).sigmoid()                          # Eq. 7
        return logits, masks, trimap, alpha


def assemble(trimap, alpha, hard):
    """Eq. 8: alpha = alpha_pred * U + F. Hard (argmax) at inference as in the released code; soft for training."""
    if hard:
        cls = trimap.argmax(2)
        return alpha * (cls == 1).float() + (cls == 2).float()
    p = trimap.softmax(2)
    return alpha * p[:, :, 1] + p[:, :, 2]


class Exported(nn.Module):
    """What ships: `image` (1,3,H,W) RGB 0..1 -> `scores` (1,N) person probability, `alphas` (1,N,H/4,W/4) in 0..1.
    Post-processing is in the graph (the digest's advice): only N small planes leave it."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image):
        logits, _, trimap, alpha = self.net(image)
        return logits.softmax(-1)[..., 1], assemble(trimap, alpha, hard=True)
