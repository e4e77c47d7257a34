r"""User text shown as typed: gallery names, file names, error messages that echo them.

Streamlit renders the body of st.markdown, st.info / st.success / st.warning / st.error, st.caption,
st.toast, image captions and radio options as Markdown with extensions (LaTeX between ``$``, coloured
text ``:red[…]``, icons ``:material/…:``, bare links), and Plotly renders HTML-like tags in labels. A
visitor who names a face ``**Bob** [x](http://e.com)`` must see exactly that, so every piece of user text
passes through ``literal`` (Markdown) or ``literal_html`` (Plotly) on its way to the page.

A backslash before an ASCII punctuation character makes it literal in Markdown (CommonMark §2.4). Two
extensions act after that, on the text itself: bare links (``http://``, ``www.``, ``a@b.co``) and
Streamlit's ``:material/…:`` icons; an invisible WORD JOINER (U+2060) after ``:`` and ``@`` and before the
dot of ``www.`` breaks their patterns without changing what the reader sees.
"""

from __future__ import annotations

import html
import re

WORD_JOINER = "\u2060"
#: characters with a meaning anywhere in a line: emphasis, code, strikethrough, links, HTML, LaTeX, tables
_INLINE = re.compile(r"([\\`*_~\[\]<>$&|])")
#: characters with a meaning at the start of a line: heading, list item, setext underline, "1." / "1)"
_LINE_START = re.compile(r"^(\s*)([#\-+=]|\d+(?=[.)]))", re.MULTILINE)
#: where a bare link or an icon would start: "http:/", ":material", "a@b", "www."
_PATTERN_START = re.compile(r"(?i)(?<=:)(?=\S)|(?<=@)|(?<=www)(?=\.)")


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def literal(text: str) -> str:
    r"""``text`` escaped so that Streamlit's Markdown shows it character for character.

    >>> literal("**Bob** [x](http://e.com) :red[hi] $x^2$")
    '\\*\\*Bob\\*\\* \\[x\\](http:\u2060//e.com) :\u2060red\\[hi\\] \\$x^2\\$'
    >>> literal("1. Ann"), literal("input: 6x6")
    ('1\\. Ann', 'input: 6x6')
    """
    escaped = _LINE_START.sub(_escape_line_start, _INLINE.sub(r"\\\1", text))
    return _PATTERN_START.sub(WORD_JOINER, escaped)


def literal_html(text: str) -> str:
    """``text`` for a Plotly label, which reads ``<b>``, ``<a href=…>`` and entities: ``<``, ``>`` and
    ``&`` become entities, which Plotly shows as the characters themselves.

    >>> literal_html("<b>Bob</b> & co")
    '&lt;b&gt;Bob&lt;/b&gt; &amp; co'
    """
    return html.escape(text, quote=False)
