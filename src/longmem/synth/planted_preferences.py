"""Planted-memory templates about what the user likes: preferences ("pref:" slots)."""

from __future__ import annotations

from longmem.synth.templates import PlantedTemplate

# fmt: off
# Packed rows: one value per line would triple these data files without making them clearer.

PREFERENCES = (
    PlantedTemplate(
        key="pref:coffee", type="preference",
        statements=(
            "I'm a {value} person, I have one every single day before I open my laptop.",
            "Honestly my day doesn't start until I've had a {value}.",
            "For the record, {value} is my drink. I'm a bit obsessive about it.",
        ),
        questions=(
            "How do I usually get my caffeine fix?",
            "If you were grabbing me something from a café, what would you get?",
            "What's my go-to order when I need a pick-me-up?",
        ),
        values={"value": ("flat white", "cortado", "oat milk latte", "double espresso",
                          "cold brew", "cappuccino", "matcha latte", "chai latte", "green tea",
                          "black americano")},
        updates=(
            "Honestly I've gone off {old}, I drink {new} now.",
            "Small update: I switched from {old} to {new}, my stomach is much happier.",
        ),
    ),
    PlantedTemplate(
        key="pref:music", type="preference",
        statements=(
            "I've been listening to nothing but {value} lately, it gets me through the workday.",
            "If I'm honest, {value} is the only thing I ever put on while doing the dishes.",
        ),
        questions=(
            "What kind of tunes am I into?",
            "If you were putting together a playlist for me, what style would you pick?",
            "What sort of sounds do I enjoy most?",
        ),
        values={"value": ("jazz", "90s hip-hop", "baroque harpsichord", "synthwave",
                          "bluegrass", "Afrobeat", "indie folk", "bossa nova", "Motown soul",
                          "ambient electronica")},
        updates=("I've completely moved on from {old}, it's all {new} for me now.",),
    ),
    PlantedTemplate(
        key="pref:cuisine", type="preference",
        statements=(
            "Honestly {value} food is my favourite, I'd happily have it every day.",
            "Whenever it's my turn to pick dinner, it's {value}. Every time.",
        ),
        questions=(
            "If you were picking a restaurant for me, what kind would you look for?",
            "What's my favourite type of cooking?",
            "Which takeaway would make me happiest?",
        ),
        values={"value": ("Thai", "Ethiopian", "Georgian", "Korean", "Peruvian", "Lebanese",
                          "Sichuan", "Vietnamese", "Mexican", "Sri Lankan")},
        updates=("I think I'm over {old} food, lately I can't get enough {new}.",),
    ),
    PlantedTemplate(
        key="pref:movies", type="preference",
        statements=(
            "I'm a sucker for {value}, I'll watch pretty much anything like that.",
            "My ideal night in is a blanket and some {value}.",
        ),
        questions=(
            "What should I put on for a cosy evening?",
            "What kind of thing do I like to watch?",
            "If you were recommending something to stream, what genre would suit me?",
        ),
        values={"value": ("horror films", "Studio Ghibli films", "heist movies",
                          "nature documentaries", "old westerns", "romantic comedies",
                          "Korean thrillers", "space operas", "courtroom dramas")},
    ),
    PlantedTemplate(
        key="pref:books", type="preference",
        statements=(
            "I mostly read {value}, I get through about two a month.",
            "My bedside table is basically a pile of {value}.",
        ),
        questions=(
            "What do I like to read?",
            "If you were buying me a book, what kind would I want?",
            "What genre do I tend to pick up at the bookshop?",
        ),
        values={"value": ("sci-fi novels", "historical fiction", "detective stories",
                          "fantasy epics", "memoirs", "poetry collections", "travel writing",
                          "graphic novels")},
        updates=("I've burned out on {old}, it's all {new} on my nightstand now.",),
    ),
    PlantedTemplate(
        key="pref:team", type="preference",
        statements=(
            "I'm a huge {value} fan, I haven't missed a match in years.",
            "Don't message me on match days, I'm glued to {value} games.",
        ),
        questions=(
            "Which team do I support?",
            "Who do I cheer for in football?",
            "Whose results should you tell me about on a Sunday?",
        ),
        values={"value": ("Arsenal", "Boca Juniors", "Celtic", "Bayern Munich", "Benfica",
                          "Ajax", "Napoli", "Galatasaray", "Borussia Dortmund", "Feyenoord")},
    ),
    PlantedTemplate(
        key="pref:seat", type="preference",
        statements=(
            "When I fly I always book {value}, I refuse to sit anywhere else.",
            "Small thing, but I get grumpy if I don't get {value} on a plane.",
        ),
        questions=(
            "When you reserve flights for me, where should I be placed?",
            "Where do I like to be on an aeroplane?",
        ),
        values={"value": ("a window seat", "an aisle seat", "an exit-row seat",
                          "a seat near the front")},
        updates=("I used to insist on {old}, but these days I'd rather have {new}.",),
    ),
    PlantedTemplate(
        key="pref:season", type="preference",
        statements=(
            "I love {value}, it's by far my favourite time of year.",
            "Everyone else complains about it, but {value} is when I'm happiest.",
        ),
        questions=(
            "Which part of the year do I enjoy most?",
            "What months do I look forward to?",
        ),
        values={"value": ("autumn", "winter", "early spring", "late summer")},
    ),
    PlantedTemplate(
        key="pref:color", type="preference",
        statements=(
            "My favourite colour is {value}, half my wardrobe is that shade.",
            "If it comes in {value}, I'll buy it. Can't help myself.",
        ),
        questions=(
            "If you were choosing wrapping paper for me, which hue would you go for?",
            "What colour do I like best?",
            "Which tone dominates my clothes?",
        ),
        values={"value": ("teal", "mustard yellow", "forest green", "burgundy", "navy blue",
                          "lilac", "terracotta", "coral")},
    ),
    PlantedTemplate(
        key="pref:dessert", type="preference",
        statements=(
            "I can never say no to {value}, it's my weakness.",
            "Whenever there's {value} on the menu I order it, no matter how full I am.",
        ),
        questions=(
            "What sweet treat can't I resist?",
            "What should I get after dinner if I'm treating myself?",
            "Which dessert do I love most?",
        ),
        values={"value": ("tiramisu", "pistachio gelato", "crème brûlée", "cheesecake",
                          "baklava", "churros", "sticky toffee pudding", "mango sticky rice",
                          "apple crumble")},
    ),
    PlantedTemplate(
        key="pref:exercise", type="preference",
        statements=(
            "I'm really into {value} these days, I go three times a week.",
            "{value} is the only workout I've ever stuck with.",
        ),
        questions=(
            "How do I like to stay in shape?",
            "What's my exercise of choice?",
            "What do I do to keep fit?",
        ),
        values={"value": ("bouldering", "yoga", "swimming", "spin classes", "trail running",
                          "pilates", "boxing", "rowing")},
        updates=("I've dropped {old} completely, I'm all about {new} now.",),
        related=("gym",),
    ),
    PlantedTemplate(
        key="pref:vacation", type="preference",
        statements=(
            "My idea of a perfect holiday is {value}.",
            "Honestly, give me {value} over a fancy resort any day.",
        ),
        questions=(
            "What kind of vacation would I enjoy most?",
            "If you planned a getaway for me, what would it look like?",
            "What's my dream way to spend time off?",
        ),
        values={"value": ("a week hiking in the mountains", "lying on a beach doing nothing",
                          "a city break full of museums", "a road trip with no fixed plan",
                          "a cabin in the woods with no wifi",
                          "a food tour through small towns")},
        related=("last_trip",),
    ),
    PlantedTemplate(
        key="pref:evening_drink", type="preference",
        statements=(
            "When I go out I only ever drink {value}.",
            "If you're ever buying me a drink, make it {value}.",
        ),
        questions=(
            "What's my usual order at a bar?",
            "What should someone get me on a night out?",
            "What do I like to sip in the evening?",
        ),
        values={"value": ("natural wine", "Rioja", "dry riesling", "prosecco", "a hazy IPA",
                          "a gin and tonic", "a negroni", "alcohol-free beer", "mezcal")},
    ),
    PlantedTemplate(
        key="pref:contact", type="preference",
        statements=(
            "I'd much rather get {value} than a phone call, calls stress me out.",
            "Please tell people {value} is the best way to reach me, I never pick up.",
        ),
        questions=(
            "How do I prefer people to get in touch?",
            "What's the ideal way for someone to contact me?",
        ),
        values={"value": ("a text message", "an email", "a voice note", "a WhatsApp message")},
        related=("email", "phone_number"),
    ),
    PlantedTemplate(
        key="pref:game", type="preference",
        statements=(
            "I've sunk hundreds of hours into {value}, it's my way of decompressing.",
            "Every evening ends with a bit of {value} for me.",
        ),
        questions=(
            "What's my favourite game?",
            "What do I do to wind down after a long day?",
        ),
        values={"value": ("chess", "Stardew Valley", "Zelda", "Catan", "crosswords",
                          "Elden Ring", "Minecraft", "sudoku", "Mahjong")},
    ),
    PlantedTemplate(
        key="pref:art", type="preference",
        statements=(
            "I could spend all day looking at {value}.",
            "If there's an exhibition of {value} anywhere near, I'm going.",
        ),
        questions=(
            "What kind of visual work moves me?",
            "What should I see if I visit a gallery?",
            "What would I happily queue to see at a museum?",
        ),
        values={"value": ("impressionist paintings", "Japanese woodblock prints",
                          "brutalist architecture", "street art", "medieval manuscripts",
                          "abstract sculpture", "vintage travel posters")},
    ),
    PlantedTemplate(
        key="pref:lodging", type="preference",
        statements=(
            "When I travel I'd rather stay in {value} than a big hotel.",
            "Book me into {value} if you can, I can't stand chain hotels.",
        ),
        questions=(
            "Where do I like to sleep when I'm away from home?",
            "What kind of accommodation should you look for on my trips?",
        ),
        values={"value": ("a small guesthouse", "an Airbnb", "a hostel dorm", "a farmhouse",
                          "a bed and breakfast", "a boutique inn")},
        related=("travel_booking",),
    ),
    PlantedTemplate(
        key="pref:spice", type="preference",
        statements=(
            "I like my food {value}, just so you know for recipes.",
            "Fair warning: I take my curries {value}.",
        ),
        questions=(
            "How much heat can I handle in a meal?",
            "Should you go easy on the pepper when suggesting dishes for me?",
        ),
        values={"value": ("extremely spicy", "very mild", "medium hot",
                          "with a ridiculous amount of chilli")},
    ),
    PlantedTemplate(
        key="pref:flowers", type="preference",
        statements=(
            "My favourite flowers are {value}, if you ever need gift ideas for me.",
            "Nothing cheers me up like a bunch of {value} on the kitchen table.",
        ),
        questions=(
            "What blooms would make me happy?",
            "What should someone bring me from the florist?",
        ),
        values={"value": ("peonies", "sunflowers", "tulips", "ranunculus", "sweet peas",
                          "anemones", "freesias")},
    ),
)
# fmt: on
