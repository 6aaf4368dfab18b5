"""Which questions look a cited work up (and so get reference entries first): `service.answer.REFERENCE_LOOKUP`."""
import pytest

from service.answer import REFERENCE_LOOKUP


@pytest.mark.parametrize(
    "question",
    [
        "Which 2015 Science paper by Chen, Tillberg and Boyden does it cite?",
        "which New York Times article is cited",
        "What is the full citation of the Krupitsky trial?",
        "where was the two-year follow-up published?",
        "Give me the DOI of the Dakwar study",
        "the review by Jones on ketamine",
        "Which 2008 synthesis by Aureli and colleagues is cited?",
        "the guidelines by Guillemin, Bombardier and Beaton",
    ],
)
def test_reference_lookups(question):
    assert REFERENCE_LOOKUP.search(question)


@pytest.mark.parametrize(
    "question",
    [
        "what did the 2019 American Journal of Psychiatry alcohol study combine ketamine with?",
        "I'm an addiction counselor, what do the articles say about doing talk therapy alongside ketamine?",
        "How long do the effects of one infusion last?",
        "a study by the way of example",  # "by" then a lower-case word is not an author
    ],
)
def test_questions_about_content_are_not_lookups(question):
    assert not REFERENCE_LOOKUP.search(question)
