"""All settings in one place, read from the environment, with defaults that run the demo."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Where dags/, expectations/, warehouse/ and config/ are: the checkout, or wherever a
# deployment mounts them (KONEKTIVITAS_PROJECT_ROOT).
PROJECT_ROOT = Path(
    os.environ.get("KONEKTIVITAS_PROJECT_ROOT") or Path(__file__).resolve().parents[1]
)
LOCAL_TZ = "Asia/Makassar"  # WITA, UTC+8: every local day and month in docs/sources.md


@dataclass(frozen=True)
class Settings:
    home: Path
    region_code: str = "64.02"
    # "duckdb" (one file, one writer) or "ducklake" (PostgreSQL catalog, shared Parquet).
    warehouse_backend: str = "duckdb"
    ducklake_catalog: str = ""
    ducklake_data_path: str = ""
    project_root: Path = PROJECT_ROOT
    thresholds: dict[str, float] = field(
        default_factory=lambda: {
            "covered_min_tower_availability_pct": 50.0,
            "sla_discrepancy_flag_pp": 0.5,
        }
    )

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def data_docs(self) -> Path:
        return self.reports / "data_docs"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def gx_root(self) -> Path:
        return self.home / "gx"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def expectations_dir(self) -> Path:
        return self.project_root / "expectations"

    @property
    def warehouse_dir(self) -> Path:
        return self.project_root / "warehouse"

    @property
    def config_dir(self) -> Path:
        return Path(os.environ.get("KONEKTIVITAS_CONFIG", self.project_root / "config"))

    @property
    def dags_dir(self) -> Path:
        return self.project_root / "dags"


def get_settings(home: str | Path | None = None) -> Settings:
    """Settings from the environment; an explicit home wins over KONEKTIVITAS_HOME."""
    env = os.environ
    home_path = Path(home or env.get("KONEKTIVITAS_HOME", "./data")).resolve()
    thresholds = {}
    if "KONEKTIVITAS_COVERED_MIN_AVAILABILITY_PCT" in env:
        thresholds["covered_min_tower_availability_pct"] = float(
            env["KONEKTIVITAS_COVERED_MIN_AVAILABILITY_PCT"]
        )
    s = Settings(
        home=home_path,
        region_code=env.get("KONEKTIVITAS_REGION_CODE", "64.02"),
        warehouse_backend=env.get("KONEKTIVITAS_WAREHOUSE", "duckdb"),
        ducklake_catalog=env.get("KONEKTIVITAS_DUCKLAKE_CATALOG", ""),
        ducklake_data_path=env.get("KONEKTIVITAS_DUCKLAKE_DATA_PATH", ""),
    )
    if thresholds:
        s.thresholds.update(thresholds)
    return s
