"""A visitor without a browser: Streamlit's own websocket protocol, spoken by a few lines of Python.

A browser tab does three things with a Streamlit server: it asks for script runs (a ``BackMsg`` with the
page, the URL's query and every widget's value), it keeps the elements each run sends (``ForwardMsg``
deltas, each at a path in the page's tree) and it uploads files over HTTP before naming them in a widget
value. ``StreamlitVisitor`` does the same with no rendering. The server's warm-up sends one to every page
before the first student (``rehearsal``); the classroom benchmark sends a class of them, which cost the
machine almost nothing, so its figures are the server's. It keeps the page as text (``screen``) to check
what a visitor would see.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

import requests
import websockets
from google.protobuf.message import Message
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

#: the cookie and header of Streamlit's XSRF check on uploads
XSRF_COOKIE, XSRF_HEADER = "_streamlit_xsrf", "X-Xsrftoken"
#: a run that ended only because another one starts at once (``st.rerun``): the visitor waits for that one
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def proto_text(message: Message) -> list[str]:
    """Every string field of ``message`` and of the messages inside it: what a page shows of an element
    (labels, markdown, captions, chart specs), without the bytes of its pictures."""
    texts = []
    for descriptor, value in message.ListFields():
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                texts.extend(proto_text(item))
            elif isinstance(item, str):
                texts.append(item)
    return texts


@dataclass
class Shown:
    """One element on the page: its kind (``markdown``, ``slider``…), its text, and for a widget its id
    and the fragment that drew it ("" outside any)."""

    kind: str
    text: str
    element: Element
    fragment_id: str


@dataclass
class StreamlitVisitor:
    """One tab of the app at ``base_url`` (``http://host:port``), on page ``page`` (its URL path) with
    ``query`` (``a=1&b=2``). ``await visitor.open()`` connects and waits for the first run."""

    base_url: str
    page: str
    query: str = ""
    session_id: str = ""
    screen: dict[tuple[int, ...], Shown] = field(default_factory=dict)
    widgets: dict[str, WidgetState] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # the text of every exception box a run showed
    server_s: float = 0.0  # the last run: from asking for it to the message that ended it
    _socket: websockets.ClientConnection | None = None
    _reader: asyncio.Task | None = None
    _finished: asyncio.Queue = field(default_factory=asyncio.Queue)
    _file_urls: dict[str, asyncio.Future] = field(default_factory=dict)
    _touched: set[tuple[int, ...]] = field(default_factory=set)
    _pictures: set[str] = field(default_factory=set)  # the picture URLs fetched
    _xsrf: str = ""

    async def open(self) -> None:
        """Connect (after fetching the XSRF cookie, as the page's first request does) and run the page."""
        health = await asyncio.to_thread(requests.get, f"{self.base_url}/_stcore/health", timeout=60)
        self._xsrf = health.cookies.get(XSRF_COOKIE, "")
        stream = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        self._socket = await websockets.connect(
            stream, subprotocols=["streamlit"], max_size=None, open_timeout=60
        )
        self._reader = asyncio.create_task(self._read())
        await self.rerun()

    async def close(self) -> None:
        """Close the tab."""
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    @property
    def text(self) -> str:
        """What the page shows, as text, element after element."""
        return "\n".join(shown.text for _, shown in sorted(self.screen.items()))

    def widget(self, key: str) -> Shown:
        """The widget whose ``key`` (the one the app gave it) or label is ``key``."""
        for shown in self.screen.values():
            proto = getattr(shown.element, shown.kind, None)
            widget_id = getattr(proto, "id", "")
            if widget_id and (widget_id.endswith(f"-{key}") or getattr(proto, "label", None) == key):
                return shown
        raise LookupError(f"no widget {key!r} on the page")

    async def rerun(self, fragment_id: str = "", *triggers: WidgetState) -> None:
        """Ask for a run with every widget value set so far (and ``triggers``, which last one run), as
        the page does after an input; return when it has finished."""
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string, rerun.page_name, rerun.fragment_id = self.query, self.page, fragment_id
        rerun.widget_states.widgets.extend([*self.widgets.values(), *triggers])
        asked = asyncio.get_running_loop().time()
        await self._socket.send(message.SerializeToString())
        while await self._next_finish() == EARLY_FOR_RERUN:
            pass
        self.server_s = asyncio.get_running_loop().time() - asked
        await self._fetch_pictures()

    async def _fetch_pictures(self) -> None:
        """Fetch the pictures the page shows that it has not fetched yet, as a browser does after a run."""
        urls = {
            picture.url
            for shown in self.screen.values()
            if shown.kind == "imgs"
            for picture in shown.element.imgs.imgs
            if picture.url.startswith("/media/") and picture.url not in self._pictures
        }
        self._pictures |= urls
        for answer in await asyncio.gather(
            *(asyncio.to_thread(requests.get, self.base_url + url, timeout=60) for url in urls)
        ):
            answer.raise_for_status()

    async def _next_finish(self) -> int:
        """How the next run ended; the reader's fault if it stopped (the server closed the socket)."""
        finish = asyncio.ensure_future(self._finished.get())
        await asyncio.wait({finish, self._reader}, return_when=asyncio.FIRST_COMPLETED)
        if not finish.done():
            finish.cancel()
            self._reader.result()  # raises what stopped it
            raise ConnectionError("the server closed the connection during a run")
        return finish.result()

    async def set(self, key: str, **value) -> None:
        """Give the widget ``key`` a value (``string_value="x"``, ``double_array_value={"data": [0.1]}``…)
        and run."""
        shown = self.widget(key)
        state = WidgetState(id=getattr(shown.element, shown.kind).id, **value)
        self.widgets[state.id] = state
        await self.rerun(shown.fragment_id)

    async def click(self, key: str) -> None:
        """Press the button ``key`` and run."""
        shown = self.widget(key)
        await self.rerun(shown.fragment_id, WidgetState(id=shown.element.button.id, trigger_value=True))

    async def upload(self, key: str, name: str, data: bytes, mime: str = "image/png") -> None:
        """Drop the file ``name`` on the file uploader ``key``: ask for its URLs, send it, name it in the
        widget's value, run."""
        uploader = self.widget(key)
        request_id = uuid.uuid4().hex
        answer = self._file_urls[request_id] = asyncio.get_running_loop().create_future()
        message = BackMsg()
        message.file_urls_request.request_id = request_id
        message.file_urls_request.session_id = self.session_id
        message.file_urls_request.file_names.append(name)
        await self._socket.send(message.SerializeToString())
        urls: FileURLs = await answer
        response = await asyncio.to_thread(
            requests.put,
            self.base_url + urls.upload_url,
            files={"file": (name, data, mime)},
            headers={XSRF_HEADER: self._xsrf},
            cookies={XSRF_COOKIE: self._xsrf},
            timeout=60,
        )
        response.raise_for_status()
        state = WidgetState(id=uploader.element.file_uploader.id)
        state.file_uploader_state_value.uploaded_file_info.add(
            file_id=urls.file_id, name=name, size=len(data), file_urls=urls
        )
        self.widgets[state.id] = state
        await self.rerun(uploader.fragment_id)

    async def _read(self) -> None:
        async for frame in self._socket:
            self._receive(ForwardMsg.FromString(frame))

    def _receive(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.session_id = self.session_id or message.new_session.initialize.session_id
            self._touched = set()
        elif kind == "delta":
            self._show(tuple(message.metadata.delta_path), message.delta)
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY:
                self.screen = {path: shown for path, shown in self.screen.items() if path in self._touched}
            self._finished.put_nowait(message.script_finished)
        elif kind == "file_urls_response":
            response = message.file_urls_response
            future = self._file_urls.pop(response.response_id, None)
            if future is not None and response.error_msg:
                future.set_exception(RuntimeError(response.error_msg))
            elif future is not None:
                future.set_result(response.file_urls[0])

    def _show(self, path: tuple[int, ...], delta) -> None:
        self._touched.add(path)
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type") or ""
        text = " ".join(proto_text(getattr(element, kind))) if kind else ""
        if kind == "exception":
            self.errors.append(text[:300])
        self.screen[path] = Shown(kind, text, element, delta.fragment_id)
