import XNNLinearAlgebra

/// Anything that maps activations z to concepts x ∈ R^k, rebuilds ŷ = V x + b with a linear
/// predictor, and (optionally) rebuilds ẑ: the SRAE and the docs/method.md §7 baselines. Runs, metrics and
/// comparisons work on this, so every method is judged by the same code.
public protocol ConceptModel: AnyObject {
    var architecture: SRAEArchitecture { get }
    /// k → C, linear; its weight is V (C × k).
    var predictor: DenseLayer { get }
    /// x, ŷ and (when asked) ẑ for `rows` of `inputs`, row i of each output for `rows[i]`.
    func infer(_ inputs: Matrix, rows: [Int], concepts: Matrix, predictions: Matrix, reconstructions: Matrix?)
}

extension ConceptModel {
    /// v̄_j = Σ_c V_cj: how much a unit of concept j adds to the summed class scores.
    public var conceptWeights: [Float] {
        let v = predictor.weight.value
        return (0..<v.columns).map { j in (0..<v.rows).reduce(0) { $0 + v[$1, j] } }
    }

    /// x and ŷ for `rows`, in new matrices.
    public func infer(_ inputs: Matrix, rows: [Int]) -> (concepts: Matrix, predictions: Matrix) {
        let concepts = Matrix(rows: rows.count, columns: architecture.concepts)
        let predictions = Matrix(rows: rows.count, columns: architecture.outputs)
        infer(inputs, rows: rows, concepts: concepts, predictions: predictions, reconstructions: nil)
        return (concepts, predictions)
    }
}

extension SRAE: ConceptModel {
    public func infer(_ inputs: Matrix, rows: [Int], concepts: Matrix, predictions: Matrix, reconstructions: Matrix?) {
        infer(inputs, rows: rows, buffers: SRAEInferenceBuffers(architecture: architecture),
              concepts: concepts, predictions: predictions, reconstructions: reconstructions)
    }
}
