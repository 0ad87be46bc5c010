import XNNLinearAlgebra

/// The NMF baseline of docs/method.md §7 at inference: z ≈ x H with x ≥ 0 and a fixed non-negative basis H
/// (k × D). Concepts are the non-negative least-squares codes of each sample, found by
/// multiplicative updates (as scikit-learn's `NMF.transform` with the "mu" solver); ŷ = V x + b.
public final class NonNegativeFactorizationModel: ConceptModel {
    public let architecture: SRAEArchitecture
    public let basis: Matrix
    public let predictor: DenseLayer
    public let iterations: Int

    public init(basis: Matrix, outputs: Int, iterations: Int = 300) {
        var architecture = SRAEArchitecture(inputDimension: basis.columns, hiddenWidths: [], concepts: basis.rows,
                                            outputs: outputs, dropout: 0, outputActivation: .linear)
        architecture.conceptActivation = .relu
        self.architecture = architecture
        self.basis = basis
        self.iterations = iterations
        predictor = DenseLayer(inputs: basis.rows, outputs: outputs, activation: .linear, name: "predictor")
    }

    /// Codes X ≥ 0 minimising ‖Z − X H‖² for the given rows: X ← X ⊙ (Z Hᵀ) / (X H Hᵀ), from a
    /// deterministic positive start.
    public func encode(_ z: Matrix) -> Matrix {
        let k = basis.rows, n = z.rows
        let numerator = Matrix(rows: n, columns: k), gram = Matrix(rows: k, columns: k)
        numerator.assignProduct(z, basis, transposeB: true)
        gram.assignProduct(basis, basis, transposeB: true)
        let codes = Matrix(rows: n, columns: k), denominator = Matrix(rows: n, columns: k)
        var scale: Float = 0
        for j in 0..<k { scale += gram[j, j] }
        let start = 1 / max(scale / Float(k), 1e-12)
        for i in 0..<codes.count { codes.storage[i] = max(numerator.storage[i], 1e-6) * start }
        for _ in 0..<iterations {
            denominator.assignProduct(codes, gram)
            for i in 0..<codes.count { codes.storage[i] *= max(numerator.storage[i], 0) / (denominator.storage[i] + 1e-12) }
        }
        return codes
    }

    public func infer(_ inputs: Matrix, rows: [Int], concepts: Matrix, predictions: Matrix, reconstructions: Matrix?) {
        let z = Matrix(rows: rows.count, columns: inputs.columns)
        for (i, r) in rows.enumerated() { z.row(i).update(from: inputs.row(r), count: inputs.columns) }
        let codes = encode(z)
        concepts.copy(from: codes)
        predictor.forward(codes, into: predictions)
        reconstructions?.assignProduct(codes, basis)
    }
}
