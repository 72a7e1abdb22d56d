"""Written English as a text-to-speech front end speaks it, for estimating durations.

`spoken_text` rewrites what a script writes into the words the engine says:
"$4.99" is "four dollars and ninety nine cents", "1998" is "nineteen ninety
eight", "FAQ" is spelt "ef ay cue" while "NASA" is a word, "🔥" is "fire".
The rules follow what Kokoro's English front end (misaki 0.9.4, with espeak-ng
for what it does not know) was measured to say in bench/calibration/: every
rule below names the calibration row that shows it, or says it is assumed.
`chunks` splits narration where Kokoro does, at line breaks.

The result is for counting sounds, not for display quality: letters are
spelt by their names ("aitch tee tee pee ess") so that a spelt word costs what
it takes to say. Pure standard library, every pattern and table built once at
import; a keystroke in an editor re-runs this on every block.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------- numbers

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                  "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
_MAX_CARDINAL = 10**15  # longer numbers are read digit by digit


def cardinal(n: int) -> str:
    """1234 -> "one thousand two hundred thirty four" (misaki drops num2words' "and")."""
    if n < 0:
        return "minus " + cardinal(-n)
    if n >= _MAX_CARDINAL:
        return digits(str(n))
    words: list[str] = []
    for value, name in _SCALES:
        if n >= value:
            high, n = divmod(n, value)
            words += [_below_thousand(high), name]
    if n or not words:
        words.append(_below_thousand(n))
    return " ".join(words)


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [_ONES[hundreds], "hundred"] if hundreds else []
    if rest or not hundreds:
        tens, ones = divmod(rest, 10)
        if rest < 20:
            words.append(_ONES[rest])
        else:
            words.append(_TENS[tens] + (" " + _ONES[ones] if ones else ""))
    return " ".join(words)


def digits(text: str) -> str:
    """"0415" -> "zero four one five"."""
    return " ".join(_ONES[int(c)] for c in text if c.isdigit())


def ordinal(n: int) -> str:
    """21 -> "twenty first"."""
    head, _, last = cardinal(n).rpartition(" ")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}" if head else last


def year(n: int) -> str:
    """A four-digit number as misaki reads a bare one (num2words' year form):
    1998 "nineteen ninety eight", 1905 "nineteen oh five", 2005 "two thousand five",
    2024 "twenty twenty four", 1900 "nineteen hundred" (calibration: numbers-13)."""
    high, low = divmod(n, 100)
    if high == 0 or (high % 10 == 0 and low < 10) or high >= 100:
        return cardinal(n)
    if low == 0:
        return cardinal(high) + " hundred"
    if low < 10:
        return f"{cardinal(high)} oh {cardinal(low)}"
    return f"{cardinal(high)} {cardinal(low)}"


def decimal(text: str) -> str:
    """"3.14159" -> "three point one four one five nine" (numbers-15)."""
    whole, _, fraction = text.replace(",", "").partition(".")
    fraction = fraction.rstrip("0") or fraction[:1]  # num2words: 2.50 "two point five"
    spoken = cardinal(int(whole)) if whole else ""
    return f"{spoken} point {digits(fraction)}".strip() if fraction else spoken


def plural(words: str) -> str:
    """"nineteen eighty" -> "nineteen eighties" (for "1980s")."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith(("x", "s")) else "s")


def number(text: str, suffix: str = "") -> str:
    """A written number: "1,000,000", "1998", "3.5", "21" with suffix "st", "1980" with "s"."""
    negative = text.startswith("-")
    text = text.lstrip("-")
    if "." in text:
        spoken = decimal(text)
    elif suffix in ("st", "nd", "rd", "th"):
        spoken = ordinal(int(text.replace(",", "")))
    elif len(text) == 4 and not negative:
        spoken = year(int(text))
    else:
        spoken = cardinal(int(text.replace(",", "")))
    if suffix in ("s", "'s"):
        spoken = plural(spoken)
    return ("minus " + spoken) if negative else spoken


# ---------------------------------------------------------------- money

# symbol: (unit, units, cent, cents); misaki knows $, £ and € (numbers-01, -03, -14).
_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "sen", "sen"),  # assumed
    "₹": ("rupee", "rupees", "paisa", "paise"),  # assumed
}
_MONEY_SCALES = {"k": "thousand", "m": "million", "mn": "million", "b": "billion",
                 "bn": "billion", "t": "trillion"}


def money(symbol: str, amount: str, scale: str | None = None) -> str:
    """"$4.99" -> "four dollars and ninety nine cents"; "$2.5 million" -> "two point
    five million dollars"; "£3" -> "three pounds"."""
    unit, units, cent, cents = _CURRENCIES[symbol]
    amount = amount.replace(",", "")
    if scale:
        scale = _MONEY_SCALES.get(scale.lower(), scale.lower())
        return f"{number(amount)} {scale} {units}"
    whole, _, fraction = amount.partition(".")
    if len(fraction) > 2:  # not cents: read as a decimal
        return f"{decimal(amount)} {units}"
    main = int(whole or 0)
    small = int(fraction.ljust(2, "0")) if fraction else 0
    parts = []
    if main or not small:
        parts.append(f"{cardinal(main)} {unit if main == 1 else units}")
    if small:
        parts.append(f"{cardinal(small)} {cent if small == 1 else cents}")
    return " and ".join(parts)


def clock(hours: str, minutes: str) -> str:
    """"9:30" -> "nine thirty" (numbers-09), "10:00" -> "ten o'clock", "9:05" -> "nine oh five"."""
    spoken = cardinal(int(hours))
    if minutes == "00":
        return spoken + " o'clock"
    if minutes.startswith("0"):
        return f"{spoken} oh {cardinal(int(minutes))}"
    return f"{spoken} {cardinal(int(minutes))}"


# ---------------------------------------------------------------- letters and words

# The names misaki gives letters (its lexicon's "A".."Z"), as plain spelling.
_LETTER_NAMES = dict(zip(
    "abcdefghijklmnopqrstuvwxyz",
    "ay bee see dee ee ef jee aitch eye jay kay el em en oh pee cue ar ess tee you vee "
    "double-you ex why zee".split()))


def spell(letters: str) -> str:
    """"FAQ" -> "ef ay cue" (abbrev-07: "FAQ" and "DIY" are spelt)."""
    return " ".join(_LETTER_NAMES[c] for c in letters.lower() if c in _LETTER_NAMES)


# Upper-case words misaki reads as words (from its gold lexicon; abbrev-05 "ASAP",
# abbrev-07 "PIN"). Upper-case words of four letters or more with a vowel are read as
# words too (they are mostly emphasis: "This is HUGE"), unless listed in _SPELT.
_WORD_ACRONYMS = frozenset("""
    AIDS ASAP ASCII BASIC BBQ CERN COBOL COVID CRISPR DARPA FEMA FIFA FOMO GIF GOAT HIIT
    HODL IKEA IMAX JPEG LAN LASIK LED LEGO MIDI NAFTA NASA NASCAR NASDAQ NATO NVIDIA OLED
    OPEC OSHA PETA PIN POTUS RAM ROM SARS SCOTUS SIM SQL SWAT UEFA UNESCO UNICEF US VAT
    WAN WHO YOLO
""".split())
_SPELT = frozenset("""
    ASMR CNBC DVDS ESPN FAQS HTML HTTP HTTPS IEEE NCAA NYPD USSR UCLA USPS WWII YMCA
""".split())
# Short upper-case words that are plain English words ("NO", "WOW"), not acronyms.
_SHORT_WORDS = frozenset("""
    A I AN AND ANY ARE AS AT BE BIG BUT BY CAN DID DO FOR GET GO HAS HE HER HEY HI HIM
    HIS HOT HOW IF IN IS IT ITS LET MAY ME MY NEW NO NOT NOW OF OFF OH OK ON ONE OR OUR
    OUT RED SEE SHE SO THE TOO TOP TRY TWO UP USE WAS WAY WE WHY WIN WON WOW YAY YES YET
    YOU
""".split())
# "OK" is spelt by misaki ("oh kay"), which is also how it is said.
_SHORT_WORDS = _SHORT_WORDS - {"OK"}


def acronym(word: str) -> str:
    """An upper-case word: read as a word, or spelt ("NASA" vs "FAQ")."""
    stem, plural_s = (word[:-1], "s") if word.endswith("s") else (word, "")
    if stem in _WORD_ACRONYMS or stem in _SHORT_WORDS:
        return word
    if stem not in _SPELT and len(stem) >= 4 and _VOWEL.search(stem):
        return word
    return spell(stem) + plural_s


# Abbreviations written with a period (abbrev-02: "Dr." "St." "Mr." "Mrs."; abbrev-06
# "etc."; abbrev-10 "vs."); the rest are assumed from the same lexicon.
_ABBREVIATIONS = {
    "dr": "doctor", "mr": "mister", "mrs": "missus", "ms": "miz", "st": "saint",
    "jr": "junior", "sr": "senior", "prof": "professor", "mt": "mount", "ave": "avenue",
    "vs": "versus", "etc": "etcetera", "approx": "approximately", "inc": "incorporated",
    "ltd": "limited", "dept": "department", "est": "established", "fig": "figure",
}

_TITLES = frozenset(["dr", "mr", "mrs", "ms", "prof", "vs"])

# ---------------------------------------------------------------- symbols and emoji

# misaki's symbols (& + @ %); "#" is silent (emoji-06, emoji-08); the others assumed.
_SYMBOLS = {"&": " and ", "+": " plus ", "@": " at ", "%": " percent ", "=": " equals ",
            "°": " degrees ", "×": " times ", "#": " ", "*": " ", "_": " ", "/": " ",
            "~": " ", "^": " ", "|": " ", "\\": " ", "<": " ", ">": " "}

# CLDR short names, as espeak-ng reads emoji (emoji-02 "🍕🔥" = "pizza fire", emoji-03
# "👇" = "backhand index pointing down", emoji-06 "⭐" = "star", emoji-08 "✈️🏝️" =
# "airplane desert": only the first word of "desert island" was heard). Every emoji
# measured was read by its name; none was dropped.
# Emoji not listed are read by their Unicode name, which is about as long.
EMOJI_NAMES = {
    "😀": "grinning face", "😁": "beaming face with smiling eyes", "😂": "face with tears of joy",
    "🤣": "rolling on the floor laughing", "😅": "grinning face with sweat",
    "😊": "smiling face with smiling eyes", "😉": "winking face",
    "😍": "smiling face with heart-eyes", "🥰": "smiling face with hearts", "😎":
    "smiling face with sunglasses", "🤔": "thinking face", "🤯": "exploding head",
    "😱": "face screaming in fear", "😭": "loudly crying face", "😢": "crying face",
    "😡": "enraged face", "🥳": "partying face", "🤩": "star-struck", "😴": "sleeping face",
    "🤫": "shushing face", "🙈": "see-no-evil monkey", "💀": "skull", "👀": "eyes",
    "🧠": "brain", "❤": "red heart", "💔": "broken heart", "💖": "sparkling heart",
    "💙": "blue heart", "💚": "green heart", "💛": "yellow heart", "💜": "purple heart",
    "🖤": "black heart", "🤍": "white heart", "🔥": "fire", "✨": "sparkles", "⭐": "star",
    "🌟": "glowing star", "💯": "hundred points", "🎉": "party popper", "🎁": "wrapped gift",
    "🚀": "rocket", "💡": "light bulb", "📌": "pushpin", "📈": "chart increasing",
    "💰": "money bag", "💸": "money with wings", "⏰": "alarm clock", "📚": "books",
    "📝": "memo", "📷": "camera", "🎥": "movie camera", "📱": "mobile phone", "💻": "laptop",
    "🎵": "musical note", "🎶": "musical notes", "🏆": "trophy", "👑": "crown",
    "💎": "gem stone", "✅": "check mark button", "❌": "cross mark", "⚠": "warning",
    "👍": "thumbs up", "👎": "thumbs down", "👏": "clapping hands", "🙌": "raising hands",
    "🙏": "folded hands", "💪": "flexed biceps", "👋": "waving hand", "🤝": "handshake",
    "👌": "OK hand", "✌": "victory hand", "🤞": "crossed fingers",
    "👇": "backhand index pointing down", "👆": "backhand index pointing up",
    "👉": "backhand index pointing right", "👈": "backhand index pointing left",
    "🍕": "pizza", "🍔": "hamburger", "☕": "hot beverage", "🍀": "four leaf clover",
    "🌈": "rainbow", "☀": "sun", "🌙": "crescent moon", "🌍": "globe showing Europe-Africa",
    "✈": "airplane", "🏝": "desert", "🏖": "beach with umbrella", "🐶": "dog face",
    "🐱": "cat face", "🐙": "octopus", "🦐": "shrimp", "🦈": "shark", "©": "copyright",
    "®": "registered", "™": "trade mark",
    # Skin tones follow the emoji they modify (assumed read, as CLDR names them).
    "🏻": "light skin tone", "🏼": "medium-light skin tone", "🏽": "medium skin tone",
    "🏾": "medium-dark skin tone", "🏿": "dark skin tone",
}
_FLAG_NAME = "flag"  # a pair of regional indicators; the country is not looked up


def emoji_name(emoji: str) -> str:
    """The words an emoji (or emoji sequence) is read as."""
    if "\U0001F1E6" <= emoji[0] <= "\U0001F1FF":
        return _FLAG_NAME
    names = []
    for char in emoji:
        if char in EMOJI_NAMES:
            names.append(EMOJI_NAMES[char])
        elif char not in _SILENT_MARKS:
            names.append(unicodedata.name(char, "").lower())
    return " ".join(n for n in names if n)


_SILENT_MARKS = frozenset("\ufe0f\ufe0e\u200d\u20e3")  # variation selectors, joiner, keycap
_DROP_MARKS = dict.fromkeys(map(ord, _SILENT_MARKS))

# ---------------------------------------------------------------- the rewriting pass

_EMOJI_CHAR = (r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u2190-\u21FF"
               r"\u00A9\u00AE\u2122\u3030\u303D]")
_TLDS = "com|org|net|io|co|dev|app|ai|tv|me|gov|edu|info|ly|gg|xyz|us|uk|de|fr|ca"
_TOKEN = re.compile(rf"""
    (?P<url>(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"'()\[\]]+)
  | (?P<email>\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
  | (?P<domain>\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{_TLDS})\b(?:/[^\s<>"'()\[\]]*)?)
  | (?P<handle>(?<![\w@])@\w+)
  | (?P<hashtag>(?<![\w\#])\#\w*[^\W\d_]\w*)
  | (?P<money>(?P<currency>[$€£¥₹])[ ]?(?P<amount>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d*\.?\d+)
        (?:[ ]?(?P<scale>thousand|million|billion|trillion|[kKmMbBtT]n?)\b)?)
  | (?P<time>\b(?P<hours>\d{{1,2}}):(?P<minutes>[0-5]\d)\b)
  | (?P<range>(?<![\d.,-])(?P<low>\d+)[-–](?P<high>\d+)(?![\d.,]*\d))
  | (?P<number>(?:(?<![\w.,-])-)?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|(?<![\w.])\.\d+)
        (?P<suffix>st\b|nd\b|rd\b|th\b|'?s\b)?(?P<percent>[ ]?%)?
  | (?P<initialism>\b(?:[A-Za-z]\.){{2,}})
  | (?P<abbreviation>\b(?i:{"|".join(_ABBREVIATIONS)})\.)
  | (?P<unit>(?<=\d)[A-Za-z]{{1,2}}(?![A-Za-z]))
  | (?P<caps>\b[A-Z]{{2,}}s?(?![a-z]))
  | (?P<emoji>[\U0001F1E6-\U0001F1FF]{{2}}
        |{_EMOJI_CHAR}[\ufe0f\ufe0e\u20e3\U0001F3FB-\U0001F3FF]*
         (?:\u200d{_EMOJI_CHAR}[\ufe0f\ufe0e\U0001F3FB-\U0001F3FF]*)*)
  | (?P<symbol>[&+@%=°×\#*_/~^|\\<>])
    """, re.VERBOSE)
# Where a `_TOKEN` may start (a superset: `_TOKEN` decides). Not at a space, an ASCII
# letter or plain punctuation, unless the letter follows a digit (`unit`), or starts a
# word and is followed by a capital (`caps`), or starts a run of word characters that
# reaches a `.`, `@` or `:` (URL, e-mail, domain, initialism, abbreviation: each starts at
# a word boundary and holds one of them).
_CANDIDATE = re.compile(r"""[^\sA-Za-z,;!?'"()]|(?<=\d)[A-Za-z]
                            |(?<!\w)[A-Za-z](?=[A-Z]|[\w+\-]*[.@:])""", re.VERBOSE)
_VOWEL = re.compile(r"[AEIOUY]")
_URL_PART = re.compile(r"[A-Za-z]+|\d+|://|[./:?&=#-]")
_WORD_SPLIT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SPACED_HYPHEN = re.compile(r"[ \t]+[-–][ \t]+")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+(?=[,.!?;:…])")
_LINE_EDGES = re.compile(r"[ \t]*\n[ \t]*")
_NEWLINES = re.compile(r"[\r\n]+")
_URL_TRAILING = ".,!?;:"


def spoken_text(text: str) -> str:
    """`text` rewritten as the words a TTS front end speaks; line breaks are kept."""
    text = _SPACED_HYPHEN.sub(" — ", text)  # misaki reads a spaced hyphen as a dash
    text = _rewrite_tokens(text)
    text = text.replace("-", " ")  # "well-known": what hyphens are left are silent
    text = text.translate(_DROP_MARKS)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    return _LINE_EDGES.sub("\n", text).strip()


def _rewrite_tokens(text: str) -> str:
    """`_TOKEN.sub(_rewrite, text)`, in one pass that jumps from candidate to candidate.

    Trying `_TOKEN`'s alternatives at every character costs most of an estimate, and
    most characters (lower-case words, spaces, plain punctuation) can start no token.
    `_CANDIDATE` finds the next place where one might start, and `_TOKEN` is tried
    there only; the result is the same as `sub` (tests/estimate/test_spoken.py holds the
    old function and compares both)."""
    pieces: list[str] = []
    done = 0  # text[:done] is rewritten into `pieces`
    position = 0
    end = len(text)
    find, match = _CANDIDATE.search, _TOKEN.match
    while position < end:
        candidate = find(text, position)
        if candidate is None:
            break
        start = candidate.start()
        token = match(text, start)
        if token is None:
            position = start + 1
            continue
        pieces.append(text[done:start])
        pieces.append(_rewrite(token))
        done = position = token.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def chunks(text: str) -> list[str]:
    """The pieces Kokoro synthesizes separately: lines, split at runs of line breaks,
    blank ones dropped (kokoro KPipeline: re.split(r'\\n+', text))."""
    return [line.strip() for line in _NEWLINES.split(text) if line.strip()]


def _rewrite(match: re.Match[str]) -> str:
    kind = _PART_OF.get(match.lastgroup or "", match.lastgroup or "")
    return f" {_REWRITERS[kind](match)} "


# The last group a match closes may be a part of the token, not the token's own group.
_PART_OF = {"suffix": "number", "percent": "number", "currency": "money", "amount": "money",
            "scale": "money", "hours": "time", "minutes": "time", "low": "range",
            "high": "range"}


def _url(match: re.Match[str]) -> str:
    """Full URLs (url-02): the scheme and "www" spelt, "/" said as "slash", "." and ":"
    kept as pauses, the names between them read as words."""
    url, tail = _split_trailing(match["url"])
    words = []
    for part in _URL_PART.findall(url):
        if part == "://":
            words.append(": slash slash")
        elif part == "/":
            words.append("slash")
        elif part in ".:":
            words.append(part)
        elif part.isdigit():
            words.append(number(part))
        elif part.lower() in ("http", "https", "ftp", "www"):
            words.append(spell(part))
        elif part.isalpha():
            words.append(part)
    return " ".join(words).replace(" .", ".").replace(" :", ":") + tail


def _domain(match: re.Match[str]) -> str:
    """Bare domains (url-01 "example.com/recipes." = "example com recipes.")."""
    domain, tail = _split_trailing(match["domain"])
    return " ".join(_words_of(domain)) + tail


def _split_trailing(url: str) -> tuple[str, str]:
    """A URL and the punctuation that ends the sentence after it."""
    stripped = url.rstrip(_URL_TRAILING)
    return stripped, url[len(stripped):]


def _email(match: re.Match[str]) -> str:
    user, _, host = match["email"].partition("@")
    return " ".join([*_words_of(user), "at", *_words_of(host.replace(".", " dot "))])


def _handle(match: re.Match[str]) -> str:
    """"@example_creator" = "at example creator" (url-04)."""
    return "at " + " ".join(_words_of(match["handle"][1:]))


def _hashtag(match: re.Match[str]) -> str:
    """"#foodie" = "foodie" (emoji-06); camel case split into words (assumed)."""
    return " ".join(_words_of(match["hashtag"][1:]))


def _words_of(text: str) -> list[str]:
    words = []
    for part in _WORD_SPLIT.findall(text):
        words.append(number(part) if part.isdigit() else part)
    return words


def _money(match: re.Match[str]) -> str:
    return money(match["currency"], match["amount"], match["scale"])


def _time(match: re.Match[str]) -> str:
    return clock(match["hours"], match["minutes"])


def _range(match: re.Match[str]) -> str:
    return f"{number(match['low'])} to {number(match['high'])}"


def _number(match: re.Match[str]) -> str:
    spoken = number(match["number"], (match["suffix"] or "").lower())
    return spoken + (" percent" if match["percent"] else "")


def _initialism(match: re.Match[str]) -> str:
    """"e.g." "i.e." "a.m." "U.S." are spelt (abbrev-05 "i.e.", numbers-09 "a.m.")."""
    return spell(match["initialism"])


def _abbreviation(match: re.Match[str]) -> str:
    """Titles lose their period ("Dr. Smith" = "doctor Smith"); other abbreviations keep
    it as a pause ("Elm St. next" = "Elm saint. next", "etc." = "etcetera.": abbrev-02, -06)."""
    written = match["abbreviation"][:-1]
    spoken = _ABBREVIATIONS[written.lower()]
    if written[0].isupper():
        spoken = spoken.capitalize()
    return spoken + ("" if written.lower() in _TITLES else ".")


def _unit(match: re.Match[str]) -> str:
    """Letters right after a number ("4K", "3D", "9pm") are spelt."""
    return spell(match["unit"])


def _caps(match: re.Match[str]) -> str:
    return acronym(match["caps"])


def _emoji(match: re.Match[str]) -> str:
    return emoji_name(match["emoji"])


def _symbol(match: re.Match[str]) -> str:
    return _SYMBOLS[match["symbol"]]


_REWRITERS = {
    "url": _url, "email": _email, "domain": _domain, "handle": _handle, "hashtag": _hashtag,
    "money": _money, "time": _time, "range": _range, "number": _number,
    "initialism": _initialism, "abbreviation": _abbreviation, "unit": _unit, "caps": _caps,
    "emoji": _emoji, "symbol": _symbol,
}
