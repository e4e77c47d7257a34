"""Streamlit glue shared by the pages: cached loaders, shared widgets, plotting helpers."""
