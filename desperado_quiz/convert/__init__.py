"""Interchange formats: one module per format, converting between the models and the
format's bytes, with no terminal I/O. ``registry`` names them; ``common`` holds what
they share (the per-question report, HTML text, building imported questions)."""
