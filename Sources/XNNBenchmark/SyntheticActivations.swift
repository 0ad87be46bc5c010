import XNNLinearAlgebra
import XNNStorage
import XNNTraining

/// Activations shaped like a CNN layer's after ReLU, `z = max(0, N(0, 1))`, and scores that are a
/// fixed linear read-out of them, `y = z·w / √D`: the engine and the PyTorch reference train on
/// exactly these rows.
public enum SyntheticActivations {
    public static func make(rows: Int, dimension: Int, outputs: Int, seed: UInt64) -> ActivationData {
        var generator = SeededGenerator(seed: seed, stream: 11)
        let inputs = Matrix(rows: rows, columns: dimension), targets = Matrix(rows: rows, columns: outputs)
        let readOut = Matrix(rows: dimension, columns: outputs)
        let scale = 1 / Float(dimension).squareRoot()
        for i in 0..<readOut.count { readOut.storage[i] = Float(generator.nextGaussian()) * scale }
        for i in 0..<inputs.count { inputs.storage[i] = max(0, Float(generator.nextGaussian())) }
        targets.assignProduct(inputs, readOut)
        return ActivationData(file: "synthetic", inputs: inputs, targets: targets, trainRows: Array(0..<rows), testRows: [],
                              targetColumns: Array(0..<outputs), targetNames: (0..<outputs).map { "output \($0)" },
                              activationNormalization: .identity(columns: dimension), targetNormalization: .identity(columns: outputs))
    }

    /// An activation file of `rows` such rows written a block at a time, chunked by `chunkRows`
    /// rows: a file larger than memory, for the streaming benchmark. Returns its size in bytes.
    @discardableResult
    public static func writeFile(to path: String, rows: Int, dimension: Int, outputs: Int, seed: UInt64,
                                 chunkRows: Int = 1024) throws -> Int {
        var generator = SeededGenerator(seed: seed, stream: 11)
        let readOut = Matrix(rows: dimension, columns: outputs)
        let scale = 1 / Float(dimension).squareRoot()
        for i in 0..<readOut.count { readOut.storage[i] = Float(generator.nextGaussian()) * scale }
        let file = try HDF5File(path: path, mode: .truncate)
        defer { file.close() }
        try file.createFloatDataset("activations", shape: [rows, dimension], chunkRows: chunkRows)
        try file.createFloatDataset("logits", shape: [rows, outputs], chunkRows: chunkRows)
        let blockRows = 4096
        let inputs = Matrix(rows: blockRows, columns: dimension), targets = Matrix(rows: blockRows, columns: outputs)
        var start = 0
        while start < rows {
            let count = min(blockRows, rows - start)
            inputs.setRowCount(count)
            targets.setRowCount(count)
            for i in 0..<inputs.count { inputs.storage[i] = max(0, Float(generator.nextGaussian())) }
            targets.assignProduct(inputs, readOut)
            try file.writeFloatRows("activations", rows: start..<(start + count), from: inputs.storage)
            try file.writeFloatRows("logits", rows: start..<(start + count), from: targets.storage)
            start += count
        }
        try file.setAttribute("format", "xnn-activations")
        try file.setAttribute("source", "xnn bench: synthetic rectified Gaussian activations")
        try file.finishWriting()
        return rows * (dimension + outputs) * 4
    }

    /// The same rows as an activation file (docs/data-format.md), for the PyTorch reference.
    public static func write(_ data: ActivationData, to path: String) throws {
        let file = try HDF5File(path: path, mode: .truncate)
        defer { file.close() }
        try file.write("activations", floats: data.inputs.toArray(), shape: [data.sampleCount, data.inputDimension])
        try file.write("logits", floats: data.targets.toArray(), shape: [data.sampleCount, data.outputCount])
        try file.setAttribute("format", "xnn-activations")
        try file.setAttribute("source", "xnn bench: synthetic rectified Gaussian activations")
        try file.finishWriting()
    }
}
