"""The figures the book draws, one module per topic; matplotlib is imported lazily.

Each function takes data computed by the rest of ``initact`` (never computes
an experiment itself), draws on an ``ax`` you pass or on a new figure, labels
its axes, and returns the figure, so the book, the widgets and the tests all
share one drawing.
"""
