"""Payment requests: situation, amount, payee, bank and masked account; none in daily life."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import knowledge
from classifier import PaymentRequest, RiskLevel, Verdict, default_analyzer
from classifier.entities import EntityKind
from classifier.extract import extract
from classifier.normalize import normalize
from classifier.payments import payment_request
from knowledge import Knowledge, KnowledgeError, load_knowledge


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return default_analyzer().knowledge


def _request(text: str, kb: Knowledge) -> PaymentRequest | None:
    norm = normalize(text)
    return payment_request(norm, extract(norm, bank_bins=kb.bank_bins), kb)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "我是公安局民警，您涉嫌洗钱，请将资金转入国家安全账户配合调查，户名张建国，"
            "卡号6222021234567890128，中国工商银行。",
            {
                "situation": "safe_account",
                "payee": "张**",
                "bank": "中国工商银行",
                "account_masked": "6222 **** **** 0128",
                "amount": None,
            },
        ),
        (
            "您的贷款20万已审批，但卡号填写错误资金被冻结，需要先缴纳解冻费3000元，"
            "转到以下账户：户名李四，建设银行6217001234567890122",
            {
                "situation": "unfreeze_fee",
                "amount": "3000",
                "payee": "李*",
                "bank": "中国建设银行",
                "account_masked": "6217 **** **** 0122",
            },
        ),
        (
            "您的任务已完成，但提现失败，系统显示卡单，需要再充值5000元才能提现。",
            {"situation": "withdraw_recharge", "amount": "5000", "account_masked": None},
        ),
        (
            "恭喜您通过审核，放款前需要先交2000元保证金，到账后全额退还。",
            {"situation": "deposit", "amount": "2000"},
        ),
        (
            "请扫码付款 wxp://f2f0mXq7b2Lk9PzR4tV8sN1cYwE5hUaJ3dG6 ，退款马上到账",
            {
                "situation": "payment_code",
                "account_masked": "wxp://f2f0****3dG6",
                "account_kind": "payment_code",
            },
        ),
        (
            "请转账至以下账户：收款人王小明，招商银行 6214830212345671，金额8000元。",
            {
                "situation": "transfer_request",
                "amount": "8000",
                "payee": "王**",
                "bank": "招商银行",
                "account_masked": "6214 **** **** 5671",
                "account_kind": "bank_card",
            },
        ),
    ],
)
def test_each_situation(text: str, expected: dict[str, object], kb: Knowledge) -> None:
    payment = _request(text, kb)
    assert payment is not None
    for field, value in expected.items():
        assert getattr(payment, field) == value, field
    assert payment.warning and payment.reasons
    assert all(key in kb.advice for key in payment.advice)
    assert not payment.already_paid and payment.paid_steps == ()


@pytest.mark.parametrize(
    "text",
    [
        "妈，我到了，晚上一起吃饭",
        "【工商银行】您尾号1234的卡于11月25日14:02在美团支付消费128.50元，余额3,200.00元。",
        "【建设银行】您尾号5678的账户11月25日转账支出500.00元，手续费0.00元，余额2,000.00元。",
        "【招商银行】您的账户因长期未使用已冻结，如需解冻请本人携带身份证到网点办理。",
        "明天上午十点开会，记得带电脑。",
        "周末一起去爬山吗？我请客。",
    ],
)
def test_everyday_messages_ask_for_no_money(text: str, kb: Knowledge) -> None:
    assert _request(text, kb) is None


def test_already_paid_adds_the_stop_payment_steps(kb: Knowledge) -> None:
    payment = _request("他让我把钱转入安全账户，我已经转了5万，怎么办？", kb)
    assert payment is not None and payment.situation == "safe_account"
    assert payment.already_paid
    assert payment.paid_steps == kb.paid_steps


def test_the_first_matching_situation_wins(kb: Knowledge) -> None:
    payment = _request("请转账至安全账户，解冻费另付。", kb)
    assert payment is not None and payment.situation == "safe_account"


def test_reasons_never_show_a_full_account_number(kb: Knowledge) -> None:
    payment = _request("资金被冻结6222021234567890128需要转账解冻", kb)
    assert payment is not None
    assert not any("6222021234567890128" in reason for reason in payment.reasons)


def test_verdict_json_carries_the_payment() -> None:
    payment = PaymentRequest(
        situation="deposit", warning="别交。", amount="2000", reasons=("保证金",)
    )
    data = Verdict(RiskLevel.HIGH, 0.9, "fake_loan", payment=payment).to_json()
    assert data["payment"] == {
        "situation": "deposit",
        "warning": "别交。",
        "amount": "2000",
        "payee": None,
        "bank": None,
        "account": None,
        "account_kind": None,
        "reasons": ["保证金"],
        "advice": [],
        "already_paid": False,
        "paid_steps": [],
    }
    assert Verdict(RiskLevel.SAFE, 0.0, None).to_json()["payment"] is None


def test_shipped_situations(kb: Knowledge) -> None:
    keys = [situation.key for situation in kb.payment_situations]
    assert keys[0] == "safe_account"
    assert set(keys) >= {
        "safe_account",
        "unfreeze_fee",
        "deposit",
        "withdraw_recharge",
        "transfer_request",
        "payment_code",
    }
    kinds = {kind.value for kind in EntityKind}
    for situation in kb.payment_situations:
        assert set(situation.entities) <= kinds, situation.key
        assert situation.warning.endswith(("。", "！"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "knowledge"
    shipped = Path(knowledge.__file__).parent
    shutil.copytree(shipped, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    advice: [no_task_prepay,", "    advice: [no_such_advice,", "unknown advice key"),
        ("  - key: deposit\n", "  - key: safe_account\n", "'safe_account' is listed twice"),
        ("phrases: [提现失败,", "phrases: [提现 失败,", "must not contain spaces"),
        ("    warning: 平台说", "    warnin: 平台说", "unknown field"),
    ],
)
def test_broken_payments_file_names_file_and_line(
    root: Path, old: str, new: str, message: str
) -> None:
    path = root / "payments.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    assert caught.value.file == "knowledge/payments.yaml"
    assert message in caught.value.reason
    assert caught.value.line is not None and abs(caught.value.line - line) <= 1
