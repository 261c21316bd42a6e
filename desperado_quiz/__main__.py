"""The entry point of ``desperado-quiz`` and ``python -m desperado_quiz``.

The CLI is imported inside the guard, so that Ctrl-C while Typer and Rich are still
loading ends quietly with the status of any other Ctrl-C, not with a traceback.
"""

import sys


def main() -> None:
    try:
        from desperado_quiz.cli import main as run_cli
    except KeyboardInterrupt:
        sys.exit(130)  # ExitCode.INTERRUPTED, without importing even that module
    run_cli()


if __name__ == "__main__":
    main()
