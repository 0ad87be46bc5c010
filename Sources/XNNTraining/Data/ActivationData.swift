import XNNLinearAlgebra
import XNNModel
import XNNStorage

/// The activations and targets of one HDF5 file, checked, split and (optionally) standardised,
/// in the file's row order: held in memory, or, when they exceed `data.memory_budget_mb`,
/// streamed from the file a block at a time (`streamed`; the targets stay in memory).
public final class ActivationData {
    public let file: String
    private let storedInputs: Matrix?
    /// The file-backed activations of a streamed data set.
    public let streamed: StreamedActivations?
    /// z, N × D, after the activation normalisation. Only for data in memory: passes that must
    /// also work on streamed data go through `gather`, `forEachBlock` or `ChunkShuffler`.
    public var inputs: Matrix {
        guard let storedInputs else { preconditionFailure("\(file): the activations are streamed from disk, not in memory") }
        return storedInputs
    }
    /// y, N × C (the selected target columns), after the target normalisation.
    public let targets: Matrix
    public let activationNormalization: Normalization
    public let targetNormalization: Normalization
    /// Rows the weights are fitted on, rows that choose the epoch and settings, and rows held out
    /// for the final measurement; in file order.
    public let trainRows: [Int]
    public let validationRows: [Int]
    public let testRows: [Int]
    /// Column indices of the file's target dataset that `targets` holds.
    public let targetColumns: [Int]
    /// Names of the explained outputs (from `class_names` when the file has it).
    public let targetNames: [String]

    /// The non-empty splits by the names every output uses: train, validation, test.
    public var splits: [(name: String, rows: [Int])] {
        [("train", trainRows), ("validation", validationRows), ("test", testRows)].filter { !$0.rows.isEmpty }
    }

    /// Variance of each explained output over the training rows (normalised units), averaged over
    /// outputs: the faithfulness loss of predicting the mean, the scale an R² target is set on.
    public var meanTargetVariance: Double {
        var total = 0.0
        for c in 0..<outputCount {
            let values = trainRows.map { Double(targets[$0, c]) }
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            total += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count, 1))
        }
        return total / Double(max(outputCount, 1))
    }

    public var sampleCount: Int { storedInputs?.rows ?? streamed!.rows }
    public var inputDimension: Int { storedInputs?.columns ?? streamed!.columns }
    public var isStreamed: Bool { streamed != nil }
    public var outputCount: Int { targets.columns }

    public convenience init(file: String, inputs: Matrix, targets: Matrix, trainRows: [Int], validationRows: [Int] = [], testRows: [Int],
                            targetColumns: [Int], targetNames: [String],
                            activationNormalization: Normalization, targetNormalization: Normalization) {
        self.init(file: file, storedInputs: inputs, streamed: nil, targets: targets,
                  rows: (trainRows, validationRows, testRows), targetColumns: targetColumns, targetNames: targetNames,
                  normalizations: (activationNormalization, targetNormalization))
    }

    convenience init(streamed: StreamedActivations, targets: Matrix, trainRows: [Int], validationRows: [Int], testRows: [Int],
                     targetColumns: [Int], targetNames: [String], targetNormalization: Normalization) {
        self.init(file: streamed.file, storedInputs: nil, streamed: streamed, targets: targets,
                  rows: (trainRows, validationRows, testRows), targetColumns: targetColumns, targetNames: targetNames,
                  normalizations: (streamed.normalization, targetNormalization))
    }

    private init(file: String, storedInputs: Matrix?, streamed: StreamedActivations?, targets: Matrix,
                 rows: (train: [Int], validation: [Int], test: [Int]), targetColumns: [Int], targetNames: [String],
                 normalizations: (activations: Normalization, targets: Normalization)) {
        self.file = file
        self.storedInputs = storedInputs
        self.streamed = streamed
        self.targets = targets
        (trainRows, validationRows, testRows) = rows
        self.targetColumns = targetColumns
        self.targetNames = targetNames
        (activationNormalization, targetNormalization) = normalizations
    }

    /// Loads and validates the data a configuration names; `seed` drives the random split.
    /// A saved model passes its own `normalizations` so new data goes through the same maps.
    /// With `allowStreaming`, activations larger than `memory_budget_mb` stay on disk.
    public static func load(_ configuration: DataConfiguration, seed: Int,
                            normalizations: (activations: Normalization, targets: Normalization)? = nil,
                            allowStreaming: Bool = false) throws -> ActivationData {
        let path = configuration.file
        let h5 = try HDF5File(path: path, mode: .readOnly)
        defer { h5.close() }

        let (n, dimension) = try activationShape(h5, configuration: configuration)
        let megabytes = Double(n) * Double(dimension) * 4 / 1_048_576
        let stream = allowStreaming && configuration.memoryBudgetMB > 0 && megabytes > configuration.memoryBudgetMB
        let activations = stream ? nil : try readMatrix(h5, configuration.activations)
        let rawTargets = try readMatrix(h5, configuration.targets, allowVector: true)
        guard n >= 2 else { throw DataError.notEnoughSamples(file: path, dataset: configuration.activations, found: n) }
        guard rawTargets.rows == n else {
            throw DataError.rowCountMismatch(file: path, dataset: configuration.targets, expected: n,
                                             found: rawTargets.rows, reference: configuration.activations)
        }
        if let activations { try checkFinite(activations, file: path, dataset: configuration.activations) }
        try checkFinite(rawTargets, file: path, dataset: configuration.targets)

        let (targets, columns, names) = try selectTargets(rawTargets, in: h5, configuration: configuration)
        let roles = try DataSplit.roles(h5, configuration: configuration, rows: n, seed: seed)
        let trainRows = (0..<n).filter { roles[$0] == .train }
        let validationRows = (0..<n).filter { roles[$0] == .validation }
        let testRows = (0..<n).filter { roles[$0] == .test }
        try DataChecks.checkSplit(targets, rows: (trainRows, validationRows.count, testRows.count), configuration: configuration,
                                  targetColumns: columns, fitting: normalizations == nil)

        let targetNormalization = normalizations?.targets ?? (configuration.standardizeTargets
            ? Normalization.fit(targets, rows: trainRows) : .identity(columns: targets.columns))
        targetNormalization.apply(to: targets)
        guard let activations else {
            // Streamed: one pass over the file checks every value and fits the normalisation.
            let normalization = try StreamedActivations.scan(h5, dataset: configuration.activations, rows: n, columns: dimension,
                                                            trainRows: trainRows, fit: configuration.standardizeActivations)
            if let saved = normalizations?.activations, saved.mean.count != dimension {
                throw DataError.rankMismatch(file: path, dataset: configuration.activations,
                                             expected: "\(saved.mean.count) columns, as the model was trained on", found: [n, dimension])
            }
            let streamed = try StreamedActivations(file: path, dataset: configuration.activations, rows: n, columns: dimension,
                                                   normalization: normalizations?.activations ?? normalization,
                                                   memoryBudgetMB: configuration.memoryBudgetMB)
            return ActivationData(streamed: streamed, targets: targets, trainRows: trainRows, validationRows: validationRows, testRows: testRows,
                                  targetColumns: columns, targetNames: names, targetNormalization: targetNormalization)
        }
        let activationNormalization = normalizations?.activations ?? (configuration.standardizeActivations
            ? Normalization.fit(activations, rows: trainRows) : .identity(columns: activations.columns))
        guard activationNormalization.mean.count == activations.columns else {
            throw DataError.rankMismatch(file: path, dataset: configuration.activations,
                                         expected: "\(activationNormalization.mean.count) columns, as the model was trained on",
                                         found: [activations.rows, activations.columns])
        }
        activationNormalization.apply(to: activations)
        return ActivationData(file: path, inputs: activations, targets: targets, trainRows: trainRows, validationRows: validationRows,
                              testRows: testRows,
                              targetColumns: columns, targetNames: names,
                              activationNormalization: activationNormalization, targetNormalization: targetNormalization)
    }

    /// Rows and columns of the activations dataset, which must be 2-D.
    static func activationShape(_ h5: HDF5File, configuration: DataConfiguration) throws -> (rows: Int, columns: Int) {
        let shape = try h5.info(configuration.activations).shape
        guard shape.count == 2, shape[1] > 0 else {
            throw DataError.rankMismatch(file: configuration.file, dataset: configuration.activations,
                                         expected: "a 2-D array (samples × features) with at least one feature", found: shape)
        }
        return (shape[0], shape[1])
    }

    /// The explained columns of the targets (`target_columns`, or all), and their names from
    /// `class_names` when the file has one name per column.
    static func selectTargets(_ rawTargets: Matrix, in h5: HDF5File, configuration: DataConfiguration) throws
        -> (targets: Matrix, columns: [Int], names: [String]) {
        let path = configuration.file, n = rawTargets.rows
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
        return (targets, columns, names)
    }

    /// A 2-D float dataset as a matrix (a 1-D one becomes a single column when allowed).
    static func readMatrix(_ h5: HDF5File, _ name: String, allowVector: Bool = false) throws -> Matrix {
        let (values, shape) = try h5.readFloats(name)
        if shape.count == 2 && shape[1] > 0 { return Matrix(rows: shape[0], columns: shape[1], values: values) }
        if shape.count == 1 && allowVector { return Matrix(rows: shape[0], columns: 1, values: values) }
        throw DataError.rankMismatch(file: h5.path, dataset: name,
                                     expected: allowVector ? "a 1-D or 2-D array (samples × outputs) with at least one output"
                                                           : "a 2-D array (samples × features) with at least one feature",
                                     found: shape)
    }

    static func checkFinite(_ matrix: Matrix, file: String, dataset: String) throws {
        for i in 0..<matrix.count where !matrix.storage[i].isFinite {
            throw DataError.nonFinite(file: file, dataset: dataset, row: i / matrix.columns, column: i % matrix.columns,
                                      value: "\(matrix.storage[i])")
        }
    }

    /// Copies the given activation rows (normalised) into the first rows of `destination`, from
    /// memory or, for streamed data, from the file in runs of consecutive rows.
    public func gather(rows: ArraySlice<Int>, into destination: Matrix) throws {
        guard let streamed else { return ActivationData.gather(rows: rows, from: inputs, into: destination) }
        destination.setRowCount(rows.count)
        var position = rows.startIndex, slot = 0
        while position < rows.endIndex {
            var end = position + 1
            while end < rows.endIndex && rows[end] == rows[end - 1] + 1 { end += 1 }
            try streamed.read(rows[position]..<(rows[end - 1] + 1), into: destination.row(slot))
            slot += end - position
            position = end
        }
    }

    /// Calls `body` with consecutive blocks of `rows`: their positions in `rows` and their activations.
    public func forEachBlock(rows: [Int], blockRows: Int = 1024, _ body: (Range<Int>, Matrix) throws -> Void) throws {
        let block = Matrix(rows: min(blockRows, max(rows.count, 1)), columns: inputDimension)
        var start = 0
        while start < rows.count {
            let positions = start..<min(start + blockRows, rows.count)
            try gather(rows: rows[positions], into: block)
            try body(positions, block)
            start = positions.upperBound
        }
    }

    /// x and ŷ of `rows` (in the model's units), in memory or a block at a time from disk.
    public func infer(_ model: any ConceptModel, rows: [Int]) throws -> (concepts: Matrix, predictions: Matrix) {
        guard isStreamed else { return model.infer(inputs, rows: rows) }
        let concepts = Matrix(rows: rows.count, columns: model.architecture.concepts)
        let predictions = Matrix(rows: rows.count, columns: model.architecture.outputs)
        try forEachBlock(rows: rows) { positions, block in
            let (x, y) = model.infer(block, rows: Array(0..<block.rows))
            for (i, position) in positions.enumerated() {
                concepts.row(position).update(from: x.row(i), count: concepts.columns)
                predictions.row(position).update(from: y.row(i), count: predictions.columns)
            }
        }
        return (concepts, predictions)
    }

    /// The given rows of `source`, in that order, as a new matrix.
    public static func gathered(rows: [Int], from source: Matrix) -> Matrix {
        let destination = Matrix(rows: rows.count, columns: source.columns)
        gather(rows: rows[...], from: source, into: destination)
        return destination
    }

    /// Copies the given rows of `source` into the first rows of `destination` (a batch buffer).
    public static func gather(rows: ArraySlice<Int>, from source: Matrix, into destination: Matrix) {
        destination.setRowCount(rows.count)
        let width = source.columns
        for (i, r) in rows.enumerated() { destination.row(i).update(from: source.row(r), count: width) }
    }
}
