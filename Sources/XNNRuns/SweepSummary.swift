import Foundation

/// The rows of a sweep's results, and the self-contained summary.html drawn from them (inline
/// SVG charts, no scripts, nothing fetched): faithfulness against k for each method, orthogonality
/// against the pull-away weight (or k), the BIC-like choice of k, and a table sorted by a metric.
public struct SweepSummary {
    public struct Row: Sendable {
        public var run: String
        public var settings: [String: String]
        public var metrics: [String: Double]
        public var deadConcepts: String
    }

    public let title: String
    public let gridKeys: [String]
    public let rows: [Row]

    /// The settings the charts put on their x axes, by their configuration keys.
    public static let conceptsKey = "model.concepts", pullAwayKey = "loss.pull_away"

    public init(title: String, gridKeys: [String], rows: [Row]) {
        self.title = title
        self.gridKeys = gridKeys
        self.rows = rows
    }

    /// docs/method.md §4 step 5, a BIC-like score (lower is better): n·ln(MSE) + ln(n)·(k + 1 + k_nonpositive),
    /// where n is the number of held-out samples, so each concept costs ln(n) and a concept whose
    /// mean contribution is not positive costs twice.
    public static func bic(samples: Double, mse: Double, concepts: Double, positiveConcepts: Double) -> Double {
        samples * log(max(mse, 1e-300)) + log(samples) * (concepts + 1 + (concepts - positiveConcepts))
    }

    /// For each method (model.kind), the k with the lowest BIC.
    public func bestConceptCounts() -> [(kind: String, concepts: Int, bic: Double)] {
        let kinds = Set(rows.map { $0.settings["model.kind"] ?? "srae" }).sorted()
        return kinds.compactMap { kind in
            let candidates = rows.filter { ($0.settings["model.kind"] ?? "srae") == kind }
            guard let best = candidates.min(by: { ($0.metrics[SweepMetric.bic.key] ?? .infinity) < ($1.metrics[SweepMetric.bic.key] ?? .infinity) }),
                  let k = best.metrics[Self.conceptsKey], let bic = best.metrics[SweepMetric.bic.key] else { return nil }
            return (kind, Int(k), bic)
        }
    }

    public func html(sortedBy metric: String = SweepMetric.testR2.key) -> String {
        let kindsVary = gridKeys.contains("model.kind")
        func seriesKey(_ row: Row) -> String { kindsVary ? (row.settings["model.kind"] ?? "srae") : "runs" }
        func series(x: String, y: String) -> [(String, [(Double, Double)])] {
            let groups = Dictionary(grouping: rows, by: seriesKey)
            return groups.keys.sorted().map { name in
                // Average over the other settings (e.g. seeds) at each x.
                let points = Dictionary(grouping: groups[name]!.compactMap { row -> (Double, Double)? in
                    guard let xv = row.metrics[x], let yv = row.metrics[y], xv.isFinite, yv.isFinite else { return nil }
                    return (xv, yv)
                }, by: \.0).map { ($0.key, $0.value.map(\.1).reduce(0, +) / Double($0.value.count)) }.sorted { $0.0 < $1.0 }
                return (name, points)
            }
        }
        let orthogonalityAxis = gridKeys.contains(Self.pullAwayKey) ? Self.pullAwayKey : Self.conceptsKey
        var body = "<h1>\(escape(title))</h1>\n<p>\(rows.count) runs; grid: \(gridKeys.map(escape).joined(separator: ", ")). Metrics on the held-out split.</p>\n"
        body += "<div class=charts>"
        body += SVGLineChart.render(title: "Faithfulness: test R² against k", xLabel: "concepts k", yLabel: "test R²",
                                    series: series(x: Self.conceptsKey, y: SweepMetric.testR2.key))
        body += SVGLineChart.render(title: "Orthogonality: mean |cos| of concepts against \(orthogonalityAxis == Self.pullAwayKey ? "the pull-away weight" : "k")",
                                    xLabel: orthogonalityAxis == Self.pullAwayKey ? "α_pt" : "concepts k", yLabel: "test mean |cos|",
                                    series: series(x: orthogonalityAxis, y: SweepMetric.testMeanAbsCos.key))
        body += "</div>\n"
        if Set(rows.compactMap { $0.metrics[Self.conceptsKey] }).count > 1 {
            body += "<h2>Choosing k (BIC-like, lower is better)</h2>\n<ul>"
            for best in bestConceptCounts() {
                body += "<li><b>\(escape(best.kind))</b>: k = \(best.concepts) (BIC \(String(format: "%.1f", best.bic)))</li>"
            }
            body += "</ul>\n"
        }
        var columns: [SweepMetric] = [.testR2, .testMSE, .testMeanAbsCos, .testMaxAbsCos, .aliveConcepts, .positiveConcepts, .bic]
        if rows.contains(where: { $0.metrics[SweepMetric.stability.key] != nil }) {
            columns.append(.stability)
            body += "<p>Stability: mean |correlation| of concepts matched one to one (Hungarian) between every pair of seeds of the same setting.</p>\n"
        }
        let sorted = rows.sorted { ($0.metrics[metric] ?? -.infinity) > ($1.metrics[metric] ?? -.infinity) }
        body += "<h2>All runs, sorted by \(escape(SweepMetric.named(metric)?.label ?? metric)) (\(escape(metric)))</h2>\n<table><tr><th>run</th>"
        body += (gridKeys + columns.map(\.label) + ["dead"]).map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for row in sorted {
            body += "<tr><td>\(escape(row.run))</td>" + gridKeys.map { "<td>\(escape(row.settings[$0] ?? ""))</td>" }.joined()
            body += columns.map { c in "<td class=n>\(row.metrics[c.key].map { String(format: "%.4g", $0) } ?? "")</td>" }.joined()
            body += "<td>\(escape(row.deadConcepts))</td></tr>\n"
        }
        body += "</table>\n"
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
        .charts { display: flex; flex-wrap: wrap; gap: 2em; }
        table { border-collapse: collapse; margin-top: 1em; }
        th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        svg text { font: 12px system-ui, sans-serif; }
        </style></head><body>
        \(body)</body></html>

        """
    }
}

func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// A small line chart as inline SVG: one coloured polyline with markers per series, axes with ticks, a legend.
enum SVGLineChart {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    static func render(title: String, xLabel: String, yLabel: String, series: [(String, [(Double, Double)])]) -> String {
        let width = 580.0, height = 340.0, left = 60.0, right = 200.0, top = 36.0, bottom = 48.0
        let points = series.flatMap(\.1)
        guard !points.isEmpty else { return "<p>\(escape(title)): no data</p>" }
        var (xMin, xMax) = (points.map(\.0).min()!, points.map(\.0).max()!)
        var (yMin, yMax) = (points.map(\.1).min()!, points.map(\.1).max()!)
        if xMin == xMax { xMin -= 1; xMax += 1 }
        if yMin == yMax { yMin -= 0.5; yMax += 0.5 }
        let pad = (yMax - yMin) * 0.08
        yMin -= pad; yMax += pad
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text x=\"\(left)\" y=\"20\" font-weight=\"bold\">\(escape(title))</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>"
        for i in 0...4 {
            let y = yMin + (yMax - yMin) * Double(i) / 4
            svg += "<line x1=\"\(left - 4)\" y1=\"\(py(y))\" x2=\"\(left + plotWidth)\" y2=\"\(py(y))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(py(y) + 4)\" text-anchor=\"end\">\(String(format: "%.3g", y))</text>"
        }
        for x in Set(points.map(\.0)).sorted() {
            svg += "<text x=\"\(px(x))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(String(format: "%g", x))</text>"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        svg += "<text transform=\"translate(14 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>"
        for (index, (name, values)) in series.enumerated() {
            let colour = palette[index % palette.count]
            let path = values.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>"
            for (x, y) in values { svg += "<circle cx=\"\(px(x))\" cy=\"\(py(y))\" r=\"3.5\" fill=\"\(colour)\"><title>\(escape(name)): \(String(format: "%.4g", y))</title></circle>" }
            let legendY = top + 10 + Double(index) * 18
            svg += "<rect x=\"\(left + plotWidth + 14)\" y=\"\(legendY - 9)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(left + plotWidth + 32)\" y=\"\(legendY + 1)\">\(escape(name))</text>"
        }
        return svg + "</svg>"
    }
}
