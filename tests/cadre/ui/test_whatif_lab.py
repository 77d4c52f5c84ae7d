"""cadre.ui.whatif_lab: the lab's controls kept in the session state, and the slider callback (no browser)."""
from __future__ import annotations

import pytest

from cadre import settings as settings_mod
from cadre.whatif.scenario import baseline, preset
from cadre.ui import whatif_lab


@pytest.fixture
def cfg():
    return settings_mod.defaults()


def test_page_state_round_trip_and_slider_callback(cfg):
    state = {}
    spec = preset("equal", cfg)
    whatif_lab.write_state(state, spec)
    assert whatif_lab.read_state(state, cfg, "annual") == spec
    state[whatif_lab.LOCK_KEYS["w"]] = ["德"]
    state["whatif_w_3"] = 55.0                  # the slider moved
    whatif_lab.on_weight_change(state, "w", 3)
    assert [state[k] for k in whatif_lab.DIM_KEYS] == [25.0, 10.0, 10.0, 55.0]
    # another period kind: the controls go back to the settings
    assert whatif_lab.read_state(state, cfg, "quarterly") == baseline(cfg, "quarterly")


class _Writes(dict):
    """A session state that remembers which keys were written."""

    def __init__(self, *args):
        super().__init__(*args)
        self.written = []

    def __setitem__(self, key, value):
        self.written.append(key)
        super().__setitem__(key, value)


def test_slider_callback_leaves_the_moved_slider_to_the_widget(cfg):
    """Issue 20, item 4: a write to the moved slider's key sends its value back
    to the browser and undoes keys pressed meanwhile; the callback writes
    only the others, and the moved one only when the locks clip it."""
    state = {}
    whatif_lab.write_state(state, preset("equal", cfg))
    state = _Writes(state)
    state["whatif_w_0"] = 26.000000000000004       # the slider's step on 25, as a float
    state.written.clear()
    whatif_lab.on_weight_change(state, "w", 0)
    assert [k for k in state.written if k in whatif_lab.DIM_KEYS] == whatif_lab.DIM_KEYS[1:]
    assert sum(state[k] for k in whatif_lab.DIM_KEYS) == pytest.approx(100)
    # locks leave room for 40 only: the moved slider is set back to it
    state[whatif_lab.LOCK_KEYS["w"]] = ["能", "勤"]
    state["whatif_w_0"], state["whatif_w_1"], state["whatif_w_2"] = 70.0, 30.0, 30.0
    state.written.clear()
    whatif_lab.on_weight_change(state, "w", 0)
    assert "whatif_w_0" in state.written and state["whatif_w_0"] == 40.0


def _browser_run(state, values: dict, ack) -> list:
    """What Streamlit does with a run the browser sent: its widget values
    into the state; then the callbacks of the weights that differ from the
    state's (in the order given)."""
    changed = [k for k, v in values.items() if state.get(k) != v]
    state.update(values)
    state[whatif_lab.ACK_KEY] = ack
    state.written.clear()
    return changed


@pytest.mark.parametrize("order", [1, -1])
def test_a_run_sent_before_the_last_rescale_arrived_moves_only_the_pressed_slider(cfg, order):
    """Issue 20, item 4: keys pressed quickly send a run before the browser has
    the others' rescaled values; their old values come back as changes of
    theirs. Their callbacks must not touch the slider being pressed, and the
    weights end as the pressed slider's last value says."""
    state = {}
    whatif_lab.write_state(state, preset("equal", cfg))     # 25 each
    state = _Writes(state)
    keys = whatif_lab.DIM_KEYS
    state[whatif_lab.ACK_KEY] = 0
    # run 1: the first press (25 -> 26)
    for k in _browser_run(state, {keys[0]: 26.0}, ack=0):
        whatif_lab.on_weight_change(state, "w", keys.index(k))
    # run 2, sent before run 1's answer: the second press, the others as they were
    changed = _browser_run(state, {keys[0]: 27.0, keys[1]: 25.0, keys[2]: 25.0, keys[3]: 25.0}, ack=0)
    assert set(changed) == set(keys)      # the old values of the others read as changes
    for k in changed[::order]:
        whatif_lab.on_weight_change(state, "w", keys.index(k))
    assert keys[0] not in state.written   # the pressed slider is the browser's
    assert [state[k] for k in keys] == pytest.approx([27.0, 73 / 3, 73 / 3, 73 / 3], abs=0.01)
    # run 3, sent with run 2's answer in hand: a press on another slider counts,
    # even to the value it had before the rescale
    ack = state[whatif_lab.ACK_KEY]
    changed = _browser_run(state, {keys[1]: 25.0}, ack=ack)
    for k in changed:
        whatif_lab.on_weight_change(state, "w", keys.index(k))
    assert keys[1] not in state.written and state[keys[1]] == 25.0
    assert sum(state[k] for k in keys) == pytest.approx(100)
