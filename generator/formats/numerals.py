"""Kazakh case endings after a number written in digits: «5-ке», «10-ға», «7-ге», «40 %-дан».

The ending follows the number as it is read aloud: its last spoken word («он» for 10, «жүз» for 100) decides
vowel harmony and the consonant the ending starts with. Interface strings write ``{name:case}`` and
``generator.formats.i18n.fill`` puts the number and its ending there; a test checks every hand-written ending on
the site.
"""

from __future__ import annotations

UNITS = ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")
PERCENT = "пайыз"

# case → the sound a word ends in → (ending after a back-vowel word, after a front-vowel word)
ENDINGS: dict[str, dict[str, tuple[str, str]]] = {
    "dat": {"vowel": ("ға", "ге"), "voiced": ("ға", "ге"), "nasal": ("ға", "ге"), "voiceless": ("қа", "ке")},
    "abl": {"vowel": ("дан", "ден"), "voiced": ("дан", "ден"), "nasal": ("нан", "нен"), "voiceless": ("тан", "тен")},
    "loc": {"vowel": ("да", "де"), "voiced": ("да", "де"), "nasal": ("да", "де"), "voiceless": ("та", "те")},
    "gen": {"vowel": ("ның", "нің"), "voiced": ("дың", "дің"), "nasal": ("ның", "нің"), "voiceless": ("тың", "тің")},
    "acc": {"vowel": ("ны", "ні"), "voiced": ("ды", "ді"), "nasal": ("ды", "ді"), "voiceless": ("ты", "ті")},
}
CASES = tuple(ENDINGS)


def spoken_last_word(number: int) -> str:
    """The last word of a whole number read aloud in Kazakh (0 → «нөл», 25 → «бес», 300 → «жүз»)."""
    if number < 0:
        raise ValueError(f"a negative number has no reading here: {number}")
    if number == 0:
        return UNITS[0]
    for size, word in ((10**9, "миллиард"), (10**6, "миллион"), (1000, "мың"), (100, "жүз")):
        if number % size == 0:
            return word
    return UNITS[number % 10] if number % 10 else TENS[number % 100 // 10]


def _sound(word: str) -> str:
    last = word[-1]
    if last in "аәеиоөұүыіэюя":
        return "vowel"
    if last in "мнң":
        return "nasal"
    if last in "рлйузж":  # «елу» ends in a glide and takes the endings of a voiced consonant: «елуге», «елуден»
        return "voiced"
    return "voiceless"


def _is_back(word: str) -> bool:
    for letter in reversed(word):
        if letter in "аоұыя":
            return True
        if letter in "әөүіеэю":
            return False
    return True


def case_ending(number: int, case: str, percent: bool = False) -> str:
    """The ending of ``case`` after ``number`` (after «… %» when ``percent``): case_ending(10, "dat") == "ға"."""
    if case not in ENDINGS:
        raise ValueError(f"unknown case {case!r}; expected one of {', '.join(CASES)}")
    word = PERCENT if percent else spoken_last_word(number)
    back, front = ENDINGS[case][_sound(word)]
    return back if _is_back(word) else front


def with_case(number: int | float, case: str) -> str:
    """The number in digits with its ending: with_case(5, "dat") == "5-ке"; a decimal is read by its fraction."""
    if isinstance(number, float) and not number.is_integer():
        whole, fraction = f"{number:g}".split(".")
        return f"{whole},{fraction}-{case_ending(int(fraction), case)}"
    return f"{int(number)}-{case_ending(int(number), case)}"
