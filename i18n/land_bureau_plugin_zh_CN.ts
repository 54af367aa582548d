<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../land_bureau_plugin/processing/provider.py" line="32"/>
        <source>Land Bureau</source>
        <translation>规划资源</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="484"/>
        <source>see the log for details</source>
        <translation>详见日志</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="39"/>
        <source>Add PostGIS tables</source>
        <translation>添加 PostGIS 数据表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="52"/>
        <source>Saved connection</source>
        <translation>已保存的连接</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="59"/>
        <source>Tables with geometry</source>
        <translation>含几何的数据表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="98"/>
        <source>Cannot connect to {name}: {error}</source>
        <translation>无法连接 {name}：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="69"/>
        <source>On track</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="71"/>
        <source>Red: overdue</source>
        <translation>红色：已超期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="71"/>
        <source>Grey: data missing</source>
        <translation>灰色：数据缺失</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="53"/>
        <source>Project id</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="59"/>
        <source>Project</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="66"/>
        <source>District</source>
        <translation>行政区</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="69"/>
        <source>Grade</source>
        <translation>预警等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="50"/>
        <source>Start (+1)</source>
        <translation>开工（+1）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="50"/>
        <source>Completion (+4)</source>
        <translation>竣工（+4）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="39"/>
        <source>Resettlement (+5)</source>
        <translation>安置（+5）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="51"/>
        <source>Days left (+5)</source>
        <translation>安置剩余天数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="52"/>
        <source>Households overdue</source>
        <translation>超期过渡户数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="54"/>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="66"/>
        <source>Resettlement monitor</source>
        <translation>征迁安置监管</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="76"/>
        <source>Projects layer</source>
        <translation>项目图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="77"/>
        <source>Resettlement plots</source>
        <translation>安置地块</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="91"/>
        <source>As-of date</source>
        <translation>统计日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="95"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="105"/>
        <source>Not run yet.</source>
        <translation>尚未运行。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="107"/>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="81"/>
        <source>Show overdue only</source>
        <translation>只显示超期项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="109"/>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="110"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="118"/>
        <source>Choose the resettlement projects layer first</source>
        <translation>请先选择征迁安置项目图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="124"/>
        <source>The resettlement check failed: {error}</source>
        <translation>征迁安置核查失败：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="128"/>
        <source>Resettlement monitor {date}</source>
        <translation>征迁安置监管 {date}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="155"/>
        <source>Households in overdue transition: &lt;b&gt;{n}&lt;/b&gt;</source>
        <translation>超期过渡户数：&lt;b&gt;{n}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="156"/>
        <source>Projects without a resettlement plot on the map: {n}</source>
        <translation>安置地块未落图的项目：{n}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="255"/>
        <source>Run the check first; there is nothing to export</source>
        <translation>请先运行核查，当前没有可导出的内容</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="257"/>
        <source>Export table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="193"/>
        <source>Cannot write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="259"/>
        <source>Table exported to {path}</source>
        <translation>表格已导出到 {path}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="34"/>
        <source>Load data</source>
        <translation>数据加载</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="36"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="37"/>
        <source>Add from PostGIS…</source>
        <translation>从 PostGIS 添加…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="38"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="44"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="61"/>
        <source>Role</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="44"/>
        <source>Features</source>
        <translation>要素数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="44"/>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="44"/>
        <source>Geometry</source>
        <translation>几何类型</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="63"/>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="67"/>
        <source>Field map (canonical name ← layer field)</source>
        <translation>字段映射（标准字段 ← 图层字段）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="69"/>
        <source>Meaning</source>
        <translation>含义</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="69"/>
        <source>Layer field</source>
        <translation>图层字段</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="75"/>
        <source>Confirm field map</source>
        <translation>确认字段映射</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="76"/>
        <source>Validate</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="80"/>
        <source>Validation report</source>
        <translation>校验报告</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="43"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="130"/>
        <source>Add parcel layers</source>
        <translation>添加地块图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="216"/>
        <source>(not mapped)</source>
        <translation>（未映射）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="263"/>
        <source>Select a layer first</source>
        <translation>请先选择一个图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="242"/>
        <source>The field map of {layer} has errors; see the validation report</source>
        <translation>图层 {layer} 的字段映射有错误，请查看校验报告</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="249"/>
        <source>Field map of {layer} saved in the project</source>
        <translation>图层 {layer} 的字段映射已保存到工程</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="59"/>
        <source>File not found: {path}</source>
        <translation>找不到文件：{path}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="73"/>
        <source>Cannot open {path}: not a readable vector file</source>
        <translation>无法打开 {path}：不是可读取的矢量文件</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="83"/>
        <source>{path} holds no vector layer</source>
        <translation>{path} 中没有矢量图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="170"/>
        <source>{path}: the CSV has no coordinate columns (x/y, lon/lat, 经度/纬度) or WKT column</source>
        <translation>{path}：CSV 中没有坐标列（x/y、lon/lat、经度/纬度）或 WKT 列</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="182"/>
        <source>Cannot open {path} as a CSV layer</source>
        <translation>无法将 {path} 作为 CSV 图层打开</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="202"/>
        <source>Cannot open the PostGIS table {name}: {error}</source>
        <translation>无法打开 PostGIS 数据表 {name}：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="34"/>
        <source> … ({n} in all)</source>
        <translation> …（共 {n} 个）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="44"/>
        <source>Layer {layer}: required field {canon} is not mapped (candidates: {candidates})</source>
        <translation>图层 {layer}：必填字段 {canon} 未映射（候选字段：{candidates}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="47"/>
        <source>Layer {layer}: field {field} is mapped to several roles ({canon}); map each to its own field</source>
        <translation>图层 {layer}：字段 {field} 被映射到多个标准字段（{canon}），请分别映射到不同字段</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="51"/>
        <source>Layer {layer}: field {field} (mapped to {canon}) does not exist</source>
        <translation>图层 {layer}：字段 {field}（映射为 {canon}）不存在</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="64"/>
        <source>Layer {layer} has no geometry</source>
        <translation>图层 {layer} 没有几何</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="66"/>
        <source>Layer {layer} must be polygons for this role, it has {kind}</source>
        <translation>图层 {layer} 用于此用途时必须是面图层，当前为 {kind}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="70"/>
        <source>Layer {layer} has no coordinate reference system; set it before analysing</source>
        <translation>图层 {layer} 没有坐标参考系，请在分析前设置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="73"/>
        <source>Layer {layer} is in geographic coordinates ({crs}); areas are measured in {planar} (m²)</source>
        <translation>图层 {layer} 为地理坐标（{crs}），面积将在 {planar} 中按平方米计算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="86"/>
        <source>Layer {layer}: {field} has duplicated values {values} (feature ids {fids})</source>
        <translation>图层 {layer}：{field} 有重复值 {values}（要素 ID {fids}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="91"/>
        <source>Layer {layer}: {n} features checked, no problems found</source>
        <translation>图层 {layer}：已检查 {n} 个要素，未发现问题</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="103"/>
        <source>Layer {layer}: empty or missing geometry at feature ids {fids}</source>
        <translation>图层 {layer}：要素 ID {fids} 的几何为空或缺失</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="108"/>
        <source>Layer {layer}: invalid geometry at feature ids {fids} (e.g. {first}); analyses repair a copy, the layer is not changed</source>
        <translation>图层 {layer}：要素 ID {fids} 的几何无效（如 {first}）；分析时修复副本，不修改原图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="130"/>
        <source>Layer {layer}: field {field} has values that are not {kind} at feature ids {fids} (e.g. “{example}”)</source>
        <translation>图层 {layer}：字段 {field} 在要素 ID {fids} 处的值不是{kind}（如“{example}”）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="132"/>
        <source>numbers</source>
        <translation>数字</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/validation.py" line="132"/>
        <source>dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/provider.py" line="35"/>
        <source>Land Bureau — planning and natural resources</source>
        <translation>规划资源 — 规划和自然资源</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="280"/>
        <source>Field map for {role} (JSON {{canonical: field}}; empty = saved or detected)</source>
        <translation>{role}的字段映射（JSON {{标准字段: 图层字段}}；留空则使用已保存或自动识别的映射）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="285"/>
        <source>Rule profile (JSON; empty = bundled default)</source>
        <translation>规则配置（JSON；留空则使用内置默认规则）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="296"/>
        <source>The field map is not valid JSON: {error}</source>
        <translation>字段映射不是有效的 JSON：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="298"/>
        <source>The field map must be a JSON object {canonical: field}</source>
        <translation>字段映射必须是 JSON 对象 {标准字段: 图层字段}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="91"/>
        <source>Resettlement deadlines (+1 / +4 / +5)</source>
        <translation>征迁安置节点预警（+1 / +4 / +5）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="118"/>
        <source>Resettlement monitoring</source>
        <translation>征迁安置监管</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="100"/>
        <source>Grades every expropriation project on the as-of date: resettlement housing must start within 1 year of expropriation, be completed within 4 and households resettled within 5 (offsets and warning windows from the rule profile). Adds due dates, status and days left per milestone, a grade (green/yellow/orange/red/grey), households in overdue transition, whether a resettlement plot is on the map, and the reasons. The input layer is not modified.</source>
        <translation>按统计日期对每个征迁项目分级预警：征迁后 1 年内安置房开工、4 年内竣工、5 年内完成安置（年限与预警窗口取自规则配置）。为每个节点添加期限、状态和剩余天数，以及预警等级（绿/黄/橙/红/灰）、超期过渡户数、安置地块是否落图和原因说明。不修改输入图层。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="107"/>
        <source>Resettlement projects</source>
        <translation>征迁安置项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="110"/>
        <source>As-of date (empty = today)</source>
        <translation>统计日期（留空为今天）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="113"/>
        <source>Resettlement plots (for the placement check)</source>
        <translation>安置地块（用于落图核查）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="119"/>
        <source>Summary (JSON)</source>
        <translation>汇总（JSON）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="122"/>
        <source>Households in overdue transition</source>
        <translation>超期过渡户数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="379"/>
        <source>Layer {layer}: required field(s) {fields} not found; detected map: {detected}</source>
        <translation>图层 {layer}：未找到必填字段 {fields}；识别到的映射：{detected}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="163"/>
        <source>Projects: {n}; per grade: {counts}; households in overdue transition: {households}; without a plot on the map: {no_plot}</source>
        <translation>项目数：{n}；各等级：{counts}；超期过渡户数：{households}；安置地块未落图：{no_plot}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="81"/>
        <source>on time</source>
        <translation>按期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="44"/>
        <source>done late</source>
        <translation>逾期完成</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="44"/>
        <source>pending</source>
        <translation>未到期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="81"/>
        <source>due soon</source>
        <translation>临近期限</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="45"/>
        <source>overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="83"/>
        <source>data error</source>
        <translation>数据错误</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="60"/>
        <source>Canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="381"/>
        <source>and {n} more</source>
        <translation>等，另有 {n} 个</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="140"/>
        <source>Low-efficiency land</source>
        <translation>低效用地评价</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="106"/>
        <source>Land efficiency</source>
        <translation>土地利用效率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="126"/>
        <source>Parcels</source>
        <translation>地块</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="129"/>
        <source>Buildings (footprints with storeys and/or height)</source>
        <translation>建筑（基底，含层数和/或高度）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="145"/>
        <source>Low-efficiency parcels</source>
        <translation>低效地块数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="146"/>
        <source>Low-efficiency land (mu)</source>
        <translation>低效用地（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="147"/>
        <source>Potential floor area (10,000 m²)</source>
        <translation>潜力建筑面积（万m²）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="148"/>
        <source>Merge clusters</source>
        <translation>并宗组团数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="310"/>
        <source>Layer {layer}: field map {map}</source>
        <translation>图层 {layer}：字段映射 {map}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="167"/>
        <source>Layer {layer} is in {crs}: areas and lengths are measured in {planar}</source>
        <translation>图层 {layer} 的坐标系为 {crs}：面积和长度在 {planar} 中量算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="316"/>
        <source>{n} building(s) without storeys: storeys estimated from the height</source>
        <translation>{n} 栋建筑无层数：按高度估算层数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="319"/>
        <source>{n} building(s) without storeys or height: counted as 1 storey</source>
        <translation>{n} 栋建筑无层数也无高度：按 1 层计</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="322"/>
        <source>{n} building(s) lie on no parcel</source>
        <translation>{n} 栋建筑不在任何地块内</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/sinks.py" line="98"/>
        <source>Layer {layer}: invalid geometry repaired for feature id(s) {ids}</source>
        <translation>图层 {layer}：以下要素的无效几何已修复，要素 ID：{ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/sinks.py" line="101"/>
        <source>Layer {layer}: empty or non-polygon geometry, not used, feature id(s) {ids}</source>
        <translation>图层 {layer}：以下要素几何为空或不是面，未参与计算，要素 ID：{ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="147"/>
        <source>mu</source>
        <translation>亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="403"/>
        <source>Parcels: {n} ({mu:,.1f} mu); per grade: {grades}; not graded: {none}</source>
        <translation>地块：{n} 宗（{mu:,.1f} 亩）；各等级：{grades}；未评级：{none}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="405"/>
        <source>Low-efficiency land: {n} parcels, {mu:,.1f} mu; potential floor area {potential:,.2f} (10,000 m²), of which {low:,.2f} on low-efficiency land; merge clusters: {clusters}</source>
        <translation>低效用地：{n} 宗，{mu:,.1f} 亩；潜力建筑面积 {potential:,.2f} 万m²，其中低效用地上 {low:,.2f} 万m²；并宗组团：{clusters} 个</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="417"/>
        <source>{district}: {n} parcels ({mu:,.1f} mu), low efficiency {low} ({low_mu:,.1f} mu)</source>
        <translation>{district}：{n} 宗（{mu:,.1f} 亩），低效 {low} 宗（{low_mu:,.1f} 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/templates.py" line="52"/>
        <source>Layout template not found: {path} (bundled templates: {names})</source>
        <translation>找不到版式模板：{path}（内置模板：{names}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="141"/>
        <source>Merge cluster outlines</source>
        <translation>并宗组团范围</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="111"/>
        <source>Industrial upstairs check</source>
        <translation>工业上楼核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="114"/>
        <source>Industrial upstairs</source>
        <translation>工业上楼</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="134"/>
        <source>Industrial upstairs plans</source>
        <translation>工业上楼方案</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="158"/>
        <source>Permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="158"/>
        <source>Ecological red line</source>
        <translation>生态保护红线</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="137"/>
        <source>Urban development boundary</source>
        <translation>城镇开发边界</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="137"/>
        <source>Land use (with codes)</source>
        <translation>用地现状/规划（含用地代码）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="144"/>
        <source>Upstairs check</source>
        <translation>工业上楼核查结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="145"/>
        <source>Upstairs violations</source>
        <translation>工业上楼违规图斑</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="152"/>
        <source>Plans</source>
        <translation>方案数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="153"/>
        <source>Plans passed</source>
        <translation>通过方案数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="154"/>
        <source>Plans failed</source>
        <translation>未通过方案数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="243"/>
        <source>Layer {layer}: no field for {wanted}; field {field} is read as it</source>
        <translation>图层 {layer}：没有“{wanted}”字段，改用字段 {field}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="207"/>
        <source>Layer {layer} is in {crs}: reprojected to {planar} to measure areas</source>
        <translation>图层 {layer} 的坐标系为 {crs}：已重投影到 {planar} 计算面积</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="290"/>
        <source>Layer {layer}: no field for {fields}; the rules that need them are not checked</source>
        <translation>图层 {layer}：缺少字段 {fields}；依赖这些字段的规则未核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="294"/>
        <source>Layer {layer}: no plan id field (方案编号 / FABH / plan_id); plans are named by feature id</source>
        <translation>图层 {layer}：没有方案编号字段（方案编号 / FABH / plan_id）；方案以要素号命名</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="298"/>
        <source>Not given, so not checked: {rules}</source>
        <translation>未提供图层，未核查：{rules}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="301"/>
        <source>No land-use layer: each plan&apos;s own land-use code (field {field}) decides the industrial-land rule</source>
        <translation>未提供用地图层：工业用地规则按各方案自身的用地性质（字段 {field}）判断</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="304"/>
        <source>No land-use layer and no land-use field: the industrial-land rule is not checked</source>
        <translation>既无用地图层也无用地性质字段：工业用地规则未核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="337"/>
        <source>Layer {layer}: plan id(s) used more than once: {ids}</source>
        <translation>图层 {layer}：方案编号重复：{ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="474"/>
        <source>Failed per rule: {counts}</source>
        <translation>各规则未通过数：{counts}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="189"/>
        <source>The connection stores its password in clear text, which would be written into the project. Use a QGIS authentication configuration (authcfg) or a libpq service file instead.</source>
        <translation>该连接以明文保存密码，密码会被写入工程文件。请改用 QGIS 认证配置（authcfg）或 libpq 服务文件（service）。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/connection.py" line="63"/>
        <source>The authentication configuration {id} could not be read (is the QGIS master password set?)</source>
        <translation>无法读取认证配置 {id}（是否已设置 QGIS 主密码？）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/connection.py" line="81"/>
        <source>Cannot connect to the database {database}: {error}</source>
        <translation>无法连接数据库 {database}：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/engine.py" line="120"/>
        <source>Cancelled; nothing was written to the database.</source>
        <translation>已取消，未向数据库写入任何内容。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/connection.py" line="100"/>
        <source>The connection to the database {database} was lost; nothing was written. Try again when the server is reachable. ({error})</source>
        <translation>与数据库 {database} 的连接已断开，未写入任何内容。请在服务器可访问时重试。（{error}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/connection.py" line="103"/>
        <source>User {user} may not write to the database {database} (a read-only account?): the in-database analysis writes its results and run log there. Ask the administrator for the privilege, or run the analysis locally. ({error})</source>
        <translation>用户 {user} 无权写入数据库 {database}（只读账号？）：库内分析需要在库中写入结果和运行日志。请向管理员申请权限，或改为本地运行分析。（{error}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/connection.py" line="107"/>
        <source>Database error in {database}: {error}</source>
        <translation>数据库 {database} 出错：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="86"/>
        <source>Column {column} not found in table {table}</source>
        <translation>表 {table} 中没有字段 {column}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="106"/>
        <source>Table {table} not found in the database</source>
        <translation>数据库中没有表 {table}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="109"/>
        <source>User may not read table {table}</source>
        <translation>当前用户无权读取表 {table}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="114"/>
        <source>Table {table} has no geometry column {column}</source>
        <translation>表 {table} 没有几何字段 {column}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="150"/>
        <source>Table {table} has no primary key: in-database results are keyed by it. Add one (ALTER TABLE … ADD PRIMARY KEY) or run the analysis locally.</source>
        <translation>表 {table} 没有主键：库内分析结果按主键关联。请添加主键（ALTER TABLE … ADD PRIMARY KEY），或改为本地运行分析。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="153"/>
        <source>Table {table} has a primary key of several columns ({columns}); the in-database analysis needs a single-column key.</source>
        <translation>表 {table} 的主键由多个字段组成（{columns}）；库内分析需要单字段主键。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="181"/>
        <source>Table {table} has no spatial (GiST) index on {column}: the in-database analysis would scan the whole table for every parcel. Allow creating it (built CONCURRENTLY, it does not block edits) or ask the table&apos;s owner.</source>
        <translation>表 {table} 的字段 {column} 没有空间（GiST）索引：库内分析将对每个地块扫描全表。请允许创建索引（以 CONCURRENTLY 方式创建，不影响他人编辑），或联系该表的所有者。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/tables.py" line="201"/>
        <source>Cannot create the spatial index on {table}: only its owner may ({error})</source>
        <translation>无法在表 {table} 上创建空间索引：只有表的所有者可以创建（{error}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="22"/>
        <source>Cannot export to {path}: choose a .pdf or .png file</source>
        <translation>无法导出到 {path}：请选择 .pdf 或 .png 文件</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="28"/>
        <source>The atlas coverage layer {layer} has no features: there is no page to print</source>
        <translation>图集覆盖图层 {layer} 没有要素：没有可打印的页面</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="62"/>
        <source>Cannot write {path}: the folder {folder} does not exist</source>
        <translation>无法写入 {path}：文件夹 {folder} 不存在</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="65"/>
        <source>Cannot write {path}: it is a folder</source>
        <translation>无法写入 {path}：这是一个文件夹</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="67"/>
        <source>Cannot write {path}: permission denied</source>
        <translation>无法写入 {path}：没有写入权限</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="73"/>
        <source>the file cannot be written (open in another program, or the folder is read-only)</source>
        <translation>文件无法写入（可能已在其他程序中打开，或文件夹为只读）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="74"/>
        <source>not enough memory; export at a lower resolution</source>
        <translation>内存不足，请降低分辨率后导出</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="75"/>
        <source>the printer or PDF writer failed</source>
        <translation>打印机或 PDF 写入失败</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="76"/>
        <source>the atlas pages could not be prepared</source>
        <translation>无法生成图集页面</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="77"/>
        <source>canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="79"/>
        <source>export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/exporting.py" line="82"/>
        <source>Cannot export the layout to {path}: {reason}</source>
        <translation>无法将版式导出到 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="117"/>
        <source>No layer to print</source>
        <translation>没有可打印的图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="487"/>
        <source>Cannot read the layout template {path}: {error}</source>
        <translation>无法读取版式模板 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="495"/>
        <source>The layout template {path} is not a valid QGIS template (.qpt)</source>
        <translation>版式模板 {path} 不是有效的 QGIS 模板（.qpt）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="532"/>
        <source>Layer {layer} has no field {field}: it is not a result of {algorithm}</source>
        <translation>图层 {layer} 没有字段 {field}：它不是 {algorithm} 的结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="840"/>
        <source>No north arrow picture found; the layout has none</source>
        <translation>找不到指北针图片，版式中将不显示指北针</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="850"/>
        <source>Layer {layer} has no field {field} to name the pages</source>
        <translation>图层 {layer} 没有用于页面命名的字段 {field}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="61"/>
        <source>Tax per mu</source>
        <translation>亩均税收</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="54"/>
        <source>Output per mu</source>
        <translation>亩均产值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="55"/>
        <source>Output per unit of energy</source>
        <translation>单位能耗产值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="55"/>
        <source>Output per employee</source>
        <translation>全员劳动生产率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="56"/>
        <source>R&amp;D share of output</source>
        <translation>研发经费占比</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="112"/>
        <source>Land-use code</source>
        <translation>用地代码</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="112"/>
        <source>Minimum FAR</source>
        <translation>最低容积率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="112"/>
        <source>Target FAR</source>
        <translation>目标容积率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="123"/>
        <source>Add code</source>
        <translation>添加代码</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="124"/>
        <source>Remove code</source>
        <translation>删除代码</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="140"/>
        <source>Minimum coverage</source>
        <translation>最低建筑系数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="142"/>
        <source>Storey height for buildings without storeys</source>
        <translation>无层数建筑的层高</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="143"/>
        <source>Shared edge that links a merge cluster</source>
        <translation>并宗组团的最短共边长度</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="148"/>
        <source>Weight: {indicator}</source>
        <translation>权重：{indicator}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="285"/>
        <source>not a number: {value}</source>
        <translation>不是数字：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="45"/>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="45"/>
        <source>failed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="45"/>
        <source>not checked</source>
        <translation>未核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="79"/>
        <source>Plan id</source>
        <translation>方案编号</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="299"/>
        <source>Result</source>
        <translation>核查结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="173"/>
        <source>Plans layer</source>
        <translation>方案图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="198"/>
        <source>Rule profile (*.json)</source>
        <translation>规则配置 (*.json)</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="262"/>
        <source>bundled default</source>
        <translation>内置默认</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="270"/>
        <source>Rule profile</source>
        <translation>规则配置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="215"/>
        <source>Show failed plans only</source>
        <translation>只显示未通过的方案</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="219"/>
        <source>Plan / rule</source>
        <translation>方案 / 规则</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="299"/>
        <source>Value</source>
        <translation>实测值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="299"/>
        <source>Threshold</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="299"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="482"/>
        <source>Choose the plans layer first</source>
        <translation>请先选择方案图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="279"/>
        <source>The upstairs check failed: {error}</source>
        <translation>工业上楼核查失败：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="110"/>
        <source>{failed} failed, {open} not checked</source>
        <translation>{failed} 项未通过，{open} 项未核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="76"/>
        <source>A — develop first</source>
        <translation>A 优先发展</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="76"/>
        <source>B — upgrade</source>
        <translation>B 提升发展</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="77"/>
        <source>C — regulate and support</source>
        <translation>C 调控帮扶</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="77"/>
        <source>D — rectify</source>
        <translation>D 倒逼整治</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="59"/>
        <source>Parcel id</source>
        <translation>地块编号</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="88"/>
        <source>Owner</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="87"/>
        <source>Land use</source>
        <translation>用地性质</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="85"/>
        <source>Score</source>
        <translation>亩均评分</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="348"/>
        <source>FAR</source>
        <translation>容积率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="86"/>
        <source>Coverage %</source>
        <translation>建筑系数%</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="86"/>
        <source>Potential m²</source>
        <translation>潜力建筑面积(m²)</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="87"/>
        <source>Cluster</source>
        <translation>并宗组团</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="88"/>
        <source>Mode</source>
        <translation>再开发模式</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="147"/>
        <source>Low efficiency</source>
        <translation>低效</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="265"/>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="375"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="467"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="331"/>
        <source>Why this parcel</source>
        <translation>认定原因</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="332"/>
        <source>Pick a parcel on the map</source>
        <translation>在地图上点选地块</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="734"/>
        <source>Click a row or a parcel on the map.</source>
        <translation>点击表格中的一行或地图上的地块。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="287"/>
        <source>Show low-efficiency parcels only</source>
        <translation>只显示低效地块</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="434"/>
        <source>Save rule profile</source>
        <translation>保存规则配置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="437"/>
        <source>Rule profile saved to {path}</source>
        <translation>规则配置已保存到 {path}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="698"/>
        <source>Choose the parcels layer first</source>
        <translation>请先选择地块图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="473"/>
        <source>The low-efficiency evaluation failed: {error}</source>
        <translation>低效用地评价失败：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="516"/>
        <source>Low-efficiency land: &lt;b&gt;{n}&lt;/b&gt; parcels, &lt;b&gt;{mu:,.1f}&lt;/b&gt; mu</source>
        <translation>低效用地：&lt;b&gt;{n}&lt;/b&gt; 宗，&lt;b&gt;{mu:,.1f}&lt;/b&gt; 亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="517"/>
        <source>Potential floor area: &lt;b&gt;{total:,.2f}&lt;/b&gt; (10,000 m²), of which {low:,.2f} on low-efficiency land</source>
        <translation>潜力建筑面积：&lt;b&gt;{total:,.2f}&lt;/b&gt; 万m²，其中低效用地上 {low:,.2f} 万m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="519"/>
        <source>Merge clusters: {n} ({parcels} parcels, {mu:,.1f} mu)</source>
        <translation>并宗组团：{n} 个（{parcels} 宗，{mu:,.1f} 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="147"/>
        <source>Low-efficiency mu</source>
        <translation>低效面积（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="162"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="629"/>
        <source>Parcel {id}: grade {grade}, score {score}, FAR {far}, coverage {coverage}, potential {potential}, cluster {cluster}, mode {mode}</source>
        <translation>地块 {id}：等级 {grade}，亩均评分 {score}，容积率 {far}，建筑系数 {coverage}，潜力建筑面积 {potential}，并宗组团 {cluster}，再开发模式 {mode}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/engine.py" line="151"/>
        <source>Layer {layer} is not a PostGIS table</source>
        <translation>图层 {layer} 不是 PostGIS 数据表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/engine.py" line="160"/>
        <source>Creating the spatial index of {table} (CONCURRENTLY)…</source>
        <translation>正在创建表 {table} 的空间索引（CONCURRENTLY）…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/store.py" line="81"/>
        <source>User {user} may not write the result tables in schema {schema} (a read-only account?). Ask the administrator for the privilege, or run the analysis locally.</source>
        <translation>用户 {user} 无权写入模式 {schema} 中的结果表（只读账号？）。请向管理员申请权限，或改为本地运行分析。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="148"/>
        <source>Upstairs checklist (one row per plan and rule)</source>
        <translation>工业上楼核查清单（每个方案每条规则一行）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="646"/>
        <source>Run the evaluation first</source>
        <translation>请先运行评价</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="277"/>
        <source>Per district</source>
        <translation>分行政区</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/functions.py" line="191"/>
        <source>The database has no PostGIS extension</source>
        <translation>该数据库未安装 PostGIS 扩展</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="266"/>
        <source>Edit rules…</source>
        <translation>编辑规则…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="366"/>
        <source>Low-efficiency rules (an edited copy of the profile)</source>
        <translation>低效用地规则（规则配置的可编辑副本）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="376"/>
        <source>Reload</source>
        <translation>重新载入</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="50"/>
        <source>Print map layout (PDF / PNG)</source>
        <translation>打印专题图（PDF / PNG）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="53"/>
        <source>Maps and reports</source>
        <translation>专题图与报表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="63"/>
        <source>Prints an analysis result on a layout template (A3 landscape, A4 portrait or your own .qpt): title, subtitle with the as-of date and data source, the map with a legend of the printed layers only, scale bar, north arrow, summary figures, the top N flagged items (with the total when there are more) and a footer with the organisation (plugin setting), print date and page. The first layer is the analysis result; further layers are drawn below it as context. With a coverage layer, one page per feature (district, project or plan). A .pdf output holds every page; a .png output writes one file per page.</source>
        <translation>将分析结果套用到版式模板（A3 横版、A4 竖版或自定义 .qpt）上打印：标题、含截至日期和数据来源的副标题、仅含所打印图层的图例、比例尺、指北针、统计概况、前 N 个标记项目（超出时注明总数），以及含制图单位（插件设置）、制图日期和页码的页脚。第一个图层为分析结果，其余图层作为背景绘制在其下方。指定覆盖图层时，每个要素（行政区、项目或方案）一页。输出 .pdf 时所有页面在一个文件中；输出 .png 时每页一个文件。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="73"/>
        <source>Theme</source>
        <translation>专题</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="74"/>
        <source>Layers (the analysis result first, then context layers)</source>
        <translation>图层（先放分析结果，再放背景图层）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="77"/>
        <source>Template: {names} or a .qpt file</source>
        <translation>模板：{names} 或 .qpt 文件</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="80"/>
        <source>Atlas coverage layer (one page per feature; empty = one page)</source>
        <translation>图集覆盖图层（每个要素一页；留空 = 单页）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="83"/>
        <source>Page name field</source>
        <translation>页面名称字段</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="88"/>
        <source>Title (empty = the theme&apos;s)</source>
        <translation>标题（留空 = 按专题默认）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="89"/>
        <source>Data source in the subtitle (empty = the result layer and its file)</source>
        <translation>副标题中的数据来源（留空 = 结果图层及其文件）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="94"/>
        <source>Rows in the table (empty = the theme&apos;s)</source>
        <translation>表格行数（留空 = 按专题默认）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="97"/>
        <source>Output file</source>
        <translation>输出文件</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="99"/>
        <source>Files written (one per line)</source>
        <translation>已写出的文件（每行一个）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="100"/>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="107"/>
        <source>Give at least one vector layer: the analysis result</source>
        <translation>请至少提供一个矢量图层：分析结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="132"/>
        <source>Wrote {files} ({pages} page(s))</source>
        <translation>已写出 {files}（共 {pages} 页）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="140"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="141"/>
        <source>Print the result as a map: A3 / A4, one page per district if wanted</source>
        <translation>将结果打印为专题图：A3 / A4，可按行政区分页</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="81"/>
        <source>Print: {title}</source>
        <translation>打印：{title}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="84"/>
        <source>A3 landscape</source>
        <translation>A3 横版</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="84"/>
        <source>A4 portrait</source>
        <translation>A4 竖版</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="87"/>
        <source>Other template (.qpt)…</source>
        <translation>其他模板（.qpt）…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="89"/>
        <source>Layout templates (*.qpt)</source>
        <translation>版式模板 (*.qpt)</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="101"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="103"/>
        <source>One page per feature of</source>
        <translation>按以下图层的要素分页</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="105"/>
        <source>Rows in the table (at most)</source>
        <translation>表格行数（最多）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="106"/>
        <source>Organisation (footer)</source>
        <translation>制图单位（页脚）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="108"/>
        <source>Open in layout designer</source>
        <translation>在版式设计器中打开</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="109"/>
        <source>Export PDF / PNG…</source>
        <translation>导出 PDF / PNG…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="172"/>
        <source>Run the analysis first; there is nothing to print</source>
        <translation>请先运行分析，目前没有可打印的内容</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="185"/>
        <source>Export the map</source>
        <translation>导出专题图</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="190"/>
        <source>Map exported to {files}</source>
        <translation>专题图已导出到 {files}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="45"/>
        <source>service name, or e.g. host=… dbname=… authcfg=… (no password)</source>
        <translation>服务名，或如 host=… dbname=… authcfg=…（不含密码）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="46"/>
        <source>List tables</source>
        <translation>列出数据表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="54"/>
        <source>or a service / connection string</source>
        <translation>或输入服务名 / 连接字符串</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="67"/>
        <source>No saved PostGIS connection: create one in the Data Source Manager, or type a service name.</source>
        <translation>没有已保存的 PostGIS 连接：请在数据源管理器中创建，或输入服务名。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="112"/>
        <source>{failed} failed</source>
        <translation>{failed} 项未通过</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="300"/>
        <source>{layer} (check result)</source>
        <translation>{layer}（核查结果）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="32"/>
        <source>Engine</source>
        <translation>计算引擎</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="32"/>
        <source>Automatic: in the database when every input is a table of one PostGIS database</source>
        <translation>自动：所有输入均为同一 PostGIS 数据库中的表时在库内计算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="32"/>
        <source>Local: read the layers into QGIS</source>
        <translation>本地：将图层读入 QGIS 计算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="32"/>
        <source>In the database</source>
        <translation>库内计算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="36"/>
        <source>In the database: create a missing spatial index (CONCURRENTLY, does not block edits)</source>
        <translation>库内计算：缺少空间索引时创建（CONCURRENTLY 方式，不影响他人编辑）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="88"/>
        <source>The in-database engine needs every input to be a whole table of one PostGIS database (no selection, filter or feature limit).</source>
        <translation>库内计算要求所有输入均为同一 PostGIS 数据库中的完整数据表（不能仅用选中要素、过滤条件或要素数限制）。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="101"/>
        <source>All inputs are tables of one PostGIS database: the analysis runs in the database.</source>
        <translation>所有输入均为同一 PostGIS 数据库中的表：分析在数据库内运行。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="123"/>
        <source>In-database run {run} written to {table} (run log: land_bureau.runs)</source>
        <translation>库内运行 {run} 的结果已写入 {table}（运行日志：land_bureau.runs）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="153"/>
        <source>(on the map)</source>
        <translation>（见地图）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/fonts.py" line="58"/>
        <source>No Chinese font is installed ({family} or a fallback such as {fallbacks}): Chinese text in the layout may print as empty boxes. Install the font (Debian: fonts-wqy-microhei) and export again.</source>
        <translation>未安装中文字体（{family} 或 {fallbacks} 等备选字体）：版式中的中文可能打印为方框。请安装字体（Debian：fonts-wqy-microhei）后重新导出。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="81"/>
        <source>The in-database engine needs the Python module psycopg2 (Debian: python3-psycopg2).</source>
        <translation>库内计算需要 Python 模块 psycopg2（Debian：python3-psycopg2）。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="467"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/common.py" line="468"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="85"/>
        <source>Efficiency grade</source>
        <translation>亩均等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="495"/>
        <source>Merge cluster groups</source>
        <translation>并宗组团</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="508"/>
        <source>{grade}: {parcels} ({mu:,.1f} mu)</source>
        <translation>{grade}：{parcels} 宗（{mu:,.1f} 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="76"/>
        <source>{grade}: {projects}</source>
        <translation>{grade}（{projects} 个）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="203"/>
        <source>A blank threshold takes the value shown in grey: that of the longest code it starts with, else the default row&apos;s.</source>
        <translation>留空的阈值取灰色所示的值：取以该代码开头的最长已列代码的值，没有则取默认行的值。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="213"/>
        <source>Weights total {total:g}. Only their proportions count: the score is divided by the sum of the weights of the indicators a parcel has, so they need not add up to 100.</source>
        <translation>权重合计 {total:g}。只有比例起作用：评分除以地块所具备指标的权重之和，因此权重合计不必为 100。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="230"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="231"/>
        <source>{value:g} (from {source})</source>
        <translation>{value:g}（取自{source}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="306"/>
        <source>default (other land use)</source>
        <translation>默认（其他用地）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="90"/>
        <source>Template file</source>
        <translation>模板文件</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="177"/>
        <source>none: each plan&apos;s own land-use code</source>
        <translation>不选：按各方案自身用地代码判定</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="186"/>
        <source>none: rule not checked</source>
        <translation>不选：该规则不核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/print_dialog.py" line="93"/>
        <source>none: one page</source>
        <translation>不选：只打一页</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="399"/>
        <source>{grade} {n} ({mu:,.1f} mu)</source>
        <translation>{grade} 级 {n} 宗（{mu:,.1f} 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="48"/>
        <source>not checked (no resettlement plot layer given)</source>
        <translation>未检查（未选择安置地块图层）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="69"/>
        <source>Yellow: ≤ {days} days</source>
        <translation>黄色预警：≤{days}天</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="70"/>
        <source>Orange: ≤ {days} days</source>
        <translation>橙色预警：≤{days}天</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/postgis_dialog.py" line="102"/>
        <source>{n} table(s)</source>
        <translation>{n} 张表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="515"/>
        <source>{n} parcel(s), {mu:,.1f} mu</source>
        <translation>{n} 宗地块，{mu:,.1f} 亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="154"/>
        <source>{n} project(s) on {date}</source>
        <translation>截至 {date} 共 {n} 个项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/resettlement_dock.py" line="174"/>
        <source>The table lists the {shown:,} most urgent of {total:,} projects; the layer and the exports hold them all.</source>
        <translation>表中列出 {total:,} 个项目中最紧急的 {shown:,} 个；图层和导出文件包含全部项目。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="136"/>
        <source>field {field} (mapped to {canonical}) does not exist{hint}</source>
        <translation>字段 {field}（对应 {canonical}）不存在{hint}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="139"/>
        <source>{canonical} is not a known canonical name{hint}</source>
        <translation>{canonical} 不是已知的标准字段名{hint}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="142"/>
        <source>field {field} is mapped to several names ({canonical}); map each to its own field</source>
        <translation>字段 {field} 对应了多个标准字段（{canonical}）；请各自对应不同的字段</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="145"/>
        <source>the field map cannot be used: {problems}. Fields of the layer: {fields}</source>
        <translation>字段对应无法使用：{problems}。图层的字段：{fields}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="135"/>
        <source>As-of date: {date}</source>
        <translation>统计日期：{date}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="209"/>
        <source>{field}: confidence {confidence:.2f} ({how})</source>
        <translation>{field}：置信度 {confidence:.2f}（{how}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="209"/>
        <source>other candidates: {others}</source>
        <translation>其他候选：{others}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="98"/>
        <source>Layer {layer}: field {field} in {unit} → {target} ×{factor}</source>
        <translation>图层 {layer}：字段 {field} 单位为 {unit} → {target} ×{factor}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="105"/>
        <source>Layer {layer}: field {field} is in {unit}, which does not convert to {target} ({canonical}); its values are read as they are</source>
        <translation>图层 {layer}：字段 {field} 的单位 {unit} 无法换算为 {target}（{canonical}），按原值读取</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="112"/>
        <source>Layer {layer}: field {field} taken as {canonical} with confidence {confidence:.2f} ({how}; other candidates: {others}) — check it, or give the field map</source>
        <translation>图层 {layer}：字段 {field} 被识别为 {canonical}，置信度 {confidence:.2f}（{how}；其他候选：{others}）——请核对，或给出字段映射</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="122"/>
        <source>catalogue name</source>
        <translation>字段目录名称</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="122"/>
        <source>catalogue name with a unit</source>
        <translation>带单位的字段目录名称</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="122"/>
        <source>catalogue pattern</source>
        <translation>字段目录模式</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="123"/>
        <source>ArcGIS export name</source>
        <translation>ArcGIS 导出字段名</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="123"/>
        <source>joined field name</source>
        <translation>连接后的字段名</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="124"/>
        <source>name cut at 10 bytes, a unit may be lost</source>
        <translation>字段名被截断为 10 字节，单位可能丢失</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="124"/>
        <source>part of the name</source>
        <translation>字段名的一部分</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/fieldmaps.py" line="125"/>
        <source>from the values only</source>
        <translation>仅根据字段值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/in_database.py" line="97"/>
        <source>The analysis runs locally, not in the database: {reason}</source>
        <translation>分析改为在本地运行，未在数据库中运行：{reason}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="128"/>
        <source>Layer {layer}: no .cpg; its text is read as {encoding} (judged from its bytes)</source>
        <translation>图层 {layer}：没有 .cpg 文件；根据字节判断，文本按 {encoding} 读取</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="131"/>
        <source>Layer {layer}: its .cpg says {declared}, which does not fit its bytes; its text is read as {encoding}</source>
        <translation>图层 {layer}：其 .cpg 声明为 {declared}，与实际字节不符；文本按 {encoding} 读取</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="146"/>
        <source>Layer {layer} is read as {current}, but its text is {encoding} (its .cpg: {declared}): the Chinese text would be garbled. Set its encoding to {encoding} in the Load data panel or in Layer Properties → Source, then run again</source>
        <translation>图层 {layer} 当前按 {current} 读取，但其文本为 {encoding}（.cpg：{declared}）：中文将成为乱码。请在“数据加载”面板或“图层属性 → 源”中将编码设为 {encoding}，然后重新运行</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="141"/>
        <source>Tax per mu below (share of the district median or trimmed mean)</source>
        <translation>亩均税收低于（占所在区中位数或截尾平均值比例）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="328"/>
        <source>{n} parcel(s) have no building of layer {layer} within {radius} m: outside the area that layer covers, so no building data (FAR and coverage not judged, no potential)</source>
        <translation>{n} 个地块在 {radius} 米内没有图层 {layer} 的建筑：位于该图层覆盖范围之外，无建筑数据（不评价容积率和建筑系数，不计潜力）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="348"/>
        <source>coverage</source>
        <translation>建筑系数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="351"/>
        <source>Layer {layer}: {field} read in percent (divided by 100); set {key} in the rule profile to change this</source>
        <translation>图层 {layer}：{field} 按百分数读取（除以 100）；如需更改，请在规则配置中设置 {key}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="356"/>
        <source>the median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="356"/>
        <source>the trimmed mean</source>
        <translation>截尾平均值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="357"/>
        <source>Per-mu indicators are compared with {reference} of the parcels in the same district (profile: efficiency.reference)</source>
        <translation>亩均指标与同一行政区地块的{reference}比较（规则配置：efficiency.reference）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="360"/>
        <source>Layer {layer}: parcel id(s) used more than once: {ids}</source>
        <translation>图层 {layer}：重复使用的地块编号：{ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="364"/>
        <source>Layer {layer}: {indicator} {factor:g}× or more the reference, suspected unit error (not used), feature id(s) {ids}</source>
        <translation>图层 {layer}：{indicator}达到参照值的 {factor:g} 倍及以上，疑似单位错误（不予采用），要素编号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="320"/>
        <source>Layer {layer}, field {field}: not a valid number, or above its plausible limit (data error), in feature id(s) {ids}</source>
        <translation>图层 {layer}，字段 {field}：要素编号 {ids} 的值不是有效数字，或超出合理上限（数据错误）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="77"/>
        <source>Not low (no grade)</source>
        <translation>非低效（无亩均等级）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="78"/>
        <source>Not judged (out of scope or no data)</source>
        <translation>未评价（不在范围或无数据）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="489"/>
        <source>The layout template {path} is empty: choose a QGIS layout template (.qpt)</source>
        <translation>布局模板 {path} 是空文件：请选择 QGIS 布局模板（.qpt）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="497"/>
        <source>The layout template {path} has no page: add a page in the layout designer and save the template again</source>
        <translation>布局模板 {path} 没有页面：请在布局设计器中添加页面后重新保存模板</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="501"/>
        <source>The layout template {path} has no map item: add a map in the layout designer and save the template again</source>
        <translation>布局模板 {path} 没有地图项：请在布局设计器中添加地图后重新保存模板</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="76"/>
        <source>Low efficiency (any grade)</source>
        <translation>低效用地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="357"/>
        <source>Layer {layer} has no coordinate reference system: its coordinates are taken as metres</source>
        <translation>图层 {layer} 没有坐标参考系：其坐标按米处理</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="361"/>
        <source>layer(s) {layers} have no coordinate reference system, so they cannot be related to {others}: nothing was checked. Set the CRS of each layer (Layer Properties → Source → Assigned coordinate reference system, or the shapefile's .prj) and run again</source>
        <translation>图层 {layers} 没有坐标参考系，无法与 {others} 叠加：未做任何核查。请设置各图层的坐标参考系（图层属性 → 源 → 指定的坐标参考系，或 shapefile 的 .prj 文件）后重新运行</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="361"/>
        <source>each other</source>
        <translation>彼此</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="369"/>
        <source>the coordinates look like longitude / latitude in degrees, but the layer has no coordinate reference system: areas would be in square degrees. Assign its CRS (e.g. EPSG:4490 CGCS2000) and run again</source>
        <translation>坐标看起来是以度为单位的经纬度，但图层没有坐标参考系：面积将以平方度计算。请为其指定坐标参考系（如 EPSG:4490 CGCS2000）后重新运行</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/writing.py" line="492"/>
        <source>feature id {id} was added</source>
        <translation>新增了要素 {id}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/writing.py" line="495"/>
        <source>{n} feature(s) were deleted</source>
        <translation>删除了 {n} 个要素</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/writing.py" line="175"/>
        <source>the layer changed while the run read it ({what}): run it again, or on a copy of the layer; nothing was written</source>
        <translation>运行期间图层被修改（{what}）：请重新运行，或在图层副本上运行；未写出任何结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/writing.py" line="119"/>
        <source>The output refused {n} feature(s): {error}</source>
        <translation>输出拒绝写入 {n} 个要素：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/land_use_choice.py" line="37"/>
        <source>For a layer without a land-use field: every parcel is judged as industrial land, and the log and the printed map say so.</source>
        <translation>用于没有用地性质字段的图层：全部地块按工业用地评价，日志和打印图件均予注明。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/land_use_choice.py" line="42"/>
        <source>The code system of the land-use values. Automatic reads it from the values and asks when they are valid in two systems that read them differently (1001: industrial land in the 2023 guide, a railway in GB/T 21010).</source>
        <translation>用地性质取值所用的分类标准。自动：按取值识别；若取值在两个标准中都有效但含义不同（1001 在 2023 年用地用海分类指南中为工业用地，在 GB/T 21010 中为铁路用地），则要求指定。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="29"/>
        <source>Every feature is industrial land (use when the layer has no land-use field)</source>
        <translation>全部要素均为工业用地（图层没有用地性质字段时使用）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="80"/>
        <source>All features taken as industrial land (ALL_INDUSTRIAL)</source>
        <translation>全部要素按工业用地评价（ALL_INDUSTRIAL）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="82"/>
        <source>Land-use codes: {system}</source>
        <translation>用地分类：{system}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="103"/>
        <source>Layer {layer}: every feature is taken as industrial land (ALL_INDUSTRIAL); the land use is not read</source>
        <translation>图层 {layer}：全部要素按工业用地评价（ALL_INDUSTRIAL），不读取用地性质</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="110"/>
        <source>given</source>
        <translation>已指定</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="110"/>
        <source>detected from the values</source>
        <translation>按取值识别</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="111"/>
        <source>Layer {layer}, field {field}: land-use codes read as {system} ({how}; share of values each system knows: {shares})</source>
        <translation>图层 {layer}，字段 {field}：用地代码按{system}读取（{how}；各标准可识别的取值比例：{shares}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="115"/>
        <source>The values read the same in {systems}</source>
        <translation>这些取值在{systems}中含义相同</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="286"/>
        <source>Layer {layer}: no field for {field}; the support land-share rule (land occupied by office and living facilities / land area) is not checked</source>
        <translation>图层 {layer}：没有 {field} 字段；配套用地占比规则（行政办公及生活服务设施用地面积 / 用地面积）未核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="216"/>
        <source>{file}: a shapefile keeps 10 bytes of a field name; written as {names}</source>
        <translation>{file}：shapefile 字段名最多 10 个字节，写出为 {names}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="81"/>
        <source>supplied, unused</source>
        <translation>供而未用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="82"/>
        <source>idle</source>
        <translation>闲置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="82"/>
        <source>to be taken back</source>
        <translation>应无偿收回</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="82"/>
        <source>completed</source>
        <translation>已竣工</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="83"/>
        <source>government delay</source>
        <translation>政府原因延迟</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="87"/>
        <source>construction start</source>
        <translation>开工</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="87"/>
        <source>becomes idle</source>
        <translation>构成闲置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="87"/>
        <source>taken back</source>
        <translation>收回</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="88"/>
        <source>completion</source>
        <translation>竣工</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="100"/>
        <source>Land supply supervision (approved, supplied, idle)</source>
        <translation>土地供应监管（批而未供、供而未用、闲置）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="103"/>
        <source>Land supply</source>
        <translation>土地供应</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="109"/>
        <source>Judges every supplied parcel on the as-of date under the idle-land rules (闲置土地处置办法, 2012; thresholds and their sources in the rule profile's land_supply section): on time, due soon, supplied but unused (start date passed, less than a year), idle (a year or more; idle fee 20 % of the land price), to be taken back (two years or more), completed, government-caused delay (exempt), or data error with the reason. Started parcels whose work stopped are idle when the developed area is under 1/3 or the investment under 25 % and work has stopped a year. With the approval batches, UNSUPPLIED holds per batch the approved area not covered by supplied parcels (批而未供) with its age and grade. The input layers are not modified.</source>
        <translation>按统计日期依据《闲置土地处置办法》（2012）判定每宗已供土地（阈值及其依据见规则配置的 land_supply 部分）：按期、临期、供而未用（约定开工日期已过、不满一年）、闲置（满一年，按土地价款的 20% 征缴土地闲置费）、应无偿收回（满两年）、已竣工、政府原因延迟（不予处罚），或数据错误并说明原因。已动工但中止开发的宗地，已开发面积不足三分之一或已投资额不足 25%、且中止开发满一年的，认定为闲置。给出报批批次时，UNSUPPLIED 按批次给出未被供地覆盖的批准范围（批而未供）及其批准天数和预警等级。不修改输入图层。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="120"/>
        <source>Supplied parcels</source>
        <translation>供地宗地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="122"/>
        <source>Approval batches (for approved but unsupplied land)</source>
        <translation>报批批次（用于批而未供）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="130"/>
        <source>Land supply supervision</source>
        <translation>土地供应监管</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="131"/>
        <source>Approved but unsupplied land</source>
        <translation>批而未供</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="137"/>
        <source>Idle fees (万元)</source>
        <translation>土地闲置费（万元）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="138"/>
        <source>Idle parcels whose fee is unknown (no land price)</source>
        <translation>闲置费未知的闲置宗地（无土地价款）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="140"/>
        <source>Approved but unsupplied (亩)</source>
        <translation>批而未供（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="168"/>
        <source>Layer {layer}: no parcel id field (电子监管号 / 宗地编号 / parcel_id); parcels are named by feature id</source>
        <translation>图层 {layer}：没有宗地编号字段（电子监管号 / 宗地编号 / parcel_id），以要素号指代宗地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="244"/>
        <source>Layer {layer}: batch id(s) used more than once, feature id(s) {ids}</source>
        <translation>图层 {layer}：批次编号重复，要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="283"/>
        <source>Supplied parcels on {date}: {n} ({counts})</source>
        <translation>{date} 已供土地：{n} 宗（{counts}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="285"/>
        <source>Idle or to be taken back: {mu:,.1f} 亩; idle fees {fee:,.2f} 万元 ({unknown} without a land price); supplied but unused: {unused:,.1f} 亩</source>
        <translation>闲置及应收回：{mu:,.1f} 亩；土地闲置费 {fee:,.2f} 万元（{unknown} 宗无土地价款）；供而未用：{unused:,.1f} 亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="290"/>
        <source>Idle parcels without an area (no area field, no geometry; not in the idle area): {n}</source>
        <translation>无面积的闲置宗地（无面积字段、无几何，未计入闲置面积）：{n}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="293"/>
        <source>Supplied parcels without usable geometry (judged on their dates, not counted as supply): {n}</source>
        <translation>无可用几何的已供宗地（按日期判定，不计入供地范围）：{n}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="297"/>
        <source>Approval batches: {n}; approved {approved:,.1f} 亩, unsupplied {left:,.1f} 亩, of which past the deadline {overdue:,.1f} 亩 ({red} batches)</source>
        <translation>报批批次：{n} 个；批准 {approved:,.1f} 亩，批而未供 {left:,.1f} 亩，其中超期 {overdue:,.1f} 亩（{red} 个批次）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_supply.py" line="302"/>
        <source>Approval batches without usable geometry (not measured): {n}</source>
        <translation>无可用几何的报批批次（未量算）：{n}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/writing.py" line="271"/>
        <source>it cannot be read again</source>
        <translation>无法再次读取</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/writing.py" line="496"/>
        <source>its features come in another order</source>
        <translation>要素顺序已改变</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="84"/>
        <source>{floors:g} storeys, {height:g} m</source>
        <translation>{floors:g} 层、{height:g} 米</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="86"/>
        <source>{floors:g} storeys</source>
        <translation>{floors:g} 层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="87"/>
        <source>{height:g} m</source>
        <translation>{height:g} 米</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="324"/>
        <source>{n} building(s) of layer {layer} with storeys or height above the plausible limit ({limits}): that value is not used</source>
        <translation>图层 {layer} 中有 {n} 栋建筑的层数或高度超出合理上限（{limits}）：该值不予采用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="392"/>
        <source>Layer {layer} is a table of a shared database: it is read once, and the output shows its rows as the run judged them, whatever other users change meanwhile</source>
        <translation>图层 {layer} 是共享数据库中的表：只读取一次，输出按本次分析判断时的内容写出，不受其他用户在运行期间所做修改的影响</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="262"/>
        <source>Layer {layer}: no land-use code field found (用地性质 / YDXZ / DLBM / land_use …); fields: {fields}. Name it in the land-use field map (LANDUSE_FIELD_MAP), e.g. {{&quot;land_use&quot;: &quot;YDXZ&quot;}} with the name of the layer's land-use code field</source>
        <translation>图层 {layer}：未找到用地代码字段（用地性质 / YDXZ / DLBM / land_use …）；现有字段：{fields}。请在用地图层字段映射（LANDUSE_FIELD_MAP）中指定，例如 {{&quot;land_use&quot;: &quot;YDXZ&quot;}}，将 YDXZ 换成该图层的用地代码字段名</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="48"/>
        <source>local default</source>
        <translation>本地默认值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="152"/>
        <source>Source: {source}</source>
        <translation>依据：{source}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="62"/>
        <source>Grade D</source>
        <translation>D 级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="62"/>
        <source>Idle land</source>
        <translation>闲置土地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="62"/>
        <source>Grading</source>
        <translation>亩均评价</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="479"/>
        <source>Sources: {sources}</source>
        <translation>依据：{sources}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="83"/>
        <source>: </source>
        <translation>：</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="84"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="85"/>
        <source>Sources</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/export_layout.py" line="91"/>
        <source>Summary of the analysis run (its SUMMARY output): the land-use code system it names goes into the subtitle, the sources of its rules under the table</source>
        <translation>分析运行的汇总（其 SUMMARY 输出）：其中的用地分类标准写入副标题，规则依据写在表格下方</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="94"/>
        <source>{rule}: {source}</source>
        <translation>{rule}：{source}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="33"/>
        <source>Resettlement</source>
        <translation>征迁安置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="33"/>
        <source>Supplied parcel</source>
        <translation>已供宗地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="106"/>
        <source>Approved, not supplied</source>
        <translation>批而未供</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="38"/>
        <source>Housing start (+1)</source>
        <translation>安置房开工（+1）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="38"/>
        <source>Housing completion (+4)</source>
        <translation>安置房竣工（+4）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="39"/>
        <source>Two years after approval</source>
        <translation>批准后两年</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="44"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="69"/>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="69"/>
        <source>Due</source>
        <translation>到期日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="45"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="45"/>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="45"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="40"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="206"/>
        <source>Due next</source>
        <translation>到期一览</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="82"/>
        <source>Due within</source>
        <translation>到期时限</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="87"/>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="93"/>
        <source>Run the resettlement monitor or the land supply check: what is due appears here.</source>
        <translation>运行征迁安置监管或土地供应监管后，即将到期和已超期的事项显示在这里。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="162"/>
        <source>{n} item(s) overdue or due within {days} days</source>
        <translation>已超期或 {days} 天内到期：{n} 项</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="179"/>
        <source>not supplied</source>
        <translation>未供</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/deadline_board.py" line="200"/>
        <source>Nothing is due: there is nothing to export</source>
        <translation>没有到期事项，无可导出</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="60"/>
        <source>Next deadline</source>
        <translation>下一期限</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="61"/>
        <source>Idle days</source>
        <translation>闲置天数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="62"/>
        <source>Idle fee (万元)</source>
        <translation>闲置费（万元）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="66"/>
        <source>Batch id</source>
        <translation>批次编号</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="66"/>
        <source>Batch</source>
        <translation>批次名称</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="67"/>
        <source>Approved (亩)</source>
        <translation>批准面积（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="67"/>
        <source>Unsupplied (亩)</source>
        <translation>未供面积（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="68"/>
        <source>Days since approval</source>
        <translation>批准天数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="78"/>
        <source>Land supply monitor</source>
        <translation>土地供应监管</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="84"/>
        <source>none: approved but unsupplied land not measured</source>
        <translation>无：不量算批而未供</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="90"/>
        <source>Approval batches</source>
        <translation>报批批次</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="94"/>
        <source>Show idle and to-be-reclaimed parcels only</source>
        <translation>只显示闲置和应收回的宗地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="139"/>
        <source>Choose the supplied parcels layer first</source>
        <translation>请先选择已供宗地图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="146"/>
        <source>The land supply check failed: {error}</source>
        <translation>土地供应监管运行失败：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="153"/>
        <source>Land supply {date}</source>
        <translation>土地供应监管 {date}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="168"/>
        <source>Approved, not supplied {date}</source>
        <translation>批而未供 {date}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="192"/>
        <source>{n} supplied parcel(s) on {date}</source>
        <translation>{date} 已供宗地 {n} 宗</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="196"/>
        <source>Approval batches by grade:</source>
        <translation>报批批次预警：</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/supply_dock.py" line="209"/>
        <source>The table lists the {shown:,} most urgent of {total:,} parcels; the layer and the exports hold them all.</source>
        <translation>表中列出 {total:,} 宗中最紧急的 {shown:,} 宗；图层和导出文件包含全部宗地。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/postgis/store.py" line="104"/>
        <source>Table {table} was made by an older version of the plugin and lacks the columns {columns}; its owner must run the analysis once in the database (or add them), or run it locally.</source>
        <translation>表 {table} 由旧版插件创建，缺少字段 {columns}；请由该表的所有者在数据库中运行一次分析（或添加这些字段），或改为本地运行。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="112"/>
        <source>Scores every industrial and warehouse parcel: FAR and coverage from the buildings clipped to each parcel (or from the parcel's own fields), economic indicators per mu against the district reference, a grade A–D by rank within the district (亩均论英雄: enterprise classes 规上 / 规下, small enterprises and tenants listed apart, new enterprises, projects under construction and utilities not graded) or by score bands, the low-efficiency flag with its reasons, the potential floor area up to the target FAR, merge clusters of neighbouring low-efficiency parcels and a redevelopment mode. Who is judged is decided by the land use, read in the layer's code system (GB/T 21010-2017, the 2023 land and sea use guide or GB 50137-2011: detected from the values, or set by LAND_USE_SYSTEM); without a land-use field the run stops unless ALL_INDUSTRIAL says every feature is industrial land. Thresholds come from the rule profile. Geographic layers are measured in a projected CRS; the output keeps the parcels' CRS. The input layers are not modified.</source>
        <translation>评价每一宗工业和仓储用地：按裁切到地块的建筑（或地块自身字段）计算容积率和建筑系数，按亩均经济指标与所在区域参照值比较，按区内排名评定 A–D 等级（亩均论英雄：分规上、规下企业，小企业和租赁企业单列，新投产企业、在建项目和公用事业不定等级）或按评分分档，给出低效用地认定及原因、按目标容积率计算的潜力建筑面积、相邻低效地块的并宗组团和再开发模式。评价对象由用地性质决定，按图层所用的分类标准读取（GB/T 21010-2017、2023 年用地用海分类指南或 GB 50137-2011：按取值识别，或由 LAND_USE_SYSTEM 指定）；没有用地性质字段时停止运行，除非 ALL_INDUSTRIAL 声明全部要素均为工业用地。阈值取自规则配置。地理坐标图层在投影坐标系中量算；输出保持地块图层的坐标系。不修改输入图层。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="134"/>
        <source>As-of date of the grading: new enterprises&apos; years since production start (empty = today)</source>
        <translation>评价基准日：新企业投产年限计算至此日（留空为今天）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="370"/>
        <source>above designated size (规上)</source>
        <translation>规上企业</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="370"/>
        <source>below designated size (规下)</source>
        <translation>规下企业</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="371"/>
        <source>listed apart</source>
        <translation>单列</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="371"/>
        <source>not graded (不定等级)</source>
        <translation>不定等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="371"/>
        <source>all parcels</source>
        <translation>全部地块</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="383"/>
        <source>Per class: {classes}</source>
        <translation>分类分级：{classes}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="314"/>
        <source>Layer {layer}: areas are read in the unit its field {field} gives per feature (1 m², 2 亩, 3 公顷, or the unit written out)</source>
        <translation>图层 {layer}：面积按字段 {field} 逐个要素给出的单位读取（1 平方米、2 亩、3 公顷，或直接写出的单位）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="107"/>
        <source>先补后占 violated</source>
        <translation>违反先补后占</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="107"/>
        <source>以补定占 cap exceeded</source>
        <translation>超出以补定占额度</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="108"/>
        <source>occupies permanent basic farmland</source>
        <translation>占用永久基本农田</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="109"/>
        <source>supplement on protected land</source>
        <translation>补充耕地位于管控区域</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="110"/>
        <source>supplements overlapping (double counting)</source>
        <translation>补充耕地相互重叠（重复计算）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="125"/>
        <source>Cultivated land balance ledger (耕地占补平衡)</source>
        <translation>耕地占补平衡台账</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="128"/>
        <source>Cultivated land</source>
        <translation>耕地保护</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="134"/>
        <source>Per county and period: cultivated land occupied, supplemented, received and given by transfer, and the cumulative balance — for quantity (亩), paddy (水田, 亩) and grain capacity (kg, from the area and the quality grade by the rule profile's table) — with the status balanced or deficit and the shortfall. Per project: 先补后占 (an occupation drawing on a supplement accepted after its approval), 以补定占 (cumulative occupation above what the county had supplemented, net of transfers, on the approval date), occupation of permanent basic farmland, supplements on permanent basic farmland, the ecological red line or existing construction land, and supplements overlapping each other (double counting). Only transfers of cultivated land indicators move the balance; forest-land and grain-zone agreements are summed apart. A value that cannot be read (an empty county, a date that is not a date, a negative area, a transfer naming an unknown county) stops the run and is named by layer, feature id and field. The inputs are not modified.</source>
        <translation>按县（市、区）和期间统计占用耕地、补充耕地、调入和调出指标及累计结余——数量（亩）、水田（亩）和粮食产能（公斤，按面积和质量等别依规则配置的折算表计算）分别平衡——给出平衡或缺口状态及缺口数。逐项目检查：先补后占（占用使用了批准之后才验收的补充耕地）、以补定占（批准日累计占用超过本县已补充并扣除调剂后的数量）、占用永久基本农田、补充耕地位于永久基本农田、生态保护红线或现状建设用地内、补充耕地相互重叠（重复计算）。只有耕地指标调剂计入平衡；补充林地指标和粮食生产功能区代保单独汇总。无法读取的值（县为空、日期无法识别、面积为负、调剂涉及未知的县）将终止运行，并指明图层、要素号和字段。输入图层不会被修改。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="148"/>
        <source>Occupations of cultivated land</source>
        <translation>占用耕地项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="151"/>
        <source>Supplemented cultivated land</source>
        <translation>补充耕地项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="154"/>
        <source>Indicator transfers between counties (table)</source>
        <translation>跨县指标调剂（表格）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="158"/>
        <source>Existing construction land</source>
        <translation>现状建设用地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="162"/>
        <source>Period</source>
        <translation>统计期间</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="162"/>
        <source>Year</source>
        <translation>年</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="162"/>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="162"/>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="162"/>
        <source>Whole time</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="166"/>
        <source>Cultivated land balance ledger</source>
        <translation>耕地占补平衡台账</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="168"/>
        <source>Cultivated land balance checks</source>
        <translation>耕地占补平衡检查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="178"/>
        <source>Counties in deficit</source>
        <translation>存在缺口的县（市、区）数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="179"/>
        <source>Checks flagged</source>
        <translation>检查发现问题数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="233"/>
        <source>Layer {layer}: no indicator type field; every transfer is read as {kind}</source>
        <translation>图层 {layer}：没有指标类型字段，所有调剂按 {kind} 计</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="313"/>
        <source>Layer {layer}: no cultivated area field; areas are measured from the geometry</source>
        <translation>图层 {layer}：没有耕地面积字段，按几何量算面积</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="316"/>
        <source>Layer {layer}: no paddy field; paddy counted as 0 亩</source>
        <translation>图层 {layer}：没有水田面积字段，水田按 0 亩计</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="318"/>
        <source>Layer {layer}: no quality grade field; grain capacity is not checked</source>
        <translation>图层 {layer}：没有质量等别字段，不核算粮食产能</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="375"/>
        <source>layer {layer}, feature id {fid}, field {field}: {problem}</source>
        <translation>图层 {layer}，要素号 {fid}，字段 {field}：{problem}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="382"/>
        <source>{n} value(s) cannot be used, so no balance was computed: {problems}</source>
        <translation>有 {n} 个值无法使用，未计算占补平衡：{problems}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="476"/>
        <source>Cultivated land occupied: {mu:,.1f} 亩 (paddy {paddy:,.1f} 亩, capacity {cap} 万公斤) in {n} project(s)</source>
        <translation>占用耕地 {mu:,.1f} 亩（水田 {paddy:,.1f} 亩，产能 {cap} 万公斤），共 {n} 个项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="479"/>
        <source>Cultivated land supplemented: {mu:,.1f} 亩 (paddy {paddy:,.1f} 亩, capacity {cap} 万公斤) in {n} project(s)</source>
        <translation>补充耕地 {mu:,.1f} 亩（水田 {paddy:,.1f} 亩，产能 {cap} 万公斤），共 {n} 个项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="482"/>
        <source>cultivated land indicators</source>
        <translation>耕地占补平衡指标</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="482"/>
        <source>forest land indicators</source>
        <translation>补充林地指标</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="483"/>
        <source>grain production zone agreements (代保)</source>
        <translation>粮食生产功能区代保</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="495"/>
        <source>Funds transferred in all: {wan:,.2f} 万元 ({yi:,.4f} 亿元)</source>
        <translation>共拨付协作资金 {wan:,.2f} 万元（{yi:,.4f} 亿元）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="503"/>
        <source>Counties in deficit at the end of the ledger: {list}</source>
        <translation>台账期末存在缺口：{list}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="505"/>
        <source>Every county is balanced at the end of the ledger</source>
        <translation>台账期末各县（市、区）均已平衡</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="507"/>
        <source>Grain capacity not checked: a layer has no quality grade</source>
        <translation>未核算粮食产能：有图层缺少质量等别</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="519"/>
        <source>Checks flagged: {counts}</source>
        <translation>检查发现问题：{counts}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="174"/>
        <source>Ledger as an XLSX workbook (units in the headers)</source>
        <translation>台账导出为 XLSX 工作簿（表头含单位）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="174"/>
        <source>XLSX files (*.xlsx)</source>
        <translation>XLSX 文件 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="171"/>
        <source>Indicator flows between counties</source>
        <translation>跨县指标调剂流向</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="27"/>
        <source>balanced</source>
        <translation>平衡</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="27"/>
        <source>deficit</source>
        <translation>缺口</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="32"/>
        <source>cultivated land</source>
        <translation>耕地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="32"/>
        <source>forest land</source>
        <translation>林地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="32"/>
        <source>grain zone (代保)</source>
        <translation>粮食生产功能区（代保）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="53"/>
        <source>County</source>
        <translation>县（市、区）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="36"/>
        <source>Occupied (亩)</source>
        <translation>占用（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="37"/>
        <source>Supplemented (亩)</source>
        <translation>补充（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="37"/>
        <source>Received (亩)</source>
        <translation>调入（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="38"/>
        <source>Given (亩)</source>
        <translation>调出（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="38"/>
        <source>Balance (亩)</source>
        <translation>累计结余（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="39"/>
        <source>Paddy balance (亩)</source>
        <translation>水田结余（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="40"/>
        <source>Capacity balance (kg)</source>
        <translation>产能结余（公斤）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="41"/>
        <source>Shortfall (亩)</source>
        <translation>缺口（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="41"/>
        <source>Paddy shortfall (亩)</source>
        <translation>水田缺口（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="42"/>
        <source>Capacity shortfall (kg)</source>
        <translation>产能缺口（公斤）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="46"/>
        <source>From</source>
        <translation>调出方</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="46"/>
        <source>To</source>
        <translation>调入方</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="46"/>
        <source>Indicator</source>
        <translation>指标类型</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="47"/>
        <source>Transfers</source>
        <translation>调剂笔数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="47"/>
        <source>Quantity (亩)</source>
        <translation>数量（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="47"/>
        <source>Paddy (亩)</source>
        <translation>水田（亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="48"/>
        <source>Capacity (kg)</source>
        <translation>产能（公斤）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="48"/>
        <source>Funds (万元)</source>
        <translation>资金（万元）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="53"/>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="53"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="72"/>
        <source>Cultivated land balance</source>
        <translation>耕地占补平衡</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="76"/>
        <source>none: no transfers</source>
        <translation>无：没有指标调剂</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="79"/>
        <source>none: not checked</source>
        <translation>无：不检查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="84"/>
        <source>Indicator transfers</source>
        <translation>指标调剂</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="91"/>
        <source>Show every period (else each county&apos;s latest)</source>
        <translation>显示所有期间（否则只显示各县最新一期）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="104"/>
        <source>Ledger</source>
        <translation>台账</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="105"/>
        <source>Flows between counties</source>
        <translation>跨县调剂</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="106"/>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="146"/>
        <source>Choose the occupations and the supplements layers first</source>
        <translation>请先选择占用耕地和补充耕地图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="153"/>
        <source>The cultivated land balance failed: {error}</source>
        <translation>耕地占补平衡计算失败：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="158"/>
        <source>Cultivated land checks</source>
        <translation>耕地占补平衡检查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="158"/>
        <source>Indicator flows</source>
        <translation>指标调剂流向</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_upstairs.py" line="87"/>
        <source>Layer {layer}: no land-use code field found (用地性质 / YDXZ / DLBM / land_use …)</source>
        <translation>图层 {layer}：未找到用地性质代码字段（用地性质 / YDXZ / DLBM / land_use …）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_check.py" line="230"/>
        <source>Live check of layer {layer} could not start: {error}</source>
        <translation>图层 {layer} 的实时核查无法启动：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_check.py" line="467"/>
        <source>Live check of layer {layer}: {error}</source>
        <translation>图层 {layer} 的实时核查：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_upstairs.py" line="171"/>
        <source>Live check: upstairs violations</source>
        <translation>实时核查：工业上楼冲突</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_upstairs.py" line="233"/>
        <source>{plan}: {rules}</source>
        <translation>{plan}：{rules}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="209"/>
        <source>Check live while the plans are edited</source>
        <translation>编辑方案时实时核查</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="210"/>
        <source>While the plans layer is in edit mode, each change re-checks the plans it affects with the same rules as the full check; the checklist and the red pieces follow. Nothing is written to the layer; turning this off removes the live layer.</source>
        <translation>方案图层处于编辑状态时，每次修改都会用与完整核查相同的规则重新核查受影响的方案，核查清单和红色冲突图斑随之更新。不向图层写入任何内容；关闭后实时图层即被移除。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="95"/>
        <source>Layer {layer}, field {field}: {share} of the values are no code or name of {system}: their land use is unknown (named in each feature&apos;s reasons)</source>
        <translation>图层 {layer}，字段 {field}：{share} 的取值不是{system}的代码或名称：这些要素的用地性质未知（各要素的原因中逐一说明）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="89"/>
        <source>15-minute living circle (walking coverage of facilities)</source>
        <translation>15分钟生活圈（设施步行覆盖）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="92"/>
        <source>Living circle</source>
        <translation>生活圈</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="115"/>
        <source>Residential units (population or households)</source>
        <translation>居住单元（含人口或户数）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="118"/>
        <source>Public service facilities (with a type field)</source>
        <translation>公共服务设施（含类型字段）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="121"/>
        <source>Walking network (road lines; empty = straight lines × detour factor)</source>
        <translation>步行路网（道路线；留空 = 直线距离 × 绕行系数）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="126"/>
        <source>Living circle coverage</source>
        <translation>生活圈覆盖</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="127"/>
        <source>Living circle gaps</source>
        <translation>生活圈覆盖缺口</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="130"/>
        <source>Living circle coverage per district</source>
        <translation>各行政区生活圈覆盖率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="134"/>
        <source>Share of residents with every basic facility within its walk (%)</source>
        <translation>各项基本设施均在步行距离内的人口比例（%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="153"/>
        <source>no population field (人口 / 居住人口 / population) and no households field (户数 / households): coverage cannot be weighted by residents. Map one of them in RESIDENTIAL_FIELD_MAP, e.g. {{&quot;households&quot;: &quot;HS&quot;}}; fields of the layer: {fields}</source>
        <translation>既无人口字段（人口 / 居住人口 / population）也无户数字段（户数 / households）：无法按人口加权计算覆盖率。请在 RESIDENTIAL_FIELD_MAP 中映射其一，例如 {{&quot;households&quot;: &quot;HS&quot;}}；图层字段：{fields}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="168"/>
        <source>Layer {layer} is in {crs}: reprojected to {planar} to measure distances in metres</source>
        <translation>图层 {layer} 的坐标系为 {crs}：已投影到 {planar}，以米量算距离</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="182"/>
        <source>No road network given: distances are straight lines × {factor} (the profile's detour factor), not walking distances on the roads</source>
        <translation>未提供路网：距离按直线距离 × {factor}（配置的绕行系数）估算，并非沿道路的步行距离</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="203"/>
        <source>Layer {layer}: no usable geometry, distances not measured, feature id(s) {ids}</source>
        <translation>图层 {layer}：几何无效，未计算距离，要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="252"/>
        <source>Layer {layer}, field {field}: type code(s) {codes} are none of the profile&apos;s facility types, left out: feature id(s) {ids}</source>
        <translation>图层 {layer}，字段 {field}：类型代码 {codes} 不属于配置中的任何设施类型，未参与计算：要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="257"/>
        <source>Layer {layer}, field {field}: no type, left out: feature id(s) {ids}</source>
        <translation>图层 {layer}，字段 {field}：无类型，未参与计算：要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="262"/>
        <source>Layer {layer}: no usable geometry, left out: feature id(s) {ids}</source>
        <translation>图层 {layer}：几何无效，未参与计算：要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="268"/>
        <source>no facility of a known type with a geometry; the type codes found ({codes}) are none of the profile&apos;s ({known}). Add the codes to the profile&apos;s living_circle.facilities</source>
        <translation>没有类型已知且有几何的设施；图层中的类型代码（{codes}）均不在配置中（{known}）。请将这些代码加入配置的 living_circle.facilities</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="285"/>
        <source>Layer {layer}: road line(s) without geometry, left out: feature id(s) {ids}</source>
        <translation>图层 {layer}：道路线无几何，未参与计算：要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="293"/>
        <source>Layer {layer}: {n} line(s) of class(es) {classes} are not walked (the profile&apos;s excluded_road_classes)</source>
        <translation>图层 {layer}：{n} 条道路等级为 {classes} 的道路不计入步行路网（配置的 excluded_road_classes）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="298"/>
        <source>no road line with a geometry that a pedestrian may walk ({n} feature(s) read): give a layer of road lines, or no road layer to use straight-line distances</source>
        <translation>没有行人可通行且有几何的道路线（共读取 {n} 个要素）：请提供道路线图层，或不提供道路图层以使用直线距离</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="315"/>
        <source>Walking network: {edges} edges, {km:,.1f} km, {parts} connected part(s); {snapped} line end(s) joined within {tolerance} m</source>
        <translation>步行路网：{edges} 条边，{km:,.1f} km，{parts} 个连通分区；{snapped} 个道路端点在 {tolerance} m 内吸附相接</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="320"/>
        <source>Layer {layer}: {n} residential unit(s) lie on parts of the road network apart from the largest; facilities on other parts are unreachable for them</source>
        <translation>图层 {layer}：{n} 个居住单元位于最大连通分区以外的路网分区，其他分区的设施对其不可达</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="353"/>
        <source>Residential units: {units}, residents {people:,.0f} ({unknown} unit(s) without population, not in the shares)</source>
        <translation>居住单元：{units} 个，人口 {people:,.0f}（{unknown} 个单元人口不详，不计入覆盖率）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="361"/>
        <source>Residents within the walk, city: {shares}; every basic facility: {all}</source>
        <translation>步行距离内人口比例，全市：{shares}；各项基本设施均覆盖：{all}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="364"/>
        <source>Residents within the walk, {district}: {shares}; every basic facility: {all}</source>
        <translation>步行距离内人口比例，{district}：{shares}；各项基本设施均覆盖：{all}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="364"/>
        <source>(no district)</source>
        <translation>（无行政区）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="368"/>
        <source>No facility of type(s) {types}: no unit is covered by them</source>
        <translation>没有 {types} 类设施：任何单元均未被其覆盖</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="371"/>
        <source>Walking distances: {walks} ({source})</source>
        <translation>步行距离：{walks}（{source}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="55"/>
        <source>Every basic facility</source>
        <translation>各项基本设施均覆盖</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="75"/>
        <source>15-minute living circle</source>
        <translation>15分钟生活圈</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="84"/>
        <source>Residential units</source>
        <translation>居住单元</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="85"/>
        <source>Facilities</source>
        <translation>公共服务设施</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="86"/>
        <source>Roads (empty: straight lines)</source>
        <translation>道路（留空：直线距离）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="112"/>
        <source>Choose the residential units and the facilities first</source>
        <translation>请先选择居住单元和公共服务设施图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="118"/>
        <source>The living circle failed: {error}</source>
        <translation>生活圈分析失败：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="139"/>
        <source>No road network: straight-line distances × the detour factor</source>
        <translation>无路网：直线距离 × 绕行系数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="149"/>
        <source>Units</source>
        <translation>居住单元数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="149"/>
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="150"/>
        <source>Without population</source>
        <translation>人口不详单元数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/living_circle_dock.py" line="150"/>
        <source>Every basic facility (%)</source>
        <translation>基本设施全覆盖率（%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="114"/>
        <source>not checked: {open} rule(s)</source>
        <translation>未核查：{open} 项规则</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="120"/>
        <source>Checks every industrial-upstairs (工业上楼) plan against the rule profile: FAR, height, storeys, floor heights, floor loads, freight lift, support space, declared against drawn area, and the spatial rules — no overlap with permanent basic farmland, the ecological red line or another plan, inside the urban development boundary, on industrial land (from the land-use layer, else the plan's own land-use code; codes are read in their layer's code system, detected from the values or set by LAND_USE_SYSTEM). A rule whose field or layer is missing is reported as not checked, never as passed: a plan passes (passed = 1) only when every rule of the profile was checked and passed, fails (0) when any rule failed, and is otherwise not checked (未核查, passed empty). Adds passed, failed and unchecked rules, reasons and the measured areas; VIOLATIONS holds the conflicting pieces. Areas are measured in a projected CRS; layers in another CRS are reprojected. The input layers are not modified.</source>
        <translation>按规则配置核查每个工业上楼方案：容积率、高度、层数、层高、楼面荷载、货梯、配套用房、申报面积与图形面积，以及空间规则——不占永久基本农田、生态保护红线或其他方案，位于城镇开发边界内，位于工业用地上（依据用地图层，否则依据方案自身的用地性质；代码按其图层所用的分类标准读取，按取值识别或由 LAND_USE_SYSTEM 指定）。缺少字段或图层的规则记为未核查，绝不记为通过：只有规则配置中的每条规则都已核查且通过，方案才算通过（passed = 1）；任一规则未通过即为未通过（0）；其余为未核查（passed 为空）。输出是否通过、未通过和未核查的规则、原因及量算面积；VIOLATIONS 为冲突部分。面积在投影坐标系中量算；其他坐标系的图层会被重投影。不修改输入图层。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="426"/>
        <source>{what}: {n} plan(s)</source>
        <translation>{what}：{n} 个方案</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="433"/>
        <source>Not checked for any plan: {n} of {total} rules — {rules}</source>
        <translation>所有方案均未能核查的规则：{total} 条中的 {n} 条——{rules}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="437"/>
        <source>Not checked for some plans: {n} rule(s) — {rules}</source>
        <translation>部分方案未能核查的规则：{n} 条——{rules}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="440"/>
        <source>A plan passes only when every rule was checked: {n} plan(s) with no failure are not checked (未核查), not passed. Map the missing fields, give the missing layers, or take the rules you do not check out of the profile's {key}</source>
        <translation>只有每条规则都已核查，方案才算通过：{n} 个无未通过规则的方案记为未核查，不算通过。请映射缺少的字段、提供缺少的图层，或将不核查的规则从规则配置的 {key} 中移除</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="461"/>
        <source>Industrial upstairs plans: {figures}; average FAR {far}; passed {passed}, failed {failed}, not checked {open}</source>
        <translation>工业上楼方案：{figures}；平均容积率 {far}；通过 {passed} 宗，未通过 {failed} 宗，未核查 {open} 宗</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="466"/>
        <source>{district}: {figures}; average FAR {far}; passed {passed}, failed {failed}, not checked {open}</source>
        <translation>{district}：{figures}；平均容积率 {far}；通过 {passed} 宗，未通过 {failed} 宗，未核查 {open} 宗</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="482"/>
        <source>Without usable geometry (never passed; failed only by another rule): {n}</source>
        <translation>没有可用图形（绝不算通过；仅因其他规则未通过而算未通过）：{n} 个</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="485"/>
        <source>With a data error in their own values (never passed; failed only by another rule): {n}</source>
        <translation>自身数值有数据错误（绝不算通过；仅因其他规则未通过而算未通过）：{n} 个</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="22"/>
        <source>Land-use code system: auto (detected from the values), gbt21010 (GB/T 21010-2017 三调), guide2023 (2023 用地用海分类指南) or gb50137 (GB 50137-2011); 0, 1, 2, 3 name them in this order</source>
        <translation>用地分类标准：auto（按取值识别）、gbt21010（GB/T 21010-2017 三调）、guide2023（2023 用地用海分类指南）或 gb50137（GB 50137-2011）；也可依次用 0, 1, 2, 3 表示</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="52"/>
        <source>LAND_USE_SYSTEM {value} is not a land-use code system; valid values: {choices} (or {numbers} in this order)</source>
        <translation>LAND_USE_SYSTEM {value} 不是用地分类标准；有效取值：{choices}（或依次为 {numbers}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/layouts/builder.py" line="151"/>
        <source>Layer {layer} lies wholly under the filled features drawn above it on this map: left off the map and out of the legend</source>
        <translation>图层 {layer} 在本图中完全被其上方的填充要素遮盖：不绘制，也不列入图例</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="28"/>
        <source>transfers only (not judged)</source>
        <translation>仅有调剂（未判定）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="325"/>
        <source>nothing of it transferred</source>
        <translation>该项未调剂</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="326"/>
        <source>the area is measured from the geometry</source>
        <translation>面积按图形量算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="327"/>
        <source>no paddy (0 亩)</source>
        <translation>无水田（0 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="327"/>
        <source>the capacity follows from the quality grade</source>
        <translation>产能按质量等别折算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="328"/>
        <source>no quality grade</source>
        <translation>无质量等别</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="329"/>
        <source>unit price × quantity</source>
        <translation>单价 × 数量</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="329"/>
        <source>no price</source>
        <translation>无单价</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="330"/>
        <source>the default indicator type</source>
        <translation>默认指标类型</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="330"/>
        <source>no project id</source>
        <translation>无项目编号</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="331"/>
        <source>no supplement named</source>
        <translation>未挂钩补充耕地项目</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="341"/>
        <source>Layer {layer}, field {field}: {n} value(s) mark no data ({values}; feature id {ids}), read as empty: {meaning}</source>
        <translation>图层 {layer}，字段 {field}：{n} 个值表示无数据（{values}；要素号 {ids}），按空值处理：{meaning}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="341"/>
        <source>an empty value</source>
        <translation>空值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="352"/>
        <source>Layer {layer}: county {county} (feature id {ids}) has neither occupations nor supplements; its transfers are in the ledger, its balance is not judged (counties with projects: {known})</source>
        <translation>图层 {layer}：县（市、区）{county}（要素号 {ids}）既无占用也无补充项目；其调剂计入台账，但不判定其平衡状态（有项目的县（市、区）：{known}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="498"/>
        <source>{value:,.2f} 亩 cultivated land</source>
        <translation>耕地 {value:,.2f} 亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="498"/>
        <source>{value:,.2f} 亩 paddy</source>
        <translation>水田 {value:,.2f} 亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="499"/>
        <source>{value:,.0f} kg grain capacity</source>
        <translation>产能 {value:,.0f} 公斤</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="500"/>
        <source>{county} short of {amounts}</source>
        <translation>{county} 缺{amounts}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="511"/>
        <source>Grain capacity converted from the quality grade by {table}: a local default, not a published table — put the province's grade-to-yield table in the rule profile (farmland_balance.capacity_per_mu)</source>
        <translation>粮食产能按质量等别以 {table} 折算：此为本地默认值，并非正式发布的对照表——请在规则配置（farmland_balance.capacity_per_mu）中换成本省的等别与标准粮产量对照表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="515"/>
        <source>Grain capacity converted from the quality grade by {table} ({source})</source>
        <translation>粮食产能按质量等别以 {table} 折算（{source}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="521"/>
        <source>Counties only in transfers, balance not judged: {list}</source>
        <translation>仅出现在指标调剂中、未判定平衡的县（市、区）：{list}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="54"/>
        <source>Concerns</source>
        <translation>涉及指标或面积</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="248"/>
        <source>Layer {layer}: {n} transfer(s) move more paddy than quantity (feature id {ids}): the indicators are traded each on its own</source>
        <translation>图层 {layer}：{n} 笔调剂的水田指标多于数量指标（要素号 {ids}）：各类指标分别交易</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="191"/>
        <source>Layer {layer}: {n} residential unit(s) farther than {limit} m (the profile&apos;s max_access_m) from every walkable road have no road access and are not covered: feature id(s) {ids}</source>
        <translation>图层 {layer}：{n} 个居住单元距任何可步行道路超过 {limit} m（配置的 max_access_m），未接入路网，不计覆盖：要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="197"/>
        <source>Layer {layer}: facilities farther than {limit} m (the profile&apos;s max_access_m) from every walkable road are left out: feature id(s) {ids}</source>
        <translation>图层 {layer}：距任何可步行道路超过 {limit} m（配置的 max_access_m）的设施未接入路网，不参与计算：要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="98"/>
        <source>For every residential unit, the walking distance on the road network to the nearest facility of each type (kindergarten, primary and middle school, health station and centre, elderly care, culture, sports, market …) and whether it lies within its circle's walk (GB 50180-2018: 5, 10 and 15 minutes, 300, 500 and 800–1000 m; the types, codes and distances are in the rule profile's living_circle section). The roads are noded at crossings (a bridge or tunnel — the layer, bridge, tunnel fields — only where it ends on another road), their ends snapped within the profile's tolerance, classes a pedestrian cannot walk left out; units on a part of the network without a facility of a type are not covered. A facility polygon (a park, a campus) is entered at its edge from the roads along it; a unit or facility farther than the profile's maximum access distance from every walkable road has no road access (未接入路网). Without a road layer, straight-line distance × the profile's detour factor. Population is the population field, else households × the profile's household size. GAPS lists per type the units not covered; DISTRICTS the population-weighted coverage per district. The input layers are not modified.</source>
        <translation>计算每个居住单元沿路网步行到各类设施（幼儿园、小学、初中、社区卫生服务站和中心、养老、文化、体育、菜市场等）最近一处的距离，并判断是否在其生活圈步行距离内（GB 50180-2018：5、10、15分钟，300、500、800～1000 m；设施类型、代码和距离见规则配置的 living_circle 部分）。道路在交叉处打断（桥梁、隧道——layer、bridge、tunnel 字段——只在其端点接入其他道路），端点在配置的容差内吸附，行人不能通行的道路等级不计；所在路网分区内没有某类设施的单元视为未覆盖。面状设施（公园、校园）从其边界沿线的道路进入；距任何可步行道路超过配置的最大接入距离的居住单元或设施为未接入路网。无道路图层时，以直线距离乘配置的绕行系数估算。人口取人口字段，否则为户数 × 配置的户均人口。GAPS 按设施类型列出未覆盖的居住单元；DISTRICTS 为各行政区按人口加权的覆盖率。不修改输入图层。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/living_circle.py" line="305"/>
        <source>Layer {layer}: {n} walkable line(s) above or below the ground (bridges, tunnels: layer, bridge, tunnel fields) are joined to other levels only where they end on them, not where they cross them</source>
        <translation>图层 {layer}：{n} 条可步行道路位于地面以上或以下（桥梁、隧道：layer、bridge、tunnel 字段），只在其端点与其他层的道路相接，交叉处不相通</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="283"/>
        <source>Upstairs check (live)</source>
        <translation>工业上楼核查（实时）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="299"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="308"/>
        <source>The plan as the layer holds it now, its unsaved edits included; values typed into this form count once the form saves them.</source>
        <translation>按图层当前状态核查（含未保存的编辑）；在本表单中输入的值在表单保存后计入。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="426"/>
        <source>Checked once the plan is in the layer.</source>
        <translation>方案加入图层后即核查。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="553"/>
        <source>The rule profile refuses saving plans that fail their rules, but this QGIS ({version}) lets no plugin refuse a save (QGIS 4.0 does): such saves will be warned about instead</source>
        <translation>规则配置要求拒绝保存未通过规则的方案，但当前 QGIS（{version}）不允许插件拒绝保存（QGIS 4.0 起可以）：此类保存将只给出警告</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="362"/>
        <source>{layer} feature id {ids}</source>
        <translation>{layer} 要素号 {ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="365"/>
        <source>County names {spelling} and {county} differ only in traditional and simplified characters: {spelling} read as {county} ({where})</source>
        <translation>县（市、区）名称 {spelling} 与 {county} 仅有繁简字之别：{spelling} 按 {county} 计入同一县（{where}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/resettlement.py" line="57"/>
        <source> (not counted: {n} overdue project(s) whose households are unknown)</source>
        <translation>（另有 {n} 个超期项目户数不明，未计入）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="281"/>
        <source>Evaluate live while the parcels or buildings are edited</source>
        <translation>编辑地块或建筑时实时评价</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="282"/>
        <source>While the parcels or buildings layer is in edit mode, each change re-evaluates the districts and merge clusters it affects with the same rules as the full evaluation; the table, the why of a parcel and the live result layer follow. Nothing is written to your layers; turning this off removes the live layers.</source>
        <translation>地块或建筑图层处于编辑状态时，每次修改都会按与完整评价相同的规则重新评价受影响的行政区和并宗组团；表格、地块认定原因和实时结果图层随之更新。不会写入您的图层；关闭后移除实时图层。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="825"/>
        <source>Live evaluation: {n} parcel(s), {low} low-efficiency ({mu:,.1f} mu), {clusters} merge cluster(s)</source>
        <translation>实时评价：{n} 宗地块，低效 {low} 宗（{mu:,.1f} 亩），并宗组团 {clusters} 个</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="713"/>
        <source>Live evaluation starting: reading and evaluating {n} parcel(s)…</source>
        <translation>实时评价启动中：正在读取并评价 {n} 宗地块…</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_efficiency.py" line="177"/>
        <source>Live evaluation: low-efficiency land</source>
        <translation>实时评价：低效用地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_efficiency.py" line="180"/>
        <source>Live evaluation: merge clusters</source>
        <translation>实时评价：并宗组团</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="392"/>
        <source>Not in the figures above: {area} parcel(s) of unknown area ({low} of them low-efficiency), {potential} low-efficiency parcel(s) of unknown potential (FAR or area unknown)</source>
        <translation>以上数字未计入：面积不明 {area} 宗（其中低效 {low} 宗），再开发潜力不明的低效地块 {potential} 宗（容积率或面积不明）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="138"/>
        <source>{n} of unknown area</source>
        <translation>{n}宗面积不明</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/farmland_dock.py" line="49"/>
        <source>Transfers without funds</source>
        <translation>资金不明笔数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="485"/>
        <source>{n} without funds</source>
        <translation>{n}项调剂金额不明</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/writing.py" line="168"/>
        <source>the value {value} cannot be stored in this field of type {type} ({error}): correct it</source>
        <translation>值 {value} 无法存入该 {type} 类型字段（{error}）：请更正</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="359"/>
        <source>Live check off: run the check for its results</source>
        <translation>实时核查已关闭：运行核查以查看结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="491"/>
        <source>Transfers of {kind}: {n}, {mu:,.1f} 亩, funds {funds}</source>
        <translation>{kind}调剂 {n} 笔，{mu:,.1f} 亩，资金 {funds}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="506"/>
        <source>No grade</source>
        <translation>无亩均等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/farmland_balance.py" line="525"/>
        <source>Flows not drawn on the map, no project with a shape places {counties}: {pairs}</source>
        <translation>以下调剂流向未上图（{counties}无带图形的项目，位置不明）：{pairs}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="326"/>
        <source>Layer {layer}: field {field} read in percent as the rule profile says ({key}): every value divided by 100</source>
        <translation>图层 {layer}：按规则配置（{key}）将字段 {field} 按百分数读取：每个值均除以 100</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/upstairs.py" line="330"/>
        <source>Layer {layer}: field {field} read in percent — most of its values are above the FAR limit {limit:g} — every value divided by 100; set {key} in the rule profile to change this</source>
        <translation>图层 {layer}：字段 {field} 按百分数读取（多数取值超过容积率上限 {limit:g}），每个值均除以 100；如需更改，请在规则配置中设置 {key}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/base.py" line="75"/>
        <source>Layer {layer}, field {field}: {n} value(s) written with a % sign read in percent (divided by 100), in feature id(s) {ids}; the other values are ratios</source>
        <translation>图层 {layer}，字段 {field}：{n} 个带 % 号的值按百分数读取（除以 100），要素编号 {ids}；其余按比值读取</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="122"/>
        <source>Live check: {plans} plans; passed {passed}, failed {failed}, not checked {open}</source>
        <translation>实时核查：{plans} 宗方案；通过 {passed} 宗，未通过 {failed} 宗，未核查 {open} 宗</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/land_use_choice.py" line="22"/>
        <source>all industrial land</source>
        <translation>全部视为工业用地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/land_use_choice.py" line="31"/>
        <source>Read the code system from the values</source>
        <translation>按取值识别所用的分类标准</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="71"/>
        <source>3rd survey GB/T 21010</source>
        <translation>三调 GB/T 21010</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="72"/>
        <source>land and sea use 2023</source>
        <translation>用地用海 2023</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/land_use_choice.py" line="19"/>
        <source>land-use codes: automatic</source>
        <translation>自动识别用地分类</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="63"/>
        <source>Enterprise classes (above / below scale)</source>
        <translation>企业分类（规上 / 规下）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="64"/>
        <source>Not graded (new enterprises, projects under construction, utilities)</source>
        <translation>不定等级（新投产企业、在建项目、公用事业）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="207"/>
        <source>Sources:</source>
        <translation>依据：</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="449"/>
        <source>computed: {floor_field} {floor} m² ÷ drawn area {area} m²</source>
        <translation>按{floor_field} ÷ 图形面积计算：{floor} m² ÷ {area} m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="452"/>
        <source>from the field {field}</source>
        <translation>取自字段“{field}”</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/live_form.py" line="457"/>
        <source>The field {field} says {value}, but the FAR checked is {far} ({floor_field} ÷ drawn area): the check does not read {field}, so editing it changes nothing here — the floor area and the drawn shape decide the FAR.</source>
        <translation>字段“{field}”填写为 {value}，而核查的容积率为 {far}（{floor_field} ÷ 图形面积）：核查不读取“{field}”，修改该字段不会改变此处的核查结果——容积率由建筑面积和所绘图形决定。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="690"/>
        <source>Live evaluation off: the last run&apos;s results</source>
        <translation>实时评价已关闭：以下为上次运行的结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_dock.py" line="690"/>
        <source>Live evaluation off: run the evaluation for its results</source>
        <translation>实时评价已关闭：运行评价以查看结果</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/land_use.py" line="108"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="56"/>
        <source>— not detected —</source>
        <translation>— 未识别 —</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/load_dock.py" line="266"/>
        <source>Choose the layer&apos;s role first</source>
        <translation>请先选择图层的用途</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="562"/>
        <source>Not saved: {n} plan(s) fail their rules (the rule profile refuses such saves)</source>
        <translation>未保存：{n} 个方案未通过规则（规则配置拒绝此类保存）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/upstairs_dock.py" line="567"/>
        <source>Saving {n} plan(s) that fail their rules</source>
        <translation>保存的方案中有 {n} 个未通过规则</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="364"/>
        <source>a field it is asked for is joined or computed by QGIS</source>
        <translation>所需字段是 QGIS 连接或计算的字段</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="381"/>
        <source>GDAL cannot hand its columns over as QGIS reads them</source>
        <translation>GDAL 无法按 QGIS 的读法整列交出其字段</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="395"/>
        <source>Layer {layer}: its {count} features are read one by one, several times slower than a GeoPackage, shapefile, FlatGeobuf or GeoJSON file read whole, since {reason}</source>
        <translation>图层 {layer}：{count} 个要素逐个读取，比整列读取 GeoPackage、Shapefile、FlatGeobuf 或 GeoJSON 文件慢数倍，原因：{reason}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="465"/>
        <source>it is read through QGIS</source>
        <translation>该输入只能经 QGIS 读取</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="439"/>
        <source>the input checks each geometry as it is read (Processing&apos;s invalid feature filtering)</source>
        <translation>输入在读取时逐个检查几何（处理工具的无效要素过滤）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/layers.py" line="495"/>
        <source>the input has a feature limit or a filter expression</source>
        <translation>输入设有要素数上限或过滤表达式</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="84"/>
        <source>it is not a valid vector layer</source>
        <translation>它不是有效的矢量图层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="86"/>
        <source>its data provider is {provider}</source>
        <translation>其数据提供者为 {provider}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="88"/>
        <source>this GDAL has no Arrow stream (GDAL 3.6 or later has)</source>
        <translation>当前 GDAL 不支持 Arrow 流（GDAL 3.6 及以上支持）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="90"/>
        <source>it has unsaved edits</source>
        <translation>它有未保存的编辑</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="94"/>
        <source>its source has options ({options}) only QGIS applies</source>
        <translation>其数据源带有只有 QGIS 能应用的选项（{options}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="98"/>
        <source>its filter is a SQL query of its own</source>
        <translation>其过滤条件是一条完整的 SQL 查询</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="102"/>
        <source>it is a {format} file</source>
        <translation>它是 {format} 文件</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/qgis_bridge/columnar.py" line="107"/>
        <source>its text is read in the encoding {encoding}</source>
        <translation>其文本按 {encoding} 编码读取</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/efficiency.py" line="214"/>
        <source>Layer {layer}, field {field}: district names in traditional characters are read in simplified characters, one district with those written so: {names}</source>
        <translation>图层 {layer}，字段 {field}：繁体字书写的行政区名称按简体字读取，与简体字书写的同一行政区合并计算：{names}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="136"/>
        <source>Boundary within this distance of a neighbour counts as shared with it: surveyed neighbours&apos; vertices lie off each other&apos;s sides by the rounding of their coordinates, a CAD export&apos;s by millimetres. 0: only boundary exactly on the neighbour.</source>
        <translation>与相邻地块边界相距不超过此值的部分视为共边：测绘成果中相邻地块的界址点因坐标取舍偏离对方边线，CAD 导出的数据可能相差数毫米。0 表示只计完全重合的边界。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/gui/efficiency_rules_editor.py" line="144"/>
        <source>Gap still counted as a shared edge</source>
        <translation>视为共边的最大缝隙</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="59"/>
        <source>layer {value}</source>
        <translation>图层 {value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="60"/>
        <source>feature id {value}</source>
        <translation>要素 {value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="61"/>
        <source>field {value}</source>
        <translation>字段 {value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="63"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="64"/>
        <source>{where}: {message}</source>
        <translation>{where}：{message}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="116"/>
        <source>Rule profile error: {error}</source>
        <translation>规则配置错误：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="151"/>
        <source>Unexpected error ({kind}): {error}. Please report it with the input that caused it</source>
        <translation>意外错误（{kind}）：{error}。请连同引起该错误的输入数据一起报告</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/processing/outputs.py" line="234"/>
        <source>The output {parameter} ({path}) is the file of the input layer {layer}: writing it would overwrite the input. Choose another file; nothing was written</source>
        <translation>输出 {parameter}（{path}）是输入图层 {layer} 所在的文件：写入会覆盖输入数据。请另选文件；未写入任何内容</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/errors.py" line="54"/>
        <source> (did you mean {name}?)</source>
        <translation>（是否应为 {name}？）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/dates.py" line="176"/>
        <source>a date plus {years} year(s) is beyond the supported calendar (1677–2262)</source>
        <translation>日期加上 {years} 年后超出了支持的日历范围（1677–2262）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/dates.py" line="192"/>
        <source>the as-of date {date} lies outside the years {first}–{last}</source>
        <translation>统计日期 {date} 不在 {first}–{last} 年之间</translation>
    </message>
</context>
<context>
    <name>install_advice</name>
    <message>
        <location filename="../land_bureau_plugin/install_advice.py" line="25"/>
        <source>Land Bureau needs {missing}.</source>
        <translation>规划资源插件需要 {missing}。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/install_advice.py" line="26"/>
        <source>QGIS for Windows ships them as OSGeo4W packages: run the OSGeo4W Setup (osgeo4w-setup.exe), choose Advanced Install and select {packages} (with the standalone installer: install its current version), then restart QGIS.</source>
        <translation>Windows 版 QGIS 以 OSGeo4W 软件包提供它们：运行 OSGeo4W 安装程序（osgeo4w-setup.exe），选择“高级安装”（Advanced Install）并勾选 {packages}（独立安装包用户请安装其最新版本），然后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/install_advice.py" line="30"/>
        <source>Install the system packages: sudo apt install {packages}, then restart QGIS.</source>
        <translation>请安装系统软件包：sudo apt install {packages}，然后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/install_advice.py" line="32"/>
        <source>{release} ships {names} older than the plugin needs: install a newer one for QGIS&apos;s Python into your user site, leaving the system&apos;s numpy untouched: python3 -m pip install --user --break-system-packages --no-deps {pins}, then restart QGIS.</source>
        <translation>{release} 自带的 {names} 版本低于插件所需：请为 QGIS 所用的 Python 在用户目录安装新版本（不改动系统的 numpy）：python3 -m pip install --user --break-system-packages --no-deps {pins}，然后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/install_advice.py" line="36"/>
        <source>Install {pins} for the Python QGIS runs (Python {python}) with your system&apos;s package manager or pip, then restart QGIS.</source>
        <translation>请用系统的软件包管理器或 pip 为 QGIS 所用的 Python（Python {python}）安装 {pins}，然后重启 QGIS。</translation>
    </message>
</context>
<context>
    <name>landuse</name>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency.py" line="391"/>
        <source>No land-use field (用地性质 / land_use) is mapped: low efficiency concerns industrial and warehouse land only, and without land use every parcel — homes, schools, parks — would be judged. Map the land-use field in the field map, or set ALL_INDUSTRIAL=true if every feature is industrial land.</source>
        <translation>未映射用地性质字段（用地性质 / land_use）：低效用地评价只针对工业和仓储用地，没有用地性质就会把住宅、学校、公园等所有地块都纳入评价。请在字段映射中指定用地性质字段；若全部要素均为工业用地，请设置 ALL_INDUSTRIAL=true。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency.py" line="395"/>
        <source>The land-use field (用地性质 / land_use) is empty in every feature: nothing tells industrial land from homes, schools or parks. Map a field that holds the land use, or set ALL_INDUSTRIAL=true if every feature is industrial land.</source>
        <translation>用地性质字段（用地性质 / land_use）在所有要素中均为空：无法区分工业用地与住宅、学校、公园。请映射含有用地性质的字段；若全部要素均为工业用地，请设置 ALL_INDUSTRIAL=true。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_use_codes.py" line="49"/>
        <source>GB/T 21010-2017 current land use (third national survey)</source>
        <translation>GB/T 21010-2017 土地利用现状分类（三调）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_use_codes.py" line="50"/>
        <source>land and sea use classification guide (2023)</source>
        <translation>国土空间调查、规划、用途管制用地用海分类指南（2023）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_use_codes.py" line="51"/>
        <source>GB 50137-2011 urban land classification</source>
        <translation>GB 50137-2011 城市用地分类</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_use_codes.py" line="245"/>
        <source>unknown land-use code system {system}; known: auto, {known}</source>
        <translation>未知的用地分类标准 {system}；可选：auto、{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_use_codes.py" line="249"/>
        <source>no value is a code or name of {system}; values: {values}</source>
        <translation>没有取值是{system}的代码或名称；取值：{values}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_use_codes.py" line="255"/>
        <source>no value is a land-use code or name of GB/T 21010-2017, the 2023 land and sea use guide or GB 50137-2011; values: {values}</source>
        <translation>没有取值是 GB/T 21010-2017、2023 年用地用海分类指南或 GB 50137-2011 的用地代码或名称；取值：{values}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_use_codes.py" line="266"/>
        <source>the land-use values are valid in several code systems that read them differently ({meanings}); choose the code system (parameter LAND_USE_SYSTEM: {systems})</source>
        <translation>用地性质取值在多个分类标准中都有效但含义不同（{meanings}）；请指定分类标准（参数 LAND_USE_SYSTEM：{systems}）</translation>
    </message>
</context>
<context>
    <name>language</name>
    <message>
        <location filename="../land_bureau_plugin/i18n.py" line="32"/>
        <source>English</source>
        <translation>简体中文</translation>
    </message>
</context>
<context>
    <name>profile</name>
    <message>
        <location filename="../land_bureau_plugin/rules/profile.py" line="48"/>
        <source>cannot read profile: {error}</source>
        <translation>无法读取规则配置：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/profile.py" line="51"/>
        <source>not valid JSON (line {line}, column {column}): {error}</source>
        <translation>不是有效的 JSON（第 {line} 行第 {column} 列）：{error}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/profile.py" line="55"/>
        <source>a profile must be a JSON object</source>
        <translation>规则配置必须是 JSON 对象</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/profile.py" line="116"/>
        <source>must be an object</source>
        <translation>必须是对象</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/profile.py" line="161"/>
        <source>expected {type}, got {value}</source>
        <translation>应为 {type}，实际为 {value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="186"/>
        <source>must not be negative</source>
        <translation>不能为负数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/resettlement.py" line="100"/>
        <source>milestones must be in order: start ≤ complete ≤ resettle</source>
        <translation>节点年限须按顺序：开工 ≤ 竣工 ≤ 安置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/resettlement.py" line="103"/>
        <source>must not exceed yellow_days</source>
        <translation>不能大于 yellow_days</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="88"/>
        <source>must be below max_height_m ({max})</source>
        <translation>须小于 max_height_m（{max}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="92"/>
        <source>is a share between 0 and 1 (0.15 means 15 %)</source>
        <translation>应为 0 到 1 之间的比例（0.15 表示 15%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="95"/>
        <source>unknown rule id(s): {ids}; known: {known}</source>
        <translation>未知规则编号：{ids}；可用：{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="99"/>
        <source>listed more than once: {ids}</source>
        <translation>重复列出：{ids}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="127"/>
        <source>needs a &apos;{key}&apos; entry for land-use codes without their own</source>
        <translation>需要“{key}”一项，用于没有单独设置的用地代码</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="146"/>
        <source>must be a share between 0 and 1 (0.30 for 30 %)</source>
        <translation>应为 0 到 1 之间的比例（0.30 表示 30%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="154"/>
        <source>must be positive</source>
        <translation>须大于 0</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="161"/>
        <source>needs an entry &apos;{key}&apos;</source>
        <translation>需要“{key}”一项</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="183"/>
        <source>unknown indicator; known: {known}</source>
        <translation>未知指标；可用：{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="188"/>
        <source>at least one indicator needs a positive weight</source>
        <translation>至少一项指标的权重须大于 0</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="218"/>
        <source>bounds must lie in 0…100 and descend strictly (A &gt; B &gt; C)</source>
        <translation>分界须在 0…100 之间且严格递减（A &gt; B &gt; C）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="221"/>
        <source>&apos;{grade}&apos; is the grade below the lowest bound and takes no bound</source>
        <translation>“{grade}”是最低分界以下的等级，不设分界</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="224"/>
        <source>must be one of {grades}</source>
        <translation>须为以下之一：{grades}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/profile.py" line="63"/>
        <source>must be a finite number, not {value}</source>
        <translation>必须是有限数值，不能是 {value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="150"/>
        <source>unknown key(s): {keys}; known: {known}</source>
        <translation>未知的键：{keys}；已知：{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="114"/>
        <source>must not be empty (an empty list would check nothing)</source>
        <translation>不能为空（空列表将什么也不核查）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/profile.py" line="177"/>
        <source>is a percentage: at most 100</source>
        <translation>是百分数：不能超过 100</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/resettlement.py" line="95"/>
        <source>at most {n} years</source>
        <translation>不能超过 {n} 年</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/resettlement.py" line="97"/>
        <source>at most {n} days</source>
        <translation>不能超过 {n} 天</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="194"/>
        <source>must be one of {units}</source>
        <translation>必须是以下之一：{units}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="173"/>
        <source>must be a share from 0 up to (not including) 0.5</source>
        <translation>必须为 0 至 0.5（不含）之间的比例</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="176"/>
        <source>must be above 1</source>
        <translation>必须大于 1</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/geometry_rules.py" line="25"/>
        <source>must be above 0 and at most {max} m</source>
        <translation>必须大于 0 且不超过 {max} 米</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="133"/>
        <source>is no land-use code of GB/T 21010, the 2023 guide or GB 50137, no family ({families}) and not &apos;{key}&apos;</source>
        <translation>不是 GB/T 21010、2023 年指南或 GB 50137 的用地代码，不是类别（{families}），也不是“{key}”</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="138"/>
        <source>must list families of: {families}</source>
        <translation>须列出以下类别中的类别：{families}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="141"/>
        <source>must be one of {systems}</source>
        <translation>须为以下之一：{systems}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="203"/>
        <source>must be true or false</source>
        <translation>须为 true 或 false</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/migration.py" line="119"/>
        <source>must be a whole number from 1 to {current}</source>
        <translation>必须是 1 到 {current} 之间的整数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/migration.py" line="122"/>
        <source>version {version} was written by a newer plugin; this plugin reads profiles up to version {current}</source>
        <translation>版本 {version} 由更新的插件写入；本插件只能读取版本 {current} 及以下的规则配置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/resettlement.py" line="107"/>
        <source>at most {n}</source>
        <translation>不得超过 {n}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_rules.py" line="99"/>
        <source>must not be shorter than idle_years and stopped_years</source>
        <translation>不得短于 idle_years 和 stopped_years</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/plausibility.py" line="75"/>
        <source>unknown field{hint}; known: {known}</source>
        <translation>未知字段{hint}；可用字段：{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/plausibility.py" line="79"/>
        <source>must be a positive number, or null to switch the limit off</source>
        <translation>必须为正数，或填 null 以关闭该上限</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/criteria.py" line="97"/>
        <source>no rule of this section; known: {known}</source>
        <translation>本部分没有此规则；已知规则：{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/criteria.py" line="104"/>
        <source>a source is &quot;{local}&quot; or an object with document, article, date, note</source>
        <translation>依据应为“{local}”或包含 document、article、date、note 的对象</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/criteria.py" line="110"/>
        <source>no source for {ids}: give each its document (article, date) or &quot;{local}&quot;</source>
        <translation>{ids} 没有依据：请为每条规则写明文件（条款、日期）或“{local}”</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/criteria.py" line="121"/>
        <source>document, article, date and note are text</source>
        <translation>document、article、date、note 必须是文本</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/criteria.py" line="124"/>
        <source>name the document, or write &quot;{local}&quot;</source>
        <translation>请写明文件名称，或写“{local}”</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/rules/criteria.py" line="127"/>
        <source>a year (2008) or a date (2008-01-31)</source>
        <translation>应为年份（2008）或日期（2008-01-31）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="198"/>
        <source>cuts are shares of the group ranked above (0 &lt; cut ≤ 1), one per grade, all different, and none for '{grade}', the grade below the last cut</source>
        <translation>分档线为排名在前的企业所占比例（0 &lt; 分档线 ≤ 1），每个等级一个且互不相同，“{grade}”为最后一条分档线以下的等级，不设分档线</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="206"/>
        <source>each must be an indicator with a positive weight: {names}</source>
        <translation>每项都必须是权重大于 0 的指标：{names}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="209"/>
        <source>empty (not graded) or a grade other than &apos;{bottom}&apos;: {grades}</source>
        <translation>应为空（不定等级）或“{bottom}”以外的等级：{grades}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_rules.py" line="213"/>
        <source>industry codes must not be blank</source>
        <translation>行业代码不能为空</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_rules.py" line="77"/>
        <source>a grade must not be empty</source>
        <translation>等别不能为空</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="110"/>
        <source>must be one of {values}</source>
        <translation>须为以下之一：{values}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="111"/>
        <source>a walking distance between 0 and {n} m</source>
        <translation>步行距离应在 0 至 {n} m 之间</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="120"/>
        <source>{value} is no facility type; known: {known}</source>
        <translation>{value} 不是设施类型；已知：{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="136"/>
        <source>between {low} and {high}</source>
        <translation>应在 {low} 至 {high} 之间</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="146"/>
        <source>an object with {keys}</source>
        <translation>应为含 {keys} 的对象</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="153"/>
        <source>{value} is no level of walking_m; known: {known}</source>
        <translation>{value} 不是 walking_m 中的生活圈层级；已知：{known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="158"/>
        <source>a list of codes (text)</source>
        <translation>应为代码（文本）列表</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_rules.py" line="161"/>
        <source>a text</source>
        <translation>应为文本</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="53"/>
        <source>housing start (+1)</source>
        <translation>安置房开工（+1）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="54"/>
        <source>housing completion (+4)</source>
        <translation>安置房竣工（+4）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="55"/>
        <source>resettlement (+5)</source>
        <translation>完成安置（+5）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="58"/>
        <source>{milestone} done late on {done} (due {due})</source>
        <translation>{milestone}逾期完成于 {done}（期限 {due}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="59"/>
        <source>expropriation date missing</source>
        <translation>缺少征迁日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="60"/>
        <source>{field} is not a date: {value}</source>
        <translation>{field} 不是有效日期：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="66"/>
        <source>{milestone} date {done} is before expropriation</source>
        <translation>{milestone}日期 {done} 早于征迁日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="67"/>
        <source>{milestone} date {done} is after the as-of date</source>
        <translation>{milestone}日期 {done} 晚于统计日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="68"/>
        <source>{milestone} date {done} is before the previous milestone</source>
        <translation>{milestone}日期 {done} 早于前一节点</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="69"/>
        <source>{milestone} has no date although a later milestone is done</source>
        <translation>{milestone}缺少日期，但后续节点已完成</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="70"/>
        <source>households value is not valid: {value}</source>
        <translation>户数无效：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="74"/>
        <source>project id {value} appears more than once</source>
        <translation>项目编号 {value} 重复</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="75"/>
        <source>no resettlement plot on the map</source>
        <translation>安置地块未落图</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="17"/>
        <source>FAR</source>
        <translation>容积率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="18"/>
        <source>height</source>
        <translation>建筑高度</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="19"/>
        <source>storeys</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="20"/>
        <source>ground floor height</source>
        <translation>首层层高</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="21"/>
        <source>upper floor height</source>
        <translation>标准层层高</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="22"/>
        <source>ground floor load</source>
        <translation>首层荷载</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="23"/>
        <source>upper floor load</source>
        <translation>楼层荷载</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="24"/>
        <source>freight lift</source>
        <translation>货梯载重</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="27"/>
        <source>declared area</source>
        <translation>申报面积</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="28"/>
        <source>permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="29"/>
        <source>ecological red line</source>
        <translation>生态保护红线</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="30"/>
        <source>urban development boundary</source>
        <translation>城镇开发边界</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="31"/>
        <source>industrial land</source>
        <translation>工业用地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="32"/>
        <source>other plans</source>
        <translation>其他方案</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="34"/>
        <source>FAR {value} below {threshold}</source>
        <translation>容积率 {value} 低于 {threshold}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="38"/>
        <source>ground floor height {value} m below {threshold} m</source>
        <translation>首层层高 {value} 米，低于 {threshold} 米</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="39"/>
        <source>upper floor height {value} m below {threshold} m</source>
        <translation>标准层层高 {value} 米，低于 {threshold} 米</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="40"/>
        <source>ground floor load {value} kN/m² below {threshold} kN/m²</source>
        <translation>首层荷载 {value} kN/m²，低于 {threshold} kN/m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="41"/>
        <source>upper floor load {value} kN/m² below {threshold} kN/m²</source>
        <translation>楼层荷载 {value} kN/m²，低于 {threshold} kN/m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="42"/>
        <source>freight lift {value} t below {threshold} t</source>
        <translation>货梯载重 {value} 吨，低于 {threshold} 吨</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="47"/>
        <source>declared {declared_area} m² and drawn {area_m2} m² differ by {value} % (limit {threshold} %)</source>
        <translation>申报面积 {declared_area} m² 与图形面积 {area_m2} m² 相差 {value}%（允许 {threshold}%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="49"/>
        <source>{value} m² on permanent basic farmland</source>
        <translation>占用永久基本农田 {value} m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="50"/>
        <source>{value} m² inside the ecological red line</source>
        <translation>位于生态保护红线内 {value} m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="51"/>
        <source>{value} m² outside the urban development boundary</source>
        <translation>位于城镇开发边界外 {value} m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="52"/>
        <source>{value} m² on non-industrial land</source>
        <translation>位于非工业用地 {value} m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="53"/>
        <source>overlaps plan {overlap_plans} by {value} m²</source>
        <translation>与方案 {overlap_plans} 重叠 {value} m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="55"/>
        <source>not checked: {rules}</source>
        <translation>未核查：{rules}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="57"/>
        <source>{rule} (no value)</source>
        <translation>{rule}（无数据）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="58"/>
        <source>{rule} (invalid value)</source>
        <translation>{rule}（数值无效）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="60"/>
        <source>{rule} (layer not given)</source>
        <translation>{rule}（未提供图层）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="61"/>
        <source>{rule} (no geometry)</source>
        <translation>{rule}（无图形）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="62"/>
        <source>{rule} (land-use layer does not cover the plan)</source>
        <translation>{rule}（用地图层未完全覆盖方案）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="73"/>
        <source>{field} is not a valid number: {value}</source>
        <translation>{field} 不是有效数值：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="80"/>
        <source>invalid geometry was repaired</source>
        <translation>无效图形已修复</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>Floor area ratio is at least the minimum.</source>
        <translation>容积率不低于下限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>Building height is above the minimum and at most the maximum.</source>
        <translation>建筑高度高于下限且不超过上限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The building has at least the minimum number of storeys.</source>
        <translation>建筑层数不少于下限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>Ground floor height is at least the minimum.</source>
        <translation>首层层高不低于下限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>Upper floor height is at least the minimum.</source>
        <translation>标准层层高不低于下限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>Ground floor design load is at least the minimum.</source>
        <translation>首层设计荷载不低于下限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>Upper floor design load is at least the minimum.</source>
        <translation>楼层设计荷载不低于下限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>Freight lift capacity is at least the minimum.</source>
        <translation>货梯载重不低于下限。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The declared area matches the drawn area.</source>
        <translation>申报面积与图形面积一致。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The plan does not lie on permanent basic farmland.</source>
        <translation>方案不占用永久基本农田。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The plan does not lie inside the ecological red line.</source>
        <translation>方案不在生态保护红线内。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The plan lies inside the urban development boundary.</source>
        <translation>方案位于城镇开发边界内。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The plan lies on industrial land.</source>
        <translation>方案位于工业用地上。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The plan does not overlap another plan.</source>
        <translation>方案与其他方案不重叠。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="18"/>
        <source>FAR {far} below {min_far} for {code}</source>
        <translation>容积率 {far} 低于 {code} 的下限 {min_far}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="19"/>
        <source>coverage {coverage}% below {min_coverage}%</source>
        <translation>建筑系数 {coverage}% 低于 {min_coverage}%</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="20"/>
        <source>tax per mu {tax} 万元 is {share}% of {average} (floor {floor}%)</source>
        <translation>亩均税收 {tax} 万元，为{average}的 {share}%（下限 {floor}%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="29"/>
        <source>grade {grade} (score {score})</source>
        <translation>评价等级 {grade}（得分 {score}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="30"/>
        <source>idle land</source>
        <translation>闲置土地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="31"/>
        <source>other industrial land</source>
        <translation>其他工业用地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="35"/>
        <source>no economic indicator available: no score or grade</source>
        <translation>无经济指标：不评分、不定级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="36"/>
        <source>tax per mu</source>
        <translation>亩均税收</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="37"/>
        <source>output per mu</source>
        <translation>亩均产值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="38"/>
        <source>output per energy</source>
        <translation>单位能耗产值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="39"/>
        <source>output per employee</source>
        <translation>人均产值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="40"/>
        <source>R&amp;D ratio</source>
        <translation>研发投入占比</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="63"/>
        <source>no FAR: no buildings layer and no far or building_area value</source>
        <translation>无容积率：未提供建筑图层，也无容积率或建筑面积</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="64"/>
        <source>FAR {far} is implausible (above {limit}): data error, not used</source>
        <translation>容积率 {far} 不合理（大于 {limit}）：数据错误，未采用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="70"/>
        <source>no building of the buildings layer on the parcel</source>
        <translation>建筑图层中该地块上无建筑</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="74"/>
        <source>{count} building(s) without storeys: estimated from height at {storey} m per storey</source>
        <translation>{count} 栋建筑无层数：按每层 {storey} 米由高度推算</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="76"/>
        <source>{count} building(s) without storeys or height: counted as 1 storey</source>
        <translation>{count} 栋建筑无层数和高度：按 1 层计</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="83"/>
        <source>parcel area is zero or missing</source>
        <translation>地块面积为零或缺失</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="84"/>
        <source>parcel geometry is empty or not a polygon</source>
        <translation>地块图形为空或不是面</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="85"/>
        <source>parcel geometry was invalid and has been repaired</source>
        <translation>地块图形无效，已修复</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="86"/>
        <source>{field} is not a number: {value}</source>
        <translation>{field} 不是数字：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="87"/>
        <source>{field} is negative: {value}</source>
        <translation>{field} 为负数：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="92"/>
        <source>{field} is not a yes/no value: {value}</source>
        <translation>{field} 不是“是/否”值：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="56"/>
        <source>{rule} (field not found)</source>
        <translation>{rule}（图层无此字段）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="65"/>
        <source>{plans} 宗, {land_mu} 亩, {floor_area} 万m²</source>
        <translation>{plans} 宗，{land_mu} 亩，{floor_area} 万m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="66"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="71"/>
        <source>an industrial code</source>
        <translation>工业用地代码</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="72"/>
        <source>the plan&apos;s own land-use code {code} (no land-use layer)</source>
        <translation>按方案自身用地代码 {code} 判定（未提供用地图层）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="43"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="56"/>
        <source>{milestone} overdue by {days} day(s) (due {due})</source>
        <translation>{milestone}已超期 {days} 天（期限 {due}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="57"/>
        <source>{milestone} due in {days} day(s) ({due})</source>
        <translation>{milestone}距期限还有 {days} 天（{due}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="71"/>
        <source>{households} household(s) in overdue transition</source>
        <translation>{households} 户超期过渡</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="33"/>
        <source>score without {indicators} (not available), remaining weights renormalised</source>
        <translation>缺少{indicators}，未计入评分，其余权重已重新归一</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="72"/>
        <source>resettlement overdue, but the number of households is not known: they are not counted in overdue transition</source>
        <translation>安置已超期但户数不详：未计入超期过渡户数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="37"/>
        <source>storeys {value}, fewer than {threshold}</source>
        <translation>层数 {value}，少于 {threshold} 层</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="61"/>
        <source>{field} is not a full date (a year or month without the day): {value}</source>
        <translation>{field} 不是完整日期（只有年或年月，没有日）：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="63"/>
        <source>{field} lies outside the years {first}–{last}: {value}</source>
        <translation>{field} 不在 {first}–{last} 年之间：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="64"/>
        <source>expropriation date {date} is after the as-of date {as_of}</source>
        <translation>征迁日期 {date} 晚于统计日期 {as_of}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="22"/>
        <source>district median</source>
        <translation>行政区中位数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="23"/>
        <source>layer median</source>
        <translation>图层中位数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="24"/>
        <source>district trimmed mean</source>
        <translation>行政区截尾平均值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="25"/>
        <source>layer trimmed mean</source>
        <translation>图层截尾平均值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="26"/>
        <source>{indicator} {value} is {factor}× or more the {where} {reference}: suspected unit error (元 for 万元?), not used</source>
        <translation>{indicator} {value} 达到{where} {reference} 的 {factor} 倍及以上：疑似单位错误（万元误填为元？），不予采用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="65"/>
        <source>coverage {coverage}% is above {limit}%: data error, not used</source>
        <translation>建筑系数 {coverage}% 超过 {limit}%：数据错误，不予采用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="67"/>
        <source>FAR {value} read as percent: {far}</source>
        <translation>容积率 {value} 按百分数读取：{far}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="68"/>
        <source>coverage {value} read as {value}% (the column is in percent)</source>
        <translation>建筑系数 {value} 按 {value}% 读取（该列为百分数）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="71"/>
        <source>no building of the buildings layer within {radius} m: outside the area the layer covers, no building data (FAR and coverage not judged)</source>
        <translation>{radius} 米内没有建筑图层的建筑：位于该图层覆盖范围之外，无建筑数据（不评价容积率和建筑系数）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="88"/>
        <source>{field} has no data: {value}</source>
        <translation>{field} 无数据：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="89"/>
        <source>{field} {value} is above the plausible limit {limit}: data error, not used</source>
        <translation>{field} {value} 超出合理上限 {limit}：数据错误，不予采用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="91"/>
        <source>parcel id {value} appears more than once</source>
        <translation>地块编号 {value} 出现多次</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="59"/>
        <source>{rule} (implausible value: data error)</source>
        <translation>{rule}（数值不合理：数据错误）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="78"/>
        <source>FAR {far} (floor area / land area) is above the plausible limit {limit}: data error, not used</source>
        <translation>容积率 {far}（建筑面积 / 用地面积）超出合理上限 {limit}：数据错误，不予采用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="81"/>
        <source>no usable geometry (none, empty or not a polygon): not judged</source>
        <translation>没有可用的图形（无图形、空图形或不是面）：未作判定</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="78"/>
        <source>land use missing: not judged</source>
        <translation>用地性质缺失：不参与评价</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="79"/>
        <source>land use {value} is no code or name of {system}: not judged</source>
        <translation>用地性质 {value} 不是{system}的代码或名称：不参与评价</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="80"/>
        <source>GB/T 21010-2017</source>
        <translation>GB/T 21010-2017 土地利用现状分类</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="81"/>
        <source>the 2023 land and sea use classification guide</source>
        <translation>2023 年用地用海分类指南</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="82"/>
        <source>GB 50137-2011</source>
        <translation>GB 50137-2011 城市用地分类</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The floor area of office and living facilities is at most its share of the total floor area.</source>
        <translation>行政办公及生活服务设施建筑面积不超过总建筑面积的规定比例。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_rules.py" line="217"/>
        <source>The land occupied by office and living facilities is at most its share of the land area.</source>
        <translation>行政办公及生活服务设施用地面积不超过项目用地面积的规定比例。</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="25"/>
        <source>support floor share</source>
        <translation>配套建筑面积占比</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="26"/>
        <source>support land share</source>
        <translation>配套用地占比</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="43"/>
        <source>support floor {support_area} m² is {value} % of floor area {floor_area} m² (limit {threshold} %)</source>
        <translation>配套建筑面积 {support_area} m² 占总建筑面积 {floor_area} m² 的 {value} %（上限 {threshold} %）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="45"/>
        <source>support land {support_land_area} m² is {value} % of land area {area_m2} m² (limit {threshold} %)</source>
        <translation>配套用地面积 {support_land_area} m² 占用地面积 {area_m2} m² 的 {value} %（上限 {threshold} %）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="22"/>
        <source>construction start due in {days} day(s) ({due})</source>
        <translation>距约定开工还有 {days} 天（{due}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="23"/>
        <source>agreed start {due} passed {days} day(s) ago without construction: supplied but unused, idle after {idle}</source>
        <translation>约定开工日期 {due} 已过 {days} 天仍未开工：供而未用，{idle} 后构成闲置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="30"/>
        <source>work stopped on {stopped} with {measures}: idle after {idle} unless work resumes</source>
        <translation>{stopped} 中止开发，{measures}：如不复工，{idle} 后构成闲置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="32"/>
        <source>work stopped on {stopped}, but the {measures} is not known: idle not judged</source>
        <translation>{stopped} 中止开发，但{measures}未知：无法认定是否闲置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="37"/>
        <source>developed area {value}% (under {threshold}%)</source>
        <translation>已开发面积占 {value}%（不足 {threshold}%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="38"/>
        <source>investment {value}% (under {threshold}%)</source>
        <translation>已投资额占 {value}%（不足 {threshold}%）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="39"/>
        <source>developed share</source>
        <translation>已开发面积比例</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="40"/>
        <source>investment share</source>
        <translation>已投资额比例</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="42"/>
        <source>land price unknown: idle fee not computed</source>
        <translation>土地价款未知：未计算土地闲置费</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="49"/>
        <source>delay marked as caused by the government; the rule profile does not exempt such delays</source>
        <translation>标记为政府原因延迟；规则配置未予豁免</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="51"/>
        <source>completion overdue by {days} day(s) (agreed {due})</source>
        <translation>超过约定竣工日期 {days} 天（约定 {due}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="52"/>
        <source>completion due in {days} day(s) ({due})</source>
        <translation>距约定竣工还有 {days} 天（{due}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="53"/>
        <source>completed on {done}, {days} day(s) after the agreed completion {due}</source>
        <translation>{done} 竣工，晚于约定竣工日期 {due} {days} 天</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="57"/>
        <source>{field} {date} is after the as-of date {as_of}</source>
        <translation>{field} {date} 晚于统计日期 {as_of}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="58"/>
        <source>{field} {date} is before {other} {other_date}</source>
        <translation>{field} {date} 早于{other} {other_date}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="59"/>
        <source>{field} {date} is given but the start date is not</source>
        <translation>有{field} {date}，但没有开工日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="60"/>
        <source>developed area {developed} m² exceeds the parcel area {area} m²: data error, not used</source>
        <translation>已开发面积 {developed} m² 超过宗地面积 {area} m²：数据错误，未采用</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="62"/>
        <source>parcel area unknown (no area field, no geometry)</source>
        <translation>宗地面积未知（无面积字段，也无几何）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="63"/>
        <source>no usable geometry: not counted as supply of any batch</source>
        <translation>无可用几何：不计入任何批次的已供面积</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="67"/>
        <source>{area} m² unsupplied; {years}-year deadline in {days} day(s) ({due})</source>
        <translation>{area} m² 未供；距 {years} 年期限还有 {days} 天（{due}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="69"/>
        <source>approval date missing: the age is not known</source>
        <translation>缺少批准日期：批准天数未知</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="70"/>
        <source>batch id {value} appears more than once</source>
        <translation>批次编号 {value} 重复</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="71"/>
        <source>no usable geometry: areas not measured</source>
        <translation>无可用几何：未量算面积</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="47"/>
        <source> (per {source})</source>
        <translation>（依据：{source}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/messages.py" line="49"/>
        <source>local default</source>
        <translation>本地默认值</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="35"/>
        <source>height {value} m not above {threshold} m</source>
        <translation>建筑高度 {value} 米，未超过 {threshold} 米</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="36"/>
        <source>height {value} m above {threshold} m</source>
        <translation>建筑高度 {value} 米，超过 {threshold} 米</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="34"/>
        <source>work stopped on {stopped}; developed area {developed}% and investment {invested}% reach the thresholds: not idle</source>
        <translation>{stopped} 中止开发；已开发面积占 {developed}%、已投资额占 {invested}%，均达到标准：不构成闲置</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="26"/>
        <source>not started {days} day(s) after the agreed start {due}: idle land since {idle}</source>
        <translation>超过约定开工日期 {due} {days} 天未动工：自 {idle} 起为闲置土地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="28"/>
        <source>work stopped on {stopped} with {measures}: idle land since {idle}</source>
        <translation>{stopped} 中止开发，{measures}：自 {idle} 起为闲置土地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="41"/>
        <source>idle fee {share}% of the land price {price} 万元: {fee} 万元</source>
        <translation>按土地价款 {price} 万元的 {share}% 征缴土地闲置费 {fee} 万元</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="43"/>
        <source>idle for more than {years} year(s) (after {reclaim}): to be taken back without compensation</source>
        <translation>闲置满 {years} 年（{reclaim} 之后）：应无偿收回国有建设用地使用权</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="45"/>
        <source>delay caused by the government ({cause}): no idle fee, not taken back</source>
        <translation>政府原因造成动工延迟（{cause}）：不征缴闲置费、不收回</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="47"/>
        <source>delay marked as caused by the government, but no cause recorded: no idle fee, not taken back</source>
        <translation>标记为政府原因延迟，但未记录具体原因：不征缴闲置费、不收回</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="65"/>
        <source>{area} m² still unsupplied {years} year(s) after approval (deadline {due}, {days} day(s) ago)</source>
        <translation>批准满 {years} 年仍有 {area} m² 未供（期限 {due}，已超 {days} 天）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="42"/>
        <source>tenant without land of its own: listed apart, not graded</source>
        <translation>租赁企业，无自有用地：单列，不评等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="43"/>
        <source>no land area: listed apart, not graded</source>
        <translation>无用地面积：单列，不评等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="44"/>
        <source>below designated size on {mu} mu (less than {min_mu} mu): listed apart, not graded</source>
        <translation>规下企业，用地 {mu} 亩（不足 {min_mu} 亩）：单列，不评等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="46"/>
        <source>new enterprise, production started {date} (less than {years} years ago): {treatment}</source>
        <translation>新企业，{date} 投产（不满 {years} 年）：{treatment}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="48"/>
        <source>project under construction: {treatment}</source>
        <translation>在建项目：{treatment}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="49"/>
        <source>utility (industry {code}): {treatment}</source>
        <translation>公用事业（行业代码 {code}）：{treatment}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="50"/>
        <source>not graded (不定等级)</source>
        <translation>不定等级</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="51"/>
        <source>not ranked (不定等级), treated as grade {grade}</source>
        <translation>不参与排名（不定等级），按 {grade} 类对待</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="52"/>
        <source>{field} {value} is neither 规上 nor 规下: judged by output (at least {threshold} 万元: 规上)</source>
        <translation>{field} {value} 既非规上也非规下：按产值判断（{threshold} 万元及以上为规上）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="54"/>
        <source>rank {rank} of {n} {kind} {where}</source>
        <translation>{where}{kind}第 {rank} 名（共 {n} 家）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="55"/>
        <source>above designated size</source>
        <translation>规上企业</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="56"/>
        <source>below designated size</source>
        <translation>规下企业</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="57"/>
        <source>parcels</source>
        <translation>地块</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="58"/>
        <source>in {district}</source>
        <translation>{district}内</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/efficiency_reasons.py" line="59"/>
        <source>in the city</source>
        <translation>全市</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="31"/>
        <source>以补定占: on {date} the county's cumulative use exceeds what it had supplemented (net of transfers) by {excess}</source>
        <translation>以补定占：截至 {date}，本县累计占用超过已补充（含调剂净额）{excess}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="34"/>
        <source>{value} 亩 cultivated land</source>
        <translation>耕地 {value} 亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="35"/>
        <source>{value} 亩 paddy</source>
        <translation>水田 {value} 亩</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="36"/>
        <source>{value} kg grain capacity</source>
        <translation>粮食产能 {value} 公斤</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="37"/>
        <source>occupies {m2} m² ({mu} 亩) of permanent basic farmland</source>
        <translation>占用永久基本农田 {m2} m²（{mu} 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="39"/>
        <source>supplement lies on {layer} over {m2} m² ({mu} 亩)</source>
        <translation>补充耕地位于{layer}内 {m2} m²（{mu} 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="42"/>
        <source>the ecological red line</source>
        <translation>生态保护红线</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="43"/>
        <source>existing construction land</source>
        <translation>现状建设用地</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="44"/>
        <source>double counting: overlaps supplement {other} (accepted {other_date}) over {m2} m² ({mu} 亩)</source>
        <translation>重复计算：与补充耕地项目 {other}（{other_date} 验收）重叠 {m2} m²（{mu} 亩）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="47"/>
        <source>empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="48"/>
        <source>not a date: {value}</source>
        <translation>不是日期：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="49"/>
        <source>not a full date (a year or month without the day): {value}</source>
        <translation>不是完整日期（只有年或年月，缺日）：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="50"/>
        <source>a date outside {first}–{last}: {value}</source>
        <translation>日期超出 {first}–{last}：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="51"/>
        <source>not a number: {value}</source>
        <translation>不是数字：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="53"/>
        <source>no area: the field is empty and the feature has no usable geometry</source>
        <translation>无面积：字段为空，要素也没有可用几何</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="54"/>
        <source>paddy {paddy} m² is more than the cultivated area {area} m²</source>
        <translation>水田 {paddy} m² 大于耕地面积 {area} m²</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="55"/>
        <source>quality grade {value} is not in the profile&apos;s capacity table (farmland_balance.capacity_per_mu: {known})</source>
        <translation>质量等别 {value} 不在规则配置的产能折算表中（farmland_balance.capacity_per_mu：{known}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="58"/>
        <source>no quality grade, so no capacity</source>
        <translation>缺少质量等别，无法折算产能</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="60"/>
        <source>gives to itself: {value}</source>
        <translation>调出方与调入方相同：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="61"/>
        <source>indicator type {value} is none of {known}</source>
        <translation>指标类型 {value} 不属于 {known}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="52"/>
        <source>negative</source>
        <translation>为负数</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="28"/>
        <source>先补后占: approved on {date}, but the supplement it names, {other}, was accepted on {other_date}, after the approval</source>
        <translation>先补后占：{date} 批准，但其挂钩的补充耕地项目 {other} 于 {other_date} 才验收，晚于批准日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="59"/>
        <source>names supplement project(s) not in the supplements: {value}</source>
        <translation>挂钩的补充耕地项目不在补充耕地图层中：{value}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_text.py" line="13"/>
        <source>{type}: nearest {distance} m, beyond the {level} walk of {limit} m</source>
        <translation>{type}：最近 {distance} m，超出{level}步行距离 {limit} m</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_text.py" line="15"/>
        <source>{type}: none reachable on the road network (this part of the network has none)</source>
        <translation>{type}：路网上不可达（所在路网分区内没有此类设施）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_text.py" line="20"/>
        <source>{type}: none in the facility layer</source>
        <translation>{type}：设施图层中没有此类设施</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_text.py" line="21"/>
        <source>no usable geometry: distances not measured</source>
        <translation>几何无效：未计算距离</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_text.py" line="22"/>
        <source>population unknown (no population or households): not counted in the coverage shares</source>
        <translation>人口不详（无人口或户数）：不计入覆盖率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_text.py" line="24"/>
        <source>{field} is not a plausible number: {value}; not counted in the coverage shares</source>
        <translation>{field} 不是合理的数值：{value}；不计入覆盖率</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="22"/>
        <source>先补后占: approved on {date}, but {amounts} of it draw on supplement {other} accepted on {other_date}, after the approval</source>
        <translation>先补后占：{date} 批准，但其中{amounts}使用的是 {other_date} 才验收的补充耕地项目 {other}，晚于批准日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/farmland_text.py" line="25"/>
        <source>先补后占: approved on {date}, but {amounts} of it draw on indicators received from {other} on {other_date}, after the approval</source>
        <translation>先补后占：{date} 批准，但其中{amounts}使用的是 {other_date} 才从 {other} 调入的指标，晚于批准日期</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/living_circle_text.py" line="17"/>
        <source>no road access: the nearest walkable road is {distance} m away, beyond the maximum access distance of {limit} m</source>
        <translation>未接入路网：距最近可步行道路 {distance} m，超出最大接入距离 {limit} m</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="87"/>
        <source>{plan} (feature {fid})</source>
        <translation>{plan}（要素 {fid}）</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="83"/>
        <source>{field} {value} appears more than once</source>
        <translation>{field} {value} 重复</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="84"/>
        <source>{field} missing</source>
        <translation>缺少{field}</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/upstairs_text.py" line="85"/>
        <source>plan id</source>
        <translation>方案编号</translation>
    </message>
    <message>
        <location filename="../land_bureau_plugin/analysis/land_supply_text.py" line="56"/>
        <source>{field} missing: no deadline can be counted</source>
        <translation>缺少{field}：无法计算期限</translation>
    </message>
</context>
</TS>
