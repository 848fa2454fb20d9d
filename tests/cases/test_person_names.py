"""Every page, filter, export, API row and reminder shows a person through cases.people.person_name."""

from __future__ import annotations

from types import SimpleNamespace

from cases.people import person_name


def _user(last: str, first: str, username: str = "wjg") -> SimpleNamespace:
    return SimpleNamespace(last_name=last, first_name=first, get_username=lambda: username)


def test_it_writes_a_chinese_name_family_name_first_without_a_space():
    assert person_name(_user("王", "建国")) == "王建国"


def test_it_writes_a_western_name_given_name_first_with_a_space():
    assert person_name(_user("Smith", "Anna")) == "Anna Smith"


def test_it_falls_back_to_the_username_when_no_name_is_set():
    assert person_name(_user("", " ", username="staff")) == "staff"


def test_it_shows_nobody_as_an_empty_string():
    assert person_name(None) == ""
