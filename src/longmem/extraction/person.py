"""First person to third: "I love espresso and prefer dark roast" -> "User loves espresso and
prefers dark roast". A stored memory is read later, in a prompt, beside the assistant's own
words, where "I" would be ambiguous. String rules around a lemmatiser (lemminflect, which
knows English's irregular verbs), no model: where a form is ambiguous ("I read", "I quit"), the
sentence keeps the user's own verb form rather than a wrong one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getInflection, getLemma

# Forms that take no -s after a third-person subject and that a lemmatiser does not treat as
# verbs: modals, and "are", which follows "I" only in a plural subject ("Mia and I are").
_INVARIANT = frozenset("will would can cannot could should must might may shall ought are".split())
# Adverbs that may stand between "I" and its verb: "I really love", "I never drink".
_ADVERBS = (
    r"(?:really|also|always|usually|often|never|just|still|only|recently|finally|actually|"
    r"absolutely|totally|honestly|mostly|rarely|sometimes|generally|basically|definitely|"
    r"genuinely|normally|mainly|hardly|seriously|truly|even|already|no longer|ever|"
    r"probably|literally|currently|barely|occasionally|typically)"
)
# Verbs that, after "and"/"but"/"or", continue a clause whose subject is the user: "I love
# espresso and prefer dark roast". A closed list: an open one would conjugate nouns.
_COORDINATED = frozenset(
    """
    prefer like love hate enjoy need want drink eat play go work live speak own use watch
    listen cook run walk swim visit call take make try get keep find feel think know
    have do avoid miss hope plan teach study practise practice collect wear drive ride
    support follow read write sing dance paint grow bake volunteer train am
    """.split()
)
_SUBJECT_VERB = re.compile(rf"\bI\s+((?:{_ADVERBS}\s+)*)([A-Za-z]+)\b")
_COORDINATION = re.compile(rf"\b(and|but|or|then)\s+((?:{_ADVERBS}\s+)*)([a-z]+)\b")
_PRONOUN = re.compile(r"\b(?:I|me|my|My|mine|Mine|myself|Myself|our|Our)\b")
_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:and|but|or|so|because|when|while|if)\b")


@lru_cache(maxsize=8192)
def conjugate(verb: str) -> str:
    """The third-person singular present of a verb given in the first person; past tenses
    ("promised", "sold", "quit") stay as they are. lemminflect knows the irregular forms."""
    lower = verb.lower()
    if lower in _INVARIANT:
        return verb
    lemmas = getLemma(lower, upos="VERB")
    if not lemmas:
        return verb
    lemma = str(lemmas[0])
    if (lower != lemma and lower != "am") or lower in getInflection(lemma, tag="VBD"):
        return verb  # already inflected: a past tense, most often
    present = getInflection(lemma, tag="VBZ")
    if not present:
        return verb
    form = str(present[0])
    return verb[:1] + form[1:] if verb[:1].isupper() else form


def past_lemma(word: str) -> str | None:
    """The base form of a verb in a past tense or participle ("sent" -> "send"); None for any
    other word, and for forms that are also the present ("put", "read"): ambiguous."""
    lower = word.lower()
    lemmas = getLemma(lower, upos="VERB")
    if not lemmas or lemmas[0] == lower:
        return None
    lemma = str(lemmas[0])
    past = (*getInflection(lemma, tag="VBD"), *getInflection(lemma, tag="VBN"))
    return lemma if lower in past else None


# "Mia and I are", "my sister and I have": a plural subject, whose verb stays as it is.
_COMPOUND = re.compile(
    r"(?:(?:^|[,;:]\s*)[A-Z][\w']*(?:\s+[A-Z][\w']*)*|\b(?:my|My|the|The|our|Our)\s+[\w']+)"
    r"\s+(?:and|or)\s*$"
)


def _first_name(person: str) -> str:
    return person.split()[0] if person.split() else person


def _subjects(text: str, person: str | None) -> str:
    def subject(m: re.Match[str]) -> str:
        adverbs, verb = m.group(1), m.group(2)
        before = text[: m.start()]
        if before.strip() == "":
            name = person or "User"
        else:  # "Fahim Khan loves learning, so when Fahim gets into ..."
            name = _first_name(person) if person else "the user"
        return f"{name} {adverbs}{verb if _COMPOUND.search(before) else conjugate(verb)}"

    return _SUBJECT_VERB.sub(subject, text)


def _coordinated(text: str, person: str) -> str:
    """Conjugates verbs joined to a clause that starts with the speaker as subject."""
    if not text.startswith(person + " "):
        return text

    def verb(m: re.Match[str]) -> str:
        before = text[: m.start()]
        # "User loves to cook and eat": the second verb is an infinitive too ("flies to Oslo
        # and teaches": a name after "to" is a place, not a verb).
        if m.group(3) not in _COORDINATED or re.search(r"\bto\s+[a-z]\w*\s*$", before.rstrip()):
            return m.group(0)
        if re.search(r"\b(?:he|she|they|we|you|it|the user)\b", before[len(person) :], re.I):
            return m.group(0)  # another subject came in between
        return f"{m.group(1)} {m.group(2)}{conjugate(m.group(3))}"

    return _COORDINATION.sub(verb, text)


def _pronouns(text: str, person: str | None) -> str:
    """my -> "the user's", or "their" right after the user as subject in the same clause;
    me -> "the user"; mine, our -> "the user's"; myself -> "themselves". A named speaker's
    name stands where "the user" would."""
    name = _first_name(person) if person else "the user"
    owner = f"{name}'s"
    out: list[str] = []
    last = 0
    for m in _PRONOUN.finditer(text):
        word = m.group(0)
        out.append(text[last : m.start()])
        last = m.end()
        said = "".join(out)
        if word.lower() == "my":
            key = (_first_name(person) if person else "user").lower()
            at = said.lower().rfind(key)
            tail = said[at + len(key) :] if at >= 0 else None
            # after "User grinds", not after "the user's dentist says"
            same_clause = (
                tail is not None and not tail.startswith("'s") and not _CLAUSE_BREAK.search(tail)
            )
            first = not said.strip() and person is not None  # "Fahim Khan's dog", in full
            out.append("their" if same_clause else f"{person}'s" if first else owner)
        elif word.lower() == "myself":
            out.append("themselves")
        elif word.lower() in ("mine", "our"):
            out.append(owner)  # "our cat": the user's household, told by the user
        else:  # "me", or an "I" no verb followed ("as tall as I")
            out.append(name)
    out.append(text[last:])
    return "".join(out)


def third_person(sentence: str, speaker: str | None = None) -> str:
    """'I love espresso' -> 'User loves espresso': memories read as statements about the user,
    or about the named speaker who said them ('Caroline loves espresso')."""
    text = sentence.strip().rstrip(".!;")
    text = _coordinated(_subjects(text, speaker), speaker or "User")
    text = _pronouns(text, speaker)
    return text[:1].upper() + text[1:]
