import XNNModel

/// Every matrix product of one SRAE training step at its exact shape and transposition, as the
/// engine computes them (DenseLayer, SRAE+TrainingStep): per layer `in → out` at batch B, the
/// forward product (B × out × in, NT), the weight gradient (out × in × B, TN) and — for every layer
/// but the first, whose input is the data — the input gradient (B × in × out, NN); then the
/// pull-away term's Gram matrix (k × k × B, TN) and its gradient (B × k × k, NN).
/// Their FLOPs add up to `BenchmarkCase.flopsPerSample` × B (BenchmarkTests checks it).
public enum StepProducts {
    public struct Product: Codable, Sendable, Equatable {
        public let shape: ProductShape
        /// How many times one step computes this shape.
        public let count: Int
    }

    public static func of(_ architecture: SRAEArchitecture, batch: Int) -> [Product] {
        let widths = architecture.encoderWidths
        let encoder = zip(widths, widths.dropFirst()).map { ($0, $1) }
        let decoder = encoder.reversed().map { ($1, $0) }
        let layers = encoder + decoder + [(architecture.concepts, architecture.outputs)]
        var shapes: [ProductShape] = []
        for (index, (input, output)) in layers.enumerated() {
            shapes.append(ProductShape(m: batch, n: output, k: input, transposeB: true))
            shapes.append(ProductShape(m: output, n: input, k: batch, transposeA: true))
            if index > 0 { shapes.append(ProductShape(m: batch, n: input, k: output)) }
        }
        let k = architecture.concepts
        shapes.append(ProductShape(m: k, n: k, k: batch, transposeA: true))
        shapes.append(ProductShape(m: batch, n: k, k: k))
        // The same shape twice is timed once and counted twice.
        var products: [Product] = []
        for shape in shapes {
            if let at = products.firstIndex(where: { $0.shape == shape }) {
                products[at] = Product(shape: shape, count: products[at].count + 1)
            } else {
                products.append(Product(shape: shape, count: 1))
            }
        }
        return products
    }
}
