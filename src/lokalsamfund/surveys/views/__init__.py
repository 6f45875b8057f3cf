"""Pages of the survey domain: the residents' form (``form``), staff pages (``staff``) and
results (``results``). Thin: they call services and selectors."""
