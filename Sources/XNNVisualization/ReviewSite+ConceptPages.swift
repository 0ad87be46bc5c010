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

    private func conceptPage(_ j: Int, content: ReviewContent, pngs: inout ReviewPNGWriter) throws -> String {
        let (firing, strongest, silent) = content.conceptImages(j, top: top)
        let considered = "\(content.conceptPageCandidates.count) images \(content.heatmaps.isEmpty ? "" : "with feature maps ")considered here"
        var body = "<p><a href=\"index.html\">overview</a></p><h1>Concept \(j)</h1>"
        body += "<p>weight v̄ = \(HTML.number(content.weights[j])) on \(HTML.escape(content.outputName)); fires on \(firing) of the \(considered).</p>" + content.heatmapsMissingNote
        body += "<h2>Top \(strongest.count) images by contribution</h2><div>"
        for row in strongest {
            body += "<div class=\"pair\"><a href=\"image-\(row).html\"><img src=\"\(try pngs.thumbnail(row: row))\" alt=\"thumbnail\"></a>"
            if let heat = try pngs.heatmap(row: row, concept: j) { body += "<img src=\"\(heat)\" alt=\"heatmap\">" }
            body += "<br>\(HTML.escape(content.caption(row: row))) · \(HTML.number(content.contribution(row: row, concept: j)))</div>"
        }
        body += "</div><h2>\(silent.count) images where it is 0</h2><div>"
        for row in silent {
            body += "<div class=\"pair\"><img src=\"\(try pngs.thumbnail(row: row))\" alt=\"thumbnail\"><br>\(HTML.escape(content.caption(row: row)))</div>"
        }
        return body + "</div>"
    }
}
