"""Semantic tokens: the library's highlights (inkslop.editor.highlight) in LSP's encoding, so
that any client colours tags, attribute names and values, comments, variables and
the front matter without a grammar of its own.

Tokens never span lines (a multi-line comment becomes one token per line), and
their columns and lengths count in the client's position encoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from inkslop.editor import highlight

if TYPE_CHECKING:
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session

# The standard token types each kind of highlight is shown as.
TOKEN_TYPES = {
    highlight.TAG: types.SemanticTokenTypes.Keyword,
    highlight.ATTRIBUTE: types.SemanticTokenTypes.Property,
    highlight.VALUE: types.SemanticTokenTypes.String,
    highlight.VARIABLE: types.SemanticTokenTypes.Variable,
    highlight.COMMENT: types.SemanticTokenTypes.Comment,
    highlight.FRONT_MATTER: types.SemanticTokenTypes.Macro,
    highlight.KEY: types.SemanticTokenTypes.Property,
}
_LEGEND_TYPES = list(dict.fromkeys(TOKEN_TYPES.values()))
_INDEX = {kind: _LEGEND_TYPES.index(token) for kind, token in TOKEN_TYPES.items()}
LEGEND = types.SemanticTokensLegend(token_types=[str(t.value) for t in _LEGEND_TYPES],
                                    token_modifiers=[])


def full(session: Session, params: types.SemanticTokensParams) -> types.SemanticTokens | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    return types.SemanticTokens(data=encode(script, 0, len(script.source)))


def in_range(session: Session,
             params: types.SemanticTokensRangeParams) -> types.SemanticTokens | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    start, end = script.offset(params.range.start), script.offset(params.range.end)
    return types.SemanticTokens(data=encode(script, start, end))


def encode(script: Script, start: int, end: int) -> list[int]:
    """The tokens of the highlights between two library offsets, relative-encoded."""
    positions = script.positions
    base = script.base
    data: list[int] = []
    previous_line, previous_character = 0, 0
    for first, last, kind in highlight.highlights(script.document):
        if last <= start or first >= end:
            continue
        token_type = _INDEX[kind]
        first, last = first + base, last + base
        line = positions.line_of(first)
        while first < last:
            line_end = positions.line_content_end(line)
            piece_end = min(last, line_end)
            if piece_end > first:
                begin = positions.position(first)
                finish = positions.position(piece_end)
                data += [begin.line - previous_line,
                         begin.character - (previous_character if begin.line == previous_line
                                            else 0),
                         finish.character - begin.character, token_type, 0]
                previous_line, previous_character = begin.line, begin.character
            line += 1
            if line >= positions.line_count:
                break
            first = max(piece_end, positions.starts[line])
    return data
