#!/usr/bin/env python3
"""Golden files for rlaifv-core's image processor (org.rlaifv.core.hf).

Regenerate (from the repository root; needs only numpy and Pillow, e.g. Debian's python3-numpy
and python3-pil):

    /usr/bin/python3 reference/image_processor_golden.py

Writes, into rlaifv-core/src/test/resources/golden/image/:
  - a handful of tiny PNG test images (RGB, 8-bit grayscale, RGBA, LA, palette with
    transparency, 1-bit, 16-bit grayscale, 16-bit RGB), made deterministically;
  - decode.json: what `PIL.Image.open(f).convert("RGB")` gives for each file;
  - resize.json: `PIL.Image.resize((w, h), resample=...)` of RGB images for every PIL filter,
    upscaling and downscaling, non-square, one axis at a time; the full pixels for a few sizes,
    and the SHA-256 of the pixels for a sweep of sizes;
  - processor.json: preprocessor_config.json dictionaries and the pixel_values that
    transformers' slow (PIL/numpy) CLIPImageProcessor, SiglipImageProcessor and
    LlavaImageProcessor compute for them, plus the uint8 image just before rescaling.

transformers is not needed: its preprocessing steps are restated below with numpy and PIL,
following transformers' image_transforms.py (resize, center_crop, rescale, normalize,
get_resize_output_image_size), image_processing_utils.py (get_size_dict) and the processors'
preprocess() methods. Each step keeps transformers' dtypes: PIL resizes uint8 RGB; rescale
multiplies in float64 and casts to float32; normalize subtracts and divides in float32 with the
mean and std cast to float32.

Float values are written as the exact decimal of each float32 (via float64), so a reader that
parses a double and narrows it to float recovers the float32 bit for bit.
"""

import hashlib
import json
import math
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "rlaifv-core", "src", "test", "resources", "golden", "image")

OPENAI_CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
IMAGENET_STANDARD_MEAN = [0.5, 0.5, 0.5]
IMAGENET_STANDARD_STD = [0.5, 0.5, 0.5]

# PIL.Image.Resampling values, as stored in preprocessor_config.json's "resample".
FILTERS = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}


# ---------------------------------------------------------------------------------------------
# Test images


def _pattern(width, height, seed):
    """An RGB uint8 array with gradients, hard edges and noise (so bicubic overshoots)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    r = (x * 255 // max(1, width - 1)).astype(np.int64)
    g = (y * 255 // max(1, height - 1)).astype(np.int64)
    b = np.where((x // 2 + y // 3) % 2 == 0, 250, 5)
    img = np.stack([r, g, b], axis=-1)
    noise = rng.integers(-40, 41, size=img.shape)
    img = np.clip(img + noise, 0, 255)
    # a few saturated single pixels
    for _ in range(max(1, width * height // 20)):
        img[rng.integers(0, height), rng.integers(0, width)] = rng.choice([0, 255], size=3)
    return img.astype(np.uint8)


def _png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _write_png16_rgb(path, arr):
    """A 16-bit RGB PNG (PIL cannot write one), encoded by hand: filter 0 on every row."""
    height, width, _ = arr.shape
    raw = b"".join(b"\x00" + arr[row].astype(">u2").tobytes() for row in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(_png_chunk(b"IHDR", ihdr))
        f.write(_png_chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(_png_chunk(b"IEND", b""))


def make_images():
    """Writes the test images; returns their file names."""
    names = []

    def save(im, name):
        im.save(os.path.join(OUT, name), format="PNG")
        names.append(name)

    save(Image.fromarray(_pattern(13, 7, 1), "RGB"), "rgb_13x7.png")
    save(Image.fromarray(_pattern(60, 41, 2), "RGB"), "rgb_60x41.png")
    save(Image.fromarray(_pattern(7, 5, 3), "RGB"), "rgb_7x5.png")

    gray = _pattern(9, 14, 4)[..., 0] // 2 + _pattern(9, 14, 5)[..., 1] // 2
    save(Image.fromarray(gray.astype(np.uint8), "L"), "gray_9x14.png")

    rgba = np.concatenate([_pattern(11, 8, 6), np.zeros((8, 11, 1), np.uint8)], axis=-1)
    rgba[..., 3] = (np.arange(11 * 8).reshape(8, 11) * 37) % 256  # alpha 0 included
    save(Image.fromarray(rgba, "RGBA"), "rgba_11x8.png")

    la = np.stack([_pattern(7, 6, 7)[..., 2], (np.arange(42).reshape(6, 7) * 53) % 256], axis=-1)
    save(Image.fromarray(la.astype(np.uint8), "LA"), "la_7x6.png")

    pal = Image.fromarray((np.arange(60).reshape(6, 10) * 7 % 16).astype(np.uint8), "P")
    palette = []
    for i in range(16):
        palette += [(i * 53) % 256, (i * 101 + 17) % 256, (255 - i * 16) % 256]
    pal.putpalette(palette)
    pal.info["transparency"] = 3
    pal.save(os.path.join(OUT, "palette_10x6.png"), format="PNG", transparency=3)
    names.append("palette_10x6.png")

    bw = Image.fromarray(((np.arange(24).reshape(3, 8) * 5) % 3 == 0).astype(np.uint8) * 255, "L")
    save(bw.convert("1"), "bw_8x3.png")

    g16 = (np.arange(30).reshape(5, 6) * 9 + np.arange(30).reshape(5, 6) ** 3 * 3).astype(np.uint16)
    g16[0, :3] = [0, 255, 256]
    save(Image.fromarray(g16), "gray16_6x5.png")

    rgb16 = (np.arange(60).reshape(4, 5, 3) * 1117 % 65536).astype(np.uint16)
    rgb16[0, 0] = [0x00FF, 0xFF00, 0x80FF]
    _write_png16_rgb(os.path.join(OUT, "rgb16_5x4.png"), rgb16)
    names.append("rgb16_5x4.png")
    return names


def load_rgb(name):
    """What transformers' convert_to_rgb gives for a file: Image.open(f).convert("RGB")."""
    im = Image.open(os.path.join(OUT, name))
    return im if im.mode == "RGB" else im.convert("RGB")


# ---------------------------------------------------------------------------------------------
# transformers' preprocessing, restated


def size_dict(size, default_to_square, param_name):
    """image_processing_utils.get_size_dict."""
    if isinstance(size, dict):
        d = size
    elif isinstance(size, int):
        d = {"height": size, "width": size} if default_to_square else {"shortest_edge": size}
    elif isinstance(size, (list, tuple)):
        d = {"height": size[0], "width": size[1]}
    else:
        raise ValueError(f"bad {param_name}: {size}")
    valid = [{"height", "width"}, {"shortest_edge"}, {"shortest_edge", "longest_edge"}, {"longest_edge"}]
    if set(d.keys()) not in valid:
        raise ValueError(f"bad {param_name}: {d}")
    return d


def resize_output_size(height, width, shortest_edge):
    """image_transforms.get_resize_output_image_size with an int size, default_to_square=False."""
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = shortest_edge, int(shortest_edge * long / short)
    return (new_long, new_short) if width <= height else (new_short, new_long)


def pil_resize(arr, height, width, resample):
    """image_transforms.resize on a uint8 HWC array: to PIL, Image.resize, back to numpy."""
    return np.array(Image.fromarray(arr, "RGB").resize((width, height), resample=resample))


def center_crop(arr, crop_height, crop_width):
    """image_transforms.center_crop (pads with zeros where the image is smaller)."""
    orig_height, orig_width = arr.shape[:2]
    top = (orig_height - crop_height) // 2
    bottom = top + crop_height
    left = (orig_width - crop_width) // 2
    right = left + crop_width
    if top >= 0 and bottom <= orig_height and left >= 0 and right <= orig_width:
        return arr[top:bottom, left:right]
    new_height = max(crop_height, orig_height)
    new_width = max(crop_width, orig_width)
    new = np.zeros((new_height, new_width) + arr.shape[2:], dtype=arr.dtype)
    top_pad = math.ceil((new_height - orig_height) / 2)
    left_pad = math.ceil((new_width - orig_width) / 2)
    new[top_pad : top_pad + orig_height, left_pad : left_pad + orig_width] = arr
    top += top_pad
    bottom += top_pad
    left += left_pad
    right += left_pad
    return new[max(0, top) : min(new_height, bottom), max(0, left) : min(new_width, right)]


def pad_to_square(arr, background):
    """LlavaImageProcessor.pad_to_square (do_pad): centre on a square of the background colour."""
    height, width = arr.shape[:2]
    if height == width:
        return arr
    side = max(height, width)
    out = np.empty((side, side, 3), dtype=arr.dtype)
    out[...] = np.array(background, dtype=arr.dtype)
    if width > height:
        start = (side - height) // 2
        out[start : start + height, :, :] = arr
    else:
        start = (side - width) // 2
        out[:, start : start + width, :] = arr
    return out


def rescale(arr, scale):
    """image_transforms.rescale: float64 multiply, then float32."""
    return (arr.astype(np.float64) * scale).astype(np.float32)


def normalize(arr, mean, std):
    """image_transforms.normalize: float32 (a uint8 input is cast first), mean/std as float32."""
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float32)
    if not isinstance(mean, (list, tuple)):
        mean = [mean] * 3
    if not isinstance(std, (list, tuple)):
        std = [std] * 3
    mean = np.array(mean, dtype=arr.dtype)
    std = np.array(std, dtype=arr.dtype)
    return (arr - mean) / std


def preprocess(cfg, pil_rgb):
    """CLIP/SigLIP/LLaVA preprocess() for one RGB image; returns (uint8 HWC, float32 CHW)."""
    kind = cfg.get("image_processor_type") or cfg["feature_extractor_type"].replace(
        "FeatureExtractor", "ImageProcessor"
    )
    siglip = kind == "SiglipImageProcessor"
    do_resize = cfg.get("do_resize", True)
    resample = cfg.get("resample", 3)
    do_rescale = cfg.get("do_rescale", True)
    rescale_factor = cfg.get("rescale_factor", 1 / 255)
    do_normalize = cfg.get("do_normalize", True)
    default_mean = IMAGENET_STANDARD_MEAN if siglip else OPENAI_CLIP_MEAN
    default_std = IMAGENET_STANDARD_STD if siglip else OPENAI_CLIP_STD
    mean = cfg.get("image_mean") if cfg.get("image_mean") is not None else default_mean
    std = cfg.get("image_std") if cfg.get("image_std") is not None else default_std
    arr = np.array(pil_rgb)
    if siglip:
        size = size_dict(cfg.get("size") or {"height": 224, "width": 224}, False, "size")
        if do_resize:
            arr = pil_resize(arr, size["height"], size["width"], resample)
    else:
        size = size_dict(cfg.get("size") or {"shortest_edge": 224}, False, "size")
        crop = size_dict(cfg.get("crop_size") or {"height": 224, "width": 224}, True, "crop_size")
        if kind == "LlavaImageProcessor" and cfg.get("do_pad", False):
            arr = pad_to_square(arr, tuple(int(x * 255) for x in mean))
        if do_resize:
            if "shortest_edge" in size:
                h, w = resize_output_size(arr.shape[0], arr.shape[1], size["shortest_edge"])
            else:
                h, w = size["height"], size["width"]
            arr = pil_resize(arr, h, w, resample)
        if cfg.get("do_center_crop", True):
            arr = center_crop(arr, crop["height"], crop["width"])
    uint8 = arr
    out = arr
    if do_rescale:
        out = rescale(out, rescale_factor)
    if do_normalize:
        out = normalize(out, mean, std)
    return uint8, np.asarray(out).astype(np.float32).transpose(2, 0, 1)


# ---------------------------------------------------------------------------------------------
# Cases

RESIZE_CASES = [
    ("rgb_13x7.png", 5, 3),  # down both ways
    ("rgb_13x7.png", 29, 17),  # up both ways
    ("rgb_13x7.png", 13, 11),  # vertical pass only
    ("rgb_13x7.png", 20, 7),  # horizontal pass only
    ("rgb_13x7.png", 8, 12),  # down in x, up in y
    ("rgb_60x41.png", 16, 16),
    ("rgb_60x41.png", 24, 17),
    ("rgb_7x5.png", 1, 1),
]

# Target sizes whose outputs are checked by digest: scales from 1/60 to about 2, odd and even.
SWEEP_FILE = "rgb_60x41.png"
SWEEP_WIDTHS = [1, 2, 3, 7, 16, 29, 31, 59, 61, 97]
SWEEP_HEIGHTS = [1, 3, 20, 40, 41, 42, 83]

PROCESSOR_CASES = [
    ("clip shortest-edge, centre crop, bicubic, downscale", "rgb_60x41.png", {
        "image_processor_type": "CLIPImageProcessor", "do_resize": True,
        "size": {"shortest_edge": 16}, "resample": 3, "do_center_crop": True,
        "crop_size": {"height": 16, "width": 16}, "do_rescale": True,
        "rescale_factor": 0.00392156862745098, "do_normalize": True,
        "image_mean": OPENAI_CLIP_MEAN, "image_std": OPENAI_CLIP_STD, "do_convert_rgb": True}),
    ("legacy CLIPFeatureExtractor with int sizes, upscale", "rgb_7x5.png", {
        "feature_extractor_type": "CLIPFeatureExtractor", "size": 20, "crop_size": 18,
        "resample": 3, "do_center_crop": True, "do_normalize": True, "do_resize": True,
        "image_mean": OPENAI_CLIP_MEAN, "image_std": OPENAI_CLIP_STD}),
    ("clip defaults except sizes, grayscale portrait, rectangular crop", "gray_9x14.png", {
        "image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 12},
        "crop_size": {"height": 10, "width": 12}}),
    ("clip crop larger than the resized height (zero padding)", "rgb_13x7.png", {
        "image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 8},
        "crop_size": {"height": 12, "width": 10}}),
    ("siglip height/width, bicubic, downscale", "rgb_60x41.png", {
        "image_processor_type": "SiglipImageProcessor", "do_resize": True,
        "size": {"height": 16, "width": 24}, "resample": 3, "do_rescale": True,
        "rescale_factor": 0.00392156862745098, "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}),
    ("siglip defaults except size, RGBA upscale", "rgba_11x8.png", {
        "image_processor_type": "SiglipImageProcessor", "do_convert_rgb": True,
        "size": {"height": 20, "width": 20}}),
    ("clip bilinear on a palette image", "palette_10x6.png", {
        "image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 12},
        "crop_size": 12, "resample": 2}),
    ("llava do_pad to a square of the mean colour", "rgb_13x7.png", {
        "image_processor_type": "LlavaImageProcessor", "do_pad": True,
        "size": {"shortest_edge": 14}, "crop_size": {"height": 14, "width": 14}}),
    ("siglip rescale without normalize, LA image, scalar mean ignored", "la_7x6.png", {
        "image_processor_type": "SiglipImageProcessor", "size": {"height": 9, "width": 11},
        "do_normalize": False, "image_mean": 0.5, "image_std": 0.5}),
    ("clip normalize without rescale, 0..255 ImageNet statistics, 16-bit RGB", "rgb16_5x4.png", {
        "image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 10},
        "crop_size": {"height": 10, "width": 10}, "do_rescale": False,
        "image_mean": [123.675, 116.28, 103.53], "image_std": [58.395, 57.12, 57.375]}),
    ("clip nearest on a 1-bit image, height/width size", "bw_8x3.png", {
        "image_processor_type": "CLIPImageProcessor", "size": {"height": 9, "width": 16},
        "resample": 0, "crop_size": {"height": 8, "width": 14}}),
    ("siglip lanczos on 16-bit grayscale, scalar mean/std", "gray16_6x5.png", {
        "image_processor_type": "SiglipImageProcessor", "size": {"height": 10, "width": 12},
        "resample": 1, "image_mean": 0.25, "image_std": 0.75}),
    ("clip without resize: centre crop of the original", "rgb_13x7.png", {
        "image_processor_type": "CLIPImageProcessor", "do_resize": False,
        "crop_size": {"height": 5, "width": 9}}),
    ("clip hamming, legacy [height, width] list size, no crop", "rgb_60x41.png", {
        "image_processor_type": "CLIPImageProcessor", "size": [18, 18], "resample": 5,
        "do_center_crop": False}),
]


def exact_floats(arr):
    return [float(v) for v in np.asarray(arr, dtype=np.float32).ravel()]


def main():
    os.makedirs(OUT, exist_ok=True)
    names = make_images()

    decode = []
    for name in names:
        raw = Image.open(os.path.join(OUT, name))
        rgb = np.array(load_rgb(name))
        decode.append({"file": name, "pil_mode": raw.mode, "width": rgb.shape[1],
                       "height": rgb.shape[0], "rgb": rgb.ravel().tolist()})

    resize = []
    for name, width, height in RESIZE_CASES:
        src = load_rgb(name)
        for filt, code in FILTERS.items():
            out = np.array(src.resize((width, height), resample=code))
            resize.append({"file": name, "width": width, "height": height, "filter": filt,
                           "resample": code, "rgb": out.ravel().tolist()})

    src = load_rgb(SWEEP_FILE)
    for filt, code in FILTERS.items():
        for width in SWEEP_WIDTHS:
            for height in SWEEP_HEIGHTS:
                out = np.ascontiguousarray(np.array(src.resize((width, height), resample=code)))
                resize.append({"file": SWEEP_FILE, "width": width, "height": height,
                               "filter": filt, "resample": code,
                               "rgb_sha256": hashlib.sha256(out.tobytes()).hexdigest()})

    processor = []
    for description, name, cfg in PROCESSOR_CASES:
        uint8, values = preprocess(cfg, load_rgb(name))
        processor.append({"description": description, "file": name, "config": cfg,
                          "uint8_height": uint8.shape[0], "uint8_width": uint8.shape[1],
                          "uint8_rgb": uint8.ravel().tolist(), "shape": list(values.shape),
                          "pixel_values": exact_floats(values)})

    import PIL
    meta = {"pillow": PIL.__version__, "numpy": np.__version__,
            "generator": "reference/image_processor_golden.py"}
    for fname, cases in [("decode.json", decode), ("resize.json", resize), ("processor.json", processor)]:
        with open(os.path.join(OUT, fname), "w") as f:
            json.dump({"meta": meta, "cases": cases}, f, separators=(",", ":"))
            f.write("\n")
        print(fname, len(cases), "cases", os.path.getsize(os.path.join(OUT, fname)), "bytes",
              file=sys.stderr)


if __name__ == "__main__":
    main()
