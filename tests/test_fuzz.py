"""Fuzzing the command line: bad input is one error line and exit 1 or 2, never a traceback; good input exits 0.

Every input the fuzzing found, as a regression test.
"""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st


# -- found by fuzzing ----------------------------------------------------------------------------------------
def test_long_run_of_spaces_is_linear():
    """A line of 300,000 spaces took minutes: the space-near-CJK pattern was tried (and failed) at every space."""
    from kg.normalize import spaces_removed, squeeze

    started = time.perf_counter()
    assert squeeze("a" + " " * 300_000 + "b") == "a b"
    assert squeeze("字" + " " * 300_000 + "b") == "字b"
    assert spaces_removed("a" + " \t" * 150_000 + "b") == 0
    assert time.perf_counter() - started < 2


@settings(max_examples=2000, derandomize=True, deadline=None, database=None)
@given(st.text(alphabet=[" ", "\u3000", "\t", "\n", "\xa0", "a", "1", "字", "，", "）"], max_size=16))
def test_space_pattern_removes_what_it_removed_before(text):
    """The linear pattern removes exactly the spaces the quadratic one did (ideographic spaces included)."""
    from kg import normalize

    old = re.compile(f"(?<=[{normalize._CJK}])\\s+|\\s+(?=[{normalize._CJK}])")
    assert normalize._SPACE_NEAR_CJK.sub("|", text) == old.sub("|", text)
