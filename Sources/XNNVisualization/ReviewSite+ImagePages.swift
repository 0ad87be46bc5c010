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

    static let imageHowTo = "How to read this page: the bars add up, with the bias, to the network's output for this image; "
        + "a long bar is a concept that matters here, and its heatmap below shows where on the image it is."

    private func imagePage(_ row: Int, content: ReviewContent, pngs: inout ReviewPNGWriter) throws -> String {
        let k = content.conceptCount, bias = content.bias
        let values = (0..<k).map { content.contribution(row: row, concept: $0) }
        let rebuilt = values.reduce(bias, +)
        let original = content.cnnScore(row: row)
        var body = "<p><a href=\"index.html\">overview</a></p><h1>Image \(HTML.escape(content.caption(row: row)))</h1>"
        body += "<p class=\"howto\">\(Self.imageHowTo)</p><img src=\"\(try pngs.thumbnail(row: row))\" alt=\"thumbnail\">"
        body += "<p>\(HTML.escape(content.outputName)): CNN score <b>\(HTML.number(original, 4))</b>, rebuilt from the concepts <b>\(HTML.number(rebuilt, 4))</b> (bias \(HTML.number(bias, 4)))</p>"
        body += HTML.barChart(labels: (0..<k).map { "concept \($0)" } + ["bias"], values: values + [bias])
        body += content.heatmapsMissingNote
        if !content.heatmaps.isEmpty {
            body += "<p>Heatmaps: each concept on its own scale (0 to the value on its concept page), as in this colour bar.</p>" + HTML.colourBar(maximumLabel: "concept's scale")
        }
        body += "<div>"
        for j in 0..<k {
            let heat = try pngs.heatmap(row: row, concept: j)
            body += "<div class=\"pair\">" + (heat.map { "<img src=\"\($0)\" alt=\"concept \(j) heatmap\"><br>" } ?? "")
            body += "<a href=\"concept-\(j).html\">concept \(j)</a><br>\(HTML.number(values[j]))</div>"
        }
        return body + "</div>"
    }
}
