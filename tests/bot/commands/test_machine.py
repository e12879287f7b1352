"""What the benchmarks print about the machine."""

from __future__ import annotations

import re

from bot.commands.machine import machine_summary, matmul_gflops


def test_the_summary_names_cores_vector_units_and_a_measured_speed() -> None:
    summary = machine_summary()
    assert re.search(r"\d+ CPUs, ", summary)
    speed = re.search(r"float32 matrix products at (\d+) GFLOP/s", summary)
    assert speed is not None and int(speed.group(1)) > 0


def test_the_matrix_product_speed_is_a_positive_rate() -> None:
    assert 0 < matmul_gflops(size=64, repeats=2) < 1e5
