import XNNLinearAlgebra

/// One layer's feature maps grouped into a few clusters weighted by their Grad-CAM importance for a
/// class (Bianchi et al., IJCAI 2024; docs/layers.md): keep the channels with an above-uniform share
/// of the guided weights, embed their min–max normalised maps (PCA, then t-SNE), cluster the
/// embedding by Ward for each k in `clusterCounts` and keep the k with the best silhouette, drop the
/// clusters that carry little weight, and draw each kept cluster as the share-weighted mean map.
public struct ChannelClustering: Sendable {
    /// Channels whose share exceeds this fraction of the uniform share 100/K are kept.
    public var keepAboveUniform = 0.9
    /// The numbers of clusters tried, smallest first (the smallest wins a tie).
    public var clusterCounts = 3...8
    /// PCA keeps at most this many dimensions before t-SNE.
    public var principalDimensions = 50
    public var embedding = TSNE()

    public init(seed: UInt64 = 0) { embedding = TSNE(seed: seed) }

    public struct Cluster: Equatable, Sendable {
        /// Channel indices of the layer, ascending.
        public let channels: [Int]
        /// W_C: the summed shares (percent of the layer's guided Grad-CAM weight).
        public let weight: Double
        /// S_C = Σ p_k·A_k / Σ p_k, min–max normalised to [0, 1] (h·w values, row-major).
        public let map: [Double]
    }

    public struct Result: Sendable {
        /// Per channel: 100·w_k / Σ w (all zero when no weight is positive).
        public let shares: [Double]
        /// The channels kept by the share threshold, ascending.
        public let keptChannels: [Int]
        /// The 2-D t-SNE embedding of the kept channels' maps (empty with fewer than two).
        public let embedding: [[Double]]
        /// Silhouette of each k tried, in `clusterCounts` order.
        public let silhouettes: [(clusters: Int, score: Double)]
        /// The clusters kept, by decreasing weight, and those dropped as too light.
        public let clusters: [Cluster]
        public let droppedClusters: [Cluster]
    }

    /// `maps`: K rows of h·w values (one feature map per channel); `weights`: the K guided Grad-CAM
    /// weights w_k = mean over locations of [A_k > 0]·[g_k > 0]·g_k.
    public func cluster(maps: Matrix, weights: [Double]) throws -> Result {
        precondition(weights.count == maps.rows, "channel clustering: \(weights.count) weights for \(maps.rows) maps")
        let total = weights.reduce(0) { $0 + max(0, $1) }
        let shares = weights.map { total > 0 ? 100 * max(0, $0) / total : 0 }
        let threshold = keepAboveUniform * 100 / Double(max(1, maps.rows))
        let kept = shares.indices.filter { shares[$0] > threshold }
        guard kept.count >= 2 else {
            let clusters = kept.isEmpty ? [] : [Self.cluster(kept, maps: maps, shares: shares)]
            return Result(shares: shares, keptChannels: kept, embedding: [], silhouettes: [], clusters: clusters, droppedClusters: [])
        }
        let points = try embed(kept.map { Self.minMaxNormalised(Self.channel($0, of: maps)) })
        let (labels, silhouettes) = bestClustering(points)
        var groups = [[Int]](repeating: [], count: (labels.max() ?? 0) + 1)
        for (index, label) in labels.enumerated() { groups[label].append(kept[index]) }
        let all = groups.map { Self.cluster($0, maps: maps, shares: shares) }.sorted { $0.weight > $1.weight }
        let heaviest = all.first?.weight ?? 0, mean = all.reduce(0) { $0 + $1.weight } / Double(max(1, all.count))
        let floor = max(heaviest / 3, mean / 2)
        return Result(shares: shares, keptChannels: kept, embedding: points, silhouettes: silhouettes,
                      clusters: all.filter { $0.weight >= floor }, droppedClusters: all.filter { $0.weight < floor })
    }

    /// PCA to min(principalDimensions, n, h·w) dimensions, then t-SNE to 2-D.
    public func embed(_ normalised: [[Double]]) throws -> [[Double]] {
        let table = Matrix(rows: normalised.count, columns: normalised[0].count)
        for (r, row) in normalised.enumerated() { for (c, value) in row.enumerated() { table[r, c] = Float(value) } }
        return embedding.embed(try PrincipalScores.of(table, count: principalDimensions)).points
    }

    /// Ward labels for the k in `clusterCounts` (at most n − 1) with the best silhouette.
    public func bestClustering(_ points: [[Double]]) -> (labels: [Int], silhouettes: [(clusters: Int, score: Double)]) {
        let tree = WardLinkage(points: points), distances = DistanceMatrix(points: points)
        let counts = clusterCounts.filter { $0 >= 2 && $0 <= points.count - 1 }
        guard let first = counts.first else { return ([Int](repeating: 0, count: points.count), []) }
        var best = (labels: tree.labels(clusters: first), score: -Double.infinity), scores: [(clusters: Int, score: Double)] = []
        for k in counts {
            let labels = tree.labels(clusters: k), score = Silhouette.mean(distances: distances, labels: labels)
            scores.append((k, score))
            if score > best.score { best = (labels, score) }
        }
        return (best.labels, scores)
    }

    static func cluster(_ channels: [Int], maps: Matrix, shares: [Double]) -> Cluster {
        var map = [Double](repeating: 0, count: maps.columns), weight = 0.0
        for k in channels {
            weight += shares[k]
            for (i, value) in channel(k, of: maps).enumerated() { map[i] += shares[k] * Double(value) }
        }
        if weight > 0 { map = map.map { $0 / weight } }
        return Cluster(channels: channels, weight: weight, map: minMaxNormalised(map))
    }

    static func channel(_ k: Int, of maps: Matrix) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: maps.row(k), count: maps.columns)
    }

    /// (v − min) / (max − min); all zero for a constant map.
    public static func minMaxNormalised<S: Sequence>(_ values: S) -> [Double] where S.Element: BinaryFloatingPoint {
        let array = values.map { Double($0) }
        guard let low = array.min(), let high = array.max(), high > low else { return array.map { _ in 0 } }
        return array.map { ($0 - low) / (high - low) }
    }
}
