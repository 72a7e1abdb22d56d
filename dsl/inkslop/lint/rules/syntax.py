"""Syntax rules: found by the parser (inkslop.syntax.parser), documented here.

Syntax errors cannot be selected away or suppressed: a script that does not
parse is never sent.
"""

from inkslop.lint.rules.registry import Rule
from inkslop.syntax.diagnostics import ERROR, WARNING

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'

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
         "Everything after it, to the end of the file, would be a comment and never be sent. "
         "The fix closes the comment at the end of the line before the first tag that follows "
         "it; it never closes it at the end of the file, which would hide the whole script.",
         bad='[# draft\n[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n',
         good='[# draft #]\n[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n',
         fix="unsafe", rests_on="toolkit"),
    Rule("S006", "attribute-without-value", ERROR,
         "An attribute is written without a value.",
         "InkSlop's attributes are all written `name=\"value\"`; a bare name means nothing to it. "
         "For a boolean attribute the fix writes `=\"true\"`; it is unsafe, as `true` is a "
         "guess and changes the value sent.",
         bad='[tts engine="kokoro_tts" voice="af_heart" subtitles]\nHello.\n[/tts]\n',
         good='[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\nHello.\n[/tts]\n',
         fix="unsafe"),
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
         "Tags stand on one line; without its `]` the tag would swallow the narration after it. "
         "(Words after a lone `[` are S016; a tag that goes on over the next line is S020.)",
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
    Rule("S015", "curly-quotes", ERROR,
         "An attribute value in typographic quotes (`“kokoro_tts”`).",
         "Word processors and chat models write curly quotes; InkSlop reads only straight "
         "double quotes, so the quotes would become part of the value. The toolkit reads the "
         "value inside them and checks it as usual; the fix writes straight quotes.",
         bad='[tts engine=“kokoro_tts” voice=“af_heart”]\nHello.\n[/tts]\n',
         good=_TTS, fix="safe",
         severity_note="Error: the value InkSlop would read holds the quotes, which is not "
                       "what the author wrote them for."),
    Rule("S016", "brackets-in-narration", ERROR,
         "Words in square brackets in narration: a stage direction (`[laughs]`, `[Music "
         "fades]`, `[SFX: whoosh]`), a Markdown link (`[here](https://…)`) or a lone `[`.",
         "InkSlop reads `[` as the start of a tag, so the words are not spoken, and a tag never "
         "closed may swallow the narration after it. Remove them, or rephrase them without "
         "brackets. Bracketed words are told from a tag because they have no "
         "`name=\"value\"` attribute and hold something a tag cannot (a `:`, digits, words "
         "the tag does not take), are followed by `(`, or name an unknown tag that no closing "
         "tag ends. The fix, unsafe, removes the bracketed words (or keeps only a link's "
         "words); it never wraps narration in a tag.",
         bad=_TTS.replace("Hello.", "So I told him [laughs] and left."),
         good=_TTS.replace("Hello.", "So I told him, laughing, and left."), fix="unsafe"),
    Rule("S017", "closing-tag-without-slash", ERROR,
         "An opening tag with nothing in it, such as `[tts]`, while a block of that name is "
         "open, or `[\\tts]`: the closing tag `[/tts]` without its slash, or with a backslash.",
         "It is read as the closing tag it was meant to be, and reported with a \"did you "
         "mean\"; the fix, unsafe, writes the slash. A block that holds blocks may nest, so "
         "a bare `[music]` inside an open `[music]` is read as a new block, and reported "
         "this way (once, not as two unclosed blocks) when neither is closed by the end of "
         "the file.",
         bad=_TTS.replace("[/tts]", "[tts]"), good=_TTS, fix="unsafe"),
    Rule("S018", "code-fence", ERROR,
         "A Markdown code fence line (```` ``` ```` or ```` ```inkslop ````) around the script.",
         "Chat models wrap scripts in code fences; the fence is not part of the script, and "
         "InkSlop would receive it as text. The fix removes the fence lines.",
         bad="```inkslop\n" + _TTS + "```\n", good=_TTS, fix="safe",
         rests_on="toolkit"),
    Rule("S019", "misplaced-front-matter", ERROR,
         "Front matter that is not on the first line, or written as YAML between `---` lines.",
         "Front matter is TOML between two `+++` lines, and starts on the first line of the "
         "file. Below blank lines, or between `---`, it would be sent to InkSlop as part of the "
         "script and its settings lost. The toolkit reads it as the front matter it is meant "
         "to be. The fix removes blank lines before `+++`; YAML has to be rewritten by hand.",
         bad='\n+++\nvideo_name = "mantis"\n+++\n' + _TTS,
         good='+++\nvideo_name = "mantis"\n+++\n' + _TTS, fix="safe", rests_on="toolkit"),
    Rule("S020", "tag-across-lines", ERROR,
         "A tag whose attributes go on over the next line.",
         "A tag stands on one line, from `[` to `]`. The toolkit reads the lines as one tag, "
         "since the next line goes on with `name=\"value\"`; the fix joins them. It never "
         "closes the tag on its first line, which would make the attributes below narration.",
         bad='[tts engine="kokoro_tts"\nvoice="af_heart"]\nHello.\n[/tts]\n', good=_TTS,
         fix="safe", rests_on="toolkit"),
    Rule("S021", "invisible-character", ERROR,
         "An invisible character (zero-width space, byte-order mark, no-break space...) in a "
         "tag or attribute name, a value, or between attributes.",
         "Copied text often brings characters that show nothing or look like a space. Two "
         "names that look the same then differ, and InkSlop would not know the name. The "
         "finding names the character by its code point and name; the toolkit reads the name "
         "or value without it, and the fix removes it (or writes a plain space).",
         bad='[tts engine="kokoro\u200b_tts" voice="af_heart"]\nHello.\n[/tts]\n', good=_TTS,
         fix="safe"),
    Rule("S022", "attribute-with-colon", ERROR,
         "An attribute written `name: \"value\"`, with a colon, as YAML and JSON write it.",
         "An attribute is written `name=\"value\"`; InkSlop would not read `engine: \"...\"` "
         "as the engine. The toolkit reads it as the attribute it is meant to be, and checks "
         "its value as usual; the fix writes `=` in place of the colon.",
         bad='[tts engine: "kokoro_tts" voice: "af_heart"]\nHello.\n[/tts]\n', good=_TTS,
         fix="safe"),
    Rule("S023", "space-after-bracket", ERROR,
         "A tag with a space between its `[` (or `[/`) and its name: `[ tts ...]`.",
         "A tag starts with `[` and its name at once; InkSlop may not read `[ tts` as a tag, and "
         "the narration would lose its voice. The toolkit reads a known tag as the tag it is "
         "meant to be (a `[` followed by a space and any other word stays a stray `[`, S008); "
         "the fix removes the space.",
         bad='[ tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n', good=_TTS,
         fix="safe"),
]

