"""Name normalisation and the never-guessing matcher."""

from __future__ import annotations

import pytest

from pipelines.registry.matching import match_names
from pipelines.registry.names import name_parts, name_tokens, normalise_name, similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("KOTABANGUN", "Kota Bangun"),
        ("SANGA-SANGA", "Sanga Sanga"),
        ("TANI BAKTI", "Tani Bhakti"),
        ("SEI MERDEKA", "Sungai Merdeka"),
        ("GAS ALAM BADAK SATU", "Gas Alam Badak I"),
        ("Salo Cella", "Sallo Cela"),
        ("MUARA TUBOQ", "Muara Tubo"),
        ("KABUPATEN KUTAI KARTANEGARA", "KAB. KUTAI KARTANEGARA"),
        ("Djonggon", "Jonggon"),
    ],
)
def test_spelling_variants_share_a_key(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kota Bangun I", "Kota Bangun II"), ("Liang", "Liang Ilir"), ("Salok Api Barat", "Salok Api Laut")],
)
def test_different_places_keep_different_keys(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_similarity_is_edit_distance_not_shared_prefix():
    assert similarity(normalise_name("SEMBOJA"), normalise_name("Samboja")) == pytest.approx(6 / 7)
    assert similarity(normalise_name("LIANG ILIR"), normalise_name("Liang")) < 0.8


def test_matcher_pairs_equal_then_similar_names():
    left = {"b1": "SEI MERDEKA", "b2": "SALOK API DARAT", "b3": "SALOK API LAUT"}
    right = {"k1": "Sungai Merdeka", "k2": "Salok Api Barat", "k3": "Salok Api Laut"}
    m = match_names(left, right)
    assert {k: (v.right, v.method) for k, v in m.items()} == {
        "b1": ("k1", "name"), "b2": ("k2", "similarity"), "b3": ("k3", "name")}
    assert m["b2"].score == pytest.approx(12 / 13, abs=1e-4)


def test_matcher_never_guesses():
    # Same key twice on one side: ambiguous, not the first one.
    m = match_names({"b1": "WISPE"}, {"k1": "Wispe", "k2": "Wispe"})
    assert m["b1"].status == "ambiguous" and m["b1"].right is None
    assert "k1 Wispe (1.00), k2 Wispe (1.00)" in m["b1"].note({"k1": "Wispe", "k2": "Wispe"})
    # Two left names equally close to one right name: neither takes it.
    m = match_names({"b1": "SALIKA", "b2": "SALIKU"}, {"k1": "Saliki"})
    assert {v.status for v in m.values()} == {"ambiguous"}
    # Too far apart: unmatched, with the closest candidate named for a person.
    m = match_names({"b1": "BARU"}, {"k1": "Kampung Baru"})
    assert m["b1"].status == "unmatched"
    assert m["b1"].note({"k1": "Kampung Baru"}).startswith("closest candidate k1 Kampung Baru (0.36)")


def test_tokens_and_parts_of_a_name():
    assert name_tokens("TANAH MUARA ASA") > name_tokens("Muara Asa")
    assert name_tokens("SEI KAPIH") == name_tokens("Sungai Kapih")
    assert name_parts("Tapian Nauli/ Saurmanggita") == ["Tapian Nauli", "Saurmanggita"]
    # A numbered suffix is not a second name (real Kemendagri 2025 entries).
    assert name_parts("Lalai I/II") == name_parts("Perkebunan Air Batu III/IX") == []
    assert name_parts("MUARA ASA") == []


# Rule: a word added or dropped (method tokens).
def test_word_added_or_dropped_links_the_one_candidate():
    # Real 6403 (BPS 2018 / Kemendagri 2020): Liang sits beside Liang Ulu in Kota Bangun.
    left = {"b1": "LIANG ILIR", "b2": "LIANG ULU", "b3": "SEBELIMBINGAN"}
    right = {"k1": "Liang", "k2": "Liang Ulu", "k3": "Sebelimbingan"}
    m = match_names(left, right, tokens=True)
    assert (m["b1"].right, m["b1"].method, m["b1"].score) == ("k1", "tokens", 0.5556)
    assert m["b2"].method == "name"
    # Constructed: Kemendagri prefixes a group of one district's villages with one word.
    left = {"b1": "MUARA ASA", "b2": "MUARA TAE", "b3": "JERANG"}
    right = {"k1": "Tanah Muara Asa", "k2": "Tanah Muara Tae", "k3": "Jerang Dayak"}
    m = match_names(left, right, tokens=True)
    assert {k: (v.right, v.method) for k, v in m.items()} == {
        "b1": ("k1", "tokens"), "b2": ("k2", "tokens"), "b3": ("k3", "tokens")}
    assert match_names(left, right)["b1"].status == "unmatched"  # off unless asked for


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # Two candidates in the district share its words: not chosen between.
        ({"b1": "BARU"}, {"k1": "Kampung Baru", "k2": "Baru Ulu"}),
        # Two BPS names relate to one candidate: neither takes it.
        ({"b1": "LIANG ILIR", "b2": "LIANG SEBERANG"}, {"k1": "Liang"}),
        # A candidate another BPS name matches exactly is not on offer.
        ({"b1": "MUARA ASA", "b2": "TANAH MUARA ASA"}, {"k1": "Tanah Muara Asa"}),
    ],
)
def test_word_added_or_dropped_never_guesses(left, right):
    m = match_names(left, right, tokens=True)
    assert m["b1"].status in ("ambiguous", "unmatched") and m["b1"].right is None


def test_a_number_is_not_a_dropped_word():
    # Numbered villages are different places (Loa Duri Ilir / Loa Duri Ulu / Loa II...).
    m = match_names({"b1": "LOA II"}, {"k1": "Loa"}, tokens=True)
    assert m["b1"].status == "unmatched"
    assert match_names({"b1": "LOA ULU"}, {"k1": "Loa"}, tokens=True)["b1"].method == "tokens"


def test_word_rule_ambiguity_is_explained():
    right = {"k1": "Kampung Baru", "k2": "Baru Ulu"}
    m = match_names({"b1": "BARU"}, right, tokens=True)
    assert m["b1"].note(right) == (
        "ambiguous: with a word added or dropped it matches k2 Baru Ulu (0.57), "
        "k1 Kampung Baru (0.36), not one to one")


# Rule: two names in one field (method part).
def test_double_name_links_by_either_part():
    right = {"k1": "Muara Asa", "k2": "Jerang Dayak", "k3": "Samboja"}
    m = match_names({"b1": "TANAH MERAH / MUARA ASA", "b2": "JERANG DAYAK/JERANG MELAYU",
                     "b3": "SEMBOJA / SAMBOJA LAMA"}, right, parts=True)
    assert {k: (v.right, v.method, v.score) for k, v in m.items()} == {
        "b1": ("k1", "part", 1.0), "b2": ("k2", "part", 1.0), "b3": ("k3", "part", 0.8571)}


def test_double_name_whose_parts_are_two_villages_is_not_guessed():
    right = {"k1": "Muara Asa", "k2": "Tanah Merah"}
    m = match_names({"b1": "TANAH MERAH / MUARA ASA"}, right, parts=True)
    assert m["b1"].status == "ambiguous" and m["b1"].right is None
    assert "k1 Muara Asa (1.00), k2 Tanah Merah (1.00)" in m["b1"].note(right)
    # A part another BPS name matches exactly is taken by that one.
    m = match_names({"b1": "TANAH MERAH / MUARA ASA", "b2": "MUARA ASA"}, right, parts=True)
    assert (m["b2"].right, m["b1"].right, m["b1"].method) == ("k1", "k2", "part")


def test_a_part_equal_to_a_name_beats_a_merely_similar_name():
    # Constructed from Kemendagri 2025 53.18.05 (Buru Deilo, Delo): without the part held
    # back, DEILO (0.80 similar) would take Delo from DELO / WAIKABUBAK.
    right = {"k1": "Delo", "k2": "Buru Deilo"}
    m = match_names({"b1": "DELO / WAIKABUBAK", "b2": "DEILO"}, right, parts=True, tokens=True)
    assert {k: (v.right, v.method) for k, v in m.items()} == {
        "b1": ("k1", "part"), "b2": ("k2", "tokens")}
