"""Random valid answers for any compiled instrument (seeded, so failures reproduce)."""

from __future__ import annotations

import random
from typing import Any

from generator.build.render import rating_values


def random_answer(item: dict[str, Any], rng: random.Random) -> Any:
    kind = item["type"]
    if kind == "choice":
        return rng.choice(item["options"])["value"]
    if kind == "checks":
        options = [o["value"] for o in item["options"]]
        return rng.sample(options, rng.randint(0, len(options)))
    if kind == "rating":
        return rng.choice(rating_values(item))
    return rng.choice(["", "Сабақта топтық жұмыс жақсы өтті.", "Өңгімелесу <b>сәтті</b> & «жақсы»"])


def random_answers(instrument: dict[str, Any], rng: random.Random, complete: bool = True) -> dict[str, Any]:
    """Answers for every item; when not ``complete``, some items are left out at random."""
    answers = {}
    for section in instrument["sections"]:
        for item in section["items"]:
            if (complete and item["required"]) or rng.random() < 0.7:
                answer = random_answer(item, rng)
                while complete and item["required"] and answer in ("", []):  # a complete set answers every one
                    answer = random_answer(item, rng)
                if answer not in ("", []):
                    answers[item["id"]] = answer
    return answers
