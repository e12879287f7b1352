"""Every text the bot sends, in Simplified Chinese (HTML parse mode).

Keep user-facing words here, never inline in handlers, so volunteers can improve them and
Traditional answers can be derived in one place.
"""

from __future__ import annotations

WELCOME = (
    "👋 你好，我是<b>反诈助手</b>。\n"
    "\n"
    "收到可疑的短信、聊天记录、链接、截图或收款码？<b>直接转发给我</b>，我会在一两秒内告诉你：\n"
    "• 风险高低（🔴 高 / 🟠 中 / 🟡 低 / 🟢 暂未发现明显诈骗特征）\n"
    "• 像哪一类骗局，以及消息里的可疑之处\n"
    "• 现在该怎么做，去哪里举报（110、96110、12321、国家反诈中心APP）\n"
    "\n"
    "⚠️ 如果已经转账，请<b>立即拨打 110 或 96110</b> 申请紧急止付。\n"
    "\n"
    "🔒 隐私：我只保存检查结果和提取出的可疑号码、链接，不保存你的原文。"
    "你的数据可以随时要求删除。"
)

HELP = (
    "<b>怎么用</b>\n"
    "• 把可疑消息<b>转发</b>或<b>粘贴</b>给我，我会告诉你风险高低和该怎么做。\n"
    "• 已经转账了？马上拨打 <b>110</b> 或 <b>96110</b>，申请紧急止付。\n"
    "\n"
    "遇到诈骗请拨打 <b>110</b>；反诈劝阻咨询 <b>96110</b>；举报垃圾短信 <b>12321</b>；"
    "下载<b>国家反诈中心APP</b>。"
)

TOO_LONG = "这条消息太长了，我只检查了前面一部分。"

MEDIA_NOT_READ_YET = (
    "我暂时还看不懂图片、语音和文件。请把可疑消息的<b>文字</b>复制或转发给我；"
    "如果是二维码或截图，先别扫码、别付款。"
)

EMPTY = "请把可疑的消息文字转发或粘贴给我。"

ERROR = "😥 抱歉，刚才出了点问题，你发的内容没有丢失，请稍后再试。参考编号：{reference}"

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用 / 介绍"),
    ("help", "使用说明"),
)
