"""Suppression rules: directives that do nothing or cannot be read (see inkslop.lint.suppression)."""

from inkslop.lint.rules.registry import Rule
from inkslop.syntax.diagnostics import WARNING

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'

RULES = [
    Rule("N001", "unused-suppression", WARNING, "A suppression directive that suppresses nothing.",
         "Left over after the problem was fixed, it would hide the next one.",
         bad="[# inkslop: ignore T008 #]\n" + _TTS,
         good='[# inkslop: ignore T008 #]\n[tts engine="kokoro_tts" voice="af_custom"]\nHello.\n'
              "[/tts]\n", fix="unsafe", rests_on="toolkit"),
    Rule("N002", "invalid-suppression", WARNING,
         "A suppression directive that is misspelt or names no rule.",
         "It suppresses nothing, and the problem it was meant for still shows.",
         bad='[# inkslop: ignore T999 #]\n[tts engine="kokoro_tts" voice="af_custom"]\nHello.\n'
             "[/tts]\n",
         good='[# inkslop: ignore T008 #]\n[tts engine="kokoro_tts" voice="af_custom"]\nHello.\n'
              "[/tts]\n", rests_on="toolkit"),
]
