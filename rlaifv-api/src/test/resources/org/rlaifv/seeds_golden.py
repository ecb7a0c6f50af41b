#!/usr/bin/env python3
"""Independent reference for org.rlaifv.Seeds and SamplingParams.seedFor (SplitMix64 mixing).

Writes seeds.golden.txt beside this script; SeedsGoldenTest checks the Java values against it.
Regenerate with:  /usr/bin/python3 rlaifv-api/src/test/resources/org/rlaifv/seeds_golden.py
"""
import os

M = (1 << 64) - 1


def signed(x):
    x &= M
    return x - (1 << 64) if x >> 63 else x


def split_mix(z):
    z &= M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def mix(*values):
    h = 0x9E3779B97F4A7C15
    for v in values:
        h = split_mix(h ^ split_mix((v + 0x632BE59BD9B4E019) & M))
    return h


def mix_str(seed, key):
    h = seed & M
    units = key.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h = split_mix(h ^ (units[i] | units[i + 1] << 8))
    return mix(h, len(units) // 2)


cases = [
    ("mix(0)", mix(0)),
    ("mix(1,2,3)", mix(1, 2, 3)),
    ("mix(-1,MAX)", mix(-1, (1 << 63) - 1)),
    ("mix()", mix()),
    ("mix(7,shapes-train-7-0)", mix_str(7, "shapes-train-7-0")),
    ("mix(0,)", mix_str(0, "")),
    ("mix(-5,héllo)", mix_str(-5, "h\u00e9llo")),
    ("seedFor(42,0)", mix(42, 0)),
    ("seedFor(42,1)", mix(42, 1)),
    ("seedFor(42,9)", mix(42, 9)),
]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds.golden.txt")
with open(out, "w") as f:
    for name, v in cases:
        f.write(f"{name} {signed(v)}\n")
