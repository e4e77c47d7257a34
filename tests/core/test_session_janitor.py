"""The janitor frees a closed tab's uploads and pictures once Streamlit has forgotten its session, and
never a session that may still reconnect; checked on Streamlit's own in-memory stores."""

import pytest
from streamlit.runtime import media_file_manager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from app_support.shared.session_janitor import SessionJanitor

TTL_S = 15.0


@pytest.fixture
def stores(monkeypatch):
    """An upload store and a media store, each holding one photo and one picture of sessions "here" and
    "gone"."""
    uploads = MemoryUploadedFileManager("/_stcore/upload_file")
    media = MediaFileManager(MemoryMediaFileStorage("/media"))
    for session_id in ("here", "gone"):
        uploads.add_file(session_id, UploadedFileRec(f"{session_id}-photo", "p.png", "image/png", b"x" * 999))
        monkeypatch.setattr(media_file_manager, "_get_session_id", lambda s=session_id: s)
        media.add(f"picture of {session_id}".encode(), "image/png", "1.(0).2")
    return uploads, media


def pictures(media: MediaFileManager) -> set[bytes]:
    return {file.content for file in media._storage._files_by_id.values()}


def test_a_session_away_longer_than_the_ttl_is_freed_and_no_other(stores):
    uploads, media = stores
    janitor = SessionJanitor(ttl_s=TTL_S)
    here = {"here"}.__contains__
    assert janitor.sweep(uploads, media, here, now=100.0) == []  # first seen away
    assert janitor.sweep(uploads, media, here, now=100.0 + TTL_S) == []  # Streamlit may still reconnect it
    assert janitor.sweep(uploads, media, here, now=100.0 + TTL_S + 1) == ["gone"]
    assert set(uploads.file_storage) == {"here"}
    assert [f.file_id for f in uploads.get_files("here", ["here-photo"])] == ["here-photo"]
    assert pictures(media) == {b"picture of here"}
    assert sum(stat.byte_length for stats in uploads.get_stats().values() for stat in stats) == 999
    assert janitor.away_since == {}


def test_a_reconnect_restarts_the_clock(stores):
    uploads, media = stores
    janitor = SessionJanitor(ttl_s=TTL_S)
    nobody, everybody = (lambda _: False), (lambda _: True)
    janitor.sweep(uploads, media, nobody, now=0.0)
    janitor.sweep(uploads, media, everybody, now=10.0)  # both tabs came back
    assert janitor.sweep(uploads, media, nobody, now=20.0) == []
    assert janitor.sweep(uploads, media, nobody, now=20.0 + TTL_S) == []
    assert sorted(janitor.sweep(uploads, media, nobody, now=21.0 + TTL_S)) == ["gone", "here"]
    assert uploads.file_storage == {} and pictures(media) == set()
