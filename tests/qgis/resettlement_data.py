"""Resettlement projects as the bureau stores them: Chinese field names, dates as text in mixed forms."""

FIELDS = [("项目编号", "string"), ("征迁日期", "string"), ("安置房开工日期", "string"), ("安置房竣工日期", "string"),
          ("完成安置日期", "string"), ("户数", "integer"), ("安置地块编号", "string"), ("行政区", "string")]


def project(pid, expro, start=None, complete=None, resettled=None, households=10, plot="P1", x=0):
    return {"wkt": f"POINT({530000 + x} 3340000)", "项目编号": pid, "征迁日期": expro, "安置房开工日期": start,
            "安置房竣工日期": complete, "完成安置日期": resettled, "户数": households, "安置地块编号": plot,
            "行政区": "城厢街道"}
