"""Property-based: whatever a file holds, reading it never crashes and accounts for every row.

No database. A crash here would be a 500 on the upload page instead of a message for the user.
"""

import csv
import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from imports.parsers import FileRejected, read_table
from tests.fuzz import examples

from .files import cleaned, xlsx_bytes

# Derandomized by the default profile (conftest.py): the same examples on every run and
# machine; `make fuzz` explores more.
FAST = settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])

MAGIC = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"Name,Phone\n",
]
# Any text a spreadsheet cell can hold in a CSV, except NUL (which marks a binary file) and the
# other delimiters, which would make a different delimiter the right reading of the file.
cell_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00;\t"), max_size=12
)
phone_like = st.sampled_from(["9876543210", "+91 98765 43210", "12345", "", "  ", "'=1+1"])
cells = st.one_of(cell_text, phone_like)


def read_or_rejection(data):
    """The table, or None when the file was refused; anything else propagates and fails."""
    try:
        return read_table(data)
    except FileRejected as rejection:
        assert str(rejection), "a rejection always tells the user something"
        return None


def assert_every_row_accounted_for(table):
    for _, values, error in cleaned(table):
        # Clean; imported with a warning; or not imported, with the one reason why.
        assert values is not None or error is not None, "a dropped row always says why"
        if values is not None and error is not None:
            assert error.warning, "a row that is imported carries only a warning"
        if values is None:
            assert not error.warning, "a row that is not imported fails, not warns"
        if error is not None:
            assert error.reason


@FAST
@given(magic=st.sampled_from(MAGIC), body=st.binary(max_size=600))
def test_random_bytes_are_read_or_rejected_never_crash(magic, body):
    table = read_or_rejection(magic + body)

    if table is not None:
        assert_every_row_accounted_for(table)


@FAST
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_random_text_is_read_or_rejected_never_crash(text, encoding):
    table = read_or_rejection(("Name,Phone,Enquiry date\n" + text).encode(encoding))

    if table is not None:
        assert_every_row_accounted_for(table)


def is_blank(row):
    return all(cell.strip() == "" for cell in row)


@FAST
@given(
    extra=st.integers(0, 3),
    grid=st.lists(st.lists(cells, min_size=0, max_size=6), max_size=25),
)
def test_a_csv_written_by_csv_writer_reads_back_every_non_blank_row(extra, grid):
    header = ["Name", "Phone", "Enquiry date", *[f"Extra {n}" for n in range(extra)]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *grid])

    table = read_or_rejection(buffer.getvalue().encode())

    expected = [(number, row) for number, row in enumerate(grid, start=2) if not is_blank(row)]
    if not expected:
        assert table is None  # header only: refused, never an empty import
        return
    assert table.header == header
    assert table.rows == expected
    assert_every_row_accounted_for(table)


printable_cell = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), max_size=12
).filter(lambda text: not text.startswith("="))


@settings(max_examples=examples(40))
@given(grid=st.lists(st.lists(st.one_of(printable_cell, phone_like), max_size=4), max_size=12))
def test_an_xlsx_reads_back_every_non_blank_row(grid):
    table = read_or_rejection(xlsx_bytes([["Phone", "Name", "Remark", "City"], *grid]))

    expected = [n for n, row in enumerate(grid, start=2) if row and not is_blank(row)]
    if not expected:
        assert table is None
        return
    assert [number for number, _ in table.rows] == expected
    assert_every_row_accounted_for(table)


@settings(max_examples=examples(150))
@given(mutations=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255))))
@example(mutations=[(0.8796901244480139, 1)])  # a part flagged as encrypted (`make fuzz`)
def test_a_damaged_workbook_is_read_or_rejected_never_crash(mutations):
    data = bytearray(xlsx_bytes([["Name", "Phone"], ["Asha", "9876543210"], ["Ravi", 9876543211]]))
    for where, byte in mutations:
        data[int(where * len(data))] = byte

    table = read_or_rejection(bytes(data))

    if table is not None:
        assert_every_row_accounted_for(table)
