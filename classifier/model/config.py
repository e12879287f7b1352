"""The training configuration file (TOML), validated."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from knowledge.errors import ScamCheckError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = REPO_ROOT / "configs" / "train.toml"


Component = Literal["encoder", "ngram"]
COMPONENTS: tuple[Component, ...] = ("encoder", "ngram")


class ConfigError(ScamCheckError):
    """The training configuration cannot be used."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _EverydayRows(_Strict):
    """Everyday rows (and scams in the same voice) of further outside splits that one
    component learns."""

    # Further splits of ``TrainConfig.outside_rows`` whose everyday rows alone the component
    # learns (their scams stay unseen, so the fusion's type naming, fitted on some of those
    # scams, is not fitted on scams a component trained on).
    everyday_splits: list[str] = Field(default_factory=list)
    # Only the everyday rows of these kinds from ``everyday_splits`` (empty = every kind).
    everyday_kinds: list[str] = Field(default_factory=list)
    # Further splits whose scams of ``everyday_kinds`` the component learns too, so that the
    # everyday rows above come with scams in the same voice (empty = none). Learned whole: the
    # n-gram model's ``outside_scam_share`` and the kinds left out apply to the outside splits.
    scam_splits: list[str] = Field(default_factory=list)


class EncoderConfig(_EverydayRows):
    """Fine-tuning of the encoder's top layers (``everyday_splits``: none, as before
    2026-12-06's twenty-seventh session)."""

    max_length: int = 128
    layers: int = Field(default=12, ge=1, le=12)  # bottom layers of the base kept
    split_layer: int = 8
    group_cap: int = 3
    chat_mix: int = 1000
    # Rows of each class under a chat title, as a screenshot's text arrives; 0 = none, as
    # before 2026-12-04.
    titled: int = Field(default=0, ge=0)
    epochs: int = 2
    batch_size: int = 32
    lr_layers: float = 5e-5
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    type_loss_weight: float = 0.5
    evals_per_epoch: int = 2
    patience: int = 3
    int8_aware: bool = False  # train through simulated int8 rounding (inference is int8)
    # FBS genuine train texts added again per outside scam in advert or SMS form
    # (dataset.genuine_advert_pairs); 0 = none, as before 2026-12-06's nineteenth session.
    advert_pairs: float = Field(default=0.0, ge=0.0)

    @model_validator(mode="after")
    def _split_below_top(self) -> EncoderConfig:
        if not 0 <= self.split_layer < self.layers:
            raise ValueError(f"split_layer must be 0..{self.layers - 1} (below layers)")
        return self


class NgramConfig(_EverydayRows):
    """The character n-gram logistic regression."""

    ngram_max: int = 3
    min_df: int = 2
    max_features: int | None = 300_000
    c: float = 20.0
    balanced: bool = True
    # Weigh the fraud types equally in the type regression: the data has 1,060 train rows
    # of phishing_bank and 42 of task_rebate, and without it the rare types' chats were
    # named by the common ones' (docs/MODEL_CARD.md, "Naming the type").
    balanced_types: bool = False
    # Of the outside rows (``TrainConfig.outside_rows``, when "ngram" is among
    # ``outside_components``) the n-gram model learns every everyday one but only this
    # share of the scams (drawn by a hash of the row's id), none of the kinds listed: it
    # learned the outside scam adverts and SMS so well that FBS's genuine adverts looked like
    # fraud, with every other outside scam it raised more false alarms on everyday text from
    # outside the data, and with none it missed the scams told as stories (docs/
    # EVALUATION.md, "The n-gram model trained on messages from outside the data"). 1.0 and
    # no kinds = every outside row, as the encoder.
    outside_scam_share: float = Field(default=1.0, ge=0.0, le=1.0)
    outside_scam_kinds_left_out: list[str] = Field(default_factory=list)
    # Further splits of ``TrainConfig.outside_rows`` that the n-gram model alone learns as it
    # learns ``TrainConfig.outside_splits`` (every everyday row, the share of the scams above).
    more_splits: list[str] = Field(default_factory=list)
    # How much each row of ``everyday_splits`` and ``scam_splits`` weighs in the regressions
    # (1.0 = as any training row; as before 2026-12-07's thirtieth session): more everyday
    # rows from outside at a lower weight each spread the same pull over more voices.
    everyday_weight: float = Field(default=1.0, gt=0.0)


class FusionConfig(_Strict):
    """How the fusion's thresholds are chosen on the valid split."""

    max_fpr: float = 0.005
    high_precision: float = 0.995
    threshold_resamples: int = 200
    # Halvings of valid for the cross-validated F1 the fusion stage reports (the fusion
    # fitted on one half, scored on the other); 0 = not reported.
    cv_repeats: int = Field(default=0, ge=0)
    # Labelled messages from outside the data that no component trained on (a JSONL file like
    # eval/independent.jsonl, relative to the repository root) and which of its splits to
    # take. Their typed scams join valid's typed fraud rows when the weight of the two
    # components' type distributions is chosen: valid alone holds only the data's templated
    # texts, where the n-gram names types best; on chats and victims' stories the encoder
    # does.
    held_out_rows: Path | None = None
    held_out_splits: list[str] = Field(default_factory=list)
    # The weight of each of those messages in the fusion's regression, against 1 for a valid
    # row (0 = the regression is fitted on valid alone, as before 2026-12-05's eighth
    # session). The thresholds are always chosen on valid alone.
    held_out_weight: float = Field(default=0.0, ge=0.0)
    # The rules' benign damping (a warning, a refusal, an official notice's wording) as a
    # fifth input of the regression (classifier/model/fusion.py, ``features``).
    benign_input: bool = False
    # The learned type fusion (classifier/model/type_fusion.py): a multinomial regression
    # with this inverse regularisation, fitted on valid's typed fraud rows (weight 1) and the
    # held-out typed scams of every knowledge type (this weight each); 0 = not fitted, the
    # two heads' distributions mixed with one weight name the type.
    type_fusion_c: float = Field(default=0.0, ge=0.0)
    type_fusion_held_out_weight: float = Field(default=0.5, ge=0.0)
    # More splits of ``held_out_rows`` whose typed scams join only the naming of types (the
    # type weight and the type fusion), not the regression: read parts whose knowledge was
    # written on them, where the rules look better than on new messages (docs/EVALUATION.md,
    # "The type fusion fitted on the fifty-six parts").
    types_only_splits: list[str] = Field(default_factory=list)


class TrainConfig(_Strict):
    """Everything `scamcheck train` needs besides the data."""

    seed: int = 13
    data_dir: Path = Path("../shared/data")
    # Synthetic service notifications per class added to both components' training texts
    # (classifier/model/notifications.py); 0 = none, as before 2026-12-03.
    notifications: int = Field(default=0, ge=0)
    # Synthetic warnings and reports about scams, and as many victims' accounts of scams
    # under way (classifier/model/scam_talk.py); 0 = none, as before 2026-12-03's third session.
    scam_talk: int = Field(default=0, ge=0)
    # Also the scams' own words in that talk: quoted in warnings and refused calls, and as
    # the message or the call itself (scam_talk.py, ``quotes``); False as before 2026-12-04's
    # sixth session.
    scam_talk_quotes: bool = False
    # Synthetic genuine adverts and as many scam lures in advert form (classifier/model/
    # adverts.py); 0 = none, as before 2026-12-04.
    adverts: int = Field(default=0, ge=0)
    # Synthetic workplace money talk (expense claims, supplier payments, approvals) and as
    # many boss impersonations (classifier/model/workplace.py); 0 = none, as before
    # 2026-12-04's third session.
    workplace: int = Field(default=0, ge=0)
    # Synthetic family and friends' money talk (gifts, loans, repayments, bills) and as many
    # impersonations of a relative or a friend (classifier/model/family.py); 0 = none.
    family: int = Field(default=0, ge=0)
    # Synthetic dissuasion and risk-control calls (a bank or the police stopping a transfer)
    # and as many scams in the same voices (classifier/model/dissuasion.py); 0 = none, as
    # before 2026-12-05's fourteenth session.
    dissuasion: int = Field(default=0, ge=0)
    # Synthetic transcripts of everyday service calls (a courier, a hospital, a teacher, a
    # bank, ...) and as many scams that open the same calls (classifier/model/
    # service_calls.py); 0 = none, as before 2026-12-05's fifteenth session.
    service_calls: int = Field(default=0, ge=0)
    # Teach both type heads the fraud types the data has no label for (杀猪盘, 两卡, 线下投送,
    # 中奖, 裸聊敲诈, …) from the synthetic scams of those types, labelled with their
    # knowledge type key, and tell seven more stories in the talk about scams (scam_talk.py,
    # ``_MORE_STORIES``); False as before 2026-12-05.
    unseen_types: bool = False
    # Labelled messages from outside the data (a JSONL file like eval/independent.jsonl,
    # relative to the repository root) whose rows of these splits join both components'
    # training texts: real-looking warnings, family and office talk and scams in forms the
    # data lacks. Their fraud types train the heads where the data has the type too. None =
    # none, as before 2026-12-05.
    outside_rows: Path | None = None
    outside_splits: list[str] = Field(default_factory=list)
    # Which components train on them (the n-gram model learned the outside parts' scam
    # adverts so well that FBS's genuine adverts looked like fraud; docs/EVALUATION.md).
    outside_components: list[Component] = Field(default_factory=lambda: list(COMPONENTS))
    # How many times each of those rows appears among the training texts (1 = once, as
    # before 2026-12-05's thirteenth session): 5,305 of them against about 32,000 others.
    outside_repeat: int = Field(default=1, ge=1)
    # Outside scams of these kinds (the rows' ``kind``: "ad", "sms", ...) are left out of the
    # training texts; their everyday rows stay. Empty = every row, as before 2026-12-06's
    # twentieth session.
    outside_scam_kinds_left_out: list[str] = Field(default_factory=list)
    encoder: EncoderConfig = EncoderConfig()
    ngram: NgramConfig = NgramConfig()
    fusion: FusionConfig = FusionConfig()

    def resolved_data_dir(self) -> Path:
        """The data folder, relative paths taken from the repository root."""
        return _from_root(self.data_dir)

    def resolved_outside_rows(self) -> Path | None:
        """``outside_rows``, relative paths taken from the repository root."""
        return _from_root(self.outside_rows) if self.outside_rows else None

    def resolved_held_out_rows(self) -> Path | None:
        """``fusion.held_out_rows``, relative paths taken from the repository root."""
        return _from_root(self.fusion.held_out_rows) if self.fusion.held_out_rows else None


def _from_root(path: Path) -> Path:
    return path if path.is_absolute() else REPO_ROOT / path


def load_config(path: Path = DEFAULT_CONFIG) -> TrainConfig:
    """Read and validate a configuration file; errors name the file and the field."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    try:
        return TrainConfig.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ConfigError(f"{path}: {where}: {error['msg']}") from None
