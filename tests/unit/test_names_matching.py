"""Name normalisation and the never-guessing matcher."""

from __future__ import annotations

import pytest

from pipelines.registry.matching import match_names
from pipelines.registry.names import normalise_name, similarity


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
