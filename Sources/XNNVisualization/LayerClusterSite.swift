import Foundation
import XNNRuns
import XNNStorage

/// The pages of `xnn layers --site DIR` (docs/layers.md, "Reading the pages"): an overview of
/// every layer, and per image its cluster maps layer by layer, each over the image, with the share
/// of the Grad-CAM weight it carries. Written like a run directory: staged, then renamed into place.
public struct LayerClusterSite {
    public let clustersFile: String
    public let outputDirectory: String
    public var force = false

    public init(clustersFile: String, outputDirectory: String) {
        self.clustersFile = clustersFile
        self.outputDirectory = outputDirectory
    }

    /// Writes the site; returns the number of image pages.
    public func build() throws -> Int {
        let clusters = try LayerClusterTables(path: clustersFile)
        let images = try ReviewImages(file: clusters.source, rows: try Self.rowCount(of: clusters.source))
        var pages = 0
        try RunDirectory.produce(at: outputDirectory, force: force) { directory in
            try FileManager.default.createDirectory(atPath: directory.file("img"), withIntermediateDirectories: true)
            for slot in clusters.rows.indices {
                try directory.write(try imagePage(slot, clusters: clusters, images: images, directory: directory), to: "image-\(slot).html")
                pages += 1
            }
            try directory.write(overview(clusters, images: images), to: "index.html")
        }
        return pages
    }

    static func rowCount(of file: String) throws -> Int {
        let h5 = try HDF5File(path: file)
        defer { h5.close() }
        return try h5.info("activations").shape[0]
    }

    func overview(_ clusters: LayerClusterTables, images: ReviewImages) -> String {
        let rows = clusters.layers.map { layer in
            "<tr><td>\(HTML.escape(layer.name))</td><td>\(layer.height)×\(layer.width)</td><td>\(layer.channels)</td>"
                + "<td>\(HTML.number(layer.mean(\.clusterCount)))</td><td>\(HTML.number(layer.mean(\.keptMass))) %</td>"
                + "<td>\(HTML.number(layer.mean(\.mapOverlap)))</td></tr>"
        }.joined()
        let links = clusters.rows.indices.map { slot in
            "<a class=\"pair\" href=\"image-\(slot).html\"><img src=\"img/thumb-\(slot).png\" alt=\"image \(slot)\"><br>\(HTML.escape(images.ids[clusters.rows[slot]]))</a>"
        }.joined()
        return HTML.page(title: "Layer-wise clusters", body: """
            <h1>Layer-wise clusters</h1>
            <p class="note">How to read this: in every layer, the channels that matter for the explained class (their guided
            Grad-CAM weight above 0.9 × the uniform share) are grouped by how alike their maps are; each group is one map.
            <em>Kept</em> is the share of the layer's Grad-CAM weight the groups shown carry; <em>overlap</em> the mean |cos|
            between an image's group maps (0: they light different places). Means over the \(clusters.rows.count) images.
            Method: docs/layers.md.</p>
            <table><tr><th>layer</th><th>map size</th><th>channels</th><th>clusters per image</th><th>kept</th><th>overlap</th></tr>\(rows)</table>
            <h2>Images</h2>\(links)
            """)
    }

    func imagePage(_ slot: Int, clusters: LayerClusterTables, images: ReviewImages, directory: RunDirectory) throws -> String {
        let row = clusters.rows[slot], thumbnail = images.thumbnail(row: row)
        try images.thumbnailPNG(row: row).write(to: directory.file("img/thumb-\(slot).png"))
        var sections: [String] = []
        for (g, logit) in clusters.gradientClasses[slot].enumerated() {
            let name = images.classNames.flatMap { logit < $0.count ? $0[logit] : nil } ?? "logit \(logit)"
            sections.append("<h2>Explaining \(HTML.escape(name))</h2>")
            for layer in clusters.layers {
                let count = layer.clusterCount[slot][g]
                var figures: [String] = []
                for c in 0..<count {
                    let file = "img/cluster-\(slot)-\(g)-\(layer.index)-\(c).png"
                    let heat = Upsampling.bilinear(layer.map(slot, g, c), height: layer.height, width: layer.width,
                                                   toHeight: thumbnail.height, toWidth: thumbnail.width)
                    let pixels = ColorMap.overlay(thumbnail: thumbnail.pixels, channels: thumbnail.channels, heat: heat)
                    try PNGImage(width: thumbnail.width, height: thumbnail.height, channels: 3, pixels: pixels).write(to: directory.file(file))
                    figures.append("<span class=\"pair\"><img src=\"\(file)\" alt=\"cluster \(c + 1)\"><br>cluster \(c + 1): "
                                   + "\(HTML.number(Double(layer.weights[slot][g][c]))) % of the weight, \(layer.channelCount(slot, g, c)) channels</span>")
                }
                let silhouettes = zip(clusters.silhouetteK, layer.silhouettes[slot][g]).filter { !$0.1.isNaN }
                    .map { "k = \($0.0): \(HTML.number(Double($0.1), 2))" }.joined(separator: ", ")
                sections.append("""
                    <h3>\(HTML.escape(layer.name)) (\(layer.height)×\(layer.width), \(layer.channels) channels)</h3>
                    <p>\(count) cluster(s) keeping \(HTML.number(Double(layer.keptMass[slot][g]))) % of the Grad-CAM weight;
                    maps overlap with mean |cos| \(HTML.number(Double(layer.mapOverlap[slot][g]))); silhouette by k: \(silhouettes.isEmpty ? "not clustered (too few channels)" : silhouettes).</p>
                    \(figures.joined())
                    """)
            }
        }
        let label = images.labels.map { labels -> String in
            let l = labels[row]
            return " · label " + HTML.escape(images.classNames.flatMap { l < $0.count ? $0[l] : nil } ?? String(l))
        } ?? ""
        return HTML.page(title: "Image \(images.ids[row])", body: """
            <p><a href="index.html">← all layers</a></p>
            <h1><img src="img/thumb-\(slot).png" alt="image"> \(HTML.escape(images.ids[row]))\(label)</h1>
            <p class="note">How to read this: each picture is one group of channels of a layer, its maps averaged with their
            Grad-CAM shares as weights, scaled to [0, 1] (each map to its own maximum, so weak and strong groups both show;
            the weight under it says how much the group matters), drawn in viridis over the image: bright = where the group fires.</p>
            \(sections.joined(separator: "\n"))
            """)
    }
}
