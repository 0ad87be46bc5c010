import XNNRuns

/// The overview (index.html): a row per concept with its weight, mean contribution, state and
/// distribution (and its ensemble agreement), then links to the image pages.
extension ReviewSite {
    func writeOverviewPage(content: ReviewContent, imageRows: [Int], into directory: RunDirectory) throws {
        let k = content.conceptCount, n = content.rows.count
        var body = "<h1>Explanation space of \(HTML.escape(runDirectory))</h1>"
        body += "<p>\(k) concepts explaining <b>\(HTML.escape(content.outputName))</b> on \(n) images of \(HTML.escape(content.data.file)); heatmaps: \(content.heatmapsMissing == nil ? method.rawValue : "none")</p>" + content.heatmapsMissingNote
        body += "<p class=\"howto\">\(Self.overviewHowTo)</p>" + content.header.html
        if let overlap = content.heatmaps.meanMapOverlap {
            body += "<p>Concept heatmaps overlap with mean |cos| \(HTML.number(overlap)) over the \(content.heatmaps.maps.count) images that have them (0: each concept lights its own place; docs/layers.md, \"Heatmap metrics\").</p>"
        }
        if let provenance = Provenance.load(fromRun: runDirectory) {
            body += "<p class=\"provenance\">Trained by \(HTML.escape(provenance.summary))</p>"
        }
        if !ensembleRuns.isEmpty {
            body += "<p>Ensemble of \(ensembleRuns.count + 1) runs (\(HTML.escape(([runDirectory] + ensembleRuns).joined(separator: ", ")))): each concept is matched one to one in every member (Hungarian on |correlation| of x); heatmaps are the average of the matched concepts' maps, each scaled to its own maximum. Agreement: mean |r| of the matched activations and mean correlation of the matched heatmaps.</p>"
        }
        let ensembleHeader = ensembleRuns.isEmpty ? "" : "<th>ensemble |r| of x</th><th>heatmap r</th>"
        let rows = (0..<k).map { conceptRow($0, content: content) }.joined()
        body += "<h2>Concepts</h2><p>state: dead (never active), nearly dead (active on fewer than \(HTML.number(content.reviveBelow * 100)) % of the images: the run's training.revive_below), or alive. "
        body += "Histograms: how many images (y, tallest bar labelled) have each value of x_j (x axis).</p>"
        body += "<table><tr><th>concept</th><th>weight v̄</th><th>mean contribution</th><th>state</th><th>active on</th><th>distribution of x_j over \(n) images</th>\(ensembleHeader)</tr>\(rows)</table>"
        body += "<h2>Images</h2><p>" + imageRows.map { "<a href=\"image-\($0).html\">\(HTML.escape(content.images.ids[$0]))</a>" }.joined(separator: " · ") + "</p>"
        try directory.write(HTML.page(title: "XNN review", body: body), to: "index.html")
    }

    static let overviewHowTo = "How to read this page: the header says how well the concepts rebuild the network's output; "
        + "each table row is one concept, its weight v̄ times x_j is what it adds to the output; open a concept to see the images it responds to."

    /// Concept `j`'s row of the overview table.
    private func conceptRow(_ j: Int, content: ReviewContent) -> String {
        let values = content.rows.map { content.concepts[$0, j] }
        let (share, state) = content.activity(j)
        let stateCell = switch state {
        case .dead: "<td class=\"dead\">dead</td>"
        case .nearlyDead: "<td class=\"weak\">⚠ nearly dead</td>"
        case .alive: "<td>alive</td>"
        }
        let mean = content.rows.reduce(0.0) { $0 + content.contribution(row: $1, concept: j) } / Double(max(content.rows.count, 1))
        var row = "<tr><td><a href=\"concept-\(j).html\">concept \(j)</a></td><td>\(HTML.number(content.weights[j]))</td><td>\(HTML.number(mean))</td>"
        row += stateCell + "<td>\(HTML.number(share * 100)) %</td><td>\(HTML.histogram(values))</td>"
        if !ensembleRuns.isEmpty {
            row += "<td>\(average(content.agreement[j].activations))</td><td>\(average(content.agreement[j].heatmaps))</td>"
        }
        return row + "</tr>"
    }

    /// The mean of an agreement's values, or a dash for a concept no member could be compared on.
    private func average(_ values: [Double]) -> String {
        values.isEmpty ? "—" : HTML.number(values.reduce(0, +) / Double(values.count))
    }
}
