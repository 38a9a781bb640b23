#!/usr/bin/env bash
# stream-matte set-up: idempotent, needs nothing installed by hand beyond the .NET 10 SDK and apt.
#   1. ffmpeg and libgtk-3-0 (Debian packages) when missing;
#   2. a Release build of Streaming.sln. Its restore brings ONNX Runtime 1.30.0 from NuGet: Microsoft.ML.OnnxRuntime.Managed
#      with the native package Microsoft.ML.OnnxRuntime.Gpu.Linux (CPU, CUDA and TensorRT providers; it runs on the CPU
#      when there is no CUDA). OnnxRuntimePackage=cpu ./setup.sh takes Microsoft.ML.OnnxRuntime (CPU only) instead.
#   --webgpu (opt-in, needs npm): also the WebGPU build of ONNX Runtime 1.30.0 (AMD/Intel GPUs through Vulkan), which
#      only the npm package onnxruntime-node@1.30.0 has, verified by checksum, into .cache/onnxruntime/ (ignored by git).
#   --tests also installs what the test suite needs beyond that: Debian's python3-torch (and onnx, numpy, PIL,
#   scipy) for the training code's tests, and the ImageNet ResNet-18 they check (training/imagenet/fetch.sh).
# Re-running it does only what is missing. Set STREAM_MATTE_ORT_LIB to use another libonnxruntime.
set -euo pipefail
cd "$(dirname "$0")"
FOR_TESTS=0
webgpu=false
for arg in "$@"; do
  case "$arg" in
    --tests) FOR_TESTS=1 ;;
    --webgpu) webgpu=true ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "[setup] error: unknown option '$arg' (./setup.sh [--tests] [--webgpu])" >&2; exit 2 ;;
  esac
done

ORT_VERSION=1.30.0
ORT_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
ORT_DIR=.cache/onnxruntime/$ORT_VERSION
ORT_LIB=$ORT_DIR/libonnxruntime.so.1
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }

# 1. Debian packages: ffmpeg (video in and out), libgtk-3-0 (OpenCV's runtime links it: live mode's motion warp, and bench/ compares OpenCV's kernels with ours)
missing=()
{ command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; } || missing+=(ffmpeg)
dpkg-query -W -f='${Status}' libgtk-3-0 2>/dev/null | grep -q "install ok installed" || missing+=(libgtk-3-0)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt)"
  as_root apt-get update -q >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

# 2. (--webgpu only) the WebGPU build of ONNX Runtime, from npm
command -v dotnet >/dev/null || die "the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH"
if $webgpu && { [ ! -f "$ORT_LIB" ] || ! echo "$ORT_SHA256  $ORT_LIB" | sha256sum -c --status; }; then
  command -v npm >/dev/null || die "--webgpu needs npm, to fetch onnxruntime-node@$ORT_VERSION (apt-get install npm)"
  say "fetching ONNX Runtime $ORT_VERSION with WebGPU from npm (onnxruntime-node@$ORT_VERSION, ~110 MB, once)"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "onnxruntime-node@$ORT_VERSION" >/dev/null) || die "npm pack onnxruntime-node@$ORT_VERSION failed"
  tar -xzf "$tmp"/onnxruntime-node-$ORT_VERSION.tgz -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1 \
    || die "the npm package has no linux x64 libonnxruntime.so.1"
  echo "$ORT_SHA256  $tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | sha256sum -c --status \
    || die "checksum mismatch for libonnxruntime.so.1 from onnxruntime-node@$ORT_VERSION"
  mkdir -p "$ORT_DIR"
  mv "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$ORT_LIB"
  say "ONNX Runtime $ORT_VERSION verified at $ORT_LIB"
fi

# Test-only: the training code's Python and the ImageNet network its tests check
if [ "$FOR_TESTS" = 1 ]; then
  if ! /usr/bin/python3 -c "import torch, onnx, numpy, PIL, scipy" 2>/dev/null; then
    say "installing python3-torch python3-onnx python3-numpy python3-pil python3-scipy (apt, for the training code's tests)"
    as_root apt-get update -q >/dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends \
      python3-torch python3-onnx python3-numpy python3-pil python3-scipy >/dev/null || die "apt-get install python3-torch ... failed"
  fi
  training/imagenet/fetch.sh >/dev/null || die "could not fetch the ImageNet ResNet-18 (training/imagenet/fetch.sh)"
fi

# 3. Build (Release). Incremental, so a re-run is quick. The first restore downloads ONNX Runtime from NuGet
#    (Microsoft.ML.OnnxRuntime.Gpu.Linux: 236 MB; Microsoft.ML.OnnxRuntime with OnnxRuntimePackage=cpu: 157 MB).
say "building Streaming.sln (Release; ONNX Runtime package: ${OnnxRuntimePackage:-gpu})"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Streaming.sln -c Release -nologo -v quiet -clp:ErrorsOnly || die "build failed"
say "ready: ./stream-matte --help"
