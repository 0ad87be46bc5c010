/// Agglomerative clustering with Ward's criterion on Euclidean points, as SciPy's
/// `linkage(points, "ward")` and scikit-learn's `AgglomerativeClustering(linkage="ward")`
/// (docs/layers.md): each merge joins the two clusters whose union least increases the total
/// within-cluster sum of squares. Built by the nearest-neighbour chain in O(n²) time and memory.
public struct WardLinkage: Sendable {
    public struct Merge: Equatable, Sendable {
        /// The clusters joined, each named by its smallest point index.
        public let first: Int
        public let second: Int
        /// Ward's distance between them (SciPy's linkage height).
        public let height: Double
        /// Points in the merged cluster.
        public let size: Int
    }

    public let pointCount: Int
    /// The n − 1 merges by increasing height.
    public let merges: [Merge]

    public init(points: [[Double]]) {
        pointCount = points.count
        var distances = DistanceMatrix(points: points)
        merges = Self.nearestNeighbourChain(&distances).sorted { $0.height < $1.height }
    }

    /// The flat clustering into `clusters` groups (the last `clusters − 1` merges undone): a label per
    /// point, clusters numbered by their first point, so equal partitions give equal labels.
    public func labels(clusters: Int) -> [Int] {
        precondition((1...max(1, pointCount)).contains(clusters), "Ward: \(clusters) clusters of \(pointCount) points")
        var parent = Array(0..<pointCount)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for merge in merges.prefix(pointCount - clusters) { parent[root(merge.second)] = root(merge.first) }
        var names: [Int: Int] = [:]
        return (0..<pointCount).map { point in
            let r = root(point)
            if let name = names[r] { return name }
            names[r] = names.count
            return names.count - 1
        }
    }

    /// Follows nearest neighbours until two clusters are each other's nearest, merges them and
    /// updates the squared distances by the Lance–Williams formula for Ward:
    /// D(u, v) = ((n_v + n_s)·D(v, s) + (n_v + n_t)·D(v, t) − n_v·D(s, t)) / (n_v + n_s + n_t).
    private static func nearestNeighbourChain(_ d: inout DistanceMatrix) -> [Merge] {
        let n = d.count
        var size = [Int](repeating: 1, count: n), active = [Bool](repeating: true, count: n)
        var merges: [Merge] = [], chain: [Int] = []
        merges.reserveCapacity(max(0, n - 1))
        while merges.count < n - 1 {
            if chain.isEmpty, let start = active.firstIndex(of: true) { chain.append(start) }
            let a = chain[chain.count - 1]
            let previous = chain.count > 1 ? chain[chain.count - 2] : -1
            // The nearest active cluster; the previous link wins ties, so the chain cannot cycle.
            var b = previous, best = previous >= 0 ? d[a, previous] : .infinity
            for c in 0..<n where active[c] && c != a && d[a, c] < best { best = d[a, c]; b = c }
            if b != previous { chain.append(b); continue }
            chain.removeLast(2)
            let (keep, drop) = (min(a, b), max(a, b))
            merges.append(Merge(first: keep, second: drop, height: best.squareRoot(), size: size[a] + size[b]))
            for v in 0..<n where active[v] && v != keep && v != drop {
                let total = Double(size[v] + size[keep] + size[drop])
                let updated = (Double(size[v] + size[keep]) * d[v, keep] + Double(size[v] + size[drop]) * d[v, drop]
                               - Double(size[v]) * best) / total
                d[v, keep] = updated
                d[keep, v] = updated
            }
            size[keep] += size[drop]
            active[drop] = false
        }
        return merges
    }
}
