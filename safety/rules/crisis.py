"""Crisis rules: suicidal or self-harm intent, an overdose or emergency now, lethal means, indirect
statements, cries for help.  Each reads: name, what it catches, the phrasings, and what vetoes it."""
from __future__ import annotations

from safety.rules.vocabulary import GENERIC_ONLY, PAST, PAST_SELF, rule

RULES = (
    rule(
        "crisis.overdose_now",
        "an overdose or poisoning happening now, to the asker or someone with them",
        r"i (?:think |thought |might |may |probably |possibly |must )?(?:have )?(?:just )?(?:overdosed|overdosing)",
        r"(?:think|thought|guess|afraid|scared|worried) i (?:just )?(?:overdose|od)",
        r"i just (?:overdose|od)",
        r"i am (?:overdosing|overdosed)",
        r"(?:is|are|am|be|was) (?:overdosing|having an overdose)",
        r"(?:think|thinks|worried|scared|afraid|sure) (?:that )?(?:he|she|they|my \w+|we|someone|somebody)"
        r"(?: \w+)? (?:overdosed|is overdosing|has overdosed|took too much|had too much|did too much)",
        r"(?:he|she|they|we|my <REL>|someone|somebody) (?:just |has just |has |might have |may have )?overdosed",
        r"overdos(?:ed|ing) (?:right )?now",
        r"(?:i|he|she|they|we|my <REL>|someone|somebody|friend) (?:just |accidentally |may have |might have "
        r"|have |has )?(?:took|taken|had|did|done|used|snorted|drank|swallowed|injected|popped|ate)"
        r"(?: (?:way|far|much|a lot|probably|maybe))? (?:too much|too many|a whole bottle|the whole bottle"
        r"|an entire bottle|a bottle of|all (?:of )?(?:my|his|her|their|the)(?: \w+)? (?:pills|meds|medication"
        r"|tablets)|a handful of|a bunch of(?: \w+){0,2} (?:pills|tablets|xanax|xans|oxys?|percs|benzos|meds)"
        r"|double (?:my|his|her|the) dose)",
        r"(?:drank|swallowed|ate|took|drinking) (?:some |a bottle of )?(?:bleach|antifreeze|rat poison|poison"
        r"|drain cleaner)",
        r"(?:i|he|she|they|we|my <REL>) (?:think )?(?:was|were|got|have been|has been|am|is|are) poisoned",
        r"poison control",
        r"(?:took|had|did|used|snorted|drank|taken|swallowed)(?: (?:way|a lot|much|far|so much))? more than i"
        r" (?:should have|should|meant to|planned|usually do|was supposed to)",
        r"feel like (?:i am|he is|she is) (?:going to|about to) (?:pass out|faint|black out|die|stop breathing)",
        r"(?:i|we|he|she|they|my <REL>) (?:just )?(?:took|did|had|used|mixed|snorted|drank|smoked|injected)<w5>"
        r" and (?:now )?(?:(?:i|he|she|they|we) )?(?:(?:feel|feels|am|is|are|cant|keep|keeps|started|wont) )?"
        r"(?:(?:really|so|very|super|still) )?(?:sick|dizzy|faint|weird|strange|terrible|awful|numb|confused"
        r"|paranoid|throwing up|vomiting|passing out|like dying|like i am dying|shaking|twitching|jerking"
        r"|not making sense|incoherent|hallucinating|cold|clammy|blue|grey|gray|pale|stop shaking"
        r"|having trouble|struggling|not responding|unresponsive|losing consciousness|seizing)",
        r"feels? like (?:i am|he is|she is) (?:dying|going to die)",
        r"(?:took|taken|swallowed|ate|popped|downed) (?:my|his|her|the|a) (?:whole|entire|full) (?:prescription"
        r"|bottle|script|supply|pack|packet|month s supply|box)",
        r"(?:i|he|she|they|we|my <REL>) (?:just )?(?:took|swallowed|popped|ate|had|did|downed) (?:like |about "
        r"|over |around )?(?:[1-9]\d|\d{3,}) (?:\w+ )?(?:pills|tablets|xanax|xans|bars|oxys?|percs|benzos"
        r"|valium|tramadol|tylenol|lozenges|troches|sleeping pills|painkillers|gabapentin)",
        unless=r"^(?!.*\b(?:just|again|tonight|right now|today)\b).*(?:" + PAST + r")"
        r"|(?:signs?|symptoms?|warning signs?) (?:of|that|when) (?:someone|somebody|a person"
        r"|people|you)",
    ),
    rule(
        "crisis.medical_emergency",
        "emergency signs now: not breathing, blue lips, unresponsive, seizure, call 911",
        r"(?:isnt|wasnt|arent|not|barely|hardly|stopped|has stopped|have stopped|keeps stopping) breathing",
        r"(?:cant|can barely|can hardly|struggling to|unable to) breathe?(?! (?:through|out of) (?:my|his|her|the)"
        r" nose)",
        r"breathing (?:is |seems |looks |sounds |got |has gotten |went )?(?:really |very |so |super |kind of "
        r"|a bit |too )?(?:slow|slowed|shallow|weird|funny|strange|irregular|off|wrong|labou?red|raspy"
        r"|gurgling|rattly|noisy)",
        r"choking on (?:his |her |their |my )?(?:own )?vomit",
        r"(?:lips?|face|skin|fingers?|fingertips|fingernails?|nails|mouth) (?:(?:are|is|look|looks|have|has"
        r"|seem|seems|went|go|going|turning|turned|gone|getting|got) ){1,2}(?:kind of |a bit |really |very "
        r"|so |slightly )?(?:blue|purple|grey|gray|bluish|ashen)",
        r"blue lips",
        r"(?:is|are|keeps|started|turning|turned|gone|going|went) (?:blue|purple|grey|gray)(?! (?:light|screen|pill|pills))",
        r"unresponsive(?! to (?:treatment|therapy|medication|antidepressants|other|traditional|standard))",
        r"wont (?:wake|wake up|come to)",
        r"(?:not|isnt|wasnt) (?:waking up|coming to)",
        r"(?:he|she|they|my <REL>|someone|somebody) (?:is |was |has )?(?:not|isnt|wasnt|wont|stopped) "
        r"(?:responding|respond|moving|move)",
        r"cant (?:wake|rouse|get) (?:him|her|them|my \w+)(?: up| to wake| to respond)?",
        r"(?:is|are|was|went|been|has been|keeps) (?:passed out|unconscious|not moving|limp)",
        r"passed out and",
        r"(?:is|are|was|went|knocked|been) out cold",
        r"(?:passed out|collapsed|blacked out) (?:after|from|on) (?:<STREET>|a line|a bump|taking|doing|using"
        r"|snorting|drinking|mixing)",
        r"(?:and|but|still|now) (?:wont|isnt|not|cant|doesnt) (?:respond|responding|wake|waking|move|moving"
        r"|breathe|breathing)",
        r"(?:having|had|has|is having|started having|keeps having) (?:a |another )?(?:seizure|seizures|convulsions)"
        r"(?! (?:disorder|history|in the past|years ago|as a (?:child|kid)|when i was|once|before))",
        r"seizing|convulsing",
        r"seizures? (?:after|from|while) (?:using|taking|doing|snorting|drinking|ketamine|ket|my|his|her|the)",
        r"foaming at the mouth",
        r"(?:trouble|difficulty|problems|struggling|a hard time) breathing",
        r"(?:think|afraid|scared|worried) (?:that )?(?:my \w+|he|she|they|someone|somebody) (?:is|are) dying",
        r"(?:think|feel like|feels like|scared|afraid) (?:i am|he is|she is|they are) dying",
        r"i am dying(?= ?(?:$|[.?!,]|help|please|right now))",
        r"chest (?:pain|pains|is hurting|hurts|feels tight) (?:after|since|from|on|while)",
        r"(?:my|his|her) heart<w2> (?:racing|pounding|stopped)<w3> (?:after|since|from|on) "
        r"(?:<STREET>|using|taking|doing|snorting|my infusion|the infusion|my session|treatment)",
        r"(?:my|his|her) heart stopped",
        r"(?:should i |do i |i need to |need to |please )?call (?:911|999|112|000|an ambulance|emergency services)",
        r"(?:stuck|trapped) in a k hole",
        r"(?:get|getting|come|coming) (?:(?:him|her|them|me|myself) )?out of a k hole",
        r"(?:i am|he is|she is|they are) in a k hole (?:right )?now",
        unless=GENERIC_ONLY,
    ),
    rule(
        "crisis.self_harm_intent",
        "intent to die or to hurt oneself, said directly (also of someone close)",
        r"kill(?:ing)? (?:myself|himself|herself|themselves|themself|ourselves)",
        r"(?:end|ending|take|taking|took) (?:my|his|her|their) (?:own )?li(?:fe|ves)",
        r"(?:i|he|she|they|my <REL>)<w3> (?:commit|committing) suicide",
        r"(?<!dont )(?<!doesnt )(?<!didnt )(?<!never )(?<!not )(?:want|wants|wanted|wanting) to (?:die|be dead"
        r"|end it|end it all|end things|not exist|stop existing|not be alive|go to sleep forever)",
        r"(?:going|planning|plan|decided|ready|about|intend|intending|trying|tried|attempted) to (?:die|end it"
        r"|end it all|end things|do it tonight)",
        r"end it all",
        r"(?:end|ending) (?:everything|it all|things)(?! (?:with|for|between))",
        r"(?:i am|i will|ill|going to|gonna) end(?:ing)? it(?! (?:with|for|between))",
        r"(?:feel like|thinking about|thinking of|think about|want to|going to|ready to|about to) ending it"
        r"(?! (?:with|for))",
        r"(?:going to|want to|plan to|planning to|about to|i will|ill) (?:overdose|od)(?! (?:by accident"
        r"|accidentally))",
        r"wish(?:ing|es)? (?:i|he|she) (?:was|were|could be) dead",
        r"(?:i|he|she) (?:should|deserve to|deserves to|wish i could|wishes he could|wishes she could) (?:just )?die",
        r"better off dead",
        r"(?:i would|id|i d) rather (?:be dead|die|not be alive|not exist|not wake up|not be here)",
        r"(?:planning|plan|planned|preparing|prepared) (?:my|his|her) (?:suicide|death|overdose)",
        r"(?:please |someone |somebody |just )kill me|^kill me",
        r"(?:hang|hanging|shoot|shooting|drown|drowning|starve|starving|suffocate|suffocating) "
        r"(?:myself|himself|herself|themselves)",
        r"jump(?:ing)? (?:off|from|in front of) (?:a |the |my )?(?:bridge|building|roof|train|cliff|balcony"
        r"|overpass)",
        r"(?:overdose|overdosing) on purpose",
        r"(?:hurt|hurting|harm|harming) (?:myself|himself|herself|themselves|themself)",
        r"suicide (?:note|pact)",
        r"(?:my|his|her) (?:suicide|suicidal) (?:plan|attempt|note)",
        unless=GENERIC_ONLY,
    ),
    rule(
        "crisis.self_harm_act",
        "self-injury that is happening or has just happened (cutting, burning)",
        r"(?:cut|cutting|burned|burnt|burning|scratched|scratching|carved|carving|punched|punching) "
        r"(?:myself|himself|herself|themselves)",
        r"(?:i|he|she|they|my <REL>)(?: (?:have|has|had|been|am|is|was|keep|kept|started|start|still|also"
        r"|really|sometimes|often|always|used to|do|did|struggle with|struggling with|deal with|dealing with"
        r"|relapsed on|relapsed into|back to|again|engage in|engaging in|into|with)){0,3} self harm(?:ing|ed|s)?",
        r"(?:my|his|her) self harm(?:ing)?",
        r"(?:started|been|keep|kept|back to|relapsed on|relapsed into|urges? to) (?:cutting|self harming|self harm)",
        r"cuts (?:on|in) my (?:arms?|wrists?|legs?|thighs?)",
        r"(?:i am|i have been|been|started|i keep) cutting(?: myself)? (?:again|more|every day|daily|lately"
        r"|a lot)",
        r"slit(?:ting)? (?:my|his|her) wrists?",
        r"(?:cut|cutting|slashed|slashing) (?:my|his|her) (?:wrists?|arms?|legs?|thighs?)",
    ),
    rule(
        "crisis.suicidal_thoughts",
        "suicidal thoughts of the asker or someone close, in the present",
        r"(?:i|he|she|my <REL>)(?: (?:am|is|are|was|were|have|has|had|been|being|feel|feels|feeling|felt|get"
        r"|gets|getting|keep|keeps|having|experience|experiencing|experienced|struggle with|struggling with"
        r"|struggled with|deal with|dealing with|suffer from|suffering from|battle|battling|fight|fighting"
        r"|also|still|really|so|very|quite|pretty|kind of|a bit|a little|extremely|constantly|often|always"
        r"|sometimes|again|lately|recently|actively|passively|become|becoming|became|go|goes|went|started"
        r"|starting|start|these|some|with|more|increasingly|severely)){0,4} (?:suicidal|suicide (?:thoughts"
        r"|ideation|urges|feelings)|thoughts (?:of|about) (?:suicide|killing (?:myself|himself|herself)"
        r"|ending (?:it|my life|his life|her life)|dying|death|not being here|not wanting to live))",
        r"(?:my|his|her) (?:suicidal|suicide) (?:thoughts|ideation|feelings|urges|ideas|depression|tendencies"
        r"|episodes)",
        r"(?:i|he|she)(?: (?:keep|always|still|often|sometimes|constantly|have been|been|am|was|cant stop))*"
        r" (?:think|thinking|thought) (?:about|of) (?:suicide|killing (?:myself|himself|herself)|dying"
        r"|ending (?:it|my life|things)|overdosing|taking (?:all )?my (?:pills|meds|life)|hurting myself"
        r"|cutting)(?! (?:rates?|statistics|prevention|research|studies|risk))",
        r"^(?:so |very |really |feeling |feel |still )?suicidal(?: [.?!])?$",
        r"(?:i|he|she|they|my <REL>)(?: (?:is|are|was|has been|have been|been|keeps|keep|started|always|still))?"
        r" (?:talking|talks|talked|joking|jokes|joked|posting|posts|texting|threatening|threatens|threatened)"
        r" (?:about )?(?:suicide|killing (?:himself|herself|themselves|myself)|ending (?:it|his life|her life"
        r"|their life|my life)|wanting to die|not wanting to live|dying)",
        r"how (?:do|can|should|could) (?:i|we) (?:help|support|talk to|save|reach|stop)(?: (?:a|my))? (?:<REL>"
        r"|someone|somebody|loved one)(?: \w+)? (?:who is|that is|whos|who wants to|who keeps) (?:suicidal"
        r"|thinking about suicide|talking about suicide|self harming|cutting|die|kill)",
        r"(?:^|[.?!,] )(?:feeling|felt|been feeling|so|very|really|always|still) suicidal",
    ),
    rule(
        "crisis.lethal_means",
        "stockpiling pills, asking how much would kill, lethal doses, a rope or gun ready",
        r"(?:saving|saved|save|stockpiling|stockpiled|stockpile|hoarding|hoarded|hoard|collecting|collected"
        r"|stashing|stashed|building up) (?:up )?(?:all )?(?:of )?(?:my |his |her |some |a bunch of |enough "
        r"|extra |these |the )?(?:pills|meds|medication|medications|tablets|doses|ketamine|ket|lozenges"
        r"|troches|sleeping pills|painkillers|pain pills|oxys?|xanax|benzos|insulin|prescriptions?|opioids"
        r"|fentanyl|heroin)",
        r"enough (?:pills|meds|medication|ketamine|ket|xanax|oxys?|insulin|fentanyl|heroin|of (?:it|them"
        r"|these|my \w+)) to (?:kill|die|end|overdose|not wake|do it|be fatal|stop)",
        r"how (?:much|many)(?! (?:people|patients|americans|users|deaths|participants|subjects|individuals"
        r"|persons|adults|teens))<w5> (?:kill (?:me|myself|you|someone|a person|him|her|a human)|be fatal"
        r"|be lethal|be deadly|overdose|stop (?:a|my|your|the|his|her) heart|not wake up|never wake up"
        r"|end it|to die|die)(?! (?:deaths?|rates?|statistics|crisis|epidemic|risk|cases|numbers|from|of))",
        r"how (?:much|many)<w4> (?:is|are|would be|will be|could be) (?:lethal|fatal|deadly|enough to kill)",
        r"(?:going to|about to|plan to|planning to|want to|will|gonna) (?:take|swallow|down|use) (?:all|every one"
        r"|the rest) (?:of )?(?:my|the|his|her|these) (?:pills|meds|medication|medications|tablets|ketamine"
        r"|ket|lozenges|prescription|xanax|oxys?)",
        r"how much (?:(?:would|will|does|do) it take|to take|is needed|until|to) (?:to )?(?:kill|die|overdose"
        r"|stop (?:a|my|your|the) heart|not wake up|end it)",
        r"(?:lethal|fatal|deadly) (?:dose|doses|amount|quantity|level|overdose)",
        r"(?:bought|got|have|found|buying|loaded|holding|hiding) (?:a |the |my )?(?:gun|rope|noose|razor"
        r"|razors|blades?) (?:and|to|for|ready|today|tonight|so)",
        r"(?:tie|tied|tying) a noose",
        r"how (?:much|many)<w8> (?:need|needs|have|has|would have) to (?:take|use|swallow|inject|drink|snort) to"
        r" (?:die|be dead|overdose|not wake up|never wake up)",
        r"(?:car|engine) running in (?:the|a|my) (?:closed |shut )?garage|(?:sitting|sat|sit) in (?:my|the) car in"
        r" (?:the|a|my) (?:closed |shut )?garage",
        r"(?:pills|meds|bottle|gun|knife|razor|blade|rope|lozenges)(?: \w+){0,2} in my hands?",
        r"(?:sitting|standing|lying|here|holding|staring at)(?: \w+){0,2} (?:with |at )?(?:a |the |my )?(?:bottle"
        r"|handful|bunch|pile) of (?:\w+ )?(?:pills|tablets|meds|xanax|oxys?|ketamine)",
        r"(?:easiest|quickest|fastest|painless|painlessly|best|simplest|surest|least painful) (?:way|ways|method"
        r"|methods) to (?:die|kill myself|end it|end my life|commit suicide|overdose)",
        r"(?:how|ways?) to (?:die|kill myself|commit suicide|end my life)(?! (?:from|of|in))",
        r"(?:take|swallow|down|took|swallowed|downed) (?:every|all the) (?:pill|pills|tablet|tablets|med|meds)",
        r"(?:will|would|could|might|can) (?:i|he|she) die",
        r"(?:would|will|could) (?:it|that|this) kill (?:me|him|her)",
        r"(?:take|took|taking|use|do) (?:all|the whole|my whole|the rest) (?:of )?(?:my |the |his |her )?"
        r"(?:<STREET>|lozenges|troches|supply|stash|bottle|prescription) at once",
        r"(?:stash|stockpile|supply|collection|bunch|bottle) of (?:\w+ )?(?:pills|meds|medication|tablets|ketamine"
        r"|ket|oxys?|xanax) (?:ready|saved|hidden|set aside|put aside)",
    ),
    rule(
        "crisis.indirect",
        "indirect statements: no point, better off without me, goodbye, can't go on, disappear",
        r"(?:make|makes|making) (?:everything|it all|all of it|the pain|it|me|my life) (?:just )?(?:stop|end|go away)"
        r" (?:for good|forever|permanently|for ever)",
        r"dont see (?:the|any) point(?: \w+){0,2}? (?:anymore|any longer|in (?:living|life|anything|going on"
        r"|trying|carrying on|being alive|being here|continuing|getting up)|of (?:living|life|anything"
        r"|going on|trying|being alive|being here)|to (?:anything|life|living))",
        r"dont see (?:the|any) point(?= ?(?:$|[.?!,]))",
        r"(?:what is|whats) the point (?:of |in )?(?:living|life|anything|going on|being alive|being here"
        r"|carrying on|even trying|trying anymore|anymore)",
        r"no (?:point|reason|purpose) (?:for me )?(?:in |to |for )?(?:living|live|life|being alive|going on|carrying on"
        r"|keep going|be alive|be here|being here)",
        r"nothing (?:left )?to live for",
        r"(?:dont see|see no|cant see|cant find|dont have|have no|no longer see|no longer have) (?:a |any )?(?:reason"
        r"|point) to (?:keep going"
        r"|live|go on|carry on|be here|stay|wake up|keep living|get up|be alive)",
        r"(?:nobody|no one|noone) (?:would|will|is going to|going to) (?:even )?(?:miss me|care if i|notice if i)",
        r"(?:nobody|no one|noone) (?:even )?(?:cares?|would care) (?:if|whether) i (?:live|die|am alive|am dead"
        r"|disappear|was gone|were gone)",
        r"(?:life|living) (?:isnt|is not|aint|not) worth (?:living|it)",
        r"not worth living",
        r"i hate (?:my life|being alive|living|myself so much)",
        r"want out of (?:this life|life|this world)",
        r"(?:^|[.?!] )i am (?:so |just )?done(?= ?(?:$|[.?!]))",
        r"goodbye (?:everyone|everybody)(?= ?(?:$|[.?!,]))",
        r"(?:lost|losing|have no|no) (?:the |my )?will to live",
        r"(?:tired|sick|exhausted|done) (?:of|with) (?:living|life|being alive|existing|everything|it all)",
        r"better off (?:without me|if i (?:was|were|wasnt|werent|died|disappeared|was gone|were gone)"
        r"|with me gone|when i am gone|once i am gone)",
        r"(?:this is|saying|say|wanted to say) (?:my )?(?:final |last )?goodbye(?! to (?:alcohol|drinking|drugs"
        r"|opioids|opiates|heroin|ketamine|ket|cocaine|meth|pills|addiction|my addiction|using|smoking|cravings"
        r"|booze|the bottle))",
        r"goodbye (?:forever|cruel world|world)",
        r"(?:final|last) goodbyes?",
        r"cant (?:do (?:this|it|life)|go on|take (?:it|this|this pain|the pain|much more)|keep going|cope"
        r"|live like this|handle (?:it|this|life)|deal with (?:it|this|life)|carry on|keep doing this"
        r"|be here)(?: \w+){0,3}? (?:anymore|any longer|no more)",
        r"cant (?:go on|keep going|carry on)(?= ?(?:$|[.?!,]|like this|living|anymore|any longer))",
        r"cant (?:keep )?(?:living|live|going on|go on) like this",
        r"(?:would|will|does) (?:anyone|anybody) (?:even )?(?:notice|care|miss me)(?: if i (?:was|were|am|died"
        r"|disappeared|was gone|were gone|wasnt here))?",
        r"dont want to (?:be here|live|exist|be alive|wake up|go on|be around|keep living|continue living"
        r"|feel anything|do this)(?: \w+){0,2}? (?:anymore|any longer|no more)",
        r"dont want to (?:live|exist|be alive|wake up|be here)",
        r"(?:want|wanted|wish i could|wanna) (?:to )?(?:just )?disappear",
        r"wish i (?:was|were|had) (?:never been born|gone|not here|not alive|never born)",
        r"(?:go to sleep|fall asleep|sleep|rest) (?:forever|and (?:never|not) wake up)",
        r"(?:hope|hoping|wish) (?:i dont|i never|i wont) wake up",
        r"want (?:it|it all|everything|all of this|all this|this|the pain) to (?:end|stop|be over)"
        r"(?: \w+){0,2}? (?:forever|for good|permanently)",
        r"want (?:it all|everything) to (?:end|stop|be over)",
        r"no way out",
        r"i (?:just |really |honestly |simply )?cant (?:anymore|do it|do this|do life)(?= ?(?:$|[.?!,]))",
        r"(?:fine|okay|ok|alright|all right|better|happier|easier|better off) without me",
        r"(?:feel like|want|thinking about|think about|dream about|dreaming about) (?:just )?disappearing",
        r"disappear(?:ing)? (?:forever|for good|permanently)",
        r"(?:cant|dont|cannot) see (?:any |a )?(?:way forward|way out|future|light at the end|end to this|reason"
        r" to go on)",
        r"(?:end|at the end) of my (?:rope|tether)|(?:at|reached|hit) my breaking point",
        r"(?:not sure|dont know if|dont think|unsure if) i want to (?:live|be alive|be here|go on|keep going|exist"
        r"|keep living|wake up)",
        r"(?:dont think|not sure|dont know if) i can (?:keep going|go on|carry on|do this|take (?:it|this|much more)"
        r"|keep living|survive|make it)",
        r"(?:might|could|will|would|going to|gonna) do (?:something )?to myself",
        r"if i (?:just )?(?:died|was dead|were dead|wasnt here|wasnt alive|killed myself|disappeared|was gone"
        r"|were gone)",
        r"(?:dont|do not) care (?:if|whether) i (?:live|die|wake up)",
        r"(?:dont know|no idea) why i (?:even )?bother",
        r"(?:nothing|none of it|life|my life) (?:matters|means anything)(?! (?:more|as much|but|except|to the))",
        r"better off (?:gone|not here|not existing|not alive)",
        r"no hope (?:for me|left|anymore)",
        r"(?:i am|i feel|feeling) (?:so |completely |totally |just )?hopeless(?= ?(?:$|[.?!,]|and))",
        r"want (?:it|this|everything|it all|all of this|all this|the pain|my life) to be over",
        r"(?:everything|life|my life|it all|living) (?:feels|is|seems) (?:so |completely |totally )?(?:pointless"
        r"|meaningless|hopeless)",
        r"(?:in case|if) i (?:dont|do not) make it",
        r"(?:wrote|writing|written|left) (?:letters?|notes?) (?:to|for) (?:my|everyone|everybody)",
        r"(?:happier|better|easier) (?:off )?(?:without me|if i (?:wasnt|werent|was not|were not|was gone"
        r"|were gone|died|disappeared)(?: around| here| alive)?)",
        r"in a (?:really |very |so |super )?dark place",
        r"(?:i am|i feel like|i feel|i have become|i became) (?:just |such |nothing but )?(?:a |such a )?burden",
        r"giving away (?:all )?(?:my|his|her) (?:stuff|things|belongings|possessions|pets)",
        r"(?:wont|not going to|dont plan to|dont expect to) be (?:here|around|alive) (?:much longer|for long"
        r"|tomorrow|anymore)",
        r"(?:give|giving|given|gave) up on (?:life|living|everything|myself)",
        r"(?:this is|its|it is) the end for me",
        r"(?:wrote|writing|left|leave) (?:a |my )?(?:last|final|goodbye) (?:letter|note|message)",
        r"(?:i am|i feel) not safe (?:right now|tonight|alone|with myself|around myself)",
        r"dont feel safe (?:with|around) myself",
        r"(?:i am|i might|going to) (?:going to |about to )?do something (?:stupid|drastic)",
        unless=GENERIC_ONLY,
    ),
    rule(
        "crisis.help_seeking",
        "asks for a crisis line or cries for help",
        r"(?:suicide|crisis|suicide prevention) (?:hotline|helpline|line|number|text line)",
        r"(?:call|text|dial) 988",
        r"(?:someone|somebody) (?:please )?help (?:me|us)(?= ?(?:$|[.?!,]|please|now|i|we))",
        r"i need help (?:right now|now|immediately|urgently|asap)",
        r"(?:^|[.?!,] )(?:please |someone |somebody )?help(?: me| us)?(?: please)?(?= ?(?:$|[.?!]))",
        r"(?:^|[.?!,] )i need help(?= ?(?:$|[.?!]))",
    ),
    rule(
        "crisis.death_talk",
        "fallback: the asker speaks of their own dying, death or suicide in words the rules above miss",
        r"(?:i|me|myself)<w5> (?:die|dying|dead|suicide|suicidal|unalive)(?! (?:to (?:know|try|learn|hear|see"
        r"|find out|get)))",
        r"my<w5> (?:suicide|suicidal|unalive)",  # not "my phone is dying", "my plants keep dying"
        r"(?:die|dying|dead|suicide|suicidal)<w4> (?:me|myself)",
        unless=r"<INFO>|i (?:read|heard|saw|learned|have read|have heard)|dying to|(?:dying|die|died) of (?:curiosity"
        r"|embarrassment|boredom|laughter|laughing|shame|cringe)|(?:dont|do not|didnt)(?: really)? feel suicidal"
        r"|dead on my feet|dying (?:here|over here|laughing)|die for (?:my|a|the|some|this)|dead man if"
        r"|rather die than|(?:talk|talks|work|works|deal|deals|speak|speaks) (?:to|with) suicidal|suicidal (?:people"
        r"|patients|clients|callers)|see (?:suicide attempts|suicidal)"
        r"|dead (?:set|serious|tired"
        r"|wrong|end)|(?:died|death|suicide) of (?:my|a)|lost (?:my|a) \w+ to|(?:not|never|no longer|isnt|wasnt"
        r"|arent)(?: (?:been|feeling|feel|really|at all))? suicidal|(?:phone|battery|car|laptop|computer)"
        r"(?: is| was)? dead|suicide (?:prevention|awareness|rates?|risk|statistics|research|training|survivors?)|"
        + PAST_SELF,
    ),
)
