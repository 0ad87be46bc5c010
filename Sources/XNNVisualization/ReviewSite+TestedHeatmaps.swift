import XNNRuns

/// The concept pages' section on faithfulness-tested heatmaps (docs/heatmaps.md): each method's
/// heatmap of the concept's most active images, their deletion and insertion curves and areas, and
/// the structured attention graph where one was made.
extension ReviewSite {
    static let testedHowTo = "How to read this section: each heatmap says which cells of the image matter for this concept's "
        + "activation x_j (bright = more). Deletion blurs the cells away, most important first: a faithful heatmap makes x_j fall "
        + "fast (lower area is better). Insertion reveals them on the blurred image: x_j should rise fast (higher area is better). "
        + "Random and centre maps are the baselines a heatmap must beat."

    func testedHeatmapSection(_ j: Int, content: ReviewContent, pngs: inout ReviewPNGWriter) throws -> String {
        guard let tested = content.tested else {
            return "<h2>Heatmaps tested by deletion and insertion</h2><p class=\"note\">Not computed for this run: "
                + "<code>.venv/bin/python scripts/concept_heatmaps.py --run RUN</code> makes them (I-GOS, iGOS++, the grad-cam and "
                + "spatial maps, scored by deletion and insertion; docs/heatmaps.md), then build this site again.</p>"
        }
        let images = tested.concepts[j]
        var html = "<h2>Heatmaps tested by deletion and insertion</h2><p class=\"howto\">\(Self.testedHowTo)</p>"
        html += Self.areaTable(images, methods: tested.methodNames)
        for image in images {
            html += "<h3><a href=\"image-\(image.row).html\">\(HTML.escape(content.caption(row: image.row)))</a> · x_\(j) = "
                + "\(HTML.number(Double(image.methods.first?.deletion.first ?? 0)))</h3><div>"
            html += "<div class=\"pair\"><img src=\"\(try pngs.thumbnail(row: image.row))\" alt=\"image\"><br>image</div>"
            for method in image.methods {
                html += "<div class=\"pair\"><img src=\"\(try pngs.testedHeatmap(row: image.row, concept: j, method: method))\" alt=\"\(HTML.escape(method.name)) heatmap\">"
                    + "<br>\(HTML.escape(method.name))<br>del \(HTML.number(method.deletionArea)) · ins \(HTML.number(method.insertionArea))</div>"
            }
            html += "</div><div class=\"charts\">" + Self.curves(image, fractions: tested.fractions, concept: j) + "</div>"
            if let graph = image.graph { html += Self.graphSection(graph, image: image, thumbnail: try pngs.thumbnail(row: image.row)) }
        }
        return html
    }

    /// Mean areas over the concept's images, the best of each column in bold.
    static func areaTable(_ images: [ConceptHeatmapFile.Image], methods: [String]) -> String {
        let means = HeatmapAreas.means(of: images, methods: methods)
        let lowestDeletion = means.map(\.deletionArea).min(), highestInsertion = means.map(\.insertionArea).max()
        var html = "<table><tr><th>heatmap</th><th>deletion area (lower is better)</th><th>insertion area (higher is better)</th></tr>"
        for mean in means {
            html += "<tr><td>\(HTML.escape(mean.method))</td><td class=n>\(bold(HTML.number(mean.deletionArea, 4), mean.deletionArea == lowestDeletion))</td>"
                + "<td class=n>\(bold(HTML.number(mean.insertionArea, 4), mean.insertionArea == highestInsertion))</td></tr>"
        }
        return html + "</table><p>Means over the \(images.count) image\(images.count == 1 ? "" : "s") below, in units of x_j.</p>"
    }

    private static func bold(_ text: String, _ on: Bool) -> String { on ? "<b>\(text)</b>" : text }

    /// The deletion and insertion curves of every method on one image.
    static func curves(_ image: ConceptHeatmapFile.Image, fractions: [Float], concept j: Int) -> String {
        func chart(_ title: String, _ values: (ConceptHeatmapFile.Method) -> [Float]) -> String {
            var chart = SVGLineChart(title: title, xLabel: "share of cells", yLabel: "x_\(j)", series: image.methods.map { method in
                ChartSeries(method.name, points: zip(fractions, values(method)).map { .init(x: Double($0), y: Double($1)) })
            })
            chart.xBounds = 0...1
            (chart.width, chart.height) = (440, 260)
            return chart.svg()
        }
        return chart("Deletion: most important cells blurred first", \.deletion) + chart("Insertion: most important cells revealed first", \.insertion)
    }
}
