"""Synthetic service notifications for training: one-time codes, account and transaction
alerts, parcel and bill notices, genuine and fake, written in the same voice.

Why: the labelled data has almost no genuine notifications. 验证码 occurs in about 300 of
its rows, nearly all fraud (fake-base-station phishing, generated refund and police
scripts), so both learned components read "验证码 / 动态密码 / 手机银行" as fraud and called a
bank's real one-time-code SMS high risk (encoder 0.99), although it is one of the messages
residents forward most. Both classes are generated from the same senders, numbers and
punctuation, so that the sender tag and the style say nothing; what separates them is what a
real notice never does: send you to a link to log in or "upgrade", ask you to pass the code
on, charge a fee, or move you to a QQ / WeChat "agent".

Hand-written templates (this project's own text): no library generates Chinese service
notifications. The sender names and hotlines come from knowledge/official.yaml, so an edit
there changes what a retrain sees (the same file and seed give the same texts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from classifier.model.data_labels import BANK_PHISHING, LOAN, PLATFORM_PHISHING, REFUND
from knowledge import Knowledge

# Sender groups: which templates fit which kind of organisation in knowledge/official.yaml.
_BANK, _COURIER, _SERVICE, _GOV = "bank", "courier", "service", "government"
_GROUPS: Final = {
    "bank": _BANK,
    "courier": _COURIER,
    "payment": _SERVICE,
    "platform": _SERVICE,
    "telecom": _SERVICE,
    "transport": _SERVICE,
}
_ANY_SERVICE: Final = frozenset({_COURIER, _SERVICE})
# Public-service senders (医保, 社保, tax, traffic, housing fund) with their national service
# numbers; official.yaml lists the national bodies, but these notices come from city offices.
PUBLIC_SERVICE_SENDERS: Final = (
    ("武汉医保", "ybj", "12393"),
    ("杭州人社", "rsj", "12333"),
    ("国家税务总局", "etax", "12366"),
    ("交管12123", "12123", "12123"),
    ("南京住房公积金", "gjj", "12329"),
    ("成都医保", "ybj", "12393"),
)

# Genuine notices: (sender groups, template). {org}: the sender; {hotline}: its official number.
_GENUINE: Final = (
    (
        {_BANK},
        "【{org}】您的验证码为{code}，您正在进行{action}，{minutes}分钟内有效，请勿泄露给他人。"
        "如非本人操作，请致电{hotline}。",
    ),
    (
        {_BANK},
        "【{org}】验证码：{code}。您正在{action}，切勿将验证码告知任何人，包括自称银行工作人员的人。",
    ),
    (
        {_BANK},
        "【{org}】{code}（动态密码），用于{action}，{minutes}分钟内有效。工作人员不会向您索取，请勿泄露。",
    ),
    (
        {_BANK},
        "【{org}】您正在进行{action}，手机动态密码{code}，密码序号{seq}，请勿泄露，谨防诈骗。",
    ),
    (
        {_BANK},
        "{code}是您本次{action}的短信验证码，{minutes}分钟内有效。如非本人操作请忽略。【{org}】",
    ),
    (
        {_BANK},
        "【{org}】尊敬的客户，您本次{action}的校验码为{code}，有效期{minutes}分钟。"
        "为保障资金安全，请勿向任何人提供。",
    ),
    (
        {_BANK},
        "【{org}】您尾号{tail}的{card}于{date}{time}{movement}人民币{amount}元，余额{balance}元。",
    ),
    (
        {_BANK},
        "【{org}】您尾号{tail}的信用卡本期账单{amount}元，最低还款额{small}元，到期还款日{date}。"
        "可通过手机银行还款，详询{hotline}。",
    ),
    (
        {_BANK},
        "【{org}】您的账户于{date}{time}在新设备登录手机银行，如非本人操作，请立即致电{hotline}。",
    ),
    ({_BANK}, "【{org}】您已成功向{name}转账{amount}元，手续费0.00元。如有疑问请拨打{hotline}。"),
    (
        {_BANK},
        "【{org}】您尾号{tail}的借记卡将于{date}到期，请携带身份证到任一网点办理换卡，详询{hotline}。",
    ),
    (
        _ANY_SERVICE,
        "【{org}】验证码{code}，用于{service_action}，{minutes}分钟内有效。泄露有风险，请勿转发。",
    ),
    (
        _ANY_SERVICE,
        "【{org}】您的验证码是{code}，请在页面中输入完成验证。如非本人操作，请忽略本短信。",
    ),
    (
        {_COURIER},
        "【{org}】您的包裹已到{place}驿站，取件码{code}，请于今天{time}前取件，如有疑问联系{hotline}。",
    ),
    (
        {_COURIER},
        "【{org}】您的快件{waybill}正在派送中，快递员{name}，电话{mobile}，请保持电话畅通。",
    ),
    ({_COURIER}, "【{org}】您购买的商品已发货，运单号{waybill}，可在APP订单详情中查看物流。"),
    (
        {_SERVICE},
        "【{org}】尊敬的客户，您{month}月账单{amount}元，账户余额{balance}元，详情可登录官方APP查询。",
    ),
    ({_SERVICE}, "【{org}】您已成功支付{amount}元，交易单号{waybill}，如有疑问请拨打{hotline}。"),
    ({_SERVICE}, "【{org}】您的退款{amount}元已原路退回，预计1至3个工作日到账，请注意查收。"),
    (
        {_SERVICE},
        "【{org}】您的账号于{date}{time}在新设备登录，如非本人操作，请及时在APP内修改密码。",
    ),
    (
        {_GOV},
        "【{org}】您的医保电子凭证已激活，可在定点医药机构扫码结算，个人账户余额请在国家医保服务平台APP查询。",
    ),
    ({_GOV}, "【{org}】您的社会保障卡已制卡完成，请于{date}后携带本人身份证到银行网点领取并激活。"),
    (
        {_GOV},
        "【{org}】个人所得税综合所得年度汇算将于6月30日截止，请通过个人所得税APP办理，咨询{hotline}。",
    ),
    (
        {_GOV},
        "【{org}】您的车辆于{date}有交通违法行为未处理，请通过交管12123APP或到交警大队处理。",
    ),
    (
        {_GOV},
        "【{org}】您{month}月住房公积金已缴存{amount}元，账户余额{balance}元，详询{hotline}。",
    ),
    ({_GOV}, "【{org}】您的退税{amount}元已办理完成，将退至您尾号{tail}的银行账户，请注意查收。"),
)
# Fake notices in the same voice: (sender groups, template, data label).
_FAKE: Final = (
    (
        {_BANK},
        "【{org}】您的{device}将于今日过期，请登录{url}进行升级，逾期将影响正常使用。",
        BANK_PHISHING,
    ),
    (
        {_BANK},
        "【{org}】尊敬的客户，您的积分{points}可兑换现金{amount}元，今日到期清零，请登录{url}兑换。",
        BANK_PHISHING,
    ),
    (
        {_BANK},
        "【{org}】您的账户存在异常交易已被冻结，请点击{url}完成身份验证解冻，逾期将注销账户。",
        BANK_PHISHING,
    ),
    (
        {_BANK},
        "【{org}】您的信用卡额度可提升至{amount}元，请回复卡号、有效期和收到的验证码即可办理。",
        BANK_PHISHING,
    ),
    (
        {_BANK, _SERVICE},
        "【{org}】您的验证码为{code}。我是{org}客服专员，为给您办理退款，请把收到的验证码发给我。",
        REFUND,
    ),
    (
        {_BANK, _SERVICE},
        "【{org}】您尾号{tail}的账户将于今日扣除会员年费{small}元，如需取消请联系客服{mobile}，"
        "否则每年自动扣费。",
        REFUND,
    ),
    (
        {_BANK},
        "【{org}】您的贷款{amount}元已审批通过，因银行卡号填写错误资金被冻结，"
        "请缴纳解冻费{small}元后放款。",
        LOAN,
    ),
    (
        {_COURIER},
        "【{org}】您的包裹因地址不详无法派送，请在{url}重新填写地址并支付{small}元补运费。",
        PLATFORM_PHISHING,
    ),
    (
        {_COURIER},
        "【{org}】您的快件在运输中丢失，我司将赔付{amount}元，请添加理赔专员QQ{qq}，"
        "并按提示开通备用金账户。",
        REFUND,
    ),
    (
        {_SERVICE},
        "【{org}】尊敬的用户，您的积分即将清零，可兑换{amount}元现金红包，请登录{url}填写银行卡信息领取。",
        PLATFORM_PHISHING,
    ),
    (
        _ANY_SERVICE,
        "【{org}】您的验证码是{code}。您的订单退款异常，客服需要核实身份，请把验证码告诉客服人员。",
        REFUND,
    ),
    (
        {_SERVICE},
        "【{org}】您开通的百万保障服务即将扣费{small}元/月，如非本人操作请立即致电{mobile}关闭。",
        REFUND,
    ),
    (
        {_SERVICE},
        "【{org}】您的账号存在违规行为将被冻结，请在24小时内登录{url}进行实名认证。",
        PLATFORM_PHISHING,
    ),
    (
        {_GOV},
        "【{org}】您有一笔医保退费{amount}元待领取，请点击{url}认证领取，逾期自动作废。",
        PLATFORM_PHISHING,
    ),
    (
        {_GOV},
        "【{org}】根据最新补贴政策，您可申请补贴{amount}元，请于3日内登录{url}填写银行卡信息办理。",
        PLATFORM_PHISHING,
    ),
    (
        {_GOV},
        "【{org}】您的车辆违章未处理，罚款200元，逾期加收滞纳金，请访问{url}缴纳。",
        PLATFORM_PHISHING,
    ),
    (
        {_GOV},
        "【{org}】您的ETC认证已失效，将无法正常通行高速，请登录{url}更新信息。",
        PLATFORM_PHISHING,
    ),
)

_ACTIONS: Final = (
    "手机银行登录",
    "网上银行转账",
    "绑定新设备",
    "修改登录密码",
    "快捷支付签约",
    "信用卡激活",
    "大额转账确认",
    "身份核实",
    "重置支付密码",
)
_SERVICE_ACTIONS: Final = ("登录", "注册账号", "找回密码", "绑定银行卡", "修改手机号", "实名认证")
_CARDS: Final = ("储蓄卡", "借记卡", "信用卡", "账户")
_MOVEMENTS: Final = ("消费支出", "转账支出", "工资收入", "转账存入", "ATM取款", "快捷支付扣款")
_DEVICES: Final = ("电子密码器", "手机盾", "U盾", "网银证书", "电子令牌")
_NAMES: Final = ("张伟", "王芳", "李强", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")
_PLACES: Final = ("东门", "南苑小区", "幸福里", "学府路", "阳光花园", "人民路")
_URL_WORDS: Final = ("vip", "jf", "kf", "yz", "safe", "gx", "auth", "sh")
_URL_ENDS: Final = ("cn", "com", "top", "vip", "xyz", "cc")


@dataclass(frozen=True)
class SyntheticText:
    """One synthetic training message (a notification here, talk about scams in
    scam_talk.py): its text, class and data label (None for genuine ones)."""

    text: str
    fraud: bool
    type_label: str | None


def _slots(rng: random.Random, org: str, hotline: str, brand: str) -> dict[str, str]:
    amount = rng.choice([rng.randint(1, 999), rng.randint(1000, 50000)])
    return {
        "org": org,
        "hotline": hotline,
        "code": str(
            rng.randint(100_000, 999_999) if rng.random() < 0.8 else rng.randint(1000, 9999)
        ),
        "minutes": str(rng.choice([2, 5, 5, 10, 15, 30])),
        "seq": str(rng.randint(1, 99)),
        "tail": f"{rng.randint(0, 9999):04d}",
        "date": f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        "time": f"{rng.randint(0, 23)}:{rng.randint(0, 59):02d}",
        "month": str(rng.randint(1, 12)),
        "amount": f"{amount:,}.{rng.randint(0, 99):02d}",
        "balance": f"{rng.randint(0, 99999):,}.{rng.randint(0, 99):02d}",
        "small": str(rng.choice([19.9, 50, 99, 200, 500, 1000, 2000])),
        "points": str(rng.randint(2000, 90000)),
        "waybill": str(rng.randint(10**11, 10**13)),
        "mobile": f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}",
        "qq": str(rng.randint(10**7, 10**10)),
        "url": f"{brand}-{rng.choice(_URL_WORDS)}{rng.randint(1, 99)}.{rng.choice(_URL_ENDS)}",
        "name": rng.choice(_NAMES),
        "place": rng.choice(_PLACES),
        "action": rng.choice(_ACTIONS),
        "service_action": rng.choice(_SERVICE_ACTIONS),
        "card": rng.choice(_CARDS),
        "movement": rng.choice(_MOVEMENTS),
        "device": rng.choice(_DEVICES),
    }


def official_hotlines(knowledge: Knowledge, brands: tuple[str, ...]) -> dict[str, str]:
    """The national hotline of each brand (a brand token in knowledge/official.yaml, e.g.
    工商银行 → 95588), so that a synthetic genuine message never gives a wrong number."""
    phones = {
        token: org.phones[0]
        for org in knowledge.organisations.values()
        if org.phones
        for token in org.brand_tokens
    }
    return {brand: phones[brand] for brand in brands}


def synthetic_notifications(
    count: int, knowledge: Knowledge, rng: random.Random
) -> list[SyntheticText]:
    """``count`` genuine and ``count`` fake notifications, from the banks (half of them) and
    the couriers, payment, platform, telecom and transport services of the knowledge base
    and public-service offices (the other half)."""
    senders: dict[str, list[tuple[str, str, str]]] = {
        _BANK: [],
        _COURIER: [],
        _SERVICE: [],
        _GOV: list(PUBLIC_SERVICE_SENDERS),
    }
    for org in knowledge.organisations.values():
        group = _GROUPS.get(org.kind)
        if group and org.phones:
            brand = next((token for token in org.brand_tokens if token.isascii()), "service")
            senders[group].append((org.name.split("（")[0], brand, org.phones[0]))
    result: list[SyntheticText] = []
    for index in range(2 * count):
        fraud = index % 2 == 1
        group = _BANK if (index // 2) % 2 == 0 else rng.choice([_COURIER, _SERVICE, _GOV])
        name, brand, hotline = rng.choice(senders[group])
        slots = _slots(rng, name, hotline, brand)
        if fraud:
            template, label = rng.choice([(t, lab) for groups, t, lab in _FAKE if group in groups])
            result.append(SyntheticText(template.format(**slots), True, label))
        else:
            template = rng.choice([t for groups, t in _GENUINE if group in groups])
            result.append(SyntheticText(template.format(**slots), False, None))
    return result
