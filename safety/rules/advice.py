"""Advice rules: what the asker, or someone they name, should do (take, start, stop, dose, combine)."""
from __future__ import annotations

from safety.rules.vocabulary import rule

RULES = (
    rule(
        "advice.should_i",
        "asks whether the asker or someone they name should do something",
        r"(?:should|shall|ought) (?:i|we|you|my \w+|he|she|me|someone like me|a person like me)(?! (?:know|read"
        r"|expect|ask|understand|look for|look out for|be aware|keep in mind|learn))",
        r"(?:do you think|would you say|you think) (?:i|my \w+|he|she|we) (?:should|ought|could|can|need)",
        r"is it (?:wise|smart|a good idea|a bad idea|worth it|better|advisable|recommended)(?: for (?:me|my \w+"
        r"|him|her|us))? (?:to|if i|that i)",
        r"is (?:it|ketamine|this|that|ket|kat|ketamine therapy) (?:really )?worth (?:it|trying|a try|a shot"
        r"|the risk|the money)",
    ),
    rule(
        "advice.combine",
        "mixing or combining substances or medicines, or with the asker's treatment",
        r"(?:mix|mixing|mixed|combine|combining|take|taking|use|using|drink|drinking|drank|smoke|smoking"
        r"|have|having)<w3> (?:with|while on|while taking|while using|while|after|before|during|on top of"
        r"|alongside|together with|the same day as|and) (?:my|his|her|your)(?: \w+){0,2}? (?:<MEDS>|infusion"
        r"|infusions|session|sessions|treatments|appointment)",
        r"(?:can|could|should|may|do|is it ok to|is it okay to|is it safe to|if) (?:you |i |we |he |she )?(?:mix"
        r"|combine|take|use|drink|smoke)<w3> (?:with|and|while on|while taking|while using|on top of|after"
        r"|before)(?: \w+){0,2}? (?:alcohol|drinking|booze|beer|wine|weed|cannabis|marijuana|thc|cbd|benzos?"
        r"|xanax|valium|klonopin|ativan|opioids|opiates|suboxone|methadone|buprenorphine|naltrexone"
        r"|antidepressants?|ssris?|maois?|lithium|adderall|stimulants|coke|cocaine|mdma|molly|ketamine|ket"
        r"|esketamine|kratom|gabapentin|sleeping pills|meds|medication|medications|an infusion|infusion"
        r"|treatment|a session|seroquel|wellbutrin|zoloft|lexapro|prozac)",
        r"(?:mess|messes|interfere|interferes|interact|interacts|clash|clashes|react|reacts)(?: up)? with (?:my"
        r"|his|her) \w+",
        r"(?:safe|ok|okay|fine|dangerous|risky)(?: to (?:take|use|mix|have))? (?:with|while on|alongside) (?:my "
        r"|his |her )?(?:\w+ ){0,3}?(?:meds|medication|medications|pills|antidepressants?|ssris?|suboxone"
        r"|methadone|alcohol|benzos|opioids)",
        r"(?:ketamine|ket|k|esketamine|it) (?:be |is |get )?(?:taken|used|mixed|combined|given) (?:with|alongside"
        r"|while on|together with|after|before|and) (?:alcohol|drinking|booze|weed|cannabis|benzos?|xanax"
        r"|opioids|opiates|suboxone|methadone|antidepressants?|ssris?|maois?|lithium|adderall|stimulants|other drugs"
        r"|medications?|meds)",
        r"(?:mixing|combining) (?:ketamine|ket|k|esketamine) (?:and|with) (?:alcohol|drinking|booze|weed"
        r"|cannabis|benzos?|xanax|opioids|opiates|suboxone|methadone|antidepressants?|ssris?|maois?|lithium"
        r"|adderall|stimulants|coke|cocaine|mdma|other drugs|medications?|meds)",
    ),
    rule(
        "advice.is_it_safe",
        "asks whether something is safe, ok or right for the asker",
        r"(?:am i|is (?:he|she|my \w+)|are (?:we|they|my \w+)) (?:ok|okay|safe|fine|alright|good|cleared|allowed) to (?:start|take|use|try|get"
        r"|do|have|go on|begin|continue|mix|drink|switch|stop)",
        r"(?:is|would|will|could|might) it(?: (?:be|still|really|even|actually|also)){0,2} (?:ok|okay|safe|fine"
        r"|alright|all right|dangerous|bad|risky|harmful|allowed|a problem|unsafe|normal)(?: for (?:me|my \w+"
        r"|him|her|someone|you|a person|people|someone like me|us))? to(?: \w+)? (?:take|use|mix|combine|drink"
        r"|smoke|have|do|start|be on|go on|stay on|drive|eat|continue|keep|stop|quit|switch|try|get|breastfeed"
        r"|go back|come off|get off|taper|double|skip|feel)",
        r"(?:is|are|would|will|could|might) (?:it|ketamine|this|that|ket|kat|ketamine therapy|ketamine treatment"
        r"|the treatment|infusions|esketamine|spravato|treatment|therapy)<w2> (?:be )?(?:safe|ok|okay|dangerous"
        r"|risky|right|appropriate|suitable|a good idea|a good option|a bad idea|an option|good|bad|fine"
        r"|harmful|the right choice|the answer|effective)<w2> (?:for|to) (?:me|myself|my|him|her|us"
        r"|someone like me|a person like me|people like me)",
        r"(?:safe|ok|okay|right|good|appropriate|suitable|dangerous|risky|a good fit|a fit|the right choice"
        r"|an option|a good option|indicated|enough|too much|too little) for (?:me|myself|someone like me"
        r"|people like me|a person like me|my <REL>|him|her)",
        r"(?:better|best|safer|safest|worse)<w3> for (?:me|myself|my \w+|him|her)",
        r"is it (?:bad|ok|okay|normal|dangerous|safe|a problem|fine) (?:that|if) (?:i|my|he|she)",
    ),
    rule(
        "advice.suitability",
        "asks whether ketamine would work for, help, or suit the asker; candidacy",
        r"(?:am i|is my \w+|is he|is she|are we|would i be|could i be|would (?:he|she|my \w+) be|do i"
        r"|does (?:he|she|my \w+)) (?:a |an )?(?:good |suitable |right |ideal |possible |potential |appropriate "
        r"|likely |strong |bad |poor )?(?:candidate|fit|eligible|qualified|suitable|a match|right for|qualify"
        r"|meet the criteria)",
        r"(?:would|will|could|can|does|do|might|is) (?:ketamine|ket|kat|it|this|that|ketamine therapy"
        r"|ketamine treatment|ketamine infusions?|infusions|the treatment|treatment|therapy|esketamine|spravato"
        r"|this treatment|ketamine assisted therapy|ketamine assisted psychotherapy|kap)<w2> (?:help|work"
        r"|be effective|be helpful|benefit|cure|fix|heal|treat|stop|end|solve|get rid of|take away|reduce"
        r"|ease|do anything for|do something for)(?: (?:with|for|on))? (?:me|myself|my|him|her|us"
        r"|someone like me|people like me)",
        r"(?:ketamine|it|this|that|kat|ketamine therapy|treatment|therapy|infusions?|esketamine|spravato)"
        r"(?: \w+){0,2}? (?:work|works|worked|help|helps|helped) (?:for|on) (?:me|myself|my|him|her|us)",
        r"(?:ketamine|it|this|that|kat|ketamine therapy|treatment|therapy|infusions?|esketamine|spravato)"
        r"(?: \w+)? (?:could|would|will|can|might|may) (?:really |actually )?(?:help|work for|benefit|cure|fix"
        r"|heal) (?:me|my|him|her|us)",
        r"(?:make|cause|trigger|get) (?:me|him|her|my \w+) (?:to )?(?:relapse|use again|crave|addicted|hooked"
        r"|manic|psychotic|worse|sick|depressed|anxious|paranoid|high|hallucinate|dissociate)",
        r"(?:replace|substitute for|take the place of|instead of) (?:my|his|her) \w+",
        r"(?:make|help|get) (?:my|his|her)(?: \w+){1,2} (?:go away|stop|disappear|better|worse|easier|less)",
        r"(?:am i|is (?:he|she|my \w+)|are we) (?:too (?:old|young|sick|far gone)|old enough|young enough)",
    ),
    rule(
        "advice.dose",
        "how much or what dose for the asker; changing or skipping their dose",
        r"how (?:much|many)<w4> (?:should|do|can|could|would|will|must|shall|may) (?:i|we|you|my \w+|he|she"
        r"|one)(?: \w+){0,2}? (?:take|use|get|start|need|try|dose|be taking|be on|begin|increase|go up"
        r"|microdose|ask for|request|be prescribed|get prescribed|receive)",
        r"how (?:much|many)<w3> (?:to|should one) (?:take|use|start with|begin with|dose|microdose)",
        r"how (?:much|many)<w3> (?:is|are) (?:too (?:much|many)|safe|ok|okay)",
        r"what (?:dose|dosage|amount|strength|doses|mg|milligrams|level)<w3> (?:should|do|can|could|would|will"
        r"|must|shall) (?:i|we|you|my \w+|he|she)",
        r"(?:my|the right|a safe|the correct|the best|the ideal|the proper|a good|an appropriate|the appropriate"
        r"|a starting|the starting|what|which)(?: \w+)? (?:dose|dosage|amount) (?:for|of \w+ for|would be right"
        r" for|is right for) (?:me|my|him|her|myself|someone (?:like me|my size|my weight|who weighs|weighing"
        r"|of my))",
        r"(?:dose|dosage|dosing|amount|how much|how many)<w4> (?:for|if) (?:me|myself|someone like me"
        r"|someone my|someone who weighs|a person my|i weigh|i am \d+)",
        r"(?:i|he|she) (?:am|is|weigh|weighs) \d+ ?(?:kg|kgs|kilos|lbs|lb|pounds|stone)",
        r"is \d+(?:point\d+)? ?(?:mg|milligrams?|mcg|micrograms?|ml|g|grams?)(?: (?:kg|per kg|a day|per day"
        r"|daily|a week|per week|per session|each time))? (?:too much|enough|safe|ok|okay|a lot|dangerous"
        r"|too little|too high|too low|high|low|normal|a good dose|a high dose|a low dose|reasonable)",
        r"(?:double|increase|decrease|lower|raise|reduce|up|change|adjust|split|halve) (?:my|his|her|our)"
        r"(?: \w+)? (?:dose|dosage|doses|meds|medication|prescription)",
        r"(?:skip|miss|missed|skipped|forgot) (?:a|one|my)(?: \w+)? (?:dose|session|infusion|treatment)",
    ),
    rule(
        "advice.taper",
        "how to taper, wean, quit or come off something, for the asker",
        r"(?:taper|tapering|wean|weaning|come off|coming off|get off|getting off|go off|going off|kick|kicking"
        r"|detox|detoxing|withdraw|withdrawing)(?: (?:off|down|from|of|myself|himself|herself)){0,2} (?:my|his"
        r"|her|our|me|him)",
        r"(?:stop|stopping|quit|quitting|cut down|cutting down|cut back|cutting back|reduce|reducing|lower"
        r"|lowering|drop|dropping|discontinue|discontinuing)(?: (?:taking|using|on))? (?:my|his|her|our)"
        r"(?: \w+){0,2}? <MEDS>",
        r"(?<!about )(?<!say )(?<!says )(?<!on )how (?:do|should|can|could|would|will|to|fast|quickly|slowly"
        r"|soon)(?: (?:i|we|you|my \w+|he|she))?"
        r"(?: (?:safely|quickly|best|finally|ever|actually|really|just|even|possibly))? (?:taper|wean|come off"
        r"|get off|go off|quit|stop|detox|withdraw|cut down|cut back|kick)",
        r"(?:taper|tapering|weaning|detox) (?:schedule|plan|protocol|regimen)<w2> (?:for (?:me|my|him|her)"
        r"|should i|do i|would i)",
    ),
    rule(
        "advice.can_i",
        "asks whether the asker or someone they name can take, start, stop or get something",
        r"(?<!how )(?<!where )(?:can|could|may|am|do|would|will) (?:i|we|my <REL>|my \w+|he|she"
        r"|someone like me)(?: (?:still|safely|actually|just|also|even|legally|ever))? (?:be allowed to "
        r"|be able to |allowed to |able to )?(?:get|find|access|afford|buy|order|purchase)<META>",
        r"(?:can|could|may|am|do|would|will) (?:i|we|my <REL>|my \w+|he|she|someone like me)(?: (?:still"
        r"|safely|actually|just|also|even|legally|ever))? (?:be allowed to |be able to |allowed to |able to )?"
        r"(?:take|start|stop|try|quit|use|have|do|mix|combine|drink|smoke|go on|come off|get off|switch"
        r"|continue|keep|receive|begin|restart|resume|skip|double|increase|decrease|lower|raise|drive"
        r"|breastfeed|be on|stay on|go back on|taper|wean|join|qualify|benefit|handle|tolerate|need|relapse"
        r"|become addicted|get addicted|get hooked|be ok|be okay|be safe|be fine|get high|overdose|od|work"
        r"|go to work|go back to work|exercise|travel|fly|sleep|eat|go to school|study)<META>",
    ),
    rule(
        "advice.what_to_do",
        "asks what to do, for a recommendation, or for advice",
        r"what (?:should|do|can|could|would|shall|must|ought) (?:i|we)(?: \w+)? (?:do|try|take|use|say|tell)",
        r"what (?:would|do|should) you (?:do|suggest|recommend|advise|think i should)",
        r"what (?:are|is) (?:my|our|his|her) (?:options|next step|next steps|chances|best option|best bet)",
        r"(?:would|do|can|could) you (?:recommend|suggest|advise|prescribe)",
        r"(?:need|want|looking for|give me|get) (?:your |some |a |medical |professional )?(?:advice"
        r"|recommendation|guidance|second opinion)",
        r"(?:advise|counsel) me",
        r"tell me what to (?:do|take|try)",
        r"help me (?:decide|choose|figure out (?:what|whether|if))",
        r"(?:where|who) (?:should|do|can|could) (?:i|we) (?:go|turn|start|call|talk to|see|ask)",
        r"(?<!what )(?:do|should) i (?:need to )?(?:see|call|tell|ask|talk to) (?:a |my |the )?(?:doctor|psychiatrist"
        r"|therapist|gp|nurse|provider|sponsor)",
        r"what now(?= ?(?:$|[.?!,]))",
        r"what do you think(?= ?(?:$|[.?!,]| i should| about me))",
        r"how (?:can|do|should|could) (?:i|we) (?:make|get) (?:ketamine|ket|it|the treatment|treatment|therapy"
        r"|infusions?|my \w+)(?: \w+)? (?:work|last|more effective|effects? last)",
        r"what (?:would|will|happens|could) (?:happen )?if (?:i|we|my \w+|he|she) (?:stop|stopped|start|started"
        r"|quit|took|take|mix|mixed|drink|drank|skip|skipped|combine|combined|switch|switched|use|used|miss"
        r"|missed|double|doubled)",
        r"(?:talk|convince|persuade|get) (?:my|a|the) (?:doctor|psychiatrist|prescriber|gp|provider) (?:into|to) "
        r"(?:prescrib|giv|writ|let)\w*",
        r"i need help (?:quitting|stopping|getting off|coming off|with my|to quit|to stop)",
        r"am i (?:addicted|an addict|an alcoholic|dependent|hooked|a drug addict)",
        r"how (?:do|can|should|will) (?:i|we|my \w+|he|she) (?:stay|keep|remain) (?:sober|clean|abstinent|off)",
        r"how (?:do|can|would|will) i (?:know|tell) if (?:i am|i have|my \w+ is|he is|she is)",
        r"(?:where|how) (?:can|do|should|could) i (?:get|find) (?:help|support)",
    ),
    rule(
        "advice.applies_to_me",
        "asks whether what was said applies to the asker ('what about me')",
        r"(?:what|how) about (?:for )?(?:me|myself|in my case|my case|my <REL>|him|her|us)",
        r"(?:and|same|also|even) (?:for )?(?:me|myself)(?= ?(?:$|[.?!,]))",
        r"does (?:that|this|it|any of (?:that|this))(?: \w+)? apply to (?:me|my|him|her|us|someone like me)",
        r"in my (?:case|situation|condition|position|shoes)",
        r"(?:someone|people|a person) like (?:me|myself|my <REL>)",
        r"for someone (?:in my|with my|my age|my weight|my size)",
    ),
    rule(
        "advice.intent",
        "the asker states a plan to start, stop or try something (not an informational ask)",
        r"(?:i am|i have been|i was|we are|my <REL> is|he is|she is|i keep)(?: \w+)? (?:thinking|considering"
        r"|planning|going|about|deciding|debating|wondering whether|hoping|trying to decide|torn|weighing"
        r"|tempted|contemplating)(?: (?:of|about|on|to|whether|if|whether or not|to maybe|maybe|in)){0,2} "
        r"(?:take|taking|start|starting|try|trying|stop|stopping|quit|quitting|get|getting|do|doing|use|using"
        r"|switch|switching|begin|beginning|come off|coming off|go off|going off|go on|going on|taper|tapering)"
        r"<META>",
        r"(?:i am|i have been|i was|we are|my <REL> is|he is|she is|i keep)(?: \w+)? (?:thinking|considering"
        r"|deciding|debating|torn|weighing|tempted|contemplating)(?: (?:of|about|on|whether|if|between)){0,2}"
        r" (?:ketamine|ket|kat|esketamine|spravato|infusions?)",
        r"(?:i|we|my <REL>|he|she|id) (?:really )?(?:want|wants|would like|like|need|needs|plan|plans|intend"
        r"|intends|hope|hopes|decided|have decided|has decided) to (?:take|start|stop|try|quit|use|get off"
        r"|come off|go off|switch|begin|taper|wean|do ketamine|get ketamine)",
        r"(?:and|but|so|also|just) (?:want|need|plan|would like|hope) to (?:take|start|stop|try|quit|use|get off"
        r"|come off|go off|switch|begin|taper|wean)",
        r"(?:scared|afraid|nervous|worried|anxious) (?:to|about|of) (?:start|starting|try|trying|take|taking|stop"
        r"|stopping|quit|quitting|get|getting|come off|coming off|relapse|relapsing|getting addicted"
        r"|becoming addicted|getting hooked)",
        unless="<INFO>",
        veto_whole_text=True,
    ),
    rule(
        "advice.personal_context",
        "the asker's own situation plus an evaluative question ('i have ptsd, would it help')",
        r"(?:would|will|could|can|might|may) (?:it|ketamine|this|that|ket|kat|ketamine therapy"
        r"|ketamine treatment|the treatment|infusions?|esketamine|spravato|treatment|therapy)<w2> (?:help"
        r"|work|interact|affect|interfere|mess|trigger|worsen|cause|make \w+ worse|fix|cure|stop|reduce"
        r"|be safe|be ok|be okay|be dangerous|be risky|be right|be appropriate|be good|be bad|be effective"
        r"|be an option|be a problem|be helpful|be worth)",
        r"is (?:it|ketamine|this|that|ket|kat|ketamine therapy|ketamine treatment|the treatment|treatment"
        r"|therapy|esketamine|spravato)(?: \w+)? (?:safe|ok|okay|dangerous|risky|right|appropriate|a good idea"
        r"|a good option|an option|bad|worth|suitable|likely|going to help|going to work|normal|a problem"
        r"|too much)",
        r"is (?:that|this|it) normal",
        r"(?:what|how) about (?:ketamine|ket|kat|esketamine|spravato|it|that|this|ketamine therapy|infusions?"
        r"|trying ketamine|trying it)(?= ?(?:$|[.?!,]|for (?:him|her|me|them|us)|instead|then))",
        r"(?:will|would|could|might|can) (?:i|he|she|we)(?: \w+)? (?:relapse|get addicted|become addicted"
        r"|get hooked|be ok|be okay|be safe|be fine|be allowed|qualify|benefit|react|respond)",
        r"what (?:are|is) (?:the )?(?:chances|odds|risk|risks)(?: \w+){0,2}? (?:for|of) (?:me|my|him|her)",
        also=r"i am(?! (?:curious|wondering|asking|reading|looking|researching|writing|studying|trying to"
        r" (?:understand|learn|find)))"
        r"|i have(?! (?:(?:a|one|another|some|a few|few|two|more|a quick|quick) )?(?:questions?|query|queries"
        r"|doubts?|read|heard|seen|been reading|been wondering))"
        r"|i was(?! (?:reading|wondering|curious|told|looking|researching|searching|browsing|asking))"
        r"|i just(?! (?:read|saw|heard|found|learned|came across|wanted to know|want to know|wondered))"
        r"|i need(?! to (?:know|understand|find|read|learn))"
        r"|i dont(?! (?:know|understand|get|see why))"
        r"|i had|i take|i use|i used|i drink|i drank|i smoke|i been|i got|i struggle"
        r"|i suffer|i relapsed|i keep|i feel|i felt|i also|i still|i currently|i recently|i tried|i started"
        r"|i stopped|i quit|i cant|i live|i work|i get|i went|i did|i suffered|i struggled"
        r"|i overdosed|i detoxed|i failed|i weigh|i will"
        r"|my <REL> (?:is|has|have|takes|uses|drinks|smokes|struggles|suffers|was diagnosed|got|keeps|relapsed"
        r"|wants|needs|started|stopped|tried)"
        r"|my (?:addiction|drinking|cravings|depression|anxiety|ptsd|pain|withdrawal|recovery|use|habit|condition"
        r"|diagnosis|doctor|psychiatrist|therapist|meds|medication|prescription|dose|blood pressure|heart|liver"
        r"|pregnancy|history|symptoms)",
        unless="<INFO>",
        veto_whole_text=True,
    ),
)
