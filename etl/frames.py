"""Building large frames without pandas' consolidation copy."""

import pandas as pd


def columns_frame(columns: dict) -> pd.DataFrame:
    """A frame over these equal-length arrays (numpy or pandas extension arrays, or Series)
    without stacking the columns of each dtype into 2-D blocks: ``pd.DataFrame`` copies
    every column once more to do that (hundreds of MB and about a second for a million rows
    of twenty text columns, at the moment memory peaks). pandas consolidates later, one
    operation at a time, where it needs to."""
    arrays = [_array(values) for values in columns.values()]
    size = len(arrays[0]) if arrays else 0
    try:
        from pandas.core.internals.construction import arrays_to_mgr

        manager = arrays_to_mgr(
            arrays, pd.Index(list(columns)), pd.RangeIndex(size), typ="block", consolidate=False
        )
        return pd.DataFrame._from_mgr(manager, axes=manager.axes)
    except (ImportError, TypeError, ValueError, AttributeError):  # another pandas
        return pd.DataFrame(columns)


def _array(values):
    if not isinstance(values, pd.Series):
        return values
    if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        return values.array
    return values.to_numpy()
