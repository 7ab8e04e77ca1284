"""Sentences MP letters use for each concern, for the training-letter generator.

Slots: {child} the child's first name, {he}/{his}/{him} and {He}/{His} pronouns, {parent}
the constituent as first named later ("Mrs Khan"), {school} the current school,
{req_school} a school asked for, {date} a recent date, {weeks} a number of weeks.
Several phrasings per concern, so the classifier learns the meaning, not one sentence.
"""

from __future__ import annotations

CONCERN_SENTENCES: dict[str, list[str]] = {
    "assessment": [
        "{parent} requested an Education, Health and Care needs assessment for {child} on {date} and has still not been told whether the council will assess.",
        "The school's SENCO applied for an EHC needs assessment in {date}, but the family has heard nothing, even though a decision should have been made within six weeks.",
        "The council has refused to carry out an EHCNA for {child}, and {parent} does not understand why when the school has provided so much evidence of {his} needs.",
        "{child} has been waiting for an educational psychologist to see {him} as part of the assessment for more than {weeks} weeks.",
        "{parent} was told the request for a statutory assessment had been declined at panel, without any explanation of the evidence considered.",
        "The six-week deadline for deciding whether to assess {child} passed some time ago.",
        "Could you tell me why the EP advice for {child}'s needs assessment has still not been completed?",
        "{parent} feels the assessment process has stalled because health advice has not been returned.",
    ],
    "plan_issue": [
        "The draft EHC plan was due by {date} but has still not been issued.",
        "{child}'s assessment finished months ago, yet {parent} has still not received a final plan, well beyond the 20-week statutory timescale.",
        "The family was promised the final EHCP before the start of term and it has not arrived.",
        "Following {child}'s review the council agreed to amend {his} plan, but no amended plan has been issued after {weeks} weeks.",
        "It is now more than twenty weeks since the request for assessment and there is still no EHC plan.",
        "{parent} is waiting for the finalised plan so that {child} can start at a new school.",
    ],
    "plan_content": [
        "{parent} believes that section F of {child}'s plan is vague and does not quantify the support {he} needs.",
        "The draft plan does not reflect the professional advice; the speech and language therapist's recommendations are missing from section F.",
        "The family disputes the description of {child}'s needs in section B, which they say is out of date and inaccurate.",
        "The plan says {child} will have 'access to' support but does not say how many hours or who will provide it.",
        "{parent} has asked for section I to be changed to name a specialist setting, and for the provision to be specified properly.",
    ],
    "annual_review": [
        "{child}'s annual review was held on {date}, but {parent} has not received the outcome, which should have been sent within four weeks.",
        "The annual review that was due in {date} has not taken place.",
        "{child} moves to secondary school next September and the phase transfer review has not yet been held.",
        "{parent} has been asking the school and the council for a date for the review meeting since the spring.",
        "The council has not issued its decision following the annual review, so the plan still describes {child} as {he} was two years ago.",
        "{child} is in Year 11 and the post-16 transition review has been postponed twice.",
    ],
    "placement": [
        "{parent} would like {child} to have a place at {req_school}, which can meet {his} needs, and the council has not yet consulted the school.",
        "{school} has told {parent} that it can no longer meet {child}'s needs, and the family is waiting for the council to find a specialist placement.",
        "The council has named a mainstream school in {child}'s plan against the family's wishes; they believe {he} needs a place at {req_school}.",
        "{child} has been without a suitable school place since {date}.",
        "The consultation with schools for {child}'s placement seems to have stalled, and no school has been named.",
        "{parent} has been told that there are no places at any special school in the area for {child}.",
        "The family has applied for {child} to move to {req_school}, an independent special school, and have heard nothing from the council.",
    ],
    "out_of_education": [
        "{child} has not attended school since {date} and is receiving no education at all.",
        "{child} is currently on a reduced timetable of just two hours a day, and has been for {weeks} weeks.",
        "Because of {his} anxiety, {child} has been unable to attend school for most of this term, and no alternative provision has been arranged.",
        "{child} has been out of education since {he} left {school} in {date}.",
        "{parent} has asked for education otherwise than at school (EOTAS) to be arranged, but nothing has happened.",
        "{child}'s emotionally based school avoidance means {he} has not been in a classroom since the Easter holidays.",
        "The school has placed {child} on a part-time timetable, and {he} spends most of each day at home with no work set.",
    ],
    "provision_delivery": [
        "The speech and language therapy specified in {child}'s plan has not been delivered since {date}.",
        "{child}'s plan says {he} should have one-to-one support throughout the school day, but the school says it has not received the top-up funding to provide it.",
        "The occupational therapy in section F of the plan has not taken place this year.",
        "{parent} has discovered that {child} has not been receiving the 1:1 support set out in {his} EHCP.",
        "The school says it cannot provide the SALT sessions in the plan because the council has not commissioned a therapist.",
    ],
    "transport": [
        "{child}'s home to school transport has been withdrawn, and {parent} cannot get {him} to school while also taking {his} younger sibling to another school.",
        "The council has refused {child}'s application for travel assistance, even though {he} cannot travel safely on public transport.",
        "The taxi that takes {child} to {school} has been cancelled twice this month without warning.",
        "{parent} was told that {child}'s transport would be arranged for the start of term, but nothing was in place on the first day.",
        "The passenger assistant on {child}'s minibus has been withdrawn, and {he} becomes very distressed on the journey without one.",
    ],
    "tribunal": [
        "The First-tier Tribunal (SEND) ordered the council to amend {child}'s plan on {date}, but the order has not been carried out.",
        "{parent} has lodged an appeal with the SEND Tribunal against the council's decision, and the hearing is listed for {date}.",
        "The family attended mediation in {date} and agreements were made, but none has been acted on.",
        "{parent} has been told that the council will not defend the appeal, yet the plan has still not been changed.",
    ],
    "communication": [
        "{parent} has emailed and telephoned the SEND team many times since {date} and has not had a reply.",
        "{parent} has not been allocated a caseworker and does not know whom to contact.",
        "The family was promised a call back by the end of last week, but nobody has been in touch.",
        "{parent} tells me that {his_parent} emails to the SEND team have gone unanswered for {weeks} weeks.",
        "It has been impossible for {parent} to get an update on {child}'s case.",
    ],
    "exclusion": [
        "{child} was permanently excluded from {school} on {date}.",
        "{child} has been suspended three times this term, each time because of behaviour linked to {his} unmet needs.",
        "The school has warned {parent} that {child} is at risk of permanent exclusion.",
        "{child} has been sent home early on several occasions and {parent} fears {he} will be excluded.",
    ],
    "complaint": [
        "{parent} made a formal complaint to the council on {date} and has not received a response.",
        "The family has now referred the matter to the Local Government and Social Care Ombudsman.",
        "{parent} has completed stage one of the council's complaints process and is dissatisfied with the response.",
        "{parent} intends to complain to the Ombudsman if the matter is not resolved.",
    ],
    "wellbeing_risk": [
        "{child}'s mental health has deteriorated sharply, and {he} has begun to self-harm.",
        "{parent} tells me that {child} has spoken about wanting to end {his} life, and CAMHS are now involved.",
        "The family is at breaking point: {parent} has had to give up work to care for {child}, and the situation at home is not sustainable.",
        "{child} is extremely distressed and the family fear for {his} safety.",
        "A social worker has raised safeguarding concerns about {child}'s situation at home.",
    ],
    "other": [
        "{parent} would like to know what support is available for {child} during the school holidays.",
        "{parent} has asked for information about the council's local offer for children with SEND.",
        "{parent} would like advice on personal budgets for {child}'s support.",
    ],
}

# Categories that make a referral urgent on their own (concerns.json `urgent_hint`).
URGENT_CATEGORIES = {"out_of_education", "wellbeing_risk"}

URGENT_EXTRAS = [
    "I would be grateful if you could treat this as a matter of urgency.",
    "Given the seriousness of the situation, I would ask that this is looked at urgently.",
]

NEEDS = [
    "{child} has autism and ADHD",
    "{child} has a diagnosis of autism spectrum condition",
    "{child} has Down's syndrome",
    "{child} has cerebral palsy and uses a wheelchair",
    "{child} has severe dyslexia and dyspraxia",
    "{child} has global developmental delay and is non-verbal",
    "{child} has significant social, emotional and mental health needs",
    "{child} has a hearing impairment",
    "{child} has complex medical needs and epilepsy",
    "{child} has a learning disability",
    "{child} has pathological demand avoidance and sensory processing difficulties",
]

NEEDS_TAIL = [
    " and has an EHC plan.",
    " and receives SEN support at school.",
    ".",
    ", and {his} needs are well documented.",
    ", and the school has been very supportive.",
]

REQUESTS = [
    "I would be grateful if you could look into this and let me know what action the council will take.",
    "Could you please review {child}'s case and let me know the position?",
    "I should be grateful for your comments on the points raised, and for a timescale for resolving them.",
    "Please could you investigate and provide me with a full response, so that I can update my constituent.",
    "I would appreciate it if you could look into {parent}'s concerns and reply to me at your earliest convenience.",
    "I look forward to hearing from you.",
]

MISROUTED = [
    ("housing repairs",
     ["{parent} has reported damp and mould in {his_parent} council flat several times since {date}, but no repairs have been carried out.",
      "The bathroom ceiling is now leaking into the kitchen, and the family has been told they must wait for a surveyor.",
      "{parent} would like to be moved to a larger property as the family is overcrowded."]),
    ("potholes",
     ["Residents of {street} have asked me to raise the condition of the road, which is full of potholes.",
      "One of them damaged a car tyre last month and {parent} has submitted a claim to the council.",
      "I would be grateful if the highways team could inspect the road and schedule repairs."]),
    ("council tax",
     ["{parent} has received a summons for council tax arrears which {he_parent} believes were paid in full in {date}.",
      "{parent} has bank statements showing the payments and has written to the revenues team twice."]),
    ("bin collections",
     ["The bins on {street} have not been collected for three weeks.",
      "{parent} reports that the recycling collection has been missed repeatedly since {date}."]),
    ("planning",
     ["{parent} objects to the planning application for a block of flats next to {his_parent} home on {street}.",
      "{parent} is concerned that the neighbours' objections have not been considered by the planning committee."]),
    ("adult social care",
     ["{parent} is the carer for {his_parent} elderly mother, whose care package was reduced in {date}.",
      "The family has asked for a new care needs assessment, and for respite care to be arranged."]),
    ("parking",
     ["{parent} received a parking penalty charge while displaying a valid blue badge on {street}.",
      "{his_parent_cap} appeal was rejected without, {he_parent} says, the evidence being considered."]),
]

# Sentences with capitalised words that are not the child: months, places, officials,
# professionals and buildings, so the recogniser learns roles, not "a capital letter".
# Slots: {official} {role} {doctor} {head} {month} {town} {child} {he} {his} {parent}.
DISTRACTORS = [
    "In {month}, {parent} was told that a decision would follow within a fortnight.",
    "Over the summer holidays things became much harder at home.",
    "Nobody from the council has explained what happens next.",
    "However, {parent} says that nothing has changed since then.",
    "That was in {month}, and there has been no news since.",
    "Since {month} the family has been waiting.",
    "{parent} spoke to {official}, the {role}, who promised to look into it.",
    "I understand from {official} ({role}) that the case is with the panel.",
    "{doctor}, {his} consultant paediatrician, has written in support.",
    "The headteacher, {head}, has told {parent} that the school is doing all it can.",
    "{head}, the SENCO at the school, has provided a detailed report.",
    "The family moved to {town} in {month} last year.",
    "Everyone involved agrees that {child} needs more help.",
    "Last {month} {child} began to struggle with the noise of the classroom.",
    "At the moment {child} is supported at home by {his} grandmother.",
    "On Monday the family received another letter from the council.",
    "Please note that {parent} works night shifts and prefers to be contacted by email.",
]
OFFICIAL_ROLES = ["SEND Service Manager", "Team Manager", "casework officer", "Head of SEND",
                  "SEND Officer", "Principal Educational Psychologist", "Transport Manager"]
COUNCIL_ADDRESSES = [
    "Merrion House\n110 Merrion Centre", "Civic Centre\nSilver Street", "Town Hall\nVictoria Square",
    "County Hall\nMartineau Lane", "Cunard Building\nWater Street", "Treasury Building\nCleveland Street",
    "Moorfoot Building\nMoorfoot", "Wallasey Town Hall\nBrighton Street", "PO Box 1234",
]
