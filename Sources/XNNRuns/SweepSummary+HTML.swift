import Foundation

/// summary.html: self-contained (inline SVG, no scripts, nothing fetched) — faithfulness against k,
/// orthogonality against the pull-away weight (or k), faithfulness against orthogonality, the
/// BIC-like choice of k, and a table of every run linking to it and its review site.
extension SweepSummary {
    /// Where a run's review site is looked for: RUN/review (`xnn visualize RUN --out RUN/review`, docs/sweeps.md).
    public static let reviewSiteFolder = "review"

    /// Grid keys that are repetitions of one setting rather than settings, aggregated in the charts.
    static let repetitionKeys: Set<String> = ["seed"]

    /// The page; `directory` (the sweep's folder, where summary.html goes) is searched for review sites.
    public func html(sortedBy metric: String = SweepMetric.testR2.key, directory: String? = nil) -> String {
        let orthogonalityAxis = gridKeys.contains(Self.pullAwayKey) ? Self.pullAwayKey : Self.conceptsKey
        var body = "<h1>\(escape(title))</h1>\n<p>\(rows.count) runs; grid: \(gridKeys.map(escape).joined(separator: ", ")). "
        body += "Metrics on the held-out split. \(aggregationSentence)</p>\n<div class=charts>"
        var faithfulness = SVGLineChart(title: "Faithfulness: test R² against k", xLabel: "concepts k", yLabel: "test R²",
                                        series: aggregated(x: Self.conceptsKey, y: SweepMetric.testR2.key))
        faithfulness.yBounds = -Double.greatestFiniteMagnitude...1
        var orthogonality = SVGLineChart(
            title: "Orthogonality: mean |cos| against \(orthogonalityAxis == Self.pullAwayKey ? "the pull-away weight" : "k")",
            xLabel: orthogonalityAxis == Self.pullAwayKey ? "α_pt" : "concepts k", yLabel: "test mean |cos| of concepts",
            series: aggregated(x: orthogonalityAxis, y: SweepMetric.testMeanAbsCos.key))
        orthogonality.yBounds = 0...1
        var tradeOff = SVGLineChart(title: "Faithfulness against orthogonality (one point per run)", xLabel: "test mean |cos| of concepts",
                                    yLabel: "test R²", series: perRun(x: SweepMetric.testMeanAbsCos.key, y: SweepMetric.testR2.key))
        (tradeOff.xBounds, tradeOff.yBounds) = (0...1, -Double.greatestFiniteMagnitude...1)
        body += [faithfulness, orthogonality, tradeOff].map { $0.svg() }.joined() + "</div>\n"
        if Set(rows.compactMap { $0.metrics[Self.conceptsKey] }).count > 1 { body += conceptCountSection() }
        return Self.page(title: title, body: body + table(sortedBy: metric, directory: directory))
    }

    /// Says how runs sharing an x are drawn, so a point is never read as one run.
    var aggregationSentence: String {
        let repeated = gridKeys.filter { Self.repetitionKeys.contains($0) }
        let over = repeated.isEmpty ? "the runs that share it" : "the \(repeated.joined(separator: ", ")) values (and any other setting) that share it"
        return "In the first two charts each point is the mean over \(over); its bar runs from the lowest to the highest of them."
    }

    private func seriesName(_ row: Row) -> String { gridKeys.contains("model.kind") ? (row.settings["model.kind"] ?? "srae") : "runs" }

    private func values(_ row: Row, _ x: String, _ y: String) -> (Double, Double)? {
        guard let xv = row.metrics[x], let yv = row.metrics[y], xv.isFinite, yv.isFinite else { return nil }
        return (xv, yv)
    }

    /// Per series, the mean of y at each x, with the lowest and highest as its spread.
    func aggregated(x: String, y: String) -> [ChartSeries] {
        let groups = Dictionary(grouping: rows, by: seriesName)
        return groups.keys.sorted().map { name in
            let byX = Dictionary(grouping: groups[name]!.compactMap { values($0, x, y) }, by: \.0)
            let points = byX.keys.sorted().map { xv -> ChartSeries.Point in
                let ys = byX[xv]!.map(\.1)
                return .init(x: xv, y: ys.reduce(0, +) / Double(ys.count), low: ys.min(), high: ys.max())
            }
            return ChartSeries(name, points: points)
        }
    }

    /// Per series, every run as its own point.
    func perRun(x: String, y: String) -> [ChartSeries] {
        let groups = Dictionary(grouping: rows, by: seriesName)
        return groups.keys.sorted().map { name in
            ChartSeries(name, points: groups[name]!.compactMap { values($0, x, y) }.map { .init(x: $0.0, y: $0.1) }, joined: false)
        }
    }
}
