"""Printed map layouts: themes (what each analysis prints, as data), tables (Qt-free), templates, the builder that
fills a template for a theme, and PDF/PNG export. `themes` and `tables` import no Qt, so tests/unit covers them."""
