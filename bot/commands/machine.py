"""What the speed benchmarks print about the machine they ran on."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import numpy as np


def machine_summary() -> str:
    """CPU model, core count and the vector instructions int8 inference depends on (the
    same model ran twice as fast on one 2-core VM as on another: docs/MODEL_CARD.md)."""
    name, flags = platform.processor() or platform.machine(), set[str]()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                name = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
                break
    except OSError:
        pass
    vector = [label for flag, label in _VECTOR_FLAGS if flag in flags]
    return (
        f"{name}, {os.cpu_count()} CPUs, {' '.join(vector) or 'no AVX'}; "
        f"float32 matrix products at {matmul_gflops():.0f} GFLOP/s"
    )


def matmul_gflops(size: int = 512, repeats: int = 5) -> float:
    """This machine's speed at a float32 matrix product (best of ``repeats``), in GFLOP/s.

    The same code ran three to five times slower on a VM in one of its slow phases
    (docs/EVALUATION.md, "Speed"): this number tells such a VM from slower code."""
    matrix = np.random.default_rng(0).random((size, size), dtype=np.float32)
    matrix @ matrix  # warm-up
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        matrix @ matrix
        best = min(best, time.perf_counter() - started)
    return 2 * size**3 / best / 1e9


_VECTOR_FLAGS = (
    ("avx2", "AVX2"),
    ("avx512f", "AVX-512"),
    ("avx512_vnni", "VNNI"),
    ("avx_vnni", "AVX-VNNI"),
    ("amx_int8", "AMX-INT8"),
)
