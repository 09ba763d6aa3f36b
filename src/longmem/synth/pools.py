"""Shared value pools for planted memories.

The generator never uses one value twice in a conversation, so a name or a day can only ever
point at one memory. Pools that feed filler are kept apart from these (no city here is a
travel-tip destination) so an impersonal filler turn never mentions a planted value.
"""

from __future__ import annotations

# fmt: off
# Packed rows: one value per line would triple these data files without making them clearer.

CITIES = (
    "Lisbon", "Oslo", "Toronto", "Melbourne", "Edinburgh", "Montreal", "Valencia", "Leipzig",
    "Gothenburg", "Wellington", "Porto", "Utrecht", "Bristol", "Denver", "Seattle", "Ljubljana",
    "Krakow", "Tallinn", "Zurich", "Austin", "Vancouver", "Dublin", "Bologna", "Rotterdam",
)

HOMETOWNS = (
    "a tiny village outside Cork", "Aberdeen", "Bilbao", "a farm near Ballarat", "Tromsø",
    "Gdansk", "a small town in Vermont", "Nantes", "Graz", "a fishing village in Galicia",
    "Dundee", "Winnipeg", "Freiburg", "Savannah", "Trieste", "Halifax",
)

FIRST_NAMES = (
    "Dana", "Priya", "Marcus", "Ingrid", "Tomás", "Yuki", "Olusegun", "Hannah", "Rafael",
    "Leila", "Bram", "Sinead", "Mateo", "Anneke", "Kwame", "Freya", "Dmitri", "Carmen",
    "Nikhil", "Rosa", "Elliot", "Mei", "Gareth", "Amara", "Luca", "Birgit", "Tariq", "Noemi",
    "Callum", "Ximena", "Joaquim", "Astrid", "Femi", "Zofia", "Oren", "Lucinda", "Henrik",
    "Ayesha", "Declan", "Valentina", "Jonas", "Ines", "Kofi", "Margot", "Rustam", "Tamsin",
)

SURNAMES = (
    "Okafor", "Lindqvist", "Moreau", "Patel", "Kowalski", "Haddad", "Brennan", "Nakamura",
    "Fischer", "Alvarez", "Mensah", "Sorensen", "Castellano", "Whitfield", "Iyer", "Novak",
    "Ferreira", "Gallagher", "Yilmaz", "Abernathy", "Kaur", "Delacroix", "Petrov", "Quinlan",
)

NICKNAMES = ("Sam", "Alex", "Jo", "Kit", "Max", "Bea", "Teddy", "Frankie", "Nell", "Rory")

DEADLINES = (
    "Friday", "Thursday", "Monday morning", "the end of the month", "the 15th",
    "next Wednesday", "the 3rd", "Tuesday afternoon", "the 28th", "mid-October",
    "the first week of June", "Saturday",
)

EVENT_DAYS = (
    "Saturday", "Sunday morning", "the 9th", "the 21st", "Friday evening", "Thursday lunchtime",
    "the 14th", "Wednesday night", "the 30th",
)

DATES = (
    "the 3rd of March", "the 14th of July", "the 22nd of November", "the 9th of January",
    "the 30th of April", "the 17th of August", "the 5th of October", "the 26th of December",
    "the 11th of February", "the 1st of June", "the 19th of September", "the 8th of May",
)

LANGUAGES = (
    "Spanish", "German", "French", "Italian", "Portuguese", "Dutch", "Japanese", "Polish",
    "Greek", "Turkish", "Swedish", "Korean",
)
# fmt: on
