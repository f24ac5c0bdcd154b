"""Words and hashtags in short posts, without downloaded corpora.

NLTK's TweetTokenizer needs no data files, unlike TextBlob's `.words`, and keeps hashtags,
handles and links whole so they can be told apart from words.
"""

import re
from collections import Counter
from collections.abc import Iterable

from nltk.tokenize import TweetTokenizer

HASHTAG = re.compile(r"(?<![\w&])#(\w{1,100})", re.UNICODE)
_tokenizer = TweetTokenizer(preserve_case=False, strip_handles=True, reduce_len=True)

# Common English words that say nothing about a topic. A short list kept here, because NLTK's
# stopword corpus would need a download.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing don't down during each few for
    from further get got had has have having he her here hers herself him himself his how i
    i'm if in into is it it's its itself just let's like me more most my myself no nor not now
    of off on once only or other our ours ourselves out over own same she should so some such
    than that that's the their theirs them themselves then there these they this those through
    to too under until up very was we we're were what when where which while who whom why will
    with would you you're your yours yourself yourselves yes rt amp via im dont ive youre cant
    wont would've could've should've isn't aren't wasn't weren't won't can't""".split()  # noqa: SIM905
)


def hashtags_in(text: str) -> list[str]:
    """The distinct hashtags in `text`, lower case and without '#', in order of appearance."""
    seen: dict[str, None] = {}
    for match in HASHTAG.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def terms_in(text: str) -> list[str]:
    """The words of `text` worth counting: no hashtags, handles, links, numbers or stopwords."""
    terms = []
    for token in _tokenizer.tokenize(text or ""):
        if token.startswith(("#", "http")) or token in STOPWORDS:
            continue
        if len(token) < 3 or not any(ch.isalpha() for ch in token):
            continue
        terms.append(token)
    return terms


def top_terms(texts: Iterable[str], limit: int = 20) -> list[tuple[str, int]]:
    """The `limit` commonest terms across `texts`, counting each term once per text."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(terms_in(text)))
    return counts.most_common(limit)


def stored_terms(text: str) -> str:
    """The distinct terms of `text` as one space-separated string, to keep with a post so its
    words are split once, when it is stored, not on every read."""
    return " ".join(dict.fromkeys(terms_in(text)))


def top_stored_terms(stored: Iterable[str], limit: int = 20) -> list[tuple[str, int]]:
    """`top_terms` over texts whose `stored_terms` are given."""
    counts: Counter[str] = Counter()
    for terms in stored:
        counts.update(terms.split())
    return counts.most_common(limit)
