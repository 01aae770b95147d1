"""The parser against the real document: counts, fields and the handling of its defects."""

import datetime as dt

import pytest

# Read off the source by hand: key task -> lead units, measures, targets.
LEADS = {
    1: ["市税务局"], 2: ["市财政局", "市国资委"], 3: ["市自然资源和规划局"], 4: ["市发展改革委"],
    5: ["市金融办"], 6: ["市人力社保局"], 7: ["市发展改革委"], 8: ["市科技局"], 9: ["市发展改革委"],
    10: ["市发展改革委"], 11: ["市财政局"], 12: ["市政务服务局"], 13: ["市政务服务局"], 14: ["市政务服务局"],
    15: ["市市场监管局"], 16: ["市发展改革委"], 17: ["市商务局"], 18: ["市商务局"], 19: ["市市场监管局"],
    20: ["市市场监管局"], 21: ["市经信局"], 22: ["市经信局"], 23: ["市经信局"], 24: ["市司法局"],
    25: ["市委统战部"], 26: ["市委改革办"], 27: ["市综合行政执法局"], 28: ["市发展改革委"], 29: ["市经信局"],
    30: ["市委统战部"], 31: ["市委宣传部"], 32: ["市“两个健康”办"],
}
MEASURES = [10, 3, 11, 3, 14, 9, 5, 5, 4, 3, 4, 4, 5, 3, 8, 3, 7, 5, 9, 7, 3, 4, 5, 16, 7, 6, 6, 4, 6, 6, 5, 5]
TARGETS = [4, 2, 2, 1, 9, 6, 1, 6, 1, 1, 1, 2, 2, 1, 2, 1, 1, 3, 4, 4, 2, 4, 3, 9, 2, 5, 4, 1, 4, 1, 2, 1]
AREAS = [1] * 6 + [2] * 5 + [3] * 5 + [4] * 7 + [5] * 9


def test_counts(doc):
    assert len(doc.tasks) == 32
    assert [t.number for t in doc.tasks] == list(range(1, 33))
    assert doc.measure_count == 195 == doc.declared_measures
    assert doc.target_count == 92
    assert [len(t.measures) for t in doc.tasks] == MEASURES
    assert [len(t.targets) for t in doc.tasks] == TARGETS


def test_notice(doc):
    assert doc.doc_number == "温政办〔2023〕82号"
    assert doc.issuer.unit.name_zh == "温州市人民政府办公室"
    assert doc.date == dt.date(2023, 10, 27)
    assert doc.notice_title == "温州市人民政府办公室关于印发温州市促进民营经济高质量发展若干举措的通知"
    assert doc.addressees == ("各县（市、区）人民政府", "市各有关单位")
    assert doc.release_statement == "此件公开发布"
    assert doc.cc == ("市委", "市人大常委会", "市政协办公室")
    assert doc.print_date == dt.date(2023, 10, 27)
    assert doc.printed_by == "温州市人民政府办公室"


def test_main_text(doc):
    assert doc.title == "温州市促进民营经济高质量发展若干举措"
    assert [r.title for r in doc.implements] == [
        "中共中央 国务院关于促进民营经济发展壮大的意见", "浙江省促进民营经济高质量发展若干措施"]
    assert doc.principle.startswith("以“全面承接、巩固提升、创新突破”为原则")
    assert [g.year for g in doc.goals] == [2023, 2025]
    assert "减负300亿元以上" in doc.goals[0].text
    assert "市场经营主体突破150万户" in doc.goals[1].text
    assert [a.name for a in doc.areas] == ["提信心增预期", "降门槛扩领域", "真公平破隐性", "拓市场促升级", "优氛围增服务"]
    assert doc.areas[4].text.endswith("实现问题化解全闭环。")
    assert [(g.number, g.title) for g in doc.guarantees] == [(1, "强化组织领导"), (2, "强化督查考核"), (3, "强化宣传引导")]
    assert doc.task_list_title.endswith("任务清单（195条）")


def test_page_break_in_main_text_is_joined(doc):
    text = doc.guarantees[2].text
    assert "政策举措和工作成效" in text and text.endswith("浓厚氛围。")
    assert any(n.kind == "page-break" and n.line == 55 for n in doc.notes)


@pytest.mark.parametrize("number", range(1, 33))
def test_lead_units(doc, number):
    task = doc.tasks[number - 1]
    assert [m.unit.name_zh for m in task.leads] == LEADS[number]


def test_single_unit_without_star_is_lead(doc):
    # 4: 市发展改革委, 8: 市科技局, 10, 11, 15, 21: one unit, no '*'
    for n in (4, 8, 10, 11, 15, 21):
        task = doc.tasks[n - 1]
        assert len(task.units) == 1 and task.units[0].lead


def test_support_units(doc):
    task5 = doc.tasks[4]
    assert [m.unit.name_zh for m in task5.supports] == [
        "人行温州市分行", "温州金融监管分局", "市财政局", "市发展改革委", "市科技局", "市“两个健康”办"]
    assert [m.unit.name_zh for m in doc.tasks[12].supports][-1] == "相关县（市、区）政府"
    assert sum(len(t.supports) for t in doc.tasks) == 100
    assert len({m.unit.id for t in doc.tasks for m in t.units}) == 42


def test_areas(doc):
    assert [t.area for t in doc.tasks] == AREAS


def test_titles(doc):
    assert doc.tasks[0].title == "强化财税政策保障"
    assert doc.tasks[5].title == "强化人才和用工需求保障"  # '强化 人才和用 工需求保 障'
    assert doc.tasks[31].title == "建立健全“四个定期”调度评估工作机制"


def test_periods(doc):
    labels = [t.period.label for t in doc.tasks]
    assert labels[0] == "2023-2027年"  # '2023- 2027年'
    assert labels[3] == "2023-2025年"
    assert labels[5] == "2023-2025年"  # '2023-2025' without 年
    assert labels[16] == "2023年"
    assert labels[2] == "长期实施"  # '长期 实施'
    assert labels.count("长期实施") == 25  # all but 1, 2, 4, 6, 17, 21, 26
    assert doc.tasks[2].period.long_term and doc.tasks[0].period.start == 2023 and doc.tasks[0].period.end == 2027


def test_contacts(doc):
    assert (doc.tasks[0].contact.name, doc.tasks[0].contact.phone) == ("蔡景像", "0577-88026991")
    assert doc.tasks[1].contact.phone == "18066280783"
    assert doc.tasks[21].contact.name == "鲍金斌"  # '<p>鲍金斌 0577-88968063</p>'
    assert doc.tasks[0].contact.tel_uri == "tel:+86-577-88026991"
    assert doc.tasks[1].contact.tel_uri == "tel:+86-180-6628-0783"


def test_repeated_rows_are_merged(doc):
    task1 = doc.tasks[0]
    assert task1.lines == (64, 67)
    assert [m.line for m in task1.measures] == [64] * 4 + [67] * 6
    assert task1.measures[4].text.startswith("积极开展“便民办税春风行动”")
    task3 = doc.tasks[2]
    assert task3.lines == (71, 76)
    assert [m.number for m in task3.measures] == list(range(1, 12))
    assert task3.measures[6].text.startswith("加快推进存量土地盘活利用") and task3.measures[6].line == 76
    assert task3.measures[10].text.endswith("实现“拿地即开工”。")
    assert [t.lines for t in doc.tasks if len(t.lines) > 1] == [(64, 67), (71, 76), (82, 85), (94, 97), (135, 138)]
    # the repeated targets are not counted twice
    assert len(doc.tasks[23].targets) == 9 and len(doc.tasks[23].measures) == 16


def test_disagreement_keeps_first_copy_and_is_reported(doc):
    target = doc.tasks[23].targets[5]
    assert "诉前调解成功数与法院" in target.text and target.line == 135
    notes = [n for n in doc.notes if n.kind == "disagreement"]
    assert len(notes) == 1
    assert notes[0].line == 138 and "target 6" in notes[0].message and "成功率" in notes[0].message


def test_spaces_markup_and_entities(doc):
    target = doc.tasks[7].targets[5]
    assert target.text == "到2025年, R&D经费支出占GDP比重达3%左右。"
    assert doc.tasks[0].targets[0].text.startswith("增值税小规模纳税人减免增值税，小微企业减按25%计入应纳税所得额")
    assert all("<" not in i.text and "&amp;" not in i.text for t in doc.tasks for i in t.targets + t.measures)
    # the unusual 'and' on line 138 is kept and reported
    assert "涉民营企业and企业家" in doc.tasks[23].measures[13].text
    assert any(n.kind == "unusual" and n.line == 138 for n in doc.notes)


def test_unnumbered_single_target(doc):
    target = doc.tasks[6].targets[0]
    assert (target.number, target.numbered, target.text) == (1, False, "2023年向民间资本推介项目不少于10个。")


def test_plain_numbered_cells(doc):
    # line 110 has '1. … 2. …' without HTML
    assert [t.text[:8] for t in doc.tasks[12].targets] == ["违法违规乱象有效", "各级招投标综合部"]
    # decimals are not item numbers: '5.42万人'
    assert "新增技能人才5.42万人" in doc.tasks[5].targets[2].text


def test_area_repairs_and_inheritance_are_reported(doc):
    repaired = sorted(n.line for n in doc.notes if n.kind == "area-repaired")
    assert repaired == [64, 106, 135, 138]
    inherited = [n.line for n in doc.notes if n.kind == "area-inherited"]
    assert inherited == [68, 103, 111, 115, 121, 126, 130, 150, 154]


def test_unit_names_with_spaces_and_aliases(doc):
    spaced = {n.message.split("'")[1] for n in doc.notes if n.kind == "unit-spaces"}
    assert spaced == {"市自然资源和 规划局", "市综合行政 执法局", "市“两个健康” 办"}
    task6 = doc.tasks[5]
    org = next(m for m in task6.units if m.unit.name_zh == "市委组织部")
    assert org.alias == "市人才办" and not org.lead
    assert doc.tasks[23].leads[0].alias == "市委依法治市办"
