import Foundation

/// summary.html's table of every run, and the page around it.
extension SweepSummary {
    /// The table's metric columns, after the grid's settings and before the dead concepts.
    func tableColumns() -> [SweepMetric] {
        var columns: [SweepMetric] = [.accepted, .validationR2, .testR2, .testMSE, .testMeanAbsCos, .testMaxAbsCos, .aliveConcepts, .positiveConcepts, .bic]
        if rows.contains(where: { $0.metrics[SweepMetric.stability.key] != nil }) { columns.append(.stability) }
        return columns
    }

    /// Every run sorted by `metric`, each linking to its folder and, when `directory` holds one, its review site.
    func table(sortedBy metric: String, directory: String?) -> String {
        let columns = tableColumns()
        var html = columns.contains(where: { $0.key == SweepMetric.stability.key })
            ? "<p>Stability: mean |correlation| of concepts matched one to one (Hungarian) between every pair of seeds of the same setting.</p>\n" : ""
        let sorted = rows.sorted { ($0.metrics[metric] ?? -.infinity) > ($1.metrics[metric] ?? -.infinity) }
        html += "<h2>All runs, sorted by \(escape(SweepMetric.named(metric)?.label ?? metric)) (\(escape(metric)))</h2>\n"
        html += "<p>accepted: whether the run met the acceptance rule (docs/method.md §4); dead: concepts never active on the training rows.</p>\n"
        html += "<div class=scroll><table><tr><th>run</th>"
        html += (gridKeys + columns.map(\.label) + ["dead"]).map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for row in sorted {
            html += "<tr><td>\(runCell(row.run, directory: directory))</td>" + gridKeys.map { "<td>\(escape(row.settings[$0] ?? ""))</td>" }.joined()
            html += columns.map { cell($0, row) }.joined() + "<td>\(escape(row.deadConcepts))</td></tr>\n"
        }
        return html + "</table></div>\n"
    }

    private func cell(_ column: SweepMetric, _ row: Row) -> String {
        guard let value = row.metrics[column.key] else { return "<td></td>" }
        if column.key == SweepMetric.accepted.key { return value > 0 ? "<td>yes</td>" : "<td class=no>no</td>" }
        return "<td class=n>\(String(format: "%.4g", value))</td>"
    }

    /// The run's name linking to its folder, and to its review site when there is one.
    private func runCell(_ run: String, directory: String?) -> String {
        let link = run.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? run
        var cell = "<a href=\"\(escape(link))/\">\(escape(run))</a>"
        if let directory {
            let site = [directory, run, Self.reviewSiteFolder, "index.html"].joined(separator: "/")
            if FileManager.default.fileExists(atPath: site) {
                cell += " · <a href=\"\(escape(link))/\(Self.reviewSiteFolder)/index.html\">review</a>"
            }
        }
        return cell
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; max-width: 1400px; }
        .charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; margin-top: 0.5em; font-size: 13px; }
        th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; }
        th { white-space: normal; max-width: 9em; vertical-align: bottom; }
        td:first-child { white-space: nowrap; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; } td.no { color: #b00; }
        tr.chosen td { font-weight: bold; background: #eef4ff; } p.advice { font-size: 15px; }
        svg text { font: 12px system-ui, sans-serif; } a { color: #2a5db0; }
        </style></head><body>
        \(body)</body></html>

        """
    }
}
