"""How a question and its answers are put into words, as a player saw them: the line
that says how to answer, a choice with its letter, an order as letters. Plain strings,
no Rich: the terminal game, the host's screen and the live protocol all say it so."""

from __future__ import annotations

from desperado_quiz.game.session import Asked
from desperado_quiz.matching import letters, order_example, order_letters
from desperado_quiz.model import ChoiceQuestion, MultiQuestion, NumberQuestion, OrderQuestion
from desperado_quiz.text import format_number

HOW_TO_ANSWER = {
    "choice": "Type a letter, a number or the text of a choice.",
    "multi": "Pick every right choice: letters like A,C or texts separated by commas.",
    "boolean": "Answer true or false (t/f, yes/no).",
    "text": "Type your answer; case and small typos don't matter.",
    "number": "Type a number.",
    "order": "Give the letters in the right order, e.g. {example}.",
}


def how_to_answer(asked: Asked) -> str:
    question = asked.question
    text = HOW_TO_ANSWER[question.type]
    if isinstance(question, OrderQuestion):
        text = text.format(example=order_example(asked.options, question.answer))
    if isinstance(question, NumberQuestion):
        if question.unit:
            text = f"Type a number, in {question.unit}."
        if question.tolerance:
            text += f" Within ±{format_number(question.tolerance)} counts."
    return text


def shown_answer(asked: Asked, text: str) -> str:
    """An answer as the player saw it: a choice with its letter, an order as letters, a
    number with its unit."""
    question = asked.question
    if isinstance(question, NumberQuestion) and question.unit and text:
        return f"{text} {question.unit}"
    if isinstance(question, OrderQuestion):
        return order_letters(asked.options, text.split(" → "))
    if isinstance(question, ChoiceQuestion | MultiQuestion):
        picks = [text] if isinstance(question, ChoiceQuestion) else text.split(", ")
        return ", ".join(lettered(asked, pick) for pick in picks if pick)
    return text


def lettered(asked: Asked, choice: str) -> str:
    if choice in asked.options:
        return f"{letters(len(asked.options))[asked.options.index(choice)]}) {choice}"
    return choice


def right_answer(asked: Asked) -> str:
    question = asked.question
    if isinstance(question, OrderQuestion):
        return order_letters(asked.options, question.answer)
    if isinstance(question, MultiQuestion):  # in the order shown: "A), D)", not "D), A)"
        ordered = sorted(question.answer, key=lambda choice: asked.options.index(choice))
        return shown_answer(asked, ", ".join(ordered))
    if isinstance(question, ChoiceQuestion):
        return shown_answer(asked, question.answer_text)
    return question.answer_text
