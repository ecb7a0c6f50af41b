#!/usr/bin/env python3
"""Independent PyTorch reference of Hugging Face's Llama, Mistral and Qwen2 causal LMs, and the tiny
text-only checkpoints it writes.

What it is
    A from-scratch, functional re-statement of `LlamaForCausalLM`, `MistralForCausalLM` and
    `Qwen2ForCausalLM` (token embedding, RMSNorm, rotary positions, grouped-query attention with
    Qwen2's q/k/v biases, Mistral's explicit head_dim and sliding window, SwiGLU MLP, tied or untied
    LM head) run on a left-padded batch with an attention mask and position ids as `generate` builds
    them, and of `tokenizer.apply_chat_template(messages, add_generation_prompt=True)` for one
    text-only user turn. It writes tiny random checkpoints in the exact layout transformers saves
    (config.json, safetensors weights, tokenizer.json, tokenizer_config.json, generation_config.json,
    chat_template.jinja for the Mistral case) together with `golden.json`, the numbers the Java side
    must reproduce (log-probs within 1e-4, identical greedy ids).

    Everything the goldens are computed from is read back from the files just written (safetensors
    parsed again, tokenizer rebuilt from tokenizer.json, hyper-parameters from config.json with
    transformers' defaults filled in), so the files and the goldens cannot drift apart.

Which transformers sources it follows (read, not imported; transformers is not needed to run it)
    src/transformers/models/llama/modeling_llama.py        LlamaRMSNorm, LlamaRotaryEmbedding,
                                                           apply_rotary_pos_emb, repeat_kv,
                                                           eager_attention_forward, LlamaMLP,
                                                           LlamaForCausalLM (lm_head, tie)
    src/transformers/models/llama/configuration_llama.py   defaults (rms_norm_eps, rope_theta,
                                                           attention_bias, mlp_bias, head_dim)
    src/transformers/models/mistral/modeling_mistral.py     head_dim from the config, sliding window
    src/transformers/models/mistral/configuration_mistral.py
    src/transformers/models/qwen2/modeling_qwen2.py         q/k/v with bias, o_proj without
    src/transformers/models/qwen2/configuration_qwen2.py
    src/transformers/masking_utils.py                       causal, sliding-window and padding masks
    src/transformers/generation/utils.py                    prepare_inputs_for_generation: position
                                                           ids = cumsum(attention_mask) - 1
    src/transformers/tokenization_utils_base.py             apply_chat_template (tokenize with
                                                           add_special_tokens=False),
                                                           clean_up_tokenization
    src/transformers/utils/chat_template_utils.py           _compile_jinja_template (shared with
                                                           llava_reference.py)

The chat templates are read from the real-model fixtures under
rlaifv-djl/src/test/resources/hf-tokenizers (Meta-Llama-3-8B-Instruct's, Mistral-7B-Instruct-v0.3's,
Qwen2.5-Instruct's; sources in that folder's README), not retyped here.

Regenerate (from the repository root; rerunning gives byte-identical files)
    /usr/bin/python3 reference/causal_lm_reference.py --out rlaifv-djl/src/test/resources/hf-text

Requires: Debian's python3-torch (1.13), python3-numpy, python3-jinja2.
"""

import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # importing the sibling script leaves no __pycache__ behind
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llava_reference import (  # noqa: E402  (the shared pieces: one tokenizer, one template renderer)
    WordLevelTokenizer,
    _added_token,
    _linear,
    _normal,
    read_safetensors,
    render_chat_template,
    sig7,
    write_json,
    write_safetensors,
)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, "rlaifv-djl", "src", "test", "resources", "hf-tokenizers")


def fixture_template(kind):
    """The published chat template strings kept as fixtures (see the fixtures' README)."""
    if kind == "llama-3":
        with open(os.path.join(FIXTURES, "llama-3", "tokenizer_config.json"), encoding="utf-8") as f:
            return json.load(f)["chat_template"]
    if kind == "mistral":
        with open(os.path.join(FIXTURES, "mistral", "chat_template.jinja"), encoding="utf-8") as f:
            return f.read()
    if kind == "qwen2.5":
        with open(os.path.join(FIXTURES, "qwen2.5", "tokenizer_config.json"), encoding="utf-8") as f:
            return json.load(f)["chat_template"]
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------
# Tokenizers: WordLevel tokenizer.json files with each family's special tokens
# ----------------------------------------------------------------------------------------------

WORDS = [
    "user", "assistant", "system", ":", ".", "?", ",", "!", "-", "#", "###",
    "what", "is", "the", "color", "of", "circle", "there", "a", "red", "on", "left", "Please",
    "answer", "yes", "or", "no", "Yes", "No", "The", "picture", "shows", "large", "and", "small",
    "blue", "square", "right", "background", "dark", "one", "green", "object", "in", "top", "I",
    "see", "two", "shapes", "it", "bright", "Facts", "Description", "There", "not", "with",
    "You", "are", "Qwen", "created", "by", "Alibaba", "Cloud", "helpful", "image", "describe",
]

STYLES = {
    # Meta-Llama-3-8B-Instruct: the template writes <|begin_of_text|>; the tokenizer.json's
    # TemplateProcessing would add it again if asked to add special tokens.
    "llama-3": {"specials": ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>",
                             "<|end_header_id|>", "<|eot_id|>", "<unk>"],
                "prepend": "<|begin_of_text|>", "first": False},
    # Mistral-7B-Instruct-v0.3: <unk> <s> </s> first, [INST] / [/INST] control tokens.
    "mistral": {"specials": ["<unk>", "<s>", "</s>", "[INST]", "[/INST]"], "prepend": "<s>", "first": True},
    # Qwen2.5-Instruct: no BOS is ever added.
    "qwen": {"specials": ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<unk>"], "prepend": None,
             "first": False},
}


def build_tokenizer_json(style):
    st = STYLES[style]
    vocab = {}
    if st["first"]:
        for t in st["specials"]:
            vocab[t] = len(vocab)
    for w in WORDS:
        vocab[w] = len(vocab)
    if not st["first"]:
        for t in st["specials"]:
            vocab[t] = len(vocab)
    added = [_added_token(vocab[t], t) for t in sorted(st["specials"], key=lambda t: vocab[t])]
    post = None
    if st["prepend"]:
        p = st["prepend"]
        post = {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": p, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": p, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": p, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {p: {"id": p, "ids": [vocab[p]], "tokens": [p]}},
        }
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


def clean_up_tokenization(text):
    """tokenization_utils_base.PreTrainedTokenizerBase.clean_up_tokenization."""
    return (text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
            .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
            .replace(" 've", "'ve").replace(" 're", "'re"))


# ----------------------------------------------------------------------------------------------
# Configs: transformers' defaults for fields a config.json leaves out
# ----------------------------------------------------------------------------------------------

DEFAULTS = {
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
# The model: functional, batched, in a chosen float dtype (float32 for the goldens, float64 to check)
# ----------------------------------------------------------------------------------------------

class CausalLmReference:
    def __init__(self, config, weights, dtype):
        self.cfg = resolved(config)
        self.dtype = dtype
        self.w = {k: v.to(dtype) for k, v in weights.items()}
        assert self.cfg["hidden_act"] == "silu" and self.cfg.get("rope_scaling") is None

    def _head_dim(self):
        c = self.cfg
        return c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]

    def _rms_norm(self, x, weight):
        """LlamaRMSNorm: x * rsqrt(mean(x^2) + eps), then the weight."""
        var = x.pow(2).mean(-1, keepdim=True)
        return weight * (x * torch.rsqrt(var + self.cfg["rms_norm_eps"]))

    def _rope(self, position_ids):
        """LlamaRotaryEmbedding (default rope): inv_freq = 1/theta^(arange(0,d,2)/d); freqs = position x
        inv_freq in float32; cos/sin of cat(freqs, freqs), cast to the compute dtype. [B, T, d]."""
        d = self._head_dim()
        ftype = torch.float64 if self.dtype == torch.float64 else torch.float32
        inv_freq = 1.0 / (self.cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).to(ftype) / d))
        freqs = position_ids.to(ftype)[:, :, None] * inv_freq[None, None, :]
        emb = torch.cat([freqs, freqs], dim=-1)
        return emb.cos().to(self.dtype), emb.sin().to(self.dtype)

    @staticmethod
    def _rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat([-x[..., half:], x[..., :half]], dim=-1)

    def _allowed(self, attention_mask):
        """masking_utils: key j is visible to query i when j <= i (causal), j > i - sliding_window
        (Mistral; cache indices, not position ids) and the key is not padding. [B, T, T] bool."""
        c = self.cfg
        b, t = attention_mask.shape
        i = torch.arange(t)[:, None]
        j = torch.arange(t)[None, :]
        allowed = j <= i
        if c["model_type"] == "mistral" and c["sliding_window"]:
            allowed = allowed & (j > i - c["sliding_window"])
        elif c["model_type"] == "qwen2":
            assert not c["use_sliding_window"]
        return allowed[None, :, :] & attention_mask.bool()[:, None, :]

    def _attention(self, p, x, cos, sin, allowed):
        c = self.cfg
        heads, kv = c["num_attention_heads"], c["num_key_value_heads"]
        hd = self._head_dim()
        b, t, _ = x.shape

        def proj(name):
            return F.linear(x, self.w[p + name + ".weight"], self.w.get(p + name + ".bias"))

        q = proj("q_proj").view(b, t, heads, hd).transpose(1, 2)
        k = proj("k_proj").view(b, t, kv, hd).transpose(1, 2)
        v = proj("v_proj").view(b, t, kv, hd).transpose(1, 2)
        q = q * cos[:, None] + self._rotate_half(q) * sin[:, None]
        k = k * cos[:, None] + self._rotate_half(k) * sin[:, None]
        k = k.repeat_interleave(heads // kv, dim=1)  # repeat_kv
        v = v.repeat_interleave(heads // kv, dim=1)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (hd ** -0.5)
        # padding queries see no key at all; filling (not adding) keeps their rows finite
        scores = scores.masked_fill(~allowed[:, None], torch.finfo(self.dtype).min)
        probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, heads * hd)
        return F.linear(out, self.w[p + "o_proj.weight"], self.w.get(p + "o_proj.bias"))

    def logits(self, rows):
        """Logits [B, T, vocab_size] of a left-padded batch of token-id lists, with the attention mask
        and the position ids generate() derives from it (cumsum - 1; padding gets 1)."""
        c = self.cfg
        t = max(len(r) for r in rows)
        pad_id = 0
        ids = torch.tensor([[pad_id] * (t - len(r)) + list(r) for r in rows], dtype=torch.long)
        mask = torch.tensor([[0] * (t - len(r)) + [1] * len(r) for r in rows], dtype=torch.long)
        position_ids = mask.cumsum(-1) - 1
        position_ids = position_ids.masked_fill(mask == 0, 1)
        emb = self.w["model.embed_tokens.weight"]
        x = emb[ids]
        cos, sin = self._rope(position_ids)
        allowed = self._allowed(mask)
        for i in range(c["num_hidden_layers"]):
            p = "model.layers.%d." % i
            h = self._rms_norm(x, self.w[p + "input_layernorm.weight"])
            x = x + self._attention(p + "self_attn.", h, cos, sin, allowed)
            h = self._rms_norm(x, self.w[p + "post_attention_layernorm.weight"])
            m = p + "mlp."
            gate = F.linear(h, self.w[m + "gate_proj.weight"], self.w.get(m + "gate_proj.bias"))
            up = F.linear(h, self.w[m + "up_proj.weight"], self.w.get(m + "up_proj.bias"))
            x = x + F.linear(F.silu(gate) * up, self.w[m + "down_proj.weight"], self.w.get(m + "down_proj.bias"))
        x = self._rms_norm(x, self.w["model.norm.weight"])
        if c["tie_word_embeddings"]:
            assert "lm_head.weight" not in self.w
            head = emb
        else:
            head = self.w["lm_head.weight"]
        return F.linear(x, head)

    def last_logprobs(self, rows):
        """log_softmax at each row's last position (the last column, under left padding)."""
        return torch.log_softmax(self.logits(rows)[:, -1], dim=-1)


# ----------------------------------------------------------------------------------------------
# The cases
# ----------------------------------------------------------------------------------------------

TEXT_TINY = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2}

PROMPTS = [
    "what is the color of the circle ?",
    "is there a red circle on the left ? Please answer yes or no .",
    "The picture shows a large red circle on the left and a small blue square on the right . The background "
    "is dark and there is one green object in the top left . I see two shapes and it is bright .",
]
GREEDY_STEPS = 8
MIN_TOP2_MARGIN = 1e-3


def _padded_vocab(n):
    return ((n + 4 + 7) // 8) * 8  # at least four padding rows that still take part in the softmax


def case_specs():
    """`omit` lists fields left out of config.json (transformers' default applies); they are recorded
    in golden.json as defaulted_fields."""
    return [
        {
            "name": "llama-untied-f32",
            "seed": 41,
            "style": "llama-3",
            "template": "llama-3",
            "template_file": False,
            "model_type": "llama",
            "architecture": "LlamaForCausalLM",
            "extra": {"rms_norm_eps": 1e-5, "rope_theta": 500000.0, "hidden_act": "silu", "attention_bias": False,
                      "mlp_bias": False, "max_position_embeddings": 8192, "tie_word_embeddings": False,
                      "pretraining_tp": 1},
            "omit": ["hidden_act", "attention_bias", "mlp_bias"],
            "dtype": torch.float32,
            "shards": 1,
            "clean_up_tokenization_spaces": True,
            "transformers_version": "4.40.0.dev0",
        },
        {
            "name": "qwen2-tied-bf16-sharded",
            "seed": 42,
            "style": "qwen",
            "template": "qwen2.5",
            "template_file": False,
            "model_type": "qwen2",
            "architecture": "Qwen2ForCausalLM",
            "extra": {"rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "hidden_act": "silu", "tie_word_embeddings": True,
                      "use_sliding_window": False, "sliding_window": 32768, "max_window_layers": 2,
                      "max_position_embeddings": 32768},
            "omit": ["hidden_act", "use_sliding_window"],
            "dtype": torch.bfloat16,
            "shards": 2,
            "clean_up_tokenization_spaces": False,
            "transformers_version": "4.43.1",
        },
        {
            "name": "mistral-f16-head-dim",
            "seed": 43,
            "text_embed_std": 0.02,  # first input_layernorm sees ~4e-4 variance: rms_norm_eps matters
            "style": "mistral",
            "template": "mistral",
            "template_file": True,
            "model_type": "mistral",
            "architecture": "MistralForCausalLM",
            "extra": {"head_dim": 32, "sliding_window": 24, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6,
                      "hidden_act": "silu", "max_position_embeddings": 32768, "tie_word_embeddings": False},
            "omit": ["rms_norm_eps", "hidden_act"],
            "dtype": torch.float16,
            "shards": 1,
            "clean_up_tokenization_spaces": False,
            "transformers_version": "4.42.0.dev0",
        },
    ]


def build_config(spec, tok_json):
    vocab = tok_json["model"]["vocab"]
    cfg = {"architectures": [spec["architecture"]], "model_type": spec["model_type"],
           "attention_dropout": 0.0, "initializer_range": 0.02, "use_cache": True,
           "torch_dtype": {torch.float32: "float32", torch.bfloat16: "bfloat16",
                           torch.float16: "float16"}[spec["dtype"]],
           "transformers_version": spec["transformers_version"]}
    cfg.update(TEXT_TINY)
    cfg.update(spec["extra"])
    cfg["vocab_size"] = _padded_vocab(len(vocab))
    st = spec["style"]
    if st == "llama-3":
        cfg["bos_token_id"] = vocab["<|begin_of_text|>"]
        cfg["eos_token_id"] = vocab["<|eot_id|>"]
    elif st == "mistral":
        cfg["bos_token_id"] = vocab["<s>"]
        cfg["eos_token_id"] = vocab["</s>"]
    else:
        cfg["bos_token_id"] = vocab["<|endoftext|>"]
        cfg["eos_token_id"] = vocab["<|im_end|>"]
    defaulted = []
    for field in spec["omit"]:
        value = cfg.pop(field)
        assert DEFAULTS[cfg["model_type"]][field] == value, "omitted %s is not transformers' default" % field
        defaulted.append({"field": field, "value": value})
    return cfg, defaulted


def build_tokenizer_config(spec, tok_json):
    added = {str(a["id"]): {k: a[k] for k in ["content", "lstrip", "normalized", "rstrip", "single_word",
                                              "special"]} for a in tok_json["added_tokens"]}
    st = spec["style"]
    out = {"added_tokens_decoder": added,
           "clean_up_tokenization_spaces": spec["clean_up_tokenization_spaces"],
           "tokenizer_class": "PreTrainedTokenizerFast"}
    if st == "llama-3":
        out.update({"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>",
                    "model_input_names": ["input_ids", "attention_mask"],
                    "model_max_length": 1000000000000000019884624838656})
    elif st == "mistral":
        out.update({"add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "eos_token": "</s>",
                    "legacy": False, "model_max_length": 1000000000000000019884624838656, "pad_token": None,
                    "unk_token": "<unk>", "use_default_system_prompt": False})
    else:
        out.update({"add_prefix_space": False, "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
                    "bos_token": None, "eos_token": "<|im_end|>", "errors": "replace", "model_max_length": 131072,
                    "pad_token": "<|endoftext|>", "split_special_tokens": False, "unk_token": None})
    if not spec["template_file"]:
        out["chat_template"] = fixture_template(spec["template"])
    return out


def build_generation_config(spec, tok_json):
    """Each family's published generation_config.json (ids remapped). The sampling fields are the
    hub's; the SDK decodes greedily unless told otherwise and reads only the ids."""
    vocab = tok_json["model"]["vocab"]
    st = spec["style"]
    if st == "llama-3":
        return {"bos_token_id": vocab["<|begin_of_text|>"], "do_sample": True,
                "eos_token_id": [vocab["<|end_of_text|>"], vocab["<|eot_id|>"]], "max_length": 4096,
                "temperature": 0.6, "top_p": 0.9, "transformers_version": spec["transformers_version"]}
    if st == "mistral":
        return {"_from_model_config": True, "bos_token_id": vocab["<s>"], "eos_token_id": vocab["</s>"],
                "transformers_version": spec["transformers_version"]}
    return {"bos_token_id": vocab["<|endoftext|>"], "do_sample": True,
            "eos_token_id": [vocab["<|im_end|>"], vocab["<|endoftext|>"]], "pad_token_id": vocab["<|endoftext|>"],
            "repetition_penalty": 1.05, "temperature": 0.7, "top_k": 20, "top_p": 0.8,
            "transformers_version": spec["transformers_version"]}


def make_weights(cfg, seed, embed_std):
    """Random weights in the causal-LM key layout (model.*, lm_head.weight unless tied)."""
    torch.manual_seed(seed)
    c = resolved(cfg)
    hs, inter = c["hidden_size"], c["intermediate_size"]
    heads, kv = c["num_attention_heads"], c["num_key_value_heads"]
    hd = c.get("head_dim") or hs // heads
    qkv_bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)
    tied = c["tie_word_embeddings"]
    if embed_std is None:
        # a tied table doubles as the output head: keep its logits in the range of an untied head's
        embed_std = 2.5 / math.sqrt(hs) if tied else 1.0
    w = {"model.embed_tokens.weight": _normal((c["vocab_size"], hs), embed_std)}
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        _linear(w, p + "self_attn.q_proj", heads * hd, hs, qkv_bias, gain=1.5)
        _linear(w, p + "self_attn.k_proj", kv * hd, hs, qkv_bias, gain=1.5)
        _linear(w, p + "self_attn.v_proj", kv * hd, hs, qkv_bias)
        _linear(w, p + "self_attn.o_proj", hs, heads * hd, False)
        _linear(w, p + "mlp.gate_proj", inter, hs, False)
        _linear(w, p + "mlp.up_proj", inter, hs, False)
        _linear(w, p + "mlp.down_proj", hs, inter, False)
        w[p + "input_layernorm.weight"] = 1.0 + _normal((hs,), 0.1)
        w[p + "post_attention_layernorm.weight"] = 1.0 + _normal((hs,), 0.1)
    w["model.norm.weight"] = 1.0 + _normal((hs,), 0.1)
    if not tied:
        w["lm_head.weight"] = _normal((c["vocab_size"], hs), 2.0 / math.sqrt(hs))
    return w


def write_weights(model_dir, weights, dtype, shards):
    stored = {k: v.to(dtype).contiguous() for k, v in weights.items()}
    if shards == 1:
        write_safetensors(os.path.join(model_dir, "model.safetensors"), stored)
        return
    assert shards == 2
    names = sorted(stored)
    # the embedding and layer 0 in the first shard, the rest in the second
    first = [n for n in names if n == "model.embed_tokens.weight" or n.startswith("model.layers.0.")]
    groups = [first, [n for n in names if n not in first]]
    files = ["model-%05d-of-%05d.safetensors" % (i + 1, shards) for i in range(shards)]
    weight_map, total = {}, 0
    for group, fname in zip(groups, files):
        total += write_safetensors(os.path.join(model_dir, fname), {n: stored[n] for n in group})
        for n in group:
            weight_map[n] = fname
    write_json(os.path.join(model_dir, "model.safetensors.index.json"),
               {"metadata": {"total_size": total}, "weight_map": weight_map}, sort_keys=True)


def load_weights(model_dir):
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
        index = json.load(f)
    out = {}
    for shard in sorted(set(index["weight_map"].values())):
        out.update(read_safetensors(os.path.join(model_dir, shard)))
    assert sorted(out) == sorted(index["weight_map"])
    assert index["metadata"]["total_size"] == sum(t.numel() * t.element_size() for t in out.values())
    return out


# ----------------------------------------------------------------------------------------------
# Goldens
# ----------------------------------------------------------------------------------------------

class TextProcessor:
    """tokenizer.apply_chat_template([{"role": "user", "content": text}], add_generation_prompt=True):
    render with the special tokens of tokenizer_config.json (tools and documents None), then tokenize
    with add_special_tokens=False (the template writes any BOS itself). decode() is
    tokenizer.decode(ids, skip_special_tokens=True) with clean_up_tokenization when the config asks."""

    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "tokenizer.json")) as f:
            self.tokenizer = WordLevelTokenizer(json.load(f))
        with open(os.path.join(model_dir, "tokenizer_config.json")) as f:
            self.tok_cfg = json.load(f)
        jinja = os.path.join(model_dir, "chat_template.jinja")
        if os.path.exists(jinja):
            with open(jinja, encoding="utf-8") as f:
                self.template = f.read()
        else:
            self.template = self.tok_cfg["chat_template"]

    def render(self, text):
        variables = {k: self.tok_cfg[k] for k in ["bos_token", "eos_token", "unk_token", "pad_token"]
                     if self.tok_cfg.get(k) is not None}
        variables.update({"tools": None, "documents": None})
        return render_chat_template(self.template, [{"role": "user", "content": text}], variables)

    def input_ids(self, rendered):
        return self.tokenizer.encode(rendered, add_special_tokens=False)

    def decode(self, ids):
        text = self.tokenizer.decode(ids, skip_special_tokens=True)
        return clean_up_tokenization(text) if self.tok_cfg.get("clean_up_tokenization_spaces") else text


def compute_golden(model_dir, case_name, defaulted):
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(model_dir, "generation_config.json")) as f:
        gen = json.load(f)
    eos = gen["eos_token_id"] if isinstance(gen["eos_token_id"], list) else [gen["eos_token_id"]]
    weights32 = {k: v.float() for k, v in load_weights(model_dir).items()}
    model = CausalLmReference(config, weights32, torch.float32)
    model64 = CausalLmReference(config, weights32, torch.float64)
    proc = TextProcessor(model_dir)
    vocab_size = config["vocab_size"]
    report = {"max_abs_f32_f64_logprob": 0.0, "min_greedy_margin": float("inf"), "max_abs_batched": 0.0}

    prompts, all_ids = [], []
    for text in PROMPTS:
        rendered = proc.render(text)
        ids = proc.input_ids(rendered)
        all_ids.append(ids)
        last = model.last_logprobs([ids])[0]
        last64 = model64.last_logprobs([ids])[0]
        assert last.shape[0] == vocab_size
        diff = float((last.double() - last64).abs().max())
        report["max_abs_f32_f64_logprob"] = max(report["max_abs_f32_f64_logprob"], diff)
        assert diff < 2e-5, "float32 and float64 disagree by %g" % diff
        greedy, seq = [], list(ids)
        for _ in range(GREEDY_STEPS):
            logits = model.logits([seq])[0, -1]
            top = torch.topk(logits, 2)
            margin = float(top.values[0] - top.values[1])
            report["min_greedy_margin"] = min(report["min_greedy_margin"], margin)
            assert margin > MIN_TOP2_MARGIN, "greedy margin %g too small: change the seed of %s" % (margin, case_name)
            greedy.append(int(top.indices[0]))
            seq.append(greedy[-1])
        generated = []
        for t in greedy:
            if t in eos:
                break
            generated.append(t)
        prompts.append({"text": text, "rendered": rendered, "input_ids": ids,
                        "last_logprobs": [sig7(v) for v in last.tolist()], "greedy_ids": greedy,
                        "generated_ids": generated, "generated_text": proc.decode(generated),
                        "finish": "eos" if len(generated) < len(greedy) else "length"})

    # the same prompts as one left-padded batch, greedy with full recomputation: the reference's own
    # padding, mask and positions must reproduce the one-by-one numbers
    batched = model.last_logprobs(all_ids)
    for k, p in enumerate(prompts):
        report["max_abs_batched"] = max(report["max_abs_batched"],
                                        float((batched[k] - torch.tensor(p["last_logprobs"])).abs().max()))
    assert report["max_abs_batched"] < 1e-5, "batched and single log-probs differ by %g" % report["max_abs_batched"]
    seqs = [list(ids) for ids in all_ids]
    for step in range(GREEDY_STEPS):
        nxt = model.logits(seqs)[:, -1].argmax(-1).tolist()
        for k in range(len(seqs)):
            assert nxt[k] == prompts[k]["greedy_ids"][step], "batched greedy differs at step %d" % step
            seqs[k].append(nxt[k])

    if config["model_type"] == "mistral":
        assert max(len(i) for i in all_ids) > config["sliding_window"], "the sliding window should be active"
    golden = {
        "case": case_name,
        "vocab_size": vocab_size,
        "tokenizer_vocab_size": len(proc.tokenizer.vocab),
        "eos_token_ids": eos,
        "prompts": prompts,
        "defaulted_fields": defaulted,
        "compute_dtype": "float32",
        "notes": ("Computed in float32 from the stored weights (BF16/F16 values widened to float32). "
                  "rendered: the chat template with one text-only user turn and the generation prompt; "
                  "input_ids: the rendered text tokenized without added special tokens. last_logprobs: "
                  "log_softmax over the full vocab_size at the last position, 7 significant digits. "
                  "greedy_ids: full recomputation each step, EOS ignored. generated_ids / generated_text: "
                  "greedy_ids up to the first id of generation_config.json's eos_token_id, decoded with "
                  "skip_special_tokens (and clean_up_tokenization when tokenizer_config.json sets it). The "
                  "same prompts as one left-padded batch (mask, position ids = cumsum - 1) give the same "
                  "log-probs within 1e-5 and the same greedy ids."),
    }
    return golden, report


def write_case(out_root, spec):
    model_dir = os.path.join(out_root, spec["name"])
    os.makedirs(model_dir, exist_ok=True)
    for f in os.listdir(model_dir):
        os.remove(os.path.join(model_dir, f))
    tok_json = build_tokenizer_json(spec["style"])
    cfg, defaulted = build_config(spec, tok_json)
    weights = make_weights(cfg, spec["seed"], spec.get("text_embed_std"))
    write_weights(model_dir, weights, spec["dtype"], spec["shards"])
    write_json(os.path.join(model_dir, "config.json"), cfg)
    with open(os.path.join(model_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(tok_json, indent=2, ensure_ascii=False))
    write_json(os.path.join(model_dir, "tokenizer_config.json"), build_tokenizer_config(spec, tok_json))
    write_json(os.path.join(model_dir, "generation_config.json"), build_generation_config(spec, tok_json))
    if spec["template_file"]:
        with open(os.path.join(model_dir, "chat_template.jinja"), "w", encoding="utf-8") as f:
            f.write(fixture_template(spec["template"]))
    golden, report = compute_golden(model_dir, spec["name"], defaulted)
    write_json(os.path.join(model_dir, "golden.json"), golden, indent=1)
    size = os.path.getsize(os.path.join(model_dir, "golden.json"))
    assert size < 500 * 1024, "golden.json is %d bytes" % size
    print("%-24s ids=%s generated=%r min_margin=%.4g f32-vs-f64=%.2g batched=%.2g golden=%dB" % (
        spec["name"], [len(p["input_ids"]) for p in golden["prompts"]],
        [p["generated_text"] for p in golden["prompts"]], report["min_greedy_margin"],
        report["max_abs_f32_f64_logprob"], report["max_abs_batched"], size))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="directory that receives one sub-directory per case")
    ap.add_argument("--case", action="append", help="only this case (repeatable)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)  # deterministic reductions
    for spec in case_specs():
        if args.case and spec["name"] not in args.case:
            continue
        write_case(args.out, spec)


if __name__ == "__main__":
    main(sys.argv[1:])
