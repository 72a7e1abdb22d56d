"""The eleven likely-fatal scripts of issue 10, all sent and charged before the preflight
existed, and `check` passed every one: now each must be refused before anything is paid.
Shared by the preflight's library tests (tests/batch) and its command-line tests (tests/cli)."""

TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nOctopuses have three hearts.\n[/tts]\n'

ELEVEN = {
    "voice-typo": TTS.replace("af_heart", "af_hart"),
    "engine-typo": TTS.replace("kokoro_tts", "kokoro_ttss"),
    "curly-quotes": TTS.replace('"af_heart"', "\u201caf_heart\u201d"),
    "code-fence": "```\n" + TTS + "```\n",
    "music-in-tts": '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n'
                    '[music file="music/Carefree.opus"]\n[/music]\n[/tts]\n',
    "tts-in-tts": '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n' + TTS + "[/tts]\n",
    "no-voice": '[tts engine="kokoro_tts"]\nOctopuses have three hearts.\n[/tts]\n',
    "no-engine": '[tts voice="af_heart"]\nOctopuses have three hearts.\n[/tts]\n',
    "windows-path": '[music file="C:\\music\\Carefree.opus" volume="0.3" fit="loop"]\n'
                    + TTS + "[/music]\n",
    "zero-width-space": TTS.replace("kokoro_tts", "kokoro\u200b_tts"),
    "late-front-matter": '\n+++\nvideo_name = "octopus"\n+++\n' + TTS,
}
