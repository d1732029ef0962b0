"""The runtime harness's canary DAG (test/runtime/scenario.ts adds it to the
DAG source of the output under test).

One task that proves, from inside a running task, that a connection and a
variable of the spec reach it with the spec's values: the harness passes
their fingerprints (SHA-256, never the values) in the run's conf, and the task
compares them with what Airflow gives it; and that the variables the conf
lists as `absent` (the JWT signing secret) are not in its environment. It then stays running for a few
seconds, so that its log can be read while the worker (or scheduler) serves
it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import datetime

try:  # Airflow 3: the Task SDK
    from airflow.sdk import DAG, Connection, Variable, task

    def get_connection(conn_id):
        return Connection.get(conn_id)

    def parse_connection(uri):
        return Connection.from_uri(uri, conn_id="afc_canary")

except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.decorators import task
    from airflow.hooks.base import BaseHook
    from airflow.models import Variable
    from airflow.models.connection import Connection

    def get_connection(conn_id):
        return BaseHook.get_connection(conn_id)

    def parse_connection(uri):
        return Connection(conn_id="afc_canary", uri=uri)


def connection_fingerprint(conn) -> str:
    fields = {name: getattr(conn, name) for name in ("conn_type", "host", "login", "password", "schema", "port")}
    fields["extra"] = conn.extra_dejson
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def text_fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


with DAG(dag_id="afc_canary", schedule=None, start_date=datetime(2024, 1, 1), catchup=False, tags=["afc"]):

    @task
    def canary(**context):
        conf = context["dag_run"].conf or {}
        print("afc-canary: started")
        differs = []
        for conn_id, want in sorted(conf.get("connections", {}).items()):
            same = connection_fingerprint(get_connection(conn_id)) == want
            print(f"afc-canary: connection {conn_id} {'matches' if same else 'DIFFERS'}")
            if not same:
                differs.append(f"connection {conn_id}")
        for key, want in sorted(conf.get("variables", {}).items()):
            same = text_fingerprint(Variable.get(key)) == want
            print(f"afc-canary: variable {key} {'matches' if same else 'DIFFERS'}")
            if not same:
                differs.append(f"variable {key}")
        for name in sorted(conf.get("absent", [])):
            present = name in os.environ
            print(f"afc-canary: {name} {'PRESENT' if present else 'absent'}")
            if present:
                differs.append(f"{name} in the task's environment")
        time.sleep(float(conf.get("seconds", 0)))
        if differs:
            raise RuntimeError(f"afc-canary: not the spec's value: {', '.join(differs)}")
        print("afc-canary: done")

    canary()


if __name__ == "__main__":
    # The harness's side: fingerprints of the spec's values, read as JSON from stdin, parsed by the same Airflow.
    import sys

    spec = json.load(sys.stdin)
    print(json.dumps({
        "connections": {k: connection_fingerprint(parse_connection(v)) for k, v in spec.get("connections", {}).items()},
        "variables": {k: text_fingerprint(v) for k, v in spec.get("variables", {}).items()},
    }))
