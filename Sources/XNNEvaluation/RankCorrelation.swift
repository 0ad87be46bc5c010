/// Spearman's ρ: the Pearson correlation of ranks, ties sharing their average rank (as scipy does).
public enum RankCorrelation {
    /// Ranks 1…n, ties given the mean of the ranks they span.
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for i in start...end { ranks[order[i]] = rank }
            start = end + 1
        }
        return ranks
    }

    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        let n = Double(a.count)
        guard n > 1 else { return 0 }
        let meanA = a.reduce(0, +) / n, meanB = b.reduce(0, +) / n
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for i in a.indices {
            covariance += (a[i] - meanA) * (b[i] - meanB)
            varianceA += (a[i] - meanA) * (a[i] - meanA)
            varianceB += (b[i] - meanB) * (b[i] - meanB)
        }
        let denominator = (varianceA * varianceB).squareRoot()
        return denominator > 0 ? covariance / denominator : 0
    }

    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        pearson(averageRanks(a), averageRanks(b))
    }
}
