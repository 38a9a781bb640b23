"""The PyTorch port's answer on real pictures, for the cross-check against ONNX Runtime in the C# suite
(tests/Training/ImageNetConversionTests.cs; Debian packages no Python ONNX Runtime).

    python3 training/imagenet/reference_features.py OUT_DIR PICTURE [PICTURE ...]

For picture k it writes OUT_DIR/input_k.bin, the (1,3,224,224) RGB 0..255 float32 tensor that ResNetPreprocess.onnx
takes (the picture scaled to 224x224, bilinear), and OUT_DIR/features_k.bin, the (1,512,1,1) float32 pool that the
port computes from it with the real preprocessing (BGR minus the package's mean image).
"""
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resnet18_cntk as cntk  # noqa: E402


def main(out_dir, pictures, imagenet="training/cache/imagenet"):
    torch.set_num_threads(1)
    model = cntk.load_onnx(f"{imagenet}/ResNet18.onnx")
    mean = torch.from_numpy(cntk.load_preprocess(f"{imagenet}/ResNetPreprocess.onnx"))
    os.makedirs(out_dir, exist_ok=True)
    for k, path in enumerate(pictures):
        rgb = np.asarray(Image.open(path).convert("RGB").resize((224, 224), Image.BILINEAR), dtype=np.float32)
        x = torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].contiguous()
        with torch.no_grad():
            y = model(cntk.preprocess(x, mean))
        x.numpy().astype("<f4").tofile(f"{out_dir}/input_{k}.bin")
        y.numpy().astype("<f4").tofile(f"{out_dir}/features_{k}.bin")
    print(f"{len(pictures)} pictures -> {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
