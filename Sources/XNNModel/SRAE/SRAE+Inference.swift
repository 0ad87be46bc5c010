import XNNLinearAlgebra

/// The buffers of an inference pass: the forward activations only (no gradients, no pull-away
/// matrices), for a small chunk of rows, so running a model costs a fraction of a training step's memory.
public final class SRAEInferenceBuffers {
    public let capacity: Int
    let inputs: Matrix
    let encoderOutputs: [Matrix]
    let decoderOutputs: [Matrix]
    let prediction: Matrix

    public init(architecture: SRAEArchitecture, capacity: Int = 512) {
        precondition(capacity > 0, "inference chunk must be positive")
        self.capacity = capacity
        let widths = architecture.encoderWidths
        inputs = Matrix(rows: capacity, columns: architecture.inputDimension)
        encoderOutputs = widths.dropFirst().map { Matrix(rows: capacity, columns: $0) }
        decoderOutputs = widths.reversed().dropFirst().map { Matrix(rows: capacity, columns: $0) }
        prediction = Matrix(rows: capacity, columns: architecture.outputs)
    }

    func setRowCount(_ rows: Int) {
        inputs.setRowCount(rows)
        prediction.setRowCount(rows)
        for m in encoderOutputs { m.setRowCount(rows) }
        for m in decoderOutputs { m.setRowCount(rows) }
    }
}

extension SRAE {
    /// Runs the trained model (no dropout) over the given rows of `inputs`, in chunks of the
    /// buffers' capacity, writing x (rows × k), ŷ (rows × C) and, when asked, ẑ (rows × D)
    /// into row i of each output for `rows[i]`.
    public func infer(_ inputs: Matrix, rows: [Int], buffers: SRAEInferenceBuffers,
                      concepts: Matrix, predictions: Matrix, reconstructions: Matrix? = nil) {
        precondition(concepts.rows == rows.count && predictions.rows == rows.count)
        var unused = SeededGenerator(seed: 0)  // dropout is off
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + buffers.capacity, rows.count)]
            buffers.setRowCount(chunk.count)
            for (i, r) in chunk.enumerated() { buffers.inputs.row(i).update(from: inputs.row(r), count: inputs.columns) }
            let x = encode(buffers.inputs, into: buffers.encoderOutputs, generator: &unused)
            predictor.forward(x, into: buffers.prediction)
            concepts.row(start).update(from: x.storage, count: x.count)
            predictions.row(start).update(from: buffers.prediction.storage, count: buffers.prediction.count)
            if let reconstructions {
                let reconstruction = decode(x, into: buffers.decoderOutputs)
                reconstructions.row(start).update(from: reconstruction.storage, count: reconstruction.count)
            }
            start += chunk.count
        }
    }
}
