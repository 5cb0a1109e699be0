import pytest

from qlf.quicklook.io.sections import format_section, parse_section


def test_parse_design_example():
    rows, cols = parse_section("[8:2064,2:2065]")
    assert (rows.start, rows.stop, cols.start, cols.stop) == (1, 2065, 7, 2064)
    assert format_section(rows, cols) == "[8:2064,2:2065]"


@pytest.mark.parametrize(
    "text", ["", "[1:2]", "[0:5,1:2]", "[5:1,1:2]", "[a:b,c:d]", "8:2064,2:2065"]
)
def test_malformed(text):
    with pytest.raises(ValueError, match="malformed section"):
        parse_section(text)
