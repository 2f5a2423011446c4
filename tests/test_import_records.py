"""Nothing garbled on import (issue 12): a CSV record with an unclosed quote or another number
of cells than the header, or a JSON Lines record that is not an object, is reported with its
line and skipped, never merged with the lines after it; --strict refuses the whole file; the
summary line counts them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench.storage.models import Claim
from workbench.storage.store import Store


def _texts(store: Store) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(Claim.text).order_by(Claim.id)))


def _write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return str(path)


def _problems(cli: Any, path: str) -> tuple[list[str], Any]:
    result = cli("import", path, "--json")
    assert result.code == 0, result.err
    data = result.json()
    return [f"{p['where']}: {p['message']}" for p in data["problems"]], data


def test_an_unclosed_quote_is_one_bad_line_not_a_merged_claim(
    tmp_path: Path, cli: Any, store: Store
) -> None:
    path = _write(
        tmp_path,
        "claims.csv",
        "text,score\n"
        "The bridge cost 12 million.,0.5\n"
        '"Rents doubled in a year,0.4\n'  # line 3: the quote is never closed
        "Jobs grew by 2%.,0.3\n"
        "Taxes fell.,0.2\n",
    )
    problems, data = _problems(cli, path)
    assert len(problems) == 1 and problems[0].startswith("line 3: a quote that is not closed")
    assert data["added"]["claims"] == 3 and data["records"] == 4
    assert _texts(store) == ["The bridge cost 12 million.", "Jobs grew by 2%.", "Taxes fell."]


def test_a_quote_closed_lines_later_by_a_stray_one_is_still_one_bad_line(
    tmp_path: Path, cli: Any, store: Store
) -> None:
    path = _write(
        tmp_path,
        "claims.csv",
        "text,score\r\n"
        '"Rents doubled in a year,0.4\r\n'  # line 2: open quote...
        'The mayor called it "fair",0.3\r\n'  # ...that this line's first quote would close
        "Taxes fell.,0.2\r\n",
    )
    problems, data = _problems(cli, path)
    assert [p.split(":")[0] for p in problems] == ["line 2"]
    assert _texts(store) == ['The mayor called it "fair"', "Taxes fell."]
    assert data["added"]["claims"] == 2


def test_records_with_another_number_of_cells_are_reported_and_skipped(
    tmp_path: Path, cli: Any, store: Store
) -> None:
    path = _write(
        tmp_path,
        "claims.csv",
        "text,score,status\n"
        '"A claim written\nover two lines",0.5,new\n'  # lines 2-3: a valid quoted cell
        "Too,many,cells,here\n"  # line 4
        "Only the text\n"  # line 5
        "\n"
        "The port handled 2.1 million containers.,0.9,new\n",
    )
    problems, data = _problems(cli, path)
    assert problems == [
        "line 4: 4 cells, but the header has 3",
        "line 5: 1 cells, but the header has 3",
    ]
    assert _texts(store) == [
        "A claim written over two lines",
        "The port handled 2.1 million containers.",
    ]
    summary = cli("import", path)  # the same file again, in text mode
    assert summary.code == 0
    assert "2 already present; 2 malformed records skipped" in summary.out
    assert "line 4: 4 cells" in summary.err


def test_strict_refuses_a_csv_with_any_bad_record(tmp_path: Path, cli: Any, store: Store) -> None:
    path = _write(tmp_path, "claims.csv", 'text\nFine claim.\n"Broken claim\nAnother.\n')
    result = cli("import", path, "--strict")
    assert result.code == 1
    assert "1 malformed record, nothing imported (--strict)" in result.err
    assert "line 3: a quote that is not closed" in result.err
    assert _texts(store) == []
    plain = cli("import", path)
    assert plain.code == 0 and "2 claims; 1 malformed record skipped" in plain.out
    assert _texts(store) == ["Fine claim.", "Another."]


def test_json_lines_records_that_are_not_objects(tmp_path: Path, cli: Any, store: Store) -> None:
    lines = [
        json.dumps({"text": "Inflation hit 9%."}),
        json.dumps(["a", "list"]),
        "42",
        json.dumps("just a string"),
        json.dumps({"text": "A line\u2028separator inside."}, ensure_ascii=False),
        "null",
        json.dumps({"text": "Wages rose 3%."}),
    ]
    content = "\n".join(lines) + "\n"
    path = _write(tmp_path, "claims.jsonl", content)
    problems, data = _problems(cli, path)
    assert problems == [f"line {n}: not a JSON object" for n in (2, 3, 4, 6)]
    assert data["added"]["claims"] == 3
    assert _texts(store) == ["Inflation hit 9%.", "A line separator inside.", "Wages rose 3%."]
    strict = cli("import", _write(tmp_path, "again.jsonl", content), "--strict")
    assert strict.code == 1 and "4 malformed records, nothing imported" in strict.err
    # Sniffed without the extension, even when the first record is not an object.
    sniffed = _write(tmp_path, "more.txt", '["first"]\n{"text": "Sniffed claim."}\n')
    result = cli("import", sniffed)
    assert result.code == 0, result.err
    assert "(jsonl): 1 claim; 1 malformed record skipped" in result.out
