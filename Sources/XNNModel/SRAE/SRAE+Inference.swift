import XNNLinearAlgebra

extension SRAE {
    /// Runs the trained model (no dropout) over the given rows of `inputs`, in chunks of the
    /// workspace's capacity, writing x (rows × k), ŷ (rows × C) and, when asked, ẑ (rows × D)
    /// into row i of each output for `rows[i]`.
    public func infer(_ inputs: Matrix, rows: [Int], workspace ws: SRAEWorkspace,
                      concepts: Matrix, predictions: Matrix, reconstructions: Matrix? = nil) {
        precondition(concepts.rows == rows.count && predictions.rows == rows.count)
        var generator = SeededGenerator(seed: 0)  // unused: dropout is off
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + ws.capacity, rows.count)]
            ws.setBatchSize(chunk.count)
            for (i, r) in chunk.enumerated() { ws.inputs.row(i).update(from: inputs.row(r), count: inputs.columns) }
            let x = forwardEncoder(ws.inputs, workspace: ws, dropout: .off, generator: &generator)
            predictor.forward(x, into: ws.prediction)
            concepts.row(start).update(from: x.storage, count: x.count)
            predictions.row(start).update(from: ws.prediction.storage, count: ws.prediction.count)
            if let reconstructions {
                var input = x
                for (l, layer) in decoder.enumerated() {
                    layer.forward(input, into: ws.decoderOutputs[l])
                    input = ws.decoderOutputs[l]
                }
                reconstructions.row(start).update(from: input.storage, count: input.count)
            }
            start += chunk.count
        }
    }
}
