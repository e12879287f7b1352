"""Synthetic workplace money talk: genuine requests and boss impersonations."""

from __future__ import annotations

import random
import re

from classifier.model.workplace import synthetic_workplace

# What police notices name as the tells of a boss impersonation.
_NO_CALL = re.compile(r"不方便接电话|电话不方便|别打电话|只能微信|正在见领导|在外地陪客户")
_NEW_CONTACT = re.compile(r"新微信|新号|手机号换了|让我加你|拉你进个群")
_SECRET_OR_URGENT = re.compile(
    r"别跟|别告诉|删了|不要声张|先别走审批|马上办|很急|越快越好|要到账|要出问题"
)
_OWN_ACCOUNT = re.compile(r"62\d{17}|账号我发你|群里有个")
# What a genuine request goes through.
_PROCESS = re.compile(r"OA|费控|用友|钉钉|企业微信审批|对公|发票|财务|差旅平台|工资|人事")


def test_every_impersonation_shows_the_tells() -> None:
    for item in synthetic_workplace(300, random.Random(5)):
        if item.fraud:
            assert _NO_CALL.search(item.text) or _NEW_CONTACT.search(item.text), item.text
            assert _SECRET_OR_URGENT.search(item.text) or _OWN_ACCOUNT.search(item.text), item.text


def test_genuine_requests_go_through_the_process_and_show_no_tell() -> None:
    for item in synthetic_workplace(300, random.Random(7)):
        if not item.fraud:
            assert _PROCESS.search(item.text), item.text
            for tell in (_NO_CALL, _NEW_CONTACT, _SECRET_OR_URGENT, _OWN_ACCOUNT):
                assert not tell.search(item.text), item.text
