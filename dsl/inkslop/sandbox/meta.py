"""`POST /meta/generate` without AI: a title, a description and tags made from the words a
script narrates, deterministically, in the documented shape (YouTube: 10 tags and a longer
description; TikTok: 5 tags and a shorter one)."""

from __future__ import annotations

import re
from collections import Counter

from inkslop.sandbox.scripts import narration

TAG_COUNTS = {"youtube": 10, "tiktok": 5}
GENERIC_TAGS = ["shorts", "inkslop", "facts", "did you know", "learn", "explained", "science",
                "education", "amazing", "video"]
_STOPWORDS = {
    "about", "after", "again", "also", "among", "because", "been", "before", "being",
    "between", "both", "could", "does", "doing", "down", "during", "each", "even", "every",
    "from", "have", "having", "here", "into", "just", "know", "like", "made", "make", "many",
    "more", "most", "much", "only", "other", "over", "same", "should", "since", "some", "such",
    "than", "that", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "under", "until", "very", "were", "what", "when", "where", "which", "while",
    "with", "would", "your",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def generate_meta(script: str, platform: str) -> dict[str, object]:
    """The title, description and tags of `script` for `platform` ("youtube" or "tiktok")."""
    text = narration(script)
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    tags = _tags(text, TAG_COUNTS[platform])
    title = _shortened(sentences[0] if sentences else "A video made with InkSlop", 90)
    if platform == "youtube":
        body = " ".join(sentences[:3]) or title
        hashtags = " ".join("#" + t.replace(" ", "") for t in tags[:3])
        description = f"{body}\n\nMade with InkSlop.\n\n{hashtags}"
    else:
        hashtags = " ".join("#" + t.replace(" ", "") for t in tags[:3])
        description = f"{_shortened(title, 100)} {hashtags}"
    return {"title": title, "description": description, "tags": tags}


def _tags(text: str, count: int) -> list[str]:
    """The script's most frequent content words, then generic tags, `count` in all."""
    words = [w.lower().strip("'-") for w in _WORD.findall(text)]
    counts = Counter(w for w in words if w not in _STOPWORDS)
    ranked = sorted(counts, key=lambda w: (-counts[w], words.index(w)))
    tags: list[str] = []
    for tag in [*ranked, *GENERIC_TAGS]:
        if tag not in tags:
            tags.append(tag)
    return tags[:count]


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
