"""Words that carry a crisis signal even in an informational question: suicide, self-harm, overdose.

A message that has one gets the crisis lines first, whatever its kind ("my brother died of an overdose
last year; what do the studies say about naloxone?" is answered, after the lines).  Over normalised text.
"""
from __future__ import annotations

import re

SIGNAL = re.compile(
    r"\b(?:suicid\w*|overdos\w*|self harm\w*|kill(?:ed|ing)? (?:myself|himself|herself|themselves)"
    r"|took (?:his|her|their|my) (?:own )?life|end(?:ed|ing)? (?:my|his|her|their) (?:own )?life"
    r"|(?:tried|attempted) to (?:die|end it|end my life)|cutting myself|cut myself|unalive"
    r"|wanted to die|want to die|lethal|fatal dose|sobredosis|me matar|matarme)\b"
)
