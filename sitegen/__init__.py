"""sitegen: a static-site generator for bilingual campaign sites."""

__version__ = "0.1.0"
