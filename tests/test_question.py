"""Question analysis: answer type, subject, focus and the yes/no key term."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.answers.question import analyse


@pytest.mark.parametrize(
    ("question", "answer_type", "number_kind"),
    [
        ("Where does Marinelli live?", "place", None),
        ("In which city was the treaty signed?", "place", None),
        ("When did the strike end?", "date", None),
        ("What year was the bridge opened?", "date", None),
        ("The game was played on what date?", "date", None),
        ("How old is Marinelli?", "number", "age"),
        ("How many signatures does the campaign need?", "number", "count"),
        ("How much did the stadium cost?", "number", "money"),
        ("What percentage of voters backed the plan?", "number", "percent"),
        ("How long did the siege last?", "number", "duration"),
        ("Who founded Yes California?", "person", None),
        ("Which president signed the bill?", "person", None),
        ("What is the name of the Russian group that supports the campaign?", "organization", None),
        ("Which team won the final?", "organization", None),
        ("Has the embassy in Moscow opened?", "yesno", None),
        ("Does the campaign receive foreign funding?", "yesno", None),
        ("Is the mayor running again?", "yesno", None),
        ("Why did Marinelli move to Russia?", "other", None),
        ("How did the campaign start?", "other", None),
        ("What color was the flag?", "other", None),
        ("What was the death toll in the flood?", "number", "count"),
        ("What was the final score of the match?", "number", "tally"),
        ("What was the committee's vote on the bill?", "number", "tally"),
        ("What were the death tolls in the two floods?", "number", "count"),
        ("What were the final scores of the two matches?", "number", "tally"),
        ("What type of votes were held?", "other", None),
        ("What is the State Department's budget?", "other", None),  # "State" is its owner
    ],
)
def test_answer_type(question: str, answer_type: str, number_kind: str | None) -> None:
    q = analyse(question)
    assert q.answer_type == answer_type
    assert q.number_kind == number_kind


def test_subject_is_the_proper_name_and_focus_the_other_content_words() -> None:
    q = analyse("Where does Marinelli live?")
    assert q.subject == [("marinelli",)]
    assert q.focus == ["liv"]


def test_multiword_names_stay_one_subject() -> None:
    assert analyse("Who founded Yes California?").subject == [("yes", "california")]


def test_the_wh_phrase_describes_the_answer_not_the_subject() -> None:
    q = analyse("What is the name of the Russian group that supports the campaign?")
    assert q.subject == []  # "Russian" qualifies the group asked for
    assert q.head == "group"
    assert {"russian", "group", "support", "campaign"} <= set(q.focus)


def test_a_possessor_in_the_wh_phrase_says_whose_it_is() -> None:
    q = analyse("What is the name of the mayor's chief of staff?")
    assert "mayor" in q.focus and "mayor" not in q.modifiers


def test_a_date_in_the_question_is_matched_by_its_weekday() -> None:
    q = analyse("How many protesters were arrested on Thursday, Oct. 4?")
    assert q.subject == [("thursday",)]  # what a sentence about that day says
    assert analyse("Who spoke on the 20th of October?").subject == [("october",)]
    assert analyse("What happened on May 5?").subject == [("may", "5")]  # "may" alone: a verb
    assert analyse("Who won Super Bowl 50?").subject == [("super", "bowl", "50")]


def test_the_preposition_before_the_wh_word_says_which_side_of_a_date() -> None:
    assert analyse("Until what date is the bridge closed?").bound == "until"
    assert analyse("Since when has the mayor lived there?").bound == "since"
    assert analyse("When did the bridge close?").bound is None


def test_the_owner_of_what_is_asked_for() -> None:
    q = analyse("What was the Senate Judiciary Committee's vote on the nomination?")
    assert q.owner == ("senat", "judiciari", "committe")
    assert q.modifiers == ()


def test_what_the_answer_is_not_and_the_verbs_of_the_type_are_no_focus() -> None:
    q = analyse("Besides Port Ellen, in which Scottish town was a distillery opened?")
    assert q.focus == ["scottish", "distilleri", "open"] and q.subject == []
    q = analyse("Which city other than Lagos hosted the games?")
    assert q.focus == ["host", "gam"]
    assert analyse("Where is the Tower Bridge located?").focus == []
    assert analyse("How long did the Riverton strike last?").focus == ["strik"]


def test_a_light_verb_is_said_by_the_word_it_governs() -> None:
    # "keep the ferry running": a sentence that answers says "running", not "keep"
    q = analyse("Until what date does the grant keep the Riverton ferry running?")
    assert "keep" not in q.focus and q.optional == ["keep"]
    assert "runn" in q.focus or "run" in q.focus
    q = analyse("When will the nurses get their back pay?")
    assert "get" not in q.focus and "pay" in q.focus


def test_a_toll_counts_the_event_its_modifier_names() -> None:
    q = analyse("What was the death toll in the Riverton flood?")
    assert q.predicate == ("death",)
    assert "toll" not in q.focus and "death" in q.focus  # a sentence says "31 people died"


def test_yes_no_subject_follows_the_auxiliary_and_key_is_the_last_content_word() -> None:
    q = analyse("Does the campaign receive foreign funding?")
    assert q.subject == [("campaign",)]
    assert q.key == "fund"
    q = analyse("Has the embassy in Moscow opened?")
    assert q.subject == [("embassy",)]
    assert q.key == "open"


def test_tense_comes_from_the_auxiliary() -> None:
    assert analyse("Where does she live?").tense == "present"
    assert analyse("Where did she live?").tense == "past"


@given(st.text(max_size=200))
def test_any_text_is_analysed_without_error(text: str) -> None:
    q = analyse(text)
    assert q.answer_type in ("place", "date", "number", "person", "organization", "yesno", "other")


@pytest.mark.parametrize(
    ("question", "predicate"),
    [
        ("Did the agency interview the senator?", ("interview",)),
        ("Did Acme Holdings claim responsibility for the outage?", ("claim",)),
        ("Does the club receive public funding?", ("receive",)),
        ("Did the Danish government deny the report?", ("deny",)),
        ("Did the two sides reach a deal?", ("reach",)),
        ("Were any soldiers killed or wounded in the attack?", ("killed", "wounded")),
        ("Was the ferry brought down by a storm?", ("brought",)),
        ("Has the museum reopened?", ("reopened",)),
        ("Is the mayor running again?", ("running",)),
        ("Is the museum open?", ()),  # no verb: the question turns on its key term
    ],
)
def test_yes_no_predicate_is_the_verb_asked_about(question: str, predicate: tuple) -> None:
    assert analyse(question).predicate == predicate


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("How many people were wounded in the blast?", ("wounded",)),
        ("How many people were killed or wounded?", ("killed", "wounded")),
        ("How many missiles did the navy fire at the ships?", ("fire",)),
        ("How many of the city's bridges were closed?", ("closed",)),
        ("How many federal workers were affected by the shutdown?", ("affected",)),
        ("How many senators were still undecided?", ("undecided",)),
        ("How many people live in the valley?", ("live",)),
        ("How many federal workers quit their jobs?", ("quit",)),
        ("How many rounds did the Riverton gunman fire?", ("fire",)),
        ("How many people did the FBI interview for its report?", ("interview",)),
    ],
)
def test_a_count_question_names_the_event_it_counts(question: str, event: tuple) -> None:
    assert analyse(question).predicate == event


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("How many federal workers were affected by the shutdown?", "workers"),
        ("How many of the city's bridges were closed?", "bridges"),
        ("How many people died in the crash?", "people"),
        ("What number of students attend the school?", "students"),
        ("How many were wounded?", None),
    ],
)
def test_a_count_question_names_the_noun_it_counts(question: str, counted: str | None) -> None:
    assert analyse(question).counted == counted
