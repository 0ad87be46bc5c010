import XNNLinearAlgebra

/// A trainable tensor with its gradient buffer, allocated once.
public final class Parameter {
    /// Stable name used in model files, e.g. "encoder.0.weight".
    public let name: String
    public let value: Matrix
    public let gradient: Matrix

    public init(name: String, rows: Int, columns: Int) {
        self.name = name
        value = Matrix(rows: rows, columns: columns)
        gradient = Matrix(rows: rows, columns: columns)
    }
}
