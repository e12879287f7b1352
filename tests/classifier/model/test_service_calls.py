"""Synthetic service calls written down: genuine ones and scams that open the same calls."""

from __future__ import annotations

import random
import re

from classifier.model.service_calls import synthetic_service_calls

# What a scam asks for and a genuine caller never does: money to a personal or "safe"
# account, a fee first, a code, a link, an app or a screen, a payment code, secrecy.
_ASKS = re.compile(
    r"安全账户|监管账户|账户\s*(户名)?[\u4e00-\u9fff\s]*62\d{17}|62\d{17}|手续费|解冻费|验证码|"
    r"屏幕共享|下载|链接|收款码|二维码|个人微信|个人账户|不要告诉|不要跟别人说|不要挂电话|今天之内"
)
_CALL = re.compile(
    r"^(（通话录音整理）\n|刚才接的电话，记一下：\n|【来电录音】\n)?(对方|来电|他|客服)："
)


def test_every_scam_asks_for_money_a_code_a_screen_or_secrecy() -> None:
    for item in synthetic_service_calls(300, random.Random(3)):
        if item.fraud:
            assert _ASKS.search(item.text), item.text
            assert item.type_label in (
                "冒充客服退款",
                "冒充公检法",
                "钓鱼短信-冒充银行",
                "虚假贷款",
                "虚假投资理财",
                "冒充领导熟人",
            )


def test_genuine_calls_ask_for_nothing() -> None:
    for item in synthetic_service_calls(300, random.Random(4)):
        if not item.fraud:
            assert not _ASKS.search(item.text), item.text
            assert item.type_label is None


def test_both_classes_are_written_down_calls() -> None:
    for item in synthetic_service_calls(100, random.Random(5)):
        assert _CALL.match(item.text), item.text
        assert "{" not in item.text and "}" not in item.text, item.text


def test_both_classes_alternate_and_the_seed_fixes_the_texts() -> None:
    items = synthetic_service_calls(10, random.Random(1))
    assert [item.fraud for item in items] == [False, True] * 10
    assert items == synthetic_service_calls(10, random.Random(1))
    assert synthetic_service_calls(0, random.Random(1)) == []
