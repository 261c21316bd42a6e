"""The application layer: each command's work as one plain call with a typed result.

Below the terminal and above the core: these modules open the history, write files
atomically and decide what is saved, and they never print. A command line, a script,
a chat bot or a web page drives the same calls (see docs/api.md); ``ui/`` draws their
results and reads the keyboard. Nothing here imports Rich or Typer, and no module of
the core imports this package.
"""
