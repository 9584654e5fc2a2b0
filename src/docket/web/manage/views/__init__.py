"""Views of the administration pages, one module per subject. Thin: parse, call a
service, render."""
