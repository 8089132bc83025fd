"""Personal numbers that must never be published: resident IDs, mobiles, bank cards.

In `sites`, below `review` in the dependency order: the secrecy screening and the
public services that mask what citizens send both use it.
"""

import re

ID_RE = re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9x](?![0-9])")
MOBILE_RE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")
CARD_RE = re.compile(r"(?<![0-9])\d{16,19}(?![0-9])")

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10x98765432"


def valid_resident_id(number: str) -> bool:
    """GB 11643-1999 check digit (ISO 7064 MOD 11-2)."""
    number = number.lower()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17]


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number]
    odd = digits[-1::-2]
    even = [sum(divmod(2 * d, 10)) for d in digits[-2::-2]]
    return (sum(odd) + sum(even)) % 10 == 0


def mask(number: str) -> str:
    if len(number) <= 7:
        return number[:1] + "*" * (len(number) - 1)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def find_personal_numbers(text: str):
    """Yield (kind, start, end, value) over normalised (lower-case) text."""
    taken = []
    for match in ID_RE.finditer(text):
        if valid_resident_id(match.group(0)):
            taken.append((match.start(), match.end()))
            yield "id_number", match.start(), match.end(), match.group(0)
    for match in CARD_RE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        if luhn_ok(match.group(0)):
            taken.append((match.start(), match.end()))
            yield "bank_card", match.start(), match.end(), match.group(0)
    for match in MOBILE_RE.finditer(text):
        if not any(s <= match.start() < e for s, e in taken):
            yield "mobile", match.start(), match.end(), match.group(0)
