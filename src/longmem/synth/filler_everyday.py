"""Filler topics from everyday life: impersonal requests and plausible assistant replies.

Requests never state a personal fact ("I live in…", "my dog…"); they may touch a planted topic
impersonally ("How long should I roast carrots?"). No slot value here is a planted value.
"""

from __future__ import annotations

from longmem.synth.templates import FillerTopic, exchange

# fmt: off
# Packed rows: one value per line would triple these data files without making them clearer.

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

EVERYDAY_TOPICS = (
    FillerTopic(
        "weather",
        {"place": ("Reykjavik", "Cairo", "Singapore", "Chicago", "Nairobi", "Tokyo",
                   "Buenos Aires", "Mumbai", "Athens", "Helsinki", "Lima", "Hobart"),
         "month": MONTHS,
         "phenomenon": ("thunderstorms", "hailstorms", "monsoons", "heatwaves", "sea breezes",
                        "rainbows", "tornadoes", "fog banks", "cold snaps"),
         "hazard": ("thunderstorms", "hail", "thick fog", "high winds", "black ice",
                    "flash floods", "whiteout conditions")},
        (
            exchange("What's the weather usually like in {place} in {month}?",
                     "{month} in {place} can swing quite a bit from year to year, so check a "
                     "forecast a few days out. Pack layers and something waterproof and you'll "
                     "be fine either way."),
            exchange("Why do {phenomenon} happen?",
                     "Short version: {phenomenon} form when temperature and moisture "
                     "differences in the air line up in just the right way. I can walk through "
                     "the physics step by step if you like."),
            exchange("Is it safe to go hiking when there's a chance of {hazard}?",
                     "It's worth being cautious. Check the forecast right before you set off, "
                     "tell someone your route, and turn back early if conditions change."),
            exchange("How do forecasters predict {phenomenon}?",
                     "They combine satellite and radar data with computer models, and local "
                     "observations matter a lot too. Short-range forecasts are far more "
                     "reliable than long-range ones."),
            exchange("How risky is driving in {month} with {hazard} around?",
                     "It can be serious, mostly because it cuts visibility or grip without "
                     "much warning. Slow down, leave extra distance and delay the trip if you "
                     "can."),
            exchange("How accurate are ten-day weather forecasts, honestly?",
                     "The first three to five days are usually reliable; after a week, treat "
                     "it as a rough trend rather than a promise."),
        ),
    ),
    FillerTopic(
        "cooking",
        {"dish": ("risotto", "banana bread", "ramen broth", "lasagne", "shakshuka", "paella",
                  "focaccia", "dal", "gnocchi", "pavlova", "minestrone", "fish pie"),
         "ingredient": ("buttermilk", "eggs", "butter", "fresh basil", "shallots",
                        "brown sugar", "white wine", "soy sauce", "double cream", "yeast"),
         "vegetable": ("carrots", "brussels sprouts", "cauliflower", "sweet potatoes",
                       "broccoli", "aubergine", "parsnips", "green beans", "beetroot")},
        (
            exchange("Can you give me a simple recipe for {dish}?",
                     "Sure! A good {dish} comes down to a few basics: prep everything before "
                     "you start, season as you go, and don't rush the cooking. Want the full "
                     "ingredient list and steps?"),
            exchange("What can I use instead of {ingredient} in a recipe?",
                     "It depends on what the {ingredient} is doing in the dish, but there's "
                     "usually a workable swap. Tell me the recipe and I'll suggest the closest "
                     "substitute."),
            exchange("How long should I roast {vegetable}?",
                     "Roughly 25 to 40 minutes at 200°C, depending on how small you cut them. "
                     "Spread them out on the tray so they brown instead of steaming."),
            exchange("Why does homemade {dish} so often come out bland?",
                     "Usually it's under-seasoning or skipping a hit of acid at the end. Taste "
                     "as you go and finish with a squeeze of lemon or a splash of vinegar."),
            exchange("Can I make {dish} without {ingredient}?",
                     "Yes, in most versions you can. The texture or flavour shifts a little, "
                     "so compensate with a bit more seasoning and keep an eye on it while it "
                     "cooks."),
            exchange("What goes well with roasted {vegetable}?",
                     "A dollop of yoghurt, toasted seeds and something sharp like pickled "
                     "onions work really well. A sprinkle of herbs at the end lifts it too."),
        ),
    ),
    FillerTopic(
        "travel_tips",
        {"dest": ("Kyoto", "Marrakech", "Cusco", "Hanoi", "Cape Town", "Istanbul", "Havana",
                  "Santorini", "Queenstown", "Petra", "Bruges", "Tbilisi"),
         "month": MONTHS,
         "country": ("Japan", "the US", "France", "Brazil", "South Korea", "Egypt", "Germany",
                     "Mexico", "Thailand", "Norway")},
        (
            exchange("What are the must-see sights in {dest}?",
                     "In {dest} I'd prioritise the old centre, one big landmark and a local "
                     "food market. Go early in the day to beat the crowds."),
            exchange("How many days do you need to see {dest} properly?",
                     "Three to four days is a comfortable minimum for {dest}. Add a day if you "
                     "want a day trip out of town."),
            exchange("What should I pack for a week in {dest} in {month}?",
                     "Layers, comfortable walking shoes and a light rain jacket cover most of "
                     "it. Check the forecast the week before and adjust."),
            exchange("Is it rude not to tip in {country}?",
                     "Tipping customs vary a lot, so it's worth checking local norms for "
                     "{country} before you go. When in doubt, watch what locals do."),
            exchange("Is {month} a good time to visit {dest}?",
                     "It can be. Look at typical temperatures, rainfall and local holidays for "
                     "{month}, since festivals can push prices up."),
            exchange("Any tips for beating jet lag?",
                     "Shift your sleep an hour a day before you leave, get daylight as soon as "
                     "you land, and avoid long naps on the first afternoon."),
        ),
    ),
    FillerTopic(
        "movies",
        {"film": ("Casablanca", "Parasite", "The Godfather", "Spirited Away",
                  "Mad Max: Fury Road", "Amélie", "Jaws", "Arrival", "Rear Window", "Whiplash",
                  "Moonlight", "Alien", "Paddington 2", "The Third Man"),
         "director": ("Hitchcock", "Kurosawa", "Agnès Varda", "Spike Lee", "Denis Villeneuve",
                      "Greta Gerwig", "Bong Joon-ho", "Wong Kar-wai", "Céline Sciamma")},
        (
            exchange("Is {film} worth watching?",
                     "Most people think so: {film} holds up well and is a good pick if you're "
                     "in the mood for something memorable. Go in knowing as little as "
                     "possible."),
            exchange("What's the best {director} film to start with?",
                     "Start with one of {director}'s most accessible, widely loved titles, then "
                     "work outward to the stranger ones. I can list a few in order."),
            exchange("Can you explain the ending of {film}?",
                     "Happy to, but spoilers ahead. The ending of {film} is more deliberate "
                     "than it first looks, and the usual reading ties it back to choices made "
                     "early in the story."),
            exchange("What films are similar to {film}?",
                     "Tell me what you enjoyed most about {film} and I'll narrow it down; "
                     "otherwise I'll suggest a few from the same era with a similar tone."),
            exchange("Would fans of {director} enjoy {film}?",
                     "Quite possibly: there's overlap in how both play with tension and "
                     "pacing, even if the styles differ. It's worth a try on a quiet evening."),
        ),
    ),
    FillerTopic(
        "sports",
        {"event": ("the Champions League final", "the US Open", "the Tour de France",
                   "the Super Bowl", "the Ashes", "Wimbledon", "the Monaco Grand Prix",
                   "the NBA Finals", "the Ryder Cup", "the Six Nations"),
         "sport": ("tennis", "cricket", "rugby union", "curling", "snooker", "volleyball",
                   "badminton", "darts", "ice hockey", "water polo")},
        (
            exchange("Who won {event} last year?",
                     "I might not have the latest results, so double-check a sports site for "
                     "{event}. I can tell you about past winners and famous moments though."),
            exchange("How does scoring work in {sport}?",
                     "Scoring in {sport} looks odd at first but follows a simple pattern once "
                     "you see a few points played. Want a quick walkthrough?"),
            exchange("When does {event} usually take place?",
                     "It happens at roughly the same time every year, but dates shift "
                     "slightly, so check the official calendar."),
            exchange("Who are the favourites for {event} this year?",
                     "The usual big names are always in the mix, but form and injuries change "
                     "things quickly. Betting odds are a decent snapshot of current opinion."),
            exchange("What's the hardest skill to learn in {sport}?",
                     "Most coaches would say consistency under pressure rather than any single "
                     "technique. That comes from lots of repetition in match-like drills."),
            exchange("What's a good beginner drill for {sport}?",
                     "Pick one basic skill and repeat it slowly with a partner or a wall, "
                     "then add speed. Ten focused minutes beat an hour of aimless play."),
            exchange("Why is {event} such a big deal?",
                     "Partly history and partly drama: it has produced famous upsets, and the "
                     "stakes are high for everyone involved."),
            exchange("Can you explain the offside rule in simple terms?",
                     "An attacker is offside if they're nearer the goal line than both the "
                     "ball and the second-last defender when the ball is played to them."),
        ),
    ),
    FillerTopic(
        "gardening",
        {"plant": ("lavender", "basil", "roses", "hydrangeas", "courgettes", "strawberries",
                   "rosemary", "dahlias", "runner beans", "lettuce", "blueberries"),
         "pest": ("slugs", "aphids", "whitefly", "snails", "caterpillars", "vine weevils")},
        (
            exchange("When is the best time to plant {plant}?",
                     "Most gardeners plant {plant} after the last frost, once the soil has "
                     "warmed up. Check your local frost dates before you start."),
            exchange("Why are the leaves on {plant} turning yellow?",
                     "Yellow leaves usually point to overwatering, poor drainage or a nutrient "
                     "shortage. Let the soil dry out a little between waterings."),
            exchange("How much sun is ideal for {plant}?",
                     "Most varieties like at least six hours of direct sun a day. In very hot "
                     "climates, a bit of afternoon shade helps."),
            exchange("Can {plant} grow in a pot on a balcony?",
                     "Yes, with a large enough container and good drainage. Water more often "
                     "than you would in the ground, since pots dry out fast."),
            exchange("What's a natural way to keep {pest} off {plant}?",
                     "Try companion planting and encouraging predators like birds and "
                     "ladybirds. For {pest}, hand-picking in the evening and physical barriers "
                     "work surprisingly well."),
        ),
    ),
    FillerTopic(
        "fitness",
        {"move": ("squats", "deadlifts", "push-ups", "lunges", "planks", "pull-ups",
                  "kettlebell swings", "hip thrusts", "step-ups", "dips"),
         "goal": ("build strength", "improve endurance", "fix posture", "lose fat",
                  "get more flexible", "recover from a desk job")},
        (
            exchange("What's the correct form for {move}?",
                     "Keep your core braced and move slowly enough to control the whole range. "
                     "Filming yourself from the side is the quickest way to spot problems."),
            exchange("How many {move} should a beginner do?",
                     "Start with two or three sets of 8 to 12 with good form, and add reps "
                     "only when the last few still feel controlled."),
            exchange("How long should you rest between sets of {move}?",
                     "For strength work, one to three minutes is typical; for lighter sets, 30 "
                     "to 60 seconds is plenty."),
            exchange("Are {move} good if you want to {goal}?",
                     "They can be part of it. To {goal}, consistency and a balanced weekly plan "
                     "matter more than any single exercise."),
            exchange("Is it better to do cardio before or after weights?",
                     "If strength is the priority, lift first while you're fresh; otherwise "
                     "it matters less than simply doing both regularly."),
        ),
    ),
    FillerTopic(
        "diy_repairs",
        {"fix": ("a dripping tap", "a squeaky door", "a wobbly table leg", "a cracked tile",
                 "a running toilet", "a stuck window", "peeling wallpaper", "a blocked sink",
                 "a loose door handle", "a draughty window frame"),
         "tool": ("a stud finder", "a spirit level", "a multimeter", "an orbital sander",
                  "a pipe wrench", "a caulking gun", "a cordless drill")},
        (
            exchange("How do I fix {fix}?",
                     "Usually it's a quick job: take a photo before you take anything apart and "
                     "work slowly. Tell me a bit more and I'll give you step-by-step "
                     "instructions."),
            exchange("What tools do you need to sort out {fix}?",
                     "A basic screwdriver set, an adjustable spanner and some patience cover "
                     "most of it. A replacement part from a hardware shop is often cheaper "
                     "than calling someone out."),
            exchange("Is {fix} a DIY job or should a professional handle it?",
                     "Most people can manage it with a video tutorial and an hour spare. Call a "
                     "pro if anything involves gas, mains electrics or you're unsure."),
            exchange("How do you use {tool} properly?",
                     "Read the quick-start guide, practise on a scrap piece first and keep "
                     "your hands clear of anything that moves. Slow and steady gives the "
                     "cleanest result."),
            exchange("Do you need {tool} to sort out {fix}?",
                     "Not always, but it makes the job quicker and neater. You can often "
                     "borrow one from a tool library or hire shop."),
            exchange("How do you get rust off old hand tools?",
                     "Soak them in white vinegar overnight, scrub with steel wool, then dry "
                     "them fully and wipe on a thin coat of oil."),
        ),
    ),
    FillerTopic(
        "cleaning",
        {"surface": ("a cast-iron pan", "grout", "a glass stovetop", "suede shoes",
                     "a mattress", "stainless steel", "an oven", "a shower screen",
                     "a wooden chopping board"),
         "stain": ("red wine", "grass", "ink", "candle wax", "tomato sauce", "sweat",
                   "turmeric", "coffee", "chewing gum")},
        (
            exchange("What's the best way to clean {surface}?",
                     "Start with the gentlest option, like warm water and a little washing-up "
                     "liquid, and only move to stronger cleaners if needed. Test on a small "
                     "hidden area first."),
            exchange("How do I get {stain} out of fabric?",
                     "Blot, don't rub, and treat it as soon as you can. For {stain}, cold "
                     "water and a bit of washing-up liquid or a stain remover usually works."),
            exchange("Can you get {stain} off {surface}?",
                     "Usually, yes. Lift as much as you can first, then work from the outside "
                     "in with a mild cleaner so you don't spread it."),
            exchange("Any tips for decluttering a small space?",
                     "Work one shelf or drawer at a time, and be honest about what you've used "
                     "in the past year. Vertical storage frees up a surprising amount of room."),
        ),
    ),
    FillerTopic(
        "personal_finance",
        {"concept": ("compound interest", "index funds", "an emergency fund", "a credit score",
                     "inflation", "dollar-cost averaging", "a zero-based budget", "bonds",
                     "a pension annuity", "capital gains tax")},
        (
            exchange("Can you explain {concept} simply?",
                     "Sure. The core idea behind {concept} is simpler than it first "
                     "sounds; let me start with a tiny example with round numbers."),
            exchange("What are the pros and cons of {concept}?",
                     "The upside is usually predictability; the downside is that it takes "
                     "patience and discipline. I can lay the pros and cons out side by side."),
            exchange("Why do people say {concept} matters so much?",
                     "Because small effects add up over long periods. A quick worked example "
                     "over ten or twenty years usually makes it click."),
            exchange("How do beginners get started with {concept}?",
                     "Start small, read one reputable beginner's guide, and automate whatever "
                     "you can so it doesn't depend on willpower."),
            exchange("What mistakes do people make with {concept}?",
                     "The classics are ignoring fees, reacting to short-term noise and not "
                     "reading the small print. A simple written plan prevents most of them."),
            exchange("Is the 50/30/20 budgeting rule any good?",
                     "It's a decent starting point: needs, wants, then savings. Adjust the "
                     "split to your own costs rather than treating it as a law."),
        ),
    ),
    FillerTopic(
        "health_general",
        {"habit": ("cold showers", "intermittent fasting", "stretching every morning",
                   "a daily walk", "meditation", "strength training", "getting morning light",
                   "journaling", "a consistent sleep schedule"),
         "activity": ("a long flight", "a big lunch", "a hard workout", "a day of meetings",
                      "a sauna session", "a night out", "a long drive")},
        (
            exchange("What are the benefits of {habit}?",
                     "There's decent evidence for some benefits of {habit}, though claims "
                     "online are often exaggerated. Start small and see how you feel."),
            exchange("Is it normal to feel tired after {activity}?",
                     "Yes, that's very common. Rest, water and a proper meal usually sort it "
                     "out; get it checked if the tiredness sticks around."),
            exchange("How much water should an adult drink per day?",
                     "Needs vary with size, climate and activity; around two litres from all "
                     "sources is a common rule of thumb, and thirst is a reasonable guide."),
            exchange("Does {habit} help with recovery after {activity}?",
                     "It might help a little, but sleep and food do most of the work. Think "
                     "of {habit} as a bonus rather than the main fix."),
        ),
    ),
    FillerTopic(
        "nutrition",
        {"food": ("lentils", "tofu", "skyr", "chickpeas", "quinoa", "almonds",
                  "oats", "edamame", "sardines", "black beans", "spinach")},
        (
            exchange("How much protein is in {food}?",
                     "It's a decent source, though the exact amount depends on the portion and "
                     "how it's prepared. A nutrition label or database gives the precise "
                     "figure."),
            exchange("Is {food} actually healthy?",
                     "In normal portions, yes for most people. Your overall diet matters far "
                     "more than any single food."),
            exchange("What's a quick recipe using {food}?",
                     "A simple bowl works well: a grain, something green, a good dressing and "
                     "a generous portion of it on top. It takes about fifteen minutes."),
            exchange("What's an easy way to eat more {food}?",
                     "Add it to things you already make: soups, salads, bowls or a breakfast. "
                     "Batch-preparing a portion at the weekend helps."),
            exchange("How long do leftovers with {food} in them keep in the fridge?",
                     "Three to four days in a sealed container is the usual guideline. If it "
                     "smells off or looks slimy, throw it out."),
        ),
    ),
    FillerTopic(
        "etiquette",
        {"occasion": ("a housewarming", "a retirement party", "a dinner party host",
                      "a graduation", "a christening", "a promotion celebration"),
         "faux_pas": ("check a phone at dinner", "arrive ten minutes early",
                      "bring a plus-one without asking", "split the bill to the penny",
                      "leave a party without saying goodbye", "ask a guest to take shoes off")},
        (
            exchange("What's a good gift for {occasion}?",
                     "Something consumable or experiential is hard to get wrong: good "
                     "chocolate, a nice bottle or a plant. Add a handwritten note and it feels "
                     "personal."),
            exchange("Is it rude to {faux_pas}?",
                     "It depends on the crowd, but erring on the side of courtesy rarely "
                     "backfires. A quick word of explanation smooths most of these over."),
            exchange("What do you write in a card for {occasion}?",
                     "Something short and specific beats a long generic message: one warm "
                     "line about the occasion and one about the person."),
            exchange("How do you politely decline an invitation?",
                     "Thank them, say you can't make it, and skip the long excuse. Suggesting "
                     "another time keeps things warm."),
            exchange("How much should you spend on a gift for {occasion}?",
                     "There's no fixed rule; something thoughtful in a modest range is almost "
                     "always better received than something expensive and generic."),
        ),
    ),
    FillerTopic(
        "party_games",
        {"n": ("four", "six", "eight", "ten", "twelve", "fifteen"),
         "card": ("rummy", "cribbage", "hearts", "spades", "gin rummy", "bridge", "canasta",
                  "whist")},
        (
            exchange("What's a good party game for {n} people?",
                     "With {n} players you want something quick to learn with lots of table "
                     "talk. Social deduction or drawing games work really well."),
            exchange("How do you play {card}?",
                     "The basics of {card} are easy to pick up in one round. I'll explain the "
                     "setup, a turn, and how scoring works."),
            exchange("Can {n} people play {card}?",
                     "It's usually best with a smaller table, but there are variants and team "
                     "setups that stretch it. I can explain the most common one."),
            exchange("What's a fun icebreaker for a room of strangers?",
                     "Two truths and a lie is a classic because it's quick and gets people "
                     "laughing. Keep it optional so nobody feels put on the spot."),
        ),
    ),
    FillerTopic(
        "shopping",
        {"item": ("a rain jacket", "running shoes", "a mattress", "a rice cooker",
                  "noise-cancelling headphones", "a standing desk", "an air fryer",
                  "a vacuum cleaner", "a carry-on suitcase", "an electric toothbrush")},
        (
            exchange("What should I look for when buying {item}?",
                     "Decide on your budget and the one or two features you care about most, "
                     "then read a couple of long-term reviews rather than launch-day ones."),
            exchange("Should you buy {item} new or second-hand?",
                     "Second-hand is great value for sturdy, simple things; buy new when "
                     "hygiene, safety or a warranty really matters."),
            exchange("Is it worth paying more for {item}?",
                     "Up to a point. The mid-range is usually the sweet spot; above that you "
                     "mostly pay for the brand or niche extras."),
            exchange("When do the best deals on {item} usually come up?",
                     "Big sales events and end-of-season clearances are the usual times. "
                     "Price-tracking tools can tell you whether a discount is real."),
        ),
    ),
)
# fmt: on
