"""The knowledge base shipped in the repository loads and is complete."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

import knowledge
from knowledge import Knowledge, KnowledgeError, ScamCheckError, load_knowledge

# Every `type` label of the training data (shared/data/README.md).
DATASET_LABELS = (
    "钓鱼短信-冒充银行",
    "网络赌博",
    "其他诈骗",
    "办假证/代开发票",
    "虚假投资理财",
    "色情服务引流",
    "刷单返利",
    "钓鱼短信-冒充运营商/平台",
    "虚假贷款",
    "冒充客服退款",
    "冒充领导熟人",
    "冒充公检法",
)

REQUIRED_TYPES = (
    "task_rebate",
    "fake_investment",
    "fake_loan",
    "fake_customer_service",
    "impersonate_police",
    "impersonate_acquaintance",
    "game_trade",
    "romance_pig_butchering",
    "fake_credit_repair",
    "impersonate_military",
    "fake_shopping",
    "two_cards_mule",
    "offline_cash_handover",
    "review_brushing",
    "fake_prize_subsidy",
    "sextortion",
    "phishing_bank",
    "phishing_platform",
    "gambling",
    "fake_documents",
    "porn_lure",
    "other",
)

PAID_STEPS = (
    "paid_call_110_96110",
    "paid_call_bank",
    "paid_keep_evidence",
    "paid_no_recovery_fees",
    "paid_report_app",
)


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


def test_public_api() -> None:
    for name in knowledge.__all__:
        assert hasattr(knowledge, name), name
    assert issubclass(KnowledgeError, ScamCheckError)


def test_required_types_exist(kb: Knowledge) -> None:
    assert set(REQUIRED_TYPES) <= set(kb.fraud_types)
    for key, fraud_type in kb.fraud_types.items():
        assert fraud_type.key == key


@pytest.mark.parametrize("label", DATASET_LABELS)
def test_every_dataset_label_maps_to_one_type(kb: Knowledge, label: str) -> None:
    key = kb.type_for_dataset_label(label)
    owners = [t.key for t in kb.fraud_types.values() if label in t.dataset_types]
    assert owners == [key]


def test_dataset_label_mapping(kb: Knowledge) -> None:
    assert kb.type_for_dataset_label("其他诈骗") == "other"
    assert kb.type_for_dataset_label("冒充公检法") == "impersonate_police"
    with pytest.raises(KeyError):
        kb.type_for_dataset_label("正常")


def test_every_type_has_flags_advice_and_steps(kb: Knowledge) -> None:
    for fraud_type in kb.fraud_types.values():
        assert fraud_type.red_flags, fraud_type.key
        assert fraud_type.advice, fraud_type.key
        assert all(key in kb.advice for key in fraud_type.advice)
        assert 2 <= len(fraud_type.what_to_do) <= 5


def test_crime_warnings(kb: Knowledge) -> None:
    assert kb.fraud_types["two_cards_mule"].is_crime_warning
    assert not kb.fraud_types["fake_loan"].is_crime_warning


def test_ids_are_unique_and_resolvable(kb: Knowledge) -> None:
    ids = [flag.id for flag in kb.red_flags] + list(kb.benign_flags)
    ids += [combo.id for combo in kb.combos]
    assert len(ids) == len(set(ids))
    for flag in kb.red_flags:
        assert kb.flag(flag.id) is flag
    for fraud_type in kb.fraud_types.values():
        for flag in fraud_type.red_flags:
            assert kb.flag_types(flag.id) == (fraud_type.key,)
    assert "impersonate_police" in kb.flag_types("common.safe_account")
    assert kb.flag_types("common.urgency") == ()  # generic: supports no type by itself
    assert kb.flag("common.safe_account").weight > 0.7
    assert kb.flag("benign.do_not_share").weight < 0
    assert kb.flag_types("task_rebate.brushing_job") == ("task_rebate",)
    with pytest.raises(KeyError):
        kb.flag("nope.nothing")


def test_combos_reference_positive_flags(kb: Knowledge) -> None:
    positive = {flag.id for flag in kb.red_flags}
    for combo in kb.combos:
        assert set(combo.all) <= positive, combo.id


def test_every_flag_regex_compiles(kb: Knowledge) -> None:
    for flag in (*kb.red_flags, *kb.benign_flags.values()):
        if flag.regex is not None:
            re.compile(flag.regex)


def test_paid_steps_are_ordered(kb: Knowledge) -> None:
    assert kb.paid_steps == PAID_STEPS


def test_reporting_channels(kb: Knowledge) -> None:
    contacts = " ".join(c.contact for c in kb.reporting_channels.values())
    for number in ("110", "96110", "12321", "12381"):
        assert number in contacts
    assert "国家反诈中心" in " ".join(c.name for c in kb.reporting_channels.values())
    assert "不接受举报" in kb.reporting_channels["warning_sms_12381"].contact


def test_official_data(kb: Knowledge) -> None:
    icbc = kb.organisations["icbc"]
    assert icbc.kind == "bank"
    assert "icbc.com.cn" in icbc.domains
    assert icbc.stop_payment_phone == "95588"
    assert kb.organisations["unionpay"].phones == ("95516",)
    for prefix, org in kb.bank_bins.items():
        assert kb.organisations[org].kind == "bank", prefix
    assert kb.bank_bins["622848"] == "abc"
    assert "t.cn" in kb.shorteners
    assert "docs.qq.com" in kb.abused_hosts
    assert ".apk" in kb.download_suffixes


def test_data_is_read_only(kb: Knowledge) -> None:
    with pytest.raises(TypeError):
        kb.fraud_types["x"] = kb.fraud_types["other"]  # type: ignore[index]
    with pytest.raises(ValidationError):
        kb.fraud_types["other"].name = "x"  # type: ignore[misc]
