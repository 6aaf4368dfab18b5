"""`verbatim eval --url` against a deployed server: Retry-After is honoured, an evaluation token exempts the
run from the rate limit, and an HTTP error is never scored (the run stops with a line naming the fix)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from eval.run import EvalHttpError, Http, run_cases
from service.app import create_app
from service.settings import Settings

pytestmark = [pytest.mark.integration]
TOKEN = "eval-token-0123456789"
GOLD = [{"id": f"q{i}", "question": f"Does ketamine help with alcohol use disorder? ({i})", "kind": "answer",
         "evidence": ["x"]} for i in range(5)]


def client(app, token=None, max_wait=5.0) -> Http:
    h = Http("http://testserver", token=token, max_wait=max_wait, sleep=lambda s: None)
    h.client = TestClient(app, headers=dict(h.client.headers))
    h.client.__enter__()
    return h


def test_a_rate_limited_run_stops_naming_the_status_and_the_fix_and_scores_nothing(real_index_dir, app_state):
    app = create_app(Settings(index_dir=real_index_dir, rate_limit=1, rate_burst=2, cache_size=0), state=app_state)
    h = client(app, max_wait=120)  # the sleep is a no-op: the limit never lifts, so waiting cannot end it
    fresh = [{**c, "question": c["question"].replace("alcohol", "cocaine")} for c in GOLD]  # in no shared cache
    with pytest.raises(EvalHttpError) as e:
        run_cases(h, fresh)
    msg = str(e.value)
    assert "429" in msg and "VERBATIM_EVAL_TOKEN" in msg and "nothing was scored" in msg
    assert h.retries == 2  # it waited as told (Retry-After: 60) until a third wait would pass max_wait


def test_the_evaluation_token_exempts_the_run_from_the_rate_limit(real_index_dir, app_state):
    app = create_app(Settings(index_dir=real_index_dir, rate_limit=1, rate_burst=2, cache_size=0, eval_token=TOKEN),
                     state=app_state)
    results, _ = run_cases(client(app, TOKEN), GOLD)
    assert [r.got for r in results] == ["answer"] * len(GOLD)
    # a wrong token is an ordinary client (new questions: answers cached by the shared state cost no rate)
    other = [{**c, "question": c["question"].replace("alcohol", "opioid")} for c in GOLD]
    with pytest.raises(EvalHttpError, match="429"):
        run_cases(client(app, TOKEN[:-1] + "x"), other)


def test_retry_after_is_honoured_then_the_answer_scored():
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    app = FastAPI()
    calls = []

    @app.post("/ask")
    def ask():
        calls.append(1)
        if len(calls) < 3:
            return JSONResponse({"error": "busy"}, status_code=503, headers={"Retry-After": "2"})
        return {"kind": "no_answer", "passages": []}

    waits = []
    h = Http("http://testserver", max_wait=10, sleep=waits.append)
    h.client = TestClient(app)
    results, _ = run_cases(h, [{"id": "a", "question": "q", "kind": "no_answer"}])
    assert waits == [2.0, 2.0] and results[0].got == "no_answer"


def test_a_server_error_is_never_scored():
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    app = FastAPI()

    @app.post("/ask")
    def ask():
        return JSONResponse({"error": "internal error; it has been logged"}, status_code=500)

    h = Http("http://testserver", sleep=lambda s: None)
    h.client = TestClient(app)
    with pytest.raises(EvalHttpError, match="answered 500"):
        run_cases(h, [{"id": "a", "question": "q", "kind": "answer"}])


def test_the_cli_says_so_in_one_line_without_a_traceback(capsys):
    from service.cli import main

    with pytest.raises(SystemExit) as e:
        main(["eval", "--url", "http://127.0.0.1:9", "--no-safety"])
    assert e.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("verbatim: ") and "Traceback" not in err[0]


def test_the_token_setting_is_at_least_16_characters():
    with pytest.raises(ValueError):
        Settings(eval_token="short")
