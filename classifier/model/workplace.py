"""Synthetic workplace money talk for training: genuine requests against a boss's or a
colleague's impersonation.

Why: in the labelled data every message in which a 经理 or 老板 talks about paying money
is a 冒充领导 scam (the telecom file's 冒充领导熟人 class), and its normal rows hold no
office talk at all. So the encoder reads any expense claim, supplier payment or approval
request as a scam: on the independent held-out messages (eval/independent.jsonl) it gave
0.88-1.00 to "报销单已在OA上提交…麻烦审批", "货款已走对公转账，回单已上传" and "部门聚餐订两桌，
现场结账开发票".

Both classes are written from the same people, amounts, vendors and purposes. What
separates them is what police notices name as the tell of a boss impersonation: a new
number or WeChat, no phone call possible, urgency and secrecy, and money sent straight
to an account the message gives, outside the company's approval process. Genuine
requests go through that process (OA, 费控, 财务, 对公账户, 发票) or are paid in person.

Hand-written templates (this project's own text). The same seed gives the same texts.
"""

from __future__ import annotations

import random
from typing import Final

from classifier.model.data_labels import ACQUAINTANCE
from classifier.model.notifications import SyntheticText
from classifier.model.synthetic import alternating, personal_account

_GENUINE: Final = (
    "{boss}，上周去{city}出差的费用我整理好了，{ticket}{fare}元、酒店{hotel}元，发票都贴好了，"
    "在{system}提交了报销，麻烦您审批一下。",
    "{colleague}，{vendor}的{goods}款{amount}元已经按合同走对公转账了，电子回单上传到{system}，"
    "麻烦你复核一下。",
    "{boss}，{vendor}催{goods}尾款{amount}元，合同和发票都齐了，{system}审批已经走完，财务说{when}安排对公付款。",
    "（{meeting}记录）\n财务{junior}：本月还有{count}笔供应商付款没结，合计{amount}元。\n{boss}：合同都在吗？\n"
    "{junior}：在，发票也齐了，{when}提{system}。\n{boss}：行，按流程走，我审批完转给总监。",
    "{vendor_owner}，我们公司{when}部门聚餐，订{tables}桌，每桌标准{price}，到时候现场结账开发票，抬头和税号我晚点发你。",
    "各位同事，{month}的工资已于今天发放，个税明细可在{system}查询，有问题请联系人事{junior}。",
    "{boss}，客户展会的场地费{amount}元，我按流程在{system}提了付款申请，合同和发票都附上了，劳烦您审批。",
    "{colleague}，团建的费用一共{amount}元，我先垫付了，发票开的是公司抬头，已经交给财务报销了。",
    "{boss}，您让我订的{city}机票已经在差旅平台上订好了，公司统一结算，行程单发您邮箱了。",
    "{vendor_owner}，贵司{month}的{goods}款{amount}元我司已通过{bank}对公账户支付，附件为电子回单，请查收并开具发票。",
    "{colleague}，{boss}刚在会上说了，下季度的采购预算要重新走{system}审批，你把{vendor}的报价单整理一下。",
    "{junior}，你上个月的加班餐补{small}元已经随工资一起发了，工资条在{system}里能看到。",
)

_SCAM: Final = (
    "{colleague_short}，我是{boss_name}，这是我新微信，{busy}。有个客户急着要一笔钱，"
    "你先帮我转{amount}元到这个账户：{account}，回头我给你报销。",
    "我是{boss_name}，{busy}，{vendor}那边的{goods}款今天必须付，你直接转{amount}元到{account}，"
    "先别走审批了，{secret}。",
    "{colleague_short}，在吗？我{boss_name}，手机号换了，这个是新号。{busy}，你先从公司账上打{amount}元给"
    "一个合作方，账号我发你，{urgent}。",
    "财务{colleague_short}你好，{boss_name}让我加你，{busy_third}，交代今天下午之前给{vendor}转{amount}元定金，"
    "账户：{account}，{urgent}。",
    "（微信）{boss_name}：你现在方便吗？\n我：方便，{boss_title}您说。\n{boss_name}：{busy}，"
    "你先帮我垫付{amount}元给{vendor}，转到{account}，{secret}。",
    "{colleague_short}，我是{boss_name}，我在{city}开会，{busy}。你把QQ号发我，拉你进个群，"
    "群里有个{vendor}的人，按他说的转一下{goods}款。",
    "{boss_name}：{colleague_short}，{busy}，你先转{small}元到这个卡上{account}，{urgent}，明天上班我还你，{secret}。",
)

_SLOTS: Final[dict[str, tuple[str, ...]]] = {
    "boss": ("张经理", "王总", "李主任", "刘总监", "陈处长", "赵经理"),
    "boss_name": ("张总", "王总", "李主任", "刘总监", "陈局", "赵经理"),
    "boss_title": ("张总", "王总", "领导"),
    "colleague": ("王姐", "李哥", "刘工", "小陈", "张会计", "周老师"),
    "colleague_short": ("小王", "小李", "小刘", "小陈", "小周"),
    "junior": ("小陈", "小林", "小赵", "小孙"),
    "vendor": ("华晟包装", "鑫达钢材", "恒通物流", "博远展览", "金鼎印务", "新阳建材"),
    "vendor_owner": ("李老板", "王老板", "刘工", "陈总"),
    "goods": ("钢材", "包装材料", "物流费", "展台搭建", "印刷品", "建材"),
    "system": ("OA", "费控系统", "用友系统", "钉钉审批", "企业微信审批"),
    "city": ("上海", "深圳", "杭州", "北京", "成都", "武汉"),
    "ticket": ("高铁票", "机票", "火车票"),
    "meeting": ("周会", "部门例会", "财务例会"),
    "when": ("今天下午", "明天上午", "本周五", "下周一"),
    "month": ("5月", "6月", "7月", "上个月"),
    "bank": ("中国银行", "工商银行", "建设银行", "招商银行"),
    "busy": (
        "我在开会不方便接电话",
        "我在外地陪客户，电话不方便",
        "我这会儿在见领导，别打电话",
        "我手机在开会，只能微信",
    ),
    "busy_third": ("他在开会不方便接电话", "他在外地陪客户，电话不方便", "他正在见领导"),
    "secret": ("这事先别跟其他人说", "别跟财务那边提", "办完把聊天记录删了", "不要声张"),
    "urgent": ("马上办，很急", "半小时内一定要到账", "越快越好", "今天办不完要出问题"),
}


def _account(rng: random.Random) -> str:
    return personal_account(rng, ("农业银行", "建设银行", "工商银行"), "张李王刘陈")


def _fill(template: str, rng: random.Random) -> str:
    slots = {key: rng.choice(values) for key, values in _SLOTS.items()}
    amount = rng.choice([2316, 8600, 18000, 45000, 86400, 128000, 236500, 412000])
    slots |= {
        "amount": f"{amount:,}" if rng.random() < 0.5 else str(amount),
        "small": str(rng.choice([300, 800, 2000, 5000])),
        "fare": str(rng.choice([553, 1106, 1480, 2280])),
        "hotel": str(rng.choice([680, 1280, 1560])),
        "count": str(rng.randint(2, 5)),
        "tables": str(rng.randint(2, 4)),
        "price": str(rng.choice([888, 1288, 1688])),
        "account": _account(rng),
    }
    return template.format(**slots)


def synthetic_workplace(count: int, rng: random.Random) -> list[SyntheticText]:
    """``count`` genuine workplace money messages and ``count`` boss impersonations,
    alternating."""
    return alternating(count, rng, _GENUINE, _SCAM, _fill, ACQUAINTANCE)
