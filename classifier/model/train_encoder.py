"""Fine-tune the encoder's top layers and heads on the train split; keep the best
validation pass. Frozen bottom-layer outputs are computed once (with int8 rounding, as at
inference) and cached in memory, so an epoch only runs the top layers."""

from __future__ import annotations

import copy
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from torch import nn

from classifier.model import vocab
from classifier.model.base import BASE_PACKAGE, BASE_SHA256, install_base
from classifier.model.config import TrainConfig
from classifier.model.dataset import (
    DATA_FILES,
    Example,
    cap_groups,
    chat_mixed,
    chat_turns,
    genuine_advert_pairs,
    load_split,
    outside_examples,
    synthetic_examples,
    titled,
    to_example,
)
from classifier.model.encoder import ScamEncoder, simulate_int8
from classifier.model.graph import KEPT_IDS, META_FILE, TOKENIZER_FILE, WEIGHTS_FILE
from classifier.model.network import base_state_for_vocab, pad_batch

Report = Callable[[str, int, int], None]
"""Progress callback: (stage, done, total)."""


@dataclass(frozen=True)
class EncoderResult:
    """What the encoder stage produced and measured."""

    steps: int
    best_pass: int
    valid_f1: float
    valid_loss: float
    vocab_size: int
    train_examples: int
    seconds: float


def _seed(seed: int) -> random.Random:
    torch.manual_seed(seed)
    np.random.seed(seed)
    return random.Random(seed)


def _limit(
    rows: list[dict[str, Any]], limit: int | None, rng: random.Random
) -> list[dict[str, Any]]:
    if limit is None:
        return rows
    by_file: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_file.setdefault(row["file"], []).append(row)
    picked: list[dict[str, Any]] = []
    for members in by_file.values():
        fraud = [row for row in members if row["label"] == "fraud"]
        normal = [row for row in members if row["label"] != "fraud"]
        half = max(1, limit // 2)
        picked += rng.sample(fraud, min(half, len(fraud)))
        picked += rng.sample(normal, min(limit - min(half, len(fraud)), len(normal)))
    return picked


def training_examples(
    config: TrainConfig, rng: random.Random, limit: int | None
) -> tuple[list[Example], list[Example], list[str]]:
    """Train (capped groups + chat-mixed + synthetic + outside + titled texts + genuine
    adverts paired with the outside scam adverts) and valid examples, and every text for
    the vocabulary."""
    data_dir = config.resolved_data_dir()
    train_rows = _limit(load_split(data_dir, "train"), limit, rng)
    valid_rows = _limit(load_split(data_dir, "valid"), limit, rng)
    capped = cap_groups(train_rows, config.encoder.group_cap, rng)
    dialogues = chat_turns(train_rows)
    mix = config.encoder.chat_mix if limit is None else min(config.encoder.chat_mix, limit // 4)
    train = [to_example(row, rng) for row in capped]
    if dialogues and mix:
        train += chat_mixed(capped, dialogues, mix, rng)
    train += synthetic_examples(config, rng, limit=limit)
    train += outside_examples(config, "encoder", limit)
    with_title = config.encoder.titled if limit is None else min(config.encoder.titled, limit // 4)
    if with_title:
        train += titled(capped, with_title, rng)
    # Its own random stream, so that every other text is drawn as without the pairs.
    pairs_rng = random.Random(f"{config.seed}-advert-pairs")
    train += genuine_advert_pairs(config, capped, pairs_rng, limit)
    valid = [to_example(row, rng) for row in valid_rows]
    vocabulary_texts = [example.text for example in train + valid]
    if limit is None:
        test_rows = load_split(data_dir, "test")
        vocabulary_texts += [to_example(row, rng).text for row in test_rows]
    return train, valid, vocabulary_texts


def build_tokenizer(texts: Sequence[str]) -> tuple[dict[str, Any], list[int]]:
    """The trimmed tokenizer spec and the kept base ids for these texts."""
    spec = vocab.load_spec(vocab.full_tokenizer_path())
    full = Tokenizer.from_str(json.dumps(spec))
    used: set[int] = set()
    for start in range(0, len(texts), 2048):
        for encoding in full.encode_batch([vocab.PREFIX + t for t in texts[start : start + 2048]]):
            used.update(encoding.ids)
    keep = vocab.kept_ids(spec, used)
    return vocab.trim(spec, keep), keep


def _encode(tokenizer: Tokenizer, texts: Sequence[str], max_length: int) -> list[list[int]]:
    tokenizer.enable_truncation(max_length)
    return [encoding.ids for encoding in tokenizer.encode_batch([vocab.PREFIX + t for t in texts])]


@torch.inference_mode()
def cache_bottom(
    model: ScamEncoder, sequences: Sequence[list[int]], report: Report, stage: str
) -> list[torch.Tensor]:
    """Frozen-layer outputs per text (fp16, unpadded), computed with int8 rounding as the
    bot's int8 graph computes them."""
    quantised = copy.deepcopy(model)
    simulate_int8(quantised)
    order = sorted(range(len(sequences)), key=lambda index: len(sequences[index]))
    cached: list[torch.Tensor | None] = [None] * len(sequences)
    for start in range(0, len(order), 32):
        batch = order[start : start + 32]
        ids, mask = pad_batch([sequences[index] for index in batch])
        hidden = quantised.bottom(ids, mask)
        for row, index in enumerate(batch):
            cached[index] = hidden[row, : len(sequences[index])].to(torch.float16).clone()
        report(stage, min(start + 32, len(order)), len(order))
    return [item for item in cached if item is not None]


def _batches(lengths: Sequence[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (sorted within pools of 50 batches)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda index: lengths[index])
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def _stack(hidden: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(item.shape[0] for item in hidden)
    batch = torch.zeros((len(hidden), width, hidden[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(hidden), width), dtype=torch.long)
    for row, item in enumerate(hidden):
        batch[row, : item.shape[0]] = item.float()
        mask[row, : item.shape[0]] = 1
    return batch, mask


@torch.inference_mode()
def _validate(
    model: ScamEncoder, hidden: Sequence[torch.Tensor], labels: torch.Tensor
) -> tuple[float, float]:
    model.eval()
    logits = []
    order = sorted(range(len(hidden)), key=lambda index: hidden[index].shape[0])
    for start in range(0, len(order), 64):
        batch = order[start : start + 64]
        states, mask = _stack([hidden[index] for index in batch])
        fraud, _types = model.top(states, mask)
        logits.append((torch.tensor(batch), fraud))
    ordered = torch.empty(len(hidden))
    for index, values in logits:
        ordered[index] = values
    loss = float(nn.functional.binary_cross_entropy_with_logits(ordered, labels))
    predicted = ordered > 0
    truth = labels > 0.5
    tp = float((predicted & truth).sum())
    f1 = 2 * tp / max(1.0, float(predicted.sum() + truth.sum()))
    model.train()
    return f1, loss


def train_encoder(
    config: TrainConfig,
    out_dir: Path,
    *,
    limit: int | None = None,
    max_steps: int | None = None,
    type_keys: Callable[[str], str | None],
    report: Report,
) -> EncoderResult:
    """Run the encoder stage and write encoder.safetensors, tokenizer.json, model.json."""
    started = time.monotonic()
    rng = _seed(config.seed)
    settings = config.encoder
    train, valid, texts = training_examples(config, rng, limit)
    spec, keep = build_tokenizer(texts)
    tokenizer = Tokenizer.from_str(json.dumps(spec))
    type_names = sorted({key for e in train if e.type_label and (key := type_keys(e.type_label))})
    type_index = {name: index for index, name in enumerate(type_names)}

    base = load_file(str(install_base()))
    model = ScamEncoder(len(keep), max(1, len(type_names)), settings.split_layer, settings.layers)
    missing, unexpected = model.load_state_dict(
        base_state_for_vocab(base, torch.tensor(keep), settings.layers), strict=False
    )
    del base
    if unexpected or any(not key.startswith(("fraud_head", "type_head")) for key in missing):
        raise RuntimeError(f"base does not fit the encoder: {missing[:3]} {unexpected[:3]}")
    model.eval()

    width = settings.max_length
    train_ids = _encode(tokenizer, [e.text for e in train], width)
    train_hidden = cache_bottom(model, train_ids, report, "cache train")
    valid_ids = _encode(tokenizer, [e.text for e in valid], width)
    valid_hidden = cache_bottom(model, valid_ids, report, "cache valid")
    fraud_labels = torch.tensor([float(e.fraud) for e in train])
    type_labels = torch.tensor(
        [type_index.get(type_keys(e.type_label or "") or "", -100) for e in train]
    )
    valid_labels = torch.tensor([float(e.fraud) for e in valid])

    if settings.int8_aware:  # the cache above is rounded like the int8 graph in any case
        simulate_int8(model)
    for parameter in model.parameters():
        parameter.requires_grad = False
    top_layers = list(model.bert.encoder.layer[settings.split_layer :])
    layer_params = [p for layer in top_layers for p in layer.parameters()]
    head_params = [*model.fraud_head.parameters(), *model.type_head.parameters()]
    for parameter in layer_params + head_params:
        parameter.requires_grad = True
    optimiser = torch.optim.AdamW(
        [
            {"params": layer_params, "lr": settings.lr_layers},
            {"params": head_params, "lr": settings.lr_heads},
        ],
        weight_decay=settings.weight_decay,
    )
    lengths = [item.shape[0] for item in train_hidden]
    steps_per_epoch = math.ceil(len(train) / settings.batch_size)
    total = steps_per_epoch * settings.epochs
    if max_steps is not None:
        total = min(total, max_steps)
    warmup = max(1, int(total * settings.warmup_ratio))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: (
            min(1.0, (step + 1) / warmup) * max(0.0, (total - step) / max(1, total - warmup))
        ),
    )
    eval_every = max(1, steps_per_epoch // max(1, settings.evals_per_epoch))
    best = (-1.0, math.inf)
    best_state = model.trained_state()
    best_pass = passes = stale = step = 0
    model.train()
    while step < total and stale < settings.patience:
        for batch in _batches(lengths, settings.batch_size, rng):
            states, mask = _stack([train_hidden[index] for index in batch])
            fraud, types = model.top(states, mask)
            loss = nn.functional.binary_cross_entropy_with_logits(fraud, fraud_labels[batch])
            wanted = type_labels[batch]
            if (wanted >= 0).any():
                loss = loss + settings.type_loss_weight * nn.functional.cross_entropy(
                    types, wanted, ignore_index=-100
                )
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            nn.utils.clip_grad_norm_(layer_params + head_params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            report("train", step, total)
            if step % eval_every == 0 or step == total:
                passes += 1
                f1, valid_loss = _validate(model, valid_hidden, valid_labels)
                report(f"valid pass {passes}: F1 {f1:.4f} loss {valid_loss:.4f}", step, total)
                if (f1, -valid_loss) > (best[0], -best[1]):
                    best, best_pass, stale = (f1, valid_loss), passes, 0
                    best_state = model.trained_state()
                    # Written at once: an interrupted run still leaves its best checkpoint.
                    meta = _meta(config, keep, type_names, step, best_pass, best, len(train))
                    _save(out_dir, best_state, keep, spec, meta)
                else:
                    stale += 1
            if step >= total or stale >= settings.patience:
                break

    _save(
        out_dir,
        best_state,
        keep,
        spec,
        _meta(config, keep, type_names, step, best_pass, best, len(train)),
    )
    return EncoderResult(
        steps=step,
        best_pass=best_pass,
        valid_f1=best[0],
        valid_loss=best[1],
        vocab_size=len(keep),
        train_examples=len(train),
        seconds=time.monotonic() - started,
    )


def _meta(
    config: TrainConfig,
    keep: list[int],
    type_names: list[str],
    step: int,
    best_pass: int,
    best: tuple[float, float],
    train_examples: int,
) -> dict[str, Any]:
    settings = config.encoder
    encoder_outside = config.outside_rows is not None and "encoder" in config.outside_components
    return {
        "base": {"package": BASE_PACKAGE, "sha256": BASE_SHA256},
        "prefix": vocab.PREFIX,
        "max_length": settings.max_length,
        "layers": settings.layers,
        "split_layer": settings.split_layer,
        "vocab_size": len(keep),
        "type_names": type_names,
        "seed": config.seed,
        "encoder": {
            "steps": step,
            "best_pass": best_pass,
            "valid_f1_at_0.5": round(best[0], 4),
            "valid_loss": round(best[1], 4),
            "train_examples": train_examples,
            "config": settings.model_dump(),
            "files": list(DATA_FILES),
            "notifications": config.notifications,
            "scam_talk": config.scam_talk,
            "scam_talk_quotes": config.scam_talk_quotes,
            "adverts": config.adverts,
            "workplace": config.workplace,
            "family": config.family,
            "dissuasion": config.dissuasion,
            "service_calls": config.service_calls,
            "unseen_types": config.unseen_types,
            # The rows from outside the data this encoder trained on (none: empty).
            "outside_rows": str(config.outside_rows) if encoder_outside else None,
            "outside_splits": sorted(config.outside_splits) if encoder_outside else [],
            "outside_repeat": config.outside_repeat if encoder_outside else 0,
        },
    }


def _save(
    out_dir: Path,
    state: dict[str, torch.Tensor],
    keep: list[int],
    spec: dict[str, Any],
    meta: dict[str, Any],
) -> None:
    """Write the trained tensors (fp16), the trimmed tokenizer and model.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = {key: value.to(torch.float16) for key, value in state.items()}
    tensors[KEPT_IDS] = torch.tensor(keep, dtype=torch.int32)
    save_file(tensors, str(out_dir / WEIGHTS_FILE))
    (out_dir / TOKENIZER_FILE).write_text(
        json.dumps(spec, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    meta_path = out_dir / META_FILE
    if meta_path.is_file():  # keep what other stages wrote (the fusion)
        previous = json.loads(meta_path.read_text(encoding="utf-8"))
        meta = previous | meta
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
