"""Planted-memory templates about what the user must do and how the assistant must behave."""

from __future__ import annotations

from longmem.synth.pools import DEADLINES, EVENT_DAYS, FIRST_NAMES, LANGUAGES, NICKNAMES
from longmem.synth.templates import PlantedTemplate

# fmt: off
# Packed rows: one value per line would triple these data files without making them clearer.

COMMITMENTS = (
    PlantedTemplate(
        key="commit:deliverable", type="commitment",
        statements=(
            "I promised my team I'd have {value} ready by {day}.",
            "I told everyone at work I'd get {value} done before {day}, no excuses this time.",
        ),
        questions=(
            "Remind me what I promised to get done?",
            "What work deliverable am I on the hook for?",
            "Which piece of work did I commit to finishing?",
        ),
        values={"value": ("the quarterly budget report", "the client proposal",
                          "the onboarding slides", "the grant application",
                          "the research summary", "the product roadmap", "the hiring plan"),
                "day": DEADLINES},
    ),
    PlantedTemplate(
        key="commit:call", type="commitment",
        statements=(
            "I said I'd ring {value} on {day} to sort out the weekend plans.",
            "Remind me later: I owe {value} a call on {day}, I keep putting it off.",
        ),
        questions=(
            "Who am I supposed to phone?",
            "Is there someone I promised to get back to by phone?",
        ),
        values={"value": FIRST_NAMES, "day": EVENT_DAYS},
    ),
    PlantedTemplate(
        key="commit:appointment", type="commitment",
        statements=(
            "I promised myself I'd book {value} before {day}, please nag me.",
            "I keep forgetting to schedule {value}; it has to happen before {day}.",
        ),
        questions=(
            "What health check did I say I'd arrange?",
            "Is there a medical thing I'm supposed to sort out soon?",
        ),
        values={"value": ("an eye test", "a physio session", "a hearing test",
                          "a skin screening", "a posture assessment"),
                "day": DEADLINES},
    ),
    PlantedTemplate(
        key="commit:gift", type="commitment",
        statements=(
            "I have to buy a leaving present for {value} before the send-off on {day}.",
            "Note to self: {value}'s farewell drinks are on {day} and I still haven't got a gift.",
        ),
        questions=(
            "Whose goodbye present am I meant to pick up?",
            "What shopping did I say I needed to do for someone?",
        ),
        values={"value": FIRST_NAMES, "day": EVENT_DAYS},
    ),
    PlantedTemplate(
        key="commit:return", type="commitment",
        statements=(
            "I promised I'd return {person}'s {value} by {day}, it's been in my hallway for weeks.",
            "I really need to give {person} back the {value} before {day}.",
        ),
        questions=(
            "What did I borrow that has to go back to its owner?",
            "Is there something I'm supposed to return to someone?",
        ),
        values={"value": ("hedge trimmer", "camping stove", "ladder", "tent", "pressure washer",
                          "sewing machine", "projector"),
                "person": FIRST_NAMES, "day": DEADLINES},
    ),
    PlantedTemplate(
        key="commit:volunteer", type="commitment",
        statements=(
            "I signed up to volunteer at {value} on {day}, so I can't do anything else that day.",
            "Don't let me double-book: I'm helping out at {value} on {day}.",
        ),
        questions=(
            "What good cause have I agreed to give my time to?",
            "Where am I doing unpaid work soon?",
        ),
        values={"value": ("the food bank", "the beach clean-up", "the community garden",
                          "the library book sale", "the night shelter", "the repair café"),
                "day": EVENT_DAYS},
        related=("bank", "donation"),
    ),
    PlantedTemplate(
        key="commit:paperwork", type="commitment",
        statements=(
            "I swore I'd file {value} before {day} this year, no more last-minute panic.",
            "I need to get {value} sorted by {day} or I'm in trouble.",
        ),
        questions=(
            "What paperwork did I vow to finish?",
            "Which form-filling have I been putting off?",
        ),
        values={"value": ("my tax return", "my visa renewal", "my passport application",
                          "my pension transfer", "my council tax appeal"),
                "day": DEADLINES},
        related=("rel:accountant",),
    ),
    PlantedTemplate(
        key="commit:plants", type="commitment",
        statements=(
            "I promised my neighbour I'd water her {value} while she's away until {day}.",
            "I'm in charge of keeping the {value} next door alive until {day}, wish me luck.",
        ),
        questions=(
            "What did I agree to look after while the neighbours are on holiday?",
            "What greenery am I responsible for at the moment?",
        ),
        values={"value": ("tomato plants", "orchids", "herb garden", "houseplants",
                          "bonsai trees", "cactus collection"),
                "day": DEADLINES},
        related=("rel:neighbour",),
    ),
    PlantedTemplate(
        key="commit:talk", type="commitment",
        statements=(
            "I agreed to give a short talk on {value} at the meetup on {day}, nothing written yet.",
            "Eek, I'm presenting on {value} on {day} and I'm nervous.",
        ),
        questions=(
            "What's the subject of the presentation I'm giving?",
            "What am I supposed to speak about at that event?",
        ),
        values={"value": ("home composting", "accessibility testing", "urban beekeeping",
                          "open-source licensing", "budgeting for freelancers",
                          "sourdough science"),
                "day": EVENT_DAYS},
    ),
    PlantedTemplate(
        key="commit:course", type="commitment",
        statements=(
            "I've committed to finishing the {value} course by {day}.",
            "I paid for an online {value} course, so I promised myself I'd complete it by {day}.",
        ),
        questions=(
            "Which class did I pledge to get through?",
            "What am I supposed to be studying at the moment?",
        ),
        values={"value": ("data analysis", "first aid", "pottery", "photography", "bookkeeping",
                          "creative writing", "UX design"),
                "day": DEADLINES},
    ),
    PlantedTemplate(
        key="commit:savings", type="commitment",
        statements=(
            "I promised myself I'd save {value} for the trip by {day}.",
            "Goal for this year: put away {value} before {day}. Hold me to it.",
        ),
        questions=(
            "How much money am I trying to set aside?",
            "What's my savings target?",
        ),
        values={"value": ("£2,000", "€1,500", "$3,000", "£800", "€5,000", "$1,200"),
                "day": ("the summer", "Christmas", "the end of the year", "next spring",
                        "the autumn", "the new year")},
    ),
    PlantedTemplate(
        key="commit:race", type="commitment",
        statements=(
            "I've signed up for {value} on {day}, so I really have to start training.",
            "Gulp, I entered {value} that's happening on {day}.",
        ),
        questions=(
            "What event am I preparing for physically?",
            "What sporting event have I committed to?",
        ),
        values={"value": ("a 10k run", "a sponsored swim", "a cycling sportive",
                          "an obstacle race", "a rowing challenge", "a mountain relay"),
                "day": EVENT_DAYS},
    ),
    PlantedTemplate(
        key="commit:moving_help", type="commitment",
        statements=(
            "I promised {value} I'd help them move house on {day}, so I'll be lifting boxes.",
            "{value} roped me into helping with their move on {day}.",
        ),
        questions=(
            "Who did I offer to lend a hand to with a big relocation?",
            "Whose furniture am I carrying soon?",
        ),
        values={"value": FIRST_NAMES, "day": EVENT_DAYS},
    ),
    PlantedTemplate(
        key="commit:code_review", type="commitment",
        statements=(
            "I told {value} I'd review their pull request before {day}.",
            "Gotta remember to look at {value}'s PR by {day}, they're blocked on me.",
        ),
        questions=(
            "Whose code changes am I meant to check?",
            "Who is waiting on me to approve their work?",
        ),
        values={"value": FIRST_NAMES, "day": DEADLINES},
    ),
    PlantedTemplate(
        key="commit:reference", type="commitment",
        statements=(
            "I promised {value} I'd write them a recommendation letter by {day}.",
            "I still owe {value} a reference letter, it's due {day}.",
        ),
        questions=(
            "Who's waiting on a reference from me?",
            "Who did I agree to vouch for in writing?",
        ),
        values={"value": FIRST_NAMES, "day": DEADLINES},
    ),
)

INSTRUCTIONS = (
    PlantedTemplate(
        key="instr:language", type="instruction",
        statements=(
            "From now on, please answer me in {value}, I want to practise.",
            "Could you reply in {value} from here on? I need the immersion.",
        ),
        questions=(
            "Which language did I ask you to reply in?",
            "How should you be writing to me, language-wise?",
            "What tongue do I want your answers in?",
        ),
        values={"value": LANGUAGES},
        updates=(
            "Actually, switch from {old} to {new} from now on, I've started a new class.",
            "Change of plan: stop using {old} with me, I'd like {new} instead.",
        ),
        related=("language",),
    ),
    PlantedTemplate(
        key="instr:format", type="instruction",
        statements=(
            "Please give me answers as {value}, I skim everything.",
            "Could you always format replies as {value}? It's much easier for me to read.",
        ),
        questions=(
            "How did I want your responses laid out?",
            "What structure should your answers have?",
        ),
        values={"value": ("bullet points", "a numbered list", "a simple table",
                          "plain prose without headings", "headings with bold labels")},
        updates=("Forget {old}, from now on I'd prefer {new}.",),
    ),
    PlantedTemplate(
        key="instr:length", type="instruction",
        statements=(
            "Keep your replies {value}, I'm usually reading on the go.",
            "Please keep everything you tell me {value}, I lose focus otherwise.",
        ),
        questions=(
            "How long should your answers be?",
            "How much should you write when you respond to me?",
        ),
        values={"value": ("under three sentences", "really short", "to a few lines",
                          "as brief as possible")},
        updates=("Change of heart on length: forget what I said before and keep things {new}.",),
    ),
    PlantedTemplate(
        key="instr:tone", type="instruction",
        statements=(
            "Can you be {value} with me? I find it easier to take in.",
            "One request: be {value} when you talk to me, please.",
        ),
        questions=(
            "What manner did I ask you to use with me?",
            "How did I say you should come across?",
        ),
        values={"value": ("more casual", "strictly formal", "blunt", "gentle", "upbeat")},
        updates=("Actually, drop the {old} style, I'd rather you were {new}.",),
    ),
    PlantedTemplate(
        key="instr:address", type="instruction",
        statements=(
            "Call me {value}, nobody uses my full name.",
            "Please just call me {value}, it's what everyone does.",
        ),
        questions=(
            "What should you call me?",
            "How do I like to be addressed?",
        ),
        values={"value": NICKNAMES},
        updates=("Can you start calling me {new} instead of {old}? Long story.",),
        related=("name",),
    ),
    PlantedTemplate(
        key="instr:units", type="instruction",
        statements=(
            "Please use {value} units for everything, I can't think in the other system.",
            "Stick to {value} measurements with me, please.",
        ),
        questions=(
            "What should you use for weights and distances?",
            "How should you express how heavy or far something is?",
        ),
        values={"value": ("metric", "imperial")},
        updates=("Switch from {old} to {new} for me please, I've finally got used to it.",),
    ),
    PlantedTemplate(
        key="instr:temperature", type="instruction",
        statements=(
            "Give temperatures in {value}, please, the other scale means nothing to me.",
            "Whenever weather comes up, use {value}.",
        ),
        questions=(
            "What should you use when telling me how hot it is?",
            "How should you express how warm or cold it is?",
        ),
        values={"value": ("Celsius", "Fahrenheit")},
    ),
    PlantedTemplate(
        key="instr:code", type="instruction",
        statements=(
            "When you show me code examples, use {value}, it's what I know best.",
            "Please write any snippets in {value}; I don't read other languages well.",
        ),
        questions=(
            "Which programming language should your examples be in?",
            "What should I expect code from you to be written in?",
        ),
        values={"value": ("Python", "TypeScript", "Go", "Rust", "Kotlin", "Ruby", "C#")},
        updates=("New job, new stack: show me {new} instead of {old} from now on.",),
    ),
    PlantedTemplate(
        key="instr:avoid", type="instruction",
        statements=(
            "Please never use {value} when you answer me, it drives me up the wall.",
            "Do me a favour and leave out {value} in your replies.",
        ),
        questions=(
            "Is there something I can't stand seeing in your messages?",
            "What did I ban from your responses?",
        ),
        values={"value": ("emoji", "exclamation marks", "jargon", "rhetorical questions",
                          "motivational quotes")},
    ),
    PlantedTemplate(
        key="instr:extras", type="instruction",
        statements=(
            "Whenever you tell me something factual, add {value}.",
            "Please always finish your answer with {value}.",
        ),
        questions=(
            "What did I ask you to include every time?",
            "Is there something extra you should attach to your answers?",
        ),
        values={"value": ("a source link", "a confidence level", "a one-line summary",
                          "a follow-up suggestion")},
        related=("instr:signoff",),
    ),
    PlantedTemplate(
        key="instr:currency", type="instruction",
        statements=(
            "Quote prices in {value} for me, please.",
            "When money comes up, convert it to {value} so I can follow.",
        ),
        questions=(
            "What currency should you use when talking about costs?",
            "How should you express amounts for me?",
        ),
        values={"value": ("euros", "pounds sterling", "US dollars", "Swiss francs",
                          "Canadian dollars", "Japanese yen")},
    ),
    PlantedTemplate(
        key="instr:date_format", type="instruction",
        statements=(
            "Write dates as {value}, the other way confuses me.",
            "Small formatting thing: I want {value} for any dates you give me.",
        ),
        questions=(
            "What order should dates be written in for me?",
            "What calendar notation should you stick to with me?",
        ),
        values={"value": ("day/month/year", "year-month-day", "month/day/year")},
    ),
    PlantedTemplate(
        key="instr:spelling", type="instruction",
        statements=(
            "Use {value} spelling when you write for me.",
            "I'm picky about it: {value} spellings only, please.",
        ),
        questions=(
            "Which variety of English should you use with me?",
            "How should you spell things for me?",
        ),
        values={"value": ("British", "American", "Canadian", "Australian")},
    ),
    PlantedTemplate(
        key="instr:timezone", type="instruction",
        statements=(
            "When you mention times, use {value}.",
            "Please give any meeting times in {value}, I mess up conversions.",
        ),
        questions=(
            "Which clock should you use for me?",
            "What zone should schedules be expressed in?",
        ),
        values={"value": ("Central European Time", "Pacific Time", "GMT", "Singapore Time",
                          "Eastern Time")},
    ),
)
# fmt: on
