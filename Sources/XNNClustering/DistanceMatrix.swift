/// Pairwise squared Euclidean distances of n points, in double precision, stored n × n.
public struct DistanceMatrix: Sendable {
    public let count: Int
    public private(set) var squared: [Double]

    public init(points: [[Double]]) {
        count = points.count
        squared = [Double](repeating: 0, count: count * count)
        for i in 0..<count {
            for j in (i + 1)..<max(i + 1, count) {
                var sum = 0.0
                for (a, b) in zip(points[i], points[j]) { sum += (a - b) * (a - b) }
                squared[i * count + j] = sum
                squared[j * count + i] = sum
            }
        }
    }

    public subscript(i: Int, j: Int) -> Double {
        get { squared[i * count + j] }
        set { squared[i * count + j] = newValue }
    }

    /// The Euclidean distance (the square root of the stored value).
    public func distance(_ i: Int, _ j: Int) -> Double { squared[i * count + j].squareRoot() }
}
