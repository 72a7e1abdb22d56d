"""Text to the phoneme chunks the model is fed, exactly as kokoro 0.9.4's KPipeline does.

Why exactly: a chunk is one model call, and every chunk carries its own lead-in and
lead-out silence (about 0.33 s + 0.50 s), so where the text is cut decides the duration as
much as the words do. The rules (KPipeline.__call__ and en_tokenize, Apache-2.0):

- the text is stripped and split at runs of line breaks; blank lines give nothing;
- English: misaki tokens are gathered until the next would pass 510 phonemes, then cut
  at the last sentence end (else `:;`, else `,—`) that leaves the rest within 510;
- other languages: sentences gathered up to 400 characters, then espeak G2P;
- phoneme strings are truncated to 510.

Each chunk keeps the index of the text line it comes from and, for English, where each
word's phonemes sit in the chunk's phoneme string (for word timings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkslop.speak import g2p

MAX_PHONEMES = 510
NON_ENGLISH_CHUNK = 400


@dataclass(frozen=True)
class Word:
    text: str
    start: int  # offsets into Chunk.phonemes
    end: int


@dataclass(frozen=True)
class Chunk:
    text: str
    phonemes: str
    line: int  # index of the line in the original text (0-based, blank lines counted)
    words: tuple[Word, ...] = ()


def _tokens_to_ps(tokens) -> str:
    return "".join(t.phonemes + (" " if t.whitespace else "") for t in tokens).strip()


def _tokens_to_text(tokens) -> str:
    return "".join(t.text + t.whitespace for t in tokens).strip()


def _waterfall_last(tokens, next_count, waterfall=("!.?…", ":;", ",—"), bumps=(")", "”")):
    for w in waterfall:
        z = next((i for i, t in reversed(list(enumerate(tokens))) if t.phonemes in set(w)), None)
        if z is None:
            continue
        z += 1
        if z < len(tokens) and tokens[z].phonemes in bumps:
            z += 1
        if next_count - len(_tokens_to_ps(tokens[:z])) <= MAX_PHONEMES:
            return z
    return len(tokens)


def _en_tokenize(tokens):
    """kokoro 0.9.4 KPipeline.en_tokenize: yields lists of tokens, one per chunk."""
    tks, pcount = [], 0
    for t in tokens:
        t.phonemes = "" if t.phonemes is None else t.phonemes
        next_ps = t.phonemes + (" " if t.whitespace else "")
        next_pcount = pcount + len(next_ps.rstrip())
        if next_pcount > MAX_PHONEMES:
            z = _waterfall_last(tks, next_pcount)
            yield tks[:z]
            tks = tks[z:]
            pcount = len(_tokens_to_ps(tks))
            if not tks:
                next_ps = next_ps.lstrip()
        tks.append(t)
        pcount += len(next_ps)
    if tks:
        yield tks


def _words(tokens, ps: str) -> tuple[Word, ...]:
    """Where each spoken word's phonemes are in `ps` (= _tokens_to_ps(tokens)[:510])."""
    raw = "".join(t.phonemes + (" " if t.whitespace else "") for t in tokens)
    lead = len(raw) - len(raw.lstrip())
    words, at = [], 0
    for t in tokens:
        start, end = at - lead, at - lead + len(t.phonemes)
        at += len(t.phonemes) + (1 if t.whitespace else 0)
        if t.phonemes and any(c.isalnum() for c in t.text) and start < len(ps):
            words.append(Word(t.text, max(start, 0), min(end, len(ps))))
    return tuple(words)


def _lines(text: str) -> list[tuple[int, str]]:
    """(line index, segment) for KPipeline's segments: re.split(r'\\n+', text.strip())."""
    segments = [s for s in re.split(r"\n+", text.strip()) if s.strip()]
    numbers = [i for i, line in enumerate(text.split("\n")) if line.strip()]
    if len(numbers) != len(segments):  # only for exotic whitespace; keep the order
        numbers = list(range(len(segments)))
    return list(zip(numbers, segments))


def text_to_chunks(text: str, voice: str) -> list[Chunk]:
    """The chunks for `text` spoken by `voice` (its first letter picks the language)."""
    code = g2p.language_of(voice)
    out: list[Chunk] = []
    for line, seg in _lines(text):
        if code in g2p.ENGLISH:
            _, tokens = g2p.english(g2p.ENGLISH[code])(seg)
            found = []
            for tks in _en_tokenize(tokens):
                ps = _tokens_to_ps(tks)
                if not ps:
                    continue
                ps = ps[:MAX_PHONEMES]
                found.append(Chunk(_tokens_to_text(tks), ps, line, _words(tks, ps)))
            if len(found) == 1:  # the whole line: keep its own spelling (for subtitles)
                found[0] = Chunk(seg.strip(), found[0].phonemes, line, found[0].words)
            out.extend(found)
        else:
            convert = g2p.espeak_language(g2p.ESPEAK_LANGUAGES[code])
            for piece in _sentence_chunks(seg):
                if not piece.strip():
                    continue
                ps, _ = convert(piece)
                if ps:
                    out.append(Chunk(piece, ps[:MAX_PHONEMES], line))
    return out


def _sentence_chunks(graphemes: str) -> list[str]:
    """KPipeline's non-English chunking: sentences gathered up to 400 characters."""
    sentences = re.split(r"([.!?]+)", graphemes)
    chunks, current = [], ""
    for i in range(0, len(sentences), 2):
        sentence = sentences[i] + (sentences[i + 1] if i + 1 < len(sentences) else "")
        if len(current) + len(sentence) <= NON_ENGLISH_CHUNK:
            current += sentence
        else:
            if current:
                chunks.append(current.strip())
            current = sentence
    if current:
        chunks.append(current.strip())
    if not chunks:
        chunks = [graphemes[i:i + NON_ENGLISH_CHUNK] for i in range(0, len(graphemes), NON_ENGLISH_CHUNK)]
    return chunks
