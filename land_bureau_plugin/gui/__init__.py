"""Dock panels: friendly front-ends that collect inputs, run the Processing algorithms in the background and show
the results (styled layer, summary, table, export, print)."""
