"""mini-swe-agent (PyPI `mini-swe-agent`) driven through the same scripted steps as Fixpoint.

    python run_peer.py --repo DIR --steps N --commands-out FILE

The model server is $FIXPOINT_BENCH_MODEL_URL (scripts/bench-harness.sh starts it through
bench-model-server). The agent is mini-swe-agent's own DefaultAgent with its default config, its
LitellmModel (tool calls, as shipped) and its LocalEnvironment; the only addition is a timer around
each command, written to FILE as seconds, so the benchmark can take command time out of each step.
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network fetch of the cost map
os.environ.setdefault("MSWEA_COST_TRACKING", "ignore_errors")

import yaml  # noqa: E402
from minisweagent import package_dir  # noqa: E402
from minisweagent.agents.default import DefaultAgent  # noqa: E402
from minisweagent.environments.local import LocalEnvironment  # noqa: E402
from minisweagent.models.litellm_model import LitellmModel  # noqa: E402


class TimedEnvironment(LocalEnvironment):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.command_seconds = []

    def execute(self, action, cwd="", *, timeout=None):
        began = time.perf_counter()
        try:
            return super().execute(action, cwd, timeout=timeout)
        finally:
            self.command_seconds.append(time.perf_counter() - began)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--commands-out", required=True)
    args = parser.parse_args()
    url = os.environ["FIXPOINT_BENCH_MODEL_URL"]
    config = yaml.safe_load(Path(package_dir / "config" / "default.yaml").read_text())
    agent_config = config["agent"] | {"step_limit": args.steps + 5, "cost_limit": 0}
    model = LitellmModel(
        model_name="openai/scripted-model",
        model_kwargs={"api_base": url + "/v1", "api_key": "none", "temperature": 0.0},
        cost_tracking="ignore_errors",
    )
    env = TimedEnvironment(cwd=args.repo)
    agent = DefaultAgent(model, env, **agent_config)
    try:
        result = agent.run(Path(args.repo, "ISSUE.txt").read_text() if Path(args.repo, "ISSUE.txt").exists() else "Read the helpers.")
    finally:
        Path(args.commands_out).write_text(json.dumps(env.command_seconds))
    print(json.dumps({"exit_status": result.get("exit_status"), "steps": agent.n_calls}))


if __name__ == "__main__":
    main()
