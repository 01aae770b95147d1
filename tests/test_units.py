"""The gazetteer of responsible units and the reading of units cells."""

import csv

import pytest

from kg.errors import InputError
from kg.units import CLASSIFICATIONS, Gazetteer, Unit
from tests.conftest import ROOT, SOURCE


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def test_gazetteer_covers_every_unit_of_the_document(gaz, doc):
    used = {m.unit.id for t in doc.tasks for m in t.units}
    assert len(used) == 42
    # every gazetteer entry is used by the document (as issuer or responsible unit)
    assert {u.id for u in gaz.units} == used | {"wz-gov-office"}


def test_every_name_appears_in_the_source(gaz):
    text = "".join(SOURCE.read_text(encoding="utf-8").split()).replace("(", "（").replace(")", "）")
    for unit in gaz.units:
        assert unit.name_zh in text, unit.name_zh


def test_entries_are_complete(gaz):
    ids = [u.id for u in gaz.units]
    assert len(ids) == len(set(ids))
    assert all(u.id.isascii() and u.name_en.isascii() for u in gaz.units)
    assert {u.classification for u in gaz.units} <= set(CLASSIFICATIONS)
    assert gaz.lookup("市发展改革委").name_en == "Wenzhou Development and Reform Commission"


def test_segment_spaces_inside_names(gaz):
    mentions = gaz.segment("*市自然资源和 规划局 市经信局 市住建局 市财政局", "f.txt", 7)
    assert [(m.unit.name_zh, m.lead, m.written) for m in mentions] == [
        ("市自然资源和规划局", True, "市自然资源和 规划局"), ("市经信局", False, "市经信局"),
        ("市住建局", False, "市住建局"), ("市财政局", False, "市财政局")]


def test_segment_brackets_and_markup(gaz):
    mentions = gaz.segment("<p>*市经信局 市财政局 相关县（市、区）政府</p>", "f.txt", 1)
    assert [m.unit.id for m in mentions] == ["wz-economy-it", "wz-finance", "counties-concerned-gov"]
    half = gaz.segment("*市政务服务局 相关县(市、区)政府", "f.txt", 1)
    assert half[1].unit.id == "counties-concerned-gov"
    alias = gaz.segment("*市司法局(市委 依法治市办) 市法院", "f.txt", 1)
    assert [(m.unit.id, m.alias) for m in alias] == [("wz-justice", "市委依法治市办"), ("wz-court", None)]


def test_unknown_unit_names_file_line_and_text(gaz):
    with pytest.raises(InputError) as err:
        gaz.segment("*市发展改革委 市海洋渔业局 市财政局", "doc.txt", 42)
    assert str(err.value).startswith("doc.txt:42: unknown responsible unit '市海洋渔业局' in "
                                     "'*市发展改革委 市海洋渔业局 市财政局'")


def test_alias_of_another_unit_is_not_accepted(gaz):
    with pytest.raises(InputError, match="unknown responsible unit"):
        gaz.segment("市财政局(市人才办)", "doc.txt", 1)


def _write(tmp_path, rows, header="id,name_zh,name_en,aliases,classification"):
    path = tmp_path / "units.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("row, message", [
    ("Bad Id,市甲局,A Bureau,,municipal-department", "units.csv:2: unit id 'Bad Id' is not lower-case ASCII"),
    ("a,市甲局,A Bureau,,ministry", "units.csv:2: unknown classification 'ministry'"),
    ("a,市甲局,,,municipal-department", "units.csv:2: unit a needs a Chinese and an English name"),
    ("a,市甲局,A Bureau", "units.csv:2: gazetteer row does not have 5 columns"),
])
def test_bad_gazetteer_rows(tmp_path, row, message):
    with pytest.raises(InputError) as err:
        Gazetteer.load(_write(tmp_path, [row]))
    assert message in str(err.value)


def test_duplicate_names_in_gazetteer(tmp_path):
    path = _write(tmp_path, ["a,市甲局,A,,municipal-department", "b,市乙局,B,市甲局,municipal-department"])
    with pytest.raises(InputError, match="name '市甲局' belongs to both a and b"):
        Gazetteer.load(path)


@pytest.mark.parametrize("name", ["national", "zhejiang", "wenzhou"])
def test_gazetteer_files_are_valid_csv(name):
    with open(ROOT / "data" / "gazetteers" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "name_zh", "name_en", "aliases", "classification"]
    assert all(len(r) == 5 for r in rows)
    prefix = {"national": "cn-", "zhejiang": "zj-", "wenzhou": "wz-"}[name]
    # ids from before ids carried the jurisdiction, kept for their IRIs
    legacy = {"pboc-wenzhou", "nfra-wenzhou", "ouhai-gov", "counties-concerned-gov", "sinosure-wenzhou"}
    assert all(r[0].startswith(prefix) or r[0] in legacy for r in rows[1:])
    Gazetteer.load(ROOT / "data" / "gazetteers" / f"{name}.csv")  # ids, names and classifications checked


def test_segment_open_world_keeps_unknown_text_minimal(gaz):
    """A name the gazetteer does not know, next to known ones, is read alone: its neighbours stay known."""
    made = []

    def unknown(raw):
        made.append(raw)
        return [(raw.strip(), Unit("x-" + str(len(made)), raw.strip(), "", (), "", known=False))]

    mentions = gaz.segment("*市发展改革委 市交通运输局 市海洋局 市国资委", "f.txt", 1, unknown=unknown)
    assert [(m.unit.name_zh, m.role) for m in mentions] == [
        ("市发展改革委", "lead"), ("市交通运输局", "support"), ("市海洋局", "support"), ("市国资委", "support")]
    assert made == ["市海洋局"]
