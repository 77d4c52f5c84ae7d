"""Streamlit pieces shared by pages: the frame, the session, table and chart widgets.

The only package besides app.py that touches st.session_state.
"""
