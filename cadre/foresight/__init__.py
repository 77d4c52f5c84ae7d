"""Foresight: rank rules presets (rules), the workforce projection (projection)."""
