"""The statutory periods of D9 and D11, each in the versions of D10.

A ``Rule`` is a duty with a public code (``litigation_defence``); it has one or
more ``RuleVersion``s, each valid from a date and each with its own legal basis
(law, edition, articles), length, unit and the period in words. A period follows
the version in force on its **trigger date** (D10); a rule asked for on a date
before any of its versions existed raises ``RuleNotInForce`` with a one-line
reason. Some rules come in parallel *variants* (a 检察建议 and a 司法建议 are both
answered under ``recommendation_reply``); a variant is chosen by name, its
versions by date.

Sources (DOMAIN.md): ARL = 行政复议法 (1999 as amended to 2017; revised 2023, in
force 2024-01-01); ALL = 行政诉讼法 (1989; amended 2014, in force 2015-05-01, and
2017); CPL = 民事诉讼法 (2023; applies through ALL 101). Rules D10 calls
"unchanged" whose period never changed cite the current article only; where the
article number itself changed with an edition that we could verify (ALL 1989 ->
2014) the old edition is a version of its own, so the basis shown for an old
case names the article in force then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

__all__ = [
    "ALL_2014_IN_FORCE",
    "ARL_2023_IN_FORCE",
    "MANUAL",
    "RULES",
    "Duty",
    "Rule",
    "RuleError",
    "RuleNotInForce",
    "RuleVersion",
    "Unit",
    "UnknownRule",
    "chinese_number",
    "get_rule",
]

#: The rule code of a deadline staff typed in by hand (not one of RULES).
MANUAL: Final[str] = "manual"

#: The cut-overs of D10.
ALL_2014_IN_FORCE: Final = date(2015, 5, 1)  # 行政诉讼法 2014 amendment
ARL_2023_IN_FORCE: Final = date(2024, 1, 1)  # 行政复议法 2023 revision (ARL Art. 90)
_ARL_REGULATION_IN_FORCE: Final = date(2007, 8, 1)  # 行政复议法实施条例
_SPP_RECOMMENDATION_IN_FORCE: Final = date(2019, 2, 26)  # 人民检察院检察建议工作规定


class Unit(StrEnum):
    """How a period's length is counted."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"


class Duty(StrEnum):
    """Whose duty it is to act before the period ends."""

    BUREAU = "bureau"
    REVIEWING_BODY = "reviewing_body"
    COURT = "court"
    APPLICANT = "applicant"
    PARTIES = "parties"


class RuleError(ValueError):
    """A rule cannot give a period for this request (one-line reason in str())."""


class UnknownRule(RuleError):
    """A rule code that is not in RULES."""


class RuleNotInForce(RuleError):
    """The rule (or the variant asked for) did not exist on the trigger date."""

    def __init__(self, rule: str, day: date, since: date | None, variant: str = "") -> None:
        self.rule, self.day, self.since, self.variant = rule, day, since, variant
        name = f"{rule} ({variant})" if variant else rule
        when = f"it applies from {since.isoformat()}" if since else "it has no version in force then"
        super().__init__(f"{name} was not in force on {day.isoformat()}: {when}.")


_DIGITS: Final = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..9999 in Chinese numerals as statutes write them: 67 -> 六十七, 174 -> 一百七十四."""
    if not 0 < n < 10000:
        raise ValueError(f"{n} is outside 1..9999.")
    parts: list[str] = []
    zero_pending = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(_DIGITS[digit] + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """One version of a rule: its window, basis (law, articles), length, unit and words.

    ``length`` is None when the deciding document sets the period (a judgment
    ordering a new act); ``set_by_document`` lets the caller pass the document's
    own length instead of the default (a 司法建议 "within 30 days" by default).
    """

    code: str
    valid_from: date | None
    valid_until: date | None  # inclusive
    length: int | None
    unit: Unit
    law_zh: str
    law_en: str
    articles: tuple[int, ...]
    period_zh: str
    period_en: str
    variant: str = ""
    set_by_document: bool = False

    def in_force_on(self, day: date) -> bool:
        """True when ``day`` lies inside this version's window."""
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_until is None or day <= self.valid_until)

    @property
    def article_zh(self) -> str:
        """第六十七条 / 第四十八条、第八十八条 (empty when the basis is a document)."""
        return "、".join(f"第{chinese_number(a)}条" for a in self.articles)

    @property
    def article_en(self) -> str:
        if not self.articles:
            return ""
        label = "Art." if len(self.articles) == 1 else "Arts."
        return f"{label} {', '.join(str(a) for a in self.articles)}"

    @property
    def basis_zh(self) -> str:
        """《行政诉讼法》第六十七条：收到起诉状副本之日起十五日内提交答辩状."""
        return f"{self.law_zh}{self.article_zh}：{self.period_zh}"

    @property
    def basis_en(self) -> str:
        head = f"{self.law_en} {self.article_en}".strip()
        return f"{head}: {self.period_en}"

    def as_dict(self) -> dict[str, str | int | bool | None]:
        """A JSON-ready description of the version (for the API's rule list)."""
        return {
            "version": self.code,
            "variant": self.variant,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "length": self.length,
            "unit": self.unit.value,
            "set_by_document": self.set_by_document,
            "law": self.law_zh,
            "articles": ", ".join(str(a) for a in self.articles),
            "basis": self.basis_zh,
            "basis_en": self.basis_en,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """One statutory duty of D9/D11 (its code, trigger, duty, titles) and its versions."""

    code: str
    trigger: str
    duty: Duty
    title_zh: str
    title_en: str
    trigger_zh: str
    versions: tuple[RuleVersion, ...]

    @property
    def is_bureau_duty(self) -> bool:
        """Bureau duties are reminded and must be met; the rest are only watched."""
        return self.duty is Duty.BUREAU

    @property
    def variants(self) -> tuple[str, ...]:
        """The variant names in table order ("" alone for a rule without variants)."""
        return tuple(dict.fromkeys(v.variant for v in self.versions))

    @property
    def current(self) -> RuleVersion:
        """The version in force today for the default variant (the table's last one)."""
        return [v for v in self.versions if v.variant == self.variants[0]][-1]

    # The current version's figures, for callers that show "the rule" without a date.
    @property
    def length(self) -> int | None:
        return self.current.length

    @property
    def unit(self) -> Unit:
        return self.current.unit

    @property
    def basis(self) -> str:
        return self.current.basis_zh

    def first_in_force(self, variant: str = "") -> date | None:
        """The first day any version of the variant applies (None: no lower bound)."""
        starts = [v.valid_from for v in self._of_variant(variant)]
        return None if None in starts else min(d for d in starts if d is not None)

    def version_on(self, day: date, variant: str = "") -> RuleVersion:
        """The version in force on ``day``; RuleNotInForce when none was."""
        for version in self._of_variant(variant):
            if version.in_force_on(day):
                return version
        raise RuleNotInForce(self.code, day, self.first_in_force(variant), variant)

    def version(self, code: str) -> RuleVersion | None:
        """The version with this code (None when the rule has no such version)."""
        return next((v for v in self.versions if v.code == code), None)

    def _of_variant(self, variant: str) -> list[RuleVersion]:
        name = variant or self.variants[0]
        found = [v for v in self.versions if v.variant == name]
        if not found:
            valid = ", ".join(self.variants)
            raise RuleError(f"{self.code} has no variant {variant!r}; valid variants: {valid}.")
        return found

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready description of the rule (for the API's rule list)."""
        current = self.current
        return {
            "code": self.code,
            "length": current.length,
            "unit": current.unit.value,
            "trigger": self.trigger,
            "trigger_zh": self.trigger_zh,
            "duty": self.duty.value,
            "is_bureau_duty": self.is_bureau_duty,
            "basis": current.basis_zh,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "versions": [v.as_dict() for v in self.versions],
        }


_WD, _DAYS, _MONTHS = Unit.WORKING_DAYS, Unit.DAYS, Unit.MONTHS
_BEFORE_ALL_2014 = ALL_2014_IN_FORCE - timedelta(days=1)
_BEFORE_ARL_2023 = ARL_2023_IN_FORCE - timedelta(days=1)

# Law names: the edition in force now is named plainly; a superseded edition carries its year.
_ARL = ("《行政复议法》", "Administrative Reconsideration Law")
_ARL_1999 = ("《行政复议法》（1999年）", "Administrative Reconsideration Law (1999)")
_ARL_REG = ("《行政复议法实施条例》", "Regulation on the Implementation of the Administrative Reconsideration Law")
_ALL = ("《行政诉讼法》", "Administrative Litigation Law")
_ALL_1989 = ("《行政诉讼法》（1989年）", "Administrative Litigation Law (1989)")
_CPL = ("《民事诉讼法》", "Civil Procedure Law")
_SPC_2000 = (
    "《最高人民法院关于执行〈中华人民共和国行政诉讼法〉若干问题的解释》（法释〔2000〕8号）",
    "SPC Interpretation on the Administrative Litigation Law (Fa Shi [2000] No. 8)",
)
_SPP = ("《人民检察院检察建议工作规定》", "Provisions of the Supreme People's Procuratorate on Procuratorial Recommendations")
_LETTER = ("司法建议书", "The judicial recommendation letter")
_JUDGMENT = ("人民法院裁判文书", "The court's judgment")


def _v(
    code: str, span: tuple[date | None, date | None], length: int | None, unit: Unit,
    law: tuple[str, str], articles: tuple[int, ...], zh: str, en: str, **extra: object,
) -> RuleVersion:
    return RuleVersion(code, span[0], span[1], length, unit, law[0], law[1], articles, zh, en, **extra)  # type: ignore[arg-type]


_OLD_ALL = (None, _BEFORE_ALL_2014)
_NEW_ALL = (ALL_2014_IN_FORCE, None)
_OLD_ARL = (None, _BEFORE_ARL_2023)
_NEW_ARL = (ARL_2023_IN_FORCE, None)
_ALWAYS: tuple[date | None, date | None] = (None, None)

_RULE_LIST: Final[tuple[Rule, ...]] = (
    Rule("reconsideration_reply", "the bureau receives the application copy", Duty.BUREAU,
         "行政复议书面答复", "Written reply in reconsideration", "收到行政复议申请书副本", (
        # Old ARL Art. 40 made only its "5 days" and "7 days" working days, so Art. 23's 10 are calendar days.
        _v("ARL-1999", _OLD_ARL, 10, _DAYS, _ARL_1999, (23,),
           "自收到申请书副本或者申请笔录复印件之日起十日内提出书面答复",
           "a written reply within 10 days of receiving the application copy"),
        _v("ARL-2023", _NEW_ARL, 10, _WD, _ARL, (48, 88),
           "自收到申请书副本或者申请笔录复印件之日起十个工作日内提出书面答复并提交证据、依据",
           "a written reply with evidence within 10 working days of receiving the application copy"),
    )),
    Rule("reconsideration_reply_simplified", "the bureau receives the application copy", Duty.BUREAU,
         "行政复议书面答复（简易程序）", "Written reply in reconsideration (simplified procedure)",
         "收到行政复议申请书副本", (
        _v("ARL-2023", _NEW_ARL, 5, _WD, _ARL, (54, 88),
           "适用简易程序的，自收到申请书副本或者申请笔录复印件之日起五个工作日内提出书面答复",
           "in the simplified procedure, a written reply within 5 working days of receiving the application copy"),
    )),
    Rule("reconsideration_decision", "acceptance", Duty.REVIEWING_BODY,
         "行政复议决定期限", "Reconsideration decision", "受理行政复议申请", (
        _v("ARL-1999", _OLD_ARL, 60, _DAYS, _ARL_1999, (31,),
           "自受理申请之日起六十日内作出行政复议决定", "a decision within 60 days of acceptance"),
        _v("ARL-2023", _NEW_ARL, 60, _DAYS, _ARL, (62,),
           "自受理申请之日起六十日内作出行政复议决定", "a decision within 60 days of acceptance"),
    )),
    Rule("reconsideration_decision_extended", "acceptance", Duty.REVIEWING_BODY,
         "行政复议决定期限（延长）", "Reconsideration decision (extended)", "受理行政复议申请", (
        _v("ARL-1999", _OLD_ARL, 90, _DAYS, _ARL_1999, (31,),
           "自受理申请之日起六十日内作出决定，经批准延长不超过三十日",
           "a decision within 60 days of acceptance, extended by at most 30 days"),
        _v("ARL-2023", _NEW_ARL, 90, _DAYS, _ARL, (62,),
           "自受理申请之日起六十日内作出决定，经批准延长不超过三十日",
           "a decision within 60 days of acceptance, extended by at most 30 days"),
    )),
    Rule("reconsideration_decision_simplified", "acceptance", Duty.REVIEWING_BODY,
         "行政复议决定期限（简易程序）", "Reconsideration decision (simplified procedure)", "受理行政复议申请", (
        _v("ARL-2023", _NEW_ARL, 30, _DAYS, _ARL, (62,),
           "适用简易程序的，自受理申请之日起三十日内作出行政复议决定",
           "in the simplified procedure, a decision within 30 days of acceptance"),
    )),
    Rule("opinion_letter_correction", "the bureau receives an opinion letter", Duty.BUREAU,
         "报送行政复议意见书纠正情况", "Report on corrections after an opinion letter", "收到行政复议意见书", (
        _v("ARL-REG-2007", (_ARL_REGULATION_IN_FORCE, _BEFORE_ARL_2023), 60, _DAYS, _ARL_REG, (57,),
           "自收到行政复议意见书之日起六十日内将纠正情况通报行政复议机构",
           "report the corrections to the reconsideration office within 60 days of receiving the opinion letter"),
        _v("ARL-2023", _NEW_ARL, 60, _DAYS, _ARL, (76,),
           "自收到行政复议意见书之日起六十日内将纠正情况报送行政复议机构",
           "report the corrections to the reconsideration office within 60 days of receiving the opinion letter"),
    )),
    Rule("lawsuit_after_reconsideration", "the decision is served on the applicant", Duty.APPLICANT,
         "复议决定后起诉期限", "Time to sue after reconsideration", "行政复议决定书送达申请人", (
        _v("ALL-1989", _OLD_ALL, 15, _DAYS, _ALL_1989, (38,),
           "自收到复议决定书之日起十五日内向人民法院提起诉讼",
           "sue within 15 days of receiving the reconsideration decision"),
        _v("ALL-2014", _NEW_ALL, 15, _DAYS, _ALL, (45,),
           "自收到复议决定书之日起十五日内向人民法院提起诉讼",
           "sue within 15 days of receiving the reconsideration decision"),
    )),
    Rule("litigation_defence", "the bureau receives the complaint copy", Duty.BUREAU,
         "提交答辩状及证据", "Defence and evidence", "收到起诉状副本", (
        _v("ALL-1989", _OLD_ALL, 10, _DAYS, _ALL_1989, (43,),
           "收到起诉状副本之日起十日内提交作出具体行政行为的有关材料并提出答辩状",
           "file the materials of the act and a defence within 10 days of receiving the complaint copy"),
        _v("ALL-2014", _NEW_ALL, 15, _DAYS, _ALL, (67,),
           "收到起诉状副本之日起十五日内提交答辩状",
           "file a defence within 15 days of receiving the complaint copy"),
    )),
    Rule("appellee_answer", "the bureau receives the appeal petition", Duty.BUREAU,
         "被上诉人答辩", "Appellee's answer", "收到上诉状副本", (
        _v("CPL-2023", _ALWAYS, 15, _DAYS, _CPL, (174,),
           "收到上诉状副本之日起十五日内提出答辩状",
           "file an answer within 15 days of receiving the appeal petition"),
    )),
    Rule("appeal_judgment", "a judgment is served", Duty.PARTIES,
         "不服判决上诉期限", "Appeal against a judgment", "判决书送达", (
        _v("ALL-1989", _OLD_ALL, 15, _DAYS, _ALL_1989, (58,),
           "判决书送达之日起十五日内提起上诉", "appeal within 15 days of service of the judgment"),
        _v("ALL-2014", _NEW_ALL, 15, _DAYS, _ALL, (85,),
           "判决书送达之日起十五日内提起上诉", "appeal within 15 days of service of the judgment"),
    )),
    Rule("appeal_ruling", "a ruling is served", Duty.PARTIES,
         "不服裁定上诉期限", "Appeal against a ruling", "裁定书送达", (
        _v("ALL-1989", _OLD_ALL, 10, _DAYS, _ALL_1989, (58,),
           "裁定书送达之日起十日内提起上诉", "appeal within 10 days of service of the ruling"),
        _v("ALL-2014", _NEW_ALL, 10, _DAYS, _ALL, (85,),
           "裁定书送达之日起十日内提起上诉", "appeal within 10 days of service of the ruling"),
    )),
    Rule("first_instance_trial", "filing", Duty.COURT,
         "一审审理期限", "First-instance trial limit", "立案", (
        _v("ALL-1989", _OLD_ALL, 3, _MONTHS, _ALL_1989, (57,),
           "立案之日起三个月内作出第一审判决", "a first-instance judgment within 3 months of filing"),
        _v("ALL-2014", _NEW_ALL, 6, _MONTHS, _ALL, (81,),
           "立案之日起六个月内作出第一审判决", "a first-instance judgment within 6 months of filing"),
    )),
    Rule("first_instance_simplified", "filing", Duty.COURT,
         "一审简易程序审理期限", "First-instance trial limit (simplified procedure)", "立案", (
        _v("ALL-2014", _NEW_ALL, 45, _DAYS, _ALL, (83,),
           "适用简易程序的，立案之日起四十五日内审结",
           "in the simplified procedure, concluded within 45 days of filing"),
    )),
    Rule("second_instance_trial", "the appeal is filed", Duty.COURT,
         "二审审理期限", "Second-instance trial limit", "上诉案件立案", (
        _v("ALL-1989", _OLD_ALL, 2, _MONTHS, _ALL_1989, (60,),
           "收到上诉状之日起两个月内作出终审判决", "a final judgment within 2 months of receiving the appeal"),
        _v("ALL-2014", _NEW_ALL, 3, _MONTHS, _ALL, (88,),
           "收到上诉状之日起三个月内作出终审判决", "a final judgment within 3 months of receiving the appeal"),
    )),
    Rule("retrial_application", "the judgment takes effect", Duty.PARTIES,
         "申请再审期限", "Retrial application", "裁判发生法律效力", (
        # D10: 2 years under 法释〔2000〕8号 Art. 73 (UNCONF.), counted as 24 months.
        _v("SPC-2000", _OLD_ALL, 24, _MONTHS, _SPC_2000, (73,),
           "判决、裁定发生法律效力后二年内申请再审",
           "apply for a retrial within 2 years after the judgment or ruling takes effect"),
        _v("CPL-2023", _NEW_ALL, 6, _MONTHS, _CPL, (216,),
           "判决、裁定发生法律效力后六个月内申请再审",
           "apply for a retrial within 6 months after the judgment or ruling takes effect"),
    )),
    # D11: more duties of the bureau.
    Rule("retrial_opinion", "the bureau receives a copy of the retrial application", Duty.BUREAU,
         "再审申请书面意见", "Written opinion on a retrial application", "收到再审申请书副本", (
        _v("CPL-2023", _ALWAYS, 15, _DAYS, _CPL, (214,),
           "自收到再审申请书副本之日起十五日内提交书面意见",
           "file a written opinion within 15 days of receiving the retrial application copy"),
    )),
    Rule("act_redo", "a decision ordering a new act is served on the bureau", Duty.BUREAU,
         "重新作出行政行为", "Making a new act as ordered", "收到责令重新作出行政行为的决定或裁判", (
        # 实施条例 Art. 49 (UNCONF. whether revised): 60 days unless a statute sets another period.
        _v("ARL-REG-2007", (_ARL_REGULATION_IN_FORCE, None), 60, _DAYS, _ARL_REG, (49,),
           "法律、法规、规章未规定期限的，自收到行政复议决定书之日起六十日内重新作出行政行为",
           "make the new act within 60 days of receiving the decision unless a statute sets another period",
           variant="reconsideration"),
        _v("JUDGMENT", _ALWAYS, None, _DAYS, _JUDGMENT, (),
           "在裁判确定的期限内重新作出行政行为", "make the new act within the period the judgment sets",
           variant="judgment", set_by_document=True),
    )),
    Rule("recommendation_reply", "the bureau receives a procuratorial or judicial recommendation", Duty.BUREAU,
         "回复检察建议或司法建议", "Reply to a recommendation", "收到检察建议书或司法建议书", (
        # Art. 18 of the 2019 provisions (UNCONF. article number): a written reply within two months.
        _v("SPP-2019", (_SPP_RECOMMENDATION_IN_FORCE, None), 2, _MONTHS, _SPP, (18,),
           "自收到检察建议书之日起两个月内书面回复", "a written reply within 2 months of receiving the recommendation",
           variant="procuratorial"),
        _v("LETTER", _ALWAYS, 30, _DAYS, _LETTER, (),
           "在建议书确定的期限内书面回复（未确定的，三十日）",
           "a written reply within the period the letter sets (30 days if it sets none)",
           variant="judicial", set_by_document=True),
    )),
)  # fmt: skip

#: Every rule of D9 and D11 by code, in table order.
RULES: Final[dict[str, Rule]] = {rule.code: rule for rule in _RULE_LIST}


def get_rule(code: str) -> Rule:
    """The rule with this code, or UnknownRule naming the valid codes."""
    try:
        return RULES[code]
    except KeyError:
        valid = ", ".join(RULES)
        raise UnknownRule(f"Unknown deadline rule {code!r}; valid rules: {valid}.") from None
