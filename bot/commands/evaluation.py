"""Metrics for ``scamcheck eval``: per file and pooled, one column group per component."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from bot.commands.progress import Progress
from classifier import Analyzer, ChatKind, RiskLevel, Submission, Verdict
from classifier.model.textmodel import MESSAGES_PER_CALL

COMPONENTS = ("baseline", "rules", "ngram", "model", "fused")
Predictions = Sequence[tuple[float, str | None]]
"""(score, fraud type) per row: how the baseline's predictions come in."""
CATCH_ALL = "other"
"""The data's catch-all type (其他诈骗): its rows hold scams the data has no label for."""


def binary_metrics(
    truth: Sequence[bool], predicted: Sequence[bool]
) -> dict[str, float | int | None]:
    """Precision, recall, F1 (fraud is positive) and false-positive rate.

    A metric whose denominator is zero is None (e.g. recall on a normal-only file).
    """
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    fp = sum(p and not t for t, p in zip(truth, predicted, strict=True))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
    tn = len(truth) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else (0.0 if precision is not None and recall is not None else None)
    )
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "fpr": fp / (fp + tn) if fp + tn else None,
    }


def f1_interval(
    truth: Sequence[bool], predicted: Sequence[bool], resamples: int = 1000, seed: int = 0
) -> tuple[float, float] | None:
    """The 95 % bootstrap interval of F1 (rows drawn with replacement); None without
    fraud rows. On a few hundred fraud rows one row moves F1 by about 0.0015, and the
    interval shows how many such rows a difference is worth."""
    t = np.asarray(truth, dtype=bool)
    if not t.any():
        return None
    p = np.asarray(predicted, dtype=bool)
    rows = np.random.default_rng(seed).integers(0, len(t), size=(resamples, len(t)))
    drawn_truth, drawn_predicted = t[rows], p[rows]
    hits = (drawn_truth & drawn_predicted).sum(axis=1)
    fraud = drawn_truth.sum(axis=1)
    f1 = 2 * hits / np.maximum(1, fraud + drawn_predicted.sum(axis=1))
    # A resample without a fraud row has no F1 (on a tiny file it happens).
    low, high = np.percentile(f1[fraud > 0], [2.5, 97.5])
    return float(low), float(high)


def _component_metrics(
    rows: Sequence[Mapping[str, Any]],
    predictions: Sequence[tuple[float | None, str | None]],
    analyzer: Analyzer,
) -> dict[str, Any] | None:
    threshold = analyzer.thresholds.medium
    if any(score is None for score, _ in predictions):
        return None
    truth = [row["label"] == "fraud" for row in rows]
    predicted = [float(score or 0.0) >= threshold for score, _ in predictions]
    metrics: dict[str, Any] = binary_metrics(truth, predicted)
    metrics["f1_interval"] = f1_interval(truth, predicted)
    correct = refined = typed = 0
    for row, (_score, fraud_type), flagged in zip(rows, predictions, predicted, strict=True):
        expected = expected_type(row, analyzer)
        if expected is None or not flagged:
            continue
        typed += 1
        correct += fraud_type == expected
        refined += fraud_type == expected or _refines_catch_all(expected, fraud_type, analyzer)
    metrics["type_accuracy"] = correct / typed if typed else None
    metrics["type_accuracy_refined"] = refined / typed if typed else None
    metrics["typed_rows"] = typed
    return metrics


def _refines_catch_all(expected: str, predicted: str | None, analyzer: Analyzer) -> bool:
    """A 其他诈骗 row named with a type the data has no label for (a 中奖 scam called
    虚假中奖) is a finer answer, not a wrong one; reported beside the strict accuracy."""
    return (
        expected == CATCH_ALL
        and predicted is not None
        and predicted != CATCH_ALL
        and predicted not in analyzer.knowledge.dataset_types
    )


def expected_type(row: Mapping[str, Any], analyzer: Analyzer) -> str | None:
    """The fraud-type key a labelled row should get (None for normal or untyped rows)."""
    if row.get("label") != "fraud" or not row.get("type"):
        return None
    try:
        return analyzer.knowledge.type_for_dataset_label(str(row["type"]))
    except KeyError:
        return str(row["type"]) if row["type"] in analyzer.knowledge.fraud_types else None


async def _verdicts(
    rows: Sequence[Mapping[str, Any]], analyzer: Analyzer, label: str
) -> list[Verdict]:
    verdicts: list[Verdict] = []
    with Progress(len(rows), label) as progress:
        for start in range(0, len(rows), MESSAGES_PER_CALL):
            chunk = rows[start : start + MESSAGES_PER_CALL]
            verdicts.extend(
                await analyzer.analyze_batch(
                    [Submission(text=str(row["text"]), chat_kind=ChatKind.CLI) for row in chunk]
                )
            )
            progress.advance(len(chunk))
    return verdicts


def evaluate_files(
    datasets: Mapping[str, Sequence[Mapping[str, Any]]],
    analyzer: Analyzer,
    baseline: Mapping[str, Predictions] | None = None,
) -> dict[str, Any]:
    """Evaluate every dataset and the pooled rows; returns the JSON-ready report.

    ``baseline`` holds the reference model's predictions per dataset, when it was trained.
    """

    async def run() -> dict[str, list[Verdict]]:
        return {name: await _verdicts(rows, analyzer, name) for name, rows in datasets.items()}

    verdicts = asyncio.run(run())
    report: dict[str, Any] = {"threshold": analyzer.thresholds.medium, "sources": {}}
    reference = baseline or {}
    for name, rows in datasets.items():
        report["sources"][name] = _source_report(
            rows, verdicts[name], analyzer, reference.get(name)
        )
    if len(datasets) > 1:
        all_rows = [row for rows in datasets.values() for row in rows]
        all_verdicts = [v for name in datasets for v in verdicts[name]]
        pooled = (
            [p for name in datasets for p in reference[name]]
            if all(name in reference for name in datasets)
            else None
        )
        report["pooled"] = _source_report(all_rows, all_verdicts, analyzer, pooled)
    return report


def _source_report(
    rows: Sequence[Mapping[str, Any]],
    verdicts: Sequence[Verdict],
    analyzer: Analyzer,
    baseline: Predictions | None,
) -> dict[str, Any]:
    components: dict[str, Any] = {
        name: _component_metrics(
            rows, [(v.components.get(name), v.fraud_type) for v in verdicts], analyzer
        )
        for name in COMPONENTS
        if name != "baseline"
    }
    components["baseline"] = (
        _component_metrics(rows, list(baseline), analyzer) if baseline is not None else None
    )
    return {
        "rows": len(rows),
        "fraud_rows": sum(row["label"] == "fraud" for row in rows),
        "components": {name: components[name] for name in COMPONENTS},
        "levels": risk_levels(rows, verdicts, analyzer),
    }


def risk_levels(
    rows: Sequence[Mapping[str, Any]], verdicts: Sequence[Verdict], analyzer: Analyzer
) -> dict[str, dict[str, int]]:
    """The verdicts that warn, by level, each with how many of them are fraud rows.

    ``capped``: the medium ones whose score reached the high threshold, held at medium
    because no red flag of weight matched (classifier.analyzer.UNCORROBORATED)."""
    kinds: dict[str, Callable[[Verdict], bool]] = {
        "high": lambda v: v.risk is RiskLevel.HIGH,
        "medium": lambda v: v.risk is RiskLevel.MEDIUM,
        "capped": lambda v: v.risk is RiskLevel.MEDIUM and v.score >= analyzer.thresholds.high,
    }
    levels: dict[str, dict[str, int]] = {}
    for name, belongs in kinds.items():
        picked = [row for row, verdict in zip(rows, verdicts, strict=True) if belongs(verdict)]
        levels[name] = {
            "rows": len(picked),
            "fraud": sum(row["label"] == "fraud" for row in picked),
        }
    return levels


def _level_line(levels: Mapping[str, Mapping[str, int]]) -> str:
    def part(name: str) -> str:
        rows, fraud = levels[name]["rows"], levels[name]["fraud"]
        return f"{rows} ({fraud} fraud)"

    return (
        f"  levels (fused): high {part('high')}, medium {part('medium')}; "
        f"medium for want of a red flag {part('capped')}"
    )


def _cell(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.2f}%" if percent else f"{value:.3f}"


def _interval(bounds: Sequence[float] | None) -> str:
    return f"{bounds[0]:.3f}–{bounds[1]:.3f}" if bounds else "—"


def format_report(report: Mapping[str, Any]) -> str:
    """A plain table per source: one line per component."""
    lines: list[str] = []
    sections = list(report["sources"].items())
    if "pooled" in report:
        sections.append(("pooled", report["pooled"]))
    header = (
        f"  {'component':<10}{'precision':>10}{'recall':>9}{'F1':>8}{'95% interval':>15}"
        f"{'FPR':>9}{'type acc':>10}{'refined':>9}"
    )
    for name, section in sections:
        lines.append(f"{name}: {section['rows']} rows, {section['fraud_rows']} fraud")
        lines.append(header)
        for component in COMPONENTS:
            metrics = section["components"][component]
            if metrics is None:
                lines.append(f"  {component:<10}{'(not available)':>20}")
                continue
            lines.append(
                f"  {component:<10}{_cell(metrics['precision']):>10}{_cell(metrics['recall']):>9}"
                f"{_cell(metrics['f1']):>8}{_interval(metrics.get('f1_interval')):>15}"
                f"{_cell(metrics['fpr'], percent=True):>9}"
                f"{_cell(metrics['type_accuracy']):>10}"
                f"{_cell(metrics['type_accuracy_refined']):>9}"
            )
        lines.append(_level_line(section["levels"]))
        lines.append("")
    lines.append(f"fraud = score ≥ {report['threshold']:.2f} (medium or high risk)")
    lines.append("95% interval: of F1, over 1,000 bootstrap resamples of the rows")
    lines.append(
        "type acc: the verdict's type on flagged fraud rows; refined: also counting a "
        "其他诈骗 row named with a type the data has no label for (e.g. 虚假中奖)"
    )
    return "\n".join(lines)
