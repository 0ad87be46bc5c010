import XNNRuns

/// Image pages (image-ROW.html): one image, its output rebuilt from the concepts, and every
/// concept's contribution and heatmap.
extension ReviewSite {
    func writeImagePages(_ rows: [Int], content: ReviewContent, pngs: inout ReviewPNGWriter,
                         into directory: RunDirectory) throws {
        for row in rows {
            let page = try imagePage(row, content: content, pngs: &pngs)
            try directory.write(HTML.page(title: "Image \(content.images.ids[row])", body: page), to: "image-\(row).html")
        }
    }

    private func imagePage(_ row: Int, content: ReviewContent, pngs: inout ReviewPNGWriter) throws -> String {
        let k = content.conceptCount, bias = content.bias
        let values = (0..<k).map { content.contribution(row: row, concept: $0) }
        let rebuilt = values.reduce(bias, +)
        let original = content.cnnScore(row: row)
        var body = "<p><a href=\"index.html\">overview</a></p><h1>Image \(HTML.escape(content.caption(row: row)))</h1>"
        body += "<img src=\"\(try pngs.thumbnail(row: row))\" alt=\"thumbnail\">"
        body += "<p>\(HTML.escape(content.outputName)): CNN score <b>\(HTML.number(original, 4))</b>, rebuilt from the concepts <b>\(HTML.number(rebuilt, 4))</b> (bias \(HTML.number(bias, 4)))</p>"
        body += HTML.barChart(labels: (0..<k).map { "concept \($0)" } + ["bias"], values: values + [bias])
        body += content.heatmapsMissingNote + "<div>"
        for j in 0..<k {
            let heat = try pngs.heatmap(row: row, concept: j)
            body += "<div class=\"pair\">" + (heat.map { "<img src=\"\($0)\" alt=\"concept \(j) heatmap\"><br>" } ?? "")
            body += "<a href=\"concept-\(j).html\">concept \(j)</a><br>\(HTML.number(values[j]))</div>"
        }
        return body + "</div>"
    }
}
