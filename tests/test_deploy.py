"""The deployment files agree with the app they deploy: every Kubernetes manifest validates
against a pinned Kubernetes, and every image, port, setting, probe and Secret they name is one
the app and the other files know. Docker and a cluster are not needed (nor used)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from archive_api.config import Settings
from archive_api.probes import router as probes

KUBERNETES = "1.32.0"  # the oldest Kubernetes the manifests are written for
ROOT = Path(__file__).parents[1]
DEPLOY = ROOT / "deploy"
KUBE = DEPLOY / "kubernetes"
SETTINGS = {f"DANGAN_{name.upper()}" for name in Settings.model_fields}
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def _applied() -> list[dict[str, Any]]:
    """What `kubectl apply -k deploy/kubernetes` applies: the listed files, as they are."""
    kustomization = yaml.safe_load((KUBE / "kustomization.yaml").read_text())
    # Nothing generated or patched, so the files are exactly what a cluster receives.
    assert set(kustomization) == {"apiVersion", "kind", "resources"}
    return [d for name in kustomization["resources"] for d in _documents(KUBE / name)]


APPLIED = _applied()
SECRETS = {d["metadata"]["name"]: d for d in _documents(KUBE / "secrets.example.yaml")}
CONFIG = {d["metadata"]["name"]: d for d in APPLIED if d["kind"] == "ConfigMap"}


def _pods() -> dict[str, dict[str, Any]]:
    """Each workload's pod template, by the workload's name."""
    return {
        d["metadata"]["name"]: d["spec"]["template"]
        for d in APPLIED
        if d["kind"] in ("Deployment", "Job")
    }


def _environment(container: dict[str, Any]) -> dict[str, str]:
    """The variables a container starts with, from its env, ConfigMaps and Secrets."""
    found: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            found |= CONFIG[source["configMapRef"]["name"]]["data"]
        else:
            found |= SECRETS[source["secretRef"]["name"]]["stringData"]
    found |= {e["name"]: e["value"] for e in container.get("env", [])}
    return found


def test_every_manifest_validates_against_the_pinned_kubernetes() -> None:
    for document in [*APPLIED, *SECRETS.values()]:
        kubernetes_validate.validate(document, KUBERNETES, strict=True)
    listed = {p.name for p in KUBE.glob("*.yaml")}
    kustomization = yaml.safe_load((KUBE / "kustomization.yaml").read_text())
    # No manifest lies in the folder unapplied but the Secrets' example, applied apart.
    assert listed == {*kustomization["resources"], "kustomization.yaml", "secrets.example.yaml"}


def test_every_variable_is_a_setting_and_the_servers_get_all_they_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pods = _pods()
    assert set(pods) == {"dangan-api", "dangan-worker", "dangan-migrate"}
    for name, pod in pods.items():
        [container] = pod["spec"]["containers"]
        environment = _environment(container)
        # A misspelt name would be ignored by the app, silently.
        assert set(environment) <= SETTINGS, (name, set(environment) - SETTINGS)
        for variable, value in environment.items():
            monkeypatch.setenv(variable, value)
        settings = Settings(_env_file=None)  # every value parses as the app reads it
        assert settings.database_url is not None
        if name != "dangan-migrate":  # the servers open every backend
            assert None not in (settings.s3_endpoint, settings.s3_access_key, settings.kms_url)
            assert settings.kms_token is not None
            serving = name == "dangan-api"
            assert container["args"][:2] == ["dangan", "serve" if serving else "worker"]
            if serving:  # the API answers; the workers do the background work
                assert settings.background is False
        else:
            assert container["args"] == ["dangan", "migrate"]
        for variable in environment:
            monkeypatch.delenv(variable)


def test_every_reference_names_something_that_exists() -> None:
    for name, pod in _pods().items():
        spec = pod["spec"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        for container in spec["containers"]:
            for mount in container.get("volumeMounts", []):
                assert mount["name"] in volumes, (name, mount)
            for source in container.get("envFrom", []):
                ref = source.get("configMapRef") or source["secretRef"]
                assert ref["name"] in (CONFIG if "configMapRef" in source else SECRETS)
        for volume in volumes.values():
            if "secret" in volume:
                assert volume["secret"]["secretName"] in SECRETS
        audit = [v for v in volumes.values() if "secret" in v]
        if audit:  # the file the audit key setting names is the mounted key
            [container] = spec["containers"]
            path = _environment(container)["DANGAN_AUDIT_KEY_FILE"]
            key = SECRETS[audit[0]["secret"]["secretName"]]["stringData"]
            mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
            assert path in {f"{mounts[audit[0]['name']]}/{k}" for k in key}


def _labels_match(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    wanted = selector.get("matchLabels", {})
    expressions = selector.get("matchExpressions", [])
    return all(labels.get(k) == v for k, v in wanted.items()) and all(
        labels.get(e["key"]) in e["values"] for e in expressions
    )


def test_ports_probes_and_selectors_agree_with_the_server() -> None:
    api = _pods()["dangan-api"]
    [container] = api["spec"]["containers"]
    port = int(container["args"][container["args"].index("--port") + 1])
    [named] = container["ports"]
    assert named["containerPort"] == port
    routes = {route.path for route in probes.routes}  # type: ignore[attr-defined]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        assert get["port"] == named["name"]
        assert get["path"] in routes
    assert container[probe]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    # Longer than the server's own grace, so uploads under way finish before a kill.
    assert api["spec"]["terminationGracePeriodSeconds"] > Settings(_env_file=None).shutdown_grace

    workloads = {n: p["metadata"]["labels"] for n, p in _pods().items()}
    for document in APPLIED:
        kind, spec = document["kind"], document.get("spec", {})
        if kind == "Service":
            [service_port] = spec["ports"]
            assert service_port["targetPort"] == named["name"]
            selector = {"matchLabels": spec["selector"]}
            chosen = {n for n, labels in workloads.items() if _labels_match(selector, labels)}
            assert chosen == {"dangan-api"}
        if kind == "PodDisruptionBudget":
            assert any(_labels_match(spec["selector"], labels) for labels in workloads.values())


def test_only_the_api_and_workers_reach_the_store_and_the_key_service() -> None:
    config = CONFIG["dangan"]["data"]
    s3_port = int(config["DANGAN_S3_ENDPOINT"].rsplit(":", 1)[1])
    kms_port = int(re.fullmatch(r"https?://[^/:]+:(\d+)/?", config["DANGAN_KMS_URL"])[1])  # type: ignore[index]
    guarded = {}
    for policy in (d for d in APPLIED if d["kind"] == "NetworkPolicy"):
        for rule in policy["spec"].get("ingress", []):
            ports = {p["port"] for p in rule["ports"]}
            allowed = {
                name
                for name, pod in _pods().items()
                for source in rule.get("from", [])
                if _labels_match(source["podSelector"], pod["metadata"]["labels"])
            }
            for port in ports & {s3_port, kms_port}:
                guarded[port] = allowed
    servers = {"dangan-api", "dangan-worker"}
    assert guarded == {s3_port: servers, kms_port: servers}


def _tagged(image: str) -> bool:
    """A version pinned, never `latest` or none."""
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag != "latest" and bool(re.search(r"\d", tag))


def test_every_image_is_pinned_and_dangan_is_this_version() -> None:
    images = [c["image"] for pod in _pods().values() for c in pod["spec"]["containers"]]
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    images += [s["image"] for s in compose["services"].values()]
    bases = re.findall(r"^FROM (\S+)", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE)
    for image in [*images, *bases]:
        assert _tagged(image), image
    for base in bases:  # a patch release, not a moving minor tag
        assert re.search(r":\d+\.\d+\.\d+", base), base
    assert {i for i in images if i.startswith("dangan:")} == {f"dangan:{VERSION}"}
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    user = re.search(r"^USER (\d+)", dockerfile, re.MULTILINE)
    assert user is not None  # numeric, so that runAsNonRoot can be checked
    for pod in _pods().values():
        assert pod["spec"]["securityContext"]["runAsUser"] == int(user[1])


def test_compose_starts_the_whole_stack_migrated_first() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "s3", "openbao", "migrate", "dangan", "worker"}
    for name in ("dangan", "worker"):
        service = services[name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert {"db", "s3", "openbao"} <= set(service["depends_on"])
        assert set(service["environment"]) <= SETTINGS, set(service["environment"]) - SETTINGS
        assert service["environment"]["DANGAN_BACKGROUND"] == "false"
    assert services["worker"]["command"] == ["dangan", "worker"]
    assert services["migrate"]["command"] == ["dangan", "migrate"]
    # Reachable from this machine only; the backends are not published at all.
    assert services["dangan"]["ports"] == ["127.0.0.1:8000:8000"]
    assert all("ports" not in services[n] for n in ("db", "s3", "openbao"))
    grace = int(services["dangan"]["stop_grace_period"].removesuffix("s"))
    assert grace > Settings(_env_file=None).shutdown_grace
    mounted = [v.split(":")[0] for v in services["openbao"]["volumes"] if v.startswith("./")]
    assert all((DEPLOY / m).exists() for m in mounted)
