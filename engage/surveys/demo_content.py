"""What the WMP2020 demo consultation asks, and the published figures its answers echo."""

from engage.surveys.models import QuestionKind

# (kind, prompt, help text, options for choice questions, share choosing each option)
# Options chosen on their own: ticking one unticks the rest.
EXCLUSIVE_OPTIONS = frozenset({"I do not want updates"})

WMP2020_QUESTIONS = [
    (
        QuestionKind.YES_NO,
        "Would you like to track the progress of an investigation online?",
        "For example, to see who is dealing with your report and what has happened so far.",
        None,
        (0.86, 0.08, 0.06),
    ),
    (
        QuestionKind.YES_NO,
        "Would you like to report non-emergency crime online?",
        "Non-emergency means no one is in danger and the crime is not happening now.",
        None,
        (0.86, 0.09, 0.05),
    ),
    (
        QuestionKind.YES_NO,
        "Would you like to report crime in your area online?",
        "",
        None,
        (0.78, 0.13, 0.09),
    ),
    (
        QuestionKind.AGREEMENT,
        "Police officers should wear body-worn cameras",
        "Cameras record what happens when officers deal with the public.",
        None,
        (0.62, 0.30, 0.04, 0.02, 0.02),
    ),
    (
        QuestionKind.MULTIPLE_CHOICE,
        "How would you like the police to contact you?",
        "Select all that apply.",
        ("Text message", "Social media", "A mobile app", "Email", "Phone call", "Letter"),
        (0.58, 0.41, 0.37, 0.55, 0.33, 0.12),
    ),
    (
        QuestionKind.YES_NO,
        "Would you like to get involved in preventing crime and anti-social behaviour (ASB) "
        "in your area?",
        "For example through Neighbourhood Watch, Street Watch or volunteering.",
        None,
        (0.87, 0.07, 0.06),
    ),
    (
        QuestionKind.MULTIPLE_CHOICE,
        "How would you like to be kept up to date?",
        "Select all that apply.",
        (
            "Social media",
            "Newsletters",
            "Local meetings",
            "The force website",
            "I do not want updates",
        ),
        (0.71, 0.62, 0.18, 0.35, 0.03),
    ),
    (
        QuestionKind.AGREEMENT,
        "The police should share data with partner agencies, such as councils and the NHS, "
        "to fight crime",
        "Only the information needed, and under the law.",
        None,
        (0.31, 0.40, 0.15, 0.09, 0.05),
    ),
    (
        QuestionKind.RATING,
        "How well does West Midlands Police keep you informed at the moment?",
        "1 is very poorly, 5 is very well.",
        None,
        (0.12, 0.20, 0.34, 0.24, 0.10),
    ),
    (
        QuestionKind.FREE_TEXT,
        "Is there anything else you would like to tell us about policing in your area?",
        "Do not include your name or anything that could identify you.",
        None,
        (0.35,),
    ),
]

DEMO_COMMENTS = [
    "Great idea to let people track their case online, I never know what is happening.",
    "Body cameras protect officers and the public, fully support them.",
    "Please bring back more bobbies on the beat, we never see anyone.",
    "Online reporting would save so much time compared with waiting on 101.",
    "Anti-social behaviour on our estate is terrible and nothing gets done.",
    "The officers who came after our burglary were kind and helpful.",
    "I worry about sharing personal data with too many agencies.",
    "Text updates would be really useful for older people who do not use apps.",
    "Speeding cars on our road are a constant danger to children.",
    "Happy to volunteer with Neighbourhood Watch if someone organises it.",
    "Response times are awful, waited hours for someone to arrive.",
    "Good to be asked. Please tell us what you actually change.",
    "More youth clubs would keep kids away from trouble.",
    "The local policing team does a brilliant job with very little.",
    "Drug dealing near the park is getting worse every month.",
    "An app is fine but keep the phone line for people who need it.",
    "I would like regular newsletters about crime in my ward.",
    "Not sure online reporting is safe for victims of domestic abuse.",
    "Street lighting is poor and makes people feel unsafe at night.",
    "Thank you for the roadshow, it was useful to talk to officers face to face.",
]

NEIGHBOURHOOD_QUESTIONS = [
    (
        QuestionKind.SINGLE_CHOICE,
        "Which should be the top priority for your neighbourhood team?",
        "",
        (
            "Anti-social behaviour",
            "Burglary",
            "Speeding and road safety",
            "Drug dealing",
            "Knife crime",
        ),
        (0.31, 0.19, 0.22, 0.17, 0.11),
    ),
    (
        QuestionKind.YES_NO,
        "Do you know who your local neighbourhood officers are?",
        "",
        None,
        (0.38, 0.55, 0.07),
    ),
    (
        QuestionKind.RATING,
        "How safe do you feel in your area after dark?",
        "1 is very unsafe, 5 is very safe.",
        None,
        (0.14, 0.22, 0.31, 0.23, 0.10),
    ),
    (
        QuestionKind.FREE_TEXT,
        "What one thing would make your neighbourhood feel safer?",
        "Do not include your name or anything that could identify you.",
        None,
        (0.2,),
    ),
]

# Three themes people raise (speeding, anti-social behaviour, knowing the local officers),
# each in several wordings, and a few comments on other things.
NEIGHBOURHOOD_COMMENTS = [
    "Speed cameras on our road, cars race past the school every morning.",
    "Stop the speeding cars on the main road, someone will be killed.",
    "Traffic calming, the speeding cars at night are dangerous.",
    "Cars speeding past the school, we need speed bumps.",
    "Deal with the gangs of youths and the anti-social behaviour outside the shops.",
    "Anti-social behaviour in the park every evening, youths drinking and shouting.",
    "Move on the youths causing anti-social behaviour near the flats.",
    "The anti-social behaviour by the shops makes older people scared to go out.",
    "Knowing who our local officers are and seeing them on the street.",
    "Local officers walking the street so we know their names.",
    "I have never met our local officers, a street meeting would help.",
    "See the local officers walking round, not just driving past.",
    "Better street lighting on the path to the station.",
    "Fix the broken CCTV in the car park.",
]

NEIGHBOURHOOD_OUTCOME = (
    "You told us anti-social behaviour and speeding mattered most, and that most people do not "
    "know their local officers. We did: every neighbourhood team now publishes its officers' "
    "names and a monthly 'you said, we did' update; ten new speed-watch schemes started; and ASB "
    "patrols were moved to the evenings when most reports come in."
)
