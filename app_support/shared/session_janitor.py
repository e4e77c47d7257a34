"""The uploads and pictures of closed tabs, freed once Streamlit has forgotten their sessions.

A tab that disconnects keeps its session for ``server.disconnectedSessionTTL`` seconds so that it can
reconnect. When that time runs out, Streamlit (1.67) drops the session without shutting it down
(streamlit/streamlit#12506), so the photos uploaded in it stay in the server's upload store, and its
pictures' references in the media store, as long as the server runs: a class of ten left 6 MB of
photos behind. ``SessionJanitor.sweep`` removes what belongs to a session that has been away longer
than that time; the server (serve.py) sweeps every few seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class UploadStore(Protocol):
    """Streamlit's upload store; the in-memory one keeps files by session id in ``file_storage``."""

    def remove_session_files(self, session_id: str) -> None: ...


class MediaStore(Protocol):
    """Streamlit's media file manager; it keeps each session's picture references by session id."""

    def clear_session_refs(self, session_id: str | None = None) -> None: ...

    def remove_orphaned_files(self) -> None: ...


@dataclass
class SessionJanitor:
    """Frees the leftovers of sessions away for longer than ``ttl_s`` seconds (the server's
    ``server.disconnectedSessionTTL``). Time counts from the first sweep that finds a session away, so a
    session is never freed before Streamlit itself has given up on its reconnect."""

    ttl_s: float
    away_since: dict[str, float] = field(default_factory=dict)

    def sweep(
        self, uploads: UploadStore, media: MediaStore, is_active: Callable[[str], bool], now: float
    ) -> list[str]:
        """Free the files and picture references of every session gone for ``ttl_s`` at time ``now`` (s);
        ``is_active(id)`` tells whether a session has a connected tab. Returns the freed sessions' ids."""
        owners = set(getattr(uploads, "file_storage", {})) | set(
            getattr(media, "_files_by_session_and_coord", {})
        )
        freed = []
        for session_id in owners:
            if is_active(session_id):
                self.away_since.pop(session_id, None)
            elif now - self.away_since.setdefault(session_id, now) > self.ttl_s:
                uploads.remove_session_files(session_id)
                media.clear_session_refs(session_id)
                freed.append(session_id)
        for session_id in set(self.away_since) - owners.difference(freed):
            del self.away_since[session_id]
        if freed:
            media.remove_orphaned_files()
        return freed


def sweep_forgotten_sessions(janitor: SessionJanitor, now: float) -> list[str]:
    """``janitor.sweep`` on the running server's own stores (nothing where no server runs)."""
    from streamlit import runtime

    if not runtime.exists():
        return []
    server = runtime.get_instance()
    return janitor.sweep(server.uploaded_file_mgr, server.media_file_mgr, server.is_active_session, now)
