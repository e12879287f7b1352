"""Synthetic transcripts of everyday service calls for training: a courier, a hospital, a
teacher, an insurer, an airline, a bank or a broker calling about something real, against
scammers who open the same calls and then ask for money, a code or a screen.

Why: people write down calls ("对方：……\\n我：……") and forward them to ask whether they were
scams. Among the labelled messages the components learn from, nearly every transcript in
that form is a scam (300 scams and 5 everyday calls in the independent parts read by 2026-12-05),
and the data's telecom scams are call scripts too, so the form itself became evidence: the
shipped model flagged all 19 genuine calls written that way in `holdout42` and `holdout43`
(a courier's cash-on-delivery call, a hospital's discharge refund, a teacher, a broker's
account check; docs/EVALUATION.md, "Everyday calls written down"). Trained with 400 of each
(fifteenth session), the model kept 4 of them flagged but caught fewer scams elsewhere, so
the option is off in configs/train.toml.

Both classes open with the same callers, amounts and reasons; what separates them is what
police notices name: a genuine caller tells you something, or sends you to the counter, the
official app or the number on your card, and asks for nothing; a scam in the same voice asks
you to pay a fee or move money to a personal or "safe" account, to read out a code, to
install an app or share your screen, or to keep the call secret. A scammer may reassure
first ("我们不会要您的密码"), and a genuine caller often does not, so neither kind of sentence
decides alone.

Hand-written templates (this project's own text). The same seed gives the same texts.
"""

from __future__ import annotations

import random
from typing import Final

from classifier.model.data_labels import (
    ACQUAINTANCE,
    BANK_PHISHING,
    INVESTMENT,
    LOAN,
    POLICE,
    REFUND,
)
from classifier.model.notifications import SyntheticText
from classifier.model.synthetic import alternating, personal_account

_GENUINE: Final = (
    "{a}：你好，是{surname}女士吗？我是{courier}的快递员，你有个到付件，运费{small}块，你现在在家吗？\n"
    "{b}：在的，应该是老家寄的东西，放门口就行\n"
    "{a}：到付件得当面付了才能签收，我五分钟到你楼下，扫我工牌上的码或者给现金都行\n{b}：好，我下楼等你",
    "{a}：您好，是{surname}先生吗？{courier}的，您的快递放{locker}了，取件码{code}，今天记得取。\n"
    "{b}：好的，谢谢\n{a}：不客气，超过48小时会收费，您早点拿。",
    "{a}：你好，我是{station}派出所的民警，姓{surname}。你上午报警说钱包丢了，有群众捡到送过来了，"
    "身份证和银行卡都在。\n{b}：太好了！我去哪里拿？\n{a}：直接来所里一楼值班室，报你的名字和接警单号就行，"
    "来了当面核对。\n{b}：好的，下午就去，谢谢你们！",
    "{a}：您好，是{patient}的家属吗？这里是{hospital}住院部，病人明天可以出院了，住院押金还剩{medium}，"
    "会原路退回到您缴费的那张卡上。\n{b}：要带什么去办？\n"
    "{a}：带上押金条和医保卡，到门诊楼一楼出院结算窗口就行，人工或者自助机都可以。",
    "{a}：您好，我是{insurer}的查勘员小{surname}，您昨天报的那起剐蹭，定损结果出来了，维修费{medium}，"
    "我们直接跟修理厂结算。\n{b}：需要我先垫付吗？\n"
    "{a}：不需要，提车的时候在结算单上签字就行，进度在{insurer}APP上能看，或者打{insurer_hotline}查。",
    "{a}：您好，这里是{airline}客服，您预订的{flight}航班因天气原因取消了，我们已经为您办理了全额退票，"
    "票款{medium}原路退回，大约7个工作日到账。\n{b}：需要我提供银行卡吗？\n"
    "{a}：不需要，您在{airline}APP的订单里就能看到退款进度。",
    "{a}：您好，我们是{utility}，您家的燃气表下周二要做年度安全检查，上午九点到十二点，家里有人吗？\n"
    "{b}：要收费吗？\n{a}：安检是免费的，工作人员会穿工作服、带工作证，您可以打{utility_hotline}核实。",
    "{a}：您好，这里是{bank}信用卡中心，您尾号{tail}的卡昨晚有一笔境外消费{foreign}，请问是您本人操作吗？\n"
    "{b}：不是啊，我没出国\n{a}：好的，这张卡已经临时冻结了。您挂断后可以拨打卡背面的{hotline}核实，"
    "再到网点申请换卡，这笔交易走争议处理。",
    "{a}：您好，这里是{bank}，您尾号{tail}的信用卡本期账单{medium}已经逾期3天了，请问方便今天还款吗？\n"
    "{b}：不好意思，出差忘了，我现在就用手机银行还\n{a}：好的，还款后额度会自动恢复，打扰您了。",
    "{a}：您好，是{child}家长吗？我是{child}的班主任{surname}老师，{child}今天体育课扭了脚，校医看过了，"
    "问题不大，您放学能早点来接吗？\n{b}：好的老师，要去医院吗？\n"
    "{a}：建议去拍个片子放心一点，学校买了学平险，看完把病历和发票交给我，我帮您统一报。",
    "{a}：您好，请问是{child}的妈妈吗？我是学校财务室的，您上学期多交的住宿费{small}0元，学校要退给您。\n"
    "{b}：怎么退？要我提供什么吗？\n{a}：不用，直接原路退回到您当时缴费的那张卡，下周到账，"
    "您不放心可以打学校总机转财务室核实。",
    "{a}：您好，我是{bank}的理财经理小{surname}，您的定期存款下周到期了，想跟您确认一下是续存还是看看别的产品？\n"
    "{b}：有什么推荐的？\n{a}：有一款R2级的理财，不保本，您可以先在{bank}APP里看产品说明书，或者来网点面谈。\n"
    "{b}：那我周末去网点聊聊",
    "{a}：您好，我是{broker}营业部的客户经理，您的身份证下个月到期，需要更新一下证件信息。\n"
    "{b}：要怎么弄？\n{a}：在{broker}APP的个人资料里上传新身份证照片就行，或者带身份证来营业部办理。",
    "{a}：喂，{friend}，我{surname_friend}啊，能先借我{small}00吗？车在高速上爆胎了，拖车要现付\n"
    "{b}：你声音咋有点不一样？\n{a}：高速上风大。你不放心我开视频给你看\n"
    "{b}：行，开视频吧\n（视频里确实是他，身后是服务区的牌子）\n{b}：好，转你了，到家报个平安",
    "{a}：您好，我是{estate}物业的，您家{month}月的物业费{medium}还没交，可以在物业APP上缴，"
    "也可以来一楼服务中心交。\n{b}：好的，我晚上在APP上交。",
    "{a}：您好，我是骑手，您点的外卖我路上摔了一下，汤洒了，我已经跟商家说了重新做一份，"
    "可能要晚二十分钟，实在不好意思。\n{b}：没事，注意安全",
    "{a}：您好，这里是{lender}客服，您在APP上申请的借款{medium}已经放款到您尾号{tail}的卡上了，"
    "还款计划在APP里能看到。\n{b}：好的，收到了。\n{a}：按时还款就行，有问题在APP里找在线客服。",
    "{a}：您好，{carrier}客服，您的套餐下个月到期，续约可以送流量，您可以在{carrier}APP里办，"
    "不需要的话不用理会。\n{b}：我考虑一下\n{a}：好的，打扰了。",
)

_SCAM: Final = (
    "{a}：您好，我是{courier}的客服，您的快递在运输中丢失了，我们给您{double}理赔{medium}。\n"
    "{b}：要怎么弄？\n{a}：您下载一个“{app}”，开一下屏幕共享，我教您操作领取理赔款，{secret}。",
    "{a}：你好，我是{station}公安局的民警，姓{surname}，警号{badge}。你的身份证被人冒用开了银行卡，涉嫌洗钱。\n"
    "{b}：不可能啊\n{a}：为证明清白，你要把卡里的钱转到我们的安全账户{account}做资金核查，{secret}。",
    "{a}：您好，这里是{hospital}医保中心，您的医保卡在外地有异常消费，涉嫌骗取医保基金。\n"
    "{b}：我没去过外地啊\n{a}：我帮您转接公安局，您把卡号和手机上收到的验证码报一下，我们先冻结，{secret}。",
    "{a}：您好，我是{insurer}的理赔专员小{surname}，您的理赔款{medium}已经批下来了，但需要先交{small}元手续费"
    "验证您的账户。\n{b}：理赔还要交钱？\n{a}：是的，转到我们财务的账户{account}，到账后和理赔款一起退给您。",
    "{a}：您好，这里是{airline}客服，您预订的{flight}航班因机械故障取消了，我们给您改签补偿{small}00元。\n"
    "{b}：好的\n{a}：请您登录 {link} 填写银行卡号，再把收到的验证码告诉我，补偿款马上到账。",
    "{a}：您好，我们是{utility}，系统显示您家燃气费欠费，今天下午要停气了。\n{b}：我上个月交过了啊\n"
    "{a}：系统里没有，您现在扫我发的收款码补交{medium}，我马上给您恢复，{secret}。",
    "{a}：您好，这里是{bank}信用卡中心，您尾号{tail}的卡被检测到异常交易，已经冻结了。\n{b}：那怎么办？\n"
    "{a}：您别急，我们不会问您密码，您把卡里的钱先转到我们的安全账户{account}，核查完解冻，{secret}。",
    "{a}：您好，这里是{bank}，您尾号{tail}的信用卡逾期已经上报征信了，会影响您以后买房贷款。\n"
    "{b}：我可以马上还\n{a}：现在还不行了，您要先转{medium}到我们的处理专员账户{account}，我们帮您消除逾期记录。",
    "{a}：您好，是{child}家长吗？我是{child}的班主任{surname}老师，{child}体育课摔伤了，现在在医院，"
    "医生说要马上手术。\n{b}：严重吗？我马上过来\n{a}：您先别急，手术费{medium}得先交，您先转到我个人账户"
    "{account}，我在这边帮您垫上。",
    "{a}：您好，请问是{child}的妈妈吗？我是学校财务室的，您上学期多交的住宿费要退给您。\n{b}：怎么退？\n"
    "{a}：您加一下我的QQ {qq}，点我发的链接填银行卡号和密码，再把验证码告诉我，我这边就能退。",
    "{a}：您好，我是{broker}的投资顾问，我们有一个内部的机构渠道，打新中签率很高，保证收益。\n"
    "{b}：怎么参加？\n{a}：您下载“{app}机构版”，把资金转进去，账户是{account}，这个名额不能告诉别人。",
    "{a}：您好，我是{broker}客服，您的证券账户涉嫌违规交易，被证监会冻结了。\n{b}：那怎么办？\n"
    "{a}：需要您验资证明资金清白，把{medium}转到证监会监管账户{account}，三个工作日退回，{secret}。",
    "{a}：喂，{friend}，是我啊，我{surname_friend}，换了个新号。我在外面出了点事，急需{small}000块，你先转我\n"
    "{b}：你怎么了？我打你原来的号码\n{a}：原来的号打不通，别打了，直接转到这个账户{account}，回头跟你细说。",
    "{a}：您好，我是{estate}物业的，公司账户在年审，您家{month}月的物业费{medium}这次转到我个人微信，"
    "收据回头给您。\n{b}：不能在APP上交吗？\n{a}：APP这几天停用了，今天不交要收滞纳金。",
    "{a}：您好，我是外卖平台的客服，您的外卖在配送中丢失了，我们给您双倍赔偿。\n{b}：好的\n"
    "{a}：您扫一下我发的二维码，进群领理赔，里面要先做一个验证任务，{secret}。",
    "{a}：您好，这里是{lender}客服，您申请的借款{medium}放款失败了，系统显示您填的卡号有误，资金被冻结。\n"
    "{b}：那怎么办？\n{a}：您先转{small}00元解冻费到{account}，解冻后和借款一起打给您。",
    "{a}：您好，{carrier}客服，您的号码涉嫌发送诈骗短信，两小时后停机，我给您转接{station}公安局。\n"
    "{b}：我没发过啊\n{a}：警官会跟您核实，需要您配合把资金转到安全账户{account}，{secret}。",
)

# Each caller's own customer-service number, as a genuine call gives it; the callers' names
# in _SLOTS are these keys.
_BANK_HOTLINES: Final = {
    "建设银行": "95533",
    "工商银行": "95588",
    "招商银行": "95555",
    "广发银行": "95508",
    "农业银行": "95599",
}
_INSURER_HOTLINES: Final = {"平安车险": "95511", "人保财险": "95518", "太平洋车险": "95500"}
_UTILITY_HOTLINES: Final = {"港华燃气": "96777", "华润燃气": "96777", "新奥燃气": "95158"}
_SLOTS: Final[dict[str, tuple[str, ...]]] = {
    "surname": ("王", "李", "张", "刘", "陈", "杨", "周", "吴"),
    "surname_friend": ("小赵", "老孙", "阿明", "大伟", "小郑"),
    "friend": ("老陈", "老李", "阿强", "小林", "老周"),
    "courier": ("顺丰", "中通", "圆通", "京东快递", "韵达", "邮政EMS"),
    "locker": ("丰巢柜", "小区驿站", "门卫室"),
    "station": ("城东", "江北", "高新区", "南湖", "滨江"),
    "hospital": ("市第一人民医院", "区中医院", "市第二人民医院", "妇幼保健院"),
    "patient": ("李建平", "王秀英", "张国强", "刘桂兰"),
    "insurer": tuple(_INSURER_HOTLINES),
    "airline": ("南方航空", "东方航空", "国航", "海南航空"),
    "utility": tuple(_UTILITY_HOTLINES),
    "bank": tuple(_BANK_HOTLINES),
    "broker": ("华泰证券", "中信证券", "国泰君安", "招商证券"),
    "estate": ("万科", "碧桂园", "绿城", "保利"),
    "lender": ("招联金融", "马上消费", "微粒贷"),
    "carrier": ("中国移动", "中国联通", "中国电信"),
    "child": ("子轩", "一鸣", "欣怡", "浩然", "梓涵"),
    "month": ("三", "六", "九", "十二"),
    "double": ("双倍", "三倍", "全额"),
    "secret": (
        "这件事先不要告诉家人",
        "操作的时候不要挂电话",
        "过程要保密，不要跟别人说",
        "今天之内必须办完",
    ),
    "app": ("云会议", "安全盾", "速达助手", "金融云"),
}
# Who is speaking, as people write a call down: the caller first, then themselves.
_SPEAKERS: Final = (("对方", "我"), ("对方", "我"), ("来电", "我"), ("他", "我"), ("客服", "我"))
_HEADERS: Final = ("", "", "", "（通话录音整理）\n", "刚才接的电话，记一下：\n", "【来电录音】\n")


def _fill(template: str, rng: random.Random) -> str:
    slots = {key: rng.choice(values) for key, values in _SLOTS.items()}
    caller, me = rng.choice(_SPEAKERS)
    slots |= {
        "a": caller,
        "b": me,
        "hotline": _BANK_HOTLINES[slots["bank"]],
        "insurer_hotline": _INSURER_HOTLINES[slots["insurer"]],
        "utility_hotline": _UTILITY_HOTLINES[slots["utility"]],
        "tail": f"{rng.randint(0, 9999):04d}",
        "code": f"{rng.randint(10, 99)}-{rng.randint(1, 9)}-{rng.randint(1000, 9999)}",
        "small": str(rng.randint(2, 9)),
        "medium": f"{rng.randint(8, 98) * 50:,}元",
        "foreign": f"{rng.randint(3, 40) * 100 - 1:,}美元",
        "flight": f"{rng.choice(('CZ', 'MU', 'CA', 'HU'))}{rng.randint(1000, 9999)}",
        "badge": f"{rng.randint(100000, 999999)}",
        "qq": str(rng.randint(100000000, 3999999999)),
        "account": personal_account(rng, ("建设银行", "工商银行", "农业银行"), "张李王刘陈"),
        "link": "-".join((rng.choice(("cz", "mu", "air", "fly")), rng.choice(("pc", "bc", "tk"))))
        + rng.choice((".top", ".cc", ".xyz")),
    }
    return rng.choice(_HEADERS) + template.format(**slots)


def _label(template: str) -> str:
    """The data label of a scam call, after the voice it takes."""
    if "证监会" in template or "公安局" in template or "医保" in template:
        return POLICE
    if "机构版" in template:
        return INVESTMENT
    if "信用卡" in template:
        return BANK_PHISHING
    if "放款" in template:
        return LOAN
    if "班主任" in template or "{friend}" in template or "物业" in template:
        return ACQUAINTANCE
    return REFUND


def synthetic_service_calls(count: int, rng: random.Random) -> list[SyntheticText]:
    """``count`` transcripts of genuine service calls and ``count`` scams that open the same
    calls, alternating; each scam labelled with the data's type for its voice."""
    return alternating(count, rng, _GENUINE, _SCAM, _fill, _label)
