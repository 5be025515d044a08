"""The passphrase strength rule: 12+ characters and zxcvbn score 3+, with a plain reason."""

from __future__ import annotations

import pytest

from vault.crypto import strength
from vault.crypto.strength import check_passphrase, require_strong
from vault.errors import WeakPassphrase

STRONG = "correct horse battery staple orbit"


def test_strong_passphrase_is_acceptable() -> None:
    report = check_passphrase(STRONG)
    assert report.acceptable
    assert report.score >= 3
    assert report.reason == ""
    assert report.crack_time_display


def test_short_passphrase_is_refused_for_length_even_if_random() -> None:
    report = check_passphrase("Xk#9vLq!2mZ")  # 11 characters
    assert not report.acceptable
    assert report.reason == "Use at least 12 characters."


def test_twelve_random_characters_pass_the_length_rule() -> None:
    assert check_passphrase("Xk#9vLq!2mZp").acceptable


def test_common_password_is_refused_with_zxcvbn_reason() -> None:
    report = check_passphrase("password1234")
    assert not report.acceptable
    assert report.score < 3
    assert report.reason == "This is a very common password."


def test_reason_falls_back_to_a_suggestion_then_a_generic_line() -> None:
    # Two rare words run together: no warning, only a suggestion.
    report = check_passphrase("quokkazanzibar", user_inputs=["zanzibar", "quokka"])
    assert not report.acceptable
    assert report.reason == "Add another word or two. Uncommon words are better."
    assert strength._reason_from({"warning": "", "suggestions": []}) == strength.GENERIC_REASON


def test_user_inputs_count_against_the_passphrase() -> None:
    assert check_passphrase("quokkazanzibar").acceptable
    assert not check_passphrase("quokkazanzibar", user_inputs=["zanzibar", "quokka"]).acceptable


def test_product_words_always_count_against_the_passphrase() -> None:
    assert not check_passphrase("casevaultunion").acceptable


@pytest.mark.parametrize("weak", ["", " " * 20, "aaaaaaaaaaaaaaaa", "123456789012", "qwertyuiopas"])
def test_weak_inputs_are_refused_without_error(weak: str) -> None:
    report = check_passphrase(weak)
    assert not report.acceptable
    assert report.reason
    assert "\n" not in report.reason


def test_reason_never_repeats_the_passphrase() -> None:
    secret = "hunter2hunter2"
    assert secret not in check_passphrase(secret).reason


def test_very_long_input_is_judged_by_its_first_100_characters() -> None:
    long_strong = STRONG + " " + "x" * 10_000
    assert check_passphrase(long_strong).acceptable
    weak_start = "a" * 100 + STRONG
    assert not check_passphrase(weak_start).acceptable


def test_length_counts_characters_after_nfc() -> None:
    # 11 user-perceived characters typed decomposed are still 11, not 12+.
    decomposed = "e\u0301" * 11
    assert check_passphrase(decomposed).reason == "Use at least 12 characters."


def test_require_strong_raises_with_the_reason() -> None:
    require_strong(STRONG)
    with pytest.raises(WeakPassphrase) as caught:
        require_strong("short")
    assert str(caught.value) == "Use at least 12 characters."
    with pytest.raises(WeakPassphrase, match="very common"):
        require_strong("password1234")
