"""The town officials' dashboard (Plotly Dash)."""
