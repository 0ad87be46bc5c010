import XNNClustering
import XNNEvaluation
import XNNStorage

/// One layer's clusters for every image and explained logit, in the arrays `xnn layers` writes
/// (docs/layers.md, "The output"): cluster slots beyond an image's count hold zeros.
struct LayerRecord {
    let layer: LayerMaps.Layer
    let images: Int, classes: Int, slots: Int
    var clusterMaps: [Float], clusterWeights: [Float], clusterCount: [Int]
    /// Per channel: its kept cluster's index, −1 below the share threshold, −2 in a dropped cluster.
    var channelCluster: [Int]
    /// Silhouette for each k of `clusterCounts` (NaN where not tried: too few channels).
    var silhouettes: [Float], keptMass: [Float], mapOverlap: [Float]
    let clusterCounts: ClosedRange<Int>

    init(layer: LayerMaps.Layer, images: Int, classes: Int, clusterCounts: ClosedRange<Int>) {
        self.layer = layer
        self.images = images
        self.classes = classes
        self.clusterCounts = clusterCounts
        slots = clusterCounts.upperBound
        let cells = images * classes, locations = layer.height * layer.width
        clusterMaps = [Float](repeating: 0, count: cells * slots * locations)
        clusterWeights = [Float](repeating: 0, count: cells * slots)
        clusterCount = [Int](repeating: 0, count: cells)
        channelCluster = [Int](repeating: -1, count: cells * layer.channels)
        silhouettes = [Float](repeating: .nan, count: cells * clusterCounts.count)
        keptMass = [Float](repeating: 0, count: cells)
        mapOverlap = [Float](repeating: 0, count: cells)
    }

    mutating func store(_ result: ChannelClustering.Result, image: Int, logit: Int) {
        let cell = image * classes + logit, locations = layer.height * layer.width
        clusterCount[cell] = result.clusters.count
        for (slot, cluster) in result.clusters.prefix(slots).enumerated() {
            clusterWeights[cell * slots + slot] = Float(cluster.weight)
            for (i, value) in cluster.map.enumerated() { clusterMaps[(cell * slots + slot) * locations + i] = Float(value) }
            for channel in cluster.channels { channelCluster[cell * layer.channels + channel] = slot }
        }
        for cluster in result.droppedClusters { for channel in cluster.channels { channelCluster[cell * layer.channels + channel] = -2 } }
        for (k, score) in result.silhouettes where clusterCounts.contains(k) {
            silhouettes[cell * clusterCounts.count + k - clusterCounts.lowerBound] = Float(score)
        }
        keptMass[cell] = Float(result.clusters.reduce(0) { $0 + $1.weight })
        mapOverlap[cell] = Float(OrthogonalityMetrics(vectors: result.clusters.map(\.map)).meanAbsoluteCosine)
    }

    func write(into file: HDF5File) throws {
        let name = layer.name, cells = [images, classes]
        try file.write("\(name)/cluster_maps", floats: clusterMaps, shape: cells + [slots, layer.height, layer.width])
        try file.write("\(name)/cluster_weights", floats: clusterWeights, shape: cells + [slots])
        try file.write("\(name)/cluster_count", ints: clusterCount, shape: cells)
        try file.write("\(name)/channel_cluster", ints: channelCluster, shape: cells + [layer.channels])
        try file.write("\(name)/silhouettes", floats: silhouettes, shape: cells + [clusterCounts.count])
        try file.write("\(name)/kept_mass", floats: keptMass, shape: cells)
        try file.write("\(name)/map_overlap", floats: mapOverlap, shape: cells)
    }

    var summary: LayerClusterRun.LayerSummary {
        func mean<T: BinaryFloatingPoint>(_ values: [T]) -> Double { values.isEmpty ? 0 : values.reduce(0.0) { $0 + Double($1) } / Double(values.count) }
        return LayerClusterRun.LayerSummary(name: layer.name, meanClusters: mean(clusterCount.map(Double.init)),
                                            meanKeptMass: mean(keptMass), meanMapOverlap: mean(mapOverlap))
    }
}
