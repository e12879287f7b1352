"""The model's view of a message: the same form for training data and real messages."""

from __future__ import annotations

import random

import pytest

from classifier.evasions import EVASIONS
from classifier.model.prepare import inference_text, model_text, replace_placeholders


def _placeholders(text: str, *, fbs: bool = True) -> str:
    return model_text(replace_placeholders(text, qq_is_placeholder=fbs, rng=random.Random(0)))


@pytest.mark.parametrize(
    ("real", "anonymised"),
    [
        ("请拨打13812345678办理退款", "请拨打 CELLPHONE 办理退款"),
        ("登录 http://ccb-vip.top/a 领取", "登录 URL 领取"),
        ("加微信abc_12345咨询", "加微信 WECHAT 咨询"),
        ("每日送2888元", "每日送 DIGIT 元"),
    ],
)
def test_real_identifiers_and_placeholders_look_the_same(real: str, anonymised: str) -> None:
    assert model_text(real) == _placeholders(anonymised)


def test_newlines_punctuation_kinds_and_case_carry_no_signal() -> None:
    chat = "妈，你在家吗？\n我今晚回来吃饭！"
    flat = "妈。你在家吗，我今晚回来吃饭"
    assert model_text(chat) == model_text(flat) == "妈 你在家吗 我今晚回来吃饭"
    assert model_text("VIP会员") == model_text("vip会员")


def test_evasions_are_undone_before_the_model_sees_the_text() -> None:
    assert model_text("安\u200b全\u200b账\u200b户") == model_text("安全账户")
    assert model_text("請轉賬到銀行卡") == model_text("请转账到银行卡")


def test_names_places_and_banks_become_realistic_words() -> None:
    text = _placeholders("NAME 您好 您在 BANK 的贷款已到 PLACE")
    assert "NAME" not in text and "name" not in text and "bank" not in text
    assert "银行" in text


def test_qq_is_a_word_outside_the_anonymised_source() -> None:
    assert "qq" in _placeholders("用QQ联系我", fbs=False)
    assert "account" in _placeholders("加 QQ 联系", fbs=True)


@pytest.mark.parametrize("evasion", sorted(EVASIONS))
def test_evasions_cannot_hide_a_placeholder_at_inference(evasion: str) -> None:
    text = "尊敬的 NAME 客户 请点 URLdj 领取 DIGIT 元"
    assert inference_text(EVASIONS[evasion](text, 3)) == inference_text(text)
