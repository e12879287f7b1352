"""Synthetic family and friends' money talk: genuine messages and impersonations."""

from __future__ import annotations

import random
import re

from classifier.model.family import synthetic_family

# What police notices name as the tells of a relative's or a friend's impersonation.
_NEW_CONTACT = re.compile(r"新号|新微信|新的|借同学的号|信号不好")
_NO_CALL = re.compile(r"不方便打电话|说不了话|不能接电话|只能打字|别给我打电话|别打电话|联系不上")
_PRESSURE = re.compile(r"别告诉|别跟|别声张|删了|别打电话问|很急|马上转|越快越好|必须到账|上门来取")
_THIRD_PARTY_OR_CODE = re.compile(r"62\d{17}|验证码|上门来取")
# What genuine money talk offers instead: the relative's own channel, a call, a meeting.
_VERIFIABLE = re.compile(
    r"打视频|打电话|当面|陪你|收款|查一下|转你微信|收据|发票|截图|核实|收款码|视频|合同|常用的号码"
)


def test_every_impersonation_shows_the_tells() -> None:
    for item in synthetic_family(300, random.Random(5)):
        if item.fraud:
            assert _NEW_CONTACT.search(item.text) or _NO_CALL.search(item.text), item.text
            assert _PRESSURE.search(item.text), item.text
            assert _THIRD_PARTY_OR_CODE.search(item.text), item.text


def test_genuine_messages_can_be_checked_and_name_no_outside_account() -> None:
    for item in synthetic_family(300, random.Random(7)):
        if not item.fraud:
            assert _VERIFIABLE.search(item.text), item.text
            for tell in (_PRESSURE, _THIRD_PARTY_OR_CODE):
                assert not tell.search(item.text), item.text
