"""Synthetic adverts: scam lures and genuine offers from the same products."""

from __future__ import annotations

import random
import re

from classifier.model.adverts import synthetic_adverts
from knowledge import load_knowledge

KNOWLEDGE = load_knowledge()

# What police notices name as the tells of a scam advert.
_FEE = re.compile(r"先交|先付|只需交|只需支付|垫付|充\d+送")
_PROMISE = re.compile(
    r"无视征信|不查征信|征信花了也能下|逾期也能贷|黑户|稳赚|秒批|日结|日收益|返本"
)
_PRIVATE_CONTACT = re.compile(r"加V|微信|QQ|TG @|飞机|LINE ID|\.vip")
# Something illegal for sale, an app from a private link, or payment outside the platform.
_ILLEGAL = re.compile(r"出租|收购|走个流水|下载http|不走平台")


def test_as_many_genuine_as_scam_adverts_every_slot_filled() -> None:
    items = synthetic_adverts(80, KNOWLEDGE, random.Random(3))
    assert len(items) == 160 and sum(item.fraud for item in items) == 80
    for item in items:
        assert "{" not in item.text and "}" not in item.text, item.text


def test_every_scam_advert_shows_a_tell_and_a_private_contact() -> None:
    for item in synthetic_adverts(300, KNOWLEDGE, random.Random(5)):
        if item.fraud:
            assert _PRIVATE_CONTACT.search(item.text), item.text
            assert any(p.search(item.text) for p in (_FEE, _PROMISE, _ILLEGAL)), item.text


def test_no_genuine_advert_asks_for_money_first_or_gives_a_private_contact() -> None:
    for item in synthetic_adverts(300, KNOWLEDGE, random.Random(7)):
        if not item.fraud:
            assert not _FEE.search(item.text), item.text
            assert not _PROMISE.search(item.text), item.text
            assert not re.search(r"加V|QQ：|TG @|飞机|LINE ID|\.vip", item.text), item.text


def test_a_genuine_bank_advert_gives_that_banks_own_hotline() -> None:
    by_name = {
        token: org
        for org in KNOWLEDGE.organisations.values()
        for token in (org.name, *org.brand_tokens)
    }
    checked = 0
    for item in synthetic_adverts(300, KNOWLEDGE, random.Random(9)):
        match = re.search(r"95\d{3}", item.text)
        sender = re.match(r"【(.+?银行)】", item.text)
        if item.fraud or not match or not sender:
            continue
        organisation = by_name.get(sender[1]) or by_name[f"中国{sender[1]}"]
        assert match[0] in organisation.phones, item.text
        checked += 1
    assert checked


def test_scam_adverts_carry_a_data_label_or_else_a_knowledge_type_key() -> None:
    items = synthetic_adverts(300, KNOWLEDGE, random.Random(11))
    assert {item.type_label for item in items if not item.fraud} == {None}
    labels = {str(item.type_label) for item in items if item.fraud}
    data_labels = {label for label in labels if label not in KNOWLEDGE.fraud_types}
    for label in data_labels:
        assert KNOWLEDGE.type_for_dataset_label(label)
    # Card renting, credit repair, prizes and tickets: types the data has no label for.
    assert labels - data_labels >= {"two_cards_mule", "fake_credit_repair", "fake_prize_subsidy"}
    assert not (labels - data_labels) & KNOWLEDGE.dataset_types
