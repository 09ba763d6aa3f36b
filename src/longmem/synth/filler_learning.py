"""Filler topics about learning, knowledge and technology: impersonal requests and replies.

Same rules as the everyday topics: no personal facts, no planted values (the programming
languages here are not the ones the "instr:code" template plants).
"""

from __future__ import annotations

from longmem.synth.templates import FillerTopic, exchange

# fmt: off
# Packed rows: one value per line would triple these data files without making them clearer.

LEARNING_TOPICS = (
    FillerTopic(
        "coding",
        {"lang": ("JavaScript", "SQL", "Bash", "Java", "C++", "PHP", "Swift", "Elixir",
                  "Haskell", "Lua"),
         "concept": ("recursion", "closures", "async/await", "dependency injection",
                     "memoization", "regular expressions", "generics", "pointers",
                     "race conditions", "big-O notation", "immutability", "tail calls"),
         "task": ("reverse a string", "read a CSV file", "sort an array of objects by a field",
                  "parse a date string", "remove duplicates from an array",
                  "make an HTTP request", "write a unit test", "handle a null value safely",
                  "read environment variables", "format a number as currency")},
        (
            exchange("Can you explain {concept} like I'm five?",
                     "Sure. I'll start with an everyday analogy for {concept}, then show a "
                     "tiny code example so you can see it in action."),
            exchange("How do I {task} in {lang}?",
                     "In {lang} there's usually a standard-library way to {task}, so start "
                     "there before reaching for a package. Want a short snippet with "
                     "comments?"),
            exchange("Why would a {lang} program throw a null reference error?",
                     "That almost always means something you expected to be set was never "
                     "initialised. Check where the value comes from and add a guard or a "
                     "default before it's used."),
            exchange("Is {lang} a good first language to learn?",
                     "It can be. {lang} has plenty of learning material, and what matters most "
                     "is picking something and building small projects with it."),
            exchange("What are common interview questions about {concept}?",
                     "Expect to explain {concept} in plain words, then apply it to a small "
                     "problem. Practise talking through your reasoning out loud."),
            exchange("How does {lang} handle {concept}?",
                     "{lang} has its own take on {concept}, with a few quirks worth knowing. "
                     "I can show a minimal example and point out the gotchas."),
        ),
    ),
    FillerTopic(
        "history",
        {"event": ("the fall of the Berlin Wall", "the Russian Revolution",
                   "the Cuban Missile Crisis", "the Black Death", "the Meiji Restoration",
                   "the Boston Tea Party", "the collapse of the Bronze Age",
                   "the Glorious Revolution", "the Space Race", "the Hundred Years' War"),
         "figure": ("Ada Lovelace", "Genghis Khan", "Hatshepsut", "Nikola Tesla", "Mansa Musa",
                    "Marie Curie", "Simón Bolívar", "Cleopatra", "Leonardo da Vinci",
                    "Frederick Douglass", "Ibn Battuta", "Empress Wu")},
        (
            exchange("What caused {event}?",
                     "Historians usually point to a mix of long-term pressures and a few "
                     "immediate triggers. I can break down the main causes in a short list."),
            exchange("Who was {figure} and why are they famous?",
                     "{figure} is remembered for changing things in a way people still talk "
                     "about today. Want a quick timeline of their life?"),
            exchange("Give me a fun fact about {figure}.",
                     "Here's one angle: {figure} was far more of a character than school "
                     "textbooks suggest. I can share a couple of surprising details."),
            exchange("Why does {event} still matter today?",
                     "Its effects still shape borders, institutions or ideas we take for "
                     "granted. I can trace two or three direct lines to the present."),
            exchange("What would have happened if {event} never took place?",
                     "Counterfactuals are fun but speculative. Most historians would say the "
                     "underlying pressures were still there, so something similar might have "
                     "happened anyway."),
            exchange("Where can I read more about {figure}?",
                     "A well-reviewed biography is the best start. I can suggest one short "
                     "option and one in-depth one."),
            exchange("What's a good documentary about {event}?",
                     "Look for one built on archive footage and interviews with historians. "
                     "Want a couple of suggestions?"),
        ),
    ),
    FillerTopic(
        "math_homework",
        {"concept": ("quadratic equations", "logarithms", "derivatives",
                     "the Pythagorean theorem", "probability trees", "matrix multiplication",
                     "standard deviation", "long division", "prime factorisation", "integrals",
                     "simultaneous equations", "vectors"),
         "pct": ("12", "35", "40", "62", "75", "8", "15", "90", "45", "33", "5", "28")},
        (
            exchange("How do I solve problems with {concept}? I always get stuck.",
                     "Write down what you know and what you're solving for, then apply one "
                     "rule at a time. Paste a specific problem and I'll walk through it."),
            exchange("Can you explain {concept} simply?",
                     "Sure. The core idea behind {concept} is simpler than it looks; let me "
                     "start with a tiny example and build from there."),
            exchange("What's a real-world use of {concept}?",
                     "It shows up more often than you'd think, from engineering to finance. "
                     "I can give you a concrete example with numbers."),
            exchange("How do I convert {pct}% into a fraction?",
                     "Put {pct} over 100, then simplify by dividing the top and bottom by "
                     "their greatest common factor."),
            exchange("What's {pct}% of 240?",
                     "Multiply 240 by {pct} and divide by 100. Doing the division first "
                     "(2.4 times {pct}) is often easier in your head."),
            exchange("Why can't you divide by zero?",
                     "Division asks how many times one number fits into another, and zero "
                     "fits into anything endlessly, so no single answer works."),
        ),
    ),
    FillerTopic(
        "music_theory",
        {"concept": ("the circle of fifths", "modes", "syncopation", "seventh chords",
                     "counterpoint", "time signatures", "cadences", "voice leading",
                     "chord inversions", "the blues scale"),
         "key": ("C major", "A minor", "G major", "E minor", "D major", "F major",
                 "B flat major", "F sharp minor")},
        (
            exchange("Can you explain {concept} in music?",
                     "Sure. It sounds intimidating, but it's really a way of describing "
                     "patterns you already hear. I'll use a familiar song as an example."),
            exchange("What chords are in the key of {key}?",
                     "Build a triad on each note of the {key} scale and you get its seven "
                     "diatonic chords. The I, IV and V chords are the ones most songs lean "
                     "on."),
            exchange("How do you practise {concept} without getting bored?",
                     "Little and often works best. Pick one song you love, find {concept} in "
                     "it, then try to write something similar."),
            exchange("How would {concept} work in {key}?",
                     "Start from the {key} scale and apply the same idea step by step; "
                     "writing it out on a stave makes it much clearer."),
            exchange("Why do minor keys sound sad?",
                     "Partly physics, partly culture: the lowered third changes how the chord "
                     "sounds, and we've learned to associate that colour with sadness."),
        ),
    ),
    FillerTopic(
        "books",
        {"title": ("Middlemarch", "The Remains of the Day", "Dune", "Beloved",
                   "Kafka on the Shore", "The Secret History", "Piranesi", "Things Fall Apart",
                   "Station Eleven", "Wolf Hall", "The Left Hand of Darkness"),
         "author": ("Ursula K. Le Guin", "Toni Morrison", "Kazuo Ishiguro", "Agatha Christie",
                    "Haruki Murakami", "Chimamanda Ngozi Adichie", "Terry Pratchett",
                    "Jane Austen", "Italo Calvino")},
        (
            exchange("Is {title} hard to get into?",
                     "It takes a few chapters to find its rhythm, but most readers say it's "
                     "worth pushing through. Give it fifty pages before you decide."),
            exchange("Where should someone start with {author}?",
                     "Start with one of {author}'s best-known books rather than the earliest. "
                     "I can give you a suggested reading order."),
            exchange("What books are like {title}?",
                     "If {title} worked for you, try books with a similar tone and pacing. I "
                     "can list three or four with a line on each."),
            exchange("Did {author} ever write anything like {title}?",
                     "There's some overlap in themes, though the styles differ. I can point to "
                     "the closest match and explain why."),
            exchange("What's a good book for a long train journey?",
                     "Something with short chapters and a strong plot works well on the move. "
                     "Tell me a recent favourite and I'll tailor the pick."),
        ),
    ),
    FillerTopic(
        "news",
        {"topic": ("interest rates", "renewable energy", "the housing market", "electric buses",
                   "AI regulation", "space exploration", "ocean plastic", "vaccine research",
                   "food prices", "remote work trends", "rail strikes", "deep-sea mining")},
        (
            exchange("Can you give me a quick explainer on {topic}?",
                     "Sure. Here's the short version: what changed recently, why people care, "
                     "and what to watch next. I may not have the very latest developments."),
            exchange("Why is everyone talking about {topic} right now?",
                     "It affects a lot of people at once, so any change tends to make "
                     "headlines. I can outline the main arguments on each side."),
            exchange("How can you tell if a news story about {topic} is reliable?",
                     "Check whether it cites primary sources, look for the same facts in a "
                     "second outlet, and be wary of headlines that promise more than the "
                     "article delivers."),
            exchange("What are the main arguments for and against {topic} policies?",
                     "Supporters usually stress long-term benefits; critics focus on costs "
                     "and who bears them. I can summarise both in a few lines."),
        ),
    ),
    FillerTopic(
        "productivity",
        {"method": ("the Pomodoro technique", "time blocking", "the Eisenhower matrix",
                    "Getting Things Done", "inbox zero", "the two-minute rule",
                    "habit stacking", "a weekly review", "eating the frog"),
         "place": ("a café", "an open-plan office", "a library", "a co-working space",
                   "a train", "a shared kitchen table")},
        (
            exchange("Does {method} actually work?",
                     "For a lot of people, yes, mainly because it forces a decision about what "
                     "to work on. Try it for two weeks and keep whatever parts stick."),
            exchange("Can you explain {method} in a few steps?",
                     "Sure. It boils down to a few simple habits; I'll list them in order and "
                     "add a tip for each."),
            exchange("Any tips for staying focused when working from {place}?",
                     "Noise-cancelling headphones, a single clear goal per session and "
                     "turning off notifications go a long way."),
            exchange("Would {method} work in {place}?",
                     "It can, with small tweaks: shorter blocks and a visible timer help when "
                     "there's more going on around you."),
            exchange("How do you stop procrastinating on boring tasks?",
                     "Make the first step tiny, set a short timer and remove one distraction. "
                     "Starting is the hard part; momentum does the rest."),
        ),
    ),
    FillerTopic(
        "language_learning",
        {"feature": ("the subjunctive", "phrasal verbs", "gendered nouns", "tones",
                     "irregular verbs", "the past tense", "counting words", "honorifics",
                     "noun cases", "false friends")},
        (
            exchange("What's the best way to memorise {feature}?",
                     "Spaced repetition plus using them in real sentences works better than "
                     "lists. Try writing three example sentences a day."),
            exchange("Why do some languages have {feature}?",
                     "Languages drift over centuries, and features like {feature} are often "
                     "leftovers from older forms. Linguists have some fun theories about it."),
            exchange("Which languages get by without {feature}?",
                     "Quite a few do, and they usually express the same ideas another way, "
                     "through word order or context. I can give a few examples."),
            exchange("How do textbooks usually teach {feature}?",
                     "Most introduce a simple pattern, drill it, then add exceptions. Mixing "
                     "that with real reading helps it stick."),
            exchange("Are language apps actually useful?",
                     "They're great for habit and vocabulary, weaker for speaking. Pair one "
                     "with conversation practice and you'll progress much faster."),
            exchange("How long does it take to reach a conversational level in a new language?",
                     "It depends on how close it is to languages you know, but a few hundred "
                     "hours of focused practice is a common ballpark."),
        ),
    ),
    FillerTopic(
        "animals",
        {"animal": ("guinea pig", "parrot", "goldfish", "hamster", "tortoise", "horse",
                    "budgie", "chinchilla"),
         "wild": ("octopuses", "crows", "elephants", "axolotls", "honeybees", "orcas", "sloths",
                  "tardigrades", "meerkats")},
        (
            exchange("How long does a {animal} usually live?",
                     "It varies with breed and care, but a well-looked-after {animal} can live "
                     "surprisingly long. Diet and regular check-ups make the biggest "
                     "difference."),
            exchange("What's the most interesting fact about {wild}?",
                     "They're full of surprises, much smarter or tougher than people expect. "
                     "Want three fun facts?"),
            exchange("Why do {wild} behave the way they do in groups?",
                     "Group behaviour usually helps with finding food and staying safe. "
                     "Researchers study {wild} closely because their social lives are "
                     "surprisingly complex."),
            exchange("What does a {animal} eat?",
                     "A species-appropriate base diet plus a few fresh extras is typical. A "
                     "specialist care guide will list what to avoid."),
            exchange("Is a {animal} a good first pet for a child?",
                     "It can be, with adult supervision. Look into space, lifespan and daily "
                     "care before deciding."),
        ),
    ),
    FillerTopic(
        "science",
        {"thing": ("black holes", "solar panels", "tides", "earthquakes", "batteries",
                   "nuclear reactors", "fireflies", "3D printers", "auroras", "volcanoes"),
         "myth": ("lightning never strikes the same place twice",
                  "we only use ten percent of our brains",
                  "goldfish have a three-second memory", "bats are blind",
                  "the Great Wall is visible from space",
                  "cracking your knuckles causes arthritis")},
        (
            exchange("How do {thing} work?",
                     "At a high level, it comes down to a few physical principles working "
                     "together. I can go from a quick summary to a detailed explanation."),
            exchange("Explain {thing} to me like I'm ten.",
                     "Okay! Picture a simple everyday object, and I'll use it to show how "
                     "{thing} work, step by step."),
            exchange("Is it true that {myth}?",
                     "That's actually a myth. The real story is more interesting, and I'm "
                     "happy to explain where the idea came from."),
            exchange("Who figured out how {thing} work?",
                     "It was a long chain of people rather than one genius, with a few key "
                     "breakthroughs. I can sketch the timeline."),
            exchange("Why is the sky blue?",
                     "Sunlight scatters off air molecules, and shorter blue wavelengths "
                     "scatter much more than red ones, so blue reaches your eyes from every "
                     "direction."),
        ),
    ),
    FillerTopic(
        "tech_support",
        {"device": ("a laptop", "a printer", "a Wi-Fi router", "a smart TV",
                    "a Bluetooth speaker", "a tablet", "an external hard drive",
                    "a games console", "a smartwatch", "a wireless mouse"),
         "issue": ("won't turn on", "keeps overheating", "is really slow", "keeps freezing",
                   "makes a strange noise")},
        (
            exchange("Why does {device} keep disconnecting?",
                     "Common culprits are outdated firmware, interference or a power-saving "
                     "setting. Restart it, update it, and move it closer to the router if it's "
                     "wireless."),
            exchange("What should you do if {device} {issue}?",
                     "Start with the boring fixes: restart it, check cables and power, and "
                     "install updates. If that doesn't help, the manufacturer's support page "
                     "usually lists the next steps."),
            exchange("How do you factory reset {device}?",
                     "There's usually a reset option in the settings menu or a small pinhole "
                     "button. Back up anything you need first, because a reset wipes "
                     "everything."),
            exchange("Is an extended warranty on {device} worth it?",
                     "Usually not; most faults show up within the standard warranty. It can "
                     "make sense for expensive items that get carried around a lot."),
            exchange("How long should {device} last before it needs replacing?",
                     "Three to six years is typical, depending on how heavily it's used. "
                     "Software support often ends before the hardware gives out."),
        ),
    ),
    FillerTopic(
        "writing_help",
        {"ask": ("a deadline extension", "a refund", "feedback after an interview",
                 "a meeting to be moved", "an overdue invoice to be paid",
                 "a quote for some work", "a day off"),
         "pair": ("affect and effect", "its and it's", "fewer and less", "who and whom",
                  "lie and lay", "complement and compliment", "principal and principle",
                  "e.g. and i.e.")},
        (
            exchange("Can you help me write a polite email asking for {ask}?",
                     "Of course. Keep it short: a friendly opener, a clear request, one line "
                     "of reason, and a thank-you. Want me to draft it?"),
            exchange("What's the difference between {pair}?",
                     "Good question, these trip everyone up. I'll give you a one-line rule and "
                     "two example sentences so it sticks."),
            exchange("Can you give me an example sentence using {pair}?",
                     "Sure, here are two short sentences side by side, with the tricky word "
                     "in each highlighted so the difference is obvious."),
            exchange("How formal should a message asking for {ask} be?",
                     "Match the relationship: polite and clear is always safe, and you can "
                     "loosen up if the other person writes casually."),
            exchange("How can writing sound less stiff?",
                     "Read it aloud, cut filler words, and prefer short sentences with active "
                     "verbs. Writing the way you'd explain it to a friend helps."),
            exchange("Is it okay to follow up twice when asking for {ask}?",
                     "Yes, a polite second nudge after a week is normal. Keep it brief and "
                     "restate the request in one line."),
        ),
    ),
    FillerTopic(
        "landmarks",
        {"landmark": ("Machu Picchu", "the Taj Mahal", "Angkor Wat", "the Grand Canyon",
                      "Uluru", "the Acropolis", "Chichen Itza", "the Great Barrier Reef",
                      "Stonehenge", "the Alhambra", "Petra's Treasury")},
        (
            exchange("Why is {landmark} so famous?",
                     "It combines striking scenery or architecture with a long, interesting "
                     "history, which is why it draws so many visitors. Want the short "
                     "history?"),
            exchange("How old is {landmark}?",
                     "Older than most people guess. I can give you the rough dates and how "
                     "researchers worked them out."),
            exchange("How do you get to {landmark} from the nearest city?",
                     "Organised tours are the easiest option, but public transport or a hired "
                     "car often works too. Check seasonal timetables before you go."),
            exchange("What's the best time of day to visit {landmark}?",
                     "Early morning, almost always: softer light, cooler temperatures and far "
                     "fewer tour groups."),
        ),
    ),
    FillerTopic(
        "photography",
        {"shot": ("night skies", "fast-moving sports", "portraits", "food photos",
                  "landscapes at sunset", "fireworks", "indoor events", "street scenes",
                  "waterfalls"),
         "lens": ("50mm prime", "wide-angle zoom", "telephoto lens", "macro lens",
                  "fisheye lens")},
        (
            exchange("What camera settings work best for {shot}?",
                     "Start in aperture priority and adjust from there. The key trade-off is "
                     "shutter speed versus light, so raise the ISO if shots come out blurry."),
            exchange("Is a phone camera good enough for {shot}?",
                     "For most people, yes, especially in good light. A dedicated camera helps "
                     "most when light is poor or subjects move quickly."),
            exchange("What's the most common mistake with {shot}?",
                     "Usually a busy background or the wrong focus point. Slow down, check the "
                     "edges of the frame, and take a few extra frames."),
            exchange("Is a {lens} good for {shot}?",
                     "It can work well; what matters is whether it gives you the framing and "
                     "light you need. Renting one for a weekend is a cheap way to find out."),
            exchange("What is the rule of thirds?",
                     "Imagine a three-by-three grid over the frame and place your subject on "
                     "one of the lines or crossings instead of dead centre."),
        ),
    ),
    FillerTopic(
        "astronomy",
        {"sky": ("meteor shower", "full moon", "solar eclipse", "lunar eclipse",
                 "supermoon", "comet sighting"),
         "body": ("Mars", "the Moon", "Jupiter", "the Andromeda galaxy", "Proxima Centauri",
                  "the Sun", "Saturn", "Titan"),
         "world": ("Mars", "the Moon", "Titan", "Europa", "Venus", "Enceladus")},
        (
            exchange("When is the next {sky}?",
                     "These follow predictable cycles, so astronomy sites list upcoming dates "
                     "well in advance. Find a dark spot away from city lights when it comes "
                     "round."),
            exchange("How far away is {body}?",
                     "Far enough that the number is hard to picture! I'll give you the "
                     "distance and a comparison that makes it easier to imagine."),
            exchange("Could humans ever live on {world}?",
                     "Not easily. Radiation, temperature and the lack of breathable air are "
                     "the big problems, but it's a fun thought experiment."),
            exchange("Is a {sky} visible with the naked eye?",
                     "Usually, yes, with clear skies and little light pollution. For anything "
                     "involving the Sun, always use proper eclipse glasses."),
        ),
    ),
    FillerTopic(
        "careers",
        {"field": ("marketing", "data science", "teaching", "law", "retail management",
                   "UX research", "logistics", "public policy", "hospitality")},
        (
            exchange("How do people prepare for a job interview in {field}?",
                     "Research the organisation, prepare three stories that show your "
                     "strengths, and have a couple of questions ready. Expect at least one "
                     "practical or scenario question."),
            exchange("What skills matter most in {field}?",
                     "Communication and problem-solving come up in almost every job listing; "
                     "beyond that, a portfolio of concrete results speaks louder than titles."),
            exchange("What does a typical day look like in {field}?",
                     "It varies a lot by employer, but expect a mix of focused solo work, "
                     "meetings and a steady stream of small urgent requests."),
            exchange("Should a CV be one page or two?",
                     "One page early on, two once there's enough relevant experience to fill "
                     "it. Recruiters skim, so put the strongest points first."),
            exchange("Is it hard to switch into {field} mid-career?",
                     "It's more common than people think. Transferable skills plus a short "
                     "course or side project usually get you through the door."),
        ),
    ),
)
# fmt: on
