"""Synthetic dissuasion and risk-control calls for training: a bank or the police calling to
stop a scam under way, against scammers who use the same voice to start one.

Why: police now call people a scam is reaching (预警劝阻, the 96110 line), and banks call
or text when a transfer to a new account looks like fraud. People forward these calls'
notes and transcripts to family groups. They name everything a scam names (公检法, 安全账户,
屏幕共享, a large transfer, a new account), and in the labelled data every text that does
is a scam: the encoder gave 0.97-1.00 to eight such genuine transcripts of the independent
parts `holdout40` and `holdout41` (docs/EVALUATION.md).

Both classes are written from the same callers, cards, amounts and stories. What separates
them is what police notices name: a genuine call asks whether you made the transfer, tells
you to stop, hang up or come to a branch, and asks for nothing; a scam in the same voice
asks you to move money to a "safe account", read out a code, install an app or share your
screen, and to keep the call secret.

Hand-written templates (this project's own text). The same seed gives the same texts.
"""

from __future__ import annotations

import random
from typing import Final

from classifier.model.data_labels import BANK_PHISHING, POLICE
from classifier.model.notifications import SyntheticText
from classifier.model.synthetic import alternating, personal_account

_GENUINE: Final = (
    "【{bank}风险核查来电 录音整理】\n客服：您好，这里是{bank}{hotline}客服中心，"
    "您尾号{tail}的卡刚刚向一个新添加的账户转账{amount}，"
    "系统提示有风险，已暂缓处理。请问是您本人操作的吗？\n{client}：是我转的，{victim_reason}。"
    "\n客服：{client_title}，{genuine_warning}我们不会向您索要密码或验证码，建议您先挂断对方电话，"
    "{genuine_step}。",
    "（{bank}来电）您好，我是{bank}风险监控中心，您尾号{tail}的卡刚才有一笔{amount}的转账被系统暂时拦截，"
    "请问是您本人操作吗？……不是本人的话，请不要向任何人透露验证码，{genuine_step}。",
    "【96110劝阻来电 录音整理】\n民警：您好，这里是{city}公安局反诈中心，来电号码96110。"
    "我们监测到您刚才接听了一个境外来电，"
    "请问对方有没有让您{scam_ask}？\n{client}：有，{victim_reason}。\n民警：{genuine_warning}请您马上挂断，"
    "公安机关不会在电话里办案，也不会让您转账，有疑问请到就近派出所。",
    "（来电96110）您好，我们是{city}公安局反诈中心，监测到您刚接了一个疑似诈骗电话，对方是不是让您{scam_ask}？"
    "……没有是吧，那就好。这类电话一般冒充{fake_identity}，您直接挂断，我们不会向您要银行卡号、密码和验证码。",
    "【银行网点柜台对话 整理】\n柜员：{client_title}，"
    "您今天要{counter_action}{amount}，方便说一下用途吗？"
    "\n{client}：{victim_reason}。\n柜员：{client_title}，{genuine_warning}我们已经联系了派出所，"
    "民警马上过来跟您聊，钱先不转了。",
    "【社区民警上门 录音整理】\n民警：{client_title}您好，我是辖区派出所的民警，这是我的警官证。"
    "系统显示您昨天接了一个自称{fake_identity}的电话，他们是不是让您{scam_ask}？\n{client}："
    "{victim_reason}。\n民警：{genuine_warning}您千万别转，钱在您自己卡里最安全。",
    "【{bank}】您尾号{tail}的账户今日向新收款人转账{amount}已被暂缓，如非本人操作或对方自称{fake_identity}，"
    "请立即停止转账，并拨打本行客服{hotline}或到网点核实。本行不会以任何理由要求您转账至“安全账户”。",
    "{relative}转给家人群：刚才{bank}打电话来，说我卡上有一笔{amount}的转账被拦了，问是不是我本人。"
    "我说是对方{victim_reason_short}，银行的人说那是骗子，让我挂了去网点。大家接到这种电话都先停一停。",
)

_SCAM: Final = (
    "【{bank}风险核查来电 录音整理】\n客服：您好，这里是{bank}{hotline}客服中心，"
    "您尾号{tail}的卡被检测到{risk}，"
    "已被冻结。\n{client}：那怎么办？\n客服：{client_title}别急，{scam_step}，{secret}。",
    "（{bank}来电）您好，我是{bank}风险监控中心，您尾号{tail}的卡刚才有一笔{amount}的转账被系统拦截，"
    "为保障资金安全，{scam_step}，{secret}。",
    "【96110来电】您好，这里是{city}公安局反诈中心，来电号码96110。我们监测到您的账户涉嫌{crime}，"
    "现在需要您配合资金核查：{scam_step}，{secret}。",
    "（来电）您好，我们是{city}公安局反诈中心，您的身份证被人冒用开了账户，涉嫌{crime}。为证明清白，"
    "{scam_step}，核查完全额退还，{secret}。",
    "【{bank}】您尾号{tail}的账户存在{risk}，已被临时冻结。请立即{sms_step}，逾期将永久冻结。",
    "{client_title}，我是{city}公安局的民警，您昨天接的那个电话是骗子，您的钱已经被盯上了。现在{scam_step}，"
    "我们帮您保护起来，{secret}。",
    "（电话）{client_title}您好，我是{bank}柜台的工作人员，您卡上的{amount}存在风险，需要您{counter_scam}，"
    "一会儿有工作人员上门协助，{secret}。",
)

# Each bank with its own customer-service number, as a genuine call gives it.
_BANKS: Final = (
    ("中国建设银行", "95533"),
    ("招商银行", "95555"),
    ("中国工商银行", "95588"),
    ("农业银行", "95599"),
    ("交通银行", "95559"),
    ("邮储银行", "95580"),
)
# The one called, as the transcript names them and as the caller addresses them.
_CLIENTS: Final = (
    ("陈先生", "陈先生"),
    ("刘女士", "刘女士"),
    ("阿姨", "阿姨"),
    ("王大爷", "大爷"),
    ("周先生", "周先生"),
)
_AMOUNTS: Final = ("8万元", "18万元", "49,800元", "3万元", "12万元", "6,800元")

_SLOTS: Final[dict[str, tuple[str, ...]]] = {
    "city": ("常州市", "深圳市", "杭州市", "成都市", "郑州市", "佛山市"),
    "relative": ("爸", "妈", "大姨", "二舅"),
    "victim_reason": (
        "对方说是证监会的，说我股票账户异常，要验资",
        "他说我买的东西有质量问题，要给我理赔",
        "一个投资老师让我入金",
        "他说他是检察院的，我涉嫌洗钱，让我不能告诉别人",
        "对方说我的学生账户要注销，不然影响征信",
        "网上认识的朋友说带我做项目",
    ),
    "victim_reason_short": ("证监会的", "检察院的", "客服", "投资老师"),
    "genuine_warning": (
        "这是诈骗，您千万别转。",
        "最近冒充公检法的诈骗很多，公安机关没有安全账户。",
        "保证收益、让您转到个人账户的都是诈骗。",
        "让您开视频会议、共享屏幕的都是骗子。",
    ),
    "genuine_step": (
        "自己拨打卡背面的客服电话核实",
        "带身份证到就近网点办理",
        "如有疑问打96110咨询",
        "有事到网点柜台来，我们当面帮您处理",
    ),
    "scam_ask": ("下载什么APP", "转账", "开屏幕共享", "把钱转到安全账户", "报验证码"),
    "fake_identity": ("公检法", "客服", "银行工作人员", "证监会"),
    "counter_action": ("取现金", "转出", "汇款"),
    "risk": ("异常交易", "涉嫌洗钱", "被境外盗刷", "资金异常"),
    "crime": ("洗钱", "非法集资", "电信诈骗"),
    "scam_step": (
        "请您把卡里的钱先转到我们的安全账户{account}",
        "请您把收到的验证码报给我，我帮您解冻",
        "请您下载“{app}”开启屏幕共享，我们远程帮您操作",
        "请您把资金转到国家清查账户{account}",
    ),
    "sms_step": (
        "点击 {link} 验证身份解除冻结",
        "登录 {link} 填写卡号和验证码",
    ),
    "counter_scam": ("把钱取成现金", "把钱转到新开的账户里"),
    "secret": (
        "此事涉及保密，不要告诉家人",
        "通话期间不要挂断，也不要跟银行柜员说",
        "不要告诉任何人，否则影响案件侦办",
    ),
    "app": ("云会议", "安全盾", "金融助手"),
}


def _fill(template: str, rng: random.Random) -> str:
    slots = {key: rng.choice(values) for key, values in _SLOTS.items()}
    account = personal_account(rng, ("建设银行", "工商银行"), "张李王刘")
    link = (
        f"{rng.choice(('icbc', 'ccb', 'cmb', 'abc'))}-{rng.choice(('safe', 'kyc', 'verify'))}.top"
    )
    slots["scam_step"] = slots["scam_step"].format(account=account, app=slots["app"])
    slots["sms_step"] = slots["sms_step"].format(link=link)
    bank, hotline = rng.choice(_BANKS)
    client, client_title = rng.choice(_CLIENTS)
    slots |= {
        "client": client,
        "client_title": client_title,
        "bank": bank,
        "hotline": hotline,
        "tail": f"{rng.randint(0, 9999):04d}",
        "amount": rng.choice(_AMOUNTS),
    }
    return template.format(**slots)


def synthetic_dissuasion(count: int, rng: random.Random) -> list[SyntheticText]:
    """``count`` genuine dissuasion and risk-control calls and notes, and ``count`` scams in
    the same voices, alternating; the scams labelled as a fake police officer or a fake
    bank after the voice."""
    return alternating(count, rng, _GENUINE, _SCAM, _fill, _label)


def _label(template: str) -> str:
    """The data label of a scam in a police officer's voice or a bank's."""
    return POLICE if "公安局" in template else BANK_PHISHING
