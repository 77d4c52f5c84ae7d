"""cadre: analytics for a government office's post-responsibility assessment,
rotation and promotion of its cadres. Importable without Streamlit."""

__version__ = "0.1.0"
