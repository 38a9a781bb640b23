#!/usr/bin/env bash
# Brings the ImageNet-trained ResNet-18 (ML.NET's Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, MIT) into
# training/cache/imagenet/ with a NuGet restore, and checks both ONNX files by SHA-256. Idempotent; never committed.
#   training/imagenet/fetch.sh        -> prints the folder holding ResNet18.onnx and ResNetPreprocess.onnx
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=training/cache/imagenet
PKG=$OUT/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels
NET_SHA=e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f
PREP_SHA=84bf8def78d0befaa3f6e73745d57d7016c6a192ead76f79686bd438c1047004
ok() { [ -f "$OUT/ResNet18.onnx" ] && [ -f "$OUT/ResNetPreprocess.onnx" ] &&
       printf '%s  %s\n%s  %s\n' "$NET_SHA" "$OUT/ResNet18.onnx" "$PREP_SHA" "$OUT/ResNetPreprocess.onnx" | sha256sum -c --status; }
if ! ok; then
  command -v dotnet >/dev/null || { echo "[imagenet] error: dotnet is needed for the NuGet restore" >&2; exit 1; }
  echo "[imagenet] restoring Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (NuGet, ~60 MB, once)" >&2
  mkdir -p "$OUT"
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet restore training/imagenet/fetch.proj --packages "$OUT/packages" \
    -p:BaseIntermediateOutputPath="$PWD/$OUT/obj/" -v quiet >&2 \
    || { echo "[imagenet] error: the NuGet restore of Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 failed" >&2; exit 1; }
  cp "$PKG/ResNet18Onnx/ResNet18.onnx" "$PKG/ResNetPrepOnnx/ResNetPreprocess.onnx" "$OUT/"
  ok || { echo "[imagenet] error: checksum mismatch for the ResNet-18 ONNX files in $PKG" >&2; rm -f "$OUT"/*.onnx; exit 1; }
fi
echo "$OUT"
