"""Synthetic adverts and recruitment posts for training: scam lures and genuine offers.

Why: in the labelled data, loan and recruitment adverts are mostly *normal* rows (the FBS
"normal" class is largely advertising), and its fraud rows are long scripts or templated
phishing. So both learned components read any short advert as safe. The independent
held-out set (eval/independent.jsonl) showed it: "黑户白户均可下款，无视征信，秒批5万，加V",
"手机卡/银行卡闲置出租，一张卡一天200" and "征信修复…先付定金2000元" all got 0.00 from
the encoder.

Both classes are written from the same products, amounts and punctuation. What separates
them is what police notices name as the tell of a scam advert: money asked before anything
is delivered (工本费, 解冻金, 定金, 保证金), a promise no lender or employer makes (无视征信,
秒批, 日结300, 稳赚), a private contact instead of the company's own channel (加V, QQ,
TG, LINE), or what is for sale is illegal (renting out cards and accounts). A genuine
advert names the company's app, branch or national hotline and says nothing is charged
in advance.

Hand-written templates (this project's own text). The same seed gives the same texts.
"""

from __future__ import annotations

import random
from typing import Final

from classifier.model.data_labels import GAMBLING, INVESTMENT, LOAN, PORN, REBATE
from classifier.model.notifications import SyntheticText, official_hotlines
from knowledge import Knowledge

# Type labels for the type heads: the data's label (as in ../shared/data) where it has one,
# else the knowledge type key (learned only with the training option ``unseen_types``).
# (type label, template). Every template carries at least one tell of a scam advert.
_SCAM_ADS: Final = (
    (LOAN, "{loan_hook}，秒批{amount}万，{no_check}，{contact}"),
    (LOAN, "【急用钱】{no_check}，{loan_hook}，放款前只需交{fee}元{fee_name}，{contact}"),
    (
        LOAN,
        "{scam_bank}内部渠道，{no_check}，额度{amount}万，先交{fee}元{fee_name}当天到账，{contact}",
    ),
    (
        "two_cards_mule",
        "招聘：手机卡/银行卡闲置出租，一张卡一天{daily}元，只需配合刷脸，{student}，{contact}",
    ),
    (
        "two_cards_mule",
        "【兼职】收购闲置微信号、QQ号、实名手机卡，一个{daily}元，高价回收，当天结算，{contact}",
    ),
    ("two_cards_mule", "有银行卡不用的私聊，帮忙走个流水，每天{daily}，不违法，{contact}"),
    (
        "fake_credit_repair",
        "征信花了？逾期影响贷款买房？专业征信修复，内部渠道{days}个工作日消除逾期记录，先付定金{fee}元，{contact}",
    ),
    (
        REBATE,
        "【在家兼职】用手机给视频点赞关注，一单{unit}元，日结{daily}元，{student}，{contact}领取任务",
    ),
    (REBATE, "招募宝妈/学生：帮商家刷好评，垫付{fee}元返{fee_back}元，当天返款，{contact}"),
    (
        INVESTMENT,
        "【养老投资】国家支持养老产业，“{project}”项目认购{amount}万元，每月分红{monthly}元，三年返本，名额有限，{contact}",
    ),
    (INVESTMENT, "导师带单，{coin}合约稳赚不赔，日收益{percent}%，内部平台，{contact}进群"),
    (
        "fake_prize_subsidy",
        "恭喜您在“{event}”抽中一等奖：价值{prize}元的{item}一台，只需支付邮费及个人所得税{fee}元即可领取，{contact}",
    ),
    (
        "fake_shopping",
        "{star}演唱会内场票，原价{price}，现在{price_up}转，只收微信转账，不走平台，付完发电子票截图，{contact}",
    ),
    (PORN, "同城寂寞{girl}，视频聊天私密不卡，下载{app_url}注册就送会员，{contact}"),
    (GAMBLING, "专业导师带你玩{game}，稳赚不亏，充{fee}送{fee_back}，每天提现无上限，{contact}"),
)

_GENUINE_ADS: Final = (
    "【{bank}】{loan_product}，年化利率{rate}%起，额度最高{amount}万，按日计息，随借随还。"
    "打开{bank}App搜索“{loan_product}”申请，以实际审批为准，请理性借贷。退订回T",
    "【{bank}】尊敬的客户，您有一笔{loan_product}预授信额度{amount}万元，可登录{bank}手机银行查看。"
    "{bank}不会以任何名义收取放款前费用，客服热线{hotline}。",
    "【{company}】招聘{job}，{salary}，五险一金，双休。面试地址：{city}{address}，"
    "公司不收取任何费用，简历请投递HR邮箱hr@{domain}。",
    "{city}{company}门店招{job}，{salary}，包吃住，要求{requirement}，有意者直接到店面试，电话{landline}",
    "【大麦】{star}演唱会{city}站门票{date}开售，请在大麦App实名购票，一人一证，谨防黄牛与私下转让。",
    "【京东】{holiday}大促，家电满{threshold}减{discount}，以旧换新再补贴，打开京东App搜“{item}”。退订回T",
    "【{insurer}】您的车险将于{date}到期，可在{insurer}App一键续保，或致电{hotline}。",
    "【{fund}】{fund_product}第{quarter}季度报告已发布，过往业绩不代表未来表现，基金有风险，投资须谨慎。详见官网。",
    "{gym}开业特惠：年卡{price}元，前{count}名送私教课{lessons}节，地址{city}{address}，欢迎到店体验。",
    "【闲鱼】你关注的“{item}”降价了，现价{price}元，请在闲鱼App内沟通并通过平台担保交易。",
    "【{game_brand}】官方活动：{holiday}登录游戏即可领取限定皮肤，仅限游戏内领取，官方不会私下联系索要账号密码。",
    "社区通知：{holiday}期间社区卫生服务中心在小区门口开展免费义诊和养老政策咨询，不推销产品，不收取任何费用。",
    "{city}爱心家政：保洁{hourly}元/小时，{city}同城上门，签正规合同，服务后付款，预约电话{landline}",
    "【{bank}】{fund_product}正在发售，风险等级R{risk}，业绩比较基准{rate}%，不代表实际收益。"
    "详询{bank}网点或{hotline}，理财非存款，产品有风险，投资须谨慎。",
)

_SLOTS: Final[dict[str, tuple[str, ...]]] = {
    "loan_hook": ("黑户白户均可下款", "不看负债不查流水", "只要身份证就能贷", "大学生也能借"),
    "no_check": ("无视征信", "不查征信", "征信花了也能下", "逾期也能贷"),
    "fee_name": ("工本费", "解冻金", "保证金", "验资费", "会员费"),
    "student": ("学生优先", "宝妈学生都可以", "不限年龄", "在家就能做"),
    "project": ("康颐养老", "福寿康养", "夕阳红公寓", "银龄健康"),
    "coin": ("USDT", "比特币", "以太坊", "数字货币"),
    "event": ("健康养生大讲堂", "老年保健讲座", "店庆幸运抽奖", "粉丝回馈活动"),
    "item": ("按摩椅", "扫地机器人", "冰箱", "笔记本电脑"),
    "star": ("周杰伦", "五月天", "林俊杰", "张学友", "薛之谦"),
    "girl": ("美女", "小姐姐", "宝贝"),
    "game": ("百家乐", "时时彩", "体育竞猜", "六合彩"),
    "loan_product": ("闪电贷", "融e借", "快贷", "随心贷", "新一贷"),
    "scam_bank": ("招商银行", "工商银行", "建设银行", "农业银行", "某国有银行"),
    "job": ("快递员", "服务员", "仓库管理员", "门店店长", "客服专员"),
    "salary": ("月薪6000-9000元", "底薪4500加提成", "月薪8000元起", "时薪25元"),
    "requirement": ("18-45岁，身体健康", "有相关经验优先", "能吃苦耐劳"),
    "address": ("高新区科技路18号", "江汉路步行街32号", "天府大道中段666号", "中山路100号"),
    "city": ("杭州", "南京", "成都", "武汉", "长沙", "郑州", "西安"),
    "holiday": ("双十一", "618", "国庆", "春节", "中秋"),
    "fund": ("易方达基金", "华夏基金", "嘉实基金", "南方基金"),
    "fund_product": ("稳健增利债券", "沪深300指数", "安心理财30天", "中短债基金"),
    "gym": ("超级猩猩健身", "乐刻运动", "威尔士健身"),
    "game_brand": ("王者荣耀", "和平精英", "原神"),
}


def _contact(rng: random.Random) -> str:
    """A private contact, as scam adverts give one (never a company's own channel)."""
    handle = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(rng.randint(2, 4)))
    number = str(rng.randint(100, 99999))
    return rng.choice(
        (
            f"加V：{handle}{number}",
            f"微信：{handle}-{number}",
            f"QQ：{rng.randint(10**7, 10**10)}",
            f"TG @{handle}_{number}",
            f"飞机：@{handle}{number}",
            f"LINE ID：@{handle}{number}",
            f"详情点 http://{handle}{number}.vip",
            f"联系王经理微信{handle}{number}",
        )
    )


# Genuine senders with their national hotlines, so that a genuine advert never gives
# another organisation's number: banks are brand tokens of knowledge/official.yaml, which
# gives their hotlines; insurers are not in it.
_BANKS: Final = ("招商银行", "工商银行", "建设银行", "中国银行", "平安银行")
_EMPLOYERS: Final = (
    ("顺丰速运", "sf-express.com"),
    ("海底捞", "haidilao.com"),
    ("美团", "meituan.com"),
    ("永辉超市", "yonghui.com.cn"),
    ("德邦物流", "deppon.com"),
)
_INSURERS: Final = (("中国平安", "95511"), ("中国人保", "95518"), ("太平洋保险", "95500"))


def _fill(template: str, hotlines: dict[str, str], rng: random.Random) -> str:
    price = rng.choice([199, 680, 1280, 1880, 2999, 4999])
    fee = rng.choice([200, 380, 680, 1000, 2000, 3000])
    slots = {key: rng.choice(values) for key, values in _SLOTS.items()}
    slots |= {
        "contact": _contact(rng),
        "amount": str(rng.choice([3, 5, 10, 20, 30, 50])),
        "fee": str(fee),
        "fee_back": str(int(fee * rng.choice([1.2, 1.3, 1.5]))),
        "daily": str(rng.choice([80, 150, 200, 300, 500])),
        "unit": str(rng.choice([3, 5, 8, 30, 50])),
        "days": rng.choice(["3-7", "5-10", "7"]),
        "monthly": str(rng.choice([600, 800, 1200, 1500])),
        "percent": str(rng.choice([3, 5, 8, 10])),
        "prize": str(rng.choice([9800, 12800, 19800])),
        "price": str(price),
        "price_up": str(price + rng.choice([300, 500, 800])),
        "discount": str(rng.choice([100, 200, 300])),
        "threshold": str(rng.choice([1000, 2000, 3000, 5000])),
        "hourly": str(rng.choice([40, 45, 50, 60])),
        "rate": f"{rng.choice([2.8, 3.1, 3.45, 3.6, 4.2])}",
        **dict(zip(("company", "domain"), rng.choice(_EMPLOYERS), strict=True)),
        # A template names a bank or an insurer, never both.
        "bank": (bank := rng.choice(_BANKS)),
        "hotline": hotlines[bank],
        **(
            dict(zip(("insurer", "hotline"), rng.choice(_INSURERS), strict=True))
            if "{insurer}" in template
            else {}
        ),
        "landline": f"0{rng.randint(10, 99)}-{rng.randint(6000_0000, 8999_9999)}",
        "date": f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        "quarter": str(rng.randint(1, 4)),
        "count": str(rng.choice([50, 100, 200])),
        "lessons": str(rng.choice([2, 3, 5])),
        "risk": str(rng.randint(1, 3)),
        "app_url": f"http://{rng.choice(['lmsp', 'mmchat', 'yuehui'])}{rng.randint(1, 99)}.vip",
    }
    return template.format(**slots)


def synthetic_adverts(count: int, knowledge: Knowledge, rng: random.Random) -> list[SyntheticText]:
    """``count`` scam adverts and ``count`` genuine ones, alternating."""
    hotlines = official_hotlines(knowledge, _BANKS)
    result: list[SyntheticText] = []
    for index in range(2 * count):
        if index % 2:
            label, template = rng.choice(_SCAM_ADS)
            result.append(SyntheticText(_fill(template, hotlines, rng), True, label))
        else:
            genuine = _fill(rng.choice(_GENUINE_ADS), hotlines, rng)
            result.append(SyntheticText(genuine, False, None))
    return result
