import XNNRuns

/// A structured attention graph (docs/heatmaps.md, SAG) as inline SVG: the minimal sufficient patch
/// sets (roots) on top, below them the sets left as one patch after another is removed, each drawn
/// as the image with the hidden patches greyed out and its x_j as a share of the whole image's.
extension ReviewSite {
    static let graphNodeSize = 64.0, graphMaxPerLevel = 9

    static func graphSection(_ graph: ConceptHeatmapFile.AttentionGraph, image: ConceptHeatmapFile.Image, thumbnail: String) -> String {
        let full = Double(image.methods.first?.deletion.first ?? 0)
        var html = "<h4>Structured attention graph (\(graph.grid) × \(graph.grid) patches)</h4>"
        guard graph.roots > 0 else {
            return html + "<p>The beam search found no small set of patches that alone keeps x_j near its value on the whole image: "
                + "this concept's evidence is spread over the image.</p>"
        }
        html += "<p>Top row: the \(graph.roots) smallest patch set\(graph.roots == 1 ? "" : "s") that alone keep x_j near its value on the whole "
            + "image (\(HTML.number(full))); below, what is left when one more patch is hidden, and x_j as a share of the whole image's.</p>"
        return html + graphSVG(graph, full: full, thumbnail: thumbnail)
    }

    /// Node levels: roots, then each level the children first reached from the one above.
    static func graphLevels(_ graph: ConceptHeatmapFile.AttentionGraph) -> [[Int]] {
        var levels = [Array(0..<graph.roots)], placed = Set(0..<graph.roots)
        while let last = levels.last, !last.isEmpty {
            let next = graph.edges.filter { last.contains($0.parent) }.map(\.child).filter { placed.insert($0).inserted }
            levels.append(next)
        }
        return levels.filter { !$0.isEmpty }
    }

    static func graphSVG(_ graph: ConceptHeatmapFile.AttentionGraph, full: Double, thumbnail: String) -> String {
        let size = graphNodeSize, gapX = 18.0, gapY = 56.0
        let allLevels = graphLevels(graph), levels = allLevels.map { Array($0.prefix(graphMaxPerLevel)) }
        let width = Double(levels.map(\.count).max() ?? 1) * (size + gapX) + gapX
        var position: [Int: (x: Double, y: Double)] = [:]
        for (depth, level) in levels.enumerated() {
            let offset = (width - Double(level.count) * (size + gapX) + gapX) / 2
            for (i, node) in level.enumerated() { position[node] = (offset + Double(i) * (size + gapX), 10 + Double(depth) * (size + gapY)) }
        }
        var svg = ""
        for edge in graph.edges {
            guard let from = position[edge.parent], let to = position[edge.child] else { continue }
            svg += "<line x1=\"\(from.x + size / 2)\" y1=\"\(from.y + size + 16)\" x2=\"\(to.x + size / 2)\" y2=\"\(to.y)\" stroke=\"#999\"/>"
        }
        for (node, at) in position.sorted(by: { $0.key < $1.key }) {
            svg += nodeSVG(graph, node: node, at: at, thumbnail: thumbnail)
            let share = full != 0 ? Double(graph.scores[node]) / full * 100 : 0
            svg += "<text x=\"\(at.x + size / 2)\" y=\"\(at.y + size + 13)\" text-anchor=\"middle\">\(HTML.number(share, 3)) %</text>"
        }
        let height = Double(levels.count) * (size + gapY)
        let hidden = allLevels.reduce(0) { $0 + max($1.count - graphMaxPerLevel, 0) }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "role=\"img\" aria-label=\"structured attention graph, \(graph.roots) roots\">\(svg)</svg>"
            + (hidden > 0 ? "<p>\(hidden) more node\(hidden == 1 ? "" : "s") not drawn.</p>" : "")
    }

    /// One patch set: the thumbnail with the patches outside the set greyed out.
    private static func nodeSVG(_ graph: ConceptHeatmapFile.AttentionGraph, node: Int, at: (x: Double, y: Double), thumbnail: String) -> String {
        let size = graphNodeSize, cell = size / Double(graph.grid)
        var svg = "<image href=\"\(thumbnail)\" xlink:href=\"\(thumbnail)\" x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(size)\" height=\"\(size)\" style=\"image-rendering:pixelated\"/>"
        let shown = Set(graph.nodes[node])
        for patch in 0..<(graph.grid * graph.grid) where !shown.contains(patch) {
            let x = at.x + Double(patch % graph.grid) * cell, y = at.y + Double(patch / graph.grid) * cell
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"#777\" fill-opacity=\"0.85\"/>"
        }
        let stroke = node < graph.roots ? "#d62728" : "#444"
        return svg + "<rect x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(node < graph.roots ? 2 : 1)\"/>"
    }
}
