"""Word lists and compiled patterns of the offline extractor, named by what they recognise.

Patterns run on a normalised sentence: lower case, straight apostrophes, contractions expanded
("i'm" -> "i am"). Values are then recovered with their original casing.
"""

from __future__ import annotations

import re

from longmem.core.subject import FAMILY as FAMILY
from longmem.core.subject import INVERTED_QUESTION as INVERTED_QUESTION
from longmem.core.subject import MULTI_RELATIONS as MULTI_RELATIONS
from longmem.core.subject import PETS as PETS
from longmem.core.subject import SINGLE_RELATIONS as SINGLE_RELATIONS

LANGUAGES = """
english french spanish german italian portuguese dutch swedish norwegian danish finnish
polish czech greek turkish russian ukrainian arabic hebrew hindi urdu bengali punjabi
chinese mandarin cantonese japanese korean vietnamese thai indonesian malay tagalog
swahili persian farsi hungarian romanian catalan welsh irish
""".split()

PROFESSIONS = """
accountant actor actress analyst architect artist baker barista barber bartender biologist
builder carpenter cashier chef chemist cleaner coach consultant cook dentist designer
developer doctor driver economist editor electrician engineer farmer firefighter
journalist judge lawyer lecturer librarian manager mechanic midwife musician nurse
paramedic pharmacist photographer physician physicist physiotherapist pilot plumber police
officer professor programmer psychologist receptionist researcher salesperson scientist
secretary student surgeon teacher therapist translator tutor veterinarian vet waiter
waitress writer
""".split()

RELATIONS = SINGLE_RELATIONS + MULTI_RELATIONS

DIETS = [
    *"vegetarian vegan pescatarian pescetarian keto paleo gluten-free dairy-free halal".split(),
    *"kosher plant-based meat-eater flexitarian carnivore omnivore".split(),
    "meat eater",
]

CONTRACTIONS = [
    (re.compile(r"[‘’`´]"), "'"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"\bim\b"), "i am"),
    (re.compile(r"\bi've\b"), "i have"),
    (re.compile(r"\bi'll\b"), "i will"),
    (re.compile(r"\bi'd\b"), "i would"),
    (re.compile(r"\bwe've\b"), "we have"),
    (re.compile(r"\bwe're\b"), "we are"),
    (re.compile(r"\bwe'll\b"), "we will"),
    (re.compile(r"\bcan't\b"), "cannot"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\b(do|does|did|is|are|was|were|have|has|had)n't\b"), r"\1 not"),
    # typed without the apostrophe, as chat often is: "I dont know" is not "User donts know"
    (re.compile(r"\bcant\b"), "cannot"),
    (re.compile(r"\bwont\b"), "will not"),
    (re.compile(r"\bive\b"), "i have"),
    (re.compile(r"\b(do|does|did|is|are|was|were|have|has|had)nt\b"), r"\1 not"),
    # chat spellings of the words that say something is asked: "can u always cite sources",
    # "pls never bring it up"; a lone "u" only ("U.S.", "U-turn" and "u2" stay)
    (re.compile(r"(?<![\w.'-])u(?![\w'-]|\.\w)"), "you"),
    # "ur" is "you are" before what describes ("ur not a doctor", "ur so right"), else "your"
    # ("keep ur answers short")
    (
        re.compile(
            r"\bur(?= (?:not|a|an|so|very|really|too|welcome|right|wrong|being|going|gonna|"
            r"such|just|the best|always|never)\b)"
        ),
        "you are",
    ),
    (re.compile(r"\bur\b"), "your"),
    (re.compile(r"\b(?:pls|plz)\b"), "please"),
    (re.compile(r"\bfwd\b"), "forward"),  # "going fwd"
]

LEADING_FILLER = re.compile(
    r"^(?:(?:oh|so|well|honestly|anyway|anyways|by the way|btw|actually|also|and|but|ok|okay|"
    r"yeah|yes|right|hey|hi|fyi|one request|quick note|just so you know|for the record|"
    r"remember|note)[,:!-]?\s+)+"
)
# Questions without a question mark; "when I travel, ..." and "how I cook ..." are not.
QUESTION_START = re.compile(r"^(?:who|what|where|when|why|how|which|whose)\b(?! i | we )")
CHIT_CHAT = re.compile(
    r"^(?:thanks?|thank you|cheers|ok|okay|cool|great|nice|lol|haha\w*|hi|hello|hey|bye|"
    r"good (?:morning|night|evening|afternoon)|sounds (?:good|great)|that is (?:interesting|"
    r"great|cool|helpful)|got it|sure|perfect|awesome|no worries)\b"
)
# Counterfactuals ("if I lived in Paris I would ...", "if i ever bought a switch it'd only be
# for zelda") state nothing; "if a pipe bursts, Kwame is my go-to" does, so only conditionals
# with "would" are dropped, and those with "'d" unless they ask something of the assistant.
HYPOTHETICAL = re.compile(
    r"^(?:if|imagine|suppose|what if)\b.*\bwould\b|^(?:imagine|suppose|what if)\b|"
    # "it'd", "I'd": not when asked of the assistant ("if you could keep it short that'd help")
    r"^if\b(?!.*\b(?:you|your|u|ur)\b).*\b\w+'d\b|"
    r"\bi wonder\b|\bi would (?:love|like) to know\b|"
    r"\b(?:he|she|they|friend|mum|mom|dad|boss) (?:said|says|thinks|told me)\b"
)
HEDGE = re.compile(r"\b(?:i think|maybe|perhaps|probably|might|not sure|i guess|kind of)\b")

# -- instructions -------------------------------------------------------------------------
# Said to the assistant: "I hate it when you use emoji" is about the replies.
TO_THE_ASSISTANT = re.compile(r"\b(?:you|your)\b")
# Before an instruction's value, words that refuse it: "I don't like long answers".
REFUSED = re.compile(
    r"\b(?:not|never|no|no more|stop\w*|instead of|rather than|avoid|without|leave out|skip|drop)\b"
)
# Asked of the assistant ("call me Sam", "please call me Alex", "you can call me Jo"), not
# said of others ("my colleagues call me Sammy").
CALL_ME = re.compile(
    r"(?:^|[,;:]\s*|\bplease |\bjust |\bcan you |\bcould you |\byou can |\byou to |\band )"
    r"call(?:ing)? me (?P<v>[a-z][\w'-]*)"
)
# "call me crazy but ...", "call me old fashioned, but ...": a figure of speech before an
# opinion, not a name asked for (a name asked for keeps its capital: "call me Sam, but ...").
CALL_ME_ASIDE = re.compile(r"^call me (?P<v>[a-z][\w'-]*(?:[ -][a-z]+)?),?\s+but\b\s*")
INSTRUCTION_SLOTS = [
    (
        "instr:language",
        re.compile(r"\b(?:in|into|use|speak|switch to) (?P<v>" + "|".join(LANGUAGES) + r")\b"),
    ),
    (
        "instr:format",
        re.compile(
            r"\b(?P<v>bullet(?: point)?s?|tables?|plain prose|prose|markdown|headings?|numbered "
            r"lists?|paragraphs?|json|lists?)\b"
        ),
    ),
    (
        "instr:length",
        re.compile(
            r"\b(?P<v>short(?:er)?|brief|concise|(?<!no )(?<!any )(?<!as )long(?:er)?(?! as\b)|"
            r"detailed|"
            r"under \w+ (?:sentences|words|lines)|"
            r"a few lines|one paragraph|(?:\w+ )?sentences?)\b"
        ),
    ),
    (
        "instr:tone",
        re.compile(
            r"\b(?P<v>formal|casual|blunt|polite|friendly|emojis?|exclamation marks|jokes|"
            r"motivational quotes|sarcasm)\b"
        ),
    ),
]

# -- preferences --------------------------------------------------------------------------
LIKE = re.compile(
    r"\bi (?:really |absolutely |just |totally |do |still |genuinely |actually |now |also )?"
    r"(?P<verb>love|like|adore|enjoy|prefer)s? (?P<obj>[^,.;!]+)"
)
DISLIKE = re.compile(
    r"\bi (?:really |absolutely |just |totally |genuinely )?"
    r"(?P<verb>hate|dislike|detest|loathe|cannot stand|can not stand|do not (?:really )?like|"
    r"do not enjoy|have (?:completely )?(?:gone off|moved on from|gone off of)|no longer like|"
    r"am not (?:a|much of a) fan of|am over) (?P<obj>[^,.;!]+)"
)
FAVOURITE = re.compile(
    r"\bmy (?:all-time )?favou?rite (?P<what>[\w -]+?) (?:is|are) (?P<obj>[^,.;!]+)"
)
FAN_OF = re.compile(r"\bi am (?:a )?(?:big |huge |massive )?fan of (?P<obj>[^,.;!]+)")
RATHER = re.compile(
    r"\bi would (?:much )?rather (?:have |get |do )?(?P<obj>[^,.;!]+?) than\b"
    r"|\bgive me (?P<obj2>[^,.;!]+?) over\b"
)
FAN_SUFFIX = re.compile(
    r"\bi am (?:a )?(?:big |huge |massive |die-hard |lifelong )?(?P<obj>[\w ]+?) fan\b"
)
IS_MY_THING = re.compile(
    r"(?P<obj>[\w -]+?) (?:is|are) my (?:drink|thing|go-to|jam|weakness|"
    r"favou?rite|guilty pleasure)\b"
)
HABIT = re.compile(
    r"\bi (?:always|usually|only ever|never) (?P<verb>book|order|get|choose|pick|drink|eat|"
    r"take|wear|buy|listen to|watch|read) (?P<obj>(?!stuck|lost|confused|tired|bored|nervous|"
    r"anxious|sick|annoyed|distracted|it wrong|mixed up)[^,.;!]+)"
)
WEAKNESS = re.compile(
    r"\b(?:i can never say no to|i could spend all day|"
    r"my (?:idea of a )?(?:perfect|ideal) [\w ]+? (?:is|are)|i am obsessed with|i am addicted to|"
    r"i am a (?:real |total |complete )?sucker for|"
    r"i have been (?:listening to|watching|reading|playing) nothing but)"
    r" (?P<obj>[^,.;!]+)"
)

# A reaction to the conversation itself, not a taste: "I love how you explained that",
# "I like that idea", "I prefer not to talk about it".
REACTION = re.compile(r"(?:how|what|the way|that|this|these|those|not)\b|.*\byou\b")

# -- facts --------------------------------------------------------------------------------
CAPITALISED = r"(?P<v>[A-Z][\w'.-]*(?: (?:(?:de|da|del|do|dos|la|le|von|van) )?[A-Z][\w'.-]*)*)"
NAME = re.compile(
    r"\b(?i:my name is|i am called|name's) " + r"(?P<v>[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"
)
# "I'm Dana, I live in Lyon": an introduction, a capitalised word right after "I am" that is
# followed by a comma or the end. Not a nationality or a faith ("I'm French, so ...").
INTRODUCTION = re.compile(r"^(?i:i am) (?P<v>[A-Z][a-z'-]+)(?=\s*(?:[,.!]|$))")
NOT_NAMES = frozenset(
    LANGUAGES
    + """
    american british canadian australian scottish mexican brazilian argentinian chilean
    colombian peruvian indian pakistani nigerian kenyan ghanaian egyptian moroccan
    filipino korean vietnamese thai irish belgian swiss austrian icelandic jamaican
    catholic jewish muslim christian buddhist hindu atheist vegan vegetarian single married
    divorced retired pregnant fine good okay sorry back home here ready done
    """.split()
)
HOME = re.compile(
    r"\b(?i:i (?:currently |now |still )?(?:live|reside|am living|am based|am settled) in|"
    r"(?:i|we) (?:have |had )?(?:just |recently |finally |have just )?(?:moved|relocated)"
    r"(?: from [A-Z][\w' -]+?)? to|i am now based in|i now live in|home is) " + CAPITALISED
)
ORIGIN = re.compile(
    r"\b(?i:i am (?:originally )?from|i grew up in|i was born (?:and raised )?in|"
    r"i come from) " + CAPITALISED
)
JOB_AS = re.compile(
    r"\b(?:i|and) (?:work|am working|now work) as (?:an? )?(?P<v>[a-z][a-z -]+?)"
    r"(?= at| for|[,.;!]|$)"
)
# "I'm a software engineer at Spotify", "I work as a teacher at Oakwood": the job, and where
# ("a student at Oxford" is where
# the user studies, not works).
PROFESSION_AT = re.compile(
    r"\b(?i:i (?:am|work as|am working as) (?:now )?(?:an? )?(?:[a-z]+ ){0,2}(?:"
    + "|".join(p for p in PROFESSIONS if p != "student")
    + r")s? at) "
    + CAPITALISED
)
# Where the user works is its own slot: "I work at Siemens" does not replace "I'm a nurse".
EMPLOYER = re.compile(
    r"\b(?i:i (?:now )?(?:work|am working) (?:at|for)|"
    r"i (?:have |had )?(?:just |recently |finally )?(?:got|have|started|landed|accepted|"
    r"began) a (?:new )?job (?:at|with)|"
    r"i (?:have )?(?:just |recently |finally )?(?:started|began) (?:working|work) (?:at|for)|"
    r"(?<!not )(?<!longer )(?<!never )work at|i (?:have )?(?:just |recently |finally )?joined) "
    + CAPITALISED
)
JOB_IS = re.compile(
    r"\bi am (?:now )?(?:an? )(?P<v>(?:[a-z]+ ){0,2}(?:" + "|".join(PROFESSIONS) + r"))\b"
)
JOB_QUIT = re.compile(r"\bi (?:quit|left|lost) (?:my job|the job|my position)")
BIRTHDAY = re.compile(r"\b(?:my birthday is|i was born on) (?:on )?(?P<v>[^,.;!]+)")
# "I'm 34 and single", "I'm 55, no grandkids", "I'm 16 btw": the number ends the clause or
# a conjunction follows it. Not "explain it like I'm 5" (a manner of explaining), "I'm 85 kg"
# or "I'm 20/20 now" (a measure).
AGE = re.compile(
    r"(?<!\blike )(?<!\bas if )(?<!\bas though )\bi am (?P<v>\d{1,3})"
    r"(?: years old| y/?o\b|(?=\s*(?:$|[,;!?)]|\.(?!\d)|\s[-\u2013\u2014]|\s(?:and|but|so|now|btw|"
    r"with|too|already|next|this|in|myself|yet|lol|haha|though|tho|nearly|almost)\b)))"
)
AGE_TURNED = re.compile(r"\bi (?:have )?(?:just )?turned (?P<v>\d{1,3})\b")
PET = re.compile(
    r"\b(?:i have|we have|i got|we got|i adopted|my|our) (?:a |an |two |three |\w+ )?"
    r"(?P<v>" + "|".join(PETS) + r")\b(?:,?(?: is)? (?:named|called) (?P<name>\w+))?"
)
FAMILY_RE = re.compile(
    r"\b(?:my |i have (?:a |an |two |three |four )?)(?P<v>" + "|".join(FAMILY) + r")s?\b"
)
ALLERGY = re.compile(
    r"\b(?:(?:i am|and) (?:severely |very |mildly )?allergic to|"
    r"i have an? (?P<v2>[a-z ]+?) allergy|i cannot (?:eat|have|go near|touch)) (?P<v>[^,.;!]+)"
)
ALLERGY_SUFFIX = re.compile(r"\bi have an? (?P<v>[a-z ]+?) allergy\b")
# "Turns out I'm not allergic to peanuts after all": the same slot and value, denied.
NOT_ALLERGIC = re.compile(r"\bi am (?:not|no longer) (?:actually )?allergic to (?P<v>[^,.;!]+)")
# The speaker as the subject of a status: "I'm single", "Sam and I got engaged", "we've gone
# plant-based"; no other person in between ("I think my sister is engaged").
_SELF_SUBJECT = (
    r"\b(?:i|we)\b(?: (?!(?:he|she|they|my|his|her|their|you|not|no|never)\b)[\w']+){0,4}? "
)
DIET = re.compile(_SELF_SUBJECT + r"(?P<v>" + "|".join(DIETS) + r")\b")
# What the user does not eat adds to a diet ("I'm vegetarian. I don't eat fish either").
DIET_AVOID = re.compile(r"\bi (?:do not|never) eat (?P<v>meat|pork|beef|fish|dairy|eggs|gluten)\b")
LANGUAGE = re.compile(
    r"\bi (?:speak|am fluent in|am learning|picked up|can speak|understand) "
    r"(?:some |a bit of |fluent |basic )?(?P<v>" + "|".join(LANGUAGES) + r")\b"
)
EDUCATION = re.compile(
    r"\bi (?:studied|have a (?:degree|phd|masters|master's|bachelor's|diploma) in|"
    r"majored in|graduated (?:in|from)|did my (?:degree|phd|masters) in) (?P<v>[^,.;!]+)"
)
FIRST_PERSON_FACT = re.compile(
    r"^(?:i (?:have|own|drive|ride|play|practi[cs]e|run|use|go|went|am|was|keep|collect|"
    r"volunteer|belong|sold|bought|switched|ditched)|my [a-z]+ (?:is|are|runs|has))\b"
)
# How the user feels or what they do right now, not who they are: "I'm back!", "I'm so
# tired", "I was late", "I have to go now".
PASSING_STATE = re.compile(
    r"^i (?:am|was) (?:so |really |very |a bit |kind of |pretty |super |just |getting |"
    r"feeling |still )*(?:tired|exhausted|hungry|thirsty|sick|ill|bored|busy|"
    r"back(?! (?:in|at|on|to|with|into)\b)|sorry|"
    r"confused|stuck|lost|stressed|excited|nervous|anxious|happy|sad|upset|annoyed|late|"
    r"early|here|ready|done|fine|good|okay|ok|great|glad|curious|wondering|not sure|sure|"
    r"home|off|out|away|in a hurry|running late)\b"
    r"|^i (?:have|need|must|have got) to (?:go|leave|run|sleep|rest|think about it|head off|"
    r"get going|dash)\b(?! to\b)"
)

# A person's standing, by the words that name it: what slots.SLOTS calls relationship,
# workplace and employment. The speaker is the subject ("I'm single", "Sam and I got
# engaged", "we're back in the office"); the last status named is the current one ("he's not
# my boyfriend anymore, he's my fiancé").
STATUS = {
    "relationship": re.compile(
        _SELF_SUBJECT + r"(?P<v>single|not seeing anyone|seeing someone|dating|in a "
        r"relationship|boyfriend|girlfriend|engaged|fianc[eé]e?|married|divorced|separated|"
        r"broke up|split up|widowed|on my own)\b"
    ),
    "workplace": re.compile(
        _SELF_SUBJECT + r"(?P<v>(?:work(?:ing)? )?from home|remote(?:ly)?|wfh|"
        r"(?:back )?in(?:to)? the office|at the office|hybrid|on ?site)\b"
    ),
    "employment": re.compile(
        _SELF_SUBJECT + r"(?P<v>retired|retiring|unemployed|out of work|between jobs|"
        r"job hunting|laid off|made redundant|freelanc(?:e|ing|er)|self-employed|"
        r"full[- ]time|part[- ]time|new job)\b"
    ),
}

# "My phone is a Samsung", "our car's a Kia Niro": a thing of the speaker's, named. The value
# is a name (capitalised or a number), which keeps out "my day is going well".
OWNED = re.compile(
    r"^(?i:my|our) (?P<thing>[a-z]+)(?i:'s| is) (?i:(?:a|an|the|now|called|named|still) )*"
    r"(?P<v>[A-Z0-9][\w.'-]*(?: [A-Z0-9][\w.'-]*)*)"
)
# told by their own patterns: a name, a birthday, favourites, pets, family and relations
NOT_OWNED = frozenset(["name", "birthday", "favourite", "favorite", *PETS, *FAMILY, *RELATIONS])

# -- entities -----------------------------------------------------------------------------
_REL = r"(?P<rel>(?:best |close |old |new |personal )?(?:" + "|".join(RELATIONS) + r"))"
_PERSON = r"(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Prof)\.? )?[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"
ENTITY_PATTERNS = [
    re.compile(r"\b(?i:my|our) (?:\w+ )?(?i:" + _REL + r")(?:,| is| was|:)? " + _PERSON),
    re.compile(_PERSON + r",? (?i:is|has been|was) (?i:my|our|the) (?:\w+ )?(?i:" + _REL + r")\b"),
    re.compile(_PERSON + r", (?i:my|our) (?:\w+ )?(?i:" + _REL + r")\b"),
    re.compile(r"\b(?i:i bank with|my bank is) (?P<name>[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"),
    # "We have a new landlord, Ms Chen"
    re.compile(
        r"\b(?i:(?:i|we) (?:have|have got|got) an? )(?i:"
        + _REL
        + r"),? (?i:called |named )?"
        + _PERSON
    ),
]

# -- commitments --------------------------------------------------------------------------
# Firm promises; a bare "I will ..." is weaker and needs a time ("on Friday") to count.
COMMITMENT = re.compile(
    r"\bi (?:really |still |definitely |absolutely )?"
    r"(?:need to|have to|must|promised (?:[\w ]+? )?(?:i would|to)|plan to|intend to|"
    r"have got to|am supposed to|owe|(?:said|told [\w ]+?) i would|"
    r"(?:have )?(?:signed up|committed|agreed) (?:for|to)|"
    r"am (?:helping|meeting|seeing|visiting|flying|driving|presenting|running(?! late| behind)|"
    r"hosting)) "
    r"(?P<what>[^;!?]+)"
    r"|^(?:gotta|got to|must|need to|have to) (?P<what2>[^;!?]+)"
    r"|^(?:my )?(?:goal|plan|resolution|target|promise)(?: for [\w ]+)?: (?P<what3>[^;!?]+)"
)
# What follows "I have to" in a goodbye or a pause, not a plan: "go now, bye", "think about it".
LEAVING = re.compile(
    r"^(?:go|leave|run|sleep|rest|think|think about it|check|head off|get going|dash)"
    r"(?: now| soon| for a (?:bit|sec|second|minute|while))?(?:,? bye)?$"
)
INTENTION = re.compile(r"\bi (?:will|am going to|am gonna) (?P<what>[^;!?]+)")
REMIND_ME = re.compile(r"\bremind me (?:later: |to |that )?(?P<what>[^;!?]+)")
TIME_EXPRESSION = re.compile(
    r"\b(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"weekend|next|this (?:week|month|year|morning|afternoon|evening)|by|before|until|"
    r"end of|deadline|\d{1,2}(?:st|nd|rd|th)|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|mid-\w+|lunchtime|noon)\b"
)

# -- corrections --------------------------------------------------------------------------
_AWAY_FOR_A_WHILE = (
    r"[^,.;!?]*\b(?:for the (?:weekend|day|night|week|holidays?)|for a (?:few|couple of) "
    r"(?:days|hours|weeks)|on (?:holiday|vacation|a trip|business)|early|for (?:lunch|dinner)|"
    r"this (?:morning|afternoon|evening)|tonight)\b"
)
_STATE_VERBS = (
    r"(?:live|work|eat|drink|like|love|enjoy|play|use|drive|own|smoke|support|follow|watch|"
    r"listen to|go to|attend|study|teach|speak|wear|take)"
)
# A stay away, not a change: "I left Leeds for the weekend", "switched to decaf tonight".
FOR_A_WHILE = re.compile(_AWAY_FOR_A_WHILE)
# Said of the speaker without a subject: "Started at KPMG on Monday!", "Got engaged!".
NO_SUBJECT = re.compile(
    r"^(?:just |finally |recently |also )?[a-z]+(?:ed|ent|ew|ught|old|ook|ot)\b"
)
# A correction names the value it replaces; reconciliation supersedes the memory holding it.
CORRECTION = [
    re.compile(
        # "we changed his name from Flash to Biscuit", "cut down from four coffees to one"
        r"\b(?:switch(?:ed)?|move[ds]?|change[ds]?|went|gone|go|convert(?:ed)?|swap(?:ped)?|"
        r"cut (?:down|back)|dropped|upped|bumped|increased|decreased|reduced|upgraded|"
        r"downgraded|shifted)(?: (?!from\b)[\w']+){0,3} from (?P<old>[^,.;!?]+?) to\b"
    ),
    re.compile(r"\binstead of (?P<old>[^,.;!?]+)"),
    # "I'm no longer a nurse", "no longer afraid of flying": what follows the adjective.
    re.compile(
        r"\bi am no longer (?:an? |allergic to |afraid of |scared of |interested in |into |"
        r"a fan of |fond of |addicted to )?(?P<old>[^,.;!?]+)"
    ),
    # "My peanut allergy is gone".
    re.compile(
        r"\bmy (?P<old>[^,.;!?]+?) (?:allergy|intolerance) (?:is|has) (?:gone|over|"
        r"cleared up|disappeared|gone away)\b"
    ),
    # "I don't live in Paris anymore", "I'm not vegetarian any more", "I no longer drink
    # coffee": verbs of lasting states only, so "I don't have time anymore" names nothing.
    re.compile(
        r"\bi (?:do not|no longer) " + _STATE_VERBS + r" (?:in |at |for |with |an? |the |my )?"
        r"(?P<old>[^,.;!?]+?) (?:anymore|any more)\b"
    ),
    re.compile(
        r"\bi am not (?:interested in |into |a fan of |fond of |in |at |an? |the )?"
        r"(?P<old>[^,.;!?]+?) (?:anymore|any more)\b"
    ),
    re.compile(
        r"\bi no longer " + _STATE_VERBS + r" (?:in |at |for |with |an? |the |my )?"
        r"(?P<old>[^,.;!?]+)"
    ),
    # "Rex passed away", "my grandfather died last week": what was said of them is past.
    # After "my", only a person or a pet: "my phone died" ends nothing said about phones.
    re.compile(
        r"^(?:my|our) (?:\w+ )?(?P<old2>" + "|".join(FAMILY + PETS + RELATIONS) + r")"
        r"(?: (?!has\b|had\b|just\b|sadly\b)(?P<old>[a-z][\w'-]*))? (?:has |had )?(?:just )?"
        r"(?:passed away|died)\b"
    ),
    re.compile(r"^(?P<old>[a-z][\w'-]*) (?:has |had )?(?:just )?(?:passed away|died)\b"),
    # "John and I got divorced", "I broke up with Sam".
    re.compile(
        r"^(?P<old>[a-z][\w'-]*) and i (?:have |had )?(?:got divorced|split up|broke up|"
        r"separated)\b|\bi (?:have |had )?(?:just )?(?:divorced|broke up with|split up with|"
        r"separated from) (?:my \w+ )?(?P<old2>[a-z][\w'-]*)"
    ),
    # "The meeting is cancelled"; "I hurt my knee, so the half marathon is off" (a bare "is
    # off" only as a consequence: "my phone is off" ends nothing).
    re.compile(
        r"\b(?:the|my|our) (?P<old>[^,.;!?]+?) (?:is|has been|was) (?:now )?"
        r"(?:cancell?ed|called off)\b"
        r"|\b(?:so|now|sadly|unfortunately),? (?:the|my|our) (?P<old2>[^,.;!?]+?) is (?:now )?off\b"
    ),
    # "Stop replying in French, use German", "stop using emojis".
    re.compile(
        r"^(?:please )?(?:stop|quit) (?:\w+ing )?(?:in |with |me )?(?P<old>[^,.;!?]+?)"
        r"(?=[,.;!?]|$| and\b| instead\b)"
    ),
    # "I left Leeds" is a change; "I left Leeds for the weekend" is a trip.
    re.compile(
        r"\bi (?:have )?(?:completely |finally |just )?(?:moved on from|gone off|ditched|"
        r"sold|left(?!" + _AWAY_FOR_A_WHILE + r")|quit|dropped|burned out on|burnt out on|"
        r"got rid of) (?:the |my )?(?P<old>[^,.;!?]+)"
    ),
    re.compile(
        r"^(?:sold|ditched|left(?!" + _AWAY_FOR_A_WHILE + r")|quit|dropped) (?:the |my )?"
        r"(?P<old>[^,.;!?]+?)(?: and\b|[,.;!?]|$)"
    ),
    re.compile(r"\bi (?:think i am|am) over (?P<old>[^,.;!?]+)"),
    re.compile(r"\bdrop the (?P<old>[^,.;!?]+?)(?: style| thing)?\b(?=[,.;!?]|$)"),
    re.compile(
        r"\bi used to (?:insist on |love |like |prefer |have |drive |use )?"
        r"(?:an? |the )?(?P<old>[^,.;!?]+?),? but\b"
    ),
    # "Forget headings, from now on I'd prefer bullet points": the old value, then the new
    # one. Sentence-initial only, and followed by what replaces it, so "don't forget the
    # tickets" and "forget it" are not corrections.
    re.compile(
        r"^(?:forget|scrap|ditch) (?:about )?(?:the )?(?P<old>[^,.;!?]+?),\s*"
        r"(?:from now on|instead|these days|now)\b"
    ),
    # "No more bullet points please, write in prose."
    re.compile(r"^no more (?P<old>[^,.;!?]+?)(?: please)?(?=[,.;!?]|$)"),
    # "I pulled out of the Berlin marathon": a plan given up.
    re.compile(
        r"\b(?:i|we) (?:have |had )?(?:pulled out of|dropped out of|cancell?ed|called off|"
        r"gave up on|given up on|bailed on|backed out of) (?:the |my |our )?(?P<old>[^,.;!?]+)"
    ),
]
# -- completions --------------------------------------------------------------------------
# "I sent the report", "Booked the dentist for Tuesday": a deed in the past tense, which
# reconciliation matches against the commitments the user made (same verb, same object).
DENIED = re.compile(r"\b(?:not|never|no)\b")
COMPLETION = re.compile(
    r"^(?:(?:i|we) (?:have |had )?)?(?:(?:just|already|finally|now|also) )*(?P<verb>[a-z]+) "
    r"(?P<what>[^,.;!?]+)"
)
FORGET_EARLIER = re.compile(r"\b(?:forget|ignore|scrap) what i said\b|\bchange of (?:heart|plan)\b")
