"""KONEKTIVITAS_REGION_CODE takes a province, a regency or `national`, and the registry a
region lands is its own editions (64.02) or its rows of the national edition."""

from __future__ import annotations

import pytest

from pipelines.reference import in_region, region_editions
from pipelines.settings import get_settings


@pytest.mark.parametrize("value", ["64", "64.02", "national", " 64.02 "])
def test_a_province_a_regency_or_the_nation_is_accepted(monkeypatch, tmp_path, value):
    monkeypatch.setenv("KONEKTIVITAS_REGION_CODE", value)
    assert get_settings(tmp_path).region_code == value.strip()


@pytest.mark.parametrize("value", ["6", "64.2", "64.02.01", "Kaltim", ""])
def test_anything_else_is_refused_naming_the_variable(monkeypatch, tmp_path, value):
    monkeypatch.setenv("KONEKTIVITAS_REGION_CODE", value)
    with pytest.raises(ValueError, match=r"KONEKTIVITAS_REGION_CODE=.*expected a Kemendagri "
                                         r"province code \(64\), a regency code \(64\.02\)"):
        get_settings(tmp_path)


def test_the_editions_a_region_lands():
    assert [e.file for e in region_editions("64.02")] == [
        "kemendagri_2020_64.02.csv", "kemendagri_2025_64.02.csv"]
    assert [e.file for e in region_editions("64")] == ["kemendagri_2025_national.csv.gz"]
    assert [e.file for e in region_editions("64.03")] == ["kemendagri_2025_national.csv.gz"]
    assert [e.file for e in region_editions("national")] == ["kemendagri_2025_national.csv.gz"]
    with pytest.raises(ValueError, match="region '99': no such province or regency code"):
        region_editions("99")


def test_a_region_keeps_its_codes_and_the_codes_above_them():
    assert in_region("64.02.01.2001", "64") and in_region("64", "64.02")
    assert in_region("64.02", "64.02") and not in_region("64.03.01", "64.02")
    assert not in_region("65.01", "64") and not in_region("6", "64")
    assert in_region("11.01", "national")
