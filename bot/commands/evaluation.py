"""Metrics for ``scamcheck eval``: per file and pooled, one column group per component."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from bot.commands.progress import Progress
from classifier import Analyzer, ChatKind, Submission, Verdict

COMPONENTS = ("rules", "model", "fused")
BATCH = 64


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


def _component_metrics(
    rows: Sequence[Mapping[str, Any]], verdicts: Sequence[Verdict], analyzer: Analyzer, name: str
) -> dict[str, Any] | None:
    threshold = analyzer.thresholds.medium
    scores = [verdict.components.get(name) for verdict in verdicts]
    if any(score is None for score in scores):
        return None
    truth = [row["label"] == "fraud" for row in rows]
    predicted = [float(score or 0.0) >= threshold for score in scores]
    metrics: dict[str, Any] = binary_metrics(truth, predicted)
    correct = typed = 0
    for row, verdict, flagged in zip(rows, verdicts, predicted, strict=True):
        expected = _expected_type(row, analyzer)
        if expected is None or not flagged:
            continue
        typed += 1
        correct += verdict.fraud_type == expected
    metrics["type_accuracy"] = correct / typed if typed else None
    metrics["typed_rows"] = typed
    return metrics


def _expected_type(row: Mapping[str, Any], analyzer: Analyzer) -> str | None:
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
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            verdicts.extend(
                await analyzer.analyze_batch(
                    [Submission(text=str(row["text"]), chat_kind=ChatKind.CLI) for row in chunk]
                )
            )
            progress.advance(len(chunk))
    return verdicts


def evaluate_files(
    datasets: Mapping[str, Sequence[Mapping[str, Any]]], analyzer: Analyzer
) -> dict[str, Any]:
    """Evaluate every dataset and the pooled rows; returns the JSON-ready report."""

    async def run() -> dict[str, list[Verdict]]:
        return {name: await _verdicts(rows, analyzer, name) for name, rows in datasets.items()}

    verdicts = asyncio.run(run())
    report: dict[str, Any] = {"threshold": analyzer.thresholds.medium, "sources": {}}
    for name, rows in datasets.items():
        report["sources"][name] = _source_report(rows, verdicts[name], analyzer)
    if len(datasets) > 1:
        all_rows = [row for rows in datasets.values() for row in rows]
        all_verdicts = [v for name in datasets for v in verdicts[name]]
        report["pooled"] = _source_report(all_rows, all_verdicts, analyzer)
    return report


def _source_report(
    rows: Sequence[Mapping[str, Any]], verdicts: Sequence[Verdict], analyzer: Analyzer
) -> dict[str, Any]:
    return {
        "rows": len(rows),
        "fraud_rows": sum(row["label"] == "fraud" for row in rows),
        "components": {
            name: _component_metrics(rows, verdicts, analyzer, name) for name in COMPONENTS
        },
    }


def _cell(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.2f}%" if percent else f"{value:.3f}"


def format_report(report: Mapping[str, Any]) -> str:
    """A plain table per source: one line per component."""
    lines: list[str] = []
    sections = list(report["sources"].items())
    if "pooled" in report:
        sections.append(("pooled", report["pooled"]))
    header = f"  {'component':<10}{'precision':>10}{'recall':>9}{'F1':>8}{'FPR':>9}{'type acc':>10}"
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
                f"{_cell(metrics['f1']):>8}{_cell(metrics['fpr'], percent=True):>9}"
                f"{_cell(metrics['type_accuracy']):>10}"
            )
        lines.append("")
    lines.append(f"fraud = score ≥ {report['threshold']:.2f} (medium or high risk)")
    return "\n".join(lines)
