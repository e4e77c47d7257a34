"""The one way to put a control in the URL, so a link restores exactly what the teacher sees.

Give the widget a page-prefixed ``key`` and ``bind=IN_URL``: Streamlit then writes its value to
``?<key>=...`` (a value equal to the widget's default is left out) and reads it back from a shared link.
Number controls use ``bound_number`` / ``bound_slider``, which take their limits from
``bounds.NUMBERS``. Old parameter names of a page are translated once with ``rename_legacy_params`` so
that links shared before a rename keep working.

A link is untrusted input. ``check_link`` (run by ``page_header``, before any widget) drops every number
outside its documented bounds, and ``report_unused_link`` (run by ``run_tabs``, after the widgets) finds
the values Streamlit itself refused (an unknown option, an index past the layer's last channel); each
control then shows its default and a notice names the parameter once.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_support.shared.bounds import Bound, bound_of
from app_support.shared.literal import literal

#: ``bind=IN_URL`` mirrors a widget in the address bar under its key
IN_URL = "query-params"
#: session-state keys: notices left for the rerun after ``check_link``; the link's values for the controls
#: this run draws for the first time
_REFUSED, _SENT = "url_refused", "url_sent"
#: characters of a refused value quoted in a notice
QUOTE_CHARS = 24


def rename_legacy_params(renames: Mapping[str, str | tuple[str, ...]]) -> None:
    """Rewrite ``?old=value`` to ``?new=value`` for each old → new name (or names: one old parameter may
    have become several controls), then start the run again.

    Call it before the page's first widget: a bound widget reads the link only at the start of a run, so
    the renamed parameters take effect in the rerun.
    """
    renamed = False
    for old, new in renames.items():
        if old in st.query_params:
            value = st.query_params[old]
            del st.query_params[old]
            for name in (new,) if isinstance(new, str) else new:
                st.query_params.setdefault(name, value)
            renamed = True
    if renamed:
        st.rerun()


def rename_legacy_values(renames: Mapping[str, Mapping[str, str]]) -> None:
    """Rewrite the values of old links to today's options (parameter → {old value: new value}), then start
    the run again. Call it before the page's first widget, like ``rename_legacy_params``."""
    stale = {
        key: table[st.query_params[key]]
        for key, table in renames.items()
        if st.query_params.get(key) in table
    }
    if stale:
        st.query_params.update(stale)
        st.rerun()


def check_link() -> None:
    """Drop every number of the link that is outside its documented bounds, then run the page again
    without them; on that run, name what was dropped. Call it before the page's first widget."""
    refused = {}
    for key in st.query_params:
        bound = bound_of(key)
        why = bound.refusal(st.query_params[key]) if bound else None
        if why:
            refused[key] = f"{_quoted(key, st.query_params[key])}: {why}"
    if refused:
        for key in refused:
            del st.query_params[key]
        st.session_state[_REFUSED] = list(refused.values())
        st.rerun()
    _notify(st.session_state.pop(_REFUSED, []))
    # a control already drawn in this session reads its own value, not the link's
    new = [key for key in st.query_params if key not in st.session_state]
    st.session_state[_SENT] = {key: st.query_params.get_all(key) for key in new}


def report_unused_link() -> None:
    """Name the link's values that Streamlit refused when their controls were first drawn (on this run, or
    later when their tab opens). Call it after the widgets.

    A bound widget silently drops a value it cannot take (and one equal to its default, which is no
    refusal): a value is reported when its control is on the page but neither the URL nor the control
    shows what the link asked for.
    """
    sent = st.session_state.pop(_SENT, {})
    _notify(
        [
            f"{_quoted(key, texts[-1])}: it is not a value this control offers here"
            for key, texts in sent.items()
            if key in st.session_state
            and st.query_params.get_all(key) != texts
            and not _shows(texts, st.session_state[key])
        ]
    )


def bound_number(
    label: str,
    key: str,
    default: int,
    *,
    where: DeltaGenerator | None = None,
    low: int | None = None,
    high: int | None = None,
    **options,
) -> int:
    """A whole-number input in the URL as ``?key=``, within ``bounds.NUMBERS[key]``, or within ``low`` …
    ``high`` where the page narrows it (a layer's channels); drawn in ``where`` (default: the page)."""
    bound = _bound(key)
    return int(
        (where or st).number_input(
            label,
            min_value=bound.low if low is None else low,
            max_value=bound.high if high is None else high,
            value=default,
            step=1,
            key=key,
            bind=IN_URL,
            **options,
        )
    )


def bound_slider(
    label: str,
    key: str,
    default: float,
    step: float | None = None,
    *,
    where: DeltaGenerator | None = None,
    high: float | None = None,
    **options,
):
    """A slider in the URL as ``?key=`` over ``bounds.NUMBERS[key]`` (or up to ``high``), in ``where``."""
    bound = _bound(key)
    top = bound.high if high is None else high
    return (where or st).slider(label, bound.low, top, default, step, key=key, bind=IN_URL, **options)


def _bound(key: str) -> Bound:
    bound = bound_of(key)
    if bound is None:
        raise KeyError(f"{key} has no documented bounds in app_support/shared/bounds.py")
    return bound


def _quoted(key: str, text: str) -> str:
    """``?key=value`` shown literally, the value cut to QUOTE_CHARS characters."""
    shown = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + f"… ({len(text):,} characters)"
    return literal(f"?{key}={shown}")


def _shows(texts: list[str], value: object) -> bool:
    """Whether a control's ``value`` is what the link's ``texts`` asked for."""
    values = list(value) if isinstance(value, list | tuple) else [value]
    return len(values) == len(texts) and all(map(_names, texts, values))


def _names(text: str, value: object) -> bool:
    """Whether URL ``text`` names ``value``: "true" for True, "0.25" for 0.25, an option by its label (which
    may add a note in brackets: "block5a_expand_activation (1/16)")."""
    if isinstance(value, bool):
        return text.lower() == str(value).lower()
    if isinstance(value, int | float):
        try:
            return float(text) == value
        except ValueError:
            return False
    label, text = str(value).casefold(), text.casefold()
    return text == label or text.startswith(label + " (")


def _notify(notices: list[str]) -> None:
    if notices:
        st.toast(
            "This link asked for values the page cannot use, so those controls show their defaults:\n\n"
            + "\n\n".join(notices),
            icon="🔗",
            duration="long",
        )
