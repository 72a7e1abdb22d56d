#!/usr/bin/env python3
"""Generate the texts of the large calibration set (kokoro-large.jsonl).

Why: the small set (kokoro-dev.jsonl, 143 rows, 4 voices) let the text-only estimator fit
its own data; on unseen texts it is worst on short lines, emoji, URLs and the voice
bf_emma. This set is larger and varied on purpose: every American and British English
voice (af_*, am_*, bf_*, bm_*), speeds 0.5 to 2.0, and many categories:

  plain, long, short (1-3 words), emoji, url, numbers (currency, years, dates, times,
  percentages, phone numbers, ordinals), abbrev, punct, paren, multiline, dialogue,
  social (hashtags, @mentions), list, mixed

Each item is {"id", "text", "voice", "speed", "category", "group"}. `group` names the
text (all voice/speed variants of one text share it), so cross-validation can hold out
whole texts by group and, separately, whole voices by `voice`.

Deterministic (seeded): `python make_texts.py out.json [--rows 3000] [--seed 15]`.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

VOICES = {
    "af": ["af_alloy", "af_aoede", "af_bella", "af_heart", "af_jessica", "af_kore", "af_nicole",
           "af_nova", "af_river", "af_sarah", "af_sky"],
    "am": ["am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam", "am_michael", "am_onyx",
           "am_puck", "am_santa"],
    "bf": ["bf_alice", "bf_emma", "bf_isabella", "bf_lily"],
    "bm": ["bm_daniel", "bm_fable", "bm_george", "bm_lewis"],
}
ALL_VOICES = [v for vs in VOICES.values() for v in vs]
SPEEDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.4,
          1.5, 1.6, 1.75, 2.0]

# ----------------------------------------------------------------- word banks
ANIMALS = ["octopus", "honey bee", "crow", "sea otter", "axolotl", "tardigrade", "elephant",
           "hummingbird", "wolf", "dolphin", "mantis shrimp", "snow leopard", "penguin",
           "jellyfish", "koala", "narwhal", "chameleon", "salmon", "bat", "giraffe", "ant",
           "owl", "platypus", "seahorse", "sloth", "cheetah", "parrot", "whale shark"]
PLACES = ["Iceland", "the Sahara", "Tokyo", "the Amazon", "Antarctica", "Lisbon", "Nairobi",
          "the Grand Canyon", "Patagonia", "Mount Everest", "Venice", "the Dead Sea",
          "New Zealand", "Mongolia", "the Mariana Trench", "Norway", "Peru", "Cairo",
          "Reykjavik", "Yellowstone", "Madagascar", "Kyoto", "Chicago", "Edinburgh"]
THINGS = ["your phone", "a paperclip", "the microwave", "coffee", "a credit card", "bread",
          "the bicycle", "a lightbulb", "the internet", "a zipper", "chocolate", "glass",
          "the elevator", "a barcode", "honey", "the printing press", "a compass", "soap",
          "the refrigerator", "plastic", "a battery", "the piano", "wifi", "a violin"]
PEOPLE = ["my grandmother", "a farmer", "the chef", "our teacher", "a pilot", "my neighbor",
          "the mayor", "a young engineer", "the night nurse", "my best friend", "a sailor",
          "the librarian", "a street musician", "the coach", "an astronaut", "my brother"]
ADJ = ["tiny", "ancient", "strange", "brilliant", "quiet", "enormous", "fragile", "golden",
       "forgotten", "noisy", "invisible", "delicious", "dangerous", "simple", "clever",
       "bizarre", "beautiful", "stubborn", "frozen", "hidden"]
VERBS_PAST = ["discovered", "built", "painted", "sold", "lost", "repaired", "invented",
              "borrowed", "cooked", "photographed", "measured", "explored", "rebuilt", "found"]
ADVERBS = ["quietly", "suddenly", "slowly", "almost", "never", "always", "barely",
           "secretly", "carefully", "honestly", "finally", "surprisingly"]
OPENERS = ["Here's the thing", "Believe it or not", "Fun fact", "Think about this",
           "Nobody tells you this", "Here is a secret", "Listen closely", "Guess what",
           "Picture this", "True story", "Spoiler alert", "Quick question"]
FACTS = [
    "{A} can sleep for up to {n} hours a day.",
    "The average {a} lives about {n} years in the wild.",
    "{A}s were around long before the dinosaurs disappeared.",
    "A group of {a}s is called a parliament, or so people say.",
    "{P} gets fewer than {n} sunny days every year.",
    "In {P}, the summer sun barely sets at all.",
    "{T} was invented almost by accident.",
    "The first version of {t} weighed more than a small car.",
    "Scientists still argue about how {a}s find their way home.",
    "{Per} {v} a {adj} {t2} in {P} last winter.",
    "If you stack every {t2} ever made, you would reach the moon twice.",
    "Most people use {t} every single day without thinking about it.",
    "{A}s {adv} communicate with sounds we cannot hear.",
    "The {adj} truth about {t} will change how you see it.",
    "{P} is {adv} the most surprising place on Earth.",
    "Every {a} has a {adj} way of staying alive.",
    "It took {n} years to finish the {adj} bridge in {P}.",
    "{Per} once {v} {t} with nothing but a spoon.",
    "Why do {a}s love {t}? Nobody knows for sure.",
    "You have probably been using {t} the wrong way your whole life.",
]
SHORT = ["Hi!", "Wow.", "Yes.", "No.", "Okay.", "Thanks!", "Wait.", "Listen.", "Subscribe!",
         "Stop.", "Really?", "Boom.", "Welcome back.", "Let's go!", "Not quite.", "Good night.",
         "Look closer.", "Trust me.", "Part two.", "Stay tuned.", "Why?", "Seriously?",
         "Watch this.", "Here goes.", "See you soon!", "Think again.", "Ready?", "Oh no!",
         "Hello there.", "Keep going.", "Like and share.", "The end.", "Follow for more.",
         "That's it.", "Game over.", "Not today.", "Let me explain.", "Hmm.", "Cheers!",
         "Big news.", "Day one.", "Step three.", "Almost there.", "Try it.", "Coming up next.",
         "Thanks for watching.", "Surprise!", "Nope.", "Absolutely.", "Go!"]
EMOJI = ["😀", "😂", "🔥", "🚀", "❤️", "👍", "🎉", "🤯", "😱", "🙏", "✨", "💡", "🐙", "🌍",
         "☕", "🍕", "📈", "⚠️", "✅", "❌", "👀", "💯", "🎬", "🤔", "😴", "🥳", "🐝", "🌊"]
DOMAINS = ["example.com", "inkslop.dev", "my-site.org", "news.example.co.uk", "shop.example.io",
           "learn.example.edu", "docs.python.org", "github.com", "bit.ly", "example.net"]
PATHS = ["guide", "blog/2024/how-it-works", "sale?id=42", "watch?v=abc123", "about-us",
         "r/science", "en/latest/index.html", "download", "p/12345", "courses/intro-101"]
ABBREVS = ["FAQ", "NASA", "CEO", "DIY", "ASAP", "FBI", "UNESCO", "AI", "GPS", "USB", "PIN",
           "ATM", "HTML", "CPU", "NATO", "TV", "BBC", "UK", "USA", "EU", "DNA", "CO2", "e.g.",
           "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "St.", "approx.", "Jan.", "Fig.",
           "a.m.", "p.m.", "km", "kg", "mph", "TL;DR", "FYI", "LOL", "OMG", "BTW", "IMO"]
NAMES = ["Maya", "Leo", "Sam", "Priya", "Jonas", "Amara", "Chen", "Olivia", "Kofi", "Ines",
         "Tom", "Zara", "Eli", "Nora", "Hugo", "Aisha"]


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, xs):
        return self.r.choice(xs)

    def fill(self, template: str) -> str:
        r = self.r
        a, t, t2 = self.pick(ANIMALS), self.pick(THINGS), self.pick(THINGS).replace("the ", "").replace("your ", "").replace("a ", "")
        return template.format(
            A=a.capitalize(), a=a, P=self.pick(PLACES), T=t[0].upper() + t[1:], t=t, t2=t2,
            Per=self.pick(PEOPLE).capitalize(), v=self.pick(VERBS_PAST), adj=self.pick(ADJ),
            adv=self.pick(ADVERBS), n=r.choice([2, 3, 5, 7, 12, 20, 40, 100]),
        )

    def sentence(self) -> str:
        s = self.fill(self.pick(FACTS))
        if self.r.random() < 0.25:
            s = f"{self.pick(OPENERS)}: {s}"
        return s

    # ------------------------------------------------------------- categories
    def plain(self):
        return self.sentence() if self.r.random() < 0.6 else f"{self.sentence()} {self.sentence()}"

    def long(self):
        return " ".join(self.sentence() for _ in range(self.r.randint(4, 9)))

    def short(self):
        r = self.r.random()
        if r < 0.55:
            return self.pick(SHORT)
        if r < 0.75:
            return self.pick(NAMES) + self.pick([".", "!", "?", ""])
        if r < 0.9:
            return f"{self.pick(ADJ).capitalize()} {self.pick(ANIMALS).split()[-1]}{self.pick(['.', '!', ''])}"
        return self.pick(["Number one.", "Day 3.", "Part 2!", "Top 10.", "Step 1.", "Chapter 4."])

    def emoji(self):
        e = [self.pick(EMOJI) for _ in range(self.r.randint(1, 3))]
        kind = self.r.randrange(6)
        if kind == 0:
            return f"{self.sentence()} {''.join(e)}"
        if kind == 1:
            return f"{e[0]} {self.sentence()}"
        if kind == 2:
            s = self.sentence().split()
            s.insert(self.r.randrange(1, len(s)), e[0])
            return " ".join(s)
        if kind == 3:
            return " ".join(e)
        if kind == 4:
            return f"{self.pick(SHORT)} {e[0]}"
        return f"{e[0]} {self.pick(SHORT)} {e[-1]}\n{self.sentence()}"

    def url(self):
        d, p = self.pick(DOMAINS), self.pick(PATHS)
        kind = self.r.randrange(6)
        link = [f"https://www.{d}/{p}", f"https://{d}", f"www.{d}", d, f"http://{d}/{p}",
                f"{self.pick(NAMES).lower()}@{d}"][kind]
        frame = self.pick(["Learn more at {u}.", "Visit {u} for the full list.", "{u}",
                           "The link is {u}, right below this video.",
                           "Email me at {u} if you have questions.", "Go to {u} now!",
                           "Check out {u} and {u2} before you buy anything."])
        return frame.format(u=link, u2=f"https://{self.pick(DOMAINS)}")

    def numbers(self):
        r = self.r
        forms = (  # one is drawn, then only its own numbers: the sequence of draws is fixed
            lambda: f"It costs ${r.randint(1, 999)}.{r.randint(0, 99):02d} at most stores.",
            lambda: f"The ticket was £{r.randint(5, 300)} and the hotel €{r.randint(40, 900)} a night.",
            lambda: f"In {r.randint(1450, 2030)}, {self.pick(PEOPLE)} {self.pick(VERBS_PAST)} {self.pick(THINGS)}.",
            lambda: f"Prices went up {r.randint(1, 99)}% in {r.randint(2, 12)} months.",
            lambda: f"Call {r.randint(200, 999)}-{r.randint(100, 999)}-{r.randint(1000, 9999)} before {r.randint(1, 12)}:{r.choice(['00', '15', '30', '45'])} {r.choice(['a.m.', 'p.m.', 'AM', 'PM'])}.",
            lambda: f"The {r.choice(['1st', '2nd', '3rd', '4th', '21st', '100th'])} visitor wins {r.randint(2, 50)} free tickets.",
            lambda: f"It happened on {r.choice(['January', 'March', 'July', 'October'])} {r.randint(1, 28)}, {r.randint(1900, 2024)}.",
            lambda: f"The population is {r.randint(1, 999):,},{r.randint(0, 999):03d} people.",
            lambda: f"Only {r.randint(1, 9)}.{r.randint(1, 9)} million people live in {self.pick(PLACES)}.",
            lambda: f"Between {r.randint(1900, 1960)} and {r.randint(1961, 2020)}, the number grew from {r.randint(2, 90)} to {r.randint(100, 9000)}.",
            lambda: f"It runs at {r.randint(10, 300)} km/h and weighs {r.randint(2, 900)} kg.",
            lambda: f"Step {r.randint(1, 9)} of {r.randint(10, 20)}: add {r.randint(1, 4)}/{r.choice([2, 3, 4, 8])} cup of sugar.",
        )
        return forms[r.randrange(len(forms))]()

    def abbrev(self):
        a, b = self.pick(ABBREVS), self.pick(ABBREVS)
        frame = self.pick(["Check the {a} before you ask the {b}.", "The {a} said it would take {n} days.",
                           "{a}: always read the {b} first.", "My {a} works at the {b}, believe it or not.",
                           "Ask {d} Lee about the {a} report.", "{a} and {b} are not the same thing."])
        return frame.format(a=a, b=b, n=self.r.randint(2, 30), d=self.pick(["Dr.", "Mr.", "Mrs.", "Prof."]))

    def punct(self):
        s = self.sentence().rstrip(".")
        w = s.split()
        kind = self.r.randrange(8)
        if kind == 0:
            return f"{s}... or is it?"
        if kind == 1:
            return f"{s}!!!"
        if kind == 2:
            return f"{s}?!"
        if kind == 3 and len(w) > 4:
            k = self.r.randrange(2, len(w) - 1)
            return " ".join(w[:k]) + " — " + " ".join(w[k:]) + "."
        if kind == 4:
            return f"{s}; {self.sentence()[0].lower()}{self.sentence()[1:]}"
        if kind == 5:
            return f"“{s},” she said. “Really.”"
        if kind == 6:
            return ", ".join(w[: min(len(w), 6)]) + "."
        return f"Wait... {s[0].lower()}{s[1:]}... right?"

    def paren(self):
        s = self.sentence().rstrip(".")
        w = s.split()
        k = self.r.randrange(1, max(2, len(w)))
        aside = self.pick(["yes, really", "seriously", "more on that later", "I checked",
                           "see below", "no joke", f"about {self.r.randint(2, 90)} of them",
                           "it's true", "don't ask"])
        return " ".join(w[:k]) + f" ({aside}) " + " ".join(w[k:]) + "."

    def multiline(self):
        lines = []
        for _ in range(self.r.randint(2, 6)):
            lines.append(self.short() if self.r.random() < 0.4 else self.sentence())
        sep = self.pick(["\n", "\n", "\n\n"])
        return sep.join(lines)

    def dialogue(self):
        a, b = self.r.sample(NAMES, 2)
        kind = self.r.randrange(3)
        if kind == 0:
            return f"“{self.pick(SHORT)}” said {a}. “{self.sentence()}” {b} laughed."
        if kind == 1:
            return "\n".join(f"{n}: {self.pick(SHORT) if self.r.random() < 0.5 else self.sentence()}"
                             for n in [a, b, a, b][: self.r.randint(2, 4)])
        return f"{a} asked, \"{self.sentence().rstrip('.')}?\" and {b} said, \"{self.pick(SHORT)}\""

    def social(self):
        tags = " ".join("#" + self.pick(["science", "funfacts", "travel", "DIY", "learnontiktok",
                                          "history", "BookTok", "nature", "tech"]) for _ in range(self.r.randint(1, 3)))
        return self.pick([f"{self.sentence()} {tags}", f"Shout out to @{self.pick(NAMES).lower()}_{self.r.randint(1, 99)}! {self.pick(SHORT)}",
                          f"{tags}", f"Follow @inkslop for more. {tags}"])

    def listing(self):
        n = self.r.randint(2, 5)
        bullet = self.pick(["- ", "• ", "{i}. ", "{i}) "])
        items = [bullet.format(i=i + 1) + (self.pick(SHORT) if self.r.random() < 0.5 else self.fill(self.pick(FACTS)))
                 for i in range(n)]
        return "\n".join(items)

    def mixed(self):
        parts = [self.numbers(), self.emoji(), self.abbrev(), self.url(), self.short()]
        self.r.shuffle(parts)
        return " ".join(parts[: self.r.randint(2, 3)])


CATEGORIES = {  # name: share of distinct texts
    "plain": 0.16, "long": 0.07, "short": 0.13, "emoji": 0.08, "url": 0.07, "numbers": 0.10,
    "abbrev": 0.06, "punct": 0.07, "paren": 0.04, "multiline": 0.07, "dialogue": 0.05,
    "social": 0.03, "list": 0.03, "mixed": 0.04,
}


def speed_choice(r: random.Random) -> float:
    return 1.0 if r.random() < 0.45 else r.choice(SPEEDS)


def make(rows: int, seed: int) -> list[dict]:
    gen, r = Gen(seed), random.Random(seed + 1)
    variants = 3  # rows per distinct text on average
    n_texts = rows // variants
    items, seen, k = [], set(), 0
    names = list(CATEGORIES)
    counts = {c: max(1, round(CATEGORIES[c] * n_texts)) for c in names}
    voice_cycle = ALL_VOICES * (rows // len(ALL_VOICES) + 2)
    r.shuffle(voice_cycle)
    for cat in names:
        made = 0
        tries = 0
        while made < counts[cat] and tries < counts[cat] * 50:
            tries += 1
            text = getattr(gen, "listing" if cat == "list" else cat)()
            if text in seen:
                continue
            seen.add(text)
            made += 1
            group = f"{cat}-{made:04d}"
            # one row at af_heart 1.0 (the reference), the rest spread over voices and speeds
            combos = {("af_heart", 1.0)}
            while len(combos) < variants:
                combos.add((voice_cycle[k % len(voice_cycle)], speed_choice(r)))
                k += 1
            for j, (voice, speed) in enumerate(sorted(combos)):
                items.append({"id": f"{group}-{j}", "text": text, "voice": voice, "speed": speed,
                              "category": cat, "group": group})
    # sweeps: a few texts over every voice at 1.0, and over every speed with three voices
    for i in range(6):
        text = gen.plain() if i % 2 else gen.multiline()
        group = f"voicesweep-{i + 1:04d}"
        for j, voice in enumerate(ALL_VOICES):
            items.append({"id": f"{group}-{j}", "text": text, "voice": voice, "speed": 1.0,
                          "category": "voicesweep", "group": group})
    for i in range(4):
        text = [gen.plain(), gen.short(), gen.long(), gen.numbers()][i]
        group = f"speedsweep-{i + 1:04d}"
        for j, (voice, speed) in enumerate((v, s) for v in ("af_heart", "am_michael", "bf_emma")
                                           for s in [1.0, *SPEEDS]):
            items.append({"id": f"{group}-{j}", "text": text, "voice": voice, "speed": speed,
                          "category": "speedsweep", "group": group})
    return items


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    items = make(args.rows, args.seed)
    Path(args.out).write_text(json.dumps(items, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    from collections import Counter

    print(f"{len(items)} items, {len({i['group'] for i in items})} texts, "
          f"{len({i['voice'] for i in items})} voices")
    print(dict(Counter(i["category"] for i in items)))


if __name__ == "__main__":
    main()
