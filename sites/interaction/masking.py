"""What the public may see of a citizen: 张*, and no phone or ID number."""

import re

from sites.personal import CARD_RE, ID_RE, MOBILE_RE, mask

# Landlines with an area code (0792-8221234) identify a household too, and an
# ID number with a wrong check digit is still somebody's ID number.
LANDLINE_RE = re.compile(r"(?<![0-9])0\d{2,3}-?\d{7,8}(?![0-9])")
ID_LOOSE_RE = re.compile(r"(?<![0-9])\d{17}[0-9xX](?![0-9])")


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳修文 -> 欧***; no name -> 匿名."""
    name = (name or "").strip()
    if not name:
        return "匿名"
    return name[0] + "*" * max(1, len(name) - 1)


def mask_personal_numbers(text: str) -> str:
    """Mask every number that could identify a person; publishing errs towards masking."""
    if not text:
        return text
    for pattern in (ID_LOOSE_RE, ID_RE, CARD_RE, MOBILE_RE, LANDLINE_RE):
        text = pattern.sub(lambda m: mask(m.group(0)), text)
    return text
