"""hrd-assistant: shared leaves (settings, errors) and the `hrd` command line.

`hrd.settings` and `hrd.errors` import nothing from the project's layers; every layer
may import them. `hrd.cli` sits on top of every layer.
"""
