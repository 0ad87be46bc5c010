import XNNLinearAlgebra

/// A rows × columns matrix of seeded uniform values in [-1, 1): the products' tests' operands.
func randomMatrix(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator) -> Matrix {
    let matrix = Matrix(rows: rows, columns: columns)
    for i in 0..<matrix.count { matrix.storage[i] = generator.nextFloat(in: -1, 1) }
    return matrix
}
