"""Planted-memory templates about the people in the user's life (entities, "rel:" slots)."""

from __future__ import annotations

from longmem.synth.pools import FIRST_NAMES, SURNAMES
from longmem.synth.templates import PlantedTemplate

# fmt: off
# Packed rows: one value per line would triple these data files without making them clearer.

ENTITIES = (
    PlantedTemplate(
        key="rel:manager", type="entity",
        statements=(
            "My manager is called {value}, tough but fair.",
            "{value} is my boss, and we get on really well actually.",
        ),
        questions=(
            "Who do I report to at work?",
            "Who's my line manager?",
            "Whose team am I on?",
        ),
        values={"value": FIRST_NAMES},
        updates=(
            "{old} left the company, so now I report to {new}.",
            "Big reshuffle at work: my new boss is {new}, {old} moved to another team.",
        ),
    ),
    PlantedTemplate(
        key="rel:dentist", type="entity",
        statements=(
            "My dentist, Dr {value}, says I grind my teeth at night.",
            "I've been going to Dr {value} for my teeth since I was a teenager.",
        ),
        questions=(
            "Who looks after my teeth?",
            "Which dental practitioner do I see?",
        ),
        values={"value": SURNAMES},
        updates=("I switched dentists, I go to Dr {new} now instead of Dr {old}.",),
    ),
    PlantedTemplate(
        key="rel:doctor", type="entity",
        statements=(
            "My GP is Dr {value}, brilliant but always running late.",
            "Dr {value} has been my doctor for years, I trust them completely.",
        ),
        questions=(
            "Who's my regular physician?",
            "Which GP do I see?",
        ),
        values={"value": SURNAMES},
        updates=("I changed surgeries, my GP is Dr {new} now, not Dr {old}.",),
    ),
    PlantedTemplate(
        key="rel:best_friend", type="entity",
        statements=(
            "My best friend {value} and I have known each other since we were seven.",
            "{value} is my closest friend, we talk basically every day.",
        ),
        questions=(
            "Who's my closest mate?",
            "Who's my oldest pal?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:landlord", type="entity",
        statements=(
            "My landlord, {value}, still hasn't fixed the boiler.",
            "{value} owns my flat and is impossible to get hold of.",
        ),
        questions=(
            "Who owns the place I rent?",
            "Who should I chase about repairs at my place?",
        ),
        values={"value": FIRST_NAMES},
        related=("housing", "roommate", "street_address"),
    ),
    PlantedTemplate(
        key="rel:accountant", type="entity",
        statements=(
            "{value} does my taxes every year, I'd be lost without them.",
            "My accountant {value} says I need to keep better receipts.",
        ),
        questions=(
            "Who handles my finances at tax time?",
            "Who sorts out my bookkeeping?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:trainer", type="entity",
        statements=(
            "My personal trainer {value} is making me do burpees every session.",
            "{value} runs my workouts twice a week and shows no mercy.",
        ),
        questions=(
            "Who coaches me at the gym?",
            "Who puts me through my fitness sessions?",
        ),
        values={"value": FIRST_NAMES},
        related=("gym",),
    ),
    PlantedTemplate(
        key="rel:mentor", type="entity",
        statements=(
            "{value} has been mentoring me since I was an intern.",
            "I have a monthly catch-up with my mentor {value}, it keeps me sane.",
        ),
        questions=(
            "Who's been guiding my career?",
            "Who do I go to for professional advice?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:neighbour", type="entity",
        statements=(
            "My neighbour {value} keeps leaving courgettes on my doorstep.",
            "{value} from next door has a spare key to my place, just in case.",
        ),
        questions=(
            "Whose house is right by mine?",
            "Who's the person living beside me?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:vet", type="entity",
        statements=(
            "My vet, Dr {value}, says I'm overdoing the treats.",
            "I trust Dr {value} at the animal clinic completely.",
        ),
        questions=(
            "Who takes care of my animal's health?",
            "Which vet do I use?",
        ),
        values={"value": SURNAMES},
        related=("pet",),
    ),
    PlantedTemplate(
        key="rel:hairdresser", type="entity",
        statements=(
            "{value} has cut my hair for a decade, I won't let anyone else near it.",
            "I've got an appointment with {value} for a trim soon, long overdue.",
        ),
        questions=(
            "Who does my hair?",
            "Who's my stylist?",
        ),
        values={"value": FIRST_NAMES},
        updates=("{old} retired, so {new} does my hair now.",),
    ),
    PlantedTemplate(
        key="rel:cofounder", type="entity",
        statements=(
            "My co-founder {value} handles all the sales side of the business.",
            "{value} and I started the company together three years ago.",
        ),
        questions=(
            "Who do I run my business with?",
            "Who did I launch my firm with?",
        ),
        values={"value": FIRST_NAMES},
        related=("employer", "job"),
    ),
    PlantedTemplate(
        key="rel:therapist", type="entity",
        statements=(
            "I see a therapist called {value} every other week.",
            "Talking things through with {value}, my therapist, has helped a lot this year.",
        ),
        questions=(
            "Who do I talk to about my mental health?",
            "Who's my counsellor?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:lawyer", type="entity",
        statements=(
            "My lawyer, {value}, is sorting out the contract for me.",
            "{value} handles all my legal stuff, worth every penny.",
        ),
        questions=(
            "Who's my solicitor?",
            "Who should I ask about anything legal?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:plumber", type="entity",
        statements=(
            "{value} is the plumber I always call, quick and cheap.",
            "If a pipe ever bursts, {value} is my go-to, saved me twice already.",
        ),
        questions=(
            "Who fixes my leaks?",
            "Who's the tradesperson I trust for water problems?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:mechanic", type="entity",
        statements=(
            "My mechanic {value} says I need new brakes.",
            "{value} at the garage down the road keeps my car running.",
        ),
        questions=(
            "Who services my vehicle?",
            "Who do I trust to fix my wheels?",
        ),
        values={"value": FIRST_NAMES},
        related=("car",),
    ),
    PlantedTemplate(
        key="rel:book_club", type="entity",
        statements=(
            "{value} runs the book club I'm in, very strict about actually finishing the book.",
            "Our book club host {value} picked something dreadful this month.",
        ),
        questions=(
            "Who organises my reading group?",
            "Who chooses what we read each month?",
        ),
        values={"value": FIRST_NAMES},
    ),
    PlantedTemplate(
        key="rel:sister", type="entity",
        statements=(
            "My sister {value} is the only person who can make me laugh when I'm stressed.",
            "My little sister {value} just got engaged, I'm thrilled for her.",
        ),
        questions=(
            "What's my sibling called?",
            "What's my sister's name?",
        ),
        values={"value": FIRST_NAMES},
        # Any family question would find the sister.
        related=("family:siblings", "family:spouse", "family:children", "family:parents",
                 "family:grandparents"),
    ),
)
# fmt: on
