"""Past and second-hand mentions: a crisis phrase about something that is over, in a message that asks for
information.

"I attempted suicide when I was 19; what do the articles say about ketamine for depression?" and "My uncle
took his own life years ago. What does the research say about alcohol use disorder?" hold crisis phrases,
but nobody in them is in danger now: they are informational questions from people with a history.  Sending
them to the crisis kind is a false refusal (issue 13).  They get their quotes, after the crisis lines.

A sentence that a crisis rule matched is **retrospective** when it, or the sentence after it, says the event
is over (a time well in the past, a death, a survival, "stable now"; for an overdose, a time or an ending
only) and it says nothing of now (tonight, again, still, just, want to, "I'm used to"...).  The engine
lowers such a crisis to an answer only when every crisis sentence is retrospective, their rules are not
about means, an emergency or a call for help, no rule finds a question of what to do, and the message asks
what the sources say, or about ketamine, treatment or research, with no "tonight", "today" or "again"
anywhere.  The crisis signal stays on, so the crisis lines come first.  The learned layer still judges the
whole message and every other sentence, and may raise the route again.
"""
from __future__ import annotations

from safety.rules.vocabulary import pattern

NAME = "answer.past_or_second_hand"  # the rule name a lowered route carries, for the referral counts

# The event is over.  WHEN: a time well in the past (not "last week": a recent crisis may not be over).
WHEN = (
    r"(?:\d+|a few|a couple of|some|many|two|three|four|five|six|ten) (?:years?|yrs?|decades?) (?:ago|back|before"
    r"|earlier)",
    r"years? ago|decades? ago|long ago|years back|back (?:then|when|in)|a long time ago|last (?:year|spring|summer"
    r"|fall|autumn|winter)|in (?:19|20)\d\d",
    r"when (?:i|he|she|they) (?:was|were) (?:\d+|a (?:kid|child|teen|teenager|student)|young|younger|little"
    r"|in (?:high )?school|in college|drinking|using)|at (?:age \d+|\d+ years old)|as a (?:kid|child|teen"
    r"|teenager|student)|in my (?:teens|twenties)",
    r"before (?:i|he|she|they) (?:got|was|were) (?:clean|sober|into)|before i was born",
    r"used to|in the past|history of|long behind me|behind me now|(?:\d+|two|three|four|five|six|ten) (?:years?"
    r"|yrs?) (?:clean|sober|in recovery|since|out|free)|(?:clean|sober|stable|free)(?: of it)? (?:for (?:\d+|two"
    r"|three|four|five|six|ten|many|a few|over a|a) (?:years?|yrs?|decades?)|since (?:19|20)\d\d|since (?:high school"
    r"|college|then))|(?:clean|sober) \d+ (?:years?|yrs?)|(?:was|were|in|stopped in|since) (?:19|20)\d\d"
    r"|a (?:long )?while ago|(?:for|in) years now|none for years|gone for years|in (?:my|his|her|their) (?:teens"
    r"|twenties|thirties|20s|30s|youth)|during (?:covid|grad school|college|high school)",
    # Spanish and Portuguese: "hace años", "cuando era"
    r"hace (?:\w+ )?(?:anos|decadas)|cuando (?:era|tenia) \w+",
)
# ENDED: how it ended for someone else (a death, a survival): over by its nature.
ENDED = (
    r"(?:he|she|they|who|my(?: \w+){1,3}) (?:died|passed away)|died (?:by|of|from)|took (?:his|her|their)"
    r" (?:own )?life|killed (?:himself|herself|themselves)|lost (?:my|a|our|his|her|their)(?: \w+){1,3} to"
    r" (?:suicide|an overdose|overdose|addiction)|funeral",
    r"(?:overdosed|attempt|attempted suicide) and survived|(?:thankfully |luckily )?(?:he|she|they) (?:lived"
    r"|survived|made it|pulled through)|survivor",
    r"murio|fallecio|morreu",
)
# RECOVERED: someone is well now.  Not enough for an overdose, which "I'm fine" may understate.
RECOVERED = (
    r"(?:is|am|are) (?:now |really |very )?(?:stable|doing (?:well|better|great)|in recovery|recovering)(?: now)?"
    r"|got (?:help|clean|sober|treatment)",
)
OVER = pattern(*WHEN, *ENDED, *RECOVERED)
OVER_FOR_OVERDOSE = pattern(*WHEN, *ENDED)

# ...unless it says anything of now.
NOW = pattern(
    r"right now|tonight|today|yesterday|last night|earlier|just|an? hours?|minutes?|this (?:morning|evening"
    r"|week|weekend|month)|again|still|lately|these days|anymore|every (?:day|night)",
    r"(?:want|wants|wanted|going|plan|planning|ready|about|need) to|gonna|wanna|keep (?:thinking|wanting|having)"
    r"|been (?:thinking|feeling|cutting|having)",
    r"(?:i am|im) (?:thinking|feeling|having|not ok|not okay|scared)|help me|please|cant|wanting"
    r"|(?:am|is|are|get|got|getting) used to",
    # Spanish and Portuguese
    r"quiero|quisiera|voy a|pienso|ahora|hoy|esta noche|todavia|otra vez|de nuevo|ya no|no puedo|ayuda"
    r"|quero|vou|agora|hoje|esta noite|ainda|nao (?:aguento|consigo)",
)

# Anywhere in the message, these say the danger may be now, whatever sentence holds the crisis phrase.
NOW_ANYWHERE = pattern(r"tonight|right now|today|again|esta noche|ahora mismo|hoy|otra vez|de nuevo|agora|hoje")

# The crisis rules whose phrases may speak of the past; never the ones about means, an emergency or a call for help.
LOWERABLE = frozenset({
    "crisis.self_harm_intent", "crisis.self_harm_act", "crisis.suicidal_thoughts", "crisis.overdose_now",
    "crisis.death_talk", "crisis.indirect", "crisis.other_language",
})

# The message asks for information: what the sources say, or a question about ketamine, treatment or studies.
ASKS = pattern(
    r"<INFO>",
    r"(?:what|which|how|does|do|did|is|are|can|could|has|have|why|where|when|who)(?: \w+){0,8} (?:<KET>|<THERAPY>"
    r"|depression|dissociation|relapse|cravings|alcohol|opioids?|naltrexone|methadone|buprenorphine|suboxone"
    r"|recovery|addiction|disorders?|aa|na|ptsd|anxiety|nmda|glutamate|receptors?|emdr|mechanism|side effects"
    r"|ssris?|antidepressants?|psychedelics?|psilocybin|brain|neuroplasticity|dissociative|anesthetic|narcan"
    r"|naloxone|withdrawal|sessions?|clinics?|insurance|cost)",
    r"que dicen|que (?:dice|muestran)|los (?:estudios|articulos)|o que dizem|os (?:estudos|artigos)",
)


def retrospective(sentence: str, after: str = "", rule: str = "") -> bool:
    """Whether a normalised crisis sentence (matched by ``rule``) speaks of a crisis that is over, and not of
    now; ``after``, the sentence that follows it, may say when it was ("I overdosed at a party. That was 15
    years ago.").  An overdose needs a time or an ending, not only "doing well"."""
    over = OVER_FOR_OVERDOSE if rule == "crisis.overdose_now" else OVER
    return (over.search(sentence) is not None or over.search(after) is not None) and NOW.search(sentence) is None


def asks_for_information(text: str) -> bool:
    """Whether a normalised message asks what the sources say, or about ketamine, treatment or research,
    and says nothing of tonight, today or again anywhere."""
    return ASKS.search(text) is not None and NOW_ANYWHERE.search(text) is None
