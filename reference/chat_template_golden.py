"""Second opinion on the chat-template goldens: renders every golden case with Python's jinja2,
configured as transformers' _compile_jinja_template configures it (ImmutableSandboxedEnvironment,
trim_blocks, lstrip_blocks, loop controls, a `generation` block tag that renders its body,
raise_exception, a json.dumps-based tojson with ensure_ascii=False, strftime_now), and checks that
the result equals what @huggingface/jinja rendered in reference/chat_template_golden.mjs.

Run from the repository root, after the node script:
    /usr/bin/python3 reference/chat_template_golden.py
Exits non-zero when a render differs. Also renders reference/jinja_features.json, small templates
exercising the Jinja2 behaviour published templates rely on, into
rlaifv-core/src/test/resources/golden/jinja/features.json.
"""

import glob
import json
import os
import sys
from datetime import datetime

import jinja2
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "rlaifv-djl/src/test/resources/hf-tokenizers")
GOLDEN = os.path.join(ROOT, "rlaifv-core/src/test/resources/golden/chat")
FEATURES_IN = os.path.join(ROOT, "reference/jinja_features.json")
FEATURES_OUT = os.path.join(ROOT, "rlaifv-core/src/test/resources/golden/jinja/features.json")


class Generation(Extension):
    """transformers' AssistantTracker without the tracking: {% generation %} renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[Generation, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


def find_template(model_dir, config):
    path = os.path.join(model_dir, "chat_template.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)["chat_template"]
    path = os.path.join(model_dir, "chat_template.jinja")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return f.read()
    template = config["chat_template"]
    if isinstance(template, list):
        return {t["name"]: t["template"] for t in template}["default"]
    return template


def main():
    env = environment()
    passed = failed = 0
    for golden_path in sorted(glob.glob(os.path.join(GOLDEN, "*.json"))):
        with open(golden_path, encoding="utf-8") as f:
            golden = json.load(f)
        model_dir = os.path.join(FIXTURES, golden["model"])
        with open(os.path.join(model_dir, "tokenizer_config.json"), encoding="utf-8") as f:
            config = json.load(f)
        template = env.from_string(find_template(model_dir, config))
        for case in golden["cases"]:
            rendered = template.render(
                messages=case["messages"],
                add_generation_prompt=case["add_generation_prompt"],
                tools=None,
                documents=None,
                **golden["special_tokens"],
            )
            if rendered == case["rendered"]:
                passed += 1
            else:
                failed += 1
                print(f"DIFF {golden['model']}/{case['id']}\n  node:   {case['rendered']!r}\n  python: {rendered!r}")
    write_features(env)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def write_features(env):
    """Renders the small feature templates of reference/jinja_features.json (Jinja2 behaviour that
    published templates rely on) and writes the results as a golden for the Java engine."""
    with open(FEATURES_IN, encoding="utf-8") as f:
        features = json.load(f)
    out = []
    for name, source, variables in features:
        out.append({"name": name, "template": source, "variables": variables,
                    "rendered": env.from_string(source).render(**variables)})
    os.makedirs(os.path.dirname(FEATURES_OUT), exist_ok=True)
    with open(FEATURES_OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "reference/chat_template_golden.py (jinja2 " + jinja2.__version__ + ")",
                   "features": out}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
