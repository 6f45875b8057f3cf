"""Subcommands of ``lokalsamfund green``: one module each (``add_arguments``, ``run``, ``HELP``)."""
