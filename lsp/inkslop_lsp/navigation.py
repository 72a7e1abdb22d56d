"""Navigation: from a variable to its entry in the front matter's `[vars]` (go to
definition), and from a `file="..."` value to the file it names when that file is
in the workspace (document links)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path

from inkslop.editor import cursor as context
from inkslop.lint.rules.front_matter import key_span
from inkslop.lint.rules.registry import CheckContext
from inkslop.syntax.ast import Attribute, Block, VoidTag, walk
from inkslop_lsp import workspace_files

if TYPE_CHECKING:
    from inkslop_lsp.session import Session


def definition(session: Session, params: types.DefinitionParams) -> types.Location | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    document = script.document
    target = context.target_at(document, script.offset(params.position))
    if target is None or target.kind != context.VARIABLE or target.variable is None:
        return None
    front_matter = document.front_matter
    data = front_matter.data if front_matter else None
    defined = data.get("vars") if isinstance(data, dict) else None
    if front_matter is None or not isinstance(defined, dict) or target.variable.name not in defined:
        return None
    span = key_span(CheckContext(document, script.settings.schema), front_matter,
                    ("vars", target.variable.name))
    return types.Location(uri=script.uri, range=script.span_range(span))


def document_links(session: Session,
                   params: types.DocumentLinkParams) -> list[types.DocumentLink] | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    schema = script.settings.schema
    links: list[types.DocumentLink] = []
    tag: Block | VoidTag | None = None
    for node in walk(script.document):
        if isinstance(node, (Block, VoidTag)):
            tag = node
        elif isinstance(node, Attribute) and tag is not None and node.value_span is not None \
                and schema.attribute_type(tag.name, node.name) == "path":
            found = workspace_files.resolve(node.value or "", script.path, script.folders)
            if found is None:
                continue
            span = node.value_span
            inner = 1 if node.quote else 0
            links.append(types.DocumentLink(
                range=script.range(span.start + inner, max(span.start + inner, span.end - inner)),
                target=from_fs_path(str(found)), tooltip=str(found)))
    return links
