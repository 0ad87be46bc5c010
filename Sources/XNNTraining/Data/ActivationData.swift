import XNNLinearAlgebra
import XNNStorage

/// The activations and targets of one HDF5 file, checked, split and (optionally) standardised,
/// held in memory in the file's row order.
public final class ActivationData {
    public let file: String
    /// z, N × D, after the activation normalisation.
    public let inputs: Matrix
    /// y, N × C (the selected target columns), after the target normalisation.
    public let targets: Matrix
    public let activationNormalization: Normalization
    public let targetNormalization: Normalization
    /// Rows used for training and held out, in file order.
    public let trainRows: [Int]
    public let testRows: [Int]
    /// Column indices of the file's target dataset that `targets` holds.
    public let targetColumns: [Int]
    /// Names of the explained outputs (from `class_names` when the file has it).
    public let targetNames: [String]

    public var sampleCount: Int { inputs.rows }
    public var inputDimension: Int { inputs.columns }
    public var outputCount: Int { targets.columns }

    public init(file: String, inputs: Matrix, targets: Matrix, trainRows: [Int], testRows: [Int],
                targetColumns: [Int], targetNames: [String],
                activationNormalization: Normalization, targetNormalization: Normalization) {
        self.file = file
        self.inputs = inputs
        self.targets = targets
        self.trainRows = trainRows
        self.testRows = testRows
        self.targetColumns = targetColumns
        self.targetNames = targetNames
        self.activationNormalization = activationNormalization
        self.targetNormalization = targetNormalization
    }

    /// Loads and validates the data a configuration names; `seed` drives the random split.
    /// A saved model passes its own `normalizations` so new data goes through the same maps.
    public static func load(_ configuration: DataConfiguration, seed: Int,
                            normalizations: (activations: Normalization, targets: Normalization)? = nil) throws -> ActivationData {
        let path = configuration.file
        let h5 = try HDF5File(path: path, mode: .readOnly)
        defer { h5.close() }

        let activations = try readMatrix(h5, configuration.activations)
        let rawTargets = try readMatrix(h5, configuration.targets, allowVector: true)
        let n = activations.rows
        guard n >= 2 else { throw DataError.notEnoughSamples(file: path, dataset: configuration.activations, found: n) }
        guard rawTargets.rows == n else {
            throw DataError.rowCountMismatch(file: path, dataset: configuration.targets, expected: n,
                                             found: rawTargets.rows, reference: configuration.activations)
        }
        try checkFinite(activations, file: path, dataset: configuration.activations)
        try checkFinite(rawTargets, file: path, dataset: configuration.targets)

        // Select the explained target columns.
        let columns = configuration.targetColumns.isEmpty ? Array(0..<rawTargets.columns) : configuration.targetColumns
        for c in columns where c >= rawTargets.columns {
            throw DataError.targetColumnOutOfRange(file: path, dataset: configuration.targets, column: c, columns: rawTargets.columns)
        }
        let targets = Matrix(rows: n, columns: columns.count)
        for r in 0..<n { for (j, c) in columns.enumerated() { targets[r, j] = rawTargets[r, c] } }
        var names = columns.map { "\(configuration.targets)[\($0)]" }
        if h5.contains("class_names"), let classNames = try? h5.readStrings("class_names"), classNames.count == rawTargets.columns {
            names = columns.map { classNames[$0] }
        }

        // Split: by the mask dataset when named, else at random with the run's seed.
        var isTest = [Bool](repeating: false, count: n)
        if let maskName = configuration.testMask {
            let (mask, shape) = try h5.readInts(maskName)
            guard mask.count == n, shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                throw DataError.rowCountMismatch(file: path, dataset: maskName, expected: n, found: shape.first ?? 0,
                                                 reference: configuration.activations)
            }
            isTest = mask.map { $0 != 0 }
        } else if configuration.testFraction > 0 {
            var order = Array(0..<n)
            var generator = SeededGenerator(seed: UInt64(seed), stream: 1)
            generator.shuffle(&order)
            for r in order.prefix(Int((Double(n) * configuration.testFraction).rounded())) { isTest[r] = true }
        }
        let trainRows = (0..<n).filter { !isTest[$0] }
        let testRows = (0..<n).filter { isTest[$0] }
        guard !trainRows.isEmpty else {
            throw DataError.emptyTrainingSplit(file: path, detail: configuration.testMask.map { "every row of '\($0)' is 1" } ?? "test_fraction leaves none")
        }

        let activationNormalization = normalizations?.activations ?? (configuration.standardizeActivations
            ? Normalization.fit(activations, rows: trainRows) : .identity(columns: activations.columns))
        let targetNormalization = normalizations?.targets ?? (configuration.standardizeTargets
            ? Normalization.fit(targets, rows: trainRows) : .identity(columns: targets.columns))
        guard activationNormalization.mean.count == activations.columns else {
            throw DataError.rankMismatch(file: path, dataset: configuration.activations,
                                         expected: "\(activationNormalization.mean.count) columns, as the model was trained on",
                                         found: [activations.rows, activations.columns])
        }
        activationNormalization.apply(to: activations)
        targetNormalization.apply(to: targets)
        return ActivationData(file: path, inputs: activations, targets: targets, trainRows: trainRows, testRows: testRows,
                              targetColumns: columns, targetNames: names,
                              activationNormalization: activationNormalization, targetNormalization: targetNormalization)
    }

    /// A 2-D float dataset as a matrix (a 1-D one becomes a single column when allowed).
    static func readMatrix(_ h5: HDF5File, _ name: String, allowVector: Bool = false) throws -> Matrix {
        let (values, shape) = try h5.readFloats(name)
        if shape.count == 2 { return Matrix(rows: shape[0], columns: shape[1], values: values) }
        if shape.count == 1 && allowVector { return Matrix(rows: shape[0], columns: 1, values: values) }
        throw DataError.rankMismatch(file: h5.path, dataset: name,
                                     expected: allowVector ? "a 1-D or 2-D array (samples × outputs)" : "a 2-D array (samples × features)",
                                     found: shape)
    }

    static func checkFinite(_ matrix: Matrix, file: String, dataset: String) throws {
        for i in 0..<matrix.count where !matrix.storage[i].isFinite {
            throw DataError.nonFinite(file: file, dataset: dataset, row: i / matrix.columns, column: i % matrix.columns,
                                      value: "\(matrix.storage[i])")
        }
    }

    /// Copies the given rows of `source` into the first rows of `destination` (a batch buffer).
    public static func gather(rows: ArraySlice<Int>, from source: Matrix, into destination: Matrix) {
        destination.setRowCount(rows.count)
        let width = source.columns
        for (i, r) in rows.enumerated() { destination.row(i).update(from: source.row(r), count: width) }
    }
}
