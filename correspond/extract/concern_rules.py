"""Phrases that show each concern category (see concerns.json), as regular expressions.

These are the first, rule-based version; the trained pipeline (models/) replaces the
scores but keeps the same categories.
"""

from __future__ import annotations

CONCERN_PATTERNS: dict[str, list[str]] = {
    "assessment": [
        r"\b(?:EHC|education,? health and care) needs assessment", r"\bneeds assessment",
        r"\brefus\w* to assess", r"\bassess(?:ment)? (?:request|refused|decision)",
        r"\brequest(?:ed)? (?:for )?an? (?:EHC|education,? health and care)\w* "
        r"(?:needs )?assessment",
        r"\bsix[- ]weeks?\b", r"\b6[- ]weeks?\b", r"\beducational psycholog\w+",
        r"\bEP (?:advice|report|assessment)",
    ],
    "plan_issue": [
        r"\b20[- ]weeks?\b", r"\btwenty weeks?\b", r"\bdraft (?:EHC )?plan\b",
        r"\bfinal (?:EHC )?plan\b",
        r"\b(?:EHCP|EHC plan|plan) (?:has )?(?:still )?not (?:yet )?been issued",
        r"\bwaiting for (?:the|his|her|their) (?:EHCP|EHC plan|plan)", r"\bamended plan",
        r"\bplan (?:was|is) (?:late|overdue|delayed)",
    ],
    "plan_content": [
        r"\bsections? [BFI]\b", r"\b(?:vague|unquantified|not specific|inaccurate)\b.{0,60}\bplan",
        r"\bplan\b.{0,60}\b(?:vague|unquantified|does not reflect|inaccurate|wrong)\b",
        r"\bdescription of (?:his|her|their) needs",
    ],
    "annual_review": [
        r"\bannual review", r"\bphase transfer", r"\breview meeting",
        r"\boutcome of the review",
    ],
    "placement": [
        r"\bplacement\b", r"\bspecialist (?:school|provision|setting|place)",
        r"\bindependent (?:special )?school", r"\bschool place\b", r"\bno (?:school )?place\b",
        r"\bnamed? (?:in|on) (?:the|his|her) (?:EHC )?plan", r"\bconsultation with schools",
        r"\bcannot meet (?:his|her|their) needs", r"\bcan no longer meet (?:his|her|their) needs",
        r"\bsecondary (?:school )?transfer\b", r"\bmove to secondary",
    ],
    "out_of_education": [
        r"\bout of (?:school|education)", r"\bnot (?:been )?(?:in|attending|attended) school",
        r"\bhas not attended school", r"\breduced timetable", r"\bpart[- ]time timetable",
        r"\bmissing education", r"\bschool refus\w+", r"\bEBSNA\b", r"\bEOTAS\b",
        r"\bemotionally based school (?:non-?)?attendance", r"\bunable to attend school",
        r"\bat home (?:all day|without (?:any )?education)", r"\bno education\b",
        r"\bout of (?:full[- ]time )?(?:school|education)", r"\bno school (?:place|to go to)",
        r"\b(?:has|have|had)(?:n't| not) been (?:to|in|at) school", r"\bstill (?:has )?no school\b",
        r"\bcannot attend school", r"\bnot in (?:school|education)\b",
        r"\bmissed (?:school|(?:\w+ )?(?:days|weeks|months|term)s? of (?:school|education))",
        r"\b(?:has|have|had)(?:n't| not) been able to (?:go to|attend|return to) school",
        r"\bwithout (?:a |any )?(?:school|education|suitable) (?:place|provision)",
        r"\b(?:weeks|months|terms?) (?:out of|off) school", r"\bstuck at home\b",
        r"\bno (?:suitable )?(?:education|school|placement) (?:at all|since|for)\b",
    ],
    "provision_delivery": [
        r"\bspeech and language therap\w+", r"\bSALT\b", r"\boccupational therap\w+",
        r"\b1:1\b", r"\bone[- ]to[- ]one support", r"\btop[- ]up funding",
        r"\bprovision\b.{0,40}\bnot (?:being )?(?:delivered|provided|in place)",
        r"\bnot (?:receiving|getting) the (?:support|provision)",
    ],
    "transport": [
        r"\b(?:home[- ]to[- ]school )?transport\b", r"\btravel assistance", r"\bbus pass",
        r"\btaxi\b", r"\bpassenger assistant",
    ],
    "tribunal": [
        r"\btribunal\b", r"\bmediation\b", r"\bappeal(?:ed|ing)? (?:to|with) the\b", r"\bSENDIST\b",
    ],
    "communication": [
        r"\bno (?:reply|response)", r"\bnot (?:had|received) (?:a |any )?(?:reply|response|update)",
        r"\bhas had no reply", r"\bunable to (?:reach|contact)", r"\bcannot (?:reach|get hold of)",
        r"\bcalls? (?:have not been|were not|are not) returned",
        r"\bemails? (?:have gone|went) unanswered",
        r"\bno one (?:has )?(?:replied|responded|got back)", r"\bchased\b",
        r"\bnobody (?:has )?(?:answered|replied|responded|got back|called)", r"\bheard nothing",
        r"\bhave had no (?:reply|response|answer)", r"\bphone line is always busy",
        r"\b(?:will|would) call (?:her |him |them )?back\b",
        r"\bnot (?:yet )?(?:had|received) a substantive (?:reply|response)",
        r"\b(?:rung|phoned|called) and emailed\b.{0,40}\brepeatedly",
        r"\bemailed\b.{0,40}\b(?:\w+ )?times\b",
        r"\bpromised (?:an? )?(?:update|call|reply)", r"\bno caseworker",
        r"\bemailed the SEND team several times",
    ],
    "exclusion": [
        r"\bexclu(?:ded|sion)\b", r"\bsuspen(?:ded|sion)\b", r"\bsent home from school",
    ],
    "complaint": [
        r"\bformal complaint", r"\bcomplaint\b", r"\bOmbudsman\b", r"\bLGSCO\b",
    ],
    "wellbeing_risk": [
        r"\bself[- ]harm\w*", r"\bsuicid\w+",
        r"\bmental health (?:has )?(?:deteriorat|crisis|declin)\w*",
        r"\bmental health\b.{0,40}\bdeteriorat\w+", r"\bcrisis\b", r"\brisk of harm",
        r"\bsafeguarding\b", r"\b(?:at|reached) breaking point", r"\bbreakdown\b",
        r"\bCAMHS\b", r"\bat risk of (?:harm|serious harm|exploitation)",
        r"\bend (?:his|her|their) life",
        r"\bhospital(?:ised)?\b.{0,40}\b(?:mental health|crisis|overdose)", r"\boverdose",
        # Harm at home, and a family that cannot go on.
        r"\b(?:been|was|were|got) (?:injured|hurt|assaulted)\b", r"\bseriously (?:hurt|injured)",
        r"\bA&E\b", r"\bcan(?:no|')t (?:go on|cope)\b", r"\btaken into care\b",
        r"\b(?:violent|violence|aggressive|aggression) (?:at home|towards|to (?:her|his|their))",
        r"\bnot safe\b", r"\bunsafe\b", r"\bin danger\b", r"\bwants? to die\b",
        r"\bhurt(?:ing)? (?:her|him|them)sel(?:f|ves)\b",
    ],
}

# A SEND matter that fits no category above; dropped when any other is raised.
CONCERN_PATTERNS["other"] = [
    r"\bshort breaks?\b",
    r"\bceas(?:e|ing|ed) (?:to maintain )?(?:the |his |her |their )?(?:EHC ?P?|EHC plan|plan)\b",
    r"\bpersonal budget", r"\blocal offer\b", r"\bdirect payments?\b", r"\brespite\b",
]

# Words that show a letter is about special educational needs or disability at all.
SEND_SIGNALS = [
    r"\bSENDI?\b", r"\bSEN\b", r"\bspecial educational needs?\b", r"\bdisabilit\w+",
    r"\bEHC\s*Ps?\b", r"\bEHC plan", r"\beducation,? health and care", r"\bSENCO\b",
    r"\bautis\w+", r"\bADHD\b", r"\bdyslexi\w+", r"\bdyspraxi\w+", r"\bcerebral palsy",
    r"\bDown'?s syndrome", r"\blearning difficult\w+", r"\bspeech and language",
    r"\bspecial school", r"\bneeds assessment", r"\bhome[- ]to[- ]school transport",
    r"\bsensory (?:needs|processing)", r"\bglobal developmental delay", r"\bASC\b", r"\bASD\b",
    r"\bPDA\b", r"\bsocial,? emotional and mental health", r"\bSEMH\b",
]

# A sentence that says the opposite, or only what might happen: "she is not at risk", "if
# nothing changes she may end up out of school". Neither makes a letter urgent.
NEGATED = [
    r"\b(?:is|are|was|were|am)(?:n't| not) (?:currently )?(?:at risk|in danger|unsafe|"
    r"self[- ]harming|out of (?:school|education))",
    r"\bno (?:immediate )?(?:risk|safeguarding concerns?|danger)\b",
    r"\bnot (?:suggesting|saying|claiming|implying)\b",
    r"\bthere (?:is|are) no (?:suggestion|concerns?) (?:that|about|of)\b",
    r"\bno longer (?:at risk|out of (?:school|education)|on a reduced timetable)",
]
HYPOTHETICAL = [
    # "If this is not resolved she may end up out of school" (not "grateful if you could").
    r"\bif (?:this|it|nothing|things|the (?:situation|council|matter|placement)|she|he|they|"
    r"no\b|[A-Z][a-z]+ (?:is|does|can))[^.]{0,100}\b(?:may|might|could|will|would)(?: well)? "
    r"(?:end up|be|become|lead|result|fall|have to|need|lose|stop|drop)",
    r"\b(?:may|might|could) (?:well |soon |eventually )?(?:end up|become|lead to|"
    r"result in|fall)\b",
    r"\b(?:fears?|worr(?:y|ies|ied)|afraid|concerned)\b.{0,60}\b(?:may|might|could|will|would)\b",
    r"\b(?:will|would|may|might|could) (?:soon |eventually )?(?:end up|be left)\b",
    r"\b(?:is|are) (?:likely|set) to (?:be|end up|lose)\b",
    r"\bin danger of (?:being|losing|falling|becoming)\b",
    r"\brisk of (?:being )?(?:out of (?:school|education)|losing (?:her|his|their) place|"
    r"falling out of)",
    r"\b(?:unless|otherwise)\b.{0,80}\b(?:may|might|could|will)\b",
]

CHASER_SIGNALS = [
    r"\bfurther to my (?:previous )?(?:letter|email|correspondence)", r"\bI wrote to you\b",
    r"\bmy (?:previous|earlier|last) (?:letter|email|correspondence)",
    r"\bstill (?:not )?(?:received|had) (?:a )?(?:reply|response) to my",
    r"\bchas(?:e|ing) (?:up )?(?:my|a|the) (?:previous )?(?:letter|email|enquiry)",
    r"\bfollow(?:ing)?[- ]up (?:to|on) my", r"\byour (?:reply|response|letter) of\b",
    r"\bI am chasing\b", r"\bchaser\b", r"\bstill awaiting (?:a |your )?(?:reply|response)",
    r"\bwriting (?:to you )?again\b", r"\bthank you for your (?:letter|reply|response) of\b",
]

# Topics of post that reaches the SEND team by mistake: other services' business.
MISROUTED_SIGNALS = [
    r"\bcouncil tax\b", r"\bplanning (?:application|permission|committee|officer)",
    r"\brepairs?\b", r"\bdamp\b", r"\bmould\b", r"\bpotholes?\b", r"\bbins?\b",
    r"\brefuse collection", r"\brecycling\b", r"\badult social care\b", r"\bday centre\b",
    r"\bcare package\b", r"\bparking\b", r"\bpenalty charge",
    r"\bhousing (?:register|options|benefit)",
    r"\bhighways?\b", r"\bnoise nuisance", r"\bbenefits? (?:claim|appeal)",
]
# An adult: SEND covers children and young people up to 25.
ADULT_AGE = r"\b(?:who is|aged|age) (?:2[6-9]|[3-9]\d)\b|\b(?:2[6-9]|[3-9]\d)[- ]year[- ]old\b"

# The letter is addressed to another service, or headed with its business.
ADDRESSED_ELSEWHERE = (
    r"^[ \t]*(?:Development Management|Planning(?: Services| Department| application\b)|"
    r"Highways|Housing (?:Services|Options|Repairs|Management)|Revenues|Council Tax|"
    r"Adult Social Care|Director of Adult|Waste (?:Services|Management)|Environmental Health|"
    r"Parking Services)"
)
# Words only SEND casework uses: a letter with them is SEND whoever it was sent to.
SEND_PROCESS = (r"\bEHC|\beducation,? health and care|\bneeds assessment|\bSEND (?:team|service|"
                r"caseworker|officer)|\bSENCO\b|\bspecial educational needs")
