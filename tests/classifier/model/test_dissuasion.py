"""Synthetic dissuasion and risk-control calls: genuine ones and scams in the same voices."""

from __future__ import annotations

import random
import re

from classifier.model.dissuasion import synthetic_dissuasion

# What a scam in a bank's or the police's voice asks for, and genuine calls never do.
_ASKS = re.compile(r"安全账户|清查账户|验证码报给我|屏幕共享|点击 |登录 |取成现金|转到新开的账户")
_SECRET_OR_LINK = re.compile(r"不要告诉|不要跟银行|不要挂断|\.top")
# What a genuine call offers instead: stop, hang up, call back or come to a branch.
_STOP = re.compile(r"别转|挂断|挂了|停止转账|停一停|暂缓|拦截|网点|96110|派出所|客服电话|钱先不转")


def test_every_scam_asks_for_money_a_code_or_a_screen() -> None:
    for item in synthetic_dissuasion(300, random.Random(3)):
        if item.fraud:
            assert _ASKS.search(item.text), item.text
            assert item.type_label in ("冒充公检法", "钓鱼短信-冒充银行")
            assert ("公安局" in item.text) == (item.type_label == "冒充公检法"), item.text


def test_genuine_calls_stop_the_transfer_and_ask_for_nothing() -> None:
    for item in synthetic_dissuasion(300, random.Random(4)):
        if not item.fraud:
            assert _STOP.search(item.text), item.text
            # A genuine call may ask what the scammer asked, and say what it never asks.
            asked = re.sub(r"(有没有|是不是)让您[^？]*？", "", item.text)
            denied = re.sub(r"(没有|不会以任何理由要求您转账至)“?安全账户”?", "", asked)
            assert not _ASKS.search(denied), item.text
            assert not _SECRET_OR_LINK.search(item.text), item.text
            assert item.type_label is None


def test_both_classes_alternate_and_the_seed_fixes_the_texts() -> None:
    items = synthetic_dissuasion(10, random.Random(1))
    assert [item.fraud for item in items] == [False, True] * 10
    assert items == synthetic_dissuasion(10, random.Random(1))
    assert synthetic_dissuasion(0, random.Random(1)) == []
