"""hello: the smallest DAG that proves the local stack works end to end.

If it shows up in the UI, the DAG processor parses ./dags; if a manual run
turns green, the scheduler, the LocalExecutor and the task execution API
(signed with the JWT secret from ./secrets) all agree with each other.
"""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import Variable, dag, task


@dag(
    schedule=None,  # run it by hand from the UI: nothing fires on its own on a laptop
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["example", "analytics"],
)
def hello():
    @task
    def greet() -> str:
        # `env_name` comes from `variables:` in airflow.yaml (AIRFLOW_VAR_ENV_NAME).
        return f"hello from {Variable.get('env_name', default='an unknown environment')}"

    @task
    def shout(message: str) -> None:
        print(message.upper())

    shout(greet())


hello()
