"""What the #WMP2020 demo campaign asked each day, and the kinds of reply it drew."""

# (index of the WMP2020 consultation question it asks, the force's post)
DAILY_POSTS = [
    (3, "Day 1 of #WMP2020: how comfortable are you with officers wearing body-worn cameras?"),
    (1, "Day 2 of #WMP2020: would you report non-emergency crime online rather than call 101?"),
    (4, "Day 3 of #WMP2020: would you like us to contact you by text, social media or an app?"),
    (5, "Day 4 of #WMP2020: would you get involved in keeping your neighbourhood safe?"),
    (0, "Day 5 of #WMP2020: would you like to track your investigation's progress online?"),
    (2, "Day 6 of #WMP2020: would you report crime in your area online?"),
    (6, "Day 7 of #WMP2020: how would you like to be kept up to date? Newsletters, social media?"),
]

SUPPORTIVE = [
    "Yes, absolutely. Great idea {tag}",
    "Definitely yes, it would make things so much easier {tag}",
    "Brilliant, about time! {tag} #policing",
    "Yes please, this would be really helpful for working people {tag}",
    "Love this idea, happy to help {tag} #community",
    "Good idea, cameras protect officers and the public {tag} #bodycams",
]
OPPOSED = [
    "No, I would rather speak to a real person {tag}",
    "Terrible idea, people without internet get left behind {tag}",
    "No. Awful waste of money, put more officers on the street {tag} #bobbiesonthebeat",
    "Not for me, I don't trust apps with my data {tag} #privacy",
]
MIXED_OR_UNCLEAR = [
    "Depends how it works {tag}",
    "Maybe for small things, but not for anything serious {tag}",
    "What happens to the information afterwards? {tag}",
    "Hmm, not sure {tag}",
    "Tell us more about it first {tag}",
]
CRIME_REPORTS = [
    "Someone broke into my car last night on our street, who do I tell? {tag}",
    "My bike was stolen from outside the station this morning {tag}",
]
ABUSIVE = ["You lot are useless idiots {tag}"]
