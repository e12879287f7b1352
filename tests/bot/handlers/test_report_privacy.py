"""End to end: /report with a type and a reference; /privacy, consent, /delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage import queries
from bot.storage.models import CommunityReport, ContentCheck

USER_ID = 501


async def _report(chat: Any, value: str, type_label: str) -> Any:
    chat.api.send_text(USER_ID, "/report")
    ask = await chat.next()
    assert "电话号码" in ask.text and "/cancel" in ask.text
    chat.api.send_text(USER_ID, value)
    types = await chat.next()
    assert "请选择骗局类型" in types.text
    button = next(b for b in types.flat_buttons if b.text == type_label)
    assert len(button.callback_data.encode()) <= 64
    chat.api.press_button(USER_ID, types, data=button.callback_data)
    done = await chat.next()
    assert done.kind == "edited"
    return types, done


async def test_report_a_phone_number_with_a_type(chat: Any) -> None:
    types, done = await _report(chat, "13812345678", "冒充公检法")
    assert "电话号码 138****5678" in types.text  # shown masked
    assert "不清楚" in [b.text for b in types.flat_buttons]
    async with chat.db() as session:
        [report] = await queries.pending_reports(session=session)
    assert (report.kind, report.value) == ("phone", "+8613812345678")
    assert report.fraud_type == "impersonate_police"
    assert report.reporter_id == USER_ID
    assert f"R{report.id}" in done.text  # the reference number


async def test_report_a_message_and_unknown_type(chat: Any) -> None:
    text = "恭喜您获得本年度幸运大奖，请先缴纳手续费领取"
    _, done = await _report(chat, text, "不清楚")
    async with chat.db() as session:
        [report] = await queries.pending_reports(session=session)
    assert report.kind == "message" and report.value == text and report.fraud_type is None
    assert "已收到你的举报" in done.text


async def test_report_with_the_value_after_the_command(chat: Any) -> None:
    chat.api.send_text(USER_ID, "/report 6222 0212 3456 7890 128")
    types = await chat.next()
    assert "银行卡号 6222 **** **** 0128" in types.text
    chat.api.press_button(USER_ID, types, index=0)
    await chat.next()
    async with chat.db() as session:
        [report] = await queries.pending_reports(session=session)
    assert (report.kind, report.value) == ("bank_card", "6222021234567890128")


async def test_cancel_a_report_then_messages_are_checked_again(chat: Any) -> None:
    chat.api.send_text(USER_ID, "/report")
    await chat.next()
    chat.api.send_text(USER_ID, "/cancel")
    assert (await chat.next()).text == "好的，已取消。"
    chat.api.send_text(USER_ID, "妈，我到家了")
    assert (await chat.verdict()).text.startswith("🟢")


async def test_privacy_says_what_is_stored_and_consent_keeps_text(chat: Any) -> None:
    chat.api.send_text(USER_ID, "/privacy")
    privacy = await chat.next()
    for words in ("哈希", "风险高低", "已打码", "不保存你的原文", "/delete", "现在：不保存原文"):
        assert words in privacy.text
    chat.api.press_button(USER_ID, privacy, data="consent:1")
    edited = await chat.next()
    assert "现在：保存原文（你已同意）" in edited.text
    assert "不再保存原文" in edited.flat_buttons[0].text
    chat.api.send_text(USER_ID, "我是你领导，明天来我办公室一趟")
    await chat.verdict()
    chat.api.press_button(USER_ID, edited, data="consent:0")
    await chat.next()
    chat.api.send_text(USER_ID, "我是你领导，今天先转五千")
    await chat.verdict()
    async with chat.db() as session:
        rows = await session.scalars(select(ContentCheck).order_by(ContentCheck.id))
        texts = [row.raw_text for row in rows]
        events = await queries.audit_events(session=session)
    assert texts == ["我是你领导，明天来我办公室一趟", None]
    assert [event.action for event in events][:2] == ["consent_store_text"] * 2


async def test_delete_after_confirmation_erases_everything(chat: Any) -> None:
    chat.api.send_text(USER_ID, "我是你领导，急需转账")
    await chat.verdict()
    await _report(chat, "13812345678", "不清楚")
    chat.api.send_text(USER_ID, "/delete")
    confirm = await chat.next()
    assert "全部数据" in confirm.text
    assert [b.text for b in confirm.flat_buttons] == ["确认删除", "取消"]
    chat.api.press_button(USER_ID, confirm, data="del:yes")
    done = await chat.next()
    assert done.kind == "edited" and "已删除" in done.text and "1 条" in done.text
    async with chat.db() as session:
        assert await queries.get_user(session=session, user_id=USER_ID) is None
        assert list(await session.scalars(select(ContentCheck))) == []
        [report] = list(await session.scalars(select(CommunityReport)))
    assert report.reporter_id is None  # the report stays for the blocklist, anonymous


async def test_delete_can_be_cancelled(chat: Any) -> None:
    chat.api.send_text(USER_ID, "我是你领导，急需转账")
    await chat.verdict()
    chat.api.send_text(USER_ID, "/privacy")
    privacy = await chat.next()
    chat.api.press_button(USER_ID, privacy, data="del:ask")
    confirm = await chat.next()
    chat.api.press_button(USER_ID, confirm, data="del:no")
    assert "没有删除" in (await chat.next()).text
    async with chat.db() as session:
        assert len(list(await session.scalars(select(ContentCheck)))) == 1


async def test_help_and_menu_list_the_new_commands(chat: Any) -> None:
    chat.api.send_text(USER_ID, "/help")
    help_text = (await chat.next()).text
    for command in ("/paid", "/report", "/privacy", "/delete"):
        assert command in help_text
    [call] = [c for c in chat.api.sent if c.method == "setMyCommands"]
    names = {item["command"] for item in call.params["commands"]}
    assert {"paid", "report", "privacy", "delete"} <= names
