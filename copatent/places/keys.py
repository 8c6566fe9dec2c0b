"""The key under which names are compared: widths, brackets, punctuation and company forms.

Two spellings of one institution usually differ only in these (有研稀土新材料股份有限公司 /
有研稀土新材料有限公司; 中煤第三建设（集团）有限责任公司 / 中煤第三建设有限责任公司), so the
gazetteer, the ``--places`` table, the thesaurus and ``places variants`` compare names by
:func:`name_key`. The key keeps what tells institutions apart: bracketed campus and place names
(中国矿业大学(北京) is not 中国矿业大学) and the words of the name itself.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

COMPANY_FORMS: Final = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "总公司",
    "公司",
    "集团",
)
"""Suffixes naming a company's legal form, not the company (stripped from the end, repeatedly)."""

_SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff])")
_SPACES = re.compile(r"\s+")
_BRACKETS: Final = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")",
                                  "[": "(", "]": ")", "［": "(", "］": ")"})  # fmt: skip
_FORM_IN_BRACKETS = re.compile(r"\((?:集团|股份|有限公司|控股)\)")
_PUNCTUATION = re.compile(r"[\s、,，.。·・'\"“”‘’:：;；\-—_/]+")
_LEADING_FORMS = re.compile(r"^(?:集团|股份|有限公司|有限责任公司|股份有限公司|控股)+")


def normalise_name(name: str) -> str:
    """The key under which an applicant is stored.

    Full-width letters, digits and brackets become half-width (Unicode NFKC), spaces next to
    Chinese characters go, other runs of spaces become one, Chinese round brackets become
    ASCII ones.

    >>> normalise_name(" 有研稀土新材料股份有限公司（北京） ")
    '有研稀土新材料股份有限公司(北京)'
    >>> normalise_name("ＴＤＫ  株式会社")
    'TDK株式会社'
    >>> normalise_name("Shin-Etsu   Chemical Co., Ltd.")
    'Shin-Etsu Chemical Co., Ltd.'
    """
    text = unicodedata.normalize("NFKC", name).replace("\x00", "")
    text = _SPACE_BETWEEN_CJK.sub("", text.strip())
    return _SPACES.sub(" ", text)


def name_key(name: str) -> str:
    """The comparison key of a name.

    >>> name_key("中煤第三建设（集团）有限责任公司"), name_key("有研稀土新材料股份有限公司")
    ('中煤第三建设', '有研稀土新材料')
    >>> name_key("中国矿业大学（北京）"), name_key("中国科学院、水利部成都山地灾害与环境研究所")
    ('中国矿业大学(北京)', '中国科学院水利部成都山地灾害与环境研究所')
    >>> name_key("中铁十一局集团有限公司"), name_key("ＴＤＫ株式会社")
    ('中铁十一局', 'TDK株式会社')
    """
    return strip_forms(_compact(name))


def strip_forms(text: str) -> str:
    """``text`` without its trailing company forms (never down to nothing).

    >>> strip_forms("北京赛福思创减震科技股份公司"), strip_forms("集团")
    ('北京赛福思创减震科技', '集团')
    """
    changed = True
    while changed:
        changed = False
        for form in COMPANY_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)]
                changed = True
                break
    return text


def strip_leading_forms(text: str) -> str:
    """A remainder after a parent's key without the forms that joined it to the parent.

    >>> strip_leading_forms("集团有限公司铁道建筑研究所")
    '铁道建筑研究所'
    """
    return _LEADING_FORMS.sub("", text)


def incorporated(name: str) -> bool:
    """Whether a name ends in a company form: a legal entity of its own, not a unit of another.

    >>> incorporated("中铁十一局集团第五工程有限公司"), incorporated("中山大学附属第一医院")
    (True, False)
    """
    text = _compact(name)
    return any(text.endswith(form) for form in COMPANY_FORMS[:-1])


def _compact(name: str) -> str:
    """Half width, one bracket form, no bracketed company form, no punctuation or spaces."""
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    return _PUNCTUATION.sub("", _FORM_IN_BRACKETS.sub("", text))
