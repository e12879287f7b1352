"""The shipped model at run time: loading, batching, long messages, fusion in the analyzer.

Quality numbers live in `scamcheck eval` (docs/EVALUATION.md); these tests pin behaviour:
the held-out messages below were written for these tests and are not in the training data.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from pathlib import Path

import pytest

from classifier import Analyzer, RiskLevel, Submission
from classifier.model.bundle import ModelBundle

# Everyday messages a family group sees: they must never warn (low or safe).
EVERYDAY = [
    "妈，我到学校了，这周末不回家了，你和爸早点休息。",
    # A genuine bank call written down: medium until the twenty-sixth session's n-gram model
    # learned genuine calls (docs/EVALUATION.md, "The n-gram model learns genuine calls").
    "对方：您好，这里是招商银行信用卡中心，工号60371，请问是陈立强先生吗？\n我：是我。\n"
    "对方：您尾号6612的信用卡今天有一笔2,380美元的境外交易，系统已经拦截了，是您本人吗？\n"
    "我：不是。\n对方：好的，这笔交易已经拒绝。建议您在掌上生活App里冻结这张卡，再补换新卡。",
    "爷爷，明天下午三点我来接你去医院复查，记得带上医保卡和上次的化验单。",
    "【建设银行】您尾号6678的储蓄卡11月25日10:21工资收入8,520.00元，活期余额12,033.50元。",
    "【京东物流】您的订单已由快递员王师傅派送中，预计今天18点前送达，请保持电话畅通。",
    "【国家反诈中心】提醒您：刷单就是诈骗，不轻信、不转账，如有疑问请拨打96110咨询。",
    "今晚小区停水，物业说明早六点恢复，大家提前接点水。",
    "老师好，孩子今天有点发烧，想请假一天，麻烦您了。",
    "奶奶生日那天我们订了饭店，晚上六点，大家记得准时到。",
    "你上次说的那家面馆我去吃了，确实好吃，下次一起去。",
    "【中国电信】您的宽带将于12月1日到期，续费请到营业厅或通过官方APP办理。",
    # One-time codes: the labelled data has almost none that are genuine, and before the
    # synthetic notifications (classifier/model/notifications.py) the first was high risk.
    "【中国银行】您的验证码是204981，用于手机银行登录，5分钟内有效。工作人员不会向您索取，请勿泄露。",
    "【交通银行】您正在进行网上银行身份核实，手机动态密码：583920，密码序号12，请勿泄露。谨防诈骗！",
    # Talk about scams and a genuine refund: the data has no genuine text that names a scam.
    "【建设银行】温馨提示：近期有不法分子冒充客服以“注销校园贷”“调整额度”为由诱导转账，"
    "建行客服热线95533，我行不会要求您向个人账户转账。",
    "我同学差点被骗，有人说帮他注销京东金条，让他下载会议软件，他直接挂了打了官方电话，根本没这回事。",
    "【京东】您的退款已完成，退款128.00元已原路退回至您的微信零钱。",
]

# Scams as they arrive in a chat: paraphrased, conversational, between ordinary turns; a
# code request in a genuine notification's voice; scam adverts.
CHAT_SCAMS = [
    "在吗？\n我是你表哥，换了新号码。\n我这边出了点急事，你能不能先借我三万块，转到我朋友的卡上，明天就还你，别跟家里人说。",
    "您好，这里是市医保局，您的医保卡被人冒用涉嫌骗保，现在转接公安民警给您做笔录，请不要挂断电话，也不要告诉家人。",
    "【中国银行】您的验证码是204981。您好，我是中行客服，您的账户需要升级，请把这个验证码回复给我完成验证。",
    # Adverts: the data files nearly all of them as normal (classifier/model/adverts.py).
    "不看征信、黑户也能下款，秒批5万，先交880元会员费，加V：dk5521",
    "收购闲置实名手机卡、微信号，一个200元，当天结算，联系飞机 @shouka88",
]


def test_scores_are_probabilities_and_batches_match_single_messages(
    bundle: ModelBundle,
) -> None:
    texts = [*EVERYDAY[:3], *CHAT_SCAMS]
    batch = bundle.score(texts)
    single = [bundle.score([text])[0] for text in texts]
    for together, alone in zip(batch, single, strict=True):
        assert 0.0 <= together.model <= 1.0
        assert together.ngram == pytest.approx(alone.ngram, abs=1e-6)
        # The int8 graph rounds each token on its own range: batch-mates (and the padding
        # they bring) change nothing, so the eval scores what the bot scores alone.
        assert together.model == pytest.approx(alone.model, abs=1e-5)


def test_both_components_name_a_type_from_full_distributions(bundle: ModelBundle) -> None:
    scores = bundle.score([CHAT_SCAMS[1]])[0]
    output = bundle.text_model.predict([CHAT_SCAMS[1]])[0]
    assert set(output.type_probabilities) == set(bundle.text_model.type_names)
    assert sum(output.type_probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert output.fraud_type == max(
        output.type_probabilities, key=output.type_probabilities.__getitem__
    )
    assert scores.learned_type == "impersonate_police"


def test_a_scam_late_in_a_long_message_is_still_read(bundle: ModelBundle) -> None:
    chatter = "今天天气不错，我们下午去公园散步，晚上回来做饭。" * 20  # ~ 4 windows
    scam = "您的银行卡涉嫌洗钱，请立即将资金转入安全账户配合公安机关调查，不要告诉任何人。"
    alone = bundle.score([chatter])[0].model
    late = bundle.score([chatter + scam])[0].model
    assert late > alone + 0.3


def test_async_scoring_runs_off_the_event_loop(bundle: ModelBundle) -> None:
    async def run() -> list[float]:
        scores = await asyncio.gather(*(bundle.score_async([text]) for text in EVERYDAY[:4]))
        return [item[0].model for item in scores]

    assert len(asyncio.run(run())) == 4


def test_verdicts_carry_every_component_and_model_evidence(fused: Analyzer) -> None:
    verdict = fused.analyze_offline(Submission(text=CHAT_SCAMS[1]))
    assert set(verdict.components) >= {"rules", "model", "ngram", "fused"}
    assert verdict.components["fused"] == verdict.score
    # Decisive rules are a floor: lukewarm models never talk a verdict below them.
    assert verdict.score >= (verdict.components["rules"] or 0.0)
    assert any(item.source == "model:encoder" for item in verdict.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "群里老师带着买，我昨天充了两万今天就赚了六千，你也下个APP注册一下",
        "姐，我跟着群里的老师买了两个月了，上周投了五万已经赚了一万多，你也下载个APP开户试试",
    ],
)
def test_chatty_investment_lures_warn_with_the_rules_type(fused: Analyzer, text: str) -> None:
    # The learned components are much less sure than the rules that these chats are fraud
    # (the encoder hears "姐 ... 你也" as a relative), so the rules name the type.
    verdict = fused.analyze_offline(Submission(text=text))
    assert verdict.risk in (RiskLevel.MEDIUM, RiskLevel.HIGH)
    assert verdict.fraud_type == "fake_investment"


@pytest.mark.parametrize(
    ("text", "fraud_type"),
    [
        (
            "买家：你这个王者号我要了，1800，我们在“游戏交易宝”平台交易吧。\n我：好的，我注册了\n"
            "买家：平台说你账户没开保证金，钱被冻结了，你先充200就能提现了",
            "game_trade",
        ),
        (
            # The learned type fusion alone calls it 杀猪盘, with no rule evidence for that.
            "兄弟最近咋样？说正事，有个赚钱门路，你把你的微信号借我用几天，帮人收款就行，每天给你300",
            "two_cards_mule",
        ),
    ],
)
def test_types_the_heads_never_saw_come_from_low_risk_rule_evidence(
    fused: Analyzer, text: str, fraud_type: str
) -> None:
    # The models are sure these chats are fraud, but their heads know only the data's
    # twelve types and call them 冒充熟人; the rules' weak evidence names the real one.
    assert fused.model is not None
    assert fraud_type not in fused.model.text_model.type_names
    verdict = fused.analyze_offline(Submission(text=text))
    assert verdict.risk is RiskLevel.HIGH
    assert verdict.fraud_type == fraud_type


def test_high_risk_needs_a_red_flag_the_resident_can_see(fused: Analyzer) -> None:
    from classifier.analyzer import UNCORROBORATED

    # A genuine offer of paid work through the platform's own escrow: the learned components
    # read the form as a scam's, the rules find no red flag of weight, so the verdict warns
    # at medium. (Until 2026-12-06 a genuine bank call written down served here; the
    # twenty-sixth session's n-gram model learned such calls and now scores it calm.)
    offer = (
        "UP主你好，我是《云海》手游的商务小周，想和你合作一期定制视频。我们统一走B站花火平台"
        "下单，报价在花火后台填写，资金由平台托管，视频发布验收后平台结算给你。"
    )
    verdict = fused.analyze_offline(Submission(text=offer))
    assert (verdict.components["rules"] or 0.0) < UNCORROBORATED
    assert verdict.score >= fused.thresholds.high
    assert verdict.risk is RiskLevel.MEDIUM
    # A red flag of weight keeps a high score high.
    scam = fused.analyze_offline(Submission(text=CHAT_SCAMS[1]))
    assert (scam.components["rules"] or 0.0) >= UNCORROBORATED
    assert scam.score >= fused.thresholds.high and scam.risk is RiskLevel.HIGH


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_messages_stay_calm(fused: Analyzer, text: str) -> None:
    verdict = fused.analyze_offline(Submission(text=text))
    assert verdict.risk in (RiskLevel.LOW, RiskLevel.SAFE), verdict.components


@pytest.mark.parametrize("text", CHAT_SCAMS)
def test_chats_and_adverts_that_are_scams_warn(fused: Analyzer, text: str) -> None:
    verdict = fused.analyze_offline(Submission(text=text))
    assert verdict.risk in (RiskLevel.HIGH, RiskLevel.MEDIUM), verdict.components


def test_rule_evidence_for_a_type_the_heads_never_saw_names_it(bundle: ModelBundle) -> None:
    from classifier.model.bundle import ModelScores
    from classifier.rules import RuleScore

    analyzer = Analyzer(model=bundle)
    assert "romance_pig_butchering" not in bundle.text_model.type_names
    heads = ModelScores(
        model=0.99,
        ngram=0.99,
        fraud_type="impersonate_acquaintance",
        type_probability=0.9,
        learned_type="impersonate_acquaintance",
        learned_support=0.99,
    )

    def named(by_type: dict[str, float]) -> str | None:
        best = max(by_type, key=by_type.__getitem__)
        rules = RuleScore(score=by_type[best], fraud_type=best, by_type=by_type)
        return analyzer._fused_type(best, rules, heads, 0.95, by_indicator=False)

    # The rules' best type is one the heads know, so only the new rule can name 杀猪盘.
    assert named({"gambling": 0.3, "romance_pig_butchering": 0.3}) == "romance_pig_butchering"
    # Below the low level, or weaker than the rules' evidence for the heads' type: the heads.
    assert named({"gambling": 0.3, "romance_pig_butchering": 0.2}) == "impersonate_acquaintance"
    evidence = {"impersonate_acquaintance": 0.45, "romance_pig_butchering": 0.3}
    assert named(evidence) == "impersonate_acquaintance"


def test_the_type_fusion_names_flagged_types_unless_rules_or_an_indicator_are_surer(
    bundle: ModelBundle,
) -> None:
    from classifier.model.bundle import ModelScores
    from classifier.model.type_fusion import TypeFusion
    from classifier.rules import RuleScore

    width = len(bundle.text_model.type_names) * 3 + 1
    always_mule = TypeFusion(
        tuple(bundle.text_model.type_names),
        tuple(bundle.text_model.type_names),
        ("two_cards_mule",),
        ("fake_loan", "two_cards_mule"),
        ((0.0,) * width, (0.0,) * width),
        (0.0, 1.0),
    )
    assert bundle.ngram is not None
    analyzer = Analyzer(
        model=ModelBundle(bundle.text_model, bundle.ngram, bundle.fusion, always_mule)
    )
    flat = {name: 1 / len(bundle.text_model.type_names) for name in bundle.text_model.type_names}

    def named(
        rule_score: float,
        support: float,
        score: float,
        by_indicator: bool = False,
        unseen: float = 0.0,
    ) -> str | None:
        scores = ModelScores(
            model=support,
            ngram=support,
            fraud_type="fake_loan",
            type_probability=0.9,
            learned_type="fake_loan",
            learned_support=support,
            encoder_types=flat,
            ngram_types=flat,
        )
        by_type = {"fake_investment": rule_score, "romance_pig_butchering": unseen}
        rules = RuleScore(rule_score, "fake_investment", by_type)
        return analyzer._fused_type("fake_investment", rules, scores, score, by_indicator)

    assert named(0.3, 0.99, 0.95) == "two_cards_mule"  # flagged: the type fusion
    # The type fusion learned the types the heads never saw: their rule evidence is one of its
    # inputs, not a last word over it (the unseen-type step is only for the path without it).
    assert named(0.3, 0.99, 0.95, unseen=0.9) == "two_cards_mule"
    assert named(0.9, 0.2, 0.95) == "fake_investment"  # rules surer than the models
    assert named(0.3, 0.99, 0.95, by_indicator=True) == "fake_loan"  # the heads' mix
    assert named(0.3, 0.99, 0.3) == "fake_investment"  # calm: the rules' weak type


def test_a_type_fusion_that_does_not_fit_is_one_clear_error(
    bundle: ModelBundle, tmp_path: Path
) -> None:
    from classifier.model.bundle import BUNDLED_DIR, ModelNotAvailableError
    from classifier.model.type_fusion import TYPE_FUSION_FILE

    model_dir = tmp_path / "model"
    shutil.copytree(BUNDLED_DIR, model_dir)
    fitted = bundle.type_fusion
    assert fitted is not None
    stale = dataclasses.replace(fitted, rule_types=fitted.rule_types[:-1])
    stale.save(model_dir / TYPE_FUSION_FILE)
    with pytest.raises(ModelNotAvailableError, match="scamcheck train --stage fusion"):
        ModelBundle.load(model_dir)
    refit = ModelBundle.load(model_dir, type_fusion=False)  # what the fusion stage loads
    assert refit.type_fusion is None and refit.fusion == bundle.fusion
    refit.close()
