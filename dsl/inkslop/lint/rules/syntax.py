"""Syntax rules: found by the parser (inkslop.syntax.parser), documented here.

Syntax errors cannot be selected away or suppressed: a script that does not
parse is never sent.
"""

from inkslop.lint.rules.registry import Rule
from inkslop.syntax.diagnostics import ERROR, WARNING

RULES = [
    Rule("S000", "parser-failure", ERROR,
         "The parser failed on this file (a bug in inkslop).",
         "It should never happen: the parser recovers from every input. If you see it, report "
         "the file that caused it.",
         bad="", good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n',
         rests_on="toolkit"),
    Rule("S001", "unclosed-tag", ERROR,
         "A block is opened but never closed.",
         "InkSlop cannot tell where the block ends, so it cannot tell what the voice narrates or "
         "how long the music plays.",
         bad='[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]\n',
         fix="unsafe"),
    Rule("S002", "unexpected-closing-tag", ERROR,
         "A closing tag closes nothing: no block of that name is open.",
         "A stray closing tag is usually left over from an edit; InkSlop may reject the script "
         "or read it as narration.",
         bad='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', fix="unsafe"),
    Rule("S003", "mismatched-closing-tag", ERROR,
         "A closing tag names a different block from the one open.",
         "Most often a typo in the closing tag's name. The parser reads it as closing the open "
         "block; InkSlop may not.",
         bad='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tss]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', fix="unsafe"),
    Rule("S004", "unterminated-string", ERROR,
         "A quoted attribute value has no closing quote on its line.",
         "The value would run on into the rest of the tag; attribute values end on their line.",
         bad='[tts engine="kokoro_tts" voice="af_heart]\nHello.\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', fix="safe",
         rests_on="toolkit"),
    Rule("S005", "unterminated-comment", ERROR,
         "A comment `[#` has no closing `#]`.",
         "Everything after it, to the end of the file, would be a comment and never be sent.",
         bad='[# draft\n[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n',
         good='[# draft #]\n[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n',
         fix="unsafe", rests_on="toolkit"),
    Rule("S006", "attribute-without-value", ERROR,
         "An attribute is written without a value.",
         "InkSlop's attributes are all written `name=\"value\"`; a bare name means nothing to it. "
         "For a boolean attribute the fix writes `=\"true\"`.",
         bad='[tts engine="kokoro_tts" voice="af_heart" subtitles]\nHello.\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\nHello.\n[/tts]\n',
         fix="sometimes safe"),
    Rule("S007", "malformed-front-matter", ERROR,
         "The front matter is not closed by a `+++` line, or is not valid TOML.",
         "The front matter holds the request's settings (name, resolution, publishing) and "
         "variables; broken, none of them can be read.",
         bad='+++\nvideo_name = "mantis"\n\n[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n'
             '[/tts]\n',
         good='+++\nvideo_name = "mantis"\n+++\n[tts engine="kokoro_tts" voice="af_heart"]\n'
              'Hello.\n[/tts]\n', fix="safe", rests_on="toolkit"),
    Rule("S008", "stray-bracket", ERROR,
         "A `[` that opens no tag or comment.",
         "InkSlop reads `[` as the start of a tag; in narration it breaks the script.",
         bad='[tts engine="kokoro_tts" voice="af_heart"]\nIt costs [5 dollars.\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nIt costs 5 dollars.\n[/tts]\n'),
    Rule("S009", "tag-missing-bracket", ERROR,
         "A tag is not closed by `]` before the end of its line.",
         "Tags stand on one line; without its `]` the tag would swallow the narration after it.",
         bad='[tts engine="kokoro_tts" voice="af_heart"\nHello.\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', fix="safe",
         rests_on="toolkit"),
    Rule("S010", "unexpected-in-tag", ERROR,
         "Something in a tag that is not an attribute: a value with no name, a lone `=`, "
         "a stray character.",
         "A tag holds only its name and `name=\"value\"` attributes.",
         bad='[tts engine="kokoro_tts" "af_heart"]\nHello.\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'),
    Rule("S011", "malformed-variable", ERROR,
         "A `{{` that does not make a variable `{{ name }}`.",
         "Variables are filled in when the script is compiled; a malformed one would be sent "
         "as it is, braces and all, and narrated.",
         bad='[tts engine="kokoro_tts" voice="af_heart"]\nHello {{ animal.\n[/tts]\n',
         good='+++\n[vars]\nanimal = "shrimp"\n+++\n[tts engine="kokoro_tts" voice="af_heart"]\n'
              'Hello {{ animal }}.\n[/tts]\n', rests_on="toolkit"),
    Rule("S012", "unquoted-value", WARNING,
         "An attribute value in single quotes or without quotes.",
         "InkSlop's documentation shows only double-quoted values; other quoting is accepted "
         "by the toolkit but may not be by InkSlop. The fix writes double quotes.",
         bad="[tts engine=kokoro_tts voice='af_heart']\nHello.\n[/tts]\n",
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', fix="safe",
         rests_on="assumed"),
    Rule("S013", "attributes-not-separated", WARNING,
         "Two attributes with no space between them.",
         "InkSlop's documentation separates attributes with a space; without one the tag may "
         "not be read as intended.",
         bad='[tts engine="kokoro_tts"voice="af_heart"]\nHello.\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', fix="safe",
         rests_on="assumed"),
    Rule("S014", "closing-tag-with-attributes", ERROR,
         "A closing tag with something after its name.",
         "A closing tag is only `[/name]`; attributes belong on the opening tag.",
         bad='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts voice="af_heart"]\n',
         good='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', fix="safe"),
]
