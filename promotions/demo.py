"""Demo rule set, requirements and a competitions register that reproduces the region's
published figures (nine months of 2024: 62 of 84 → 73.8 %; 2023: 60 %)."""

import datetime

from enrolments.models import TrainingRequirement, TrainingRequirementCategory
from people.models import Agency

from .models import Competition, QualificationRequirement, RuleSet


def seed(*, stdout, rng, **kwargs) -> None:
    rule, created = RuleSet.objects.get_or_create(
        version="2024-1",
        defaults={
            "effective_from": datetime.date(2024, 1, 1),
            # A free-text field read in kk and ru alike: the demo order's wording in both.
            "basis": (
                "Демо: мемлекеттік қызмет туралы заңның меритократия қағидасы (4 тоқсан, 3 жыл) / "
                "Демо: правило меритократии закона о государственной службе (4 квартала, 3 года)"
            ),
        },
    )
    if created:
        training, _new = TrainingRequirement.objects.get_or_create(
            effective_from=rule.effective_from,
            defaults={
                "basis": (
                    "Демо: 3 жылда 36 академиялық сағат, 6 ай ішінде қайта даярлау / "
                    "Демо: 36 академических часов за 3 года, переподготовка в течение 6 месяцев"
                )
            },
        )
        for pattern, hours, programmes in (
            ("C-O-*", 40, ""),
            ("D-O-*", 36, ""),
            ("E-*", 36, ""),
            ("C-O-1", 72, "LEAD-C"),
        ):
            QualificationRequirement.objects.create(
                rule_set=rule, category_pattern=pattern, required_programmes=programmes
            )
            TrainingRequirementCategory.objects.get_or_create(
                requirement=training, category_pattern=pattern, defaults={"min_hours": hours}
            )
    if Competition.objects.exists():
        return
    agencies = list(Agency.objects.order_by("code"))
    made = []

    def add(year, outcomes):
        for index, outcome in enumerate(outcomes):
            made.append(
                Competition(
                    agency=agencies[index % len(agencies)],
                    position_title=f"Главный специалист отдела {index + 1}",
                    category=rng.choice(["C-O-4", "C-O-5", "D-O-4", "E-R-3"]),
                    held_on=datetime.date(year, 1, 15) + datetime.timedelta(days=(index * 3) % 255),
                    kind=rng.choice(["general", "internal"]),
                    outcome=outcome,
                )
            )

    add(2024, ["promoted"] * 62 + ["appointed"] * 22 + ["failed"] * 5)
    add(2023, ["promoted"] * 45 + ["appointed"] * 30 + ["failed"] * 4)
    Competition.objects.bulk_create(made)
    stdout.write(f"Competitions: {len(made)} (2024 Jan–Sep: 62 of 84 → 73.8 %)")
