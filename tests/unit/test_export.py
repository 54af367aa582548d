"""XLSX export (land_bureau_plugin/export.py), read back with openpyxl: Chinese headers with units, frozen header
row, filters, number formats, widths."""
import pandas as pd
import pytest

from land_bureau_plugin.export import column_width, sheet_title, theme_table, to_csv, to_xlsx
from land_bureau_plugin.layouts.themes import EFFICIENCY, RESETTLEMENT

openpyxl = pytest.importorskip("openpyxl")


def parcels() -> pd.DataFrame:
    """A low-efficiency result as read from a layer (object dtype, None for NULL)."""
    return pd.DataFrame({
        "parcel_id": ["XS-000001", "XS-000002", "XS-000003"], "owner": ["杭州萧山某某机械有限公司", "乙", None],
        "area_mu": [12.34, 3.0, None], "far": [0.27, 1.5, None], "grade": ["D", "A", None],
        "low_eff": [1, 0, 1], "potential_m2": [21512.0, 0.0, None], "tax": [153.5, 54.2, None],
        "reasons": ["容积率 0.27 低于 0.80；建筑系数 27% 低于 30%；" * 3, "", None]}, dtype=object)


def test_theme_table_has_chinese_headers_with_units_and_numbers_in_those_units():
    table, formats = theme_table(parcels(), EFFICIENCY)
    assert {"面积（亩）", "再开发潜力（万m²）", "年税收（万元）", "容积率", "亩均等级"} <= set(table.columns)
    assert table["地块编号"].tolist() == ["XS-000001", "XS-000002", "XS-000003"]  # potential, missing last
    assert table["面积（亩）"].tolist()[:2] == [12.3, 3.0] and pd.isna(table["面积（亩）"].iloc[2])
    assert table["再开发潜力（万m²）"].tolist()[:2] == [2.15, 0.0]
    assert formats["面积（亩）"] == "#,##0.0" and formats["再开发潜力（万m²）"] == "#,##0.00"
    assert len(theme_table(parcels(), EFFICIENCY, flagged_only=True)[0]) == 2


def test_xlsx_header_is_frozen_styled_filtered_and_columns_fit(tmp_path):
    table, formats = theme_table(parcels(), EFFICIENCY)
    path = tmp_path / "parcels.xlsx"
    to_xlsx(table, str(path), sheet="低效用地 [2026/11]", number_formats=formats)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title == "低效用地 _2026_11_"
    headers = [cell.value for cell in sheet[1]]
    assert headers == list(table.columns)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}4"
    area = headers.index("面积（亩）") + 1
    assert sheet.cell(2, area).value == pytest.approx(12.3) and sheet.cell(2, area).number_format == "#,##0.0"
    assert sheet.cell(4, area).value is None  # missing stays empty, not 'nan'
    widths = {h: sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i, h in enumerate(headers)}
    assert widths["原因"] == 60  # long reasons capped; Excel wraps them
    assert widths["地块编号"] >= len("XS-000001") and widths["地块编号"] < widths["权利人"]
    assert widths["再开发潜力（万m²）"] >= 2 * len("再开发潜力") + 4  # the header with its unit fits


def test_resettlement_export_keeps_codes_in_words_and_csv_opens_in_excel(tmp_path):
    result = pd.DataFrame({"project_id": ["A", "B"], "grade": ["red", "green"],
                           "resettle_status": ["overdue", "on_time"], "resettle_days": [-120, 400],
                           "overdue_households": [35, 0]}, dtype=object)
    table, formats = theme_table(result, RESETTLEMENT)
    assert table["预警等级"].tolist() == ["红色超期", "正常"] and table["安置(+5)"].tolist() == ["超期", "按期"]
    assert formats["超期过渡（户）"] == "#,##0"
    to_csv(table, str(tmp_path / "r.csv"))
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8


def test_width_counts_chinese_double_and_formatted_numbers():
    assert column_width("面积（亩）", pd.Series([1234567.891]), "#,##0.0") == len("1,234,567.9") + 2
    assert column_width("名称", pd.Series(["一二三四五六七八"])) == 18
    assert column_width("x", pd.Series([None, float("nan")])) == 6
    assert sheet_title("") == "results" and len(sheet_title("长" * 40)) == 31
