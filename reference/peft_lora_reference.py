#!/usr/bin/env python3
"""Independent PyTorch reference of Hugging Face PEFT's LoRA on the tiny LLaVA checkpoints, and the
adapter directories plus golden numbers it writes.

What it is
    A from-scratch statement of what PEFT saves and computes for a LoRA adapter on
    LlavaForConditionalGeneration (the peft package is not needed to run it): for each case it builds
    an adapter on one of the tiny golden LLaVA directories written by llava_reference.py, saves it as
    a PEFT adapter directory (adapter_config.json + adapter_model.safetensors) and records the adapted
    model's log-probabilities in golden.json, for the Java loader to reproduce within 1e-4.

Which PEFT sources it follows (read, not imported)
    src/peft/tuners/lora/layer.py       LoraLayer.update_layer: lora_A = nn.Linear(in, r, bias=False),
                                        lora_B = nn.Linear(r, out, bias=False), scaling = lora_alpha / r
                                        (lora_alpha / sqrt(r) with use_rslora); reset_lora_parameters:
                                        kaiming_uniform_(lora_A.weight, a=sqrt(5)), zeros_(lora_B.weight);
                                        Linear.forward: result + lora_B(lora_A(dropout(x))) * scaling,
                                        dropout on the adapter's input only (identity in eval mode)
    src/peft/tuners/tuners_utils.py     check_target_module_exists: a str target_modules must
                                        re.fullmatch the module name; a list matches a name equal to an
                                        entry or ending with "." + entry
    src/peft/utils/save_and_load.py     get_peft_model_state_dict: keys of the PeftModel's state dict
                                        holding "lora_", the adapter name removed ("lora_A.default.weight"
                                        -> "lora_A.weight"); PeftModel wraps LoraModel as base_model, and
                                        LoraModel wraps the transformers model as model, hence the prefix
                                        "base_model.model." before the module path
    src/peft/utils/constants.py         SAFETENSORS_WEIGHTS_NAME = "adapter_model.safetensors",
                                        CONFIG_NAME = "adapter_config.json"
    src/peft/tuners/lora/config.py      LoraConfig fields (r, lora_alpha, lora_dropout, target_modules,
                                        bias, fan_in_fan_out, use_rslora, use_dora, rank_pattern, ...)

The module path is that of the transformers model built from the base directory: with the original
LLaVA key layout (transformers < 4.52) `language_model.model.layers.0.self_attn.q_proj`,
`vision_tower.vision_model.encoder.layers.0.self_attn.q_proj`, `multi_modal_projector.linear_1`;
with the newer layout `model.language_model.layers.0.self_attn.q_proj` and so on.

The lora_B weights are drawn at random (as if trained) so the adapter changes the outputs; lora_A is
initialised as PEFT does.

Regenerate (from the repository root; rerunning gives byte-identical files)
    /usr/bin/python3 reference/peft_lora_reference.py --hf rlaifv-djl/src/test/resources/hf \\
        --out rlaifv-djl/src/test/resources/peft

Requires: Debian's python3-torch (1.13), python3-numpy, python3-pil, python3-jinja2.
"""

import argparse
import json
import math
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llava_reference as ref  # noqa: E402

# One case per key layout: a list target_modules reaching into the vision tower and projector, and
# a regular expression that keeps to the language model.
CASES = [
    {"name": "llava-clip-llama", "r": 4, "lora_alpha": 8, "lora_dropout": 0.05,
     "target_modules": ["q_proj", "v_proj", "down_proj", "linear_1"], "seed": 11},
    {"name": "llava-clip-mistral", "r": 2, "lora_alpha": 3, "lora_dropout": 0.0,
     "target_modules": r".*language_model\..*\.(?:q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)",
     "seed": 12},
]


def targeted(target_modules, name):
    """PEFT's check_target_module_exists for the plain str / list forms."""
    if isinstance(target_modules, str):
        return re.fullmatch(target_modules, name) is not None
    return name in target_modules or any(name.endswith("." + t) for t in target_modules)


def linear_modules(weights):
    """Module paths of the nn.Linear layers of LlavaForConditionalGeneration, from its weight keys
    (embeddings, the LM head, norms, convolutions and biases excluded)."""
    out = []
    for k, v in weights.items():
        if k.endswith(".weight") and v.dim() == 2 and "embed" not in k and "lm_head" not in k:
            out.append(k[: -len(".weight")])
    return sorted(out)


class LoraFunctional:
    """torch.nn.functional with linear() replaced by PEFT's LoRA Linear.forward (eval mode)."""

    def __init__(self, adapters):
        self.adapters = adapters  # id(base weight) -> (A, B, scaling)

    def __getattr__(self, name):
        return getattr(torch.nn.functional, name)

    def linear(self, x, w, b=None):
        result = torch.nn.functional.linear(x, w, b)
        lora = self.adapters.get(id(w))
        if lora is not None:
            a, bb, scaling = lora
            result = result + torch.nn.functional.linear(torch.nn.functional.linear(x, a), bb) * scaling
        return result


def write_case(hf_root, out_root, spec):
    base_dir = os.path.join(hf_root, spec["name"])
    out_dir = os.path.join(out_root, spec["name"])
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(base_dir, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(base_dir, "golden.json")) as f:
        base_golden = json.load(f)
    weights = {k: v.float() for k, v in ref.load_weights(base_dir).items()}

    torch.manual_seed(spec["seed"])
    r = spec["r"]
    scaling = spec["lora_alpha"] / r
    lora = {}
    for module in linear_modules(weights):
        if not targeted(spec["target_modules"], module):
            continue
        out_f, in_f = weights[module + ".weight"].shape
        a = torch.empty(r, in_f)
        torch.nn.init.kaiming_uniform_(a, a=math.sqrt(5))
        b = torch.randn(out_f, r) * 0.1
        lora[module] = (a, b)
    assert lora, "no module targeted"

    tensors = {}
    for module, (a, b) in lora.items():
        tensors["base_model.model." + module + ".lora_A.weight"] = a.contiguous()
        tensors["base_model.model." + module + ".lora_B.weight"] = b.contiguous()
    ref.write_safetensors(os.path.join(out_dir, "adapter_model.safetensors"), tensors)
    adapter_config = {
        "alpha_pattern": {}, "auto_mapping": None,
        "base_model_name_or_path": "../../hf/" + spec["name"],
        "bias": "none", "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True,
        "layers_pattern": None, "layers_to_transform": None, "lora_alpha": spec["lora_alpha"],
        "lora_dropout": spec["lora_dropout"], "modules_to_save": None, "peft_type": "LORA", "r": r,
        "rank_pattern": {}, "revision": None, "target_modules": spec["target_modules"],
        "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": False,
    }
    ref.write_json(os.path.join(out_dir, "adapter_config.json"), adapter_config)

    # The adapted model: the reference LLaVA with every targeted linear layer adapted. The values are
    # read back from the file just written, so file and goldens cannot drift apart.
    stored = ref.read_safetensors(os.path.join(out_dir, "adapter_model.safetensors"))
    model = ref.LlavaReference(config, weights, torch.float32)
    adapters = {}
    for module in lora:
        a = stored["base_model.model." + module + ".lora_A.weight"]
        b = stored["base_model.model." + module + ".lora_B.weight"]
        adapters[id(model.w[module + ".weight"])] = (a, b, scaling)
    px = torch.tensor(base_golden["pixel_values"], dtype=torch.float32).reshape(base_golden["pixel_shape"])
    ids = base_golden["prompt"]["input_ids"]
    resp = base_golden["response"]["ids"]
    saved_f = ref.F
    ref.F = LoraFunctional(adapters)
    try:
        all_lp = torch.log_softmax(model.logits(ids + resp, px), dim=-1)
    finally:
        ref.F = saved_f
    base_lp = torch.log_softmax(model.logits(ids + resp, px), dim=-1)
    last = all_lp[len(ids) - 1]
    change = float((last - base_lp[len(ids) - 1]).abs().max())
    assert change > 1e-2, "the adapter barely changes the outputs (%g)" % change
    token_lp = [float(all_lp[len(ids) - 1 + k, t]) for k, t in enumerate(resp)]
    golden = {
        "case": spec["name"],
        "base": "../../hf/" + spec["name"],
        "modules": len(lora),
        "scaling": scaling,
        "prompt_last_logprobs": [ref.sig7(v) for v in last.tolist()],
        "response_token_logprobs": [ref.sig7(v) for v in token_lp],
        "max_abs_change_from_base": ref.sig7(change),
        "notes": ("Inputs are the base case's golden prompt.input_ids, response.ids and pixel_values. "
                  "Log-probs of the adapted model (eval mode, no dropout), float32, 7 significant digits."),
    }
    ref.write_json(os.path.join(out_dir, "golden.json"), golden)
    print("%s: %d modules, max |change| from base %.4f" % (spec["name"], len(lora), change))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hf", required=True, help="directory of the tiny LLaVA cases (llava_reference.py --out)")
    ap.add_argument("--out", required=True, help="directory that receives one adapter directory per case")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    for spec in CASES:
        write_case(args.hf, args.out, spec)


if __name__ == "__main__":
    main(sys.argv[1:])
