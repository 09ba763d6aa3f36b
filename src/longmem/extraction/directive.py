"""Whether something said to the assistant is a standing instruction or a one-off request.

A standing instruction changes how every later reply is given ("always answer in French",
"keep answers short", "call me Sam", "stop apologising"). A request asks for one piece of work
("give me three tips about X", "write a poem about Y", "explain Z"), and is done once answered.
The difference is in the sentence's structure, not its verb alone:
- a marker of time that governs the assistant's doing ("from now on", "whenever", "always" at
  the head of the clause) makes it standing; "explain why cats always land on their feet" has
  "always" inside what is to be explained, which makes nothing standing;
- what is asked for decides: work with an object of its own (a poem, tips, a summary) is a
  request; the manner of the replies themselves (your answers, units, tone, how to address
  the user, what never to do) is an instruction.
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from longmem.core.text import verb_lemma

# What the assistant gives, one and all.
_OUTPUT = r"answer|reply|response|message|explanation|suggestion|recommendation|recipe|email"
_OUTPUTS = (
    r"answers|replies|responses|messages|explanations|suggestions|recommendations|recipes|"
    r"meal ideas|emails|code"
)
# What the assistant will give, named as a whole: "end every answer with a tl;dr", "one question
# per reply", "no meat in any food suggestions", "anything you suggest", "explain any jargon you
# use" (not asked: "any structure you recommend?").
_SCOPE = (
    rf"(?:every|each|per) (?:single )?(?:{_OUTPUT})|(?:in|for|with|to) (?:all|any) (?:of )?"
    rf"(?:your )?(?:future )?(?:\w+ )?(?:{_OUTPUTS})|"
    r"(?:anything|everything|whatever|(?<=\w )any \w+) you (?:suggest|recommend|give me|write|"
    r"send|make|cook|use|mention)(?![^.!]*\?)"
)
_OVER_OUTPUTS = re.compile(rf"\b(?:{_SCOPE})\b")
# Time that governs the assistant's behaviour wherever it stands in the sentence, unless what
# it governs is the user's own doing ("from now on I'll do it myself").
_FROM_NOW = re.compile(
    r"\b(?:from now on|from here on(?: out| in)?|going forward|moving forward|in (?:the )?future|"
    r"for (?:the )?future|for all future|by default|until i say otherwise|unless i (?:say|ask)|"
    r"(?:in|for) (?:all|every|each) (?:of )?(?:your |future )?"
    r"(?:answers?|replies|reply|responses?|messages?|conversations?|chats?)|"
    r"(?:all|any) (?:of )?(?:your )?(?:future )?(?:answers|replies|responses)|"
    rf"{_SCOPE}|"
    r"(?:,|\bnot|\bdo not|\bnever) ever|with me again|again with me)\b"
)
_USERS_OWN = re.compile(r"^,?\s*(?:i|we)\b")
# "Every time" closing a clause asked of the assistant governs its doing: "put code in
# markdown blocks please, every time"; "it crashes every time" and "I cry every time" ask
# nothing, and "every time I run" is a condition (`_CONDITION`).
_EVERY_TIME = re.compile(r"\b(?:every|each) (?:single )?time(?=\s*(?:[,.;:!?]|$))")

# A condition ("whenever I ask about code") makes standing what its main clause asks of the
# assistant; "every time I go running I get blisters" asks nothing.
_CONDITION = re.compile(
    r"\b(?:whenever|every time|each time|any ?time) (?:i|you)\b|"
    r"\bwhen (?:you (?:give|write|suggest|recommend|draft|send|answer|reply|explain|list|"
    r"make|help))\b|\b(?:when|if) i (?:ask|say|send|write|type|paste)\b"
)
_YOU = re.compile(r"\b(?:you|your)\b")
# Ways a clause opens before its verb: "please", "and", "can you", "I want you to".
_CLAUSE = r"(?:^|[,;:—–]\s*|\s-\s+|\b(?:and|but|please|so)\s+)"
# The assistant asked outright ("please", "can you", "I'd like you to"), then the softer
# openings a clause may also have.
_ASKING_YOU = (
    r"please|kindly|can you|could you|would you|will you|i want you to|i would like you to|"
    r"i need you to|i would prefer (?:if )?you|make sure (?:that )?you|"
    # "would be great if u always ...", "i'd love it if you ..."
    r"(?:it )?(?:would|will) be (?:great|nice|good|helpful|awesome|ideal|lovely) if you|"
    r"i would (?:really )?(?:like|love|prefer|appreciate) it if you"
)
_ASKING = _ASKING_YOU + r"|just|also|remember to|try to|you should|you must|feel free to"
_ASKED_OF_YOU = re.compile(rf"\b(?:{_ASKING_YOU})\b")
_OPENING = rf"{_CLAUSE}(?:(?:{_ASKING}|you can|you may)\s+)*"
# "Always"/"never" at the head of the assistant's clause: "please always cite sources", "and
# never use emoji"; not "why cats always land on their feet", nor "you can always look it up".
_ALWAYS = re.compile(
    rf"{_CLAUSE}(?:(?:{_ASKING})\s+)*(?:always|never|do not ever|don't ever) "
    r"(?!again\b)(?P<verb>[a-z]+)"
)
# What is asked of the manner of the replies, not a piece of work.
_MANNER_VERBS = (
    r"(?:do not|don't|never|stop|avoid|cut out|cut the|drop the|"
    # "you don't need to add the disclaimers anymore": stop adding them
    r"you (?:do not|don't) (?:need|have) to(?=[^.!?]*\bany ?more\b)|"
    # "keep going", "keep it up": carry on now, nothing about later replies
    r"skip the|keep(?! (?:going|it up|at it)\b)|be|stay|"
    r"(?:speak|talk)(?! (?:later|soon|tomorrow))|answer|reply|respond|"
    r"address|refer to me|call me|"
    r"use|stick to|stick with|switch to|go easy|format|spell|sign off|write (?:to me|in|like|"
    r"as|with|without|more|less|short|long|dates|numbers|times|amounts|your)|give me (?:your )?"
    r"(?:answers|replies|responses|shorter|longer|short|long|brief|more|less)|"
    r"tone (?:it|things) down|ease up|lay off|assume|treat me|bear in mind|remember (?:that )?i)\b"
)
_MANNER_VERB = re.compile(_OPENING + _MANNER_VERBS)
# Work with an object of its own: asked once, done once.
_TASK_VERBS = (
    r"(?:give|write|tell|explain|list|summari[sz]e|translate|draft|make|create|"
    r"find|show|recommend|suggest|help|plan|describe|compare|calculate|work out|proofread|"
    r"check|name|come up with|generate|compose|brainstorm|outline|rewrite|rephrase|edit|fix|"
    r"convert|design|teach|walk me through|sum up|look up|pick|choose|share|send|book|remind|"
    r"quiz|test|define|analy[sz]e|review|critique|estimate|predict|guess|recap)\b"
)
_TASK_VERB = re.compile(_OPENING + _TASK_VERBS)
# The replies themselves as an object: "give me shorter answers", "use bullet points in your
# answers", "write to me in Spanish".
_REPLIES = re.compile(
    r"\b(?:your|the) (?:answers?|replies|reply|responses?|messages?|tone|explanations)\b"
)
_REPLY_WORDS = re.compile(r"\b(?:answers?|replies|responses?|explanations?|emojis?|tone)\b")
_OWN_NEWS = re.compile(r"(?:i|my|we|our)\b")
_TO_ME = re.compile(r"\b(?:with|to) me\b(?! (?:about|how|what|why|when|where|which))")
# A piece of work pointed at ("this", "that", "it") is one-off whatever the verb: "use this
# photo", "keep it under 100 words" said of the poem just asked for.
_POINTED = re.compile(r"\b(?:this|that|these|those|it)\b(?! (?:way|kind|sort|style|tone))")
# "that" opening a relative clause points at nothing: "stop suggesting stuff that needs a car".
_DEMONSTRATIVE = re.compile(
    r"\b(?:this|these|those)\b(?! (?:way|kind|sort|style|tone))|"
    r"\bthat\b(?! (?:way|kind|sort|style|tone|is|are|was|were|has|have|had|needs?|uses?|"
    r"contains?|requires?|involves?|takes?|includes?|costs?|means?)\b)"
)


# The user's own words: "celiac, so I'm strictly gluten-free from now on", "my partner's going
# in five days a week from now on" are news; "from now on answer in French" asks.
# "Show me TypeScript from now on" is an order: the user as its object says nothing.
_SELF = re.compile(r"\b(?:i|my|we|our|for me|for us)\b")
_ASKED = re.compile(r"\bplease\b|\byou\b")


def _from_now(low: str) -> bool:
    # an order, before or after the time marker: "explain it to me like i'm 12 going forward",
    # "going forward reply in the language i write in"
    head = _FROM_NOW.match(low)
    rest = low[head.end() :].lstrip(" ,") if head else low
    ordered = bool(_TASK_VERB.match(rest) or _MANNER_VERB.match(rest))
    # the user's own words, unless the replies are their object: "im vegan so no meat in any
    # food suggestions"
    own_words = _SELF.search(low) and not _OVER_OUTPUTS.search(low)
    if own_words and not (ordered or _ASKED.search(low) or _REPLY_WORDS.search(low)):
        return False  # "... so from now on no meat recipes please" still asks
    for m in _FROM_NOW.finditer(low):
        after = low[m.end() :]
        news = _USERS_OWN.search(after) or _NEWS_AFTER.match(after)
        if ordered or not news or _YOU.search(low):
            return True
    return False


# Something else's news after the time marker, its subject and verb: "from now on the office is
# closed on fridays", "from now on my commute is 10 minutes".
_NEWS_AFTER = re.compile(
    r"^,?\s*(?:the|my|our|his|her|their|a|an)\b[\w' -]{0,30}?\b"
    r"(?:is|are|was|were|will|has|have|gets?|goes?|opens?|closes?|starts?|runs?)\b"
)


_NEGATION = re.compile(r"(?:do not|don't|never)$")
# The verb a negation governs and the few words after it, across a comma.
_NEXT_WORDS = re.compile(r"\s+([a-z@]+)((?:[\s,]+[a-z']+){0,4})")
# The user as the next subject: at once ("don't think I will"), or after a "but" ("don't
# laugh, but I ..."). Not "don't mention my ex" (an object), nor "don't give me bullet points,
# I much prefer paragraphs" (after a comma, the instruction explained).
_OWN_SUBJECT = re.compile(r"^[^,]*?\b(?:i|we)\b|\bbut (?:i|we|my|our)\b")


def _negated_order(low: str, manner: re.Match[str]) -> bool:
    """Whether a "don't" / "never" the manner pattern found is an order. Not "never again",
    "never left" or "never been married" (the user's past); not a negation whose clause turns
    at once to the user's own doing: "don't think I will" (its subject dropped), "don't laugh,
    but I do cold showers now", "don't hate me but we got a second cat" (a hedge before news).
    Still an order when what is negated is a manner of replying ("don't be formal but I want
    detail"), the replies are named, or the user goes on to ask ("... but I'd like you to")."""
    if not _NEGATION.search(manner.group()):
        return True
    following = _NEXT_WORDS.match(low, manner.end())
    if following is None:
        return True
    verb, rest = following.groups()
    if _said_in_passing(verb, rest):
        return False
    if verb == "again" or (manner.group().endswith("never") and verb_lemma(verb) != verb):
        return False
    own = _OWN_SUBJECT.search(rest)
    if own is None or _REPLY_WORDS.search(low):
        return True
    after = following.start(2) + own.end()
    return bool(_MANNER_VERB.match(low[manner.end() :].lstrip()) or _YOU.search(low[after:]))


# What chat says in passing with an order's words, to nobody's replies: "don't worry about it",
# "don't mind me", "dont even go there", "don't get me started on ...", "never say never",
# "always the same with my landlord" (no verb after "always"), "never a dull moment".
_IN_PASSING = frozenset("worry mind panic stress fret sweat judge laugh hate bother even".split())
_IDIOM = re.compile(r"^(?:get me started|go there|say never)\b")


def _said_in_passing(word: str, rest: str) -> bool:
    return (
        word in _IN_PASSING
        or not getAllLemmas(word, upos="VERB")
        or _IDIOM.match(f"{word}{rest}".strip()) is not None
    )


# "Never" before an auxiliary and its subject tells, as in "never have i ever been so tired".
_AUXILIARIES = frozenset("have has had do does did will would could can was were am is".split())
_INVERTED = re.compile(r"\s+(?:i|we|you|they|he|she|it)\b")


def _ordered(always: re.Match[str]) -> bool:
    """ "Always"/"never" before a verb's plain form orders ("never use emoji"); before a past
    form it tells ("never needed glasses", "never been married", "never cancels"), unless
    asked in the conditional ("i'd love it if you never used ...")."""
    verb = always.group("verb")
    rest = always.string[always.end() : always.end() + 40]
    if _INVERTED.match(rest) and verb in _AUXILIARIES:
        return False  # "never have i ever been this tired", "never did we think ..."
    # asked in the conditional, the verb takes its past form: "it'd be great if you always gave"
    supposed = " if you " in always.group()
    return (supposed or verb_lemma(verb) == verb) and not _said_in_passing(verb, rest)


# "No more bullet points please", "No jargon, please": asked of the replies; "No more 6am
# alarms ever again!" is the user's own news.
_NO_MORE = re.compile(r"^(?:please )?no (?:more )?\w+")


# A preference with no verb, one form against another or one form only: "celsius not
# fahrenheit please", "prices in eur please not dollars", "plain text replies only".
_CHOSEN_FORM = re.compile(
    r"^(?!(?:i|my|we|our|it|this|that|not|no)\b)[^,.;!?]{0,60}?"
    r"(?:\b[a-z0-9/.:-]+ (?:please )?not (?!(?:now|yet|really|sure|bad|today|again)\b)[a-z0-9/.:-]+"
    r"|\bonly(?: please)?$)"
)


# Forms a reply can take, named alone with a "please": "metric pls", "dates as dd/mm/yyyy pls",
# "24h time pls for everything".
_FORM = re.compile(
    r"\b(?:metric|imperial|celsius|fahrenheit|24 ?h(?:ou)?r?|12 ?h(?:ou)?r?|kilometres|"
    r"kilometers|km|miles|kg|kilos|lbs|grams|cups|ounces|euros?|eur|dollars|usd|gbp|"
    r"dd/mm(?:/yy(?:yy)?)?|mm/dd(?:/yy(?:yy)?)?|(?:uk|us|british|american) (?:english|spelling)|"
    r"plain text|markdown|bullet points|emojis?)\b"
)


# A form of the replies and what it should be: "dates should be day/month/year for me".
_FORM_SHOULD_BE = re.compile(
    r"^(?:the |all |your )?(?:dates?|times?|temperatures?|temps|units|measurements|prices|"
    r"amounts|currency|answers|replies|responses|code|spelling)\b[^,.;!?]{0,30}"
    r"\b(?:should|must|needs? to|has to|have to) be\b"
)


def _chosen_form(low: str) -> bool:
    """A form of the replies asked for with no verb: one against another ("celsius not
    fahrenheit please"), one only ("plain text replies only"), or one named with a "please"
    ("metric pls"); not "the recipe please", which names no form. Read up to the first comma:
    the reason often follows ("metric pls, im in germany and miles mean nothing to me")."""
    low = low.split(",", 1)[0].strip()
    if _FORM_SHOULD_BE.match(low):
        return True
    if len(low.split()) > 10 or _TASK_VERB.search(low) or _MANNER_VERB.search(low):
        return False
    if low.endswith("only") or "please" in low:
        return _CHOSEN_FORM.search(low) is not None or (
            "please" in low and _FORM.search(low) is not None and not _OWN_NEWS.match(low)
        )
    return False


# The pronouns to use of the user, named as a pair: "i use they/them", "she/her is fine".
_PRONOUNS = re.compile(r"\b(?:he/him|she/her|they/them|ze/zir|xe/xem|he/they|she/they)\b")


# Asked for this once, whatever the words: "for this one answer only, respond in french".
_THIS_ONCE = re.compile(
    r"\b(?:for )?this (?:one )?(?:answer|reply|response|message|time) only\b|"
    r"\b(?:just|only) (?:this|that) (?:once|time)\b"
)
# The replies' form named as what the user prefers: "my preference for answers is: short
# summary first".
_PREFERENCE = re.compile(
    r"\bmy preferences? (?:for|in|on|with) (?:your |the )?(?:answers|replies|responses|"
    r"explanations|formatting|format)\b"
)


def standing(low: str) -> bool:
    """Whether a lower-case sentence with contractions expanded is a standing instruction."""
    if _THIS_ONCE.search(low):
        return False
    if _chosen_form(low) or _PRONOUNS.search(low) or _PREFERENCE.search(low):
        return True
    if _from_now(low) or any(_ordered(m) for m in _ALWAYS.finditer(low)):
        return True
    if _EVERY_TIME.search(low) and _ASKED_OF_YOU.search(low):
        return True
    if _NO_MORE.match(low):
        return bool(_ASKED.search(low) or _REPLY_WORDS.search(low))
    task = _TASK_VERB.search(low)
    manner = _MANNER_VERB.search(low)
    if manner is not None and not _negated_order(low, manner):
        manner = None
    condition = _CONDITION.search(low)
    if condition and (task or manner or _YOU.search(low) or _ordered_after(low, condition)):
        return True
    if task and (manner is None or task.start() < manner.start()):
        # "give me three tips": work; "give me shorter answers": the manner of replies
        return bool(_REPLIES.search(low)) and not _POINTED.search(low)
    if manner is None:
        return False
    # "I've switched to Brighton, don't judge": news with an aside; but "i don't drive so stop
    # suggesting stuff that needs a car" gives its reason first
    aside = not manner.group().lstrip(" ,;:").startswith("so ")
    if manner.start() > 0 and aside and _OWN_NEWS.match(low) and not _REPLY_WORDS.search(low):
        return False
    # "keep it short" is about replies; "don't do that", "use these photos" point at one thing
    return not _DEMONSTRATIVE.search(low[manner.end() :]) or bool(
        _REPLIES.search(low) or _TO_ME.search(low)
    )


# The main clause after a condition often follows with no comma: "whenever i ask for a recipe
# always give grams not cups", "when i say 'quick q' just give me one line".
_ORDER = re.compile(rf"\b(?P<marked>(?:always|never|just) )?(?:{_TASK_VERBS}|{_MANNER_VERBS})")


def _ordered_after(low: str, condition: re.Match[str]) -> bool:
    """Whether an order follows a condition: marked ("always give"), or first after a
    condition that opens the sentence ("whenever i ask about prices give amounts in euros").
    Not a verb inside the condition of the user's own news: "my phone overheats whenever i use
    maps", "my bus is late every time i have somewhere to be"."""
    order = _ORDER.search(low, condition.end())
    return order is not None and (condition.start() == 0 or order.group("marked") is not None)


# Work asked for at the head of the sentence ("convert 350 fahrenheit to celsius", "could you
# write a limerick about ..."), not a verb that opens the user's news ("Name's Priya", "Plan
# is to move in June").
_WORK = re.compile(_TASK_VERB.pattern + r"(?=\s)(?!\s+(?:is|was|are|were|has|had)\b)")


def asks_for_work(low: str) -> bool:
    """Whether a lower-case sentence opens by asking the assistant for a piece of work: unless
    it is also a standing instruction (`standing`, which callers ask first), it says nothing
    about the user ("write a poem about my cat" is no fact about the cat)."""
    return bool(_WORK.match(low))
