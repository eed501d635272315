"""Text helpers shared by every reader and the audit: normalising what PDFs and converters
print (Kangxi radicals, full-width forms, stray spaces), reading amounts, and Chinese
numbering (一、 （二） 3、)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Characters NFKC leaves alone but that converters emit for common CJK ideographs
# (CJK Radicals Supplement look-alikes); NFKC maps the Kangxi block (U+2F00–2FD5) itself.
_RADICALS = str.maketrans(
    {
        "⻔": "门",
        "⻓": "长",
        "⻅": "见",
        "⻋": "车",
        "⻘": "青",
        "⻝": "食",
        "⻚": "页",
        "⻛": "风",
        "⻜": "飞",
        "⻢": "马",
        "⻥": "鱼",
        "⻦": "鸟",
        "⻨": "麦",
        "⻩": "黄",
        "⻬": "齐",
        "⻮": "齿",
        "⻰": "龙",
        "⻳": "龟",
        "⺠": "民",
        "⺟": "母",
        "⺝": "月",
        "⺫": "目",
        "⻄": "西",
        "⻆": "角",
        "⻈": "讠",
        "⻉": "贝",
        "⻊": "足",
        "⻏": "阝",
        "⻐": "钅",
        "⻑": "長",
        "⻒": "阜",
        "⻖": "阝",
        "⻙": "韦",
        "⺁": "厂",
        "⺅": "亻",
        "⺇": "几",
        "⺌": "小",
        "⺍": "小",
        "⺕": "彐",
        "⺗": "心",
        "⺡": "氵",
        "⺢": "氵",
        "⺣": "灬",
        "⺤": "爫",
        "⺦": "丬",
        "⺨": "犭",
        "⺩": "王",
        "⺪": "疋",
        "⺬": "示",
        "⺭": "礻",
        "⺮": "竹",
        "⺯": "糸",
        "⺰": "纟",
        "⺶": "羊",
        "⺷": "羊",
        "⺸": "羊",
        "⺻": "聿",
        "⺼": "肉",
        "⺾": "艹",
        "⺿": "艹",
        "⻀": "艹",
        "⻁": "虎",
        "⻂": "衤",
        "⻃": "覀",
        "⻇": "角",
        "⻍": "辶",
        "⻎": "辶",
        "⻕": "阝",
        "⻗": "雨",
        "⻟": "饣",
        "⻠": "饣",
        "⻣": "骨",
        "⻤": "鬼",
        "⻧": "卤",
        "⻪": "黾",
        "⻭": "齿",
        "⻯": "龙",
        "⻱": "龟",
        "⻲": "龜",
        "\u3000": " ",
        "\xa0": " ",
    }
)

_WS = re.compile(r"\s+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}（）“”、])\s+(?=[{_CJK}（）“”、])")


_COMPAT = re.compile("[\u2f00-\u2fdf\uf900-\ufaff]")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Normalise text as printed: Kangxi/radical look-alikes to ideographs, NFKC for the
    compatibility blocks only where it is safe, white space folded, and spaces between
    two CJK characters dropped (``科目 编 码`` → ``科目编码``)."""
    if not text:
        return ""
    t = text.translate(_RADICALS)
    if _COMPAT.search(t):
        t = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), t)
    t = _WS.sub(" ", t).strip()
    return _SPACE_BETWEEN_CJK.sub("", t) if " " in t else t


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """``normalize`` and then every space removed; for comparing labels."""
    return normalize(text).replace(" ", "")


_NUMBER = re.compile(r"^[-−–+]?\(?\d{1,3}(,\d{3})+(\.\d+)?\)?$|^[-−–+]?\(?\d+(\.\d+)?\)?$")


@lru_cache(maxsize=65536)
def parse_amount(text: str) -> Decimal | None:
    """The amount when the whole (stripped) content is a number, with thousands separators
    and a sign allowed (``14,348,853.34``, ``-8.39``, ``（8.39）`` is not a number); else None."""
    t = text.strip().replace(" ", "").replace("，", ",")
    if not t or not _NUMBER.match(t):
        return None
    negative = t[0] in "-−–" or t.startswith("(")
    t = t.lstrip("-−–+").strip("()").replace(",", "")
    try:
        v = Decimal(t)
    except InvalidOperation:
        return None
    return -v if negative else v


def amount_text(text: str) -> str:
    """The number as printed without thousands separators (the CSV ``value`` field)."""
    t = text.strip().replace(" ", "").replace(",", "").replace("，", "")
    return t.replace("−", "-").replace("–", "-")


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(text: str) -> int | None:
    """``三十一`` → 31, ``十`` → 10; None when ``text`` is not a Chinese numeral."""
    if not text or any(ch not in CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS[ch]
    return total + current


def int_to_cn(n: int) -> str:
    """31 → ``三十一``; for 1–99."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


_NUMBERING = re.compile(
    r"^\s*(?:"
    r"(?P<cn>[一二三四五六七八九十百]+)\s*[、.．]"
    r"|[（(]\s*(?P<pcn>[一二三四五六七八九十]+)\s*[）)]"
    r"|(?P<ar>\d{1,2})\s*[、.．](?!\d)"
    r"|[（(]\s*(?P<par>\d{1,2})\s*[）)]"
    r")\s*"
)


_NUMBERING_START = frozenset("一二三四五六七八九十百（(0123456789")


def split_numbering(text: str) -> tuple[str | None, str]:
    """``一、一般公共服务支出`` → (``一``, ``一般公共服务支出``); ``（二）分项`` → (``（二）``, ``分项``)."""
    if text and text[0] not in _NUMBERING_START and not text[0].isspace():
        return None, text.strip()  # what _NUMBERING would say, without running it
    m = _NUMBERING.match(text)
    if not m:
        return None, text.strip()
    if m.group("cn"):
        num = m.group("cn")
    elif m.group("pcn"):
        num = f"（{m.group('pcn')}）"
    elif m.group("ar"):
        num = m.group("ar")
    else:
        num = f"({m.group('par')})"
    return num, text[m.end():].strip()


def strip_numbering(text: str) -> str:
    """The label without its numbering and without spaces, for comparing labels."""
    return compact(split_numbering(normalize(text))[1])
