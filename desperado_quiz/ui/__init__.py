"""Presentation: everything that draws on the terminal with Rich lives in this package."""
