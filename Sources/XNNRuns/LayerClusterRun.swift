import Foundation
import XNNClustering
import XNNLinearAlgebra
import XNNStorage

/// `xnn layers`: the clusters of every layer, image and explained logit of a file with layer-wise
/// maps (docs/layers.md), written to one HDF5 file (layout in docs/layers.md, "The output").
public struct LayerClusterRun {
    public static let format = "xnn-layer-clusters"
    public var clustering: ChannelClustering
    public init(seed: UInt64) { clustering = ChannelClustering(seed: seed) }

    /// Per layer, the mean over images and logits of what the output records.
    public struct LayerSummary: Sendable {
        public let name: String
        public let meanClusters: Double
        /// Percent of the guided Grad-CAM weight in the kept clusters.
        public let meanKeptMass: Double
        /// Mean |cos| between an image's kept cluster maps.
        public let meanMapOverlap: Double
    }

    /// Clusters the first `limit` images (all when nil), reporting each finished image to `progress`.
    public func run(input: String, output: String, limit: Int?, force: Bool,
                    progress: (_ done: Int, _ total: Int) -> Void) throws -> [LayerSummary] {
        try AtomicFile.checkReplaceableHDF5(output, force: force, format: Self.format)
        let maps = try LayerMaps(path: input)
        let images = min(limit ?? maps.imageCount, maps.imageCount), classes = maps.gradientClasses.first?.count ?? 0
        var records = maps.layers.map { LayerRecord(layer: $0, images: images, classes: classes, clusterCounts: clustering.clusterCounts) }
        for image in 0..<images {
            for (l, layer) in maps.layers.enumerated() {
                let (channelMaps, weights) = try maps.image(image, of: layer)
                for (c, classWeights) in weights.enumerated() {
                    records[l].store(try clustering.cluster(maps: channelMaps, weights: classWeights), image: image, logit: c)
                }
            }
            progress(image + 1, images)
        }
        try write(records, maps: maps, images: images, input: input, to: output)
        return records.map(\.summary)
    }

    func write(_ records: [LayerRecord], maps: LayerMaps, images: Int, input: String, to output: String) throws {
        try AtomicFile.writeHDF5(to: output) { file in
            try file.setAttribute("format", Self.format)
            try file.setAttribute("source", input)
            try file.write("rows", ints: Array(maps.rows.prefix(images)), shape: [images])
            let classes = maps.gradientClasses.first?.count ?? 0
            try file.write("gradient_classes", ints: maps.gradientClasses.prefix(images).flatMap { $0 }, shape: [images, classes])
            try file.write("layer_names", strings: records.map(\.layer.name))
            try file.write("silhouette_k", ints: Array(clustering.clusterCounts), shape: [clustering.clusterCounts.count])
            for record in records { try record.write(into: file) }
        }
    }
}
