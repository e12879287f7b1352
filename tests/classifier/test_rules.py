"""The rule engine: phrase and regex matching, combos, per-type scoring, benign damping."""

from __future__ import annotations

import pytest

from classifier.normalize import normalize
from classifier.rules import RuleEngine, RuleHit, called_fake, noisy_or, score_hits
from classifier.verdict import EvidenceKind
from knowledge import load_knowledge

ENGINE = RuleEngine(load_knowledge())


def hit(
    rule_id: str, weight: float, types: tuple[str, ...], kind: EvidenceKind = EvidenceKind.RULE
) -> RuleHit:
    return RuleHit(rule_id, kind, weight, types, "x", (0, 1))


def test_noisy_or() -> None:
    assert noisy_or([]) == 0.0
    assert abs(noisy_or([0.5, 0.5]) - 0.75) < 1e-9
    assert noisy_or([1.0, 0.1]) == 1.0


def test_best_type_wins_and_weak_words_of_other_types_do_not_add_up() -> None:
    hits = [hit("a.x", 0.3, ("a",)), hit("b.x", 0.3, ("b",)), hit("c.x", 0.3, ("c",))]
    result = score_hits(hits)
    assert abs(result.score - 0.3) < 1e-9
    same_type = score_hits([hit("a.x", 0.3, ("a",)), hit("a.y", 0.3, ("a",))])
    assert same_type.fraud_type == "a" and abs(same_type.score - 0.51) < 1e-9


def test_untyped_flags_join_every_type_and_benign_damps() -> None:
    generic = hit("common.x", 0.5, ())
    typed = hit("a.x", 0.5, ("a",))
    assert abs(score_hits([generic, typed]).score - 0.75) < 1e-9
    damped = score_hits([generic, typed, hit("benign.x", -0.5, (), EvidenceKind.BENIGN)])
    assert abs(damped.score - 0.375) < 1e-9


def test_each_rule_is_reported_once_at_its_first_occurrence() -> None:
    text = normalize("安全账户……再说一遍：安全账户").text
    hits = [h for h in ENGINE.match(text) if h.rule_id == "common.safe_account"]
    assert len(hits) == 1 and hits[0].span == (0, 4)


def test_combo_fires_only_when_all_parts_match() -> None:
    knowledge = load_knowledge()
    combo = next(c for c in knowledge.combos if all(knowledge.flag(f).phrases for f in c.all))
    texts = [knowledge.flag(flag_id).phrases[0] for flag_id in combo.all]
    full = ENGINE.match(normalize("，".join(texts)).text)
    assert combo.id in {h.rule_id for h in full}
    partial = ENGINE.match(normalize(texts[0]).text)
    assert combo.id not in {h.rule_id for h in partial}


def test_benign_flags_are_found_in_real_bank_sms() -> None:
    text = normalize("【中国工商银行】您的验证码为385216，请勿泄露给他人。").text
    kinds = {h.kind for h in ENGINE.match(text)}
    assert EvidenceKind.BENIGN in kinds


def test_matching_is_linear_on_long_repetitive_input() -> None:
    text = normalize("安全账户验证码" * 20_000).text
    assert ENGINE.match(text)


def test_plain_clause_flags_skip_warnings_but_not_the_scam() -> None:
    flag = "offline_cash_handover.door_pickup"
    scam = normalize("下午会有专案组的同事到你家楼下收走现金，清查完再还给你。").text
    warning = normalize("警方提醒：公检法不会派人到你家楼下收走现金，这都是骗子。").text
    assert flag in {h.rule_id for h in ENGINE.match(scam)}
    assert flag not in {h.rule_id for h in ENGINE.match(warning)}


def _ids(text: str) -> set[str]:
    return {h.rule_id for h in ENGINE.match(normalize(text).text)}


def test_an_arrest_or_bail_is_a_relatives_emergency() -> None:
    for text in ("我被公安局拘留了", "他被警察抓走了，要交钱清理案底", "只要交保证金就能取保候审"):
        assert "impersonate_acquaintance.emergency" in _ids(text), text


def test_paying_to_this_card_is_not_a_landlord_scam_without_a_landlord() -> None:
    assert "other.landlord" not in _ids("您先把钱转到这张卡上，我出来就还您。")
    assert "other.landlord" in _ids("房东：我换了新的银行卡，这个月房租直接打到这张卡上。")


def test_a_house_purchase_escrow_is_not_a_police_supervision_account() -> None:
    escrow = _ids("首付款走中介的资金监管账户，不经过个人，您放心。")
    assert "impersonate_police.taiwan_prosecutor" not in escrow
    assert "benign.platform_advice" in escrow
    assert "impersonate_police.taiwan_prosecutor" in _ids("請把存款轉到監管帳戶，偵查結束後歸還。")


def test_a_denied_code_request_is_a_warning_not_a_request() -> None:
    flag = "common.asks_verification_code"
    assert flag in _ids("请把收到的验证码告诉我，我帮您办理退款。")
    assert flag not in _ids("学校不会让你们提供验证码，更不会让你们转账。")


def test_pet_shipping_fees_and_exam_answers_are_named() -> None:
    pet = _ids("宝子，小狗已经上飞机了，托运公司说要交1500的宠物保险，落地退还。")
    assert "fake_shopping.pet_shipping" in pet
    exam = _ids("考前押题答案，命中率高，先交定金300，不过全额退款。")
    assert "fake_documents.exam_answers" in exam
    assert "fake_documents.exam_answers" not in _ids("昨天的考试答案公布了，我对了一下，应该能过。")


def _score(text: str) -> float:
    return score_hits(ENGINE.match(normalize(text).text)).score


def test_health_products_sold_as_cures_are_flagged_but_health_advice_is_not() -> None:
    pitch = "王老师推荐的通脉胶囊，吃完三个疗程就不用再吃降压药了，现场订购特价1680元。"
    assert "fake_shopping.miracle_for_sale" in _ids(pitch)
    assert _score(pitch) >= 0.5
    advice = "妈，医生说你血压稳定了，但降压药一定别停，下周三我陪你去复查，挂号费我已经交了。"
    assert _score(advice) < 0.25


def test_collectible_auction_fees_are_flagged_and_a_news_warning_is_damped() -> None:
    pitch = "您家的袁大头已入选海外专场拍卖，预估80万，请先缴纳鉴定费和上拍保证金3800元。"
    assert "fake_investment.collectible_scam" in _ids(pitch)
    assert _score(pitch) >= 0.5
    warning = "看到新闻说有人冒充拍卖公司，说老钱币能送拍卖，先收鉴定费和保证金，大家别信。"
    assert _score(warning) < 0.5


def test_a_subsidy_waiting_behind_a_link_is_named_but_a_paid_subsidy_is_not() -> None:
    waiting = "【区人社局】您有一笔2026年度技能提升补贴1,800元待领取，请登录 rsj-bt.cn 申领。"
    hits = score_hits(ENGINE.match(normalize(waiting).text))
    assert "fake_prize_subsidy.money_waiting" in _ids(waiting)
    assert hits.fraud_type == "fake_prize_subsidy" and hits.score >= 0.5
    paid = "【区人社局】您的技能提升补贴1,800元已发放至社保卡银行账户，无需另行办理。"
    assert "fake_prize_subsidy.money_waiting" not in _ids(paid)


def test_gold_handed_over_cards_bought_and_mass_send_threats_are_flagged() -> None:
    gold = "你现在去周大福买200克金条，买好后在商场北门等，会有同事过来拿走，不要告诉家人。"
    assert "offline_cash_handover.buy_gold_hand_over" in _ids(gold)
    assert "offline_cash_handover.buy_gold_hand_over" not in _ids(
        "商场周年庆，购买黄金每克立减20元，还有礼品等你来拿！"
    )
    assert "two_cards_mule.card_recycling" in _ids("回收实名手机卡，一张150，同城面交。")
    threat = "视频我已经录好了，两小时内转两万，不然全部群发给你的通讯录。"
    assert "sextortion.mass_send_threat" in _ids(threat)


# Genuine notices and warnings that share a scam's words: each is damped by its benign flag
# to below medium risk.
DAMPED_NOTICES = [
    (
        "benign.official_app_service",
        "【东方航空】您乘坐的MU5101航班因天气原因延误，可在东航APP办理改签或退票。",
    ),
    (
        "benign.platform_settlement",
        "【拼多多】您的售后申请已通过，运费险自动理赔至您的账户，理赔金额6元。",
    ),
    (
        "benign.approval_process",
        "王总，供应商货款38,000元的OA审批已走完，财务下午对公转账，您看可以吗？",
    ),
    ("benign.do_not_share", "【京东】您的订单已签收，京东客服不会通过电话要求您转账或共享屏幕。"),
    (
        "benign.do_not_share",
        "【淘宝】您的订单已签收，如需售后请在APP内申请，客服不会要求您开通借款或转账。",
    ),
    (
        "benign.official_payment",
        "您家老人的护理补贴已审核通过，费用由医保结算，个人无需预先缴纳任何费用。",
    ),
    (
        "benign.police_warning",
        "社区反诈讲座：公检法不会打电话让你转账到“安全账户”，陌生人要验证码一律挂电话。",
    ),
    (
        "benign.do_not_share",
        "【唯品会】您的包裹已发出。唯品会客服不会以“取消会员”“账户异常”为由让您转账。",
    ),
    ("benign.do_not_share", "【中国联通】您的积分月底到期，联通不会发送积分兑换现金的链接。"),
    ("benign.scam_story", "邻居阿姨被“关注主播，一个3元”骗了两万多，大家跟家里老人说一声。"),
]


@pytest.mark.parametrize(("flag", "text"), DAMPED_NOTICES)
def test_genuine_notices_and_warnings_are_damped_by_their_benign_flag(flag: str, text: str) -> None:
    assert flag in _ids(text) and _score(text) < 0.5


def test_plain_clause_phrases_skip_denials_and_conditional_warnings() -> None:
    assert "two_cards_mule.buy_rent_cards" in _ids("高价收卡，一张八百，当天结清。")
    assert "two_cards_mule.buy_rent_cards" not in _ids("登记不收费，也不会有人上门收卡。")
    kit = "two_cards_mule.account_kit"
    assert kit in _ids("把你提供银行卡和密码给我们，做完流水就还。")
    assert kit not in _ids("如有人以财务名义要求提供银行卡密码，请报告保卫科。")
    points = "phishing_platform.carrier_points_cash"
    assert points in _ids("【中国移动】您的话费积分可兑换现金298元，请尽快登录领取。")
    assert points not in _ids("中国移动不会发送积分兑换现金的链接。")
    wholesale = "fake_customer_service.installment_setting"
    assert wholesale in _ids("客服：您的账户被误设为批发商会员，每月将自动扣款。")
    assert wholesale not in _ids("诈骗集团假冒电商客服，谎称“误设为批发商会员”，要求操作ATM。")
    assert wholesale not in _ids("ATM没有解除分期功能，银行不会请您操作转账。")


def test_a_plain_clause_match_quotes_the_flags_own_words() -> None:
    text = normalize("您好，这边高价收卡，当天结清。").text
    (hit,) = [h for h in ENGINE.match(text) if h.rule_id == "two_cards_mule.buy_rent_cards"]
    assert hit.span is not None and text[hit.span[0] : hit.span[1]] == "高价收卡"  # not "这边…"


def test_a_delayed_flight_is_not_a_cancelled_one() -> None:
    delayed = "【国航】您的CA1502航班因流量控制延误，改签或退票请通过国航App办理。"
    assert "other.flight_cancel" not in _ids(delayed) and _score(delayed) < 0.5
    assert "other.flight_cancel" in _ids("您的航班因机械故障已取消，请致电客服办理退改签。")


def test_cash_taken_out_and_handed_to_a_contact_is_a_handover() -> None:
    text = "请把取出的现金装好，下午三点放到指定地点，交给我们的工作人员。"
    assert "offline_cash_handover.cash_handover" in _ids(text)


def test_a_script_saying_how_it_never_asks_is_not_a_notice() -> None:
    # A scam script that mentions "这种方式" is not a notice of what staff never do.
    script = "我们不会通过这种方式要求转账，请你配合调查，把资金转入安全账户。"
    assert "benign.do_not_share" not in _ids(script)


def test_escaped_scams_and_checks_through_the_old_number_are_benign() -> None:
    escaped = "我妈差点被冒充公安的骗了，还好她留了个心眼，打110一问根本没这回事。"
    assert {"benign.scam_story", "benign.refused"} <= _ids(escaped)
    check = "外婆，我换新号码了，你可以用旧号码打视频确认是我，不用给我打钱。"
    assert "benign.verify_first" in _ids(check)


def test_apk_invitations_coached_withdrawals_and_private_sales_are_flagged() -> None:
    apk = "老同学，婚礼请柬做好了，下载“请柬.apk”安装后就能看到婚纱照。"
    assert "other.apk_invitation" in _ids(apk) and _score(apk) >= 0.5
    coached = "明天去银行取现金8万，柜员问就说是给家里装修用，取完放到楼下有同事来取。"
    assert "offline_cash_handover.avoid_bank_questions" in _ids(coached)
    skins = "王者荣耀皮肤低价出，走私人交易，先款后发，加QQ详聊。"
    assert "game_trade.items_off_platform" in _ids(skins) and _score(skins) >= 0.5
    reviews = "出售美团好评，真人账号带图，每条6元，安全不降权，TG @goodrev88"
    assert "review_brushing.reviews_for_sale" in _ids(reviews)


def test_a_denied_request_is_a_promise_not_a_red_flag() -> None:
    assert "common.safe_account" not in _ids("我们不会要求您把钱转到任何“安全账户”。")
    assert "common.screen_share" not in _ids("请不要相信任何要求共享屏幕的“客服”。")
    assert "common.safe_account" in _ids("为配合调查，请把钱转到安全账户。")
    assert "common.transfer" not in _ids("政府唔會打電話叫你轉賬。")  # Cantonese, Traditional
    assert "common.transfer" in _ids("請你即刻轉賬。")
    assert "common.unfreeze_fee" not in _ids("民警说那是诈骗APP，千万别交什么解冻金。")
    assert "common.unfreeze_fee" in _ids("千万别声张，先交解冻金。")
    claims = "fake_customer_service.claims_service"
    assert claims not in _ids("平台已自动赔付您5元红包，无需联系客服。")


def test_a_denial_just_before_a_flag_that_starts_with_its_verb() -> None:
    code = "common.asks_verification_code"
    assert code not in _ids("整个过程不需要您提供验证码或密码，也请不要告诉任何人。")
    assert code in _ids("为了核实身份，请提供验证码。")


def test_a_denial_in_regional_words() -> None:
    safe, code = "common.safe_account", "common.asks_verification_code"
    assert safe not in _ids("公安局从来不得喊你把钱转到安全账户。")  # Sichuanese
    assert safe in _ids("喊你把钱转到安全账户。")
    assert code not in _ids("唔使你提供验证码。")  # Cantonese
    assert code in _ids("请提供验证码。")
    assert "common.unfreeze_fee" not in _ids("莫交任何解冻金。")
    assert "common.unfreeze_fee" in _ids("先交解冻金。")
    # "不得不" is "have to": a demand, not a denial
    assert safe in _ids("我们不得不让你把钱转到安全账户。")


def test_a_denial_written_with_the_taiwanese_through() -> None:
    unhook = "fake_customer_service.installment_setting"
    assert unhook not in _ids("蝦皮不會透過LINE或電話要求您操作ATM解除分期。")
    assert unhook in _ids("請您到ATM操作解除分期，否則每月扣款。")


def test_a_password_the_collector_gives_is_no_family_check() -> None:
    # "对暗号" is how the cash couriers of the hand-over scam identify themselves
    assert "benign.verify_first" not in _ids("工作人员到了会跟您对暗号“清查”，您把钱交给他。")
    assert "benign.verify_first" in _ids("接到孩子借钱的视频，先问一个只有自家人知道的问题。")


def test_a_ritual_sold_to_avert_a_foretold_disaster() -> None:
    pitch = "大师说我爸今年犯太岁，要做一场化煞法事，功德金6600元。"
    assert "other.pay_to_avert_doom" in _ids(pitch) and _score(pitch) >= 0.5
    assert "other.pay_to_avert_doom" not in _ids("奶奶说本命年要穿红袜子，犯太岁也不怕。")


def test_a_denial_reaches_neither_past_its_clause_nor_a_later_occurrence() -> None:
    assert "common.safe_account" in _ids("办理不会收取任何费用，请先把钱转到安全账户核查。")
    later = ENGINE.match(normalize("公安不会让你转到安全账户。现在把钱转到安全账户").text)
    spans = [h.span for h in later if h.rule_id == "common.safe_account"]
    assert spans and spans[0] is not None and spans[0][0] > 10


def test_a_reported_request_that_is_then_dismissed_is_a_warning() -> None:
    safe = "common.safe_account"
    assert safe not in _ids("以后有陌生电话说要转账到安全账户的，你直接挂。")
    assert "fake_loan.fee_before_loan" not in _ids("如果有人打电话说我被抓了要交保证金，都别信。")
    assert safe not in _ids("不管谁让你往安全账户转钱，一律挂掉。")
    # the dismissal must follow in the same sentence, and only what lies between counts
    assert safe in _ids("有人打电话说要转到安全账户。我照做了。")
    assert safe in _ids("有人说你涉嫌洗钱，别信他们，现在把钱转到安全账户。")
    assert safe in _ids("请把钱转到安全账户，别信别人说的。")  # no report before it


def test_a_scam_quoted_as_a_warning_loses_only_the_quoted_flags() -> None:
    refund = "fake_customer_service.refund_claim"
    assert refund in _ids("您好，我是淘宝客服，给您办理三倍理赔退款。")
    assert refund not in _ids("骗子常说：“您好，我是淘宝客服，给您办理三倍理赔退款”，听到就挂。")
    assert refund not in _ids("所谓“客服主动给你理赔退款”的电话都是骗子。")
    # outside the quotation, or a quotation nobody calls a scam's, keeps its flag
    assert "common.safe_account" in _ids("有骗子说“账户异常”，请把钱转到安全账户。")
    assert refund in _ids("客服说“给您理赔退款”，请加QQ办理。")
    # a victim's later realisation is no verdict on the quotation
    story = "交完又要“账号认证费”，我才知道那个网站是假的。"
    assert "game_trade.fake_trade_platform" in _ids(story)


def test_a_reassurance_without_a_request_is_no_denial() -> None:
    assert "common.screen_share" in _ids("放心不会让你亏钱只要打开屏幕共享我教你操作")


def test_a_pickup_that_needs_no_payment_is_no_fee_to_claim() -> None:
    assert "fake_prize_subsidy.pay_to_claim" in _ids("恭喜中奖，领取奖品前需先支付邮费58元")
    assert "fake_prize_subsidy.pay_to_claim" not in _ids(
        "您的包裹已到驿站，请凭取件码领取（已付款，取件不需付款）"
    )


def test_cards_kept_for_you_needs_a_card_and_a_company() -> None:
    flag = "two_cards_mule.cards_kept_for_you"
    assert flag in _ids("开完卡我们统一帮您保管激活，一周后还给您")
    assert flag in _ids("你的存折和提款卡借我们公司用三个月，每月给你一万")
    assert flag not in _ids("压岁钱妈妈先帮你保管，等你上大学再还给你。")
    assert flag not in _ids("妈，你那张银行卡借我用两天，我取点钱交房租。")


def test_an_order_pages_refund_field_is_a_receipt() -> None:
    page = "京东 售后详情 审核结果 审核通过 退款金额 ¥259.00 退款方式 原路返回（微信支付）"
    assert "benign.original_route_refund" in _ids(page)
    assert "benign.original_route_refund" not in _ids("客服说退款要走备用金通道，不能原路返回。")


def test_a_caller_who_names_himself_a_sibling_claims_an_identity() -> None:
    flag = "impersonate_acquaintance.claims_identity"
    assert flag in _ids("我是你亲哥，最近手头有点紧，能不能借一点钱给我救急？")
    assert flag in _ids("XX，我是你姑姑朋友啊，你姑姑在医院抢救，赶紧转点钱过来。")
    assert flag not in _ids("哥：小军，下周二爸做手术，你转2000到我卡上就行。")


def test_evasive_invoice_and_lottery_tip_spellings_are_named() -> None:
    assert "fake_documents.invoice" in _ids("提供本地国碎机打发漂，点低，非诚勿扰")
    assert "gambling.lottery_tips" in _ids("本期精准肖码免费送，加微信邀您一起见证")
    assert "gambling.lottery_tips" not in _ids("今晚央视有生肖专题节目，记得看。")


def test_a_no_fee_statement_and_a_bookkeepers_reconciliation_are_not_requests() -> None:
    jobs = (
        "招聘分拣员，请通过官方小程序报名，全程不收取任何费用，凡要求交押金、体检费的均非我司招聘。"
    )
    assert "other.job_fees" not in _ids(jobs)
    assert "other.job_fees" in _ids("招聘保安，包吃住，入职前先交押金500元，体检费200元。")
    assert "two_cards_mule.run_score" not in _ids("王总，上次那批货款已经对过账了，发票下周寄出。")
    assert "two_cards_mule.run_score" in _ids("兄弟帮个忙，用你的卡过账，一次给你200。")


def test_a_cure_for_sale_a_subsidy_by_qr_and_a_deposit_by_personal_code_are_flagged() -> None:
    assert "fake_shopping.cure_for_sale" in _ids(
        "这个理疗仪用三个月就能停药，原价29800，今天特价9800。"
    )
    assert "fake_shopping.cure_claim" not in _ids("医生说血压稳定了也不能停药，要按时吃。")
    assert "fake_shopping.cure_claim" not in _ids("妈问医生降压药吃到什么时候能停药。")
    assert "fake_prize_subsidy.claim_by_qr_card" in _ids(
        "购车补贴开放申领，扫码登记车辆信息及银行卡即可领取，名额有限。"
    )
    assert "fake_shopping.hold_deposit_by_qr" in _ids(
        "您先交500看房定金到我这，我帮您锁房，我给您发个人收款码。"
    )


def test_a_quotation_sent_by_criminals_is_a_warning() -> None:
    link = "common.click_link"
    warning = "近期有不法分子群发“您的退税待领取，请点击 gs-tax.cc 办理”短信。"
    assert link not in _ids(warning)
    assert link in _ids("“您的退税待领取，请点击 gs-tax.cc 办理”")


def test_not_listening_to_a_caller_is_a_denial() -> None:
    fee = "common.unfreeze_fee"
    assert fee not in _ids("别听谁打电话说要交什么解冻费，法院打钱不收钱的。")
    assert fee in _ids("听我说，要交解冻费才能提现。")


def test_a_quotation_called_illegal_fundraising_is_a_warning() -> None:
    warning = "大姨千万别去！那种“养老投资”“预售床位”都是非法集资。"
    assert "fake_investment.care_bed_presale" not in _ids(warning)


def test_a_call_back_on_the_number_printed_on_the_card_is_benign() -> None:
    genuine = "我们已帮您临时冻结该卡，建议您挂断后自行拨打卡背面的95555核实并申请换卡。"
    assert "benign.call_back_official" in _ids(genuine)
    assert "benign.call_back_official" not in _ids(
        "您的卡已冻结，请立即拨打我们的客服热线4008123456解冻。"
    )


def test_a_cash_handover_to_an_asset_officer_in_cantonese_is_named() -> None:
    text = "你涉及一宗洗黑錢案，須即時將戶口資金提取現金，交予我哋派出嘅「資產保全專員」核實。"
    assert "offline_cash_handover.cash_collector" in _ids(text)


def test_an_institutional_app_exam_leaks_and_bought_admission_are_flagged() -> None:
    assert "fake_investment.institution_app" in _ids(
        "教授要带大家做机构调研票，需要在机构版APP操作，普通券商账户买不到，下载链接私聊我。"
    )
    assert "fake_shopping.exam_leak" in _ids("小升初名校内部押题卷，每年都押中原题，199一套。")
    assert "fake_shopping.exam_leak" not in _ids("老师说考前不要迷信押题，把错题本再过一遍。")
    admission = "上我们的辅导课，保证入学面试通过，4800元。"
    assert "fake_shopping.guaranteed_admission" in _ids(admission)


def test_skipping_the_platform_to_pay_by_fps_and_priced_reviews_are_flagged() -> None:
    assert "fake_shopping.skip_platform_direct" in _ids(
        "唔好用平台交收啦，佢哋抽佣好貴，直接轉數快落訂，我即日寄出。"
    )
    assert "review_brushing.ranking_for_fee" in _ids(
        "我们可以帮您做好评，100条真实家长口吻评价，2,000元，先付一半。"
    )


def test_warnings_about_impersonation_and_refusals_are_benign() -> None:
    notice = "投资者提示：不法分子冒用证券公司名义拉人进群荐股，切勿转入个人账户。"
    assert "benign.police_warning" in _ids(notice)
    scam = "有不法分子冒用您的名义办了银行卡，涉嫌洗钱，请配合调查。"
    assert "benign.police_warning" not in _ids(scam)
    assert "benign.refused" in _ids("对方让他用爸爸手机扫码，还好他没扫。")
    assert "benign.peer_warning" in _ids("有人盗用我的头像跟名字开了新账号，大家别转钱。")
    assert "benign.reported" in _ids("我顺手就把那个号举报了。")


def test_off_platform_excuses_ticket_transfers_and_fees_before_a_job_abroad_are_flagged() -> None:
    excuse = "闲鱼最近手续费高，你直接微信转我，今天发顺丰。"
    assert "fake_shopping.fee_excuse_direct" in _ids(excuse)
    # "微信转我" alone is how friends split a bill.
    bill = "火锅一共486，每人121.5，直接微信转我就行。"
    assert "fake_shopping.fee_excuse_direct" not in _ids(bill)
    assert "fake_shopping.ticket_transfer" in _ids("有两张G79二等座，原价转让，可改签到您名下。")
    assert "fake_shopping.customs_top_up" in _ids("奶粉全款付了，今天又说海关查得严要补600关税。")
    job = "朋友介绍了一份泰国的工作，包吃住，说要先交5,000元的签证和体检费。"
    assert "other.overseas_job_fee" in _ids(job)
    subsidy = "育儿补贴已开放申领，扫码进群由专员一对一代办。"
    assert "fake_prize_subsidy.subsidy_agent" in _ids(subsidy)


def test_refunds_already_made_and_scams_seen_through_are_benign() -> None:
    assert "benign.original_route_refund" in _ids("¥36.90 已退回至您的微信零钱，可在App查看进度。")
    assert "benign.platform_settlement" in _ids("您可以直接在订单页点“申请售后”，选择退货退款。")
    assert "benign.refused" in _ids("说走闲鱼手续费高，给了个付款链接，我看网址不对，果断没付。")
    assert "benign.reported" in _ids("已退群，还在国家反诈中心APP里举报了。")
    assert "benign.scam_story" in _ids("快退！我表姐就是这么被骗的。")


def test_a_paid_back_loan_a_companys_list_of_pretexts_and_warnings_are_benign() -> None:
    repaid = "上回借你的5000，先还你3000，转账截图发你了。"
    assert "benign.repayment" in _ids(repaid)
    # Asking to borrow and promising to pay back later is the impersonator's own script.
    assert "benign.repayment" not in _ids("你能先借我两万吗，下个月发工资就还你。")
    notice = "美团不会以“订单异常需退款”“开通会员误扣费”等理由联系您。"
    assert "benign.do_not_share" in _ids(notice)
    assert "benign.reported" in _ids("我刚在国家反诈中心APP上举报了一个号码。")
    assert "benign.peer_warning" in _ids("卡借出去就是帮信罪，千万别贪这个钱。")
    assert "benign.peer_warning" not in _ids("放心，这个不构成帮信罪，就是走个流水。")
    assert "benign.refused" in _ids("那种说带你稳赚的群我一概不进。")


def test_a_cross_border_matchmakers_fees_are_flagged() -> None:
    story = "跨国婚介介绍越南姑娘，先交2万定金，现在又说签证卡住要交3万加急费。"
    assert "romance_pig_butchering.foreign_bride_fees" in _ids(story)


def test_prize_fees_deposits_for_a_post_and_paid_face_scans_are_flagged() -> None:
    prize = "恭喜您获得业主周年庆二等奖：空调一台！缴纳运费及税费99元即可送货上门。"
    assert "fake_prize_subsidy.prize_fee" in _ids(prize)
    # A prize that costs nothing, and a warning that quotes the scam, are no prize fee.
    assert "fake_prize_subsidy.prize_fee" not in _ids("中奖同事不需要支付任何邮费或税费。")
    assert "fake_prize_subsidy.prize_fee" not in _ids("有人私信你说“中奖需先交税费”，一律是骗子。")
    assert "other.job_deposit" in _ids("您已通过面试，请缴纳体检费及岗位保证金500元。")
    assert "two_cards_mule.paid_face_scan" in _ids("去了就是坐着刷脸，晚上回来现金500一天。")
    assert "two_cards_mule.paid_per_card" in _ids("电话卡能借我用一个月不？一张卡给你300。")


def test_official_anti_fraud_notices_and_warnings_among_friends_are_benign() -> None:
    assert "benign.peer_warning" in _ids("出租、出借、出售银行卡和电话卡涉嫌违法。")
    assert "benign.police_warning" in _ids("【杭州市公安局反诈中心】提醒：闲鱼卖家无需缴纳保证金。")
    assert "benign.police_warning" in _ids("如对方要求下载APP或共享屏幕，请立即挂断。")
    assert "benign.do_not_share" in _ids("全程无需向任何人转账或提供验证码。")
    assert "benign.refused" in _ids("我说我打95118问问，他就挂了。")
    # A victim whose caller hung up after taking the money did not refuse anything.
    assert "benign.refused" not in _ids("我说没钱了，他就挂了，微信也把我删了。")
    assert "benign.reported" not in _ids("我是不是该直接报警？")


def test_a_landlord_who_keeps_the_account_is_no_changed_account() -> None:
    assert "other.landlord" in _ids("房东：我换了张新卡，房租打到这张卡上。")
    assert "other.landlord" not in _ids("房租一样汇到原本的合库帐户就可以，我没有换帐户喔。")


@pytest.mark.parametrize(
    ("text", "link", "expected"),
    [
        ("域名是xszz-gov.cn.cc,不是政府网站", "xszz-gov.cn.cc", True),
        ("大家千万别点:ylbt-gov.cc", "ylbt-gov.cc", True),
        ("那个网址10000tw-gov.cc是假的", "10000tw-gov.cc", True),
        ("请点击ylbt-gov.cc领取补贴", "ylbt-gov.cc", False),
        ("这个网址xianyu-jiaoyi.top是不是假的?", "xianyu-jiaoyi.top", False),
        # Only the link's own sentence counts.
        ("别点陌生链接。请点击ylbt-gov.cc领取补贴", "ylbt-gov.cc", False),
    ],
)
def test_called_fake_reads_the_links_own_sentence(text: str, link: str, expected: bool) -> None:
    start = text.index(link)
    assert called_fake(text, start, start + len(link)) is expected
