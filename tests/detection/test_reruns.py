"""Moving a control on Detection's main tab reruns only that tab: the tab is an ``st.fragment``."""

from app_support.detection import sections


def test_the_step_by_step_tab_is_a_fragment():
    assert hasattr(sections.detection, "__wrapped__")  # st.fragment's wrapper around the tab
