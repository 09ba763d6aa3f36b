"""Planted-memory templates about who the user is: facts (home, job, diet, pet, ...)."""

from __future__ import annotations

from longmem.synth.pools import CITIES, DATES, HOMETOWNS, LANGUAGES
from longmem.synth.templates import PlantedTemplate

# fmt: off
# Packed rows: one value per line would triple these data files without making them clearer.

FACTS = (
    PlantedTemplate(
        key="home", type="fact",
        statements=(
            "I live in {value} now, moved there for work about two years ago.",
            "Still getting used to {value}, I only moved here in the spring.",
            "Quick context: I'm based in {value}, so keep that in mind for anything local.",
        ),
        questions=(
            "Where am I living these days?",
            "Which city do I call home?",
            "If you were suggesting things to do near me, which place would you search?",
        ),
        values={"value": CITIES},
        updates=(
            "I finally moved from {old} to {new} last week, still surrounded by boxes.",
            "Big change: I've left {old}, I'm living in {new} now.",
        ),
    ),
    PlantedTemplate(
        key="origin", type="fact",
        statements=(
            "I grew up in {value}, a world away from where I am now.",
            "Funny story, I'm originally from {value}, though you'd never guess it.",
        ),
        questions=(
            "Where did I spend my childhood?",
            "Where are my roots?",
        ),
        values={"value": HOMETOWNS},
    ),
    PlantedTemplate(
        key="job", type="fact",
        statements=(
            "I work as {value}, which is why my weeks are so chaotic.",
            "I'm {value}, have been for about eight years now.",
            "Being {value} is exhausting some days, but I love it.",
        ),
        questions=(
            "What do I do for a living?",
            "What's my profession?",
            "What kind of career am I in?",
        ),
        values={"value": ("a nurse", "an accountant", "a software engineer",
                          "a primary school teacher", "an architect", "a physiotherapist",
                          "a graphic designer", "a civil engineer", "a pharmacist",
                          "a journalist", "a paramedic", "a chef", "an electrician")},
        updates=(
            "I quit being {old}, I'm {new} now. Huge change but I'm loving it.",
            "Big news: I'm no longer {old}. Started as {new} this week.",
        ),
        related=("employer", "first_job"),
    ),
    PlantedTemplate(
        key="employer", type="fact",
        statements=(
            "I've been at {value} for three years now, longer than anywhere else.",
            "Work at {value} is mad this quarter, sorry if I'm slow to reply.",
        ),
        questions=(
            "Which company am I employed by?",
            "Who signs my pay cheque?",
        ),
        values={"value": ("Siemens", "the city council", "a tiny design studio", "Spotify",
                          "the Red Cross", "a biotech start-up", "the national railway",
                          "Ikea", "a regional newspaper")},
        updates=("I left {old} last month, I'm at {new} now.",),
        related=("first_job",),
    ),
    PlantedTemplate(
        key="birthday", type="fact",
        statements=(
            "My birthday is {value}, so keep that week free.",
            "Heads up, I turn another year older on {value}.",
        ),
        questions=(
            "When's my big day each year?",
            "What date should you remind me to plan a party for?",
            "When was I born, day and month?",
        ),
        values={"value": DATES},
        related=("age", "star_sign"),
    ),
    PlantedTemplate(
        key="allergy", type="fact",
        statements=(
            "Oh by the way, I'm allergic to {value}, found out the hard way last summer.",
            "I can't go near {value}, my throat swells up. Ended up in A&E once.",
        ),
        questions=(
            "What should I avoid ordering at a restaurant?",
            "Do I have any allergies?",
            "Is there any food that makes me ill?",
        ),
        values={"value": ("shellfish", "peanuts", "sesame", "kiwi", "tree nuts", "mustard",
                          "celery", "buckwheat")},
    ),
    PlantedTemplate(
        key="diet", type="fact",
        statements=(
            "I've been {value} for about five years now, so no recipes that ignore that please.",
            "Just so you know, I'm {value}. It's a big part of how I cook.",
        ),
        questions=(
            "What should you keep in mind when suggesting meals for me?",
            "What kind of diet do I follow?",
            "Do I eat everything, or are there restrictions?",
        ),
        values={"value": ("vegetarian", "vegan", "pescatarian", "gluten-free", "dairy-free")},
        updates=(
            "I'm not {old} anymore, I've gone {new}.",
            "Update on the food front: I switched from {old} to {new} last month.",
        ),
    ),
    PlantedTemplate(
        key="language", type="fact",
        statements=(
            "I picked up {value} living abroad and I'm pretty much fluent now.",
            "I speak {value} at a decent level, I did a year of evening classes and kept going.",
        ),
        questions=(
            "Besides English, what can I converse in?",
            "If I needed a translator, which tongue could I handle myself?",
            "Which foreign language do I know?",
        ),
        values={"value": LANGUAGES},
        related=("instr:language",),
    ),
    PlantedTemplate(
        key="education", type="fact",
        statements=(
            "I studied {value} at university, though I barely use it now.",
            "My degree is in {value}, which surprises people.",
        ),
        questions=(
            "What was my degree in?",
            "What did I major in?",
            "What subject did I take in college?",
        ),
        values={"value": ("marine biology", "philosophy", "mechanical engineering",
                          "art history", "economics", "linguistics", "chemistry", "geography")},
    ),
    PlantedTemplate(
        key="pet", type="fact",
        statements=(
            "My {animal} {value} chewed through my phone charger again last night.",
            "I have to get back early, my {animal} {value} gets cranky if dinner is late.",
        ),
        questions=(
            "What's my pet called?",
            "What's the name of my furry friend?",
        ),
        values={"value": ("Biscuit", "Pixel", "Mochi", "Juniper", "Waffles", "Ziggy", "Noodle",
                          "Clementine", "Bandit"),
                "animal": ("dog", "cat", "rabbit", "ferret")},
        related=("rel:vet",),
    ),
    PlantedTemplate(
        key="age", type="fact",
        statements=(
            "I turned {value} a few weeks ago and I'm still not over it.",
            "Being {value} means my knees have opinions now.",
        ),
        questions=(
            "How old am I?",
            "What's my age these days?",
        ),
        values={"value": ("29", "34", "41", "52", "38", "45", "27")},
        related=("birthday",),
    ),
    PlantedTemplate(
        key="car", type="fact",
        statements=(
            "I drive a {value}, and honestly it never lets me down.",
            "Parking my {value} in this city is a nightmare.",
        ),
        questions=(
            "What am I driving these days?",
            "What kind of vehicle do I own?",
        ),
        values={"value": ("2009 Honda Civic", "beat-up Volvo estate", "red Fiat Panda",
                          "Toyota Prius", "VW camper van", "Mini Cooper", "second-hand Tesla",
                          "Skoda Octavia")},
        updates=("Sold the {old} and bought a {new}, still getting used to it.",),
        related=("rel:mechanic", "motorbike"),
    ),
    PlantedTemplate(
        key="commute", type="fact",
        statements=(
            "My commute is {value} each way, which is why I listen to so many podcasts.",
            "Getting to the office is {value}, I've timed it.",
        ),
        questions=(
            "How do I get to work?",
            "How long is my trip in each morning?",
        ),
        values={"value": ("forty minutes by train", "an hour on two buses",
                          "a twenty-minute bike ride", "ten minutes on foot",
                          "half an hour on the tram")},
        related=("bike", "pref:podcast"),
    ),
    PlantedTemplate(
        key="device:phone", type="fact",
        statements=(
            "I've got the {value}, and the battery life is terrible.",
            "Can you keep tips specific to the {value}? That's what I'm on.",
        ),
        questions=(
            "What kind of handset do I have?",
            "Which smartphone am I using?",
        ),
        values={"value": ("iPhone 13", "Pixel 7", "Galaxy S22", "Fairphone 4", "iPhone SE",
                          "Nokia G21", "OnePlus 11")},
        updates=("Swapped the {old} for the {new} last weekend, finally.",),
    ),
    PlantedTemplate(
        key="device:computer", type="fact",
        statements=(
            "My laptop runs {value}, so bear that in mind when you give me instructions.",
            "I'm on {value} at home and at work.",
        ),
        questions=(
            "What operating system am I on?",
            "If you give me steps for my computer, which system should they target?",
        ),
        values={"value": ("Linux", "macOS", "Windows 11", "ChromeOS")},
        updates=("I finally ditched {old}, my new machine runs {new}.",),
    ),
    PlantedTemplate(
        key="sleep", type="fact",
        statements=(
            "I'm a night owl, I'm usually up until {value}.",
            "Don't judge me, but I rarely get to bed before {value}.",
        ),
        questions=(
            "When do I usually fall asleep?",
            "What time do I tend to turn in?",
        ),
        values={"value": ("2am", "1am", "3am", "half past one")},
    ),
    PlantedTemplate(
        key="shoe_size", type="fact",
        statements=(
            "I'm a size {value} in shoes, which is impossible to find in sales.",
            "Ugh, nothing in a {value} again. Shoe shopping is the worst.",
        ),
        questions=(
            "If you were buying me trainers, what size should you get?",
            "What do I take in footwear?",
        ),
        values={"value": ("46", "37", "44", "39", "42", "36", "45")},
    ),
    PlantedTemplate(
        key="instrument", type="fact",
        statements=(
            "I've been learning the {value} for a year, slowly getting less terrible.",
            "I practise the {value} every evening, it's slowly starting to sound like music.",
        ),
        questions=(
            "Which instrument am I picking up?",
            "What am I practising musically?",
        ),
        values={"value": ("cello", "ukulele", "saxophone", "piano", "drums", "violin", "banjo",
                          "trumpet", "harp")},
    ),
    PlantedTemplate(
        key="gym", type="fact",
        statements=(
            "I'm a member at {value}, I go before work most days.",
            "Signed up at {value} in January and, amazingly, I still go.",
        ),
        questions=(
            "Where do I go to work out?",
            "Which fitness club do I belong to?",
        ),
        values={"value": ("Iron Temple", "the council leisure centre", "PureGym",
                          "a tiny CrossFit box", "the university sports centre",
                          "a boxing gym by the station")},
    ),
)
# fmt: on
