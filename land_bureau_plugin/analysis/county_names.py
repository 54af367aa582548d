"""County and district names written in traditional and in simplified characters: one county, not two.

A ledger that reads 桐廬縣 in one layer and 桐庐县 in another would keep two balances for one county (each wrong).
QGIS on Windows has no OpenCC and the plugin installs nothing at run time, so the characters that occur in the
names of Chinese provinces, prefectures, counties, districts, towns and townships — and the words of the admin
levels themselves (縣 区 鎮 鄉 …) — are folded to their simplified form by a small table written for this plugin
(`TRADITIONAL`, one character to one character). It is deliberately not a general converter: a character whose
simplified form depends on the word (乾 stays in 乾县 and 乾安县, 於 in 於潜), or that is itself a simplified character
used in place names, is left out, so folding never turns two different places into one. Names that agree after the
folding are read as one county under the spelling the data uses in simplified form (else its most frequent
spelling); the caller says which spellings were merged. A name only ever written in traditional characters is kept as
it is: nothing is merged with nothing.
"""
from __future__ import annotations

from collections.abc import Iterable

# traditional → simplified, for the characters of Chinese place names (Zhejiang's 90 counties and districts among
# them: 桐廬 蕭山 餘杭 臨安 富陽 錢塘 濱江 諸暨 義烏 蘭溪 東陽 龍遊 開化 麗水 縉雲 松陽 雲和 慶元 景寧 龍泉 溫州
# 龍灣 甌海 洞頭 樂清 平陽 蒼南 泰順 寧波 北侖 鎮海 餘姚 嘉興 海鹽 海寧 桐鄉 吳興 南潯 長興 紹興 柯橋 金華
# 黃巖 路橋 三門 溫嶺
# 臨海 玉環) and the admin-level words
_PAIRS = (
    "縣县 區区 鎮镇 鄉乡 廬庐 遊游 莊庄 灣湾 嶺岭 臺台 壩坝 橋桥 華华 興兴 麗丽 寧宁 龍龙 鳳凤 雲云 漢汉 滬沪 溫温 "
    "慶庆 樂乐 陸陆 寶宝 義义 豐丰 潯浔 嶼屿 灘滩 澗涧 濱滨 湯汤 潤润 來来 長长 張张 萬万 崗岗 嶗崂 蘭兰 蘇苏 錫锡 "
    "無无 陳陈 鄭郑 衛卫 黃黄 遼辽 遠远 運运 達达 邊边 連连 進进 遷迁 禮礼 廣广 廈厦 廟庙 開开 紹绍 綿绵 紅红 "
    "絳绛 維维 縉缙 蕭萧 餘余 臨临 諸诸 烏乌 東东 陽阳 門门 關关 陰阴 甌瓯 頭头 蒼苍 順顺 侖仑 鹽盐 吳吴 巖岩 "
    "環环 錢钱 島岛 岡冈 嶽岳 峽峡 廠厂 場场 營营 驛驿 鋪铺 閣阁 樓楼 澤泽 溝沟 淺浅 灤滦 濰潍 鄒邹 鄲郸 馬马 "
    "鳥鸟 魚鱼 鶴鹤 鷹鹰 麥麦 齊齐 濟济 魯鲁 晉晋 贛赣 閩闽 粵粤 瓊琼 貴贵 隴陇 陝陕 龜龟 歸归 當当 畢毕 萊莱 "
    "蓮莲 葉叶 蔣蒋 薊蓟 藍蓝 號号 賀贺 資资 趙赵 車车 軍军 輝辉 農农 郵邮 鄰邻 鄧邓 銅铜 鋼钢 錦锦 鐘钟 鍾钟 "
    "鐵铁 閔闵 隨随 雙双 雞鸡 電电 靈灵 頓顿 額额 風风 飛飞 館馆 饒饶 駐驻 騰腾 圖图 團团 園园 圓圆 國国 壽寿 "
    "婁娄 孫孙 學学 將将 層层 嶧峄 巒峦 廳厅 徑径 懷怀 揚扬 敘叙 會会 條条 榮荣 樺桦 橫横 欒栾 歷历 漁渔 潁颍 "
    "瀋沈 灃沣 燈灯 爾尔 獅狮 瑪玛 產产 盤盘 礦矿 碭砀 祿禄 穎颖 窯窑 節节 築筑 範范 簡简 糧粮 紀纪 絲丝 經经 "
    "綏绥 綠绿 總总 羅罗 聖圣 聯联 肅肃 膠胶 舊旧 蘆芦 衝冲 覺觉 觀观 訥讷 許许 詔诏 譙谯 賓宾 躍跃 輪轮 遜逊 "
    "邁迈 還还 郟郏 鄆郓 鄖郧 酈郦 鈞钧 鉛铅 銀银 鏡镜 鐸铎 閘闸 陘陉 韓韩 頂顶 顏颜 顯显 駒驹 驪骊 鬱郁 鮮鲜 "
    "鳴鸣 點点 崑昆 喬乔 圍围 塢坞 墾垦 壺壶 峴岘 嵐岚 庫库 廂厢 彌弥 撫抚 暉晖 棗枣 楊杨 樅枞 淶涞 渾浑 湞浈 "
    "滄沧 滎荥 漣涟 潛潜 澠渑 瀏浏 瀘泸 灕漓 爐炉 獨独 琿珲 瑯琅 甕瓮 盧卢 聶聂 蕪芜 薌芗 蘄蕲 諾诺 謝谢 譚谭 "
    "贊赞 鉅巨 閬阆 韋韦 駝驼 鶯莺 鹹咸 穀谷 復复 從从 滿满"
)
TRADITIONAL = {pair[0]: pair[1] for pair in _PAIRS.split() if pair[0] != pair[1]}
_TABLE = str.maketrans(TRADITIONAL)


def fold(name: str) -> str:
    """The name with the traditional characters of `TRADITIONAL` in their simplified form: 桐廬縣 → 桐庐县."""
    return name.translate(_TABLE)


def one_spelling(names: Iterable) -> dict[str, str]:
    """{spelling: the spelling it is read as} for the names (None and blanks skipped) that agree after `fold` with
    another name of the data: kept is the spelling in simplified characters when the data has it, else the most
    frequent spelling (ties: the first in character order). Names without a second spelling are not listed."""
    counts: dict[str, int] = {}
    for name in names:
        if isinstance(name, str) and name.strip():
            counts[name] = counts.get(name, 0) + 1
    groups: dict[str, list[str]] = {}
    for name in counts:
        groups.setdefault(fold(name), []).append(name)
    merged = {}
    for folded, spellings in groups.items():
        if len(spellings) < 2:
            continue
        kept = folded if folded in spellings else min(spellings, key=lambda s: (-counts[s], s))
        merged.update({spelling: kept for spelling in spellings if spelling != kept})
    return dict(sorted(merged.items()))
