#!/usr/bin/env python3
"""Independent PyTorch reference of Hugging Face's LLaVA family, and the tiny checkpoints it writes.

What it is
    A from-scratch, functional re-statement of `LlavaForConditionalGeneration` (CLIP or SigLIP vision
    tower, two-layer projector, Llama / Mistral / Qwen2 text model), of `LlavaProcessor` (chat template,
    image-token expansion, tokenisation) and of `CLIPImageProcessor` / `SiglipImageProcessor`. It writes
    tiny random checkpoints in the exact Hugging Face hub layout (config.json, safetensors weights,
    tokenizer.json, tokenizer_config.json, generation_config.json, preprocessor_config.json,
    processor_config.json) together with `golden.json` (the numbers the Java side must reproduce within
    1e-4) and the test picture `image.png`.

    Everything the goldens are computed from is read back from the files just written (the safetensors
    are parsed again, the tokenizer is rebuilt from tokenizer.json, hyper-parameters come from
    config.json with transformers' defaults filled in for omitted fields), so the files and the goldens
    cannot drift apart.

Which transformers sources it follows (read, not imported; transformers is not needed to run it)
    src/transformers/models/llava/modeling_llava.py       LlavaModel.get_image_features / forward
    src/transformers/models/llava/processing_llava.py     image-token expansion, tokenizer call
    src/transformers/models/llava/configuration_llava.py  defaults (projector gelu, bias, feature layer)
    src/transformers/models/clip/modeling_clip.py         CLIPVisionEmbeddings, pre_layrnorm, encoder
    src/transformers/models/clip/configuration_clip.py    CLIPVisionConfig defaults
    src/transformers/models/siglip/modeling_siglip.py     SiglipVisionEmbeddings, encoder, head
    src/transformers/models/siglip/configuration_siglip.py
    src/transformers/models/llama/modeling_llama.py       RMSNorm, rotary embedding, GQA attention, MLP
    src/transformers/models/llama/configuration_llama.py
    src/transformers/models/mistral/...                   explicit head_dim, sliding-window mask
    src/transformers/models/qwen2/...                     q/k/v biases, tied embeddings
    src/transformers/activations.py                       gelu, gelu_pytorch_tanh, quick_gelu, silu
    src/transformers/modeling_rope_utils.py               default rope inv_freq
    src/transformers/image_transforms.py                  resize (PIL), center_crop, rescale, normalize
    src/transformers/utils/chat_template_utils.py         _compile_jinja_template

Regenerate (from the repository root; rerunning gives byte-identical files)
    /usr/bin/python3 reference/llava_reference.py --out rlaifv-djl/src/test/resources/hf

Write the one larger (~0.5B parameter, BF16, sharded) random model used for the memory check
(not committed; no golden numbers):
    /usr/bin/python3 reference/llava_reference.py --big-out /tmp/llava-big

Requires: Debian's python3-torch (1.13), python3-numpy, python3-pil, python3-jinja2.
"""

import argparse
import json
import math
import os
import re
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import jinja2
import jinja2.ext
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# ----------------------------------------------------------------------------------------------
# Chat templates (the published strings, verbatim)
# ----------------------------------------------------------------------------------------------

# llava-hf/llava-1.5-7b-hf chat template (chat_template.json / tokenizer_config.json of the hub repo).
# The same string is in transformers' tests/models/llava/test_processor_llava.py
# (prepare_processor_dict), whose test_chat_template expects
# "USER: <image>\nWhat is shown in this image? ASSISTANT:".
LLAVA_15_CHAT_TEMPLATE = (
    "{% for message in messages %}{% if message['role'] != 'system' %}{{ message['role'].upper() + ': '}}"
    "{% endif %}{# Render all images first #}{% for content in message['content'] | selectattr('type', "
    "'equalto', 'image') %}{{ '<image>\n' }}{% endfor %}{# Render all text next #}{% if message['role'] != "
    "'assistant' %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
    "{{ content['text'] + ' '}}{% endfor %}{% else %}{% for content in message['content'] | "
    "selectattr('type', 'equalto', 'text') %}{% generation %}{{ content['text'] + ' '}}{% endgeneration %}"
    "{% endfor %}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}"
)

# llava-hf/llava-interleave-qwen-*-hf chat template. The same string is in transformers'
# tests/models/llava_onevision/test_processor_llava_onevision.py (prepare_processor_dict); the prompt
# format it produces ("<|im_start|>user <image>\n...<|im_end|><|im_start|>assistant") is the one
# documented for llava-interleave models in transformers' docs/source/en/model_doc/llava.md.
LLAVA_INTERLEAVE_CHAT_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + ' '}}{# Render all images first #}"
    "{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}{{ '<image>' }}"
    "{% endfor %}{# Render all video then #}{% for content in message['content'] | selectattr('type', "
    "'equalto', 'video') %}{{ '<video>' }}{% endfor %}{# Render all text next #}{% if message['role'] != "
    "'assistant' %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
    "{{ '\n' + content['text'] }}{% endfor %}{% else %}{% for content in message['content'] | "
    "selectattr('type', 'equalto', 'text') %}{% generation %}{{ '\n' + content['text'] }}"
    "{% endgeneration %}{% endfor %}{% endif %}{{'<|im_end|>'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class _GenerationTag(jinja2.ext.Extension):
    """The `{% generation %}` block of transformers' AssistantTracker: renders its body unchanged
    (the tracker only records offsets, which apply_chat_template without return_assistant_tokens_mask
    never asks for)."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def render_chat_template(template, messages, special_tokens, add_generation_prompt=True):
    """Renders as transformers' _compile_jinja_template + apply_chat_template(tokenize=False)."""

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                          sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[_GenerationTag, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    compiled = env.from_string(template)
    return compiled.render(messages=messages, add_generation_prompt=add_generation_prompt, **special_tokens)


# ----------------------------------------------------------------------------------------------
# Tokenizer: a WordLevel tokenizer.json and an independent encoder/decoder that reads it back
# ----------------------------------------------------------------------------------------------

# Every word the templates, prompts, questions and the response produce, yes/no variants, and fillers.
WORDS = [
    "USER", "ASSISTANT", "user", "assistant", "system", ":", ".", "?", ",", "!",
    "describe", "the", "image", "is", "there", "a", "red", "circle", "Please", "answer", "yes", "or",
    "no", "empty", "Yes", "No",
    "blue", "green", "square", "small", "large", "picture", "shows", "I", "see", "it", "and", "of",
    "in", "with", "on", "not", "object", "color", "background", "left", "right", "top", "bottom",
    "This", "The", "A", "what", "an", "are", "two", "one", "shape", "bright", "dark",
]

# Whitespace pre-tokenizer of the `tokenizers` library (pre_tokenizers/whitespace.rs).
_WHITESPACE_SPLIT = re.compile(r"\w+|[^\w\s]+")


def _added_token(tid, content):
    return {"id": tid, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def build_tokenizer_json(style):
    """style 'llama': <unk>=0 <s>=1 </s>=2, words, <image>, <pad>; BOS prepended by TemplateProcessing.
    style 'qwen': words, <|endoftext|>, <|im_start|>, <|im_end|>, <image>, <unk>; nothing prepended.
    (WordLevel needs an unk token in its vocabulary, so the qwen style carries <unk> too.)"""
    vocab = {}
    specials = []
    if style == "llama":
        for t in ["<unk>", "<s>", "</s>"]:
            vocab[t] = len(vocab)
            specials.append(t)
        for w in WORDS:
            vocab[w] = len(vocab)
        for t in ["<image>", "<pad>"]:
            vocab[t] = len(vocab)
            specials.append(t)
    elif style == "qwen":
        for w in WORDS:
            vocab[w] = len(vocab)
        for t in ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>", "<unk>"]:
            vocab[t] = len(vocab)
            specials.append(t)
    else:
        raise ValueError(style)
    added = [_added_token(vocab[t], t) for t in sorted(specials, key=lambda t: vocab[t])]
    if style == "llama":
        post = {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [vocab["<s>"]], "tokens": ["<s>"]}},
        }
    else:
        post = None
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": post,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "<unk>"},
    }


class WordLevelTokenizer:
    """Encodes/decodes exactly as the Rust `tokenizers` library does for the tokenizer.json above:
    added tokens are split out as literal strings first (leftmost-longest), the rest is pre-tokenized
    with the Whitespace regex and looked up in the vocabulary (unknown -> unk); with
    add_special_tokens the TemplateProcessing post-processor prepends its special tokens. Decoding with
    no decoder joins the kept tokens with single spaces; skip_special_tokens drops special added tokens,
    and ids the vocabulary does not hold (the padding rows of the embedding) are dropped too."""

    def __init__(self, tok_json):
        model = tok_json["model"]
        assert model["type"] == "WordLevel"
        assert tok_json["normalizer"] is None
        assert tok_json["pre_tokenizer"] == {"type": "Whitespace"}
        self.vocab = dict(model["vocab"])
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.unk_id = self.vocab[model["unk_token"]]
        self.added = {a["content"]: a["id"] for a in tok_json["added_tokens"]}
        self.special_ids = {a["id"] for a in tok_json["added_tokens"] if a["special"]}
        # longest first, so that a longer added token wins over a prefix of it at the same position
        self.added_sorted = sorted(self.added, key=lambda s: (-len(s), s))
        post = tok_json["post_processor"]
        self.prefix_ids = []
        if post is not None:
            assert post["type"] == "TemplateProcessing"
            for piece in post["single"]:
                if "SpecialToken" in piece:
                    self.prefix_ids.extend(post["special_tokens"][piece["SpecialToken"]["id"]]["ids"])
                else:
                    break
            assert post["single"][-1] == {"Sequence": {"id": "A", "type_id": 0}}

    def _split_added(self, text):
        pieces = []  # (is_added, string)
        i, start = 0, 0
        while i < len(text):
            hit = None
            for a in self.added_sorted:
                if text.startswith(a, i):
                    hit = a
                    break
            if hit is None:
                i += 1
                continue
            if start < i:
                pieces.append((False, text[start:i]))
            pieces.append((True, hit))
            i += len(hit)
            start = i
        if start < len(text):
            pieces.append((False, text[start:]))
        return pieces

    def tokenize(self, text):
        tokens = []
        for is_added, s in self._split_added(text):
            if is_added:
                tokens.append(s)
            else:
                tokens.extend(_WHITESPACE_SPLIT.findall(s))
        return tokens

    def encode(self, text, add_special_tokens=True):
        ids = []
        for is_added, s in self._split_added(text):
            if is_added:
                ids.append(self.added[s])
            else:
                ids.extend(self.vocab.get(w, self.unk_id) for w in _WHITESPACE_SPLIT.findall(s))
        return (list(self.prefix_ids) if add_special_tokens else []) + ids

    def decode(self, ids, skip_special_tokens=True):
        kept = []
        for i in ids:
            if i not in self.id_to_token:
                continue
            if skip_special_tokens and i in self.special_ids:
                continue
            kept.append(self.id_to_token[i])
        return " ".join(kept)


# ----------------------------------------------------------------------------------------------
# Image: the committed test picture and the two image processors
# ----------------------------------------------------------------------------------------------

OPENAI_CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
RESCALE_1_255 = 0.00392156862745098  # 1/255 as transformers writes it


def make_test_image(width, height):
    """A deterministic non-square RGB picture: a diagonal gradient, a filled red circle, a blue bar and
    a checker texture in one corner."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    img = np.zeros((height, width, 3), dtype=np.float64)
    img[..., 0] = 40 + 120 * x / max(width - 1, 1)
    img[..., 1] = 60 + 140 * y / max(height - 1, 1)
    img[..., 2] = 180 - 100 * (x + y) / max(width + height - 2, 1)
    cx, cy, r = 0.62 * width, 0.45 * height, 0.28 * min(width, height)
    inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    img[inside] = [225, 25, 30]
    bar = (x < 0.22 * width) & (y > 0.55 * height)
    img[bar] = [20, 40, 210]
    checker = (x >= 0.8 * width) & (y >= 0.75 * height) & (((x // 2 + y // 2) % 2) == 0)
    img[checker] = [250, 250, 250]
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def _resize_pil(img_u8, out_h, out_w, resample):
    """image_transforms.resize on a uint8 HWC array: PIL resize (width, height), back to uint8 numpy."""
    pil = Image.fromarray(img_u8)
    return np.array(pil.resize((out_w, out_h), resample=resample, reducing_gap=None))


def _rescale(img, scale):
    """image_transforms.rescale: float64 multiply, then float32."""
    return (img.astype(np.float64) * scale).astype(np.float32)


def _normalize(img_f32, mean, std):
    """image_transforms.normalize on a channels-last float32 image: float32 arithmetic."""
    assert img_f32.dtype == np.float32
    return (img_f32 - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)


def clip_image_processor(img_u8, cfg):
    """CLIPImageProcessor.preprocess (convert_rgb, resize shortest_edge, center_crop, rescale,
    normalize, channels first)."""
    assert cfg["image_processor_type"] == "CLIPImageProcessor"
    h, w = img_u8.shape[:2]
    size = cfg["size"]["shortest_edge"]
    # image_transforms.get_resize_output_image_size(default_to_square=False)
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    out_h, out_w = (new_long, new_short) if w <= h else (new_short, new_long)
    img = _resize_pil(img_u8, out_h, out_w, cfg["resample"])
    ch, cw = cfg["crop_size"]["height"], cfg["crop_size"]["width"]
    top, left = (out_h - ch) // 2, (out_w - cw) // 2
    assert top >= 0 and left >= 0
    img = img[top:top + ch, left:left + cw]
    img = _rescale(img, cfg["rescale_factor"])
    img = _normalize(img, cfg["image_mean"], cfg["image_std"])
    return np.ascontiguousarray(img.transpose(2, 0, 1))[None]


def siglip_image_processor(img_u8, cfg):
    """SiglipImageProcessor.preprocess (convert_rgb, resize to height x width, rescale, normalize)."""
    assert cfg["image_processor_type"] == "SiglipImageProcessor"
    img = _resize_pil(img_u8, cfg["size"]["height"], cfg["size"]["width"], cfg["resample"])
    img = _rescale(img, cfg["rescale_factor"])
    img = _normalize(img, cfg["image_mean"], cfg["image_std"])
    return np.ascontiguousarray(img.transpose(2, 0, 1))[None]


# ----------------------------------------------------------------------------------------------
# Configs: transformers' defaults for fields a config.json leaves out
# ----------------------------------------------------------------------------------------------

# Only fields that change the computation. SigLIP's hidden_act / layer_norm_eps defaults changed across
# transformers versions (quick_gelu/1e-5 -> gelu_pytorch_tanh/1e-6), so the cases always write them.
DEFAULTS = {
    "llava": {"projector_hidden_act": "gelu", "multimodal_projector_bias": True,
              "vision_feature_layer": -2, "vision_feature_select_strategy": "default",
              "tie_word_embeddings": False},
    "clip_vision_model": {"hidden_act": "quick_gelu", "layer_norm_eps": 1e-5, "num_channels": 3,
                          "image_size": 224, "patch_size": 32},
    "siglip_vision_model": {"num_channels": 3},
    "llama": {"hidden_act": "silu", "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "attention_bias": False,
              "mlp_bias": False, "head_dim": None, "tie_word_embeddings": False, "rope_scaling": None},
    "mistral": {"hidden_act": "silu", "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "head_dim": None,
                "sliding_window": 4096, "tie_word_embeddings": False, "rope_scaling": None},
    "qwen2": {"hidden_act": "silu", "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": False,
              "use_sliding_window": False, "rope_scaling": None},
}


def resolved(cfg):
    out = dict(DEFAULTS[cfg["model_type"]])
    out.update(cfg)
    return out


# ----------------------------------------------------------------------------------------------
# safetensors, written by hand and read back
# ----------------------------------------------------------------------------------------------

_ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}
_ST_TORCH = {v: k for k, v in _ST_DTYPES.items()}
_ST_SIZE = {"F32": 4, "F16": 2, "BF16": 2}


def _tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    if t.dtype == torch.float16:
        return t.numpy().astype("<f2").tobytes()
    if t.dtype == torch.float32:
        return t.numpy().astype("<f4").tobytes()
    raise ValueError(t.dtype)


def _safetensors_header(entries):
    """entries: list of (name, dtype string, shape), in data order. Returns the padded header bytes
    (the safetensors library's layout: compact JSON, `__metadata__` first, tensors in offset order,
    padded with spaces to a multiple of 8)."""
    parts = ['"__metadata__":{"format":"pt"}']
    offset = 0
    for name, dt, shape in entries:
        n = _ST_SIZE[dt] * int(np.prod(shape, dtype=np.int64)) if len(shape) else _ST_SIZE[dt]
        parts.append('%s:{"dtype":"%s","shape":[%s],"data_offsets":[%d,%d]}'
                     % (json.dumps(name), dt, ",".join(str(int(s)) for s in shape), offset, offset + n))
        offset += n
    header = ("{" + ",".join(parts) + "}").encode("utf-8")
    header += b" " * ((8 - len(header) % 8) % 8)
    return header, offset


def _ordered(tensors):
    """The safetensors library orders by dtype alignment (larger first), then by name."""
    return sorted(tensors.items(), key=lambda kv: (-_ST_SIZE[_ST_DTYPES[kv[1].dtype]], kv[0]))


def write_safetensors(path, tensors):
    items = _ordered(tensors)
    header, total = _safetensors_header([(k, _ST_DTYPES[v.dtype], list(v.shape)) for k, v in items])
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)))
        f.write(header)
        for _, v in items:
            f.write(_tensor_bytes(v))
    return total


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    assert header.pop("__metadata__") == {"format": "pt"}
    base = 8 + n
    out = {}
    for name, info in header.items():
        a, b = info["data_offsets"]
        raw = data[base + a:base + b]
        dt = info["dtype"]
        if dt == "BF16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<i2").copy()).view(torch.bfloat16)
        elif dt == "F16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f2").copy())
        else:
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f4").copy())
        out[name] = t.reshape(info["shape"])
    return out


def load_weights(model_dir):
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
        index = json.load(f)
    out = {}
    for shard in sorted(set(index["weight_map"].values())):
        out.update(read_safetensors(os.path.join(model_dir, shard)))
    assert sorted(out) == sorted(index["weight_map"]), "index weight_map does not match the shards"
    total = sum(t.numel() * t.element_size() for t in out.values())
    assert index["metadata"]["total_size"] == total
    return out


# ----------------------------------------------------------------------------------------------
# The model, functional, in a chosen float dtype (float32 for the goldens, float64 as a cross-check)
# ----------------------------------------------------------------------------------------------

def activation(name):
    if name == "gelu":
        return lambda x: F.gelu(x)
    if name == "gelu_pytorch_tanh":
        return lambda x: F.gelu(x, approximate="tanh")
    if name == "quick_gelu":
        return lambda x: x * torch.sigmoid(1.702 * x)
    if name == "silu":
        return F.silu
    raise ValueError("unsupported activation " + name)


class Layout:
    """Key prefixes: 'original' (language_model.model.*, language_model.lm_head) or 'newer'
    (model.language_model.*, lm_head)."""

    def __init__(self, kind):
        self.kind = kind
        if kind == "original":
            self.vision = "vision_tower.vision_model."
            self.projector = "multi_modal_projector."
            self.text = "language_model.model."
            self.lm_head = "language_model.lm_head.weight"
        elif kind == "newer":
            self.vision = "model.vision_tower.vision_model."
            self.projector = "model.multi_modal_projector."
            self.text = "model.language_model."
            self.lm_head = "lm_head.weight"
        else:
            raise ValueError(kind)


def detect_layout(weights):
    return Layout("newer" if any(k.startswith("model.") for k in weights) else "original")


class LlavaReference:
    def __init__(self, config, weights, dtype):
        self.cfg = resolved(config)
        self.vcfg = resolved(config["vision_config"])
        self.tcfg = resolved(config["text_config"])
        self.layout = detect_layout(weights)
        self.dtype = dtype
        self.w = {k: v.to(dtype) for k, v in weights.items()}

    # -- vision tower -----------------------------------------------------------------------------
    def _vision_attention(self, p, x):
        v = self.vcfg
        heads = v["num_attention_heads"]
        hd = v["hidden_size"] // heads
        seq = x.shape[0]
        q = F.linear(x, self.w[p + "q_proj.weight"], self.w[p + "q_proj.bias"]).view(seq, heads, hd).transpose(0, 1)
        k = F.linear(x, self.w[p + "k_proj.weight"], self.w[p + "k_proj.bias"]).view(seq, heads, hd).transpose(0, 1)
        val = F.linear(x, self.w[p + "v_proj.weight"], self.w[p + "v_proj.bias"]).view(seq, heads, hd).transpose(0, 1)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (hd ** -0.5)
        probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, val).transpose(0, 1).reshape(seq, heads * hd)
        return F.linear(out, self.w[p + "out_proj.weight"], self.w[p + "out_proj.bias"])

    def _vision_layer(self, i, x):
        v = self.vcfg
        eps = v["layer_norm_eps"]
        act = activation(v["hidden_act"])
        p = self.layout.vision + "encoder.layers.%d." % i
        hs = v["hidden_size"]
        h = F.layer_norm(x, (hs,), self.w[p + "layer_norm1.weight"], self.w[p + "layer_norm1.bias"], eps)
        x = x + self._vision_attention(p + "self_attn.", h)
        h = F.layer_norm(x, (hs,), self.w[p + "layer_norm2.weight"], self.w[p + "layer_norm2.bias"], eps)
        h = F.linear(h, self.w[p + "mlp.fc1.weight"], self.w[p + "mlp.fc1.bias"])
        h = F.linear(act(h), self.w[p + "mlp.fc2.weight"], self.w[p + "mlp.fc2.bias"])
        return x + h

    def vision_hidden_states(self, pixel_values):
        """The tuple the vision model returns with output_hidden_states=True: the encoder input, then
        each encoder layer's output (CLIP's post_layernorm / SigLIP's post_layernorm and head are not
        part of it)."""
        v = self.vcfg
        p = self.layout.vision
        hs = v["hidden_size"]
        px = pixel_values.to(self.dtype)
        assert px.shape[-1] == v["image_size"] and px.shape[-2] == v["image_size"]
        conv_bias = self.w.get(p + "embeddings.patch_embedding.bias")
        patches = F.conv2d(px, self.w[p + "embeddings.patch_embedding.weight"], conv_bias, stride=v["patch_size"])
        patches = patches.flatten(2).transpose(1, 2)[0]  # [num_patches, hidden]
        if v["model_type"] == "clip_vision_model":
            x = torch.cat([self.w[p + "embeddings.class_embedding"][None, :], patches], dim=0)
            x = x + self.w[p + "embeddings.position_embedding.weight"]
            x = F.layer_norm(x, (hs,), self.w[p + "pre_layrnorm.weight"], self.w[p + "pre_layrnorm.bias"],
                             v["layer_norm_eps"])
        elif v["model_type"] == "siglip_vision_model":
            x = patches + self.w[p + "embeddings.position_embedding.weight"]
        else:
            raise ValueError(v["model_type"])
        states = [x]
        for i in range(v["num_hidden_layers"]):
            x = self._vision_layer(i, x)
            states.append(x)
        return states

    def image_features(self, pixel_values):
        c = self.cfg
        states = self.vision_hidden_states(pixel_values)
        layer = c["vision_feature_layer"]
        assert isinstance(layer, int)
        feats = states[layer]
        if c["vision_feature_select_strategy"] == "default":
            feats = feats[1:]
        elif c["vision_feature_select_strategy"] != "full":
            raise ValueError(c["vision_feature_select_strategy"])
        p = self.layout.projector
        bias = c["multimodal_projector_bias"]
        h = F.linear(feats, self.w[p + "linear_1.weight"], self.w[p + "linear_1.bias"] if bias else None)
        h = activation(c["projector_hidden_act"])(h)
        return F.linear(h, self.w[p + "linear_2.weight"], self.w[p + "linear_2.bias"] if bias else None)

    # -- text model -------------------------------------------------------------------------------
    def _rms_norm(self, x, weight):
        eps = self.tcfg["rms_norm_eps"]
        var = x.pow(2).mean(-1, keepdim=True)
        return weight * (x * torch.rsqrt(var + eps))

    def _head_dim(self):
        t = self.tcfg
        hd = t.get("head_dim")
        return hd if hd else t["hidden_size"] // t["num_attention_heads"]

    def _rope(self, seq):
        """modeling_rope_utils default: inv_freq = 1/theta^(arange(0,d,2)/d); cos/sin of
        cat(freqs, freqs), computed in float32 (as transformers does) and then cast."""
        t = self.tcfg
        assert t.get("rope_scaling") is None
        d = self._head_dim()
        inv_freq = 1.0 / (t["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
        if self.dtype == torch.float64:
            inv_freq = 1.0 / (t["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).double() / d))
        pos = torch.arange(seq, dtype=inv_freq.dtype)
        freqs = torch.outer(pos, inv_freq)
        emb = torch.cat([freqs, freqs], dim=-1)
        return emb.cos().to(self.dtype), emb.sin().to(self.dtype)

    @staticmethod
    def _rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat([-x[..., half:], x[..., :half]], dim=-1)

    def _mask(self, seq):
        t = self.tcfg
        i = torch.arange(seq)[:, None]
        j = torch.arange(seq)[None, :]
        allowed = j <= i
        window = None
        if t["model_type"] == "mistral":
            window = t["sliding_window"]
        elif t["model_type"] == "qwen2" and t["use_sliding_window"]:
            raise ValueError("qwen2 sliding window is not part of these cases")
        if window is not None:
            allowed = allowed & (j > i - window)
        mask = torch.zeros(seq, seq, dtype=self.dtype)
        mask[~allowed] = torch.finfo(self.dtype).min
        return mask

    def _text_attention(self, p, x, cos, sin, mask):
        t = self.tcfg
        heads, kv = t["num_attention_heads"], t["num_key_value_heads"]
        hd = self._head_dim()
        seq = x.shape[0]

        def proj(name):
            return F.linear(x, self.w[p + name + ".weight"], self.w.get(p + name + ".bias"))

        q = proj("q_proj").view(seq, heads, hd).transpose(0, 1)
        k = proj("k_proj").view(seq, kv, hd).transpose(0, 1)
        v = proj("v_proj").view(seq, kv, hd).transpose(0, 1)
        q = q * cos + self._rotate_half(q) * sin
        k = k * cos + self._rotate_half(k) * sin
        rep = heads // kv
        k = k.repeat_interleave(rep, dim=0)
        v = v.repeat_interleave(rep, dim=0)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (hd ** -0.5) + mask
        probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, v).transpose(0, 1).reshape(seq, heads * hd)
        return F.linear(out, self.w[p + "o_proj.weight"], self.w.get(p + "o_proj.bias"))

    def logits(self, input_ids, pixel_values):
        """Logits [seq, vocab_size] of LlavaForConditionalGeneration for one sequence with one image."""
        c, t = self.cfg, self.tcfg
        ids = torch.tensor(input_ids, dtype=torch.long)
        emb = self.w[self.layout.text + "embed_tokens.weight"]
        x = emb[ids].clone()
        image_token = c.get("image_token_id", c.get("image_token_index"))
        where = (ids == image_token).nonzero().flatten()
        feats = self.image_features(pixel_values)
        assert len(where) == feats.shape[0], \
            "image tokens %d != image features %d" % (len(where), feats.shape[0])
        x[where] = feats
        seq = x.shape[0]
        cos, sin = self._rope(seq)
        mask = self._mask(seq)
        act = activation(t["hidden_act"])
        for i in range(t["num_hidden_layers"]):
            p = self.layout.text + "layers.%d." % i
            h = self._rms_norm(x, self.w[p + "input_layernorm.weight"])
            x = x + self._text_attention(p + "self_attn.", h, cos, sin, mask)
            h = self._rms_norm(x, self.w[p + "post_attention_layernorm.weight"])
            m = p + "mlp."
            gate = F.linear(h, self.w[m + "gate_proj.weight"], self.w.get(m + "gate_proj.bias"))
            up = F.linear(h, self.w[m + "up_proj.weight"], self.w.get(m + "up_proj.bias"))
            x = x + F.linear(act(gate) * up, self.w[m + "down_proj.weight"], self.w.get(m + "down_proj.bias"))
        x = self._rms_norm(x, self.w[self.layout.text + "norm.weight"])
        if c["tie_word_embeddings"]:
            assert self.layout.lm_head not in self.w
            head = emb
        else:
            head = self.w[self.layout.lm_head]
        return F.linear(x, head)


# ----------------------------------------------------------------------------------------------
# The cases
# ----------------------------------------------------------------------------------------------

VISION_TINY = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
               "image_size": 32, "patch_size": 8}
TEXT_TINY = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2}

PROMPT_TEXT = "describe the image."
JUDGE_QUESTIONS = ["is there a red circle?", "is the image empty?"]
JUDGE_SUFFIX = " Please answer yes or no."
RESPONSE_TEXT = "there is a red circle ."
YES_VARIANTS = ["Yes", "yes", " Yes", " yes"]
NO_VARIANTS = ["No", "no", " No", " no"]
GREEDY_STEPS = 8
MIN_TOP2_MARGIN = 1e-3


def _padded_vocab(n):
    return ((n + 4 + 7) // 8) * 8  # at least four padding rows that still take part in the softmax


def case_specs():
    """The three tiny cases. `omit` lists fields deliberately left out of config.json (transformers'
    default applies); they are recorded in golden.json as defaulted_fields."""
    return [
        {
            "name": "llava-clip-llama",
            "seed": 11,
            "vision_embed_scale": 0.02,  # pre_layrnorm input ~1e-4 in variance: layer_norm_eps matters
            "image_size": (40, 30),
            "tokenizer_style": "llama",
            "template": LLAVA_15_CHAT_TEMPLATE,
            "vision_type": "clip_vision_model",
            "vision_extra": {"hidden_act": "quick_gelu", "layer_norm_eps": 1e-5, "projection_dim": 16},
            "text_type": "llama",
            "text_extra": {"rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu",
                           "attention_bias": False, "mlp_bias": False, "max_position_embeddings": 4096},
            "llava_extra": {"vision_feature_layer": -2, "vision_feature_select_strategy": "default",
                            "projector_hidden_act": "gelu", "multimodal_projector_bias": True,
                            "tie_word_embeddings": False},
            "omit": ["vision_config.hidden_act", "vision_config.layer_norm_eps", "text_config.rope_theta",
                     "text_config.hidden_act", "text_config.attention_bias", "text_config.mlp_bias",
                     "multimodal_projector_bias"],
            "layout": "original",
            "dtype": torch.float32,
            "shards": 1,
            "transformers_version": "4.45.0.dev0",
            "newer_config": False,
        },
        {
            "name": "llava-siglip-qwen2",
            "seed": 32,
            "image_size": (40, 30),
            "tokenizer_style": "qwen",
            "template": LLAVA_INTERLEAVE_CHAT_TEMPLATE,
            "vision_type": "siglip_vision_model",
            "vision_extra": {"hidden_act": "gelu_pytorch_tanh", "layer_norm_eps": 1e-6, "num_channels": 3},
            "text_type": "qwen2",
            "text_extra": {"rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "hidden_act": "silu",
                           "tie_word_embeddings": True, "use_sliding_window": False, "sliding_window": 32768,
                           "max_window_layers": 2, "max_position_embeddings": 32768},
            "llava_extra": {"vision_feature_layer": -1, "vision_feature_select_strategy": "full",
                            "projector_hidden_act": "gelu", "multimodal_projector_bias": True,
                            "tie_word_embeddings": True},
            "omit": ["vision_config.num_channels", "text_config.hidden_act"],
            "layout": "newer",
            "dtype": torch.bfloat16,
            "shards": 2,
            "transformers_version": "4.52.4",
            "newer_config": True,
        },
        {
            "name": "llava-clip-mistral",
            "seed": 33,
            "text_embed_std": 0.02,  # first input_layernorm sees ~4e-4 variance: rms_norm_eps matters
            "image_size": (23, 37),
            "tokenizer_style": "llama",
            "template": LLAVA_15_CHAT_TEMPLATE,
            "vision_type": "clip_vision_model",
            "vision_extra": {"hidden_act": "gelu", "layer_norm_eps": 1e-5, "num_channels": 3,
                             "projection_dim": 16},
            "text_type": "mistral",
            "text_extra": {"head_dim": 32, "sliding_window": 20, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6,
                           "hidden_act": "silu", "max_position_embeddings": 4096, "tie_word_embeddings": False},
            "llava_extra": {"vision_feature_layer": 1, "vision_feature_select_strategy": "full",
                            "projector_hidden_act": "gelu", "multimodal_projector_bias": False,
                            "tie_word_embeddings": False},
            "omit": ["text_config.rms_norm_eps", "projector_hidden_act", "vision_config.num_channels",
                     "text_config.hidden_act"],
            "layout": "newer",
            "dtype": torch.float16,
            "shards": 1,
            "transformers_version": "4.52.4",
            "newer_config": True,
        },
    ]


def _drop(d, path):
    parts = path.split(".")
    for p in parts[:-1]:
        d = d[p]
    return d.pop(parts[-1])


def build_config(spec, tok_json):
    vocab = tok_json["model"]["vocab"]
    n_tok = len(vocab)
    vocab_size = _padded_vocab(n_tok)
    vt = spec["vision_type"]
    vision = {"model_type": vt}
    vision.update(VISION_TINY)
    vision.update(spec["vision_extra"])
    vision["attention_dropout"] = 0.0
    text = {"model_type": spec["text_type"],
            "architectures": [{"llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM",
                               "qwen2": "Qwen2ForCausalLM"}[spec["text_type"]]]}
    text.update(TEXT_TINY)
    text.update(spec["text_extra"])
    text["vocab_size"] = vocab_size
    text["torch_dtype"] = {torch.float32: "float32", torch.bfloat16: "bfloat16", torch.float16: "float16"}[spec["dtype"]]
    text["attention_dropout"] = 0.0
    text["initializer_range"] = 0.02
    text["use_cache"] = True
    if spec["tokenizer_style"] == "qwen":
        text["bos_token_id"] = vocab["<|endoftext|>"]
        text["eos_token_id"] = vocab["<|im_end|>"]
    image_token = vocab["<image>"]
    num_patches = (VISION_TINY["image_size"] // VISION_TINY["patch_size"]) ** 2
    cls = 1 if vt == "clip_vision_model" else 0
    seq_len = num_patches + cls - (1 if spec["llava_extra"]["vision_feature_select_strategy"] == "default" else 0)
    cfg = {
        "architectures": ["LlavaForConditionalGeneration"],
        "model_type": "llava",
        "image_token_index": image_token,
        "image_seq_length": seq_len,
        "text_config": text,
        "vision_config": vision,
        "torch_dtype": text["torch_dtype"],
        "transformers_version": spec["transformers_version"],
        "ignore_index": -100,
    }
    cfg.update(spec["llava_extra"])
    if spec["newer_config"]:
        cfg["image_token_id"] = image_token
    if spec["tokenizer_style"] == "llama":
        cfg["pad_token_id"] = vocab["<pad>"]
    defaulted = []
    for path in spec["omit"]:
        value = _drop(cfg, path)
        head, _, field = path.rpartition(".")
        model_type = cfg[head]["model_type"] if head else "llava"
        assert DEFAULTS[model_type][field] == value, "omitted %s is not transformers' default" % path
        defaulted.append({"field": path, "value": value})
    return cfg, defaulted


def build_tokenizer_config(spec, tok_json):
    added = {str(a["id"]): {k: a[k] for k in ["content", "lstrip", "normalized", "rstrip", "single_word",
                                              "special"]} for a in tok_json["added_tokens"]}
    if spec["tokenizer_style"] == "llama":
        return {
            "add_bos_token": True,
            "add_eos_token": False,
            "added_tokens_decoder": added,
            "bos_token": "<s>",
            "chat_template": spec["template"],
            "clean_up_tokenization_spaces": False,
            "eos_token": "</s>",
            "extra_special_tokens": {},
            "model_max_length": 1000000000000000019884624838656 if spec["name"] == "llava-clip-llama" else 4096,
            "pad_token": "<pad>",
            "padding_side": "left",
            "processor_class": "LlavaProcessor",
            "tokenizer_class": "PreTrainedTokenizerFast",
            "unk_token": "<unk>",
        }
    return {
        "added_tokens_decoder": added,
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>", "<image>"],
        "bos_token": None,
        "chat_template": spec["template"],
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>",
        "errors": "replace",
        "model_max_length": 32768,
        "pad_token": "<|endoftext|>",
        "padding_side": "left",
        "processor_class": "LlavaProcessor",
        "split_special_tokens": False,
        "tokenizer_class": "PreTrainedTokenizerFast",
        "unk_token": "<unk>",
    }


def build_generation_config(spec, tok_json):
    vocab = tok_json["model"]["vocab"]
    if spec["tokenizer_style"] == "llama":
        return {"_from_model_config": True, "bos_token_id": vocab["<s>"], "eos_token_id": vocab["</s>"],
                "pad_token_id": vocab["<pad>"], "transformers_version": spec["transformers_version"]}
    return {"bos_token_id": vocab["<|endoftext|>"],
            "eos_token_id": [vocab["<|im_end|>"], vocab["<|endoftext|>"]],
            "pad_token_id": vocab["<|endoftext|>"], "transformers_version": spec["transformers_version"]}


def build_preprocessor_config(spec):
    size = VISION_TINY["image_size"]
    if spec["vision_type"] == "clip_vision_model":
        return {"crop_size": {"height": size, "width": size}, "do_center_crop": True, "do_convert_rgb": True,
                "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": OPENAI_CLIP_MEAN,
                "image_processor_type": "CLIPImageProcessor", "image_std": OPENAI_CLIP_STD,
                "processor_class": "LlavaProcessor", "resample": 3, "rescale_factor": RESCALE_1_255,
                "size": {"shortest_edge": size}}
    return {"do_convert_rgb": None, "do_normalize": True, "do_rescale": True, "do_resize": True,
            "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor",
            "image_std": [0.5, 0.5, 0.5], "processor_class": "LlavaProcessor", "resample": 3,
            "rescale_factor": RESCALE_1_255, "size": {"height": size, "width": size}}


def build_processor_config(spec):
    return {"image_token": "<image>",
            "num_additional_image_tokens": 1 if spec["vision_type"] == "clip_vision_model" else 0,
            "patch_size": VISION_TINY["patch_size"], "processor_class": "LlavaProcessor",
            "vision_feature_select_strategy": spec["llava_extra"]["vision_feature_select_strategy"]}


# ----------------------------------------------------------------------------------------------
# Random weights (names in the case's key layout)
# ----------------------------------------------------------------------------------------------

def _normal(shape, std):
    return torch.randn(*shape) * std


def _linear(w, name, out_f, in_f, bias, gain=1.0):
    w[name + ".weight"] = _normal((out_f, in_f), gain / math.sqrt(in_f))
    if bias:
        w[name + ".bias"] = _normal((out_f,), 0.1)


def _layer_norm(w, name, n):
    w[name + ".weight"] = 1.0 + _normal((n,), 0.1)
    w[name + ".bias"] = _normal((n,), 0.1)


def vision_weights(w, prefix, vcfg, embed_scale):
    hs, inter = vcfg["hidden_size"], vcfg["intermediate_size"]
    ch = vcfg.get("num_channels", 3)
    ps = vcfg["patch_size"]
    n_patches = (vcfg["image_size"] // ps) ** 2
    clip = vcfg["model_type"] == "clip_vision_model"
    e = prefix + "embeddings."
    if clip:
        w[e + "class_embedding"] = _normal((hs,), 0.5 * embed_scale)
    w[e + "patch_embedding.weight"] = _normal((hs, ch, ps, ps), embed_scale / math.sqrt(ch * ps * ps))
    if not clip:
        w[e + "patch_embedding.bias"] = _normal((hs,), 0.1 * embed_scale)
    w[e + "position_embedding.weight"] = _normal((n_patches + (1 if clip else 0), hs), 0.5 * embed_scale)
    if clip:
        _layer_norm(w, prefix + "pre_layrnorm", hs)
    for i in range(vcfg["num_hidden_layers"]):
        p = prefix + "encoder.layers.%d." % i
        for n in ["q_proj", "k_proj", "v_proj"]:
            _linear(w, p + "self_attn." + n, hs, hs, True, gain=1.5)
        _linear(w, p + "self_attn.out_proj", hs, hs, True)
        _layer_norm(w, p + "layer_norm1", hs)
        _linear(w, p + "mlp.fc1", inter, hs, True)
        _linear(w, p + "mlp.fc2", hs, inter, True)
        _layer_norm(w, p + "layer_norm2", hs)
    _layer_norm(w, prefix + "post_layernorm", hs)
    if not clip:
        h = prefix + "head."
        w[h + "probe"] = _normal((1, 1, hs), 0.5)
        w[h + "attention.in_proj_weight"] = _normal((3 * hs, hs), 1.0 / math.sqrt(hs))
        w[h + "attention.in_proj_bias"] = _normal((3 * hs,), 0.1)
        _linear(w, h + "attention.out_proj", hs, hs, True)
        _layer_norm(w, h + "layernorm", hs)
        _linear(w, h + "mlp.fc1", inter, hs, True)
        _linear(w, h + "mlp.fc2", hs, inter, True)


def text_weights(w, prefix, tcfg, tied, embed_std):
    hs, inter = tcfg["hidden_size"], tcfg["intermediate_size"]
    heads, kv = tcfg["num_attention_heads"], tcfg["num_key_value_heads"]
    hd = tcfg.get("head_dim") or hs // heads
    qkv_bias = tcfg["model_type"] == "qwen2" or tcfg.get("attention_bias", False)
    # a tied table doubles as the output head: keep its logits in the same range as an untied head's
    if embed_std is None:
        embed_std = 2.5 / math.sqrt(hs) if tied else 1.0
    w[prefix + "embed_tokens.weight"] = _normal((tcfg["vocab_size"], hs), embed_std)
    for i in range(tcfg["num_hidden_layers"]):
        p = prefix + "layers.%d." % i
        _linear(w, p + "self_attn.q_proj", heads * hd, hs, qkv_bias, gain=1.5)
        _linear(w, p + "self_attn.k_proj", kv * hd, hs, qkv_bias, gain=1.5)
        _linear(w, p + "self_attn.v_proj", kv * hd, hs, qkv_bias)
        _linear(w, p + "self_attn.o_proj", hs, heads * hd, False)
        _linear(w, p + "mlp.gate_proj", inter, hs, False)
        _linear(w, p + "mlp.up_proj", inter, hs, False)
        _linear(w, p + "mlp.down_proj", hs, inter, False)
        w[p + "input_layernorm.weight"] = 1.0 + _normal((hs,), 0.1)
        w[p + "post_attention_layernorm.weight"] = 1.0 + _normal((hs,), 0.1)
    w[prefix + "norm.weight"] = 1.0 + _normal((hs,), 0.1)


def make_weights(cfg, layout, seed, vision_embed_scale=1.0, text_embed_std=None):
    """Random weights. Small embedding scales make the inputs of the first norms small, so that
    their eps (a defaulted field in some cases) visibly changes the outputs."""
    torch.manual_seed(seed)
    full = resolved(cfg)
    vcfg, tcfg = resolved(cfg["vision_config"]), resolved(cfg["text_config"])
    w = {}
    vision_weights(w, layout.vision, vcfg, vision_embed_scale)
    bias = full["multimodal_projector_bias"]
    _linear(w, layout.projector + "linear_1", tcfg["hidden_size"], vcfg["hidden_size"], bias)
    _linear(w, layout.projector + "linear_2", tcfg["hidden_size"], tcfg["hidden_size"], bias)
    text_weights(w, layout.text, tcfg, full["tie_word_embeddings"], text_embed_std)
    if not full["tie_word_embeddings"]:
        w[layout.lm_head] = _normal((tcfg["vocab_size"], tcfg["hidden_size"]), 2.0 / math.sqrt(tcfg["hidden_size"]))
    return w


def write_weights(model_dir, weights, dtype, shards):
    stored = {k: v.to(dtype).contiguous() for k, v in weights.items()}
    if shards == 1:
        write_safetensors(os.path.join(model_dir, "model.safetensors"), stored)
        return
    assert shards == 2
    names = sorted(stored)
    # vision tower and projector in the first shard, the language model (and lm_head) in the second
    first = [n for n in names if ".language_model." not in n and not n.startswith("lm_head")]
    groups = [first, [n for n in names if n not in first]]
    files = ["model-%05d-of-%05d.safetensors" % (i + 1, shards) for i in range(shards)]
    weight_map = {}
    total = 0
    for group, fname in zip(groups, files):
        total += write_safetensors(os.path.join(model_dir, fname), {n: stored[n] for n in group})
        for n in group:
            weight_map[n] = fname
    write_json(os.path.join(model_dir, "model.safetensors.index.json"),
               {"metadata": {"total_size": total}, "weight_map": weight_map}, sort_keys=True)


# ----------------------------------------------------------------------------------------------
# Goldens
# ----------------------------------------------------------------------------------------------

def sig7(x):
    return float("%.7g" % x)


def write_json(path, obj, sort_keys=True, indent=2):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, indent=indent, sort_keys=sort_keys, ensure_ascii=False) + "\n")


def messages_for(text):
    return [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": text}]}]


class Processor:
    """LlavaProcessor: renders the chat template, expands the image token, tokenizes with
    add_special_tokens=True (the tokenizer's own default, which LlavaProcessor keeps: the Llama-style
    post-processor prepends <s>; the templates do not write a BOS themselves)."""

    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "tokenizer.json")) as f:
            self.tokenizer = WordLevelTokenizer(json.load(f))
        with open(os.path.join(model_dir, "tokenizer_config.json")) as f:
            self.tok_cfg = json.load(f)
        with open(os.path.join(model_dir, "processor_config.json")) as f:
            self.proc_cfg = json.load(f)
        with open(os.path.join(model_dir, "preprocessor_config.json")) as f:
            self.img_cfg = json.load(f)

    def special_tokens(self):
        out = {}
        for k in ["bos_token", "eos_token", "unk_token", "pad_token"]:
            if self.tok_cfg.get(k) is not None:
                out[k] = self.tok_cfg[k]
        return out

    def render(self, text):
        return render_chat_template(self.tok_cfg["chat_template"], messages_for(text), self.special_tokens())

    def num_image_tokens(self, pixel_values):
        h, w = pixel_values.shape[-2:]
        ps = self.proc_cfg["patch_size"]
        n = (h // ps) * (w // ps) + self.proc_cfg["num_additional_image_tokens"]
        if self.proc_cfg["vision_feature_select_strategy"] == "default":
            n -= 1
        return n

    def input_ids(self, rendered, pixel_values):
        token = self.proc_cfg["image_token"]
        expanded = rendered.replace(token, token * self.num_image_tokens(pixel_values))
        return self.tokenizer.encode(expanded, add_special_tokens=True)

    def pixel_values(self, image_path):
        img = np.array(Image.open(image_path).convert("RGB"))
        if self.img_cfg["image_processor_type"] == "CLIPImageProcessor":
            return clip_image_processor(img, self.img_cfg)
        return siglip_image_processor(img, self.img_cfg)


def log_softmax_last(model, ids, px):
    return torch.log_softmax(model.logits(ids, px)[-1], dim=-1)


def first_ids_after(tokenizer, rendered, variants):
    base = tokenizer.encode(rendered, add_special_tokens=True)
    out = []
    for v in variants:
        ids = tokenizer.encode(rendered + v, add_special_tokens=True)
        assert ids[:len(base)] == base and len(ids) > len(base), "variant %r changes the prompt ids" % v
        if ids[len(base)] not in out:
            out.append(ids[len(base)])
    return out


def compute_golden(model_dir, case_name, defaulted):
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    weights = load_weights(model_dir)
    weights32 = {k: v.float() for k, v in weights.items()}  # F32 compute from the stored (rounded) values
    model = LlavaReference(config, weights32, torch.float32)
    model64 = LlavaReference(config, weights32, torch.float64)
    proc = Processor(model_dir)
    tok = proc.tokenizer
    px_np = proc.pixel_values(os.path.join(model_dir, "image.png"))
    px = torch.from_numpy(px_np)
    n_img = proc.num_image_tokens(px)
    n_feat = model.image_features(px).shape[0]
    assert n_img == n_feat, "processor expands %d image tokens, the model yields %d features" % (n_img, n_feat)
    vocab_size = resolved(config["text_config"])["vocab_size"]

    report = {"max_abs_f32_f64_logprob": 0.0, "min_greedy_margin": float("inf")}

    def checked_logprobs(ids):
        lp = log_softmax_last(model, ids, px)
        lp64 = log_softmax_last(model64, ids, px)
        assert lp.shape[0] == vocab_size
        diff = float((lp.double() - lp64).abs().max())
        report["max_abs_f32_f64_logprob"] = max(report["max_abs_f32_f64_logprob"], diff)
        assert diff < 2e-5, "float32 and float64 disagree by %g" % diff
        return lp

    # prompt, greedy decoding (full recomputation, EOS ignored)
    rendered = proc.render(PROMPT_TEXT)
    ids = proc.input_ids(rendered, px)
    assert ids.count(config.get("image_token_id", config["image_token_index"])) == n_img
    last = checked_logprobs(ids)
    tcfg = resolved(config["text_config"])
    if tcfg["model_type"] == "mistral":
        assert len(ids) > tcfg["sliding_window"], "the sliding window should be active in this case"
    greedy, seq = [], list(ids)
    for _ in range(GREEDY_STEPS):
        logits = model.logits(seq, px)[-1]
        top = torch.topk(logits, 2)
        margin = float(top.values[0] - top.values[1])
        report["min_greedy_margin"] = min(report["min_greedy_margin"], margin)
        assert margin > MIN_TOP2_MARGIN, "greedy top-2 margin %g too small: change the seed of %s" % (margin, case_name)
        nxt = int(top.indices[0])
        greedy.append(nxt)
        seq.append(nxt)
    prompt = {"text": PROMPT_TEXT, "rendered": rendered, "num_image_tokens": n_img, "input_ids": ids,
              "last_logprobs": [sig7(v) for v in last.tolist()], "greedy_ids": greedy,
              "greedy_text": tok.decode(greedy, skip_special_tokens=True)}

    # judge questions
    judge = []
    for q in JUDGE_QUESTIONS:
        text = q + JUDGE_SUFFIX
        r = proc.render(text)
        jids = proc.input_ids(r, px)
        lp = checked_logprobs(jids)
        image_token = proc.proc_cfg["image_token"]
        expanded = r.replace(image_token, image_token * n_img)
        yes_ids = first_ids_after(tok, expanded, YES_VARIANTS)
        no_ids = first_ids_after(tok, expanded, NO_VARIANTS)
        assert not set(yes_ids) & set(no_ids)
        p_yes = float(sum(torch.exp(lp[i]) for i in yes_ids))
        p_no = float(sum(torch.exp(lp[i]) for i in no_ids))
        # the same probabilities a second way: softmax of the raw logits
        probs = torch.softmax(model.logits(jids, px)[-1], dim=-1)
        assert abs(p_yes - float(probs[yes_ids].sum())) < 1e-6 and abs(p_no - float(probs[no_ids].sum())) < 1e-6
        judge.append({"question": q, "text": text, "rendered": r, "input_ids": jids,
                      "last_logprobs": [sig7(v) for v in lp.tolist()], "yes_ids": yes_ids, "no_ids": no_ids,
                      "p_yes": sig7(p_yes), "p_no": sig7(p_no)})

    # teacher-forced response after the prompt
    resp_ids = tok.encode(RESPONSE_TEXT, add_special_tokens=False)
    full = ids + resp_ids
    all_lp = torch.log_softmax(model.logits(full, px), dim=-1)
    all_lp64 = torch.log_softmax(model64.logits(full, px), dim=-1)
    token_lp, token_lp64 = [], []
    for k, t in enumerate(resp_ids):
        token_lp.append(float(all_lp[len(ids) - 1 + k, t]))
        token_lp64.append(float(all_lp64[len(ids) - 1 + k, t]))
    assert max(abs(a - b) for a, b in zip(token_lp, token_lp64)) < 2e-5
    # the last prompt position of the teacher-forced pass equals the prompt's own last_logprobs
    assert float((all_lp[len(ids) - 1] - last).abs().max()) < 1e-5
    response = {"text": RESPONSE_TEXT, "ids": resp_ids, "token_logprobs": [sig7(v) for v in token_lp],
                "sum_logprob": sig7(sum(token_lp))}

    golden = {
        "case": case_name,
        "image": "image.png",
        "image_width": int(np.array(Image.open(os.path.join(model_dir, "image.png"))).shape[1]),
        "image_height": int(np.array(Image.open(os.path.join(model_dir, "image.png"))).shape[0]),
        "pixel_shape": list(px_np.shape),
        "pixel_values": [float("%.9g" % v) for v in px_np.reshape(-1).tolist()],
        "vocab_size": vocab_size,
        "tokenizer_vocab_size": len(tok.vocab),
        "prompt": prompt,
        "judge": judge,
        "response": response,
        "defaulted_fields": defaulted,
        "compute_dtype": "float32",
        "notes": ("Computed in float32 from the stored weights (BF16/F16 values widened to float32). "
                  "Logprobs are log_softmax over the full vocab_size at the last position, 7 significant "
                  "digits. input_ids are after image-token expansion and (for the <s> tokenizers) the BOS "
                  "the tokenizer's post-processor prepends. greedy_ids: full recomputation each step, EOS "
                  "ignored. yes_ids/no_ids: distinct first ids of Yes/yes/ Yes/ yes (No/no/ No/ no) "
                  "written right after the rendered prompt. response.token_logprobs: each response token "
                  "teacher-forced after prompt.input_ids (no special tokens in response.ids)."),
    }
    return golden, report


def write_case(out_root, spec):
    model_dir = os.path.join(out_root, spec["name"])
    os.makedirs(model_dir, exist_ok=True)
    for f in os.listdir(model_dir):
        os.remove(os.path.join(model_dir, f))
    tok_json = build_tokenizer_json(spec["tokenizer_style"])
    cfg, defaulted = build_config(spec, tok_json)
    layout = Layout(spec["layout"])
    weights = make_weights(cfg, layout, spec["seed"], spec.get("vision_embed_scale", 1.0),
                           spec.get("text_embed_std"))
    write_weights(model_dir, weights, spec["dtype"], spec["shards"])
    write_json(os.path.join(model_dir, "config.json"), cfg)
    with open(os.path.join(model_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(tok_json, indent=2, ensure_ascii=False))
    write_json(os.path.join(model_dir, "tokenizer_config.json"), build_tokenizer_config(spec, tok_json))
    write_json(os.path.join(model_dir, "generation_config.json"), build_generation_config(spec, tok_json))
    write_json(os.path.join(model_dir, "preprocessor_config.json"), build_preprocessor_config(spec))
    write_json(os.path.join(model_dir, "processor_config.json"), build_processor_config(spec))
    w, h = spec["image_size"]
    Image.fromarray(make_test_image(w, h)).save(os.path.join(model_dir, "image.png"), format="PNG")
    golden, report = compute_golden(model_dir, spec["name"], defaulted)
    write_json(os.path.join(model_dir, "golden.json"), golden, indent=1)
    size = os.path.getsize(os.path.join(model_dir, "golden.json"))
    assert size < 500 * 1024, "golden.json is %d bytes" % size
    print("%-20s ids=%d greedy=%r p_yes=%s/%s min_margin=%.4g f32-vs-f64=%.2g golden=%dB" % (
        spec["name"], len(golden["prompt"]["input_ids"]), golden["prompt"]["greedy_text"],
        golden["judge"][0]["p_yes"], golden["judge"][1]["p_yes"], report["min_greedy_margin"],
        report["max_abs_f32_f64_logprob"], size))


# ----------------------------------------------------------------------------------------------
# The larger model for the memory check
# ----------------------------------------------------------------------------------------------

BIG_SHARD_BYTES = 1_000_000_000


def big_config(tok_json):
    vocab = tok_json["model"]["vocab"]
    vision = {"model_type": "siglip_vision_model", "hidden_size": 768, "intermediate_size": 3072,
              "num_hidden_layers": 12, "num_attention_heads": 12, "image_size": 224, "patch_size": 16,
              "num_channels": 3, "hidden_act": "gelu_pytorch_tanh", "layer_norm_eps": 1e-6,
              "attention_dropout": 0.0}
    text = {"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"], "hidden_size": 896,
            "intermediate_size": 4864, "num_hidden_layers": 20, "num_attention_heads": 14,
            "num_key_value_heads": 2, "vocab_size": 151936, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
            "hidden_act": "silu", "tie_word_embeddings": True, "use_sliding_window": False,
            "sliding_window": 32768, "max_window_layers": 20, "max_position_embeddings": 32768,
            "bos_token_id": vocab["<|endoftext|>"], "eos_token_id": vocab["<|im_end|>"],
            "torch_dtype": "bfloat16", "attention_dropout": 0.0, "initializer_range": 0.02, "use_cache": True}
    return {"architectures": ["LlavaForConditionalGeneration"], "model_type": "llava",
            "image_token_index": vocab["<image>"], "image_token_id": vocab["<image>"],
            "image_seq_length": (224 // 16) ** 2, "text_config": text, "vision_config": vision,
            "vision_feature_layer": -1, "vision_feature_select_strategy": "full",
            "projector_hidden_act": "gelu", "multimodal_projector_bias": True, "tie_word_embeddings": True,
            "torch_dtype": "bfloat16", "transformers_version": "4.52.4", "ignore_index": -100}


def big_shapes(cfg):
    """(name, shape, std) in state-dict order, newer key layout, no lm_head (tied)."""
    v, t = cfg["vision_config"], cfg["text_config"]
    out = []
    hs, inter = v["hidden_size"], v["intermediate_size"]
    ps, npatch = v["patch_size"], (v["image_size"] // v["patch_size"]) ** 2
    p = "model.vision_tower.vision_model."
    out.append((p + "embeddings.patch_embedding.weight", (hs, 3, ps, ps), 1 / math.sqrt(3 * ps * ps)))
    out.append((p + "embeddings.patch_embedding.bias", (hs,), 0.02))
    out.append((p + "embeddings.position_embedding.weight", (npatch, hs), 0.5))

    def lin(name, o, i, bias):
        out.append((name + ".weight", (o, i), 1 / math.sqrt(i)))
        if bias:
            out.append((name + ".bias", (o,), 0.02))

    def ln(name, n):
        out.append((name + ".weight", (n,), None))
        out.append((name + ".bias", (n,), 0.02))

    for i in range(v["num_hidden_layers"]):
        q = p + "encoder.layers.%d." % i
        for n in ["k_proj", "v_proj", "q_proj", "out_proj"]:
            lin(q + "self_attn." + n, hs, hs, True)
        ln(q + "layer_norm1", hs)
        lin(q + "mlp.fc1", inter, hs, True)
        lin(q + "mlp.fc2", hs, inter, True)
        ln(q + "layer_norm2", hs)
    ln(p + "post_layernorm", hs)
    out.append((p + "head.probe", (1, 1, hs), 0.5))
    out.append((p + "head.attention.in_proj_weight", (3 * hs, hs), 1 / math.sqrt(hs)))
    out.append((p + "head.attention.in_proj_bias", (3 * hs,), 0.02))
    lin(p + "head.attention.out_proj", hs, hs, True)
    ln(p + "head.layernorm", hs)
    lin(p + "head.mlp.fc1", inter, hs, True)
    lin(p + "head.mlp.fc2", hs, inter, True)
    th, ti = t["hidden_size"], t["intermediate_size"]
    lin("model.multi_modal_projector.linear_1", th, hs, True)
    lin("model.multi_modal_projector.linear_2", th, th, True)
    m = "model.language_model."
    out.append((m + "embed_tokens.weight", (t["vocab_size"], th), 2.5 / math.sqrt(th)))  # tied head
    hd = th // t["num_attention_heads"]
    kv = t["num_key_value_heads"] * hd
    for i in range(t["num_hidden_layers"]):
        q = m + "layers.%d." % i
        lin(q + "self_attn.q_proj", th, th, True)
        lin(q + "self_attn.k_proj", kv, th, True)
        lin(q + "self_attn.v_proj", kv, th, True)
        lin(q + "self_attn.o_proj", th, th, False)
        lin(q + "mlp.gate_proj", ti, th, False)
        lin(q + "mlp.up_proj", ti, th, False)
        lin(q + "mlp.down_proj", th, ti, False)
        out.append((q + "input_layernorm.weight", (th,), None))
        out.append((q + "post_attention_layernorm.weight", (th,), None))
    out.append((m + "norm.weight", (th,), None))
    return out


def write_big(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    tok_json = build_tokenizer_json("qwen")
    cfg = big_config(tok_json)
    shapes = big_shapes(cfg)
    n_params = sum(int(np.prod(s)) for _, s, _ in shapes)
    # group into shards of at most ~1 GB (BF16), in state-dict order as transformers does
    groups, cur, cur_bytes = [], [], 0
    for entry in shapes:
        nbytes = 2 * int(np.prod(entry[1]))
        if cur and cur_bytes + nbytes > BIG_SHARD_BYTES:
            groups.append(cur)
            cur, cur_bytes = [], 0
        cur.append(entry)
        cur_bytes += nbytes
    groups.append(cur)
    files = ["model-%05d-of-%05d.safetensors" % (i + 1, len(groups)) for i in range(len(groups))]
    torch.manual_seed(1234)
    weight_map, total = {}, 0
    for group, fname in zip(groups, files):
        ordered = sorted(group, key=lambda e: e[0])  # one dtype: the library orders by name
        header, size = _safetensors_header([(n, "BF16", list(s)) for n, s, _ in ordered])
        with open(os.path.join(out_dir, fname), "wb") as f:
            f.write(struct.pack("<Q", len(header)))
            f.write(header)
            for name, shape, std in ordered:
                t = (1.0 + 0.1 * torch.randn(*shape)) if std is None else torch.randn(*shape) * std
                f.write(_tensor_bytes(t.to(torch.bfloat16)))
                weight_map[name] = fname
        total += size
    write_json(os.path.join(out_dir, "model.safetensors.index.json"),
               {"metadata": {"total_size": total}, "weight_map": weight_map})
    write_json(os.path.join(out_dir, "config.json"), cfg)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(tok_json, indent=2, ensure_ascii=False))
    spec = {"tokenizer_style": "qwen", "template": LLAVA_INTERLEAVE_CHAT_TEMPLATE, "name": "big",
            "transformers_version": "4.52.4", "vision_type": "siglip_vision_model",
            "llava_extra": {"vision_feature_select_strategy": "full"}}
    write_json(os.path.join(out_dir, "tokenizer_config.json"), build_tokenizer_config(spec, tok_json))
    write_json(os.path.join(out_dir, "generation_config.json"), build_generation_config(spec, tok_json))
    pre = build_preprocessor_config(spec)
    pre["size"] = {"height": 224, "width": 224}
    write_json(os.path.join(out_dir, "preprocessor_config.json"), pre)
    proc = build_processor_config(spec)
    proc["patch_size"] = 16
    write_json(os.path.join(out_dir, "processor_config.json"), proc)
    Image.fromarray(make_test_image(40, 30)).save(os.path.join(out_dir, "image.png"), format="PNG")
    print("wrote %s: %d parameters (%.3fB), %d shard(s), %d bytes of weights"
          % (out_dir, n_params, n_params / 1e9, len(files), total))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="directory that receives one sub-directory per tiny case")
    ap.add_argument("--big-out", help="directory for the ~0.5B-parameter model of the memory check")
    ap.add_argument("--case", action="append", help="only this tiny case (repeatable)")
    args = ap.parse_args(argv)
    if not args.out and not args.big_out:
        ap.error("give --out and/or --big-out")
    torch.set_num_threads(1)  # deterministic reductions
    if args.out:
        for spec in case_specs():
            if args.case and spec["name"] not in args.case:
                continue
            write_case(args.out, spec)
    if args.big_out:
        write_big(args.big_out)


if __name__ == "__main__":
    main(sys.argv[1:])
