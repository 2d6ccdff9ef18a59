"""Read-only views for the web pages: the current plan and what-if copies (``plans``), the
charts' aggregates (``aggregates``) and registry browsing with search (``browse``)."""
