"""``python -m desperado_quiz`` runs the same CLI as ``desperado-quiz``."""

from desperado_quiz.cli import main

if __name__ == "__main__":
    main()
