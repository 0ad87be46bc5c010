import XNNRuns

/// Concept pages (concept-J.html): the images where the concept contributes most, with its
/// heatmaps, and images where it is 0.
extension ReviewSite {
    func writeConceptPages(content: ReviewContent, pngs: inout ReviewPNGWriter, into directory: RunDirectory) throws {
        for j in 0..<content.conceptCount {
            let page = try conceptPage(j, content: content, pngs: &pngs)
            try directory.write(HTML.page(title: "Concept \(j)", body: page), to: "concept-\(j).html")
        }
    }

    static let conceptHowTo = "How to read this page: the top row shows the images this concept adds most to, each with its heatmap "
        + "(where on the image the concept is found); the bottom row shows images where it is off, to compare."

    private func conceptPage(_ j: Int, content: ReviewContent, pngs: inout ReviewPNGWriter) throws -> String {
        let (firing, strongest, silent) = content.conceptImages(j, top: top)
        let considered = "\(content.conceptPageCandidates.count) images \(content.heatmaps.isEmpty ? "" : "with feature maps ")considered here"
        let (share, state) = content.activity(j)
        var body = "<p><a href=\"index.html\">overview</a></p><h1>Concept \(j)</h1><p class=\"howto\">\(Self.conceptHowTo)</p>"
        body += "<p>weight v̄ = \(HTML.number(content.weights[j])) on \(HTML.escape(content.outputName)); fires on \(firing) of the \(considered); active on \(HTML.number(share * 100)) % of all \(content.rows.count) images.</p>"
        if state != .alive {
            body += "<p class=\"note\">⚠ \(state == .dead ? "Dead: never active." : "Nearly dead: active on fewer than \(HTML.number(content.reviveBelow * 100)) % of the images (training.revive_below).")</p>"
        }
        body += content.heatmapsMissingNote
        if !content.heatmaps.isEmpty {
            body += "<p>\(HTML.escape(content.heatmaps.scaleSentence(concept: j)))</p>" + HTML.colourBar(maximumLabel: HTML.number(Double(content.heatmaps.maxima[j])))
        }
        body += "<h2>Top \(strongest.count) images by contribution</h2><p>\(HTML.escape(content.labelMixSentence(rows: strongest)))</p><div>"
        for row in strongest {
            body += "<div class=\"pair\"><a href=\"image-\(row).html\"><img src=\"\(try pngs.thumbnail(row: row))\" alt=\"thumbnail\"></a>"
            if let heat = try pngs.heatmap(row: row, concept: j) { body += "<img src=\"\(heat)\" alt=\"heatmap\">" }
            body += "<br>\(HTML.escape(content.caption(row: row))) · \(HTML.number(content.contribution(row: row, concept: j)))</div>"
        }
        body += "</div><h2>\(silent.count) images where it is 0</h2><p>Drawn at random (seed \(content.seed &+ UInt64(j))) from the \(considered). \(HTML.escape(content.labelMixSentence(rows: silent)))</p><div>"
        for row in silent {
            body += "<div class=\"pair\"><img src=\"\(try pngs.thumbnail(row: row))\" alt=\"thumbnail\"><br>\(HTML.escape(content.caption(row: row)))</div>"
        }
        return body + "</div>" + (try testedHeatmapSection(j, content: content, pngs: &pngs))
    }
}
