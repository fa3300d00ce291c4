"""The rules of the performance dataset in plain, typed Python, free of Django: each rule is
written once here and called by the models, services, selectors, exports and tools.

vocabulary (the dataset's words) < calendar < figures (a figure as text) < change < rag <
benchmark, spc < verdict < statistics (`analyse`, which puts them together); cells (a table
cell read as a figure) and validation (the checks on an incoming figure) stand beside them,
and concurrency holds the entry screens' tokens.
"""
