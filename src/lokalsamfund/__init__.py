"""lokalsamfund: living local communities that prevent loneliness."""

__version__ = "0.1.0"
