"""``scamcheck train``: n-gram model, encoder fine-tuning and fusion, in that order.

Each stage writes into the output directory (default: the bundled weights folder); the
fusion stage reads what the other two wrote and fits on the validation split (and on the
held-out independent messages the configuration names).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.model.config import FusionConfig, TrainConfig
from classifier.model.dataset import (
    DATA_FILES,
    DataError,
    load_split,
    outside_examples,
    read_rows,
    synthetic_examples,
    to_example,
)
from classifier.model.fusion import (
    ExtraRows,
    TypedRow,
    choose_type_weight,
    cross_validated_f1,
    features,
    fit_fusion,
    type_accuracy,
)
from classifier.model.graph import META_FILE
from classifier.model.ngram import NGRAM_FILE, NgramModel
from classifier.model.train_encoder import Report, train_encoder
from classifier.model.type_fusion import (
    TYPE_FUSION_FILE,
    TypeEvidence,
    TypeFusion,
    cross_validated_types,
    fit_type_fusion,
)
from classifier.rules import noisy_or

if TYPE_CHECKING:
    from classifier.analyzer import Analyzer
    from classifier.model.bundle import ModelBundle

STAGES = ("ngram", "encoder", "fusion")


@dataclass(frozen=True)
class StageResult:
    """One line of the final summary."""

    stage: str
    seconds: float
    summary: str


def _type_keys(unseen_types: bool = False) -> Callable[[str], str | None]:
    """Map a training text's type label to the fraud type the heads learn: a data label
    through the knowledge base, a knowledge type key the data has too (the rows from
    outside the data) as itself; with ``unseen_types`` any knowledge type key (the
    synthetic scams of types the data has no label for); anything else to None."""
    from knowledge import load_knowledge

    knowledge = load_knowledge()

    def key(label: str) -> str | None:
        if label in knowledge.dataset_types or (unseen_types and label in knowledge.fraud_types):
            return label
        try:
            return knowledge.type_for_dataset_label(label)
        except KeyError:
            return None

    return key


def _rows(config: TrainConfig, split: str, limit: int | None, seed: int) -> list[dict[str, Any]]:
    rows = load_split(config.resolved_data_dir(), split)
    if limit is not None:
        random.Random(seed).shuffle(rows)
        per_file: dict[str, int] = {}
        kept = []
        for row in rows:
            if per_file.get(row["file"], 0) < limit:
                per_file[row["file"]] = per_file.get(row["file"], 0) + 1
                kept.append(row)
        rows = kept
    return rows


def train_ngram(config: TrainConfig, out_dir: Path, limit: int | None) -> StageResult:
    """Fit the character n-gram model on the train split (model-form text) and the
    synthetic texts."""
    started = time.monotonic()
    rng = random.Random(config.seed)
    rows = _rows(config, "train", limit, config.seed)
    examples = [to_example(row, rng) for row in rows]
    synthetic = synthetic_examples(config, rng, limit=limit)
    outside = outside_examples(config, "ngram", limit)
    examples += synthetic + outside
    type_key = _type_keys(config.unseen_types)
    model = NgramModel.fit(
        [e.text for e in examples],
        [e.fraud for e in examples],
        config.ngram,
        config.seed,
        types=[type_key(e.type_label) if e.type_label else None for e in examples],
        weights=[e.weight for e in examples] if any(e.weight != 1.0 for e in examples) else None,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / NGRAM_FILE)
    size = (out_dir / NGRAM_FILE).stat().st_size / 1e6
    return StageResult(
        "ngram",
        time.monotonic() - started,
        f"{len(rows)} rows + {len(synthetic)} synthetic texts"
        + (f" + {len(outside)} from outside the data" if outside else "")
        + f", {size:.1f} MB written",
    )


def fit_fusion_stage(
    config: TrainConfig, out_dir: Path, limit: int | None, report: Report
) -> StageResult:
    """Score the validation split with every component; fit the fusion on it (and on the
    messages of ``fusion.held_out_rows``, weighted ``fusion.held_out_weight``) and choose how
    the two components' type distributions are weighed, on valid's typed fraud rows and the
    held-out typed scams."""
    from classifier.analyzer import Analyzer
    from classifier.model.bundle import ModelBundle

    started = time.monotonic()
    rows = _rows(config, "valid", limit, config.seed)
    bundle = ModelBundle.load(out_dir, type_fusion=False)  # refitted here
    if bundle.ngram is None:
        raise DataError(f"no n-gram model in {out_dir}: run the ngram stage first")
    analyzer = Analyzer()  # rules and indicators, built once for both sets of rows
    valid = _score(
        bundle,
        analyzer,
        rows,
        _type_keys(),
        lambda done: report("fusion: scoring valid", done, len(rows)),
        config.fusion.benign_input,
    )
    held_out = _held_out(config, bundle, analyzer, limit, report)
    labels = valid.labels
    files = [str(row["file"]) for row in rows]
    settings = config.fusion
    extra = ExtraRows(held_out.inputs, held_out.labels, settings.held_out_weight)
    thresholds: dict[str, Any] = {
        "max_fpr": settings.max_fpr,
        "high_precision": settings.high_precision,
        "resamples": settings.threshold_resamples,
    }
    fusion = fit_fusion(
        valid.inputs, labels, files, config.seed, floors=valid.floors, extra=extra, **thresholds
    )
    cross_validated = cross_validated_f1(
        valid.inputs,
        labels,
        files,
        config.seed,
        floors=valid.floors,
        repeats=settings.cv_repeats,
        extra=extra,
        **thresholds,
    )
    pooled = valid.typed + held_out.typed
    weight, _accuracy = choose_type_weight(*zip(*pooled, strict=True)) if pooled else (0.0, 0.0)
    fusion = replace(fusion, type_encoder_weight=weight)
    report("fusion: naming the type", 0, 1)
    type_fusion, type_summary = _type_fusion(
        valid, held_out, sorted(analyzer.knowledge.fraud_types), settings, config.seed
    )
    report("fusion: naming the type", 1, 1)
    meta_path = out_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["fusion"] = fusion.to_json()
    types_path = out_dir / TYPE_FUSION_FILE
    types_path.unlink(missing_ok=True)
    meta.pop("type_fusion_rows", None)
    if type_fusion is not None:
        type_fusion.save(types_path)
        meta["type_fusion_rows"] = {
            "valid": len(valid.type_truth),
            "held_out": len(held_out.type_truth),
            "held_out_weight": settings.type_fusion_held_out_weight,
            "types": len(type_fusion.classes),
        }
    splits = sorted(settings.held_out_splits) if held_out.labels else []
    meta["fusion_rows"] = {
        "valid": len(rows),
        "held_out": len(held_out.labels) if extra.weight > 0 else 0,
        "held_out_weight": extra.weight,
        "held_out_splits": splits if extra.weight > 0 else [],
    }
    type_splits = sorted({*settings.held_out_splits, *settings.types_only_splits})
    meta["type_weight_rows"] = {
        "valid": len(valid.typed),
        "outside": len(held_out.typed),
        "outside_splits": type_splits if held_out.typed else [],
    }
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    bundle.close()
    low, medium, high = fusion.thresholds
    fitted_on = f"{len(rows)} valid rows" + (
        f" + {len(held_out.labels)} held-out messages weighted {extra.weight:g}"
        if extra.weight > 0 and held_out.labels
        else ""
    )
    return StageResult(
        "fusion",
        time.monotonic() - started,
        f"{fitted_on}; thresholds low {low:.3f} medium {medium:.3f} high {high:.3f}; "
        f"type weights encoder {weight:.1f} / n-gram {1 - weight:.1f} "
        f"({type_accuracy(valid.typed, weight):.1%} of {len(valid.typed)} typed valid fraud rows"
        + (
            f", {type_accuracy(held_out.typed, weight):.1%} of {len(held_out.typed)} "
            "typed scams from outside"
            if held_out.typed
            else ""
        )
        + ")"
        + type_summary
        + _cross_validated_summary(cross_validated, settings.cv_repeats),
    )


def _type_fusion(
    valid: _Scored,
    held_out: _Scored,
    rule_types: list[str],
    settings: FusionConfig,
    seed: int,
) -> tuple[TypeFusion | None, str]:
    """Fit the learned type fusion on valid's typed fraud rows and the held-out typed
    scams (None when ``type_fusion_c`` is 0 or the rows hold one type); the summary gives
    its type accuracy cross-validated over five folds, valid's rows and the held-out ones
    apart."""
    if settings.type_fusion_c <= 0:
        return None, ""
    evidence = valid.type_evidence + held_out.type_evidence
    truth = valid.type_truth + held_out.type_truth
    weights = [1.0] * len(valid.type_truth)
    weights += [settings.type_fusion_held_out_weight] * len(held_out.type_truth)
    fitted = fit_type_fusion(evidence, truth, weights, rule_types, settings.type_fusion_c)
    if fitted is None:
        return None, "; too few fraud types to fit the type fusion"
    strata = [f"valid {name}" for name in valid.type_truth]
    strata += [f"held out {name}" for name in held_out.type_truth]
    named = cross_validated_types(
        evidence, truth, weights, rule_types, settings.type_fusion_c, seed, strata
    )
    right = [name == expected for name, expected in zip(named, truth, strict=True)]
    split = len(valid.type_truth)

    def share(part: list[bool]) -> str:
        return f"{sum(part) / max(1, len(part)):.1%} of {len(part)}"

    return fitted, (
        f"; type fusion over {len(fitted.classes)} types, cross-validated: "
        f"{share(right[:split])} typed valid fraud rows"
        + (f", {share(right[split:])} typed scams from outside" if held_out.type_truth else "")
    )


@dataclass
class _Scored:
    """What the fusion stage needs of scored rows: the fusion's inputs, the rules-and-
    indicators floors, the labels, and both components' type distributions with the
    expected type of every fraud row whose type the heads can name."""

    inputs: list[list[float]] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    typed: list[TypedRow] = field(default_factory=list)
    # Every fraud row with a fraud-type key, whether the heads know its type or not: the
    # learned type fusion's rows.
    type_evidence: list[TypeEvidence] = field(default_factory=list)
    type_truth: list[str] = field(default_factory=list)


def _score(
    bundle: ModelBundle,
    analyzer: Analyzer,
    rows: list[dict[str, Any]],
    type_key: Callable[[str], str | None],
    progress: Callable[[int], None],
    benign_input: bool,
    in_regression: Callable[[dict[str, Any]], bool] = lambda _row: True,
) -> _Scored:
    """Score ``rows`` with the rules, the indicators and both components; ``type_key``
    maps a row's type label to a fraud-type key (None: untyped); ``benign_input``: the
    rules' benign damping joins the fusion's inputs; rows ``in_regression`` rejects give
    only their types (no inputs, floors or labels)."""
    from classifier.model.textmodel import MESSAGES_PER_CALL
    from classifier.verdict import Submission

    scored = _Scored()
    known = set(bundle.text_model.type_names)
    for start in range(0, len(rows), MESSAGES_PER_CALL):
        chunk = rows[start : start + MESSAGES_PER_CALL]
        outputs = bundle.components([str(row["text"]) for row in chunk])
        for row, (output, ngram) in zip(chunk, outputs, strict=True):
            assert ngram is not None  # the caller checked
            ngram_p, ngram_types = ngram
            signals = analyzer.signals(Submission(text=str(row["text"])))
            fraud = row["label"] == "fraud"
            if in_regression(row):
                damping = signals.damping if benign_input else None
                scored.inputs.append(
                    features(signals.rules, signals.indicators, output.fraud, ngram_p, damping)
                )
                scored.floors.append(noisy_or([signals.rules, signals.indicators]))
                scored.labels.append(fraud)
            expected = type_key(str(row["type"])) if fraud and row.get("type") else None
            if expected is None:
                continue
            if expected in known:
                scored.typed.append((output.type_probabilities, ngram_types, expected))
            evidence = TypeEvidence(output.type_probabilities, ngram_types, signals.rule_types)
            scored.type_evidence.append(evidence)
            scored.type_truth.append(expected)
        progress(min(start + MESSAGES_PER_CALL, len(rows)))
    return scored


def _held_out(
    config: TrainConfig, bundle: ModelBundle, analyzer: Analyzer, limit: int | None, report: Report
) -> _Scored:
    """Every message of the chosen splits of ``fusion.held_out_rows`` scored (at most
    ``limit`` of them in a smoke run), in one pass so that the batches do not depend on how
    the splits are grouped; the regression's inputs only for ``held_out_splits``, the typed
    scams for ``types_only_splits`` too. Their type labels are knowledge keys."""
    path = config.resolved_held_out_rows()
    if path is None:
        return _Scored()
    regression = set(config.fusion.held_out_splits)
    wanted = regression | set(config.fusion.types_only_splits)
    rows = [row for row in read_rows(path) if row.get("split") in wanted]
    known = set(analyzer.knowledge.fraud_types)

    def type_key(label: str) -> str | None:
        return label if label in known else None

    if not any(row["label"] == "fraud" and type_key(str(row.get("type"))) for row in rows):
        raise DataError(f"no typed scams of the splits {sorted(wanted)} in {path}")
    rows = rows[:limit] if limit is not None else rows
    return _score(
        bundle,
        analyzer,
        rows,
        type_key,
        lambda done: report("fusion: scoring held out", done, len(rows)),
        config.fusion.benign_input,
        lambda row: row.get("split") in regression,
    )


def _cross_validated_summary(scores: dict[str, float], repeats: int) -> str:
    if not scores:
        return ""
    values = " / ".join(
        f"{name.removesuffix('.jsonl')} {value:.4f}" for name, value in scores.items()
    )
    return f"; cross-validated F1 ({repeats} halvings of valid): {values}"


def train(
    config: TrainConfig,
    out_dir: Path,
    *,
    stages: tuple[str, ...] = STAGES,
    limit: int | None = None,
    max_steps: int | None = None,
    report: Report,
) -> list[StageResult]:
    """Run the chosen stages in order and return their summaries."""
    data_dir = config.resolved_data_dir()
    missing = [name for name in DATA_FILES if not (data_dir / name).is_file()]
    if missing:
        raise DataError(
            f"cannot read {data_dir / missing[0]}: set data_dir in the config or --data-dir"
        )
    results: list[StageResult] = []
    if "ngram" in stages:
        report("ngram", 0, 1)
        results.append(train_ngram(config, out_dir, limit))
        report("ngram", 1, 1)
    if "encoder" in stages:
        started = time.monotonic()
        encoder = train_encoder(
            config,
            out_dir,
            limit=limit,
            max_steps=max_steps,
            type_keys=_type_keys(config.unseen_types),
            report=report,
        )
        results.append(
            StageResult(
                "encoder",
                time.monotonic() - started,
                f"{encoder.train_examples} examples, {encoder.steps} steps, best pass "
                f"{encoder.best_pass}: valid F1 {encoder.valid_f1:.4f}, "
                f"vocabulary {encoder.vocab_size}",
            )
        )
    if "fusion" in stages:
        results.append(fit_fusion_stage(config, out_dir, limit, report))
    return results
