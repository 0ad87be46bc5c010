/// How much a set of heatmaps of one image overlap (docs/layers.md, "Heatmap metrics"): the mean
/// |cos| over pairs of maps, each flattened; 0 for a pair with an all-zero map and for fewer than two.
public enum HeatmapOverlap {
    public static func meanAbsoluteCosine(_ maps: [[Double]]) -> Double {
        guard maps.count > 1 else { return 0 }
        let norms = maps.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        var sum = 0.0, pairs = 0
        for a in 0..<maps.count {
            for b in (a + 1)..<maps.count {
                pairs += 1
                guard norms[a] > 0, norms[b] > 0 else { continue }
                let dot = zip(maps[a], maps[b]).reduce(0) { $0 + $1.0 * $1.1 }
                sum += abs(dot) / (norms[a] * norms[b])
            }
        }
        return sum / Double(pairs)
    }
}
