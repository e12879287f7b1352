"""Unit tests of the private-chat building blocks (no Telegram, no database)."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from bot import messages
from bot.adapters import Origin, Piece, submission_from_pieces
from bot.bursts import BurstCollector
from bot.details import render_details, view_of_verdict
from bot.htmltext import cut, defang, fit_lines, utf16_len, visible_length
from bot.keyboards import data, verdict_keyboard
from bot.paid import bank_in, render_paid
from bot.ratelimit import UserRateLimiter
from bot.render import CODE_TIP, HEADLINES, SAFE_TIP, red_flags, render_verdict
from bot.reporting import what_is_reported
from bot.runtime import UserLocks
from bot.script import localise, prefers_traditional
from bot.ttlstore import TtlStore
from classifier import Analyzer, RiskLevel, Submission, Verdict

SCAM = (
    "您好，我是公安局民警，您的账户涉嫌洗钱，请把资金转到安全账户 6222 0212 3456 7890 128 配合调查"
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _verdict(analyzer: Analyzer, text: str) -> Verdict:
    return analyzer.analyze_offline(Submission(text=text))


# --- htmltext -------------------------------------------------------------------------------


def test_cut_counts_utf16_and_never_splits_an_emoji() -> None:
    assert cut("短文本", 10) == "短文本"
    assert cut("a  b\n c", 10) == "a b c"
    text = "😀" * 10
    shortened = cut(text, 7)
    assert utf16_len(shortened) <= 7 and shortened.endswith("…")
    assert "\ud83d" not in shortened


def test_fit_lines_stops_between_lines_with_a_note() -> None:
    lines = [f"<b>第{i}行</b>" + "字" * 50 for i in range(200)]
    text = fit_lines(lines, 4096, more="……省略")
    assert visible_length(text) <= 4096
    assert text.endswith("……省略")
    assert all(line.count("<b>") == line.count("</b>") for line in text.splitlines())


def test_visible_length_ignores_tags_and_decodes_entities() -> None:
    assert visible_length("<b>a&amp;b</b>") == 3


def test_defang_makes_links_unclickable_but_readable() -> None:
    assert defang("点 http://icbc-verify.top/login") == "点 hxxp://icbc-verify[.]top/login"
    assert defang("www.icbc.com.cn") == "www[.]icbc[.]com[.]cn"
    assert defang("金额 3.00 元") == "金额 3.00 元"


# --- render ---------------------------------------------------------------------------------


@pytest.mark.parametrize("risk", list(RiskLevel))
def test_every_level_starts_with_its_fixed_headline(analyzer: Analyzer, risk: RiskLevel) -> None:
    verdict = dataclasses.replace(_verdict(analyzer, SCAM), risk=risk)
    assert render_verdict(verdict, analyzer.knowledge).splitlines()[0] == HEADLINES[risk]


def test_main_reply_is_short_escaped_and_masked(analyzer: Analyzer) -> None:
    text = SCAM + "，登录 http://icbc-verify.top/<script> 办理"
    verdict = _verdict(analyzer, text)
    rendered = render_verdict(verdict, analyzer.knowledge, origin=Origin("channel", "<b>假</b>"))
    assert visible_length(rendered) <= 600
    assert "<script>" not in rendered and "&lt;b&gt;假&lt;/b&gt;" in rendered
    assert "6222 0212 3456 7890 128" not in rendered
    assert "http://" not in rendered


def test_red_flags_show_each_quote_once(analyzer: Analyzer) -> None:
    verdict = _verdict(analyzer, "客服说要先交3000元解冻费才能放款，解冻费交了就能提现")
    quotes = [quote for quote, _ in red_flags(verdict) if quote]
    assert len(quotes) == len(set(quotes))


def test_model_probabilities_are_details_not_red_flags(analyzer: Analyzer) -> None:
    from classifier import Evidence, EvidenceKind

    verdict = _verdict(analyzer, "客服说要先交3000元解冻费才能放款")
    model = Evidence(EvidenceKind.MODEL, "model:encoder", "文本模型判断为诈骗的概率：99%", 0.99)
    with_model = dataclasses.replace(verdict, evidence=[model, *verdict.evidence])
    assert red_flags(with_model) == red_flags(verdict)
    assert "99%" not in render_verdict(with_model, analyzer.knowledge)


def test_a_warning_only_the_model_raised_says_so(analyzer: Analyzer) -> None:
    from classifier import Evidence, EvidenceKind

    # A genuine call written down, which the text model reads as a scam script: the rules
    # found no red flag of weight, so the reply says where the warning comes from.
    call = "对方：您好，这里是招商银行信用卡中心，您尾号6612的卡有一笔境外交易，已经拦截了。"
    calm = _verdict(analyzer, call)
    model = Evidence(EvidenceKind.MODEL, "model:encoder", "文本模型判断为诈骗的概率：99%", 0.99)
    flagged = dataclasses.replace(
        calm,
        risk=RiskLevel.MEDIUM,
        evidence=[model, *calm.evidence],
        components={**calm.components, "model": 0.99},
    )
    rendered = render_verdict(flagged, analyzer.knowledge, as_html=False)
    lines = rendered.splitlines()
    assert lines[lines.index("可疑之处：") + 1] == f"• {messages.MODEL_ONLY_FLAG}"
    # With a red flag of weight in the message, the red flags speak for themselves.
    scam = _verdict(analyzer, SCAM)
    with_model = dataclasses.replace(scam, evidence=[model, *scam.evidence])
    assert messages.MODEL_ONLY_FLAG not in render_verdict(with_model, analyzer.knowledge)


def test_a_calm_one_time_code_sms_gets_the_code_tip(analyzer: Analyzer) -> None:
    code_sms = "【中国银行】您的验证码是204981，用于手机银行登录，5分钟内有效。请勿泄露。"
    rendered = render_verdict(_verdict(analyzer, code_sms), analyzer.knowledge)
    assert rendered.splitlines()[-1] == CODE_TIP
    family = render_verdict(_verdict(analyzer, "妈，我今晚回家吃饭"), analyzer.knowledge)
    assert family.splitlines()[-1] == SAFE_TIP


def test_a_low_verdict_without_a_type_still_shows_a_real_red_flag(analyzer: Analyzer) -> None:
    notice = "【中国银行】您的账户在境外消费9,800.00元，如非本人操作，请致电4008-123-456。"
    verdict = _verdict(analyzer, notice)
    assert verdict.risk is RiskLevel.LOW and verdict.fraud_type_name is None
    rendered = render_verdict(verdict, analyzer.knowledge, as_html=False)
    assert "可疑之处：" in rendered and "不是它的官方号码" in rendered
    assert SAFE_TIP not in rendered


def test_payment_warning_is_shown_when_present(analyzer: Analyzer) -> None:
    from classifier.payments import PaymentRequest

    payment = PaymentRequest(
        situation="transfer", warning="对方要你转账 3000 元到个人账户。", already_paid=True
    )
    verdict = dataclasses.replace(_verdict(analyzer, SCAM), payment=payment)
    rendered = render_verdict(verdict, analyzer.knowledge)
    assert "💳 对方要你转账 3000 元到个人账户。" in rendered
    assert "紧急止付" in rendered


def test_budget_keeps_the_headline_type_and_reporting_line(analyzer: Analyzer) -> None:
    verdict = _verdict(analyzer, SCAM)
    rendered = render_verdict(verdict, analyzer.knowledge, budget=150)
    lines = rendered.splitlines()
    assert lines[0] == HEADLINES[RiskLevel.HIGH]
    assert any(line.startswith("类型") for line in lines)
    assert lines[-1].startswith("举报/求助")


def test_details_fit_even_with_many_indicators(analyzer: Analyzer) -> None:
    text = "；".join(f"联系1381234{n:04d}，转到6222021234567890128" for n in range(300))
    verdict = _verdict(analyzer, text)
    details = render_details(view_of_verdict(verdict), analyzer.knowledge)
    assert visible_length(details) <= 4096
    assert "6222021234567890128" not in details


# --- script ---------------------------------------------------------------------------------


def test_script_detection() -> None:
    assert prefers_traditional("您好，我是銀行客服，請轉帳") is True
    assert prefers_traditional("您好，我是银行客服，请转账") is False
    assert prefers_traditional("hello", "zh-hant") is True
    assert prefers_traditional("hello", "en") is False
    assert prefers_traditional("", None) is None
    assert localise("<b>高风险</b>", True) == "<b>高風險</b>"


# --- keyboards, paid, reporting ---------------------------------------------------------------


def test_callback_data_stays_within_64_bytes() -> None:
    markup = verdict_keyboard(2**62, warns=True)
    for row in markup.inline_keyboard:
        for button in row:
            assert len(str(button.callback_data).encode()) <= 64
    with pytest.raises(ValueError, match="too long"):
        data("x" * 70)


def test_paid_steps_are_ordered_and_name_the_bank(analyzer: Analyzer) -> None:
    indicators = [item.to_json() for item in _verdict(analyzer, SCAM).entities]
    bank = bank_in(indicators, analyzer.knowledge)
    assert bank is not None and bank.key == "icbc"
    text = render_paid(analyzer.knowledge, bank)
    numbered = [line for line in text.splitlines() if line[:2] in {"1.", "2.", "3.", "4.", "5."}]
    assert [line[0] for line in numbered] == ["1", "2", "3", "4", "5"]
    assert "110" in numbered[0] and "95588" in text and "二次诈骗" in text


def test_paid_bank_from_a_payment_request(analyzer: Analyzer) -> None:
    class Payment:
        bank = "中国建设银行"

    bank = bank_in([], analyzer.knowledge, payment=Payment())
    assert bank is not None and bank.key == "ccb"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("13812345678", "phone", "+8613812345678"),
        ("6222 0212 3456 7890 128", "bank_card", "6222021234567890128"),
        ("http://icbc-verify.top/login", "url", None),
        ("恭喜您中奖了，请先交手续费领取奖品", "message", "恭喜您中奖了，请先交手续费领取奖品"),
    ],
)
def test_what_is_reported(analyzer: Analyzer, text: str, kind: str, value: str | None) -> None:
    reported = what_is_reported(text, analyzer)
    assert reported.kind == kind
    if value is not None:
        assert reported.value == value


# --- stores, limits, bursts -------------------------------------------------------------------


def test_ttl_store_caps_and_expires() -> None:
    now = [0.0]
    store: TtlStore[str, int] = TtlStore(cap=2, ttl=10, clock=lambda: now[0])
    store.put("a", 1)
    store.put("b", 2)
    store.put("c", 3)
    assert store.get("a") is None and store.get("c") == 3
    now[0] = 11
    assert store.get("b") is None and len(store) == 0


def test_rate_limiter_refills_and_warns_once() -> None:
    now = [0.0]
    limiter = UserRateLimiter(2, 60, warn_every=30, clock=lambda: now[0])
    assert limiter.allow(1) and limiter.allow(1) and not limiter.allow(1)
    assert limiter.allow(2)  # another user is unaffected
    assert limiter.should_warn(1) and not limiter.should_warn(1)
    now[0] = 30
    assert limiter.allow(1) and not limiter.allow(1)


async def test_bursts_collect_until_quiet() -> None:
    bursts: BurstCollector[int] = BurstCollector(max_items=3)
    collecting = asyncio.create_task(bursts.collect(1, 1, 0.2))
    await asyncio.sleep(0.05)
    assert bursts.join(1, 2)
    assert not bursts.join(9, 2)  # no burst open for user 9
    assert await collecting == [1, 2]
    assert await bursts.collect(1, 5, 0) == [5]  # no window: at once


async def test_a_full_burst_closes_early() -> None:
    bursts: BurstCollector[int] = BurstCollector(max_items=2, max_wait=5)
    collecting = asyncio.create_task(bursts.collect(1, 1, 3.0))
    await asyncio.sleep(0.01)
    assert bursts.join(1, 2)
    assert not bursts.join(1, 3)  # full: the caller starts a new burst
    assert await asyncio.wait_for(collecting, 1) == [1, 2]


async def test_user_locks_serialise_one_user_only() -> None:
    locks = UserLocks()
    order: list[str] = []

    async def work(user: int, name: str, delay: float) -> None:
        async with locks.hold(user):
            order.append(f"{name}+")
            await asyncio.sleep(delay)
            order.append(f"{name}-")

    await asyncio.gather(work(1, "a", 0.05), work(1, "b", 0), work(2, "c", 0))
    assert order.index("a-") < order.index("b+")
    assert order.index("c+") < order.index("a-")
    assert len(locks) == 0


def test_submission_from_pieces_keeps_order_and_origin() -> None:
    pieces = [
        Piece(1, 1, text="第一条", hidden_urls=("http://a.cn/x",), origin=Origin("user", "张三")),
        Piece(2, 2, text="第二条", hidden_urls=("http://a.cn/x",)),
    ]
    submission = submission_from_pieces(pieces, image_text=["图里的字"], image_urls=["http://q.cn"])
    assert submission.text == "第一条\n第二条"
    assert submission.urls == ("http://a.cn/x", "http://q.cn")
    assert submission.forward_origin == "user:张三"
    assert submission.image_text == ("图里的字",)


def test_messages_are_valid_html() -> None:
    from bot.localapi import parse_html

    for name in dir(messages):
        value = getattr(messages, name)
        if isinstance(value, str) and name.isupper():
            parse_html(value.replace("{", "").replace("}", ""))
