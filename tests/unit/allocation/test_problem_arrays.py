"""The array helpers of the problem: the same answers as numpy's general (slower) forms."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kuznia.allocation.problem import unique_pairs, unique_rows


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.bool_, hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=20)))
def test_unique_rows_is_numpys_unique_along_rows(a: np.ndarray) -> None:
    rows, first, inverse = unique_rows(a)
    if a.shape[0] == 0 or a.shape[1] == 0:
        assert np.array_equal(rows, a[: min(a.shape[0], 1)])
        assert np.array_equal(inverse, np.zeros(a.shape[0]))
        return
    want, want_first, want_inverse = np.unique(a, axis=0, return_index=True, return_inverse=True)
    assert np.array_equal(rows, want)
    assert np.array_equal(first, want_first)
    assert np.array_equal(inverse, want_inverse.ravel())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=40))
def test_unique_pairs_is_numpys_unique_of_pairs(pairs: list[tuple[int, int]]) -> None:
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    got, inverse = unique_pairs(a, b)
    if not pairs:
        assert got.shape == (0, 2)
        assert len(inverse) == 0
        return
    want, want_inverse = np.unique(np.stack([a, b], axis=1), axis=0, return_inverse=True)
    assert np.array_equal(got, want)
    assert np.array_equal(inverse, want_inverse.ravel())
