"""Refused rules: getting drugs illicitly, making them, recreational use, evading drug tests."""
from __future__ import annotations

from safety.rules.vocabulary import rule

RULES = (
    rule(
        "refused.illicit_supply",
        "getting drugs illicitly: buying, dealers, dark web, no prescription, selling",
        r"(?<!in )(?:buy|buying|bought|purchase|purchasing|order|ordering|score|scoring|cop|copping|source"
        r"|sourcing|pick up|picking up|get ahold of|get a hold of|get hold of|get my hands on|getting my hands on"
        r"|hook me up with|hook up with|smuggle|smuggling|import|importing)(?: (?:some|any|more|a|an|the|cheap"
        r"|good|pure|real|legit|bulk|liquid|powder|powdered|street|illegal|extra|gram|grams|g|half|ounce|oz"
        r"|bag|baggie|of)){0,3} <STREET>(?! <THERAPY>)",
        r"(?:where|how|who) (?:can|could|do|would|should|to|might|may) (?:i |we |you |one |someone |somebody "
        r"|a person |people )?(?:still |actually |easily |quickly |cheaply |safely )?(?:get|find|buy|score|cop"
        r"|grab|source|order|obtain|pick up|acquire)(?: (?:some|any|more|a|cheap|good|real|pure|street|illegal"
        r"|liquid|powder|powdered)){0,2} <STREET>(?! <THERAPY>| from (?:a|my|your) (?:doctor|psychiatrist"
        r"|clinic|provider|prescriber))",
        r"(?:who|where) (?:sells|is selling|sell|deals|has) <STREET>",
        r"<STREET> for sale",
        r"(?:place|places|spot|spots|site|sites|website|websites|app|apps) (?:to|where i can|i can|where to)"
        r" (?:get|buy|score|cop|find|order|pick up) (?:some )?<STREET>(?! <THERAPY>)",
        r"(?:cost|costs|price|prices|sell|sells|go|goes|worth)<w3> (?:on|in) the streets?",
        r"(?:get|buy|order|find|purchase|ship) (?:some )?<STREET> (?:online|off the internet|on the internet"
        r"|from the internet|by mail|in the mail|overseas|from china|from india)",
        r"(?:got|get|bought|buy|getting|buying) (?:some )?<STREET> (?:from|off) (?:a |my |this |some )?(?:friend"
        r"|buddy|guy|dealer|mate|someone|somebody|coworker|roommate|stranger|person)",
        r"(?:my )?(?:<REL>s|someone elses|somebody elses|another persons|other peoples) (?:leftover |extra |old )?"
        r"(?:ketamine|ket|pills|meds|medication|prescription|lozenges|troches|nasal spray|suboxone|methadone"
        r"|xanax|oxys?|adderall|esketamine|spravato)(?! <THERAPY>)",
        r"(?:gave|give|giving|sold|sell|shared|share) me (?:some )?(?:of )?(?:his|her|their) (?:ketamine|ket|pills"
        r"|meds|medication|prescription|lozenges|troches|suboxone|methadone|xanax|oxys?)",
        r"<STREET> (?:vendors?|suppliers?|sellers?|plugs?|connects?|dealers?)",
        r"(?:get|have|getting) <STREET> (?:shipped|delivered|mailed|sent)",
        r"(?:sells|ships|delivers|deliver) <STREET>",
        r"<STREET><w3> (?:from|at) (?:a |the |my )?(?:vet|vets|veterinarian|veterinary|vet clinic|animal hospital"
        r"|horse vet)",
        r"(?:street|black market) (?:price|value|cost|prices)",
        r"(?:price|cost|how much) (?:is |for |of |does |do )?(?:a |an |one )?(?:gram|g|ounce|oz|bag|baggie|point"
        r"|half|eighth)(?: of)? <STREET>",
        r"(?:drug|ket|ketamine|k|coke|a|my|good|reliable|local|trusted|new) (?:dealer|dealers|plug|plugs)",
        r"(?:dealer|plug|connect) (?:for|that sells|who sells|selling) <STREET>",
        r"dark ?web|darknet|dark net|deep web|silk road|onion (?:sites?|markets?|links?)|tor (?:markets?|sites?)"
        r"|telegram (?:plugs?|vendors?|channels?|dealers?)",
        r"(?:get|getting|buy|buying|obtain|obtaining|order|ordering|find|finding|purchase|source|score|take"
        r"|taking|use|using|try|trying|microdose|microdosing|dose|dosing|do|doing|self medicate"
        r"|self medicating)<w5> (?:without|with no|no) (?:a |any |an |the |my )?(?:prescription"
        r"|script|rx|doctor|doctors? (?:note|approval|visit)|seeing a doctor|going to a (?:clinic|doctor))",
        r"no (?:prescription|script|rx) (?:needed|required)",
        r"(?:steal|stealing|stole|swipe|swiping|nick|pinch|divert|diverting)<w3> (?:<STREET>|vials?|lozenges"
        r"|troches)",
        r"(?:fake|forge|forged|forging|faking|counterfeit|buy|buying|sell|selling) (?:a |an )?(?:prescriptions?"
        r"|scripts?|rx)",
        r"(?:write|make|draw up|print|create|forge) (?:me|us) (?:a |an )?(?:fake |forged |new )?(?:prescription|script|rx)",
        r"(?:write|make|draw up|print|create) (?:a |an )?(?:fake|forged|phony|bogus) (?:prescription|script|rx)",
        r"(?:fake|faking|exaggerate|exaggerating|lie about|lying about|make up)(?: (?:my|some|the|a))? "
        r"(?:symptoms|depression|pain|diagnosis|condition)<w4> (?:to get|for|so i can get|so i get"
        r"|to be prescribed)",
        r"(?:lie to|lying to|trick|tricking|fool|fooling|scam|scamming) (?:my |a |the |his |her )?(?:doctor|doc"
        r"|psychiatrist|prescriber|clinic|pharmacist|provider)",
        r"doctor shop(?:ping)?",
        r"(?:sell|selling|sold|resell|reselling|flip|flipping|trade|trading|share|sharing)(?: (?:my|some|the"
        r"|extra|leftover|spare|unused|his|her)){0,2} (?:<STREET>|prescription|script|lozenges|troches"
        r"|nasal spray|vials?)",
        unless=r"with (?:a|my|your|the) (?:prescription|script)|(?:at|from) (?:a |the |my )?(?:pharmacy|doctor|clinic"
        r"|prescriber|psychiatrist)",
    ),
    rule(
        "refused.manufacture",
        "making, synthesising or extracting drugs",
        r"<HOWTO>(?: \w+){0,2} (?:make|cook|synthesi[sz]e|produce|manufacture|brew|extract|crystalli[sz]e"
        r"|evaporate|dry|dehydrate|purify|refine|isolate)(?: (?:my own|your own|our own|homemade|some|pure|own"
        r"|liquid|powder|powdered|more|good|the|a|batch of|real)){0,2} (?:<STREET>|crystals?)(?! (?:therapy"
        r"|treatment|work|works|last|more|less|stronger|weaker|hit|kick|effective|better|safer|safe|worse"
        r"|affordable|accessible|available|cheaper|easier|harder|legal|illegal|part|an?|my|your|the|feel"
        r"|sessions?|infusions?|possible|useful|helpful|popular|help|fit))",
        r"(?:how|where) (?:is|are) <STREET> (?:made|synthesi[sz]ed|produced|manufactured|cooked|extracted)",
        r"(?:synthesi[sz]e|synthesi[sz]ing|synthesis of|synthesis route|synthetic route|precursors? (?:for|of|to)"
        r"|reagents? (?:for|to make)|recipe (?:for|to make)|chemicals? (?:needed |used )?to make)(?: \w+){0,2}? "
        r"<STREET>",
        r"<STREET> (?:synthesis|recipe|precursors?|extraction)",
        r"(?:homemade|home made|diy|home brewed|home cooked|bathtub|kitchen) <STREET>",
        r"(?:make|making|cook|cooking) <STREET> at home",
        r"(?:turn|convert|turning|converting) (?:liquid |the )?(?:<STREET>|vials?)<w2> (?:into|to) (?:powder"
        r"|crystals?|crystal)",
        r"(?:cook|cooking|cooked) (?:up )?(?:some |the |a batch of )?(?:<STREET>|vials?)",
    ),
    rule(
        "refused.recreational_use",
        "recreational how-tos: getting high, k-holes, party doses, snorting, stronger trips",
        r"(?:<HOWTO>|best|fastest|quickest|easiest|cheapest|strongest|safest)<w3> (?:get|getting|feel|feeling"
        r"|go|be) (?:really |super |more |so |the most |as |most )?(?:high|higher|stoned|wasted|fucked up"
        r"|messed up|lit|zooted|blasted|twisted|tripping|trippy|buzzed|faded|munted|mashed|gurning"
        r"|k holed)",
        r"(?:get|getting|got) (?:high|stoned|wasted|fucked up|messed up|lit|zooted|faded) (?:on|off|from|with) "
        r"(?:<STREET>|it|this|that|the lozenges|the spray)",
        r"(?:dose|dosage|amount|mg|much|many|bumps?|lines?|grams?|way|how)<w4> (?:for|to|into|reach|hit|get"
        r"|achieve|get into|go into|enter|fall into|in) (?:a |the |into a |into the )?k holes?",
        r"(?:reach|hit|achieve|get into|go into|enter|fall into|into|want|trying for|aim for) (?:a |the )?k holes?",
        r"<HOWTO><w2> k hole",
        r"(?:<HOWTO>|best|fastest|easiest|strongest)<w3> (?:trip|tripping|roll|rolling) (?:on|off) <STREET>",
        r"how (?:much|many)<w4> (?:for|at|before|to|during|on) (?:a |the |this |my |our |tonights )?(?:good "
        r"|great |nice |fun |big |strong |proper |decent |wild )?(?:party|parties|rave|raves|festival|festivals"
        r"|fest|club|clubbing|night out|big night|weekend|concert|gig|afterparty|after party|trip|have fun"
        r"|get high|get lit|get messed up|feel it|feel good|feel something|vibe|roll|go out)",
        r"(?:snort|snorting|snorted|sniff|sniffing|rail|railing|boof|boofing|plug|plugging|parachute|parachuting"
        r"|shoot up|shooting up|slam|slamming|bang|banging|smoke|smoking|vape|vaping|inject|injecting)"
        r"(?: (?:some|a|the|my|more|of|line|lines|bump|bumps|key|keys|pure|crushed|liquid|powder|powdered))"
        r"{0,3} (?:ketamine|ket|k|coke|cocaine|crack|heroin|meth|mdma|molly|tusi|pills|oxys?|percs|xans|xanax"
        r"|lozenges?|troches?|fentanyl|fent|it)",
        r"(?:key )?bumps? of <STREET>",
        r"(?:lines?|rails?) of <STREET>",
        r"key ?bumps?",
        r"(?:between|how many) (?:bumps|rails|lines of)",
        r"(?:dose|dosage|amount|how much|how many|mg)<w5> recreationally",
        r"(?:make|making|keep|keeping|prolong|prolonging|extend|extending|intensify|intensifying|boost|boosting"
        r"|enhance|enhancing|amplify|amplifying|potentiate|potentiating|maximi[sz]e|maximi[sz]ing)(?: (?:the"
        r"|my|a|this|your|ketamine|ket|k|its|it)){0,3} (?:high|trip|buzz|k hole|rush|visuals|hallucinations"
        r"|euphoria|come up|roll)",
        r"(?:last|stay|hit|kick in|work)(?: even)? (?:longer|harder|stronger|faster|more)<w3> (?:when|while|for"
        r"|during|at|on) (?:tripping|partying|high|a party|the party|parties|a rave|raves|a festival|festivals"
        r"|fun|a k hole|the trip|my trip|clubbing|rolling|the weekend|the club|a night out)",
        r"(?:stronger|better|harder|longer|bigger|more intense|crazier|deeper|nicer|smoother|cleaner) "
        r"(?:high|trip|buzz|k hole|rush|come up|euphoria)",
        r"trip (?:harder|balls|better|longer)|tripping (?:harder|balls)",
        r"(?:amount|dose|dosage|much|how many|bumps?|lines?)<w4> (?:for|as) (?:a )?(?:first timer|first time"
        r"|first time user|beginner|newbie|noob|lightweight)",
        r"(?:best|good|great|nice|strong|big|max|maximum|intense|proper) (?:high|buzz|k hole)",
        r"to get (?:high|stoned|wasted|fucked up|messed up|lit|zooted|faded)",
        r"(?:go well|goes well|go good|goes good|pairs? well|mix well|mixes well|combo|stack) with <STREET>",
        r"(?:take|do|try|use|dose|doing|taking|using|trying) (?:ketamine|ket|k|it|some|mdma|molly|coke|tusi)"
        r"<w2> (?:recreationally|for fun|to party|to trip|to get high|(?:at|for) (?:a |the )?(?:party|parties"
        r"|rave|raves|festival|festivals|club|clubs|night out)|on (?:the |a )?weekends?|on a night out|socially)",
        r"recreational(?:ly)? (?:dose|doses|dosage|dosing|amount|amounts|use tips|tips|guide|use guide"
        r"|use safely|user tips|how much)",
        r"(?:mix|mixing|combine|combining|stack|stacking|candyflip)<w4> (?:for|to get|to have) (?:a )?(?:better"
        r"|stronger|bigger|more intense|longer|nicer|crazier|deeper|good|great) (?:high|trip|buzz|effect"
        r"|experience|night|time|vibe)",
        unless=r"(?:doctors?|nurses?|clinicians?|providers?|physicians?|anesthesiologists?|anaesthetists?"
        r"|staff|hospitals?|clinics?|paramedics?|they)<w2> (?:inject|injects|injecting)"
        r"|why (?:do|would|does|did|are|is) (?:people|users|someone|folks|kids|teens|young people|ravers)",
    ),
    rule(
        "refused.drug_test_evasion",
        "beating, faking or passing drug tests; detection on a test",
        r"(?:pass|passing|beat|beating|cheat|cheating|cheat on|fool|fooling|trick|tricking|get past|get through"
        r"|getting past|get around|getting around|avoid|avoiding|dodge|dodging|mask|masking|fake|faking|fail"
        r"|failing|flunk|flunking|pop|popping|test clean on|come up clean on|be clean for)(?: (?:a|an|my|the"
        r"|his|her|this|that|upcoming|next|surprise|ordered)){0,3} <DRUGTEST>",
        r"(?:pass|beat|cheat|fool|trick|fail) (?:a |my |the |this |that |his |her )?(?:\w+ )?tests? (?:after"
        r"|with|on|if|while|when)<w3> <STREET>",
        r"(?:fake|synthetic|someone elses|somebody elses|substitute|powdered|borrowed|bottled|frozen"
        r"|my friends|a friends|dogs|kids) (?:urine|pee|piss)",
        r"(?:buy|get|use|need|where|find|borrow|order|sell|bring|carry|hide) (?:some |a bottle of )?clean"
        r" (?:urine|pee|piss)",
        r"whizzinator|monkey whizz|quick fix urine",
        r"(?:detox|cleanse|flush) (?:drinks?|kits?|shampoo|pills?|tea|products?)",
        r"dilut(?:e|ed|ing) (?:my |the |a )?(?:urine|pee|piss|sample)",
        r"(?:flush|flushing|clean|cleaning|clear|clearing|get|getting|detox|detoxing) (?:<STREET>|it|thc"
        r"|everything|this|that)<w2> (?:out of|from) (?:my|your|his|her|the) (?:system|body|urine|pee|blood"
        r"|hair)",
        r"(?:show up|shows up|showing up|detect|detects|detected|detectable|come up|comes up|turn up|appear"
        r"|appears|flag|flagged|be found|positive|register)<w4> (?:on|in|by|with) (?:a |an |my |the |his |her )?"
        r"(?:\w+ ){0,2}(?:tests?|screens?|screening|panel|ua|uds)",
        r"(?:will|would|could|can|does|do|might)<w3> (?:test|come up|show up|pop) positive",
        r"(?:detection|detectability) (?:window|windows|time|times|period)",
        r"false positives?",
        r"(?:mask|masks|masking|hide|hides|hiding|cover|covers|cover up|covers up|clear|clears|flush|flushes)"
        r"<w2> (?:<STREET>|it|drugs)<w2> (?:in|from) (?:my |your |the )?(?:urine|pee|piss|sample|blood|hair|system)",
        r"(?:before|ahead of|prior to) (?:my |a |the |his |her |this |next |upcoming )?<DRUGTEST>",
        r"<DRUGTEST> (?:detect|detects|pick up|picks up|catch|catches|find|finds|show|shows|screen for"
        r"|screens for|test for|tests for|look for|looks for)",
        r"detectable (?:in|on|by) (?:a |the |my |your )?(?:urine|pee|blood|hair|saliva|spit|tests?|screens?)",
        r"(?:i|we|he|she|my \w+)(?: \w+){0,2} (?:test|come up|come back|pee|piss) (?:negative|clean)",
        r"(?:get|have|give|produce|provide|submit|pass) (?:a )?clean (?:drug test|test|ua|sample|urine|screen"
        r"|<DRUGTEST>)",
        r"(?:hide|hiding|conceal|concealing|cover up|covering up|mask|masking)<w3> (?:from|on) (?:my |the |his "
        r"|her |a )?(?:probation|parole|po|officer|probation officer|parole officer|employer|boss|job|work|court"
        r"|drug test|test|screen|<DRUGTEST>)",
    ),
    rule(
        "refused.concealment",
        "hiding drugs or drug use, or getting them past police, parents, security or borders",
        r"without (?:getting caught|being caught|anyone (?:knowing|finding out|noticing)|(?:my|the) (?:parents"
        r"|family|wife|husband|partner|boss|po|probation officer|parole officer|police|cops) (?:knowing|finding out"
        r"|noticing))",
        r"(?:hide|hiding|conceal|concealing|stash|stashing|sneak|sneaking)<w3> (?:<STREET>|my stash|my use|drug use"
        r"|my drug use|it|them)(?: \w+){0,3} (?:from|past|in|into) (?:my |the |a )?(?:parents|mom|mum|dad|family"
        r"|wife|husband|partner|roommate|boss|work|school|police|cops|security|airport|tsa|customs|border"
        r"|festival|concert|venue|car|bra|room)",
        r"(?:bring|take|carry|sneak|smuggle|fly with|travel with)<w2> (?:<STREET>)<w3> (?:on|onto|through|past"
        r"|across|into) (?:a |the )?(?:plane|flight|airport|security|tsa|border|customs|festival|concert|venue"
        r"|club|prison|jail)",
        r"(?:get|getting|got) (?:<STREET>) (?:past|through) (?:security|tsa|customs|the border|the dogs|sniffer dogs)",
        unless=r"prescri\w*|my (?:lozenges|spray|nasal spray|prescription|medication|meds)",
    ),
    rule(
        "refused.detection_window",
        "how long a drug stays in the system, asked with a drug test in view",
        r"(?:how long|how many days|how many hours|how soon|when)<w6> (?:detectable|detected|in (?:my|your|his"
        r"|her|the) (?:system|urine|pee|blood|hair)|out of (?:my|your|his|her|the) (?:system|body)|show up"
        r"|stay in|leave (?:my|your|his|her|the) (?:system|body)|clear (?:my|your|his|her|the) (?:system|body)"
        r"|test (?:clean|negative))",
        r"(?:in|out of|leave|clear|from) (?:my|your|his|her|the) (?:system|body)<w4> (?:for|before|by"
        r"|in time for|ahead of)",
        r"(?:show up|shows up|come up|comes up|be detected|get detected|be found|test positive)",
        also=r"<DRUGTEST>|drug testing|drug tested|probation|parole|po|probation officer|parole officer"
        r"|court ordered|employer|pre employment|test (?:clean|negative|positive)|(?:pass|fail|beat) (?:a |my "
        r"|the |this )?tests?",
    ),
)
