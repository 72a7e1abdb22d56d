"""Deterministic (seeded) InkSlop scripts and Python files for the benchmarks.

- `SMALL`, `FRONT_MATTER`: the 6-line script of the start-up measure, and the TOML
  front matter of its second variant;
- `corpus(size_mb, seed)`: realistic scripts (front matter with `[vars]`, comments,
  `[music]` blocks of `[tts]` blocks, `{{ variables }}`) up to a total size;
- `one_document(size_mb, seed)`: one document of that size, under one front matter;
- `small_scripts(count, seed)`: many small scripts as in a repository of short videos
  (about 400 bytes each: a third with front matter, most with music);
- `python_files(count, seed)`: small, lint-clean Python modules of a similar size, for ruff.

1 MB = 1,000,000 bytes of UTF-8.
"""

from __future__ import annotations

import random

MB = 1_000_000

SMALL = """\
[music file="music/Carefree.opus" volume="0.3" fit="loop"]
[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]
Did you know the mantis shrimp can punch with the force of a bullet?
Their eyes can see 16 types of colour receptors. Humans have only 3.
[/tts]
[/music]
"""

FRONT_MATTER = """\
+++
video_name = "mantis-shrimp"
resolution = "9:16"
notify_on_complete = true

[publish]
channel_id = 3
privacy = "public"
ai_generate_meta = true
+++
"""

ANIMALS = ["axolotl", "mantis shrimp", "octopus", "narwhal", "pangolin", "tardigrade",
           "platypus", "cuttlefish", "okapi", "capybara", "snow leopard", "honey badger",
           "hummingbird", "blue whale", "arctic fox", "sea otter", "chameleon", "kiwi"]
PLACES = ["the Amazon", "Lake Xochimilco", "the Great Barrier Reef", "Patagonia", "Borneo",
          "the Sahara", "Svalbard", "Madagascar", "the Mariana Trench", "São Paulo", "Kyoto"]
ABILITIES = ["regrow its heart", "see ultraviolet light", "sleep with one eye open",
             "survive in outer space", "change colour in a fraction of a second",
             "hold its breath for an hour", "taste with its feet", "navigate by magnetism",
             "recognise faces", "walk on water", "punch with the force of a bullet"]
OPENERS = ["Here is something strange:", "Scientists were surprised to learn that",
           "Believe it or not,", "Fun fact:", "Here's the wild part:", "Researchers found that"]
CLOSERS = ["Follow for more strange facts!", "Which one surprised you most?",
           "Share this with someone who loves animals.", "See you tomorrow — same time.",
           "Nature is stranger than fiction.", "Comment your favourite below."]
NUMBERS = ["3", "16", "48", "100", "1,000", "2.5", "40 °C", "90%", "12 million"]
COMMENTS = ["fact-check before recording", "source: field guide, p. 112", "keep this under 20 s",
            "alternative take below", "music swell here", "second voice for contrast"]
VOICES = ["af_heart", "af_bella", "af_nicole", "af_sarah", "am_adam", "am_michael",
          "am_eric", "bf_emma", "bf_isabella", "bm_george", "bm_lewis"]
TRACKS = ["music/Carefree.opus", "music/Calm.opus", "music/Upbeat.opus", "music/Ambient.opus"]
VARIABLES = ("animal", "place", "number")


def sentence(rng: random.Random, variables: list[str]) -> str:
    animal = "{{ animal }}" if "animal" in variables and rng.random() < 0.3 else rng.choice(ANIMALS)
    place = "{{ place }}" if "place" in variables and rng.random() < 0.3 else rng.choice(PLACES)
    number = "{{ number }}" if "number" in variables and rng.random() < 0.3 else rng.choice(NUMBERS)
    shapes = [
        f"Did you know the {animal} can {rng.choice(ABILITIES)}?",
        f"{rng.choice(OPENERS)} the {animal} can {rng.choice(ABILITIES)}.",
        f"The {animal} lives in {place}, where few people ever see it.",
        f"A single {animal} can {rng.choice(ABILITIES)}, and it does so {number} times a day.",
        f"In {place}, the {animal} has about {number} close relatives.",
        f"That's right: the {animal} can {rng.choice(ABILITIES)}.",
        rng.choice(CLOSERS),
    ]
    return rng.choice(shapes)


def tts_block(rng: random.Random, variables: list[str], first: str = "") -> str:
    attributes = f'engine="kokoro_tts" voice="{rng.choice(VOICES)}"'
    if rng.random() < 0.7:
        attributes += ' subtitles="true"'
    if rng.random() < 0.2:
        attributes += f' speed="{rng.choice(["0.9", "1.1", "1.2"])}"'
    lines = ([first] if first else []) + [sentence(rng, variables)
                                          for _ in range(rng.randint(2, 5))]
    return f"[tts {attributes}]\n" + "\n".join(lines) + "\n[/tts]\n"


def script_body(rng: random.Random, variables: list[str]) -> str:
    """Music blocks of tts blocks, with comments; every variable is used once at least."""
    first = " ".join(f"Today: {{{{ {name} }}}}." for name in variables)
    parts = [f"[# {rng.choice(COMMENTS)} #]\n"]
    for _ in range(rng.randint(1, 3)):
        volume = rng.choice(["0.2", "0.25", "0.3", "0.4"])
        parts.append(f'[music file="{rng.choice(TRACKS)}" volume="{volume}" fit="loop"]\n')
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.2:
                parts.append(f"[# {rng.choice(COMMENTS)} #]\n")
            parts.append(tts_block(rng, variables, first))
            first = ""
        parts.append("[/music]\n")
    return "".join(parts)


def front_matter(rng: random.Random, number: int, variables: list[str]) -> str:
    lines = ["+++", f'video_name = "fact-{number:05d}"',
             f'resolution = "{rng.choice(["9:16", "16:9"])}"']
    if rng.random() < 0.5:
        lines.append("notify_on_complete = true")
    if rng.random() < 0.5:
        lines += ["", "[publish]", f"channel_id = {rng.randint(1, 20)}",
                  f'privacy = "{rng.choice(["public", "private", "unlisted"])}"']
        if rng.random() < 0.5:
            lines.append("ai_generate_meta = true")
        else:
            lines += [f'title = "Facts about the {rng.choice(ANIMALS)}"',
                      'tags = ["animals", "facts", "shorts"]']
    if variables:
        lines += ["", "[vars]"]
        values = {"animal": rng.choice(ANIMALS), "place": rng.choice(PLACES),
                  "number": rng.choice(NUMBERS)}
        lines += [f'{name} = "{values[name]}"' for name in variables]
    return "\n".join(lines + ["+++", ""])


def corpus(size_mb: float, seed: int) -> list[str]:
    """Scripts until their UTF-8 size reaches size_mb."""
    rng = random.Random(seed)
    scripts, total, number = [], 0, 0
    while total < size_mb * MB:
        variables = [name for name in VARIABLES if rng.random() < 0.5]
        text = front_matter(rng, number, variables) + script_body(rng, variables)
        scripts.append(text)
        total += len(text.encode("utf-8"))
        number += 1
    return scripts


def one_document(size_mb: float, seed: int) -> str:
    """One document: a front matter defining every variable, then bodies to size_mb."""
    rng = random.Random(seed)
    parts = [('+++\nvideo_name = "long"\n\n[vars]\nanimal = "axolotl"\nplace = "Kyoto"\n'
              'number = "3"\n+++\n')]
    total = len(parts[0])
    while total < size_mb * MB:
        body = script_body(rng, list(VARIABLES))
        parts.append(body)
        total += len(body.encode("utf-8"))
    return "".join(parts)


def small_script(rng: random.Random, number: int) -> str:
    """A short video's script, about 400 bytes: one or two narrations, mostly under
    music, a third of them with front matter (which may give `[vars]`)."""
    parts = []
    variables: list[str] = []
    if rng.random() < 1 / 3:
        variables = [name for name in VARIABLES if rng.random() < 0.3]
        lines = ["+++", f'video_name = "short-{number:05d}"',
                 f'resolution = "{rng.choice(["9:16", "16:9"])}"']
        if variables:
            values = {"animal": rng.choice(ANIMALS), "place": rng.choice(PLACES),
                      "number": rng.choice(NUMBERS)}
            lines += ["", "[vars]", *(f'{name} = "{values[name]}"' for name in variables)]
        parts.append("\n".join(lines + ["+++", ""]))
    if rng.random() < 0.15:
        parts.append(f"[# {rng.choice(COMMENTS)} #]\n")
    blocks = []
    first = " ".join(f"Today: {{{{ {name} }}}}." for name in variables)
    for _ in range(1 if rng.random() < 0.5 else 2):
        attributes = f'engine="kokoro_tts" voice="{rng.choice(VOICES)}"'
        if rng.random() < 0.6:
            attributes += ' subtitles="true"'
        lines = ([first] if first else []) + [sentence(rng, variables)
                                              for _ in range(rng.randint(2, 3))]
        first = ""
        blocks.append(f"[tts {attributes}]\n" + "\n".join(lines) + "\n[/tts]\n")
    if rng.random() < 0.6:
        volume = rng.choice(["0.2", "0.25", "0.3"])
        parts.append(f'[music file="{rng.choice(TRACKS)}" volume="{volume}" fit="loop"]\n'
                     + "".join(blocks) + "[/music]\n")
    else:
        parts.extend(blocks)
    return "".join(parts)


def small_scripts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [small_script(rng, number) for number in range(count)]


def python_file(rng: random.Random, number: int) -> str:
    """A small Python module of about 400 bytes that passes ruff's default rules."""
    animal = rng.choice(ANIMALS).replace(" ", "_")
    constant = rng.randint(2, 99)
    lines = ['"""Facts about one animal."""', "", "from __future__ import annotations", ""]
    if rng.random() < 0.5:
        lines += ["import math", ""]
        use = f"math.sqrt(count * {constant})"
    else:
        use = f"count * {constant}"
    lines += [f"ANIMAL = {animal!r}", f"PLACE = {rng.choice(PLACES)!r}", "", "",
              f"def fact_{number}(count: int) -> str:",
              f'    """One sentence about the {animal.replace("_", " ")}."""',
              f"    value = {use}",
              '    return f"The {ANIMAL} lives in {PLACE}: {value} times."', "", "",
              "def main() -> None:"]
    if rng.random() < 0.5:
        lines += [f"    for count in range({rng.randint(1, 5)}):",
                  f"        print(fact_{number}(count))"]
    else:
        lines += [f"    print(fact_{number}({rng.randint(1, 9)}))"]
    lines += ["", "", 'if __name__ == "__main__":', "    main()", ""]
    return "\n".join(lines)


def python_files(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [python_file(rng, number) for number in range(count)]
