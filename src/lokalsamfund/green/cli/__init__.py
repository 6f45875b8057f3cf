"""Subcommands of ``lokalsamfund green``: one module each, with ``HELP``,
``add_arguments(parser)`` and ``run(command, options)``."""
