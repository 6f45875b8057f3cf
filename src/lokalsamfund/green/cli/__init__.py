"""Subcommands of ``lokalsamfund green``: each module here is one subcommand with ``HELP``,
``add_arguments(parser)`` and ``run(command, options)``."""
