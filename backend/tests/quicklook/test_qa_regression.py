"""The QA comparison used to check that a speed-up changes no value beyond rounding."""

from qlf.bench.qa_regression import compare


def test_compare_reports_changes_beyond_rounding_and_ignores_timings():
    before = {"r0": {"TASKS": {"A": {"CPU_S": 0.3, "METRICS": {"X": [1.0, 2.0], "S": "NORMAL"}}}}}
    metrics = {"X": [1.0, 2.0 + 1e-9], "S": "NORMAL"}
    same = {"r0": {"TASKS": {"A": {"CPU_S": 0.1, "METRICS": metrics}}}}
    assert compare(before, same) == []
    changed = {"r0": {"TASKS": {"A": {"METRICS": {"X": [1.0, 2.1], "S": "ALARM", "Y": None}}}}}
    problems = compare(before, changed)
    assert any("/X[1]" in p for p in problems)
    assert any("/S" in p and "ALARM" in p for p in problems)
    assert any("/Y: only in after" in p for p in problems)
    assert compare({"n": [1, 2]}, {"n": [1]}) == ["/n: length 2 -> 1"]
    assert compare({"b": True}, {"b": 1}) != []  # a flag is not a number
