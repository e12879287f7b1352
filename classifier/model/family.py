"""Synthetic family and friends' money talk for training: genuine requests, gifts and
repayments against a relative's or a friend's impersonation.

Why: in the labelled data every message in which a son, a daughter or an old friend talks
about money is a 冒充熟人 scam (the telecom file's 冒充领导熟人 class), and the normal
chat rows hold almost no money at all. So the learned components read ordinary family
money as a scam: on the independent messages (eval/independent.jsonl) the encoder gave
0.96-1.00 to "妈，我微信给你转了2000，这个月的生活费", "闺女，我刚给你建行卡转了3000" and a
son's new number that he offers to call from. Tried once before (2026-12-03) and judged
then by the validation split's F1 at its own threshold, which moves by several rows with
the threshold alone (docs/MODEL_CARD.md, "Cross-validated fusion").

Both classes are written from the same relatives, amounts and purposes. What separates
them is what police notices name as the tells of an impersonation: a new number or
account that cannot be called back or seen on video, an emergency (an accident, an
arrest, a hospital deposit), secrecy from the rest of the family, and money sent to a
third party's account the message gives (a "teacher", a "doctor", a "friend"). Genuine
talk sends money to the relative's own known account, offers a call, a video or a
meeting, and pays institutions through their own channels.

Hand-written templates (this project's own text). The same seed gives the same texts.
"""

from __future__ import annotations

import random
from typing import Final

from classifier.model.data_labels import ACQUAINTANCE
from classifier.model.notifications import SyntheticText
from classifier.model.synthetic import alternating, personal_account

_GENUINE: Final = (
    "{parent}，我微信给你转了{small}，这个月的生活费，你点一下收款，24小时不点会退回来的。",
    "{child_name}，你{other_parent}说你{need}不够，我刚给你{bank}卡转了{small}，你查一下，缺钱直接说。",
    "{parent}，我这个月{need}差一点，工资{payday}才发，能不能先借我{small}？发了就还你，晚上我给你打视频。",
    "{parent}，我换手机号了，新号是{phone}，旧号下个月停。我等会儿用新号给你打电话，你听听是我，以后存这个号。",
    "{sibling}，{event}那边要先付定金{small}，我钱都压在装修上了，你能不能先帮我垫一下？合同我发你看，"
    "周末回家当面跟你说。",
    "{parent}，你要给我的{purpose}，直接去银行柜台转我{bank}卡就行，柜员问用途照实说，我下午请假陪你一起去。",
    "{sibling}，上次你帮我垫的{small}我转你微信了，收一下，谢啦。",
    "{child_name}，你{grandparent}{hospital_thing}的钱我已经在医院收费窗口交了，发票在我这儿，你别操心，周末回来看看。",
    "{friend}，上周吃饭AA，每人{tiny}，我在群里发了收款码，你有空扫一下就行，不急。",
    "{friend}，能不能先借我{tiny}？生活费周五才到，周五一定还你，你不放心我过来当面找你拿，我就在隔壁宿舍。",
    "{parent}，{fee_paid}帮{child_relation}交了，{small}元，截图发家庭群了，你们不用再交。",
    "{parent}，你别再给那个自称{fake_relative}的人转钱了，我刚给老家{relative}打电话核实过，根本没这个人，"
    "你把他号码发我，我来处理。",
    "（家庭群）\n{parent_label}：{child_self}，房租交了吗？\n{child_self}：交了，{landlord}那边转的老账户，收据拍给你们了。\n"
    "{parent_label}：好，钱不够跟家里说。",
    "{parent}，以后要是有人打电话说我出事了要钱，或者用我的声音、视频借钱，都先挂了，直接打我常用的号码确认。",
    "{sibling}，{grandparent}生日红包我发群里了，每人{tiny}，{other_parent}说晚上一起视频吃蛋糕。",
)

_SCAM: Final = (
    "{parent}，是我，{new_contact}，{cannot_talk}。{emergency}，急需{amount}，你先转到{third_party}的卡上：{account}，"
    "{secret}。",
    "{parent}，我{emergency_self}，{cannot_talk}，你先别问了，把{amount}转到这个账户{account}，{urgent}，{secret}。",
    "{relative_voice}：{parent}，{new_contact}。{emergency}，对方说今天不交{amount}就{threat}，你先打给{third_party}，"
    "账号{account}，{secret}。",
    "（微信）\n{child_self}：{parent}，在吗？{new_contact}。\n{parent_label}：在，怎么了？\n{child_self}：{cannot_talk}，"
    "{emergency}，你先帮我转{amount}给{third_party}，账号{account}，{urgent}。",
    "{friend}，在吗？{new_contact}，{cannot_talk}。我这边{friend_emergency}，你先借我{amount}，直接转到{account}，"
    "{urgent}，明天就还你。",
    "{parent}，我是{child_self}的{third_party}，{child_self}{emergency_third}，手机摔坏了联系不上，"
    "要先交{amount}，你转到我卡上{account}，{secret}。",
    "{parent}，我视频信号不好，{cannot_talk}。{emergency}，你把{amount}转到{account}，{urgent}，千万别跟家里其他人说。",
    "{sibling}，是我，{new_contact}，{cannot_talk}。{friend_emergency}，你先转{amount}到{third_party}的账户{account}，"
    "{secret}，回头跟你解释。",
    "{parent}，我，{child_self}，{new_contact}。{emergency}，你手机上收到个验证码，把它发我一下，{urgent}。",
    "{grandparent_call}，我是你{grandson}啊，听不出来了？{emergency}，{cannot_talk}，你先准备{amount}现金，"
    "一会儿有个{third_party}上门来取，{secret}。",
)

_SLOTS: Final[dict[str, tuple[str, ...]]] = {
    "parent": ("妈", "爸", "老妈", "老爸"),
    "parent_label": ("妈", "爸"),
    "other_parent": ("爸", "妈"),
    "child_name": ("闺女", "儿子", "小宇", "婷婷", "阿杰"),
    "child_self": ("小宇", "婷婷", "阿杰", "晓明", "佳佳"),
    "child_relation": ("孩子", "闺女", "儿子"),
    "sibling": ("哥", "姐", "弟", "老妹"),
    "grandparent": ("奶奶", "外婆", "姥姥", "爷爷"),
    "grandparent_call": ("奶奶", "外婆", "姥姥", "爷爷"),
    "grandson": ("孙子", "外孙", "大孙子"),
    "relative": ("二叔", "大姨", "舅舅", "三姑"),
    "fake_relative": ("表叔", "远房侄子", "老同学"),
    "relative_voice": ("（电话）", "（语音转文字）", "（短信）"),
    "friend": ("老同学", "兄弟", "室友", "姐妹", "老张"),
    "landlord": ("房东", "中介"),
    "need": ("房租", "生活费", "押金", "学费"),
    "payday": ("下周", "15号", "月底"),
    "event": ("婚庆公司", "装修队", "驾校"),
    "purpose": ("装修款", "首付", "彩礼钱"),
    "hospital_thing": ("住院", "做检查", "配药"),
    "fee_paid": (
        "学费我在学校缴费平台上",
        "补考费我在交管12123上",
        "医保我在支付宝的医保缴费里",
        "校服费我在学校公众号上",
    ),
    "bank": ("工行", "建行", "农行", "招行"),
    "new_contact": (
        "这是我新号",
        "我手机丢了，这是借同学的号",
        "我换了个新微信",
        "原来的QQ被盗了，这是新的",
    ),
    "cannot_talk": (
        "现在不方便打电话",
        "嗓子发炎说不了话",
        "在派出所里不能接电话",
        "这边信号不好只能打字",
        "别给我打电话",
    ),
    "emergency": (
        "我骑车把人撞了，人在医院",
        "我跟人打架被派出所扣了，要交保证金",
        "我在外面出了车祸，医院要先交押金",
        "我考试作弊被抓了，要交罚款才能不记档案",
        "我同学出事了需要钱周转",
    ),
    "emergency_self": ("在医院", "被扣在派出所", "出车祸了", "在外地钱包被偷了"),
    "emergency_third": ("在学校突发急病住院了", "打架把人打伤了", "出车祸了"),
    "friend_emergency": ("家里老人突然住院", "车在高速上出了事故", "被人讹上了要私了"),
    "third_party": ("医院的李主任", "派出所的王警官", "辅导员", "对方律师", "我同学", "快递员"),
    "threat": ("拘留", "起诉", "不给做手术", "通知学校"),
    "secret": (
        "千万别告诉爸",
        "别跟家里其他人说",
        "先别声张",
        "转完把聊天记录删了",
        "别打电话问",
    ),
    "urgent": ("很急，半小时内要到", "马上转", "越快越好", "今天必须到账"),
}


def _account(rng: random.Random) -> str:
    return personal_account(rng, ("农业银行", "建设银行", "邮储银行", "工商银行"), "张李王刘陈赵")


def _phone(rng: random.Random) -> str:
    digits = rng.choice(("138", "139", "150", "186", "177")) + "".join(
        str(rng.randint(0, 9)) for _ in range(8)
    )
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}" if rng.random() < 0.5 else digits


def _amount(rng: random.Random) -> str:
    """A sum as people write it: 8000元, 8000块 or 2万."""
    amount = rng.choice([3000, 5000, 8000, 12000, 20000, 30000, 50000])
    if amount % 10000 == 0 and rng.random() < 0.5:
        return f"{amount // 10000}万"
    return f"{amount}{rng.choice(('元', '块'))}"


def _fill(template: str, rng: random.Random) -> str:
    slots = {key: rng.choice(values) for key, values in _SLOTS.items()}
    slots |= {
        "amount": _amount(rng),
        "small": str(rng.choice([500, 800, 1500, 2000, 3000, 5000])),
        "tiny": str(rng.choice([46, 86, 120, 200, 300])),
        "account": _account(rng),
        "phone": _phone(rng),
    }
    return template.format(**slots)


def synthetic_family(count: int, rng: random.Random) -> list[SyntheticText]:
    """``count`` genuine family and friends' money messages and ``count`` impersonations
    of a relative or a friend, alternating."""
    return alternating(count, rng, _GENUINE, _SCAM, _fill, ACQUAINTANCE)
