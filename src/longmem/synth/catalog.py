"""The synthetic-conversation catalog: every table the generator draws from, in one place.

The rows live in topic-sized modules; this module gathers them and holds the short phrase
tables (acknowledgements, openers) that glue turns together.
"""

from __future__ import annotations

from longmem.synth.distractors import DISTRACTORS
from longmem.synth.filler_everyday import EVERYDAY_TOPICS
from longmem.synth.filler_learning import LEARNING_TOPICS
from longmem.synth.planted_facts import FACTS
from longmem.synth.planted_people import ENTITIES
from longmem.synth.planted_preferences import PREFERENCES
from longmem.synth.planted_tasks import COMMITMENTS, INSTRUCTIONS
from longmem.synth.templates import DistractorTemplate, FillerTopic, PlantedTemplate

PLANTED_TEMPLATES: tuple[PlantedTemplate, ...] = (
    *PREFERENCES,
    *FACTS,
    *COMMITMENTS,
    *INSTRUCTIONS,
    *ENTITIES,
)
FILLER_TOPICS: tuple[FillerTopic, ...] = (*EVERYDAY_TOPICS, *LEARNING_TOPICS)
DISTRACTOR_TEMPLATES: tuple[DistractorTemplate, ...] = DISTRACTORS

# The assistant's reply to a planted statement never repeats the value: a retriever must find
# the user's own turn, and answer_turns names only that turn.
ACKNOWLEDGEMENTS: dict[str, tuple[str, ...]] = {
    "preference": (
        "Good to know, I'll keep that in mind.",
        "Noted! Thanks for telling me.",
        "Love that. I'll remember it.",
        "Got it, thanks for sharing.",
    ),
    "fact": (
        "Thanks for telling me, noted.",
        "Got it, I'll remember that.",
        "Oh, interesting! Thanks for the context.",
        "Understood, that's useful to know.",
    ),
    "commitment": (
        "Got it. Want me to remind you closer to the time?",
        "Noted, I'll help you keep track of that.",
        "Sounds like a busy stretch. I'll keep it on my radar.",
        "Okay! Let me know if you want help planning it.",
    ),
    "instruction": (
        "Understood, I'll do that from now on.",
        "Sure thing, I'll stick to that.",
        "Of course. Consider it done.",
        "Noted, I'll adjust how I reply.",
    ),
    "entity": (
        "Thanks, I'll remember who that is.",
        "Got it, good to know who's who.",
        "Noted!",
        "Ah, thanks for the background.",
    ),
}

UPDATE_ACKNOWLEDGEMENTS = (
    "Oh, that's a big change! Thanks for letting me know.",
    "Got it, I'll update what I know.",
    "Noted, out with the old and in with the new.",
    "Thanks for the update, I'll go with that from now on.",
)

# A second assistant message after a reply, so roles do not alternate with machine regularity.
FILLER_FOLLOW_UPS = (
    "Let me know if you'd like more detail on any of that.",
    "Happy to go deeper if that's useful.",
    "If anything's unclear, just ask and I'll break it down further.",
    "And if you want, I can turn that into a short checklist.",
)
MEMORY_FOLLOW_UPS = (
    "Anything else I should keep in mind?",
    "Is there anything you'd like me to do with that?",
)

# Prefixes for a user request: a link keeps the previous filler topic, an opener starts a new one.
LINKS = (
    "Thanks! ", "Great, that helps. ", "Perfect. ", "Okay, makes sense. ", "Nice one. ",
    "Cool. ", "Got it. ", "Thanks, that's useful. ", "Brilliant. ", "Ah, okay. ",
)  # fmt: skip
OPENERS = (
    "Quick question. ", "Hey! ", "Random one. ", "Hi again. ", "Different topic. ",
    "Okay, something else. ", "Question for you. ", "Hmm, another thing. ", "Morning! ",
    "Right, next thing. ",
)  # fmt: skip
