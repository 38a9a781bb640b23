"""What the training tests share: the import path, the fetched ImageNet network, small real pictures."""
import glob
import os
import sys

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TRAINING)
for p in (TRAINING, os.path.join(TRAINING, "imagenet")):
    if p not in sys.path:
        sys.path.insert(0, p)
SHARED = os.environ.get("STREAM_MATTE_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
IMAGENET = os.path.join(REPO, "training", "cache", "imagenet")


def require_imagenet():
    """The folder holding ResNet18.onnx and ResNetPreprocess.onnx, or a failure naming the step that fetches them."""
    for f in ("ResNet18.onnx", "ResNetPreprocess.onnx"):
        if not os.path.exists(os.path.join(IMAGENET, f)):
            raise AssertionError(f"{IMAGENET}/{f} is missing: run training/imagenet/fetch.sh (./setup.sh --tests does)")
    return IMAGENET


def real_photos(n):
    paths = sorted(glob.glob(os.path.join(SHARED, "data", "seg", "person_masks", "images", "*.jpg")))[:n]
    if len(paths) < n:
        raise AssertionError(f"real photos missing: {SHARED}/data/seg/person_masks/images (../shared beside the repository)")
    return paths
