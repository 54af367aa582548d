"""Supplied parcels and approval batches as the bureau's supervision system exports them: Chinese field names, dates
as text in mixed forms, money in 万元, EPSG:4549 metres (x around 530 km, y around 3,340 km)."""

SUPPLY_FIELDS = [("电子监管号", "string"), ("合同签订日期", "string"), ("约定开工时间", "string"),
                 ("约定竣工时间", "string"), ("实际开工时间", "string"), ("实际竣工时间", "string"),
                 ("停工日期", "string"), ("已开发面积", "double"), ("总投资(万元)", "double"),
                 ("已完成投资(万元)", "double"), ("成交价款(万元)", "double"), ("政府原因", "string"),
                 ("闲置原因", "string"), ("行政区", "string")]
BATCH_FIELDS = [("批次编号", "string"), ("批次名称", "string"), ("批准日期", "string"), ("行政区", "string")]
X0, Y0 = 530000, 3340000


def rect(x0, y0, x1, y1) -> str:
    return (f"POLYGON(({X0 + x0} {Y0 + y0}, {X0 + x1} {Y0 + y0}, {X0 + x1} {Y0 + y1}, {X0 + x0} {Y0 + y1}, "
            f"{X0 + x0} {Y0 + y0}))")


def parcel(pid, agreed, wkt=None, supply="2022-01-01", agreed_done=None, start=None, done=None, stopped=None,
           developed=None, planned=None, invested=None, price=1000.0, government=None, cause=None, district="萧山区"):
    return {"wkt": wkt, "电子监管号": pid, "合同签订日期": supply, "约定开工时间": agreed, "约定竣工时间": agreed_done,
            "实际开工时间": start, "实际竣工时间": done, "停工日期": stopped, "已开发面积": developed,
            "总投资(万元)": planned, "已完成投资(万元)": invested, "成交价款(万元)": price, "政府原因": government,
            "闲置原因": cause, "行政区": district}


def batch(bid, approved, wkt, name="", district="萧山区"):
    return {"wkt": wkt, "批次编号": bid, "批次名称": name or bid, "批准日期": approved, "行政区": district}
