"""Red-flag matching: every phrase of the knowledge base in one Aho-Corasick automaton, plus
the few regular expressions, plus co-occurrence combos.

Matching runs on the normalised text (Simplified, half-width, lower-case, CJK spacing
removed), so the phrases in the YAML files are written in that form too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from classifier.verdict import EvidenceKind
from knowledge import BenignFlag, Knowledge, RedFlag

# Words that turn a clause into a denial or a warning ("公检法不会让你把现金交给上门人员",
# "谨防骗子上门取现", "如有人以HR名义要求提供银行卡密码，请报告"). A red flag marked
# ``plain_clause`` matches only in a clause (between punctuation marks) without any of them.
# Hand-written: no library tells warnings apart.
_WARNING_WORDS = (
    "不会|不可能|从不|从来不|绝不|决不|并不|没有人|不存在|谨防|警惕|提防|切勿|千万不要|千万别|"
    "不要把|别把|不要将|不要相信|不要轻信|勿将|勿把|是诈骗|都是骗|骗子|诈骗分子|犯罪分子|嫌疑人|"
    "如有人|若有人|如果有人|一旦有人|如对方|若对方|谎称"
)
_CLAUSE_BREAK = r"[,.。!?;\n]"
_IN_CLAUSE = r"[^,.。!?;\n]"
_PLAIN_CLAUSE_START = rf"(?:^|{_CLAUSE_BREAK})(?!{_IN_CLAUSE}*(?:{_WARNING_WORDS})){_IN_CLAUSE}*?"

# A denial just before a red flag, in the same clause, turns it into a promise or a warning
# ("我们不会要求您把钱转到安全账户", "请不要相信任何要求共享屏幕的客服", "无需您提供验证码").
# Every red flag is checked against it, unlike the clause-wide _WARNING_WORDS above: it only
# looks at the few characters before the flag, and only at a negated request ("不会要求",
# "不会让你转", "不要相信", "别听谁说"), never at a bare "不会" or "不要" (a scam's "不要挂电话，
# 打开屏幕共享" keeps its flag, and so does "不会收取任何费用，请先转账到安全账户": the comma
# ends the denial). NegEx-style scoping written by hand: no library scopes Chinese negation.
# Regional words count as their Mandarin twins: 不得 / 唔得 ("won't", Sichuanese and
# Cantonese), 喊 ("tell someone to"), 覅 / 勿要 / 莫 / 甭 ("don't"), 唔使 ("no need").
_WONT = r"(?:不会|唔会|从不|从来不|绝不|决不|不得|唔得)"
_DONT = r"(?:不要|请勿|切勿|千万不要|千万别|别|勿|唔好|覅|勿要|莫|甭)"
_NO_NEED = r"(?:无需|无须|不需要|不用|唔使|唔需要|甭)"
_DENIAL = re.compile(
    rf"{_WONT}(?:主动|再)?(?:要求|以|通过|透过|向|私下|打电话|电话|发短信|私聊)"
    rf"|{_WONT}(?:主动)?(?:让|叫|喊)"
    r"(?:任何人|家长|学生|同学|客户|大家|老人|你们|您|你)?"
    r"(?:把|往|将|转|交|缴|付|汇|下载|安装|装|共享|开|扫|加|提供|报|点|填|输|操作)"
    rf"|{_DONT}(?:相信|轻信|理会|听信|信|听(?:谁|别人|人家|陌生人|任何人|他们|对方))"
    rf"|{_NO_NEED}(?:您|你)?(?:提供|缴纳|支付|下载|转账|操作|交|联系)"
    # ... or ends right before a flag that starts with the verb itself ("不需要您|提供验证码")
    rf"|{_NO_NEED}(?:您|你)?$"
    rf"|{_DONT}(?:再)?(?:交|缴|付|转)(?:什么|任何|所谓)"
    r"|不存在|没有所谓"
)
_DENIAL_WINDOW = 24  # characters before the flag that may hold its denial
# A denial does not reach past these: _CLAUSE_BREAK without ".", which in normalised text is
# also a decimal point or part of a link ("不会要求您转账 3.5 万" is one clause).
_DENIAL_BREAK = re.compile(r"[,。!?;\n]")


def denied(text: str, start: int) -> bool:
    """Whether the words just before ``start`` in ``text``, within the same clause, deny
    or warn against what follows."""
    window = text[max(0, start - _DENIAL_WINDOW) : start]
    return _DENIAL.search(_DENIAL_BREAK.split(window)[-1]) is not None


# The other order: what someone might say, reported and then dismissed in the same sentence
# ("如果有人打电话说我出车祸要交保证金，都别信", "说什么解除分期付款，你不要理", "有陌生电话说要转到
# 安全账户的，你直接挂"). A flag counts as dismissed only between the two: a request made after
# the dismissal ("有人说你涉嫌洗钱，别信他们，把钱转到安全账户") keeps its flag. Same
# hand-written NegEx scoping as the denial above.
_HEARSAY = re.compile(
    r"有人(?:打电话|打来电话|来电|发短信|发消息|发信息|在网上)?(?:说|讲|称|自称|告诉你)"
    r"|说什么|说的那个|(?:陌生|任何)(?:电话|来电|人|短信|号码)(?:说|讲|称|让|叫|要)"
    r"|(?:不管|无论)(?:是)?(?:谁|什么人)(?:让|叫|要)"
)
_DISMISSAL = re.compile(
    r"(?:别|不要|不用|莫|勿|甭)(?:去)?(?:信|相信|理|理会|听|搭理|做|碰)"
    r"|直接挂|挂掉|都是骗|是骗子|是诈骗|是骗人"
)
_HEARSAY_WINDOW = 40  # characters from the report to the flag, and from the flag to its dismissal
_SENTENCE_BREAK = re.compile(r"[。!?\n]")


def dismissed(text: str, start: int, end: int) -> bool:
    """Whether the flag at ``text[start:end]`` is only reported ("有人说…") and then
    dismissed ("…都别信") within the same sentence."""
    before = _SENTENCE_BREAK.split(text[max(0, start - _HEARSAY_WINDOW) : start])[-1]
    if _HEARSAY.search(before) is None:
        return False
    after = _SENTENCE_BREAK.split(text[end : end + _HEARSAY_WINDOW])[0]
    return _DISMISSAL.search(after) is not None


# A scam's words quoted to warn about them: inside quotation marks that scam talk introduces
# ("骗子常说：“您好，我是淘宝客服，给您三倍理赔”") or that a dismissal closes ("“…请点击链接
# 领取”——这是假的！"). Only the quoted words lose their flags: a request outside the quote
# ("有骗子冒充客服说“账户异常”，请把钱转到安全账户") keeps its own.
_QUOTES = {"“": "”", "「": "」", "『": "』", '"': '"'}  # opening mark -> its closing mark
_QUOTE_INTRO = re.compile(
    r"骗子(?:最?常|经常|一般|会|的)?(?:说|讲|用|话术|套路|开场)|(?:诈骗|骗子)(?:短信|电话|话术|套路)"
    r"|话术|假短信|这种短信|这类短信|不法分子|犯罪分子|诈骗分子"
)
_QUOTE_VERDICT = re.compile(
    r"是假的|是诈骗|是骗子|都是骗|是骗局|是非法集资|别信|别点|不要点|千万别|别上当|立刻挂|直接挂|一律挂"
)
# The curly closing marks (a straight quote cannot tell opening from closing).
_QUOTE_CLOSING = re.compile(
    "[" + "".join(closing for opening, closing in _QUOTES.items() if opening != closing) + "]"
)
_QUOTE_REACH = 160  # characters a quotation may span around a flag
_QUOTE_INTRO_REACH = 20  # characters before a quotation that may introduce it
_QUOTE_VERDICT_REACH = 12  # characters after a quotation that may dismiss it


def _quotation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The (opening, closing) positions of the quotation marks around ``text[start:end]``."""
    low = max(0, start - _QUOTE_REACH)
    for opening, closing in _QUOTES.items():
        if opening == closing:  # a straight quote: inside when an odd number precede
            if text.count(opening, 0, start) % 2 == 0:
                continue
            open_at = text.rfind(opening, low, start)
        else:
            open_at = text.rfind(opening, low, start)
            if open_at < 0 or text.find(closing, open_at, start) >= 0:
                continue
        close_at = text.find(closing, end, end + _QUOTE_REACH)
        if open_at >= 0 and close_at >= 0:
            return open_at, close_at
    return None


def quoted_as_scam(text: str, start: int, end: int) -> bool:
    """Whether the flag at ``text[start:end]`` lies inside a quotation that the words
    around it call a scam's (introduced as scam talk, or dismissed right after)."""
    quotation = _quotation(text, start, end)
    if quotation is None:
        return False
    open_at, close_at = quotation
    # The introduction is the speaker's, not an earlier quotation's (a call transcript in
    # quotes may itself say "诈骗电话"); the verdict follows in the same clause ("“…”的电话都是
    # 骗子", not a victim's later "…我才知道那个网站是假的").
    intro = _SENTENCE_BREAK.split(text[max(0, open_at - _QUOTE_INTRO_REACH) : open_at])[-1]
    intro = _QUOTE_CLOSING.split(intro)[-1]
    verdict = _DENIAL_BREAK.split(text[close_at + 1 : close_at + 1 + _QUOTE_VERDICT_REACH])[0]
    return _QUOTE_INTRO.search(intro) is not None or _QUOTE_VERDICT.search(verdict) is not None


# A link the message itself calls fake, in the sentence around it ("域名是xszz-gov.cn.cc，不是
# 政府网站", "那个网址 ybj-gov.cn.top 是假的", "千万别点：…"): a warning that quotes the
# lookalike, not a message that sends you to it. Measured on the read parts: of the messages
# with a domain finding (40 everyday, 1,505 scams), 11 everyday ones and one scam (a victim's
# story that its other words still flag) have such words in the link's sentence; a victim who
# asks "是不是假的" is not matched. Hand-written, like the scoping above.
_CALLED_FAKE = re.compile(
    r"不是[^。!?\n]{0,8}(?:网站|网址|域名|官网|链接|网页)|(?<!不)是假(?:的|网站|网址|链接)"
    r"|一看就是?假|明显是假|假(?:网站|网址|链接|域名)|钓鱼(?:网站|链接|网址|短信)"
    r"|别点|不要点|千万别|千万不要|勿点|切勿点击|山寨|仿冒"
)
_CALLED_FAKE_REACH = 30  # characters on each side of the link, within its sentence


def called_fake(text: str, start: int, end: int) -> bool:
    """Whether the sentence around ``text[start:end]`` (normalised text) calls it fake."""
    before = _SENTENCE_BREAK.split(text[max(0, start - _CALLED_FAKE_REACH) : start])[-1]
    after = _SENTENCE_BREAK.split(text[end : end + _CALLED_FAKE_REACH])[0]
    return _CALLED_FAKE.search(before) is not None or _CALLED_FAKE.search(after) is not None


def _negated(text: str, span: tuple[int, int]) -> bool:
    return denied(text, span[0]) or dismissed(text, *span) or quoted_as_scam(text, *span)


def _plain_clause(flag: RedFlag | BenignFlag) -> bool:
    return isinstance(flag, RedFlag) and flag.plain_clause


def compile_flag(flag: RedFlag | BenignFlag) -> re.Pattern[str] | None:
    """The flag's regex, compiled; confined to a plain clause when the flag asks for it, its
    phrases then joining the regex (the phrase automaton cannot see the clause)."""
    if not _plain_clause(flag):
        return re.compile(flag.regex) if flag.regex is not None else None
    options = [flag.regex] if flag.regex is not None else []
    options += [re.escape(phrase) for phrase in flag.phrases]
    return re.compile(f"{_PLAIN_CLAUSE_START}(?P<flag>{'|'.join(options)})")


@dataclass(frozen=True)
class RuleHit:
    """A red flag, combo or benign flag that matched, with its first span (normalised text)."""

    rule_id: str
    kind: EvidenceKind
    weight: float
    types: tuple[str, ...]
    explanation: str
    span: tuple[int, int] | None


class RuleEngine:
    """Matches all red flags of a knowledge base against normalised text, in linear time."""

    def __init__(self, knowledge: Knowledge) -> None:
        self._knowledge = knowledge
        flags: list[RedFlag | BenignFlag] = [*knowledge.red_flags, *knowledge.benign_flags.values()]
        self._benign = frozenset(knowledge.benign_flags)
        self._automaton = ahocorasick.Automaton()
        by_phrase: dict[str, list[str]] = {}
        self._regexes: list[tuple[str, re.Pattern[str]]] = []
        for flag in flags:
            for phrase in () if _plain_clause(flag) else flag.phrases:
                by_phrase.setdefault(phrase, []).append(flag.id)
            pattern = compile_flag(flag)
            if pattern is not None:
                self._regexes.append((flag.id, pattern))
        for phrase, ids in by_phrase.items():
            self._automaton.add_word(phrase, (len(phrase), tuple(ids)))
        if by_phrase:
            self._automaton.make_automaton()
        self._has_phrases = bool(by_phrase)
        self._combos = list(knowledge.combos)

    def match(self, text: str) -> list[RuleHit]:
        """Every rule that matches ``text``, each once, at its first occurrence that no
        denial just before it turns into a promise or a warning (``denied``), that is not
        only reported and then dismissed (``dismissed``) and that is not a scam's words
        quoted to warn about them (``quoted_as_scam``)."""
        first: dict[str, tuple[int, int]] = {}
        if self._has_phrases:
            for end, (length, ids) in self._automaton.iter(text):
                start = end - length + 1
                for flag_id in ids:
                    if flag_id in first and first[flag_id][0] <= start:
                        continue
                    if flag_id in self._benign or not _negated(text, (start, end + 1)):
                        first[flag_id] = (start, end + 1)
        for flag_id, pattern in self._regexes:
            if flag_id in first:
                continue
            for found in pattern.finditer(text):
                if found.end() == found.start():
                    continue
                # A plain-clause match starts at its clause: the flag's own words are the group.
                span = found.span("flag" if "flag" in pattern.groupindex else 0)
                if flag_id in self._benign or not _negated(text, span):
                    first[flag_id] = span
                    break
        hits = [self._hit(flag_id, span) for flag_id, span in first.items()]
        matched = set(first)
        for combo in self._combos:
            if matched.issuperset(combo.all):
                hits.append(
                    RuleHit(
                        rule_id=combo.id,
                        kind=EvidenceKind.COMBO,
                        weight=combo.weight,
                        types=self._knowledge.flag_types(combo.id),
                        explanation=combo.explain,
                        span=None,
                    )
                )
        hits.sort(key=lambda hit: (hit.span or (len(text), 0), hit.rule_id))
        return hits

    def _hit(self, flag_id: str, span: tuple[int, int]) -> RuleHit:
        flag = self._knowledge.flag(flag_id)
        benign = flag_id in self._benign
        return RuleHit(
            rule_id=flag_id,
            kind=EvidenceKind.BENIGN if benign else EvidenceKind.RULE,
            weight=flag.weight,
            types=() if benign else self._knowledge.flag_types(flag_id),
            explanation=flag.explain,
            span=span,
        )


def noisy_or(weights: Iterable[float]) -> float:
    """Combine independent pieces of evidence: 1 - Π(1 - w)."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(max(weight, 0.0), 1.0)
    return 1.0 - remaining


@dataclass(frozen=True)
class RuleScore:
    """The rules' score, the type it points to, and each type's own score."""

    score: float
    fraud_type: str | None
    by_type: dict[str, float]
    # The factor the benign flags scaled the score by (1.0: none fired).
    damping: float = 1.0


def score_hits(hits: Iterable[RuleHit]) -> RuleScore:
    """Score rule hits: per fraud type, a noisy-OR of the flags supporting it plus the
    untyped common flags; the best type wins; benign counter-evidence scales it down.

    Taking the best type (instead of pooling every flag) keeps weak words of unrelated types
    (客服, 贷款, 中奖 in one long advert) from adding up to a false alarm.
    """
    typed: dict[str, list[float]] = {}
    generic: list[float] = []
    damping = 1.0
    for hit in hits:
        if hit.kind is EvidenceKind.BENIGN:
            damping *= 1.0 + hit.weight
            continue
        if not hit.types:
            generic.append(hit.weight)
        for fraud_type in hit.types:
            typed.setdefault(fraud_type, []).append(hit.weight)
    by_type = {key: noisy_or([*weights, *generic]) for key, weights in typed.items()}
    best_type = max(by_type, key=lambda key: (by_type[key], key), default=None)
    raw = by_type[best_type] if best_type is not None else noisy_or(generic)
    return RuleScore(score=raw * damping, fraud_type=best_type, by_type=by_type, damping=damping)
