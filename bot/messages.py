"""Every text the bot sends, in Simplified Chinese (HTML parse mode).

Keep user-facing words here, never inline in handlers, so volunteers can improve them and
Traditional answers can be derived in one place (bot/script.py).
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
    "⚠️ 如果已经转账，请<b>立即拨打 110 或 96110</b> 申请紧急止付，或发送 /paid 看详细步骤。\n"
    "\n"
    "🔒 隐私：我只保存检查结果和提取出的可疑号码、链接，不保存你的原文。"
    "发送 /privacy 查看详情，发送 /delete 删除你的数据。"
)

HELP = (
    "<b>怎么用</b>\n"
    "• 把可疑消息<b>转发</b>或<b>粘贴</b>给我，截图也可以，我会告诉你风险高低和该怎么做。\n"
    "• 一次转发好几条也可以，我会合在一起看，只回复一次。\n"
    "\n"
    "<b>命令</b>\n"
    "/paid 已经转账了：马上该做什么\n"
    "/report 举报骗子的电话、账号、链接或消息\n"
    "/privacy 我保存了什么，是否保存原文\n"
    "/delete 删除你的全部数据\n"
    "\n"
    "遇到诈骗请拨打 <b>110</b>；反诈劝阻咨询 <b>96110</b>；举报垃圾短信 <b>12321</b>；"
    "下载<b>国家反诈中心APP</b>。"
)

TOO_LONG = "这条消息太长了，我只检查了前面一部分。"

MEDIA_NOT_READ_YET = (
    "我暂时还看不懂图片、语音和文件。请把可疑消息的<b>文字</b>复制或转发给我；"
    "如果是二维码或截图，先别扫码、别付款。"
)

VOICE_NOT_READ = (
    "我听不懂语音，也看不了这种文件。请把可疑消息的<b>文字</b>复制或转发给我，截图也可以。"
)

EMPTY = "请把可疑的消息文字转发或粘贴给我。"

ERROR = "😥 抱歉，刚才出了点问题，你发的内容没有丢失，请稍后再试。参考编号：{reference}"

CHECK_FAILED = (
    "😥 抱歉，检查时出了点问题。你发的内容还在，点下面的“重试”再试一次。参考编号：{reference}"
)
RETRY_EXPIRED = "这次检查已经过期了，请把消息重新转发给我。"

RATE_LIMITED = "你发得太快了，请休息一分钟再发。为了让大家都能用上，每人每分钟最多检查 {rate} 条。"

CHECKING_LINKS = "🔎 正在检查链接…"
READING_IMAGES = "🔎 正在识别图片…"
CHECKING_AGAIN = "🔎 正在重新检查…"

ORIGIN = {
    "user": "来源：转发自“{name}”",
    "hidden_user": "来源：转发自“{name}”（对方隐藏了账号）",
    "chat": "来源：转发自群组“{name}”",
    "channel": "来源：转发自频道“{name}”",
}
ORIGIN_UNKNOWN = "来源：转发的消息"
BURST = "（把你一起发来的 {count} 条消息合在一起检查）"

# Images (OCR and QR codes).
IMAGE_FAILED = {
    "too_large": "图片太大了，我看不了。请截一张小一点的图，或把文字复制给我。",
    "not_an_image": "这种文件我看不了。请发普通的截图（JPG 或 PNG）。",
    "damaged": "这张图片打不开，可能没有发完整。请重新截图再发给我。",
    "no_text": "这张图片里我没找到文字或二维码。请把可疑的文字复制给我。",
    "timeout": "这张图片识别太久了。请截一张更清楚、更小的图再试。",
    "busy": "现在识别图片的人太多了，请过一会儿再发，或先把文字复制给我。",
}
IMAGE_FAILED_DEFAULT = "这张图片我没能识别。请把可疑的文字复制给我，或重新截图再发。"
IMAGES_UNAVAILABLE = "（图片暂时无法识别，只检查了文字部分）"
IMAGES_PARTLY = "（有 {count} 张图片没能识别，只检查了其余内容）"
PAYMENT_WARNING = "💳 {warning}"
# The reason shown when only the text model found the message suspicious: no red flag of
# the knowledge base matched, so there is nothing to quote from the message itself.
MODEL_ONLY_FLAG = (
    "整段话的说法很像常见的诈骗话术（文本模型的判断），但没找到具体的可疑要求。"
    "对方让你转账、给验证码或下载APP时，先挂断，自己打官方电话核实。"
)
ALREADY_PAID = "🆘 钱已经转出去了？马上打 110 或 96110 申请紧急止付，再点下面“我已经转账了”看步骤。"

# Buttons.
BUTTON_WHY = "❓ 为什么？"
BUTTON_PAID = "💸 我已经转账了"
BUTTON_ACCURATE = "👍 准确"
BUTTON_FALSE_POSITIVE = "👎 误报"
BUTTON_MISSED = "漏报"
BUTTON_CHOSEN = "✅ {label}"
BUTTON_RETRY = "🔄 重试"
FEEDBACK_THANKS = {
    "accurate": "谢谢你的反馈！",
    "false_positive": "谢谢！志愿者会复查这条误报。",
    "missed": "谢谢！志愿者会复查这条漏报。",
}
DETAILS_GONE = "这条检查的详细记录已经不在了，请把消息重新转发给我。"
NOT_YOURS = "这不是你的检查记录。"

# /paid
PAID_TITLE = "🆘 <b>已经转账了？别慌，马上按顺序做：</b>"
PAID_BANK = "消息里的收款卡属于{bank}，也可以拨打{bank}客服 <b>{phone}</b> 说明被骗。"
PAID_SECOND_SCAM = "（这叫“二次诈骗”：“解冻费”“追款费”“保证金”一分都别交。）"
PAID_RECORDED = "我们记下了这次被骗（不含你的个人信息），用来改进提醒。"

# /report
REPORT_ASK = (
    "🚩 <b>举报骗子</b>\n"
    "请把骗子的<b>电话号码、银行卡号、收款账号、链接</b>或<b>整条消息</b>发给我。\n"
    "发送 /cancel 取消。"
)
REPORT_WHAT = "你要举报的是：<b>{what}</b>\n请选择骗局类型（不清楚就选“不清楚”）："
REPORT_KIND = {
    "phone": "电话号码",
    "bank_card": "银行卡号",
    "payment_account": "收款账号",
    "domain": "网址",
    "url": "链接",
    "message": "一条消息",
}
REPORT_UNKNOWN_TYPE = "不清楚"
REPORT_DONE = (
    "✅ 已收到你的举报，编号 <b>R{reference}</b>。\n"
    "志愿者审核后会把它加入黑名单，提醒更多人。\n"
    "如果已经转账，请马上拨打 <b>110</b>，或发送 /paid 看怎么办。"
)
REPORT_EXPIRED = "这次举报已经过期了，请重新发送 /report。"
REPORT_EMPTY = "请把要举报的号码、账号、链接或消息文字发给我，或发送 /cancel 取消。"
CANCELLED = "好的，已取消。"
NOTHING_TO_CANCEL = "现在没有进行中的操作。"

# /privacy, /delete
PRIVACY = (
    "🔒 <b>我保存什么</b>\n"
    "每次检查，我只保存：\n"
    "• 内容的“指纹”（加盐哈希：只能看出是否重复，无法还原成文字）\n"
    "• 检查结果：风险高低、诈骗类型、触发了哪些规则\n"
    "• 消息里找到的可疑号码、账号、链接（已打码，用来识别骗子）\n"
    "• 你的 Telegram 用户编号、语言，以及你的反馈、举报和选择\n"
    "\n"
    "<b>不保存你的原文</b>，除非你同意用原文帮助改进识别。现在：<b>{consent}</b>\n"
    "你主动举报的号码、链接或消息会交给志愿者审核。不与任何第三方分享。\n"
    "发送 /delete 可以删除你的全部数据。"
)
CONSENT_ON = "保存原文（你已同意）"
CONSENT_OFF = "不保存原文"
BUTTON_CONSENT_ON = "✅ 同意保存原文，帮助改进"
BUTTON_CONSENT_OFF = "🚫 不再保存原文"
BUTTON_DELETE = "🗑 删除我的数据"
CONSENT_CHANGED_ON = "好的，以后会保存你发来的原文，只用于改进识别。随时可以关掉。"
CONSENT_CHANGED_OFF = "好的，以后不再保存你的原文。"
DELETE_CONFIRM = "⚠️ 确定要删除你的<b>全部数据</b>吗？包括检查记录、反馈和设置，删除后无法恢复。"
BUTTON_DELETE_YES = "确认删除"
BUTTON_DELETE_NO = "取消"
DELETED = (
    "✅ 已删除你的全部数据（{checks} 条检查记录）。你举报过的号码会留在黑名单里，但不再和你有关。"
)
DELETE_CANCELLED = "好的，没有删除任何数据。"

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用 / 介绍"),
    ("help", "使用说明"),
    ("paid", "已经转账了：马上该做什么"),
    ("report", "举报骗子的电话、账号、链接"),
    ("privacy", "我保存了什么"),
    ("delete", "删除我的全部数据"),
)
