/// The mean silhouette coefficient of a flat clustering (scikit-learn's `silhouette_score`,
/// Euclidean): per point s = (b − a) / max(a, b), a its mean distance to the other members of its
/// cluster, b the smallest mean distance to another cluster's members; 0 for a point alone in
/// its cluster. Defined for 2 ≤ clusters ≤ n − 1.
public enum Silhouette {
    public static func mean(distances d: DistanceMatrix, labels: [Int]) -> Double {
        let n = d.count, clusters = (labels.max() ?? -1) + 1
        precondition(labels.count == n && clusters >= 2 && clusters <= n - 1, "silhouette: \(clusters) clusters of \(n) points")
        var members = [Int](repeating: 0, count: clusters)
        for label in labels { members[label] += 1 }
        var total = 0.0
        var sums = [Double](repeating: 0, count: clusters)
        for i in 0..<n {
            for c in 0..<clusters { sums[c] = 0 }
            for j in 0..<n where j != i { sums[labels[j]] += d.distance(i, j) }
            let own = labels[i]
            guard members[own] > 1 else { continue }
            let a = sums[own] / Double(members[own] - 1)
            var b = Double.infinity
            for c in 0..<clusters where c != own && members[c] > 0 { b = min(b, sums[c] / Double(members[c])) }
            let spread = max(a, b)
            if spread > 0 { total += (b - a) / spread }
        }
        return total / Double(n)
    }
}
